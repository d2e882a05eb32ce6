"""Per-line features of a scraped page: the shape of each line, computed lazily.

A page is split into lines; each non-blank line gets a :class:`Line` with its word
count and end punctuation, and, computed only when the classifier asks for them,
its stopword density, share of lowercase words, menu separators and links. Long
prose lines take a fast path (whitespace tokens instead of a word regex), because
their class does not depend on the details; so do lines of only letters, digits and
spaces ("Share on Facebook"), whose tokens are their words, and a line already
single-spaced is not split and joined again. Everything is one pass over each line
with precompiled regexes, so the whole stage stays linear in the page's length.

A hard-wrapped paragraph (a scraper or an e-mail digest that breaks lines at ~70-90
columns) is one :class:`Line` spanning its physical lines, so that it is classified as
the paragraph it is and not as fragments: see :func:`continues`.
"""

from __future__ import annotations

import re
from operator import itemgetter

import regex

from .lexicon import stopwords

__all__ = ["Line", "split_lines", "continues", "continues_across", "facing_lines", "joined", "adjacent",
           "normalise", "find_words", "WORD"]

#: Words: runs of letters/digits, with inner apostrophes and hyphens.
WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
#: WORD with possessive repeats: the same matches (a run of letters ends where no letter
#: follows, and a joiner is taken only with the run after it, so giving characters back
#: never lets more match), found without recording the points to backtrack to.
_WORD = re.compile(r"[^\W_]++(?:['’\-][^\W_]++)*+")
#: _WORD for ASCII text, where a letter or digit is one of [A-Za-z0-9] (and there is no ’).
_ASCII_WORD = re.compile(r"[A-Za-z0-9]++(?:['\-][A-Za-z0-9]++)*+")
#: Scripts written without spaces between words (Chinese, Japanese, Thai...).
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
_HANGUL = regex.compile(r"\p{Hangul}")
#: A character outside the ranges where no letter of those scripts (_CJK, _HANGUL) is:
#: Latin, Greek, Cyrillic, Arabic, Indic... (below U+0E00), punctuation and symbols
#: (U+2000-U+2DFF), emoji. ``re`` finds one faster than ``regex`` finds the scripts, and
#: most lines that are not ASCII (curly quotes, accents) have none.
_MAYBE_CJK = re.compile("[^\x00-\u0dff\u2000-\u2dff\U0001f300-\U0001faff]")
_SENT_END = re.compile(r"""[.!?。！？…:;।॥။؟۔።]["'”’»)\]]*\s*$""")
#: The characters that end a sentence and those that may follow them, as in _SENT_END.
_END_CHARS = ".!?。！？…:;।॥။؟۔።"
_CLOSERS = "\"'”’»)]"
#: Menu separators between items (" | ", " • ", " / ", " - ").
SEPARATORS = re.compile(r"\s[|•·»›/]\s|\s[|•·]\s?|\s-\s")
_SEP_CHARS = re.compile(r"[|•·»›/-]")
_URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|^@\w+$")

#: The first character of a word (mapped over a line's words without a Python loop).
_first_char = itemgetter(0)

#: Characters that show nothing: a line of only these (and spaces) is a blank line.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"

#: Lines longer than this (characters) are not examined for menus or links: they are
#: prose or one blob.
SHORT_CHARS = 400
#: Lines with at least this many whitespace tokens take the fast path: they are
#: prose whatever their details (the classifier calls 40+ words "good").
LONG_TOKENS = 48


def find_words(text: str) -> list[str]:
    """The words of ``text``: ``WORD.findall(text)``, by faster equivalent patterns
    (possessive; for ASCII text, with ASCII classes)."""
    return (_ASCII_WORD if text.isascii() else _WORD).findall(text)


def normalise(line: str) -> str:
    """The form of a line used for rule matching and repetition: trimmed, single-spaced."""
    return " ".join(line.split())


class Line:
    """One non-blank line of the page (or one hard-wrapped paragraph) and its features.

    Attributes:
        index: position among the page's lines.
        start, end: character offsets of the line (without its newline) in the page; for
            a hard-wrapped paragraph, from the start of its first physical line to the
            end of its last (the line breaks inside are part of it).
        text: the normalised line (a wrapped paragraph joined with single spaces).
        words: word count (for scripts without spaces, characters / 2; for long
            prose lines, whitespace tokens).
        sentence_end: the line ends like a sentence (. ! ? …, also : and ; and the full
            stops of Chinese, Japanese and Indic scripts; maybe with a quote).
        stop_ratio: share of words that are function words (any of many languages).
        lower_ratio: share of words that start lowercase.
        separators: count of menu separators (" | ", " • ", " / ").
        urlish: the line is (or contains) a URL, e-mail address or @handle.

    The last four (and ``digit_ratio``) are computed on first use and cached. The
    classifier fills in ``label``, ``rule_kind``, ``rule``, ``weak`` (a loose rule on a
    sentence-shaped line), ``table`` (a row of a table), and ``reason`` /
    ``confidence`` for removed lines. ``skipped`` lists the furniture lines that a
    paragraph was read across (:func:`~.classifier.step_over_furniture`), each with the
    offset where the line after it starts: they lie between ``start`` and ``end`` but are
    not part of ``text``.
    """

    __slots__ = ("index", "start", "end", "text", "words", "sentence_end", "label", "reason",
                 "confidence", "rule", "rule_kind", "weak", "table", "skipped", "_toks", "_stop",
                 "_lower", "_separators", "_urlish")

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
        self.skipped: tuple[tuple[Line, int], ...] = ()
        self._toks = toks
        self._stop: float | None = None
        self._lower: float | None = None
        self._separators: int | None = None
        self._urlish: bool | None = None

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.text[:40]!r}, words={self.words:g}, label={self.label!r})"

    def _ratios(self) -> None:
        toks = self._toks
        if toks is None:
            toks = self._toks = find_words(self.text)
        n = len(toks)
        if not n:
            self._stop = self._lower = 0.0
            return
        stop = stopwords()
        n_stop = sum(map(stop.__contains__, map(str.lower, toks)))
        n_lower = sum(map(str.islower, map(_first_char, toks)))
        text = self.text
        if self.words > n or (len(text) <= SHORT_CHARS and not text.isascii() and _MAYBE_CJK.search(text)
                              and _HANGUL.search(text)):
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
            toks = self._toks = find_words(self.text)
        return sum(map(str.isdigit, map(_first_char, toks))) / len(toks) if toks else 0.0

    @property
    def separators(self) -> int:
        if self._separators is None:
            t = self.text
            self._separators = (len(SEPARATORS.findall(t))
                                if len(t) <= SHORT_CHARS and _SEP_CHARS.search(t) else 0)
        return self._separators

    @property
    def urlish(self) -> bool:
        if self._urlish is None:
            t = self.text
            self._urlish = (len(t) <= SHORT_CHARS and ("@" in t or "://" in t or "www." in t)
                            and _URLISH.search(t) is not None)
        return self._urlish


def _ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence: end punctuation, perhaps followed by closing
    quotes, brackets and spaces (_SENT_END). Only text ending in a quote, a bracket or a
    space needs the regex search: the last character alone decides the rest (a full stop:
    yes; a letter, a digit, a dash: no)."""
    if not text:
        return False
    last = text[-1]
    if last in _END_CHARS:
        return True
    if last in _CLOSERS or last.isspace():
        return _SENT_END.search(text[-8:]) is not None
    return False


def _is_normal(raw: str) -> bool:
    """Whether ``raw`` is already in :func:`normalise` form: single spaces between
    words, none at the ends. Every whitespace character but the space is unprintable,
    so one scan by ``str.isprintable`` rules them all out."""
    return raw.isprintable() and "  " not in raw and raw[0] != " " and raw[-1] != " "


def _measure(index: int, start: int, end: int, raw: str) -> Line:
    """The :class:`Line` of the (non-blank) text ``raw`` found at ``start:end``."""
    text = raw if _is_normal(raw) else normalise(raw)
    n = text.count(" ") + 1
    sentence_end = _ends_sentence(text)
    if (n >= LONG_TOKENS and len(text) <= 12 * n + 8
            and (len(text) > SHORT_CHARS or SEPARATORS.search(text) is None)):
        # Fast path: a long line of space-separated words is prose, whatever the details.
        return Line(index, start, end, text, float(n), sentence_end)
    # Tokens of letters and digits only ("Share on Facebook") are the words themselves;
    # a line ending in punctuation (most prose) is not one of them, which shows without
    # copying it.
    alnum = text[-1].isalnum() and text.replace(" ", "").isalnum()
    toks = text.split(" ") if alnum else find_words(text)
    n = len(toks)
    words = float(n)
    if n and len(text) > 6 * n + 4 and not text.isascii():
        # Scripts without spaces: a "word" spans many characters.
        cjk = len(_CJK.findall(text)) if _MAYBE_CJK.search(text) else 0
        if cjk:
            words = max(words, cjk / 2.0)
    return Line(index, start, end, text, words, sentence_end, toks)


#: A physical line continues the one before it (a hard-wrapped paragraph) only when that
#: one has at least this many words: a wrapped line of prose, not a menu item.
WRAP_MIN_TOKENS = 8
#: ...and, when the next line starts with a capital, at least this many characters.
WRAP_MIN_CHARS = 60
#: A line starting with a capital, a digit or a quote continues the one before when that
#: one ends with one of these, or with one of the _JOINING_WORDS (words that do not end a
#: sentence or a headline: "... in line with" / "The Council's estimate"), or when that
#: one was broken only because the next word did not fit the page's width.
_JOINING_ENDS = (",", "-", "\u2013", "\u2014", "(", "/")
_JOINING_WORDS = frozenset("""
a an the of to into at by for from with without and or but nor than that as
between among per via whose which who whom
der die das den dem des ein eine einen einem eines und oder von mit für bei im am zum zur
le la les un une des du de et ou au aux à avec pour par dans sur
el los las una unos unas y o del al con para por en
il lo gli uno di da e che nel nella con per su tra fra
o os as um uma e do da dos das no na nos nas com
het een en van op voor met aan
""".split())
_OPENERS = "\"'\u201c\u2018\u00ab("
_ELLIPSIS = ("...", "\u2026")


def continues(prev: str, line: str, width: int = 0) -> bool:
    """Whether the physical line ``line`` continues the sentence of ``prev``, the line just
    above it (no blank line between): the two are one hard-wrapped paragraph.

    ``prev`` must be prose that does not end a sentence: at least WRAP_MIN_TOKENS words,
    most of them not capitalised, with a function word, no menu separators. ``line`` must
    start with a lowercase letter; or with a capital, a letter of a script without case
    (Chinese, Korean), a digit or a quote when ``prev`` is a long line that ends with a comma, a
    dash or a joining word such as "with", or that is full: ``prev``, a space and the
    first word of ``line`` would be as long as ``width`` (the page's wrap width,
    :func:`wrap_width`; 0 for none) or longer, so a wrapper had to break there. ``line`` must also be a full line or end a sentence
    itself, not a link or a "more..." teaser, and not be Title Case. Menus, link lists
    and runs of headlines (short or Title Case lines) are never joined."""
    prev = prev.strip()
    if not 2 * WRAP_MIN_TOKENS - 1 <= len(prev) <= SHORT_CHARS or _ends_sentence(prev):
        return False
    line = line.strip()
    if not line:
        return False
    first = line[0]
    if not (first.isalnum() or first in _OPENERS):
        return False
    toks = prev.split()
    if len(toks) < WRAP_MIN_TOKENS:
        return False
    line_toks = line.split()
    if not first.islower():
        last = toks[-1]
        if not (last.endswith(_JOINING_ENDS) or last in _JOINING_WORDS
                or (width and len(prev) + 1 + len(line_toks[0]) >= width)):
            return False
        if len(prev) < WRAP_MIN_CHARS:
            return False
    if line.startswith(("http", "www.")):
        return False
    if len(line_toks) < 4 and (not _ends_sentence(line) or line.endswith(_ELLIPSIS)):
        return False
    if SEPARATORS.search(prev) is not None:
        return False
    words = find_words(prev)
    if not words or _capitalised(words) or _capitalised(find_words(line)):
        return False
    if prev.lower() == prev.upper():
        return True  # a script without case (Korean, Arabic, Hindi...): no stopword test
    stop = stopwords()
    return any(w.lower() in stop for w in words)


def _capitalised(words: list[str]) -> bool:
    """Most of the words start with a capital (Title Case: a headline, a menu, a name)."""
    return 2 * sum(1 for w in words if w[0].isupper()) > len(words)


#: A page is hard-wrapped at width W when at least WRAP_WITNESSES lines are no more than
#: WRAP_SLACK characters shorter than its longest line W.
WRAP_WITNESSES = 3
WRAP_SLACK = 10


def wrap_width(lengths: list[int]) -> int:
    """The width a page's lines were hard-wrapped at (its longest line), or 0 when too
    few lines come near it to tell: on a page of unwrapped paragraphs the longest line
    would otherwise always look full (see :func:`continues`)."""
    if not lengths:
        return 0
    longest = max(lengths)
    near = sum(1 for n in lengths if n >= longest - WRAP_SLACK)
    return longest if near >= WRAP_WITNESSES else 0


def _may_wrap(ln: Line) -> bool:
    """Whether the physical line ``ln`` may be continued by the line below it (the quick
    test before :func:`continues`): it does not end a sentence and has some words."""
    return not ln.sentence_end and ln.words >= WRAP_MIN_TOKENS - 2


def adjacent(text: str, above: Line, below: Line) -> bool:
    """Whether ``below`` starts on the physical line right after ``above`` ends: one line
    break ("\n" or "\r\n") between them, no blank line."""
    return below.start - above.end <= 2 and text[above.end:below.start] in ("\n", "\r\n")


def facing_lines(text: str, above: Line, below: Line) -> tuple[int, int]:
    """Where the physical lines of ``above`` and ``below`` (lines of ``text``, which has
    "\n" breaks) that would meet if nothing stood between them are: the start of the
    last physical line of ``above`` and the end of the first of ``below``."""
    cut = text.rfind("\n", above.start, above.end)
    last_start = cut + 1 if cut >= 0 else above.start
    cut = text.find("\n", below.start, below.end)
    return last_start, cut if cut >= 0 else below.end


def continues_across(text: str, above: Line, below: Line) -> bool:
    """Whether :func:`split_lines` would join the last physical line of ``above`` and the
    first of ``below`` into one hard-wrapped paragraph if nothing stood between them,
    whatever the page's wrap width: by :func:`continues` without a width, which holds
    at every width. (Removing lines can change a page's wrap width; a join that does not
    depend on it is made again by a second pass.)"""
    last_start, first_end = facing_lines(text, above, below)
    last = above if last_start == above.start else _measure(0, last_start, above.end, text[last_start:above.end])
    if not _may_wrap(last):
        return False
    return continues(text[last_start:above.end], text[below.start:first_end])


def joined(text: str, parts: list[Line]) -> Line:
    """The paragraph of ``parts`` (lines of ``text``, in order) read as one, without the
    lines between them: its text is that of the parts on adjacent lines, and it spans
    the start of the first to the end of the last (the lines between go in its
    ``skipped``, set by the caller). One measure of the whole, so linear in its length."""
    raw = "\n".join(text[p.start:p.end] for p in parts)
    return _measure(0, parts[0].start, parts[-1].end, raw)


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` with their offsets and features; the physical
    lines of a hard-wrapped paragraph (see :func:`continues`) make one line."""
    stopwords()  # load once, before the loop
    out: list[Line] = []
    append = out.append
    pos = 0
    raws = text.split("\n")
    crlf = "\r" in text
    for raw in raws:
        end = pos + len(raw)
        if crlf and raw.endswith("\r"):  # a line of "\r\n" text ends before its "\r"
            raw = raw[:-1]
            end -= 1
        if raw and not raw.isspace() and (len(raw) > 16 or raw.strip().strip(_INVISIBLE)):
            append(_measure(len(out), pos, end, raw))
        pos = end + 1 + (crlf and text.startswith("\r", end))
    # Hard-wrapped paragraphs: a line that may be continued (long enough, no sentence
    # end) and the line right below it (no blank line between).
    n = len(out)
    joins = [i for i, (ln, below) in enumerate(zip(out, out[1:]))
             if _may_wrap(ln) and adjacent(text, ln, below)]
    if joins:
        width = wrap_width([len(raw) for raw in raws])
        joins = [i for i in joins if continues(text[out[i].start:out[i].end],
                                               text[out[i + 1].start:out[i + 1].end], width)]
    if not joins:
        return out
    merged: list[Line] = []
    joined_at = set(joins)
    i = 0
    while i < n:
        j = i
        while j in joined_at:
            j += 1
        ln = out[i] if j == i else _measure(0, out[i].start, out[j].end, text[out[i].start:out[j].end])
        ln.index = len(merged)
        merged.append(ln)
        i = j + 1
    return merged
