"""Spin detection and reversal on fixtures written for these tests (no dev data needed)."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsrepair as nr
from newsrepair import Config, apply_changes
from newsrepair.errors import DataFileError
from newsrepair.spin.casing import transfer
from newsrepair.spin.lexicon import MATE_WEIGHT, Lexicon, parse_groups, parse_tsv, phrase_key, shipped_rows
from newsrepair.spin.tokens import tokenize


def forced_with(tmp_path, groups: str, **options) -> Config:
    """A config that repairs every text with the spinner dictionary ``groups`` (its lines)."""
    path = tmp_path / "groups.txt"
    path.write_text(groups, encoding="utf-8")
    return Config(spinner_dictionaries=[str(path)], unspin_clean=True, **options)


@pytest.fixture(scope="module")
def groups_path(fixtures_dir):
    return str(fixtures_dir / "spin" / "spinner_groups.txt")


@pytest.fixture(scope="module")
def spun_text(fixtures_dir):
    return (fixtures_dir / "spin" / "spun_text.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def clean_paragraphs(fixtures_dir):
    text = (fixtures_dir / "spin" / "clean_texts.txt").read_text(encoding="utf-8")
    return [p for p in text.split("\n\n") if p.strip()]


# ---------------------------------------------------------------- units
def test_tokens_keep_apostrophes_and_offsets():
    text = "The navy’s plan doesn't work."
    toks = tokenize(text)
    assert [t.norm for t in toks] == ["the", "navy's", "plan", "doesn't", "work", "."]
    assert all(text[t.start:t.end] == t.text for t in toks)


def test_lexicon_longest_first_lookup():
    lex = Lexicon()
    lex.add("for the reason that", "since", 0.9, "t")
    lex.add("for", "to", 0.1, "t")
    hits = lex.lookup("for the reason that he left".split(), 0)
    assert hits[0][:2] == (4, "since") and hits[-1][:2] == (1, "to")


def test_group_file_is_inverted_with_mates():
    rows = list(parse_groups("military|army|navy\n# comment\nsaid|stated\n"))
    # the spinner chose each of an original's k substitutes alike: weight 1/k
    assert ("navy", "military", 0.5, "user:group") in rows
    assert ("stated", "said", 1.0, "user:group") in rows
    mates = [r for r in rows if r[0] == "navy" and r[1] == "army"]
    assert mates and mates[0][2] < 0.5 and mates[0][3] == "user:mate"


def test_a_group_written_as_spintax_loads_like_a_plain_group():
    plain = list(parse_groups("military|army|navy\n"))
    assert list(parse_groups("{military|army|navy}\n")) == plain
    assert list(parse_groups("  {military|army|navy}  \n")) == plain
    assert list(parse_groups("{military|{army|navy}}\n")) == plain  # nested: one group
    assert list(parse_groups("{{military|army|navy}}\n")) == plain
    # a group nested inside a phrase: every wording of it, first choices first
    assert {r[:2] for r in parse_groups("{council|{town|city} board}\n") if r[3] == "user:group"} == {
        ("town board", "council"), ("city board", "council")}
    assert {r[:2] for r in parse_groups("{{council|board} members|councillors}\n") if r[3] == "user:group"} == {
        ("board members", "council members"), ("councillors", "council members")}
    for broken, message in (("{said|stated", "unbalanced braces"), ("{said|stated}}", "unbalanced braces"),
                            ("{a|" + "{b|c}" * 9 + "}", "more than 256 phrases")):
        with pytest.raises(DataFileError, match=f"mine.txt:1: {message}"):
            list(parse_groups(broken + "\n", name="mine.txt"))
    assert ("navy", "military", 0.5, "user:group") in plain
    # spintax inside a sentence is a spun text's template, not a group: said, not guessed
    for template in ("The {military|navy} said so.", "{military|navy} said {more|extra}"):
        with pytest.raises(DataFileError, match=r"mine.txt:2: spintax inside a sentence"):
            list(parse_groups(f"said|stated\n{template}\n", name="mine.txt"))


def test_a_comment_after_a_group_and_a_list_marker_before_it_are_not_part_of_it():
    plain = list(parse_groups("said|stated|remarked\nofficials|functionaries\n"))
    assert list(parse_groups("said|stated|remarked  # verbs\n- officials|functionaries\n")) == plain
    assert list(parse_groups("* said|stated|remarked\n\u2022 officials|functionaries\n")) == plain
    # a "#" inside a phrase stays
    assert ("c #", "c sharp", 1.0, "user:group") in list(parse_groups("c sharp|c#\n"))  # lexicon form


def test_a_dictionary_saved_with_a_byte_order_mark_and_crlf_loads_clean(tmp_path):
    from newsrepair.spin.lexicon import load_lexicon

    path = tmp_path / "windows.txt"
    path.write_bytes("military|navy\r\nsaid|stated\r\n".encode("utf-8-sig"))
    lex = load_lexicon(group_files=[str(path)])
    assert set(lex.candidates("navy")) == {"military"}
    assert set(lex.candidates("stated")) == {"said"}


def test_a_very_large_group_lists_no_mates():
    # mates grow with the square of a group; past MAX_GROUP_FOR_MATES they are left out
    from newsrepair.spin.lexicon import MAX_GROUP_FOR_MATES

    for n, mates_expected in ((MAX_GROUP_FOR_MATES, True), (MAX_GROUP_FOR_MATES + 1, False)):
        subs = [f"zorb{i}" for i in range(n)]
        rows = list(parse_groups("big|" + "|".join(subs)))
        assert sum(r[1] == "big" for r in rows) == n  # every substitute still points to its original
        assert any(r[1] != "big" for r in rows) is mates_expected


def test_a_group_that_repeats_its_original_gives_no_pair_away_from_it():
    # some spinner files list the original among the substitutes ("said|said|stated"):
    # the original must not become a substitute whose group mates "restore" it
    rows = list(parse_groups("military|Military|navy|navy\nsaid|said|stated|mentioned\nsays|Says\n"))
    assert all(spun not in ("military", "said") for spun, *_ in rows)
    assert ("navy", "military", 1.0, "user:group") in rows
    assert sorted(r[:2] for r in rows if r[0] == "stated") == [("stated", "mentioned"), ("stated", "said")]
    # a mate weighs MATE_WEIGHT of the original's 1/k, shared among the mates
    assert [r for r in rows if r[:2] == ("stated", "mentioned")][0][2] == pytest.approx(0.5 * MATE_WEIGHT)


def test_a_hand_weighted_pair_does_not_displace_a_measured_one():
    # fill_only pairs (hand-set weights) add what is missing and leave a pair already
    # there, its weight and its source (which decides whether it is detection evidence)
    lex = Lexicon()
    lex.add("navy", "military", 0.4, "learned:3")
    lex.add("navy", "military", 0.8, "curated", fill_only=True)
    lex.add("navy", "fleet", 0.5, "curated", fill_only=True)
    assert lex.candidates("navy") == {"military": (0.4, "learned:3"), "fleet": (0.5, "curated")}
    lex.add("navy", "military", 0.9, "user")  # an ordinary add still keeps the highest weight
    assert lex.candidates("navy")["military"] == (0.9, "user")


def test_the_hand_lexicon_proposes_candidates_but_is_not_detection_evidence():
    from newsrepair.spin.model import CANDIDATE_ONLY_SOURCES, HAND_LEXICONS
    from newsrepair.spin.lexicon import shipped_rows

    rows = [r for name in HAND_LEXICONS for r in shipped_rows(name)]
    assert len(rows) > 500 and all(0 < w <= 1 for _s, _o, w, _src in rows)
    assert all(src.startswith(CANDIDATE_ONLY_SOURCES) for *_x, src in rows)
    model = nr.api.get_repairer(Config()).spin_model
    assert "military" in model.lexicon.candidates("navy")
    weak = next(s for s, _o, w, _src in rows if w < 0.5 and s not in model._sig_decoder.lexicon.entries)
    assert weak in model.lexicon.entries  # a weak hand pair alone is a candidate, not a signature


def test_a_confident_hand_pair_is_detection_evidence_where_clean_news_never_has_the_phrase():
    from newsrepair.spin.model import HAND_SIGNATURE_TOKENS, HAND_SIGNATURE_WEIGHT, SpinModel

    model = SpinModel(Config())
    lex = Lexicon()
    strong = HAND_SIGNATURE_WEIGHT
    lex.add("avid gamers", "players", strong, "curated")          # never in the news counts
    lex.add("prime minister", "premier", strong, "curated")       # ordinary news English
    lex.add("zorbly gamers", "players", strong - 0.1, "curated")  # not confident enough
    too_long = " ".join(["zorbly"] * (HAND_SIGNATURE_TOKENS + 1))
    lex.add(too_long, "players", strong, "curated")
    lex.add("zorbly", "fine", 0.3, "learned:2")                    # learned pairs count as before
    assert model.lm.news_count(["avid", "gamers"]) == 0 < model.lm.news_count(["prime", "minister"])
    model.use_lexicon(lex)
    assert set(model._sig_decoder.lexicon.entries) == {"avid gamers", "zorbly"}
    assert set(model.lexicon.entries) == {"avid gamers", "prime minister", "zorbly gamers", too_long, "zorbly"}


def test_the_thesaurus_swaps_come_with_the_science_domain():
    def sources(config):
        lex = nr.api.get_repairer(config).spin_model.lexicon
        return {src.split(":")[0] for cands in lex.entries.values() for _w, src in cands.values()}

    assert sources(Config()) == {"learned", "curated"}
    assert {"general", "pps"} <= sources(Config(domains=("news", "science")))


def test_an_article_is_restored_with_its_noun_not_on_its_own():
    # "an try" shows that "try" replaced a word such as "attempt": the shipped lexicons
    # hold no a <-> an swap, which would make the spun noun's article agree with it
    from newsrepair.spin.lexicon import shipped_rows

    assert not [r for name in ("learned", "curated") for r in shipped_rows(name) if {r[0], r[1]} <= {"a", "an"}]
    out = nr.unspin("The authorities mentioned it was an hard 12 months for folks.", config=Config(unspin_clean=True))
    assert out == "The government said it was an hard year for people."  # "hard" is not restored: the article stays
    out = nr.unspin("Officers mentioned the navy made an large error.", config=Config(unspin_clean=True))
    assert out == "Officials said the military made a big error."  # the restored word decides


def test_a_user_dictionary_replaces_the_hand_lexicon(groups_path):
    # the user has named the spinner: hand-written guesses about spinners give way
    model = nr.api.get_repairer(Config(spinner_dictionaries=[groups_path])).spin_model
    assert not any(src == "curated" for cands in model.lexicon.entries.values() for _w, src in cands.values())


def test_malformed_lexicon_raises():
    with pytest.raises(DataFileError):
        list(parse_tsv("navy\tmilitary\tlots\tx\n", "bad.tsv"))
    with pytest.raises(DataFileError):
        list(parse_tsv("navy\tmilitary\t1.5\tx\n", "bad.tsv"))


@pytest.mark.parametrize("name", ["learned", "curated", "science", "general"])
def test_shipped_spun_phrases_are_in_lexicon_form(name):
    # lookup matches the tokenizer's forms: a row written "10-fold" (not "10 - fold") or
    # with a capital would never fire
    bad = [spun for spun, _o, _w, _s in shipped_rows(name) if phrase_key(spun) != spun]
    assert not bad, f"spin_{name}.tsv: {len(bad)} spun phrases not in lexicon form, e.g. {bad[:3]}"


@pytest.mark.parametrize("content, message", [
    (b"military|navy\n\xff\xfe bad bytes\n", "not UTF-8"),
    (b"# only a comment\nno groups here\n", "no group lines"),
    # a group separated by tabs is read as a lexicon: the error says why
    (b"said\tstated\tremarked\n", "read as a lexicon .* separates a group's phrases with '[|]'"),
])
def test_bad_spinner_dictionary_raises_data_file_error(tmp_path, content, message):
    path = tmp_path / "groups.txt"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=message):
        nr.unspin("The navy said on Friday.", config=Config(spinner_dictionaries=[str(path)]))
    with pytest.raises(DataFileError, match="cannot read"):
        nr.unspin("The navy said on Friday.", config=Config(spinner_dictionaries=[str(tmp_path / "absent.txt")]))


@pytest.mark.parametrize("spun, original, expected", [
    ("Mentioned", "said", "Said"),
    ("navy’s", "military's", "military’s"),
    ("NAVY", "military", "MILITARY"),
    ("Basic", "general", "General"),
    ("america", "the united states", "the United States"),
    # the phrase's punctuation tokens are written as text writes them
    ("U.Ok.", "u . k .", "U.K."),
    ("Okay-pop", "k - pop", "K-pop"),
    ("12 months-on-12 months", "year - on - year", "year-on-year"),
    ("Nationwide League’s", "national league's", "National League’s"),
    # a name word the spun text writes in lowercase is not a name there
    ("youngster labour", "child labour", "child labour"),
    ("Labour chief", "labour leader", "Labour leader"),
    # a name with a small word, or a lowercase word from a two-word substitute
    ("Space of Representatives", "house of representatives", "House of Representatives"),
    ("Global Well being Group", "world health organization", "World Health Organization"),
    # a sentence that starts with a spun phrase is not a name
    ("In keeping with", "according to", "According to"),
    ("Give a boost to", "boost", "Boost"),
    # a word shared with the original keeps capitals beyond its first letter
    ("FBI brokers", "fbi agents", "FBI agents"),
    ("The NATO best friend", "the nato ally", "The NATO ally"),
    # as many words as the original: capitals carried word by word
    ("in Could", "in may", "in May"),
    # an abbreviation's capitals are its own, not the original's
    ("PCs", "computers", "computers"),
    ("US", "united states", "United States"),
    ("NAVY", "military", "MILITARY"),
])
def test_casing_transfer(spun, original, expected):
    assert transfer(spun, original, frozenset({"united states", "labour"})) == expected


def test_an_abbreviation_is_no_shouting_unless_the_text_around_is():
    assert transfer("BIG", "large", in_capitals=True) == "LARGE"
    assert transfer("BIG", "large") == "large"


def test_restoring_an_abbreviation_does_not_capitalise_the_original(tmp_path):
    path = tmp_path / "groups.txt"
    path.write_text("computers|PCs\nofficials|functionaries\nsaid|stated\n", encoding="utf-8")
    cfg = Config(spinner_dictionaries=(str(path),), unspin_clean=True)
    assert nr.unspin("Functionaries stated that sales of PCs fell.", config=cfg) == \
        "Officials said that sales of computers fell."


# ---------------------------------------------------------------- behaviour
def test_possessive_and_plural_of_a_multiword_phrase(tmp_path):
    """A phrase's last word may carry "'s" or a regular plural "-s" that the lexicon
    form lacks; the original takes the same ending. (A lexicon's pairs, as `learn`
    writes them: a group file's spinner replaced exactly the phrases it lists.)"""
    path = tmp_path / "pairs.tsv"
    path.write_text("court docket\tcourt\t0.9\tuser\ncenter assault\theart attack\t0.9\tuser\n", encoding="utf-8")
    cfg = Config(spinner_dictionaries=[str(path)], unspin_clean=True)
    out = nr.unspin("The court docket's ruling said center assaults were rising.", config=cfg)
    assert out == "The court's ruling said heart attacks were rising."
    groups = tmp_path / "groups.txt"
    groups.write_text("court|court docket\nheart attack|center assault\n", encoding="utf-8")
    out = nr.unspin("The court docket's ruling said center assaults were rising.",
                    config=Config(spinner_dictionaries=[str(groups)], unspin_clean=True))
    assert out == "The court's ruling said center assaults were rising."  # possessive only


def test_an_original_keeps_its_inner_capitals_and_a_hyphen_its_space(tmp_path):
    cfg = forced_with(tmp_path, "MPs|lawmakers\nwater|H2O\nformer|ex-\nsaid|stated\n")
    spun = "Lawmakers stated that clean H2O was sent to the ex-minister."
    result = nr.unspin_and_explain(spun, config=cfg)
    assert result.text == "MPs said that clean water was sent to the former minister."
    assert apply_changes(spun, result.changes) == result.text


def test_a_user_dictionary_s_forms_found_in_review(tmp_path):
    # a group mate derives no plural either ("autos" is not "vehicles" from car|auto|vehicle)
    cfg = forced_with(tmp_path, "car|auto|vehicle\n")
    from newsrepair.spin import SpinModel
    assert not SpinModel(cfg).decoder.options(["autos"], 0)
    # an abbreviation opening a sentence: its original opens it too
    cfg = forced_with(tmp_path, "chief executives|CEOs\nsaid|stated\n")
    assert nr.unspin("CEOs stated on Monday that sales rose.", config=cfg).startswith("Chief executives said")
    # a file written in capitals: its words are words ("MILITARY"), not abbreviations
    cfg = forced_with(tmp_path, "MILITARY|NAVY|ARMY\nSAID|MENTIONED\n")
    assert nr.unspin("The navy mentioned on Tuesday that the talks had failed.", config=cfg) == \
        "The military said on Tuesday that the talks had failed."
    # a group's own inversion is kept over another group's mate pair, whatever the weights
    from newsrepair.spin.lexicon import load_lexicon
    path = tmp_path / "groups.txt"
    path.write_text("big|large|a1|a2|a3|a4|a5|a6\ngreat|large|big\n", encoding="utf-8")
    assert load_lexicon(group_files=[str(path)]).candidates("large")["big"] == (1 / 7, "user:group")


def test_a_group_file_derives_no_plural_an_adjective_has_not(tmp_path):
    # from new|novel and good|fine, "novels" is not "news" nor "fines" "goods": the
    # spinner replaced exactly the phrases the file lists
    cfg = forced_with(tmp_path, "new|novel|fresh\ngood|fine|decent\n")
    out = nr.unspin("Her novels sold well, and the bank paid the fines on time.", config=cfg)
    assert "novels" in out and "fines" in out


def test_a_restored_article_agrees_with_the_next_word(tmp_path):
    cfg = forced_with(tmp_path, "a|every\n", min_edit_confidence=0.0)
    out = nr.unspin("Every applicant got every form.", config=cfg)  # "A applicant" before
    assert out.startswith("An applicant"), out


def test_a_restored_article_agrees_with_a_restored_next_word(tmp_path):
    """A restoration ending in "a" ("sans a" -> "without a") followed by a restored word
    takes the article of the restored word, not of the spun one."""
    cfg = forced_with(tmp_path, "without a|sans a\nenergy|vitality\n")
    res = nr.unspin_and_explain("The plant cannot run sans a vitality source for long.", config=cfg)
    assert res.text == "The plant cannot run without an energy source for long."
    first = res.changes[0]
    assert (first.before, first.after) == ("sans a", "without an")
    assert "'without an'" in first.reason


def test_a_word_inside_a_name_is_a_weaker_guess():
    """A capitalised word next to another, mid-sentence, is part of a name: a lexicon's
    swap of the common word weighs NAME_WEIGHT_SCALE there; the gazetteer's options and
    words in running text keep their weight."""
    from newsrepair.spin.lattice import NAME_WEIGHT_SCALE, in_name
    assert NAME_WEIGHT_SCALE < 1
    from newsrepair.spin.decode import Option
    from newsrepair.spin.tokens import tokenize

    opts = [Option(1, "city", 0.8, "learned"), Option(1, "town", 0.6, "gazetteer")]
    sent = tokenize("Members of the Harbour Town council said the town would vote.")
    name = [t.text for t in sent].index("Town")
    assert [o.weight for o in in_name(sent, name, opts)] == [0.8 * NAME_WEIGHT_SCALE, 0.6]
    plain = [t.text for t in sent].index("town")
    assert in_name(sent, plain, opts) == opts
    start = tokenize("Town officials said so.")
    assert in_name(start, 0, opts) == opts
    quoted = tokenize('He said: "Town Hall is shut."')
    assert in_name(quoted, [t.text for t in quoted].index("Town"), opts) == opts
    # a capitalised word alone mid-sentence is a name too ("the Navy"), and the boost
    # cannot lift it; a word in capitals alone is an abbreviation and keeps its weight
    assert in_name(tokenize("Sales of PCs fell."), 2, opts) == opts
    for text, word in (("Later the Navy said so.", "Navy"), ("Sales of Town PCs fell.", "PCs")):
        sent = tokenize(text)
        scaled = in_name(sent, [t.text for t in sent].index(word), opts)
        assert [(o.weight, o.cap) for o in scaled] == [(0.8 * NAME_WEIGHT_SCALE, NAME_WEIGHT_SCALE), (0.6, 1.0)]


def test_the_boost_cannot_lift_an_option_above_its_cap():
    """The document's boost multiplies an option's weight, at most to ``Option.cap``."""
    from collections import Counter

    from newsrepair.api import get_repairer
    from newsrepair.spin.decode import Option

    dec = get_repairer(Config()).spin_model.decoder
    words = "the navy said on monday".split()
    segs = [[w] for w in words]
    boost = Counter({("navy", "military"): 10})

    def posterior(cap: float, boosted: bool) -> float:
        opt = Option(1, "military", 0.8 * cap, "test", cap)
        return dec.score_position(segs, 1, [opt], 0.5, boost if boosted else None, words, words)[0][1]

    assert posterior(1.0, True) > posterior(1.0, False)  # the boost lifts a plain option
    assert posterior(0.25, True) < posterior(1.0, True)
    assert posterior(0.25, True) == pytest.approx(dec.score_position(
        segs, 1, [Option(1, "military", 0.25, "test")], 0.5, None, words, words)[0][1])


def test_a_name_inside_a_long_capitalised_run_is_still_proposed():
    """Sub-runs of a capitalised run are tried up to the longest name's length only
    (``NameIndex.longest``), so that a shouted paragraph costs linear time; a name
    inside such a run still gets its proposal."""
    from newsrepair.spin import SpinModel
    from newsrepair.spin.gazetteer import NameIndex

    model = SpinModel(Config(unspin_clean=True))
    model.names = NameIndex(frozenset({"Harbour Rescue International", "Harbour Trust"}))
    assert model.names.longest == 3
    filler = " ".join(["Quay Lane Market Street"] * 80)
    text = f"Later {filler} Harbour Rescue Worldwide {filler} left."
    sent = tokenize(text)
    (_, _, _, lattice), = model._lattices(text, sent)
    spun = [t.text for t in sent].index("Worldwide")
    assert ("international", "gazetteer") in [(o.original, o.source) for o in lattice[spun]]


def test_a_known_name_as_written_keeps_its_words():
    """A capitalised run that is a known name ("Harbour Rescue Service") is that name: the
    lexicon's swaps of its words are not candidates there, while a lexicon phrase that
    runs past the name's end still is."""
    from newsrepair.spin import SpinModel
    from newsrepair.spin.gazetteer import NameIndex

    model = SpinModel(Config(unspin_clean=True))
    lex = Lexicon()
    lex.add("rescue", "recovery", 0.9, "test")
    lex.add("service", "help", 0.9, "test")
    lex.add("service docket", "service", 0.9, "test")
    model.use_lexicon(lex)
    model.names = NameIndex(frozenset({"Harbour Rescue Service"}))
    text = "Boats of the Harbour Rescue Service docket left at dawn."
    sent = tokenize(text)
    (_, _, _, lattice), = model._lattices(text, sent)
    words = [t.text for t in sent]
    assert words.index("Rescue") not in lattice
    assert [o.original for o in lattice[words.index("Service")]] == ["service"]
    assert model.names.is_name(["harbour", "rescue", "service's"])
    model.names = NameIndex(frozenset())
    # unknown, it is still a name by its shape: "Service" ends an institution's name
    (_, _, _, lattice), = model._lattices(text, sent)
    assert words.index("Rescue") not in lattice
    # a capitalised run of another shape is no name: its words' swaps are candidates
    other = "Boats of the Harbour Rescue docket left at dawn."
    (_, _, _, lattice), = model._lattices(other, tokenize(other))
    assert [t.text for t in tokenize(other)].index("Rescue") in lattice


def test_a_number_word_inside_a_number_is_restored():
    """A spinner's "2" -> "two" applied inside "2.1" gives "two.1"."""
    cfg = Config(unspin_clean=True)
    r = nr.unspin_and_explain("Prices rose two.1 percent and rates reached six.25 percent.", config=cfg)
    assert r.text == "Prices rose 2.1 percent and rates reached 6.25 percent."
    assert "number word inside a number" in r.changes[0].reason
    # a sentence end, and digits that run on into letters, are not decimals
    assert nr.unspin("She has two. He has one.", config=cfg) == "She has two. He has one."
    assert "two.1b" in nr.unspin("The file was saved as version two.1b today.", config=cfg)


def test_a_number_glued_to_letters_is_one_word(tmp_path):
    """"2" -> "two" may not touch "2nd" or "10am": the reader sees one word there."""
    cfg = forced_with(tmp_path, "two|2\nten|10\n")
    text = "The 2 teams met in the 2nd round at 10am, and 10 people watched."
    out = nr.unspin(text, config=cfg)
    assert "2nd round at 10am" in out
    assert out.startswith("The two teams")


def test_user_dictionary_restores_spun_text(groups_path, spun_text):
    cfg = Config(spinner_dictionaries=[groups_path])
    report = nr.detect_spin(spun_text, config=cfg)
    assert report.is_spun and report.suspects
    result = nr.unspin_and_explain(spun_text, config=cfg)
    assert apply_changes(spun_text, result.changes) == result.text
    out = result.text
    for restored in ("military", "according to", "Since", "percent", "energy", "year"):
        assert restored in out
    for ch in result.changes:
        assert ch.stage == "spin" and 0.0 <= ch.confidence <= 1.0 and ch.before in ch.reason
    for spun_form in ("vitality", "p.c", "12 months", "in line with"):
        assert spun_form not in out


def test_synthetic_spinning_is_mostly_reversed(groups_path, clean_paragraphs):
    """Spin our own clean sentences with our own dictionary, then reverse them."""
    groups = [line.split("|") for line in open(groups_path, encoding="utf-8")
              if "|" in line and not line.startswith("#")]
    source = (
        "The military said on Monday that the government uses drones to protect the border, "
        "according to officials. The top general told people in the city that security "
        "groups would only attack in self-defence. Since the start of the year, energy "
        "prices have risen by 12 percent, and business leaders expected more help from the "
        "government after a meeting on the economic outlook. The company also announced a "
        "plan to increase its internal checks, an important decision for the country."
    )
    spun = source
    for group in groups:
        orig, sub = group[0].strip(), group[1].strip()
        spun = re.sub(rf"\b{re.escape(orig)}\b", sub, spun)
        spun = re.sub(rf"\b{re.escape(orig.capitalize())}\b", sub.capitalize(), spun)
    assert spun != source
    cfg = Config(spinner_dictionaries=[groups_path])
    out = nr.unspin(spun, config=cfg)
    src_words, spun_words, out_words = source.split(), spun.split(), out.split()
    spun_diff = sum(a != b for a, b in zip(src_words, spun_words)) + abs(len(src_words) - len(spun_words))
    out_diff = sum(a != b for a, b in zip(src_words, out_words)) + abs(len(src_words) - len(out_words))
    assert out_diff <= 0.5 * spun_diff


def test_clean_text_is_unchanged(groups_path, clean_paragraphs):
    cfg = Config(spinner_dictionaries=[groups_path])
    for para in clean_paragraphs:
        assert nr.unspin(para) == para
        assert nr.unspin(para, config=cfg) == para
    whole = "\n\n".join(clean_paragraphs)
    assert not nr.detect_spin(whole).is_spun


def test_short_text_has_low_confidence():
    report = nr.detect_spin("Navy mentioned the assembly.")
    assert report.confidence == "low" and report.words == 4


def test_non_english_passes_through():
    text = ("Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Förderung "
            "erneuerbarer Energien deutlich ausweitet und die Netze schneller ausbauen soll.")
    assert nr.unspin(text, config=Config(unspin_clean=True)) == text


def test_reversal_reads_english_as_detection_does(spun_text):
    """An English text with a long tail of unknown tokens (a table, a code dump) is judged
    English by the same check in detection and in reversal: the text judged spun is
    repaired."""
    from newsrepair.spin.detect import ENGLISH_SAMPLE

    head = spun_text
    while len(head.split()) < ENGLISH_SAMPLE:
        head += "\n\n" + spun_text
    text = head + "\n\n" + " ".join(f"qzx{i}vq" for i in range(3 * len(head.split())))
    assert nr.detect_spin(text).is_spun
    out = nr.unspin(text)
    assert out != text and out.endswith(text[len(head):])


def test_a_user_dictionary_keeps_the_threshold_and_a_headline_is_not_spun(groups_path):
    from newsrepair.spin.detect import DEFAULT_THRESHOLD

    with_dict = Config(spinner_dictionaries=[groups_path])
    assert nr.detect_spin("Some text.", config=with_dict).threshold == DEFAULT_THRESHOLD
    explicit = Config(spinner_dictionaries=[groups_path], spin_threshold=0.6)
    assert nr.detect_spin("Some text.", config=explicit).threshold == 0.6
    # one substitute is not enough evidence of a spin rate
    assert not nr.detect_spin("Company stated profits rose", config=with_dict).is_spun


def test_the_spin_rate_test_finds_the_rate_and_weighs_the_originals_left():
    from newsrepair.spin.detect import USER_NULL_RATE, spin_rate_test

    # no substitute, or substitutes the model does not prefer to restore: no evidence
    assert spin_rate_test([], 30) == (0.0, 0.0)
    assert spin_rate_test([0.01] * 20, 5) == (0.0, 0.0)
    # a rate at or below the null rate is estimated, but is no evidence
    llr, rate = spin_rate_test([5.0] * 4, 19)
    assert 0 < rate <= USER_NULL_RATE and llr == 0.0
    # substitutes the model would restore, and few originals left: a high rate
    llr, rate = spin_rate_test([6.0] * 20, 5)
    assert llr > 10 and 0.5 < rate < 1
    # the same substitutes among many originals the spinner left: a lower rate, less evidence
    llr2, rate2 = spin_rate_test([6.0] * 20, 200)
    assert rate2 < rate and llr2 < llr


def test_clean_text_rich_in_a_dictionary_s_common_words_is_not_called_spun(fixtures_dir):
    # A dictionary of common words finds its substitutes all over a clean article
    # ("different", "support", "large"), but its originals just as often: no spin rate
    # stands out. (Summing each substitute's posterior above a base, as before, scored
    # this article 0.95.) Spun with the same dictionary, the article is called spun.
    from benchmarks.spinner import load_groups, spin

    path = fixtures_dir / "spin" / "common_word_groups.txt"
    clean = (fixtures_dir / "spin" / "clean_council_article.txt").read_text(encoding="utf-8")
    cfg = Config(spinner_dictionaries=(str(path),))
    report = nr.detect_spin(clean, config=cfg)
    assert not report.is_spun and report.score < 0.2
    for seed in range(3):
        spun = spin(clean, load_groups(str(path)), rate=0.5, seed=seed).text
        assert nr.detect_spin(spun, config=cfg).is_spun


def test_unspin_clean_option_allows_edits_on_unflagged_text(groups_path):
    text = "The navy mentioned the plan."
    cfg = Config(spinner_dictionaries=[groups_path], unspin_clean=True, min_edit_confidence=0.5)
    result = nr.unspin_and_explain(text, config=cfg)
    assert apply_changes(text, result.changes) == result.text


# ---------------------------------------------------------------- properties
COMMON = ["the", "a", "people", "city", "said", "on", "Monday", "and", "it", "was", "new", "in",
          "to", "of", "we", "they", "plan", "school", "will", "open", "week", "next", "for", "children"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(COMMON), min_size=3, max_size=40))
def test_clean_common_word_sentences_unchanged(words):
    text = " ".join(words).capitalize() + "."
    assert nr.unspin(text) == text


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_unspin_never_raises(text):
    result = nr.unspin_and_explain(text, config=Config(unspin_clean=True))
    assert apply_changes(text, result.changes) == result.text
    report = nr.detect_spin(text)
    assert 0.0 <= report.score <= 1.0


def test_plural_and_possessive_follow_the_base_pair(groups_path):
    cfg = Config(unspin_clean=True)  # the shipped lexicons' "assault" -> "attack"
    out = nr.unspin("The rebels carried out two assaults on the capital on Friday.", config=cfg)
    assert "two attacks on the capital" in out
    cfg = Config(spinner_dictionaries=[groups_path], unspin_clean=True)
    out = nr.unspin("The navy’s ships left the port.", config=cfg)
    assert out.startswith("The military’s ships")


@pytest.mark.parametrize("spun, expected", [
    ("Officials held an assembly on Friday.", "Officials held a meeting on Friday."),
    ("Officials held a assembly on Friday.", "Officials held a meeting on Friday."),
])
def test_article_follows_the_restored_word(groups_path, spun, expected):
    cfg = Config(spinner_dictionaries=[groups_path], unspin_clean=True)
    result = nr.unspin_and_explain(spun, config=cfg)
    assert result.text == expected
    assert apply_changes(spun, result.changes) == expected


def test_name_index_proposes_the_original_words_of_a_spun_name():
    from newsrepair.spin.gazetteer import NameIndex

    idx = NameIndex(frozenset({"National League for Democracy", "Amnesty International"}))
    never = lambda a, b: False  # noqa: E731
    props = idx.candidates(["nationwide", "league", "for", "democracy"], never)
    assert props[0][0] == "national" and props[0][1] > 0.3
    # the spin lexicon links words that do not look alike
    props = idx.candidates(["amnesty", "worldwide"], lambda a, b: (a, b) == ("worldwide", "international"))
    assert props == {1: ("international", 0.6)}
    # unrelated words and known names get no proposal
    assert idx.candidates(["amnesty", "worldwide"], never) == {}
    assert idx.candidates(["amnesty", "international"], never) == {}
    assert idx.candidates(["amnesty", "international's"], never) == {}


def test_a_look_alike_name_word_needs_two_words_in_place_and_another_word():
    from newsrepair.spin.gazetteer import NameIndex

    idx = NameIndex(frozenset({"American Express", "Joint Chief of Staff", "Association of Southeast Asian Nations"}))
    never = lambda a, b: False  # noqa: E731
    # one word in place is too little for a look-alike ("progress" / "express")
    assert idx.candidates(["american", "progress"], never) == {}
    # a plural is no spinner's swap
    assert idx.candidates(["joint", "chiefs", "of", "staff"], never) == {}
    # three words in place and a look-alike: proposed
    props = idx.candidates(["affiliation", "of", "southeast", "asian", "nations"], never)
    assert props[0][0] == "association"


def test_names_compare_without_their_possessives():
    from newsrepair.spin.gazetteer import NameIndex

    idx = NameIndex(frozenset({"People's Liberation Army"}))
    linked = lambda a, b: (a, b) == ("individuals", "people")  # noqa: E731
    # the name as written, with or without the possessive, gets no proposal ("people's's" was one)
    assert idx.candidates(["people's", "liberation", "army"], linked) == {}
    assert idx.candidates(["people", "liberation", "army's"], linked) == {}
    # a spun name gets the name's word, with the text's possessive
    assert idx.candidates(["individuals's", "liberation", "army"], linked) == {0: ("people's", 0.6)}
    assert idx.candidates(["individuals", "liberation", "army"], linked) == {0: ("people", 0.6)}


@pytest.mark.parametrize("pair, name, spun, restored", [
    (("worldwide", "international"), "Harbour Rescue International",
     "Volunteers from Harbour Rescue Worldwide said the boats left at dawn.", "Harbour Rescue International said"),
    (("basic", "general"), "Senior General", "The visit of Senior Basic Aung was announced on Monday.",
     "Senior General Aung"),
])
def test_a_known_name_confirms_the_lexicon_s_weakened_guess(pair, name, spun, restored):
    # inside a name the lexicon's candidates count a quarter (NAME_WEIGHT_SCALE); when the
    # gazetteer proposes the same word for a known name, the option takes its weight
    from newsrepair.spin import SpinModel
    from newsrepair.spin.gazetteer import NameIndex

    model = SpinModel(Config(unspin_clean=True))
    lex = Lexicon()
    lex.add(*pair, 0.3, "test")
    model.use_lexicon(lex)
    model.names = NameIndex(frozenset({name}))
    assert restored in model.unspin_and_explain(spun)[0]
    model.names = NameIndex(frozenset())
    assert model.unspin_and_explain(spun)[0] == spun  # the lexicon's guess alone is too weak here


def test_a_name_or_rare_word_gets_no_look_alike_proposal():
    from newsrepair.spin import SpinModel
    from newsrepair.spin.gazetteer import NameIndex

    idx = NameIndex(frozenset({"Supreme Court", "Mr Jack Straw"}))
    never = lambda a, b: False  # noqa: E731
    model = SpinModel(Config())
    # "courtroom" is a common word, as a spinner's substitute is; "shaw" is a name
    assert model._ordinary("courtroom") and not model._ordinary("shaw")
    assert idx.candidates(["supreme", "courtroom"], never, model._ordinary) == {1: ("court", pytest.approx(0.357, abs=1e-3))}
    assert idx.candidates(["mr", "jack", "shaw"], never) == {2: ("straw", pytest.approx(1 / 3))}
    assert idx.candidates(["mr", "jack", "shaw"], never, model._ordinary) == {}
    # a link in the spin lexicon still counts for any word
    assert idx.candidates(["mr", "jack", "shaw"], lambda a, b: True, model._ordinary) == {2: ("straw", 0.6)}


def test_name_written_in_lowercase_is_strong_evidence():
    # a spinner writes its substitutes in lowercase; news always capitalises the name,
    # so even a weak lexicon pair is enough to restore it
    from newsrepair.spin import SpinModel

    model = SpinModel(Config(unspin_clean=True))
    lex = Lexicon()
    lex.add("america", "the united states", 0.05, "test")
    model.use_lexicon(lex)
    spun = "Canada, Mexico and america have not yet made their plans public, officials told reporters."
    text, changes = model.unspin_and_explain(spun)
    assert "Mexico and the United States have" in text
    assert apply_changes(spun, changes) == text
    # the capitalised word is a name the writer chose, not a spinner's mark
    kept = "Canada, Mexico and America have not yet made their plans public, officials told reporters."
    assert model.unspin_and_explain(kept)[0] == kept


def test_decoder_memo_reuses_scores_without_changing_decisions(groups_path):
    from newsrepair.langmodel import NgramLM, lm_token
    from newsrepair.spin.decode import Decoder
    from newsrepair.spin.lexicon import load_lexicon

    decoder = Decoder(NgramLM.load(), load_lexicon([], [groups_path]))
    toks = tokenize("The navy stated that folks in the nation had left for the reason that it rained.")
    norms = [t.norm for t in toks]
    forms = [lm_token(t.text) for t in toks]
    fresh = [decoder.decode_sentence(norms, forms, rho) for rho in (0.5, 0.9)]
    memo: dict = {}
    first = decoder.decode_sentence(norms, forms, 0.5, memo=memo)
    filled = len(memo)
    again = decoder.decode_sentence(norms, forms, 0.9, memo=memo)
    assert [first, again] == fresh
    assert fresh[0], "the spun sentence should get edits"
    assert filled and len(memo) == filled  # the second rho reused every LM score


def test_a_user_dictionary_is_preferred_over_the_shipped_pairs_in_reversal(groups_path):
    from newsrepair.spin.model import SHIPPED_WEIGHT_WITH_USER_DICTIONARY, SpinModel

    shipped = SpinModel(Config()).lexicon
    mine = SpinModel(Config(spinner_dictionaries=[groups_path]))
    user_pairs = {(p, o) for p, c in mine.lexicon.entries.items() for o, (_w, src) in c.items() if src == "user:group"}
    assert user_pairs
    other = next((p, o, w) for p, c in shipped.entries.items() for o, (w, _s) in c.items()
                 if (p, o) not in user_pairs and w >= 0.5)
    phrase, orig, weight = other
    assert mine.lexicon.candidates(phrase)[orig][0] == pytest.approx(weight * SHIPPED_WEIGHT_WITH_USER_DICTIONARY)
    # detection still counts the shipped pair at its own weight
    sig = mine._sig_decoder.lexicon.candidates(phrase)
    assert orig not in sig or sig[orig][0] == pytest.approx(weight)


def test_a_word_restored_to_an_article_agrees_with_a_restored_word_after_it(tmp_path):
    # "every" -> "an" was decided before "assembly" -> "meeting": the article follows the noun
    cfg = forced_with(tmp_path, "a|every\nmeeting|assembly\nactor|histrion\n", min_edit_confidence=0.0)
    for spun, restored in (("They held every assembly on Monday.", "They held a meeting on Monday."),
                           ("Every histrion was there.", "An actor was there.")):
        res = nr.unspin_and_explain(spun, config=cfg)
        assert res.text == restored
        assert apply_changes(spun, list(res.changes)) == res.text


def test_web_addresses_markup_and_hashtags_keep_their_words(spun_text):
    """A spun document's links, e-mail addresses, tags and hashtags are names, not prose:
    the words of the prose around them are restored, theirs are not."""
    tail = ("\n\nSee https://example.com/navy/vitality-report, write to navy@vitality.org, "
            '<a href="/navy">read</a> or follow #navy; the navy said so.')
    out = nr.unspin(spun_text + tail)
    assert out != spun_text + tail
    kept = ("https://example.com/navy/vitality-report", "navy@vitality.org", '<a href="/navy">', "#navy;")
    assert all(k in out for k in kept), out[-200:]
    assert out.endswith("the military said so.")
    # "<" and ">" in prose are comparisons, not a tag around the words between them
    from newsrepair.spin.tokens import verbatim_spans

    assert verbatim_spans("Scores < 10 were dropped; the navy said so; scores > 90 were kept.") == []
    assert verbatim_spans("a <b>bold</b> and <!-- note --> here") == [(2, 5), (9, 13), (18, 31)]


def test_a_user_pair_keeps_its_own_weight_and_source_against_a_shipped_one(tmp_path):
    """A user's lexicon row for a pair the shipped lexicons hold at a higher weight is the
    user's pair, at the user's weight: it is not taken for a shipped pair (which reversal
    would weigh down next to a user dictionary)."""
    from newsrepair.spin.model import SpinModel

    shipped = SpinModel(Config()).lexicon.entries
    phrase, orig, weight = next((p, o, w) for p, c in shipped.items() for o, (w, src) in c.items()
                                if src.startswith("learned") and w >= 0.5)
    path = tmp_path / "farm.tsv"
    path.write_text(f"{phrase}\t{orig}\t{weight / 2:.3f}\tlearned:1\n", encoding="utf-8")
    mine = SpinModel(Config(spinner_dictionaries=[str(path)])).lexicon.candidates(phrase)
    assert mine[orig] == (pytest.approx(weight / 2, abs=1e-3), "user:learned:1")


def test_detection_scores_the_strongest_candidates_of_a_phrase_only(tmp_path):
    # a big dictionary makes a common word the substitute in many groups; detection
    # scores its strongest few candidates, reversal still sees them all
    from newsrepair.spin.model import MAX_SIGNATURE_OPTIONS, SpinModel

    groups = ["tally|zorbic", "sum|zorbic", "total|zorbic", "count|zorbic", "score|zorbic|zorbicity"]
    path = tmp_path / "big.txt"
    path.write_text("\n".join(groups) + "\n", encoding="utf-8")
    model = SpinModel(Config(spinner_dictionaries=[str(path)]))
    everything = model.lexicon.candidates("zorbicity")
    assert set(everything) == {"score", "zorbic"}
    assert len(model.lexicon.candidates("zorbic")) == 6  # five originals and one group mate
    scored = model._sig_decoder.lexicon.candidates("zorbic")
    assert len(scored) == MAX_SIGNATURE_OPTIONS == 3
    assert all(w == 1.0 for w, _src in scored.values())  # originals, not the weaker group mate
    assert set(scored) < {"tally", "sum", "total", "count", "score"}


@pytest.fixture(scope="module")
def groups_decoder(groups_path):
    from newsrepair.langmodel import NgramLM
    from newsrepair.spin.decode import Decoder
    from newsrepair.spin.lexicon import load_lexicon

    return Decoder(NgramLM.load(), load_lexicon(["learned"], [groups_path]))


WINDOW_WORDS = ["the", "a", "an", "navy", "stated", "folks", "for", "reason", "that", "nation", "in", "line",
                "with", "said", "<s>", ".", "12", "months", "high", "normal", "vitality", "nuclear"]
#: Phrases with options in the test dictionary or the learned lexicon, one or more tokens.
WINDOW_PHRASES = [["navy"], ["stated"], ["folks"], ["nation"], ["high"], ["normal"], ["vitality"], ["mentioned"],
                  ["whereas"],
                  ["for", "the", "reason", "that"], ["in", "line", "with"], ["12", "months"]]
_CONTEXT = st.lists(st.sampled_from(WINDOW_WORDS), max_size=4)


@settings(max_examples=200, deadline=None)
@given(_CONTEXT, st.sampled_from(WINDOW_PHRASES), _CONTEXT, st.sampled_from([0.5, 0.1]))
def test_scoring_a_phrase_as_written_agrees_with_score_position(groups_decoder, left, phrase, right, rho):
    # detection's fast path must give the decoder's posteriors for one-token segments
    dec = groups_decoder
    words, i = [*left, *phrase, *right], len(left)
    plan = dec.plan(dec.key(words, i), rho)
    assert plan is not None
    fast = dec.posteriors_as_written(plan, words, i)
    slow, _ = dec.score_position([[w] for w in words], i, list(plan.options), rho, None, words, words)
    assert fast == pytest.approx(slow, rel=1e-12, abs=1e-15)
    assert list(plan.options) == dec.options(words, i)


def test_options_giving_the_same_wording_are_one_option():
    # "and not using" -> "without" before "a" reads as "and not using a" -> "without a":
    # as two options they would split the posterior of one restoration
    from newsrepair.langmodel import NgramLM
    from newsrepair.spin.decode import Decoder

    lex = Lexicon()
    lex.add("and not using a", "without a", 0.6, "t")
    lex.add("and not using", "without", 0.8, "t")
    lex.add("and not using", "lacking", 0.3, "t")
    dec = Decoder(NgramLM.load(), lex)
    opts = dec.options("they left and not using a word".split(), 2)
    assert [(o.length, o.original, o.weight) for o in opts] == [(4, "without a", 0.8), (3, "lacking", 0.3)]
    # before another word the shorter option is the only one that applies
    assert [o.original for o in dec.options("and not using the car".split(), 0)] == ["without", "lacking"]
    assert nr.unspin("He left the room and not using a word, she said, and not using a word to anyone.",
                     config=Config(unspin_clean=True)).count("without a word") == 2


_KEY_LEXICON = [("court docket", "court"), ("and not using a", "without a"), ("and not using", "without"),
                ("high normal", "top general"), ("assault", "attack"), ("in line with", "according to"),
                ("in line", "queued"), ("navy", "military")]
_KEY_WORDS = ["court", "docket", "docket's", "dockets", "and", "not", "using", "a", "high", "normal",
              "normals", "assault", "assaults", "in", "line", "lines", "with", "navy", "navy's", "the", "is"]


@pytest.fixture(scope="module")
def key_decoder():
    from newsrepair.langmodel import NgramLM
    from newsrepair.spin.decode import Decoder

    lex = Lexicon()
    for spun, orig in _KEY_LEXICON:
        lex.add(spun, orig, 0.5, "t")
    return Decoder(NgramLM.load(), lex)


def _options_of_the_longest_window(dec, words, i):
    longest = dec.lexicon.lengths.get(words[i], (1,))[0]
    return list(dec._find_options(tuple(words[i:i + longest])))


def test_the_options_key_holds_every_token_the_options_depend_on(key_decoder):
    # options are cached by the key, which stops where no lexicon phrase (or inflected
    # form of one) can go on; the options must be those of the longest window. Every
    # sequence of up to three of the words, at every position:
    dec = key_decoder
    for n in (1, 2, 3):
        for words in itertools.product(_KEY_WORDS, repeat=n):
            for i in range(n):
                assert dec.options(words, i) == _options_of_the_longest_window(dec, words, i), (words, i)
    assert [o.original for o in dec.options(["court", "docket's", "is"], 0)] == ["court's"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_KEY_WORDS), min_size=4, max_size=7), st.data())
def test_the_options_key_holds_every_token_in_longer_text(key_decoder, words, data):
    i = data.draw(st.integers(0, len(words) - 1))
    assert key_decoder.options(words, i) == _options_of_the_longest_window(key_decoder, words, i)


def test_options_are_a_fresh_list_each_time(groups_decoder):
    # callers add gazetteer options to the list; the decoder's cache must not see that
    first = groups_decoder.options(["the", "navy"], 1)
    assert first
    first.append("not an option")
    assert "not an option" not in groups_decoder.options(["the", "navy"], 1)


def test_name_proposals_do_not_depend_on_the_hash_seed():
    # equally good proposals ("bat", "cot", "car" for "cat") must be chosen the same way in
    # every process: string hashing, and so set order, changes with PYTHONHASHSEED
    import os
    import subprocess
    import sys

    code = ("from newsrepair.spin.gazetteer import NameIndex\n"
            "names = frozenset(['anna bat', 'anna cot', 'anna car', 'anna cut', 'anna dog'])\n"
            "print(NameIndex(names).candidates(['anna', 'cat'], lambda a, b: False))\n")
    seen = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        seen.add(run.stdout)
    assert len(seen) == 1, seen


#: A spun paragraph of our own, in the manner of the spinner of the seed article.
_MORE_SPUN = ("The navy mentioned on Tuesday that folks within the coastal area had been pressured to go away "
              "their houses for the reason that preventing started final week. Officers stated the vitality "
              "provide to the area had been lower off, and the federal government promised to supply assist to "
              "households who had misplaced their houses. In line with native media, a whole lot of individuals "
              "had been sleeping in colleges and mosques, and assist businesses warned that meals and clear water "
              "had been operating quick within the worst affected districts.")


def test_a_clean_article_joined_to_a_spun_one_gets_no_edit(fixtures_dir, spun_text):
    # A document is judged as a whole, so a clean article in the same page or record as a
    # spun one had its words repaired with the spun ones ("town" -> "city"; an outside
    # tester). A long text is also judged block by block (spin.model.BLOCK_WORDS).
    from newsrepair.spin.blocks import text_blocks
    from newsrepair.spin.model import BLOCK_WORDS

    clean = (fixtures_dir / "spin" / "clean_council_article.txt").read_text(encoding="utf-8").strip()
    text = f"{clean}\n\n{spun_text.strip()}\n\n{_MORE_SPUN}\n"
    assert [a for a, _ in text_blocks(text, BLOCK_WORDS)] == [0, len(clean) + 1]  # the article is one block
    result = nr.unspin_and_explain(text)
    assert result.spin.is_spun
    assert not [c for c in result.changes if c.start < len(clean)]
    assert len([c for c in result.changes if c.start > len(clean)]) >= 20
    # a forced repair repairs all of it, as before
    forced = nr.unspin_and_explain(text, config=Config(unspin_clean=True))
    assert [c for c in forced.changes if c.start < len(clean)]


# --- the mechanics of a restoration in its sentence (an outside probe, 2026-12-02) -------
_FORCED = Config(unspin_clean=True)


@pytest.mark.parametrize("spun,expected", [
    # a plural possessive takes "'s" after a restored word that does not end in "s"
    ("The folks' anger grew after the vote.", "The people's anger grew after the vote."),
    ("The folks’ anger grew after the vote.", "The people’s anger grew after the vote."),
    # ... but a closing quotation mark is no possessive
    ("He called them 'the folks' and left.", "He called them 'the people' and left."),
    # the article agrees across a quotation mark or a bracket
    ("It was a “vitality” crisis, the minister said.", "It was an “energy” crisis, the minister said."),
    ("It was a (vitality) crisis, the minister said.", "It was an (energy) crisis, the minister said."),
    ("A VITALITY CRISIS HIT THE TOWN.", "AN ENERGY CRISIS HIT THE TOWN."),
    # a capital "A" inside a sentence is a label, not an article
    ("Group A navy vessels sailed at dawn.", "Group A army vessels sailed at dawn."),
    # the word after a title is a name; a title's full stop ends no sentence
    ("Mr Folks mentioned the plan on Monday.", "Mr Folks said the plan on Monday."),
    ("Gen. Vitality mentioned the plan on Monday.", "Gen. Vitality said the plan on Monday."),
    ("Mr Sharp mentioned the plan on Monday.", "Mr Sharp said the plan on Monday."),
    # a known name written with an initialism ("US Navy" in the gazetteer)
    ("The U.S. Navy mentioned the plan, and the navy despatched ships.",
     "The U.S. Navy said the plan, and the military sent ships."),
    # "12 months" is "year" only where a year is determined ("a 12 months", "the 12 months")
    ("He served 12 months in prison, officials mentioned.", "He served 12 months in prison, officials said."),
    ("A 12 months later, officials mentioned the plan.", "A year later, officials said the plan."),
    ("The two-12 months deal ended.", "The two-year deal ended."),
    # "percent" follows a number, and a spun abbreviation's full stop goes with it
    ("Growth was 2.1 p.c. in the quarter.", "Growth was 2.1 percent in the quarter."),
    ("Growth hit 4 p.c.", "Growth hit 4 percent."),
    ("Constable P.C. Jones mentioned the plan.", "Constable P.C. Jones said the plan."),
    ("Prices rose 5 p.c., officials mentioned.", "Prices rose 5 percent, officials said."),
    ("Prices rose (by 6 p.c.) last spring.", "Prices rose (by 6 percent) last spring."),
    ("Prices rose 5 P.C. and folks mentioned it.", "Prices rose 5 percent and people said it."),
    # an apostrophe that opens no quotation: a decade, "rock 'n' roll"
    ("In the '90s the folks' anger grew fast.", "In the '90s the people's anger grew fast."),
    ("The rock 'n' roll folks' club closed.", "The rock 'n' roll people's club closed."),
    # addresses, links, file names and code are no prose (a second outside probe)
    ("Visit folks.com or gov.uk/assist, officials mentioned.", "Visit folks.com or gov.uk/assist, officials said."),
    ("See [the report](/news/navy-folks), folks mentioned.", "See [the report](/news/navy-folks), people said."),
    ("Open folks-assist.docx, folks mentioned.", "Open folks-assist.docx, people said."),
    ("Run `folks.assist()` as folks mentioned.", "Run `folks.assist()` as people said."),
    # a name shaped as an institution's keeps its words, but for a spun name's phrases
    ("Members of the National Crew Association mentioned it.", "Members of the National Crew Association said it."),
    ("The Harbour Town Council mentioned the plan.", "The Harbour Town Council said the plan."),
])
def test_restoration_fits_its_sentence(spun: str, expected: str) -> None:
    result = nr.unspin_and_explain(spun, config=_FORCED)
    assert result.text == expected
    assert apply_changes(spun, list(result.changes)) == expected
    assert all(spun[c.start:c.end] == c.before for c in result.changes)


def test_a_paragraph_in_another_language_is_not_decoded() -> None:
    french = "Les combats continuent dans la région, selon les autorités locales, et la population attend une aide."
    text = f"{_MORE_SPUN}\n\n{french}\n\n{_MORE_SPUN}\n"
    for config in (None, _FORCED):
        result = nr.unspin_and_explain(text, config=config)
        assert result.spin.is_spun and len(result.changes) >= 20
        assert french in result.text
        assert not [c for c in result.changes if text.index(french) <= c.start < text.index(french) + len(french)]


def test_hard_wrapped_text_is_restored_as_its_paragraph_is() -> None:
    # a line break that wraps a sentence does not end it: "with\nout" is "without", and
    # the words around a wrap are the context (reversal split sentences at every break)
    import textwrap

    wrapped = textwrap.fill(_MORE_SPUN, 60)
    assert "\n" in wrapped
    assert nr.unspin(wrapped).split() == nr.unspin(_MORE_SPUN).split()
    out = nr.unspin("The town was left with\nout power for two days, officials mentioned.", config=_FORCED)
    assert out == "The town was left without power for two days, officials said."
    # a line of its own still ends there: a list item, a line before a capital
    from newsrepair.spin.decode import sentences
    from newsrepair.spin.tokens import tokenize

    text = "Officials mentioned\nthe plan\nNavy vessels sailed\n- folks left\n\nand more"
    assert [text[t[a].start:t[b - 1].end] for t in [tokenize(text)] for a, b in sentences(text, t)] == [
        "Officials mentioned\nthe plan", "Navy vessels sailed", "- folks left", "and more"]


def test_a_spinner_dictionary_says_which_lines_it_skipped(tmp_path) -> None:
    # a typo line was dropped silently, and an article given by mistake was read as a
    # dictionary of its one menu line (a new-user audit)
    from newsrepair import DataFileWarning

    typo = tmp_path / "typo.txt"
    typo.write_text("military|navy|army\nsaid|mentioned|stated\n# a comment\nferry, shuttle boat\n", encoding="utf-8")
    with pytest.warns(DataFileWarning, match=r"1 line without '\|' skipped \(line 4: 'ferry, shuttle boat'\)"):
        nr.spin.lexicon.load_lexicon((), [str(typo)])
    page = tmp_path / "page.txt"
    page.write_text("The council met on Monday.\nLogin | Subscribe\nThe plan was approved.\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"2 of its 3 lines hold no group \(line 1: 'The council met"):
        nr.spin.lexicon.load_lexicon((), [str(page)])


def test_an_initialism_of_any_length_is_one_word_of_a_name() -> None:
    from newsrepair.spin.lattice import capitalised_runs, with_initialisms

    sent = tokenize("Then J.R.R. Tolkien and the U.S.A. Navy spoke.")
    norms = [t.norm for t in sent]
    words = [with_initialisms(sent, run, norms)[1] for run in capitalised_runs(sent)]
    assert words == [["then", "j.r.r.", "tolkien"], ["u.s.a.", "navy"]]


# ---------------------------------------------------------------- a long text in pieces
_PIECE_WORDS = ["The", "navy", "mentioned", "that", "folks", "had", "been", "informed", "for", "the", "reason",
                "that", "a", "earlier", "assembly", "ended", ".", "!", "?", ",", "U.S.", "Gen.", "Lee", "2.5",
                "p.c", "http://example.com/navy", "“quoted”", "vitality", "america", "12", "months", "Capt",
                "Mr", "Prof", "soldiers", "e.g", "J"]
_PIECE_GAPS = [" ", " ", " ", "\n", "\n\n", " \n \n", ".\n", "\t", "", ". ", "ended. ", "! "]


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.tuples(st.sampled_from(_PIECE_WORDS), st.sampled_from(_PIECE_GAPS)), max_size=60),
       size=st.integers(min_value=1, max_value=80))
def test_pieces_of_a_text_hold_its_tokens_and_sentences(parts, size):
    # a long text is reversed piece by piece (blocks.text_pieces): no token and no
    # sentence may span two pieces
    from newsrepair.spin.decode import sentences
    from newsrepair.spin.blocks import text_pieces

    text = "".join(w + g for w, g in parts)
    pieces = text_pieces(text, size)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
    whole = tokenize(text)
    assert [t for a, b in pieces for t in tokenize(text, a, b)] == whole
    spans = [(whole[i].start, whole[j - 1].end) for i, j in sentences(text, whole)]
    in_pieces = []
    for a, b in pieces:
        toks = tokenize(text, a, b)
        in_pieces += [(toks[i].start, toks[j - 1].end) for i, j in sentences(text, toks)]
    assert in_pieces == spans


def test_a_long_text_is_reversed_in_pieces_with_the_same_changes(monkeypatch):
    from newsrepair.spin import model
    from newsrepair.spin.blocks import text_pieces

    paragraphs = [
        "The navy mentioned on Friday that the high normal would go to the capital for the reason that "
        "the vitality disaster had worsened.",
        "A earlier assembly was referred to as off, and folks in america had been informed that the "
        "navy's plan was delayed by 12 months.",
        "Costs rose 2.5 p.c in March, the authorities mentioned, whereas the Navy SEALs stayed at sea.",
        "The council said on Tuesday that new boilers would be fitted in 1,200 homes by the spring.",
    ]
    text = "\n\n".join(paragraphs * 3)
    spin = model.SpinModel(Config())
    whole = spin.unspin_and_explain(text)
    assert len(whole[1]) >= 10
    monkeypatch.setattr(model, "PIECE_CHARS", 150)
    assert len(text_pieces(text, model.PIECE_CHARS)) >= 5
    assert spin.unspin_and_explain(text) == whole
