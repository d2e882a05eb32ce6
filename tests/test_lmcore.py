"""The optional C extension of the language model (``newsrepair._lmcore``): where it is
built, every probability it gives is bit for bit the one the Python code computes, and
``NEWSREPAIR_PURE_PYTHON`` switches it off. Without it (no compiler at install time)
these tests skip, except under ``NEWSREPAIR_REQUIRE_C=1`` (set by ``.ci/run``), where a
missing extension fails."""

from __future__ import annotations

import importlib.util
import os
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsrepair.langmodel import PURE_PYTHON_ENV, NgramLM, lm_tokens

REQUIRED = os.environ.get("NEWSREPAIR_REQUIRE_C") == "1"

#: Sentences written for this test, with names and numbers the model has not seen.
TEXTS = [
    "The council said on Tuesday that 1,200 homes in Ashby Vale would get new boilers by March.",
    "Shares of Quorvex fell 3.5% after the regulator opened an inquiry into its accounts.",
    "Police in the northern town arrested two men, aged 19 and 24, after a night of unrest.",
    "\"We will not back down,\" the union's leader told reporters outside the hall.",
]


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> tuple[NgramLM, NgramLM]:
    """(the model with the C extension, the same model in pure Python)."""
    compiled = NgramLM.load()
    if not compiled.compiled:
        if REQUIRED:
            pytest.fail("the C extension newsrepair._lmcore is not built (NEWSREPAIR_REQUIRE_C=1)")
        pytest.skip("the C extension newsrepair._lmcore is not built")
    mp = pytest.MonkeyPatch()
    mp.setenv(PURE_PYTHON_ENV, "1")
    try:
        pure = NgramLM.load()
    finally:
        mp.undo()
    assert not pure.compiled
    return compiled, pure


def test_the_same_numbers_on_text(models) -> None:
    compiled, pure = models
    for text in TEXTS:
        toks = ["<s>", *lm_tokens(text)]
        for i in range(1, len(toks)):
            for n in (1, 2, 4):
                ctx, seq = toks[max(0, i - 3):i], toks[i:i + n]
                assert compiled.sequence_logprob(seq, ctx) == pure.sequence_logprob(seq, ctx)


_WORDS = st.sampled_from(["the", "of", "said", "military", "energy", "<s>", "<num>", ",", ".", "'s",
                          "government", "on", "top", "general", "qwertyuiopasdf", "zzyzxq", "ünïcode", ""])


@settings(max_examples=300, deadline=None)
@given(tokens=st.lists(_WORDS | st.text(max_size=6), max_size=8), context=st.lists(_WORDS, max_size=3))
def test_the_same_numbers_on_any_tokens(models, tokens, context) -> None:
    compiled, pure = models
    assert compiled.sequence_logprob(tokens, context) == pure.sequence_logprob(tokens, context)
    assert compiled.sequence_logprob(tuple(tokens), tuple(context)) == pure.sequence_logprob(tokens, context)


def test_the_switch_turns_it_off(monkeypatch) -> None:
    monkeypatch.setenv(PURE_PYTHON_ENV, "1")
    assert not NgramLM.load().compiled
    monkeypatch.setenv(PURE_PYTHON_ENV, "0")
    assert NgramLM.load().compiled == _built()


def _built() -> bool:
    return importlib.util.find_spec("newsrepair._lmcore") is not None


def test_bad_arguments_raise(models) -> None:
    from newsrepair import _lmcore

    compiled, _ = models
    with pytest.raises(TypeError):
        compiled._c.sequence_logprob(5, ())
    with pytest.raises(TypeError):
        compiled._c.sequence_logprob(["the"])
    with pytest.raises(TypeError):
        _lmcore.Scorer().sequence_logprob(["the"], ())  # not initialised
    keys, counts = array("Q"), array("I")
    with pytest.raises(ValueError, match="items of 8 bytes"):  # p_uni must hold doubles
        _lmcore.Scorer({}, len, array("I", [0] * 5), array("f", [0.5]), keys, counts, keys, counts,
                       keys, counts, counts, keys, counts, 0.75, 0.75, 0.2)

    def failing(word: str) -> float:
        raise RuntimeError(word)

    scorer = _lmcore.Scorer({"a": 0}, failing, array("I", [1, 1, 1, 1, 1]), array("d", [0.5]), keys, counts,
                            keys, counts, keys, counts, counts, keys, counts, 0.75, 0.75, 0.2)
    assert scorer.sequence_logprob(["a"], ()) < 0
    with pytest.raises(RuntimeError, match="unknown"):  # the word outside the vocabulary
        scorer.sequence_logprob(["a", "unknown"], ())
    with pytest.raises(ValueError, match="out of range"):
        _lmcore.Scorer({"a": 3}, len, array("I", [1] * 5), array("d", [0.5]), keys, counts, keys, counts,
                       keys, counts, counts, keys, counts, 0.75, 0.75, 0.2).sequence_logprob(["a"], ())
