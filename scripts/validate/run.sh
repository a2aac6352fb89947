#!/usr/bin/env bash
# The output-validation lane: builds the example site and checks what it
# produced with the tools the web uses.
#
#   - Nu HTML Checker (vnu-jar, run with the machine's Java): every .html
#     page under public/ and editorial/ with zero errors;
#   - headless Chromium (Debian's chromium through playwright-core) with
#     axe-core: home, an article, term pages, a digest and the schedule, no
#     serious/critical violations, no console errors, screenshots at 390 px
#     and 1280 px saved under target/validate/screenshots/; every digest
#     email.html renders at 600 px without horizontal scrolling; every
#     page of the example site and of fixtures/phone/ (wide tables, long
#     URLs, long code lines, video players, wide images) at 320 px without
#     horizontal scrolling, and the fixture's e-mails at 600 px;
#   - WeChat posts (wechat.mjs): the "复制到公众号" button clicked with the
#     clipboard permission granted, the clipboard's HTML equal to the post's
#     wechat.html, screenshots at 375 px;
#   - site search (search.mjs): queries typed into the search box in
#     Chromium, each expecting its article first (docs/search.md);
#   - Python feedparser (every Atom feed, no bozo), icalendar (every .ics),
#     JSON-LD of every article, e-mail size and width, no player in an
#     e-mail or feed; for the example site and fixtures/phone/;
#   - a ward poster printed with `chromium --print-to-pdf` (poster_pdf.mjs):
#     exactly one A4 page. (Redirect pages and posters are .html under
#     public/, so the Nu HTML Checker above covers them.)
#   - scripts/fingerprint.py, the independent Python implementation of the
#     approval fingerprints (v1, v2) and statements, against healthpress on
#     every example article and fixtures/fingerprints/ (compare_fingerprints.py).
#
# Usage: scripts/validate/run.sh [--install]
#   --install  first install what the lane needs (Debian chromium and a JRE,
#              npm and PyPI packages); CI passes it, a developer runs it once.
# Environment: HEALTHPRESS_BIN (default target/debug/healthpress, built if
#   missing), VALIDATE_AS_OF (default 2026-11-23, the example site's "today").
# Writes only under target/validate/ and scripts/validate/node_modules/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

if [[ "${1:-}" == "--install" ]]; then
  echo "== installing the validation tools"
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v java >/dev/null || missing+=(default-jre-headless)
  fc-list 2>/dev/null | grep -qi "noto.*cjk" || missing+=(fonts-noto-cjk)
  if ((${#missing[@]})); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  (cd "$here" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error)
  python3 -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi

bin="${HEALTHPRESS_BIN:-$repo/target/debug/healthpress}"
[[ -x "$bin" ]] || cargo build --locked --quiet
out="$repo/target/validate"
rm -rf "$out/site" "$out/screenshots"
mkdir -p "$out/site"

echo "== building the example site as of ${VALIDATE_AS_OF:-2026-11-23}"
"$bin" build --as-of "${VALIDATE_AS_OF:-2026-11-23}" \
  --out "$out/site/public" --editorial-out "$out/site/editorial"

echo "== building the phone fixture (wide tables, long URLs, long code lines, video players)"
rm -rf "$out/phone"
"$bin" --root "$here/fixtures/phone" build --as-of 2026-10-12 \
  --out "$out/phone/public" --editorial-out "$out/phone/editorial" >/dev/null
status=0
# Every fixture article must be on the site: one whose approval went stale
# (a fingerprint change) or that a compliance rule withholds would drop out
# silently and its players, tables and URLs would go unchecked.
articles=$(find "$here/fixtures/phone/content" -name '*.md' | wc -l)
published=$(find "$out/phone/public/articles" -mindepth 2 -maxdepth 2 -name index.html | wc -l)
if [[ "$articles" != "$published" ]]; then
  echo "FAIL: fixtures/phone: $published of $articles articles published; see \`healthpress --root $here/fixtures/phone check --as-of 2026-10-12\`"
  status=1
fi
# The phone fixture's pages and digest e-mails too: its articles hold the
# wide tables, long URLs, code blocks, callouts, images and video players
# (Bilibili, Tencent Video, YouTube, a sandboxed site-defined host, a host
# that is not allowed, self-hosted <video> with <track>) that pages and
# e-mails render differently.
echo "== Nu HTML Checker"
pages=$(find "$out/site/public" "$out/site/editorial" "$out/phone/public" "$out/phone/editorial" -name '*.html' | wc -l)
# Two e-mail conventions are not web HTML and are filtered by exact message:
# the sender's merge tags (*|UNSUB|*, {{ UnsubscribeURL }}) stand in an href
# until the e-mail platform replaces them at send time, and Outlook's
# `mso-hide: all` keeps the hidden preheader hidden in Outlook.
filter='.*Bad value “(\*\|[A-Z_]+\|\*|\{\{ ?[A-Za-z]+ ?\}\})” for attribute “href” on element “a”.*|.*CSS: “mso-hide”: Property “mso-hide” doesn.t exist.*'
if java -jar "$here/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only --skip-non-html \
    --filterpattern "$filter" \
    "$out/site/public" "$out/site/editorial" "$out/phone/public" "$out/phone/editorial"; then
  echo "$pages passed, 0 failed (HTML pages)"
else
  echo "Nu HTML Checker reported errors in the pages above"
  status=1
fi

echo "== feeds, calendars, JSON-LD, e-mail size"
python3 "$here/check_outputs.py" "$out/site/public" "$out/site/editorial" || status=1
python3 "$here/check_outputs.py" "$out/phone/public" "$out/phone/editorial" || status=1

echo "== scripts/fingerprint.py (independent Python) agrees with healthpress on v1, v2 and statements"
python3 "$here/compare_fingerprints.py" "$bin" "$repo" "$here/fixtures/fingerprints" || status=1

echo "== headless Chromium: axe-core, console, screenshots, e-mail width, 320 px pages"
node "$here/browser.mjs" "$out/site/public" "$out/site/editorial" "$out/screenshots" \
  "$out/phone/public" || status=1
echo "== WeChat posts: the copy button and the clipboard in headless Chromium, 375 px"
base_url=$(sed -n 's/^base_url:[[:space:]]*\([^[:space:]#]*\).*/\1/p' site.yaml | head -1)
node "$here/wechat.mjs" "$out/site/public" "$out/site/editorial" "$out/screenshots" "$base_url" || status=1
echo "screenshots: $out/screenshots"

echo "== site search: queries typed into the search box in headless Chromium"
node "$here/search.mjs" "$out/site/public" || status=1

echo "== a ward poster printed to PDF by headless Chromium: exactly one A4 page"
node "$here/poster_pdf.mjs" "$out/site/public" "$out/poster.pdf" || status=1

exit $status
