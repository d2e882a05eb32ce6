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
import os
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
        normalize_whitespace: turn NBSP and other odd spaces into plain spaces, ``\\r\\n``
            and ``\\r`` into ``\\n``, drop trailing spaces on lines, and collapse runs of
            blank lines to at most ``max_blank_lines``. Default ``True``.
        max_blank_lines: the longest run of blank lines kept (default 1).

    Boilerplate stripping:
        keep_captions: keep image captions and photo credits (default ``True``).
        boilerplate_model: path of a learned :class:`~newsrepair.BoilerplateModel`
            (JSON) whose site furniture is stripped in addition to the built-in rules.

    Spin detection and reversal:
        spin_threshold: document score at or above which a text counts as spun
            (``SpinReport.is_spun``). ``None`` uses the calibrated default: 0.35, or
            0.25 when ``spinner_dictionaries`` are given (the user's own spinner
            dictionary is surer evidence).
        min_edit_confidence: an edit is made only when the decoder's posterior for
            the restored wording is at least this (default 0.5; raise it for fewer,
            surer edits).
        unspin_clean: also repair documents that detection judges clean. Default
            ``False``: a document judged clean is returned unchanged ("do no harm").
        domains: lexicon domains to load: ``"news"`` (always useful) and
            ``"science"`` (tortured phrases from science papers).
        spinner_dictionaries: paths of spinner group files (``original|sub|sub`` per
            line) to invert and use on top of the shipped lexicons.
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
        if self.unescape_html not in (True, False, "auto"):
            raise ConfigError(f"unescape_html must be True, False or 'auto', not {self.unescape_html!r}")
        if not isinstance(self.max_blank_lines, int) or self.max_blank_lines < 0:
            raise ConfigError(f"max_blank_lines must be an int >= 0, not {self.max_blank_lines!r}")
        if self.spin_threshold is not None and not 0.0 <= self.spin_threshold <= 1.0:
            raise ConfigError(f"spin_threshold must be in [0, 1], not {self.spin_threshold!r}")
        if not 0.0 <= self.min_edit_confidence <= 1.0:
            raise ConfigError(f"min_edit_confidence must be in [0, 1], not {self.min_edit_confidence!r}")
        # Accept lists and single strings for the tuple options; store tuples so the
        # config stays hashable.
        for name in ("domains", "spinner_dictionaries"):
            value = getattr(self, name)
            if isinstance(value, (str, os.PathLike)):
                value = (value,)
            object.__setattr__(self, name, tuple(os.fspath(v) for v in value))
        unknown = set(self.domains) - {"news", "science"}
        if unknown:
            raise ConfigError(f"unknown lexicon domain(s) {sorted(unknown)}; choose from 'news', 'science'")
        if self.boilerplate_model is not None:
            object.__setattr__(self, "boilerplate_model", os.fspath(self.boilerplate_model))

    def replace(self, **changes: Any) -> "Config":
        """A copy of this config with some options changed."""
        try:
            return dataclasses.replace(self, **changes)
        except TypeError as exc:  # unknown option name
            raise ConfigError(str(exc)) from None


#: The configuration the module-level functions use.
DEFAULT_CONFIG = Config()
