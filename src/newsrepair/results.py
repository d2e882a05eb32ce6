"""The result types returned by the public functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .changes import Change

__all__ = ["Repaired", "SpinReport", "Suspect"]


@dataclass(frozen=True, slots=True)
class Suspect:
    """A span that looks like spinner output.

    Attributes:
        start, end: character offsets in the text given to :func:`~newsrepair.detect_spin`.
        text: the span itself.
        candidates: likely original wordings, best first (may be empty).
        weight: how much this span counts as evidence of spinning, in [0, 1].
    """

    start: int
    end: int
    text: str
    candidates: tuple[str, ...] = ()
    weight: float = 0.0


@dataclass(frozen=True, slots=True)
class SpinReport:
    """The verdict of :func:`~newsrepair.detect_spin` on one document.

    Attributes:
        score: calibrated probability-like score in [0, 1] that the text was spun.
        is_spun: ``score >= threshold``.
        threshold: the threshold used.
        suspects: the spans that look like spinner output.
        words: number of words examined. Short texts give weak evidence; see
            ``confidence``.
        confidence: ``"low"``, ``"medium"`` or ``"high"``: how much text the verdict
            rests on (a headline or a single paragraph gives ``"low"``).
    """

    score: float
    is_spun: bool
    threshold: float
    suspects: tuple[Suspect, ...] = ()
    words: int = 0
    confidence: str = "low"

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "is_spun": self.is_spun,
            "threshold": self.threshold,
            "words": self.words,
            "confidence": self.confidence,
            "suspects": [
                {"start": s.start, "end": s.end, "text": s.text, "candidates": list(s.candidates),
                 "weight": round(s.weight, 4)}
                for s in self.suspects
            ],
        }


@dataclass(frozen=True, slots=True)
class Repaired:
    """Text with the log of the changes that produced it.

    Attributes:
        text: the repaired text.
        changes: every edit, in stage order; offsets refer to the text as it entered
            the change's stage (see :func:`newsrepair.apply_changes`).
        spin: the spin verdict, when the spin stage ran.
    """

    text: str
    changes: tuple[Change, ...] = field(default_factory=tuple)
    spin: SpinReport | None = None

    def __str__(self) -> str:
        return self.text

    def counts(self) -> dict[str, int]:
        """Number of changes per stage, e.g. ``{"encoding": 2, "boilerplate": 5, "spin": 11}``."""
        out = {"encoding": 0, "boilerplate": 0, "spin": 0}
        for ch in self.changes:
            out[ch.stage] = out.get(ch.stage, 0) + 1
        return out
