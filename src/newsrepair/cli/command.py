"""The command itself: :func:`run` wires one parsed command line together (inputs,
output checks, side outputs, boilerplate fitting, the worker pool, the main pass), and
:func:`main` turns every outcome into a message and an exit status."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import warnings
from typing import Any, Callable, NoReturn, Sequence

from ..api import Repairer
from ..errors import ConfigError, DataFileError, DataFileWarning, NewsrepairError
from ..parallel import TERMINATING_SIGNALS, OrderedPool, WorkerError, available_cpus, forks_workers
from .args import (EXIT_FAILED, EXIT_OK, EXIT_SIGINT, EXIT_SIGTERM, EXIT_USAGE, PROG, Options, UsageError,
                   parse_args, split_command)
from . import learning
from .console import Console, one_line
from .fitting import _fit_boilerplate
from .outputs import SideOutput, _open_side_output, _Stdout, _stdout_holds_output, check_outputs, discard_stdout
from .pipeline import _run_jsonl, _run_text
from .sources import Source, collect_sources, nothing_matched
from .worker import Task, process_document, process_jsonl_line, warm_up


class Terminated(BaseException):
    """Raised in the parent process by SIGTERM or SIGHUP (the terminal went away), so
    that clean-up code runs: the workers are stopped, temporary files removed."""

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__(signum)
        self.signum = signum


def _install_sigterm() -> dict[int, Any] | None:
    """Install the handler of :data:`..parallel.TERMINATING_SIGNALS`; the handlers it
    replaced, or ``None`` outside the main thread."""
    def handler(signum: int, frame: Any) -> None:
        raise Terminated(signum)
    try:
        return {signum: signal.signal(signum, handler) for signum in TERMINATING_SIGNALS}
    except ValueError:  # not the main thread
        return None


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed or replaced standard input
        return False


def _warn_of_json_lines(sources: list[Source], field: str, console: Console) -> None:
    """Warn when files named like JSON Lines are read without ``--jsonl``: they are
    repaired as plain text, JSON syntax and all, which is rarely what was meant."""
    named = [s.name for s in sources if s.named_like_jsonl]
    if named:
        more = f" (and {len(named) - 1} more)" if len(named) > 1 else ""
        console.warning(f"{named[0]}{more} looks like JSON Lines but is repaired as plain text; "
                        f"pass --jsonl to repair the {field!r} field of each record")


def run(opts: Options) -> int:
    """Process every input as ``opts`` says; returns the exit status."""
    args = opts.args
    pattern = args.glob or ("*.jsonl" if args.jsonl else "*.txt")
    out_dir = getattr(args, "output_dir", None)
    sources = collect_sources(args.paths, pattern, skip_dirs=[out_dir] if out_dir else [])
    if sys.stdin is None and any(source.path is None for source in sources):
        raise UsageError("standard input is closed; give files or directories as arguments")
    if sys.stdout is None:  # started with stdout closed (">&-")
        if _stdout_holds_output(opts) or "-" in (getattr(args, "explain", None),
                                                 getattr(args, "save_boilerplate_model", None)):
            raise UsageError("standard output is closed; write with -o DIR or --in-place, or redirect it")
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - nothing is written there
    check_outputs(opts, sources)
    if not sources:  # only directories were named, and nothing in them matched: a failure
        sys.stderr.write(f"{PROG}: error: {nothing_matched(pattern, args.paths)}\n")
        return EXIT_FAILED
    several = len(sources) > 1 or args.jsonl
    console = Console(args.quiet, None if args.jsonl else len(sources), several)
    if not args.jsonl:
        _warn_of_json_lines(sources, args.field, console)
    if any(source.path is None for source in sources) and _is_terminal(sys.stdin):
        # a command typed without a file waits for the keyboard: say so
        console.note("reading standard input (end it with Ctrl-D; or give files or directories "
                     "as arguments, see --help)")
    stdout = _Stdout()
    with contextlib.ExitStack() as stack:
        # Side outputs are opened first, so that a path that cannot be written stops the
        # run before any work.
        explain = None
        if getattr(args, "explain", None):
            # an interrupted run keeps the log of the outputs it wrote (see _run_logged)
            explain = _open_side_output(stack, "--explain", args.explain, stdout,
                                        keep_on=(KeyboardInterrupt, Terminated))
        model_stack = stack.enter_context(contextlib.ExitStack())
        model_out = None
        if getattr(args, "save_boilerplate_model", None):
            model_out = _open_side_output(model_stack, "--save-boilerplate-model",
                                          args.save_boilerplate_model, stdout)
        config = opts.config
        if getattr(args, "fit_boilerplate", False):
            config = _fit_boilerplate(opts, sources, stack, model_out)
        model_stack.close()  # the saved model is complete
        repairer = Repairer(config)
        # Malformed data files are usage errors: find them now, not once per document.
        with warnings.catch_warnings(record=True) as caught:  # said once, as the command's warnings
            warnings.simplefilter("always", DataFileWarning)
            repairer.check_data_files(boilerplate=opts.stages[1], spin=opts.stages[2] or opts.command == "detect")
        for warning in caught:
            if issubclass(warning.category, DataFileWarning):
                console.warning(str(warning.message))
            else:
                warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        task = Task(opts.command, opts.stages, explain=bool(getattr(args, "explain", None)),
                    field=args.field, summary_field=getattr(args, "summary_field", "newsrepair"),
                    json_report=getattr(args, "json", False))
        jobs = args.jobs or available_cpus()
        if not args.jsonl and len(sources) < 2:
            jobs = 1  # one document: no worker processes to start
        if jobs > 1 and forks_workers():
            # Load the data once, here: the forked workers share its memory. gc.freeze()
            # keeps the collector from touching (and so copying) the loaded objects.
            warm_up(repairer, task)
            if gc.get_freeze_count() == 0:  # unfreezing would also release what a host froze
                gc.freeze()
                stack.callback(gc.unfreeze)  # main() may run inside a longer-lived process
        if args.jsonl:
            pool: OrderedPool = stack.enter_context(OrderedPool(
                process_jsonl_line, (repairer, task), jobs, batch_items=256, batch_weight=1 << 20,
                weight=lambda item: len(item[2])))
            _run_logged(_run_jsonl, opts, sources, pool, console, stdout, explain)
        else:
            pool = stack.enter_context(OrderedPool(
                process_document, (repairer, task), jobs, batch_items=16, batch_weight=1 << 20,
                weight=lambda item: len(item[1] or b"")))
            _run_logged(_run_text, opts, sources, pool, console, stdout, explain)
        console.finish()
    sys.stdout.flush()
    return EXIT_FAILED if console.failed else EXIT_OK


def _run_logged(main_pass: Callable[..., None], opts: Options, sources: list[Source], pool: OrderedPool,
                console: Console, stdout: _Stdout, explain: SideOutput | None) -> None:
    """Run ``main_pass`` (:func:`.pipeline._run_text` or ``_run_jsonl``). When the run is
    interrupted, the change log is cut back to the outputs written (the pass marks it
    after each), and then kept (``--explain`` is opened with ``keep_on``)."""
    try:
        main_pass(opts, sources, pool, console, stdout, explain)
    except (KeyboardInterrupt, Terminated):
        if explain is not None:
            explain.rollback()
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsrepair`` command; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if sys.stderr is None:  # started with stderr closed (2>&-): its messages are lost, not the run
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole process
    previous = _install_sigterm()
    stdout_closed = sys.stdout is None  # run() puts the null device there meanwhile
    try:
        return _flush_stdout(_main(argv))
    finally:
        if previous is not None:
            with contextlib.suppress(ValueError):
                for signum, handler in previous.items():
                    signal.signal(signum, handler)
        if stdout_closed and sys.stdout is not None:
            sys.stdout.close()
            sys.stdout = None  # as the caller had it


def console_main() -> NoReturn:
    """The ``newsrepair`` command and ``python -m newsrepair``: :func:`main`, then exit.

    After SIGTERM or Ctrl-C the process ends at once (``os._exit``) once its streams are
    flushed: every output is complete or discarded by then, while Python's own exit
    waits for the process pool's manager thread, which CPython 3.11 can leave stuck when
    its workers were killed (a run stopped by SIGTERM once hung there for a minute after
    saying "terminated"). :func:`main` itself returns, for callers in Python."""
    status = main()
    if status in (EXIT_SIGTERM, EXIT_SIGINT):
        # main() has flushed standard output (_flush_stdout); the message is on stderr
        with contextlib.suppress(Exception):
            if sys.stderr is not None:
                sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


def _main(argv: list[str]) -> int:
    """Run the command line ``argv``; every outcome becomes a message and an exit status."""
    try:
        command, rest = split_command(argv)
        if command == "learn":  # not a filter: the learner has a command line of its own
            return learning.main(rest, prog=f"{PROG} learn")
        opts = parse_args(argv)
        return run(opts)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (EXIT_USAGE if exc.code else EXIT_OK)
    except UsageError as exc:
        sys.stderr.write(f"{PROG}: error: {one_line(str(exc))}\n"
                         f"Try '{PROG} --help' for more information.\n")
        return EXIT_USAGE
    except (DataFileError, ConfigError) as exc:
        sys.stderr.write(f"{PROG}: error: {one_line(str(exc))}\n")
        return EXIT_USAGE
    except WorkerError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}; stopped (finished outputs are complete)\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{PROG}: interrupted; finished outputs are complete, unfinished ones were not written\n")
        return EXIT_SIGINT
    except Terminated as exc:
        what = "hung up" if exc.signum != signal.SIGTERM else "terminated"
        sys.stderr.write(f"{PROG}: {what}; finished outputs are complete, unfinished ones were not written\n")
        return 128 + int(exc.signum)
    except BrokenPipeError:
        # The reader went away (e.g. `newsrepair big.txt | head`): stop quietly.
        discard_stdout()
        return EXIT_FAILED
    except OSError as exc:
        message = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
        sys.stderr.write(f"{PROG}: error: {one_line(message)}\n")
        return EXIT_FAILED
    except NewsrepairError as exc:
        sys.stderr.write(f"{PROG}: error: {one_line(str(exc))}\n")
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        if os.environ.get("NEWSREPAIR_DEBUG"):
            raise
        sys.stderr.write(f"{PROG}: error: internal error ({type(exc).__name__}: {one_line(str(exc))}); "
                         f"set NEWSREPAIR_DEBUG=1 for a traceback\n")
        return EXIT_FAILED


def _flush_stdout(status: int) -> int:
    """Flush standard output and return the exit status: ``status``, or 1 (when it was 0)
    if what was left could not be written. A reader that went away stops the command
    quietly; another failure (a full disk) is reported. Either way nothing is left for
    Python to flush at exit, which would print "Exception ignored ..." and exit 120."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()
        return status or EXIT_FAILED
    except OSError as exc:
        sys.stderr.write(f"{PROG}: error: cannot write standard output: {exc.strerror or exc}\n")
        discard_stdout()
        return status or EXIT_FAILED
    return status

