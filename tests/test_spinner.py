"""The synthetic spinner of the benchmark (benchmarks/spinner.py)."""

from __future__ import annotations

import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.spinner import load_groups, parse_groups, spin

ROOT = pathlib.Path(__file__).resolve().parent.parent

GROUPS = parse_groups([
    "military|navy|armed force",
    "energy|vitality",
    "top general|high normal",
    "top|prime",
    "because|for the reason that",
    "it's|it is",
])
_PHRASES = ["military", "Military", "MILITARY", "energy", "top general", "Top General", "top",
            "because", "it's", "It’s"]
_FILLER = ["the", "a", "council", "said", ",", ".", "\n", "\n\n", " ", "  ", "\t", "—", "’", "é", "x1"]


def _texts() -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(_PHRASES), st.sampled_from(_FILLER), st.text(max_size=6))
    return st.lists(piece, max_size=40).map(lambda parts: " ".join(parts))


def _check_outside_kept(text: str, result) -> None:
    """Every character outside the replaced phrases is in the output, in place."""
    pos, out_pos = 0, 0
    spun = result.text
    for s in result.substitutions:
        assert s.start >= pos, "substitutions overlap or are out of order"
        keep = text[pos:s.start]
        assert spun[out_pos:out_pos + len(keep)] == keep
        out_pos += len(keep)
        assert text[s.start:s.end] == s.before
        assert spun[out_pos:out_pos + len(s.after)] == s.after
        out_pos += len(s.after)
        pos = s.end
    assert spun[out_pos:] == text[pos:]


@given(text=st.text(), rate=st.floats(0, 1), seed=st.integers())
def test_empty_dictionary_is_identity(text, rate, seed):
    result = spin(text, {}, rate=rate, seed=seed)
    assert result.text == text
    assert result.substitutions == ()


@given(text=st.text())
def test_dictionary_without_substitutes_is_identity(text):
    groups = parse_groups(["military", "energy|energy", "# a comment", ""])
    assert groups == {}
    assert spin(text, groups, rate=1.0).text == text


@settings(max_examples=300)
@given(text=_texts(), rate=st.floats(0, 1), seed=st.integers(0, 10**6))
def test_keeps_every_character_outside_replaced_phrases(text, rate, seed):
    result = spin(text, GROUPS, rate=rate, seed=seed)
    _check_outside_kept(text, result)
    for s in result.substitutions:
        key_words = s.before.lower().replace("’", "'").split()
        options = [o.lower() for k, opts in GROUPS.items() if list(k[0]) == key_words for o in opts]
        assert s.after.lower() in options


@given(text=_texts(), seed=st.integers())
def test_rate_zero_is_identity(text, seed):
    assert spin(text, GROUPS, rate=0.0, seed=seed).text == text


@given(text=_texts(), rate=st.floats(0, 1), seed=st.integers())
def test_deterministic_for_a_seed(text, rate, seed):
    assert spin(text, GROUPS, rate=rate, seed=seed) == spin(text, GROUPS, rate=rate, seed=seed)


def test_rate_one_replaces_every_occurrence():
    result = spin("military energy, military; because", GROUPS, rate=1.0, seed=7)
    assert [s.before for s in result.substitutions] == ["military", "energy", "military", "because"]
    assert "military" not in result.text and "energy" not in result.text


def test_longest_phrase_first():
    result = spin("The top general spoke at the top.", GROUPS, rate=1.0, seed=1)
    assert [s.before for s in result.substitutions] == ["top general", "top"]
    assert result.text == "The high normal spoke at the prime."


def test_capitalisation_carries_over():
    text = "Energy matters. ENERGY MATTERS. Top General Smith."
    result = spin(text, GROUPS, rate=1.0, seed=3)
    assert result.text == "Vitality matters. VITALITY MATTERS. High normal Smith."


def test_phrase_does_not_span_a_line_break_or_a_part_of_a_word():
    result = spin("the top\ngeneral and topical energyless", GROUPS, rate=1.0, seed=0)
    assert [s.before for s in result.substitutions] == ["top"]


def test_curly_apostrophe_matches_straight_dictionary_entry():
    result = spin("It’s late.", GROUPS, rate=1.0, seed=0)
    assert result.text == "It is late."


def test_rate_out_of_range_is_an_error():
    with pytest.raises(ValueError):
        spin("text", GROUPS, rate=1.5)


def test_a_dictionary_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("military|navy\n".encode("utf-8-sig"))
    assert spin("The military left.", load_groups(path), rate=1.0, seed=0).text == "The navy left."


def test_shipped_dictionary_loads_and_spins():
    groups = load_groups(ROOT / "benchmarks" / "dicts" / "sample.txt")
    assert len(groups) >= 50
    text = "The government said the military plan was important because prices rose."
    result = spin(text, groups, rate=1.0, seed=0)
    assert len(result.substitutions) >= 5
    _check_outside_kept(text, result)


def test_the_wordnet_spinner_dictionary_is_a_loadable_group_file(tmp_path, capsys):
    # benchmarks/dicts/wordnet_spinner.py needs Debian's wordnet-base and lemminflect
    pytest.importorskip("lemminflect", reason="pip install lemminflect to test the WordNet dictionary writer")
    from benchmarks.dicts import wordnet_spinner

    if not (wordnet_spinner.WORDNET / "data.noun").exists():
        pytest.skip("WordNet is not installed (apt-get install wordnet-base)")
    assert wordnet_spinner.main(["--min-zipf", "5.0"]) == 0
    path = tmp_path / "wordnet.txt"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    groups = load_groups(path)
    assert len(groups) > 1000
    from newsrepair.spin import FUNCTION_WORDS
    from newsrepair.spin.lexicon import load_lexicon

    for (tokens, _glue), subs in groups.items():
        original = " ".join(tokens)
        assert original not in FUNCTION_WORDS and original not in subs
        assert 1 <= len(subs) <= wordnet_spinner.MAX_SYNONYMS
    text = "The company said its workers would build new homes this year."
    assert spin(text, groups, rate=1.0, seed=0).substitutions
    assert len(load_lexicon(group_files=[str(path)])) > 1000  # newsrepair reads it as a user dictionary
