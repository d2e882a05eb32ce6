"""Time bounds: every stage must run in time linear in its input.

Feeds adversarial inputs of growing size (by default 1, 10 and 100 MB) to each stage and
reports seconds per MB, which must stay flat. A regular expression with catastrophic
backtracking, or a quadratic loop, shows up as seconds per MB growing with the size.
This is a benchmark, not a timed test: run it with ``python -m benchmarks --adversarial``.

    >>> len(make_input("one_char_lines", 1000))
    1000
"""

from __future__ import annotations

import base64
import gc
import multiprocessing
import random
import time
from typing import Callable, Sequence

__all__ = ["INPUTS", "make_input", "run_adversarial", "summary", "markdown"]

_WORDS = ("the council said on monday that its plan to rebuild the old harbour wall would "
          "cost more than expected because prices of steel and concrete have risen").split()


def _prose_no_breaks(size: int, rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(4000)]
    return " ".join(w.capitalize() + "." if i % 17 == 16 else w for i, w in enumerate(words)) + " "


def _one_char_lines(size: int, rng: random.Random) -> str:
    return "".join(rng.choice("aZ.-1 ") + "\n" for _ in range(5000))


def _punctuation_runs(size: int, rng: random.Random) -> str:
    return "!" * 100_000 + " word " + ".,;:?-" * 16_000 + "\n" + "—" * 50_000 + "\n"


def _base64_words(size: int, rng: random.Random) -> str:
    return " ".join(base64.b64encode(rng.randbytes(60_000)).decode("ascii") for _ in range(4)) + "\n"


def _long_urls(size: int, rng: random.Random) -> str:
    path = "/".join("seg%d-%s" % (i, rng.choice(_WORDS)) for i in range(20_000))
    return "See https://example.org/" + path + "?q=" + "a%20b" * 5000 + " for more.\n"


def _whitespace(size: int, rng: random.Random) -> str:
    return "".join(rng.choice([" ", "\n", "\t", "\u00a0", "\r\n", "\u3000"]) for _ in range(20_000))


def _mixed_scripts(size: int, rng: random.Random) -> str:
    words = ["news", "Москва", "Αθήνα", "القاهرة", "東京", "ရန်ကုန်", "Zürich", "naïve", "🙂", "دولة",
             "市场", "Kraków", "अखबार"]
    return "\n".join(" ".join(rng.choice(words) for _ in range(30)) for _ in range(300)) + "\n"


def _control_and_binary(size: int, rng: random.Random) -> str:
    pool = [chr(c) for c in range(0, 32)] + [chr(c) for c in range(0x7F, 0xA0)] + ["\ufffd", "\ufeff", "a", " "]
    return "".join(rng.choice(pool) for _ in range(20_000))


def _mojibake(size: int, rng: random.Random) -> str:
    good = "The minister’s “plan” costs €5 — naïve café owners say. "
    bad = good.encode("utf-8").decode("windows-1252", errors="replace")
    return (bad * 20 + "\n") * 10


def _html_soup(size: int, rng: random.Random) -> str:
    return ("<div class=\"nav\"><a href=\"/news\">News</a> | <a href=\"/sport\">Sport</a></div>"
            "<p>The council met &amp; voted.</p><script>var x = '<p>';</script>\n") * 50


def _furniture_runs(size: int, rng: random.Random) -> str:
    # page furniture one line break apart, with no article (2026-12-02: quadratic before)
    lines = ["Share on Facebook", "Print", "Home | News | Sport | Weather", "Advertisement",
             "Sign up for our newsletter", "Share on X"]
    return "".join(rng.choice(lines) + "\n" for _ in range(3000))


def _tables_in_prose(size: int, rng: random.Random) -> str:
    # paragraphs with small numeric tables between them (2026-12-02: a hang before)
    out = []
    for _ in range(40):
        out.append(" ".join(rng.choice(_WORDS) for _ in range(40)).capitalize() + ".\n\n")
        out.append("".join(f"{rng.choice(_WORDS).capitalize()} {rng.randint(1, 99)} {rng.randint(1, 99)}\n"
                           for _ in range(rng.randint(3, 6))) + "\n")
        if rng.random() < 0.3:
            out.append("Share on Facebook\n\n")
    return "".join(out)


def _announced_lists(size: int, rng: random.Random) -> str:
    # one announced list of thousands of items, sentences and short ones (2026-12-02:
    # quadratic before, each run of short items looked back over the whole list)
    out = [" ".join(rng.choice(_WORDS) for _ in range(40)).capitalize() + ".\n\nIt has these parts:\n"]
    for _ in range(3000):
        out.append("- " + " ".join(rng.choice(_WORDS) for _ in range(12)).capitalize() + ".\n")
        out.append("".join(f"- {rng.choice(_WORDS).capitalize()}\n" for _ in range(3)))
    return "".join(out) + "\n"


#: The adversarial inputs by name; each generator returns a block that is repeated to size.
INPUTS: dict[str, Callable[[int, random.Random], str]] = {
    "prose_no_line_breaks": _prose_no_breaks,
    "one_char_lines": _one_char_lines,
    "punctuation_runs": _punctuation_runs,
    "base64_words": _base64_words,
    "long_urls": _long_urls,
    "whitespace_only": _whitespace,
    "mixed_scripts": _mixed_scripts,
    "control_and_binary": _control_and_binary,
    "mojibake": _mojibake,
    "html_soup": _html_soup,
    "furniture_runs": _furniture_runs,
    "tables_in_prose": _tables_in_prose,
    "announced_lists": _announced_lists,
}


def make_input(name: str, size: int, seed: int = 0) -> str:
    """The adversarial input ``name``, ``size`` characters long (deterministic for a seed)."""
    block = INPUTS[name](size, random.Random(f"{name}:{seed}"))
    reps = size // len(block) + 1
    return (block * reps)[:size]


def _stages() -> dict[str, Callable[[str], object]]:
    import newsrepair as nr

    return {
        "fix_encoding": nr.fix_encoding,
        "strip_boilerplate": nr.strip_boilerplate,
        "detect_spin": nr.detect_spin,
        "unspin": nr.unspin,
        "repair()": nr.repair,
    }


def _measure(stage: str, name: str, size: int, conn) -> None:  # runs in a forked child
    try:
        fn = _stages()[stage]
        text = make_input(name, size)
        nbytes = len(text.encode("utf-8"))
        gc.collect()
        conn.send({"ready": True})  # the time limit starts now, not while the input is made
        t0 = time.perf_counter()
        fn(text)
        conn.send({"bytes": nbytes, "seconds": time.perf_counter() - t0})
    except Exception as exc:  # noqa: BLE001 - recorded, the benchmark goes on
        conn.send({"error": f"{type(exc).__name__}: {str(exc)[:200]}"})
    finally:
        conn.close()


def _measure_with_timeout(stage: str, name: str, size: int, timeout: float) -> dict:
    """Time one stage on one input in a forked child, killed after ``timeout`` seconds."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_measure, args=(stage, name, size, child), daemon=True)
    proc.start()
    child.close()
    try:
        for limit in (max(120.0, timeout), timeout):  # making the input, then the stage itself
            if not parent.poll(limit):
                return {"timeout": f"no result after {limit:.0f} s"}
            try:
                message = parent.recv()
            except EOFError:
                return {"error": f"worker died (exit code {proc.exitcode})"}
            if "ready" not in message:
                return message
        return {"error": "no result from the worker"}
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(5)
        parent.close()


def run_adversarial(sizes_mb: Sequence[float] = (1, 10, 100), inputs: Sequence[str] | None = None,
                    stages: Sequence[str] | None = None, budget_s: float = 60.0,
                    flat_factor: float = 3.0, slow_s_per_mb: float = 5.0, noise_s_per_mb: float = 0.02,
                    log: Callable[[str], None] | None = None) -> dict:
    """Seconds per MB of each stage on each adversarial input at each size.

    Each measurement runs in a forked child process, stopped when the stage has run
    ``budget_s`` seconds (recorded as a timeout, and the larger sizes of that series are
    skipped). A size is skipped when the time projected linearly from the previous size
    exceeds half the budget, so a timeout means at least twice the linear projection. A stage that raises is recorded with its error. A series is *flat* when
    seconds per MB at the largest size measured is at most ``flat_factor`` times the
    smallest seconds per MB of the series; it is not flat when it timed out or raised,
    and undecided (``None``) when fewer than two sizes could be measured. A series is
    *slow* when its largest measured size took more than ``slow_s_per_mb`` seconds per MB
    (or it failed). Rates below
    ``noise_s_per_mb`` (faster than 50 MB/s by default) count as that floor when the
    growth is computed, so that timer noise on near-instant stages is not read as growth.
    """
    functions = _stages()
    chosen = list(stages or functions)
    names = list(inputs or INPUTS)
    for fn in functions.values():  # load the lexicons once, before forking
        fn("warm up")
    results: dict[str, dict] = {}
    for name in names:
        results[name] = {}
        for stage in chosen:
            series: list[dict] = []
            last_rate = 0.0
            stop = ""
            for mb in sorted(sizes_mb):
                size = int(mb * 1_000_000)
                if stop:
                    series.append({"mb": mb, "skipped": stop})
                    continue
                if last_rate and last_rate * mb > budget_s / 2:
                    series.append({"mb": mb, "skipped": f"projected {last_rate * mb:.0f} s > half the budget"})
                    continue
                point = {"mb": mb, **_measure_with_timeout(stage, name, size, budget_s)}
                if "seconds" in point:
                    last_rate = point["s_per_mb"] = point["seconds"] / (point["bytes"] / 1e6)
                    msg = f"{last_rate:8.3f} s/MB"
                else:
                    stop = "after " + ("an error" if "error" in point else "a timeout")
                    msg = point.get("error") or point.get("timeout", "")
                series.append(point)
                if log:
                    log(f"  {name:<22} {stage:<18} {mb:>7g} MB  {msg}")
            rates = [p["s_per_mb"] for p in series if "s_per_mb" in p]
            failed = any("error" in p or "timeout" in p for p in series)
            floored = [max(r, noise_s_per_mb) for r in rates]
            growth = floored[-1] / min(floored) if rates else float("nan")
            flat: bool | None = (False if failed else None if len(rates) < 2
                                 else growth <= flat_factor)
            slow = failed or bool(rates and rates[-1] > slow_s_per_mb)
            results[name][stage] = {"series": series, "growth": growth, "flat": flat, "slow": slow}
    return {"sizes_mb": list(sizes_mb), "budget_s": budget_s, "flat_factor": flat_factor,
            "slow_s_per_mb": slow_s_per_mb, "noise_s_per_mb": noise_s_per_mb, "inputs": results}


def summary(result: dict) -> dict[str, int]:
    """Counts of flat, not flat and undecided series."""
    flags = [r["flat"] for stages in result["inputs"].values() for r in stages.values()]
    slow = [r["slow"] for stages in result["inputs"].values() for r in stages.values()]
    return {"series": len(flags), "flat": flags.count(True), "not_flat": flags.count(False),
            "undecided": flags.count(None), "slow": sum(slow)}


def markdown(result: dict) -> str:
    """The adversarial results as a Markdown table (seconds per MB per size, and flatness)."""
    sizes = sorted(result["sizes_mb"])
    head = ("| input | stage | " + " | ".join(f"{s:g} MB (s/MB)" for s in sizes)
            + " | growth | flat | slow |")
    lines = [head, "|" + "---|" * (len(sizes) + 5)]
    for name, stages in result["inputs"].items():
        for stage, r in stages.items():
            cells = []
            by_size = {p["mb"]: p for p in r["series"]}
            for s in sizes:
                p = by_size.get(s)
                if p is None:
                    cells.append("–")
                elif "s_per_mb" in p:
                    cells.append(f"{p['s_per_mb']:.3f}")
                elif "error" in p:
                    cells.append("error: " + p["error"].split(":")[0])
                elif "timeout" in p:
                    cells.append(f"timeout (> {result['budget_s']:g} s)")
                else:
                    cells.append("skipped")
            growth = f"{r['growth']:.2f}x" if r["growth"] == r["growth"] else "–"
            lines.append(f"| {name} | {stage} | " + " | ".join(cells) + f" | {growth} | { {True: 'yes', False: '**NO**', None: '?'}[r['flat']] } | {'**yes**' if r.get('slow') else 'no'} |")
    return "\n".join(lines)
