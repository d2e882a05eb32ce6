"""What the user sees on stderr: warnings, errors (counted, for the exit status) and the
progress bar."""

from __future__ import annotations

import sys
import time

from .args import PROG


def _write(text: str, flush: bool = False) -> None:
    """Write to stderr: one that fails loses the messages, never the run (the exit
    status still tells of errors; a closed stderr, ``2>&-``, is the null device, which
    :func:`.command.main` puts in its place)."""
    try:
        sys.stderr.write(text)
        if flush:
            sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken stream
        pass


class Console:
    """Warnings, errors and the progress bar, all on stderr."""

    def __init__(self, quiet: bool, total: int | None, show_progress: bool) -> None:
        self.quiet = quiet
        self.total = total
        self.progress = show_progress and not quiet and sys.stderr.isatty()
        self.done = 0
        self.failed = 0
        self._last = 0.0
        self._drawn = False

    def _clear(self) -> None:
        if self._drawn:
            _write("\r\x1b[K")
            self._drawn = False

    def error(self, message: str) -> None:
        self.failed += 1
        self._clear()
        _write(f"{PROG}: error: {one_line(message)}\n")

    def warning(self, message: str) -> None:
        if not self.quiet:
            self._clear()
            _write(f"{PROG}: warning: {one_line(message)}\n")

    def note(self, message: str) -> None:
        """A hint for the person at the terminal (not a warning: nothing is wrong)."""
        if not self.quiet:
            self._clear()
            _write(f"{PROG}: {one_line(message)}\n")

    def step(self, name: str = "") -> None:
        self.done += 1
        if not self.progress:
            return
        now = time.monotonic()
        if now - self._last < 0.1:
            return
        self._last = now
        if self.total:
            width = 30
            filled = int(width * min(self.done, self.total) / self.total)
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        else:
            bar = f"{self.done} documents"
        _write(f"\r\x1b[K{PROG}: {bar} {name[-40:]}", flush=True)
        self._drawn = True

    def finish(self) -> None:
        """Clear the progress bar; after several files of which some failed, say how many
        (shown with ``-q`` too, as the errors are)."""
        self._clear()
        if self.failed and self.total and self.total > 1:
            _write(f"{PROG}: {self.failed} of {self.total} files failed\n")
        _write("", flush=True)


def one_line(message: str) -> str:
    """``message`` on one line (its white space runs folded), as every message is printed."""
    return " ".join(message.split()) if "\n" in message or "\r" in message else message
