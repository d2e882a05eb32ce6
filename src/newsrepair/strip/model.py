"""Site furniture learned from a corpus: lines that recur across many documents.

Scrapes of one site repeat its menus, footers and pitches on every page. A
:class:`BoilerplateModel` counts, for each normalised line, how many documents it
appears in (digits read as 0, except in prose: :func:`line_key`), and calls a line
furniture when it recurs in at least ``min_docs`` documents *and* at least
``min_fraction`` of them. Prose-shaped lines (long, with
sentence punctuation) must recur far more often (``prose_fraction``), so a quote or
stock phrase that several articles share is kept.

The model is saved as readable JSON::

    {"format": "newsrepair-boilerplate-model", "version": 1,
     "documents": 1200, "min_docs": 5, "min_fraction": 0.05, "prose_fraction": 0.5,
     "lines": {"follow us on twitter": 1187, ...}}
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any, Iterable

import regex

from ..config import as_path
from ..errors import DataFileError, FitError, InputError
from ..io import json_text, open_output
from .features import normalise

__all__ = ["BoilerplateModel", "line_key"]

FORMAT = "newsrepair-boilerplate-model"
VERSION = 1
_DIGITS = regex.compile(r"\d+")
_PROSE = regex.compile(r"""[.!?]["'”’)]*$""")


def line_key(line: str) -> str:
    """The form under which a line is counted: single-spaced, casefolded, digits as 0
    ("Week 12 in review" is "Week 11 in review"), except in a line of prose
    (:func:`_is_prose`): a sentence that pages repeat with other numbers in it is the
    page's own content from a template ("The council met on 3 March and voted..."), and
    counted as one line it made every such page learned furniture, and empty."""
    key = normalise(line).casefold()
    return key if _is_prose(key) else _DIGITS.sub("0", key)


def _is_prose(key: str) -> bool:
    return key.count(" ") >= 9 and bool(_PROSE.search(key))


class BoilerplateModel:
    """Furniture lines learned from a corpus of pages (see the module docstring).

    >>> towns = ["Ayr", "Bath", "Cork", "Derby", "Ely", "Fife", "Goole", "Hull", "Ilford", "Jarrow"]
    >>> pages = [f"Menu\\nThe fair came to {t} and stayed for a week.\\nFollow us on Twitter" for t in towns]
    >>> m = BoilerplateModel.fit(pages)
    >>> m.is_furniture("Follow us on  Twitter"), m.is_furniture("The fair came to Bath and stayed for a week.")
    (True, False)
    """

    def __init__(self, lines: dict[str, int] | None = None, documents: int = 0, *,
                 min_docs: int = 5, min_fraction: float = 0.05, prose_fraction: float = 0.5) -> None:
        self.lines: dict[str, int] = dict(lines or {})
        self.documents = int(documents)
        self.min_docs = int(min_docs)
        self.min_fraction = float(min_fraction)
        self.prose_fraction = float(prose_fraction)
        self._furniture = self._select()

    def _select(self) -> frozenset[str]:
        n = max(self.documents, 1)
        out = set()
        for key, df in self.lines.items():
            need = self.prose_fraction if _is_prose(key) else self.min_fraction
            if df >= self.min_docs and df / n >= need:
                out.add(key)
        return frozenset(out)

    @classmethod
    def fit(cls, documents: Iterable[str], *, min_docs: int = 5, min_fraction: float = 0.05,
            prose_fraction: float = 0.5) -> "BoilerplateModel":
        """Count the lines of ``documents`` (page texts) and keep the recurring ones.

        Args:
            documents: the pages, as an iterable of strings (a list, a generator...;
                read once). A single string is refused: it is not a corpus of pages.
            min_docs: a line must appear in at least this many documents...
            min_fraction: ...and in at least this share of them;
            prose_fraction: the share needed for sentence-shaped lines (long, ending
                with . ! ?), so that shared quotes and stock phrases survive.

        Raises:
            InputError: when ``documents`` is a single ``str``/``bytes`` or not iterable,
                or one of the pages is not a ``str``.
            FitError: when there are fewer than ``max(2, min_docs)`` pages (5 by default):
                no line could then count as furniture, and the model would strip nothing.
        """
        if isinstance(documents, (str, bytes, bytearray)):
            raise InputError(f"BoilerplateModel.fit needs an iterable of page texts (a list of str), "
                             f"got a single {type(documents).__name__}; pass one text per page, e.g. [page1, page2, ...]")
        try:
            pages = iter(documents)
        except TypeError:
            raise InputError(f"BoilerplateModel.fit needs an iterable of page texts (a list of str), "
                             f"got {type(documents).__name__}") from None
        floor = max(2, min_docs)
        # Lines are counted by the hash of their key, and a key's text is kept only once
        # it is on a second page: most lines of a site's pages are on one page only, and
        # keeping their text took about 1.4 times the corpus's distinct lines in memory.
        # (Two keys of one 64-bit hash would count as one: about one chance in 10**11 for
        # a million distinct lines.)
        counts: Counter[int] = Counter()
        texts: dict[int, str] = {}
        n = 0
        for doc in pages:
            if not isinstance(doc, str):
                raise InputError(f"BoilerplateModel.fit needs page texts (str); the page at index {n} is "
                                 f"{type(doc).__name__}"
                                 + (", decode it first (newsrepair.decode_bytes)"
                                    if isinstance(doc, (bytes, bytearray)) else ""))
            n += 1
            for key in {line_key(ln) for ln in doc.splitlines() if ln.strip()}:
                h = hash(key)
                counts[h] += 1
                if counts[h] == 2:
                    texts[h] = key
        if n < floor:
            raise FitError(f"BoilerplateModel.fit needs at least {floor} pages to learn site furniture "
                           f"(a line must recur on {floor} of them; min_docs={min_docs}), got {n}")
        kept = {texts[h]: c for h, c in counts.items() if c >= floor}
        return cls(kept, n, min_docs=min_docs, min_fraction=min_fraction, prose_fraction=prose_fraction)

    def is_furniture(self, line: str) -> bool:
        """Whether ``line`` is learned furniture."""
        return bool(self._furniture) and line_key(line) in self._furniture

    def __len__(self) -> int:
        return len(self._furniture)

    def __repr__(self) -> str:
        return f"BoilerplateModel({len(self._furniture)} furniture lines from {self.documents} documents)"

    def to_dict(self) -> dict[str, Any]:
        """The model as a JSON-ready dict."""
        return {"format": FORMAT, "version": VERSION, "documents": self.documents,
                "min_docs": self.min_docs, "min_fraction": self.min_fraction,
                "prose_fraction": self.prose_fraction,
                "lines": dict(sorted(self.lines.items(), key=lambda kv: (-kv[1], kv[0])))}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model as readable JSON (UTF-8), atomically when ``path`` is a regular
        file (it holds the old file or the new one, never part of one); through a
        symbolic link, and straight into a pipe or device (:func:`~newsrepair.io.open_output`). A line with a lone surrogate (from a
        ``\\ud800`` escape in JSON input) is written as that escape.

        Raises:
            InputError: when ``path`` is not a path (``str``, ``bytes`` or :class:`os.PathLike`).
        """
        _check_path(path)
        text = json_text(self.to_dict(), indent=1) + "\n"
        with open_output(path) as f:  # as a shell redirection would: through links, into pipes
            f.write(text)

    @classmethod
    def from_dict(cls, data: Any, source: str = "<dict>") -> "BoilerplateModel":
        """Build a model from :meth:`to_dict` output, validating every field.

        Raises:
            DataFileError: when the data is not a valid model.
        """
        def bad(msg: str) -> DataFileError:
            return DataFileError(f"{source}: not a valid boilerplate model: {msg}")

        if not isinstance(data, dict):
            raise bad("expected a JSON object")
        if data.get("format") != FORMAT:
            raise bad(f"'format' must be {FORMAT!r}")
        if data.get("version") != VERSION:
            raise bad(f"unsupported version {data.get('version')!r} (expected {VERSION})")
        docs = data.get("documents")
        if not isinstance(docs, int) or isinstance(docs, bool) or docs < 0:
            raise bad("'documents' must be a non-negative integer")
        params = {}
        for name, typ in (("min_docs", int), ("min_fraction", (int, float)), ("prose_fraction", (int, float))):
            v = data.get(name)
            if not isinstance(v, typ) or isinstance(v, bool) or v < 0:
                raise bad(f"{name!r} must be a non-negative number")
            params[name] = v
        lines = data.get("lines")
        if not isinstance(lines, dict):
            raise bad("'lines' must be an object mapping lines to document counts")
        for k, v in lines.items():
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise bad(f"count of line {k[:40]!r} must be a non-negative integer")
        return cls(lines, docs, **params)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "BoilerplateModel":
        """Read a model written by :meth:`save`.

        Raises:
            DataFileError: when the file is missing, not JSON, or not a valid model.
            InputError: when ``path`` is not a path (``str``, ``bytes`` or :class:`os.PathLike`).
        """
        _check_path(path)
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except OSError as exc:
            raise DataFileError(f"cannot read boilerplate model {os.fspath(path)!r}: {exc}") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{os.fspath(path)}: not a valid boilerplate model: not JSON ({exc})") from None
        return cls.from_dict(data, os.fspath(path))


def _check_path(path: object) -> None:
    """Raise :class:`InputError` unless ``path`` is a path (:func:`~newsrepair.config.as_path`;
    an ``int`` would be read as a file descriptor)."""
    if as_path(path) is None:
        raise InputError(f"a path (str or os.PathLike) is needed, got {type(path).__name__}")
