// Site search as a reader uses it (issue 20, docs/search.md): builds are
// searched in headless Chromium by typing into the search box, and each
// query's expected article must be the first result. Covers Chinese and
// English, two-character words, words only in an article's body, lay
// synonyms of the medical terms an article uses, English articles found
// from the Chinese site, filters, the header's box on another page, the
// page without JavaScript, and a word that is only in a draft (no results).
//
// Usage: node search.mjs PUBLIC_DIR
// Prints one line per problem and a closing 'N passed, N failed' line.

import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";

const [publicDir] = process.argv.slice(2);
if (!publicDir) {
  console.error("usage: node search.mjs PUBLIC_DIR");
  process.exit(2);
}

// [query typed into the box, slug of the expected first result or null
// for "no results", why this query is here]
const QUERIES = [
  ["跌倒", "fall-prevention", "two-character Chinese word"],
  ["发烧", "child-fever", "two-character Chinese word in the title"],
  ["流感疫苗", "influenza-vaccination", "Chinese compound word"],
  ["糖尿病饮食", "diabetes-diet", "Chinese phrase of two words"],
  ["防滑垫", "fall-prevention", "word only in an article's body"],
  ["补液", "rotavirus-diarrhoea", "body word shared by two articles, ranked"],
  ["落枕", "office-neck-pain", "lay synonym; the article says 颈椎病"],
  ["pollen", "spring-pollen-allergy", "English word, found from the Chinese site"],
  ["hay fever", "spring-pollen-allergy", "English lay synonym; the article says allergic rhinitis"],
  ["teenagers sleep", "teen-sleep", "English, two words, stemmed"],
  ["煤炉", null, "only in a draft: nothing may be found"],
  ["热水器", null, "only in a draft: nothing may be found"],
  ["溺水", null, "only in an expired article: nothing may be found"],
];

let passed = 0;
let failed = 0;
function check(cond, what) {
  if (cond) passed++;
  else {
    failed++;
    console.log(`FAIL: ${what}`);
  }
}

const site = await serve(publicDir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
});

async function open(url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console error: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("response", (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  await page.goto(url, { waitUntil: "load" });
  return { context, page, problems };
}

// The hrefs of the results shown once the page has searched for `query`.
async function resultsFor(page, query) {
  await page.waitForSelector(`#search[data-done="${query.replace(/"/g, '\\"')}"]`, { timeout: 15000 });
  return page.$$eval(".search-hits li h3 a", (links) => links.map((a) => a.getAttribute("href")));
}

const slugOf = (href) => href?.match(/\/articles\/([^/]+)\//)?.[1];

// Every query typed into the search page's box, one after another.
{
  const { context, page, problems } = await open(`${site.url}/search/`);
  const box = page.locator("#search-q");
  for (const [query, expected, why] of QUERIES) {
    await box.fill("");
    await box.pressSequentially(query, { delay: 5 });
    let hrefs = [];
    try {
      hrefs = await resultsFor(page, query);
    } catch (e) {
      check(false, `"${query}" (${why}): the search did not finish: ${e.message.split("\n")[0]}`);
      continue;
    }
    if (expected === null) {
      check(hrefs.length === 0, `"${query}" (${why}): expected no results, got ${hrefs.join(" ")}`);
    } else {
      check(slugOf(hrefs[0]) === expected,
        `"${query}" (${why}): expected ${expected} first, got ${hrefs.slice(0, 3).map(slugOf).join(", ") || "nothing"}`);
    }
  }
  // The results carry audience and specialty names, and an excerpt.
  await box.fill("跌倒");
  await resultsFor(page, "跌倒");
  const first = await page.$eval(".search-hits li", (li) => ({
    terms: li.querySelector(".search-terms")?.textContent ?? "",
    excerpt: li.querySelector(".search-excerpt")?.textContent ?? "",
  }));
  check(first.terms.includes("银发族"), `result shows no audience name: "${first.terms}"`);
  check(first.terms.includes("骨科") || first.terms.includes("老年医学科"), `result shows no specialty: "${first.terms}"`);
  check(first.excerpt.includes("跌倒"), `result excerpt lacks the query: "${first.excerpt}"`);
  // A filter narrows the results to one audience.
  await page.click(".search-filters summary");
  await page.check('input[name="audience"][value="seniors"]');
  await resultsFor(page, "跌倒");
  const filtered = await page.$$eval(".search-hits li .search-terms", (ps) => ps.map((p) => p.textContent));
  check(filtered.length > 0 && filtered.every((t) => t.includes("银发族")),
    `audience filter: results outside 银发族: ${JSON.stringify(filtered)}`);
  await page.uncheck('input[name="audience"][value="seniors"]');
  await page.check('input[name="audience"][value="teens"]');
  await box.fill("发烧");
  const teens = await resultsFor(page, "发烧");
  check(teens.length === 0, `发烧 among teens' articles: expected none, got ${teens.map(slugOf).join(", ")}`);
  for (const p of problems) console.log(`  ${p}`);
  check(problems.length === 0, `search page: ${problems.length} console/network errors`);
  await context.close();
}

// The header's box on another page submits to /search/, which searches.
{
  const { context, page } = await open(`${site.url}/`);
  await page.fill("#site-search-q", "流感疫苗");
  await page.press("#site-search-q", "Enter");
  await page.waitForURL(/\/search\/\?q=/);
  const hrefs = await resultsFor(page, "流感疫苗");
  check(slugOf(hrefs[0]) === "influenza-vaccination", `header search: got ${hrefs.map(slugOf).join(", ")}`);
  await context.close();
}

// Without JavaScript the page explains and lists the browse pages.
{
  const { context, page } = await open(`${site.url}/search/?q=x`, { javaScriptEnabled: false });
  const note = await page.isVisible(".search-nojs");
  const browse = await page.$$eval(".search-browse a", (links) => links.length);
  check(note, "without JavaScript the search page does not explain");
  check(browse >= 3, `without JavaScript the search page lists ${browse} browse links`);
  await context.close();
}

await browser.close();
site.server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
