#!/usr/bin/env bash
# Proves a change kept the output byte for byte: builds the example site and
# a generated 1,000-article site with two healthpress binaries and compares
# every file of public/ and editorial/ (diff -r, so a missing or extra file
# fails too). Used for refactorings that must not change behaviour.
#
#   scripts/same-output.sh BEFORE_BIN [AFTER_BIN]
#
# BEFORE_BIN is a binary built from the commit before the change (e.g.
# `git worktree add /tmp/before main && cargo build` there); AFTER_BIN
# defaults to this tree's target/debug/healthpress. PAGES=10000 compares a
# larger corpus. The corpus is ../shared/bench/gen_corpus.py's, as of
# 2027-02-01 (every generated article public).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
before="${1:?usage: scripts/same-output.sh BEFORE_BIN [AFTER_BIN]}"
after="${2:-$here/target/debug/healthpress}"
pages="${PAGES:-1000}"
gen="${GEN_CORPUS:-$here/../../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || gen=/work/shared/bench/gen_corpus.py
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$gen" --tool healthpress --pages "$pages" --out "$work/corpus" >/dev/null
mkdir -p "$work/example"
cp -r "$here/site.yaml" "$here/calendar.yaml" "$here/content" "$work/example/"
[ -d "$here/themes" ] && cp -r "$here/themes" "$work/example/"
[ -d "$here/static" ] && cp -r "$here/static" "$work/example/"
status=0
for site in example corpus; do
  as_of=2026-11-23
  [ "$site" = corpus ] && as_of=2027-02-01
  for bin in before after; do
    exe="$before"; [ "$bin" = after ] && exe="$after"
    "$exe" --root "$work/$site" build --as-of "$as_of" \
      --out "$work/out-$site-$bin/public" --editorial-out "$work/out-$site-$bin/editorial" \
      >"$work/log-$site-$bin" 2>&1 || { echo "$site: $bin build failed:"; cat "$work/log-$site-$bin"; status=1; }
  done
  # The summary (counts, warnings) must match too, but for the time taken.
  for bin in before after; do
    sed -E 's/ in [0-9]+ ms/ in N ms/; s#'"$work"'/out-'"$site"'-(before|after)#OUT#g' "$work/log-$site-$bin" >"$work/summary-$site-$bin"
  done
  if ! diff "$work/summary-$site-before" "$work/summary-$site-after"; then
    echo "$site: the build summary differs"; status=1
  fi
  if diff -r "$work/out-$site-before" "$work/out-$site-after" >"$work/diff-$site"; then
    n=$(find "$work/out-$site-after" -type f | wc -l)
    echo "$site: identical ($n files)"
  else
    echo "$site: OUTPUT DIFFERS:"; head -40 "$work/diff-$site"; status=1
  fi
done
exit $status
