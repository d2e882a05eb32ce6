"""The main pass: inputs fed to the worker pool, and the results written in input order
(to stdout, under ``-o DIR`` or in place, and to the change log), for plain text
(:func:`_run_text`) and JSON Lines (:func:`_run_jsonl`)."""

from __future__ import annotations

import contextlib
from typing import IO, Any, Iterator

from ..io import atomic_write
from ..parallel import FLUSH, OrderedPool, signals_held
from .args import Options, UsageError
from .console import Console
from .outputs import SideOutput, _destination, _output_mode, _Stdout, in_place_target
from .sources import Source, _jsonl_items, _read, stdin_bytes
from .worker import detect_error_line


def _run_text(opts: Options, sources: list[Source], pool: OrderedPool, console: Console,
              stdout: _Stdout, explain: SideOutput | None) -> None:
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
                    dest = in_place_target(source.path or "", seen)
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
            if opts.command == "detect":
                stdout.write(result.output + "\n")
            elif out_dir or in_place:
                _write_file(result, in_place, args.backup if in_place else None, console, explain)
            else:
                if not first:
                    stdout.separate()
                stdout.write(result.output)
                first = False
                if explain is not None:
                    _log(explain, result.explain)
        console.step(result.name)


def _write_file(result: Any, in_place: bool, backup: str | None, console: Console,
                explain: SideOutput | None) -> None:
    """Put ``result``'s output file in place (under ``-o``, or over its input, which is
    not rewritten when the repair left it unchanged) and keep its changes in the change
    log: both or neither. In a change log that can be cut back (a file), its lines are
    written first, and the rename and the mark that keeps them are held together
    (:func:`..parallel.signals_held`: a signal does not split them). Other logs (a pipe,
    whose reader may keep a write waiting) get them after the rename, as standard output
    gets its records."""
    first = explain is not None and explain.cuttable
    if first:
        _log(explain, result.explain, written=False)
    with signals_held():
        if not (in_place and result.unchanged):
            try:
                with atomic_write(result.dest, "w", backup=backup) as fh:
                    fh.write(result.output)
            except OSError as exc:
                console.error(f"{result.name if in_place else result.dest}: cannot write: {exc.strerror or exc}")
                if first:  # the output was not written: neither are its changes
                    explain.rollback()
                return
        if first:
            explain.mark()
    if explain is not None and not first:
        _log(explain, result.explain)


def _log(explain: SideOutput, lines: list[str], written: bool = True) -> None:
    """Write the change log lines of one output. When the output is ``written`` (not a
    record of a JSON Lines file still being written), they stay even if the run is
    interrupted later (:meth:`.outputs.SideOutput.mark`)."""
    for line in lines:
        explain.write(line + "\n")
    if written:
        explain.mark()


def _run_jsonl(opts: Options, sources: list[Source], pool: OrderedPool, console: Console,
               stdout: _Stdout, explain: SideOutput | None) -> None:
    args = opts.args
    out_dir, in_place = _output_mode(args)
    seen: dict[str, str] = {}
    def failed(source: Source, message: str) -> None:
        console.error(f"{source.name}: {message}")
        if opts.command == "detect":  # one line per input, a file it cannot read too
            stdout.write(detect_error_line(source.name, message, getattr(args, "json", False)) + "\n")

    for source in sources:
        if source.error is not None:
            failed(source, source.error)
            continue
        try:
            with contextlib.ExitStack() as stack:
                dest = None
                if opts.command != "detect" and out_dir:
                    dest = _destination(out_dir, source, seen)
                elif opts.command != "detect" and in_place:
                    dest = in_place_target(source.path or "", seen)
                if source.path is None:
                    stream: IO[bytes] = stdin_bytes()
                else:
                    stream = stack.enter_context(open(source.path, "rb"))
                sink: Any = stdout
                if dest is not None:
                    sink = stack.enter_context(atomic_write(dest, "w", backup=args.backup if in_place else None))
                for result in pool.imap(_jsonl_items(source.name, stream)):
                    if result is FLUSH:  # the input waits for its writer: so does the output's reader
                        if sink is stdout:
                            stdout.flush()
                        continue
                    if result.warning:
                        console.warning(result.warning)
                    if result.error:
                        console.error(result.error)
                    if result.output is not None:
                        sink.write(result.output + "\n")
                    if explain is not None:  # a record on stdout is written as it goes
                        _log(explain, result.explain, written=dest is None)
                    console.step(result.name)
                with signals_held():  # the output file put in place, and its changes kept: both or neither
                    stack.close()
                    if explain is not None:
                        explain.mark()
        except BrokenPipeError:
            raise  # the reader of stdout (or of the change log) went away: stop quietly
        except (UsageError, OSError) as exc:
            if explain is not None:  # its output file was not written: neither are its changes
                explain.rollback()
            failed(source, str(exc) if isinstance(exc, UsageError) else (exc.strerror or str(exc)))
