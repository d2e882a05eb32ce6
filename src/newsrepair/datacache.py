"""An on-disk cache of the indexes newsrepair builds from its data files.

Loading the spin model reads some 10,000 lexicon pairs and a gazetteer and builds their
indexes (phrase tries, signature lexicon, name index): about a third of a second, most
of the first call's time. The built indexes are saved, pickled, in a cache directory the
first time, and later processes load them in a few hundredths of a second, as Python
keeps compiled bytecode.

The cache is safe to delete at any time and never gives other results than building:

* An entry's file name holds a digest of everything the index is built from: the size
  and modification time of each data file it reads (the shipped lexicons and language
  model, a user's spinner dictionaries) and of newsrepair's own source files, Python's
  version and the entry's format. Change any of them and the entry is built anew (the
  rule Python uses for its ``.pyc`` files); the entries it replaces are removed.
* A file that cannot be read, or is not a pickle of the expected types, is built anew.
  Unpickling accepts only plain containers and the index classes (:data:`_ALLOWED`),
  so a planted file cannot run code.
* A directory that cannot be written only means no caching.

Where: ``$NEWSREPAIR_CACHE_DIR`` when set (set it to ``off`` to switch the cache off),
else ``newsrepair`` in ``$XDG_CACHE_HOME`` (by default ``~/.cache``; on Windows
``%LOCALAPPDATA%``). An entry is about 2 MB.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pathlib
import pickle
import sys
import tempfile
from functools import lru_cache
from typing import Callable, Iterable, TypeVar

__all__ = ["CACHE_ENV", "cache_dir", "load_or_build"]

#: The environment variable naming the cache directory ("off": no cache).
CACHE_ENV = "NEWSREPAIR_CACHE_DIR"
_OFF = {"off", "0", "no", "false", "none"}
#: Raised when a saved entry's layout changes without its inputs changing.
_FORMAT = 1
#: The classes an entry may hold besides built-in containers: (module, name).
_ALLOWED = frozenset({
    ("builtins", "set"), ("builtins", "frozenset"),
    ("array", "array"), ("array", "_array_reconstructor"),
    ("newsrepair.spin.lexicon", "Lexicon"), ("newsrepair.spin.lexicon", "PhraseFinder"),
    ("newsrepair.spin.gazetteer", "NameIndex"), ("newsrepair.spin.model", "UserGroups"),
    ("newsrepair.spin.model", "LexiconIndex"), ("newsrepair.spin.detect", "WindowReader"),
})

T = TypeVar("T")


def cache_dir() -> pathlib.Path | None:
    """The cache directory (which may not exist yet), or ``None`` when caching is off."""
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        return None if env.strip().lower() in _OFF or not env.strip() else pathlib.Path(env)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = pathlib.Path(os.environ["LOCALAPPDATA"])
    else:
        base = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache")
    return base / "newsrepair"


def load_or_build(name: str, inputs: Iterable[object], build: Callable[[], T]) -> T:
    """The index ``name`` built by ``build()`` from the files ``inputs``: loaded from the
    cache when an entry for these inputs is there, else built (and saved when it can be).

    ``name`` tells apart indexes built from different inputs (a digest of their paths
    does): the entries of the same name with other stamps are stale and removed when
    this one is saved. An input that is not a file on disk (a zipped installation) turns
    the cache off for this call.
    """
    where = cache_dir()
    stamps = _stamps(inputs) if where is not None else None
    if where is None or stamps is None:
        return build()
    digest = hashlib.sha256(repr((_FORMAT, sys.version, stamps, _code_stamp())).encode()).hexdigest()[:20]
    path = where / f"{name}-{digest}.pickle"
    try:
        with open(path, "rb") as fh:
            return _loads(fh.read())
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - any unreadable entry is rebuilt and replaced
        pass
    value = build()
    _save(path, value, f"{name}-")
    return value


def _stamps(inputs: Iterable[object]) -> tuple | None:
    """(path, size, mtime) of each input, or None when one is not a file on disk."""
    out = []
    for item in inputs:
        try:
            path = pathlib.Path(os.fspath(item))  # type: ignore[arg-type]
            st = path.stat()
        except (TypeError, OSError):
            return None
        out.append((str(path.resolve()), st.st_size, st.st_mtime_ns))
    return tuple(out)


@lru_cache(maxsize=1)
def _code_stamp() -> tuple:
    """(name, size, mtime) of newsrepair's source and extension files: an entry is built
    by this code, and any change to it is a new entry."""
    root = pathlib.Path(__file__).resolve().parent
    out = []
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".so", ".pyd") and "lexicons" not in path.relative_to(root).parts:
            st = path.stat()
            out.append((str(path.relative_to(root)), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _save(path: pathlib.Path, value: object, prefix: str) -> None:
    """Write ``value`` to ``path`` atomically and remove the older entries of its name;
    give up quietly where the directory cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        for old in path.parent.glob(f"{prefix}*.pickle"):
            if old != path and old.name[len(prefix):].count("-") == 0:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        pass


class _Unpickler(pickle.Unpickler):
    """Refuses every global but those of :data:`_ALLOWED`."""

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a newsrepair cache entry")
        return super().find_class(module, name)


def _loads(data: bytes) -> object:
    """Unpickle the cache entry ``data``, with the garbage collector paused: an entry
    holds some 100,000 small containers, and collections triggered while they are made
    took half the time."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _Unpickler(io.BytesIO(data)).load()
    finally:
        if paused:
            gc.enable()
