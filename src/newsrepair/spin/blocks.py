"""Cutting a long text: into blocks of whole lines that detection judges on their own
(:func:`text_blocks`), into pieces that reversal decodes one at a time
(:func:`text_pieces`), and the character spans it leaves out (:func:`merged_spans`,
:func:`overlaps`).
"""

from __future__ import annotations

import re
from bisect import bisect_right


def text_blocks(text: str, size: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of ``text`` cut into blocks of whole lines of at least
    ``size`` words each (a last block of fewer than half as many joins the one before
    it); one block for a text of fewer than ``2 * size`` words.

        >>> text_blocks("a b c d\\ne f g h\\ni\\n", 4)
        [(0, 8), (8, 18)]
        >>> text_blocks("a b\\nc\\n", 4)
        [(0, 6)]
    """
    if len(text.split()) < 2 * size:
        return [(0, len(text))] if text else []
    blocks: list[tuple[int, int]] = []
    start = words = 0
    for line in LINE.finditer(text):
        words += len(line.group().split())
        if words >= size:
            blocks.append((start, line.end()))
            start, words = line.end(), 0
    if start < len(text):
        if blocks and words < size // 2:
            blocks[-1] = (blocks[-1][0], len(text))
        else:
            blocks.append((start, len(text)))
    return blocks


def text_pieces(text: str, size: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of ``text`` cut into pieces of at least ``size``
    characters, each ending where a sentence surely ends (:data:`_PIECE_END`: a blank
    line, a line ending in ".", "!" or "?", or in a text without line breaks the space
    after such a sentence), so that no token or sentence spans two
    (:func:`.decode.sentences`); one piece for a shorter text or one without such a
    place.

        >>> text_pieces("One.\\nTwo.\\n\\nThree", 3)
        [(0, 5), (5, 11), (11, 16)]
        >>> text_pieces("no line ends here", 3)
        [(0, 17)]
    """
    pieces = []
    start = 0
    while len(text) - start > size:
        cut = _PIECE_END.search(text, start + size)
        if cut is None:
            break
        pieces.append((start, cut.end()))
        start = cut.end()
    if start < len(text) or not pieces:
        pieces.append((start, len(text)))
    return pieces


#: Where :func:`text_pieces` may end a piece: the white space of a line break after a
#: sentence's end, or of a blank line; in a text without line breaks, the spaces after a
#: sentence's end that follows a word of five lowercase letters (no initial, title or
#: initialism: :func:`.tokens.abbreviation_dot`) and comes before a capital.
_PIECE_END = re.compile(r"(?:(?<=[.!?])[^\S\n]*\n|\n[^\S\n]*\n)\s*|(?<=[a-z]{5}[.!?])[^\S\n]+(?=[A-Z])")
#: A line and its line break.
LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` in order, those that overlap or touch joined into one.

        >>> merged_spans([(5, 9), (0, 3), (2, 4), (9, 12)])
        [(0, 4), (5, 12)]
    """
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether the characters [start, end) overlap one of ``spans`` (in order, not
    overlapping each other; ``starts`` their starts): one bisect."""
    k = bisect_right(starts, end - 1) - 1  # the last span starting before the end
    return k >= 0 and spans[k][1] > start
