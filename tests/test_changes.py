"""The change log in use: records read back from JSON replay, and bad arguments are
clear errors (texts written here)."""

from __future__ import annotations

import pytest

import newsrepair


def test_change_records_from_json_replay() -> None:
    import json

    text = "Itâ€™s a  test.\n\nThe navy mentioned it."
    result = newsrepair.repair(text)
    records = [json.loads(json.dumps({"document": "a.txt", **ch.to_dict()})) for ch in result.changes]
    assert newsrepair.apply_changes(text, [newsrepair.Change.from_dict(r) for r in records]) == result.text
    data = json.loads(json.dumps(result.to_dict()))
    assert data["text"] == result.text and len(data["changes"]) == len(result.changes)


@pytest.mark.parametrize("record, message", [
    ({"start": 0, "end": 1, "before": "a", "after": "b", "stage": "spin"}, "without 'reason'"),
    ({"start": "0", "end": 1, "before": "a", "after": "b", "stage": "spin", "reason": "r"}, "'start' is str"),
    (["not", "a", "dict"], "must be a dict"),
])
def test_bad_change_records_are_input_errors(record, message) -> None:
    with pytest.raises(newsrepair.InputError, match=message):
        newsrepair.Change.from_dict(record)


def test_apply_changes_checks_its_arguments() -> None:
    with pytest.raises(newsrepair.InputError, match="Change.from_dict"):
        newsrepair.apply_changes("ab", [{"start": 0, "end": 1, "before": "a", "after": "b"}])
    with pytest.raises(newsrepair.InputError, match="bytes"):
        newsrepair.apply_changes(b"ab", [])


def test_a_change_log_that_does_not_fit_the_text_is_a_change_error() -> None:
    change = newsrepair.Change(0, 3, "the", "a", "spin", "test", 1.0)
    assert newsrepair.apply_changes("the ship", [change]) == "a ship"
    for text, changes in (("one ship", [change]),       # "the" is not at 0..3
                          ("th", [change]),             # past the end
                          ("the ship", [change, change.shifted(1)])):  # overlapping
        with pytest.raises(newsrepair.ChangeError, match="does not fit"):
            newsrepair.apply_changes(text, changes)
    assert issubclass(newsrepair.ChangeError, ValueError) and issubclass(newsrepair.ChangeError,
                                                                         newsrepair.NewsrepairError)
