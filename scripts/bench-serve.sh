#!/usr/bin/env bash
# Measures `healthpress serve`'s save -> page-written latency on a generated
# 10k-article site: saves one article (editor-style: temp file + rename,
# with its approval fingerprint updated so it stays published), then polls
# the serve folder until the rebuilt page holds the new text.
#
#   scripts/bench-serve.sh [SITE_DIR] [ROUNDS]
#
# ARTICLE=a00010 picks another article (default a05000, mid-site);
# MODE=title edits the title (the card changes, so listings re-render)
# instead of the body.
# SITE_DIR defaults to /tmp/serve10k (generated with ../shared/bench/gen_corpus.py
# if missing). Every edit is reverted at the end.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
site="${1:-/tmp/serve10k}"
rounds="${2:-20}"
gen="${GEN_CORPUS:-$here/../../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || gen=/work/shared/bench/gen_corpus.py
if [ ! -f "$site/site.yaml" ]; then
  python3 "$gen" --tool healthpress --pages 10000 --out "$site"
fi
(cd "$here" && cargo build --release --quiet)
bin="$here/target/release/healthpress"
log="$(mktemp)"
"$bin" --root "$site" serve --port 0 --as-of 2027-02-01 >"$log.out" 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  grep -q "serving" "$log.out" 2>/dev/null && break
  sleep 0.5
done
grep -q "serving" "$log.out" || { echo "serve did not start"; cat "$log"; exit 1; }
grep "first build" "$log" || true

python3 - "$site" "$rounds" <<'PY'
import hashlib, json, os, statistics, sys, time
site, rounds = sys.argv[1], int(sys.argv[2])
name = os.environ.get("ARTICLE", "a05000")
art = os.path.join(site, f"content/articles/{name}.md")
out = os.path.join(site, f".healthpress-serve/public/articles/{name}/index.html")
original = open(art, encoding="utf-8").read()

mode = os.environ.get("MODE", "body")

def with_marker(text, marker):
    head, body = text.split("\n---\n", 1)
    fields = {}
    for line in head.splitlines():
        for key in ("title", "summary"):
            if line.startswith(key + ":"):
                fields[key] = json.loads(line.split(":", 1)[1].strip())
    if mode == "title":  # changes the article's card: listings re-render
        fields["title"] = fields["title"].split("基准")[0] + marker
        head = "\n".join(("title: " + json.dumps(fields["title"], ensure_ascii=False)) if l.startswith("title:") else l for l in head.splitlines())
    else:
        body = body.rstrip() + f"\n\n{marker}\n"
    fp = hashlib.sha256((fields["title"] + "\n" + fields["summary"] + "\n" + body.replace("\r\n", "\n").rstrip()).encode()).hexdigest()
    head = "\n".join(("  fingerprint: sha256:" + fp) if l.startswith("  fingerprint:") else l for l in head.splitlines())
    return head + "\n---\n" + body

times = []
try:
    for i in range(rounds):
        marker = f"基准测试标记{i}-{time.time_ns()}"
        text = with_marker(original, marker)
        tmp = art + ".tmp"
        open(tmp, "w", encoding="utf-8").write(text)
        t0 = time.perf_counter()
        os.replace(tmp, art)
        deadline = t0 + 30
        while True:
            try:
                if marker in open(out, encoding="utf-8").read():
                    break
            except FileNotFoundError:
                pass
            if time.perf_counter() > deadline:
                sys.exit(f"round {i}: page not rewritten within 30 s")
            time.sleep(0.0005)
        times.append((time.perf_counter() - t0) * 1000)
        # Rounds are spaced beyond serve's burst window (500 ms after a
        # rebuild), so each measures one save, not a coalesced burst.
        time.sleep(1.0)
finally:
    open(art + ".tmp", "w", encoding="utf-8").write(original)
    os.replace(art + ".tmp", art)
times.sort()
print(f"save -> page written, {len(times)} rounds: min {times[0]:.1f} ms, "
      f"median {statistics.median(times):.1f} ms, p90 {times[int(len(times)*0.9)-1]:.1f} ms, max {times[-1]:.1f} ms")
PY
sleep 1
echo "server-side rebuild times (incremental):"
grep "incremental rebuild" "$log" | sed -E 's/.* in ([0-9]+) ms/\1/' | sort -n | awk '{a[NR]=$1} END {if (NR) printf "  n=%d min %d ms, median %d ms, max %d ms\n", NR, a[1], a[int((NR+1)/2)], a[NR]}'
grep -c "full rebuild" "$log" | sed 's/^/  full rebuilds (including the first): /'
if [ -n "${HEALTHPRESS_TIMINGS:-}" ]; then
  echo "phases of the last incremental rebuild (cumulative ms):"
  tac "$log" | awk '/incremental rebuild/{f=1; next} f && /^timing: serve/{print} f && /sources/{exit}' | tac
fi
