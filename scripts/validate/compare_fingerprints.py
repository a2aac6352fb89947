#!/usr/bin/env python3
"""The validation lane's check that scripts/fingerprint.py (an independent
Python implementation) and healthpress agree: for every article of each
site given, the v1 and v2 fingerprints, the files v2 covers with their
digests, and, for recorded approvals, the statement the reviewer signs.

Usage: compare_fingerprints.py HEALTHPRESS_BIN SITE_ROOT...
Exit 1 on any disagreement (each printed), 0 otherwise.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fingerprint  # noqa: E402  scripts/fingerprint.py


def healthpress(binary, root, *args):
    out = subprocess.run([binary, "--root", root, *args], cwd=root,
                         capture_output=True, text=True, timeout=60)
    return out.returncode, out.stdout, out.stderr


def python_side(path):
    text = fingerprint.read(path)
    data, body = fingerprint.front_matter(text)
    review = data.get("review") if isinstance(data.get("review"), dict) else {}
    two, files = fingerprint.v2(data, body, path)
    root, _ = fingerprint.content_dir(path)
    lines = [f"v1 {fingerprint.v1(data, body)}", f"v2 {two}"]
    lines += [f"file {f} {fingerprint.file_digest(os.path.join(root, *f.split('/')))}"
              for f in files]
    return "\n".join(lines) + "\n", fingerprint.statement(review)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary, roots = os.path.abspath(argv[0]), argv[1:]
    failures = compared = statements = 0
    for root in roots:
        root = os.path.abspath(root)
        for folder, _, names in sorted(os.walk(os.path.join(root, "content"))):
            for name in sorted(n for n in names if n.endswith(".md")):
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, root)
                code, rust, err = healthpress(binary, root, "approval", rel, "--fingerprints")
                if code != 0:
                    print(f"FAIL {rel}: healthpress approval --fingerprints: {err.strip()}")
                    failures += 1
                    continue
                py, statement = python_side(path)
                compared += 1
                if py != rust:
                    print(f"FAIL {rel}:\n  healthpress:\n    {rust.strip().replace(chr(10), chr(10) + '    ')}"
                          f"\n  fingerprint.py:\n    {py.strip().replace(chr(10), chr(10) + '    ')}")
                    failures += 1
                if statement is not None:
                    code, rust_statement, err = healthpress(binary, root, "approval", rel, "--statement")
                    statements += 1
                    if code != 0 or rust_statement != statement:
                        print(f"FAIL {rel}: statements differ\n  healthpress: {rust_statement!r} {err.strip()}"
                              f"\n  fingerprint.py: {statement!r}")
                        failures += 1
    print(f"{compared} articles compared (v1, v2, covered files), {statements} statements; "
          f"{failures} disagreement(s)")
    return 1 if failures or not compared else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
