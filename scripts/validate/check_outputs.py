#!/usr/bin/env python3
"""Checks healthpress output with the parsers the web uses.

Usage: check_outputs.py PUBLIC_DIR EDITORIAL_DIR

- every Atom feed (*.xml with a <feed> root) parses with feedparser, no bozo;
- every .ics parses with icalendar; every VEVENT has UID, DTSTAMP, DTSTART
  and a DTEND after DTSTART;
- every article's JSON-LD parses and is a MedicalWebPage with lastReviewed
  and reviewedBy;
- every digest email.html is under 102 KB and declares no width over 600 px;
- no e-mail and no feed entry holds a player (<iframe>, <video>), which no
  mail or feed client plays: a video's place there is its link.

Prints one line per problem and a closing 'N passed, N failed' line; exits 1
if anything failed.
"""
import json
import pathlib
import re
import sys
from html.parser import HTMLParser

import feedparser
import icalendar

GMAIL_CLIP_BYTES = 102 * 1024
MAX_EMAIL_WIDTH = 600

passed = 0
failed = 0


def ok(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")
    return cond


def check_feeds(roots):
    count = 0
    for root in roots:
        for path in sorted(root.rglob("*.xml")):
            head = path.read_text(encoding="utf-8", errors="replace")[:2000]
            if "<feed" not in head:
                continue
            count += 1
            parsed = feedparser.parse(path.read_bytes())
            ok(not parsed.bozo, f"{path}: feedparser bozo: {parsed.get('bozo_exception')}")
            ok(parsed.feed.get("title"), f"{path}: feed has no title")
            # The raw text: feedparser's sanitizer drops iframes itself.
            ok(not FEED_PLAYER.search(path.read_text(encoding="utf-8")), f"{path}: an entry holds a player")
            for entry in parsed.entries:
                ok(entry.get("link") and entry.get("id") and entry.get("updated"),
                   f"{path}: entry without link/id/updated: {entry.get('title')}")
    ok(count > 0, "no Atom feed found")
    return count


def check_calendars(roots):
    count = 0
    for root in roots:
        for path in sorted(root.rglob("*.ics")):
            count += 1
            try:
                cal = icalendar.Calendar.from_ical(path.read_bytes())
            except Exception as exc:  # the parser's own error is the message
                ok(False, f"{path}: does not parse: {exc}")
                continue
            ok(cal.get("VERSION") == "2.0" and cal.get("PRODID"), f"{path}: VERSION/PRODID missing")
            events = list(cal.walk("VEVENT"))
            for ev in events:
                name = f"{path}: VEVENT {ev.get('UID')}"
                ok(all(ev.get(k) is not None for k in ("UID", "DTSTAMP", "DTSTART", "DTEND")),
                   f"{name}: UID, DTSTAMP, DTSTART and DTEND are required")
                if ev.get("DTSTART") is not None and ev.get("DTEND") is not None:
                    ok(ev.decoded("DTEND") > ev.decoded("DTSTART"), f"{name}: DTEND is not after DTSTART")
    ok(count > 0, "no .ics file found")
    return count


class JsonLdFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks, self._in = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._in = True
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.blocks[-1] += data


def check_json_ld(public):
    count = 0
    for path in sorted((public / "articles").glob("*/index.html")):
        text = path.read_text(encoding="utf-8")
        # A withdrawn article's tombstone (noindex) is not a MedicalWebPage.
        if '<meta name="robots" content="noindex">' in text:
            continue
        count += 1
        finder = JsonLdFinder()
        finder.feed(text)
        if not ok(finder.blocks, f"{path}: no JSON-LD"):
            continue
        try:
            data = json.loads(finder.blocks[0])
        except json.JSONDecodeError as exc:
            ok(False, f"{path}: JSON-LD does not parse: {exc}")
            continue
        ok(data.get("@type") == "MedicalWebPage", f"{path}: @type is {data.get('@type')!r}")
        ok(data.get("lastReviewed"), f"{path}: no lastReviewed")
        ok(data.get("reviewedBy"), f"{path}: no reviewedBy")
    ok(count > 0, "no article page found")
    return count


PLAYER = re.compile(r"<(iframe|video)\b", re.I)
FEED_PLAYER = re.compile(r"(<|&lt;|&#60;|&#x3c;)(iframe|video)\b", re.I)
WIDTH_ATTR = re.compile(r"""\bwidth\s*=\s*["']?(\d+)""", re.I)
WIDTH_CSS = re.compile(r"""(?<![-\w])(?:max-)?width\s*:\s*(\d+)px""", re.I)


def check_emails(public):
    count = 0
    for path in sorted(public.rglob("email.html")):
        count += 1
        data = path.read_bytes()
        ok(len(data) < GMAIL_CLIP_BYTES, f"{path}: {len(data)} bytes, Gmail clips above {GMAIL_CLIP_BYTES}")
        # A media query's breakpoint is a condition, not a declared width.
        text = re.sub(r"@media[^{]*\{", "", data.decode("utf-8"))
        widths = [int(w) for w in WIDTH_ATTR.findall(text) + WIDTH_CSS.findall(text)]
        ok(all(w <= MAX_EMAIL_WIDTH for w in widths), f"{path}: declares a width over 600 px: {sorted(set(widths))}")
        ok(not PLAYER.search(text), f"{path}: holds a player (<iframe> or <video>)")
    ok(count > 0, "no digest email.html found")
    return count


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    public, editorial = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    feeds = check_feeds([public])
    calendars = check_calendars([editorial])
    articles = check_json_ld(public)
    emails = check_emails(public)
    print(f"checked {feeds} feeds, {calendars} calendars, {articles} articles' JSON-LD, {emails} e-mails")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
