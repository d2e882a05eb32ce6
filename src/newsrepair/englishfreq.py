"""wordfreq's English word frequencies, read from a table shipped in ``lexicons/wordfreq/``.

The language model backs off to wordfreq's frequency for a word outside its news
vocabulary, and the name rules ask how common a word is. wordfreq itself is not needed
at run time for that: importing it and unpacking its English list took about 0.3 s at
the first document with such a word, and the package with its data for every language
takes about 60 MB.

The table holds ``wordfreq.word_frequency(word, "en")`` (wordfreq 3.1.1, its "large"
list) for each of the list's 321,180 words. :func:`frequency` normalises a word as
wordfreq does (NFC, casefold) and looks it up: 0.0 when the list lacks it. That is
wordfreq's answer for every word of the list, and for every other word that wordfreq
reads as one token (a word of lowercase Latin letters with at most one inner apostrophe
that makes no elision; punctuation: ``tests/test_englishfreq.py`` checks both). It differs only where wordfreq
would split a word into several tokens that its list knows and combine their
frequencies (a French elision such as "l'amour", "j'adore"), or estimate a digit
sequence; the language model passes its own tokens, with numbers as ``<num>``, and 0.0
is a fair frequency for a word wordfreq's list does not hold as written.

Files, rebuilt by ``scripts/build_ngrams.py`` (``--wordfreq-only`` rebuilds just these;
wordfreq is needed at build time only):

``en.keys``
    the sorted 64-bit BLAKE2b hashes of the words' UTF-8 (little-endian uint64); a word
    outside the list shares a hash with one of them with a chance of about 1 in 10^13;
``en.codes``
    per hash, the index of its frequency in ``en.values`` (uint16);
``en.values``
    the distinct frequencies (float64).
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from array import array
from bisect import bisect_left
from functools import lru_cache

from .errors import DataFileError
from .resources import lexicon_path, read_array

__all__ = ["frequency", "zipf", "word_key"]


def word_key(word: str) -> int:
    """The table's key of ``word``: the 64-bit BLAKE2b hash of its UTF-8."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def _read(name: str, typecode: str) -> array:
    where = f"newsrepair data file lexicons/wordfreq/{name}"
    return read_array(lexicon_path(f"wordfreq/{name}"), typecode, f"{where} is missing from this installation",
                      f"{where} is truncated")


@lru_cache(maxsize=1)
def _table() -> tuple[array, array, array]:
    keys, codes, values = _read("en.keys", "Q"), _read("en.codes", "H"), _read("en.values", "d")
    if len(keys) != len(codes) or (codes and max(codes) >= len(values)):
        raise DataFileError("newsrepair data files lexicons/wordfreq/en.* do not match each other")
    return keys, codes, values


def frequency(word: str) -> float:
    """wordfreq's English frequency of ``word`` (``wordfreq.word_frequency(word, "en")``,
    but for the words it would split into several tokens: see the module docstring)."""
    if not word.isascii():
        word = unicodedata.normalize("NFC", word)
    word = word.casefold()
    keys, codes, values = _table()
    key = word_key(word)
    i = bisect_left(keys, key)
    return values[codes[i]] if i < len(keys) and keys[i] == key else 0.0


def zipf(word: str) -> float:
    """:func:`frequency` on the Zipf scale, as ``wordfreq.zipf_frequency(word, "en")``:
    log10 of the frequency per billion words, rounded to two decimals; 0.0 for a word
    the list does not hold."""
    f = frequency(word)
    return round(math.log10(f) + 9, 2) if f > 0.0 else 0.0
