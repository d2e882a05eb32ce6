"""Spin detection's fast reading of the text: the phrase finder and the small token
windows must see exactly what tokenising the whole text would; and its discount of the
phrases that look spun in clean news too (texts written here)."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import newsrepair as nr
from newsrepair import Config, DataFileError
from newsrepair.spin import SpinModel, detect
from newsrepair.spin.detect import (CONTEXT_CHARS, WindowReader, clean_discount, context_window, load_clean_rates,
                                    lowercase, starts_token, tokens_before, tokens_pattern, word_tokens)
from newsrepair.spin.lexicon import Lexicon, PhraseFinder
from newsrepair.spin.tokens import tokenize

PHRASES = ["navy", "for the reason that", "in line with", "12 months", "p . c", "high normal",
           "1000 ' s", "“ moreover ,", "navy's", "the navy"]

# Pieces that make the tokenizer's hard cases: apostrophes, numbers with separators,
# letters after digits, symbols that stick to words, several kinds of white space.
PIECES = ["navy", "Navy", "NAVY", "navy's", "navy’s", "x'navy", "navies", "navy2", "_navy", "_", "2012",
          "12", "months", "12months", "1.12", "3.5", "for", "the", "reason", "that", "in", "line",
          "with", "p", ".", "c", "p.c", "high", "normal", "1000", "'", "’", "s", "“", "moreover", ",",
          "(", ")", "-", "é", "İ", "said"]
SEPARATORS = [" ", "  ", "\n", "\t", "", "\n\n"]


def _lexicon() -> Lexicon:
    lex = Lexicon()
    for phrase in PHRASES:
        lex.add(phrase, "original", 0.5, "test")
    return lex


texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=30).map(
    lambda parts: "".join(p + s for p, s in parts))


@settings(max_examples=300, deadline=None)
@given(texts)
def test_phrase_finder_finds_every_lexicon_hit(text):
    lex = _lexicon()
    low = lowercase(text)
    toks = tokenize(low)
    norms = [t.norm for t in toks]
    expected = {t.start for i, t in enumerate(toks) if lex.lookup(norms, i)}
    found = {s for s in PhraseFinder(lex.entries).starts(low) if starts_token(low, s)}
    # a phrase is missed only when it starts with a symbol glued to a letter ("x“")
    missed = {s for s in expected - found if not (low[s - 1].isalpha() and not low[s].isalnum())}
    assert not missed
    # and each start it reports is a token where the lookup succeeds
    starts = {t.start: i for i, t in enumerate(toks)}
    assert all(lex.lookup(norms, starts[s]) for s in found)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_token_windows_match_the_whole_tokenisation(text):
    low = lowercase(text)
    toks = tokenize(low)
    norms = [t.text for t in toks]
    starts = {t.start for t in toks}
    reader = tokens_pattern(4)
    window = WindowReader(4)  # in C where the extension is built
    for pos in range(len(low)):
        # exact where a space or the start of the text is near: always, in prose
        if not low[pos].isspace() and (pos <= CONTEXT_CHARS[0] or " " in low[pos - CONTEXT_CHARS[0]:pos]):
            assert starts_token(low, pos) == (pos in starts)
            assert (window.read(low, pos) is not None) == (pos in starts)
    for i, t in enumerate(toks):
        m = reader.match(low, t.start)
        assert m.captures(1) == norms[i:i + 4]
        assert m.ends(1) == [u.end for u in toks[i:i + 4]]
        # the tokens before are exact where white space or the start of the text is near
        # (tokens_before's contract: in a run of more than CONTEXT_CHARS[0] characters
        # without white space, the first token read may be part of a longer one)
        if t.start <= CONTEXT_CHARS[0] or any(c.isspace() for c in low[t.start - CONTEXT_CHARS[0]:t.start]):
            assert tokens_before(low, t.start, 2) == norms[max(0, i - 2):i]
            assert window.read(low, t.start) == (norms[max(0, i - 2):i], norms[i:i + 4],
                                                 [u.end for u in toks[i:i + 4]])


def test_lowercase_keeps_offsets():
    text = "İstanbul’s NAVY"
    low = lowercase(text)
    assert len(low) == len(text) and low.endswith("'s navy")


@settings(max_examples=300, deadline=None)
@given(texts)
def test_word_tokens_are_the_tokens_that_start_with_a_letter(text):
    low = lowercase(text)
    assume(not re.search(r"[^\W\d]\w*\d['’]?[^\W\d_]", low))  # the tokens "_1a", "g7's" (see word_tokens)
    assert word_tokens(low) == [t.text for t in tokenize(low) if t.text[0].isalpha()]


@pytest.mark.parametrize("left, right, length, window, index", [
    (["the", "top"], ["high", "normal", "met", "the", "press"], 2, ["the", "top", "high", "normal", "met", "the"], 2),
    (["said", "."], ["navy", "officers", "."], 1, ["navy", "officers", "."], 0),
    (["one", "two"], ["navy", ".", "next"], 1, ["one", "two", "navy", "."], 2),
    ([], ["navy"], 1, ["navy"], 0),
])
def test_context_window_stays_in_the_sentence(left, right, length, window, index):
    assert context_window(left, right, length) == (window, index)


def test_suspects_point_at_the_spun_phrases():
    text = ("İstanbul — The Navy’s officers mentioned on Friday that the financial disaster would solely "
            "worsen for the reason that costs have risen sharply in line with state media, and "
            "the authorities has promised extra assist for farmers over the subsequent 12 months.")
    report = nr.detect_spin(text)
    assert report.suspects
    for s in report.suspects:
        assert text[s.start:s.end] == s.text and s.candidates
    spans = {s.text: s.candidates for s in report.suspects}
    assert spans["mentioned"] == ("said",) and "year" in spans["12 months"]  # offsets after "İ" and "’"


def test_a_suspects_candidates_are_originals_of_that_span():
    # the lexicons hold "energy plant" -> "power plant" and "energy" -> "strength": only
    # originals of the two-word span the suspect covers are its candidates
    report = nr.detect_spin("The rebels seized the main energy plant on Monday.")
    spans = {s.text: s.candidates for s in report.suspects}
    assert spans["energy plant"] and all(len(c.split()) == 2 for c in spans["energy plant"])


def test_phrase_finder_of_an_empty_lexicon_finds_nothing():
    assert PhraseFinder([]).starts("the navy said") == []


def test_phrase_finder_reports_overlapping_phrases():
    finder = PhraseFinder(["the navy", "navy", "12 months", "p . c"])
    low = "the navy, p.c and 12months"
    assert finder.starts(low) == [0, 4, 10, 18]


# ---------------------------------------------------------------- the clean-news discount
def test_clean_discount_keeps_only_what_clean_news_does_not_explain():
    assert clean_discount(0.9, None) == 0.9                       # never met in clean news
    assert clean_discount(0.4, (95, 47.5)) == 0.0                 # b = 47.5 / 100 = 0.475
    assert clean_discount(0.6, (95, 47.5)) == pytest.approx(0.125 / 0.525)
    assert clean_discount(1.0, (95, 76.0)) == pytest.approx(1.0)  # certain stays certain
    assert clean_discount(0.9, (1, 1.0)) == pytest.approx((0.9 - 1 / 6) / (5 / 6))  # seen once: a small discount
    values = [clean_discount(p / 20, (40, 20.0)) for p in range(21)]
    assert values == sorted(values) and all(0.0 <= v <= 1.0 for v in values)


def test_shipped_clean_rates_are_counts_of_lexicon_phrases():
    rates = load_clean_rates()
    assert len(rates) > 100
    for phrase, (n, total) in rates.items():
        assert phrase == phrase.lower().strip() and "\t" not in phrase
        assert n >= 1 and 0.0 <= total <= n


@pytest.mark.parametrize("content, message", [
    ("within\t12\n", ":1: expected"),
    ("# comment\nwithin\ttwelve\t3.0\n", ":2: expected"),
    ("within\t2\t3.5\n", ":1: the posterior sum"),
])
def test_malformed_clean_rates_raise_datafileerror(monkeypatch, content, message):
    monkeypatch.setattr(detect, "read_lexicon_text", lambda name: content)
    with pytest.raises(DataFileError, match=message):
        load_clean_rates()


def test_words_that_look_spun_in_clean_news_count_less():
    # "claimed" and "within" look spun in most clean articles that hold them (they stand
    # for "said" and "in"); "vitality" for "energy" is seldom met in clean news
    model = SpinModel(Config())
    common = "Officials claimed within hours that the new rules would cut prices across the region."
    rare = "The rebels said the armed teams had left the city on Friday."
    discounted = {t: model._evidence(t) for t in (common, rare)}
    model.clean_rates = {}
    plain = {t: model._evidence(t) for t in (common, rare)}
    weight = {(kind, s.text): s.weight for kind, found in (("discounted", discounted), ("plain", plain))
              for ev in found.values() for s in ev.suspects}
    assert weight["discounted", "within"] < 0.5 * weight["plain", "within"]
    assert discounted[common].signature < plain[common].signature
    assert "armed teams" not in load_clean_rates()
    assert weight["discounted", "armed teams"] == weight["plain", "armed teams"] > 0.5
    # the count of distinct suspect phrases is not discounted
    assert discounted[common].types == plain[common].types
    assert [s.text for s in discounted[common].suspects] == [s.text for s in plain[common].suspects]


def test_with_a_user_dictionary_reversal_tempers_the_language_model(tmp_path):
    # the channel is the user's own dictionary; the model's ratios of a frequent word to
    # a rarer one are too large on text unlike its news, so reversal weighs its
    # log-probabilities by detect.USER_LM_POWER, as the spin-rate test does
    groups = tmp_path / "groups.txt"
    groups.write_text("military|army|navy\n", encoding="utf-8")
    plain, mine = SpinModel(Config()), SpinModel(Config(spinner_dictionaries=[str(groups)]))
    assert plain.decoder.lm_power == 1.0 and mine.decoder.lm_power == detect.USER_LM_POWER
    norms = "the navy said on monday".split()
    opts = mine.decoder.options(norms, 1)
    segs = [[t] for t in norms]
    _post, tempered = mine.decoder.score_position(segs, 1, opts, 0.5, norms=norms, spun_lm=norms)
    plain_decoder = type(mine.decoder)(mine.lm, mine.decoder.lexicon)
    _post, raw = plain_decoder.score_position(segs, 1, opts, 0.5, norms=norms, spun_lm=norms)
    assert tempered == pytest.approx([detect.USER_LM_POWER * x for x in raw])


def test_a_user_dictionary_s_originals_are_counted_as_words_longest_first(tmp_path):
    groups = tmp_path / "groups.txt"
    groups.write_text("according to|in line with\naccording|as per\nwell-being|wellness\nsaid|stated\n",
                      encoding="utf-8")
    model = SpinModel(Config(spinner_dictionaries=[str(groups)]))
    count = model.user_groups.originals_in
    assert count(lowercase("According to the minister, well-being matters.")) == 2
    assert count(lowercase("He said; she’s saidso. The Said family")) == 2  # not inside a word
    assert count(lowercase("the minister's said, and the staff's well-being")) == 2
    # an original whose substitutes are all function words is not counted: detection
    # does not score those substitutes ("since" for "because")
    groups.write_text("because|since\nsaid|stated\n", encoding="utf-8")
    count = SpinModel(Config(spinner_dictionaries=[str(groups)])).user_groups.originals_in
    assert count(lowercase("He said it was late because the bus had gone.")) == 1
    # an original with a possessive counts, with or without it in the text
    groups.write_text("world's|globe's|planet's\n", encoding="utf-8")
    count = SpinModel(Config(spinner_dictionaries=[str(groups)])).user_groups.originals_in
    assert count(lowercase("The world's biggest firms, and the world's poorest countries.")) == 2


def test_with_a_user_dictionary_its_substitutes_feed_the_spin_rate_test(tmp_path):
    # A big spinner dictionary finds a hundred phrases in any clean article: its
    # substitutes are not summed as evidence, but weighed against its originals that
    # still stand (detect.spin_rate_test)
    groups = tmp_path / "groups.txt"
    groups.write_text("country|state\ngroup|team\nplan|scheme\ncommittee|board\ngame|match\n", encoding="utf-8")
    model = SpinModel(Config(spinner_dictionaries=[str(groups)]))
    assert model.user_groups.substitutes["team"] == {"group": 1}
    spun = ("The state team lost the match on Sunday. The board said a new scheme for young players "
            "would start in the spring, and the team thanked the state for its help.")
    ev = model._evidence(spun)
    assert ev.user_llr is not None and ev.user_rate > detect.USER_NULL_RATE
    assert model.user_groups.originals_in(lowercase(spun)) == 0
    # the originals written as well: the same substitutes are likelier the writer's own
    both = spun + (" The country and the group made a plan; the committee watched the game, and the"
                   " country's group said the plan and the game were good for the committee.")
    assert model.user_groups.originals_in(lowercase(both)) == 10
    assert model._evidence(both).user_rate < ev.user_rate
    # without a user dictionary there is no such test
    assert SpinModel(Config())._evidence(spun).user_llr is None
    # the report says the rate
    report = model.detect(spun)
    assert report.spin_rate == pytest.approx(ev.user_rate) and "spin_rate" in report.to_dict()
    assert SpinModel(Config()).detect(spun).spin_rate is None


def test_a_long_text_is_scored_stretch_by_stretch():
    # repetitions of a phrase count less within REPEAT_SPAN_CHARS; beyond it each stretch
    # counts on its own, so a spun text repeated (a site's pages in one record) does not
    # look cleaner the longer it gets, and a clean one does not look spun
    spun = ("The navy mentioned on Friday that the high normal would go to the capital for the reason that "
            "the vitality disaster had worsened, and a earlier assembly was referred to as off. Folks in "
            "america had been informed that the navy's plan was delayed by 12 months.\n\n")
    clean = ("The council said on Tuesday that 1,200 homes in the valley would get new boilers by March, "
             "and that the work would start after the holidays.\n\n")
    model = SpinModel(Config())
    span = detect.REPEAT_SPAN_CHARS
    one, many = (model._evidence(spun * (n // len(spun))) for n in (span, 6 * span))
    assert many.rate == pytest.approx(one.rate, rel=0.15)
    scores = [model.detect(spun * (n * span // len(spun))).score for n in (1, 3, 6)]
    assert scores == pytest.approx([scores[0]] * 3, abs=0.05)
    # within one stretch, each repetition adds less than its first occurrence did
    twice = model._evidence(spun * 2)
    assert one.signature < (span // len(spun)) / 2 * twice.signature
    assert not model.detect(clean * (6 * span // len(clean))).is_spun
