// Prints one ward poster to PDF with headless Chromium (`--print-to-pdf`,
// the browser's own print path, honouring the poster's @page rule) and
// checks the result is exactly one A4 portrait page (595 x 842 pt, 1 pt
// tolerance).
//
// Usage: node poster_pdf.mjs PUBLIC_DIR OUT_PDF
// Prints 'poster PDF: 1 page, A4' or a FAIL line and exits 1.

import { execFile } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { serve } from "./static-server.mjs";

const [publicDir, outPdf] = process.argv.slice(2);
if (!outPdf) {
  console.error("usage: node poster_pdf.mjs PUBLIC_DIR OUT_PDF");
  process.exit(2);
}

// The first article (by name) that has a poster.
const articles = (await readdir(path.join(publicDir, "articles"), { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
let slug = null;
for (const name of articles) {
  try {
    await readFile(path.join(publicDir, "articles", name, "poster", "index.html"));
    slug = name;
    break;
  } catch {}
}
if (!slug) {
  console.log("FAIL: no poster under articles/*/poster/");
  process.exit(1);
}

const site = await serve(publicDir);
const browser = process.env.CHROMIUM ?? "chromium";
try {
  await promisify(execFile)(
    browser,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-pdf-header-footer",
      `--print-to-pdf=${outPdf}`,
      `${site.url}/articles/${slug}/poster/`,
    ],
    { timeout: 60000 },
  );
} finally {
  site.server.close();
}

const pdf = (await readFile(outPdf)).toString("latin1");
const pages = pdf.match(/\/Type\s*\/Page(?![s\w])/g) ?? [];
const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)];
const a4 = boxes.length > 0 && boxes.every((m) => {
  const w = parseFloat(m[3]) - parseFloat(m[1]);
  const h = parseFloat(m[4]) - parseFloat(m[2]);
  return Math.abs(w - 595.28) < 1.5 && Math.abs(h - 841.89) < 1.5;
});
if (pages.length !== 1 || !a4) {
  const sizes = boxes.map((m) => `${m[3]}x${m[4]}`).join(", ");
  console.log(`FAIL: poster of ${slug} printed to ${pages.length} page(s), media box ${sizes || "none"} (want 1 A4 page)`);
  process.exit(1);
}
console.log(`poster PDF (${slug}): 1 page, A4 portrait`);
