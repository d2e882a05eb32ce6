"""The shipped table of wordfreq's English frequencies answers as wordfreq does for every
word of its list and every word it reads as one token; it differs, as documented, only
where wordfreq would split a word into several known tokens. wordfreq (a test
dependency) is the reference; the library itself does not import it."""

from __future__ import annotations

import subprocess
import sys
from array import array

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from wordfreq import get_frequency_dict, word_frequency, zipf_frequency

import newsrepair.englishfreq as englishfreq
from newsrepair import DataFileError

#: Lowercase letters that wordfreq's English preprocessing (NFC, casefold) leaves as they
#: are: a-z and the lowercase Latin letters of U+00DF..U+024F ("ß", which folds to "ss",
#: and the like left out).
LETTERS = "a-z" + "".join(c for c in map(chr, range(0xDF, 0x250)) if c.islower() and c.casefold() == c)
#: The vowels (and "h") before which wordfreq's tokenizer splits off one or two letters
#: and an apostrophe, as in "l'amour" (its INITIAL_VOWEL_EXPR, lowercase).
ELISION_VOWELS = "aehiouyáéíóúàèìòùâêîôûåïöœ"
#: Words that wordfreq reads as one token, as written: those letters, with at most one
#: apostrophe inside that does not make such an elision. For them the table's answer is
#: wordfreq's, listed or not.
PLAIN = regex.compile(rf"(?![{LETTERS}]{{1,2}}'[{ELISION_VOWELS}])[{LETTERS}]+(?:'[{LETTERS}]+)?")

# Common, rare and unknown words; apostrophes, accents, a letter that casefolds to two
# ("ß"), capitals, punctuation, a symbol wordfreq lists ("©"), other scripts (Thai marks
# and Devanagari are tokens to wordfreq), combining marks, a ligature.
SAME = ["the", "government", "navy", "vitality", "zorblatt", "qqqzzx", "don't", "who've", "army's", "o'brien",
        "darién", "josé", "straße", "ß", "Navy", "NAVY", "rock'n'roll", "|", "¿", "...", "๏", "_", "___", "",
        "œuvre", "naïve", "ﬁnance", "e\u0301t\u00e9", "©", "中文网", "हिंदी"]
# Where wordfreq splits the word into tokens its list knows and combines them, or reads
# digits: the table has no entry for the word as written.
SPLIT_BY_WORDFREQ = ["l'amour", "qu'il", "f-7s", "2017", "'s", "s'"]


@pytest.mark.parametrize("word", SAME)
def test_the_same_answers_as_wordfreq(word: str) -> None:
    assert englishfreq.frequency(word) == word_frequency(word, "en")
    assert englishfreq.zipf(word) == zipf_frequency(word, "en")


@pytest.mark.parametrize("word", SPLIT_BY_WORDFREQ)
def test_a_word_wordfreq_splits_is_unknown_as_written(word: str) -> None:
    assert word_frequency(word, "en") > 0.0
    assert englishfreq.frequency(word) == 0.0 and englishfreq.zipf(word) == 0.0


def test_every_word_of_wordfreq_s_list_is_in_the_table() -> None:
    words = list(get_frequency_dict("en", "large"))
    assert len(words) > 300_000
    for w in words[::53]:
        assert englishfreq.frequency(w) == word_frequency(w, "en"), w
        assert englishfreq.zipf(w) == zipf_frequency(w, "en"), w


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzAÉ'éöıßœ", min_size=1, max_size=9))
def test_plain_words_get_wordfreq_s_answer_listed_or_not(word: str) -> None:
    if PLAIN.fullmatch(word.casefold()):
        assert englishfreq.frequency(word) == word_frequency(word, "en")
        assert englishfreq.zipf(word) == zipf_frequency(word, "en")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="|¿.,;:!?-()[]/\\\"'*&%$#@+=<>~^`{}", min_size=1, max_size=6))
def test_punctuation_is_no_word(word: str) -> None:
    assert englishfreq.frequency(word) == word_frequency(word, "en") == 0.0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_any_text_gets_a_frequency(word: str) -> None:
    assert 0.0 <= englishfreq.frequency(word) < 1.0


def test_newsrepair_runs_without_wordfreq() -> None:
    code = ("import sys; sys.modules['wordfreq'] = None\n"  # any import of it fails
            "import newsrepair\n"
            "r = newsrepair.repair('The navy mentioned Zorblatt, and folks were pressured from their houses.')\n"
            "print(newsrepair.detect_spin('Gen. Zorblatt of the ©navy said l’amour').score >= 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "True"


def test_a_missing_or_broken_table_raises_datafileerror(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(englishfreq, "lexicon_path", lambda name: tmp_path / name)
    englishfreq._table.cache_clear()
    try:
        with pytest.raises(DataFileError, match="lexicons/wordfreq/en.keys is missing"):
            englishfreq.frequency("zorblatt")
        (tmp_path / "wordfreq").mkdir()
        (tmp_path / "wordfreq" / "en.keys").write_bytes(array("Q", [1, 2]).tobytes())
        (tmp_path / "wordfreq" / "en.codes").write_bytes(array("H", [0]).tobytes())
        (tmp_path / "wordfreq" / "en.values").write_bytes(array("d", [1e-6]).tobytes())
        with pytest.raises(DataFileError, match="do not match"):
            englishfreq.frequency("zorblatt")
        (tmp_path / "wordfreq" / "en.codes").write_bytes(b"\0\0\0")
        with pytest.raises(DataFileError, match="truncated"):
            englishfreq.frequency("zorblatt")
    finally:
        englishfreq._table.cache_clear()
