"""Leaked spintax: a spinner's template published as it is.

A spinner writes its template in spintax, each spinnable phrase as a group of choices
with the original first, ``The {military|army|navy} {said|stated}``, and outputs one
choice of each group. When a site publishes the template itself, the groups stand in
the text; the first choice of each is the original, and the words outside the groups
are the writer's own. :func:`find` finds such groups, :func:`resolve` turns them into
their first choices, and :func:`compose` joins the change log of that step with the
log of a later one, so the spin stage reports one log on its input.

Braces with bars are rare elsewhere in prose but not in code or markup (``{{cite
web|url=...}}``, ``{x | x > 0}``), so a group counts only when each of its choices is
a few plain words, outside a verbatim span (addresses, code), and only in a text that
holds at least :data:`MIN_GROUPS` of them.
"""

from __future__ import annotations

import regex

from ..changes import Change
from .tokens import verbatim_spans

__all__ = ["MIN_GROUPS", "find", "resolve", "compose"]

#: The fewest groups a text must hold for any of them to count.
MIN_GROUPS = 2
#: The confidence of a group's first choice as the original.
CONFIDENCE = 0.95
#: A choice: one to six plain words (letters, digits, apostrophes, hyphens, inner
#: spaces and commas), with a letter; a group: two choices or more in single braces.
_CHOICE = r"[^\W_](?:[\w'’\-]|,? (?=[\w'’]))*"
_GROUP = regex.compile(r"(?<!\{)\{(" + _CHOICE + r"(?:\|" + _CHOICE + r")+)\}(?!\})")
_MAX_WORDS = 6


def find(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """The groups of leaked spintax in ``text``: ``(start, end, choices)`` each, in
    order; none when fewer than :data:`MIN_GROUPS` qualify."""
    if "|" not in text or "{" not in text:
        return []
    verbatim = verbatim_spans(text)
    found = []
    for m in _GROUP.finditer(text):
        choices = tuple(m.group(1).split("|"))
        if any(len(c.split()) > _MAX_WORDS or not any(ch.isalpha() for ch in c) for c in choices):
            continue  # long, or figures ("{1, 2|3}")
        if any(a < m.end() and m.start() < b for a, b in verbatim):
            continue
        found.append((m.start(), m.end(), choices))
    return found if len(found) >= MIN_GROUPS else []


def resolve(text: str, stage: str = "spin") -> tuple[str, list[Change]]:
    """``text`` with each group of leaked spintax replaced by its first choice, and the
    changes (offsets into ``text``)."""
    changes = [Change(start, end, text[start:end], choices[0], stage,
                      f"leaked spintax {text[start:end]!r} -> its first choice {choices[0]!r}, "
                      "a spinner's original", CONFIDENCE)
               for start, end, choices in find(text)]
    return (_applied(text, changes), changes) if changes else (text, [])


def compose(text: str, first: list[Change], second: list[Change]) -> list[Change]:
    """One log of edits on ``text`` that does what ``first`` (offsets into ``text``) and
    then ``second`` (offsets into the result of ``first``) do, in order of offsets.
    Changes of the two that overlap are merged into one (reasons joined, the lower
    confidence, the stage of ``second``)."""
    if not first:
        return list(second)
    middle = _applied(text, first)
    # every change on the intermediate text's offsets: (start, end, is_first, change)
    items, delta = [], 0
    shifts = []  # (end in the intermediate text, total length change up to there)
    for ch in first:
        start = ch.start + delta
        delta += len(ch.after) - (ch.end - ch.start)
        items.append((start, start + len(ch.after), True, ch))
        shifts.append((start + len(ch.after), delta))
    items += [(ch.start, ch.end, False, ch) for ch in second]
    items.sort(key=lambda it: (it[0], it[1]))

    def to_text(pos: int) -> int:  # an intermediate offset outside every change of ``first``
        d = 0
        for end, total in shifts:
            if end > pos:
                break
            d = total
        return pos - d

    out: list[Change] = []
    k = 0
    while k < len(items):
        group = [items[k]]
        end = max(items[k][1], items[k][0] + 1)
        k += 1
        while k < len(items) and items[k][0] < end:
            group.append(items[k])
            end = max(end, items[k][1], items[k][0] + 1)
            k += 1
        firsts = [it for it in group if it[2]]
        seconds = [it for it in group if not it[2]]
        if not seconds:
            out.append(firsts[0][3])
            continue
        if not firsts:
            ch = seconds[0][3]
            out.append(Change(to_text(ch.start), to_text(ch.start) + len(ch.before), ch.before, ch.after,
                              ch.stage, ch.reason, ch.confidence))
            continue
        lo, hi = min(it[0] for it in group), max(it[1] for it in group)
        start = next((it[3].start for it in firsts if it[0] == lo), None)
        start = to_text(lo) if start is None else start
        stop = next((it[3].end for it in firsts if it[1] == hi), None)
        stop = to_text(hi) if stop is None else stop
        after, pos = [], lo
        for a, b, _f, ch in seconds:
            after += [middle[pos:a], ch.after]
            pos = b
        after.append(middle[pos:hi])
        out.append(Change(start, stop, text[start:stop], "".join(after), seconds[0][3].stage,
                          "; ".join(it[3].reason for it in group),
                          min(it[3].confidence for it in group)))
    return out


def _applied(text: str, changes: list[Change]) -> str:
    """``text`` after ``changes`` (sorted, not overlapping)."""
    pieces, pos = [], 0
    for ch in changes:
        pieces += [text[pos:ch.start], ch.after]
        pos = ch.end
    pieces.append(text[pos:])
    return "".join(pieces)
