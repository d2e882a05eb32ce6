"""The shipped language model: loads, is normalised enough to compare wordings, prefers
the natural phrase to the spun one on examples written for this test; and a model built
from other text loads from its directory."""

from __future__ import annotations

import math
import pathlib
import sys
from array import array

import pytest

import newsrepair.langmodel as langmodel
from newsrepair import DataFileError
from newsrepair.langmodel import NgramLM, lm_tokens


@pytest.fixture(scope="module")
def lm() -> NgramLM:
    return NgramLM.load()


def score(lm: NgramLM, text: str) -> float:
    return lm.sequence_logprob(lm_tokens(text))


def test_tokens() -> None:
    assert lm_tokens("The Council’s 2,000 homes, it said.") == ["the", "council's", "<num>", "homes", ",", "it", "said", "."]
    assert lm_tokens("doesn't") == ["doesn't"]


@pytest.mark.parametrize("natural, spun", [
    ("the plant will supply clean energy to the region", "the plant will supply clean vitality to the region"),
    ("the mayor said on Friday that", "the mayor mentioned on Friday that"),
    ("prices rose by 3 percent last year", "prices rose by 3 p.c last 12 months"),
    ("more than 500 people were evacuated", "greater than 500 folks were evacuated"),
    ("the talks have stalled since the election", "the talks have stalled for the reason that the election"),
    ("the army general met the president", "the army normal met the president"),
])
def test_prefers_the_natural_wording(lm: NgramLM, natural: str, spun: str) -> None:
    assert score(lm, natural) > score(lm, spun)


def test_probabilities_are_probabilities(lm: NgramLM) -> None:
    for word, ctx in [("the", ()), ("energy", ("nuclear",)), ("zyxwv", ("of", "the")), ("<num>", ("in",))]:
        lp = lm.logprob(word, ctx)
        assert math.isfinite(lp) and lp < 0.0
    # A distribution over the vocabulary given a context sums to at most one.
    total = sum(math.exp(lm.logprob(w, ("of", "the"))) for w in lm.vocab[:20000])
    assert total < 1.05


def test_news_count(lm: NgramLM) -> None:
    assert lm.news_count(["the"]) > lm.news_count(["the", "government"]) > 0
    three = lm.news_count(["the", "prime", "minister"])
    assert 0 < three <= lm.news_count(["prime", "minister"])
    assert lm.news_count(["said", "the", "prime", "minister"]) <= three  # bounded by its triples
    assert lm.news_count(["zorblatt"]) == lm.news_count(["the", "zorblatt"]) == lm.news_count([]) == 0


def test_unknown_words_and_empty_context(lm: NgramLM) -> None:
    assert lm.logprob("qwertyuiopasdf") < lm.logprob("house")
    assert lm.sequence_logprob([]) == 0.0


def test_missing_or_broken_files_raise_datafileerror(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(langmodel, "lexicon_path", lambda name: tmp_path / name)
    with pytest.raises(DataFileError, match="missing"):
        NgramLM.load()
    (tmp_path / "lm").mkdir()
    (tmp_path / "lm" / "vocab.txt").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "lm" / "unigram.u32").write_bytes(array("I", [1, 2, 3]).tobytes())
    with pytest.raises(DataFileError):
        NgramLM.load()


@pytest.mark.parametrize("cache_size", [200_000, 7])
def test_cached_probabilities_are_the_model_s(monkeypatch, cache_size) -> None:
    # logprob caches by the packed ids of the three words: every context, with words
    # inside and outside the vocabulary, asked in any order, must get its own
    # probability, also when the cache is full and forgets
    monkeypatch.setattr(langmodel, "_LOGPROB_CACHE_SIZE", cache_size)
    lm = NgramLM.load()
    words = ["the", "of", "house", "<s>", "<num>", ",", "qwertyuiopasdf", "zzyzxq"]
    contexts = [(), *((a,) for a in words), *((a, b) for a in words for b in words), ("x", "of", "the")]
    asked = [(w, ctx) for ctx in contexts for w in words]
    first = {q: lm.logprob(*q) for q in asked}
    for w, ctx in reversed(asked):
        ids = [lm.ids.get(t, -1) for t in ("", "", *ctx)[-2:]]
        assert lm.logprob(w, ctx) == first[w, ctx] == lm._logprob(w, *ids, lm.ids.get(w, -1))
    assert lm.logprob("house", ("qwertyuiopasdf", "the")) == lm.logprob("house", ("zzyzxq", "the"))
    assert len(lm._logprob_cache) <= cache_size


def test_a_sequence_scores_as_its_words_one_by_one(lm: NgramLM) -> None:
    tokens = ["the", "qwertyuiopasdf", "house", ",", "<num>", "of"]
    for context in [(), ("said",), ("zzyzxq", "said"), ("he", "said", "that")]:
        total, hist = 0.0, list(context)
        for tok in tokens:
            total += lm.logprob(tok, tuple(hist[-2:]))
            hist.append(tok)
        assert lm.sequence_logprob(tokens, context) == total


def _build_ngrams():
    """``scripts/build_ngrams.py`` as a module, or None where scripts/ is not installed."""
    scripts = pathlib.Path(__file__).resolve().parent.parent / "scripts"
    if not (scripts / "build_ngrams.py").exists():
        return None
    sys.path.insert(0, str(scripts))
    try:
        import build_ngrams
    finally:
        sys.path.remove(str(scripts))
    return build_ngrams


def test_a_contraction_is_followed_by_what_follows_the_word_it_ends_with(lm: NgramLM) -> None:
    # the broad pairs split "haven't", so they give it those of "not": in a spun "they
    # haven't but decided", "yet" fits the slot; before, both fell back to how common
    # each word is alone, where "but" wins
    def books(v: str, w: str) -> int:
        return lm._books.count((lm.ids[v] << langmodel._BITS) | lm.ids[w])

    assert books("haven't", "yet") == books("not", "yet") > books("haven't", "but")
    assert lm.logprob("yet", ("they", "haven't")) > lm.logprob("but", ("they", "haven't"))
    build_ngrams = _build_ngrams()
    if build_ngrams is not None:
        pairs = build_ngrams.Counter({("not", "yet"): 9, ("not", "only"): 4, ("can't", "stop"): 2})
        out = build_ngrams.with_contractions(pairs)
        assert out[("haven't", "yet")] == 9 and out[("haven't", "only")] == 4
        assert out[("can't", "stop")] == 2 and ("can't", "yet") not in out  # it has pairs of its own
        pairs = build_ngrams.Counter({("will", "be"): 5, ("have", "been"): 3, ("are", "here"): 1})
        out = build_ngrams.with_contractions(pairs, ["they'll", "we've", "you're", "it's", "he'd", "'ll"])
        assert out[("they'll", "be")] == 5 and out[("we've", "been")] == 3 and out[("you're", "here")] == 1
        assert not {v for v, _w in out} & {"it's", "he'd", "'ll"}  # "'s" and "'d" are ambiguous
    assert lm.logprob("be", ("they", "they'll")) > lm.logprob("is", ("they", "they'll"))


def test_a_possessive_is_scored_like_its_noun_by_the_broad_pairs(lm: NgramLM) -> None:
    # "the military's" is far likelier than "the navy's", as "the military" is than "the navy"
    assert lm.logprob("military's", ("of", "the")) - lm.logprob("navy's", ("of", "the")) > 1.0
    build_ngrams = _build_ngrams()
    if build_ngrams is not None:
        pairs = build_ngrams.Counter({("the", "navy"): 7, ("navy", "ships"): 3, ("it", "is"): 9})
        out = build_ngrams.with_possessives(pairs, ["navy's", "it's", "x'y"])
        assert out[("the", "navy's")] == 7 and out[("navy's", "ships")] == 3
        assert ("it's", "is") not in out and out[("it", "is")] == 9  # "it's" is no possessive


def test_a_model_built_elsewhere_loads_from_its_directory(tmp_path, lm: NgramLM) -> None:
    # the evaluation counts models without the articles it scores (scripts/clean_folds.py)
    build_ngrams = _build_ngrams()
    if build_ngrams is None:
        pytest.skip("scripts/ is not installed with the package")
    news = ["The harbour pilots boarded the tanker at dawn.",
            "Pilots said the tanker would dock on Tuesday.",
            "The harbour master closed the port to tankers."]
    out = tmp_path / "model"
    build_ngrams.build([build_ngrams.document({"title": "Port", "text": t}) for t in news], out,
                       build_ngrams.shipped_books_bigrams(), quiet=True)
    small = NgramLM.load(out)
    assert "harbour" in small.ids and len(small.vocab) < len(lm.vocab)
    assert small.news_count(["tanker"]) == small.news_count(["the", "tanker"]) == 2  # counts of these texts only
    assert score(small, "the harbour pilots boarded the tanker") > score(small, "the tanker pilots boarded the harbour")
    # the broad bigram counts are the shipped ones
    assert small._books.count((small.ids["of"] << langmodel._BITS) | small.ids["the"]) == \
        lm._books.count((lm.ids["of"] << langmodel._BITS) | lm.ids["the"]) > 0
    with pytest.raises(DataFileError, match="nowhere.vocab.txt is missing"):
        NgramLM.load(tmp_path / "nowhere")
