"""The same input gives the same output in every process: nothing may depend on the
order of a set of strings, which changes with ``PYTHONHASHSEED`` (texts from the test
fixtures and the examples shipped with the project)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Repairs every fixture and example text with the default config and with the test
# spinner dictionary (unspin_clean, so that every lexicon path runs), and prints the
# results with their change logs and spin reports.
SCRIPT = r"""
import json, pathlib, sys
import newsrepair as nr
root = pathlib.Path(sys.argv[1])
texts = [p.read_text(encoding="utf-8") for p in sorted((root / "tests" / "fixtures").rglob("*.txt"))
         if p.name != "spinner_groups.txt"]
texts += [p.read_text(encoding="utf-8") for p in sorted((root / "examples").glob("*.txt"))]
groups = str(root / "tests" / "fixtures" / "spin" / "spinner_groups.txt")
configs = [nr.Config(), nr.Config(spinner_dictionaries=[groups], unspin_clean=True)]
print(json.dumps([nr.repair(t, config=c).to_dict() for c in configs for t in texts]))
"""


def test_outputs_do_not_depend_on_the_hash_seed() -> None:
    outputs = set()
    for seed in ("0", "1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], env=env, capture_output=True,
                             text=True, check=True, timeout=300)
        outputs.add(run.stdout)
    assert len(outputs) == 1
