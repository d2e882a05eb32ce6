"""The options of every stage, in one frozen, hashable object.

    >>> from newsrepair import Config, repair
    >>> cfg = Config(straighten_quotes=True, keep_captions=False)
    >>> repair("Itâ€™s here.", config=cfg).text
    "It's here."

A ``Config`` is immutable; derive variants with :meth:`Config.replace`. Because it is
hashable, newsrepair keeps one loaded :class:`~newsrepair.Repairer` per distinct
config, so passing the same config again costs nothing.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import numbers
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError

__all__ = ["Config", "DEFAULT_CONFIG"]


@dataclass(frozen=True)
class Config:
    """Options for :func:`newsrepair.repair` and each stage.

    Encoding repair:
        straighten_quotes: replace curly quotes and apostrophes with straight ones.
            Default ``False``: the text's own quotes are kept.
        unescape_html: decode HTML entities (``&amp;`` -> ``&``). ``"auto"`` (the default)
            does so except on lines that look like HTML markup (hold a ``<``): ftfy's
            rule, applied line by line.
        normalize_whitespace: turn NBSP and other odd spaces into plain spaces, ``\\r\\n``,
            ``\\r`` and the other line breaks into ``\\n``, drop trailing spaces on lines
            and leading blank lines, collapse runs of blank lines to at most
            ``max_blank_lines`` and end the text with at most one newline (the full list:
            :mod:`newsrepair.encoding`). Default ``True``.
        max_blank_lines: the longest run of blank lines kept (default 1).

    Boilerplate stripping:
        keep_captions: keep image captions and photo credits (default ``True``).
        boilerplate_model: path of a learned :class:`~newsrepair.BoilerplateModel`
            (JSON) whose site furniture is stripped in addition to the built-in rules.

    Spin detection and reversal:
        spin_threshold: document score at or above which a text counts as spun
            (``SpinReport.is_spun``). ``None`` uses the calibrated default, 0.35, with
            or without ``spinner_dictionaries`` (with them, the score is the larger of
            the shipped lexicons' and that of a test of the dictionary's spin rate).
        min_edit_confidence: an edit is made only when the decoder's posterior for
            the restored wording is at least this (default 0.5; raise it for fewer,
            surer edits).
        unspin_clean: also repair documents that detection judges clean. Default
            ``False``: a document judged clean is returned unchanged ("do no harm").
        domains: lexicon domains to load. The news lexicons are always loaded
            (``"news"`` may be listed, and changes nothing); ``"science"`` adds the
            tortured phrases of science papers and the word swaps found in them.
        spinner_dictionaries: paths of spinner group files (``original|sub|sub`` per
            line) to invert and use on top of the shipped lexicons, or of lexicons
            (``spun<TAB>original<TAB>weight`` per line) such as :mod:`newsrepair.spin.learn`
            learns from a spinner's output aligned with the originals.

    Names and types are checked when the config is built, so a mistake fails at once
    with a :class:`~newsrepair.ConfigError` naming the option, rather than later or
    silently:

    - an unknown option name is refused, with the closest known name
      (``Config(keep_caption=False)``: "did you mean 'keep_captions'?");

    - the yes/no options (``straighten_quotes``, ``normalize_whitespace``,
      ``keep_captions``, ``unspin_clean``) take ``True`` or ``False`` only; a string such
      as ``"no"`` is refused (it is truthy, so it would mean *yes*);
    - ``max_blank_lines`` takes an ``int`` (not a ``bool``); ``spin_threshold`` (or
      ``None``) and ``min_edit_confidence`` take a number in [0, 1] (an ``int`` or
      ``float``, stored as ``float``), not a string;
    - ``boilerplate_model`` takes a path (``str`` or :class:`os.PathLike`) or ``None``;
    - ``domains`` and ``spinner_dictionaries`` take any iterable (tuple, list, ...) of
      names or paths and store a tuple, so the config stays hashable; ``domains`` in one
      form, ``("news",)`` or ``("news", "science")``, whatever the order or repeats. A single string
      (or path object) counts as *one* name or path, not as a sequence of characters:
      ``Config(spinner_dictionaries="groups.txt")`` is the same as
      ``Config(spinner_dictionaries=["groups.txt"])``.
    """

    # encoding
    straighten_quotes: bool = False
    unescape_html: bool | str = "auto"
    normalize_whitespace: bool = True
    max_blank_lines: int = 1
    # boilerplate
    keep_captions: bool = True
    boilerplate_model: str | None = None
    # spin
    spin_threshold: float | None = None
    min_edit_confidence: float = 0.5
    unspin_clean: bool = False
    domains: tuple[str, ...] = ("news",)
    spinner_dictionaries: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in _BOOL_OPTIONS:
            if not isinstance(getattr(self, name), bool):
                raise _type_error(name, "a bool (True or False)", getattr(self, name))
        if not (isinstance(self.unescape_html, bool)
                or isinstance(self.unescape_html, str) and self.unescape_html == "auto"):
            raise _type_error("unescape_html", "True, False or 'auto'", self.unescape_html)
        if not _is_int(self.max_blank_lines) or self.max_blank_lines < 0:
            raise _type_error("max_blank_lines", "an int >= 0", self.max_blank_lines)
        object.__setattr__(self, "max_blank_lines", int(self.max_blank_lines))
        for name, optional in (("spin_threshold", True), ("min_edit_confidence", False)):
            value = getattr(self, name)
            if value is None and optional:
                continue
            expected = "a number (float) in [0, 1]" + (" or None" if optional else "")
            if not _is_number(value) or not 0.0 <= value <= 1.0:  # also refuses NaN
                raise _type_error(name, expected, value)
            object.__setattr__(self, name, float(value))
        if self.boilerplate_model is not None:
            object.__setattr__(self, "boilerplate_model", _path("boilerplate_model", self.boilerplate_model))
        # Any iterable of names or paths; one string (or path) counts as one item. Stored
        # as tuples so the config stays hashable.
        object.__setattr__(self, "domains", _items("domains", self.domains, paths=False))
        object.__setattr__(self, "spinner_dictionaries",
                           _items("spinner_dictionaries", self.spinner_dictionaries, paths=True))
        unknown = set(self.domains) - set(_DOMAINS)
        if unknown:
            raise ConfigError(f"unknown lexicon domain(s) {sorted(unknown)}; choose from 'news', 'science'")
        # one form for the same domains, in any order, repeated, with or without "news"
        # (always loaded), so that equal data makes equal configs and is loaded once
        object.__setattr__(self, "domains", tuple(d for d in _DOMAINS if d == "news" or d in self.domains))

    def replace(self, **changes: Any) -> "Config":
        """A copy of this config with some options changed."""
        return dataclasses.replace(self, **changes)


def _refusing_unknown_options(init: Callable[..., None]) -> Callable[..., None]:
    """The dataclass's ``__init__``, refusing an unknown option name with a ConfigError
    that names the closest known one (the dataclass raises a bare TypeError)."""
    names = tuple(f.name for f in dataclasses.fields(Config))

    @functools.wraps(init)
    def __init__(self: Config, *args: Any, **options: Any) -> None:
        unknown = [name for name in options if name not in names]
        if unknown:
            close = difflib.get_close_matches(unknown[0], names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; the options are {', '.join(names)}"
            raise ConfigError(f"unknown Config option {unknown[0]!r}{hint}")
        init(self, *args, **options)

    return __init__


Config.__init__ = _refusing_unknown_options(Config.__init__)  # type: ignore[method-assign]


#: The lexicon domains, in the order a config lists them.
_DOMAINS = ("news", "science")
_BOOL_OPTIONS = ("straighten_quotes", "normalize_whitespace", "keep_captions", "unspin_clean")


def _describe(value: object) -> str:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    kind = type(value)
    # a type from another module by its full name: numpy's bool is "numpy.bool", not "bool"
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    return f"{name} {shown}"


def _type_error(name: str, expected: str, value: object) -> ConfigError:
    return ConfigError(f"Config.{name} must be {expected}, got {_describe(value)}")


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def as_path(value: object) -> str | None:
    """``value`` as a ``str`` path, or ``None`` when it is not a path."""
    if isinstance(value, (str, bytes, os.PathLike)):
        try:
            return os.fsdecode(value)
        except TypeError:  # a PathLike whose __fspath__ returns neither str nor bytes
            pass
    return None


def _path(name: str, value: object) -> str:
    path = as_path(value)
    if path is None:
        raise _type_error(name, "a path (str or os.PathLike) or None", value)
    return path


def _items(name: str, value: object, *, paths: bool) -> tuple[str, ...]:
    kind = "path" if paths else "name"
    expected = (f"a sequence of {kind}s (str{' or os.PathLike' if paths else ''}), "
                f"such as a tuple or list, or a single {kind}")
    if isinstance(value, (str, bytes, os.PathLike)):
        value = (value,)
    elif isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise _type_error(name, expected, value)
    out = []
    for item in value:
        if paths:
            found = as_path(item)
        else:
            found = item if isinstance(item, str) else None
        if found is None:
            raise ConfigError(f"Config.{name} must be {expected}; it holds {_describe(item)}")
        out.append(found)
    return tuple(out)


#: The configuration the module-level functions use.
DEFAULT_CONFIG = Config()
