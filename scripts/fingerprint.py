#!/usr/bin/env python3
"""Compute, check or write the approval fingerprint of healthpress articles.

The fingerprint (docs/product.md, "Approval fingerprint") is

    "sha256:" + hex(SHA-256(UTF-8(title + "\n" + summary + "\n" + body)))

where `body` is everything after the closing `---` line of the front matter,
with CRLF turned into LF and trailing whitespace stripped from its end.

Usage:
    scripts/fingerprint.py FILE...            print the current fingerprint of each file
    scripts/fingerprint.py --check FILE...    compare with the recorded `fingerprint:` value
    scripts/fingerprint.py --write FILE...    replace the recorded value in place

Only the standard library is used. The front matter is read with a tiny
line-based parser: `title:` and `summary:` must be top-level keys with a
single-line value (plain, 'single-quoted' or "double-quoted"). Anything
fancier (block scalars, multi-line values) is refused, because the result
could differ from what a real YAML parser sees.

--check exits 1 if any file's recorded fingerprint does not match its text,
or if a file cannot be read; files without a recorded fingerprint (e.g.
drafts) are reported but do not fail the check.
--write keeps every other byte of the file, including line endings.
"""

import hashlib
import re
import sys

USAGE = "usage: fingerprint.py [--check | --write] FILE..."


class FormatError(Exception):
    pass


def split_front_matter(text):
    """Returns (front_matter_lines, body, fm_start, fm_end) where the offsets
    delimit the front matter text (between the fences) in `text`."""
    if text.startswith("\ufeff"):
        text_offset = 1
    else:
        text_offset = 0
    lines = text[text_offset:].splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---" or not lines[0].endswith("\n"):
        raise FormatError("the file does not start with a `---` front matter line")
    offset = text_offset + len(lines[0])
    fm_start = offset
    for line in lines[1:]:
        if line.rstrip() == "---":
            fm_end = offset
            body = text[offset + len(line):]
            if not line.endswith("\n"):
                body = ""
            return text[fm_start:fm_end], body, fm_start, fm_end
        offset += len(line)
    raise FormatError("the front matter block is never closed by a `---` line")


def unquote(value, key):
    value = value.strip()
    if not value:
        raise FormatError(f"`{key}:` is empty or not on a single line")
    if value[0] == "'":
        if len(value) < 2 or value[-1] != "'":
            raise FormatError(f"`{key}:` has an unterminated single-quoted value")
        return value[1:-1].replace("''", "'")
    if value[0] == '"':
        if len(value) < 2 or value[-1] != '"':
            raise FormatError(f"`{key}:` has an unterminated double-quoted value")
        inner = value[1:-1]
        simple = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t"}
        out, i = [], 0
        while i < len(inner):
            c = inner[i]
            if c == "\\":
                if i + 1 >= len(inner) or inner[i + 1] not in simple:
                    raise FormatError(f"`{key}:` uses an escape this script does not support")
                out.append(simple[inner[i + 1]])
                i += 2
            else:
                out.append(c)
                i += 1
        return "".join(out)
    if value[0] in "|>":
        raise FormatError(f"`{key}:` is a block scalar; write it on one line")
    # Plain scalar: a ` #` starts a comment.
    m = re.search(r"\s#", value)
    if m:
        value = value[: m.start()].rstrip()
    return value


def top_level_value(front_matter, key):
    found = None
    for line in front_matter.splitlines():
        m = re.match(r"^" + re.escape(key) + r":(.*)$", line)
        if m:
            if found is not None:
                raise FormatError(f"`{key}:` appears twice")
            found = unquote(m.group(1), key)
    if found is None:
        raise FormatError(f"no top-level `{key}:` line")
    return found


def compute(text):
    front_matter, body, _, _ = split_front_matter(text)
    title = top_level_value(front_matter, "title")
    summary = top_level_value(front_matter, "summary")
    body = body.replace("\r\n", "\n").rstrip()
    data = (title + "\n" + summary + "\n" + body).encode("utf-8")
    return "sha256:" + hashlib.sha256(data).hexdigest()


FP_LINE = re.compile(r"^(?P<head>[ \t]*fingerprint:[ \t]*)(?P<value>[^\r\n]*?)(?P<tail>[ \t]*(?:#[^\r\n]*)?)(?P<eol>\r?\n?)$")


def fingerprint_lines(text):
    """Yields (start, end, match) for every `fingerprint:` line inside the front matter."""
    _, _, fm_start, fm_end = split_front_matter(text)
    offset = fm_start
    for line in text[fm_start:fm_end].splitlines(keepends=True):
        m = FP_LINE.match(line)
        if m:
            yield offset, offset + len(line), m
        offset += len(line)


def recorded(text):
    hits = list(fingerprint_lines(text))
    if not hits:
        return None
    if len(hits) > 1:
        raise FormatError("more than one `fingerprint:` line in the front matter")
    return hits[0][2].group("value").strip().strip("'\"") or None


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FormatError(f"not valid UTF-8: {e}")


def main(argv):
    mode = "print"
    files = []
    for arg in argv:
        if arg in ("--check", "--write"):
            if mode != "print":
                print(USAGE, file=sys.stderr)
                return 2
            mode = arg[2:]
        elif arg in ("-h", "--help"):
            print(__doc__)
            return 0
        elif arg.startswith("--"):
            print(f"unknown option {arg}\n{USAGE}", file=sys.stderr)
            return 2
        else:
            files.append(arg)
    if not files:
        print(USAGE, file=sys.stderr)
        return 2

    status = 0
    for path in files:
        try:
            text = read(path)
            current = compute(text)
            if mode == "print":
                print(f"{current}  {path}")
            elif mode == "check":
                old = recorded(text)
                if old is None:
                    print(f"none      {path}  (no fingerprint recorded)")
                elif old == current:
                    print(f"match     {path}")
                else:
                    print(f"MISMATCH  {path}  recorded {old}, text is {current}")
                    status = 1
            else:  # write
                hits = list(fingerprint_lines(text))
                if len(hits) != 1:
                    raise FormatError(
                        "needs exactly one `fingerprint:` line in the front matter to write to"
                        f" (found {len(hits)}); add `  fingerprint: sha256:` under `review:`"
                    )
                start, end, m = hits[0]
                line = m.group("head") + current + m.group("tail") + m.group("eol")
                new_text = text[:start] + line + text[end:]
                if new_text != text:
                    with open(path, "wb") as f:
                        f.write(new_text.encode("utf-8"))
                    print(f"wrote     {path}  {current}")
                else:
                    print(f"unchanged {path}  {current}")
        except (OSError, FormatError) as e:
            print(f"ERROR     {path}: {e}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
