#!/usr/bin/env python3
"""Compute, check or write approval fingerprints of healthpress articles, and
print the statement a reviewer signs, independently of healthpress.

Both definitions (docs/review-workflow.md, "Fingerprint v2, exactly"):

v1  "sha256:" + hex(SHA-256(UTF-8(title + "\\n" + summary + "\\n" + body)))
    where body is everything after the closing `---` line, CRLF turned
    into LF, trailing whitespace removed.

v2  "sha256v2:" + hex SHA-256 of the line "healthpress-fingerprint-v2\\n"
    followed by records NAME SP LEN LF VALUE LF (LEN = decimal byte length
    of the UTF-8 VALUE): title, summary, body (CRLF -> LF, trailing spaces,
    tabs, CR and LF removed), lang (as written, empty if absent), one
    audience / specialty / season / source record per list item in order,
    reviewer, review-date, then per local file the body embeds, sorted by
    path: file (path relative to content/, "/"-separated) and file-sha256
    (hex digest of its bytes, or "missing").

Usage:
    fingerprint.py [--v1 | --v2] FILE...      print current fingerprints (both by default)
    fingerprint.py --check FILE...            compare with the recorded `fingerprint:`
    fingerprint.py --write FILE...            replace the recorded value (same version;
                                              refused for a signed approval)
    fingerprint.py --statement FILE           print the statement of the recorded approval
    fingerprint.py --json FILE...             v1, v2, embedded files and statement as JSON

FILE must lie under the site's `content/` folder (embedded files are found
relative to it). Needs PyYAML (front matter, read with BaseLoader so every
scalar stays the text as written) and markdown-it-py with mdit-py-plugins
(CommonMark with tables and footnotes, to find images and links as a
Markdown parser does, not by regex):
`pip install -r scripts/validate/requirements.txt`.

--check exits 1 if a recorded fingerprint does not match, or a file cannot be
read; files without one (drafts) are reported but do not fail.
"""

import hashlib
import json
import os
import re
import sys

try:
    import yaml
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
except ImportError as e:  # pragma: no cover - environment problem
    sys.exit(f"fingerprint.py needs PyYAML, markdown-it-py and mdit-py-plugins ({e}); "
             "pip install -r scripts/validate/requirements.txt")

USAGE = "usage: fingerprint.py [--v1 | --v2 | --check | --write | --statement | --json] FILE..."
V2_HEADER = b"healthpress-fingerprint-v2\n"
VIDEO = ("mp4", "webm", "m4v")
# Extensions a plain link publishes as a download (src/assets kind_of);
# every relative image is a local file whatever its extension.
PUBLISHED = ("png", "jpg", "jpeg", "gif", "webp", "svg") + VIDEO + (
    "vtt", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "csv", "txt", "zip",
    "mp3", "m4a", "ics")


class FormatError(Exception):
    pass


def split_front_matter(text):
    """(yaml text, body, yaml start offset, yaml end offset)."""
    start = 1 if text.startswith("\ufeff") else 0
    lines = text[start:].splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---" or not lines[0].endswith("\n"):
        raise FormatError("the file does not start with a `---` front matter line")
    offset = start + len(lines[0])
    fm_start = offset
    for line in lines[1:]:
        if line.rstrip() == "---":
            body = text[offset + len(line):] if line.endswith("\n") else ""
            return text[fm_start:offset], body, fm_start, offset
        offset += len(line)
    raise FormatError("the front matter block is never closed by a `---` line")


def front_matter(text):
    fm, body, _, _ = split_front_matter(text)
    try:
        data = yaml.load(fm, Loader=yaml.BaseLoader) or {}
    except yaml.YAMLError as e:
        raise FormatError(f"front matter is not valid YAML: {e}")
    if not isinstance(data, dict):
        raise FormatError("front matter is not a mapping")
    return data, body


def text_of(data, key):
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FormatError(f"`{key}:` is not text")
    return value


def list_of(data, key):
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):  # `key: a` is refused by healthpress
        raise FormatError(f"`{key}:` is not a list")
    return [str(v) for v in value]


def scheme_of(url):
    """A URL's scheme the way browsers find one (src/markdown/links.rs)."""
    scheme = ""
    for c in url.lstrip("".join(chr(i) for i in range(33))):
        if c in "\t\n\r":
            continue
        if c == ":" and scheme:
            return scheme
        if c.isascii() and c.isalpha():
            scheme += c.lower()
        elif scheme and (c.isascii() and c.isdigit() or c in "+-."):
            scheme += c
        else:
            return None
    return None


def percent_decode(s):
    if "%" not in s:
        return s
    raw, out, i = s.encode("utf-8"), bytearray(), 0
    while i < len(raw):
        if raw[i] == 0x25 and i + 2 < len(raw):
            pair = raw[i + 1:i + 3].decode("latin-1")
            if all(c in "0123456789abcdefABCDEF" for c in pair):
                out.append(int(pair, 16))
                i += 3
                continue
        out.append(raw[i])
        i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return s


def resolve(source_dir, path):
    """content/-relative parts of `path` seen from `source_dir`, or None if it climbs out."""
    parts = [p for p in source_dir.split("/") if p]
    for segment in re.split(r"[/\\]", percent_decode(path)):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(segment)
    return parts or None


def local_target(dest, source_dir, image):
    dest = dest.strip()
    if not dest or scheme_of(dest) is not None or dest[0] in "/\\#?":
        return None
    path = re.split(r"[#?]", dest, maxsplit=1)[0]
    if not path or path.lower().endswith(".md"):
        return None
    ext = path.rsplit(".", 1)[1].lower() if "." in path else None
    if not image and ext not in PUBLISHED:
        return None
    return resolve(source_dir, path)


def parser():
    # healthpress parses with tables, strikethrough and footnotes on.
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)
    md.normalizeLink = lambda url: url  # keep destinations as written
    md.validateLink = lambda url: True
    return md


def walk(tokens):
    for t in tokens:
        yield t
        if t.children:
            yield from walk(t.children)


def embedded_files(body, source_dir):
    """Sorted "/"-joined content/-relative paths of the local files `body` embeds or links."""
    found = []
    for t in walk(parser().parse(body)):
        if t.type == "image":
            dest, image = t.attrs.get("src", ""), True
        elif t.type == "link_open":
            dest, image = t.attrs.get("href", ""), False
        else:
            continue
        parts = local_target(dest, source_dir, image)
        if parts is None:
            continue
        path = "/".join(parts)
        found.append(path)
        name = parts[-1]
        if image and "." in name and name.rsplit(".", 1)[1].lower() in VIDEO:
            stem = path[: len(path) - len(name)] + name.rsplit(".", 1)[0]
            found.extend(f"{stem}.{ext}" for ext in ("vtt", "jpg", "png"))
    return sorted(set(found), key=lambda p: p.encode("utf-8"))


def content_dir(path):
    """(site's content/ folder, the article's folder relative to it): the
    outermost `content` folder beside a site.yaml, else the innermost."""
    parts = os.path.abspath(path).split(os.sep)
    found = [i for i, p in enumerate(parts[:-1]) if p == "content"]
    if not found:
        raise FormatError("the file is not under a `content/` folder")
    beside_config = [i for i in found
                     if os.path.isfile(os.sep.join(parts[:i] + ["site.yaml"]))]
    i = (beside_config or found[-1:])[0]
    return os.sep.join(parts[: i + 1]), "/".join(parts[i + 1:-1])


def file_digest(path):
    if os.path.islink(path) or not os.path.isfile(path):
        return "missing"
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def v1(data, body):
    body = body.replace("\r\n", "\n").rstrip()
    joined = text_of(data, "title") + "\n" + text_of(data, "summary") + "\n" + body
    return "sha256:" + hashlib.sha256(joined.encode("utf-8")).hexdigest()


def v2(data, body, path):
    review = data.get("review") if isinstance(data.get("review"), dict) else {}
    root, folder = content_dir(path)
    h = hashlib.sha256(V2_HEADER)

    def record(name, value):
        value = value.encode("utf-8")
        h.update(f"{name} {len(value)}\n".encode("utf-8") + value + b"\n")

    record("title", text_of(data, "title"))
    record("summary", text_of(data, "summary"))
    record("body", body.replace("\r\n", "\n").rstrip(" \t\r\n"))
    record("lang", text_of(data, "lang"))
    for key, name in (("audience", "audience"), ("specialty", "specialty"),
                      ("season", "season"), ("sources", "source")):
        for item in list_of(data, key):
            record(name, item)
    record("reviewer", text_of(review, "reviewer"))
    record("review-date", text_of(review, "date"))
    files = embedded_files(body, folder)
    for f in files:
        record("file", f)
        record("file-sha256", file_digest(os.path.join(root, *f.split("/"))))
    return "sha256v2:" + h.hexdigest(), files


def statement(review):
    fp = text_of(review, "fingerprint")
    if not (text_of(review, "reviewer") and text_of(review, "date") and fp):
        return None
    return ("healthpress approval\n" f"reviewer: {review['reviewer']}\n"
            f"date: {review['date']}\n" f"fingerprint: {fp}\n")


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FormatError(f"not valid UTF-8: {e}")


FP_LINE = re.compile(r"^(?P<head>[ \t]+fingerprint:[ \t]*)(?P<value>[^\r\n]*?)(?P<tail>[ \t]*(?:#[^\r\n]*)?)(?P<eol>\r?\n?)$")


def write(path, text, current):
    _, _, start, end = split_front_matter(text)
    hits, offset = [], start
    for line in text[start:end].splitlines(keepends=True):
        m = FP_LINE.match(line)
        if m:
            hits.append((offset, offset + len(line), m))
        offset += len(line)
    if len(hits) != 1:
        raise FormatError(f"needs exactly one `fingerprint:` line under `review:` (found {len(hits)})")
    a, b, m = hits[0]
    new = text[:a] + m.group("head") + current + m.group("tail") + m.group("eol") + text[b:]
    if new != text:
        with open(path, "wb") as f:
            f.write(new.encode("utf-8"))
    return new != text


def main(argv):
    modes = [a for a in argv if a.startswith("--")]
    files = [a for a in argv if not a.startswith("--")]
    if "-h" in argv or "--help" in modes:
        print(__doc__)
        return 0
    known = {"--v1", "--v2", "--check", "--write", "--statement", "--json"}
    if len(modes) > 1 or any(m not in known for m in modes) or not files:
        print(USAGE, file=sys.stderr)
        return 2
    mode = modes[0][2:] if modes else "print"
    status, out = 0, {}
    for path in files:
        try:
            text = read(path)
            data, body = front_matter(text)
            review = data.get("review") if isinstance(data.get("review"), dict) else {}
            one, (two, files_) = v1(data, body), v2(data, body, path)
            recorded = text_of(review, "fingerprint") or None
            current = two if recorded and recorded.startswith("sha256v2:") else one
            if mode == "json":
                out[path] = {"v1": one, "v2": two, "files": files_, "statement": statement(review)}
            elif mode == "statement":
                s = statement(review)
                if s is None:
                    raise FormatError("no complete approval recorded (reviewer, date, fingerprint)")
                sys.stdout.write(s)
            elif mode in ("print", "v1", "v2"):
                for fp in {"print": (one, two), "v1": (one,), "v2": (two,)}[mode]:
                    print(f"{fp}  {path}")
            elif mode == "check":
                if recorded is None:
                    print(f"none      {path}  (no fingerprint recorded)")
                elif recorded == current:
                    print(f"match     {path}")
                else:
                    print(f"MISMATCH  {path}  recorded {recorded}, text is {current}")
                    status = 1
            else:  # write
                if text_of(review, "signature"):
                    raise FormatError("the approval is signed; a new fingerprint needs the reviewer's "
                                      "new signature: `healthpress approve FILE --reviewer ID --key KEY`")
                changed = write(path, text, current)
                print(f"{'wrote    ' if changed else 'unchanged'} {path}  {current}")
        except (OSError, FormatError) as e:
            print(f"ERROR     {path}: {e}", file=sys.stderr)
            status = 1
    if mode == "json":
        print(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
