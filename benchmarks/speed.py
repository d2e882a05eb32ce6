"""Speed and memory: throughput per stage beside ftfy's ``fix_text`` on the same
documents in the same run, import time and peak memory, all in fresh processes.
Throughput is that of a first pass over documents the process has not seen, since the
spin stages cache language-model lookups and would run faster on repeated text.

Absolute times vary between runs on shared machines, so every figure is also given as a
ratio to ftfy measured moments apart on the same input.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from typing import Iterator, Sequence

__all__ = ["STAGES", "throughput", "import_time", "peak_rss"]

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: The timed functions by name, as (import statement, expression giving the function): the
#: four stages, the pipeline, and ftfy for reference.
STAGES: dict[str, tuple[str, str]] = {
    "ftfy.fix_text": ("import ftfy", "ftfy.fix_text"),
    "fix_encoding": ("import newsrepair", "newsrepair.fix_encoding"),
    "strip_boilerplate": ("import newsrepair", "newsrepair.strip_boilerplate"),
    "detect_spin": ("import newsrepair", "newsrepair.detect_spin"),
    "unspin": ("import newsrepair", "newsrepair.unspin"),
    "repair()": ("import newsrepair", "newsrepair.repair"),
}

# Mojibake, a menu line and a spun sentence with a name the language model has never
# seen, so a first call on it loads everything a real document needs (the word-frequency
# table included).
_SAMPLE = ("The ministerâ€™s plan was announced on Monday.\\n\\nHome | News\\n"
           "The navy mentioned Zorblatt, and folks have been pressured from their houses.")

_PASS_SNIPPET = """
import gc, json, time
with open({path!r}, encoding="utf-8") as fh:
    docs = json.load(fh)
{imp}
fn = {expr}
fn('{sample}')
seconds = []
for _ in range(2):
    gc.collect()
    t0 = time.perf_counter()
    for d in docs:
        fn(d)
    seconds.append(time.perf_counter() - t0)
print(json.dumps(seconds))
"""


@contextlib.contextmanager
def _docs_file(docs: Sequence[str]) -> Iterator[str]:
    """The path of a temporary JSON file holding ``docs`` (a list of strings), which the
    measuring subprocesses read; removed afterwards."""
    fd, path = tempfile.mkstemp(suffix=".json", prefix="newsrepair-bench-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(list(docs), fh)
        yield path
    finally:
        os.unlink(path)


def throughput(docs: Sequence[str], repeats: int = 3,
               stages: Sequence[str] | None = None) -> dict[str, dict[str, float]]:
    """MB/s and documents/s of each stage on ``docs``, and the ratio to ftfy.

    Every timed pass runs in a fresh interpreter that has made one call on a short sample
    text (so loading lexicons and word frequencies is not counted; :func:`import_time`
    measures it) and has seen none of ``docs``: the first pass over them is the speed on
    new text, since the spin stages cache language-model lookups, which repeated text
    would hit. The same process then runs a second pass over the same documents
    (``again_mb_per_s``: the speed with warm caches, an upper bound). Each figure is the
    best of ``repeats`` fresh processes; the repeats interleave the stages, so a burst of
    load on the machine hits all of them alike.

    The ratio to ftfy (``speed_vs_ftfy``) is the best of the rounds' ratios, each of a
    stage's pass to ftfy's pass of the same round, run just before it: the best time of
    each alone could pair ftfy's quiet moment with a stage's busy one (on a shared host
    such a pairing read detection at 1.80x ftfy, in a run where the others read 2.5-3.5x).
    """
    names = sorted(stages or STAGES, key=lambda name: name != "ftfy.fix_text")  # ftfy first in each round
    nbytes = sum(len(d.encode("utf-8")) for d in docs)
    best = {name: [float("inf"), float("inf")] for name in names}
    ratio = {name: 0.0 for name in names}
    with _docs_file(docs) as path:
        for _ in range(max(1, repeats)):
            ref = None  # ftfy's pass in this round
            for name in names:
                imp, expr = STAGES[name]
                first, again = _python(_PASS_SNIPPET.format(path=path, imp=imp, expr=expr, sample=_SAMPLE))
                best[name] = [min(best[name][0], first), min(best[name][1], again)]
                if name == "ftfy.fix_text":
                    ref = first
                if ref is not None:
                    ratio[name] = max(ratio[name], ref / max(first, 1e-9))
    out: dict[str, dict[str, float]] = {}
    for name, (first, again) in best.items():
        first, again = max(first, 1e-9), max(again, 1e-9)
        out[name] = {
            "seconds": first,
            "mb_per_s": nbytes / first / 1e6,
            "docs_per_s": len(docs) / first,
            # > 1 means faster than ftfy.fix_text on the same documents
            "speed_vs_ftfy": ratio[name] if "ftfy.fix_text" in best else float("nan"),
            "again_mb_per_s": nbytes / again / 1e6,
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

_TARGETS = {
    "newsrepair": ("import newsrepair", f"newsrepair.repair('{_SAMPLE}')"),
    "ftfy": ("import ftfy", f"ftfy.fix_text('{_SAMPLE}')"),
}


def _python(code: str, timeout: float = 300, **env_vars: str) -> dict:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **env_vars)
    if "PYTHONPYCACHEPREFIX" in env_vars:
        del env["PYTHONDONTWRITEBYTECODE"]
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env=env, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed: {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def import_time(repeats: int = 3) -> dict[str, dict[str, float]]:
    """Seconds to import and make the first call, in a fresh interpreter (best of ``repeats``).

    For newsrepair the first call is ``repair()``, so lexicon loading is included. As on
    a machine where the package was used before: Python's bytecode is compiled (as an
    installed package's is; an editable checkout's would be compiled by each run under
    ``PYTHONDONTWRITEBYTECODE``) and newsrepair's data cache (``newsrepair.datacache``)
    holds its built indexes, both in a temporary directory that one first run fills.
    ``newsrepair, no data cache`` is the first call of a machine without the cache.
    """
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="newsrepair-bench-") as tmp:
        env = {"PYTHONPYCACHEPREFIX": os.path.join(tmp, "pycache"),
               "NEWSREPAIR_CACHE_DIR": os.path.join(tmp, "data")}
        runs_of = {"newsrepair": env, "newsrepair, no data cache": dict(env, NEWSREPAIR_CACHE_DIR="off"),
                   "ftfy": env}
        for name, extra in runs_of.items():
            imp, call = _TARGETS[name.split(",")[0]]
            code = _IMPORT_SNIPPET.format(imp=imp, call=call)
            _python(code, **extra)  # fills the caches
            runs = [_python(code, **extra) for _ in range(max(1, repeats))]
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
    with _docs_file(docs) as path:
        out = {name: _python(_RSS_SNIPPET.format(path=path, imp=imp, call=call))
               for name, (imp, call) in _RSS_TARGETS.items()}
    out["ratio_vs_ftfy"] = {"peak_rss": out["newsrepair repair()"]["peak_rss_mb"]
                            / max(out["ftfy.fix_text"]["peak_rss_mb"], 1e-9)}
    return out
