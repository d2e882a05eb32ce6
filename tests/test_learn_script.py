"""The learner of spinner pairs (``scripts/learn_spin_lexicon.py``) on aligned sentences
written for this test: which replacements it reads as a spinner's swaps."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "learn_spin_lexicon.py"


@pytest.fixture(scope="module")
def learner():
    spec = importlib.util.spec_from_file_location("learn_spin_lexicon", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_word_the_spinner_added_joins_its_neighbour(learner):
    blocks = learner.replace_blocks("They said the brand new rules apply.", "They said the new rules apply.")
    assert blocks == [(["brand", "new"], ["new"])]
    # at the start of a sentence the spinner's word is capitalised all the same
    assert learner.replace_blocks("Brand new rules apply.", "New rules apply.") == [(["brand", "new"], ["new"])]


def test_a_name_shortened_by_an_editor_is_no_swap(learner):
    assert learner.replace_blocks("Captain Min Zaw Oo waited at the gate.", "Captain Min Zaw waited at the gate.") == []


def test_word_swaps_are_split_word_by_word(learner):
    blocks = learner.replace_blocks("The high normal met them.", "The top general met them.")
    assert [learner.block_pairs(a, b, learner.Counter()) for a, b in blocks] == [
        [("high", "top"), ("normal", "general")]]
