"""Loading the stripper's data files: furniture rules and multilingual stopwords.

The data lives in ``lexicons/strip_furniture.txt`` and ``lexicons/strip_stopwords.txt``
(formats documented at the top of each file). Both are read once and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ..errors import DataFileError
from ..resources import read_lexicon_text

__all__ = ["Rule", "RuleSet", "furniture_rules", "stopwords", "KINDS"]

#: The kinds of furniture rule (see the data file's header).
KINDS = ("line", "stop", "caption")


@dataclass(frozen=True)
class Rule:
    """One furniture rule: its kind, the reason it reports, and its pattern text."""

    kind: str
    reason: str
    pattern: str


class RuleSet:
    """All rules of one kind, compiled into a single alternation.

    ``match(line)`` returns the reason of the first rule whose pattern matches the
    whole (normalised) line, or ``None``. One regex call per line keeps it fast.
    """

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        parts = [f"(?P<r{i}>{r.pattern})" for i, r in enumerate(rules)]
        self._rx = regex.compile("|".join(parts) or r"(?!)", regex.IGNORECASE | regex.V0)

    def match(self, line: str) -> str | None:
        m = self._rx.fullmatch(line)
        if m is None:
            return None
        name = m.lastgroup
        if name is None:  # pragma: no cover - every alternative is a named group
            return "furniture"
        return self.rules[int(name[1:])].reason


def parse_rules(text: str, source: str = "strip_furniture.txt") -> dict[str, RuleSet]:
    """Parse the furniture file format into one :class:`RuleSet` per kind.

    Raises:
        DataFileError: on a malformed line, an unknown kind or a bad pattern.
    """
    by_kind: dict[str, list[Rule]] = {k: [] for k in KINDS}
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) != 3:
            raise DataFileError(f"{source}:{lineno}: expected KIND<TAB>REASON<TAB>PATTERN")
        kind, reason, pattern = fields
        if kind not in by_kind:
            raise DataFileError(f"{source}:{lineno}: unknown rule kind {kind!r} (choose from {KINDS})")
        try:
            regex.compile(pattern)
        except regex.error as exc:
            raise DataFileError(f"{source}:{lineno}: bad pattern: {exc}") from None
        by_kind[kind].append(Rule(kind, reason, pattern))
    return {k: RuleSet(v) for k, v in by_kind.items()}


@lru_cache(maxsize=1)
def furniture_rules() -> dict[str, RuleSet]:
    """The shipped furniture rules, by kind."""
    return parse_rules(read_lexicon_text("strip_furniture.txt"))


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words of many languages (lowercase)."""
    text = read_lexicon_text("strip_stopwords.txt")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))
