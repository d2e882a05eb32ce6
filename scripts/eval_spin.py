"""Honest evaluation of spin reversal beyond the in-sample dev score.

    python scripts/eval_spin.py loo        # leave-one-article-out on dev_pairs.jsonl
    python scripts/eval_spin.py synthetic  # our own spinner dictionary on clean news
    python scripts/eval_spin.py learning [GROUPS.txt]  # newsrepair learn --originals, end to end
    python scripts/eval_spin.py clean [GROUPS.txt]  # do no harm on clean news the model never saw

``loo`` relearns the lexicon without each dev pair in turn (scripts/learn_spin_lexicon.py)
and scores that pair, so the words of the article being repaired were never seen.
``synthetic`` spins 100 Reuters dev articles with the test dictionary
(tests/fixtures/spin/spinner_groups.txt) with the benchmark's synthetic spinner
(benchmarks/spinner.py at rate 1: a random substitute for every match, longest phrase
first, capitals kept) and unspins them with that dictionary given as a user
dictionary, and without it. ``learning`` plays a user who has a content farm's
articles and the site it copies, but neither the pairing nor the farm's dictionary: it
spins N = 10, 30, 100, 300 clean articles at rate 0.5 (with the benchmark's sample
dictionary, or GROUPS.txt, e.g. ``python -m benchmarks.dicts.wordnet_spinner``), runs
``newsrepair learn --originals`` on them with all 2,375 clean articles as the candidate
originals, and unspins 200 other spun articles with the learned lexicon as
``--spinner-dict``, both with the shipped model and with one counted without the 500
articles it spins. ``clean`` measures detection and edits on the 2,375 clean articles
twice: with the shipped language model, which was counted from these very articles
(in-sample: it knows their word triples, so their wording looks likely), and, fold by
fold, with models counted from the other three quarters only (out-of-sample: as for the
news a user brings); with GROUPS.txt given as the spinner dictionary. ``synthetic`` also gives its out-of-sample figures, with a model
counted without the 100 articles it spins. Needs ../shared (development data).
"""

from __future__ import annotations

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmarks.metrics import score_pair, summarize  # noqa: E402  (the benchmark's metrics)
from benchmarks.spinner import load_groups, spin  # noqa: E402  (the synthetic spinner)

from newsrepair.config import Config  # noqa: E402
from newsrepair.spin import HAND_LEXICONS, NEWS_LEXICONS, SpinModel  # noqa: E402
from newsrepair.spin.lexicon import Lexicon, load_lexicon  # noqa: E402

from clean_folds import FOLDS, clean_documents, heldout_rows, model_without, rates_without  # noqa: E402


def rows(name: str) -> list[dict]:
    with open(SHARED / "data" / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def repair_scores(model: SpinModel, pairs: list[tuple[str, str]]) -> tuple[dict, int]:
    """The benchmark's summary of ``model`` repairing each ``(spun, original)`` pair as
    ``unspin`` does (detection first), and how many of the spun texts it flagged."""
    scores, flagged = [], 0
    for spun, original in pairs:
        report = model.detect(spun)
        flagged += report.is_spun
        scores.append(score_pair(spun, model.unspin_and_explain(spun, report)[0], original))
    return summarize(scores), flagged


def clean(groups_path: str | None = None) -> None:
    import tempfile

    config = Config(spinner_dictionaries=[groups_path]) if groups_path else Config()
    forced_config = config.replace(unspin_clean=True)
    docs = clean_documents()
    words = sum(len(d["text"].split()) for d in docs)

    def measure(pairs: list[tuple[SpinModel, SpinModel, str]]) -> str:
        scores, flagged, edits, forced_edits = [], 0, 0, 0
        for model, forced, text in pairs:
            report = model.detect(text)
            scores.append(report.score)
            flagged += report.is_spun
            edits += len(model.unspin_and_explain(text, report)[1])
            forced_edits += len(forced.unspin_and_explain(text, forced.detect(text))[1])
        scores.sort()
        top = ", ".join(f"{s:.2f}" for s in scores[-5:])
        return (f"flagged {flagged}/{len(pairs)} ({100 * flagged / len(pairs):.2f}%), "
                f"{1000 * edits / words:.3f} edits per 1000 words, forced (unspin_clean=True) "
                f"{1000 * forced_edits / words:.3f}; highest scores {top}")

    given = f", {pathlib.Path(groups_path).name} given as the spinner dictionary" if groups_path else ""
    print(f"clean news, {len(docs)} articles, {words} words{given}")
    shipped, shipped_forced = SpinModel(config), SpinModel(forced_config)
    print("  in-sample (the shipped model, counted from them): "
          + measure([(shipped, shipped_forced, d["text"]) for d in docs]))
    held: list[tuple[SpinModel, SpinModel, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        signatures, models = heldout_rows(docs, tmp, FOLDS)
    for f, fold_model in enumerate(models):
        fold = {i for i, (g, _) in signatures.items() if g == f}
        model, forced = SpinModel(config, lm=fold_model.lm), SpinModel(forced_config, lm=fold_model.lm)
        # the clean-news rates of detection, from the other folds only
        model.clean_rates = forced.clean_rates = rates_without(signatures, fold)
        held.extend((model, forced, docs[i]["text"]) for i in sorted(fold))
    print(f"  out-of-sample ({FOLDS} folds, each scored by a model counted from the others, with "
          "detection's clean-news rates from the others): " + measure(held))


def loo() -> None:
    from learn_spin_lexicon import learn

    model = SpinModel(Config())
    scores, flagged, orig_flagged = [], 0, 0
    pairs = rows("spin/dev_pairs.jsonl")
    for p in pairs:
        lex = Lexicon()  # the learned lexicon relearned, then the other shipped ones as SpinModel merges them
        for spun, orig, weight, _count in learn({p["id"]}):
            lex.add(spun, orig, weight, "learned")
        load_lexicon([n for n in NEWS_LEXICONS if n != "learned"], fallback=HAND_LEXICONS, base=lex)
        model.use_lexicon(lex)
        report = model.detect(p["spun"])
        flagged += report.is_spun
        orig_flagged += model.detect(p["original"]).is_spun
        out, _ = model.unspin_and_explain(p["spun"], report)
        scores.append(score_pair(p["spun"], out, p["original"]))
    s = summarize(scores)
    print(f"leave-one-article-out ({len(pairs)} pairs): WER reduction {s['wer_reduction']:.3f}, "
          f"precision {s['precision']:.3f}, recall {s['recall']:.3f}; "
          f"spun flagged {flagged}/{len(pairs)}, originals flagged {orig_flagged}/{len(pairs)}")


def synthetic() -> None:
    import tempfile

    groups_path = ROOT / "tests" / "fixtures" / "spin" / "spinner_groups.txt"
    groups = load_groups(groups_path)
    docs = [d["text"][:2000] for d in rows("clean/reuters_dev.jsonl")[200:300]]
    spun = [spin(d, groups, rate=1.0, seed=7).text for d in docs]
    everything = clean_documents()
    first = len(rows("clean/bbc_dev.jsonl")) + 200  # where reuters_dev[200:300] stands in everything
    spun_here = set(range(first, first + 100))
    with tempfile.TemporaryDirectory() as tmp:
        signatures, _models = heldout_rows(everything, tmp)
        rates = rates_without(signatures, spun_here)
        for name, cfg in (("with the dictionary", Config(spinner_dictionaries=[str(groups_path)])),
                          ("shipped lexicon only", Config())):
            unseen = model_without(everything, spun_here, cfg, tmp, rates)
            for sample, model in (("in-sample", SpinModel(cfg)), ("out-of-sample", unseen)):
                m, flagged = repair_scores(model, list(zip(spun, docs)))
                print(f"synthetic spin, {name}, {sample} model ({len(docs)} docs): flagged {flagged}, WER reduction "
                      f"{m['wer_reduction']:.3f}, precision {m['precision']:.3f}, recall {m['recall']:.3f}")


def learning(groups_path: str = str(ROOT / "benchmarks" / "dicts" / "sample.txt")) -> None:
    import random
    import subprocess
    import tempfile

    groups = load_groups(groups_path)
    docs = clean_documents()
    clean = [d["text"] for d in docs]
    chosen = random.Random(11).sample(range(len(clean)), 500)
    tests = [(spin(clean[i], groups, rate=0.5, seed=i).text, clean[i]) for i in chosen[300:]]

    with tempfile.TemporaryDirectory() as tmp:
        # out of sample: a model counted without the 500 articles spun here, and
        # detection's clean-news rates from the other articles only
        signatures, _models = heldout_rows(docs, tmp)
        rates = rates_without(signatures, set(chosen))

        def score(cfg: Config) -> str:
            out = []
            for model in (SpinModel(cfg), model_without(docs, set(chosen), cfg, tmp, rates)):
                m, flagged = repair_scores(model, tests)
                out.append(f"WER reduction {m['wer_reduction']:.3f}, precision {m['precision']:.3f}, recall "
                           f"{m['recall']:.3f}, flagged {flagged}/{len(tests)}")
            return f"in sample {out[0]}; out of sample {out[1]}"

        print(f"{pathlib.Path(groups_path).name}, rate 0.5, {len(tests)} test articles; shipped lexicons only: "
              f"{score(Config())}")
        source = pathlib.Path(tmp, "source.jsonl")
        source.write_text("".join(json.dumps({"text": t}) + "\n" for t in clean), encoding="utf-8")
        for n in (10, 30, 100, 300):
            farm = pathlib.Path(tmp, f"farm{n}.jsonl")
            farm.write_text("".join(json.dumps({"text": spin(clean[i], groups, rate=0.5, seed=i).text}) + "\n"
                                    for i in chosen[:n]), encoding="utf-8")
            lexicon = pathlib.Path(tmp, f"farm{n}.tsv")
            done = subprocess.run([sys.executable, "-m", "newsrepair", "learn", "--originals", str(source),
                                   str(farm), "-o", str(lexicon)], capture_output=True, text=True, check=True)
            matched = done.stderr.splitlines()[0].split(": ", 1)[1]
            print(f"  learned from {n} articles ({matched}): {score(Config(spinner_dictionaries=[str(lexicon)]))}")


if __name__ == "__main__":
    MODES = {"loo": loo, "synthetic": synthetic, "learning": learning, "clean": clean}
    mode = sys.argv[1] if len(sys.argv) > 1 else "loo"
    if mode not in MODES:
        sys.exit(__doc__ if mode in ("-h", "--help") else f"unknown mode {mode!r}; one of {', '.join(MODES)}")
    if not (SHARED / "data").is_dir():
        sys.exit(f"eval_spin.py needs the development data in {SHARED / 'data'}, which is not there")
    MODES[mode](*sys.argv[2:])
