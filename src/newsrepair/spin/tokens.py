"""Tokens with character offsets, as the spin lexicons and the decoder see them.

A token is a word (inner apostrophes stay: "doesn't", "people's", "Myanmar’s"), a number
("2,000", "3.5") or a single punctuation mark. Lexicon phrases are lowercase tokens
joined by single spaces, with curly apostrophes straightened, so "p.c" is ``"p . c"``.

    >>> [t.norm for t in tokenize("The navy’s 12 months")]
    ['the', "navy's", '12', 'months']
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

__all__ = ["Token", "tokenize", "normalize", "TOKEN_RE"]

#: A number, a word with optional inner apostrophes, or one non-space symbol.
TOKEN_RE = regex.compile(r"\d+(?:[.,:]\d+)*|\w+(?:['’]\w+)*|[^\w\s]")


@dataclass(slots=True)
class Token:
    """One token of a text (treat it as read-only).

    Attributes:
        start, end: character offsets in the text.
        text: the token as written.
        norm: lowercase form with straight apostrophes; numbers stay as written.
        is_word: the token starts with a letter.

    Not frozen: a frozen dataclass sets its fields through ``object.__setattr__``, which
    made tokenising a third slower (reversal tokenises every sentence of a spun text).
    """

    start: int
    end: int
    text: str
    norm: str
    is_word: bool


def normalize(word: str) -> str:
    """The lexicon form of one token: lowercase, with a straight apostrophe."""
    return word.lower().replace("’", "'")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into :class:`Token` objects with their offsets."""
    out = []
    for m in TOKEN_RE.finditer(text):
        t = m.group()
        out.append(Token(m.start(), m.end(), t, normalize(t), t[0].isalpha()))
    return out
