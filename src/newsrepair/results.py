"""The result types returned by the public functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .changes import STAGES, Change

__all__ = ["Repaired", "SpinReport", "Suspect"]


@dataclass(frozen=True, slots=True)
class Suspect:
    """A span that looks like spinner output.

    Attributes:
        start, end: character offsets in the text that spin detection read: the text
            given to :func:`~newsrepair.detect_spin` or :func:`~newsrepair.unspin`; in
            :func:`~newsrepair.repair`, the text as it entered the spin stage (after
            encoding repair and boilerplate stripping, the text that the spin changes'
            offsets also refer to).
        text: the span itself.
        candidates: likely original wordings, best first (may be empty).
        weight: how much this span counts as evidence of spinning, in [0, 1].
    """

    start: int
    end: int
    text: str
    candidates: tuple[str, ...] = ()
    weight: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The span as a JSON-ready dict."""
        return {"start": self.start, "end": self.end, "text": self.text,
                "candidates": list(self.candidates), "weight": round(self.weight, 4)}


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
            rests on: fewer than 60 words (a headline, a short paragraph), fewer
            than 200, or more.
        spin_rate: with a user spinner dictionary, the estimated share of the
            dictionary's originals in the text that a spinner replaced (0 to 1; see
            ``newsrepair.spin.detect.spin_rate_test``; rough from a few words: with
            no original standing it is near 1); ``None`` without one, and for a text
            that is empty or not English.
    """

    score: float
    is_spun: bool
    threshold: float
    suspects: tuple[Suspect, ...] = ()
    words: int = 0
    confidence: str = "low"
    spin_rate: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The verdict as a JSON-ready dict (``spin_rate`` only with a user dictionary)."""
        out = {
            "score": round(self.score, 4),
            "is_spun": self.is_spun,
            "threshold": self.threshold,
            "words": self.words,
            "confidence": self.confidence,
            "suspects": [s.to_dict() for s in self.suspects],
        }
        if self.spin_rate is not None:
            out["spin_rate"] = round(self.spin_rate, 4)
        return out


#: How much of the text a :class:`Repaired`'s ``repr`` shows.
_REPR_CHARS = 60


@dataclass(frozen=True, slots=True, repr=False)
class Repaired:
    """Text with the log of the changes that produced it.

    Attributes:
        text: the repaired text.
        changes: every edit, in stage order; offsets refer to the text as it entered
            the change's stage (see :func:`newsrepair.apply_changes`).
        spin: the spin verdict, when the spin stage ran (its suspects' offsets refer
            to the text as it entered the spin stage, like the spin changes').
    """

    text: str
    changes: tuple[Change, ...] = field(default_factory=tuple)
    spin: SpinReport | None = None

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        """Short, whatever the size of the text: its start and length, the number of
        changes per stage and the spin verdict (``to_dict()`` has everything).

            >>> Repaired("The council met.")
            Repaired(text='The council met.', changes=0, spin=None)
        """
        shown = self.text if len(self.text) <= _REPR_CHARS else self.text[:_REPR_CHARS] + "..."
        length = "" if shown == self.text else f" ({len(self.text):,} characters)"
        per_stage = ", ".join(f"{stage} {n}" for stage, n in self.counts().items() if n)
        changes = f"{len(self.changes)}" + (f" ({per_stage})" if per_stage else "")
        spin = "None" if self.spin is None else f"score {self.spin.score:.3f}, is_spun={self.spin.is_spun}"
        return f"Repaired(text={shown!r}{length}, changes={changes}, spin={spin})"

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready dict: ``text``, ``changes`` (each
        :meth:`Change.to_dict <newsrepair.Change.to_dict>`) and ``spin`` (``None`` when the
        spin stage did not run)."""
        return {"text": self.text, "changes": [ch.to_dict() for ch in self.changes],
                "spin": self.spin.to_dict() if self.spin is not None else None}

    def counts(self) -> dict[str, int]:
        """Number of changes per stage, e.g. ``{"encoding": 2, "boilerplate": 5, "spin": 11}``."""
        out = dict.fromkeys(STAGES, 0)
        for ch in self.changes:
            out[ch.stage] = out.get(ch.stage, 0) + 1
        return out
