// The WeChat posts of editorial/wechat/ as an editor uses them, in headless
// Chromium at 375 px (the phone width the 公众号 editor previews): the
// "复制到公众号" button is clicked with the clipboard permission granted,
// and the HTML read back from the clipboard must be exactly the post in the
// page's wechat.html (the body of that document), with a plain-text version
// beside it; the preview must not scroll sideways, and load with no console
// error or failed request. Screenshots go to SCREENSHOT_DIR as
// wechat-article-375.png and wechat-issue-375.png.
//
// Two posts keep it fast: the article post with the most images (its QR
// code and pictures are fetched from PUBLIC_DIR, standing in for the site's
// base_url) and the first segment's issue post.
//
// Usage: node wechat.mjs PUBLIC_DIR EDITORIAL_DIR SCREENSHOT_DIR BASE_URL
// Prints one line per problem and a closing 'N passed, N failed' line.

import { readFile, readdir, mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";

const [publicDir, editorialDir, shotDir, baseUrl] = process.argv.slice(2);
if (!baseUrl) {
  console.error("usage: node wechat.mjs PUBLIC_DIR EDITORIAL_DIR SCREENSHOT_DIR BASE_URL");
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

const wechatDir = path.join(editorialDir, "wechat");
const bodyOf = (doc) => doc.slice(doc.indexOf("<body>") + "<body>".length, doc.lastIndexOf("</body>"));

// The article post with the most images, and the first issue post.
let article = null;
let most = -1;
for (const e of await readdir(wechatDir, { withFileTypes: true })) {
  if (!e.isDirectory() || e.name === "issues") continue;
  const doc = await readFile(path.join(wechatDir, e.name, "wechat.html"), "utf8").catch(() => null);
  if (doc === null) continue;
  const images = doc.split("<img").length - 1;
  if (images > most || (images === most && e.name < article)) {
    most = images;
    article = e.name;
  }
}
const segments = (await readdir(path.join(wechatDir, "issues")).catch(() => [])).sort();
check(article, "no article post under editorial/wechat/");
check(segments.length, "no issue post under editorial/wechat/issues/");
const posts = [
  ["article", article && `${article}/`],
  ["issue", segments.length && `issues/${segments[0]}/`],
].filter(([, rel]) => rel);

const ed = await serve(editorialDir);
const pub = await serve(publicDir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
});
await mkdir(shotDir, { recursive: true });
const site = new URL(baseUrl);

for (const [name, rel] of posts) {
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  // Images point at the site's base_url: answer them from the public folder.
  await context.route(`${site.origin}/**`, async (route) => {
    const url = new URL(route.request().url());
    const local = url.pathname.startsWith(site.pathname) ? url.pathname.slice(site.pathname.length - 1) : url.pathname;
    const res = await fetch(`${pub.url}${local}`);
    await route.fulfill({ status: res.status, headers: { "content-type": res.headers.get("content-type") ?? "" }, body: Buffer.from(await res.arrayBuffer()) });
  });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console error: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()}`));
  page.on("response", (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  const url = `${ed.url}/wechat/${rel}`;
  const response = await page.goto(url, { waitUntil: "load" });
  check(response?.status() === 200, `${name} ${url}: HTTP ${response?.status()}`);

  const expected = bodyOf(await readFile(path.join(wechatDir, rel, "wechat.html"), "utf8"));
  await page.click("#wx-copy");
  await page.waitForFunction(() => document.getElementById("wx-status").textContent !== "", null, { timeout: 5000 })
    .catch(() => {});
  const copied = await page.evaluate(async () => {
    // Unsanitized: what the page put there, as the 公众号 editor's paste
    // handler receives it (Chromium otherwise re-serializes on read).
    const items = await navigator.clipboard.read({ unsanitized: ["text/html"] });
    const item = items[0];
    return {
      types: item.types,
      html: await (await item.getType("text/html")).text(),
      text: item.types.includes("text/plain") ? await (await item.getType("text/plain")).text() : "",
    };
  }).catch((e) => ({ error: String(e) }));
  check(!copied.error, `${name}: reading the clipboard failed: ${copied.error}`);
  if (!copied.error) {
    // Chromium hands the HTML back as a document: <html><head></head><body>…
    const html = copied.html.includes("<body>") ? bodyOf(copied.html) : copied.html;
    check(html === expected,
      `${name}: the clipboard's HTML differs from wechat.html (${html.length} vs ${expected.length} chars)`);
    check(copied.text.trim().length > 0, `${name}: no text/plain on the clipboard (${copied.types})`);
  }
  // The preview is the post itself, as the editor will show it.
  const shown = await page.evaluate(() => document.getElementById("wx-phone").innerHTML);
  check(shown === expected, `${name}: the preview is not the copied post`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `${name}: ${overflow}px horizontal overflow at 375px`);
  const broken = await page.evaluate(() =>
    [...document.querySelectorAll("#wx-phone img")].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));
  check(broken.length === 0, `${name}: images not shown: ${broken.join(", ")}`);
  await page.screenshot({ path: path.join(shotDir, `wechat-${name}-375.png`), fullPage: true });
  for (const p of problems) console.log(`  ${p}`);
  check(problems.length === 0, `${name} ${url}: ${problems.length} console/network errors`);
  await context.close();
}

await browser.close();
ed.server.close();
pub.server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
