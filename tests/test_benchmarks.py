"""The benchmark harness: metrics, corpus loading, the gate, and an end-to-end run on the
shipped sample corpus (speed is skipped here: speed is measured, never tested)."""

from __future__ import annotations

import json
import pathlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks import adversarial, baselines, corpus, metrics, run
from benchmarks.sample import build
from benchmarks.spinner import load_groups, spin

ROOT = pathlib.Path(__file__).resolve().parent.parent


# -- metrics -------------------------------------------------------------------------------

def test_perfect_repair_scores_full_marks():
    s = metrics.score_pair("The navy said it was vitality.", "The military said it was energy.",
                           "The military said it was energy.")
    assert (s["tp"], s["fp"], s["fn"], s["wer_after"]) == (2, 0, 0, 0)
    summary = metrics.summarize([s])
    assert summary["precision"] == summary["recall"] == summary["f0.5"] == summary["wer_reduction"] == 1.0


def test_wrong_and_missed_edits_are_counted():
    s = metrics.score_pair("The navy said it was vitality.", "The army said it was vitality.",
                           "The military said it was energy.")
    assert (s["tp"], s["fp"], s["fn"]) == (0, 1, 2)
    summary = metrics.summarize([s])
    assert summary["precision"] == 0.0 and summary["recall"] == 0.0
    assert summary["wer_reduction"] == 0.0


def test_doing_nothing_has_no_precision_penalty_and_no_recall():
    s = metrics.summarize([metrics.score_pair("a navy", "a navy", "a military")])
    assert (s["precision"], s["recall"], s["f0.5"]) == (1.0, 0.0, 0.0)


def test_harm_counts_edits_to_clean_text():
    h = metrics.summarize_harm([metrics.harm("One two three four.", "One two three four."),
                                metrics.harm("One two three four.", "One 2 three four.")])
    assert h["edits"] == 1 and h["docs_changed"] == 0.5
    assert h["edits_per_1000_words"] == pytest.approx(1000 / 10)


@given(pos=st.lists(st.integers(0, 5), max_size=12), neg=st.lists(st.integers(0, 5), max_size=12))
def test_roc_auc_matches_pairwise_definition(pos, neg):
    auc = metrics.roc_auc(pos, neg)
    if not pos or not neg:
        assert auc != auc  # nan
    else:
        wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
        assert auc == pytest.approx(wins / (len(pos) * len(neg)))


def test_shingles_and_word_recall():
    article = "The council met on Monday and voted to rebuild the old harbour wall."
    assert metrics.shingle_prf(article, article) == (1.0, 1.0)
    assert metrics.shingle_prf(article, "") == (1.0, 0.0) or metrics.shingle_prf(article, "")[1] == 0.0
    p, r = metrics.shingle_prf(article, "Home News Sport Weather\n" + article)
    assert r == 1.0 and p < 1.0
    assert metrics.word_recall(article, article) == 1.0
    assert metrics.word_recall(article, "The council") == pytest.approx(2 / 13)
    summary = metrics.summarize_shingles([(1.0, 0.5), (0.5, 1.0)])
    assert summary["f1"] == pytest.approx(0.75)


def test_rates():
    assert metrics.rates([True, False], [False, False, True, False]) == {"tpr": 0.5, "fpr": 0.25}


# -- baselines ----------------------------------------------------------------------------

def test_keep_long_lines_baseline():
    page = "Home | News\nShare\nThe council met on Monday to vote on the plan for the wall.\nContact"
    assert baselines.keep_long_lines(page, 5) == "The council met on Monday to vote on the plan for the wall."


@pytest.mark.skipif(not baselines.justext_available(), reason="jusText (bench extra) is not installed")
def test_justext_baseline_returns_text():
    para = ("It was the first time in more than a decade that the town had been able to agree on what "
            "should be done about the wall, and many of those who came to the meeting said that they were "
            "glad it was over at last, because they had been waiting for it for a very long time.")
    page = "Home\nNews\n" + para + "\n" + para.replace("wall", "bridge") + "\nContact us"
    out = baselines.justext_article(page)
    assert "about the wall" in out and "about the bridge" in out
    assert "Contact us" not in out and "Home" not in out


# -- corpus --------------------------------------------------------------------------------

def test_corpus_files_are_sorted_by_fields(tmp_path):
    f = tmp_path / "mixed.jsonl"
    records = [
        {"spun": "the navy", "original": "the military", "spinner": "x"},
        {"spun": "only spun"},
        {"title": "Headline", "text": "Body."},
        {"text": "No title."},
        {"scraped": "Menu\nArticle text.", "article": "Article text."},
        {"unrelated": 1},
    ]
    f.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    c = corpus.load_files([f])
    assert c.counts() == {"pairs": 1, "spun_only": 1, "clean": 2, "pages": 1}
    assert c.clean == ["Headline\n\nBody.", "No title."]
    assert c.pairs[0]["spinner"] == "x"
    assert c.skipped == {"no field spun, original, text, scraped or article": 1}
    assert c.first_skipped == {"no field spun, original, text, scraped or article": f"{f}:6"}


def test_corpus_counts_skipped_records_by_reason(tmp_path):
    f = tmp_path / "odd.jsonl"
    lines = ['[1, 2]', '"a string"', '7', 'null', '{"body": "other field names"}', '{"text": 7}',
             '{"scraped": "a", "article": 5}', '{"spun": "the navy left", "original": null}',
             '{"spun": ["a"]}', '{"scraped": "page only"}', '{"original": "no spun"}', '{"title": "T"}',
             '{"text": "Kept.", "title": null}', '{"spun": "kept as spun-only", "url": "x"}']
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    c = corpus.load_files([f])
    assert c.counts() == {"pairs": 0, "spun_only": 1, "clean": 1, "pages": 0}
    assert c.clean == ["Kept."] and c.spun_only == ["kept as spun-only"]
    # a null original is a broken pair, not a spun-only record
    assert c.skipped == {
        "a JSON array, not an object": 1, "a JSON string, not an object": 1,
        "a JSON number, not an object": 1, "a JSON null, not an object": 1,
        "no field spun, original, text, scraped or article": 1,
        "'text' is a JSON number, not a string": 1, "'article' is a JSON number, not a string": 1,
        "'original' is null (leave it out for a spun-only record)": 1,
        "'spun' is a JSON array, not a string": 1, "'scraped' without 'article'": 1,
        "'original' without 'spun'": 1, "'title' without 'text'": 1}
    assert c.first_skipped["'text' is a JSON number, not a string"] == f"{f}:6"
    summary = c.skipped_summary()
    assert summary.startswith("12 records skipped: ") and f"(first at {f}:8)" in summary
    assert c.unusable() is None
    assert corpus.load_files([tmp_path]).skipped_summary() == summary  # a directory: the same


def test_corpus_that_cannot_be_measured_says_why(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    assert corpus.load_files([empty]).unusable() == "no usable records"
    spun = tmp_path / "spun.jsonl"
    spun.write_text('{"spun": "the navy left"}\n', encoding="utf-8")
    assert "needs negatives" in corpus.load_files([spun]).unusable()


def test_corpus_accepts_a_byte_order_mark(tmp_path):
    f = tmp_path / "bom.jsonl"
    f.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": "Caf\u00e9 news."}).encode("utf-8") + b"\n")
    assert corpus.load_files([f]).clean == ["Caf\u00e9 news."]


def test_corpus_file_errors_name_the_file_and_line(tmp_path):
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(b'{"text": "fine"}\n{"text": "caf\xe9"}\n')
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"text": "fine"}\n{"text": \n', encoding="utf-8")
    (tmp_path / "nothing_here").mkdir()
    cases = [(latin1, f"{latin1}:2: not UTF-8 text (byte 0xe9"), (bad_json, f"{bad_json}:2: not JSON"),
             (tmp_path / "missing.jsonl", "missing.jsonl: no such file or directory"),
             (tmp_path / "nothing_here", "a directory with no *.jsonl files")]
    for path, message in cases:
        with pytest.raises(corpus.CorpusError) as exc:
            corpus.load_files([path])
        assert message in str(exc.value)


def test_sample_corpus_is_complete_and_reproducible(tmp_path, monkeypatch):
    c = corpus.load_files([corpus.SAMPLE_DIR])
    counts = c.counts()
    assert counts["pairs"] >= 3 and counts["clean"] >= 5 and counts["pages"] >= 3
    # the committed pairs are what the spinner makes from the originals with the shipped dictionary
    groups = load_groups(ROOT / "benchmarks" / "dicts" / "sample.txt")
    for i, (pair, original) in enumerate(zip(c.pairs, build.ORIGINALS)):
        assert pair["original"] == original
        assert pair["spun"] == spin(original, groups, rate=0.6, seed=i).text
        assert pair["spun"] != original


def test_default_corpus_uses_shared_data(shared_dir):
    c = corpus.load_default(quick=True)
    assert c.name == "shared-quick"
    counts = c.counts()
    assert counts["pairs"] > 0 and counts["clean"] > 0 and counts["pages"] > 0


# -- gate ----------------------------------------------------------------------------------

def _floors(tmp_path, spec) -> pathlib.Path:
    p = tmp_path / "floors.json"
    p.write_text(json.dumps(spec), encoding="utf-8")
    return p


def test_gate_reports_figures_below_floors_above_ceilings_and_missing(tmp_path):
    floors = _floors(tmp_path, {"corpus": "shared", "min": {"a": 0.5, "b": 0.5, "missing": 0.1},
                                "max": {"c": 1.0}})
    failures = run.gate({"a": 0.4, "b": 0.6, "c": 2.0}, "shared-quick", floors)
    assert len(failures) == 3
    assert any(f.startswith("a =") for f in failures)
    assert any(f.startswith("c =") for f in failures)
    assert any(f.startswith("missing") for f in failures)
    assert run.gate({"a": 0.5, "b": 0.5, "missing": 0.1, "c": 1.0}, "shared", floors) == []


def test_gate_does_not_apply_to_another_corpus(tmp_path):
    floors = _floors(tmp_path, {"corpus": "shared", "min": {"a": 0.9}})
    assert run.gate({"a": 0.1}, "sample", floors) == []


def test_gate_on_a_corpus_without_floors_says_nothing_was_gated(tmp_path, capsys):
    f = tmp_path / "clean.jsonl"
    f.write_text(json.dumps({"text": "The council met on Monday to vote on the plan."}) + "\n",
                 encoding="utf-8")
    out = tmp_path / "r.json"
    code = run.main(["--corpus", str(f), "--no-speed", "--no-synthetic", "--gate", "--output", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "gate: NOT APPLIED: nothing was checked" in printed and "'shared'" in printed
    assert "at or above their floors" not in printed
    assert json.loads(out.read_text(encoding="utf-8"))["gate"]["applied"] is False


def test_shipped_floors_file_is_valid():
    spec = json.loads((ROOT / "benchmarks" / "floors.json").read_text(encoding="utf-8"))
    assert spec["corpus"] == "shared"
    assert all(isinstance(v, (int, float)) for v in {**spec["min"], **spec["max"]}.values())


# -- end to end ----------------------------------------------------------------------------

def test_harness_runs_on_the_sample_corpus(tmp_path, capsys):
    out = tmp_path / "result.json"
    floors = _floors(tmp_path, {"corpus": "sample", "min": {"boilerplate.recall": 1.01}, "max": {}})
    code = run.main(["--corpus", str(corpus.SAMPLE_DIR), "--no-speed", "--output", str(out),
                     "--gate", "--floors", str(floors)])
    assert code == 1  # a recall above 1 cannot be reached: the gate must fail
    printed = capsys.readouterr().out
    for heading in ("Spin reversal, real spun articles", "Spin reversal, synthetic spin", "Do no harm",
                    "Spin detection", "Boilerplate stripping", "lines with >= 5 words"):
        assert heading in printed
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["corpus"]["counts"]["pairs"] >= 3
    assert result["environment"]["versions"]["ftfy"]
    q = result["quality"]
    assert q["spin_real"]["nothing"]["recall"] == 0.0
    assert q["spin_real"]["nothing"]["wer_before"] > 0
    assert q["spin_synthetic"]["substitutions"] > 0
    assert "spin_real.precision" in result["figures"] and "boilerplate.f1" in result["figures"]
    assert result["gate"]["failures"]


# -- usage errors ------------------------------------------------------------------------


def _usage_error(argv, capsys) -> str:
    """The stderr of ``python -m benchmarks ARGV``, which must be a usage error (exit 2)."""
    with pytest.raises(SystemExit) as exc:
        run.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0].startswith("python -m benchmarks: error: ") and "Traceback" not in err
    assert lines[1:] == ["Try 'python -m benchmarks --help' for more information."]
    return lines[0]


@pytest.mark.parametrize("lines, message", [
    ([], "no usable records"),
    (['[1, 2]', '"text"'], "2 records skipped: 1 a JSON array, not an object"),
    (['{"body": "x"}', '{"headline": "y"}'], "2 no field spun, original, text, scraped or article"),
    (['{"text": 7}', '{"scraped": "a", "article": 5}'], "'text' is a JSON number, not a string"),
    (['{"spun": "a b", "original": null}'], "'original' is null"),
    (['{"spun": "the navy left"}'], "only spun-only records (1)"),
])
def test_command_refuses_a_corpus_with_nothing_to_measure(tmp_path, capsys, lines, message):
    f = tmp_path / "corpus.jsonl"
    f.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    err = _usage_error(["--corpus", str(f), "--no-speed", "--output", str(tmp_path / "r.json")], capsys)
    assert f"nothing to measure in {f}" in err and message in err
    assert not (tmp_path / "r.json").exists()


def test_command_input_errors_are_usage_errors(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"text": "Words."}) + "\n", encoding="utf-8")
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(b'{"text": "caf\xe9"}\n')
    empty_dict = tmp_path / "dict.txt"
    empty_dict.write_text("# no groups\n", encoding="utf-8")
    base = ["--no-speed", "--output", str(tmp_path / "r.json")]
    cases = [
        (["--corpus", str(tmp_path / "missing.jsonl")], "missing.jsonl: no such file or directory"),
        (["--corpus", str(latin1)], f"{latin1}:1: not UTF-8 text"),
        (["--corpus", str(good), "--spinner-dict", str(tmp_path / "none.txt")],
         f"--spinner-dict {tmp_path / 'none.txt'}: No such file"),
        (["--corpus", str(good), "--spinner-dict", str(empty_dict)], "no groups"),
        (["--corpus", str(good), "--spin-rate", "3"], "argument --spin-rate: 3 is not from 0 to 1"),
        (["--corpus", str(good), "--spin-rate", "x"], "argument --spin-rate: 'x' is not a number"),
        (["--corpus", str(good), "--synthetic-docs", "0"], "argument --synthetic-docs: 0 is not at least 1"),
        (["--corpus", str(good), "--gate", "--floors", str(tmp_path / "floors.json")],
         "--floors"),
        (["--readme-from", str(tmp_path / "saved.json")], "--readme-from"),
    ]
    for argv, message in cases:
        assert message in _usage_error(argv + base, capsys), argv


def test_no_synthetic_does_not_need_the_spinner_dictionary(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"text": "Words."}) + "\n", encoding="utf-8")
    assert run.main(["--corpus", str(good), "--no-speed", "--no-synthetic", "--spinner-dict",
                     str(tmp_path / "none.txt"), "--output", str(tmp_path / "r.json")]) == 0


# -- report --------------------------------------------------------------------------------


def _fake_result(**env):
    environment = {"time_utc": "T", "cpu": "CPU", "cores": 2, "python": "3", "versions": {}, **env}
    throughput = {"_corpus": {"docs": 1, "mb": 1.0, "repeats": 1},
                  "repair()": {"mb_per_s": 6.0, "docs_per_s": 10.0, "speed_vs_ftfy": 0.3}}
    return {"environment": environment, "corpus": {"name": "x", "counts": {"clean": 1}},
            "speed": {"throughput": throughput}}


def test_speed_table_names_no_internal_issue():
    md = run.render_markdown(_fake_result())
    assert "| function | MB/s | documents/s | speed vs ftfy.fix_text | again, MB/s | target |" in md
    assert ">= 5 MB/s" in md and "issue" not in md


def test_speed_on_spun_text_alone_is_reported():
    result = _fake_result()
    row = {"mb_per_s": 0.5, "docs_per_s": 20.0, "speed_vs_ftfy": 0.1}
    result["speed"]["spun"] = {"_corpus": {"docs": 26, "mb": 0.04, "repeats": 1},
                               "ftfy.fix_text": {**row, "mb_per_s": 5.0, "speed_vs_ftfy": 1.0},
                               "detect_spin": {**row, "mb_per_s": 3.0, "speed_vs_ftfy": 0.6}, "unspin": row}
    md = run.render_markdown(result)
    assert ("On the corpus's spun documents alone (26 documents, 0.04 MB; reversal decodes every sentence "
            "that holds a lexicon phrase): `detect_spin` 3.00 MB/s (0.60x ftfy), `unspin` 0.50 MB/s (0.10x ftfy).") in md
    assert "spun documents alone" not in run.render_markdown(_fake_result())


def test_report_names_the_code_measured(monkeypatch, tmp_path):
    import newsrepair

    answers = {"rev-parse": "abc1234", "status": " M src/newsrepair/api.py"}
    monkeypatch.setattr(run, "_git", lambda *args: answers[args[0]])
    package = pathlib.Path(newsrepair.__file__).resolve().parent
    monkeypatch.setattr(run, "PROJECT_ROOT", package.parent)  # the package is this "checkout"'s
    assert run._measured_code() == (str(package), "abc1234-dirty")
    answers["status"] = ""
    assert run._measured_code() == (str(package), "abc1234")
    monkeypatch.setattr(run, "PROJECT_ROOT", tmp_path)  # an installed copy, not the checkout's
    assert run._measured_code() == (str(package), None)
    md = run.render_markdown(_fake_result(git_commit=None, newsrepair_path="/site/newsrepair"))
    assert "(installed at /site/newsrepair, not this checkout)" in md
    assert "(commit abc1234-dirty)" in run.render_markdown(_fake_result(git_commit="abc1234-dirty"))


def test_readme_section_is_rewritten_in_place(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# X\n<!-- section: results (owner: benchmarks) -->\nold\n<!-- /section: results -->\n"
                      "## Next\nkept\n", encoding="utf-8")
    run.write_readme("| table |\n", {"args": {"quick": False}}, readme)
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and "| table |" in text and text.endswith("## Next\nkept\n")
    assert text.count("<!-- section: results") == 1


def test_readme_keeps_its_time_bound_table_without_the_run_s_file(tmp_path):
    # a full run does not measure time bounds; the table of the last --adversarial run
    # comes from its file, or, where that file is not (another machine), stays as it was
    readme = tmp_path / "README.md"
    table = "**Time bounds on adversarial input** (measured then)\n\n| input | s/MB |\n"
    readme.write_text(f"<!-- section: results (owner: benchmarks) -->\nold\n\n{table}<!-- /section: results -->\n",
                      encoding="utf-8")
    run.write_readme("| new |\n", {"args": {"quick": False}}, readme, adversarial_json=tmp_path / "none.json")
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and "| new |" in text and table.strip() in text
    assert text.index("| new |") < text.index("**Time bounds")
    run.write_readme("| newer |\n", {"args": {"quick": False}}, readme, adversarial_json=tmp_path / "none.json")
    assert readme.read_text(encoding="utf-8").count("**Time bounds") == 1


# -- time bounds ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(adversarial.INPUTS))
def test_adversarial_inputs_have_the_requested_size(name):
    assert len(adversarial.make_input(name, 12_345)) == 12_345
    assert adversarial.make_input(name, 500) == adversarial.make_input(name, 500)


def test_adversarial_run_reports_seconds_per_mb(tmp_path):
    result = adversarial.run_adversarial([0.001, 0.002], inputs=["prose_no_line_breaks"],
                                         stages=["fix_encoding"], budget_s=30)
    series = result["inputs"]["prose_no_line_breaks"]["fix_encoding"]["series"]
    assert [p["mb"] for p in series] == [0.001, 0.002]
    assert all(p["s_per_mb"] > 0 for p in series)
    assert "prose_no_line_breaks" in adversarial.markdown(result)
    assert adversarial.summary(result)["series"] == 1


@pytest.mark.parametrize("module", [metrics, baselines, adversarial,
                                    pytest.importorskip("benchmarks.spinner")])
def test_docstring_examples_of_the_harness(module):
    import doctest

    assert doctest.testmod(module).failed == 0


def test_python_dash_m_benchmarks_runs(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--corpus", str(corpus.SAMPLE_DIR), "--no-speed",
                           "--no-synthetic", "--output", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Boilerplate stripping" in proc.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["corpus"]["name"] == "sample"
