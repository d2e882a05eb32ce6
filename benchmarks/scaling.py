"""Scaling and memory of the parallel command on a large generated JSON Lines file.

    python benchmarks/scaling.py [--size-mb 1024] [--jobs 1,2] [--source FILE ...] [--keep DIR]
                                 [-- CLI OPTIONS]

Generates a JSON Lines file of about ``--size-mb`` MB in a temporary directory (synthetic
news-like records written for this benchmark: plain sentences, some mojibake, some
spinner-style wording, page furniture, varied lengths; or, with ``--source``, the records of real JSON
Lines files such as ``../shared/data/clean/*.jsonl`` repeated), then runs ``python -m newsrepair --jsonl -j N -o
OUT`` once per value of ``--jobs`` and reports, for each run:

* wall time and throughput (MB/s of input);
* peak memory of the whole process tree (the command and its workers), sampled every
  0.1 s from ``/proc``: the sum of RSS (counts pages shared after ``fork`` once per
  process, so it over-states) and the sum of PSS (shared pages split fairly; the honest
  figure, Linux only);
* CPU seconds of the tree and "cores used" (CPU seconds / wall seconds): on a shared
  machine, 2 workers that get only one core's worth of CPU show it here;
* the speed-up of each run over the first, and its CPU time over the first's (on a machine
  shared with other jobs the speed-up shows how many cores were free; the CPU time a run
  needs does not depend on that, so ``N / (CPU vs first)`` is the speed-up N free cores
  would give, less what the parent waits for).

Targets (issue 6): peak memory under 500 MB with 2 workers; 2 workers >= 1.8x faster than
1. Both depend on the machine being otherwise idle; the report prints the load average
before and after so a busy machine shows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

SENTENCES = [
    "The city council approved the new transport plan on Tuesday after a long debate.",
    "Officials said the bridge would reopen to traffic early next year.",
    "Residents of the coastal town queued for hours to collect drinking water.",
    "The ministry of health reported a sharp rise in hospital admissions last week.",
    "Police said two people had been arrested in connection with the robbery.",
    "Farmers in the region warned that the dry season could cut harvests by a third.",
    "The central bank kept interest rates unchanged, citing uncertainty over prices.",
    "Opposition leaders called for an independent inquiry into the contract.",
    "The company said it would hire four hundred workers at its new plant.",
    "Teachers voted to accept the pay offer, ending a dispute that lasted months.",
]
MOJIBAKE = ["The mayorâ€™s office declined to comment.", "â€œWe are ready,â€\x9d she said.",
            "Prices rose by 5Â % in the cafÃ© sector."]
SPUN = ["The navy stated it might present sufficient vitality for the realm.",
        "Specialists mentioned the brand new coverage was anticipated subsequent 12 months."]
FURNITURE = ["Share on Facebook", "Sign up for our newsletter", "RELATED ARTICLES"]


def make_record(rng: random.Random, i: int) -> dict:
    paragraphs = []
    for _ in range(rng.randint(3, 12)):
        sents = [rng.choice(SENTENCES) for _ in range(rng.randint(2, 6))]
        if rng.random() < 0.05:
            sents.append(rng.choice(MOJIBAKE))
        if rng.random() < 0.2:
            sents.append(rng.choice(SPUN))
        paragraphs.append(" ".join(sents))
    if rng.random() < 0.3:
        paragraphs.append(rng.choice(FURNITURE))
    return {"id": i, "url": f"https://news.example/{i}", "text": "\n\n".join(paragraphs),
            "lang": "en"}


def generate(path: str, size_mb: float, seed: int = 1, sources: list[str] | None = None) -> int:
    """Write about ``size_mb`` MB of records to ``path``; return the number of records.

    With ``sources`` (JSON Lines files), their records are repeated in order, every field
    kept and ``id`` renumbered; otherwise synthetic records are made up."""
    if sources:
        records = []
        for source in sources:
            with open(source, encoding="utf-8") as fh:
                records += [json.loads(line) for line in fh if line.strip()]
        records = [r for r in records if isinstance(r, dict) and isinstance(r.get("text"), str)]
        if not records:
            raise SystemExit(f"{', '.join(sources)}: no records with a 'text' field")
    else:
        rng = random.Random(seed)
        records = [make_record(rng, 0) for _ in range(3000)]
    # Every record as the text after its id, so that writing a line is one concatenation.
    pool = [json.dumps({k: v for k, v in r.items() if k != "id"}, ensure_ascii=False)[1:] for r in records]
    pool = [(", " + tail) if tail != "}" else tail for tail in pool]
    target = int(size_mb * 1_000_000)
    written = n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < target:
            line = '{"id": ' + str(n) + pool[n % len(pool)] + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return n


def _children(pid: int) -> list[int]:
    out = []
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            kids = [int(k) for k in fh.read().split()]
    except OSError:
        return out
    for kid in kids:
        out.append(kid)
        out.extend(_children(kid))
    return out


def _mem_kb(pid: int, field: str) -> int:
    try:
        if field == "Pss":
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        else:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_once(cmd: list[str]) -> dict:
    peak = {"rss": 0, "pss": 0, "procs": 0}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = [proc.pid, *_children(proc.pid)]
            peak["rss"] = max(peak["rss"], sum(_mem_kb(p, "VmRSS") for p in pids))
            peak["pss"] = max(peak["pss"], sum(_mem_kb(p, "Pss") for p in pids))
            peak["procs"] = max(peak["procs"], len(pids))
            done.wait(0.1)

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "cores_used": round(cpu / wall, 2), "peak_rss_mb": peak["rss"] / 1024, "peak_pss_mb": peak["pss"] / 1024,
            "processes": peak["procs"], "exit": proc.returncode, "stderr": err.decode("utf-8", "replace")[-500:]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=1024)
    parser.add_argument("--jobs", default="1,2", help="comma-separated worker counts to compare")
    parser.add_argument("--keep", help="generate the input here and keep it (reused when present)")
    parser.add_argument("--source", action="append", default=[], metavar="FILE",
                        help="repeat the records of this JSON Lines file (with a 'text' field) "
                             "instead of synthetic ones; repeatable")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("cli_args", nargs="*", help="extra options for the command (after --)")
    args = parser.parse_args()
    workdir = args.keep or tempfile.mkdtemp(prefix="newsrepair-scaling-")
    os.makedirs(workdir, exist_ok=True)
    kind = "source" if args.source else "synthetic"
    src = os.path.join(workdir, f"input-{kind}-{int(args.size_mb)}mb.jsonl")
    try:
        if not os.path.exists(src):
            t0 = time.perf_counter()
            n = generate(src, args.size_mb, sources=args.source)
            print(f"generated {os.path.getsize(src) / 1e6:.0f} MB, {n} records in {time.perf_counter() - t0:.1f} s",
                  file=sys.stderr)
        size_mb = os.path.getsize(src) / 1e6
        results = []
        for jobs in [int(j) for j in args.jobs.split(",")]:
            out = os.path.join(workdir, f"out-j{jobs}")
            shutil.rmtree(out, ignore_errors=True)
            cmd = [sys.executable, "-m", "newsrepair", "--jsonl", "-q", "-j", str(jobs), "-o", out,
                   *args.cli_args, src]
            load_before = os.getloadavg()[0]
            res = run_once(cmd)
            res.update(jobs=jobs, input_mb=round(size_mb, 1), mb_per_s=round(size_mb / res["wall_s"], 2),
                       load_before=round(load_before, 2), load_after=round(os.getloadavg()[0], 2))
            results.append(res)
            shutil.rmtree(out, ignore_errors=True)
            print(f"-j {jobs}: {res['wall_s']:.1f} s, {res['cores_used']} cores used, {res['mb_per_s']} MB/s, peak RSS(tree) "
                  f"{res['peak_rss_mb']:.0f} MB, peak PSS(tree) {res['peak_pss_mb']:.0f} MB, "
                  f"{res['processes']} processes, exit {res['exit']}, load {res['load_before']}->{res['load_after']}",
                  file=sys.stderr)
        base, base_cpu = results[0]["wall_s"], results[0]["cpu_s"]
        for res in results:
            res["speedup"] = round(base / res["wall_s"], 2)
            # On a machine shared with other jobs the wall-time speed-up shows the cores that
            # were free; the CPU time each run needed does not depend on them.
            res["cpu_vs_first"] = round(res["cpu_s"] / base_cpu, 3) if base_cpu else None
        if args.json:
            print(json.dumps(results, indent=1))
        else:
            print(f"input: {size_mb:.0f} MB JSON Lines; cores available: {os.cpu_count()}")
            print("| jobs | wall s | CPU s | CPU vs first | cores used | MB/s | speed-up | peak RSS tree MB | peak PSS tree MB |")
            print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for r in results:
                print(f"| {r['jobs']} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['cpu_vs_first']}x | {r['cores_used']} | "
                      f"{r['mb_per_s']} | {r['speedup']}x | "
                      f"{r['peak_rss_mb']:.0f} | {r['peak_pss_mb']:.0f} |")
        return 0 if all(r["exit"] == 0 for r in results) else 1
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
