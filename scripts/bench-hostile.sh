#!/usr/bin/env bash
# Time `healthpress build` on hostile but legal (or plainly broken) input:
# the pathological cases of issues 14 and 22. Not a test: it prints, for
# each case, the exit code, wall time, peak memory (max RSS), output size
# and the first diagnostic, so before/after numbers can be compared.
#
# Usage:
#   scripts/bench-hostile.sh [-b BINARY] [-w WORKDIR] [-t SECONDS] [CASE...]
#
#   -b BINARY   the healthpress binary to run (default target/release/healthpress,
#               built first if missing); pass a copy built from an older
#               commit for "before" numbers
#   -w WORKDIR  where the generated sites go (default ${TMPDIR:-/tmp}/healthpress-hostile)
#   -t SECONDS  give up on a case after this long (default 60); a case that
#               times out is reported as `timeout`
#   CASE...     run only these cases (default: all; `-l` lists them)
#
# Each case is one small site whose articles are approved with a matching
# fingerprint, built with `--as-of 2027-02-01` so they are all published
# and really rendered. Peak memory comes from GNU time (/usr/bin/time).
# The script writes only inside WORKDIR.
set -euo pipefail

bin=""
work="${TMPDIR:-/tmp}/healthpress-hostile"
limit=60
cases=()
while [ $# -gt 0 ]; do
    case "$1" in
        -b) bin="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
        -w) work="$2"; shift 2 ;;
        -t) limit="$2"; shift 2 ;;
        -l) list=1; shift ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        -*) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
        *) cases+=("$1"); shift ;;
    esac
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$work"

# Generates the sites (once; they are reused); prints the case names.
mapfile -t all < <(python3 - "$work" "${list:-0}" <<'PY'
import hashlib, os, sys

work, only_list = sys.argv[1], sys.argv[2] == "1"

SITE = """title: Hostile input
base_url: https://hostile.example
language: en
timezone: Asia/Shanghai
taxonomies:
  audience:
    parents: { name: Parents }
  specialty:
    pediatrics: { name: Pediatrics }
  season: [winter]
people:
  dr-li: { name: Li, title: Chief physician, specialty: pediatrics }
"""
CAL = "slots: []\n"

def article(slug, body, extra=""):
    title, summary = f"Case {slug}", "A hostile input case."
    fp = "sha256:" + hashlib.sha256(
        (title + "\n" + summary + "\n" + body.replace("\r\n", "\n").rstrip()).encode()
    ).hexdigest()
    return (f"---\ntitle: {title}\nslug: {slug}\ndate: 2026-10-01\nsummary: {summary}\n"
            f"audience: [parents]\nspecialty: [pediatrics]\nseason: [winter]\n{extra}"
            f"review:\n  status: approved\n  reviewer: dr-li\n  date: 2026-10-01\n"
            f"  fingerprint: {fp}\n---\n{body}")

def amplified(slug, size=50_000):
    # One 10 KB source, repeated by ~12,000 aliases until the front matter
    # is ~50 KB: every source is printed on the page (about 3,000x).
    extra = "sources: [&s \"" + "Guideline " * 1000 + "\""
    while len(extra) < size:
        extra += ", *s"
    return article(slug, "Body.\n", extra + "]\n")

def cases():
    yield "same-headings-20k", {"a": article("a", "## Same heading\n\ntext\n\n" * 20_000)}
    yield "nested-details-100k", {"a": article("a", "<details>" * 100_000 + "x" + "</details>" * 100_000 + "\n")}
    yield "nested-div-200k", {"a": article("a", "<div>\n" * 200_000 + "x\n")}
    yield "nested-quote-100k", {"a": article("a", ">" * 100_000 + " x\n")}
    yield "nested-list-5k", {"a": article("a", "".join("  " * i + "- x\n" for i in range(5_000)))}
    yield "python-2000x15000", {"a": article("a", "```python\n" + ("x = '" + "a" * 14_990 + "'\n") * 2_000 + "```\n")}
    yield "perl-20x100x8000", {"a": article("a", ("```perl\n" + ("my $x = \"" + "(" * 7_980 + "\";\n") * 100 + "```\n\n") * 20)}
    yield "yaml-amplified-1", {"a": amplified("a")}
    yield "yaml-amplified-8", {f"a{i}": amplified(f"a{i}") for i in range(8)}
    yield "empty-strings", {
        "a": article("a", "x\n").replace("audience: [parents]", 'audience: [""]'),
        "b": article("b", "x\n").replace("season: [winter]", 'season: [""]'),
        "c": article("c", "x\n", 'authors: [""]\n'),
        "d": article("d", "x\n").replace("slug: d", 'slug: ""'),
    }
    yield "calendar-200kb", {
        "a": article("a", "x\n"),
        "calendar.yaml": "slots:\n" + "".join(
            f"  - {{ id: s{i}, date: 2026-{1 + i % 12:02}-{1 + i % 28:02}, theme: Topic {i}, segment: parents, owner: dr-li }}\n"
            for i in range(2_500)),
    }
    yield "calendar-amplified", {
        "a": article("a", "x\n"),
        "calendar.yaml": "observances:\n  - &o { date: 11-14, name: \"" + "Day " * 2500 + "\" }\n" + "  - *o\n" * 6000 + "slots: []\n",
    }

for name, files in cases():
    print(name)
    if only_list:
        continue
    root = os.path.join(work, name)
    if os.path.exists(os.path.join(root, ".generated")):
        continue
    os.makedirs(os.path.join(root, "content"), exist_ok=True)
    with open(os.path.join(root, "site.yaml"), "w") as f:
        f.write(SITE)
    with open(os.path.join(root, "calendar.yaml"), "w") as f:
        f.write(CAL)
    for key, text in files.items():
        path = os.path.join(root, key if key.endswith(".yaml") else f"content/{key}.md")
        with open(path, "w") as f:
            f.write(text)
    open(os.path.join(root, ".generated"), "w").close()
PY
)
if [ "${list:-0}" = 1 ]; then
    printf '%s\n' "${all[@]}"
    exit 0
fi
[ ${#cases[@]} -gt 0 ] || cases=("${all[@]}")
if [ -z "$bin" ]; then
    bin="$repo/target/release/healthpress"
    [ -x "$bin" ] || (cd "$repo" && cargo build --release --quiet)
fi
if [ ! -x /usr/bin/time ]; then
    echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2
    exit 2
fi

printf '%-22s %6s %9s %9s %9s  %s\n' case exit seconds peak_MB out_MB "first diagnostic"
for name in "${cases[@]}"; do
    root="$work/$name"
    [ -d "$root" ] || { echo "no case $name (see -l)" >&2; continue; }
    rm -rf "$root/public" "$root/editorial" "$root"/.healthpress-*
    set +e
    /usr/bin/time -f "%e %M" -o "$root/.time" \
        timeout "$limit" "$bin" --root "$root" build --as-of 2027-02-01 >"$root/.out" 2>&1
    code=$?
    set -e
    read -r secs kb < <(tail -n 1 "$root/.time")
    [ "$code" = 124 ] && code=timeout
    out_mb=$(du -sm "$root/public" 2>/dev/null | cut -f1 || true)
    first=$(grep -m1 -E 'error|warning' "$root/.out" | cut -c1-110 || true)
    printf '%-22s %6s %9s %9s %9s  %s\n' "$name" "$code" "$secs" "$((kb / 1024))" "${out_mb:--}" "$first"
    rm -rf "$root/public" "$root/editorial" "$root"/.healthpress-*
done
