"""Signals in the command's own process: SIGINT raises :class:`KeyboardInterrupt`, and
SIGTERM or SIGHUP :class:`Terminated`, in the main thread, so that clean-up code runs,
except inside a :data:`held` block, where the first of them waits for the block's end.

A block is held where two writes must land together or not at all: an output file put
in place (renamed over its final name) and the mark that keeps its changes in the
change log. Interrupted between the two, a run would leave an output whose changes the
log no longer lists. Only writes to files are held: a write to a pipe can block for as
long as its reader waits, and a signal must still end the run then.
"""

from __future__ import annotations

import signal
from types import FrameType, TracebackType
from typing import Any

from ..parallel import TERMINATING_SIGNALS

__all__ = ["Terminated", "held", "install"]


class Terminated(BaseException):
    """Raised in the parent process by SIGTERM or SIGHUP (the terminal went away), so
    that clean-up code runs: the workers are stopped, temporary files removed."""

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__(signum)
        self.signum = signum


class _Held:
    """The context manager :data:`held` (re-entrant; a plain counter, so that holding
    costs next to nothing per output)."""

    def __init__(self) -> None:
        self.depth = 0
        self.pending: BaseException | None = None

    def __enter__(self) -> None:
        self.depth += 1

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.depth -= 1
        if not self.depth and self.pending is not None:
            pending, self.pending = self.pending, None
            raise pending

    def interrupt(self, exc: BaseException) -> None:
        """Raise ``exc`` now, or, inside a held block, when the outermost one ends (the
        first signal wins; a later one while it waits adds nothing)."""
        if not self.depth:
            raise exc
        if self.pending is None:
            self.pending = exc


#: ``with held:`` — a SIGINT, SIGTERM or SIGHUP that arrives in the block is raised when
#: it ends (with the handlers of :func:`install`; other handlers are not deferred).
held = _Held()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    held.interrupt(KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum))


def install() -> dict[int, Any] | None:
    """Install the handler of SIGINT and of :data:`..parallel.TERMINATING_SIGNALS`;
    return the handlers it replaced, or ``None`` outside the main thread (where Python
    cannot set them). A SIGINT handler other than Python's default is left as it is (an
    ignored Ctrl-C in a background job stays ignored)."""
    previous: dict[int, Any] = {}
    try:
        for signum in (signal.SIGINT, *TERMINATING_SIGNALS):
            if signum == signal.SIGINT and signal.getsignal(signum) is not signal.default_int_handler:
                continue
            previous[signum] = signal.signal(signum, _on_signal)
    except ValueError:  # not the main thread
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        return None
    return previous
