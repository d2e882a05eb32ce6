"""Carry the text's own form over to a restored phrase: capitalisation and apostrophes.

    >>> transfer("Mentioned", "said")
    'Said'
    >>> transfer("navy’s", "military's")
    'military’s'
    >>> transfer("NAVY", "military")
    'MILITARY'
    >>> transfer("U.Ok.", "u . k ."), transfer("Okay-pop", "k - pop"), transfer("Nineteen Nineties", "1990 s")
    ('U.K.', 'K-pop', '1990s')
    >>> transfer("in Could", "in may")
    'in May'
    >>> transfer("PCs", "computers"), transfer("US", "united states", {"united states"})
    ('computers', 'United States')
    >>> transfer("H2O", "water"), transfer("Lawmakers", "MPs")
    ('water', 'MPs')
    >>> transfer("CEOs", "chief executives", sentence_start=True)
    'Chief executives'
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["transfer", "article_for", "SMALL_WORDS"]

#: The words of the spun text whose capitals are carried over (inner apostrophes stay:
#: "League’s"; hyphens and full stops separate: "U.Ok." has two, "Okay-pop" two).
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: Tokens of a lexicon phrase written without a space before them, and after them.
_NO_SPACE_BEFORE = frozenset(".-/'’,:")
_NO_SPACE_AFTER = frozenset("-/'’")

#: A spun abbreviation ("US", "PCs", "CEOs", "H2O", "P.C."): its capitals belong to it, not to the
#: sentence, so they are not carried over to the words it stands for.
_ABBREVIATION = re.compile(r"[A-Z]{2,3}|[A-Z]{2,}s|(?=[A-Z0-9]*[0-9])(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2,5}|(?:[A-Z]\.)+[A-Z]\.?")
#: Words left lowercase inside a capitalised name ("League for Democracy").
SMALL_WORDS = frozenset("a an and as at by for from in of on or the to with".split())


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def transfer(spun: str, original: str, proper: frozenset[str] | set[str] = frozenset(),
             in_capitals: bool = False, sentence_start: bool = False) -> str:
    """``original`` (lexicon form, lowercase) written the way ``spun`` is written.

    All-caps spun text gives all-caps output; a capitalised span whose words are all
    capitalised (a name or title, "Senior Basic") gives capitalised words; a capitalised
    first word (sentence start) capitalises the first word only. An abbreviation ("US",
    "PCs") gives its original as written in the lexicon, capitalised only at the
    ``sentence_start`` ("CEOs met" -> "Chief executives met"), unless ``in_capitals`` (the
    text around is written in capitals, so "BIG" is a word, not an abbreviation). Words listed in ``proper`` are
    capitalised wherever they occur, and so are both words of a listed pair ("united
    states"). The spun text's apostrophe (’ or ') is used.
    """
    if not isinstance(proper, frozenset):
        proper = frozenset(proper)
    return _transfer(spun, original, proper, in_capitals, sentence_start)


@lru_cache(maxsize=16_384)
def _transfer(spun: str, original: str, proper: frozenset[str], in_capitals: bool, sentence_start: bool) -> str:
    # cached: a spinner's few substitutes recur throughout a corpus ("mentioned" -> "said")
    if "’" in spun:
        original = original.replace("'", "’")
    abbreviation = not in_capitals and _ABBREVIATION.fullmatch(spun) is not None
    letters = [c for c in spun if c.isalpha()]
    if not abbreviation and len(letters) > 1 and all(c.isupper() for c in letters):
        return original.upper()
    words = _glue_plural_numbers(original.split(" "))
    spun_words = [] if abbreviation else _WORDS.findall(spun)
    if _title_case(spun_words) or (
            len(spun_words) == 1 and spun_words[0][:1].isupper() and len(words) > 1
            and all(w in proper or w in SMALL_WORDS for w in words)):
        words = [w if (w in SMALL_WORDS and k) else _cap(w) for k, w in enumerate(words)]
    elif spun[:1].isupper() and (sentence_start or not abbreviation):
        words[0] = _cap(words[0])
    # as many words as the spun text: a capital is carried over word by word ("in Could"
    # -> "in May", the month a spinner read as the verb)
    alpha = [k for k, w in enumerate(words) if w[:1].isalpha()]
    if len(alpha) == len(spun_words) > 1:
        for k, sw in zip(alpha, spun_words):
            if sw[:1].isupper():
                words[k] = _cap(words[k])
    # a word the spun text writes in lowercase stays so ("youngster labour" -> "child
    # labour", although "Labour" is a name)
    kept = {w for w in spun_words if w.islower()}
    words = [_cap(w) if w.split("'")[0].split("’")[0] in proper and w not in kept else w for w in words]
    for k in range(len(words) - 1):
        a, b = words[k].lower(), words[k + 1].lower()
        if a not in SMALL_WORDS and b not in SMALL_WORDS and f"{a} {b}" in proper and not {a, b} & kept:
            words[k], words[k + 1] = _cap(words[k]), _cap(words[k + 1])
    # a word the spun text shares with the original keeps its capitals beyond the first
    # letter ("FBI brokers" -> "FBI agents", not "Fbi agents")
    shaped = {w.lower(): w for w in spun_words if not w[1:].islower() and w[1:] != ""}
    if shaped:
        words = [shaped.get(w.lower(), w) for w in words]
    return _join(words)


def _title_case(words: list[str]) -> bool:
    """Whether spun words are written as a name or title: the first capitalised, and of
    the words that are not SMALL_WORDS, at least two and more than half capitalised. A
    spinner capitalises only the first word of a substitute, so a name keeps a
    lowercase word inside ("Space of Representatives", "Global Well being Group")."""
    if len(words) < 2 or not words[0][:1].isupper():
        return False
    big = [w for w in words if w.lower() not in SMALL_WORDS]
    caps = sum(1 for w in big if w[:1].isupper())
    return caps >= 2 and 2 * caps > len(big) or all(w[:1].isupper() for w in words)


def _glue_plural_numbers(tokens: list[str]) -> list[str]:
    """The lexicon form splits "1990s" into "1990 s": glue the "s" back on."""
    out: list[str] = []
    for tok in tokens:
        if tok == "s" and out and out[-1][-1:].isdigit():
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _join(tokens: list[str]) -> str:
    """A lexicon phrase's tokens as text: "u . k ." is "u.k.", "k - pop" is "k-pop"."""
    out = tokens[:1]
    for prev, tok in zip(tokens, tokens[1:]):
        if tok in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER or (prev == "." and tok[:1].isalnum()):
            out.append(tok)
        else:
            out.append(" " + tok)
    return "".join(out)


_CONSONANT_SOUND = ("uni", "use", "usu", "uti", "eu", "one", "once", "ewe", "ur")
_VOWEL_SOUND = ("hour", "honest", "honou", "heir")


def article_for(phrase: str) -> str:
    """The indefinite article ("a" or "an") that goes before ``phrase`` (spelling rule).

    >>> article_for("meeting"), article_for("earlier"), article_for("hour"), article_for("union")
    ('a', 'an', 'an', 'a')
    """
    word = phrase.lower()
    if word.startswith(_VOWEL_SOUND):
        return "an"
    if word[:1] in "aeiou" and not word.startswith(_CONSONANT_SOUND):
        return "an"
    return "a"
