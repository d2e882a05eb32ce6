"""The worker side: what runs in the worker processes (or in the parent with
``--jobs 1``). :func:`process_document` decodes and repairs one document,
:func:`process_jsonl_line` one JSON Lines record; each returns a :class:`Result` for the
parent to write. Everything here is picklable by module path (:mod:`newsrepair.parallel`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..api import Repairer
from ..errors import DecodeError, NewsrepairError
from ..io import decode, dump_record, parse_jsonl_line


@dataclass(frozen=True)
class Task:
    """What the workers need to know besides the :class:`Repairer` (picklable)."""

    command: str
    stages: tuple[bool, bool, bool]
    explain: bool = False
    field: str = "text"
    summary_field: str = "newsrepair"
    json_report: bool = False


@dataclass(slots=True)
class Result:
    """What a worker sends back for one document or one JSONL line."""

    name: str
    output: str | None = None       # repaired text, JSONL line, or detect line
    error: str | None = None        # one-line message, already naming the document
    warning: str | None = None
    explain: list[str] = field(default_factory=list)
    unchanged: bool = False         # output == input and the input was UTF-8
    dest: Any = None                # the parent's bookkeeping, passed through

    def __reduce__(self) -> tuple[type["Result"], tuple[Any, ...]]:
        # pickled as its fields: a third of the time of the default (a dict of state),
        # and the parent unpickles one Result per record
        return (Result, (self.name, self.output, self.error, self.warning, self.explain, self.unchanged,
                         self.dest))


def _detect_line(name: str, report: Any, as_json: bool) -> str:
    if as_json:
        return dump_record({"document": name, **report.to_dict()})
    return f"{_tsv_name(name)}\t{report.score:.4f}\t{'spun' if report.is_spun else 'clean'}"


def _tsv_name(name: str) -> str:
    """A document name as one field of a tab-separated line: a name with a tab, newline
    or carriage return has them written ``\t``, ``\n``, ``\r`` (and its backslashes
    ``\\``, so that it reads back); any other name is written as it is."""
    if not any(c in name for c in "\t\n\r"):
        return name
    return name.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def detect_error_line(name: str, problem: str, as_json: bool) -> str:
    """``detect``'s line for a document it could not read or score, so that the output
    keeps one line per input: ``NAME<TAB>-<TAB>error``, or ``{"document", "error"}``."""
    if as_json:
        return dump_record({"document": name, "error": problem})
    return f"{_tsv_name(name)}\t-\terror"


def _failed(task: Task, name: str, problem: str, message: str, **fields: Any) -> Result:
    """The result of a document that failed: ``detect`` still writes its line."""
    output = detect_error_line(name, problem, task.json_report) if task.command == "detect" else None
    return Result(name, output, error=message, **fields)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, NewsrepairError):
        return str(exc)
    return f"internal error ({type(exc).__name__}: {exc})"


#: A short text that makes every stage load what it loads lazily (rules, lexicons, the
#: language model, word frequencies: "Zorblatt" is a word outside its vocabulary).
_WARM_UP_TEXT = ("The minister’s plan was announced on Monday.\n\nHome | News\n"
                 "The navy mentioned Zorblatt, and folks have been pressured from their houses.")


def warm_up(repairer: Repairer, task: Task) -> None:
    """Load, in this process, the data the task's stages need: done by the parent before
    it forks the workers, which then share it (copy-on-write) instead of each loading its
    own."""
    _run_stages(repairer, task, _WARM_UP_TEXT, "warm-up", counts=True)


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
        return _failed(task, name, str(read_error), f"{name}: {read_error}", dest=dest)
    try:
        decoded = decode(data, name)
    except DecodeError as exc:  # "NAME: binary data (...)"
        return _failed(task, name, str(exc).removeprefix(f"{name}: "), str(exc), dest=dest)
    warning = f"{name}: {decoded.warning}" if decoded.warning else None
    try:
        out, _, explain = _run_stages(repairer, task, decoded.text, name)
    except Exception as exc:  # noqa: BLE001 - one document must not stop the run
        return _failed(task, name, _describe(exc), f"{name}: {_describe(exc)}", warning=warning, dest=dest)
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
    warning = f"{where}: {line.warning}" if line.warning else None
    if line.error is not None:
        message = f"{where}: {line.error}"
        if task.command == "detect":
            return _failed(task, where, line.error, message, warning=warning)
        return Result(where, dump_record({task.summary_field: {"error": line.error, "line": lineno,
                                                               "raw": line.text}}), error=message, warning=warning)
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
            return _failed(task, where, problem, f"{where}: {problem}", warning=warning)
        earlier = record.get(task.summary_field)
        if isinstance(earlier, dict) and "raw" in earlier:
            # a broken line as an earlier run wrote it: its raw text stays (a second
            # --in-place pass must not lose it)
            problem = f"{problem}: a line that an earlier run could not read (its 'raw')"
        else:
            record[task.summary_field] = {"error": problem}
        return Result(where, dump_record(record), error=f"{where}: {problem}", warning=warning)
    if task.command == "detect":
        return Result(where, out, warning=warning)
    record[task.field] = out
    summary: dict[str, Any] = {}
    if result.spin is not None:
        summary["spin_score"] = round(result.spin.score, 4)
        summary["is_spun"] = result.spin.is_spun
    summary["changes"] = result.counts()
    record[task.summary_field] = summary
    return Result(where, dump_record(record), warning=warning, explain=explain)
