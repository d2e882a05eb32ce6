"""The command line: the parser of each command, splitting off the command name,
checking option combinations, and reading the options back as a
:class:`~newsrepair.Config`.

:func:`add_stage_options`, :func:`add_config_options` and :func:`config_from_args` (with
the argparse types :func:`float01` and :func:`whole_number`) are shared with the Spark
job (:mod:`newsrepair.spark_job`).
"""

from __future__ import annotations

import argparse
import difflib
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, NoReturn, Sequence

from .. import __version__
from ..changes import STAGES
from ..config import Config
from ..errors import ConfigError
from ..spin.detect import DEFAULT_THRESHOLD


PROG = "newsrepair"
COMMANDS = {
    "repair": "run every stage: encoding repair, boilerplate stripping, spin reversal (default)",
    "fix": "encoding repair only (mojibake, HTML entities, control characters, whitespace)",
    "strip": "boilerplate stripping only (menus, share lines, related-article lists)",
    "unspin": "spin reversal only (restore words changed by a synonym spinner)",
    "detect": "print a spin report per document: NAME<TAB>SCORE<TAB>VERDICT (or --json); "
              "NAME<TAB>-<TAB>error for one that failed",
}
#: Commands that are not filters over documents, with options of their own.
OTHER_COMMANDS = {
    "learn": "learn a spinner's swaps from aligned spun/original articles, for --spinner-dict",
}
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_SIGINT, EXIT_SIGTERM = 0, 1, 2, 130, 143


class UsageError(Exception):
    """A bad command line (exit status 2)."""


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
  newsrepair learn pairs.jsonl -o farm.tsv    learn a spinner from aligned spun/original articles
  newsrepair --spinner-dict farm.tsv -o clean/ corpus/   ... and repair its other articles

exit status: 0 all inputs processed, 1 some inputs failed (the others were still
written) or none matched, 2 usage error, 130/143 interrupted (finished outputs are
complete; no partial file is left under a final name)."""


def float01(text: str) -> float:
    """argparse type: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return value


def whole_number(minimum: int, meaning: str = "", maximum: int | None = None) -> Callable[[str], int]:
    """argparse type: a whole number of at least ``minimum`` (``meaning`` explains it)
    and at most ``maximum``."""
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum}{meaning} or more")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum}")
        return value
    return convert


#: The most worker processes ``-j`` starts.
MAX_JOBS = 1024


def add_stage_options(parser: argparse.ArgumentParser) -> None:
    """``--no-encoding``, ``--no-boilerplate``, ``--no-spin`` (also used by the Spark job)."""
    stages = parser.add_argument_group("stages")
    stages.add_argument("--no-encoding", action="store_true", help="skip encoding repair")
    stages.add_argument("--no-boilerplate", action="store_true", help="skip boilerplate stripping")
    stages.add_argument("--no-spin", action="store_true", help="skip spin detection and reversal")


def add_config_options(parser: argparse.ArgumentParser, stages: Sequence[str] = STAGES,
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
                        help="a spinner dictionary (original|sub|sub per line, or a lexicon of "
                             "spun<TAB>original<TAB>weight lines as 'newsrepair learn' writes) to use on "
                             "top of the shipped lexicons; repeatable")
        sp.add_argument("--domain", action="append", default=[], choices=("news", "science"),
                        help='lexicon domains to load besides "news"; repeatable')
        sp.add_argument("--threshold", type=float01, metavar="X",
                        help="document spin score at or above which text counts as spun "
                             f"(default {DEFAULT_THRESHOLD})")
        if edits:
            sp.add_argument("--min-confidence", type=float01, metavar="X",
                            help="make an edit only when its confidence is at least X "
                                 f"(default {Config().min_edit_confidence})")
            sp.add_argument("--unspin-clean", action="store_true",
                            help="also edit documents that detection judges clean")
    return groups


class Parser(argparse.ArgumentParser):
    """argparse with a short usage error: one line, the closest option to one it does
    not know, and a pointer to --help. Options are never abbreviated: ``--in`` is no
    ``--in-place`` and ``--json`` no ``--jsonl`` (an abbreviation that silently rewrote
    the input, or read text as JSON Lines)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> "NoReturn":  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}{self._hint(message)}\n"
                              f"Try '{self.prog} --help' for more information.\n")

    def _hint(self, message: str) -> str:
        """"; did you mean --threshold?" for the first unknown option in ``message``."""
        if not message.startswith("unrecognized arguments: "):
            return ""
        known = [o for o in self._option_string_actions if o.startswith("--")]
        for word in message.split(": ", 1)[1].split():
            close = difflib.get_close_matches(word.split("=", 1)[0], known, n=1, cutoff=0.7)
            if word.startswith("--") and close:
                return f"; did you mean {close[0]}?"
        return ""


def build_parser(command: str = "repair") -> argparse.ArgumentParser:
    """The argument parser of one command (``repair``, ``fix``, ``strip``, ``unspin``,
    ``detect``)."""
    commands = "\n".join(f"  {name:<8} {desc}" for name, desc in {**COMMANDS, **OTHER_COMMANDS}.items())
    prog = PROG if command == "repair" else f"{PROG} {command}"
    usage = f"{PROG} [COMMAND] [OPTIONS] [PATH ...]" if command == "repair" else f"{prog} [OPTIONS] [PATH ...]"
    parser = Parser(
        prog=prog, usage=usage, description=_DESCRIPTION if command == "repair" else COMMANDS[command],
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
    io_.add_argument("--field", metavar="NAME",
                     help='with --jsonl, the field holding the text (default "text")')
    if command != "detect":
        io_.add_argument("--summary-field", metavar="NAME",
                         help='with --jsonl, the field added to each record with the spin score, '
                              'change counts per stage, or the error (default "newsrepair")')
        io_.add_argument("--explain", metavar="FILE",
                         help="write every change as JSON Lines to FILE (document name, start, end, "
                              "before, after, stage, reason, confidence)")
    else:
        io_.add_argument("--json", action="store_true",
                         help="print one JSON object per document (document, score, is_spun, "
                              "threshold, words, confidence, suspects; or document and error) "
                              "instead of tab-separated lines")
    io_.add_argument("-j", "--jobs", type=whole_number(0, " (all CPUs)", MAX_JOBS), default=0, metavar="N",
                     help="worker processes (default 0: all CPUs; 1: no worker processes); "
                          "output order always follows input order")
    io_.add_argument("-q", "--quiet", action="store_true",
                     help="no warnings and no progress bar (errors are still reported)")

    if command == "repair":
        add_stage_options(parser)
    stages = {"repair": STAGES, "fix": ("encoding",),
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
    """Whether ``option`` takes a value (options are never abbreviated, see
    :class:`Parser`; an unknown one is refused by the parser)."""
    return _options_taking_values().get(option, False)


def _first_word(argv: Sequence[str]) -> int | None:
    """The index of the first argument that is neither an option nor an option's value;
    ``None`` when there is none before ``--`` (after it every argument is a path)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            return None
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
            return i
        i += 1
    return None


def split_command(argv: Sequence[str]) -> tuple[str, list[str]]:
    """The command and the other arguments. The command is the first argument that is
    neither an option nor an option's value, when it is a command name, so options may
    come before it (``newsrepair -q fix a.txt``); otherwise it is ``repair``. After
    ``--`` every argument is a path."""
    argv = list(argv)
    i = _first_word(argv)
    if i is not None and (argv[i] in COMMANDS or argv[i] in OTHER_COMMANDS):
        return argv[i], argv[:i] + argv[i + 1:]
    return "repair", argv


def mistyped_command(argv: Sequence[str]) -> str | None:
    """The usage error for a command line whose first word (see :func:`split_command`)
    looks like a mistyped command name, or ``None``. A word looks so when it is close to
    a command name (:func:`difflib.get_close_matches`), has no path separator or dot, and
    is not an existing path: ``newsrepair unspn a.txt`` is refused, instead of reporting
    a missing file "unspn" and repairing a.txt with every stage."""
    i = _first_word(argv)
    if i is None:
        return None
    word = argv[i]
    if any(sep and sep in word for sep in (os.sep, os.altsep, ".")) or os.path.lexists(word):
        return None
    if word == "help":
        return "unknown command 'help' (use --help, or COMMAND --help)"
    if word in COMMANDS or word in OTHER_COMMANDS:  # "newsrepair repair repair"
        return f"a second command {word!r}: give one (a file of that name: ./{word})"
    close = difflib.get_close_matches(word, [*COMMANDS, *OTHER_COMMANDS], n=1)
    if not close:
        return None
    return f"unknown command {word!r} (did you mean {close[0]!r}?)"


def parse_args(argv: Sequence[str]) -> Options:
    """Parse ``argv`` (without the program name). Raises :class:`SystemExit` (status 2)
    for bad usage, through argparse."""
    command, argv = split_command(argv)
    parser = build_parser(command)
    typo = mistyped_command(argv) if command == "repair" else None
    if typo:
        parser.error(typo)
    args = parser.parse_args(argv)
    try:
        _check_jsonl_options(args)
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


#: The options of JSON Lines records: (option, attribute, default).
_JSONL_OPTIONS = (("--field", "field", "text"), ("--summary-field", "summary_field", "newsrepair"))


def _check_jsonl_options(args: argparse.Namespace) -> None:
    """Refuse an option of JSON Lines records without ``--jsonl`` (it would be ignored:
    each input is then one text document), and fill in the defaults of those not given."""
    for option, dest, default in _JSONL_OPTIONS:
        if not hasattr(args, dest):  # detect has no --summary-field
            continue
        if getattr(args, dest) is None:
            setattr(args, dest, default)
        elif not args.jsonl:
            raise UsageError(f"{option} needs --jsonl (without it each input is one text document, "
                             "not records with fields)")


#: Options whose value names a file, a directory or a field: an empty value (an unset
#: shell variable, ``-o "$OUTDIR"``) is refused rather than read as "not given".
_NON_EMPTY = (("-o/--output-dir", "output_dir"), ("--explain", "explain"),
              ("--save-boilerplate-model", "save_boilerplate_model"), ("--boilerplate-model", "boilerplate_model"),
              ("--field", "field"), ("--summary-field", "summary_field"))


def _check_combinations(command: str, args: argparse.Namespace) -> None:
    for option, dest in _NON_EMPTY:
        if getattr(args, dest, None) == "":
            raise UsageError(f"{option} needs a value, not an empty string")
    if "" in (getattr(args, "spinner_dict", None) or []):
        raise UsageError("--spinner-dict needs a file name, not an empty string")
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
        if args.jsonl and args.summary_field == args.field:
            raise UsageError(f"--summary-field and --field are both {args.field!r}: the summary would "
                             "replace the repaired text")
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
                what = ("a directory" if os.path.isdir(path) else "not a regular file" if os.path.exists(path)
                        else "no such file")
                raise UsageError(f"{option} {path}: {what}")
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
