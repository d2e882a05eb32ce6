"""Finding the data files shipped in ``newsrepair/lexicons`` inside the installed package.

Everything is located through :mod:`importlib.resources`, so it works from a wheel,
a zip or an editable checkout (where ``src/newsrepair/lexicons`` is a link to the
repository's top-level ``lexicons/``).
"""

from __future__ import annotations

import sys
from array import array
from importlib import resources
from importlib.resources.abc import Traversable

from .errors import DataFileError

__all__ = ["lexicon_path", "read_lexicon_text", "read_array"]


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


def read_array(path: Traversable, typecode: str, missing: str, truncated: str) -> array:
    """The items of ``typecode`` stored little-endian in the binary file ``path`` (the
    language model's counts, the word-frequency table).

    Raises:
        DataFileError: ``missing`` when there is no such file, ``truncated`` when its
            size is not a whole number of items.
    """
    data = array(typecode)
    try:
        data.frombytes(path.read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        raise DataFileError(missing) from None
    except ValueError:
        raise DataFileError(truncated) from None
    if sys.byteorder != "little":
        data.byteswap()
    return data
