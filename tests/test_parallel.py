"""newsrepair.parallel: ordered output, bounded read-ahead, worker state, dead workers."""

from __future__ import annotations

import os
import signal
import time

import pytest

import newsrepair
from newsrepair.parallel import OrderedPool, WorkerError, batched


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


def test_batched() -> None:
    out = list(batched(["aa", "b", "cccc", "d", "e"], max_items=3, max_weight=4, weight=len))
    assert out == [["aa", "b", "cccc"], ["d", "e"]]
    assert list(batched([], 3, 4, len)) == []


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
