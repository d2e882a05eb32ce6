"""Loading the stripper's data files: furniture rules and multilingual stopwords.

The data lives in ``lexicons/strip_furniture.txt`` and ``lexicons/strip_stopwords.txt``
(formats documented at the top of each file). Both are read once and cached.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator

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

__all__ = ["Rule", "RuleSet", "LiteralScanner", "furniture_rules", "ordered_rules", "stopwords",
           "KINDS", "KIND_ORDER"]

#: The kinds of furniture rule (see the data file's header).
KINDS = ("line", "stop", "caption", "notice")
#: The order in which the classifier tries the kinds on a line: the first match names it
#: ("notice" rules are tried alone, on the lines too long for these).
KIND_ORDER = ("stop", "line", "caption")
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
    """Furniture rules in the order they are tried (those of one kind, or of every kind
    from :func:`ordered_rules`), with a cheap prefilter in front of the regexes.

    ``find(line)`` returns the first rule whose pattern matches the whole (normalised)
    line, ``match(line)`` its reason, or ``None``: ``ordered_rules().find(line)`` tells
    which rule removes a line. Most lines of a page can match only a few of
    the rules, so each rule is analysed once (:func:`_analyse`) for the characters a
    match can start with and for literal text that every match contains; a line is
    then tried, in order, only against the rules that pass both checks. The literal
    text is looked for by a :class:`LiteralScanner`, which the rule sets of one file
    share (:func:`parse_rules`), so that a line is scanned once for all of them.
    """

    def __init__(self, rules: list[Rule], scanner: "LiteralScanner | None" = None) -> None:
        """``scanner`` looks for the literal text these rules require (by default one
        is made for them); a rule whose literals it does not know is tried on every line."""
        self.rules = rules
        analysed = [_analysis(r.pattern) for r in rules]
        if scanner is None:
            scanner = LiteralScanner({x for _, required in analysed for x in required or ()})
        self._scanner = scanner
        # Per rule: the scanner's literals one of which a line it matches contains
        # (None: no such literal is known).
        self._needs = [(scanner.covering(required) or None) if required else None
                       for _, required in analysed]
        self._any_need = frozenset().union(*filter(None, self._needs))
        self._index = _PrefixIndex([pre for pre, _ in analysed])
        # The same index without the rules that need literal text, for lines that
        # contain none of it (most lines).
        plain = [i for i, need in enumerate(self._needs) if need is None]
        self._index_plain = _PrefixIndex([analysed[i][0] for i in plain], plain)
        self._rx = [regex.compile(r.pattern, RULE_FLAGS) for r in rules]

    @property
    def scanner(self) -> "LiteralScanner":
        """The scanner of the literal text these rules require (shared by the rule sets
        of one file)."""
        return self._scanner

    def _probe(self, line: str) -> tuple[str, frozenset[str]]:
        """What the prefilter looks at in ``line``: its folded first characters (see
        :func:`prefix_key`), and the literals of the scanner that its folded text holds."""
        folded = fold_text(line)
        return prefix_key(folded), self._scanner.scan(folded)

    def candidates(self, line: str) -> tuple[int, ...]:
        """Indices of the rules that could match ``line`` (a superset of those that do)."""
        prefix, found = self._probe(line)
        needs = self._needs
        return tuple(i for i in self._index.get(prefix) if needs[i] is None or not needs[i].isdisjoint(found))

    def match(self, line: str) -> str | None:
        """The reason of the first rule matching the whole ``line``, or None."""
        rule = self.find(line)
        return None if rule is None else rule.reason

    def find(self, line: str) -> Rule | None:
        """The first rule matching the whole ``line``, or None."""
        folded = fold_text(line)  # as self._probe(line), inline: this runs for most lines
        prefix, found = prefix_key(folded), self._scanner.scan(folded)
        rxs = self._rx
        if found.isdisjoint(self._any_need):
            for i in self._index_plain.get(prefix):
                if rxs[i].fullmatch(line) is not None:
                    return self.rules[i]
            return None
        needs = self._needs
        for i in self._index.get(prefix):
            need = needs[i]
            if need is not None and need.isdisjoint(found):
                continue
            if rxs[i].fullmatch(line) is not None:
                return self.rules[i]
        return None

    def match_all(self, line: str) -> str | None:
        """As :meth:`match`, without the prefilter: every rule tried in order (for tests
        of the prefilter)."""
        return next((r.reason for r, rx in zip(self.rules, self._rx) if rx.fullmatch(line)), None)


class _PrefixIndex:
    """The rules (indices, in file order) that a line may match, by the line's prefix.

    Built from each rule's prefixes as :func:`_analyse` finds them: a line may match a
    rule when its prefix is one of the rule's closed prefixes, or starts with one of
    its open ones; rules without known prefixes are candidates for every line.
    ``ids`` are the indices of the rules whose ``prefixes`` are given (by default 0, 1,
    2...).
    """

    def __init__(self, prefixes: list[tuple[frozenset[str], frozenset[str]] | None],
                 ids: list[int] | None = None) -> None:
        ids = list(range(len(prefixes))) if ids is None else ids
        anyhow = {i for i, pre in zip(ids, prefixes) if pre is None}
        closed: dict[str, set[int]] = {}
        opened: dict[str, set[int]] = {}
        for i, pre in zip(ids, prefixes):
            for table, keys in zip((closed, opened), pre or ((), ())):
                for key in keys:
                    table.setdefault(key, set()).add(i)

        def entry(prefix: str, own: set[int]) -> tuple[int, ...]:
            found = anyhow | own
            for key, idx in opened.items():
                if prefix.startswith(key):
                    found |= idx
            return tuple(sorted(found))

        self._anyhow = tuple(sorted(anyhow))
        self._closed = {key: entry(key, idx) for key, idx in closed.items()}
        self._open = {key: entry(key, set()) for key in opened}
        self._open_lengths = sorted({len(key) for key in opened}, reverse=True)
        # Every prefix looked up so far (the closed ones from the start) with its
        # candidates: most lines start like others ("the ", "a ne"), so the open
        # prefixes are searched once per prefix, not once per line. Bounded.
        self._known = dict(self._closed)

    def get(self, prefix: str) -> tuple[int, ...]:
        """The candidate rules for a line whose (folded) prefix is ``prefix``."""
        got = self._known.get(prefix)
        if got is None:
            got = self._lookup(prefix)
            if len(self._known) < _MAX_KNOWN_PREFIXES:
                self._known[prefix] = got
        return got

    def _lookup(self, prefix: str) -> tuple[int, ...]:
        got = self._closed.get(prefix)
        if got is not None:
            return got
        for k in self._open_lengths:  # the longest open prefix the line starts with
            got = self._open.get(prefix[:k])
            if got is not None:
                return got
        return self._anyhow


#: At most this many line prefixes are remembered by a _PrefixIndex (about 1 MB).
_MAX_KNOWN_PREFIXES = 10_000


#: ASCII digits as "0" (for :func:`prefix_key`: in ASCII text they are the only decimals).
_ASCII_DIGITS_AS_0 = str.maketrans("123456789", "000000000")


def prefix_key(folded: str) -> str:
    """The first PREFIX characters of a folded line with every decimal digit as "0": the
    key under which :class:`_PrefixIndex` keeps the rules the line may match."""
    head = folded[:PREFIX]
    if head.isalpha():
        return head
    if head.isascii():
        return head.translate(_ASCII_DIGITS_AS_0)
    return "".join("0" if c.isdecimal() else c for c in head)


#: Up to this many literals, a :class:`LiteralScanner` tests each as a substring.
_FEW_LITERALS = 8


class LiteralScanner:
    """Finds which of a set of literal strings occur in a (folded) line, in one pass that
    stops only at the literals' rarest characters (:func:`_anchored_regex`).

    Only the shortest literals are looked for: a literal that contains another one is
    found wherever that one is (see :meth:`covering`).
    """

    def __init__(self, literals: set[str]) -> None:
        self.literals = frozenset(x for x in literals if not any(y != x and y in x for y in literals))
        # Where a literal occurs, found at its rarest character (see _anchored_regex): the
        # regex matches that one character, and only where a whole literal is.
        self._rare = re.compile(_anchored_regex(self.literals)) if self.literals else None
        # By rarest character, the literals and where it is in each: which of them a
        # match of the regex found (several can share the character there).
        at: dict[str, list[tuple[str, int]]] = {}
        for lit in sorted(self.literals):
            k = _rarest(lit)
            at.setdefault(lit[k], []).append((lit, k))
        self._at = {c: tuple(lits) for c, lits in at.items()}

    def scan(self, folded: str) -> frozenset[str]:
        """The literals that occur in ``folded``."""
        if len(self.literals) <= _FEW_LITERALS:  # a few substring tests are quicker
            return frozenset(lit for lit in self.literals if lit in folded) or _NOTHING
        first = self._rare.search(folded) if self._rare is not None else None
        if first is None:
            return _NOTHING
        # Every occurrence of a literal has its rarest character somewhere, where the
        # regex matches (each match is that one character, so none hides another).
        found = set()
        for m in self._rare.finditer(folded, first.start()):
            p = m.start()
            for lit, k in self._at[m.group()]:
                if p >= k and folded.startswith(lit, p - k):
                    found.add(lit)
        return frozenset(found)

    def covering(self, literals: tuple[str, ...]) -> frozenset[str]:
        """The scanned literals contained in one of ``literals``: where one of those
        occurs, :meth:`scan` finds one of these."""
        return frozenset(y for y in self.literals if any(y in x for x in literals))


_NOTHING: frozenset[str] = frozenset()

#: Characters of text from the most to the least frequent (space, then English letters);
#: any other character counts as rarer than all of these.
_COMMON_FIRST = " etaoinsrhldcumfpgwybvkxjqz"


def _rarest(literal: str) -> int:
    """Index of the rarest character of ``literal`` by _COMMON_FIRST (the first of equals)."""
    def rarity(i: int) -> int:
        found = _COMMON_FIRST.find(literal[i])
        return len(_COMMON_FIRST) if found < 0 else found
    return max(range(len(literal)), key=rarity)


def _anchored_regex(literals: Iterable[str]) -> str:
    """A regex that matches where one of ``literals`` occurs, at that literal's rarest
    character, with look-behind and look-ahead for the rest ("said" as
    ``d(?<=said)``).

    ``re`` searching for it skips the characters that no branch starts with in a tight
    loop, and tries the branches only at the few rare ones (about a quarter of the
    characters of a line for the furniture literals): a search from the literals' first
    characters would try them at almost every position, since those include space and
    the common letters.
    """
    by_char: dict[str, list[str]] = {}
    for lit in sorted(literals):
        k = _rarest(lit)
        behind = f"(?<={re.escape(lit[:k + 1])})" if k else ""
        ahead = f"(?={re.escape(lit[k + 1:])})" if k + 1 < len(lit) else ""
        by_char.setdefault(lit[k], []).append(behind + ahead)
    # A branch with no look-around (a literal of one character) matches the character
    # alone, whatever the others.
    return "|".join(re.escape(c) + (f"(?:{'|'.join(alts)})" if all(alts) else "")
                    for c, alts in sorted(by_char.items()))


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
    if not text.isascii() and ("İ" in text or "ı" in text):
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


def _extend(states: set[str], seq: Any) -> tuple[set[str], set[str]] | None:
    """Every prefix (up to PREFIX characters) of ``states`` followed by a match of ``seq``,
    as ``(closed, open)``.

    A closed prefix is exact: PREFIX characters (a state of PREFIX characters is
    saturated: what follows does not change it), or fewer for a whole match. An open
    prefix is followed by text we do not expand (a class such as ``\\w`` or ``.``): a
    match starts with it and goes on somehow. An open "" means "any prefix". None when
    there are too many prefixes.
    """
    C = _constants
    K = PREFIX
    opened: set[str] = set()
    for op, av in seq:
        if all(len(x) >= K for x in states):
            break
        if op is C.LITERAL:
            ch = _fold_char(av)
            states = {x if len(x) >= K else (x + ch)[:K] for x in states}
        elif op is C.IN and (chars := _chars(av)) is not None:
            states = {x if len(x) >= K else (x + c)[:K] for x in states for c in chars}
        elif op is C.BRANCH or op is C.SUBPATTERN:
            closed: set[str] = set()
            for alt in (av[1] if op is C.BRANCH else [av[-1]]):
                got = _extend(states, alt)
                if got is None:
                    return None
                closed |= got[0]
                opened |= got[1]
            states = closed
        elif _is_repeat(op):
            lo, hi, sub = av
            result = set(states) if lo == 0 else set()
            cur = states
            for i in range(1, min(hi, K + 1) + 1):
                got = _extend(cur, sub)
                if got is None:
                    return None
                cur = got[0]
                opened |= got[1]
                if i >= lo or i == K + 1:
                    result |= cur
            states = result
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero-width: a superset of prefixes is still right
        else:
            # Unexpanded text follows: the prefixes found so far are open.
            opened |= {x for x in states if len(x) < K}
            states = {x for x in states if len(x) >= K}
            break
        if len(states) + len(opened) > _MAX_PREFIXES:
            return None
    return states, opened


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


#: The tokens of a pattern as :func:`_without_properties` reads them: a property class of
#: the `regex` module (``\\p{Lu}``, ``\\P{Han}``, ``\\pL``), another escape, or one character.
_PATTERN_TOKEN = re.compile(r"\\[pP](?:\{[^}]*\}|[A-Za-z])|\\.|.", re.DOTALL)


def _without_properties(pattern: str) -> str | None:
    """``pattern`` with each property class (``\\p{Lu}``, which the standard parser does
    not know) replaced by ``[\\s\\S]``, any one character.

    The result matches wherever ``pattern`` does, so the prefixes and literals found in
    it are still necessary conditions (a rule such as ``more( \\p{Lu}\\w*){1,3}`` is then
    tried only on lines that start with "more", not on every line). None when a property
    class is inside brackets, where it cannot be widened so simply (``[^\\p{Lu}]``).
    """
    if "\\p" not in pattern and "\\P" not in pattern:
        return pattern
    out: list[str] = []
    in_class = head = caret = False  # inside [...]; at its start, where "]" is literal
    for tok in _PATTERN_TOKEN.findall(pattern):
        is_property = len(tok) > 2 and tok[1] in "pP"
        if in_class:
            if is_property:
                return None
            if tok == "^" and caret:
                caret = False  # "[^": the next "]" is still literal
            else:
                if tok == "]" and not head:
                    in_class = False
                head = caret = False
        elif tok == "[":
            in_class = head = caret = True
        elif is_property:
            tok = "[\\s\\S]"
        out.append(tok)
    return "".join(out)


#: The analyses of the shipped rules (:func:`_analyse`), computed when the rules file is
#: written (``scripts/build_strip_analysis.py``), so that the first page does not wait for
#: them (about a third of loading the rules); a test keeps the file equal to a fresh
#: analysis. A pattern the file does not hold (a user's rules) is analysed when loaded.
ANALYSIS_FILE = "strip_furniture.analysis.json"

_Analysis = tuple[tuple[frozenset[str], frozenset[str]] | None, tuple[str, ...] | None]


def _analysis(pattern: str) -> _Analysis:
    """:func:`_analyse` of ``pattern``, from :data:`ANALYSIS_FILE` when it holds it."""
    got = _shipped_analyses().get(pattern)
    return _analyse(pattern) if got is None else got


@lru_cache(maxsize=1)
def _shipped_analyses() -> dict[str, _Analysis]:
    try:
        data = json.loads(read_lexicon_text(ANALYSIS_FILE))
        return {pattern: ((frozenset(a["closed"]), frozenset(a["open"])) if a["closed"] is not None else None,
                          tuple(a["literals"]) if a["literals"] is not None else None)
                for pattern, a in data["patterns"].items()}
    except (DataFileError, ValueError, KeyError, TypeError):
        return {}  # missing or not ours: every pattern is analysed when loaded


def analysis_file_text(rules_text: str) -> str:
    """The text of :data:`ANALYSIS_FILE` for the rules file ``rules_text``: each pattern's
    :func:`_analyse`, as JSON (sorted, so that the file is diffable)."""
    patterns: dict[str, dict[str, Any]] = {}
    for _lineno, rule in _rules(rules_text):
        prefixes, literals = _analyse(rule.pattern)
        patterns[rule.pattern] = {"closed": None if prefixes is None else sorted(prefixes[0]),
                                  "open": None if prefixes is None else sorted(prefixes[1]),
                                  "literals": None if literals is None else list(literals)}
    return json.dumps({"about": "Analyses of the patterns of strip_furniture.txt (newsrepair.strip.lexicon"
                                "._analyse); rebuilt by scripts/build_strip_analysis.py",
                       "patterns": patterns}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@lru_cache(maxsize=None)
def _analyse(pattern: str) -> _Analysis:
    """(possible folded line prefixes or None, required literals or None) of a pattern.

    The prefixes are ``(closed, open)`` as :func:`_extend` finds them; None when a
    match can start anyhow. A pattern whose prefixes are known gets no literals: the
    prefix already filters, one check is enough.
    """
    if _parser is None or "[[:" in pattern or "(?V1" in pattern:
        return None, None  # no parser, or syntax that `re` would read differently
    wider = _without_properties(pattern)
    if wider is None:
        return None, None
    try:
        tree = _parser.parse(wider, re.IGNORECASE)
    except Exception:  # noqa: BLE001 - syntax only `regex` knows: no prefilter
        return None, None
    got = _extend({""}, tree)
    if got is not None and "" not in got[1]:
        return (frozenset(got[0]), frozenset(got[1])), None
    lits = _required(tree)
    if lits is not None and (len(lits) > 64 or any(len(x) < 2 and x.isalnum() for x in lits)):
        lits = None  # too weak to be worth testing
    return None, lits


def _rules(text: str, source: str = "strip_furniture.txt") -> Iterator[tuple[int, Rule]]:
    """The rules of a furniture file, with their line numbers (comments and blank lines
    skipped; patterns not compiled).

    Raises:
        DataFileError: on a malformed line or an unknown kind.
    """
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) != 3:
            raise DataFileError(f"{source}:{lineno}: expected KIND<TAB>REASON<TAB>PATTERN")
        kind, reason, pattern = fields
        if kind not in KINDS:
            raise DataFileError(f"{source}:{lineno}: unknown rule kind {kind!r} (choose from {KINDS})")
        yield lineno, Rule(kind, reason, pattern)


def parse_rules(text: str, source: str = "strip_furniture.txt") -> dict[str, RuleSet]:
    """Parse the furniture file format into one :class:`RuleSet` per kind.

    Raises:
        DataFileError: on a malformed line, an unknown kind or a bad pattern.
    """
    by_kind: dict[str, list[Rule]] = {k: [] for k in KINDS}
    for lineno, rule in _rules(text, source):
        try:
            regex.compile(rule.pattern, RULE_FLAGS)  # validated as RuleSet compiles it (then cached)
        except regex.error as exc:
            raise DataFileError(f"{source}:{lineno}: bad pattern: {exc}") from None
        by_kind[rule.kind].append(rule)
    # One scanner for the literal text of the kinds tried together: a line is scanned
    # once. The notices, tried alone on long lines (most of an article's text), have
    # a scanner of their own few literals.
    scanner = LiteralScanner({x for kind, rules in by_kind.items() if kind != "notice" for r in rules
                              for x in _analysis(r.pattern)[1] or ()})
    return {k: RuleSet(v, None if k == "notice" else scanner) for k, v in by_kind.items()}


@lru_cache(maxsize=1)
def furniture_rules() -> dict[str, RuleSet]:
    """The shipped furniture rules, by kind."""
    return parse_rules(read_lexicon_text("strip_furniture.txt"))


@lru_cache(maxsize=None)
def ordered_rules(kinds: tuple[str, ...] = KIND_ORDER) -> RuleSet:
    """The shipped rules of ``kinds`` in one :class:`RuleSet`, kind after kind (each in
    file order).

    Its first match on a line is the one found by trying each kind's rule set in turn,
    but the line's prefix is looked up once, not once per kind (most lines match no
    rule, and the lookups were most of the work for them).
    """
    by_kind = furniture_rules()
    if kinds == ("notice",):  # the notices keep the scanner of their own literals
        return by_kind["notice"]
    return RuleSet([r for k in kinds for r in by_kind[k].rules], by_kind[kinds[0]].scanner)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words of many languages (lowercase)."""
    text = read_lexicon_text("strip_stopwords.txt")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))
