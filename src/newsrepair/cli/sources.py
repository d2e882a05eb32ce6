"""The inputs: the files, directories and stdin named on the command line, and reading
them (whole documents, or the lines of JSON Lines)."""

from __future__ import annotations

import fnmatch
import io
import os
import stat
import sys
from dataclasses import dataclass
from typing import IO, Iterator, Sequence

from ..errors import DecodeError
from ..io import jsonl_lines, read_input

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


def _jsonl_items(name: str, stream: IO[bytes]) -> Iterator[tuple[str, int, bytes]]:
    for lineno, raw in jsonl_lines(stream):
        yield name, lineno, raw
