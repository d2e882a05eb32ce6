"""Speed-up of the Spark integration: local[1] against local[2] (or any list of masters).

    python benchmarks/spark_scaling.py [--size-mb 30] [--masters 'local[1],local[2]']
                                       [--partitions 8] [--repeat N] [--baseline]
                                       [--source FILE.jsonl] [--keep DIR]

Writes a JSON Lines corpus of about ``--size-mb`` MB (the synthetic news-like records of
``scaling.py``, or the records of ``--source`` repeated), then, for each
master, runs in a fresh process: start a SparkSession, read the JSONL, repartition into
``--partitions`` partitions, :func:`newsrepair.spark.repair_column`, write Parquet. It
reports the session start-up time, the job time (read + repair + write), the throughput
on the job time, and the speed-up of each master's median job time over the first one's.
``--baseline`` also times the same job with every stage off (Spark's reading, shuffling,
Arrow transfer and writing alone); the first lines give plain ``newsrepair.repair()`` in
one process for comparison.

Needs the spark extra (``pip install -e '.[spark]'``) and Java 17. The speed-up depends on
the machine being otherwise idle: the load average is printed before and after each run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

if __package__:
    from .scaling import generate
else:  # run as a script: this directory is on sys.path
    from scaling import generate


def write_corpus(path: str, size_mb: float, source: str | None = None) -> int:
    """Write about ``size_mb`` MB of JSON Lines to ``path`` (the synthetic records of
    ``scaling.py``, or the records of ``source`` repeated); return the number of records."""
    return generate(path, size_mb, sources=[source] if source else None)


def _plain_throughput(src: str, limit_mb: float = 5.0) -> float:
    """MB/s of :func:`newsrepair.repair` on the first ``limit_mb`` MB of ``src``, no Spark."""
    import newsrepair

    texts: list[str] = []
    size = 0
    with open(src, encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            size += len(texts[-1].encode("utf-8"))
            if size > limit_mb * 1024 * 1024:
                break
    newsrepair.repair(texts[0])  # load the data first
    t0 = time.perf_counter()
    for text in texts:
        newsrepair.repair(text)
    return size / 1024 / 1024 / (time.perf_counter() - t0)


def _one_run(master: str, src: str, dst: str, partitions: int, stages: bool = True) -> None:
    """The child process: time one session start-up and one job; print JSON."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    t0 = time.perf_counter()
    from pyspark.sql import SparkSession

    from newsrepair.spark import repair_column

    spark = (SparkSession.builder.master(master).appName("newsrepair-bench")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    t1 = time.perf_counter()
    df = spark.read.json(src).repartition(partitions)
    repair_column(df, "text", encoding=stages, boilerplate=stages, spin=stages).write.mode("overwrite").parquet(dst)
    t2 = time.perf_counter()
    rows = spark.read.parquet(dst).count()
    spark.stop()
    print(json.dumps({"master": master, "startup_s": t1 - t0, "job_s": t2 - t1, "rows": rows}))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size-mb", type=float, default=30.0)
    p.add_argument("--masters", default="local[1],local[2]")
    p.add_argument("--partitions", type=int, default=8)
    p.add_argument("--source", help="JSONL whose records (with a 'text' field) are repeated instead of synthetic ones")
    p.add_argument("--repeat", type=int, default=1,
                   help="run every master this many times, alternating; report the median")
    p.add_argument("--baseline", action="store_true",
                   help="also time each master with every stage off (Spark I/O and the Arrow "
                        "round trip alone)")
    p.add_argument("--stages-off", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--keep", metavar="DIR", help="keep the corpus and outputs in DIR")
    p.add_argument("--child", nargs=3, metavar=("MASTER", "SRC", "DST"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _one_run(*args.child, args.partitions, stages=not args.stages_off)
        return 0
    work = args.keep or tempfile.mkdtemp(prefix="nr-spark-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        src = os.path.join(work, "corpus.jsonl")
        n = write_corpus(src, args.size_mb, args.source)
        mb = os.path.getsize(src) / 1024 / 1024
        print(f"corpus: {n} records, {mb:.1f} MB ({'source ' + args.source if args.source else 'synthetic'}); "
              f"{os.cpu_count()} CPUs; partitions {args.partitions}")
        print(f"plain newsrepair.repair() in this process (one core, first 5 MB): "
              f"{_plain_throughput(src):.2f} MB/s")
        runs: dict[tuple[str, bool], list[dict]] = {}
        plan = [(m, True) for m in args.masters.split(",")]
        if args.baseline:
            plan += [(m, False) for m in args.masters.split(",")]
        for _ in range(args.repeat):
            for master, stages in plan:
                load = os.getloadavg()[0]
                dst = os.path.join(work, "out-" + "".join(c for c in master if c.isalnum()))
                cmd = [sys.executable, os.path.abspath(__file__), "--partitions",
                       str(args.partitions), "--child", master, src, dst]
                proc = subprocess.run(cmd + (["--stages-off"] if not stages else []),
                                      capture_output=True, text=True, check=False)
                lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
                if proc.returncode or not lines:
                    print(proc.stderr[-3000:], file=sys.stderr)
                    return 1
                r = json.loads(lines[-1])
                r.update(load_before=load, load_after=os.getloadavg()[0])
                runs.setdefault((master, stages), []).append(r)
                print(f"  run {master:>10} {'repair' if stages else 'no stages'}: start-up "
                      f"{r['startup_s']:5.1f} s, job {r['job_s']:6.1f} s (load average "
                      f"{r['load_before']:.1f} -> {r['load_after']:.1f})", flush=True)
        print(f"median of {args.repeat} run(s):")
        for stages in (True, False):
            base = None
            for master in args.masters.split(","):
                if (master, stages) not in runs:
                    continue
                job = statistics.median(r["job_s"] for r in runs[master, stages])
                base = base or job
                print(f"{master:>10} {'repair' if stages else 'no stages'}: job {job:6.1f} s, "
                      f"{mb / job:5.2f} MB/s, speed-up {base / job:.2f}x")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
