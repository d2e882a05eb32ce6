"""Leaked spintax: a spinner's template published as it is.

A spinner writes its template in spintax, each spinnable phrase as a group of choices
with the original first, ``The {military|army|navy} {said|stated}``, and outputs one
choice of each group. When a site publishes the template itself, the groups stand in
the text; the first choice of each is the original, and the words outside the groups
are the writer's own. :func:`find` finds such groups, :func:`resolve` turns them into
their first choices, and :func:`compose` joins the change log of that step with the
log of a later one, so the spin stage reports one log on its input.

Braces with bars are common outside prose (usage lines ``{start|stop}``, LaTeX
``{l|c|r}``, code ``{O_RDONLY|O_CREAT}``, set notation, wiki markup). So a group
counts only when it stands as a word of prose (after a space or an opening bracket or
quotation mark, before a space or punctuation), each choice is one to six words of
letters, outside a verbatim span (addresses, code); and a text holds a template only
when at least :data:`MIN_GROUPS` of its groups offer choices that a spin lexicon links
as synonyms (``related``): "{start|stop}" and "{debug|info}" are alternatives, not a
spinner's synonyms. Then every group of the text that counts is resolved.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable

import regex

from ..changes import Change, apply_changes
from .tokens import verbatim_spans

__all__ = ["MIN_GROUPS", "CONFIDENCE", "find", "resolve", "placed", "outside", "compose"]

#: The fewest groups of linked choices a text must hold to be a template.
MIN_GROUPS = 2
#: The confidence of a group's first choice as the original.
CONFIDENCE = 0.95
#: A choice: one to six words of letters (with apostrophes, hyphens, inner spaces and
#: commas); a group: two choices or more in single braces, as a word of prose.
_CHOICE = r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_])|,? (?=[^\W\d_]))*"
_GROUP = regex.compile(r"(?:^|(?<=[\s(\[\"“‘'«]))\{(" + _CHOICE + r"(?:\|" + _CHOICE
                       + r")+)\}(?=$|[\s.,;:!?)\]\"”’'»…])", regex.MULTILINE)
_MAX_WORDS = 6


def find(text: str, related: Callable[[str, str], bool]) -> list[tuple[int, int, tuple[str, ...]]]:
    """The groups of a spinner's template left in ``text``: ``(start, end, choices)``
    each, in order; none unless at least :data:`MIN_GROUPS` of them have two choices
    that ``related(a, b)`` (lowercase phrases) links."""
    if "|" not in text or "{" not in text:
        return []
    found = []  # (start, end, choices, linked)
    for m in _GROUP.finditer(text):
        choices = tuple(m.group(1).split("|"))
        if any(len(c.split()) > _MAX_WORDS or (len(c) > 1 and c.isupper()) for c in choices):
            continue  # long, or capitals ("{READ|WRITE}": constants)
        low = [c.lower() for c in choices]
        linked = any(related(a, b) or related(b, a) for i, a in enumerate(low) for b in low[i + 1:])
        found.append((m.start(), m.end(), choices, linked))
    if sum(g[3] for g in found) < MIN_GROUPS:
        return []
    verbatim = verbatim_spans(text)  # only now: it reads the whole text
    ends = [b for _a, b in verbatim]

    def in_prose(start: int, end: int) -> bool:
        k = bisect_right(ends, start)  # the first span that ends after the group starts
        return k == len(verbatim) or verbatim[k][0] >= end

    found = [g for g in found if in_prose(g[0], g[1])]
    return [g[:3] for g in found] if sum(g[3] for g in found) >= MIN_GROUPS else []


def resolve(text: str, related: Callable[[str, str], bool], stage: str = "spin") -> tuple[str, list[Change]]:
    """``text`` with each group of a spinner's template (:func:`find`) replaced by its
    first choice, and the changes (offsets into ``text``)."""
    changes = [Change(start, end, text[start:end], choices[0], stage,
                      f"leaked spintax {text[start:end]!r} -> its first choice {choices[0]!r}, "
                      "a spinner's original", CONFIDENCE)
               for start, end, choices in find(text, related)]
    return (apply_changes(text, changes), changes) if changes else (text, [])


def placed(first: list[Change]) -> list[tuple[int, int]]:
    """Where each of the changes ``first`` (sorted, not overlapping) stands in the text
    they make: ``(start, end)`` of its ``after``."""
    out, delta = [], 0
    for ch in first:
        out.append((ch.start + delta, ch.start + delta + len(ch.after)))
        delta += len(ch.after) - (ch.end - ch.start)
    return out


def outside(first: list[Change], second: list[Change]) -> list[Change]:
    """The changes of ``second`` (offsets into the text ``first`` makes) that touch no
    change of ``first``."""
    spans = placed(first)
    ends = [b for _a, b in spans]
    return [c for c in second if (k := bisect_right(ends, c.start)) == len(spans) or spans[k][0] >= c.end]


def compose(text: str, first: list[Change], second: list[Change]) -> list[Change]:
    """One log of edits on ``text`` that does what ``first`` (offsets into ``text``) and
    then ``second`` (offsets into the result of ``first``) do, in order of offsets.
    Changes of the two that overlap are merged into one (reasons joined, the lower
    confidence, the stage of ``second``)."""
    if not first:
        return list(second)
    middle = apply_changes(text, first)
    spans = placed(first)
    # every change on the intermediate text's offsets: (start, end, is_first, change)
    items = [(a, b, True, ch) for (a, b), ch in zip(spans, first)]
    items += [(ch.start, ch.end, False, ch) for ch in second]
    items.sort(key=lambda it: (it[0], it[1]))
    ends = [b for _a, b in spans]

    def to_text(pos: int) -> int:  # an intermediate offset outside every change of ``first``
        k = bisect_right(ends, pos)  # the changes of ``first`` that end at or before it
        return pos if k == 0 else pos - (ends[k - 1] - first[k - 1].end)

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

