"""The quality figures of the benchmark, implemented here so that the project does not
depend on the development tools.

Spin reversal is scored span by span, in the manner of grammatical-error-correction
scorers: the *reference* edits are the token spans where the spun text differs from the
original; the *system* edits are the spans where the repaired text differs from the
spun text. A system edit is correct when it replaces the same spun span with the same
tokens as the original.

    >>> s = score_pair("the navy said", "the military said", "the military said")
    >>> (s["tp"], s["fp"], s["fn"])
    (1, 0, 0)
    >>> summarize([s])["f0.5"]
    1.0

Boilerplate is scored with word 4-gram shingles, precision and recall per document,
averaged over documents (the metric of the article-extraction benchmark).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from difflib import SequenceMatcher
from typing import Iterable, Sequence

__all__ = [
    "tokens", "edit_distance", "score_pair", "summarize", "harm", "summarize_harm",
    "roc_auc", "rates", "shingle_prf", "summarize_shingles", "word_recall",
]

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Word and punctuation tokens, with curly quotes and dashes made plain.

        >>> tokens("It’s — fine.")
        ["It's", '-', 'fine', '.']
    """
    return _TOKEN.findall(text.translate(_QUOTES))


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance between two token sequences (substitution costs 1)."""
    try:
        from rapidfuzz.distance import Levenshtein
    except ImportError:  # pragma: no cover - rapidfuzz is a runtime dependency
        prev = list(range(len(b) + 1))
        for i, x in enumerate(a, 1):
            cur = [i]
            for j, y in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
            prev = cur
        return prev[-1]
    return Levenshtein.distance(list(a), list(b))


def _edits(src: Sequence[str], dst: Sequence[str]) -> set[tuple[int, int, tuple[str, ...]]]:
    sm = SequenceMatcher(None, src, dst, autojunk=False)
    return {(i1, i2, tuple(dst[j1:j2])) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"}


def score_pair(spun: str, repaired: str, original: str) -> dict[str, int]:
    """Edit counts of one repaired document against its original.

    Returns ``tp``, ``fp``, ``fn`` (span edits), ``ref_words`` (tokens of the
    original) and the token edit distances ``wer_before`` (spun vs original) and
    ``wer_after`` (repaired vs original).
    """
    s, r, o = tokens(spun), tokens(repaired), tokens(original)
    gold, system = _edits(s, o), _edits(s, r)
    tp = len(gold & system)
    return {
        "tp": tp, "fp": len(system) - tp, "fn": len(gold) - tp,
        "ref_words": len(o),
        "wer_before": edit_distance(s, o), "wer_after": edit_distance(r, o),
    }


def summarize(scores: Sequence[dict[str, int]]) -> dict[str, float]:
    """Micro-averaged precision, recall, F0.5 and word error rates of :func:`score_pair` results.

    With no system edits precision is 1.0 (nothing was wrong); with no reference edits
    recall is 1.0.
    """
    tp = sum(x["tp"] for x in scores)
    fp = sum(x["fp"] for x in scores)
    fn = sum(x["fn"] for x in scores)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
    before = sum(x["wer_before"] for x in scores)
    after = sum(x["wer_after"] for x in scores)
    words = sum(x["ref_words"] for x in scores)
    return {
        "pairs": len(scores), "tp": tp, "fp": fp, "fn": fn,
        "precision": p, "recall": r, "f0.5": f05,
        "wer_before": before / words if words else 0.0,
        "wer_after": after / words if words else 0.0,
        "wer_reduction": 1 - after / before if before else 0.0,
    }


def harm(clean: str, repaired: str) -> dict[str, int]:
    """Token edits a repair made to text that needed none (``edits``; ``words`` of the input)."""
    c, r = tokens(clean), tokens(repaired)
    return {"edits": len(_edits(c, r)), "words": len(c)}


def summarize_harm(results: Sequence[dict[str, int]]) -> dict[str, float]:
    """Edits per 1000 words over all documents, and the share of documents changed at all."""
    edits = sum(h["edits"] for h in results)
    words = sum(h["words"] for h in results)
    return {
        "docs": len(results),
        "edits": edits,
        "edits_per_1000_words": 1000 * edits / words if words else 0.0,
        "docs_changed": (sum(1 for h in results if h["edits"]) / len(results)) if results else 0.0,
    }


def roc_auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    """Probability that a positive scores above a negative (ties count half).

    Computed from ranks in O(n log n); ``nan`` when either side is empty.

        >>> roc_auc([0.9, 0.8], [0.1, 0.8])
        0.875
    """
    if not pos or not neg:
        return float("nan")
    labelled = sorted([(float(x), 1) for x in pos] + [(float(x), 0) for x in neg])
    rank_sum = 0.0
    i = 0
    while i < len(labelled):
        j = i
        while j < len(labelled) and labelled[j][0] == labelled[i][0]:
            j += 1
        mid_rank = (i + 1 + j) / 2  # average of ranks i+1 .. j
        rank_sum += mid_rank * sum(lab for _, lab in labelled[i:j])
        i = j
    n_pos, n_neg = len(pos), len(neg)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def rates(pos_flags: Iterable[bool], neg_flags: Iterable[bool]) -> dict[str, float]:
    """True- and false-positive rates of yes/no verdicts."""
    p, n = list(pos_flags), list(neg_flags)
    return {
        "tpr": sum(map(bool, p)) / len(p) if p else float("nan"),
        "fpr": sum(map(bool, n)) / len(n) if n else float("nan"),
    }


def _shingles(text: str, n: int = 4) -> Counter:
    t = _WORD.findall(text or "")
    return Counter(tuple(t[i:i + n]) for i in range(max(1, len(t) - n + 1)) if t[i:i + n])


def shingle_prf(true: str, pred: str, n: int = 4) -> tuple[float, float]:
    """Word ``n``-gram shingle precision and recall of an extracted article.

    Both are 1.0 when the shingle multisets are identical (including both empty).
    """
    a, b = _shingles(true, n), _shingles(pred, n)
    tp = sum((a & b).values())
    fp = sum((b - a).values())
    fn = sum((a - b).values())
    p = 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))
    r = 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))
    return p, r


def summarize_shingles(prs: Sequence[tuple[float, float]]) -> dict[str, float]:
    """Average per-document precision and recall; F1 of the two averages."""
    if not prs:
        return {"docs": 0, "precision": float("nan"), "recall": float("nan"), "f1": float("nan")}
    p = sum(x for x, _ in prs) / len(prs)
    r = sum(y for _, y in prs) / len(prs)
    return {"docs": len(prs), "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def word_recall(reference: str, output: str) -> float:
    """Share of the reference's words (as a multiset) still present in ``output``."""
    a, b = Counter(_WORD.findall(reference)), Counter(_WORD.findall(output))
    total = sum(a.values())
    return sum((a & b).values()) / total if total else 1.0


def finite(x: float) -> bool:
    """Whether ``x`` is a real number (not nan or infinite)."""
    return isinstance(x, (int, float)) and math.isfinite(x)
