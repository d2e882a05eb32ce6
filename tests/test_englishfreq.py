"""The shipped table of wordfreq's English frequencies answers exactly as wordfreq does,
for the words it holds, the words it knows are absent, and (by asking wordfreq) every
other word."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wordfreq import get_frequency_dict, word_frequency, zipf_frequency

import newsrepair.englishfreq as englishfreq
from newsrepair import DataFileError

# Common, rare and unknown words; apostrophes, accents, a French elision that wordfreq
# splits ("l'amour"), a letter that casefolds to two ("ß"), digits, capitals, punctuation
# (and a Thai mark, which wordfreq reads as a token).
WORDS = ["the", "government", "navy", "vitality", "zorblatt", "qqqzzx", "don't", "who've", "army's",
         "o'brien", "l'amour", "qu'il", "darién", "josé", "straße", "ß", "f-7s", "k8", "2017", "Navy",
         "rock'n'roll", "|", "¿", "...", "๏", "_", "'s", "s'", "", "œuvre", "naïve", "ﬁnance", "e\u0301t\u00e9"]


@pytest.mark.parametrize("word", WORDS)
def test_the_same_answers_as_wordfreq(word: str) -> None:
    assert englishfreq.frequency(word) == word_frequency(word, "en")
    assert englishfreq.zipf(word) == zipf_frequency(word, "en")


def test_the_table_answers_for_plain_words_without_wordfreq(monkeypatch) -> None:
    import wordfreq

    def refuse(*args, **kwargs):
        raise AssertionError("wordfreq was asked")

    monkeypatch.setattr(wordfreq, "word_frequency", refuse)
    monkeypatch.setattr(wordfreq, "zipf_frequency", refuse)
    assert englishfreq.frequency("government") > englishfreq.frequency("vitality") > 0.0
    assert englishfreq.frequency("zorblatt") == 0.0
    assert englishfreq.zipf("the") > 7.0
    assert englishfreq.frequency("|") == 0.0
    with pytest.raises(AssertionError, match="wordfreq was asked"):
        englishfreq.frequency("l'amour")  # an elision: not a plain word


def test_every_plain_word_of_wordfreq_s_list_is_in_the_table() -> None:
    words = [w for w in get_frequency_dict("en", "large") if englishfreq.PLAIN.fullmatch(w)]
    assert len(words) > 250_000
    for w in words[::97]:
        assert englishfreq.frequency(w) == word_frequency(w, "en"), w


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz'éöıßœ_-1|¿ ", min_size=1, max_size=9))
def test_any_string_gets_wordfreq_s_answer(word: str) -> None:
    assert englishfreq.frequency(word) == word_frequency(word, "en")
    assert englishfreq.zipf(word) == zipf_frequency(word, "en")


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
