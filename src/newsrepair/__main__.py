"""``python -m newsrepair``: the same as the ``newsrepair`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
