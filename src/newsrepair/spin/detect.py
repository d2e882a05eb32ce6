"""Document-level spin detection: interpretable evidence, then a calibrated score.

The evidence is the spinner's signature: positions where a phrase from the spinner
lexicons stands and the language model, in context, prefers a candidate original over
the text as written. For each such position the decoder's posterior of the best
restoration (with a neutral spin rate of one half) measures how spun it looks. What it
adds to the evidence is the part of that posterior above the phrase's mean in clean news
the language model never saw (:func:`clean_discount`, with the rates of
``lexicons/detect_clean_rates.tsv``): "within" for "in" looks spun in most clean
articles, "armed teams" for "armed groups" in none. The sum per 100 words (each distinct
phrase counted once, repetitions adding only logarithmically) is the document's
*signature rate*. Fewer than ``MIN_TYPES`` distinct suspect phrases (mean posterior
over the phrase's occurrences at least 0.5, not discounted) scale the evidence down (two or fewer cancel it): a spinner
makes many different substitutions, while clean text may repeat one ambiguous word. The
score is a logistic function of the log signature rate, fitted on development data (spun
excerpts against their originals and clean news); short documents are pulled toward the
prior, since a headline or one paragraph gives little evidence.

Detection reads the text fast (see ``SpinModel._evidence``): the words are counted
(:func:`word_stats`), the places where a signature phrase starts are found
(:class:`.lexicon.PhraseFinder`), and only a few tokens around each of those places are
read (:class:`WindowReader`), the same tokens that tokenising the whole text would give
there. Each of these steps, and the scoring of a phrase
(``Decoder.phrase_posteriors``), runs in C when the extension :mod:`newsrepair._lmcore`
is built, with the same results.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable

import regex

from ..errors import DataFileError
from ..langmodel import NgramLM, c_extension
from ..resources import read_lexicon_text
from .tokens import TOKEN_RE

__all__ = ["Evidence", "calibrated_score", "DEFAULT_THRESHOLD", "REPEAT_SPAN_CHARS", "ENGLISH_SAMPLE", "confidence_for",
           "CLEAN_RATES_FILE", "load_clean_rates", "clean_discount", "clean_base", "clean_bases", "discounted",
           "USER_LM_POWER", "USER_NULL_RATE", "USER_LLR_CENTRE", "spin_rate_test", "user_dictionary_score",
           "lowercase", "lowercaser", "word_tokens", "word_stats", "word_counter", "WindowReader", "starts_token",
           "tokens_before", "tokens_pattern", "context_window"]

#: Logistic calibration: score = sigmoid(SLOPE * (log(rate + EPS) - CENTRE)).
SLOPE = 5.0
CENTRE = math.log(2.05)
EPS = 0.05
#: Prior probability that a document is spun, used for short texts.
PRIOR = 0.2
#: Words needed for full weight of the evidence (fewer pull the score toward PRIOR).
FULL_WORDS = 120
DEFAULT_THRESHOLD = 0.35
#: Distinct suspect phrases needed for full weight: a spinner makes many different
#: substitutions, while clean text may repeat one ambiguous word.
MIN_TYPES = 5
#: A phrase repeated within this many characters (about 3,000 words) adds less for each
#: repetition (:meth:`.model.SpinModel._evidence`: ``1 + log(count)`` times its mean
#: evidence): a clean text may repeat one ambiguous word. Beyond it, each stretch of the
#: text counts on its own: the calibration saw articles (the longest clean one has 19,135
#: characters), and a record that holds a site's worth of spun pages, or one spun text
#: many times, would else look cleaner the longer it is (a 40 KB spun text repeated
#: twelve times scored 0.27).
REPEAT_SPAN_CHARS = 20_000
#: Characters tokenised before a phrase for its left context (the longer windows only
#: when the shorter ones hold too few tokens), and around it to check that a token
#: starts there.
CONTEXT_CHARS = (24, 96, 384)
#: The characters a token may go on after (word characters, an apostrophe, a number's
#: separator); after any other character, the next token starts afresh.
_GLUE = regex.compile(r"[\w'’.,:]")
_SPACE = regex.compile(r"\s")
#: A word token (see :data:`.tokens.TOKEN_RE`) that starts with a letter, not inside a word.
_WORD = re.compile(r"(?<![^\W\d])(?<![^\W\d]['’])[^\W\d_]\w*(?:['’]\w+)*")
#: How each signature phrase scores in clean news that the language model never saw
#: (``phrase<TAB>occurrences<TAB>sum of posteriors``; ``scripts/build_clean_rates.py``).
CLEAN_RATES_FILE = "detect_clean_rates.tsv"
#: Occurrences at posterior 0 added to a phrase's clean-news counts (see
#: :func:`clean_discount`): a phrase seen a few times only keeps most of its weight.
CLEAN_PSEUDO_COUNT = 5.0
#: With a user spinner dictionary, the spin-rate test (:func:`spin_rate_test`) weighs
#: each language-model ratio by this power: the model's ratios of a frequent original to
#: its rarer substitute are too large in text unlike its news (a tempered likelihood).
USER_LM_POWER = 0.7
#: ...and tests whether the dictionary's originals were replaced at a rate above this,
#: the rate that the model's remaining bias shows in clean news.
USER_NULL_RATE = 0.02
#: The log-likelihood ratio (nats) of the test at which a document reaches the default
#: threshold (``DEFAULT_THRESHOLD``): see :func:`user_dictionary_score`.
USER_LLR_CENTRE = 2.0
#: Words read to decide whether a document is English.
ENGLISH_SAMPLE = 300
#: Tokens that end a sentence: the context of a phrase does not reach across them.
SENTENCE_END = frozenset(".!?")


@dataclass
class Evidence:
    """What detection found in one document."""

    words: int = 0
    signature: float = 0.0      # restoration posteriors at lexicon positions, above clean news's
    types: int = 0              # distinct phrases that look spun (mean posterior >= 0.5)
    english: bool = True        # enough known English words to judge
    suspects: list = field(default_factory=list)
    user_llr: float | None = None   # with a user dictionary: its spin-rate test (spin_rate_test)
    user_rate: float = 0.0

    @property
    def rate(self) -> float:
        """Signature per 100 words."""
        return 100.0 * self.signature / max(1, self.words)


def load_clean_rates(name: str = CLEAN_RATES_FILE) -> dict[str, tuple[int, float]]:
    """``{phrase: (occurrences, sum of posteriors)}`` of the shipped clean-news rates.

    Raises:
        DataFileError: when the file is missing or a line is malformed.
    """
    rates: dict[str, tuple[int, float]] = {}
    for lineno, line in enumerate(read_lexicon_text(name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        try:
            n, total = int(parts[1]), float(parts[2])
        except (IndexError, ValueError):
            raise DataFileError(f"lexicons/{name}:{lineno}: expected phrase<TAB>occurrences<TAB>posterior sum") from None
        if n < 1 or not 0.0 <= total <= n:
            raise DataFileError(f"lexicons/{name}:{lineno}: the posterior sum must be in [0, occurrences]")
        rates[parts[0]] = (n, total)
    return rates


def clean_discount(p: float, seen: tuple[int, float] | None) -> float:
    """A signature phrase's posterior ``p`` above what that phrase scores in clean news.

    ``seen`` is the phrase's ``(occurrences, sum of posteriors)`` in clean news the
    model never saw (``None``: never met there). Its base rate ``b`` is their mean with
    :data:`CLEAN_PSEUDO_COUNT` occurrences at 0 added (:func:`clean_bases`); the
    evidence is the part of ``p`` above ``b``, rescaled to [0, 1]:
    ``max(0, p - b) / (1 - b)`` (:func:`discounted`). "within" for "in" scores 0.8 in
    clean news on average, so it proves little; "armed teams" for "armed groups" is not
    met there, and keeps its posterior.

        >>> clean_discount(0.9, None)
        0.9
        >>> round(clean_discount(0.9, (95, 76.0)), 2)  # b = 76 / 100 = 0.76
        0.58
    """
    return p if seen is None else discounted(p, clean_base(*seen))


def clean_base(occurrences: int, posterior_sum: float) -> float:
    """A phrase's base rate in clean news (see :func:`clean_discount`), in [0, 1)."""
    return posterior_sum / (occurrences + CLEAN_PSEUDO_COUNT)


def clean_bases(rates: dict[str, tuple[int, float]]) -> dict[str, float]:
    """:func:`clean_base` of each phrase of ``rates``."""
    return {key: clean_base(n, total) for key, (n, total) in rates.items()}


def discounted(p: float, b: float) -> float:
    """The part of the posterior ``p`` above the base rate ``b``, rescaled to [0, 1]."""
    return (p - b) / (1.0 - b) if p > b else 0.0


def spin_rate_test(terms: list[float], originals: int, null_rate: float = USER_NULL_RATE) -> tuple[float, float]:
    """The spin rate of a document given a spinner dictionary, and the evidence that it
    is above ``null_rate``: ``(log-likelihood ratio, rate)``.

    A spinner replaced each occurrence of a dictionary original by one of its ``k``
    substitutes with probability ``r``. An occurrence of a substitute is then either
    the writer's word or a replaced original; with ``t = lambda / k``, where ``lambda``
    is how much likelier the language model finds the original there, its likelihood
    relative to an unspun text is ``1 + r * t``. An original still standing was left,
    with probability ``1 - r``. So the log-likelihood of ``r`` is::

        l(r) = sum(log(1 + r * t) for t in terms) + originals * log(1 - r)

    (concave in ``r``). Returns the ``r`` that maximises it (in [0, 1)), and ``l`` at
    that ``r`` minus ``l(null_rate)`` when it is above ``null_rate`` (else 0).

    >>> spin_rate_test([], 12)
    (0.0, 0.0)
    >>> llr, rate = spin_rate_test([4.0] * 10, 10)
    >>> round(llr, 2), round(rate, 3)
    (3.9, 0.375)
    """
    def slope(r: float) -> float:
        return sum(t / (1.0 + r * t) for t in terms) - originals / (1.0 - r)

    if not terms or slope(0.0) <= 0.0:
        return 0.0, 0.0
    lo, hi = 0.0, 1.0 - 1e-9
    for _ in range(60):  # the slope falls as r grows: bisect for its zero
        mid = (lo + hi) / 2.0
        if slope(mid) > 0.0:
            lo = mid
        else:
            hi = mid
    r = (lo + hi) / 2.0
    if r <= null_rate:
        return 0.0, r

    def loglik(x: float) -> float:
        return sum(math.log1p(x * t) for t in terms) + originals * math.log1p(-x)

    return max(0.0, loglik(r) - loglik(null_rate)), r


def user_dictionary_score(llr: float) -> float:
    """The document score in [0, 1] that the spin-rate test's log-likelihood ratio gives:
    a logistic curve that reaches ``DEFAULT_THRESHOLD`` at ``USER_LLR_CENTRE`` nats."""
    z = llr - USER_LLR_CENTRE + math.log(DEFAULT_THRESHOLD / (1.0 - DEFAULT_THRESHOLD))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def calibrated_score(ev: Evidence) -> float:
    """The document's spin score in [0, 1]: from the signature rate, and with a user
    dictionary the larger of that and :func:`user_dictionary_score`; pulled toward
    ``PRIOR`` for a text under ``FULL_WORDS`` words."""
    z = SLOPE * (math.log(ev.rate + EPS) - CENTRE)
    raw = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
    raw *= max(0.0, min(1.0, (ev.types - 2) / (MIN_TYPES - 2)))
    if ev.user_llr is not None:
        raw = max(raw, user_dictionary_score(ev.user_llr))
    k = min(1.0, ev.words / FULL_WORDS)
    return PRIOR + (raw - PRIOR) * k


def confidence_for(words: int) -> str:
    """How much text the verdict rests on."""
    if words < 60:
        return "low"
    if words < 200:
        return "medium"
    return "high"


# ---------------------------------------------------------------- reading the text
def lowercase(text: str) -> str:
    """``text`` lowercased, with straight apostrophes, character for character: an offset
    in the result is the same offset in ``text``. (The C extension's ``lowercase`` gives
    the same faster, see :func:`lowercaser`.)"""
    low = text.lower()
    if len(low) != len(text):  # a few characters lowercase to two ("İ"): keep those as written
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.replace("’", "'")


def lowercaser() -> Callable[[str], str]:
    """:func:`lowercase`, in C when the extension is built: ``str.lower`` is slow on text
    that is not all ASCII, as most news is for its typographic quotes (a tenth of
    detection's time). The C code leaves the rare text with a capital sigma, which
    ``str.lower`` writes as it stands in its word, or a dotted capital I to Python."""
    ext = c_extension()
    if ext is None:
        return lowercase
    fast = ext.lowercase

    def lower(text: str) -> str:
        low = fast(text)
        return lowercase(text) if low is None else low
    return lower


def word_tokens(low: str) -> list[str]:
    """The tokens of ``low`` that start with a letter: its words. Found by ``re``, twice
    as fast as the tokenizer; it differs only on rare text: it also finds "a" in the
    token "_1a" and "s" in "g7's", and its ``\\w`` leaves out combining marks, so it
    splits a word at one (Devanagari vowel signs, decomposed accents)."""
    return _WORD.findall(low)


def word_stats(low: str, vocabulary: dict, sample: int, share: float) -> tuple[int, bool]:
    """How many words (:func:`word_tokens`) ``low`` holds, and whether it reads as
    English: whether at least ``share`` of its first ``sample`` words that start with a
    letter (not a numeral such as "½") are in ``vocabulary``. (The C extension's
    ``word_stats`` gives the same without making the words, and stops looking them up
    once the answer is sure; see :func:`word_counter`.)"""
    words = word_tokens(low)
    lettered = [w for w in words[:sample] if w[0].isalpha()]
    known = sum(map(vocabulary.__contains__, lettered))
    return len(words), bool(lettered) and known >= share * len(lettered)


def word_counter(lm: NgramLM) -> Callable[[str, int, float], tuple[int, bool]]:
    """:func:`word_stats` with the vocabulary of ``lm``: ``count(low, sample, share)``. In
    C when the extension is built, which looks the words up in the model's own table
    (``Scorer.word_stats``) without making each one a ``str``."""
    if lm._c is not None:
        return lm._c.word_stats
    vocabulary = lm.ids
    return lambda low, sample, share: word_stats(low, vocabulary, sample, share)


class WindowReader:
    """Reads the tokens around a place in lowercased text where a phrase may start:
    whether a token starts there (:func:`starts_token`), the two tokens before it
    (:func:`tokens_before`), and up to ``after`` tokens from it on, with their end
    offsets (:func:`tokens_pattern`). In C when the extension is built, for the text
    whose characters it classes with certainty (ASCII, Latin letters, common
    punctuation); elsewhere with the ``regex`` module, the same tokens."""

    #: The most tokens the C code reads after a place.
    C_MAX_AFTER = 64

    def __init__(self, after: int) -> None:
        self.after = after
        self._pattern = tokens_pattern(after)
        ext = c_extension()
        self._c = ext.window_tokens if ext is not None and 1 <= after <= self.C_MAX_AFTER else None

    def __reduce__(self) -> tuple:
        return WindowReader, (self.after,)  # pickled by its size (``datacache``)

    @property
    def compiled(self) -> bool:
        """Whether the C extension reads the tokens (see the class docstring)."""
        return self._c is not None

    def read(self, low: str, start: int) -> tuple[list[str], list[str], list[int]] | None:
        """``(before, after, ends)`` at offset ``start`` of ``low``, not white space;
        ``None`` where no token starts there."""
        if self._c is not None:
            got = self._c(low, start, self.after)
            if got is not None:
                return got or None
        if not starts_token(low, start):
            return None
        m = self._pattern.match(low, start)
        return tokens_before(low, start, 2), m.captures(1), m.ends(1)


def starts_token(low: str, start: int) -> bool:
    """Whether the tokenizer starts a token at character ``start``, which is not white
    space ("navy" starts one in "the navy" and "(navy", not in "x'navy"). Mostly the
    character before ``start`` tells; otherwise the text around ``start`` is tokenised
    (see :func:`_restart`)."""
    if start == 0 or not _GLUE.match(low, start - 1):
        return True
    lo = _restart(low, start, CONTEXT_CHARS[0])
    return any(m.start() == start for m in TOKEN_RE.finditer(low, lo, start + CONTEXT_CHARS[0]))


def tokens_before(low: str, start: int, n: int) -> list[str]:
    """The last ``n`` (at least one) tokens before character ``start``, a token start;
    fewer at the start of the text. Only a short window before ``start`` is tokenised
    (see :func:`_restart`), a longer one when it holds fewer than ``n`` tokens."""
    for width in CONTEXT_CHARS:
        lo = _restart(low, start, width)
        toks = TOKEN_RE.findall(low, lo, start)
        if len(toks) >= n or not lo:
            break
    return toks[-n:]


def _restart(low: str, start: int, width: int) -> int:
    """Where to start tokenising to see the tokens of the ``width`` characters before
    ``start`` as the whole text's tokenisation does: the first white space among them,
    where the tokenizer starts afresh (the start of the text when it is that near). In
    text without white space, from ``width`` characters back: the first token seen may
    then be part of a longer one."""
    lo = max(0, start - width)
    space = _SPACE.search(low, lo, start) if lo else None
    return space.start() if space else lo


def tokens_pattern(n: int) -> regex.Pattern:
    """A pattern that reads up to ``n`` tokens from where it is matched, as
    :data:`.tokens.TOKEN_RE` splits them: ``captures(1)`` are the tokens, ``ends(1)``
    their end offsets."""
    return regex.compile(r"(?:\s*+(" + TOKEN_RE.pattern + r")){0,%d}+" % n)


def context_window(left: list[str], right: list[str], length: int) -> tuple[list[str], int]:
    """The tokens a phrase is scored in, and the phrase's index among them.

    The phrase is the first ``length`` tokens of ``right`` (the tokens from its start
    on); ``left`` holds the tokens before it. The window adds up to two tokens on each
    side, within the phrase's sentence.
    """
    a = len(left)
    while a and len(left) - a < 2 and left[a - 1] not in SENTENCE_END:
        a -= 1
    b = length
    while b < len(right) and b - length < 2 and right[b - 1] not in SENTENCE_END:
        b += 1
    return left[a:] + right[:b], len(left) - a
