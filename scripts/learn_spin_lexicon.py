"""Rebuild lexicons/spin_learned.tsv from the development data's aligned spun/original news.

Sources (development data, not shipped): ``../shared/data/spin/dev_pairs.jsonl`` and
``dev_pairs_noisy.jsonl``. The learning itself is ``newsrepair.spin.learn`` (its
docstring describes the alignment, the filters and the weights), which users can run on
pairs of their own. Pairs from the noisy file count like the others (leave one article
out, they add recall at the same precision), although those originals differ from the
spun text in other ways too. No sentence is written; only word pairs and their weights.

    python scripts/learn_spin_lexicon.py [--exclude ID ...] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from newsrepair.spin.learn import format_tsv, learn_pairs  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "spin"
HEADER = ("Spinner substitutions learned from aligned spun/original news (dev pairs).\n"
          "Rebuilt by scripts/learn_spin_lexicon.py; word pairs and weights only, no text.")


def learn(exclude: set[str] = frozenset()) -> list[tuple[str, str, float, int]]:
    """(spun, original, weight, count) rows learned from the dev pairs minus ``exclude``."""
    pairs = []
    for name in ("dev_pairs.jsonl", "dev_pairs_noisy.jsonl"):
        for line in open(DATA / name, encoding="utf-8"):
            if line.strip():
                d = json.loads(line)
                if d.get("id") not in exclude:
                    pairs.append((d["spun"], d["original"]))
    return learn_pairs(pairs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exclude", nargs="*", default=[], help="pair ids to leave out")
    ap.add_argument("--out", default=str(ROOT / "lexicons" / "spin_learned.tsv"))
    a = ap.parse_args()
    rows = learn(set(a.exclude))
    pathlib.Path(a.out).write_text(format_tsv(rows, "learned", HEADER), encoding="utf-8")
    print(f"{len(rows)} entries -> {a.out}")


if __name__ == "__main__":
    main()
