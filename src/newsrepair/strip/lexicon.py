"""Loading the stripper's data files: furniture rules and multilingual stopwords.

The data lives in ``lexicons/strip_furniture.txt`` and ``lexicons/strip_stopwords.txt``
(formats documented at the top of each file). Both are read once and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

try:  # the standard library's regex parser, used only to analyse rule patterns
    from re import _constants, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    try:
        import sre_constants as _constants  # type: ignore[no-redef]
        import sre_parse as _parser  # type: ignore[no-redef]
    except ImportError:
        _constants = _parser = None  # type: ignore[assignment]

from ..errors import DataFileError
from ..resources import read_lexicon_text

__all__ = ["Rule", "RuleSet", "Probe", "furniture_rules", "stopwords", "KINDS"]

#: The kinds of furniture rule (see the data file's header).
KINDS = ("line", "stop", "caption")
#: How every rule pattern is compiled: case-insensitive, regex's version-0 behaviour.
RULE_FLAGS = regex.IGNORECASE | regex.V0


_LOOSE = re.compile(r"(?<!\\)\.[{*+]")


@dataclass(frozen=True)
class Rule:
    """One furniture rule: its kind, the reason it reports, and its pattern text."""

    kind: str
    reason: str
    pattern: str

    @property
    def loose(self) -> bool:
        """The pattern lets any text through (``.{0,80}``, ``.*``): a match is a weaker
        sign than a line that is nothing but a known phrase."""
        return _LOOSE.search(self.pattern) is not None


class RuleSet:
    """All rules of one kind, with a cheap prefilter in front of the regexes.

    ``match(line)`` returns the reason of the first rule whose pattern matches the
    whole (normalised) line, or ``None``. Most lines of a page can match only a few of
    the rules, so each rule is analysed once (:func:`_analyse`) for the characters a
    match can start with and for literal text that every match contains; a line is
    then tried, in order, only against the rules that pass both checks.
    """

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        analysed = [_analyse(r.pattern) for r in rules]
        self._lits: list[tuple[str, ...] | None] = [lits for _, lits in analysed]
        # Line prefix -> the rules (in file order) that a line starting so can match;
        # rules that can start anyhow are in every entry.
        anyhow = [i for i, (pre, _) in enumerate(analysed) if pre is None]
        by_prefix: dict[str, set[int]] = {}
        for i, (pre, _) in enumerate(analysed):
            for p in pre or ():
                by_prefix.setdefault(p, set()).add(i)
        self._anyhow = tuple(anyhow)
        self._by_prefix = {p: tuple(sorted(v | set(anyhow))) for p, v in by_prefix.items()}
        # One search for any rule's required text, before the per-rule checks.
        all_lits = sorted({x for lits in self._lits for x in lits or ()}, key=len, reverse=True)
        self._gate = re.compile("|".join(map(re.escape, all_lits))) if all_lits else None
        # The same lists without the rules that need literal text, for lines that
        # contain none of it (most lines).
        def plain(idx: tuple[int, ...]) -> tuple[int, ...]:
            return tuple(i for i in idx if self._lits[i] is None)
        self._anyhow_plain = plain(self._anyhow)
        self._by_prefix_plain = {p: plain(v) for p, v in self._by_prefix.items()}
        self._rx = [regex.compile(r.pattern, RULE_FLAGS) for r in rules]

    def candidates(self, line: str) -> tuple[int, ...]:
        """Indices of the rules that could match ``line`` (a superset of those that do)."""
        probe = Probe(line)
        lits = self._lits
        return tuple(i for i in self._by_prefix.get(probe.prefix, self._anyhow)
                     if lits[i] is None or any(map(probe.folded.__contains__, lits[i])))

    def match(self, line: str, probe: "Probe | None" = None) -> str | None:
        """The reason of the first rule matching the whole ``line``, or None."""
        rule = self.find(line, probe)
        return None if rule is None else rule.reason

    def find(self, line: str, probe: "Probe | None" = None) -> Rule | None:
        """The first rule matching the whole ``line``, or None.

        ``probe`` is ``Probe(line)``, when the caller has it already (several rule
        sets are tried on the same line).
        """
        if probe is None:
            probe = Probe(line)
        rxs = self._rx
        folded = probe.folded
        gate = self._gate
        if gate is None or gate.search(folded) is None:
            for i in self._by_prefix_plain.get(probe.prefix, self._anyhow_plain):
                if rxs[i].fullmatch(line) is not None:
                    return self.rules[i]
            return None
        lits = self._lits
        for i in self._by_prefix.get(probe.prefix, self._anyhow):
            need = lits[i]
            if need is not None and not any(map(folded.__contains__, need)):
                continue
            if rxs[i].fullmatch(line) is not None:
                return self.rules[i]
        return None

    def match_all(self, line: str) -> str | None:
        """As :meth:`match`, without the prefilter: every rule tried in order (for tests
        of the prefilter)."""
        return next((r.reason for r, rx in zip(self.rules, self._rx) if rx.fullmatch(line)), None)


class Probe:
    """What the prefilter looks at in a line: its folded first characters and text."""

    __slots__ = ("prefix", "folded")

    def __init__(self, line: str) -> None:
        folded = fold_text(line)
        head = folded[:PREFIX]
        if not head.isalpha():
            head = "".join("0" if c.isdecimal() else c for c in head)
        self.prefix = head[:PREFIX]
        self.folded = folded


# --- rule analysis for the prefilter ---------------------------------------------
# A rule's pattern is parsed with the standard library's regex parser (patterns that
# use syntax only the `regex` module knows get no prefilter: they are always tried).
# Both results are necessary conditions for a match, so the prefilter never changes
# what matches, only how many patterns are tried. Text is compared casefolded, and
# all decimal digits count as "0" for the first character.

#: Length of the line prefix that selects candidate rules.
PREFIX = 4
_MAX_PREFIXES = 4096


#: Letters that `regex` matches case-insensitively with an ASCII letter although
#: their case folding differs (the Turkish dotted and dotless i).
_TURKISH_I = str.maketrans({"İ": "i", "ı": "i"})


def fold_text(text: str) -> str:
    """``text`` casefolded the way the prefilter compares it (Turkish i's as "i")."""
    if not text.isascii():
        text = text.translate(_TURKISH_I)
    return text.casefold()


def _fold_char(cp: int) -> str:
    ch = chr(cp)
    return "0" if ch.isdecimal() else fold_text(ch)


def _is_repeat(op: Any) -> bool:
    C = _constants
    return op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None))


def _chars(av: Any) -> set[str] | None:
    """The (folded) characters a character class can match, or None when too many."""
    C = _constants
    chars: set[str] = set()
    for iop, iav in av:
        if iop is C.LITERAL:
            chars.add(_fold_char(iav))
        elif iop is C.RANGE and iav[1] - iav[0] <= 256:
            chars.update(_fold_char(c) for c in range(iav[0], iav[1] + 1))
        elif iop is C.CATEGORY and iav is C.CATEGORY_DIGIT:
            chars.add("0")
        else:
            return None
    return chars


def _extend(states: set[str], seq: Any) -> set[str] | None:
    """Every prefix (up to PREFIX characters) of ``states`` followed by a match of ``seq``.

    A state of PREFIX characters is saturated: what follows does not change it. None
    means "any prefix" (the pattern can start with a character class we do not expand).
    """
    C = _constants
    K = PREFIX
    for op, av in seq:
        if all(len(x) >= K for x in states):
            return states
        if op is C.LITERAL:
            ch = _fold_char(av)
            states = {x if len(x) >= K else (x + ch)[:K] for x in states}
        elif op is C.IN:
            chars = _chars(av)
            if chars is None:
                return None
            states = {x if len(x) >= K else (x + c)[:K] for x in states for c in chars}
        elif op is C.BRANCH:
            out: set[str] = set()
            for alt in av[1]:
                got = _extend(states, alt)
                if got is None:
                    return None
                out |= got
            states = out
        elif op is C.SUBPATTERN:
            got = _extend(states, av[-1])
            if got is None:
                return None
            states = got
        elif _is_repeat(op):
            lo, hi, sub = av
            result = set(states) if lo == 0 else set()
            cur = states
            for i in range(1, min(hi, K + 1) + 1):
                got = _extend(cur, sub)
                if got is None:
                    return None
                cur = got
                if i >= lo or i == K + 1:
                    result |= cur
            states = result
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero-width: a superset of prefixes is still right
        else:
            return None
        if len(states) > _MAX_PREFIXES:
            return None
    return states


def _required(seq: Any) -> tuple[str, ...] | None:
    """Literal strings (casefolded) one of which every match of ``seq`` contains, or None."""
    C = _constants
    options: list[tuple[str, ...]] = []
    run: list[str] = []

    def flush() -> None:
        lit = "".join(run)
        if lit.strip():
            options.append((lit,))
        run.clear()

    for op, av in seq:
        if op is C.LITERAL:
            run.append(fold_text(chr(av)))
            continue
        flush()
        sub = None
        if op is C.SUBPATTERN:
            sub = _required(av[-1])
        elif op is C.BRANCH:
            alts = [_required(alt) for alt in av[1]]
            if all(a is not None for a in alts):
                sub = tuple(sorted({x for a in alts for x in a}))  # type: ignore[union-attr]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            sub = _required(av[2])
        if sub:
            options.append(sub)
    flush()
    if not options:
        return None
    # The most selective option: longest shortest literal, then fewest alternatives.
    return max(options, key=lambda o: (min(len(x) for x in o), -len(o)))


def _analyse(pattern: str) -> tuple[frozenset[str] | None, tuple[str, ...] | None]:
    """(possible folded line prefixes or None, required literals or None) of a pattern.

    A prefix has :data:`PREFIX` characters, or fewer when it is a whole match.
    """
    if _parser is None or "[[:" in pattern or "(?V1" in pattern:
        return None, None  # no parser, or syntax that `re` would read differently
    try:
        tree = _parser.parse(pattern, re.IGNORECASE)
    except Exception:  # noqa: BLE001 - syntax only `regex` knows: no prefilter
        return None, None
    prefixes = _extend({""}, tree)
    if prefixes is not None:
        return frozenset(prefixes), None  # the prefix already filters; one check is enough
    lits = _required(tree)
    if lits is not None and (len(lits) > 64 or any(len(x) < 2 and x.isalnum() for x in lits)):
        lits = None  # too weak to be worth testing
    return None, lits


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
            regex.compile(pattern, RULE_FLAGS)  # validated as RuleSet compiles it (then cached)
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
