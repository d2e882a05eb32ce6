"""newsrepair: repair scraped news text.

Three stages, usable alone or as one pipeline:

1. :func:`fix_encoding`: mojibake, HTML entities, control characters, broken whitespace.
2. :func:`strip_boilerplate`: menus, date widgets, share lines, related-article lists.
3. :func:`detect_spin` / :func:`unspin`: find synonym-spinner output and restore the
   original words, leaving clean text untouched.

:func:`repair` runs all three. Every stage has an ``*_and_explain`` form that returns a
:class:`Repaired` (``.text`` and ``.changes``, each :class:`Change` with offsets, before,
after, reason and confidence). Options live in a frozen :class:`Config`.

    >>> import newsrepair
    >>> newsrepair.fix_encoding("Myanmarâ€™s economy")
    'Myanmar’s economy'
"""

from __future__ import annotations

from .api import (
    Repairer,
    detect_spin,
    fix_encoding,
    fix_encoding_and_explain,
    get_repairer,
    repair,
    strip_boilerplate,
    strip_boilerplate_and_explain,
    unspin,
    unspin_and_explain,
)
from .strip import BoilerplateModel
from .changes import Change, apply_changes
from .config import DEFAULT_CONFIG, Config
from .errors import ChangeError, ConfigError, DataFileError, DataFileWarning, DecodeError, FitError, InputError, NewsrepairError
from .io import decode_bytes
from .results import Repaired, SpinReport, Suspect

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # pipeline and stages
    "repair", "fix_encoding", "fix_encoding_and_explain",
    "strip_boilerplate", "strip_boilerplate_and_explain",
    "detect_spin", "unspin", "unspin_and_explain",
    # objects
    "Config", "DEFAULT_CONFIG", "Repairer", "get_repairer", "BoilerplateModel",
    "Repaired", "Change", "apply_changes", "SpinReport", "Suspect",
    # input
    "decode_bytes",
    # errors
    "NewsrepairError", "InputError", "ChangeError", "DecodeError", "DataFileError", "DataFileWarning", "ConfigError", "FitError",
]
