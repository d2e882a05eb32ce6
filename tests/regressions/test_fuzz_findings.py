"""Inputs found by fuzzing (scripts/fuzz_hypothesis.py) or by the property tests, kept as
regression tests. Each case in fuzz_findings.json says which function it exercises."""

from __future__ import annotations

import json
import pathlib

import pytest

import newsrepair
from newsrepair.cli import Task, process_jsonl_line
from newsrepair.io import dump_record

CASES = json.loads((pathlib.Path(__file__).parent / "fuzz_findings.json").read_text(encoding="utf-8"))
STAGES = {
    "fix_encoding": (newsrepair.fix_encoding_and_explain, newsrepair.fix_encoding),
    "strip_boilerplate": (newsrepair.strip_boilerplate_and_explain, newsrepair.strip_boilerplate),
    "unspin": (newsrepair.unspin_and_explain, newsrepair.unspin),
    "repair": (newsrepair.repair, lambda t: newsrepair.repair(t).text),
}


def _stage_cases() -> list:
    return [pytest.param(c, id=c["id"]) for c in CASES if c["function"] in STAGES]


@pytest.mark.parametrize("case", _stage_cases())
def test_stage_case(case: dict) -> None:
    explain, plain = STAGES[case["function"]]
    text = case["input"]
    result = explain(text)
    assert newsrepair.apply_changes(text, result.changes) == result.text
    assert plain(result.text) == result.text, "not idempotent"


@pytest.mark.parametrize("case", [c for c in CASES if c["function"] == "jsonl"], ids=lambda c: c["id"])
def test_jsonl_case(case: dict) -> None:
    record = case["input"]
    line = dump_record(record)
    assert len(line.splitlines()) == 1 and json.loads(line) == record
    state = (newsrepair.get_repairer(), Task("repair", (True, True, True)))
    out = process_jsonl_line(state, ("x", 1, line.encode("utf-8")))
    assert out.error is None
    assert len(out.output.splitlines()) == 1
    got = json.loads(out.output)
    assert list(got)[: len(record)] == list(record)
    for key, value in record.items():
        if key not in ("text", "newsrepair"):
            assert got[key] == value
    assert set(got["newsrepair"]) >= {"changes"}


@pytest.mark.parametrize("case", [c for c in CASES if c["function"] == "decode"], ids=lambda c: c["id"])
def test_decode_case(case: dict) -> None:
    data = case["input_latin1"].encode("latin-1")
    if case["expect"] == "DecodeError":
        with pytest.raises(newsrepair.DecodeError):
            newsrepair.decode_bytes(data)
    else:
        assert newsrepair.decode_bytes(data) == case["expect"]
