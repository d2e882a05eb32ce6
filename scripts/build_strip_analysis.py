"""Rebuild ``lexicons/strip_furniture.analysis.json`` from ``lexicons/strip_furniture.txt``.

Run after editing the furniture rules (``python scripts/build_strip_analysis.py``): the
stripper reads each rule's analysis (its possible line prefixes and required literal
text, :func:`newsrepair.strip.lexicon._analyse`) from this file instead of computing it
when the rules are first loaded; a test fails when the file is out of date.
"""

from __future__ import annotations

import pathlib

from newsrepair.strip.lexicon import ANALYSIS_FILE, analysis_file_text

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> None:
    rules = (ROOT / "lexicons" / "strip_furniture.txt").read_text(encoding="utf-8")
    out = ROOT / "lexicons" / ANALYSIS_FILE
    out.write_text(analysis_file_text(rules), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
