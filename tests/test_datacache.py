"""The on-disk cache of built indexes (``newsrepair.datacache``): loaded entries give the
same results as building, and a changed input, a damaged or planted file, or a directory
that cannot be written never gives anything else."""

from __future__ import annotations

import os
import pickle

import pytest

import newsrepair as nr
from newsrepair import datacache
from newsrepair.spin import model as spin_model


@pytest.fixture
def cache(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv(datacache.CACHE_ENV, str(where))
    return where


def counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_an_entry_is_built_once_then_loaded(cache, tmp_path) -> None:
    source = tmp_path / "words.txt"
    source.write_text("alpha\n", encoding="utf-8")
    build, calls = counting({"alpha": frozenset({1, 2}), "beta": (1.5, "x")})
    first = datacache.load_or_build("words", object, [source], build)
    again = datacache.load_or_build("words", object, [source], build)
    assert first == again == {"alpha": frozenset({1, 2}), "beta": (1.5, "x")} and len(calls) == 1
    assert [p.name.split("-")[0] for p in cache.iterdir()] == ["words"]


def test_a_changed_input_is_a_new_entry(cache, tmp_path) -> None:
    source = tmp_path / "words.txt"
    source.write_text("alpha\n", encoding="utf-8")
    datacache.load_or_build("words", list, [source], lambda: ["old"])
    source.write_text("alpha\nbeta\n", encoding="utf-8")  # a new size (and time)
    build, calls = counting(["new"])
    assert datacache.load_or_build("words", list, [source], build) == ["new"] and len(calls) == 1
    assert datacache.load_or_build("words", list, [source], build) == ["new"] and len(calls) == 1


def test_a_dictionary_of_the_same_size_and_times_is_read_again(cache, tmp_path) -> None:
    # copied with its times kept (cp -p, rsync -t, tar) or edited within the clock's tick
    source = tmp_path / "groups.txt"
    source.write_text("military|navy\n", encoding="utf-8")
    first = os.stat(source)
    datacache.load_or_build("groups", list, [], lambda: ["navy"], hashed=[source])
    source.write_text("military|army\n", encoding="utf-8")
    os.utime(source, ns=(first.st_atime_ns, first.st_mtime_ns))
    build, calls = counting(["army"])
    assert datacache.load_or_build("groups", list, [], build, hashed=[source]) == ["army"] and calls


def test_the_directory_stays_small(cache, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(datacache, "MAX_ENTRIES", 5)
    source = tmp_path / "words.txt"
    for n in range(4):  # one index of four states (another installation, an edited file)
        source.write_text("x" * (n + 1), encoding="utf-8")
        datacache.load_or_build("words", str, [source], lambda: "value")
    assert len(list(cache.glob("words-*.pickle"))) == datacache.MAX_PER_NAME
    for n in range(8):  # eight indexes (eight dictionaries)
        datacache.load_or_build(f"dict{n}", str, [source], lambda: "value")
    assert len(list(cache.glob("*.pickle"))) == 5
    leftover = cache / ".tmp-dead1234.pickle"  # from a process killed while writing
    leftover.write_bytes(b"partial")
    os.utime(leftover, (1, 1))
    source.write_text("new", encoding="utf-8")
    datacache.load_or_build("words", str, [source], lambda: "value")
    assert not leftover.exists()


def test_entries_of_other_names_stay(cache, tmp_path) -> None:
    source = tmp_path / "words.txt"
    source.write_text("alpha\n", encoding="utf-8")
    datacache.load_or_build("words", object, [source], lambda: 1)
    datacache.load_or_build("words-extra", object, [source], lambda: 2)
    datacache.load_or_build("other", object, [source], lambda: 3)
    assert len(list(cache.glob("*.pickle"))) == 3


@pytest.mark.parametrize("damage", [b"\x80\x05not a pickle at all", b"", pickle.dumps({"a": 1}), pickle.dumps(None)])
def test_a_damaged_entry_is_rebuilt(cache, tmp_path, damage) -> None:
    source = tmp_path / "words.txt"
    source.write_text("alpha\n", encoding="utf-8")
    datacache.load_or_build("words", list, [source], lambda: [1, 2, 3])
    (entry,) = cache.glob("words-*.pickle")
    entry.write_bytes(damage)  # garbage, or a pickle of another type
    build, calls = counting([1, 2, 3])
    assert datacache.load_or_build("words", list, [source], build) == [1, 2, 3] and len(calls) == 1
    assert pickle.loads(entry.read_bytes()) == [1, 2, 3]  # replaced by a good one


class _Planted:
    def __reduce__(self):
        return (os.system, ("echo planted > planted.txt",))


def test_a_planted_entry_runs_no_code(cache, tmp_path, monkeypatch) -> None:
    source = tmp_path / "words.txt"
    source.write_text("alpha\n", encoding="utf-8")
    datacache.load_or_build("words", object, [source], lambda: "built")
    (entry,) = cache.glob("words-*.pickle")
    entry.write_bytes(pickle.dumps(_Planted()))
    monkeypatch.chdir(tmp_path)
    assert datacache.load_or_build("words", object, [source], lambda: "built") == "built"
    assert not (tmp_path / "planted.txt").exists()
    with pytest.raises(pickle.UnpicklingError, match="posix.system|nt.system"):
        datacache._loads(pickle.dumps(_Planted()))


def test_no_cache_where_it_cannot_be_written_or_is_off(tmp_path, monkeypatch) -> None:
    source = tmp_path / "words.txt"
    source.write_text("alpha\n", encoding="utf-8")
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(datacache.CACHE_ENV, str(blocked / "cache"))  # under a file: no directory
    build, calls = counting("value")
    assert [datacache.load_or_build("words", object, [source], build) for _ in range(2)] == ["value"] * 2
    assert len(calls) == 2
    monkeypatch.setenv(datacache.CACHE_ENV, "off")
    assert datacache.cache_dir() is None
    assert datacache.load_or_build("words", object, [source], build) == "value" and len(calls) == 3
    # an input that is not a file on disk (a zipped installation): built, not cached
    monkeypatch.setenv(datacache.CACHE_ENV, str(tmp_path / "cache"))
    assert datacache.load_or_build("words", object, [tmp_path / "absent.txt"], build) == "value"
    assert not (tmp_path / "cache").exists()


@pytest.mark.skipif(os.name == "nt", reason="the default is %LOCALAPPDATA% on Windows")
def test_the_default_directory(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(datacache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert datacache.cache_dir() == tmp_path / "newsrepair"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert datacache.cache_dir() == tmp_path / "home" / ".cache" / "newsrepair"
    # no home directory: no cache (not a directory named "~" in the working directory)
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)
    assert datacache.cache_dir() is None


def _changes(model, text):
    return model.unspin_and_explain(text, model.detect(text))


def test_a_loaded_spin_model_repairs_as_a_built_one(cache, monkeypatch, fixtures_dir) -> None:
    text = (fixtures_dir / "spin" / "spun_text.txt").read_text(encoding="utf-8")
    groups = str(fixtures_dir / "spin" / "spinner_groups.txt")
    builds = []
    real = spin_model.LexiconIndex.build
    monkeypatch.setattr(spin_model.LexiconIndex, "build",
                        classmethod(lambda cls, lex, lm: builds.append(1) or real(lex, lm)))
    configs = (nr.Config(unspin_clean=True), nr.Config(spinner_dictionaries=[groups], unspin_clean=True))
    loaded = []
    for config in configs:
        spin_model.SpinModel(config)  # built and saved
        loaded.append(spin_model.SpinModel(config))
    assert len(builds) == 2  # once per config: each second model was loaded
    assert len(list(cache.glob("spin-*.pickle"))) == 2
    monkeypatch.setenv(datacache.CACHE_ENV, "off")
    for config, model in zip(configs, loaded):
        fresh = spin_model.SpinModel(config)
        assert model.detect(text) == fresh.detect(text)
        repaired, changes = _changes(fresh, text)
        assert changes and _changes(model, text) == (repaired, changes)
    assert len(builds) == 4


def test_the_phrase_finder_of_the_pure_python_path_is_plain_data(monkeypatch) -> None:
    from newsrepair.langmodel import PURE_PYTHON_ENV
    from newsrepair.spin.lexicon import PhraseFinder

    monkeypatch.setenv(PURE_PYTHON_ENV, "1")
    finder = PhraseFinder(["armed teams", "vitality"])
    loaded = datacache._loads(pickle.dumps(finder))
    text = "the armed teams and nuclear vitality"
    assert loaded.starts(text) == finder.starts(text) == [4, 28]


def test_other_files_in_the_directory_are_never_removed(cache, tmp_path, monkeypatch) -> None:
    # NEWSREPAIR_CACHE_DIR may name a directory that holds the user's own pickles
    monkeypatch.setattr(datacache, "MAX_ENTRIES", 1)
    cache.mkdir()
    mine = [cache / "model.pickle", cache / "words-1234.pickle", cache / ".tmp-notmine.pickle"]
    for path in mine:
        path.write_bytes(b"user data")
        os.utime(path, (1, 1))
    source = tmp_path / "words.txt"
    for n in range(3):
        source.write_text("x" * (n + 1), encoding="utf-8")
        datacache.load_or_build(f"idx{n}", str, [source], lambda: "value")
    assert all(path.exists() for path in mine)


def test_a_pipe_is_no_cached_input(cache, tmp_path) -> None:
    # "<(...)" in a shell gives /dev/fd/N: it can be read once, by the build
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    assert datacache.stamps([tmp_path]) is None  # a directory: no file either
    fifo = tmp_path / "groups.fifo"
    os.mkfifo(fifo)
    build, calls = counting(["built"])
    assert datacache.load_or_build("groups", list, [], build, hashed=[fifo]) == ["built"] and calls
    assert not cache.exists()


def test_a_value_that_cannot_be_pickled_is_only_not_cached(cache, tmp_path) -> None:
    source = tmp_path / "words.txt"
    source.write_text("alpha\n", encoding="utf-8")
    value = [lambda: 1]
    assert datacache.load_or_build("words", list, [source], lambda: value) is value


def test_a_loaded_model_warns_of_its_dictionary_as_a_built_one(cache, tmp_path) -> None:
    groups = tmp_path / "groups.txt"
    groups.write_text("military|navy|army\nsaid|mentioned\nferry, shuttle boat\n", encoding="utf-8")
    config = nr.Config(spinner_dictionaries=[str(groups)])
    for _ in range(2):  # built, then loaded
        with pytest.warns(nr.DataFileWarning, match="without '[|]' skipped"):
            spin_model.SpinModel(config)
    assert len(list(cache.glob("spin-*.pickle"))) == 1
