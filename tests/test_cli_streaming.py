"""JSON Lines written as it goes (``tail -f`` piped in): the records read so far are
repaired and written out while the input waits for more, with worker processes too.
(:class:`newsrepair.cli.sources.LineReader`, :data:`newsrepair.parallel.FLUSH`.)"""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsrepair.cli.sources import LineReader, _jsonl_items
from newsrepair.parallel import FLUSH

posix_only = pytest.mark.skipif(os.name != "posix", reason="select() on pipes is POSIX")


def _pipe_with(data: bytes, close: bool = True) -> tuple[int, int]:
    """A pipe holding ``data`` (small enough for its buffer); its write end closed or not."""
    r, w = os.pipe()
    os.write(w, data)
    if close:
        os.close(w)
        w = -1
    return r, w


@posix_only
@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=3000).map(lambda b: b.replace(b"\r", b"\n")),
       limits=st.lists(st.sampled_from([-1, 0, 1, 5, 64, 1000]), min_size=1, max_size=40),
       chunk=st.sampled_from([1, 7, 4096]))
def test_lines_are_read_as_a_buffered_reader_reads_them(data: bytes, limits: list[int], chunk: int) -> None:
    r, _ = _pipe_with(data)
    try:
        reader = LineReader(r)
        reader.CHUNK = chunk  # line ends and limits across the reads of the descriptor
        expected = io.BytesIO(data)
        for limit in limits:
            assert reader.readline(limit) == expected.readline(limit)
        assert reader.readline() + reader.readline(-1) == expected.readline() + expected.readline()
    finally:
        os.close(r)


@posix_only
def test_waiting_is_true_only_while_the_writer_owes_a_line() -> None:
    r, w = _pipe_with(b'{"text": "one"}\n{"text": "tw', close=False)
    try:
        reader = LineReader(r)
        assert reader.readline() == b'{"text": "one"}\n'
        assert reader.waiting(0.0)          # half a line buffered, the writer is quiet
        os.write(w, b'o"}\n{"text": "three"}\n')
        assert not reader.waiting(0.0)      # it wrote
        assert reader.readline() == b'{"text": "two"}\n'
        assert not reader.waiting(0.0)      # a whole line is buffered
        assert reader.readline() == b'{"text": "three"}\n'
        assert reader.waiting(0.0)
        os.close(w)
        w = -1
        assert not reader.waiting(0.0)      # the end of the input is no wait
        assert reader.readline() == b""
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


@posix_only
def test_a_non_blocking_descriptor_is_waited_for_not_read_as_ended() -> None:
    import threading

    r, w = os.pipe()
    os.set_blocking(r, False)
    try:
        reader = LineReader(r)
        writer = threading.Timer(0.2, lambda: (os.write(w, b'{"text": "late"}\n'), os.close(w)))
        writer.start()
        assert reader.readline() == b'{"text": "late"}\n'  # not b"" nor BlockingIOError
        assert reader.readline() == b""
        writer.join()
    finally:
        os.close(r)


def test_files_and_streams_without_a_descriptor_are_read_as_they_are(tmp_path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "a"}\n{"text": "b"}\n')
    with open(path, "rb") as fh:
        assert LineReader.of(fh) is None
        assert [lineno for _, lineno, _ in _jsonl_items("a", fh)] == [1, 2]
    assert LineReader.of(io.BytesIO(b"x\n")) is None


@posix_only
def test_a_pipe_that_waits_gets_a_flush_after_what_it_sent() -> None:
    r, w = _pipe_with(b'{"text": "a"}\n\n{"text": "b"}\n', close=False)
    try:
        with os.fdopen(r, "rb", closefd=False) as stream:
            items = _jsonl_items("<stdin>", stream)
            assert next(items)[1] == 1
            assert next(items)[1] == 3  # the blank line holds no record
            assert next(items) is FLUSH
            os.close(w)
            w = -1
            assert list(items) == []
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


def _read_line(stream, timeout: float) -> bytes:
    """One line of a subprocess's stdout, or b"" if none came within ``timeout``."""
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else b""


@posix_only
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_command_answers_each_record_while_its_input_stays_open(jobs: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout is a pipe: buffered
    proc = subprocess.Popen([sys.executable, "-m", "newsrepair", "fix", "--jsonl", "-q", "-j", jobs],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        for n, text in enumerate(["The council\u00e2\u20ac\u2122s plan.", "Ferry fares rose."]):
            proc.stdin.write(json.dumps({"n": n, "text": text}).encode() + b"\n")
            proc.stdin.flush()
            line = _read_line(proc.stdout, timeout=120)  # the input is still open
            assert line, f"no answer to record {n} before the end of the input"
            assert json.loads(line)["n"] == n
        assert json.loads(line)["text"] == "Ferry fares rose."
        proc.stdin.close()
        assert proc.wait(timeout=120) == 0
        assert proc.stdout.read() == b""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream and not stream.closed:
                stream.close()
