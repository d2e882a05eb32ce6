"""Rebuild the thesaurus lexicons spin_science.tsv and spin_general.tsv (format: lexicons/README.md).

    python scripts/build_thesaurus.py [--tortured FILE]

* ``spin_science.tsv`` — the optional "science" domain: tortured phrases found in
  published science papers, from the Problematic Paper Screener by Cabanac, Labbé and
  Magazinov (CC BY 4.0), by default ../shared/data/lexicon-sources/tortured_phrases_pps.json.
  Each tortured phrase maps to its correct phrase; a phrase with several corrections
  shares the weight among them.

* ``spin_general.tsv`` — spinner swaps that are not specific to one spinner, loaded
  with the ``science`` domain (a ``news`` candidate source until the hand-written
  ``spin_curated.tsv`` came, which made them cost precision): the one-word swaps inside the tortured phrases
  ("vitality source" -> "energy source" gives ``vitality -> energy``) that WordNet 3.0
  also lists as synonyms of each other (any sense; Debian package ``wordnet-base``,
  WordNet licence). Requiring both sources keeps the pairs that a synonym spinner really
  makes and drops the science wording ("function -> feature"). Weight:
  ``GENERAL_SCALE`` x the pair's share of the spun word's swaps; function words are left
  out. Inflected forms come from lemminflect (MIT; build time only).

WordNet synonyms alone were measured as a candidate source for news spin: at every
weight tried, edit precision on the dev pairs fell (0.83 -> 0.73-0.81) and the seed article
gained nothing, because the language model prefers the more frequent synonym ("regime" ->
"government"). So WordNet is used only as the filter above.

A source that is absent is skipped with a message; the existing file is left alone.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import re
from collections import Counter, defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from newsrepair.spin.lexicon import phrase_key  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "lexicon-sources"
HEADER = "# spun\toriginal\tweight\tsource\n"


def norm(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").split())


def build_science(src: pathlib.Path, out: pathlib.Path) -> None:
    if not src.exists():
        print(f"skipping spin_science.tsv: {src} is absent", file=sys.stderr)
        return
    data = json.loads(src.read_text(encoding="utf-8"))
    pairs: dict[str, set[str]] = defaultdict(set)
    for item in data["phrases"]:
        # the spun side in lexicon form (the tokenizer's, "10-fold" -> "10 - fold"), or it never matches
        spun, orig = phrase_key(item.get("tortured", "")), norm(item.get("correct", ""))
        if spun and orig and spun != orig and "\t" not in spun + orig:
            pairs[spun].add(orig)
    lines = [
        "# Tortured phrases from science papers -> the standard phrase (the 'science' domain).\n",
        f"# Source: {data.get('source', 'Problematic Paper Screener')}, licence {data.get('license', 'CC BY 4.0')};\n",
        "# rebuilt by scripts/build_thesaurus.py. Credit the source when redistributing.\n",
        HEADER,
    ]
    for spun in sorted(pairs):
        origs = sorted(pairs[spun])
        for orig in origs:
            lines.append(f"{spun}\t{orig}\t{1.0 / len(origs):.3f}\tpps\n")
    out.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {out}: {sum(len(v) for v in pairs.values())} entries")


WORDNET = pathlib.Path("/usr/share/wordnet")
#: Weight of general pairs relative to pairs learned from the spinner's own output.
GENERAL_SCALE = 0.3
_WN_TAGS = {"noun": ("NN", "NNS"), "verb": ("VB", "VBD", "VBG", "VBN", "VBZ"), "adj": ("JJ",), "adv": ("RB",)}
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\S")


def wordnet_synonyms() -> set[tuple[str, str]]:
    """Every ordered pair of one-word WordNet synonyms (any sense), in every inflection."""
    from lemminflect import getInflection

    pairs: set[tuple[str, str]] = set()
    for pos, tags in _WN_TAGS.items():
        for line in (WORDNET / f"data.{pos}").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(" "):
                continue
            parts = line.split()
            lemmas = {parts[4 + 2 * i].split("(")[0].lower() for i in range(int(parts[3], 16))}
            lemmas = sorted(w for w in lemmas if w.isalpha())
            if len(lemmas) < 2:
                continue
            tagged = {w: {t: (getInflection(w, tag=t) or [w])[0] for t in tags} for w in lemmas}
            for a in lemmas:
                for b in lemmas:
                    if a != b:
                        pairs.add((a, b))
                        pairs.update((tagged[a][t], tagged[b][t]) for t in tags)
    return pairs


def build_general(src: pathlib.Path, out: pathlib.Path) -> None:
    if not src.exists() or not (WORDNET / "data.noun").exists():
        print(f"skipping spin_general.tsv: needs {src} and WordNet in {WORDNET} "
              "(apt-get install wordnet-base)", file=sys.stderr)
        return
    sys.path.insert(0, str(ROOT / "src"))
    from newsrepair.spin import FUNCTION_WORDS

    swaps: dict[str, Counter] = defaultdict(Counter)
    for item in json.loads(src.read_text(encoding="utf-8"))["phrases"]:
        spun, orig = _WORD.findall(norm(item.get("tortured", ""))), _WORD.findall(norm(item.get("correct", "")))
        if len(spun) != len(orig):
            continue
        diff = [(a, b) for a, b in zip(spun, orig) if a != b]
        if 1 <= len(diff) <= 2:  # a word swap, not a rewording
            for a, b in diff:
                if a.isalpha() and b.isalpha() and a not in FUNCTION_WORDS and b not in FUNCTION_WORDS:
                    swaps[a][b] += 1
    synonyms = wordnet_synonyms()
    lines = [
        "# General spinner swaps: one-word swaps in tortured phrases (Problematic Paper Screener,\n",
        "# Cabanac, Labbe and Magazinov, CC BY 4.0) that WordNet 3.0 (WordNet licence) also lists\n",
        "# as synonyms. Rebuilt by scripts/build_thesaurus.py. Word pairs only.\n",
        HEADER,
    ]
    n = 0
    for spun in sorted(swaps):
        total = sum(swaps[spun].values())
        for orig, count in sorted(swaps[spun].items()):
            if (spun, orig) in synonyms:
                lines.append(f"{spun}\t{orig}\t{GENERAL_SCALE * count / total:.3f}\tgeneral:{count}\n")
                n += 1
    out.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {out}: {n} entries")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tortured", default=str(SHARED / "tortured_phrases_pps.json"))
    a = ap.parse_args()
    build_science(pathlib.Path(a.tortured), ROOT / "lexicons" / "spin_science.tsv")
    build_general(pathlib.Path(a.tortured), ROOT / "lexicons" / "spin_general.tsv")


if __name__ == "__main__":
    main()
