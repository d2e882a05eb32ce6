"""The ``newsrepair`` command: a filter for files, directories, stdin and JSON Lines.

    newsrepair [COMMAND] [OPTIONS] [PATH ...]

COMMAND is ``repair`` (the default: every stage), ``fix`` (encoding only), ``strip``
(boilerplate only), ``unspin`` (spin reversal only) or ``detect`` (a spin report per
document). Run ``newsrepair --help`` or ``newsrepair COMMAND --help`` for the options.

Work is split in two: the parent process reads inputs and writes outputs, in input order;
:func:`process_document` and :func:`process_jsonl_line` do the repairing, in worker
processes when ``--jobs`` is above 1 (see :mod:`newsrepair.parallel`). Exit status: 0 when
every input was processed, 1 when some failed (the others are still written), 2 for a
usage error, 130/143 when interrupted by SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import os
import signal
import stat
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any, Callable, Iterator, NoReturn, Sequence

from . import __version__
from .api import Repairer
from .api import BoilerplateModel
from .config import Config
from .errors import ConfigError, DataFileError, DecodeError, FitError, NewsrepairError
from .io import atomic_write, decode, dump_record, open_output, parse_jsonl_line, resolve_output
from .parallel import OrderedPool, WorkerError, available_cpus

__all__ = ["main", "build_parser", "process_document", "process_jsonl_line"]

PROG = "newsrepair"
COMMANDS = {
    "repair": "run every stage: encoding repair, boilerplate stripping, spin reversal (default)",
    "fix": "encoding repair only (mojibake, HTML entities, control characters, whitespace)",
    "strip": "boilerplate stripping only (menus, share lines, related-article lists)",
    "unspin": "spin reversal only (restore words changed by a synonym spinner)",
    "detect": "print a spin report per document: NAME<TAB>SCORE<TAB>VERDICT (or --json)",
}
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_SIGINT, EXIT_SIGTERM = 0, 1, 2, 130, 143


class Terminated(BaseException):
    """Raised in the parent process by SIGTERM, so that clean-up code runs."""


class UsageError(Exception):
    """A bad command line (exit status 2)."""


# --------------------------------------------------------------------------- argument parsing

_DESCRIPTION = """\
Repair scraped news text: fix broken encodings, strip page boilerplate, and detect and
reverse automatic synonym spinning.

With no PATH (or PATH "-"), reads stdin and writes stdout. Files are written to stdout,
or with -o DIR one output per input under DIR (mirroring relative names), or back into
place with --in-place. Directories are walked for files matching --glob. Inputs are
never modified unless --in-place is given."""

_EPILOG = """\
commands (the first argument; default "repair"):
{commands}

examples:
  newsrepair page.txt > clean.txt             repair one file
  newsrepair -o clean/ scraped/               repair a tree of *.txt files into clean/
  newsrepair --jsonl --field body crawl.jsonl > fixed.jsonl
  newsrepair fix --in-place --backup .orig notes/*.txt
  newsrepair detect --json articles/          spin scores, one JSON object per line
  newsrepair --fit-boilerplate -o clean/ site_dump/   learn the site's furniture first

exit status: 0 all inputs processed, 1 some inputs failed (the others were still
written), 2 usage error, 130/143 interrupted (finished outputs are complete; no partial
file is left under a final name)."""


def float01(text: str) -> float:
    """argparse type: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return value


def whole_number(minimum: int, meaning: str = "") -> Callable[[str], int]:
    """argparse type: a whole number of at least ``minimum`` (``meaning`` explains it)."""
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum}{meaning} or more")
        return value
    return convert


def add_stage_options(parser: argparse.ArgumentParser) -> None:
    """``--no-encoding``, ``--no-boilerplate``, ``--no-spin`` (also used by the Spark job)."""
    stages = parser.add_argument_group("stages")
    stages.add_argument("--no-encoding", action="store_true", help="skip encoding repair")
    stages.add_argument("--no-boilerplate", action="store_true", help="skip boilerplate stripping")
    stages.add_argument("--no-spin", action="store_true", help="skip spin detection and reversal")


def add_config_options(parser: argparse.ArgumentParser, stages: Sequence[str] = ("encoding", "boilerplate", "spin"),
                       *, edits: bool = True, title: str | None = None) -> dict[str, Any]:
    """The options that map to :class:`~newsrepair.Config`, for the given stages (also used
    by the Spark job); read them back with :func:`config_from_args`. ``edits=False`` leaves
    out the options of edits (for ``detect``). With ``title`` they share one argument group;
    otherwise each stage has its own. Returns the group of each stage."""
    shared = parser.add_argument_group(title) if title else None
    titles = {"encoding": "encoding repair", "boilerplate": "boilerplate stripping",
              "spin": "spin detection and reversal"}
    groups = {stage: shared or parser.add_argument_group(titles[stage]) for stage in stages}
    if "encoding" in groups:
        groups["encoding"].add_argument("--straighten-quotes", action="store_true",
                                        help="replace curly quotes and apostrophes with straight ones")
    if "boilerplate" in groups:
        bp = groups["boilerplate"]
        bp.add_argument("--drop-captions", action="store_true",
                        help="also remove image captions and photo credits")
        bp.add_argument("--boilerplate-model", metavar="FILE",
                        help="a learned site-furniture model (JSON) to strip in addition to the rules")
    if "spin" in groups:
        sp = groups["spin"]
        sp.add_argument("--spinner-dict", action="append", default=[], metavar="FILE",
                        help="a spinner dictionary (original|sub|sub per line) to use on top of "
                             "the shipped lexicons; repeatable")
        sp.add_argument("--domain", action="append", default=[], choices=("news", "science"),
                        help='lexicon domains to load besides "news"; repeatable')
        sp.add_argument("--threshold", type=float01, metavar="X",
                        help="document spin score at or above which text counts as spun "
                             "(default 0.35, or 0.25 with --spinner-dict)")
        if edits:
            sp.add_argument("--min-confidence", type=float01, metavar="X",
                            help="make an edit only when its confidence is at least X (default 0.5)")
            sp.add_argument("--unspin-clean", action="store_true",
                            help="also edit documents that detection judges clean")
    return groups


class _Parser(argparse.ArgumentParser):
    """argparse with a short usage error: one line and a pointer to --help."""

    def error(self, message: str) -> "NoReturn":  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nTry '{self.prog} --help' for more information.\n")


def build_parser(command: str = "repair") -> argparse.ArgumentParser:
    """The argument parser of one command (``repair``, ``fix``, ``strip``, ``unspin``,
    ``detect``)."""
    commands = "\n".join(f"  {name:<8} {desc}" for name, desc in COMMANDS.items())
    prog = PROG if command == "repair" else f"{PROG} {command}"
    parser = _Parser(
        prog=prog, description=_DESCRIPTION if command == "repair" else COMMANDS[command],
        epilog=_EPILOG.format(commands=commands) if command == "repair" else None,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or directories to read (default: stdin)")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")

    io_ = parser.add_argument_group("input and output")
    if command != "detect":
        io_.add_argument("-o", "--output-dir", metavar="DIR",
                         help="write one output per input under DIR, mirroring relative names")
        io_.add_argument("--in-place", action="store_true",
                         help="rewrite each input file (atomically: temporary file, fsync, rename); "
                              "files that need no change are not touched")
        io_.add_argument("--backup", metavar="SUFFIX",
                         help="with --in-place, keep the original as FILE+SUFFIX")
    io_.add_argument("--glob", metavar="PATTERN",
                     help='file-name pattern for walking directories (default "*.txt", '
                          'or "*.jsonl" with --jsonl)')
    io_.add_argument("--jsonl", action="store_true",
                     help="inputs are JSON Lines: repair one field of each record, keep the "
                          "other fields and the line order" if command != "detect" else
                          "inputs are JSON Lines: report on one field of each record, one "
                          "report per record, in line order")
    io_.add_argument("--field", default="text", metavar="NAME",
                     help='with --jsonl, the field holding the text (default "text")')
    if command != "detect":
        io_.add_argument("--summary-field", default="newsrepair", metavar="NAME",
                         help='with --jsonl, the field added to each record with the spin score, '
                              'change counts per stage, or the error (default "newsrepair")')
        io_.add_argument("--explain", metavar="FILE",
                         help="write every change as JSON Lines to FILE (document name, start, end, "
                              "before, after, stage, reason, confidence)")
    else:
        io_.add_argument("--json", action="store_true",
                         help="print one JSON object per document (score, verdict, suspects) "
                              "instead of tab-separated lines")
    io_.add_argument("-j", "--jobs", type=whole_number(0, " (all CPUs)"), default=0, metavar="N",
                     help="worker processes (default 0: all CPUs; 1: no worker processes); "
                          "output order always follows input order")
    io_.add_argument("-q", "--quiet", action="store_true",
                     help="no warnings and no progress bar (errors are still reported)")

    if command == "repair":
        add_stage_options(parser)
    stages = {"repair": ("encoding", "boilerplate", "spin"), "fix": ("encoding",),
              "strip": ("boilerplate",), "unspin": ("spin",), "detect": ("spin",)}[command]
    groups = add_config_options(parser, stages, edits=command != "detect")
    if "boilerplate" in groups:
        groups["boilerplate"].add_argument(
            "--fit-boilerplate", action="store_true",
            help="first learn the furniture repeated across all the inputs (two passes; "
                 "needs files, not stdin), then strip it")
        groups["boilerplate"].add_argument(
            "--save-boilerplate-model", metavar="FILE",
            help="with --fit-boilerplate, save the learned model to FILE")
    return parser


@dataclass
class Options:
    """The parsed command line."""

    command: str
    args: argparse.Namespace
    config: Config
    stages: tuple[bool, bool, bool]


@lru_cache(maxsize=1)
def _options_taking_values() -> dict[str, bool]:
    """Every option string of every command, and whether it takes a value."""
    options: dict[str, bool] = {}
    for command in COMMANDS:
        for action in build_parser(command)._actions:
            for option in action.option_strings:
                options[option] = action.nargs != 0
    return options


def _takes_value(option: str) -> bool:
    """Whether ``option`` (maybe an abbreviated long option, as argparse accepts) takes a
    value."""
    options = _options_taking_values()
    if option in options:
        return options[option]
    matches = {takes for name, takes in options.items()
               if option.startswith("--") and name.startswith(option)}
    return matches == {True}


def split_command(argv: Sequence[str]) -> tuple[str, list[str]]:
    """The command and the other arguments. The command is the first argument that is
    neither an option nor an option's value, when it is a command name, so options may
    come before it (``newsrepair -q fix a.txt``); otherwise it is ``repair``. After
    ``--`` every argument is a path."""
    argv = list(argv)
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            break
        if arg.startswith("--"):
            if "=" not in arg and _takes_value(arg):
                i += 1  # skip the value
        elif arg.startswith("-") and arg != "-":
            for j in range(1, len(arg)):  # a cluster of short options, e.g. -qj2 or -qo DIR
                if _takes_value("-" + arg[j]):
                    if j == len(arg) - 1:
                        i += 1  # the value is the next argument
                    break
        else:
            if arg in COMMANDS:
                return arg, argv[:i] + argv[i + 1:]
            break
        i += 1
    return "repair", argv


def parse_args(argv: Sequence[str]) -> Options:
    """Parse ``argv`` (without the program name). Raises :class:`SystemExit` (status 2)
    for bad usage, through argparse."""
    command, argv = split_command(argv)
    parser = build_parser(command)
    args = parser.parse_args(argv)
    try:
        _check_combinations(command, args)
        config = config_from_args(args)
    except (UsageError, ConfigError) as exc:
        parser.error(str(exc))
    if command == "repair":
        stages = (not args.no_encoding, not args.no_boilerplate, not args.no_spin)
    else:
        stages = {"fix": (True, False, False), "strip": (False, True, False),
                  "unspin": (False, False, True), "detect": (False, False, False)}[command]
    return Options(command, args, config, stages)


def _check_combinations(command: str, args: argparse.Namespace) -> None:
    paths = args.paths or ["-"]
    stdin = "-" in paths
    if paths.count("-") > 1:
        raise UsageError("stdin ('-') can be read only once")
    if command != "detect":
        if args.in_place and args.output_dir:
            raise UsageError("--in-place and -o/--output-dir cannot be used together")
        if args.backup is not None and not args.in_place:
            raise UsageError("--backup needs --in-place")
        if args.backup is not None and (not args.backup or os.sep in args.backup):
            raise UsageError("--backup SUFFIX must be a non-empty suffix without a path separator")
        if stdin and args.in_place:
            raise UsageError("--in-place needs files, not stdin")
        if stdin and args.output_dir:
            raise UsageError("-o/--output-dir needs named input files, not stdin")
    if getattr(args, "fit_boilerplate", False) and stdin:
        raise UsageError("--fit-boilerplate reads its inputs twice, so it needs files, not stdin")
    if getattr(args, "save_boilerplate_model", None) and not args.fit_boilerplate:
        raise UsageError("--save-boilerplate-model needs --fit-boilerplate")
    if getattr(args, "fit_boilerplate", False) and args.boilerplate_model:
        raise UsageError("use either --fit-boilerplate or --boilerplate-model, not both")
    for option, files in (("--spinner-dict", getattr(args, "spinner_dict", [])),
                          ("--boilerplate-model", [getattr(args, "boilerplate_model", None)])):
        for path in files:
            if path is None:
                continue
            if not os.path.isfile(path):
                raise UsageError(f"{option} {path}: no such file")
            try:
                with open(path, encoding="utf-8") as fh:
                    fh.read()
            except UnicodeDecodeError as exc:
                raise UsageError(f"{option} {path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} "
                                 f"at offset {exc.start})") from None
            except OSError as exc:
                raise UsageError(f"{option} {path}: cannot read: {exc.strerror or exc}") from None


def config_from_args(args: argparse.Namespace) -> Config:
    """The :class:`~newsrepair.Config` that the options of :func:`add_config_options` describe
    (options a command does not have keep their defaults)."""
    options: dict[str, Any] = {}
    if getattr(args, "straighten_quotes", False):
        options["straighten_quotes"] = True
    if getattr(args, "drop_captions", False):
        options["keep_captions"] = False
    if getattr(args, "boilerplate_model", None):
        options["boilerplate_model"] = args.boilerplate_model
    if getattr(args, "spinner_dict", None):
        options["spinner_dictionaries"] = tuple(args.spinner_dict)
    if getattr(args, "domain", None):
        options["domains"] = tuple(dict.fromkeys(["news", *args.domain]))
    if getattr(args, "threshold", None) is not None:
        options["spin_threshold"] = args.threshold
    if getattr(args, "min_confidence", None) is not None:
        options["min_edit_confidence"] = args.min_confidence
    if getattr(args, "unspin_clean", False):
        options["unspin_clean"] = True
    return Config(**options)


# --------------------------------------------------------------------------- worker side

@dataclass(frozen=True)
class Task:
    """What the workers need to know besides the :class:`Repairer` (picklable)."""

    command: str
    stages: tuple[bool, bool, bool]
    explain: bool = False
    field: str = "text"
    summary_field: str = "newsrepair"
    json_report: bool = False


@dataclass
class Result:
    """What a worker sends back for one document or one JSONL line."""

    name: str
    output: str | None = None       # repaired text, JSONL line, or detect line
    error: str | None = None        # one-line message, already naming the document
    warning: str | None = None
    explain: list[str] = field(default_factory=list)
    unchanged: bool = False         # output == input and the input was UTF-8
    dest: Any = None                # the parent's bookkeeping, passed through


def _detect_line(name: str, report: Any, as_json: bool) -> str:
    if as_json:
        return dump_record({"document": name, **report.to_dict()})
    return f"{name}\t{report.score:.4f}\t{'spun' if report.is_spun else 'clean'}"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, NewsrepairError):
        return str(exc)
    return f"internal error ({type(exc).__name__}: {exc})"


def _run_stages(repairer: Repairer, task: Task, text: str, name: str,
                extra: dict[str, Any] | None = None, counts: bool = False) -> tuple[str, Any, list[str]]:
    """Repair ``text``; returns (output, result-or-report, explain lines). The change log
    is built only when it is used: for ``--explain``, or for the counts (``counts``)."""
    if task.command == "detect":
        report = repairer.detect_spin(text)
        return _detect_line(name, report, task.json_report), report, []
    enc, bp, spin = task.stages
    result = repairer.repair(text, encoding=enc, boilerplate=bp, spin=spin, explain=task.explain or counts)
    explain = []
    if task.explain:
        explain = [dump_record({"document": name, **(extra or {}), **ch.to_dict()}) for ch in result.changes]
    return result.text, result, explain


def process_document(state: tuple[Repairer, Task], item: tuple[str, bytes | None, str | None, Any]) -> Result:
    """Worker: decode and repair one document ``(name, data, read_error, dest)``."""
    repairer, task = state
    name, data, read_error, dest = item
    if read_error is not None or data is None:
        return Result(name, error=f"{name}: {read_error}", dest=dest)
    try:
        decoded = decode(data, name)
    except DecodeError as exc:
        return Result(name, error=str(exc), dest=dest)
    warning = f"{name}: {decoded.warning}" if decoded.warning else None
    try:
        out, _, explain = _run_stages(repairer, task, decoded.text, name)
    except Exception as exc:  # noqa: BLE001 - one document must not stop the run
        return Result(name, error=f"{name}: {_describe(exc)}", warning=warning, dest=dest)
    unchanged = out == decoded.text and decoded.encoding == "utf-8" and not data.startswith(b"\xef\xbb\xbf")
    return Result(name, out, None, warning, explain, unchanged, dest)


_JSON_TYPES = {dict: "an object", list: "an array", int: "a number", float: "a number",
               bool: "a boolean", type(None): "null"}


def process_jsonl_line(state: tuple[Repairer, Task], item: tuple[str, int, bytes]) -> Result:
    """Worker: repair the text field of one JSON Lines record ``(file name, line number, raw)``.

    The output record keeps every other field and their order; the summary field is set to
    ``{"spin_score", "is_spun", "changes"}``, or to ``{"error"}`` when the record fails (its
    text is then kept as it was). A line that is not a JSON object is written as a record
    ``{summary_field: {"error", "line", "raw"}}``, so the output has one record per input
    record, in order.
    """
    repairer, task = state
    name, lineno, raw = item
    where = f"{name}:{lineno}"
    line = parse_jsonl_line(raw, lineno)
    if line.error is not None:
        message = f"{where}: {line.error}"
        if task.command == "detect":
            return Result(where, error=message)
        rawtext = line.raw.decode("utf-8", errors="replace")
        return Result(where, dump_record({task.summary_field: {"error": line.error, "line": lineno,
                                                               "raw": rawtext}}), error=message)
    record = line.record
    value = record.get(task.field)
    problem = None
    if task.field not in record:
        problem = f"no field {task.field!r}"
    elif not isinstance(value, str):
        problem = f"field {task.field!r} is {_JSON_TYPES.get(type(value), 'not a string')}, not a string"
    else:
        try:
            out, result, explain = _run_stages(repairer, task, value, where, {"line": lineno}, counts=True)
        except Exception as exc:  # noqa: BLE001 - one record must not stop the run
            problem = _describe(exc)
    if problem is not None:
        if task.command == "detect":
            return Result(where, error=f"{where}: {problem}")
        record[task.summary_field] = {"error": problem}
        return Result(where, dump_record(record), error=f"{where}: {problem}")
    if task.command == "detect":
        return Result(where, out)
    record[task.field] = out
    summary: dict[str, Any] = {}
    if result.spin is not None:
        summary["spin_score"] = round(result.spin.score, 4)
        summary["is_spun"] = result.spin.is_spun
    summary["changes"] = result.counts()
    record[task.summary_field] = summary
    return Result(where, dump_record(record), explain=explain)


# --------------------------------------------------------------------------- parent side

@dataclass
class Source:
    """One input: a file (``path``), or stdin (``path is None``)."""

    name: str
    path: str | None
    rel: str | None = None          # relative output name under -o DIR
    error: str | None = None


def collect_sources(paths: Sequence[str], pattern: str) -> list[Source]:
    """The inputs named on the command line, directories walked in sorted order."""
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
                dirs.sort()
                for fname in sorted(files):
                    if fnmatch.fnmatch(fname, pattern):
                        full = os.path.join(root, fname)
                        found.append(Source(full, full, os.path.relpath(full, path)))
            sources.extend(found)
        else:
            parts = os.path.normpath(path).split(os.sep)
            rel = path if not os.path.isabs(path) and ".." not in parts else os.path.basename(path)
            error = None if os.path.exists(path) else "No such file or directory"
            sources.append(Source(path, path, os.path.normpath(rel), error))
    return sources


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


def in_place_target(path: str) -> str:
    """The file that ``--in-place`` rewrites for input ``path``: its symbolic links
    resolved.

    Raises:
        UsageError: when that is not a regular file (a FIFO, a device, ``/dev/stdin``),
            which cannot be rewritten in place.
    """
    kind = _file_kind(path)
    real = os.path.realpath(path)
    if kind != "regular file" or not os.path.isfile(real):
        raise UsageError(f"--in-place needs a regular file, not a {kind or 'special file'}")
    return real


class Console:
    """Warnings, errors and the progress bar, all on stderr."""

    def __init__(self, quiet: bool, total: int | None, show_progress: bool) -> None:
        self.quiet = quiet
        self.total = total
        self.progress = show_progress and not quiet and sys.stderr.isatty()
        self.done = 0
        self.failed = 0
        self._last = 0.0
        self._drawn = False

    def _clear(self) -> None:
        if self._drawn:
            sys.stderr.write("\r\x1b[K")
            self._drawn = False

    def error(self, message: str) -> None:
        self.failed += 1
        self._clear()
        sys.stderr.write(f"{PROG}: error: {_one_line(message)}\n")

    def warning(self, message: str) -> None:
        if not self.quiet:
            self._clear()
            sys.stderr.write(f"{PROG}: warning: {_one_line(message)}\n")

    def step(self, name: str = "") -> None:
        self.done += 1
        if not self.progress:
            return
        now = time.monotonic()
        if now - self._last < 0.1:
            return
        self._last = now
        if self.total:
            width = 30
            filled = int(width * min(self.done, self.total) / self.total)
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        else:
            bar = f"{self.done} documents"
        sys.stderr.write(f"\r\x1b[K{PROG}: {bar} {name[-40:]}")
        sys.stderr.flush()
        self._drawn = True

    def finish(self) -> None:
        self._clear()
        sys.stderr.flush()


def _one_line(message: str) -> str:
    return " ".join(message.split()) if "\n" in message or "\r" in message else message


def _read(source: Source) -> tuple[bytes | None, str | None]:
    if source.error is not None:
        return None, source.error
    try:
        if source.path is None:
            return sys.stdin.buffer.read(), None
        with open(source.path, "rb") as fh:
            return fh.read(), None
    except OSError as exc:
        return None, exc.strerror or str(exc)


class _Stdout:
    """UTF-8 output on stdout, whatever the locale."""

    def __init__(self) -> None:
        self.buffer = sys.stdout.buffer
        self.ended_with_newline = True

    def write(self, text: str) -> None:
        if text:
            self.buffer.write(text.encode("utf-8", errors="surrogateescape"))
            self.ended_with_newline = text.endswith("\n")

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


def _run_text(opts: Options, sources: list[Source], pool: OrderedPool, console: Console,
              stdout: _Stdout, explain: IO[str] | None) -> None:
    args = opts.args
    out_dir, in_place = _output_mode(args)
    seen: dict[str, str] = {}

    def items() -> Iterator[tuple[str, bytes | None, str | None, Any]]:
        for source in sources:
            dest: Any = None
            error = source.error
            if error is None and out_dir:
                try:
                    dest = _destination(out_dir, source, seen)
                except (UsageError, OSError) as exc:
                    error = str(exc)
            elif error is None and in_place:
                try:
                    dest = in_place_target(source.path or "")
                except UsageError as exc:
                    error = str(exc)
            data, read_error = (None, error) if error else _read(source)
            yield source.name, data, read_error, dest

    first = True
    for result in pool.imap(items()):
        if result.warning:
            console.warning(result.warning)
        if result.error:
            console.error(result.error)
        if result.output is not None:
            if explain is not None:
                for line in result.explain:
                    explain.write(line + "\n")
            if opts.command == "detect":
                stdout.write(result.output + "\n")
            elif out_dir:
                try:
                    with atomic_write(result.dest, "w") as fh:
                        fh.write(result.output)
                except OSError as exc:
                    console.error(f"{result.dest}: cannot write: {exc.strerror or exc}")
            elif in_place:
                if not result.unchanged:
                    try:
                        with atomic_write(result.dest, "w", backup=args.backup) as fh:
                            fh.write(result.output)
                    except OSError as exc:
                        console.error(f"{result.name}: cannot write: {exc.strerror or exc}")
            else:
                if not first:
                    stdout.separate()
                stdout.write(result.output)
                first = False
        console.step(result.name)


def _jsonl_items(name: str, stream: IO[bytes]) -> Iterator[tuple[str, int, bytes]]:
    for lineno, raw in enumerate(stream, 1):
        if raw.strip():
            yield name, lineno, raw


def _run_jsonl(opts: Options, sources: list[Source], pool: OrderedPool, console: Console,
               stdout: _Stdout, explain: IO[str] | None) -> None:
    args = opts.args
    out_dir, in_place = _output_mode(args)
    seen: dict[str, str] = {}
    for source in sources:
        if source.error is not None:
            console.error(f"{source.name}: {source.error}")
            continue
        try:
            with contextlib.ExitStack() as stack:
                dest = None
                if opts.command != "detect" and out_dir:
                    dest = _destination(out_dir, source, seen)
                elif opts.command != "detect" and in_place:
                    dest = in_place_target(source.path or "")
                if source.path is None:
                    stream: IO[bytes] = sys.stdin.buffer
                else:
                    stream = stack.enter_context(open(source.path, "rb"))
                sink: Any = stdout
                if dest is not None:
                    sink = stack.enter_context(atomic_write(dest, "w", backup=args.backup if in_place else None))
                for result in pool.imap(_jsonl_items(source.name, stream)):
                    if result.error:
                        console.error(result.error)
                    if result.output is not None:
                        sink.write(result.output + "\n")
                    if explain is not None:
                        for line in result.explain:
                            explain.write(line + "\n")
                    console.step(result.name)
        except BrokenPipeError:
            raise  # the reader of stdout (or of the change log) went away: stop quietly
        except (UsageError, OSError) as exc:
            message = str(exc) if isinstance(exc, UsageError) else (exc.strerror or str(exc))
            console.error(f"{source.name}: {message}")


def _iter_fit_texts(opts: Options, sources: list[Source], repairer: Repairer,
                    console: Console) -> Iterator[str]:
    """The texts the boilerplate model learns from (after encoding repair, as the
    stripper will see them)."""
    fix = opts.stages[0]
    for source in sources:
        if source.error or source.path is None:
            continue
        try:
            if opts.args.jsonl:
                with open(source.path, "rb") as fh:
                    for _, lineno, raw in _jsonl_items(source.name, fh):
                        line = parse_jsonl_line(raw, lineno)
                        value = line.record.get(opts.args.field) if line.error is None else None
                        if isinstance(value, str):
                            yield repairer.fix_encoding(value) if fix else value
            else:
                with open(source.path, "rb") as fh:
                    text = decode(fh.read(), source.name).text
                yield repairer.fix_encoding(text) if fix else text
        except (OSError, DecodeError):
            continue  # reported in the main pass


def _fit_boilerplate(opts: Options, sources: list[Source], console: Console,
                     stack: contextlib.ExitStack, model_out: IO[str] | None) -> Config:
    """Learn the boilerplate model from every input; return the config that uses it. The
    model is saved in a temporary directory (the workers load it from there) and copied
    to ``model_out`` (``--save-boilerplate-model``, opened by the caller)."""
    repairer = Repairer(opts.config)
    try:
        model = BoilerplateModel.fit(_iter_fit_texts(opts, sources, repairer, console))
    except FitError as exc:
        raise UsageError(f"--fit-boilerplate learns from many pages of one site: {exc}") from None
    save = getattr(model, "save", None)
    if save is None:
        raise UsageError("this build's boilerplate stage cannot save a learned model")
    tmpdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="newsrepair-"))
    path = os.path.join(tmpdir, "boilerplate-model.json")
    save(path)
    if model_out is not None:
        with open(path, encoding="utf-8") as fh:
            model_out.write(fh.read())
    return opts.config.replace(boilerplate_model=path)


# Side outputs: files the run writes besides the documents' outputs.
_SIDE_OPTIONS = (("--explain", "explain"), ("--save-boilerplate-model", "save_boilerplate_model"))


def _side_outputs(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(option, path) of each side output given."""
    return [(option, getattr(args, dest)) for option, dest in _SIDE_OPTIONS if getattr(args, dest, None)]


def _stdout_holds_output(opts: Options) -> bool:
    out_dir, in_place = _output_mode(opts.args)
    return opts.command == "detect" or not (out_dir or in_place)


def _file_identity(path: str) -> tuple[Any, ...] | None:
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
    (standard output included), the other side output, or a directory.

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
            take(_file_identity(source.path), f"the input {source.name} (it would be overwritten)")
            if out_dir:
                rel = os.path.normpath(source.rel or os.path.basename(source.name))
                planned = os.path.realpath(os.path.join(os.path.realpath(out_dir), rel))
                take(_file_identity(planned), f"the output written for {source.name} "
                                              f"(one would replace the other)")
    for option, files in (("--spinner-dict", getattr(args, "spinner_dict", None) or []),
                          ("--boilerplate-model", [getattr(args, "boilerplate_model", None)])):
        for path in files:
            if path:
                take(_file_identity(path), f"the {option} file (it would be overwritten)")
    devnull = _file_identity(os.devnull)
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
            identity = _file_identity(path)
        if identity is None or identity == devnull:
            continue  # writing /dev/null twice destroys nothing
        if identity in taken:
            raise UsageError(f"{label} is {taken[identity]}; give another file name")
        taken[identity] = f"also given to {option} (one would replace the other)"


def _open_side_output(stack: contextlib.ExitStack, option: str, path: str,
                      stdout: "_Stdout") -> Any:
    """Open a side output checked by :func:`check_outputs`: ``-`` is standard output;
    a file is written as :func:`~newsrepair.io.open_output` says (through links, straight
    into pipes and devices, atomically otherwise), its directory created if need be."""
    if path == "-":
        return stdout
    try:
        target, direct = resolve_output(path)
        if not direct:
            os.makedirs(os.path.dirname(target), exist_ok=True)
        return stack.enter_context(open_output(path, "w"))
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write: {exc.strerror or exc}") from None


def _install_sigterm() -> Any:
    def handler(signum: int, frame: Any) -> None:
        raise Terminated()
    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        return None


def run(opts: Options) -> int:
    """Process every input as ``opts`` says; returns the exit status."""
    args = opts.args
    pattern = args.glob or ("*.jsonl" if args.jsonl else "*.txt")
    sources = collect_sources(args.paths, pattern)
    check_outputs(opts, sources)
    if not sources:
        sys.stderr.write(f"{PROG}: warning: no input files matched {pattern!r}\n")
    several = len(sources) > 1 or args.jsonl
    console = Console(args.quiet, None if args.jsonl else len(sources), several)
    stdout = _Stdout()
    with contextlib.ExitStack() as stack:
        # Side outputs are opened first, so that a path that cannot be written stops the
        # run before any work.
        explain = None
        if getattr(args, "explain", None):
            explain = _open_side_output(stack, "--explain", args.explain, stdout)
        model_stack = stack.enter_context(contextlib.ExitStack())
        model_out = None
        if getattr(args, "save_boilerplate_model", None):
            model_out = _open_side_output(model_stack, "--save-boilerplate-model",
                                          args.save_boilerplate_model, stdout)
        config = opts.config
        if getattr(args, "fit_boilerplate", False):
            config = _fit_boilerplate(opts, sources, console, stack, model_out)
        model_stack.close()  # the saved model is complete
        repairer = Repairer(config)
        # Malformed data files are usage errors: find them now, not once per document.
        if config.spinner_dictionaries and any(opts.stages[2:]) or opts.command == "detect" and config.spinner_dictionaries:
            repairer.spin_model  # noqa: B018 - loads and validates
        if config.boilerplate_model and opts.stages[1]:
            repairer.boilerplate_model  # noqa: B018
        task = Task(opts.command, opts.stages, explain=bool(getattr(args, "explain", None)),
                    field=args.field, summary_field=getattr(args, "summary_field", "newsrepair"),
                    json_report=getattr(args, "json", False))
        jobs = args.jobs or available_cpus()
        if not args.jsonl and len(sources) < 2:
            jobs = 1  # one document: no worker processes to start
        if args.jsonl:
            pool: OrderedPool = stack.enter_context(OrderedPool(
                process_jsonl_line, (repairer, task), jobs, batch_items=256, batch_weight=1 << 20,
                weight=lambda item: len(item[2])))
            _run_jsonl(opts, sources, pool, console, stdout, explain)
        else:
            pool = stack.enter_context(OrderedPool(
                process_document, (repairer, task), jobs, batch_items=16, batch_weight=1 << 20,
                weight=lambda item: len(item[1] or b"")))
            _run_text(opts, sources, pool, console, stdout, explain)
        console.finish()
    sys.stdout.flush()
    return EXIT_FAILED if console.failed else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsrepair`` command; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    previous = _install_sigterm()
    try:
        opts = parse_args(argv)
        return run(opts)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (EXIT_USAGE if exc.code else EXIT_OK)
    except UsageError as exc:
        sys.stderr.write(f"{PROG}: error: {_one_line(str(exc))}\n"
                         f"Try '{PROG} --help' for more information.\n")
        return EXIT_USAGE
    except (DataFileError, ConfigError) as exc:
        sys.stderr.write(f"{PROG}: error: {_one_line(str(exc))}\n")
        return EXIT_USAGE
    except WorkerError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}; stopped (finished outputs are complete)\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{PROG}: interrupted; finished outputs are complete, unfinished ones were not written\n")
        return EXIT_SIGINT
    except Terminated:
        sys.stderr.write(f"{PROG}: terminated; finished outputs are complete, unfinished ones were not written\n")
        return EXIT_SIGTERM
    except BrokenPipeError:
        # The reader went away (e.g. `newsrepair big.txt | head`): stop quietly.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    except OSError as exc:
        message = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
        sys.stderr.write(f"{PROG}: error: {_one_line(message)}\n")
        return EXIT_FAILED
    except NewsrepairError as exc:
        sys.stderr.write(f"{PROG}: error: {_one_line(str(exc))}\n")
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        if os.environ.get("NEWSREPAIR_DEBUG"):
            raise
        sys.stderr.write(f"{PROG}: error: internal error ({type(exc).__name__}: {_one_line(str(exc))}); "
                         f"set NEWSREPAIR_DEBUG=1 for a traceback\n")
        return EXIT_FAILED
    finally:
        if previous is not None:
            with contextlib.suppress(ValueError):
                signal.signal(signal.SIGTERM, previous)
