"""Boilerplate stripping on the shared dev data (skipped when ../shared is absent)."""

from __future__ import annotations

import json
from collections import Counter

import regex

from benchmarks.metrics import shingle_prf, summarize_shingles
from newsrepair import strip_boilerplate

TOK = regex.compile(r"\w+")


def test_seed_page_exact(shared_dir) -> None:
    scraped = (shared_dir / "seeds" / "dvb_junta_russia_scraped.txt").read_text(encoding="utf-8")
    expected = (shared_dir / "seeds" / "dvb_junta_russia_expected.txt").read_text(encoding="utf-8")
    assert strip_boilerplate(scraped).split() == expected.split()


def test_dev_f1_floor(shared_dir) -> None:
    rows = [json.loads(l) for l in open(shared_dir / "data" / "boilerplate" / "dev.jsonl", encoding="utf-8")]
    pr = [shingle_prf(r["article"], strip_boilerplate(r["scraped"])) for r in rows]
    assert summarize_shingles(pr)["f1"] >= 0.88


def test_clean_articles_keep_words(shared_dir) -> None:
    kept = total = 0
    with open(shared_dir / "data" / "clean" / "reuters_dev.jsonl", encoding="utf-8") as f:
        for l in list(f)[:300]:
            d = json.loads(l)
            t = d["title"] + "\n\n" + d["text"]
            a, b = Counter(TOK.findall(t)), Counter(TOK.findall(strip_boilerplate(t)))
            kept += sum((a & b).values()); total += sum(a.values())
    assert kept / total >= 0.995
