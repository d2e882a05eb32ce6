"""Rebuild lexicons/detect_clean_rates.tsv: how each spin signature phrase scores in clean
news that the language model never saw.

    python scripts/build_clean_rates.py [--out lexicons/detect_clean_rates.tsv]

The 2,375 clean articles of ../shared/data/clean are split in four folds; each fold is
scored by a language model counted from the other three (``scripts/clean_folds.py``), as
news a user brings is. For every signature phrase met, the file keeps how often it stood
there and the sum of the posteriors of its best restoration. Detection counts only the
part of a phrase's posterior above that clean-news mean (``newsrepair.spin.detect.
clean_discount``): "within" (for "in") looks spun in most clean articles that hold it,
and so proves little. Counts only: no text is shipped. Run it again after a change to the
lexicons, the language model or the decoder's detection scoring.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from clean_folds import clean_documents, clean_rates, heldout_rows  # noqa: E402

HEADER = """\
# How each spin signature phrase scores in clean news the language model never saw:
# the 2,375 articles of BBC News 2004-05 and Reuters 2017 in ../shared/data/clean, in
# four folds, each scored by a model counted from the other three. Detection counts only
# the part of a phrase's posterior above its mean here (newsrepair.spin.detect.clean_discount).
# Counts only (no text). Rebuilt by scripts/build_clean_rates.py. Format: lexicons/README.md.
# phrase\toccurrences\tsum of posteriors
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "lexicons" / "detect_clean_rates.tsv"))
    a = ap.parse_args()
    docs = clean_documents()
    with tempfile.TemporaryDirectory() as tmp:
        rows, _models = heldout_rows(docs, tmp)
    rates = clean_rates(article for _fold, article in rows.values())
    lines = [f"{key}\t{n}\t{total:.3f}" for key, (n, total) in sorted(rates.items())]
    pathlib.Path(a.out).write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {a.out}: {len(lines)} phrases, {sum(n for n, _ in rates.values())} occurrences "
          f"in {len(docs)} articles")


if __name__ == "__main__":
    main()
