"""An on-disk cache of the indexes newsrepair builds from its data files.

Loading the spin model reads some 10,000 lexicon pairs and a gazetteer and builds their
indexes (phrase tries, signature lexicon, name index): about 0.3 s, most of the first
call's time. The built indexes are saved, pickled, in a cache directory the first time,
and later processes load them in a few hundredths of a second, as Python keeps compiled
bytecode.

The cache is safe to delete at any time and never gives other results than building:

* An entry's file name holds a digest of everything the index is built from: the size,
  times and inode of each data file it reads (the shipped lexicons and language model),
  the content of a user's spinner dictionaries, newsrepair's own source files as this
  process imported them, Python's version and the entry's format. Change any of them and
  the entry is built anew (as Python does for its ``.pyc`` files, with the file's change
  time too, which copying a file's times onto it does not set).
* A file that cannot be read, or is not a pickle of the expected type, is built anew.
  Unpickling accepts only plain containers and the index classes (:data:`_ALLOWED`),
  so a planted file cannot run code. (Anyone who may write the directory can still
  plant other indexes: the default one is the user's own, made private.)
* A directory that cannot be written only means no caching.
* It stays small: the entries used least recently go beyond :data:`MAX_ENTRIES`, and
  beyond :data:`MAX_PER_NAME` of one index (the same index of two installations or
  Python versions sharing the directory keeps an entry each).

Where: ``$NEWSREPAIR_CACHE_DIR`` when set (``off`` or empty: no cache), else
``newsrepair`` in ``$XDG_CACHE_HOME`` (by default ``~/.cache``; on Windows
``%LOCALAPPDATA%``). The spin model's entry is about 1.4 MB, the names' 0.5 MB.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pathlib
import pickle
import re
import stat
import sys
import tempfile
import time
from typing import Callable, Iterable, TypeVar

__all__ = ["CACHE_ENV", "MAX_ENTRIES", "MAX_PER_NAME", "cache_dir", "load_or_build", "stamps"]

#: The environment variable naming the cache directory ("off" or empty: no cache).
CACHE_ENV = "NEWSREPAIR_CACHE_DIR"
_OFF = {"", "off", "0", "no", "false", "none"}
#: Raised when a saved entry's layout changes without its inputs changing.
_FORMAT = 2
#: The most entries kept in the directory, and of one index name.
MAX_ENTRIES = 16
MAX_PER_NAME = 2
#: A temporary file this old is left over from a process that died while writing.
_STALE_TEMP_SECONDS = 3600
#: The file names of entries (an index's name, a digest) and of the temporary files
#: they are written to (``tempfile.mkstemp``'s eight random characters).
_ENTRY_NAME = re.compile(r"[a-z0-9]+(?:-[0-9a-f]{12})?-[0-9a-f]{20}\.pickle")
_TEMP_NAME = re.compile(r"\.tmp-[a-z0-9_]{8}\.pickle")
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
        return None if env.strip().lower() in _OFF else pathlib.Path(os.path.expanduser(env))
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = pathlib.Path(os.environ["LOCALAPPDATA"])
    elif os.environ.get("XDG_CACHE_HOME"):
        base = pathlib.Path(os.environ["XDG_CACHE_HOME"])
    else:
        base = pathlib.Path(os.path.expanduser("~")) / ".cache"
    # no home directory known ("~" stays as it is): no cache, rather than one in the
    # working directory
    return base / "newsrepair" if base.is_absolute() else None


def stamps(paths: Iterable[object]) -> tuple | None:
    """What identifies the state of the files ``paths``: path, size, modification and
    change times and inode of each; None when one is not a file on disk (a zipped
    installation). Taken when the files are read (an index built from them keys on it)."""
    out = []
    for item in paths:
        try:
            path = pathlib.Path(os.fspath(item))  # type: ignore[arg-type]
            st = path.stat()
        except (TypeError, OSError):
            return None
        if not stat.S_ISREG(st.st_mode):
            return None  # a pipe ("<(...)") can be read once, and has no state to key on
        out.append((str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return tuple(out)


def load_or_build(name: str, kind: type[T], inputs: Iterable[object], build: Callable[[], T],
                  hashed: Iterable[object] = (), stamped: tuple = ()) -> T:
    """The index ``name``, of type ``kind``, that ``build()`` makes from the files
    ``inputs``: loaded from the cache when an entry for their present state is there,
    else built (and saved when it can be).

    The files ``hashed`` (a user's spinner dictionaries, small) are keyed by their
    content as well; ``stamped`` is the :func:`stamps` of files read before (the
    language model, loaded once per process). ``name`` tells apart indexes built from
    different kinds of input. When a file is not on disk, the index is built, not cached.
    """
    where = cache_dir()
    if where is None:
        return build()
    hashed = list(hashed)
    state = stamps([*inputs, *hashed])
    if state is None:
        return build()
    try:
        contents = tuple(_file_digest(p) for p in hashed)
    except OSError:
        return build()  # as building would raise it
    key = (_FORMAT, sys.version, state, contents, stamped, _CODE_STAMP)
    path = where / f"{name}-{hashlib.sha256(repr(key).encode()).hexdigest()[:20]}.pickle"
    try:
        with open(path, "rb") as fh:
            value = _loads(fh.read())
        if isinstance(value, kind):
            _touch(path)
            return value
    except Exception:  # noqa: BLE001 - a missing or unreadable entry is built (again)
        pass
    value = build()
    _save(path, value, f"{name}-")
    return value


def _file_digest(path: object) -> str:
    with open(os.fspath(path), "rb") as fh:  # type: ignore[arg-type]
        return hashlib.sha256(fh.read()).hexdigest()


def _code_stamp() -> tuple:
    """(name, size, mtime) of newsrepair's source and extension files: an entry is built
    by this code, and any change to it is a new entry. Taken when newsrepair is imported,
    so a process that imported older code never saves an entry under newer code's stamp."""
    root = pathlib.Path(__file__).resolve().parent
    out = []
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".so", ".pyd") and "lexicons" not in path.relative_to(root).parts:
            st = path.stat()
            out.append((str(path.relative_to(root)), st.st_size, st.st_mtime_ns))
    return tuple(out)


_CODE_STAMP = _code_stamp()


def _touch(path: pathlib.Path) -> None:
    """Mark an entry as used now (the least recently used go first)."""
    try:
        os.utime(path)
    except OSError:
        pass


def _save(path: pathlib.Path, value: object, prefix: str) -> None:
    """Write ``value`` to ``path`` atomically and keep the directory small (see the
    module docstring); give up quietly where the directory cannot be written."""
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
        _prune(path.parent, prefix)
    except Exception:  # noqa: BLE001 - an index that cannot be saved is only not cached
        pass


def _prune(where: pathlib.Path, prefix: str) -> None:
    """Remove the entries used least recently beyond the limits, and temporary files
    left by processes that died while writing."""
    def used(p: pathlib.Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    # only this module's entries: the directory may be one the user keeps other files in
    entries = sorted((p for p in where.glob("*.pickle") if _ENTRY_NAME.fullmatch(p.name)), key=used, reverse=True)
    # the same name: the prefix and a digest (other names may start with this one)
    same = [p for p in entries if p.name.startswith(prefix) and "-" not in p.name[len(prefix):]]
    stale = [*same[MAX_PER_NAME:], *[p for p in entries if p not in same[MAX_PER_NAME:]][MAX_ENTRIES:]]
    old = time.time() - _STALE_TEMP_SECONDS
    stale += [p for p in where.glob(".tmp-*.pickle") if _TEMP_NAME.fullmatch(p.name) and used(p) < old]
    for p in stale:
        try:
            p.unlink()
        except OSError:
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
    was_enabled = gc.isenabled()
    gc.disable()  # for the whole process, briefly (other threads collect later)
    try:
        return _Unpickler(io.BytesIO(data)).load()
    finally:
        if was_enabled:
            gc.enable()
