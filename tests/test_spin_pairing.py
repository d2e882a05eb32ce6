"""Finding the original of each spun article by content (``newsrepair.spin.pairing``)
and ``newsrepair learn --originals``, on articles written for these tests."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsrepair.cli import main as cli_main
from newsrepair.spin.pairing import MIN_EXPLAINED, Match, explained_fraction, match_articles, words

ORIGINALS = [
    "The military said on Monday that the energy ministry would close two power plants in the north "
    "before winter, because the cost of coal had risen sharply since the spring.",
    "Officials said on Monday that the energy ministry has no plan to shut any plants in the region, "
    "and a spokesman for the army denied reports of unrest among workers at the coal mines.",
    "Heavy rain flooded the old market in the capital on Tuesday, and shop owners said the river had "
    "not risen so fast in twenty years.",
]
# the first original through a spinner with one substitute per word
SPUN = ("The navy mentioned on Monday that the vitality ministry would close two power plants in the north "
        "before winter, for the reason that the cost of coal had risen sharply since the spring.")


def test_a_spun_article_is_explained_by_its_original_and_not_by_a_story_on_the_same_subject():
    spun = words(SPUN)
    assert explained_fraction(spun, words(ORIGINALS[0])) == 1.0
    # the same names and subject, other wording: long stretches are not a spinner's swaps
    assert explained_fraction(spun, words(ORIGINALS[1])) < MIN_EXPLAINED
    assert explained_fraction([], words(ORIGINALS[0])) == 0.0


def test_match_articles_pairs_each_spun_article_with_its_original_or_none():
    unrelated = ("A new bridge over the bay opened to traffic on Friday after six years of work, and the "
                 "mayor said tolls would stay low for local drivers.")
    matches = match_articles([unrelated, SPUN, SPUN.replace("navy", "army")], ORIGINALS)
    assert matches == [Match(1, 0, 1.0), Match(2, 0, 1.0)]  # two spun copies of one original
    # without its original, the story on the same subject is not taken for it
    assert match_articles([SPUN], ORIGINALS[1:]) == []
    # too short to tell a copy from a shared sentence
    assert match_articles(["The navy mentioned it."], ["The military said it."]) == []


def test_of_near_copies_the_one_with_the_most_words_unchanged_is_the_original():
    # a site's template stories differ only in the town and the building; each spun copy
    # is explained as well by every one of them (a town for a town is a one-word swap)
    template = ("The council of {town} said on Monday that the old {place} would close in the spring, "
                "and that the staff would move to a new building on the edge of the town before winter.")
    places = [("Harwick", "library"), ("Dunmore", "museum"), ("Elston", "hospital"), ("Brayford", "depot")]
    originals = [template.format(town=t, place=p) for t, p in places]
    spun = [o.replace("said", "mentioned").replace("old", "outdated").replace("staff", "workers")
            for o in originals]
    assert len({round(explained_fraction(words(spun[2]), words(o)), 3) for o in originals}) == 1
    assert [(m.spun, m.original) for m in match_articles(spun, originals)] == [(0, 0), (1, 1), (2, 2), (3, 3)]


def test_only_long_repetitive_word_sequences_are_aligned_with_popular_words_ignored():
    # the full alignment of a page that repeats a line takes cubic time; an article's
    # words all count, "the" included
    from newsrepair.spin.pairing import REPETITIVE_LENGTH, word_matcher

    import random

    vocabulary = [f"w{n}" for n in range(600)] + ["the"] * 60  # "the" as often as in news
    article = random.Random(5).choices(vocabulary, k=REPETITIVE_LENGTH + 200)
    assert len(article) > REPETITIVE_LENGTH and not word_matcher(article, article).autojunk
    page = "the navy said that the navy ".split() * (REPETITIVE_LENGTH // 3)
    assert word_matcher(page, article).autojunk and word_matcher(article, page).autojunk


def test_match_articles_checks_its_arguments():
    with pytest.raises(ValueError, match="min_explained"):
        match_articles([SPUN], ORIGINALS, min_explained=1.5)
    with pytest.raises(ValueError, match="candidates"):
        match_articles([SPUN], ORIGINALS, candidates=0)


def test_newsrepair_learn_finds_the_pairs_itself(tmp_path, capsys):
    source, farm = tmp_path / "source", tmp_path / "farm"
    source.mkdir()
    farm.mkdir()
    for i, text in enumerate(ORIGINALS):
        (source / f"story{i}.txt").write_text(text, encoding="utf-8")
    (farm / "copy.txt").write_text(SPUN, encoding="utf-8")
    (farm / "other.txt").write_text(ORIGINALS[2].replace("Heavy", "Hefty"), encoding="utf-8")
    (farm / "own.txt").write_text("A farm's own story that no source site wrote: the council voted to "
                                  "plant trees along the canal and to open a library in the old school.",
                                  encoding="utf-8")
    out, saved = tmp_path / "farm.tsv", tmp_path / "pairs.jsonl"
    assert cli_main(["learn", "--originals", str(source), str(farm), "-o", str(out), "--save-pairs", str(saved)]) == 0
    err = capsys.readouterr().err
    assert "2 of 3 spun articles matched one of 3 originals" in err
    # and how the new lexicon judges the two originals, as clean text of the site
    assert "of the 2 originals (clean text) score as spun at the default threshold 0.35" in err
    pairs = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    assert [(p["spun_name"].rsplit("/", 1)[-1], p["original_name"].rsplit("/", 1)[-1]) for p in pairs] == [
        ("copy.txt", "story0.txt"), ("other.txt", "story2.txt")]
    lexicon = out.read_text(encoding="utf-8")
    for swap in ("navy\tmilitary", "mentioned\tsaid", "vitality\tenergy", "hefty\theavy"):
        assert swap in lexicon
    # seen once, a swap of function words is not learned (likely alignment noise)
    assert "for the reason that\tbecause" not in lexicon
    # the saved pairs are the learner's input as they are: the same lexicon
    assert cli_main(["learn", "-q", str(saved)]) == 0
    assert capsys.readouterr().out == lexicon


def test_newsrepair_learn_never_writes_over_an_article_of_a_directory(tmp_path, capsys):
    source = tmp_path / "source"
    source.mkdir()
    target = source / "story.txt"
    target.write_text(ORIGINALS[0], encoding="utf-8")
    spun = tmp_path / "spun.txt"
    spun.write_text(SPUN, encoding="utf-8")
    assert cli_main(["learn", "--originals", str(source), str(spun), "-o", str(target)]) == 2
    assert "would be overwritten" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == ORIGINALS[0]
    assert cli_main(["learn", "--originals", str(source), str(spun), "--save-pairs", str(target)]) == 2
    assert target.read_text(encoding="utf-8") == ORIGINALS[0]
    # two names of one new file: one output would replace the other
    assert cli_main(["learn", "--originals", str(source), str(spun), "-o", str(tmp_path / "farm.tsv"),
                     "--save-pairs", f"{tmp_path}/./farm.tsv"]) == 2
    assert "--save-pairs needs a file of its own" in capsys.readouterr().err
    # the pairs on standard output: only when the lexicon goes to a file
    assert cli_main(["learn", "--originals", str(source), str(spun), "--save-pairs", "-"]) == 2
    assert "standard output holds the lexicon" in capsys.readouterr().err
    assert cli_main(["learn", "-q", "--originals", str(source), str(spun), "-o", str(tmp_path / "farm.tsv"),
                     "--save-pairs", "-"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["spun"] == SPUN
    assert (tmp_path / "farm.tsv").read_text(encoding="utf-8").startswith("#")
    # an output that cannot be written: exit 1 naming it, no traceback
    assert cli_main(["learn", "--originals", str(source), str(spun), "-o", str(tmp_path)]) == 1
    assert f"cannot write {tmp_path}: " in capsys.readouterr().err


def test_newsrepair_learn_reads_articles_from_json_lines_and_says_when_nothing_matched(tmp_path, capsys):
    originals = tmp_path / "source.jsonl"
    originals.write_text("".join(json.dumps({"body": t}) + "\n" for t in ORIGINALS[1:]), encoding="utf-8")
    spun = tmp_path / "farm.jsonl"
    spun.write_text(json.dumps({"body": SPUN}) + "\n", encoding="utf-8")
    assert cli_main(["learn", "--field", "body", "--originals", str(originals), str(spun)]) == 2
    assert "no spun article matched an original" in capsys.readouterr().err
    assert cli_main(["learn", "--originals", str(originals), str(spun)]) == 2
    assert ":1: expected a string field 'text'" in capsys.readouterr().err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=0, max_size=300), min_size=1, max_size=4),
       st.lists(st.lists(st.sampled_from(["the", "army", "said", "power", "plant", "in", "north", "Monday", ",",
                                          "7", "'s", "\n"]), max_size=60).map(" ".join), max_size=4))
def test_matching_never_raises_and_an_article_of_enough_words_matches_itself(spun, originals):
    """Any text (control characters, other scripts, no words at all) is matched or not,
    never an error; an original given as a spun article matches an original that holds
    the same words (explained 1.0)."""
    for m in match_articles(spun, originals):
        assert 0 <= m.spun < len(spun) and 0 <= m.original < len(originals) and 0.0 <= m.explained <= 1.0
    for m in match_articles(originals, originals):
        assert m.explained == 1.0
    found = {m.spun for m in match_articles(originals, originals)}
    assert found == {i for i, text in enumerate(originals) if len(words(text)) >= 20}


@pytest.mark.parametrize("scores, says", [
    ([0.1, 0.2], "0 of the 2 originals (clean text) score as spun at the default threshold 0.35"),
    ([0.1, 0.4, 0.6], "2 of the 3 originals (clean text) score as spun at the default threshold 0.35; where "
                      "the corpus mixes clean text, --threshold 0.7 keeps them all clean"),
    ([0.995], "no threshold keeps them all clean"),
])
def test_newsrepair_learn_says_how_the_lexicon_judges_clean_text(monkeypatch, scores, says):
    from newsrepair.cli.learning import clean_text_check
    from newsrepair.results import SpinReport
    from newsrepair.spin import SpinModel

    given = iter(scores)
    monkeypatch.setattr(SpinModel, "detect", lambda self, text: SpinReport(
        score=next(given), is_spun=False, threshold=self.threshold, words=100, confidence="medium"))
    message = clean_text_check("navy\tmilitary\t1.0\tuser\n", [f"clean text {i}" for i in range(len(scores))])
    assert says in message
    assert ("where the corpus mixes clean text" in message) == (max(scores) >= 0.35)


def test_newsrepair_learn_scores_at_most_a_thousand_originals(monkeypatch):
    from newsrepair.cli import learning
    from newsrepair.results import SpinReport
    from newsrepair.spin import SpinModel

    seen = []
    monkeypatch.setattr(learning, "CLEAN_CHECK_ARTICLES", 3)
    monkeypatch.setattr(SpinModel, "detect", lambda self, text: seen.append(text) or SpinReport(
        score=0.1, is_spun=False, threshold=self.threshold, words=100, confidence="medium"))
    message = learning.clean_text_check("navy\tmilitary\t1.0\tuser\n", [f"clean text {i}" for i in range(5)])
    assert seen == ["clean text 0", "clean text 1", "clean text 2"] and "0 of the 3 originals" in message
