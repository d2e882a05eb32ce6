"""Long-running fuzzing of the public functions and the JSON Lines reader with hypothesis.

    python scripts/fuzz_hypothesis.py --minutes 12 [--only repair,decode] [--out fuzz-findings]

Each target runs in rounds of ``--examples`` random examples (fresh seed per round)
until the time is up. A failing example is shrunk by hypothesis and saved as JSON in
``--out`` (target name, input, error); turn each into a regression test in
``tests/regressions/`` once understood. Exit status 1 when anything was found.

The checks are the properties of issue 7: no stage raises on arbitrary Unicode text,
each stage is idempotent, the change log replays (``apply_changes(x, changes) == out``),
``detect_spin`` scores lie in [0, 1], :func:`newsrepair.io.decode` either returns text
or raises :class:`newsrepair.DecodeError`, the JSON Lines reader never raises, and a
JSON Lines record keeps every field except the repaired one.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import time
import traceback
from typing import Any, Callable

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import newsrepair
from newsrepair.cli import Task, process_jsonl_line
from newsrepair.io import decode, parse_jsonl_line

# Pieces that make stages do something: mojibake, entities, odd spaces, line breaks,
# words spinners change, page furniture, scripts other than Latin.
TOKENS = [
    " ", "  ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u200b", "\ufeff", "\x00", "\x1b", "\u0085",
    "â€™", "â€œ", "Ã©", "Ã", "&amp;", "&#39;", "&nbsp;", "&", ";", "<p>", "</div>",
    "the", "The", "army", "navy", "military", "energy", "vitality", "in line with", "according to",
    "12 months", "year", "for the reason that", "since", "top general", "high normal",
    "Amnesty Worldwide", "Share on Facebook", "RELATED ARTICLES", "Login", "Subscribe",
    "Home", "News", "Tuesday, March 3, 2026", "©", "Photo:", ".", ",", "!", "?", "'", "’", "“", "”",
    "—", "-", "…", "http://example.com/a?b=c", "QUJDREVGRw==", "é", "ß", "ñ", "မြန်မာ", "中文", "العربية",
    "😀", "\u0301", "ﬁ", "Ａ", "Ordinary", "people", "said", "on", "Monday", "a", "new", "bridge",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(TOKENS), max_size=80).map("".join),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=5)), max_size=60).map(" ".join),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
records = st.dictionaries(st.text(max_size=10), json_values, max_size=6)


# Known, reported findings that --skip-known steps around, so the fuzzer can look further.
KNOWN = {
    # invisible characters removed after ftfy can expose mojibake (tests/regressions)
    "invisible-then-mojibake": lambda text: any(c in text for c in "\u00ad\u200b\u2060\ufeff"),
    # odd spaces / &nbsp; normalised after ftfy can expose mojibake (tests/regressions)
    "space-then-mojibake": lambda text: "&nbsp;" in text or any(
        c in text for c in "\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200b)))),
}
SKIP_KNOWN = False


def check_stage(name: str, explain: Callable[[str], Any], plain: Callable[[str], str]) -> Callable[[str], None]:
    def check(text: str) -> None:
        if SKIP_KNOWN:
            assume(not any(known(text) for known in KNOWN.values()))
        result = explain(text)
        assert isinstance(result.text, str)
        replay = newsrepair.apply_changes(text, result.changes)
        assert replay == result.text, f"{name}: change log does not replay"
        again = plain(result.text)
        assert again == result.text, f"{name}: not idempotent"
    return check


def check_detect(text: str) -> None:
    report = newsrepair.detect_spin(text)
    assert 0.0 <= report.score <= 1.0
    assert report.is_spun == (report.score >= report.threshold)
    for s in report.suspects:
        assert text[s.start:s.end] == s.text


def check_decode(data: bytes) -> None:
    try:
        out = decode(data)
    except newsrepair.DecodeError:
        return
    assert isinstance(out.text, str)
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    # valid UTF-8 is taken as such, unless it has a BOM or NUL bytes (binary or UTF-16)
    if not data.startswith(b"\xef\xbb\xbf") and b"\x00" not in data:
        assert out.text == utf8


def check_jsonl_line(data: bytes) -> None:
    line = parse_jsonl_line(data, 1)
    assert (line.error is None) == isinstance(line.record, dict)


def check_jsonl_record(record: dict, text: str) -> None:
    record = dict(record)
    record["text"] = text
    raw = json.dumps(record).encode("utf-8")
    state = (newsrepair.get_repairer(), Task("repair", (True, True, True)))
    out = json.loads(process_jsonl_line(state, ("x", 1, raw)).output)
    assert list(out)[:len(record)] == list(record)
    for key, value in record.items():
        if key not in ("text", "newsrepair"):  # the summary field is replaced, as documented
            assert out[key] == value
    assert out["text"] == newsrepair.repair(text).text


TARGETS: dict[str, tuple[Any, Callable[..., None]]] = {
    "fix_encoding": (texts, check_stage("fix_encoding", newsrepair.fix_encoding_and_explain, newsrepair.fix_encoding)),
    "strip_boilerplate": (texts, check_stage("strip_boilerplate", newsrepair.strip_boilerplate_and_explain,
                                             newsrepair.strip_boilerplate)),
    "unspin": (texts, check_stage("unspin", newsrepair.unspin_and_explain, newsrepair.unspin)),
    "repair": (texts, check_stage("repair", newsrepair.repair, lambda t: newsrepair.repair(t).text)),
    "detect_spin": (texts, check_detect),
    "decode": (st.one_of(st.binary(max_size=400), texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
                         texts.map(lambda t: t.encode("cp1252", "ignore"))), check_decode),
    "jsonl_line": (st.one_of(st.binary(max_size=200), records.map(lambda r: json.dumps(r).encode()),
                             texts.map(lambda t: t.encode("utf-8", "surrogatepass"))), check_jsonl_line),
    "jsonl_record": (st.tuples(records, texts), lambda pair: check_jsonl_record(*pair)),
}


def fuzz(name: str, examples: int, out: pathlib.Path) -> bool:
    strategy, check = TARGETS[name]
    last: list[Any] = []

    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def prop(value: Any) -> None:
        try:
            check(value)
        except Exception:
            last[:] = [value, traceback.format_exc(limit=6)]
            raise

    try:
        prop()
    except Exception as exc:  # noqa: BLE001
        value, tb = last if last else (None, repr(exc))
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{name}-{int(time.time())}.json"
        if isinstance(value, bytes):
            value = {"bytes_latin1": value.decode("latin-1")}
        path.write_text(json.dumps({"target": name, "input": value, "error": tb}, ensure_ascii=True, indent=1))
        print(f"FOUND {name}: {path}\n{tb}", flush=True)
        return True
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--examples", type=int, default=2000, help="examples per round and target")
    parser.add_argument("--only", default="", help="comma-separated targets (default: all)")
    parser.add_argument("--out", default="fuzz-findings")
    parser.add_argument("--skip-known", action="store_true", help="avoid inputs of already-reported findings")
    args = parser.parse_args()
    global SKIP_KNOWN
    SKIP_KNOWN = args.skip_known
    names = [n for n in (args.only.split(",") if args.only else TARGETS) if n]
    deadline = time.monotonic() + args.minutes * 60
    found: set[str] = set()
    total = {n: 0 for n in names}
    rounds = 0
    while time.monotonic() < deadline:
        for name in names:
            if name in found or time.monotonic() >= deadline:
                continue
            if fuzz(name, args.examples, pathlib.Path(args.out)):
                found.add(name)
            total[name] += args.examples
        rounds += 1
        if len(found) == len(names):
            break
    print(f"fuzzed {args.minutes:g} min, pid {os.getpid()}: " + ", ".join(f"{n}={total[n]} examples" for n in names)
          + (f"; FINDINGS in {sorted(found)}" if found else "; nothing found"), flush=True)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
