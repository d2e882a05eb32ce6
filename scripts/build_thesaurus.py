"""Rebuild the thesaurus lexicon lexicons/spin_science.tsv (format: see lexicons/README.md).

    python scripts/build_thesaurus.py [--tortured FILE]

* ``spin_science.tsv`` — the optional "science" domain: tortured phrases found in
  published science papers, from the Problematic Paper Screener by Cabanac, Labbé and
  Magazinov (CC BY 4.0), by default ../shared/data/lexicon-sources/tortured_phrases_pps.json.
  Each tortured phrase maps to its correct phrase; a phrase with several corrections
  shares the weight among them.

WordNet synonyms were tried as a broad candidate source for news spin and measured:
at every weight tried, edit precision on the dev pairs fell (0.83 -> 0.73-0.81) and the
seed article gained nothing, because the language model prefers the more frequent
synonym ("regime" -> "government"). So no WordNet lexicon is built or shipped.

A source that is absent is skipped with a message; the existing file is left alone.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
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
        spun, orig = norm(item.get("tortured", "")), norm(item.get("correct", ""))
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tortured", default=str(SHARED / "tortured_phrases_pps.json"))
    a = ap.parse_args()
    build_science(pathlib.Path(a.tortured), ROOT / "lexicons" / "spin_science.tsv")


if __name__ == "__main__":
    main()
