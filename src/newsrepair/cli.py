"""The ``newsrepair`` command (minimal placeholder: files or stdin to stdout)."""

from __future__ import annotations

import sys

from . import repair


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        sys.stdout.write(repair(sys.stdin.read()).text)
    for path in args:
        with open(path, encoding="utf-8") as fh:
            sys.stdout.write(repair(fh.read()).text)
    return 0
