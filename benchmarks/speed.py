"""Speed and memory: throughput per stage beside ftfy's ``fix_text`` on the same
documents in the same run, import time and peak memory in fresh processes.

Absolute times vary between runs on shared machines, so every figure is also given as a
ratio to ftfy measured moments apart on the same input.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from typing import Callable, Sequence

__all__ = ["stage_functions", "throughput", "import_time", "peak_rss"]

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stage_functions() -> dict[str, Callable[[str], object]]:
    """The timed functions by name: the four stages, the pipeline, and ftfy for reference."""
    import ftfy

    import newsrepair as nr

    return {
        "ftfy.fix_text": ftfy.fix_text,
        "fix_encoding": nr.fix_encoding,
        "strip_boilerplate": nr.strip_boilerplate,
        "detect_spin": nr.detect_spin,
        "unspin": nr.unspin,
        "repair()": nr.repair,
    }


def _run_once(fn: Callable[[str], object], docs: Sequence[str]) -> float:
    gc.collect()
    t0 = time.perf_counter()
    for d in docs:
        fn(d)
    return time.perf_counter() - t0


def throughput(docs: Sequence[str], repeats: int = 3,
               functions: dict[str, Callable[[str], object]] | None = None) -> dict[str, dict[str, float]]:
    """MB/s and documents/s of each function on ``docs`` (best of ``repeats``), and the ratio to ftfy.

    Each function is called once on a short text first, so lazy loading of lexicons is
    not counted (it is measured by :func:`import_time`). The repeats interleave the
    functions, so a burst of load on the machine hits all of them alike.
    """
    functions = functions or stage_functions()
    nbytes = sum(len(d.encode("utf-8")) for d in docs)
    for fn in functions.values():
        fn("Warm-up text, with a line.\n\nAnd a second paragraph.")
    best = {name: float("inf") for name in functions}
    for _ in range(max(1, repeats)):
        for name, fn in functions.items():
            best[name] = min(best[name], _run_once(fn, docs))
    ref = best.get("ftfy.fix_text")
    out: dict[str, dict[str, float]] = {}
    for name, seconds in best.items():
        seconds = max(seconds, 1e-9)
        out[name] = {
            "seconds": seconds,
            "mb_per_s": nbytes / seconds / 1e6,
            "docs_per_s": len(docs) / seconds,
            # > 1 means faster than ftfy.fix_text on the same documents
            "speed_vs_ftfy": (ref / seconds) if ref else float("nan"),
        }
    out["_corpus"] = {"docs": len(docs), "mb": nbytes / 1e6, "repeats": max(1, repeats)}
    return out


_IMPORT_SNIPPET = """
import time, json
t0 = time.perf_counter()
{imp}
t1 = time.perf_counter()
{call}
t2 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "first_call": t2 - t1, "total": t2 - t0}}))
"""

# Mojibake, a menu line and a spun sentence with a name the language model has never
# seen, so the first call loads everything a real document needs (wordfreq included).
_SAMPLE = ("The ministerâ€™s plan was announced on Monday.\\n\\nHome | News\\n"
           "The navy mentioned Zorblatt, and folks have been pressured from their houses.")

_TARGETS = {
    "newsrepair": ("import newsrepair", f"newsrepair.repair('{_SAMPLE}')"),
    "ftfy": ("import ftfy", f"ftfy.fix_text('{_SAMPLE}')"),
}


def _python(code: str, timeout: float = 300) -> dict:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env=env, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed: {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def import_time(repeats: int = 3) -> dict[str, dict[str, float]]:
    """Seconds to import and make the first call, in a fresh interpreter (best of ``repeats``).

    For newsrepair the first call is ``repair()``, so lexicon loading is included.
    """
    out: dict[str, dict[str, float]] = {}
    for name, (imp, call) in _TARGETS.items():
        runs = [_python(_IMPORT_SNIPPET.format(imp=imp, call=call)) for _ in range(max(1, repeats))]
        out[name] = min(runs, key=lambda r: r["total"])
    out["ratio_vs_ftfy"] = {"total": out["newsrepair"]["total"] / max(out["ftfy"]["total"], 1e-9)}
    return out


_RSS_SNIPPET = """
import json, sys
with open({path!r}, encoding="utf-8") as fh:
    docs = json.load(fh)
{imp}
for d in docs:
    {call}
def _hwm():
    # VmHWM is reset by exec; ru_maxrss on Linux is not (it would report the parent's peak)
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
print(json.dumps({{"peak_rss_mb": _hwm()}}))
"""

_RSS_TARGETS = {
    "newsrepair repair()": ("import newsrepair", "newsrepair.repair(d)"),
    "ftfy.fix_text": ("import ftfy", "ftfy.fix_text(d)"),
    "python + documents only": ("pass", "pass"),
}


def peak_rss(docs: Sequence[str]) -> dict[str, dict[str, float]]:
    """Peak resident memory (MB) of a fresh process that processes ``docs``, per function.

    ``python + documents only`` is the floor: the interpreter with the documents loaded.
    """
    fd, path = tempfile.mkstemp(suffix=".json", prefix="newsrepair-bench-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(list(docs), fh)
        out = {name: _python(_RSS_SNIPPET.format(path=path, imp=imp, call=call))
               for name, (imp, call) in _RSS_TARGETS.items()}
    finally:
        os.unlink(path)
    out["ratio_vs_ftfy"] = {"peak_rss": out["newsrepair repair()"]["peak_rss_mb"]
                            / max(out["ftfy.fix_text"]["peak_rss_mb"], 1e-9)}
    return out
