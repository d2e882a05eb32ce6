"""The change log: what every stage edits, where, and why.

Each stage returns its output together with a list of :class:`Change` records. The
offsets of a change are character offsets into the text *as it entered that stage*
(for the first stage, the caller's input). :func:`apply_changes` replays a log, stage
by stage, so that ``apply_changes(text, log) == output`` always holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import groupby
from typing import Any, Iterable, Mapping, Sequence

from .errors import ChangeError, InputError

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
            windows-1252), ``"HTML entity decoded"``, ``"share line"``,
            ``"spun 'navy' -> 'military' (learned lexicon; context)"``).
        confidence: how sure the stage is, in [0, 1].

    A log read back from JSON (``--explain`` writes one object per line) replays with
    :meth:`from_dict`:

        >>> rec = {"document": "a.txt", "start": 4, "end": 8, "before": "navy", "after": "military",
        ...        "stage": "spin", "reason": "spun", "confidence": 0.9}
        >>> apply_changes("The navy said", [Change.from_dict(rec)])
        'The military said'
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

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> "Change":
        """The change described by ``record`` (a :meth:`to_dict` dict, or an ``--explain``
        record: other keys, such as ``document`` and ``line``, are ignored).

        Raises:
            InputError: when a field is missing or of the wrong type.
        """
        if not isinstance(record, Mapping):
            raise InputError(f"a change record must be a dict, got {type(record).__name__}")
        values = {}
        for name, types in _FIELD_TYPES.items():
            if name not in record:
                if name == "confidence":
                    continue
                raise InputError(f"change record without {name!r}: {dict(record)!r:.200}")
            value = record[name]
            if not isinstance(value, types) or isinstance(value, bool):
                raise InputError(f"change record field {name!r} is {type(value).__name__}, not "
                                 f"{' or '.join(t.__name__ for t in types)}")
            values[name] = value
        return cls(**values)

    def shifted(self, delta: int) -> "Change":
        """The same change with its offsets moved by ``delta`` characters."""
        return Change(self.start + delta, self.end + delta, self.before, self.after,
                      self.stage, self.reason, self.confidence)


_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "start": (int,), "end": (int,), "before": (str,), "after": (str,), "stage": (str,),
    "reason": (str,), "confidence": (int, float),
}


def _apply_one_stage(text: str, changes: Sequence[Change]) -> str:
    out: list[str] = []
    pos = 0
    for ch in sorted(changes, key=lambda c: (c.start, c.end)):
        if ch.start < pos or ch.end > len(text) or text[ch.start:ch.end] != ch.before:
            raise ChangeError(f"change does not fit the text: {ch!r}")
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
        InputError: when ``text`` is not a ``str`` or a change is not a :class:`Change`
            (for records read from JSON, use :meth:`Change.from_dict`).
        ChangeError: (a :class:`ValueError`) when a change's ``before`` is not found at
            its offsets, or changes of one stage overlap.
    """
    if not isinstance(text, str):
        raise InputError(f"apply_changes needs the text (str), got {type(text).__name__}")
    changes = list(changes)
    for ch in changes:
        if not isinstance(ch, Change):
            hint = "; read JSON records with newsrepair.Change.from_dict" if isinstance(ch, Mapping) else ""
            raise InputError(f"apply_changes needs Change objects, got {type(ch).__name__}{hint}")
    for _stage, group in groupby(changes, key=lambda c: c.stage):
        text = _apply_one_stage(text, list(group))
    return text
