"""Leaked spintax (a spinner's template published as it is): found, resolved to each
group's first choice, and reported in one change log with the rest of the spin stage."""

from __future__ import annotations

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


def test_the_rest_of_a_spun_text_is_repaired_too_in_one_log() -> None:
    text = ("The {navy|military} mentioned on Tuesday that folks had been pressured from their houses, "
            "in line with officers, and that the vitality {provide|supply} was minimize for 12 months.")
    result = nr.unspin_and_explain(text)
    assert result.text.startswith("The military said on Tuesday that people")
    assert "{" not in result.text and apply_changes(text, result.changes) == result.text


def test_braces_that_are_no_template_are_left_alone() -> None:
    for text in [
        "One group {military|navy} alone is not a template, the editor said.",
        "The article cites {{cite web|url=https://example.org|title=Report}} and {{cite news|title=Storm}}.",
        "Let S = {x | x > 0} and T = {y | y < 0} be the two sets of the proof.",
        "Run `grep -E '{a|b}'` and `echo {c|d}` to see it.",
        "Values {1, 2|3} and {4|5, 6} are in the table.",
    ]:
        assert nr.unspin(text) == text, text


def test_find_needs_two_groups_of_plain_words() -> None:
    assert find("a {b|c} d") == []
    assert [g[2] for g in find("a {b|c} d {e f|g} h")] == [("b", "c"), ("e f", "g")]
    assert find("{a|b=c} {d|e=f}") == []


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
