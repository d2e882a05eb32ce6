"""Config checks every option when it is built: a mistake fails at once with a
ConfigError naming the option and the expected type, never with a raw TypeError later
and never by being silently accepted."""

from __future__ import annotations

import inspect
import pathlib
import pickle

import pytest

import newsrepair
from newsrepair import Config, ConfigError


@pytest.mark.parametrize("option,value,expected", [
    ("spin_threshold", "0.3", "a number"),
    ("spin_threshold", True, "a number"),
    ("min_edit_confidence", "0.5", "a number"),
    ("min_edit_confidence", None, "a number"),
    ("min_edit_confidence", float("nan"), r"a number \(float\) in \[0, 1\]"),
    ("max_blank_lines", "2", "an int"),
    ("max_blank_lines", 1.5, "an int"),
    ("max_blank_lines", True, "an int"),
    ("boilerplate_model", 3, "a path"),
])
def test_numbers_and_paths_of_the_wrong_type_name_the_option(option: str, value: object, expected: str) -> None:
    with pytest.raises(ConfigError, match=f"Config.{option} must be {expected}.*got {type(value).__name__}"):
        Config(**{option: value})


@pytest.mark.parametrize("option", ["straighten_quotes", "normalize_whitespace", "keep_captions", "unspin_clean"])
@pytest.mark.parametrize("value", ["no", "False", 0, 1, None])
def test_yes_no_options_take_real_bools_only(option: str, value: object) -> None:
    # "no" is truthy: accepted, it would have meant *yes*.
    with pytest.raises(ConfigError, match=f"Config.{option} must be a bool"):
        Config(**{option: value})


@pytest.mark.parametrize("value", ["yes", 1, 0, None])
def test_unescape_html_takes_true_false_or_auto(value: object) -> None:
    with pytest.raises(ConfigError, match="Config.unescape_html must be True, False or 'auto'"):
        Config(unescape_html=value)
    for ok in (True, False, "auto"):
        assert Config(unescape_html=ok).unescape_html == ok


@pytest.mark.parametrize("option,value", [
    ("spinner_dictionaries", [5]),
    ("spinner_dictionaries", ["ok.txt", None]),
    ("spinner_dictionaries", 5),
    ("spinner_dictionaries", {"a.txt": 1}),
    ("domains", [1]),
    ("domains", 7),
    ("domains", [pathlib.Path("news")]),
])
def test_sequences_of_the_wrong_type_name_the_option(option: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"Config.{option} must be a sequence of"):
        Config(**{option: value})


def test_a_single_path_or_name_counts_as_one_item() -> None:
    assert Config(spinner_dictionaries="groups.txt").spinner_dictionaries == ("groups.txt",)
    assert Config(spinner_dictionaries=pathlib.Path("g.txt")).spinner_dictionaries == ("g.txt",)
    assert Config(domains="science").domains == ("news", "science")


def test_what_worked_before_still_works_and_stays_hashable() -> None:
    cfg = Config(spinner_dictionaries=["a.txt", pathlib.Path("b.txt")], domains=["news", "science"],
                 boilerplate_model=pathlib.Path("m.json"), spin_threshold=1, min_edit_confidence=0,
                 max_blank_lines=2)
    assert cfg.spinner_dictionaries == ("a.txt", "b.txt")
    assert cfg.domains == ("news", "science")
    assert cfg.boilerplate_model == "m.json"
    assert isinstance(cfg.spin_threshold, float) and cfg.spin_threshold == 1.0
    assert hash(cfg) == hash(Config(spinner_dictionaries=("a.txt", "b.txt"), domains=("news", "science"),
                                    boilerplate_model="m.json", spin_threshold=1.0,
                                    min_edit_confidence=0.0, max_blank_lines=2))
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    assert Config(spinner_dictionaries=(s for s in ["x.txt"])).spinner_dictionaries == ("x.txt",)


def test_replace_checks_types_too() -> None:
    with pytest.raises(ConfigError, match="Config.keep_captions must be a bool"):
        Config().replace(keep_captions="no")


def test_unknown_option_is_refused_with_the_closest_name() -> None:
    with pytest.raises(ConfigError, match="unknown Config option 'keep_caption'; did you mean 'keep_captions'"):
        Config(keep_caption=False)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="unknown Config option 'keep_caption'; did you mean 'keep_captions'"):
        Config().replace(keep_caption=False)
    with pytest.raises(ConfigError, match="unknown Config option 'zzz'; the options are straighten_quotes, "):
        Config(zzz=1)  # type: ignore[call-arg]
    # known options still work, by name and by position, and the signature is the dataclass's
    assert Config(keep_captions=False).keep_captions is False
    assert Config(True).straighten_quotes is True
    assert "keep_captions" in str(inspect.signature(Config))


def test_config_errors_are_newsrepair_errors() -> None:
    with pytest.raises(newsrepair.NewsrepairError):
        Config(spin_threshold="0.3")


def test_a_pickled_repairer_is_the_process_s_shared_one():
    """A Repairer sent to a worker (``pool.map(rep.repair, docs)`` pickles it with every
    task) becomes the worker's shared repairer for its config, which has loaded its data
    already, rather than a new one that loads everything again for each task."""
    rep = newsrepair.Repairer(Config(spin_threshold=0.5))
    assert pickle.loads(pickle.dumps(rep)) is newsrepair.get_repairer(rep.config)
    assert pickle.loads(pickle.dumps(rep.repair)).__self__ is newsrepair.get_repairer(rep.config)


def test_configs_that_differ_in_thresholds_share_the_spin_data(tmp_path):
    """Only ``domains`` and ``spinner_dictionaries`` decide what the spin stage loads; a
    config that differs elsewhere shares the loaded data and keeps its own thresholds."""
    a = newsrepair.Repairer(Config(spin_threshold=0.3)).spin_model
    b = newsrepair.Repairer(Config(spin_threshold=0.9, min_edit_confidence=0.8, straighten_quotes=True)).spin_model
    assert a.lexicon is b.lexicon and a.decoder is b.decoder
    assert (a.threshold, b.threshold) == (0.3, 0.9)
    assert (a.config.min_edit_confidence, b.config.min_edit_confidence) == (Config().min_edit_confidence, 0.8)
    text = "The navy mentioned that the vitality sector had been going through troubles for the reason that " * 3
    assert newsrepair.detect_spin(text, Config(spin_threshold=0.01)).is_spun
    assert not newsrepair.detect_spin(text, Config(spin_threshold=1.0)).is_spun
    groups = tmp_path / "groups.txt"
    groups.write_text("energy|vitality\n", encoding="utf-8")
    c = newsrepair.Repairer(Config(spinner_dictionaries=[str(groups)])).spin_model
    assert c.lexicon is not a.lexicon
    with pytest.raises(ValueError):
        a.for_config(Config(spinner_dictionaries=[str(groups)]))


def test_the_same_domains_make_equal_configs_and_load_once() -> None:
    # any order, repeats, with or without "news" (always loaded): one form, so that
    # repairers with these configs share their spin data (each used to load its own copy)
    forms = [("news", "science"), ("science", "news"), ("science",), ["science", "science"], {"science", "news"}]
    configs = {Config(domains=d) for d in forms}
    assert len(configs) == 1 and next(iter(configs)).domains == ("news", "science")
    assert Config(domains=()) == Config(domains=["news", "news"]) == Config()
