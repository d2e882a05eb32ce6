"""Where outputs go, and their safety: the file under ``-o DIR`` or rewritten by
``--in-place`` for each input, standard output, and the side outputs (``--explain``,
``--save-boilerplate-model``), which :func:`check_outputs` checks before any work and
:func:`_open_side_output` opens."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import stat
import sys
from typing import Any, BinaryIO, Callable

from ..io import naming, open_output, resolve_output
from ..strip.model import FORMAT as MODEL_FORMAT
from .args import Options, UsageError
from .sources import Source


def output_path(out_dir: str, rel: str) -> str:
    """Where the output for relative name ``rel`` goes under ``out_dir``.

    Raises:
        UsageError: when the path would leave ``out_dir`` (``..``, absolute paths, or a
            symbolic link inside ``out_dir`` pointing elsewhere).
    """
    rel = os.path.normpath(rel)
    if os.path.isabs(rel) or rel == ".." or rel.startswith(".." + os.sep) or rel in (".", ""):
        raise UsageError(f"output name {rel!r} would leave the output directory")
    base = os.path.realpath(out_dir)
    target = os.path.join(base, rel)
    parent = os.path.dirname(target)
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output directory {exc.filename or parent}: "
                         f"{exc.strerror or exc}") from None

    def inside(path: str) -> bool:
        return path == base or path.startswith(base + os.sep)

    real_parent = os.path.realpath(parent)
    if not inside(real_parent):
        raise UsageError(f"output {target} would be written outside {out_dir} (symbolic link?)")
    dest = os.path.join(real_parent, os.path.basename(target))
    if os.path.islink(dest):
        real = os.path.realpath(dest)
        if not inside(real):
            raise UsageError(f"output {dest} is a symbolic link to {real}, outside {out_dir}; "
                             f"it is not followed (remove the link)")
        dest = real
    kind = _file_kind(dest)
    if kind not in (None, "regular file"):
        raise UsageError(f"output {dest} exists and is a {kind}, not a regular file")
    return dest


def _file_kind(path: str) -> str | None:
    """What ``path`` leads to (following links): ``"regular file"``, ``"directory"``,
    ``"FIFO"``, ...; ``None`` when nothing is there."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    for test, kind in ((stat.S_ISREG, "regular file"), (stat.S_ISDIR, "directory"),
                       (stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return kind
    return "special file"


def in_place_target(path: str, seen: dict[str, str] | None = None) -> str:
    """The file that ``--in-place`` rewrites for input ``path``: its symbolic links
    resolved. ``seen`` maps the files already taken to the inputs that named them.

    Raises:
        UsageError: when that is not a regular file (a FIFO, a device, ``/dev/stdin``),
            which cannot be rewritten in place, or when an earlier input named the same
            file (twice, or as a link and its target): it is rewritten once, so that
            its backup holds the original.
    """
    kind = _file_kind(path)
    real = os.path.realpath(path)
    if kind != "regular file" or not os.path.isfile(real):
        raise UsageError(f"--in-place needs a regular file, not a {kind or 'special file'}")
    if seen is not None:
        if real in seen:
            raise UsageError(f"{real} is rewritten once; it was already named as {seen[real]}")
        seen[real] = path
    return real


def write_fully(buffer: BinaryIO, data: bytes) -> None:
    """Write all of ``data`` to the binary stream ``buffer``. A write larger than its
    buffer goes straight to the pipe, and when the reader goes away in the middle,
    ``BufferedWriter.write`` returns the short count instead of raising: the rest is
    written again, which raises :class:`BrokenPipeError` (otherwise the output would end
    short with exit status 0)."""
    view = memoryview(data)
    while view:
        written = buffer.write(view)
        if not isinstance(written, int) or written <= 0:
            break  # a stream that does not count what it took
        view = view[written:]


def discard_stdout() -> None:
    """Point standard output's descriptor at the null device, so that the output still
    buffered (flushed at exit) goes nowhere instead of failing again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class _Stdout:
    """UTF-8 output on stdout, whatever the locale; or, when a text-only stream was put in
    place of stdout (``contextlib.redirect_stdout(io.StringIO())`` around ``main``), the
    text through that stream."""

    def __init__(self) -> None:
        self.buffer = getattr(sys.stdout, "buffer", None)
        if self.buffer is not None:
            sys.stdout.flush()  # what was printed before comes first
        self.ended_with_newline = True

    def write(self, text: str) -> None:
        """Write all of ``text`` (:func:`write_fully`). A failure other than a reader that
        went away (a full disk) is raised naming standard output."""
        if text:
            with naming("standard output"):
                if self.buffer is None:
                    sys.stdout.write(text)
                else:
                    write_fully(self.buffer, text.encode("utf-8", errors="surrogateescape"))
            self.ended_with_newline = text.endswith("\n")

    def flush(self) -> None:
        """Send what is buffered on to the reader (named as :meth:`write` names its errors)."""
        with naming("standard output"):
            (sys.stdout if self.buffer is None else self.buffer).flush()

    def separate(self) -> None:
        if not self.ended_with_newline:
            self.write("\n")


def _destination(out_dir: str, source: Source, seen: dict[str, str]) -> str:
    """The output file of ``source`` under ``out_dir``; ``seen`` maps the outputs already
    taken to their inputs.

    Raises:
        UsageError: the output would leave ``out_dir``, be the input itself, or be the
            output of an earlier input.
    """
    dest = output_path(out_dir, source.rel or os.path.basename(source.name))
    if source.path and os.path.exists(dest) and os.path.samefile(dest, source.path):
        raise UsageError(f"the output {dest} is the input itself (use --in-place to rewrite inputs)")
    if dest in seen:
        raise UsageError(f"the output {dest} was already written for {seen[dest]}")
    seen[dest] = source.name
    return dest


def _output_mode(args: argparse.Namespace) -> tuple[str | None, bool]:
    """(-o DIR or None, --in-place); ``detect`` has neither."""
    return getattr(args, "output_dir", None), getattr(args, "in_place", False)


# Side outputs: files the run writes besides the documents' outputs.
_SIDE_OPTIONS = (("--explain", "explain"), ("--save-boilerplate-model", "save_boilerplate_model"))


def _side_outputs(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(option, path) of each side output given."""
    return [(option, getattr(args, dest)) for option, dest in _SIDE_OPTIONS if getattr(args, dest, None)]


def _stdout_holds_output(opts: Options) -> bool:
    out_dir, in_place = _output_mode(opts.args)
    return opts.command == "detect" or not (out_dir or in_place)


def file_identity(path: str) -> tuple[Any, ...] | None:
    """What tells two names of one file apart from other files: (device, inode) when the
    file exists (links followed), else its resolved path."""
    try:
        st = os.stat(path)
    except OSError:
        try:
            return ("path", resolve_output(path)[0])
        except OSError:
            return None
    return ("inode", st.st_dev, st.st_ino)


def _fd_identity(fd: int) -> tuple[Any, ...] | None:
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    return ("inode", st.st_dev, st.st_ino)


def _check_parent_directory(label: str, path: str) -> None:
    """Refuse ``path`` when one of its existing ancestors is not a directory (so that it
    can never be created)."""
    parent = os.path.dirname(os.path.abspath(path))
    while not os.path.lexists(parent) and os.path.dirname(parent) != parent:
        parent = os.path.dirname(parent)
    if os.path.lexists(parent) and not os.path.isdir(parent):
        raise UsageError(f"{label}: {parent} is not a directory")


def check_outputs(opts: Options, sources: list[Source]) -> None:
    """Refuse, before any work, a command line whose outputs would destroy data: an
    ``-o`` directory that is a file, or a side output (``--explain``,
    ``--save-boilerplate-model``) that is an input, a data file, an output the run writes
    (standard output included), the other side output, a directory, or an existing file
    that is not JSON (see :func:`replaceable`).

    Raises:
        UsageError: naming the option and the path.
    """
    args = opts.args
    out_dir, in_place = _output_mode(args)
    if out_dir:
        if os.path.exists(out_dir) and not os.path.isdir(out_dir):
            raise UsageError(f"-o/--output-dir {out_dir}: not a directory")
        _check_parent_directory(f"-o/--output-dir {out_dir}", out_dir)
    sides = _side_outputs(args)
    if not sides:
        return
    stdout_busy = _stdout_holds_output(opts)
    # What the side outputs must not be: identity -> description.
    taken: dict[tuple[Any, ...], str] = {}

    def take(identity: tuple[Any, ...] | None, what: str) -> None:
        if identity is not None:
            taken.setdefault(identity, what)

    if stdout_busy:
        take(_fd_identity(1), "standard output, which already holds the repaired text "
                              "(use -o DIR or --in-place to free it)")
    for source in sources:
        if source.path is None:
            take(_fd_identity(0), "standard input, which is an input")
        elif source.error is None:
            take(file_identity(source.path), f"the input {source.name} (it would be overwritten)")
            if out_dir:
                rel = os.path.normpath(source.rel or os.path.basename(source.name))
                planned = os.path.realpath(os.path.join(os.path.realpath(out_dir), rel))
                take(file_identity(planned), f"the output written for {source.name} "
                                              f"(one would replace the other)")
    for option, files in (("--spinner-dict", getattr(args, "spinner_dict", None) or []),
                          ("--boilerplate-model", [getattr(args, "boilerplate_model", None)])):
        for path in files:
            if path:
                take(file_identity(path), f"the {option} file (it would be overwritten)")
    devnull = file_identity(os.devnull)
    for option, path in sides:
        label = f"{option} {path}"
        if path == "-":
            if stdout_busy:
                raise UsageError(f"{label}: standard output already holds the repaired text; "
                                 f"give a file name, or use -o DIR or --in-place")
            identity: tuple[Any, ...] | None = _fd_identity(1) or ("stdout",)
        else:
            if os.path.isdir(path):
                raise UsageError(f"{label}: is a directory")
            _check_parent_directory(label, path)
            identity = file_identity(path)
        if identity is None or identity == devnull:
            continue  # writing /dev/null twice destroys nothing
        if identity in taken:
            raise UsageError(f"{label} is {taken[identity]}; give another file name")
        what, writes = WRITES[option]
        if path != "-" and not replaceable(path, writes):
            raise UsageError(f"{label}: the file exists and is not {what}; "
                             f"it would be overwritten: remove it or give another file name")
        taken[identity] = f"also given to {option} (one would replace the other)"


#: How the file each side output writes starts, so that an existing file holding
#: something else (an article, a corpus, a model of another kind) is not replaced.
_MODEL_HEAD = re.compile(rb'\A\{\s*"format"\s*:\s*"' + re.escape(MODEL_FORMAT.encode("utf-8")) + rb'"')
#: The most of a file read to tell what it holds (a change log's first record may quote
#: a long paragraph).
_HEAD_BYTES = 1 << 20


def is_change_log(head: bytes) -> bool:
    """Whether ``head`` (a file's first bytes) starts a change log of ``--explain``: a
    JSON object with a change's ``stage`` and ``reason`` on its first line."""
    return {"stage", "reason"} <= _first_record_keys(head)


def is_boilerplate_model(head: bytes) -> bool:
    """Whether ``head`` starts a model saved by ``--save-boilerplate-model``."""
    return _MODEL_HEAD.match(head) is not None


def is_pairs(head: bytes) -> bool:
    """Whether ``head`` starts aligned pairs as ``learn --save-pairs`` writes them."""
    return {"spun", "original"} <= _first_record_keys(head)


def _first_record_keys(head: bytes) -> set[str]:
    line = head.split(b"\n", 1)[0]
    try:
        record = json.loads(line)
    except ValueError:  # not JSON, or not UTF-8
        return set()
    return set(record) if isinstance(record, dict) else set()


#: What each side output writes, as the messages name it, and how a file of it is told
#: (see :func:`replaceable`).
WRITES = {"--explain": ("a change log", is_change_log),
          "--save-boilerplate-model": ("a boilerplate model", is_boilerplate_model)}


def replaceable(path: str, writes: Callable[[bytes], bool]) -> bool:
    """Whether a side output may replace what ``path`` holds: nothing, an empty file, a
    device or a pipe, or a file of what the option writes, which ``writes`` recognises
    from its first bytes (:func:`is_change_log`, :func:`is_boilerplate_model`,
    :func:`is_pairs`). Anything else is most likely a file given to the option by
    mistake: an article ("--explain page.txt" reading standard input) or a corpus
    ("--explain data.jsonl page.txt")."""
    if not os.path.isfile(path):
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD_BYTES).lstrip()
    except OSError:
        return True  # unreadable: opening it for writing reports the problem
    return not head or writes(head)


def _open_side_output(stack: contextlib.ExitStack, option: str, path: str,
                      stdout: "_Stdout", keep_on: tuple[type[BaseException], ...] = ()) -> "SideOutput":
    """Open a side output checked by :func:`check_outputs`: ``-`` is standard output;
    a file is written as :func:`~newsrepair.io.open_output` says (through links, straight
    into pipes and devices, atomically otherwise, ``keep_on`` as there), its directory
    created if need be."""
    if path == "-":
        return SideOutput(stdout, "standard output")
    try:
        target, direct = resolve_output(path)
        if not direct:
            os.makedirs(os.path.dirname(target), exist_ok=True)
        return SideOutput(stack.enter_context(open_output(path, "w", keep_on=keep_on)), path)
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write: {exc.strerror or exc}") from None


class SideOutput:
    """A side output (``--explain``, ``--save-boilerplate-model``) being written.

    Its write errors name its file ("changes.jsonl: No space left on device"), as
    :func:`~newsrepair.io.open_output` names those of its last flush. :meth:`mark` and
    :meth:`rollback` keep an interrupted run's change log to the documents whose outputs
    were written: what was written after the last mark is dropped (where the file can
    be cut: a file, not a pipe)."""

    def __init__(self, fh: Any, path: str) -> None:
        self._fh = fh
        self._path = path
        self._cuttable = bool(getattr(fh, "seekable", lambda: False)())
        self._kept = self._fh.tell() if self._cuttable else 0

    @property
    def cuttable(self) -> bool:
        """Whether :meth:`rollback` can drop what was written since the last mark (a
        file; not a pipe)."""
        return self._cuttable

    def write(self, text: str) -> None:
        with naming(self._path):
            self._fh.write(text)

    def mark(self) -> None:
        """What was written so far stays, even if the run is interrupted."""
        if self._cuttable:
            with naming(self._path):
                self._kept = self._fh.tell()

    def rollback(self) -> None:
        """Drop what was written since the last :meth:`mark`, where the file can be cut (a
        device that seeks but cannot be cut keeps it: the run is being interrupted, and
        that is what to report)."""
        if self._cuttable:
            with contextlib.suppress(OSError):
                self._fh.truncate(self._kept)
                self._fh.seek(self._kept)  # truncating leaves the position where it was
