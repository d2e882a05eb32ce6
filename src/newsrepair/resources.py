"""Finding the data files shipped in ``newsrepair/lexicons`` inside the installed package.

Everything is located through :mod:`importlib.resources`, so it works from a wheel,
a zip or an editable checkout (where ``src/newsrepair/lexicons`` is a link to the
repository's top-level ``lexicons/``).
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from .errors import DataFileError

__all__ = ["lexicon_path", "read_lexicon_text"]


def lexicon_path(name: str) -> Traversable:
    """The shipped data file ``lexicons/<name>`` (which may not exist)."""
    return resources.files("newsrepair").joinpath("lexicons").joinpath(name)


def read_lexicon_text(name: str) -> str:
    """The text of the shipped data file ``lexicons/<name>``.

    Raises:
        DataFileError: when the file is missing from the installation or cannot be read.
    """
    path = lexicon_path(name)
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        raise DataFileError(f"newsrepair data file lexicons/{name} is missing from this installation") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"cannot read newsrepair data file lexicons/{name}: {exc}") from None
