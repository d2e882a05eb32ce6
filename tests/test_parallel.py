"""newsrepair.parallel: ordered output, bounded read-ahead, worker state, dead workers."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import newsrepair
from newsrepair.parallel import FLUSH, OrderedPool, WorkerError, batched


def _slow_square(state: int, x: int) -> tuple[int, int]:
    # Later items finish sooner, so any reordering would show.
    time.sleep(0.002 * ((100 - x) % 7))
    return x * x + state, os.getpid()


def _repair_text(repairer: newsrepair.Repairer, text: str) -> str:
    return repairer.repair(text).text


def _die_on(state: int, x: int) -> int:
    if x == state:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def _fail_on(state: int, x: int) -> int:
    if x == state:
        raise ValueError(f"item {x}")
    return x


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_comes_after_the_results_before_it(jobs: int) -> None:
    # the same with worker processes as in one: the results before the item that raised
    # (in its own batch too), then its exception
    got = []
    with OrderedPool(_fail_on, 5, jobs=jobs, batch_items=4, weight=lambda x: 1) as pool:
        with pytest.raises(ValueError, match="item 5"):
            for result in pool.imap(range(20)):
                got.append(result)
    assert got == [0, 1, 2, 3, 4]


class _NeedsTwo(Exception):
    def __init__(self, a: str, b: str) -> None:  # unpickles with one argument: fails
        super().__init__(f"{a} {b}")


def _fail_oddly(state: int, x: int) -> int:
    if x == state:
        raise _NeedsTwo("item", str(x))
    return x


def test_an_error_that_cannot_travel_is_named_in_its_place() -> None:
    got = []
    with OrderedPool(_fail_oddly, 3, jobs=2, batch_items=4, weight=lambda x: 1) as pool:
        with pytest.raises(RuntimeError, match="_NeedsTwo: item 3"):
            for result in pool.imap(range(10)):
                got.append(result)
    assert got == [0, 1, 2]


def test_batched() -> None:
    out = list(batched(["aa", "b", "cccc", "d", "e"], max_items=3, max_weight=4, weight=len))
    assert out == [["aa", "b", "cccc"], ["d", "e"]]
    assert list(batched([], 3, 4, len)) == []


def test_batched_ends_a_batch_at_flush() -> None:
    out = list(batched(["a", "b", FLUSH, FLUSH, "c"], max_items=3, max_weight=9, weight=len))
    assert out == [["a", "b"], FLUSH, FLUSH, ["c"]]


@pytest.mark.parametrize("jobs", [1, 2])
def test_flush_yields_every_result_before_the_next_item_is_read(jobs: int) -> None:
    # what a slow input gets: the records read so far come out while it waits
    read = []

    def source():
        for i in range(25):
            read.append(i)
            yield i
            if i in (4, 5, 17):
                yield FLUSH

    got = []
    with OrderedPool(_slow_square, 0, jobs=jobs, batch_items=10, weight=lambda x: 1, window=8) as pool:
        for result in pool.imap(source()):
            if result is FLUSH:
                got.append(("flush", len(read)))
            else:
                got.append(result[0])
    flushes = [g for g in got if isinstance(g, tuple)]
    assert flushes == [("flush", 5), ("flush", 6), ("flush", 18)]
    # each flush comes after the results of every item read before it, in order
    assert got == [0, 1, 4, 9, 16, ("flush", 5), 25, ("flush", 6),
                   *[i * i for i in range(6, 18)], ("flush", 18), *[i * i for i in range(18, 25)]]


def test_in_process_when_one_job() -> None:
    with OrderedPool(_slow_square, 1, jobs=1) as pool:
        results = list(pool.imap(range(5)))
    assert [r for r, _ in results] == [1, 2, 5, 10, 17]
    assert {pid for _, pid in results} == {os.getpid()}


def test_order_is_kept_with_two_workers() -> None:
    with OrderedPool(_slow_square, 3, jobs=2, batch_items=3, weight=lambda x: 1) as pool:
        results = list(pool.imap(range(100)))
    assert [r for r, _ in results] == [x * x + 3 for x in range(100)]
    assert os.getpid() not in {pid for _, pid in results}


def test_input_is_read_lazily_with_a_bounded_window() -> None:
    consumed = []

    def source():
        for i in range(300):
            consumed.append(i)
            yield i

    with OrderedPool(_slow_square, 0, jobs=2, batch_items=10, weight=lambda x: 1, window=3) as pool:
        it = pool.imap(source())
        next(it)
        # at most `window` batches were submitted before the first result came back
        assert len(consumed) <= 3 * 10 + 10
        rest = list(it)
    assert len(rest) == 299


def test_workers_get_a_repairer_that_travels_as_its_config() -> None:
    repairer = newsrepair.Repairer(newsrepair.Config(straighten_quotes=True))
    texts = ["It’s “fine”.", "Caf\u00c3\u00a9 owners said so."] * 5
    with OrderedPool(_repair_text, repairer, jobs=2, batch_items=2) as pool:
        out = list(pool.imap(texts))
    assert out == [repairer.repair(t).text for t in texts]
    assert out[0] == "It's \"fine\"."


def test_a_killed_worker_raises_instead_of_hanging() -> None:
    with pytest.raises(WorkerError, match="died"):
        with OrderedPool(_die_on, 7, jobs=2, batch_items=1, weight=lambda x: 1) as pool:
            list(pool.imap(range(20)))


class _Stop(Exception):
    pass


def test_stopping_early_leaves_no_process_or_thread_running() -> None:
    before = set(threading.enumerate())
    with pytest.raises(_Stop):
        with OrderedPool(_slow_square, 0, jobs=2, batch_items=1, weight=lambda x: 1) as pool:
            for i, _ in enumerate(pool.imap(range(10_000))):
                if i == 20:
                    raise _Stop
    # Nothing left for the interpreter to wait for (or to race with) at exit.
    assert [t for t in threading.enumerate() if t not in before] == []
    assert multiprocessing.active_children() == []



def test_a_signal_while_the_pool_stops_is_delivered_after_it() -> None:
    from newsrepair.parallel import signals_held

    handler = signal.getsignal(signal.SIGINT)
    finished = False
    with pytest.raises(KeyboardInterrupt):
        with signals_held():
            signal.raise_signal(signal.SIGINT)  # a second Ctrl-C while the workers are killed
            time.sleep(0.05)
            finished = True
    assert finished
    assert signal.getsignal(signal.SIGINT) is handler

# A worker that stops half-way through sending its result: it starts a message on the
# executor's result pipe as the executor's worker loop would (the pipe found in that loop's
# frame), announcing 1 MiB and sending 4 KiB; then the run is interrupted while it waits,
# or it dies. Run in a child interpreter: the failure being guarded against is a hang,
# possibly at interpreter exit.
_HALF_SENT = r'''
import os, signal, struct, sys, time
from newsrepair.parallel import OrderedPool, WorkerError

def half_send(then, item):
    if item == 3:
        frame = sys._getframe(1)
        while frame is not None and "result_queue" not in frame.f_locals:
            frame = frame.f_back
        if frame is None:
            raise LookupError("no result_queue in the worker loop")
        queue = frame.f_locals["result_queue"]
        if getattr(queue, "_wlock", None) is not None:
            queue._wlock.acquire()
        os.write(queue._writer.fileno(), struct.pack("!i", 1 << 20) + b"x" * 4096)
        if then == "interrupt":
            os.kill(os.getppid(), signal.SIGINT)
            time.sleep(120)
        os._exit(1)
    time.sleep(0.05)
    return item

try:
    with OrderedPool(half_send, sys.argv[1], jobs=2, batch_items=1, weight=lambda x: 1) as pool:
        for _ in pool.imap(range(40)):
            pass
except KeyboardInterrupt:
    sys.exit(130)
except WorkerError:
    sys.exit(3)
except LookupError:
    sys.exit(5)
sys.exit(0)
'''


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks on Linux only")
@pytest.mark.parametrize("then,code", [("interrupt", 130), ("die", 3)])
def test_a_result_half_sent_when_the_run_stops_does_not_hang(then: str, code: int) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _HALF_SENT, then], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the hung run and its workers
        proc.wait()
        pytest.fail(f"{then}: the run hung")
    if proc.returncode == 5:
        pytest.skip("this Python's executor has no result_queue in its worker loop")
    assert proc.returncode == code, stderr.decode(errors="replace")
    assert b"Traceback" not in stderr and b"Exception ignored" not in stderr, stderr


_FORK_WHILE_LOADING = """
import os, signal, threading, newsrepair
from newsrepair import api
held, release = threading.Event(), threading.Event()
def loading():  # another thread in the middle of loading data, as a warm-up thread would be
    with api._locks.load, api._locks.spin:
        held.set()
        release.wait()
threading.Thread(target=loading, daemon=True).start()
held.wait()
pid = os.fork()
if pid == 0:
    signal.alarm(60)  # a hung child ends, not left behind
    newsrepair.unspin("The navy mentioned that folks had been pressured from their houses.")
    os._exit(0)
_, status = os.waitpid(pid, 0)
release.set()
print(os.waitstatus_to_exitcode(status))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_process_forked_while_another_thread_loads_data_does_not_hang() -> None:
    # The child inherited the loading locks held by a thread it does not have, and waited
    # for them for ever. Run in a child process with a timeout, so a hang fails the test.
    proc = subprocess.run([sys.executable, "-c", _FORK_WHILE_LOADING], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0"]
