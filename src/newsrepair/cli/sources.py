"""The inputs: the files, directories and stdin named on the command line, and reading
them (whole documents, or the lines of JSON Lines)."""

from __future__ import annotations

import fnmatch
import io
import os
import select
import stat
import sys
from dataclasses import dataclass
from typing import IO, Any, Iterator, Sequence

from ..errors import DecodeError
from ..io import Unread, jsonl_lines, read_input
from ..parallel import FLUSH

#: File name endings of JSON Lines files.
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass
class Source:
    """One input: a file (``path``), or stdin (``path is None``)."""

    name: str
    path: str | None
    rel: str | None = None          # relative output name under -o DIR
    error: str | None = None

    @property
    def named_like_jsonl(self) -> bool:
        """Whether the input is a file whose name ends like a JSON Lines file's."""
        return self.path is not None and self.name.lower().endswith(JSONL_SUFFIXES)


def collect_sources(paths: Sequence[str], pattern: str, skip_dirs: Sequence[str] = ()) -> list[Source]:
    """The inputs named on the command line, directories walked in sorted order. A
    directory of ``skip_dirs`` found inside a walked one is not walked (the ``-o``
    directory: its outputs are not the next run's inputs)."""
    skipped = {identity for d in skip_dirs if (identity := _dir_identity(d)) is not None}
    sources: list[Source] = []
    for path in paths or ["-"]:
        if path == "-":
            sources.append(Source("<stdin>", None))
        elif os.path.isdir(path):
            found: list[Source] = []

            def onerror(exc: OSError) -> None:
                found.append(Source(exc.filename or path, exc.filename or path,
                                    error=exc.strerror or str(exc)))

            for root, dirs, files in os.walk(path, onerror=onerror):
                dirs[:] = sorted(d for d in dirs
                                 if not skipped or _dir_identity(os.path.join(root, d)) not in skipped)
                for fname in sorted(files):
                    full = os.path.join(root, fname)
                    if fnmatch.fnmatch(fname, pattern) and not _special_file(full):
                        found.append(Source(full, full, os.path.relpath(full, path)))
            sources.extend(found)
        else:
            parts = os.path.normpath(path).split(os.sep)
            rel = path if not os.path.isabs(path) and ".." not in parts else os.path.basename(path)
            error = None if os.path.exists(path) else "No such file or directory"
            sources.append(Source(path, path, os.path.normpath(rel), error))
    return sources


def nothing_matched(pattern: str, paths: Sequence[str]) -> str:
    """The error for directories named on the command line in which no file matched."""
    return f"no input files matched {pattern!r} in {', '.join(paths)}"


def _special_file(path: str) -> bool:
    """Whether ``path`` (links followed) is a FIFO, a socket or a device: found in a walked
    directory, it is skipped, as ``grep -r`` does (a FIFO would block the whole run
    until something writes to it). Named on the command line, it is read."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # reading it reports the error


def _dir_identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of a directory (links followed), ``None`` when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def stdin_bytes() -> IO[bytes]:
    """Standard input as bytes: its binary buffer, or, when a text-only stream was put in
    its place (``sys.stdin = io.StringIO(...)`` around ``main``), that text as UTF-8."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return buffer
    return io.BytesIO(sys.stdin.read().encode("utf-8", errors="surrogateescape"))


def _read(source: Source) -> tuple[bytes | None, str | None]:
    if source.error is not None:
        return None, source.error
    try:
        if source.path is None:
            return read_input(stdin_bytes(), source.name), None
        with open(source.path, "rb") as fh:
            return read_input(fh, source.name), None
    except OSError as exc:
        return None, exc.strerror or str(exc)
    except DecodeError as exc:  # binary in its first 64 KiB: not read on ("NAME: binary data ...")
        return None, str(exc).removeprefix(f"{source.name}: ")


def _jsonl_items(name: str, stream: IO[bytes]) -> Iterator[tuple[str, int, bytes | Unread] | Any]:
    """``(name, line number, bytes)`` of the records of a JSON Lines input; where the
    input is written as it goes and its next line keeps it waiting, :data:`FLUSH`
    (the records read so far are then repaired and written out: ``tail -f`` piped in)."""
    reader = LineReader.of(stream)
    if reader is None:
        for lineno, raw in jsonl_lines(stream):
            yield name, lineno, raw
        return
    for lineno, raw in jsonl_lines(reader):  # type: ignore[arg-type]
        yield name, lineno, raw
        if reader.waiting():
            yield FLUSH


#: How long the next line of a JSON Lines input written as it goes may keep the run
#: waiting before the records read so far are repaired and written out.
IDLE_SECONDS = 0.05


class LineReader:
    """The lines of an input that another process writes as it goes (a pipe, a FIFO, a
    terminal, a socket), read from its descriptor, and whether the next one keeps the
    reader waiting (:meth:`waiting`), which a buffered stream cannot tell without
    waiting.

    The descriptor must not have been read from through another buffer, whose bytes
    this reader would not see: build it before the first read.
    """

    CHUNK = 1 << 16

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._buf = bytearray()
        self._pos = 0    # where the next line starts in _buf
        self._scan = 0   # _buf holds no line end between _pos and here
        self._eof = False

    @classmethod
    def of(cls, stream: Any) -> "LineReader | None":
        """A reader of ``stream``'s descriptor when another process writes it as it goes
        and ``select`` can wait on it (POSIX); ``None`` for a regular file, a stream
        without a descriptor (``io.BytesIO``) and on Windows, which are read as they
        are."""
        if os.name != "posix":
            return None
        try:
            fd = stream.fileno()
            mode = os.fstat(fd).st_mode
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            return None
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)):
            return None
        return cls(fd)

    def readline(self, limit: int = -1) -> bytes:
        """The next line with its line end, or its first ``limit`` bytes when it is
        longer (as ``BufferedReader.readline``); ``b""`` at the end of the input."""
        buf = self._buf
        while True:
            nl = buf.find(b"\n", self._scan)
            stop = nl + 1 if nl >= 0 else len(buf)
            if limit >= 0:
                stop = min(stop, self._pos + limit)
            if nl >= 0 or self._eof or (limit >= 0 and stop - self._pos >= limit):
                line = bytes(buf[self._pos:stop])
                self._pos = self._scan = stop
                return line
            self._scan = len(buf)
            self._fill()

    def waiting(self, seconds: float = IDLE_SECONDS) -> bool:
        """Whether no whole line is buffered and the writer sends nothing (nor closes
        the input) within ``seconds``."""
        if self._eof or self._buf.find(b"\n", self._scan) >= 0:
            return False
        try:
            ready, _, _ = select.select([self.fd], [], [], seconds)
        except (OSError, ValueError):  # a descriptor select() cannot watch: never waits
            return False
        return not ready

    def _fill(self) -> None:
        if self._pos and self._pos >= len(self._buf) // 2:  # drop what was read
            del self._buf[:self._pos]
            self._scan -= self._pos
            self._pos = 0
        while True:
            try:
                chunk = os.read(self.fd, self.CHUNK)
                break
            except BlockingIOError:  # a descriptor left non-blocking by whoever opened it
                select.select([self.fd], [], [])
        if chunk:
            self._buf += chunk
        else:
            self._eof = True
