"""Clean news the language model has never seen: models counted without some articles.

The shipped language model is counted from the 2,375 clean articles in
../shared/data/clean. Scored with it, those articles look more likely than news a user
brings, because the model knows their very word triples. To measure (and to fit) what
detection does on unseen news, this module splits the articles into folds and counts a
model from all the other folds for each (``scripts/build_ngrams.py``; the broad bigram
counts stay the shipped ones). Used by ``scripts/build_clean_rates.py`` and
``scripts/eval_spin.py clean``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pathlib
import random
import sys
from collections import Counter, defaultdict
from typing import Iterable

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "scripts"))

import build_ngrams  # noqa: E402

from newsrepair.config import Config  # noqa: E402
from newsrepair.langmodel import NgramLM  # noqa: E402
from newsrepair.spin import SpinModel  # noqa: E402
from newsrepair.spin.detect import lowercase  # noqa: E402

FILES = ("clean/bbc_dev.jsonl", "clean/reuters_dev.jsonl")
FOLDS = 4

#: (fold, [(signature phrase, posterior), ...]) for each article, by its index
Rows = dict[int, tuple[int, list[tuple[str, float]]]]


def clean_documents() -> list[dict]:
    """The clean articles (``title`` and ``text``), in file order."""
    docs = []
    for name in FILES:
        with open(SHARED / "data" / name, encoding="utf-8") as fh:
            docs.extend(json.loads(line) for line in fh if line.strip())
    return docs


def folds(n: int, k: int = FOLDS) -> list[set[int]]:
    """``k`` folds of the indices ``0..n-1``, shuffled with a fixed seed."""
    order = list(range(n))
    random.Random(0).shuffle(order)
    return [set(order[i::k]) for i in range(k)]


def model_without(docs: list[dict], left_out: set[int], config: Config, tmp: str,
                  rates: dict[str, tuple[int, float]] | None = None) -> SpinModel:
    """A :class:`SpinModel` whose language model was counted from ``docs`` except those at
    the indices ``left_out`` (written under the directory ``tmp``, once per set), with
    detection's clean-news ``rates`` if given (see :func:`rates_without`)."""
    name = hashlib.sha1(",".join(map(str, sorted(left_out))).encode()).hexdigest()[:12]
    out = pathlib.Path(tmp, f"lm-without-{name}")
    if not out.exists():
        kept = [build_ngrams.document(d) for i, d in enumerate(docs) if i not in left_out]
        build_ngrams.build(kept, out, _shipped_books(), quiet=True)
    model = SpinModel(config, lm=NgramLM.load(out))
    if rates is not None:
        model.clean_rates = rates
    return model


@functools.cache
def _shipped_books() -> Counter:
    """The shipped broad bigram counts, read once for all the models built here (only read)."""
    return build_ngrams.shipped_books_bigrams()


def signature_rows(model: SpinModel, text: str) -> list[tuple[str, float]]:
    """Each signature phrase of ``text`` (its lexicon form) with the posterior of its best
    restoration, as detection scores it before the clean-news discount (none when
    detection would not read the text as English)."""
    low = lowercase(text)
    if not model.word_stats(low)[1]:
        return []
    return [(key, p) for _start, _end, key, p, *_ in model._scored_phrases(low)]


def heldout_rows(docs: list[dict], tmp: str, k: int = FOLDS) -> tuple[Rows, list[SpinModel]]:
    """The signature rows of every article, each scored by the model of its fold (counted
    without that fold), and those ``k`` models (default configuration)."""
    rows: Rows = {}
    models = []
    for f, fold in enumerate(folds(len(docs), k)):
        model = model_without(docs, fold, Config(), tmp)
        models.append(model)
        for i in sorted(fold):
            rows[i] = (f, signature_rows(model, docs[i]["text"]))
    return rows, models


def rates_without(rows: Rows, left_out: set[int]) -> dict[str, tuple[int, float]]:
    """:func:`clean_rates` of the articles of ``rows`` except those at the indices
    ``left_out``: the rates to score those articles (or text made from them) with."""
    return clean_rates(article for i, (_fold, article) in rows.items() if i not in left_out)


def clean_rates(rows: Iterable[list[tuple[str, float]]]) -> dict[str, tuple[int, float]]:
    """``{phrase: (occurrences, sum of posteriors)}`` over the articles' rows."""
    n: dict[str, int] = defaultdict(int)
    total: dict[str, float] = defaultdict(float)
    for article in rows:
        for key, p in article:
            n[key] += 1
            total[key] += p
    return {key: (n[key], total[key]) for key in n}
