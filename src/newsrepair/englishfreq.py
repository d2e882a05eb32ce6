"""wordfreq's English word frequencies, read from a table shipped in ``lexicons/wordfreq/``.

The language model backs off to wordfreq's frequency for a word outside its news
vocabulary, and the name rules ask how common a word is. Loading wordfreq itself for
that takes about 0.3 s (its import, then its 320,000 English words unpacked into a
dict), which the first ``unspin`` of a document paid as soon as one such word came up.

The table holds ``wordfreq.word_frequency(word, "en")`` for every word of wordfreq's
English list that is written in lowercase Latin letters, with at most one inner
apostrophe (:data:`PLAIN`): for such words the answer is wordfreq's exactly, and a word
absent from the list is 0.0, as wordfreq says; so is text of punctuation alone. Any other word
(with digits, capitals, combining marks, or a French-style elision such as "l'amour",
which wordfreq splits) is asked of wordfreq.

Files, rebuilt by ``scripts/build_ngrams.py`` (``--wordfreq-only`` rebuilds just these):

``en.keys``
    the sorted 64-bit BLAKE2b hashes of the words (little-endian uint64); two words
    share a hash with a chance of about 1 in 10^14 per lookup;
``en.codes``
    per hash, the index of its frequency in ``en.values`` (uint16);
``en.values``
    the distinct frequencies (float64).
"""

from __future__ import annotations

import hashlib
import math
import sys
from array import array
from bisect import bisect_left
from functools import lru_cache

import regex

from .errors import DataFileError
from .resources import lexicon_path

__all__ = ["PLAIN", "PUNCTUATION", "frequency", "zipf", "word_key"]

#: Lowercase letters that wordfreq's English preprocessing (NFC, casefold) leaves as they
#: are: a-z and the lowercase Latin letters of U+00DF..U+024F ("ß", which folds to "ss",
#: and the like left out).
LETTERS = "a-z" + "".join(c for c in map(chr, range(0xDF, 0x250)) if c.islower() and c.casefold() == c)
#: The vowels (and "h") before which wordfreq's tokenizer splits off one or two letters
#: and an apostrophe, as in "l'amour" (its INITIAL_VOWEL_EXPR, lowercase).
_ELISION_VOWELS = "aehiouyáéíóúàèìòùâêîôûåïöœ"
#: The words the table answers for: those letters, with at most one apostrophe inside
#: that does not make such an elision. wordfreq reads each of them as one token.
PLAIN = regex.compile(rf"(?![{LETTERS}]{{1,2}}'[{_ELISION_VOWELS}])[{LETTERS}]+(?:'[{LETTERS}]+)?")
#: Text of punctuation and symbols of the Common script alone (not "_", a word character,
#: nor the symbols of category So, which wordfreq takes for emoji, nor the marks of Thai and
#: other scripts written without spaces): wordfreq finds no token in it, so its
#: frequency is 0.0.
PUNCTUATION = regex.compile(r"(?:(?!\p{Pc})(?=\p{Script=Common})[\p{P}\p{Sm}\p{Sc}\p{Sk}])+")


def word_key(word: str) -> int:
    """The table's key of ``word``: the 64-bit BLAKE2b hash of its UTF-8."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _read(name: str, typecode: str) -> array:
    data = array(typecode)
    try:
        data.frombytes(lexicon_path(f"wordfreq/{name}").read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        raise DataFileError(f"newsrepair data file lexicons/wordfreq/{name} is missing from this installation") from None
    except ValueError:
        raise DataFileError(f"newsrepair data file lexicons/wordfreq/{name} is truncated") from None
    if sys.byteorder != "little":
        data.byteswap()
    return data


@lru_cache(maxsize=1)
def _table() -> tuple[array, array, array]:
    keys, codes, values = _read("en.keys", "Q"), _read("en.codes", "H"), _read("en.values", "d")
    if len(keys) != len(codes) or (codes and max(codes) >= len(values)):
        raise DataFileError("newsrepair data files lexicons/wordfreq/en.* do not match each other")
    return keys, codes, values


def frequency(word: str) -> float:
    """``wordfreq.word_frequency(word, "en")``: from the shipped table for a :data:`PLAIN`
    word, from wordfreq itself for any other."""
    if not PLAIN.fullmatch(word):
        if PUNCTUATION.fullmatch(word):
            return 0.0
        from wordfreq import word_frequency

        return word_frequency(word, "en")
    keys, codes, values = _table()
    key = word_key(word)
    i = bisect_left(keys, key)
    return values[codes[i]] if i < len(keys) and keys[i] == key else 0.0


def zipf(word: str) -> float:
    """``wordfreq.zipf_frequency(word, "en")``: log10 of the frequency per billion words,
    rounded to two decimals; 0.0 for a word wordfreq does not know."""
    if not PLAIN.fullmatch(word) and not PUNCTUATION.fullmatch(word):
        from wordfreq import zipf_frequency

        return zipf_frequency(word, "en")
    f = frequency(word)
    return round(math.log10(f) + 9, 2) if f > 0.0 else 0.0
