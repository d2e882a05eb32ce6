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


def test_readme_section_is_rewritten_in_place(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# X\n<!-- section: results (owner: benchmarks) -->\nold\n<!-- /section: results -->\n"
                      "## Next\nkept\n", encoding="utf-8")
    run.write_readme("| table |\n", {"args": {"quick": False}}, readme)
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and "| table |" in text and text.endswith("## Next\nkept\n")
    assert text.count("<!-- section: results") == 1


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
