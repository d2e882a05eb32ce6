"""``python -m newsrepair``: the same as the ``newsrepair`` command."""

from .cli import main

raise SystemExit(main())
