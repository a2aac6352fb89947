"""Regenerates src/pinyin/chars.txt and src/pinyin/phrases.txt, the reading
tables behind slugs and heading ids (src/pinyin/mod.rs), from pypinyin's
data (MIT licence; pypinyin ships the pinyin-data and phrase-pinyin-data
projects' tables, also MIT):

    pip download --no-deps pypinyin==0.55.0 && unzip pypinyin-*.whl
    python3 scripts/pinyin/make_dict.py path/to/pypinyin

chars.txt    one line per Han character (U+3400-U+9FFF, U+F900-U+FAFF):
             the character and its most common reading, toneless.
phrases.txt  one line per phrase whose toneless reading differs from its
             characters' most common readings read one by one (the
             other phrases add nothing): the phrase, a tab, the readings.
Toneless: tone marks dropped, ü written v (pypinyin's "normal" style:
lv, nv, lve), so a slug is plain ASCII. Medical readings that differ from
the general dictionary live in src/pinyin/medical.txt, kept by hand, which
wins over both tables."""
import json
import sys
import unicodedata
from pathlib import Path


def toneless(reading: str) -> str:
    # NFD splits ǜ into u, diaeresis, grave: the diaeresis makes it v.
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    decomposed = decomposed.replace("U\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def main() -> None:
    src = Path(sys.argv[1])
    out = Path(__file__).resolve().parents[2] / "src" / "pinyin"
    chars = json.loads((src / "pinyin_dict.json").read_text(encoding="utf-8"))
    phrases = json.loads((src / "phrases_dict.json").read_text(encoding="utf-8"))
    default = {}
    for code, readings in chars.items():
        cp = int(code)
        if 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF:
            default[chr(cp)] = toneless(readings.split(",")[0])
    lines = [f"{c} {default[c]}" for c in sorted(default)]
    (out / "chars.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kept = []
    for phrase in sorted(phrases):
        readings = [toneless(r[0]) for r in phrases[phrase]]
        if len(readings) != len(phrase) or not all(c in default for c in phrase):
            continue
        if readings != [default[c] for c in phrase]:
            kept.append(f"{phrase}\t{' '.join(readings)}")
    (out / "phrases.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(lines)} characters, {len(kept)} of {len(phrases)} phrases kept")


main()
