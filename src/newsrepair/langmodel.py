"""The source model for spin reversal: a compact n-gram language model of English news.

Spin reversal asks, for a suspect phrase, which wording a journalist would have written
in this slot: "nuclear energy" or "nuclear vitality", "top general" or "high normal".
:class:`NgramLM` answers with probabilities from three sources, mixed by interpolation:

* an interpolated absolute-discounting trigram model of clean news, in the manner of
  Kneser-Ney (counts of words, word pairs
  and word triples computed from news articles; no text is shipped);
* a broad English bigram model (word-pair counts from the Google Books n-grams, as
  distributed with symspellpy), for pairs the news sample is too small to have seen;
* wordfreq's unigram frequencies, for everything else (shipped for the vocabulary in
  ``wordfreq.f32``, and for the other words of wordfreq's English list in
  ``lexicons/wordfreq/``, :mod:`.englishfreq`; the wordfreq package is not needed).

Tokens come from :func:`lm_tokens`: lowercase words (apostrophes stay inside words:
"doesn't", "people's"), numbers folded to ``<num>``, and punctuation marks as tokens of
their own; ``<s>`` marks the start of a sentence.

The data lives in ``lexicons/lm/`` (see ``lexicons/README.md``): ``vocab.txt`` (one word
per line; the line number is the word's id) and little-endian binary arrays of sorted
packed keys and counts, read with :mod:`array` in a few milliseconds. Lookups are binary
searches. When the optional C extension :mod:`newsrepair._lmcore` was built at install
time, :meth:`NgramLM.sequence_logprob` computes its probabilities there, on the same
arrays and with the same arithmetic: bit-identical results, 0.21 µs per probability on
news text, call included (each word's pairs and each context's triples are indexed, so
a lookup searches only those). Otherwise they are computed in Python, 1.5 µs each with
the cache of :meth:`NgramLM.logprob`. ``NgramLM.load().compiled`` tells which path runs
(:func:`c_extension` gives the module, which spin detection uses too).
"""

from __future__ import annotations

import importlib.util
import math
import os
import pathlib
from array import array
from bisect import bisect_left
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Sequence

import regex

from . import englishfreq
from .datacache import stamps
from .errors import DataFileError
from .resources import lexicon_path, read_array

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["NgramLM", "lm_tokens", "LM_TOKEN", "c_extension"]

#: One LM token: a number ("2,000", "3.5", "10:30"), a word (inner apostrophes stay),
#: or one punctuation mark.
LM_TOKEN = regex.compile(r"\d+(?:[.,:]\d+)*|\w+(?:['’]\w+)*|[^\w\s]")
_NUMBER = regex.compile(r"\d")
_BITS = 21  # ids < 2**21; a trigram key packs three ids into 63 bits
_DISCOUNT = 0.75
_NEWS_WEIGHT = 0.75  # mixture weight of the news trigram model against the broad bigram model
#: Probabilities :meth:`NgramLM.logprob` keeps, in a dict from the packed ids of the
#: three words to floats: the garbage collector does not scan a dict that holds no
#: containers. An ``lru_cache`` of this size (string tuples, linked entries) was walked
#: by every full collection: unspin on spun text spent a tenth of its time on them.
_LOGPROB_CACHE_SIZE = 200_000
_BOOKS_LAMBDA = 0.2  # Books bigrams below the list's cut-off are unseen, so back off generously.
#: Set this environment variable to a non-empty value other than "0" to compute every
#: probability in Python even when the C extension is installed (to compare the two).
PURE_PYTHON_ENV = "NEWSREPAIR_PURE_PYTHON"


def c_extension():
    """The C extension module :mod:`newsrepair._lmcore`, or ``None`` when it was not
    built or is switched off by :data:`PURE_PYTHON_ENV`."""
    if os.environ.get(PURE_PYTHON_ENV, "0") not in ("", "0"):
        return None
    try:
        if importlib.util.find_spec(f"{__package__}._lmcore") is None:
            return None  # not built: the pure-Python path, as documented
        from . import _lmcore
    except ImportError as exc:  # built, but does not load (another Python, a broken build)
        _warn_broken_extension(str(exc))
        return None
    return _lmcore


@lru_cache(maxsize=1)
def _warn_broken_extension(reason: str) -> None:
    import warnings

    warnings.warn(f"newsrepair's C extension is installed but does not load ({reason}); using the "
                  f"pure-Python path, which is several times slower. Reinstall newsrepair to rebuild it.",
                  RuntimeWarning, stacklevel=3)


@lru_cache(maxsize=32_768)
def lm_token(word: str) -> str:
    """The LM form of one word: lowercase, curly apostrophe straightened, digits folded."""
    word = word.lower().replace("’", "'")
    return "<num>" if _NUMBER.search(word) else word


def lm_tokens(text: str) -> list[str]:
    """Tokenise ``text`` the way the language model was trained."""
    return [lm_token(t) for t in LM_TOKEN.findall(text)]


#: The files of a model, in ``lexicons/lm/`` or a directory of ``scripts/build_ngrams.py``.
MODEL_FILES = ("vocab.txt", "unigram.u32", "trigram.keys", "trigram.counts", "bigram.keys", "bigram.counts",
               "context.keys", "context.total", "context.types", "books.keys", "books.counts", "wordfreq.f32",
               "totals.tsv")


def _model_file(name: str, directory: Traversable | None) -> Traversable:
    """The model file ``name``: in ``directory``, or the shipped one in ``lexicons/lm/``."""
    return lexicon_path(f"lm/{name}") if directory is None else directory.joinpath(name)


def _where(name: str, directory: Traversable | None) -> str:
    """How an error names the model file ``name``."""
    return f"lexicons/lm/{name}" if directory is None else str(directory.joinpath(name))


def _missing(name: str, directory: Traversable | None) -> DataFileError:
    where = "from this installation" if directory is None else ""
    return DataFileError(f"language model file {_where(name, directory)} is missing {where}".rstrip())


def _read_array(name: str, typecode: str, directory: Traversable | None = None) -> array:
    return read_array(_model_file(name, directory), typecode, str(_missing(name, directory)),
                      f"language model file {_where(name, directory)} is truncated")


class _Table:
    """Sorted packed keys with parallel value arrays; lookup by binary search."""

    __slots__ = ("keys", "values")

    def __init__(self, keys: array, *values: array) -> None:
        if any(len(v) != len(keys) for v in values):
            raise DataFileError("language model arrays have different lengths")
        self.keys = keys
        self.values = values

    def find(self, key: int) -> int:
        i = bisect_left(self.keys, key)
        return i if i < len(self.keys) and self.keys[i] == key else -1

    def count(self, key: int) -> int:
        """The first value of ``key`` (its count), 0 for a key not in the table."""
        i = bisect_left(self.keys, key)
        return self.values[0][i] if i < len(self.keys) and self.keys[i] == key else 0


class NgramLM:
    """An interpolated n-gram model of news English (see the module docstring).

    Use :meth:`load` for the shipped model. All probabilities are natural logs.
    """

    def __init__(self, vocab: list[str], uni: array, tri: _Table, bi: _Table, ctx2: _Table,
                 books: _Table, broad: array, totals: dict[str, float]) -> None:
        self.vocab = vocab
        self.ids = {w: i for i, w in enumerate(vocab)}
        self._uni = uni            # per word id: news count, continuation count, c(w ·), N1+(w ·), books c(w ·)
        self._tri = tri            # (u,v,w) -> count
        self._bi = bi              # (v,w) -> count
        self._ctx2 = ctx2          # (u,v) -> c(u v ·), N1+(u v ·)
        self._books = books        # (v,w) -> broad bigram count
        self._totals = totals
        #: P_unigram per word id: news relative frequency mixed half and half with wordfreq
        tokens = totals["tokens"]
        self._p_uni = [0.5 * uni[5 * i] / tokens + 0.5 * f + 1e-9 for i, f in enumerate(broad)]
        num = self.ids.get("<num>", -1)
        if num >= 0:
            self._p_uni[num] = 0.5 * uni[5 * num] / tokens + 0.5 * 0.01 + 1e-9
        self._logprob_cache: dict[int, float] = {}
        #: the :func:`.datacache.stamps` of the shipped model's files when it was loaded
        #: (None for a model loaded from elsewhere)
        self.file_stamps: tuple | None = None
        ext = c_extension()
        #: the C fast path of :meth:`sequence_logprob` (and of detection's
        #: ``Decoder.phrase_posteriors``), or ``None`` (see the module docstring)
        self._c = None if ext is None else ext.Scorer(
            self.ids, self._oov_unigram, uni, array("d", self._p_uni), tri.keys, tri.values[0], bi.keys, bi.values[0],
            ctx2.keys, ctx2.values[0], ctx2.values[1], books.keys, books.values[0],
            _DISCOUNT, _NEWS_WEIGHT, _BOOKS_LAMBDA, lm_token)

    @property
    def news_tokens(self) -> int:
        """The number of tokens of the news the model was counted from."""
        return int(self._totals["tokens"])

    @property
    def compiled(self) -> bool:
        """Whether probabilities are computed by the C extension (see the module docstring)."""
        return self._c is not None

    # ---------------------------------------------------------------- loading
    @classmethod
    def shipped(cls) -> "NgramLM":
        """The shipped model, loaded once per process and shared by every spin model
        (each configuration has its own lexicons, not its own copy of these counts).
        Sharing is safe: the counts are never written, and the caches only remember
        probabilities."""
        return _shipped_lm()

    @staticmethod
    def files() -> list[Traversable]:
        """The files of the shipped model (which indexes built with it depend on)."""
        return [_model_file(name, None) for name in MODEL_FILES]

    @classmethod
    def load(cls, directory: str | os.PathLike[str] | None = None) -> "NgramLM":
        """The model shipped in ``lexicons/lm/``, or the one ``scripts/build_ngrams.py``
        wrote to ``directory`` (the evaluation builds models without the articles it
        scores, so that they are text the model has never seen)."""
        where = None if directory is None else pathlib.Path(directory)
        try:
            vocab = _model_file("vocab.txt", where).read_text(encoding="utf-8").split("\n")
        except (FileNotFoundError, NotADirectoryError):
            raise _missing("vocab.txt", where) from None
        if vocab and vocab[-1] == "":
            vocab.pop()
        uni = _read_array("unigram.u32", "I", where)
        if len(uni) != 5 * len(vocab):
            raise DataFileError(f"{_where('unigram.u32', where)} does not match vocab.txt")
        tri = _Table(_read_array("trigram.keys", "Q", where), _read_array("trigram.counts", "I", where))
        bi = _Table(_read_array("bigram.keys", "Q", where), _read_array("bigram.counts", "I", where))
        ctx2 = _Table(_read_array("context.keys", "Q", where), _read_array("context.total", "I", where),
                      _read_array("context.types", "I", where))
        books = _Table(_read_array("books.keys", "Q", where), _read_array("books.counts", "I", where))
        broad = _read_array("wordfreq.f32", "f", where)
        if len(broad) != len(vocab):
            raise DataFileError(f"{_where('wordfreq.f32', where)} does not match vocab.txt")
        try:
            meta = _model_file("totals.tsv", where).read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            raise _missing("totals.tsv", where) from None
        totals: dict[str, float] = {}
        for line in meta.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.partition("\t")
                totals[name] = float(value)
        for needed in ("tokens", "bigram_types", "books_tokens"):
            if needed not in totals:
                raise DataFileError(f"{_where('totals.tsv', where)} lacks {needed!r}")
        return cls(vocab, uni, tri, bi, ctx2, books, broad, totals)

    # ---------------------------------------------------------------- model
    def unigram_logprob(self, word: str) -> float:
        """log P(word): news counts mixed with wordfreq's broad frequency."""
        return math.log(self._unigram(word))

    def _unigram(self, word: str) -> float:
        i = self.ids.get(word, -1)
        return self._p_uni[i] if i >= 0 else self._oov_unigram(word)

    @staticmethod
    @lru_cache(maxsize=100_000)
    def _oov_unigram(word: str) -> float:
        """P_unigram of a word outside the news vocabulary: half its wordfreq frequency
        (from the shipped table, :mod:`.englishfreq`)."""
        return 0.5 * englishfreq.frequency(word) + 1e-9

    def _p_news(self, w: int, u: int, v: int, p_uni: float) -> float:
        """Interpolated absolute-discount (Kneser-Ney style) P(w | u v) on the news counts."""
        uni = self._uni
        # pair level: absolute discounting, backing off to the unigram mixture
        p = p_uni
        if v >= 0:
            ctx_total = uni[5 * v + 2]
            if ctx_total:
                c = 0
                if w >= 0:
                    c = self._bi.count((v << _BITS) | w)
                p = (max(c - _DISCOUNT, 0.0) + _DISCOUNT * uni[5 * v + 3] * p_uni) / ctx_total
        if u >= 0 and v >= 0:
            k = self._ctx2.find((u << _BITS) | v)
            if k >= 0:
                total = self._ctx2.values[0][k]
                types = self._ctx2.values[1][k]
                c = 0
                if w >= 0:
                    c = self._tri.count((((u << _BITS) | v) << _BITS) | w)
                p = (max(c - _DISCOUNT, 0.0) + _DISCOUNT * types * p) / total
        return p

    def _p_books(self, w: int, v: int, p_uni: float) -> float:
        """P(w | v) from the broad bigram counts, absolutely discounted to the unigram."""
        if v < 0 or w < 0:
            return p_uni
        total = self._uni[5 * v + 4]
        if not total:
            return p_uni
        c = self._books.count((v << _BITS) | w)
        return (1 - _BOOKS_LAMBDA) * c / total + _BOOKS_LAMBDA * p_uni

    def logprob(self, word: str, context: tuple[str, ...] = ()) -> float:
        """Natural log of P(word | the last two words of ``context``). Tokens as :func:`lm_tokens`.

        Cached by the ids of the three words (see :data:`_LOGPROB_CACHE_SIZE`). A word
        outside the vocabulary is not cached: its probability depends on its spelling,
        which its id (-1) does not tell.
        """
        u, v = self._context_ids(context)
        return self._cached_logprob(word, u, v, self.ids.get(word, -1))

    def _context_ids(self, context: Sequence[str]) -> tuple[int, int]:
        """The ids of the last two words of ``context`` (-1 for a missing or unknown one)."""
        ids = self.ids
        return (ids.get(context[-2], -1) if len(context) >= 2 else -1,
                ids.get(context[-1], -1) if context else -1)

    def _cached_logprob(self, word: str, u: int, v: int, w: int) -> float:
        """:meth:`_logprob` through the cache (see :meth:`logprob`)."""
        if w < 0:
            return self._logprob(word, u, v, w)
        key = (((u + 1) << _BITS | (v + 1)) << _BITS) | w  # ids + 1: -1 (unknown) packs as 0
        lp = self._logprob_cache.get(key)
        if lp is None:
            if len(self._logprob_cache) >= _LOGPROB_CACHE_SIZE:
                self._forget_older_half()
            lp = self._logprob_cache[key] = self._logprob(word, u, v, w)
        return lp

    def _forget_older_half(self) -> None:
        """Make room in the full cache of :meth:`logprob`: keep the half stored last (a
        dict keeps the order of insertion). Emptying it all cost a fifth more misses."""
        cache = self._logprob_cache
        self._logprob_cache = dict(islice(cache.items(), len(cache) // 2, None))

    def _logprob(self, word: str, u: int, v: int, w: int) -> float:
        """log P(word | u v), given the ids of the context words and of ``word`` (-1 for
        a word outside the vocabulary)."""
        p_uni = self._p_uni[w] if w >= 0 else self._oov_unigram(word)
        p = _NEWS_WEIGHT * self._p_news(w, u, v, p_uni) + (1 - _NEWS_WEIGHT) * self._p_books(w, v, p_uni)
        return math.log(p)

    def news_count(self, tokens: Sequence[str]) -> int:
        """How often the news counts hold ``tokens`` (LM tokens, as :func:`lm_tokens`).

        Exact for one or two tokens. For three, the triple's count, with triples seen
        once not stored: 0 means at most once. For more, the smallest count of its
        triples, an upper bound. 0 for an empty sequence or a word outside the vocabulary.
        """
        ids = [self.ids.get(t, -1) for t in tokens]
        if not ids or min(ids) < 0:
            return 0
        if len(ids) == 1:
            return self._uni[5 * ids[0]]
        if len(ids) == 2:
            return self._bi.count((ids[0] << _BITS) | ids[1])
        return min(self._tri.count((((u << _BITS) | v) << _BITS) | w) for u, v, w in zip(ids, ids[1:], ids[2:]))

    def sequence_logprob(self, tokens: Sequence[str], context: Sequence[str] = ()) -> float:
        """Sum of log P(token | two previous tokens) over ``tokens``, after ``context``:
        :meth:`logprob` of each token in turn, with each word's id looked up once; in C
        when the extension is built (the same numbers, uncached: it is faster than the
        cache)."""
        if self._c is not None:
            return self._c.sequence_logprob(tokens, context)
        ids = self.ids
        u, v = self._context_ids(context)
        total = 0.0
        for tok in tokens:
            w = ids.get(tok, -1)
            total += self._cached_logprob(tok, u, v, w)
            u, v = v, w
        return total


@lru_cache(maxsize=1)  # two first callers at once may each load one; later callers share one
def _shipped_lm() -> NgramLM:
    state = stamps(NgramLM.files())  # before reading them: an index built with it keys on this
    lm = NgramLM.load()
    lm.file_stamps = state
    return lm
