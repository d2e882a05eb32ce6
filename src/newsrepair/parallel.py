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

With ``jobs=1`` everything runs in the calling process (no pickling at all). Worker
processes ignore SIGINT; the parent decides what to do and :meth:`OrderedPool.close`
terminates them. If a worker dies (killed, out of memory), :class:`WorkerError` is raised
instead of hanging.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
import signal
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

from .errors import NewsrepairError

__all__ = ["OrderedPool", "WorkerError", "available_cpus", "batched"]

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


def batched(items: Iterable[T], max_items: int, max_weight: int,
            weight: Callable[[T], int]) -> Iterator[list[T]]:
    """Group ``items`` into lists of at most ``max_items`` items and about ``max_weight``
    total weight (a batch always holds at least one item)."""
    batch: list[T] = []
    total = 0
    for item in items:
        batch.append(item)
        total += weight(item)
        if len(batch) >= max_items or total >= max_weight:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


# Per-process worker state, set by the pool's initializer.
_FUNC: Callable[[Any, Any], Any] | None = None
_STATE: Any = None


def _init_worker(func: Callable[[Any, Any], Any], state: Any) -> None:
    global _FUNC, _STATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _FUNC, _STATE = func, state


def _run_batch(batch: list[Any]) -> list[Any]:
    assert _FUNC is not None
    return [_FUNC(_STATE, item) for item in batch]


def _context() -> Any:
    # fork is fast and needs no re-import of __main__; elsewhere use the platform default.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


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
                initializer=_init_worker, initargs=(self.func, self.state))
        return self._executor

    def imap(self, items: Iterable[T]) -> Iterator[R]:
        """The results of ``func(state, item)`` for each item, in input order, lazily."""
        if self.jobs == 1:
            for item in items:
                yield self.func(self.state, item)
            return
        executor = self._start()
        pending: collections.deque[Future[list[R]]] = collections.deque()
        try:
            for batch in batched(items, self.batch_items, self.batch_weight, self.weight):
                with _worker_deaths():  # the pool may already be broken when submitting
                    pending.append(executor.submit(_run_batch, batch))
                while len(pending) >= self.window:
                    yield from self._result(pending.popleft())
            while pending:
                yield from self._result(pending.popleft())
        finally:
            for fut in pending:
                fut.cancel()

    @staticmethod
    def _result(future: Future[list[R]]) -> list[R]:
        with _worker_deaths():
            return future.result()

    def close(self, terminate: bool = False) -> None:
        """Stop the workers: wait for them, or with ``terminate`` kill them at once."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if terminate:
            procs = list(getattr(executor, "_processes", {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            for proc in procs:
                if proc.is_alive():
                    proc.terminate()
            for proc in procs:
                proc.join(timeout=5)
        else:
            executor.shutdown(wait=True)
