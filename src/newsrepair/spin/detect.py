"""Document-level spin detection: interpretable evidence, then a calibrated score.

The evidence is the spinner's signature: positions where a phrase from the spinner
lexicons stands and the language model, in context, prefers a candidate original over
the text as written. For each such position the decoder's posterior of the best
restoration (with a neutral spin rate of one half) measures how spun it looks; their
sum per 100 words (each distinct phrase counted once, repetitions adding only
logarithmically) is the document's *signature rate*. Fewer than ``MIN_TYPES``
distinct suspect phrases scale the evidence down (two or fewer cancel it): a spinner makes many different
substitutions, while clean text may repeat one ambiguous word. The score is a logistic function
of the log signature rate, fitted on development data (spun excerpts against their
originals and clean news); short documents are pulled toward the prior, since a
headline or one paragraph gives little evidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["Evidence", "calibrated_score", "DEFAULT_THRESHOLD", "confidence_for"]

#: Logistic calibration: score = sigmoid(SLOPE * (log(rate + EPS) - CENTRE)).
SLOPE = 5.0
CENTRE = math.log(2.05)
EPS = 0.05
#: Prior probability that a document is spun, used for short texts.
PRIOR = 0.2
#: Words needed for full weight of the evidence (fewer pull the score toward PRIOR).
FULL_WORDS = 120
DEFAULT_THRESHOLD = 0.35
#: Distinct suspect phrases needed for full weight: a spinner makes many different
#: substitutions, while clean text may repeat one ambiguous word.
MIN_TYPES = 5


@dataclass
class Evidence:
    """What detection found in one document."""

    words: int = 0
    signature: float = 0.0      # sum of restoration posteriors at lexicon positions
    positions: int = 0          # lexicon positions examined
    types: int = 0              # distinct phrases that look spun (posterior >= 0.5)
    english: bool = True        # enough known English words to judge
    suspects: list = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Signature per 100 words."""
        return 100.0 * self.signature / max(1, self.words)


def calibrated_score(ev: Evidence) -> float:
    """The document's spin score in [0, 1]."""
    z = SLOPE * (math.log(ev.rate + EPS) - CENTRE)
    raw = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
    raw *= max(0.0, min(1.0, (ev.types - 2) / (MIN_TYPES - 2)))
    k = min(1.0, ev.words / FULL_WORDS)
    return PRIOR + (raw - PRIOR) * k


def confidence_for(words: int) -> str:
    """How much text the verdict rests on."""
    if words < 60:
        return "low"
    if words < 200:
        return "medium"
    return "high"
