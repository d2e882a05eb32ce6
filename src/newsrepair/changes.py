"""The change log: what every stage edits, where, and why.

Each stage returns its output together with a list of :class:`Change` records. The
offsets of a change are character offsets into the text *as it entered that stage*
(for the first stage, the caller's input). :func:`apply_changes` replays a log, stage
by stage, so that ``apply_changes(text, log) == output`` always holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import groupby
from typing import Any, Iterable, Sequence

__all__ = ["Change", "apply_changes", "STAGES"]

#: The pipeline stages, in the order :func:`newsrepair.repair` runs them.
STAGES = ("encoding", "boilerplate", "spin")


@dataclass(frozen=True, slots=True)
class Change:
    """One edit made by one stage.

    Attributes:
        start, end: character offsets of ``before`` in the stage's input text.
        before: the text that was there (``text[start:end]``).
        after: the text that replaced it ("" for a deletion).
        stage: ``"encoding"``, ``"boilerplate"`` or ``"spin"``.
        reason: a short, human-readable explanation (for example
            ``"mojibake: encode sloppy-windows-1252, decode utf-8"`` (UTF-8 read as
            windows-1252), ``"HTML entity decoded"``, ``"share-button line"``,
            ``"spun 'navy' -> 'military' (lexicon: common)"``).
        confidence: how sure the stage is, in [0, 1].
    """

    start: int
    end: int
    before: str
    after: str
    stage: str
    reason: str
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """The change as a JSON-ready dict (the format of ``--explain``)."""
        return asdict(self)

    def shifted(self, delta: int) -> "Change":
        """The same change with its offsets moved by ``delta`` characters."""
        return Change(self.start + delta, self.end + delta, self.before, self.after,
                      self.stage, self.reason, self.confidence)


def _apply_one_stage(text: str, changes: Sequence[Change]) -> str:
    out: list[str] = []
    pos = 0
    for ch in sorted(changes, key=lambda c: (c.start, c.end)):
        if ch.start < pos or ch.end > len(text) or text[ch.start:ch.end] != ch.before:
            raise ValueError(f"change does not fit the text: {ch!r}")
        out.append(text[pos:ch.start])
        out.append(ch.after)
        pos = ch.end
    out.append(text[pos:])
    return "".join(out)


def apply_changes(text: str, changes: Iterable[Change]) -> str:
    """Replay a change log on ``text``.

    Consecutive changes of the same stage are applied together (their offsets refer
    to the same text); each new stage applies to the previous stage's result.

    Raises:
        ValueError: when a change's ``before`` is not found at its offsets.
    """
    for _stage, group in groupby(changes, key=lambda c: c.stage):
        text = _apply_one_stage(text, list(group))
    return text
