"""The benchmark: ``python -m benchmarks [options]`` from the project root.

Measures spin reversal (on real spun pairs, and separately on synthetic spin of clean
text), harm on clean text, spin detection, boilerplate stripping, and speed and memory,
each beside baselines (doing nothing, ftfy alone, simple heuristics, jusText). Prints
Markdown tables and writes every figure, with versions and machine, to a JSON file.

    python -m benchmarks                      # full run on ../shared/data (or the sample)
    python -m benchmarks --quick --gate       # CI: subsets, exit 1 below benchmarks/floors.json
    python -m benchmarks --corpus my.jsonl --spinner-dict my_spinner.txt
    python -m benchmarks --adversarial        # time bounds: s/MB at 1, 10, 100 MB
    python -m benchmarks --markdown-readme    # full run, then rewrite README's results section
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import pathlib
import platform
import subprocess
import sys
import time
from typing import Any, Callable, Sequence

from . import adversarial, baselines, metrics, speed
from .corpus import BENCH_DIR, PROJECT_ROOT, Corpus, CorpusError, load_default, load_files, spread
from .spinner import invert_groups, load_groups, spin

__all__ = ["main", "run_quality", "gate", "gate_corpus", "render_markdown", "build_parser"]

DEFAULT_DICT = BENCH_DIR / "dicts" / "sample.txt"
DEFAULT_OUTPUT = BENCH_DIR / "results" / "latest.json"
FLOORS = BENCH_DIR / "floors.json"
README = PROJECT_ROOT / "README.md"
#: Throughput targets on one core, shown beside the measured figures, not gated.
SPEED_TARGETS = {"repair()": 5.0, "detect_spin": 15.0, "strip_boilerplate": 20.0}


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _text(x: Any) -> str:
    return x if isinstance(x, str) else getattr(x, "text", str(x))


def _safe_map(fn: Callable[[str], Any], docs: Sequence[str]) -> tuple[list[Any], int]:
    """``fn`` over ``docs``; a document that raises keeps its input (the error is counted)."""
    out, errors = [], 0
    for d in docs:
        try:
            out.append(fn(d))
        except Exception:  # noqa: BLE001 - the benchmark reports, it does not crash
            out.append(d)
            errors += 1
    return out, errors


# -- quality ------------------------------------------------------------------------------

def _spin_table(pairs: list[dict], systems: dict[str, Callable[[str], str]]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    spun = [p["spun"] for p in pairs]
    for name, fn in systems.items():
        outputs, errors = _safe_map(lambda t: _text(fn(t)), spun)
        scores = [metrics.score_pair(p["spun"], o, p["original"]) for p, o in zip(pairs, outputs)]
        row = metrics.summarize(scores)
        row["errors"] = errors
        by: dict[str, list] = {}
        for p, s in zip(pairs, scores):
            by.setdefault(p["spinner"], []).append(s)
        if len(by) > 1:
            row["by_spinner"] = {k: metrics.summarize(v) for k, v in sorted(by.items())}
        out[name] = row
    return out


def _harm_table(docs: list[str], systems: dict[str, Callable[[str], str]]) -> dict[str, dict]:
    out = {}
    for name, fn in systems.items():
        outputs, errors = _safe_map(lambda t: _text(fn(t)), docs)
        row = metrics.summarize_harm([metrics.harm(d, o) for d, o in zip(docs, outputs)])
        row["errors"] = errors
        out[name] = row
    return out


def _rare_word_score(text: str) -> float:
    """Detection baseline: share of words that are rare in English (wordfreq Zipf < 3)."""
    from wordfreq import zipf_frequency

    words = [w.lower() for w in metrics.tokens(text) if w[:1].isalpha()]
    if not words:
        return 0.0
    return sum(zipf_frequency(w, "en") < 3.0 for w in words) / len(words)


def _detection(pos: list[str], neg: list[str]) -> dict[str, dict]:
    import newsrepair as nr

    out: dict[str, dict] = {}
    reports_pos, e1 = _safe_map(nr.detect_spin, pos)
    reports_neg, e2 = _safe_map(nr.detect_spin, neg)

    def score(r: Any) -> float:
        return float(getattr(r, "score", 0.0))

    def flag(r: Any) -> bool:
        return bool(getattr(r, "is_spun", False))

    out["newsrepair detect_spin"] = {
        "positives": len(pos), "negatives": len(neg), "errors": e1 + e2,
        "roc_auc": metrics.roc_auc([score(r) for r in reports_pos], [score(r) for r in reports_neg]),
        **metrics.rates([flag(r) for r in reports_pos], [flag(r) for r in reports_neg]),
    }
    out["baseline: rare-word share"] = {
        "positives": len(pos), "negatives": len(neg), "errors": 0,
        "roc_auc": metrics.roc_auc([_rare_word_score(t) for t in pos], [_rare_word_score(t) for t in neg]),
        "tpr": float("nan"), "fpr": float("nan"),
    }
    out["baseline: nothing (constant score)"] = {
        "positives": len(pos), "negatives": len(neg), "errors": 0,
        "roc_auc": metrics.roc_auc([0.0] * len(pos), [0.0] * len(neg)), "tpr": 0.0, "fpr": 0.0,
    }
    return out


def _boilerplate(pages: list[dict], clean: list[str]) -> dict[str, dict]:
    import newsrepair as nr

    systems = dict(baselines.boilerplate_baselines((5, 10, 15)))
    systems["newsrepair strip_boilerplate"] = nr.strip_boilerplate
    out = {}
    for name, fn in systems.items():
        outputs, errors = _safe_map(lambda t: _text(fn(t)), [p["scraped"] for p in pages])
        row = metrics.summarize_shingles([metrics.shingle_prf(p["article"], o) for p, o in zip(pages, outputs)])
        kept, errors2 = _safe_map(lambda t: _text(fn(t)), clean)
        recalls = [metrics.word_recall(c, k) for c, k in zip(clean, kept)]
        row["clean_word_recall"] = sum(recalls) / len(recalls) if recalls else float("nan")
        row["clean_docs_fully_kept"] = (sum(r == 1.0 for r in recalls) / len(recalls)) if recalls else float("nan")
        row["errors"] = errors + errors2
        out[name] = row
    return out


def run_quality(corpus: Corpus, spinner_dict: pathlib.Path | None, spin_rate: float, seed: int,
                synthetic_docs: int | None) -> dict[str, Any]:
    """Every quality figure of newsrepair and the baselines on ``corpus``."""
    import newsrepair as nr

    res: dict[str, Any] = {}
    nothing, ftfy_alone = baselines.identity, baselines.ftfy_fix_text
    t0 = time.perf_counter()
    if corpus.pairs:
        res["spin_real"] = _spin_table(corpus.pairs, {
            "nothing": nothing, "ftfy alone": ftfy_alone, "newsrepair unspin": nr.unspin,
            "newsrepair repair()": lambda t: nr.repair(t).text,
        })
        _log(f"spin (real pairs): {time.perf_counter() - t0:.1f} s")
    if spinner_dict is not None and corpus.clean:
        t0 = time.perf_counter()
        groups = load_groups(spinner_dict)
        docs = spread(corpus.clean, synthetic_docs)
        pairs = []
        n_subs = 0
        for i, d in enumerate(docs):
            r = spin(d, groups, rate=spin_rate, seed=seed * 1_000_003 + i)
            if r.substitutions:
                pairs.append({"spun": r.text, "original": d, "spinner": "synthetic"})
                n_subs += len(r.substitutions)
        inverse = invert_groups(groups)
        systems: dict[str, Callable[[str], str]] = {
            "nothing": nothing,
            "baseline: inverse dictionary, context-free": lambda t: spin(t, inverse, rate=1.0).text,
            "newsrepair unspin": nr.unspin,
        }
        try:
            cfg = nr.Config(spinner_dictionaries=(str(spinner_dict),))
            nr.unspin("warm up", config=cfg)
            systems["newsrepair unspin + this dictionary"] = lambda t: nr.unspin(t, config=cfg)
        except Exception as exc:  # noqa: BLE001
            _log(f"synthetic spin: Config(spinner_dictionaries=...) not usable: {exc}")
        res["spin_synthetic"] = {
            "dictionary": str(spinner_dict), "groups": len(groups), "rate": spin_rate, "seed": seed,
            "docs": len(pairs),
            "substitutions": n_subs,
            "systems": _spin_table(pairs, systems),
            "detection_roc_auc": metrics.roc_auc(
                [float(getattr(r, "score", 0.0)) for r in _safe_map(nr.detect_spin, [p["spun"] for p in pairs])[0]],
                [float(getattr(r, "score", 0.0)) for r in _safe_map(nr.detect_spin, [p["original"] for p in pairs])[0]]),
        }
        _log(f"spin (synthetic): {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    harm: dict[str, Any] = {}
    if corpus.clean:
        harm["clean"] = _harm_table(corpus.clean, {
            "ftfy alone": ftfy_alone, "newsrepair fix_encoding": nr.fix_encoding,
            "newsrepair unspin": nr.unspin,
            "newsrepair repair(boilerplate=False)": lambda t: nr.repair(t, boilerplate=False).text,
            "newsrepair repair()": lambda t: nr.repair(t).text,
        })
        if spinner_dict is not None:
            inverse = invert_groups(load_groups(spinner_dict))
            harm["clean"]["baseline: inverse dictionary, context-free"] = _harm_table(
                corpus.clean, {"x": lambda t: spin(t, inverse, rate=1.0).text})["x"]
    if corpus.pairs:
        harm["pair_originals"] = _harm_table([p["original"] for p in corpus.pairs],
                                             {"newsrepair unspin": nr.unspin})
    if harm:
        res["harm"] = harm
        _log(f"harm: {time.perf_counter() - t0:.1f} s")
    pos = [p["spun"] for p in corpus.pairs] + corpus.spun_only
    neg = [p["original"] for p in corpus.pairs] + corpus.clean
    if pos and neg:
        t0 = time.perf_counter()
        res["detection"] = _detection(pos, neg)
        _log(f"detection: {time.perf_counter() - t0:.1f} s")
    if corpus.pages:
        t0 = time.perf_counter()
        res["boilerplate"] = _boilerplate(corpus.pages, corpus.clean)
        _log(f"boilerplate: {time.perf_counter() - t0:.1f} s")
    return res


def headline(res: dict[str, Any]) -> dict[str, float]:
    """The flat figures of newsrepair that the gate checks and the README quotes."""
    f: dict[str, float] = {}

    def put(key: str, *path: str) -> None:
        node: Any = res
        for p in path:
            if not isinstance(node, dict) or p not in node:
                return
            node = node[p]
        if isinstance(node, (int, float)):
            f[key] = float(node)

    for k in ("precision", "recall", "f0.5", "wer_reduction"):
        put(f"spin_real.{k}", "spin_real", "newsrepair unspin", k)
        put(f"spin_synthetic.{k}", "spin_synthetic", "systems", "newsrepair unspin", k)
        put(f"spin_synthetic_with_dict.{k}", "spin_synthetic", "systems", "newsrepair unspin + this dictionary", k)
    put("harm.unspin.edits_per_1000_words", "harm", "clean", "newsrepair unspin", "edits_per_1000_words")
    put("harm.unspin.docs_changed", "harm", "clean", "newsrepair unspin", "docs_changed")
    put("harm.repair_no_boilerplate.edits_per_1000_words", "harm", "clean",
        "newsrepair repair(boilerplate=False)", "edits_per_1000_words")
    put("harm.pair_originals.edits_per_1000_words", "harm", "pair_originals", "newsrepair unspin",
        "edits_per_1000_words")
    put("detection.roc_auc", "detection", "newsrepair detect_spin", "roc_auc")
    put("detection.tpr", "detection", "newsrepair detect_spin", "tpr")
    put("detection.fpr", "detection", "newsrepair detect_spin", "fpr")
    for k in ("precision", "recall", "f1", "clean_word_recall"):
        put(f"boilerplate.{k}", "boilerplate", "newsrepair strip_boilerplate", k)
    tables = [res.get(s, {}) for s in ("spin_real", "boilerplate", "detection")]
    tables += list(res.get("harm", {}).values()) + [res.get("spin_synthetic", {}).get("systems", {})]
    # exceptions raised by newsrepair on corpus documents (those of baselines are not gated)
    errors = sum(int(row.get("errors", 0)) for table in tables for name, row in table.items()
                 if name.startswith("newsrepair") and isinstance(row, dict))
    f["errors"] = float(errors)
    return {k: v for k, v in f.items() if not (isinstance(v, float) and math.isnan(v))}


# -- the gate -----------------------------------------------------------------------------

def gate_corpus(floors_path: pathlib.Path = FLOORS) -> str:
    """The corpus the floors in ``floors_path`` were recorded for (``"shared"`` by default)."""
    return str(json.loads(floors_path.read_text(encoding="utf-8")).get("corpus", "shared"))


def _gate_applies(corpus_name: str, wanted: str) -> bool:
    return corpus_name.split("-")[0] == wanted.split("-")[0]


def gate(figures: dict[str, float], corpus_name: str, floors_path: pathlib.Path = FLOORS) -> list[str]:
    """The failures of ``figures`` against the floors (``min``) and ceilings (``max``).

    Floors are recorded for one corpus (``"corpus"`` in the file, see :func:`gate_corpus`);
    on another corpus the gate does not apply and returns no failures (the command says
    so). A figure the run did not produce is reported as a failure (a stage that silently
    disappeared must not pass).
    """
    spec = json.loads(floors_path.read_text(encoding="utf-8"))
    if not _gate_applies(corpus_name, spec.get("corpus", "shared")):
        return []
    failures = []
    for key, floor in spec.get("min", {}).items():
        if key not in figures:
            failures.append(f"{key}: missing from this run (floor {floor})")
        elif figures[key] < floor:
            failures.append(f"{key} = {figures[key]:.4f} is below the floor {floor}")
    for key, ceiling in spec.get("max", {}).items():
        if key not in figures:
            failures.append(f"{key}: missing from this run (ceiling {ceiling})")
        elif figures[key] > ceiling:
            failures.append(f"{key} = {figures[key]:.4f} is above the ceiling {ceiling}")
    return failures


# -- environment --------------------------------------------------------------------------

def _version(dist: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *args], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def _measured_code() -> tuple[str | None, str | None]:
    """The directory of the newsrepair package this run imports, and the commit of this
    checkout when that package is the checkout's own (``-dirty`` when tracked files have
    uncommitted changes); None when the package is installed from elsewhere."""
    try:
        import newsrepair
    except ImportError:
        return None, None
    package = pathlib.Path(newsrepair.__file__).resolve().parent
    if PROJECT_ROOT.resolve() not in package.parents:
        return str(package), None  # an installed copy: this checkout's commit says nothing about it
    commit = _git("rev-parse", "--short", "HEAD")
    if commit and _git("status", "--porcelain", "--untracked-files=no"):
        commit += "-dirty"
    return str(package), commit


def _code_label(env: dict[str, Any]) -> str:
    """``commit abc1234[-dirty]``, or where the measured newsrepair was installed."""
    if env.get("git_commit"):
        return f"commit {env['git_commit']}"
    if env.get("newsrepair_path"):
        return f"installed at {env['newsrepair_path']}, not this checkout"
    return "commit unknown"


def environment() -> dict[str, Any]:
    """Versions, machine and time of the run."""
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = None
    try:
        import psutil

        mem_gb = round(psutil.virtual_memory().total / 2**30, 1)
    except Exception:  # noqa: BLE001 - psutil is optional (bench extra)
        pass
    package, commit = _measured_code()
    return {
        "time_utc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb,
        "git_commit": commit,
        "newsrepair_path": package,
        "versions": {d: _version(d) for d in ("newsrepair", "ftfy", "regex", "rapidfuzz", "wordfreq",
                                               "jusText", "psutil")},
    }


# -- Markdown -----------------------------------------------------------------------------

def _f(x: Any, digits: int = 3) -> str:
    if isinstance(x, (int, float)) and not (isinstance(x, float) and math.isnan(x)):
        return f"{x:.{digits}f}"
    return "–"


def _pct(x: Any) -> str:
    return f"{100 * x:.1f}%" if isinstance(x, (int, float)) and x == x else "–"


def _spin_md(rows: dict[str, dict]) -> list[str]:
    out = ["| system | precision | recall | F0.5 | WER before | WER after | WER reduction | errors |",
           "|---|---|---|---|---|---|---|---|"]
    for name, r in rows.items():
        out.append(f"| {name} | {_f(r['precision'])} | {_f(r['recall'])} | {_f(r['f0.5'])} | "
                   f"{_f(r['wer_before'])} | {_f(r['wer_after'])} | {_f(r['wer_reduction'])} | {r['errors']} |")
        for spinner, s in (r.get("by_spinner", {}) if name.startswith("newsrepair") else {}).items():
            out.append(f"| &nbsp;&nbsp;↳ spinner `{spinner}` ({s['pairs']} pairs) | {_f(s['precision'])} | "
                       f"{_f(s['recall'])} | {_f(s['f0.5'])} | {_f(s['wer_before'])} | {_f(s['wer_after'])} | "
                       f"{_f(s['wer_reduction'])} | |")
    return out


def render_markdown(result: dict[str, Any]) -> str:
    """All tables of a run as Markdown."""
    q, env, corpus = result.get("quality", {}), result["environment"], result["corpus"]
    lines = [f"Corpus **{corpus['name']}** ({', '.join(f'{v} {k}' for k, v in corpus['counts'].items())}); "
             f"measured {env['time_utc']} on {env['cpu']} ({env['cores']} cores), Python {env['python']}, "
             f"newsrepair {env['versions'].get('newsrepair')} ({_code_label(env)}), "
             f"ftfy {env['versions'].get('ftfy')}."
             + (f" {corpus['skipped_summary']}." if corpus.get("skipped_summary") else ""), ""]
    if "spin_real" in q:
        lines += ["**Spin reversal, real spun articles** (token edits against the original; "
                  "precision of edits made, recall of edits needed)", ""] + _spin_md(q["spin_real"]) + [""]
    if "spin_synthetic" in q:
        s = q["spin_synthetic"]
        lines += [f"**Spin reversal, synthetic spin** (reported separately: {s['docs']} clean documents "
                  f"spun by `benchmarks/spinner.py` with `{pathlib.Path(s['dictionary']).name}` "
                  f"({s['groups']} groups) at rate {s['rate']}, seed {s['seed']}; detection ROC-AUC spun vs "
                  f"originals {_f(s['detection_roc_auc'], 4)})", ""] + _spin_md(s["systems"]) + [""]
    if "harm" in q:
        lines += ["**Do no harm: clean human text**", "",
                  "| documents | system | token edits per 1000 words | documents changed | errors |",
                  "|---|---|---|---|---|"]
        for label, table in q["harm"].items():
            for name, r in table.items():
                lines.append(f"| {label} ({r['docs']}) | {name} | {_f(r['edits_per_1000_words'], 2)} | "
                             f"{_pct(r['docs_changed'])} | {r['errors']} |")
        lines += [""]
    if "detection" in q:
        lines += ["**Spin detection** (positives: spun documents; negatives: originals and clean news)", "",
                  "| system | ROC-AUC | TPR at default threshold | FPR at default threshold |", "|---|---|---|---|"]
        for name, r in q["detection"].items():
            lines.append(f"| {name} ({r['positives']}+/{r['negatives']}−) | {_f(r['roc_auc'], 4)} | "
                         f"{_f(r['tpr'])} | {_f(r['fpr'], 4)} |")
        lines += [""]
    if "boilerplate" in q:
        lines += ["**Boilerplate stripping** (word 4-gram shingles per page, averaged; F1 of the averages; "
                  "word recall = share of a clean article's words kept)", "",
                  "| system | precision | recall | F1 | clean-article word recall | clean articles kept whole |",
                  "|---|---|---|---|---|---|"]
        for name, r in q["boilerplate"].items():
            lines.append(f"| {name} | {_f(r['precision'])} | {_f(r['recall'])} | {_f(r['f1'])} | "
                         f"{_f(r['clean_word_recall'], 4)} | {_pct(r['clean_docs_fully_kept'])} |")
        lines += [""]
    sp = result.get("speed")
    if sp:
        c = sp["throughput"]["_corpus"]
        lines += [f"**Speed, one core** ({c['docs']} documents, {c['mb']:.2f} MB; each pass in a fresh process "
                  f"that has not seen the documents, best of {c['repeats']}; the ratio is to ftfy's `fix_text` "
                  "on the same documents in the same run, > 1 is faster; *again*: a second pass over the same "
                  "documents in the same process, with the caches warm)", "",
                  "| function | MB/s | documents/s | speed vs ftfy.fix_text | again, MB/s | target |",
                  "|---|---|---|---|---|---|"]
        for name, r in sp["throughput"].items():
            if not name.startswith("_"):
                target = SPEED_TARGETS.get(name)
                lines.append(f"| `{name}` | {_f(r['mb_per_s'], 2)} | {_f(r['docs_per_s'], 0)} | "
                             f"{_f(r['speed_vs_ftfy'], 2)}x | {_f(r.get('again_mb_per_s'), 2)} | "
                             f"{f'>= {target:g} MB/s' if target else ''} |")
        if "spun" in sp:
            s = sp["spun"]
            c = s["_corpus"]
            lines += ["", f"On the corpus's spun documents alone ({c['docs']} documents, {c['mb']:.2f} MB; "
                      "reversal decodes every sentence that holds a lexicon phrase): "
                      f"`detect_spin` {_f(s['detect_spin']['mb_per_s'], 2)} MB/s "
                      f"({_f(s['detect_spin']['speed_vs_ftfy'], 2)}x ftfy), `unspin` "
                      f"{_f(s['unspin']['mb_per_s'], 2)} MB/s ({_f(s['unspin']['speed_vs_ftfy'], 2)}x ftfy)."]
        if "import" in sp:
            im = sp["import"]
            cold = im.get("newsrepair, no data cache", {}).get("total", float("nan"))
            lines += ["", f"Import + first `repair()` call (lexicons loaded) in a fresh process: newsrepair "
                      f"{_f(im['newsrepair']['total'], 3)} s (import {_f(im['newsrepair']['import'], 3)} s; "
                      f"target < 0.5 s; {_f(cold, 3)} s without its data cache, as on a machine's first "
                      f"run), ftfy import + first `fix_text` {_f(im['ftfy']['total'], 3)} s "
                      f"(ratio {_f(im['ratio_vs_ftfy']['total'], 2)})."]
        if "memory" in sp:
            m = sp["memory"]
            lines += [f"Peak RSS processing the same documents in a fresh process: newsrepair `repair()` "
                      f"{_f(m['newsrepair repair()']['peak_rss_mb'], 1)} MB, ftfy "
                      f"{_f(m['ftfy.fix_text']['peak_rss_mb'], 1)} MB (ratio {_f(m['ratio_vs_ftfy']['peak_rss'], 2)}), "
                      f"Python with the documents only {_f(m['python + documents only']['peak_rss_mb'], 1)} MB."]
        lines += [""]
    if "adversarial" in result:
        a = result["adversarial"]
        lines += ["**Time bounds on adversarial input** (seconds per MB must stay flat as the size grows)", "",
                  adversarial.markdown(a), ""]
    return "\n".join(lines).rstrip() + "\n"


_ADVERSARIAL_HEADING = "**Time bounds on adversarial input**"


def _adversarial_md(path: pathlib.Path) -> str:
    """The table of the last ``--adversarial`` run, with when and where it ran ("" if none)."""
    if not path.is_file():
        return ""
    data = json.loads(path.read_text(encoding="utf-8"))
    env = data["environment"]
    return (f"\n{_ADVERSARIAL_HEADING} (`python -m benchmarks --adversarial`, measured "
            f"{env['time_utc']} on {env['cpu']}, {_code_label(env)}; seconds per MB must stay "
            f"flat as the size grows; each measurement stopped after {data['adversarial']['budget_s']:g} s)\n\n"
            + adversarial.markdown(data["adversarial"]) + "\n")


def _kept_adversarial_md(section: str) -> str:
    """The time-bound table of the README's results ``section`` as it stands ("" if none)."""
    at = section.find(_ADVERSARIAL_HEADING)
    return "" if at < 0 else "\n" + section[at:].strip() + "\n"


def write_readme(markdown: str, result: dict[str, Any], path: pathlib.Path = README,
                 adversarial_json: pathlib.Path | None = None) -> None:
    """Replace the README's ``results`` section with ``markdown`` (and the last time-bound table)."""
    start, end = "<!-- section: results (owner: benchmarks) -->", "<!-- /section: results -->"
    text = path.read_text(encoding="utf-8")
    a, b = text.index(start) + len(start), text.index(end)
    if adversarial_json is not None and "adversarial" not in result:
        # the last time-bound table: from its run's file, or as the README has it (the
        # file stays on the machine that ran it; a full run does not measure time bounds)
        markdown += _adversarial_md(adversarial_json) or _kept_adversarial_md(text[a:b])
    mode = "quick mode (subsets)" if result["args"].get("quick") else "a full run"
    body = (f"\nGenerated by `python -m benchmarks --markdown-readme` from {mode}; every figure, "
            f"with versions and machine, is in the JSON file the run writes. Absolute speeds vary "
            f"between machines and runs; the ratios to ftfy are the comparable figures.\n\n{markdown}")
    path.write_text(text[:a] + body + text[b:], encoding="utf-8")


# -- command line -------------------------------------------------------------------------

def _number(kind: Callable[[str], Any], low: float, high: float | None = None,
            low_open: bool = False) -> Callable[[str], Any]:
    """An argparse type: ``kind(text)`` within [low, high] (or (low, ...] when ``low_open``)."""
    def convert(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {'whole ' * (kind is int)}number") from None
        if value != value or (value <= low if low_open else value < low) or (high is not None and value > high):
            where = (f"from {low:g} to {high:g}" if high is not None
                     else f"{'above' if low_open else 'at least'} {low:g}")
            raise argparse.ArgumentTypeError(f"{text} is not {where}")
        return value
    return convert


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m benchmarks``."""
    # the newsrepair command's parser: a usage error is one line (and a pointer to --help), exit 2
    from newsrepair.cli import Parser

    ap = Parser(prog="python -m benchmarks", description=__doc__,
                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", nargs="+", metavar="JSONL",
                    help="JSONL files or directories (fields: spun+original, spun, text[+title], "
                         "scraped+article); default ../shared/data when present, else benchmarks/sample/")
    ap.add_argument("--quick", action="store_true", help="subsets and one timing repeat (CI; under 3 minutes)")
    ap.add_argument("--gate", action="store_true", help="exit 1 when a figure is below benchmarks/floors.json")
    ap.add_argument("--floors", type=pathlib.Path, default=FLOORS, help="floors file for --gate")
    ap.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT, help="JSON file of every figure")
    ap.add_argument("--spinner-dict", type=pathlib.Path, default=DEFAULT_DICT,
                    help="spinner dictionary (original|sub|sub lines) for synthetic spin of the clean corpus")
    ap.add_argument("--no-synthetic", action="store_true", help="skip synthetic spin")
    ap.add_argument("--spin-rate", type=_number(float, 0.0, 1.0), default=0.5,
                    help="share of dictionary phrases replaced, 0 to 1 (default 0.5)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the synthetic spinner")
    ap.add_argument("--synthetic-docs", type=_number(int, 1), default=None,
                    help="clean documents to spin (default: 300, or 60 with --quick)")
    ap.add_argument("--no-speed", action="store_true", help="skip speed and memory")
    ap.add_argument("--adversarial", action="store_true",
                    help="only the time-bound benchmark: s/MB per stage on adversarial inputs")
    ap.add_argument("--sizes", default=None,
                    help="adversarial sizes in MB, comma-separated (default 1,10,100; 0.1,1 with --quick)")
    ap.add_argument("--budget", type=_number(float, 0.0, low_open=True), default=60.0,
                    help="adversarial: seconds allowed per measurement")
    ap.add_argument("--inputs", default=None, help="adversarial: comma-separated input names (default all)")
    ap.add_argument("--stages", default=None,
                    help="adversarial: comma-separated stages (fix_encoding, strip_boilerplate, detect_spin, "
                         "unspin, repair(); default all)")
    ap.add_argument("--markdown-readme", action="store_true",
                    help="rewrite the README's results section from this run")
    ap.add_argument("--readme-from", type=pathlib.Path, metavar="JSON",
                    help="only rewrite the README's results section from a saved full run (no benchmark)")
    return ap


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def _check_inputs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Files the run will need, checked before any work: a usage error (exit 2) names
    the first one that is missing or unusable."""
    if args.readme_from is not None:
        if not args.readme_from.is_file():
            parser.error(f"--readme-from {args.readme_from}: no such file")
        return
    if args.gate:
        try:
            gate_corpus(args.floors)
        except OSError as exc:
            parser.error(f"--floors {args.floors}: {exc.strerror or exc}")
        except (ValueError, AttributeError) as exc:
            parser.error(f"--floors {args.floors}: not a floors file ({exc})")
    if not args.adversarial and not args.no_synthetic:
        try:
            groups = load_groups(args.spinner_dict)
        except OSError as exc:
            parser.error(f"--spinner-dict {args.spinner_dict}: {exc.strerror or exc}")
        except UnicodeDecodeError as exc:
            parser.error(f"--spinner-dict {args.spinner_dict}: not UTF-8 text (byte "
                         f"0x{exc.object[exc.start]:02x} at offset {exc.start})")
        if not groups:
            parser.error(f"--spinner-dict {args.spinner_dict}: no groups (expected lines "
                         "original|substitute|substitute...)")


def _load_corpus(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Corpus:
    """The corpus to measure; a usage error when it cannot be read or nothing in it is usable."""
    try:
        corpus = load_files(args.corpus) if args.corpus else load_default(args.quick)
    except CorpusError as exc:
        parser.error(str(exc))
    skipped = corpus.skipped_summary()
    why = corpus.unusable()
    if why is not None:
        where = ", ".join(corpus.sources) or "the corpus"
        parser.error(f"nothing to measure in {where}: {why}"
                     + (f" ({skipped})" if skipped else "")
                     + "; the fields are described in benchmarks/README.md")
    if skipped:
        _log(f"corpus {corpus.name}: {skipped}")
    if corpus.spun_only and not (corpus.pairs or corpus.clean):
        _log(f"corpus {corpus.name}: the {len(corpus.spun_only)} spun-only records are not used: "
             "spin detection also needs negatives (spun+original pairs or text records)")
    return corpus


def _speed_docs(corpus: Corpus, quick: bool) -> list[str]:
    """A mix of the corpus's kinds of documents (spun, scraped pages, clean), taken in turn."""
    kinds = [[p["spun"] for p in corpus.pairs] + corpus.spun_only,
             [p["scraped"] for p in corpus.pages], corpus.clean]
    limit = 400_000 if quick else 2_000_000
    out: list[str] = []
    size = 0
    for i in range(max(map(len, kinds), default=0)):
        for docs in kinds:
            if i < len(docs) and size < limit:
                out.append(docs[i])
                size += len(docs[i].encode("utf-8"))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 on success, 1 when ``--gate`` finds a figure below its floor,
    2 for a usage error (a missing or unusable input, a value out of range)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_inputs(args, parser)
    started = time.perf_counter()
    if args.readme_from:
        saved = json.loads(args.readme_from.read_text(encoding="utf-8"))
        write_readme(render_markdown(saved), saved, adversarial_json=DEFAULT_OUTPUT.with_name("adversarial.json"))
        _log(f"README results section rewritten from {args.readme_from}")
        return 0
    result: dict[str, Any] = {"args": {k: (str(v) if isinstance(v, pathlib.Path) else v)
                                       for k, v in vars(args).items()},
                              "environment": environment()}
    if args.adversarial:
        sizes = [float(s) for s in (args.sizes or ("0.1,1" if args.quick else "1,10,100")).split(",")]
        inputs = args.inputs.split(",") if args.inputs else None
        result["corpus"] = {"name": "adversarial", "counts": {}}
        stages = args.stages.split(",") if args.stages else None
        result["adversarial"] = adversarial.run_adversarial(sizes, inputs=inputs, stages=stages,
                                                            budget_s=args.budget, log=_log)
        result["adversarial_summary"] = adversarial.summary(result["adversarial"])
        md = adversarial.markdown(result["adversarial"])
        print(md)
        print(f"\n{result['adversarial_summary']}")
        _write(args.output.with_name("adversarial.json") if args.output == DEFAULT_OUTPUT else args.output, result)
        return 0
    corpus = _load_corpus(args, parser)
    result["corpus"] = {"name": corpus.name, "counts": corpus.counts(), "sources": corpus.sources,
                        "skipped": corpus.skipped, "skipped_summary": corpus.skipped_summary()}
    _log(f"corpus {corpus.name}: {corpus.counts()}")
    synthetic_docs = args.synthetic_docs or (60 if args.quick else 300)
    result["quality"] = run_quality(corpus, None if args.no_synthetic else args.spinner_dict,
                                    args.spin_rate, args.seed, synthetic_docs)
    result["figures"] = headline(result["quality"])
    if not args.no_speed:
        t0 = time.perf_counter()
        docs = _speed_docs(corpus, args.quick)
        result["speed"] = {"throughput": speed.throughput(docs, repeats=2 if args.quick else 3)}
        spun = [p["spun"] for p in corpus.pairs] + corpus.spun_only
        if spun:  # the mix is mostly clean text, which spin reversal leaves at detection
            result["speed"]["spun"] = speed.throughput(spun, repeats=2 if args.quick else 3,
                                                       stages=("ftfy.fix_text", "detect_spin", "unspin"))
        result["speed"]["import"] = speed.import_time(repeats=2 if args.quick else 5)
        result["speed"]["memory"] = speed.peak_rss(docs)
        for name in ("repair()", "detect_spin", "strip_boilerplate", "unspin", "fix_encoding"):
            r = result["speed"]["throughput"].get(name)
            if r:
                result["figures"][f"speed.{name}.mb_per_s"] = r["mb_per_s"]
                result["figures"][f"speed.{name}.vs_ftfy"] = r["speed_vs_ftfy"]
        _log(f"speed: {time.perf_counter() - t0:.1f} s")
    result["seconds"] = time.perf_counter() - started
    md = render_markdown(result)
    print(md)
    failures: list[str] = []
    if args.gate:
        wanted = gate_corpus(args.floors)
        if not _gate_applies(corpus.name, wanted):
            result["gate"] = {"applied": False, "failures": [], "floors": str(args.floors)}
            print(f"gate: NOT APPLIED: nothing was checked (the floors in {args.floors} are for "
                  f"corpus '{wanted}', this run is on '{corpus.name}')")
        else:
            failures = gate(result["figures"], corpus.name, args.floors)
            result["gate"] = {"applied": True, "failures": failures, "floors": str(args.floors)}
            print("gate: " + ("FAILED\n  " + "\n  ".join(failures) if failures
                              else "all figures at or above their floors"))
    _write(args.output, result)
    if args.markdown_readme:
        write_readme(md, result, adversarial_json=DEFAULT_OUTPUT.with_name("adversarial.json"))
        _log(f"README results section rewritten ({README})")
    _log(f"benchmark done in {result['seconds']:.0f} s; figures in {args.output}")
    return 1 if failures else 0


def _write(path: pathlib.Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
