"""Build lexicons/gazetteer_proper.txt (words and word pairs that clean news capitalises)
and lexicons/gazetteer_names.txt (multi-word names, for restoring spun names).

Spin lexicons are lowercase, so a restored "united states" needs its capitals back. A
word (or a pair of words, such as "united states") is listed when, away from the start of a sentence, at least 90% of its (at least
five) occurrences in ``../shared/data/clean`` are capitalised. Only the word list is
shipped (derived counts, no text).

    python scripts/build_gazetteer.py
"""

from __future__ import annotations

import json
import pathlib
from collections import Counter

import regex

ROOT = pathlib.Path(__file__).resolve().parent.parent
CLEAN = ROOT.parent / "shared" / "data" / "clean"
WORD = regex.compile(r"[.!?:\"“”]|\n|\p{L}+(?:['’]\p{L}+)*")
SOURCE = "# Derived from the BBC (Greene & Cunningham 2006) and Reuters 2017 dev articles"


def articles():
    """The text of every clean dev article."""
    for name in ("bbc_dev.jsonl", "reuters_dev.jsonl"):
        for line in open(CLEAN / name, encoding="utf-8"):
            if line.strip():
                yield json.loads(line)["text"]


def write_list(name: str, header: list[str], items: list[str]) -> None:
    """Write ``lexicons/<name>``: comment lines, then one item per line."""
    out = ROOT / "lexicons" / name
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("".join(f"{h}\n" for h in header))
        fh.write("\n".join(items) + "\n")
    print(f"{len(items)} entries -> {out}")


def main() -> None:
    cap: Counter = Counter()
    low: Counter = Counter()
    cap2: Counter = Counter()
    low2: Counter = Counter()
    for text in articles():
        prev = "."
        for tok in WORD.findall(text):
            if tok[0].isalpha() and prev[0].isalpha():
                key = tok.lower()
                if tok[0].isupper() and not tok.isupper():
                    cap[key] += 1
                elif tok.islower():
                    low[key] += 1
                pair = f"{prev.lower()} {key}"
                if prev[0].isupper() and tok[0].isupper():
                    cap2[pair] += 1
                elif prev.islower() and tok.islower():
                    low2[pair] += 1
            prev = tok
    words = sorted(w for w, c in cap.items() if c + low[w] >= 5 and c >= 0.9 * (c + low[w]))
    words += sorted(p for p, c in cap2.items() if c + low2[p] >= 5 and c >= 0.9 * (c + low2[p])
                    and not all(w in cap and cap[w] >= 0.9 * (cap[w] + low[w]) for w in p.split()))
    write_list("gazetteer_proper.txt", [
        "# Words written capitalised mid-sentence in clean news (>= 90% of >= 5 uses).",
        SOURCE + ";", "# counts only. Rebuilt by scripts/build_gazetteer.py."], words)
    build_names()


NAME = regex.compile(r"\p{Lu}[\p{L}'’-]*(?:(?: (?:of|for|and|the|de|al))* \p{Lu}[\p{L}'’-]*)+")


def build_names() -> None:
    """lexicons/gazetteer_names.txt: capitalised multi-word names seen at least 3 times."""
    names: Counter = Counter()
    for text in articles():
        for para in text.split("\n"):
            for m in NAME.finditer(para):
                words = m.group().split(" ")
                if 2 <= len(words) <= 6 and not any(w.isupper() and len(w) > 1 for w in words):
                    names[m.group().replace("’", "'")] += 1
    keep = sorted(n for n, c in names.items() if c >= 3)
    write_list("gazetteer_names.txt", [
        "# Capitalised multi-word names seen at least 3 times in clean news (names only).",
        SOURCE + ".", "# Rebuilt by scripts/build_gazetteer.py."], keep)


if __name__ == "__main__":
    main()
