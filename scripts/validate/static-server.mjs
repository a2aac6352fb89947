// A static file server for the validation lane: serves one output folder
// on a free loopback port, as a static host would (folders serve their
// index.html), confined to that folder.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".xml": "application/xml",
  ".ics": "text/calendar", ".txt": "text/plain; charset=utf-8", ".json": "application/json",
};

// A static file server confined to `root`, on a free loopback port.
export async function serve(root) {
  const base = path.resolve(root);
  const server = createServer(async (req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.resolve(base, "." + rel);
    if (!file.startsWith(base)) { res.writeHead(404).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/html" }).end("<!DOCTYPE html><title>404</title>");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}
