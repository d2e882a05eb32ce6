"""A synthetic synonym spinner, to measure unspinning on any clean corpus.

A spinner dictionary is a text file of groups, one per line, ``original|sub|sub``:
the first phrase is the original wording, the others are what a spinner may put in
its place. Blank lines and lines starting with ``#`` are ignored.

    >>> groups = parse_groups(["military|navy|army", "because|for the reason that"])
    >>> r = spin("The military left because of rain.", groups, rate=1.0, seed=1)
    >>> r.text in ("The navy left for the reason that of rain.",
    ...            "The army left for the reason that of rain.")
    True
    >>> [(s.before, s.start, s.end) for s in r.substitutions]
    [('military', 4, 12), ('because', 18, 25)]

Matching is case-insensitive on whole tokens, longest phrase first, left to right;
capitalisation carries over ("Military" -> "Navy", "MILITARY" -> "NAVY"). Every
character outside a replaced phrase is kept as it was. The same seed gives the same
output.
"""

from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

__all__ = ["Substitution", "SpinResult", "parse_groups", "load_groups", "invert_groups", "spin"]

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
_INLINE_SPACE = re.compile(r"[^\S\n]+")


@dataclass(frozen=True)
class Substitution:
    """One replaced phrase: ``before`` at ``start:end`` of the input became ``after``."""

    start: int
    end: int
    before: str
    after: str


@dataclass(frozen=True)
class SpinResult:
    """The spun text and the substitutions made, in order of position."""

    text: str
    substitutions: tuple[Substitution, ...]


Key = tuple[tuple[str, ...], tuple[bool, ...]]


def _key(phrase: str) -> Key | None:
    """Lower-cased tokens of ``phrase`` and, for each gap between tokens, whether it is a space."""
    found = list(_TOKEN.finditer(phrase.strip()))
    if not found:
        return None
    stripped = phrase.strip()
    gaps = tuple(stripped[a.end():b.start()] != "" for a, b in zip(found, found[1:]))
    return tuple(m.group().lower().translate(_APOS) for m in found), gaps


def parse_groups(lines: Iterable[str]) -> dict[Key, tuple[str, ...]]:
    """Parse ``original|sub|sub`` lines into a map from the original's key to its substitutes.

    Groups that share an original are merged; substitutes equal to the original (ignoring
    case) are dropped, and so are groups left without a substitute.
    """
    groups: dict[Key, list[str]] = {}
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        key = _key(parts[0])
        if key is None:
            continue
        subs = groups.setdefault(key, [])
        for p in parts[1:]:
            if p and p.lower() != parts[0].lower() and p not in subs:
                subs.append(p)
    return {k: tuple(v) for k, v in groups.items() if v}


def load_groups(path: str | os.PathLike[str]) -> dict[Key, tuple[str, ...]]:
    """Read a spinner dictionary file (UTF-8, ``original|sub|sub`` per line)."""
    with open(path, encoding="utf-8-sig") as fh:
        return parse_groups(fh)


def invert_groups(groups: Mapping[Key, Sequence[str]]) -> dict[Key, tuple[str, ...]]:
    """Map each substitute back to its original (the first original when several share it).

    ``spin(text, invert_groups(groups), rate=1.0)`` is the naive, context-free unspinner.

        >>> inv = invert_groups(parse_groups(["military|navy", "because|since"]))
        >>> spin("The Navy left since dawn.", inv, rate=1.0).text
        'The Military left because dawn.'
    """
    out: dict[Key, tuple[str, ...]] = {}
    for (words, gaps), subs in groups.items():
        original = " ".join(words) if all(gaps) else None
        for sub in subs:
            key = _key(sub)
            if key is None or key in out:
                continue
            if original is None:  # rebuild the original's spacing from its gap pattern
                original = words[0] + "".join((" " if g else "") + w for g, w in zip(gaps, words[1:]))
            out[key] = (original,)
    return out


def _carry_case(source: str, target: str) -> str:
    letters = [c for c in source if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return target.upper()
    if source[:1].isupper() and target[:1].islower():
        return target[:1].upper() + target[1:]
    return target


def spin(text: str, groups: Mapping[Key, Sequence[str]], rate: float = 0.5,
         seed: int | str = 0) -> SpinResult:
    """Spin ``text``: each occurrence of a dictionary phrase is replaced with probability ``rate``.

    Phrases are matched on whole tokens, ignoring case, longest first; the tokens of a
    phrase must be separated in the text as in the dictionary (by spaces or tabs, never
    a line break, or not at all). The substitute is drawn uniformly from the group.
    Runs in time linear in the text (times the longest phrase's length).
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0, 1], not {rate!r}")
    if not groups or not text:
        return SpinResult(text, ())
    rng = random.Random(seed)
    max_len = max(len(k[0]) for k in groups)
    toks = list(_TOKEN.finditer(text))
    low = [m.group().lower().translate(_APOS) for m in toks]
    # gap_ok[i]: kind of gap between token i and i+1 (True = inline space, False = none,
    # None = anything else, which no phrase may span).
    gaps: list[bool | None] = []
    for a, b in zip(toks, toks[1:]):
        between = text[a.end():b.start()]
        gaps.append(False if between == "" else (True if _INLINE_SPACE.fullmatch(between) else None))
    subs: list[Substitution] = []
    i = 0
    n = len(toks)
    while i < n:
        matched = 0
        for length in range(min(max_len, n - i), 0, -1):
            g = tuple(gaps[i:i + length - 1])
            if None in g:
                continue
            options = groups.get((tuple(low[i:i + length]), g))
            if options is None:
                continue
            matched = length
            if rng.random() < rate:
                start, end = toks[i].start(), toks[i + length - 1].end()
                before = text[start:end]
                subs.append(Substitution(start, end, before, _carry_case(before, rng.choice(list(options)))))
            break
        i += matched or 1
    if not subs:
        return SpinResult(text, ())
    out: list[str] = []
    pos = 0
    for s in subs:
        out.append(text[pos:s.start])
        out.append(s.after)
        pos = s.end
    out.append(text[pos:])
    return SpinResult("".join(out), tuple(subs))


_APOS = str.maketrans({"’": "'"})
