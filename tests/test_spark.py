"""newsrepair.spark and newsrepair.spark_job, run for real on a local Spark (local[2]).

The Spark tests need the ``spark`` extra (``pip install -e '.[test,spark]'``) and Java
17; they skip with the reason when either is missing (and fail instead when
``NEWSREPAIR_REQUIRE_SPARK=1``, as in ``.ci/run``). Every value Spark produces is
checked against :func:`newsrepair.repair` on the same row, so these tests follow the
pipeline as the stages change.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from typing import Any, Iterator

import pytest

import newsrepair
from newsrepair import Config, InputError, apply_changes

pytestmark = [  # pyspark's own warnings about the pandas / packaging versions installed
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:distutils Version classes are deprecated:DeprecationWarning"),
]


# -- test documents (written for these tests) ------------------------------------------

_PARAGRAPHS = [
    "The harbour council voted on Monday to build a solar farm east of the town.",
    "Itâ€™s the third time the plan has come before councillors since 2019.",
    "Residents said the new farm would provide enough energy for about 4,000 homes.",
    "The navy said its ships would leave the port for the reason that the weather had turned.",
    "A spokesperson for the group said the vitality provide was nonetheless unsure.",
    "Fish &amp; chips shops on the quay reported a busy weekend.",
    "Prices rose 3\u00a0per cent in the year to March, the agency said.",
    "Der Gemeinderat stimmte am Montag zu. 町議会は月曜日に賛成した.",
]
_FURNITURE = ["Share on Facebook", "Login | Subscribe | Search", "RELATED ARTICLES",
              "Tuesday, March 3, 2026", "Sign up for our newsletter"]


def _documents() -> list[str | None]:
    """About forty varied documents: clean, mojibake, entities, page furniture, spinner-like
    wording, odd whitespace, other scripts, empty, and nulls."""
    docs: list[str | None] = []
    n = len(_PARAGRAPHS)
    for i in range(36):
        paras = [_PARAGRAPHS[(i + k * 3) % n] for k in range(1 + i % 4)]
        if i % 3 == 0:
            paras.insert(0, _FURNITURE[i % len(_FURNITURE)])
        if i % 5 == 1:
            paras.append(_FURNITURE[(i + 2) % len(_FURNITURE)])
        sep = "\r\n\r\n" if i % 7 == 0 else "\n\n"
        docs.append(sep.join(paras) + ("  \n" if i % 4 == 2 else ""))
    docs += ["", "   \n\n  ", None, "One line without a full stop", None]
    return docs


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """A quiet local[2] SparkSession whose Python workers run this interpreter."""
    # CI sets NEWSREPAIR_REQUIRE_SPARK=1: there a missing extra or Java fails instead of skipping.
    unavailable = pytest.fail if os.environ.get("NEWSREPAIR_REQUIRE_SPARK") == "1" else pytest.skip
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
        from pyspark.sql import SparkSession
    except ImportError as exc:
        unavailable(f"the spark extra is not installed (pip install '.[test,spark]'): {exc}")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        unavailable("Spark needs Java (17) and none was found on PATH or in JAVA_HOME")
    saved = {k: os.environ.get(k) for k in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")}
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("newsrepair-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "7")  # several batches
               .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=ERROR")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def docs_df(spark: Any) -> Any:
    rows = [(i, f"doc-{i}", text) for i, text in enumerate(_documents())]
    return spark.createDataFrame(rows, "id long, name string, text string").repartition(3)


def _expected(text: str | None, config: Config | None = None, **stages: bool) -> dict[str, Any]:
    """What one row should hold, computed by newsrepair.repair in this process."""
    if text is None:
        return {"repaired": None, "spin_score": None, "is_spun": None, "changes_encoding": None,
                "changes_boilerplate": None, "changes_spin": None, "changes": None}
    result = newsrepair.repair(text, config=config, **stages)
    counts = result.counts()
    return {
        "repaired": result.text,
        "spin_score": result.spin.score if result.spin is not None else None,
        "is_spun": result.spin.is_spun if result.spin is not None else None,
        **{f"changes_{s}": (counts[s] if stages.get(s, True) else None)
           for s in ("encoding", "boilerplate", "spin")},
        "changes": [c.to_dict() for c in result.changes],
    }


# -- repair_column ------------------------------------------------------------------------


def test_repair_column_matches_repair_row_by_row(docs_df: Any) -> None:
    from newsrepair.spark import repair_column

    out = repair_column(docs_df, "text", explain=True)
    assert out.columns == ["id", "name", "text", "repaired", "spin_score", "is_spun",
                           "changes_encoding", "changes_boilerplate", "changes_spin", "changes"]
    kinds = dict(out.dtypes)
    assert (kinds["repaired"], kinds["spin_score"], kinds["is_spun"], kinds["changes_spin"]) == (
        "string", "double", "boolean", "int")
    rows = sorted(out.collect(), key=lambda r: r["id"])
    docs = _documents()
    assert [r["id"] for r in rows] == list(range(len(docs)))
    for row, text in zip(rows, docs):
        got = row.asDict()
        assert got["text"] == text and got["name"] == f"doc-{row['id']}"  # input kept as is
        if got["changes"] is not None:
            got["changes"] = json.loads(got["changes"])
        want = _expected(text)
        assert {k: got[k] for k in want} == want, f"row {row['id']}"
        if text is not None:
            log = [newsrepair.Change(**c) for c in got["changes"]]
            assert apply_changes(text, log) == got["repaired"]
    # the documents exercise the encoding stage, so the comparison is not vacuous
    assert sum(r["changes_encoding"] or 0 for r in rows) > 0
    assert any(r["repaired"] != r["text"] for r in rows)


def test_repair_column_config_stages_and_names(docs_df: Any) -> None:
    from newsrepair.spark import repair_column

    config = Config(straighten_quotes=True, keep_captions=False)
    out = repair_column(docs_df.select("id", "text"), "text", output_col="clean", prefix="nr_",
                        config=config, spin=False)
    assert out.columns == ["id", "text", "clean", "nr_spin_score", "nr_is_spun",
                           "nr_changes_encoding", "nr_changes_boilerplate", "nr_changes_spin"]
    docs = _documents()
    for row in out.collect():
        text = docs[row["id"]]
        want = _expected(text, config, spin=False)
        assert row["clean"] == want["repaired"]
        assert row["nr_spin_score"] is None and row["nr_is_spun"] is None
        assert row["nr_changes_spin"] is None
        assert row["nr_changes_encoding"] == want["changes_encoding"]
        assert row["nr_changes_boilerplate"] == want["changes_boilerplate"]
        if text is not None and "’" in newsrepair.fix_encoding(text):
            assert "’" not in row["clean"]  # the config reached the executors


def test_repair_column_rejects_bad_columns(docs_df: Any) -> None:
    from newsrepair.spark import repair_column

    with pytest.raises(InputError, match="not found"):
        repair_column(docs_df, "body")
    with pytest.raises(InputError, match="must hold strings"):
        repair_column(docs_df, "id")
    with pytest.raises(InputError, match="already used"):
        repair_column(docs_df, "text", output_col="name")
    with pytest.raises(InputError, match="config"):
        repair_column(docs_df, "text", config={"straighten_quotes": True})  # type: ignore[arg-type]


# -- the spark-submit job --------------------------------------------------------------------


def _job_args(*argv: str) -> Any:
    from newsrepair import spark_job

    args = spark_job.build_parser().parse_args(list(argv))
    return args, spark_job.make_config(args)


def test_job_jsonl_to_parquet(spark: Any, tmp_path: Any) -> None:
    from newsrepair import spark_job

    docs = _documents()
    src = tmp_path / "in.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        for i, text in enumerate(docs):
            fh.write(json.dumps({"id": i, "body": text, "site": "example.org"}) + "\n")
    dst = tmp_path / "out"
    args, config = _job_args(str(src), str(dst), "--field", "body", "--no-boilerplate",
                             "--straighten-quotes", "--partitions", "2",
                             "--sampling-ratio", "0.5")
    summary = spark_job.run(spark, args, config)
    assert summary["format"] == "jsonl"
    rows = spark.read.parquet(str(dst)).collect()
    assert len(rows) == len(docs)
    for row in rows:
        want = _expected(docs[row["id"]], Config(straighten_quotes=True), boilerplate=False)
        assert row["site"] == "example.org"
        assert row["repaired"] == want["repaired"]
        assert row["changes_boilerplate"] is None
        assert row["spin_score"] == want["spin_score"]
    assert list(summary)[3:] == list(spark_job.SUMMARY_FIELDS)
    assert summary["rows"] == len(docs)
    assert summary["no_text"] == sum(t is None for t in docs)
    # "changed" counts rows whose text the repair changed, not rows with an output
    changed = sum(r["body"] is not None and r["repaired"] != r["body"] for r in rows)
    assert summary["changed"] == changed
    assert 0 < changed < sum(t is not None for t in docs)
    assert summary["spun"] == sum(bool(r["is_spun"]) for r in rows)


def test_job_summary_counts_only_this_runs_rows(spark: Any, tmp_path: Any) -> None:
    """With --mode append the summary describes the rows this run wrote, not the directory."""
    from newsrepair import spark_job

    texts = ["Fish &amp; chips on the quay.", "Plain words, nothing to do.", None,
             "Itâ€™s the third time.", "Share on Facebook\n\nThe council met on Monday to vote."]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    dst = tmp_path / "out"
    want_changed = sum(t is not None and newsrepair.repair(t).text != t for t in texts)
    summaries = []
    for _ in range(2):
        args, config = _job_args(str(src), str(dst), "--mode", "append")
        summaries.append(spark_job.run(spark, args, config))
    assert spark.read.parquet(str(dst)).count() == 2 * len(texts)  # both runs were written
    for summary in summaries:
        assert (summary["rows"], summary["changed"], summary["no_text"]) == (
            len(texts), want_changed, 1)
    assert summaries[0]["spun"] == summaries[1]["spun"]
    assert 0 < want_changed < len(texts) - 1


def test_job_parquet_input_detected(spark: Any, tmp_path: Any) -> None:
    from newsrepair import spark_job

    src = tmp_path / "in.parquet"
    spark.createDataFrame([(1, "Fish &amp; chips"), (2, None)], "id long, text string") \
        .write.parquet(str(src))
    assert spark_job.input_format(str(src)) == "parquet"
    args, config = _job_args(str(src), str(tmp_path / "out"), "--quiet")
    summary = spark_job.run(spark, args, config)
    assert "rows" not in summary
    got = {r["id"]: r["repaired"] for r in spark.read.parquet(str(tmp_path / "out")).collect()}
    assert got == {1: newsrepair.repair("Fish &amp; chips").text, 2: None}


# -- no Spark needed ---------------------------------------------------------------------------


def test_job_command_line_without_spark(capsys: pytest.CaptureFixture[str]) -> None:
    from newsrepair import spark_job

    assert spark_job.main(["--script-path"]) == 0
    path = capsys.readouterr().out.strip()
    assert os.path.isfile(path) and path.endswith("spark_job.py")
    with pytest.raises(SystemExit) as exc:
        spark_job.main(["only-input.jsonl"])
    assert exc.value.code == 2
    args, config = _job_args("a", "b", "--domain", "science", "--threshold", "0.7",
                             "--min-confidence", "0.8", "--drop-captions")
    assert config == Config(domains=("news", "science"), spin_threshold=0.7,
                            min_edit_confidence=0.8, keep_captions=False)
    assert spark_job.input_format("s3a://bucket/day=1/part-0.PARQUET") == "parquet"
    assert spark_job.input_format("crawl/2026-03-*.jsonl") == "jsonl"
    assert spark_job.input_format("x.jsonl", "parquet") == "parquet"


@pytest.mark.parametrize("option, content, message", [
    ("--spinner-dict", None, "cannot read spinner dictionary"),
    ("--spinner-dict", "# only a comment\n", "has no group lines"),
    ("--boilerplate-model", None, "cannot read boilerplate model"),
    ("--boilerplate-model", "{not json", "not a valid boilerplate model"),
    ("--boilerplate-model", '{"format": "something else"}', "not a valid boilerplate model"),
])
def test_job_checks_data_files_before_starting_spark(
        option: str, content: str | None, message: str, tmp_path: Any,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing or malformed data file is a one-line usage error, found on the driver
    before a Spark session exists (it used to fail late, in every executor)."""
    from newsrepair import spark_job

    def no_session(master: Any) -> Any:
        raise AssertionError("Spark was started despite a bad data file")

    monkeypatch.setattr(spark_job, "_session", no_session)
    path = tmp_path / "data.txt"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code = spark_job.main(["in.jsonl", str(tmp_path / "out"), option, str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"{spark_job.PROG}: error: ")
    assert message in err and str(path) in err


def test_job_data_file_of_a_stage_that_is_off_is_not_checked(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """As in the command: --no-spin ignores --spinner-dict, --no-boilerplate the model."""
    from newsrepair import spark_job
    from newsrepair.errors import NewsrepairError

    def sessions(master: Any) -> Any:
        raise NewsrepairError("reached the session")

    monkeypatch.setattr(spark_job, "_session", sessions)
    missing = str(tmp_path / "missing")
    assert spark_job.main(["in", "out", "--spinner-dict", missing, "--no-spin",
                           "--boilerplate-model", missing, "--no-boilerplate"]) == 1
    assert "reached the session" in capsys.readouterr().err
    good = tmp_path / "dict.txt"
    good.write_text("military|navy|armed force\n", encoding="utf-8")
    assert spark_job.main(["in", "out", "--spinner-dict", str(good)]) == 1
    assert "reached the session" in capsys.readouterr().err


_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _cluster_section() -> str:
    path = os.path.join(_ROOT, "README.md")
    if not os.path.isfile(path):
        pytest.skip("README.md is not beside the tests")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    return text[text.index("<!-- section: cluster"):text.index("<!-- /section: cluster -->")]


def test_readme_says_which_python_the_workers_run() -> None:
    """The "From Python" example fails in the workers unless their Python has newsrepair."""
    section = _cluster_section()
    from_python = section[section.index("**From Python**"):section.index("**With spark-submit**")]
    assert "PYSPARK_PYTHON" in from_python and "ModuleNotFoundError" in from_python
    # the job's summary fields are the ones the README lists
    from newsrepair import spark_job

    assert all(f"`{name}`" in section for name in spark_job.SUMMARY_FIELDS)


def test_spark_extra_keeps_pandas_below_3() -> None:
    """pyspark warns on every run that it does not fully support pandas 3 (a FutureWarning)."""
    tomllib = pytest.importorskip("tomllib")
    path = os.path.join(_ROOT, "pyproject.toml")
    if not os.path.isfile(path):
        pytest.skip("pyproject.toml is not beside the tests")
    with open(path, "rb") as fh:
        extra = tomllib.load(fh)["project"]["optional-dependencies"]["spark"]
    pandas = [req.replace(" ", "") for req in extra if req.startswith("pandas")]
    assert len(pandas) == 1 and "<3" in pandas[0], extra


def test_missing_pyspark_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsrepair import spark as nr_spark

    monkeypatch.setitem(sys.modules, "pyspark", None)  # makes "import pyspark" fail
    monkeypatch.setitem(sys.modules, "pyspark.sql.types", None)
    with pytest.raises(ImportError, match=r"install the spark extra \(pip install '\.\[spark\]' in a checkout") as exc:
        nr_spark.repair_column(object(), "text")  # type: ignore[arg-type]
    assert isinstance(exc.value, newsrepair.NewsrepairError)


def test_worker_function_on_pandas_batches() -> None:
    """The executor-side function, run directly on pandas batches (nulls of every kind)."""
    pd = pytest.importorskip("pandas")
    from newsrepair.spark import _column_names, _repair_batches

    texts = ["Itâ€™s here.", None, float("nan"), "Plain words.", pd.NA]
    batches = [pd.DataFrame({"k": [1, 2], "t": texts[:2]}),
               pd.DataFrame({"k": [3, 4, 5], "t": texts[2:]}, dtype=object)]
    names = _column_names("out", "p_", explain=False)
    frames = list(_repair_batches(iter(batches), input_col="t", names=names, config=None,
                                  stages={"encoding": True, "boilerplate": True, "spin": True},
                                  explain=False))
    out = pd.concat(frames, ignore_index=True)
    assert list(out.columns) == ["k", "t", *names]
    for value, (_, row) in zip(texts, out.iterrows()):
        if isinstance(value, str):
            r = newsrepair.repair(value)
            assert row["out"] == r.text
            assert row["p_changes_encoding"] == r.counts()["encoding"]
            assert row["p_spin_score"] == r.spin.score
        else:
            assert all(pd.isna(row[n]) for n in names)


@pytest.mark.slow
def test_job_as_a_command(spark: Any, tmp_path: Any) -> None:
    """``python -m newsrepair.spark_job`` end to end, in its own process and session."""
    import subprocess

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": "Caf\u00c3\u00a9 owners met on Friday."}) + "\n"
                   + json.dumps({"other": 1}) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYSPARK_")}
    cmd = [sys.executable, "-m", "newsrepair.spark_job", str(src), str(tmp_path / "out"),
           "--master", "local[1]", "--no-spin"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert ({k: summary[k] for k in ("rows", "changed", "spun", "no_text")}
            == {"rows": 2, "changed": 1, "spun": None, "no_text": 1})
    texts = {r["repaired"] for r in spark.read.parquet(str(tmp_path / "out")).collect()}
    assert texts == {newsrepair.repair("Caf\u00c3\u00a9 owners met on Friday.", spin=False).text, None}
