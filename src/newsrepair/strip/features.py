"""Per-line features of a scraped page: the shape of each line, computed lazily.

A page is split into lines; each non-blank line gets a :class:`Line` with its word
count and end punctuation, and, computed only when the classifier asks for them,
its stopword density, share of lowercase words, menu separators and links. Long
prose lines take a fast path (whitespace tokens instead of a word regex), because
their class does not depend on the details. Everything is one pass over each line
with precompiled regexes, so the whole stage stays linear in the page's length.
"""

from __future__ import annotations

import re

import regex

from .lexicon import stopwords

__all__ = ["Line", "split_lines", "normalise", "WORD"]

#: Words: runs of letters/digits, with inner apostrophes and hyphens.
WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
#: Scripts written without spaces between words (Chinese, Japanese, Thai...).
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
_HANGUL = regex.compile(r"\p{Hangul}")
_SENT_END = re.compile(r"""[.!?。！？…:;।॥။؟۔።]["'”’»)\]]*\s*$""")
_SENT_INNER = regex.compile(r"""[\p{Ll}\p{N}][.!?]["'”’»)]*\s+["'“‘«(]?\p{Lu}""")
_SEPARATORS = re.compile(r"\s[|•·»›/]\s|\s[|•·]\s?|\s-\s")
_SEP_CHARS = re.compile(r"[|•·»›/-]")
_URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|^@\w+$")

#: Characters that show nothing: a line of only these (and spaces) is a blank line.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"

#: Lines longer than this (characters) are not examined for menus, links or inner
#: sentences: they are prose or one blob.
SHORT_CHARS = 400
#: Lines with at least this many whitespace tokens take the fast path: they are
#: prose whatever their details (the classifier calls 40+ words "good").
LONG_TOKENS = 48


def normalise(line: str) -> str:
    """The form of a line used for rule matching and repetition: trimmed, single-spaced."""
    return " ".join(line.split())


class Line:
    """One non-blank line of the page and its features.

    Attributes:
        index: position among the page's non-blank lines.
        start, end: character offsets of the line (without its newline) in the page.
        text: the normalised line.
        words: word count (for scripts without spaces, characters / 2; for long
            prose lines, whitespace tokens).
        sentence_end: the line ends like a sentence (. ! ? …, maybe with a quote).
        stop_ratio: share of words that are function words (any of many languages).
        lower_ratio: share of words that start lowercase.
        sentences: rough count of sentence boundaries inside the line.
        separators: count of menu separators (" | ", " • ", " / ").
        urlish: the line is (or contains) a URL, e-mail address or @handle.

    The last five (and ``digit_ratio``) are computed on first use and cached. The
    classifier fills in ``label``, ``rule_kind``, ``rule``, ``weak`` (a loose rule on a
    sentence-shaped line), ``table`` (a row of a table), and ``reason`` /
    ``confidence`` for removed lines.
    """

    __slots__ = ("index", "start", "end", "text", "words", "sentence_end", "label", "reason",
                 "confidence", "rule", "rule_kind", "weak", "table", "_toks", "_stop", "_lower",
                 "_sentences", "_separators", "_urlish")

    def __init__(self, index: int, start: int, end: int, text: str, words: float,
                 sentence_end: bool, toks: list[str] | None = None) -> None:
        self.index = index
        self.start = start
        self.end = end
        self.text = text
        self.words = words
        self.sentence_end = sentence_end
        self.label = ""
        self.reason = ""
        self.confidence = 0.0
        self.rule = ""
        self.rule_kind = ""
        self.weak = False
        self.table = False
        self._toks = toks
        self._stop: float | None = None
        self._lower: float | None = None
        self._sentences: int | None = None
        self._separators: int | None = None
        self._urlish: bool | None = None

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.text[:40]!r}, words={self.words:g}, label={self.label!r})"

    def _ratios(self) -> None:
        toks = self._toks
        if toks is None:
            toks = self._toks = WORD.findall(self.text)
        n = len(toks)
        if not n:
            self._stop = self._lower = 0.0
            return
        stop = stopwords()
        n_stop = sum(map(stop.__contains__, map(str.lower, toks)))
        n_lower = sum(map(str.islower, [t[0] for t in toks]))
        text = self.text
        if self.words > n or (len(text) <= SHORT_CHARS and not text.isascii() and _HANGUL.search(text)):
            # Korean, Chinese, Japanese, Thai... have no case and (for the stopword
            # lists) no function words: don't read them as Title Case menus.
            n_lower = n
            n_stop = max(n_stop, n // 5, 1)
        self._stop = n_stop / n
        self._lower = n_lower / n

    @property
    def stop_ratio(self) -> float:
        if self._stop is None:
            self._ratios()
        return self._stop  # type: ignore[return-value]

    @property
    def lower_ratio(self) -> float:
        if self._lower is None:
            self._ratios()
        return self._lower  # type: ignore[return-value]

    @property
    def digit_ratio(self) -> float:
        """Share of words that start with a digit (table rows, scores, prices)."""
        toks = self._toks
        if toks is None:
            toks = self._toks = WORD.findall(self.text)
        return sum(1 for t in toks if t[0].isdigit()) / len(toks) if toks else 0.0

    @property
    def sentences(self) -> int:
        if self._sentences is None:
            t = self.text
            self._sentences = len(_SENT_INNER.findall(t)) if len(t) <= SHORT_CHARS else 2
        return self._sentences

    @property
    def separators(self) -> int:
        if self._separators is None:
            t = self.text
            self._separators = (len(_SEPARATORS.findall(t))
                                if len(t) <= SHORT_CHARS and _SEP_CHARS.search(t) else 0)
        return self._separators

    @property
    def urlish(self) -> bool:
        if self._urlish is None:
            t = self.text
            self._urlish = (len(t) <= SHORT_CHARS and ("@" in t or "://" in t or "www." in t)
                            and _URLISH.search(t) is not None)
        return self._urlish


def _measure(index: int, start: int, end: int, raw: str) -> Line:
    parts = raw.split()
    text = " ".join(parts)
    n = len(parts)
    sentence_end = _SENT_END.search(text[-8:]) is not None
    if (n >= LONG_TOKENS and len(text) <= 12 * n + 8
            and (len(text) > SHORT_CHARS or _SEPARATORS.search(text) is None)):
        # Fast path: a long line of space-separated words is prose, whatever the details.
        return Line(index, start, end, text, float(n), sentence_end)
    toks = WORD.findall(text)
    n = len(toks)
    words = float(n)
    if n and len(text) > 6 * n + 4:
        # Scripts without spaces: a "word" spans many characters.
        cjk = len(_CJK.findall(text))
        if cjk:
            words = max(words, cjk / 2.0)
    return Line(index, start, end, text, words, sentence_end, toks)


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` with their offsets and features."""
    stopwords()  # load once, before the loop
    out: list[Line] = []
    append = out.append
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        if raw and not raw.isspace() and (len(raw) > 16 or raw.strip().strip(_INVISIBLE)):
            append(_measure(len(out), pos, end, raw))
        pos = end + 1
    return out
