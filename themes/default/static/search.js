// Site search on /search/ with the Pagefind index that `healthpress build`
// writes under pagefind/ (docs/search.md). Results show title, excerpt,
// audience and specialty; checkboxes filter by audience, specialty and
// season. Every index language is searched: the page's language first, then
// the others (English articles from the Chinese site) in their own list.
// Pagefind's search module keeps one WebAssembly stemmer per copy, so each
// language gets its own copy of the module (a distinct URL) and instance.
// Without JavaScript this file never runs and the page's own text explains.

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_LANG = /^(zh|ja|ko)/;
const root = document.getElementById("search");
if (root) start(root);

async function start(root) {
  const form = root.querySelector(".search-form");
  const input = form.querySelector('input[type="search"]');
  const status = root.querySelector(".search-status");
  const results = root.querySelector(".search-results");
  const filters = root.querySelector(".search-filters");
  root.querySelector(".search-nojs").hidden = true;
  filters.hidden = false;
  const label = (key, n) => (root.dataset[key] || "").replace("{n}", n);

  // Term names in the page's language, from the filter checkboxes.
  const names = {};
  for (const box of filters.querySelectorAll("input[type=checkbox]")) {
    (names[box.name] ??= {})[box.value] = box.parentElement.textContent.trim();
  }
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const box of filters.querySelectorAll("input[type=checkbox]")) {
    box.checked = params.getAll(box.name).includes(box.value);
    if (box.checked) filters.open = true;
  }

  let instances;
  try {
    instances = await loadInstances(root.dataset.bundle, root.dataset.lang);
  } catch (e) {
    status.textContent = label("labelFailed");
    return;
  }

  let latest = 0;
  async function run() {
    const id = ++latest;
    const term = input.value.trim();
    const chosen = {};
    for (const box of filters.querySelectorAll("input[type=checkbox]:checked")) {
      (chosen[box.name] ??= { any: [] }).any.push(box.value);
    }
    remember(term, chosen);
    if (!term && !Object.keys(chosen).length) {
      results.replaceChildren();
      status.textContent = "";
      root.dataset.done = "";
      return;
    }
    const found = await Promise.all(
      instances.map(async ({ lang, pagefind }) => {
        const response = await pagefind.search(term || null, { filters: chosen });
        const hits = await Promise.all(response.results.slice(0, 30).map((r) => r.data()));
        return { lang, hits };
      }),
    );
    if (id !== latest) return;
    // A query in Latin letters only is most likely meant for the articles
    // in Latin-script languages, whatever the page's language.
    if (term && !CJK.test(term)) found.sort((a, b) => CJK_LANG.test(a.lang) - CJK_LANG.test(b.lang));
    const total = found.reduce((n, f) => n + f.hits.length, 0);
    const lists = [];
    const own = root.dataset.lang.toLowerCase().split("-")[0];
    found.forEach(({ lang, hits }) => {
      if (!hits.length) return;
      if (lang.split("-")[0] !== own) lists.push(element("h2", { class: "search-other" }, label("labelOther")));
      lists.push(element("ol", { class: "search-hits" }, ...hits.map((h) => hit(h, lang, names))));
    });
    results.replaceChildren(...lists);
    status.textContent = total ? label("labelCount", total) : label("labelNone");
    root.dataset.done = term; // for tests: the results shown are this query's
  }

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  filters.addEventListener("change", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  form.addEventListener("reset", () => setTimeout(run, 0));
  run();
}

// One Pagefind instance per index language, the page's language first.
async function loadInstances(bundle, pageLang) {
  const base = new URL(bundle, location.href);
  const entry = await (await fetch(new URL("pagefind-entry.json", base))).json();
  const own = pageLang.toLowerCase().split("-")[0];
  const langs = Object.keys(entry.languages).sort((a, b) => {
    const mine = (l) => (l.split("-")[0] === own ? 0 : 1);
    return mine(a) - mine(b) || entry.languages[b].page_count - entry.languages[a].page_count;
  });
  const html = document.documentElement;
  const instances = [];
  for (const [i, lang] of langs.entries()) {
    const module = await import(new URL(`pagefind.js?copy=${i}`, base).href);
    // Pagefind reads the language to load from <html lang> when an
    // instance is created.
    const pageAttr = html.getAttribute("lang");
    html.setAttribute("lang", lang);
    const pagefind = module.createInstance({ basePath: base.pathname, baseUrl: "/", excerptLength: 36 });
    html.setAttribute("lang", pageAttr);
    await pagefind.init();
    instances.push({ lang, pagefind });
  }
  return instances;
}

function hit(data, lang, names) {
  const terms = ["audience", "specialty"].flatMap((t) =>
    (data.filters?.[t] || []).map((id) => names[t]?.[id] || id),
  );
  const excerpt = marked(data.excerpt || "");
  const shown = excerpt.some((n) => n.nodeName === "MARK") ? excerpt : [data.meta.summary || ""];
  return element(
    "li",
    { lang },
    element("h3", {}, element("a", { href: data.url }, data.meta.title || data.url)),
    element("p", { class: "search-excerpt" }, ...shown),
    terms.length ? element("p", { class: "search-terms" }, terms.join(" · ")) : "",
  );
}

// The excerpt as text with its <mark> highlights and nothing else, whatever
// the indexed text contained.
function marked(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  return [...tpl.content.childNodes].map((n) =>
    n.nodeName === "MARK" ? element("mark", {}, n.textContent) : document.createTextNode(n.textContent),
  );
}

function element(name, attrs, ...children) {
  const el = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

// Keeps the query in the address, so a search can be bookmarked or shared.
function remember(term, chosen) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const [name, { any }] of Object.entries(chosen)) for (const v of any) params.append(name, v);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}
