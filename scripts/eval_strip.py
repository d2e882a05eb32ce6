"""Measure the boilerplate stripper on the dev data (needs ../shared).

    .venv/bin/python scripts/eval_strip.py [--show] [--cv [K]] [--speed] [--wrap W]

Prints the seed check, the dev F1 (word 4-gram shingles, as devscore), word recall on
clean articles (also with the "no furniture, keep it all" shortcut switched off, to show
what the segment finder alone keeps), and throughput beside ftfy.fix_text.

``--show`` lists every page's P/R. ``--cv K`` runs K-fold cross-validation over the
tunable weights of :mod:`newsrepair.strip.classifier` (a small grid): on each fold the
setting with the best F1 on the other pages is chosen and scored on the held-out pages,
so the printed CV F1 is what tuning on the dev pages is worth on pages it has not seen.
``--wrap W`` hard-wraps every line of the inputs (dev pages, seed, clean articles) at W
columns first, as some scrapers and e-mail digests do: the figures should barely move.
"""

from __future__ import annotations

import itertools
import json
import sys
import textwrap
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import regex

from newsrepair import Config
from newsrepair.strip import classifier, strip_boilerplate_and_explain

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
from benchmarks.metrics import shingle_prf, summarize_shingles  # noqa: E402  (the benchmark's metric)
TOK = regex.compile(r"\w+")
CFG = Config()

#: The grid searched by --cv: name -> values (the first is the shipped default).
GRID = {
    "table": [classifier.WEIGHTS["table"], 0.0, 0.6],
    "near": [classifier.WEIGHTS["near"], -3.0, -5.0],
    "short": [classifier.WEIGHTS["short"], -5.0, -7.0],
    "stop_max_words": [classifier.STOP_MAX_WORDS, 8],
    "box_min_share": [classifier.BOX_MIN_SHARE, 0.2, 0.05],
}


def hard_wrap(text: str, width: int) -> str:
    """``text`` with every line longer than ``width`` broken at spaces (like ``fmt``)."""
    return "\n".join("\n".join(textwrap.wrap(ln, width, break_long_words=False, break_on_hyphens=False))
                     if len(ln) > width else ln for ln in text.split("\n"))


def strip(t: str) -> str:
    return strip_boilerplate_and_explain(t, CFG)[0]


@contextmanager
def setting(values: dict) -> Iterator[None]:
    """Temporarily set the classifier's tunables."""
    saved = dict(classifier.WEIGHTS), classifier.STOP_MAX_WORDS, classifier.BOX_MIN_SHARE
    try:
        if "box_min_share" in values:
            classifier.BOX_MIN_SHARE = values["box_min_share"]
        for k in ("table", "near", "short"):
            if k in values:
                classifier.WEIGHTS[k] = values[k]
        if "stop_max_words" in values:
            classifier.STOP_MAX_WORDS = values["stop_max_words"]
        classifier._RULE_CACHE.clear()
        yield
    finally:
        classifier.WEIGHTS.clear()
        classifier.WEIGHTS.update(saved[0])
        classifier.STOP_MAX_WORDS = saved[1]
        classifier.BOX_MIN_SHARE = saved[2]
        classifier._RULE_CACHE.clear()


@contextmanager
def no_shortcut() -> Iterator[None]:
    """Switch off "no furniture evidence: keep the text as it is"."""
    import newsrepair.strip as pkg
    saved = pkg.has_furniture
    pkg.has_furniture = lambda lines: True
    try:
        yield
    finally:
        pkg.has_furniture = saved


def f1_of(prs: list[tuple[float, float]]) -> tuple[float, float, float]:
    m = summarize_shingles(prs)
    return m["precision"], m["recall"], m["f1"]


def clean_recall(docs: list[str]) -> float:
    kept = total = 0
    for t in docs:
        a = Counter(TOK.findall(t)); b = Counter(TOK.findall(strip(t)))
        kept += sum((a & b).values()); total += sum(a.values())
    return kept / total


def cross_validate(rows: list[dict], k: int) -> None:
    names = list(GRID)
    combos = [dict(zip(names, vals)) for vals in itertools.product(*(GRID[n] for n in names))]
    scores: list[list[tuple[float, float]]] = []
    for c in combos:
        with setting(c):
            scores.append([shingle_prf(r["article"], strip(r["scraped"])) for r in rows])
    folds = [[i for i in range(len(rows)) if i % k == f] for f in range(k)]
    held: list[tuple[float, float]] = []
    for f, test in enumerate(folds):
        train = [i for i in range(len(rows)) if i % k != f]
        best = max(range(len(combos)), key=lambda c: f1_of([scores[c][i] for i in train])[2])
        test_f1 = f1_of([scores[best][i] for i in test])[2]
        default_f1 = f1_of([scores[0][i] for i in test])[2]
        print(f"  fold {f}: chose {combos[best]}  held-out F1={test_f1:.4f} (default {default_f1:.4f})")
        held.extend(scores[best][i] for i in test)
    p, r, f = f1_of(held)
    print(f"{k}-fold CV over {len(combos)} settings: held-out P={p:.4f} R={r:.4f} F1={f:.4f}")
    p, r, f = f1_of(scores[0])
    best_all = max(range(len(combos)), key=lambda c: f1_of(scores[c])[2])
    print(f"  default setting on all pages F1={f:.4f}; best on all pages "
          f"{combos[best_all]} F1={f1_of(scores[best_all])[2]:.4f}")


def main() -> None:
    if not (SHARED / "data").is_dir():
        sys.exit(f"eval_strip.py needs the development data in {SHARED / 'data'}, which is not there")
    width = 0
    if "--wrap" in sys.argv:
        width = int(sys.argv[sys.argv.index("--wrap") + 1])
        print(f"(inputs hard-wrapped at {width} columns)")
    wrap = (lambda t: hard_wrap(t, width)) if width else (lambda t: t)
    seed = wrap((SHARED / "seeds/dvb_junta_russia_scraped.txt").read_text(encoding="utf-8"))
    exp = (SHARED / "seeds/dvb_junta_russia_expected.txt").read_text(encoding="utf-8")
    got = strip(seed)
    print("seed exact (whitespace aside):", got.split() == exp.split())
    rows = [json.loads(l) for l in open(SHARED / "data/boilerplate/dev.jsonl", encoding="utf-8")]
    rows = [dict(r, scraped=wrap(r["scraped"])) for r in rows]
    prs = []
    for i, r in enumerate(rows):
        p, rc = shingle_prf(r["article"], strip(r["scraped"]))
        prs.append((p, rc))
        if "--show" in sys.argv:
            print(f"{i:2d} P={p:.3f} R={rc:.3f} {r['url'][:80]}")
    p, rc, f = f1_of(prs)
    print(f"dev P={p:.4f} R={rc:.4f} F1={f:.4f}")
    clean = []
    for path in sorted((SHARED / "data/clean").glob("*.jsonl")):
        for l in open(path, encoding="utf-8"):
            d = json.loads(l)
            clean.append(wrap((d.get("title") or "") + "\n\n" + d["text"]))
    print(f"clean word recall={clean_recall(clean):.5f}")
    with no_shortcut():
        print(f"clean word recall without the no-furniture shortcut={clean_recall(clean):.5f}")
    if "--cv" in sys.argv:
        at = sys.argv.index("--cv")
        k = int(sys.argv[at + 1]) if at + 1 < len(sys.argv) and sys.argv[at + 1].isdigit() else 5
        cross_validate(rows, k)
    if "--speed" in sys.argv:
        import ftfy
        import newsrepair
        pages = [r["scraped"] for r in rows]
        for name, docs in (("dev pages", pages), ("clean articles", clean)):
            nbytes = sum(len(d.encode()) for d in docs)
            best = {}
            for _ in range(3):
                for fname, fn in (("ftfy.fix_text", ftfy.fix_text), ("strip_boilerplate", newsrepair.strip_boilerplate)):
                    classifier._RULE_CACHE.clear()  # no credit for lines seen in an earlier repeat
                    t0 = time.process_time()
                    for d in docs:
                        fn(d)
                    best[fname] = min(best.get(fname, 1e9), time.process_time() - t0)
            print(f"throughput on {name} ({nbytes / 1e6:.2f} MB): strip {nbytes / best['strip_boilerplate'] / 1e6:.1f} MB/s,"
                  f" ftfy.fix_text {nbytes / best['ftfy.fix_text'] / 1e6:.1f} MB/s,"
                  f" ratio {best['ftfy.fix_text'] / best['strip_boilerplate']:.2f}x")


if __name__ == "__main__":
    main()
