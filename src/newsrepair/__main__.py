"""``python -m newsrepair``: the same as the ``newsrepair`` command."""

from .cli import console_main

if __name__ == "__main__":
    console_main()
