"""Measure the boilerplate stripper on the dev data (needs ../shared).

    .venv/bin/python scripts/eval_strip.py [--cv] [--show N]

Prints the seed check, the dev F1 (word 4-gram shingles, as devscore), word recall on
clean articles, and throughput.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

import regex

from newsrepair import Config
from newsrepair.strip import strip_boilerplate_and_explain

SHARED = Path(__file__).resolve().parents[2] / "shared"
TOK = regex.compile(r"\w+")
CFG = Config()


def strip(t: str) -> str:
    return strip_boilerplate_and_explain(t, CFG)[0]


def shingle_prf(true: str, pred: str, n: int = 4) -> tuple[float, float]:
    def sh(t: str) -> Counter:
        w = TOK.findall(t or "")
        return Counter(tuple(w[i:i + n]) for i in range(max(1, len(w) - n + 1)) if w[i:i + n])
    a, b = sh(true), sh(pred)
    tp = sum((a & b).values()); fp = sum((b - a).values()); fn = sum((a - b).values())
    p = 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))
    r = 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))
    return p, r


def main() -> None:
    seed = (SHARED / "seeds/dvb_junta_russia_scraped.txt").read_text(encoding="utf-8")
    exp = (SHARED / "seeds/dvb_junta_russia_expected.txt").read_text(encoding="utf-8")
    got = strip(seed)
    print("seed exact (whitespace aside):", got.split() == exp.split())
    rows = [json.loads(l) for l in open(SHARED / "data/boilerplate/dev.jsonl", encoding="utf-8")]
    P, R = [], []
    for i, r in enumerate(rows):
        p, rc = shingle_prf(r["article"], strip(r["scraped"]))
        P.append(p); R.append(rc)
        if "--show" in sys.argv:
            print(f"{i:2d} P={p:.3f} R={rc:.3f} {r['url'][:80]}")
    p, rc = sum(P) / len(P), sum(R) / len(R)
    print(f"dev P={p:.4f} R={rc:.4f} F1={2 * p * rc / (p + rc):.4f}")
    kept = total = 0
    for f in sorted((SHARED / "data/clean").glob("*.jsonl")):
        for l in open(f, encoding="utf-8"):
            d = json.loads(l)
            t = (d.get("title") or "") + "\n\n" + d["text"]
            a = Counter(TOK.findall(t)); b = Counter(TOK.findall(strip(t)))
            kept += sum((a & b).values()); total += sum(a.values())
    print(f"clean word recall={kept / total:.5f}")
    blob = "\n".join(r["scraped"] for r in rows)
    t0 = time.perf_counter(); reps = 3
    for _ in range(reps):
        strip(blob)
    dt = (time.perf_counter() - t0) / reps
    print(f"throughput={len(blob.encode()) / dt / 1e6:.1f} MB/s (one {len(blob)//1000} kB page)")


if __name__ == "__main__":
    main()
