"""Per-line features of a scraped page: the shape of each line, computed once.

A page is split into lines; each non-blank line gets a :class:`Line` with its word
count, stopword density, end punctuation and a few shape flags. Everything here is
one pass over the line with precompiled regexes, so the whole stage stays linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex

from .lexicon import stopwords

__all__ = ["Line", "split_lines", "normalise", "WORD"]

#: Words: runs of letters/digits, with inner apostrophes and hyphens.
WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
#: Scripts written without spaces between words (Chinese, Japanese, Thai...).
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
_HANGUL = regex.compile(r"\p{Hangul}+")
_SPACES = regex.compile(r"\s+")
_SENT_END = regex.compile(r"""[.!?。！？…:;।॥။؟۔።]["'”’»)\]]*\s*$""")
_SENT_INNER = regex.compile(r"""[\p{Ll}\p{N}][.!?]["'”’»)]*\s+["'“‘«(]?\p{Lu}""")
_SEPARATORS = regex.compile(r"\s[|•·»›/]\s|\s[|•·]\s?|\s-\s")
_URLISH = regex.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|^@\w+$")


def normalise(line: str) -> str:
    """The form of a line used for rule matching and repetition: trimmed, single-spaced."""
    return " ".join(line.split())


@dataclass(slots=True)
class Line:
    """One non-blank line of the page and its features.

    Attributes:
        index: position among the page's non-blank lines.
        start, end: character offsets of the line (without its newline) in the page.
        text: the normalised line.
        words: word count (for scripts without spaces, characters / 2).
        stop_ratio: share of words that are function words (any of many languages).
        sentence_end: the line ends like a sentence (. ! ? …, maybe with a quote).
        sentences: rough count of sentence boundaries inside the line.
        lower_ratio: share of words that start lowercase.
        separators: count of menu separators (" | ", " • ", " / ").
        urlish: the line is (or contains) a URL, e-mail address or @handle.
    """

    index: int
    start: int
    end: int
    text: str
    words: float
    stop_ratio: float
    sentence_end: bool
    sentences: int
    lower_ratio: float
    separators: int
    urlish: bool
    label: str = ""
    reason: str = ""
    confidence: float = 0.0
    rule: str = ""
    rule_kind: str = ""
    extra: dict = field(default_factory=dict)


def _measure(index: int, start: int, end: int, raw: str, stop: frozenset[str]) -> Line:
    text = normalise(raw)
    toks = WORD.findall(text)
    n = len(toks)
    if n:
        lowered = [t.lower() for t in toks]
        n_stop = sum(1 for t in lowered if t in stop)
        n_lower = sum(1 for t in toks if t[0].islower())
    else:
        n_stop = n_lower = 0
    words = float(n)
    if n and len(text) > 12 * n + 8:
        # Scripts without spaces: a "word" spans many characters.
        cjk = len(_CJK.findall(text))
        if cjk:
            words = max(words, cjk / 2.0)
    short = len(text) <= 400
    if short and _HANGUL.search(text):
        n_lower = n  # Korean has no case; don't read it as Title Case.
        n_stop = max(n_stop, n // 5)
    return Line(
        index=index, start=start, end=end, text=text, words=words,
        stop_ratio=n_stop / n if n else 0.0,
        sentence_end=bool(_SENT_END.search(text[-8:])),
        sentences=len(_SENT_INNER.findall(text)) if short else 2,
        lower_ratio=n_lower / n if n else 0.0,
        separators=len(_SEPARATORS.findall(text)) if short else 0,
        urlish=bool(_URLISH.search(text)) if short else False,
    )


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` with their offsets and features."""
    stop = stopwords()
    out: list[Line] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        raw = text[pos:end]
        if raw.strip():
            out.append(_measure(len(out), pos, end, raw, stop))
        if nl < 0:
            break
        pos = nl + 1
    return out
