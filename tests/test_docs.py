"""The examples in README.md and in the public docstrings run as written."""

from __future__ import annotations

import doctest
import pathlib

import pytest

import newsrepair
from newsrepair import api, changes, config, encoding, regextrie, results, strip
from newsrepair.spin import detect as spin_detect
from newsrepair.spin import lexicon as spin_lexicon
from newsrepair.spin import model as spin_model
from newsrepair.spin import pairing as spin_pairing

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def test_readme_examples() -> None:
    if not README.exists():
        pytest.skip("README.md is not installed with the package")
    result = doctest.testfile(str(README), module_relative=False, optionflags=FLAGS,
                              globs={"newsrepair": newsrepair})
    assert result.failed == 0


@pytest.mark.parametrize("module", [newsrepair, api, changes, config, encoding, regextrie, results, strip,
                                    spin_detect, spin_lexicon, spin_model, spin_pairing])
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module, optionflags=FLAGS)
    assert result.failed == 0


def test_readme_before_and_after_example() -> None:
    """The introduction's before/after example is what the pipeline really does."""
    if not README.exists():
        pytest.skip("README.md is not installed with the package")
    text = README.read_text(encoding="utf-8")
    before = text.split("Before (a scraped, spun page):", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    after = text.split("After `newsrepair`:", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    assert newsrepair.repair(before).text.strip() == after.strip()


def test_readme_quickstart_output_is_what_the_sample_gives() -> None:
    """The quickstart shows what repairing ``examples/scraped_article.txt`` prints,
    misses included."""
    sample = README.parent / "examples" / "scraped_article.txt"
    if not README.exists() or not sample.exists():
        pytest.skip("README.md and examples/ are not installed with the package")
    text = README.read_text(encoding="utf-8")
    shown = text.split("not every spun word comes back:", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    assert newsrepair.repair(sample.read_text(encoding="utf-8")).text.strip() == shown.strip()

