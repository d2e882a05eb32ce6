"""The public functions and the :class:`Repairer` that carries loaded data.

Module-level functions (``newsrepair.repair`` and friends) use one shared
:class:`Repairer` per :class:`Config`. A repairer loads its lexicons and models once,
lazily, on first use; it is safe to share between threads, and pickles as just its
config, so sending it to worker processes is cheap (each process loads its own data
once, on first use).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Callable, Iterable, TypeVar

from .strip import BoilerplateModel
from .strip import strip_boilerplate_and_explain as _strip_stage
from .changes import Change
from .config import DEFAULT_CONFIG, Config
from .encoding import fix_encoding_and_explain as _encoding_stage
from .encoding import fix_encoding_text
from .errors import InputError
from .results import Repaired, SpinReport
from .spin import SpinModel

__all__ = [
    "Repairer", "get_repairer",
    "fix_encoding", "fix_encoding_and_explain",
    "strip_boilerplate", "strip_boilerplate_and_explain",
    "detect_spin", "unspin", "unspin_and_explain",
    "repair",
]

T = TypeVar("T")


def _check_text(text: object) -> str:
    """``text`` as a plain ``str`` (a subclass's value), so that every output is a plain
    ``str`` whether or not the text changed: a ``markupsafe.Markup`` came back as
    ``Markup`` when nothing changed and as ``str`` when something did."""
    if not isinstance(text, str):
        raise InputError(f"newsrepair needs text (str), got {type(text).__name__}"
                         + ("; decode bytes first, e.g. with newsrepair.decode_bytes()"
                            if isinstance(text, (bytes, bytearray, memoryview)) else ""))
    return text if type(text) is str else str.__str__(text)


def _check_switches(**switches: object) -> None:
    """Refuse a stage switch of :func:`repair` that is not a bool: ``spin="no"`` would
    otherwise run the stage (a non-empty string is true), as ``Config`` refuses
    ``keep_captions="no"``."""
    for name, value in switches.items():
        if not isinstance(value, bool):
            raise InputError(f"repair({name}=...) must be True or False, got {type(value).__name__} {value!r:.60}")


def _check_config(config: object) -> Config:
    """``config`` itself when it is a :class:`Config`; ``DEFAULT_CONFIG`` for ``None``."""
    if config is None:
        return DEFAULT_CONFIG
    if not isinstance(config, Config):
        hint = ("; build one with newsrepair.Config(**options)" if isinstance(config, Mapping)
                else "; build one with newsrepair.Config(...)")
        raise InputError(f"config must be a newsrepair.Config, got {type(config).__name__}{hint}")
    return config


def _check_model(model: object) -> BoilerplateModel | None:
    if model is not None and not isinstance(model, BoilerplateModel):
        hint = ""
        if isinstance(model, (str, bytes, os.PathLike)):
            hint = ("; load the file with newsrepair.BoilerplateModel.load(path), or pass "
                    "config=newsrepair.Config(boilerplate_model=path)")
        raise InputError(f"model must be a newsrepair.BoilerplateModel or None, got {type(model).__name__}{hint}")
    return model


class _Locks:
    """The locks that make loading data thread-safe: ``load`` around a repairer's loading
    of its data, ``spin`` around the process's spin data. A process forked while another
    thread held one would wait for it for ever (the thread is not in the child), so the
    child gets new ones (:func:`os.register_at_fork`); what that thread was loading, the
    child loads again."""

    def __init__(self) -> None:
        self.load = threading.Lock()
        self.spin = threading.Lock()


_locks = _Locks()
if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_locks.__init__)


class Repairer:
    """All stages with one configuration, their data loaded once on first use.

        >>> r = Repairer(Config(straighten_quotes=True))
        >>> r.repair("Itâ€™s 5 p.c higher.").text   # doctest: +SKIP

    Thread-safe; picklable: only the config travels, and the copy a worker process
    unpickles is that process's shared repairer for the config (:func:`get_repairer`), so
    its data loads once per process however many tasks carry it. Repairers whose configs
    name the same ``domains`` and ``spinner_dictionaries`` share the spin data in a
    process (:meth:`SpinModel.for_config`): a new threshold loads nothing more.
    """

    def __init__(self, config: Config | None = None) -> None:
        self._config = _check_config(config)
        self._spin: SpinModel | None = None
        self._boilerplate_model: BoilerplateModel | None = None
        self._boilerplate_loaded = False

    @property
    def config(self) -> Config:
        return self._config

    def __reduce__(self) -> tuple[Callable[..., "Repairer"], tuple[Config]]:
        return (get_repairer, (self._config,))

    def __repr__(self) -> str:
        return f"Repairer({self._config!r})"

    # -- lazily loaded data ------------------------------------------------------
    def _load(self, attr: str, factory: Callable[[], T]) -> T:
        value = getattr(self, attr)
        if value is None:
            with _locks.load:
                value = getattr(self, attr)
                if value is None:
                    value = factory()
                    setattr(self, attr, value)
        return value

    @property
    def spin_model(self) -> SpinModel:
        """The spin lexicons and statistics (loaded on first access)."""
        return self._load("_spin", lambda: _spin_model(self._config))

    @property
    def boilerplate_model(self) -> BoilerplateModel | None:
        """The learned site-furniture model named by ``Config.boilerplate_model``, if any."""
        if not self._boilerplate_loaded:
            with _locks.load:
                if not self._boilerplate_loaded and self._config.boilerplate_model:
                    self._boilerplate_model = BoilerplateModel.load(self._config.boilerplate_model)
                self._boilerplate_loaded = True
        return self._boilerplate_model

    def check_data_files(self, *, boilerplate: bool = True, spin: bool = True) -> None:
        """Load now the files the config names for the stages that will run (the user's
        spinner dictionaries, the boilerplate model), so that a missing or malformed one
        stops a batch job before its first document rather than failing every one.

        Raises:
            DataFileError: naming the file and what is wrong with it.
        """
        if spin and self._config.spinner_dictionaries:
            self.spin_model  # noqa: B018 - loads and validates
        if boilerplate and self._config.boilerplate_model:
            self.boilerplate_model  # noqa: B018

    # -- stages ----------------------------------------------------------------------
    def fix_encoding(self, text: str) -> str:
        """Repair mojibake, entities, control characters and whitespace."""
        return fix_encoding_text(_check_text(text), self._config)

    def fix_encoding_and_explain(self, text: str) -> Repaired:
        """:meth:`fix_encoding` with the list of changes."""
        out, changes = _encoding_stage(_check_text(text), self._config)
        return Repaired(out, tuple(changes))

    def strip_boilerplate(self, text: str, model: BoilerplateModel | None = None) -> str:
        """The article of a scraped page: headline once, then the body."""
        return self._strip(text, model, explain=False)[0]

    def strip_boilerplate_and_explain(self, text: str, model: BoilerplateModel | None = None) -> Repaired:
        """:meth:`strip_boilerplate` with the list of removed lines."""
        out, changes = self._strip(text, model, explain=True)
        return Repaired(out, tuple(changes))

    def _strip(self, text: object, model: object, explain: bool) -> tuple[str, list[Change]]:
        """The boilerplate stage on checked arguments, with ``model`` or else the config's."""
        text, model = _check_text(text), _check_model(model)
        return _strip_stage(text, self._config, model if model is not None else self.boilerplate_model, explain)

    def detect_spin(self, text: str) -> SpinReport:
        """Whether ``text`` was run through a synonym spinner, with the suspect spans."""
        return self.spin_model.detect(_check_text(text))

    def unspin(self, text: str) -> str:
        """``text`` with spun wording restored to the likely original."""
        return self.unspin_and_explain(text).text

    def unspin_and_explain(self, text: str) -> Repaired:
        """:meth:`unspin` with the list of restored spans and the spin verdict."""
        text = _check_text(text)
        model = self.spin_model
        report = model.detect(text)
        out, changes = model.unspin_and_explain(text, report)
        return Repaired(out, tuple(changes), report)

    def repair(self, text: str, *, encoding: bool = True, boilerplate: bool = True,
               spin: bool = True, explain: bool = True) -> Repaired:
        """Run the chosen stages in order (encoding -> boilerplate -> spin).

        With ``explain=False`` the change log is not built where that saves work, and
        ``changes`` is empty: for callers that only want the text.
        """
        text = _check_text(text)
        _check_switches(encoding=encoding, boilerplate=boilerplate, spin=spin, explain=explain)
        changes: list[Change] = []
        report: SpinReport | None = None
        if encoding:
            if explain:
                text, found = _encoding_stage(text, self._config)
                changes += found
            else:
                text = fix_encoding_text(text, self._config)
        if boilerplate:
            text, found = _strip_stage(text, self._config, self.boilerplate_model, explain)
            changes += found
        if spin:
            result = self.unspin_and_explain(text)
            text, report = result.text, result.spin
            changes += result.changes
        return Repaired(text, tuple(changes) if explain else (), report)

    def repair_many(self, texts: Iterable[str], **stages: Any) -> Iterable[Repaired]:
        """:meth:`repair` over an iterable, lazily."""
        for text in texts:
            yield self.repair(text, **stages)


def get_repairer(config: Config | None = None) -> Repairer:
    """The shared :class:`Repairer` for ``config`` (the default config when ``None``):
    the one the module-level functions use, so its data is loaded once per process.

        >>> get_repairer() is get_repairer(DEFAULT_CONFIG)
        True

    A config that names files (``spinner_dictionaries``, ``boilerplate_model``) gets a
    new repairer when one of them has changed since (its size or modification time), or
    when a relative path names another file (after ``os.chdir``). A :class:`Repairer`
    you hold keeps the data it loaded.

    Raises:
        InputError: when ``config`` is not a :class:`Config` (or ``None``); a ``dict`` of
            options must be turned into one first, ``Config(**options)``.
    """
    config = _check_config(config)
    return _shared_repairer(config, _file_stamps(config))


def _file_stamps(config: Config) -> tuple[tuple[str, int, int] | None, ...]:
    """``(absolute path, size, modification time)`` of each file ``config`` names, or
    ``None`` for one that cannot be read (the repairer reports it when it loads)."""
    paths = (*config.spinner_dictionaries, *((config.boilerplate_model,) if config.boilerplate_model else ()))
    stamps = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            stamps.append(None)
            continue
        stamps.append((os.path.abspath(path), st.st_size, st.st_mtime_ns))
    return tuple(stamps)


@lru_cache(maxsize=16)
def _shared_repairer(config: Config, _stamps: tuple) -> Repairer:
    return Repairer(config)


def _spin_model(config: Config) -> SpinModel:
    """The spin model for ``config``: the process's loaded data for its ``domains`` and
    ``spinner_dictionaries`` (as they are on disk now), with its thresholds."""
    key = SpinModel.data_config(config)
    with _locks.spin:  # one load per key, however many threads ask at once
        data = _shared_spin_data(key, _file_stamps(key))
    return data.for_config(config)


@lru_cache(maxsize=8)
def _shared_spin_data(key: Config, _stamps: tuple) -> SpinModel:
    return SpinModel(key)


def fix_encoding(text: str, config: Config | None = None) -> str:
    """Repair mojibake, HTML entities, control characters and broken whitespace.

        >>> fix_encoding("Myanmarâ€™s  army&amp;navy")
        'Myanmar’s  army&navy'
    """
    return get_repairer(config).fix_encoding(text)


def fix_encoding_and_explain(text: str, config: Config | None = None) -> Repaired:
    """:func:`fix_encoding`, returning the text and the list of changes."""
    return get_repairer(config).fix_encoding_and_explain(text)


def strip_boilerplate(text: str, config: Config | None = None,
                      model: BoilerplateModel | None = None) -> str:
    """Keep the article of a scraped news page: the headline once, then the body."""
    return get_repairer(config).strip_boilerplate(text, model)


def strip_boilerplate_and_explain(text: str, config: Config | None = None,
                                       model: BoilerplateModel | None = None) -> Repaired:
    """:func:`strip_boilerplate`, returning the text and the removed lines."""
    return get_repairer(config).strip_boilerplate_and_explain(text, model)


def detect_spin(text: str, config: Config | None = None) -> SpinReport:
    """Score how likely ``text`` is synonym-spinner output; list the suspect spans."""
    return get_repairer(config).detect_spin(text)


def unspin(text: str, config: Config | None = None) -> str:
    """Restore the original wording of spun text; clean text comes back unchanged."""
    return get_repairer(config).unspin(text)


def unspin_and_explain(text: str, config: Config | None = None) -> Repaired:
    """:func:`unspin`, returning the text, the restored spans and the spin verdict."""
    return get_repairer(config).unspin_and_explain(text)


def repair(text: str, config: Config | None = None, *, encoding: bool = True, boilerplate: bool = True,
           spin: bool = True, explain: bool = True) -> Repaired:
    """Run the whole pipeline: encoding repair, boilerplate stripping, spin reversal.

    Returns a :class:`Repaired` with ``.text``, ``.changes`` and ``.spin``. Pass
    ``explain=False`` when only the text is wanted: the change log is then skipped
    (``.changes`` is empty) and the encoding stage does no bookkeeping at all. The
    stage switches take ``True`` or ``False`` only (``spin="no"`` raises
    :class:`~newsrepair.InputError`); ``config`` may be given by position, as to the
    other functions.
    """
    return get_repairer(config).repair(text, encoding=encoding, boilerplate=boilerplate, spin=spin, explain=explain)
