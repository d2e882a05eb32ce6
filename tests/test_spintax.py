"""Leaked spintax (a spinner's template published as it is): found, resolved to each
group's first choice, and reported in one change log with the rest of the spin stage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsrepair as nr
from newsrepair import apply_changes
from newsrepair.changes import Change
from newsrepair.spin.spintax import compose, find

TEMPLATE = ("The {military|army|navy} {said|stated} on Tuesday that its {ships|vessels} had reached "
            "the port. {People|Folks|Individuals} in the town watched as the crews came ashore.")


def test_a_template_is_resolved_to_its_first_choices() -> None:
    result = nr.unspin_and_explain(TEMPLATE)
    assert result.text == ("The military said on Tuesday that its ships had reached the port. "
                           "People in the town watched as the crews came ashore.")
    assert [c.before for c in result.changes] == ["{military|army|navy}", "{said|stated}", "{ships|vessels}",
                                                  "{People|Folks|Individuals}"]
    assert all("leaked spintax" in c.reason for c in result.changes)
    assert apply_changes(TEMPLATE, result.changes) == result.text
    report = nr.detect_spin(TEMPLATE)
    assert report.is_spun and report.score == 1.0
    assert [s.candidates for s in report.suspects][:2] == [("military",), ("said",)]


def test_the_first_choice_stands_and_one_log_covers_the_rest() -> None:
    text = ("The {navy|military} mentioned on Tuesday that folks had been pressured from their houses, "
            "in line with officers, and that the vitality {provide|supply} was minimize for 12 months. "
            "Folks within the capital mentioned the {assault|attack} had shocked them.")
    result = nr.unspin_and_explain(text)
    # the template's originals are its first choices, whatever the decoder prefers
    assert result.text.startswith("The navy said on Tuesday that people")
    assert "energy provide" in result.text and "the assault" in result.text
    assert "{" not in result.text and apply_changes(text, result.changes) == result.text


def test_a_higher_confidence_bar_leaves_a_template_alone() -> None:
    config = nr.Config(min_edit_confidence=0.99)
    assert nr.unspin(TEMPLATE, config=config) == TEMPLATE
    assert nr.detect_spin(TEMPLATE, config=config).score == 1.0  # detection does not depend on it


@pytest.mark.parametrize("text", [
    "One group {military|navy} alone is not a template, the editor said.",
    "The article cites {{cite web|url=https://example.org|title=Report}} and {{cite news|title=Storm}}.",
    "Let S = {x | x > 0} and T = {y | y < 0} be the two sets of the proof.",
    "Run `grep -E '{a|b}'` and `echo {c|d}` to see it.",
    "Values {1, 2|3} and {4|5, 6} are in the table.",
    # alternatives, not synonyms (usage lines, grammars, paths), and markup and code
    "run nginx {start|stop|restart}.\nSet --level {debug|info|warn}.",
    "term {plus|minus} term and factor {times|over} factor",
    "GET /api/{users|groups}/{id|name} returns the {user|group}.",
    "\\begin{tabular}{l|c|r} a \\end{tabular} and \\sum_{d|n} f(d) = \\prod_{p|n} g(p)",
    "P{A|B} = P{B|A} P{A}/P{B}, and E = {n|n even}, O = {n|n odd}.",
    'label="{Person|name|age}" and label="{Car|make|model}"',
    "Use {READ|WRITE} or {OPEN|CREATE} with {O_RDONLY|O_CREAT}.",
])
def test_braces_that_are_no_template_are_left_alone(text) -> None:
    result = nr.unspin_and_explain(text)
    assert result.text == text and not nr.detect_spin(text).score == 1.0


def _linked(a: str, b: str) -> bool:
    return {a, b} in ({"b", "c"}, {"e f", "g"})


def test_find_needs_two_groups_of_linked_choices() -> None:
    assert find("a {b|c} d", _linked) == []
    assert [g[2] for g in find("a {b|c} d {e f|g} h {x|y}.", _linked)] == [("b", "c"), ("e f", "g"), ("x", "y")]
    assert find("a {b|c} d {x|y} h {z|w}.", _linked) == []


_CHANGE_TEXT = st.text(alphabet="ab x", max_size=4)


@st.composite
def _logs(draw):
    """A text, a log of edits on it, and a log of edits on the result."""
    text = draw(st.text(alphabet="abc d", max_size=20))

    def log(base: str, nonempty: bool) -> list[Change]:
        cuts = sorted(set(draw(st.lists(st.integers(0, len(base)), max_size=8))))
        out = []
        for a, b in zip(cuts[::2], cuts[1::2]):
            after = draw(st.text(alphabet="xyz ", min_size=1 if nonempty else 0, max_size=4))
            out.append(Change(a, b, base[a:b], after, "spin", "r", 1.0))
        return out

    first = log(text, True)
    middle = apply_changes(text, first) if first else text
    return text, first, log(middle, False), middle


@settings(max_examples=400, deadline=None)
@given(_logs())
def test_compose_does_what_the_two_logs_do(case) -> None:
    text, first, second, middle = case
    expected = apply_changes(middle, second) if second else middle
    assert apply_changes(text, compose(text, first, second)) == expected
