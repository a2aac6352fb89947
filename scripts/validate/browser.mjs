// Opens healthpress output in headless Chromium the way a reader would:
// axe-core accessibility audit (no serious or critical violations), no
// console errors or failed requests, screenshots at phone and desktop width,
// and every digest e-mail at 600 px without horizontal scrolling.
//
// Every page of PUBLIC_DIR and of each FIXTURE_PUBLIC_DIR (a site with wide
// tables, long URLs, long code lines and video players) is also opened at
// 320 px, the narrowest phone, and must not scroll sideways; a fixture's
// digest e-mails are opened at 600 px.
//
// Usage: node browser.mjs PUBLIC_DIR EDITORIAL_DIR SCREENSHOT_DIR [FIXTURE_PUBLIC_DIR...]
// Prints one line per problem and a closing 'N passed, N failed' line.

import { readFile, readdir, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

const [publicDir, editorialDir, shotDir, ...fixtureDirs] = process.argv.slice(2);
if (!shotDir) {
  console.error("usage: node browser.mjs PUBLIC_DIR EDITORIAL_DIR SCREENSHOT_DIR");
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(cond, what) {
  if (cond) passed++;
  else {
    failed++;
    console.log(`FAIL: ${what}`);
  }
}

async function firstDir(dir) {
  try {
    const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory());
    entries.sort((a, b) => a.name.localeCompare(b.name));
    return entries.length ? entries[0].name : null;
  } catch {
    return null;
  }
}

async function findEmails(dir, found = []) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await findEmails(p, found);
    else if (e.name === "email.html") found.push(p);
  }
  return found.sort();
}

const pub = await serve(publicDir);
const ed = await serve(editorialDir);

const article = await firstDir(path.join(publicDir, "articles"));
// The newest issue of the first segment (by name) that has one.
let segment = null;
let issue = null;
for (const seg of await readdir(path.join(publicDir, "digests"), { withFileTypes: true }).catch(() => [])) {
  if (!seg.isDirectory()) continue;
  const issues = (await readdir(path.join(publicDir, "digests", seg.name), { withFileTypes: true }))
    .filter((e) => e.isDirectory() && /^\d{4}-\d{2}-\d{2}$/.test(e.name))
    .map((e) => e.name)
    .sort();
  if (issues.length && (segment === null || seg.name < segment)) {
    segment = seg.name;
    issue = issues.at(-1);
  }
}
check(article, "no article under public/articles/");
check(issue, "no digest issue under public/digests/");

const pages = [
  ["home", `${pub.url}/`],
  ["article", article && `${pub.url}/articles/${article}/`],
  ["term", `${pub.url}/audience/`],
  ["term-page", `${pub.url}/specialty/`],
  ["search", `${pub.url}/search/?q=${encodeURIComponent("发烧")}`],
  ["digest", issue && `${pub.url}/digests/${segment}/${issue}/`],
  ["schedule", `${ed.url}/schedule/`],
  ["review", `${ed.url}/review/`],
].filter(([, url]) => url);

// A term page proper: the first term linked from the audience index.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
});
await mkdir(shotDir, { recursive: true });

async function open(url, width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console error: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()}`));
  page.on("response", (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  const response = await page.goto(url, { waitUntil: "load" });
  return { context, page, problems, status: response?.status() };
}

// Resolve "term-page" to a real paginated term page by following the index.
{
  const { context, page } = await open(`${pub.url}/audience/`, 1280);
  const href = await page.evaluate(() => document.querySelector("main a[href*='/audience/']")?.getAttribute("href"));
  await context.close();
  const i = pages.findIndex(([name]) => name === "term-page");
  if (href) pages[i] = ["term-page", new URL(href, pub.url).toString()];
  check(href, "the audience index links to no term page");
}

for (const [name, url] of pages) {
  for (const width of [390, 1280]) {
    const { context, page, problems, status } = await open(url, width);
    check(status === 200, `${name} ${url}: HTTP ${status}`);
    await page.screenshot({ path: path.join(shotDir, `${name}-${width}.png`), fullPage: true });
    if (width === 1280) {
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        await axe.run(document, { resultTypes: ["violations"] }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      for (const v of bad) {
        console.log(`  axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target})`);
      }
      check(bad.length === 0, `${name} ${url}: ${bad.length} serious/critical axe violations`);
    }
    // Phone width: nothing may force sideways scrolling.
    if (width === 390) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 0, `${name} ${url}: ${overflow}px horizontal overflow at 390px`);
    }
    for (const p of problems) console.log(`  ${p}`);
    check(problems.length === 0, `${name} ${url} at ${width}px: ${problems.length} console/network errors`);
    await context.close();
  }
}

// E-mails: rendered at 600 px, no horizontal scrolling.
const emails = await findEmails(path.join(publicDir, "digests")).catch(() => []);
check(emails.length > 0, "no digest email.html found");
for (const file of emails) {
  const rel = path.relative(publicDir, file).split(path.sep).join("/");
  const { context, page, status } = await open(`${pub.url}/${rel}`, 600);
  check(status === 200, `${rel}: HTTP ${status}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `${rel}: ${overflow}px horizontal scrolling at 600px`);
  if (file === emails.at(-1)) {
    await page.screenshot({ path: path.join(shotDir, "email-600.png"), fullPage: true });
  }
  await context.close();
}

// Every web page at 320 px: nothing may make the page scroll sideways.
// One tab, pages opened one after another, no screenshots: this stays fast.
async function findPages(dir, found = []) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await findPages(p, found);
    else if (e.name.endsWith(".html") && e.name !== "email.html") found.push(p);
  }
  return found.sort();
}
for (const dir of [publicDir, ...fixtureDirs]) {
  const site = dir === publicDir ? pub : await serve(dir);
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  // Only the site itself is loaded: video players (player.bilibili.com,
  // v.qq.com, youtube-nocookie.com) are other hosts, and their frame's box
  // is the site's CSS, whatever the player draws inside it.
  await context.route((url) => !url.href.startsWith(site.url), (route) => route.abort());
  const page = await context.newPage();
  let widest = 0;
  // The fixture: every page. The example site: every article and one page
  // of each other kind (its listings share their templates), to stay fast.
  let files = await findPages(dir);
  if (dir === publicDir) {
    const kinds = new Set();
    files = files.filter((f) => {
      const rel = path.relative(dir, f).split(path.sep);
      if (rel[0] === "articles") return true;
      const kind = rel.length > 2 ? `${rel[0]}/${rel.length}` : rel.join("/");
      if (kinds.has(kind)) return false;
      kinds.add(kind);
      return true;
    });
  }
  for (const file of files) {
    const rel = path.relative(dir, file).split(path.sep).join("/");
    await page.goto(`${site.url}/${rel}`, { waitUntil: "load" });
    const wide = await page.evaluate(() => {
      const over = document.documentElement.scrollWidth - window.innerWidth;
      if (over <= 0) return null;
      // Name the widest element that sticks out, to say what to fix.
      let worst = null;
      for (const el of document.body.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && (!worst || r.right > worst.right)) {
          worst = { right: r.right, what: el.tagName.toLowerCase() + (el.className ? "." + el.className : "") };
        }
      }
      return { over, what: worst?.what };
    });
    widest = Math.max(widest, wide?.over ?? 0);
    check(!wide, `${path.basename(path.dirname(dir))}/${rel}: scrolls ${wide?.over}px sideways at 320px (${wide?.what})`);
  }
  console.log(`320px: ${files.length} pages of ${dir}, widest sideways scroll ${widest}px`);
  await context.close();
  // A fixture's digest e-mails at 600 px, like the example site's above.
  if (dir !== publicDir) {
    const mail = await browser.newContext({ viewport: { width: 600, height: 900 } });
    await mail.route((url) => !url.href.startsWith(site.url), (route) => route.abort());
    const tab = await mail.newPage();
    const fixtureEmails = await findEmails(path.join(dir, "digests")).catch(() => []);
    check(fixtureEmails.length > 0, `no digest email.html under ${dir}`);
    for (const file of fixtureEmails) {
      const rel = path.relative(dir, file).split(path.sep).join("/");
      await tab.goto(`${site.url}/${rel}`, { waitUntil: "load" });
      const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 0, `${path.basename(path.dirname(dir))}/${rel}: ${overflow}px horizontal scrolling at 600px`);
    }
    await mail.close();
  }
  if (site !== pub) site.server.close();
}

await browser.close();
pub.server.close();
ed.server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
