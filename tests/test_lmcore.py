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


def test_an_extension_that_does_not_load_is_named_in_a_warning(monkeypatch) -> None:
    # not built: the documented pure-Python path, silently; built but broken (an
    # undefined symbol, another Python's build): the same path, with a warning
    import sys

    import newsrepair
    from newsrepair import langmodel

    class Broken:
        def find_spec(self, name, path=None, target=None):
            if name == "newsrepair._lmcore":
                raise ImportError("undefined symbol: PyFoo_Bar")
            return None

    monkeypatch.delitem(sys.modules, "newsrepair._lmcore", raising=False)
    monkeypatch.delattr(newsrepair, "_lmcore", raising=False)
    monkeypatch.setattr(sys, "meta_path", [Broken(), *sys.meta_path])
    langmodel._warn_broken_extension.cache_clear()
    with pytest.warns(RuntimeWarning, match="does not load .undefined symbol: PyFoo_Bar"):
        assert langmodel.c_extension() is None


def test_a_pure_python_install_gives_no_warning(monkeypatch) -> None:
    import importlib.util
    import sys
    import warnings

    import newsrepair
    from newsrepair import langmodel

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "newsrepair._lmcore" else real(name, *a))
    monkeypatch.delitem(sys.modules, "newsrepair._lmcore", raising=False)
    monkeypatch.delattr(newsrepair, "_lmcore", raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert langmodel.c_extension() is None


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


# ---------------------------------------------------------------- detection's fast paths
# Spin detection reads text with four functions of the extension (word_stats,
# phrase_starts, window_tokens, Scorer.phrase_posteriors); each must give what the
# Python code gives, on any text.

#: Pieces of text for the tokenizer's hard cases (apostrophes, numbers with separators,
#: letters after digits, Latin letters, typographic marks, characters the C code leaves
#: to the regex module: combining marks, other digits, controls, "İ").
PIECES = ["navy", "Navy", "navy's", "navy’s", "x'navy", "2012", "12", "months", "1.12", "3,000.5", "for",
          "the", "reason", "that", "in", "line", "with", "p.c", "high", "normal", "'", "’", "“", "”", "—",
          "(", ",", ".", "_", "é", "e\u0301", "½", "٣", "\x1c", "İ", "ß", "×", "said", "a", "an", "army",
          "\u00a0", "qwzzkx"]
SEPARATORS = [" ", "  ", "\n", "", "\t"]
texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda parts: "".join(p + s for p, s in parts))


@pytest.fixture(scope="module")
def spin_models(models):
    """(a spin model on the C extension, the same model in pure Python)."""
    from newsrepair.config import Config
    from newsrepair.spin import SpinModel

    compiled = SpinModel(Config())
    mp = pytest.MonkeyPatch()
    mp.setenv(PURE_PYTHON_ENV, "1")
    try:
        pure = SpinModel(Config(), lm=NgramLM.load())
    finally:
        mp.undo()
    assert compiled.lm.compiled and not pure.lm.compiled
    assert compiled._sig_finder._c is not None and pure._sig_finder._c is None
    return compiled, pure


def test_lowercase_the_same_for_every_character(models) -> None:
    # the C code lowercases one character for one, as str.lower does in context, except
    # a capital sigma and a dotted capital I (then None: the Python code does it)
    from newsrepair import _lmcore
    from newsrepair.spin.detect import lowercase, lowercaser

    left = []
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        for text in (ch, "a" + ch + "b", "É" + ch, ch + "\U0001f600", "’" + ch):
            low = _lmcore.lowercase(text)
            if low is None:
                left.append(ch)
                break
            assert low == lowercase(text), hex(code)
    assert left == ["İ", "Σ"]
    assert lowercaser()("ΟΔΟΣ Σ’s") == lowercase("ΟΔΟΣ Σ’s") == "οδος σ's"  # a final sigma in its word
    assert lowercaser()("İs’") == lowercase("İs’") == "İs'"
    assert _lmcore.lowercase("") == ""
    with pytest.raises(TypeError):
        _lmcore.lowercase(b"bytes")


def test_the_c_code_uses_detection_s_constants(models) -> None:
    # the C reader copies two constants of detect.py; texts short enough for the
    # property tests below never reach the wider context windows
    from newsrepair import _lmcore
    from newsrepair.spin.detect import CONTEXT_CHARS, SENTENCE_END

    assert tuple(_lmcore.CONTEXT_CHARS) == tuple(CONTEXT_CHARS)
    assert frozenset(_lmcore.SENTENCE_END) == SENTENCE_END


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_word_stats_the_same(text) -> None:
    from newsrepair import _lmcore
    from newsrepair.spin.detect import lowercase, word_stats

    vocab = {"navy": 0, "the": 1, "for": 2, "é": 3, "navy's": 4}
    low = lowercase(text)
    for sample in (0, 1, 3, 300):
        for share in (0.0, 0.6, 1.0):
            assert _lmcore.word_stats(low, vocab, sample, share) == word_stats(low, vocab, sample, share)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_the_scorer_s_word_stats_the_same(spin_models, text) -> None:
    # the Scorer looks words up in its own table of the vocabulary, not in the dict
    from newsrepair.spin.detect import lowercase, word_stats

    compiled, _ = spin_models
    low = lowercase(text)
    for sample in (0, 1, 3, 300):
        for share in (0.0, 0.6, 1.0):
            assert compiled.lm._c.word_stats(low, sample, share) == word_stats(low, compiled.lm.ids, sample, share)


def test_the_scorer_s_vocabulary_is_its_ids(models) -> None:
    # every word of the vocabulary, and words that differ from one in a character or in
    # length, whatever their string kind; and a key that is not a str is never a word
    from newsrepair import _lmcore
    from newsrepair.spin.detect import word_stats

    keys, counts = array("Q"), array("I")
    ids = {"a": 0, "navy": 1, "é": 2, "日本": 3, "\U0001f600x": 4, 5: 0}
    scorer = _lmcore.Scorer(ids, len, array("I", [1] * 30), array("d", [0.5] * 6), keys, counts, keys, counts,
                            keys, counts, counts, keys, counts, 0.75, 0.75, 0.2)
    for word in ["a", "navy", "é", "日本", "\U0001f600x", "b", "nav", "navyy", "e", "日", "日本x", "5", "x"]:
        assert scorer.word_stats(word, 1, 1.0) == word_stats(word, ids, 1, 1.0), word
    with pytest.raises(ValueError, match="out of range"):
        _lmcore.Scorer({"a": 7}, len, array("I", [1] * 5), array("d", [0.5]), keys, counts, keys, counts,
                       keys, counts, counts, keys, counts, 0.75, 0.75, 0.2)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_phrase_starts_the_same(spin_models, text) -> None:
    from newsrepair.spin.detect import lowercase

    compiled, pure = spin_models
    low = lowercase(text)
    assert compiled._sig_finder.starts(low) == pure._sig_finder.starts(low)


@pytest.mark.parametrize("text", ["abcdef'g abcdef", "abcdef’g", "abc'def abcdefabc", "12345678 1234567 123 45",
                                  "p.c p . c p .c p. c p..c", "3.5 3 .5 3.55 x3.5"])
def test_phrase_finder_the_same_at_key_limits(models, monkeypatch, text) -> None:
    # the longest key is 7 characters: keys that go on past it (with an apostrophe, digits)
    # must not be read as a shorter key; tokens of several keys allow no space inside
    from newsrepair.spin.detect import lowercase
    from newsrepair.spin.lexicon import PhraseFinder

    phrases = ["abc", "abcdef", "1234567", "123", "p . c", "3.5", "abcdef's"]
    compiled = PhraseFinder(phrases)
    monkeypatch.setenv(PURE_PYTHON_ENV, "1")
    pure = PhraseFinder(phrases)
    assert compiled._c is not None and pure._c is None
    low = lowercase(text)
    assert compiled.starts(low) == pure.starts(low)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_window_tokens_the_same(spin_models, text) -> None:
    from newsrepair.spin.detect import lowercase

    compiled, pure = spin_models
    low = lowercase(text)
    for start in range(len(low)):
        if not low[start].isspace():
            assert compiled._sig_reader.read(low, start) == pure._sig_reader.read(low, start)


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_detection_the_same(spin_models, text) -> None:
    compiled, pure = spin_models
    assert compiled.detect(text) == pure.detect(text)


def test_detection_the_same_on_prose(spin_models) -> None:
    compiled, pure = spin_models
    spun = ("The navy mentioned on Friday that the high normal would go to the capital for the reason that "
            "the vitality disaster had worsened, and a earlier assembly was referred to as off.")
    for text in [*TEXTS, spun, " ".join(TEXTS) + " " + spun]:
        a, b = compiled.detect(text), pure.detect(text)
        assert a == b
    assert compiled.detect(spun).suspects  # the windows were scored, not skipped


def test_fast_path_bad_arguments(models) -> None:
    from newsrepair import _lmcore

    compiled, _ = models
    with pytest.raises(TypeError):
        _lmcore.word_stats(b"bytes", {}, 3, 0.6)
    with pytest.raises(TypeError):
        _lmcore.word_stats("text", {}, 3)
    with pytest.raises(ValueError, match="power of two"):
        _lmcore.phrase_starts("text", array("Q", [0, 0, 0]), 5, [{}], b"\0")
    with pytest.raises(ValueError, match="8 bytes"):
        _lmcore.phrase_starts("text", array("I", [0, 0]), 5, [{}], b"\0")
    with pytest.raises(ValueError, match="one end flag per node"):
        _lmcore.phrase_starts("text", array("Q", [0, 0]), 5, [{}], b"")
    with pytest.raises(TypeError, match="phrase_starts takes"):
        _lmcore.phrase_starts("text", array("Q", [0, 0]), 5)
    with pytest.raises(ValueError, match="start must be in the text"):
        _lmcore.window_tokens("text", 4, 2)
    with pytest.raises(ValueError, match="one length, form, article"):
        compiled._c.phrase_posteriors(["the"], ["navy"], 1, (1,), (("military",),), (), (0.0, -1.0))
    with pytest.raises(ValueError, match="length must be in"):
        compiled._c.phrase_posteriors(["the"], ["navy"], 1, (2,), (("military",),), ("a",), (0.0, -1.0))
    with pytest.raises(TypeError, match="str"):
        compiled._c.phrase_posteriors([1], ["navy"], 1, (1,), (("military",),), ("a",), (0.0, -1.0))
    with pytest.raises(TypeError, match="scan_phrases"):
        compiled._c.scan_phrases("the navy", (0, 4), 3, {}, set(), len, 0.5, len)  # starts not a list
    never = lambda key, rho: None  # noqa: E731 - no phrase has options
    assert compiled._c.scan_phrases("the navy said", [0, 4], 3, {"navy": (1,)}, {("navy",)}, never, 0.5, None) == []
    keys, counts = array("Q", [5, 3]), array("I", [1, 1])
    with pytest.raises(ValueError, match="not sorted"):
        _lmcore.Scorer({"a": 0}, len, array("I", [1] * 5), array("d", [0.5]), keys, counts, keys, counts,
                       keys, counts, counts, keys, counts, 0.75, 0.75, 0.2)


_FLOATS = st.floats(min_value=-80.0, max_value=5.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(pairs=st.lists(st.tuples(_FLOATS, _FLOATS), min_size=1, max_size=6))
def test_posteriors_the_same(models, pairs) -> None:
    # the decoder's softmax of LM scores plus channel log-priors (reversal calls it for
    # every position it scores)
    from newsrepair import _lmcore
    from newsrepair.spin.decode import _posteriors

    scores, priors = [a for a, _ in pairs], [b for _, b in pairs]
    assert _lmcore.posteriors(scores, priors) == _posteriors(scores, priors)
    assert _lmcore.posteriors(tuple(scores), tuple(priors)) == _posteriors(scores, priors)
    with pytest.raises(ValueError, match="as many log-priors"):
        _lmcore.posteriors(scores, priors + [0.0])


# ---------------------------------------------------------------- reversal's search
# Decoder.decode_sentence runs its search in C (Scorer.decode_sentence) when the
# extension is built: the same decisions with the same posteriors as the Python search.

#: Words of spun and plain news, many of them lexicon phrases or their starts.
_SPUN_WORDS = ["the", "navy", "navy's", "mentioned", "high", "normal", "for", "the", "reason", "that", "a",
               "an", "earlier", "assembly", "vitality", "disaster", "said", "on", "Friday", ",", ".", "folks",
               "12", "months", "in", "line", "with", "whereas", "additionally", "authorities", "america",
               "Amnesty", "Worldwide", "p.c", "qwzzkx", "military", "energy", "and", "not", "using"]


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(_SPUN_WORDS), min_size=1, max_size=30),
       rho=st.floats(min_value=0.05, max_value=0.95), min_posterior=st.sampled_from([0.0, 0.5, 0.9]),
       boosted=st.booleans(), lm_power=st.sampled_from([1.0, 0.6]))
def test_decoding_the_same(spin_models, words, rho, min_posterior, boosted, lm_power) -> None:
    from collections import Counter

    from newsrepair.langmodel import lm_token
    from newsrepair.spin.decode import Decoder

    compiled, pure = spin_models
    decoders = [Decoder(m.lm, m.lexicon, lm_power=lm_power, starts=m.decoder.starts) for m in spin_models]
    norms = [w.lower() for w in words]
    forms = [lm_token(w) for w in words]
    lattice = {i: o for i in range(len(norms)) if (o := compiled.decoder.options(norms, i))}
    boost = Counter({(n, o.original): 2 for i, opts in lattice.items() for o in opts
                     if (n := " ".join(norms[i:i + o.length])) and boosted})
    memos = ({}, {})
    for round_rho in (0.5, rho):  # two rounds on one memo, as SpinModel._decode makes them
        got = [dec.decode_sentence(norms, forms, round_rho, boost, lattice=lattice, memo=memo,
                                   min_posterior=min_posterior)
               for dec, memo in zip(decoders, memos)]
        assert got[0] == got[1]
    assert decoders[0]._decode_c is not None and decoders[1]._decode_c is None


def test_reversal_the_same_on_prose(spin_models) -> None:
    compiled, pure = spin_models
    spun = ("The navy mentioned on Friday that the high normal would go to the capital for the reason that "
            "the vitality disaster had worsened, and a earlier assembly was referred to as off. Folks in "
            "america had been informed that the navy's plan was delayed by 12 months.")
    for text in [spun, " ".join(TEXTS) + " " + spun]:
        a, b = compiled.unspin_and_explain(text), pure.unspin_and_explain(text)
        assert a == b
    assert len(compiled.unspin_and_explain(spun)[1]) >= 5  # decoded, not passed through


def test_decoding_bad_arguments(models) -> None:
    compiled, _ = models
    decode = compiled._c.decode_sentence
    position = (0, 1, (0.0, -1.0), (1,), (("military",),), ("a",))
    assert decode(["navy", "said"], [position], 0.0, 1.0, 2, {})[0][:2] in ((0, 0),)
    with pytest.raises(TypeError, match="takes 6 arguments"):
        decode(["navy"], [position], 0.0, 1.0, 2)
    with pytest.raises(TypeError, match="forms: list"):
        decode(("navy",), [position], 0.0, 1.0, 2, {})
    with pytest.raises(TypeError, match="must be str"):
        decode([7], [position], 0.0, 1.0, 2, {})
    with pytest.raises(TypeError, match="a position is"):
        decode(["navy"], [(0, 1)], 0.0, 1.0, 2, {})
    with pytest.raises(ValueError, match="out of the sentence"):
        decode(["navy"], [(3, 1, (0.0, -1.0), (1,), (("military",),), ("a",))], 0.0, 1.0, 2, {})
    with pytest.raises(ValueError, match="unequal sizes"):
        decode(["navy"], [(0, 1, (0.0,), (1,), (("military",),), ("a",))], 0.0, 1.0, 2, {})
    with pytest.raises(ValueError, match="length out of the sentence"):
        decode(["navy"], [(0, 2, (0.0, -1.0), (2,), (("military",),), ("a",))], 0.0, 1.0, 2, {})
    with pytest.raises(TypeError, match="LM tokens must be str"):
        decode(["navy"], [(0, 1, (0.0, -1.0), (1,), ((5,),), ("a",))], 0.0, 1.0, 2, {})
