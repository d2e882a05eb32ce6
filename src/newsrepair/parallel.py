"""An ordered, streaming process pool for repairing many documents.

:class:`OrderedPool` maps ``func(state, item)`` over an iterable in worker processes and
yields the results **in input order**, while reading the input lazily: at most
``window`` batches are in flight at any time, so memory stays bounded however long the
input is. Each worker receives ``state`` once, when it starts (for newsrepair, a
:class:`~newsrepair.Repairer`, which pickles as just its config and loads its lexicons
lazily, once per process).

    >>> from newsrepair.parallel import OrderedPool
    >>> def double(state, x):
    ...     return state * x
    >>> with OrderedPool(double, 2, jobs=1) as pool:
    ...     list(pool.imap([1, 2, 3]))
    [2, 4, 6]

An input that arrives slowly (records piped in as they are written) passes
:data:`FLUSH` among its items where it waits: the pool then sends the batch it is
filling, yields every result still due, and yields ``FLUSH`` itself in its place, so
that the caller can flush its own output before the next item is read. Without it,
results come out a window of batches behind the input, or at its end.

With ``jobs=1`` everything runs in the calling process (no pickling at all). Worker
processes ignore SIGINT; the parent decides what to do and :meth:`OrderedPool.close`
terminates them. If a worker dies (killed, out of memory), :class:`WorkerError` is raised
instead of hanging.

Stopping the pool early (an exception in the ``with`` block: Ctrl-C, SIGTERM turned into an
exception, an error) kills the workers, which may be half-way through sending a result.
The executor's manager thread reads results from one pipe whose write end the parent also
holds, so a half-sent result would leave it waiting forever for the rest, and the
interpreter waits for that thread at exit. :meth:`OrderedPool.close` therefore closes the
parent's copy of that write end before killing the workers (the read then ends), and
waits for the manager thread to finish before returning, so that nothing of the pool is
still running when the interpreter exits.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as _WaitTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

from .errors import NewsrepairError

__all__ = ["FLUSH", "OrderedPool", "WorkerError", "available_cpus", "batched", "forks_workers", "signals_held"]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


class WorkerError(NewsrepairError, RuntimeError):
    """A worker process died before finishing its work."""


def available_cpus() -> int:
    """The number of CPUs this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class _Flush:
    """The type of :data:`FLUSH`."""

    def __repr__(self) -> str:
        return "FLUSH"


#: An item that asks :meth:`OrderedPool.imap` to catch up: the batch being filled is
#: sent, the results of every item before it are yielded, then ``FLUSH`` itself. Put it
#: where the input has to wait for more (see :class:`newsrepair.cli.sources.LineReader`).
FLUSH = _Flush()


def batched(items: Iterable[T | _Flush], max_items: int, max_weight: int,
            weight: Callable[[T], int]) -> Iterator[list[T] | _Flush]:
    """Group ``items`` into lists of at most ``max_items`` items and about ``max_weight``
    total weight (a batch always holds at least one item). :data:`FLUSH` ends the batch
    being filled and is yielded after it, on its own."""
    batch: list[T] = []
    total = 0
    for item in items:
        if item is FLUSH:
            if batch:
                yield batch
                batch, total = [], 0
            yield FLUSH
            continue
        batch.append(item)  # type: ignore[arg-type]
        total += weight(item)
        if len(batch) >= max_items or total >= max_weight:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


#: The signals that end a run as SIGTERM does and whose clean-up must not be cut short
#: (SIGHUP where it exists: the terminal went away).
TERMINATING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))

# Per-process worker state, set by the pool's initializer.
_FUNC: Callable[[Any, Any], Any] | None = None
_STATE: Any = None


def _init_worker(func: Callable[[Any, Any], Any], state: Any, parent: int | None = None) -> None:
    global _FUNC, _STATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if parent is not None:
        _die_with(parent)
    _FUNC, _STATE = func, state


def _die_with(parent: int) -> None:
    """Have this worker get SIGTERM when its parent process ``parent`` dies, however it
    dies (killed with SIGKILL, too): an orphaned worker would otherwise wait for work
    for good. Linux only (``prctl(PR_SET_PDEATHSIG)``); elsewhere the parent's own
    clean-up stops its workers."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


class _Raised:
    """An exception that ``func`` raised on an item of a batch, sent back in the place
    of its result, so that the batch's earlier results still arrive first."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


def _picklable(exc: BaseException) -> BaseException:
    """``exc``, or, when it cannot travel to the parent process (it holds a lock, or its
    class needs other arguments), a RuntimeError that names it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any failure to pickle or unpickle
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _run_batch(batch: list[Any]) -> list[Any]:
    assert _FUNC is not None
    out: list[Any] = []
    for item in batch:
        try:
            out.append(_FUNC(_STATE, item))
        except Exception as exc:  # noqa: BLE001 - raised in the parent, in its place
            out.append(_Raised(_picklable(exc)))
            break  # as in one process: nothing after the item that raised is run
    return out


def _context() -> Any:
    # fork is fast and needs no re-import of __main__; elsewhere use the platform default.
    if forks_workers():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def forks_workers() -> bool:
    """Whether the pool's workers are forked from the calling process (on Linux), so
    that they start with what it has loaded."""
    return sys.platform.startswith("linux")


# How often a wait for a result checks that the workers are still alive, in seconds.
_POLL = 0.25
# How long stopping the pool waits for each worker, and for the executor's thread.
_JOIN_TIMEOUT = 5.0


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Run a block that Ctrl-C or SIGTERM must not cut short (stopping the pool; putting an
    output file in place and keeping its changes in the change log): a SIGINT or SIGTERM
    that arrives meanwhile is delivered when the block ends. Only the main thread has
    signal handlers; elsewhere this does nothing."""
    caught: list[int] = []
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, *TERMINATING_SIGNALS):
            if signal.getsignal(signum) is None:  # a handler not set from Python: leave it
                continue
            with contextlib.suppress(ValueError, OSError):
                previous[signum] = signal.signal(signum, lambda s, _frame: caught.append(s))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)


@contextlib.contextmanager
def _worker_deaths() -> Iterator[None]:
    """Turn the executor's BrokenProcessPool into :class:`WorkerError`."""
    try:
        yield
    except BrokenProcessPool:
        raise WorkerError("a worker process died unexpectedly (killed, or out of memory?)") from None


class OrderedPool(Generic[S, T, R]):
    """Run ``func(state, item)`` over a stream of items in ``jobs`` processes, in order.

    Args:
        func: a module-level (picklable) function.
        state: passed to every call; sent once to each worker process.
        jobs: worker processes; ``1`` runs in the calling process, ``None`` or ``0``
            uses every available CPU.
        batch_items, batch_weight, weight: items travel in batches of at most
            ``batch_items`` items and about ``batch_weight`` total ``weight``
            (default weight: ``len(item)``, e.g. bytes).
        window: the most batches in flight at once (default ``2 * jobs + 1``). Memory
            is bounded by about ``window * batch_weight`` of input plus its results.
    """

    def __init__(self, func: Callable[[S, T], R], state: S, jobs: int | None = None, *,
                 batch_items: int = 64, batch_weight: int = 1 << 20,
                 weight: Callable[[T], int] = len,  # type: ignore[assignment]
                 window: int | None = None) -> None:
        self.func = func
        self.state = state
        self.jobs = available_cpus() if not jobs else max(1, jobs)
        self.batch_items = max(1, batch_items)
        self.batch_weight = max(1, batch_weight)
        self.weight = weight
        self.window = window or 2 * self.jobs + 1
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> "OrderedPool[S, T, R]":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(terminate=exc[0] is not None)

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=_context(),
                initializer=_init_worker, initargs=(self.func, self.state, os.getpid() if forks_workers() else None))
        return self._executor

    def imap(self, items: Iterable[T | _Flush]) -> Iterator[R | _Flush]:
        """The results of ``func(state, item)`` for each item, in input order, lazily;
        :data:`FLUSH` in the input comes out in its place, after the results of every
        item before it."""
        if self.jobs == 1:
            for item in items:
                yield FLUSH if item is FLUSH else self.func(self.state, item)  # type: ignore[arg-type]
            return
        executor = self._start()
        # Batches still in flight when the caller stops early are not cancelled here but
        # by close() (shutdown(cancel_futures=True)), in the executor's own thread: a
        # future cancelled from here can still be in the executor's table when the pool
        # breaks (its workers killed), and CPython 3.11's executor thread then dies on
        # InvalidStateError setting an error on it, before its clean-up, so that the
        # interpreter hangs at exit. At most ``window`` batches run for nothing.
        pending: collections.deque[Future[list[R]]] = collections.deque()
        for batch in batched(items, self.batch_items, self.batch_weight, self.weight):
            if batch is FLUSH:  # the input waits: everything read so far comes out now
                while pending:
                    yield from self._result(pending.popleft())
                yield FLUSH
                continue
            with _worker_deaths():  # the pool may already be broken when submitting
                pending.append(executor.submit(_run_batch, batch))
            while len(pending) >= self.window:
                yield from self._result(pending.popleft())
        while pending:
            yield from self._result(pending.popleft())

    def _result(self, future: Future[list[Any]]) -> Iterator[R]:
        """The results of a batch, in order; an exception ``func`` raised on an item is
        raised after the results before it, as with ``jobs=1``."""
        for result in self._batch(future):
            if isinstance(result, _Raised):
                raise result.error
            yield result

    def _batch(self, future: Future[list[Any]]) -> list[Any]:
        with _worker_deaths():
            while True:
                try:
                    return future.result(timeout=_POLL)
                except _WaitTimeout:  # not the built-in TimeoutError before Python 3.11
                    pass
                # A worker that died while sending its result leaves the executor waiting
                # for the rest of it, without ever marking the pool broken: check here.
                # (The workers never exit on their own while the pool is open.)
                executor = self._executor
                procs = list(getattr(executor, "_processes", {}).values())
                if any(proc.exitcode is not None for proc in procs) and not future.done():
                    raise BrokenProcessPool("a worker process exited")

    def close(self, terminate: bool = False) -> None:
        """Stop the workers: let them finish the batches they are working on, or with
        ``terminate`` kill them at once. Batches not started yet are dropped.

        Either way, no process or thread of the pool is left running. If waiting is
        interrupted (Ctrl-C), the workers are killed as with ``terminate``."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if not terminate:
            try:
                executor.shutdown(wait=True, cancel_futures=True)
                return
            except BaseException:
                _kill(executor)
                raise
        _kill(executor)


def _kill(executor: ProcessPoolExecutor) -> None:
    """Stop ``executor`` at once: cancel what has not started, kill the workers, and wait
    (boundedly) for its processes and its manager thread.

    Uses private attributes of CPython's executor (as in 3.10 to 3.13); where one is
    missing, that step is skipped."""
    with signals_held():
        procs = list(getattr(executor, "_processes", {}).values())
        manager = getattr(executor, "_executor_manager_thread", None)
        results = getattr(executor, "_result_queue", None)
        executor.shutdown(wait=False, cancel_futures=True)
        # The manager thread may be in the middle of reading a result that a worker is
        # sending; killed, the worker never sends the rest. The parent holds a copy of the
        # pipe's write end (it created the pipe), so without this the read would never
        # end: with every writer closed, it ends (the executor then marks itself broken
        # and cleans up). The parent never writes to that pipe, and no worker is started
        # after shutdown.
        writer = getattr(results, "_writer", None)
        if writer is not None:
            with contextlib.suppress(OSError):
                writer.close()
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join(timeout=_JOIN_TIMEOUT)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=_JOIN_TIMEOUT)
        # Wait until the manager thread has finished its clean-up: at exit the interpreter
        # joins it and pokes its wake-up pipe (concurrent.futures' _python_exit), which,
        # while the thread is closing that pipe, fails with "OSError: Bad file
        # descriptor" (CPython 3.11) or blocks if the thread is stuck.
        if isinstance(manager, threading.Thread) and manager is not threading.current_thread():
            manager.join(timeout=_JOIN_TIMEOUT)
