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

from ..langmodel import LM_TOKEN

__all__ = ["Token", "tokenize", "normalize", "TOKEN_RE", "verbatim_spans", "HONORIFICS", "abbreviation_dot"]

#: A number, a word with optional inner apostrophes, or one non-space symbol: the
#: language model's own tokens (:data:`..langmodel.LM_TOKEN`, one pattern), so that what
#: the decoder scores is what the model counted.
TOKEN_RE = LM_TOKEN

#: Text that is not prose and whose words must stay as written: a web address (with or
#: without its scheme: "gov.uk/help"), an e-mail address, a markup tag, a hashtag or a
#: handle, a Markdown link's target or a reference link's definition, a file name
#: ("report.pdf") and code (`inline` or fenced with ```).
VERBATIM_RE = regex.compile(r"""
    (?:https?|ftp)://[^\s<>"]+ | \bwww\.[^\s<>"]+
  | [\w.+-]+@[\w-]+(?:\.[\w-]+)+
  | \b(?:[\w-]+\.)+(?:com|org|net|gov|edu|mil|int|info|biz|news|io|ai|app|co|uk|us|eu|de|fr|es|it|nl
                     |au|ca|in|nz|ie|za|ke|ng|jp|cn|ru|br|tv|me|ly)\b(?:/[^\s<>"()\[\]]*)?
  | \]\([^)\s]+\) | (?m:^[ \t]*\[[^\]\n]+\]:[ \t]*\S+)
  | \b[\w-]+\.(?:docx?|pdf|xlsx?|csv|txt|jpe?g|png|gif|zip|html?|pptx?|json|xml)\b
  | (?s:```.*?```) | `[^`\n]+`
  | </?[A-Za-z!][^<>\n]{0,500}>
  | (?<![\w&])[#@]\w+
""", regex.VERBOSE)


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


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Split ``text`` into :class:`Token` objects with their offsets (of ``text[start:end]``
    only, with offsets in ``text``, when they are given)."""
    out = []
    for m in TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        t = m.group()
        out.append(Token(m.start(), m.end(), t, normalize(t), t[0].isalpha()))
    return out


#: Titles written before a person's name, with or without a full stop ("Mr", "Gen."):
#: the capitalised word after one is a name, and its full stop ends no sentence.
HONORIFICS = frozenset(
    "mr mrs ms mx miss dr prof sir dame lord lady rev fr gen lt col maj capt cmdr adm brig sgt cpl pte "
    "gov sen rep insp supt det".split())

#: Closed-class words: a spun phrase made only of these ("will", "but", "an") is too
#: common in clean text to be a spinner's signature (it stays a reversal candidate).
FUNCTION_WORDS = frozenset("""
a an the this that these those and or but nor so yet for of to in on at by from with
without into onto over under about above below after before since until while as
than then if because though although whether be is are was were been being am have
has had do does did will would shall should can could may might must not no any
some each every all both either neither it its they them their he him his she her
we us our you your i me my who whom whose which what there here one ones
""".split())


def abbreviation_dot(tokens: list[Token], j: int) -> bool:
    """Whether ``tokens[j]`` is the full stop of an abbreviation, which ends no sentence:
    after an initial or an initialism ("J. Smith", "the U.S. Navy") or a title ("Gen.
    Ortiz"), written without a space before it."""
    if j < 1 or tokens[j].text != "." or tokens[j - 1].end != tokens[j].start:
        return False
    word = tokens[j - 1].text
    return (len(word) == 1 and word.isupper()) or tokens[j - 1].norm in HONORIFICS


def without_possessive(word: str) -> str:
    """``word`` (a lowercase token, straight apostrophe) without a possessive "'s":
    "world's" -> "world"."""
    return word[:-2] if word.endswith("'s") else word


def verbatim_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of the parts of ``text`` that are not prose
    (:data:`VERBATIM_RE`), in order: a spinner's swap is never restored there, since a
    word in ``https://example.com/navy/`` or ``navy@example.org`` is part of a name.

        >>> verbatim_spans("See www.example.com/navy or #navy.")
        [(4, 24), (28, 33)]
    """
    if not _MAY_HOLD_VERBATIM.search(text):
        return []  # most texts: one quick scan
    return [m.span() for m in VERBATIM_RE.finditer(text)]


#: What every match of :data:`VERBATIM_RE` holds: a scheme, "www.", "@", "<", "#", "]",
#: "`", or a full stop between a letter or digit and a letter (a domain, a file name).
_MAY_HOLD_VERBATIM = regex.compile(r"://|www\.|[@<#\]`]|[\w-]\.[a-z]")
