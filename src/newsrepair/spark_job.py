"""A ready Spark job: read JSON Lines or Parquet, repair one text field, write Parquet.

Run it with ``spark-submit`` (any cluster manager), giving the path of this file::

    spark-submit --master yarn "$(python -m newsrepair.spark_job --script-path)" \\
        s3://bucket/scraped/*.jsonl s3://bucket/repaired/ --field text

or locally, without ``spark-submit``::

    python -m newsrepair.spark_job articles.jsonl repaired.parquet --master 'local[*]'

The output keeps every input column and adds the columns of
:func:`newsrepair.spark.repair_column` (``repaired``, ``spin_score``, ``is_spun``,
``changes_encoding``, ``changes_boilerplate``, ``changes_spin``, and ``changes`` with
``--explain``). When it is done, the job prints one JSON line describing the rows this
run wrote (with ``--mode append``, not the rows already there): ``rows``, ``changed``
(rows whose text the repair changed), ``spun`` (rows judged spun; null with
``--no-spin``) and ``no_text`` (rows whose field is null or missing, written with null
added columns). The counts are gathered while the output is written, with no extra pass;
``--quiet`` leaves them out.

The data files named by ``--spinner-dict`` and ``--boilerplate-model`` are loaded on the
driver before Spark starts, so a missing or malformed file is a one-line usage error
(exit 2) rather than a failure in every executor.

This file imports newsrepair by absolute name, so ``spark-submit`` can run it as a plain
script; newsrepair (with its lexicons) must be installed in the Python environment of
the driver and of every executor (see "Running on a cluster" in the README).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Sequence

if __name__ == "__main__" and sys.path and sys.path[0] and (
        os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__))):
    # Run as a script (spark-submit): this package's directory is on sys.path, where its
    # modules (io.py, config.py, ...) would shadow top-level ones. Import by package only.
    del sys.path[0]

from newsrepair import Repairer, __version__  # noqa: E402
from newsrepair.cli import (add_config_options, add_stage_options, config_from_args,  # noqa: E402
                            float01, whole_number)
from newsrepair.cli import one_line  # noqa: E402
from newsrepair.config import Config  # noqa: E402
from newsrepair.errors import ConfigError, DataFileError, NewsrepairError  # noqa: E402

__all__ = ["build_parser", "make_config", "input_format", "run", "main",
           "SUMMARY_FIELDS"]

PROG = "python -m newsrepair.spark_job"
EXIT_USAGE = 2
EXIT_FAILURE = 1
_PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")
#: The counts of the summary line, in order (see the module docstring).
SUMMARY_FIELDS = ("rows", "changed", "spun", "no_text")


def _fraction(text: str) -> float:
    value = float01(text)
    if value == 0.0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The job's command-line parser."""
    p = argparse.ArgumentParser(
        prog=PROG, description="Repair a text field of JSON Lines or Parquet data with Apache "
                               "Spark and write Parquet.")
    p.add_argument("input", nargs="?", help="input path, directory or glob (any Spark/Hadoop "
                                            "file system: local, hdfs://, s3a://, ...)")
    p.add_argument("output", nargs="?", help="output directory (Parquet)")
    p.add_argument("--version", action="version", version=f"newsrepair {__version__}")
    p.add_argument("--script-path", action="store_true",
                   help="print the path of this script (for spark-submit) and exit")

    io_ = p.add_argument_group("input and output")
    io_.add_argument("--format", choices=("auto", "jsonl", "parquet"), default="auto",
                     help="input format (default auto: parquet for *.parquet/*.pq paths, "
                          "otherwise JSON Lines)")
    io_.add_argument("--field", default="text", metavar="NAME",
                     help='the field holding the text (default "text")')
    io_.add_argument("--output-field", default="repaired", metavar="NAME",
                     help='the column for the repaired text (default "repaired")')
    io_.add_argument("--prefix", default="", metavar="STR",
                     help="put before the names of the other added columns")
    io_.add_argument("--explain", action="store_true",
                     help='add the change log of each row as a JSON string column ("changes")')
    io_.add_argument("--sampling-ratio", type=_fraction, default=1.0, metavar="R",
                     help="share of JSON Lines records read to infer the schema (default 1: "
                          "all, an extra pass; fields seen only in unread records are dropped)")
    io_.add_argument("--partitions", type=whole_number(1), metavar="N",
                     help="repartition the input into N partitions first (spreads a few large "
                          "files over all executors)")
    io_.add_argument("--mode", choices=("error", "overwrite", "append", "ignore"), default="error",
                     help="what to do when the output exists (default error)")
    io_.add_argument("--compression", default="zstd", metavar="CODEC",
                     help="Parquet compression codec (default zstd)")
    io_.add_argument("--master", metavar="URL",
                     help="Spark master when not run by spark-submit (default: local[*])")
    io_.add_argument("-q", "--quiet", action="store_true",
                     help="no summary line at the end (the counts of rows written, changed, "
                          "judged spun and without text)")

    add_stage_options(p)
    add_config_options(p, title="options (paths must be readable on every executor)")
    return p


def make_config(args: argparse.Namespace) -> Config:
    """The :class:`~newsrepair.Config` the parsed arguments describe (as the command's)."""
    return config_from_args(args)


def input_format(path: str, requested: str = "auto") -> str:
    """``"parquet"`` or ``"jsonl"`` for ``path``: the requested format, or a guess from
    the name (a local directory holding ``*.parquet`` files counts as Parquet)."""
    if requested != "auto":
        return requested
    name = path.rstrip("/").lower()
    if name.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    if os.path.isdir(path) and any(f.lower().endswith(_PARQUET_SUFFIXES) for f in os.listdir(path)):
        return "parquet"
    return "jsonl"


def _session(master: str | None) -> Any:
    from newsrepair.spark import _require_pyspark

    _require_pyspark()
    from pyspark.sql import SparkSession

    launched_by_spark_submit = "PYSPARK_GATEWAY_PORT" in os.environ
    if not launched_by_spark_submit and not os.environ.get("PYSPARK_PYTHON"):
        # Started as ``python -m``: let local workers use this interpreter, which has newsrepair.
        os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = SparkSession.builder.appName("newsrepair")
    if master:
        builder = builder.master(master)
    elif not launched_by_spark_submit:
        builder = builder.master("local[*]")
    return builder.getOrCreate()


def run(spark: Any, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    """Read, repair and write as ``args`` says, with the session ``spark``; return the
    summary: the input, format and output, and (without ``--quiet``) the counts of
    :data:`SUMMARY_FIELDS` for the rows this run wrote."""
    from pyspark.sql import Observation
    from pyspark.sql import functions as F

    from newsrepair.spark import repair_column

    fmt = input_format(args.input, args.format)
    reader = spark.read
    if fmt == "parquet":
        df = reader.parquet(args.input)
    else:
        df = reader.option("samplingRatio", args.sampling_ratio).json(args.input)
    if args.partitions:
        df = df.repartition(args.partitions)
    out = repair_column(
        df, args.field, output_col=args.output_field, prefix=args.prefix, config=config,
        encoding=not args.no_encoding, boilerplate=not args.no_boilerplate,
        spin=not args.no_spin, explain=args.explain)
    observation = None
    if not args.quiet:
        # Counted while the rows are written: this run's rows only (not what an appended-to
        # output already held), and no second pass over the data.
        text, repaired = F.col(args.field), F.col(args.output_field)
        observation = Observation()
        out = out.observe(
            observation,
            F.count(F.lit(1)).alias("rows"),
            F.count(F.when(text.isNotNull() & (repaired != text), 1)).alias("changed"),
            F.count(F.when(F.col(args.prefix + "is_spun"), 1)).alias("spun"),
            F.count(F.when(text.isNull(), 1)).alias("no_text"))
    (out.write.mode(args.mode).option("compression", args.compression).parquet(args.output))
    summary: dict[str, Any] = {"input": args.input, "format": fmt, "output": args.output}
    if observation is not None:
        counts = observation.get
        summary.update({name: int(counts.get(name) or 0) for name in SUMMARY_FIELDS})
        if args.no_spin:
            summary["spun"] = None
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    """Run the job; return the exit status (0 ok, 1 failure, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.script_path:
        print(os.path.abspath(__file__))
        return 0
    if not args.input or not args.output:
        parser.error("the input and output paths are required")
    try:
        config = make_config(args)
    except ConfigError as exc:
        parser.error(str(exc))
    try:
        # on the driver, before any Spark work, so that a bad file is one message, not a failure in every task
        Repairer(config).check_data_files(boilerplate=not args.no_boilerplate, spin=not args.no_spin)
    except DataFileError as exc:
        print(f"{PROG}: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    try:
        spark = _session(args.master)
    except NewsrepairError as exc:  # pyspark missing
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    from pyspark.errors import AnalysisException

    try:
        summary = run(spark, args, config)
    except (NewsrepairError, AnalysisException) as exc:
        # bad field name, taken column name, missing input, existing output, ...
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        spark.stop()
    if not args.quiet:
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
