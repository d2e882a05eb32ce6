"""The ``newsrepair`` command: a filter for files, directories, stdin and JSON Lines.

    newsrepair [COMMAND] [OPTIONS] [PATH ...]

COMMAND is ``repair`` (the default: every stage), ``fix`` (encoding only), ``strip``
(boilerplate only), ``unspin`` (spin reversal only) or ``detect`` (a spin report per
document). ``newsrepair learn`` is not a filter: it learns a spinner's swaps from its
articles and their originals (:mod:`.learning`).
Run ``newsrepair --help`` or ``newsrepair COMMAND --help`` for the options.

Work is split in two: the parent process reads inputs and writes outputs, in input order;
:func:`process_document` and :func:`process_jsonl_line` do the repairing, in worker
processes when ``--jobs`` is above 1 (see :mod:`newsrepair.parallel`). Exit status: 0 when
every input was processed, 1 when some failed (the others are still written), when none
matched, or when the reader of standard output went away, 2 for a usage error, 130/143
when interrupted by SIGINT/SIGTERM.

The modules of this package, each with one job:

- :mod:`.args`: the command line (parsers, command name, option checks, the Config);
- :mod:`.worker`: repairing one document or one JSON Lines record (worker side);
- :mod:`.sources`: the inputs and reading them;
- :mod:`.console`: warnings, errors and the progress bar on stderr;
- :mod:`.outputs`: where outputs go, side outputs, and the checks that keep them safe;
- :mod:`.fitting`: ``--fit-boilerplate``, the learning pass;
- :mod:`.pipeline`: the main pass through the worker pool, writing results in order;
- :mod:`.command`: :func:`run` and :func:`main`, the exit status;
- :mod:`.learning`: ``newsrepair learn``, learning a spinner's swaps as a lexicon.

Everything other code uses is importable from here (``newsrepair.cli:main`` is the
console script).
"""

from __future__ import annotations

from .args import (COMMANDS, EXIT_FAILED, EXIT_OK, EXIT_SIGINT, EXIT_SIGTERM, EXIT_USAGE, OTHER_COMMANDS, PROG,
                   Options, Parser, UsageError, add_config_options, add_stage_options, build_parser, config_from_args, float01,
                   parse_args, split_command, whole_number)
from .command import Terminated, console_main, main, run
from .console import Console, one_line
from .outputs import check_outputs, in_place_target, output_path
from .sources import Source, collect_sources
from .worker import Result, Task, process_document, process_jsonl_line

__all__ = [
    "main", "console_main", "run", "Parser", "build_parser", "parse_args", "split_command", "Options", "config_from_args",
    "add_stage_options", "add_config_options", "float01", "whole_number",
    "Task", "Result", "process_document", "process_jsonl_line",
    "Source", "collect_sources", "Console", "one_line", "output_path", "in_place_target", "check_outputs",
    "PROG", "COMMANDS", "OTHER_COMMANDS", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "EXIT_SIGINT", "EXIT_SIGTERM",
    "UsageError", "Terminated",
]
