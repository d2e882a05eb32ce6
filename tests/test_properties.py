"""Issue 7, properties (hypothesis): no stage raises on arbitrary Unicode, every stage is
idempotent, change logs replay, JSON Lines records round-trip, and unspin leaves common
clean English alone. Long runs of the same checks: ``scripts/fuzz_hypothesis.py``."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import newsrepair
from newsrepair.cli import Task, process_jsonl_line
from newsrepair.io import decode, dump_record, parse_jsonl_line

TOKENS = [
    " ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u200b", "â€™", "â€œ", "Ã©", "&amp;", "&#39;", "<p>",
    "the", "army", "navy", "military", "energy", "vitality", "in line with", "12 months", "year",
    "Share on Facebook", "RELATED ARTICLES", "Login", "Home", ".", ",", "’", "“", "”", "—", "é",
    "中文", "မြန်မာ", "😀", "Residents", "said", "on", "Monday", "a", "new", "bridge",
]
texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(TOKENS), max_size=60).map("".join),
    st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

STAGES = {
    "fix_encoding": (newsrepair.fix_encoding_and_explain, newsrepair.fix_encoding),
    "strip_boilerplate": (newsrepair.strip_boilerplate_and_explain, newsrepair.strip_boilerplate),
    "unspin": (newsrepair.unspin_and_explain, newsrepair.unspin),
    "repair": (newsrepair.repair, lambda t: newsrepair.repair(t).text),
}


def _check(name: str, text: str) -> None:
    explain, plain = STAGES[name]
    result = explain(text)
    assert newsrepair.apply_changes(text, result.changes) == result.text
    assert plain(text) == result.text
    assert plain(result.text) == result.text, "not idempotent"


@SETTINGS
@given(texts)
def test_fix_encoding_properties(text: str) -> None:
    _check("fix_encoding", text)


@SETTINGS
@given(texts)
@example("n e h r e t 2 m\nShare on k\np;\x0boe |ws |")  # a removed line joined its neighbours
@example("Home | News\nThe new ferry will sail to the islands twice a day from the\nShare on Facebook\n"
         "first of May, the operator said on Friday.\n")  # a share line inside a wrapped paragraph
def test_strip_boilerplate_properties(text: str) -> None:
    _check("strip_boilerplate", text)


@SETTINGS
@given(texts)
def test_unspin_properties(text: str) -> None:
    _check("unspin", text)


@SETTINGS
@given(texts)
def test_repair_properties(text: str) -> None:
    _check("repair", text)


@SETTINGS
@given(texts)
def test_detect_spin_never_raises_and_is_consistent(text: str) -> None:
    report = newsrepair.detect_spin(text)
    assert 0.0 <= report.score <= 1.0
    assert report.is_spun == (report.score >= report.threshold)
    for s in report.suspects:
        assert text[s.start:s.end] == s.text


# Common clean English, written for this test.
CLEAN_SENTENCES = [
    "The council met on Tuesday to discuss the new budget.",
    "Officials said the bridge would reopen next year.",
    "Police arrested two men after the robbery on Friday night.",
    "The company reported higher profits for the third quarter.",
    "Thousands of people marched through the city centre on Saturday.",
    "The minister told reporters that talks would continue next week.",
    "Schools in the region will stay closed until the storm has passed.",
    "The team won the final after a late goal in extra time.",
    "Prices rose by two percent last month, according to official figures.",
    "The army said its soldiers had returned to their bases.",
    "Doctors warned that the hospital was running out of beds.",
    "The president is expected to sign the bill into law on Monday.",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(CLEAN_SENTENCES), min_size=1, max_size=12))
def test_unspin_leaves_common_clean_english_unchanged(sentences: list[str]) -> None:
    text = " ".join(sentences) + "\n"
    assert newsrepair.unspin(text) == text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_decode_returns_text_or_raises_decode_error(data: bytes) -> None:
    try:
        out = decode(data)
    except newsrepair.DecodeError:
        return
    assert isinstance(out.text, str)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_jsonl_reader_never_raises(data: bytes) -> None:
    line = parse_jsonl_line(data, 1)
    assert (line.error is None) == isinstance(line.record, dict)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
records = st.dictionaries(st.text(max_size=10).filter(lambda k: k not in ("text", "newsrepair")),
                          json_values, max_size=6)


@settings(max_examples=150, deadline=None)
@given(records, texts, st.integers(min_value=0, max_value=6))
def test_jsonl_record_round_trip(record: dict, text: str, position: int) -> None:
    items = list(record.items())
    items.insert(min(position, len(items)), ("text", text))
    record = dict(items)
    state = (newsrepair.get_repairer(), Task("repair", (True, True, True)))
    out = json.loads(process_jsonl_line(state, ("x", 1, dump_record(record).encode("utf-8"))).output)
    assert list(out) == list(record) + ["newsrepair"]
    assert {k: v for k, v in out.items() if k not in ("text", "newsrepair")} == \
           {k: v for k, v in record.items() if k != "text"}
    assert out["text"] == newsrepair.repair(text).text


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(records, texts), min_size=1, max_size=80))
def test_jsonl_round_trip_through_the_command(tmp_path_factory, rows: list[tuple[dict, str]]) -> None:
    path = pathlib.Path(tmp_path_factory.mktemp("rt")) / "in.jsonl"
    originals = []
    with open(path, "w", encoding="utf-8") as fh:
        for record, text in rows:
            record = {**record, "text": text}
            originals.append(record)
            fh.write(json.dumps(record) + "\n")
    proc = subprocess.run([sys.executable, "-m", "newsrepair", "--jsonl", "-j", "2", str(path)],
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    outs = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]  # one line per record
    assert len(outs) == len(originals)
    for before, after in zip(originals, outs):
        assert {k: v for k, v in after.items() if k not in ("text", "newsrepair")} == \
               {k: v for k, v in before.items() if k != "text"}
        assert after["text"] == newsrepair.repair(before["text"]).text
