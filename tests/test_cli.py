"""The ``newsrepair`` command, run for real in a subprocess (``python -m newsrepair`` and the
console script)."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import stat
import shlex
import subprocess
import sys
import threading
import time

import pytest

import newsrepair
from newsrepair import cli

SCRIPT = pathlib.Path(sys.executable).parent / "newsrepair"
MOJIBAKE = "The councilâ€™s plan won a â€œclearâ€\x9d majority.\n"
FIXED = "The council’s plan won a “clear” majority.\n"
CLEAN = "Ferry fares rose again this spring, the operator said on Monday.\n"


def run(*args: str, input: bytes | str | None = None, cwd: pathlib.Path | None = None,
        script: bool = False, ok: tuple[int, ...] = (0,), timeout: float = 120) -> subprocess.CompletedProcess:
    cmd = [str(SCRIPT)] if script else [sys.executable, "-m", "newsrepair"]
    if isinstance(input, str):
        input = input.encode("utf-8")
    proc = subprocess.run(cmd + list(args), input=input if input is not None else b"",
                          capture_output=True, cwd=cwd, timeout=timeout)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert proc.returncode in ok, (proc.returncode, stderr)
    return proc


def out(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout.decode("utf-8")


def err(proc: subprocess.CompletedProcess) -> str:
    return proc.stderr.decode("utf-8")


# ------------------------------------------------------------------ basics

# Tests of the command's mechanics use `fix` (encoding repair only), whose output on these
# fixtures is exact; the default `repair` is checked against the library's repair().
ARTICLE = ("Harbour Town backs solar farm\n\n"
           "The councilâ€™s planning committee approved the solar farm on Tuesday evening, "
           "ending a debate that had lasted more than a year.\n\n"
           "The farm will supply power to about four thousand homes, officials said, and "
           "construction is expected to begin in the spring.\n")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_terminal_on_standard_input_gets_a_hint() -> None:
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "newsrepair", "fix"], stdin=slave,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(slave)
        slave = -1
        os.write(master, "The council\u00e2\u20ac\u2122s plan.\n".encode() + b"\x04")
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    assert proc.returncode == 0
    assert b"reading standard input" in stderr and b"Ctrl-D" in stderr
    assert "council\u2019s" in stdout.decode("utf-8")
    # not when standard input is a pipe
    assert "reading standard input" not in err(run("fix", input="text"))


def test_stdin_to_stdout() -> None:
    proc = run("fix", input=MOJIBAKE)
    assert out(proc) == FIXED
    assert err(proc) == ""


def test_main_with_text_streams_in_place_of_stdin_and_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cli.main`` called from Python with ``io.StringIO`` put in place of stdin and stdout
    (as ``contextlib.redirect_stdout`` does) reads and writes through them; they have no
    binary buffer, which the command used to ask for (an internal error)."""
    import contextlib
    import io

    def main(argv: list[str], given: str) -> str:
        monkeypatch.setattr("sys.stdin", io.StringIO(given))
        written = io.StringIO()
        with contextlib.redirect_stdout(written):
            assert cli.main(argv) == 0
        return written.getvalue()

    assert main(["fix", "-"], MOJIBAKE) == FIXED
    assert json.loads(main(["fix", "--jsonl", "-"], json.dumps({"text": MOJIBAKE}) + "\n"))["text"] == FIXED
    assert json.loads(main(["detect", "--json", "-"], MOJIBAKE))["document"] == "<stdin>"


def test_main_with_stdout_none_leaves_it_none(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    """A host with no stdout (``sys.stdout is None``, as under pythonw or ``>&-``) may call
    ``main`` with an output directory; the null device used meanwhile is closed after."""
    (tmp_path / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    monkeypatch.setattr("sys.stdout", None)
    assert cli.main(["fix", "-o", str(tmp_path / "out"), str(tmp_path / "a.txt")]) == 0
    assert sys.stdout is None
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == FIXED
    assert cli.main(["fix", str(tmp_path / "a.txt")]) == 2  # nowhere to write: refused
    assert sys.stdout is None


def test_options_are_never_abbreviated_and_a_typo_gets_the_closest_one(tmp_path: pathlib.Path) -> None:
    """argparse would read "--in" as --in-place (rewriting the input) and "--json" as
    --jsonl: both are refused, and the input is left as it was."""
    page = tmp_path / "a.txt"
    page.write_text(MOJIBAKE, encoding="utf-8")
    for option in ("--in", "--json"):
        assert f"unrecognized arguments: {option}" in err(run(option, str(page), ok=(2,)))
    assert "did you mean --jsonl?" in err(run("--json", str(page), ok=(2,)))
    assert "did you mean --threshold?" in err(run("--treshold", "0.5", str(page), ok=(2,)))
    assert page.read_text(encoding="utf-8") == MOJIBAKE


def test_default_command_is_the_full_repair() -> None:
    expected = newsrepair.repair(ARTICLE).text
    assert out(run(input=ARTICLE)) == expected
    assert out(run("repair", input=ARTICLE)) == expected
    assert "council’s" in expected


def test_console_script_and_module_agree(tmp_path: pathlib.Path) -> None:
    if not SCRIPT.exists():
        pytest.skip("the newsrepair console script is not installed next to this Python")
    (tmp_path / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    assert out(run("fix", str(tmp_path / "a.txt"), script=True)) == out(run("fix", str(tmp_path / "a.txt"))) == FIXED
    assert out(run(str(tmp_path / "a.txt"), script=True)) == out(run(str(tmp_path / "a.txt")))


def test_files_to_stdout_in_order(tmp_path: pathlib.Path) -> None:
    (tmp_path / "1.txt").write_text(MOJIBAKE, encoding="utf-8")
    (tmp_path / "2.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "3.txt").write_text("no newline at the end", encoding="utf-8")
    (tmp_path / "4.txt").write_text(CLEAN, encoding="utf-8")
    names = [str(tmp_path / f"{i}.txt") for i in (2, 1, 3, 4)]
    assert out(run("fix", *names)) == CLEAN + FIXED + "no newline at the end\n" + CLEAN


def test_version_and_help() -> None:
    assert out(run("--version")).strip() == f"newsrepair {newsrepair.__version__}"
    text = out(run("--help"))
    for word in ("--jsonl", "--in-place", "-o DIR", "detect", "exit status", "--jobs"):
        assert word in text
    assert "--json" in out(run("detect", "--help"))


# ------------------------------------------------------------------ -o DIR, directories, --glob

def _tree(root: pathlib.Path) -> None:
    (root / "world" / "asia").mkdir(parents=True)
    (root / "world" / "asia" / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    (root / "b.txt").write_text(CLEAN, encoding="utf-8")
    (root / "notes.md").write_text(MOJIBAKE, encoding="utf-8")


def test_output_dir_mirrors_relative_names(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "src"
    _tree(src)
    dst = tmp_path / "dst"
    run("fix", "-o", str(dst), str(src))
    assert (dst / "world" / "asia" / "a.txt").read_text(encoding="utf-8") == FIXED
    assert (dst / "b.txt").read_text(encoding="utf-8") == CLEAN
    assert not (dst / "notes.md").exists()  # default --glob is *.txt
    assert (src / "world" / "asia" / "a.txt").read_text(encoding="utf-8") == MOJIBAKE  # input untouched
    run("fix", "-o", str(tmp_path / "md"), "--glob", "*.md", str(src))
    assert [p.name for p in (tmp_path / "md").rglob("*") if p.is_file()] == ["notes.md"]


def test_output_dir_for_relative_file_arguments(tmp_path: pathlib.Path) -> None:
    _tree(tmp_path / "in")
    run("fix", "-o", "out", "in/world/asia/a.txt", "in/b.txt", cwd=tmp_path)
    assert (tmp_path / "out" / "in" / "world" / "asia" / "a.txt").read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "out" / "in" / "b.txt").exists()


def test_output_dir_never_escapes(tmp_path: pathlib.Path) -> None:
    (tmp_path / "work").mkdir()
    (tmp_path / "up.txt").write_text(MOJIBAKE, encoding="utf-8")
    # "../up.txt" is written as out/up.txt, not beside the input
    run("fix", "-o", "out", "../up.txt", cwd=tmp_path / "work")
    assert (tmp_path / "work" / "out" / "up.txt").read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "up.txt").read_text(encoding="utf-8") == MOJIBAKE


def test_output_dir_refuses_symlinks_pointing_outside(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "x.txt").write_text(MOJIBAKE, encoding="utf-8")
    (src / "y.txt").write_text(CLEAN, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    dst = tmp_path / "dst"
    dst.mkdir()
    os.symlink(outside, dst / "sub")  # a trap: dst/sub -> outside
    proc = run("fix", "-o", str(dst), str(src), ok=(1,))
    assert "outside" in err(proc) and "x.txt" in err(proc)
    assert list(outside.iterdir()) == []
    assert (dst / "y.txt").read_text(encoding="utf-8") == CLEAN  # the rest is still written


def test_output_dir_refuses_to_overwrite_an_input(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    proc = run("-o", ".", "a.txt", cwd=tmp_path, ok=(1,))
    assert "--in-place" in err(proc)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == MOJIBAKE


# ------------------------------------------------------------------ --in-place

def test_in_place_with_backup(tmp_path: pathlib.Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(MOJIBAKE, encoding="utf-8")
    b.write_text(CLEAN, encoding="utf-8")
    os.utime(b, (1_000_000_000, 1_000_000_000))
    run("fix", "--in-place", "--backup", ".orig", str(a), str(b))
    assert a.read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == MOJIBAKE
    assert os.stat(b).st_mtime == 1_000_000_000  # nothing to change: not rewritten
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "a.txt.orig", "b.txt"]


@pytest.mark.parametrize("jsonl", [False, True])
def test_in_place_rewrites_a_file_named_twice_once(tmp_path: pathlib.Path, jsonl: bool) -> None:
    # twice, or as a link and its target: a second rewrite would back up the repaired text
    name = "a.jsonl" if jsonl else "a.txt"
    a = tmp_path / name
    a.write_text(json.dumps({"text": MOJIBAKE}) + "\n" if jsonl else MOJIBAKE, encoding="utf-8")
    (tmp_path / "link").symlink_to(a)
    original = a.read_text(encoding="utf-8")
    flags = ["--jsonl"] if jsonl else []
    proc = run("fix", *flags, "-j", "2", "--in-place", "--backup", ".orig", str(a), str(tmp_path / "link"), ok=(1,))
    assert "is rewritten once; it was already named as" in proc.stderr.decode()
    assert (tmp_path / f"{name}.orig").read_text(encoding="utf-8") == original
    assert a.read_text(encoding="utf-8") != original


def test_in_place_through_a_symlink_rewrites_the_target(tmp_path: pathlib.Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text(MOJIBAKE, encoding="utf-8")
    os.symlink(real, tmp_path / "link.txt")
    run("fix", "--in-place", str(tmp_path / "link.txt"))
    assert (tmp_path / "link.txt").is_symlink()
    assert real.read_text(encoding="utf-8") == FIXED


# ------------------------------------------------------------------ JSON Lines

def _records(tmp_path: pathlib.Path) -> pathlib.Path:
    lines = [
        json.dumps({"id": 1, "text": MOJIBAKE, "meta": {"k": [1, 2.5, None]}, "z": "é"}),
        "",
        "{broken",
        json.dumps({"id": 3, "title": "no text field"}),
        json.dumps({"id": 4, "text": 42}),
        json.dumps([1, 2]),
        json.dumps({"text": CLEAN, "id": 7}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_keeps_fields_order_and_reports_bad_lines(tmp_path: pathlib.Path) -> None:
    path = _records(tmp_path)
    proc = run("--jsonl", str(path), ok=(1,))
    recs = [json.loads(line) for line in out(proc).splitlines()]
    assert len(recs) == 6  # one per non-blank input line
    first = recs[0]
    assert list(first) == ["id", "text", "meta", "z", "newsrepair"]
    assert first["text"] == newsrepair.repair(MOJIBAKE).text and first["meta"] == {"k": [1, 2.5, None]} and first["z"] == "é"
    assert first["newsrepair"]["changes"]["encoding"] >= 1
    assert 0.0 <= first["newsrepair"]["spin_score"] <= 1.0
    assert recs[1]["newsrepair"]["line"] == 3 and recs[1]["newsrepair"]["raw"] == "{broken"
    assert recs[2] == {"id": 3, "title": "no text field", "newsrepair": {"error": "no field 'text'"}}
    assert recs[3]["text"] == 42 and "not a string" in recs[3]["newsrepair"]["error"]
    assert "array" in recs[4]["newsrepair"]["error"]
    assert recs[5]["text"] == newsrepair.repair(CLEAN).text and recs[5]["id"] == 7
    messages = err(proc).splitlines()
    assert [m.split(":")[3] for m in messages if "error" in m] == ["3", "4", "5", "6"]
    assert all(str(path) in m for m in messages)


def test_jsonl_lines_that_are_not_utf8_lose_nothing(tmp_path: pathlib.Path) -> None:
    """A line in Windows-1252 (scrapes mix encodings) is decoded as a file would be, with a
    warning naming the line; a line that is binary is reported with its bytes kept (read
    as Latin-1), also when --in-place replaces the file."""
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": 1, "text": "The caf\u00e9 opened."}).encode("utf-8")
    western = b'{"id": 2, "text": "The caf\xe9 closed."}'
    binary = b'{"id": 3, "text": "x\x00\x01\x02\x03\x04\x05\x06\x07\x08\xe9"}'
    data = b"\n".join((good, western, binary)) + b"\n"
    path.write_bytes(data)
    proc = run("fix", "--jsonl", str(path), ok=(1,))
    recs = [json.loads(line) for line in out(proc).splitlines()]
    assert recs[0]["text"] == "The caf\u00e9 opened."
    assert recs[1]["text"] == "The caf\u00e9 closed." and recs[1]["id"] == 2
    assert recs[2]["newsrepair"]["raw"].encode("latin-1") == binary
    assert f"{path}:2: not valid UTF-8" in err(proc) and "windows-1252" in err(proc)
    assert f"{path}:3:" in err(proc)
    run("fix", "--jsonl", "--in-place", str(path), ok=(1,))
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert recs[1]["text"] == "The caf\u00e9 closed."
    assert recs[2]["newsrepair"]["raw"].encode("latin-1") == binary
    # a second pass keeps the record of the broken line as it is, raw and all
    after_first = path.read_text(encoding="utf-8")
    assert "could not read" in err(run("fix", "--jsonl", "--in-place", str(path), ok=(1,)))
    assert path.read_text(encoding="utf-8") == after_first


def test_a_json_lines_file_without_jsonl_is_text_with_a_warning(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "crawl.jsonl"
    path.write_text(json.dumps({"text": CLEAN}) + "\n", encoding="utf-8")
    proc = run("fix", str(path))
    assert json.loads(out(proc)) == {"text": CLEAN}  # repaired as text: nothing to fix here
    assert "crawl.jsonl looks like JSON Lines" in err(proc) and "--jsonl" in err(proc)
    assert err(run("fix", "--jsonl", str(path))) == ""
    assert err(run("fix", "--quiet", str(path))) == ""


def test_jsonl_custom_field_and_stdin() -> None:
    rec = {"body": MOJIBAKE, "text": MOJIBAKE}
    proc = run("fix", "--jsonl", "--field", "body", "--summary-field", "nr", input=json.dumps(rec) + "\n")
    got = json.loads(out(proc))
    assert got["body"] == FIXED and got["text"] == MOJIBAKE and "nr" in got


def test_jsonl_output_dir_and_in_place(tmp_path: pathlib.Path) -> None:
    d = tmp_path / "crawl"
    d.mkdir()
    (d / "day1.jsonl").write_text(json.dumps({"text": MOJIBAKE}) + "\n", encoding="utf-8")
    (d / "skip.txt").write_text(MOJIBAKE, encoding="utf-8")
    run("fix", "--jsonl", "-o", str(tmp_path / "out"), str(d))
    assert json.loads((tmp_path / "out" / "day1.jsonl").read_text(encoding="utf-8"))["text"] == FIXED
    assert not (tmp_path / "out" / "skip.txt").exists()
    run("fix", "--jsonl", "--in-place", str(d / "day1.jsonl"))
    assert json.loads((d / "day1.jsonl").read_text(encoding="utf-8"))["text"] == FIXED


def test_jsonl_many_records_same_with_one_or_two_jobs(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "many.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(3000):
            fh.write(json.dumps({"n": i, "text": MOJIBAKE if i % 3 else CLEAN}) + "\n")
    one = out(run("--jsonl", "-j", "1", str(path)))
    two = out(run("--jsonl", "-j", "2", str(path)))
    assert one == two
    assert [json.loads(line)["n"] for line in two.splitlines()] == list(range(3000))


def test_many_files_same_with_one_or_two_jobs(tmp_path: pathlib.Path) -> None:
    for i in range(60):
        (tmp_path / f"{i:03d}.txt").write_text(f"Story {i}: " + (MOJIBAKE if i % 2 else CLEAN), encoding="utf-8")
    assert out(run("-j", "1", str(tmp_path))) == out(run("-j", "2", str(tmp_path)))


def _die_on(state: int, x: int) -> int:
    if x == state:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def test_a_worker_death_before_the_next_batch_is_a_worker_error() -> None:
    """The pool can break between two submissions (the input is slow to read): the command
    must still see WorkerError ("a worker process died unexpectedly", exit 1), not the
    executor's own exception."""
    from newsrepair.parallel import OrderedPool, WorkerError

    def slow_input():
        for i in range(20):
            if i > 7:
                time.sleep(0.2)  # worker death (at 7) lands while the parent reads
            yield i

    with pytest.raises(WorkerError, match="died unexpectedly"):
        with OrderedPool(_die_on, 7, jobs=2, batch_items=1, weight=lambda x: 1, window=100) as pool:
            list(pool.imap(slow_input()))


# ------------------------------------------------------------------ stages and commands

def test_stage_commands_and_flags(tmp_path: pathlib.Path) -> None:
    assert out(run("fix", input=MOJIBAKE)) == FIXED
    assert out(run("--no-encoding", "--no-boilerplate", "--no-spin", input=MOJIBAKE)) == MOJIBAKE
    assert out(run("strip", input=MOJIBAKE)).count("â€") == MOJIBAKE.count("â€")  # no encoding repair
    assert out(run("unspin", input=MOJIBAKE)).count("â€") == MOJIBAKE.count("â€")
    assert out(run("fix", "--straighten-quotes", input=MOJIBAKE)) == "The council's plan won a \"clear\" majority.\n"


def test_detect_tsv_json_and_threshold(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(MOJIBAKE, encoding="utf-8")
    lines = out(run("detect", str(tmp_path))).splitlines()
    assert [ln.split("\t")[0] for ln in lines] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    for ln in lines:
        name, score, verdict = ln.split("\t")
        assert 0.0 <= float(score) <= 1.0 and verdict in ("spun", "clean")
    reports = [json.loads(ln) for ln in out(run("detect", "--json", str(tmp_path))).splitlines()]
    assert [r["document"] for r in reports] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert all({"score", "is_spun", "suspects"} <= set(r) for r in reports)
    jsonl = run("detect", "--jsonl", input=json.dumps({"text": CLEAN}) + "\n")
    assert out(jsonl).startswith("<stdin>:1\t")
    # threshold 0: every score is at or above it
    import newsrepair.spin
    if "placeholder" in (newsrepair.spin.__doc__ or ""):
        pytest.xfail("the spin stage is still the placeholder, which ignores Config.spin_threshold")
    assert {ln.split("\t")[2] for ln in out(run("detect", "--threshold", "0", str(tmp_path))).splitlines()} == {"spun"}


def test_detect_writes_a_line_for_every_input_that_failed_too(tmp_path: pathlib.Path) -> None:
    # a report per input, in order, so the output lines up with the inputs
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"binary\x00data")
    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"text": CLEAN}) + "\nnot json\n" + json.dumps({"text": 5}) + "\n",
                       encoding="utf-8")
    files = run("detect", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "c.txt"), ok=(1,))
    assert [ln.split("\t")[1:] for ln in files.stdout.decode().splitlines()][1:] == [["-", "error"], ["-", "error"]]
    lines = run("detect", "--json", "--jsonl", str(records), str(tmp_path / "none.jsonl"),
                ok=(1,)).stdout.decode().splitlines()
    reports = [json.loads(ln) for ln in lines]
    assert [r["document"] for r in reports] == [f"{records}:1", f"{records}:2", f"{records}:3",
                                                str(tmp_path / "none.jsonl")]
    assert "score" in reports[0] and "error" not in reports[0]
    assert reports[1]["error"].startswith("invalid JSON")
    assert reports[2]["error"] == "field 'text' is a number, not a string"
    assert reports[3]["error"] == "No such file or directory"


def test_detect_escapes_a_tab_or_newline_in_a_file_name(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a\tb\nc.txt").write_text(CLEAN, encoding="utf-8")
    lines = out(run("detect", "a\tb\nc.txt", cwd=tmp_path)).splitlines()
    assert len(lines) == 1 and lines[0].split("\t")[0] == "a\\tb\\nc.txt"


def test_explain_log_replays(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(MOJIBAKE + "\n\n\n" + CLEAN + "  \n", encoding="utf-8")
    log = tmp_path / "log.jsonl"
    result = out(run("--explain", str(log), str(src)))
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert entries and all(e["document"] == str(src) for e in entries)
    changes = [newsrepair.Change(**{k: v for k, v in e.items() if k != "document"}) for e in entries]
    assert newsrepair.apply_changes(src.read_text(encoding="utf-8"), changes) == result


FURNITURE = "Tap here to join the Gazette Plus reader club for exclusive puzzles"
TOPICS = ["harbour", "library", "tram line", "orchard", "bridge", "school", "market", "museum"]


def _site_pages(pages: pathlib.Path) -> pathlib.Path:
    """Eight pages of one site: a body each, and one furniture line on every page."""
    pages.mkdir()
    for i, topic in enumerate(TOPICS):
        body = (f"The {topic} reopened on Saturday after months of repairs, officials said.\n\n"
                f"Residents queued early to see the {topic}, and several said the wait was worth it.\n")
        (pages / f"p{i}.txt").write_text(f"{FURNITURE}\n\n{body}\n{FURNITURE}\n", encoding="utf-8")
    return pages


def test_fit_boilerplate_removes_a_line_repeated_on_every_page(tmp_path: pathlib.Path) -> None:
    if not hasattr(newsrepair.BoilerplateModel, "save"):
        pytest.xfail("the boilerplate stage is still the placeholder (BoilerplateModel.save missing)")
    pages = _site_pages(tmp_path / "pages")
    model = tmp_path / "model.json"
    run("--fit-boilerplate", "--save-boilerplate-model", str(model), "-o", str(tmp_path / "out"), str(pages))
    for i, topic in enumerate(TOPICS):
        text = (tmp_path / "out" / f"p{i}.txt").read_text(encoding="utf-8")
        assert FURNITURE not in text
        assert f"Residents queued early to see the {topic}" in text
    assert model.exists()
    # the saved model can be reused
    again = out(run("--boilerplate-model", str(model), str(pages / "p0.txt")))
    assert FURNITURE not in again


# ------------------------------------------------------------------ bad input and exit status

def test_binary_and_missing_inputs_fail_but_the_rest_is_written(tmp_path: pathlib.Path) -> None:
    (tmp_path / "good.txt").write_text(MOJIBAKE, encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    proc = run("fix", str(tmp_path / "blob.txt"), str(tmp_path / "nope.txt"), str(tmp_path / "good.txt"), ok=(1,))
    assert out(proc) == FIXED
    lines = err(proc).splitlines()
    assert len(lines) == 3
    assert "blob.txt" in lines[0] and "binary" in lines[0]
    assert "nope.txt" in lines[1] and "no such file" in lines[1].lower()
    assert lines[2] == "newsrepair: 2 of 3 files failed"


def test_unreadable_paths(tmp_path: pathlib.Path) -> None:
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    (tmp_path / "ok.txt").write_text(CLEAN, encoding="utf-8")
    proc = run("fix", str(tmp_path / "dangling.txt"), str(tmp_path / "ok.txt" / "child.txt"),
               str(tmp_path / "ok.txt"), ok=(1,))
    assert out(proc) == CLEAN
    lines = err(proc).splitlines()
    assert len(lines) == 3 and "dangling.txt" in lines[0] and "child.txt" in lines[1]
    assert lines[2] == "newsrepair: 2 of 3 files failed"
    if os.geteuid() != 0:  # root can read any file
        secret = tmp_path / "secret.txt"
        secret.write_text(CLEAN, encoding="utf-8")
        secret.chmod(0)
        proc = run(str(secret), ok=(1,))
        assert "secret.txt" in err(proc) and "denied" in err(proc).lower()


def test_invalid_utf8_falls_back_with_a_warning(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Mayor’s café “opens”.\n".encode("cp1252"))
    proc = run("fix", str(path))
    assert out(proc) == "Mayor’s café “opens”.\n"
    assert "warning" in err(proc) and "legacy.txt" in err(proc) and "windows-1252" in err(proc)
    assert err(run("-q", str(path))) == ""


def test_utf16_with_bom(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("\ufeff".encode("utf-16-le") + MOJIBAKE.encode("utf-16-le"))
    assert out(run("fix", str(path))) == FIXED


@pytest.mark.parametrize("args", [
    ["--in-place", "-o", "x", "a.txt"],
    ["--backup", ".b", "a.txt"],
    ["--in-place"],
    ["--threshold", "2"],
    ["--min-confidence", "x"],
    ["--no-such-flag"],
    ["--fit-boilerplate"],
    ["--spinner-dict", "/nonexistent/dict.txt"],
    ["--spinner-dict", "/dev/null"],
    ["--domain", "poetry"],
    ["-j", "-3"],
    ["-j", "99999999999999999999"],
    ["--jsonl", "--summary-field", "text"],
    ["--jsonl", "--field", "body", "--summary-field", "body"],
    ["--field", "body"],
    ["--summary-field", "report"],
    ["detect", "--field", "body"],
    ["unspn"],
])
def test_usage_errors_exit_2(args: list[str]) -> None:
    proc = run(*args, input=CLEAN, ok=(2,))
    lines = err(proc).strip().splitlines()
    assert len(lines) == 2 and "error:" in lines[0] and "--help" in lines[1]
    assert out(proc) == ""


def test_data_files_that_are_not_utf8_are_usage_errors(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "dict.txt"
    bad.write_bytes(b"caf\xe9|coffee shop\n")
    for option in ("--spinner-dict", "--boilerplate-model"):
        proc = run(option, str(bad), input=CLEAN, ok=(2,))
        assert f"{option} {bad}: not UTF-8 text (byte 0xe9 at offset 3)" in err(proc)
        assert out(proc) == ""


def test_no_inputs_matched_is_a_failure(tmp_path: pathlib.Path) -> None:
    # nothing was processed: exit 1, with a message that -q does not silence
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run(str(empty), ok=(1,))
    assert out(proc) == "" and err(proc) == f"newsrepair: error: no input files matched '*.txt' in {empty}\n"
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    proc = run("-q", "--glob", "*.xyz", "--explain", str(tmp_path / "log.jsonl"), str(tmp_path), ok=(1,))
    assert out(proc) == "" and "no input files matched '*.xyz'" in err(proc)
    assert not (tmp_path / "log.jsonl").exists()
    assert out(run("--glob", "*.txt", str(tmp_path), str(empty))) == CLEAN  # one empty directory among others


def test_broken_pipe_is_quiet(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(CLEAN * 20000, encoding="utf-8")
    cmd = f"{sys.executable} -m newsrepair fix {path} {path} | head -c 10"
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=60)
    assert proc.stdout == CLEAN[:10].encode()
    assert b"Traceback" not in proc.stderr


def _open_pty() -> tuple[int, int]:
    """A pseudo-terminal pair opened with O_NOCTTY, so that it never becomes the test
    process's controlling terminal (closing it would then send SIGHUP to pytest)."""
    fcntl = pytest.importorskip("fcntl")
    termios = pytest.importorskip("termios")
    import struct
    if not sys.platform.startswith("linux") or not os.path.exists("/dev/ptmx"):
        pytest.skip("needs Linux's /dev/ptmx")
    lock = getattr(termios, "TIOCSPTLCK", 0x40045431)  # unlockpt()
    getnum = getattr(termios, "TIOCGPTN", 0x80045430)  # ptsname()
    master = os.open("/dev/ptmx", os.O_RDWR | os.O_NOCTTY)
    fcntl.ioctl(master, lock, struct.pack("i", 0))
    number = struct.unpack("i", fcntl.ioctl(master, getnum, struct.pack("i", 0)))[0]
    slave = os.open(f"/dev/pts/{number}", os.O_RDWR | os.O_NOCTTY)
    return master, slave


def test_progress_bar_only_on_a_terminal(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(30):
        (src / f"{i}.txt").write_text(CLEAN * 50, encoding="utf-8")
    quiet = run("-o", str(tmp_path / "o1"), str(src))
    assert err(quiet) == ""
    master, slave = _open_pty()
    try:
        proc = subprocess.run([sys.executable, "-m", "newsrepair", "-j", "1", "-o", str(tmp_path / "o2"),
                               str(src)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=slave, timeout=60)
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
        if slave != -1:
            os.close(slave)
    assert proc.returncode == 0
    assert b"newsrepair:" in b"".join(chunks) and b"/30" in b"".join(chunks)


def test_explain_needs_no_output_when_nothing_changes(tmp_path: pathlib.Path) -> None:
    log = tmp_path / "log.jsonl"
    run("--explain", str(log), input=CLEAN)
    assert log.read_text(encoding="utf-8") == ""


# ------------------------------------------------------------------ side outputs (--explain, --save-boilerplate-model)

def test_fit_boilerplate_on_too_few_pages_is_a_usage_error(tmp_path: pathlib.Path) -> None:
    # a model learned from two pages could call no line furniture: say so, write nothing
    pages = _site_pages(tmp_path / "pages")
    few = sorted(pages.iterdir())[:2]
    _refused(run("--fit-boilerplate", "-o", str(tmp_path / "out"), *map(str, few), ok=(2,)),
             "--fit-boilerplate", "at least 5 pages", "got 2")
    assert not (tmp_path / "out").exists()


def _refused(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    """A usage error (exit 2, checked by run()) before any output, naming ``fragments``."""
    lines = err(proc).strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("newsrepair: error: ") and "--help" in lines[1], lines
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert ".tmp" not in lines[0]
    assert out(proc) == ""


def test_explain_refuses_to_overwrite_the_input(tmp_path: pathlib.Path) -> None:
    (tmp_path / "x.txt").write_text(MOJIBAKE, encoding="utf-8")
    _refused(run("--explain", "x.txt", "x.txt", cwd=tmp_path, ok=(2,)), "--explain x.txt", "the input x.txt")
    _refused(run("--in-place", "--explain", "x.txt", "x.txt", cwd=tmp_path, ok=(2,)), "the input x.txt")
    # the same file under another name: a symbolic link or a hard link
    os.symlink("x.txt", tmp_path / "soft.jsonl")
    os.link(tmp_path / "x.txt", tmp_path / "hard.jsonl")
    for name in ("soft.jsonl", "hard.jsonl"):
        _refused(run("--explain", name, "x.txt", cwd=tmp_path, ok=(2,)), f"--explain {name}", "the input x.txt")
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == MOJIBAKE
    assert (tmp_path / "soft.jsonl").is_symlink()


def test_a_side_output_refuses_to_replace_a_file_it_did_not_write(tmp_path: pathlib.Path) -> None:
    # "--explain page.txt" with the text on standard input: page.txt was meant as the input
    (tmp_path / "page.txt").write_text(MOJIBAKE, encoding="utf-8")
    _refused(run("--explain", "page.txt", cwd=tmp_path, input=MOJIBAKE, ok=(2,)), "--explain page.txt",
             "is not a change log")
    _refused(run("--save-boilerplate-model", "page.txt", "--fit-boilerplate", "-o", "out", "page.txt",
                 cwd=tmp_path, ok=(2,)), "--save-boilerplate-model page.txt")
    assert (tmp_path / "page.txt").read_text(encoding="utf-8") == MOJIBAKE
    # JSON that the option did not write: a corpus of records, and each option's file for the other
    corpus = json.dumps({"id": 1, "text": "A corpus record."}) + "\n"
    (tmp_path / "corpus.jsonl").write_text(corpus, encoding="utf-8")
    for option in ("--explain", "--save-boilerplate-model"):
        _refused(run(option, "corpus.jsonl", "--fit-boilerplate", "-o", "out", "page.txt", cwd=tmp_path, ok=(2,)),
                 f"{option} corpus.jsonl")
    assert (tmp_path / "corpus.jsonl").read_text(encoding="utf-8") == corpus
    run("fix", "--explain", "log.jsonl", cwd=tmp_path, input=MOJIBAKE)
    log = (tmp_path / "log.jsonl").read_text(encoding="utf-8")
    _refused(run("--save-boilerplate-model", "log.jsonl", "--fit-boilerplate", "-o", "out", "page.txt",
                 cwd=tmp_path, ok=(2,)), "is not a boilerplate model")
    assert (tmp_path / "log.jsonl").read_text(encoding="utf-8") == log
    # an empty file and an earlier change log are replaced as before
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    run("fix", "--explain", "empty.jsonl", cwd=tmp_path, input=MOJIBAKE)
    first = (tmp_path / "empty.jsonl").read_text(encoding="utf-8")
    assert first and json.loads(first.splitlines()[0])["stage"] == "encoding"
    run("fix", "--explain", "empty.jsonl", cwd=tmp_path, input=MOJIBAKE)
    assert (tmp_path / "empty.jsonl").read_text(encoding="utf-8") == first


def test_explain_refuses_an_output_of_the_run(tmp_path: pathlib.Path) -> None:
    (tmp_path / "scraped").mkdir()
    (tmp_path / "scraped" / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    # the output directory does not exist yet: the output is planned, not there
    _refused(run("-o", "c5", "--explain", "c5/a.txt", "scraped", cwd=tmp_path, ok=(2,)),
             "--explain c5/a.txt", "the output written for scraped/a.txt")
    assert not (tmp_path / "c5").exists()
    # an earlier run's output is there: it is kept as it was
    run("fix", "-o", "c6", "scraped", cwd=tmp_path)
    _refused(run("-o", "c6", "--explain", "c6/a.txt", "scraped", cwd=tmp_path, ok=(2,)), "the output written for")
    assert (tmp_path / "c6" / "a.txt").read_text(encoding="utf-8") == FIXED
    # a data file of the run
    (tmp_path / "dict.txt").write_text("vessel|boat\n", encoding="utf-8")
    _refused(run("--spinner-dict", "dict.txt", "--explain", "dict.txt", "scraped/a.txt", cwd=tmp_path, ok=(2,)),
             "the --spinner-dict file")
    assert (tmp_path / "dict.txt").read_text(encoding="utf-8") == "vessel|boat\n"


def test_explain_refuses_standard_output_that_holds_the_documents(tmp_path: pathlib.Path) -> None:
    (tmp_path / "x.txt").write_text(MOJIBAKE, encoding="utf-8")
    _refused(run("--explain", "-", "x.txt", cwd=tmp_path, ok=(2,)), "--explain -", "standard output")
    assert not (tmp_path / "-").exists()
    # stdout redirected to a file, and that file given to --explain (as /dev/stdout would be)
    with open(tmp_path / "both.txt", "wb") as stdout:
        proc = subprocess.run([sys.executable, "-m", "newsrepair", "--explain", "both.txt", "x.txt"],
                              stdout=stdout, stderr=subprocess.PIPE, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2 and b"standard output" in proc.stderr
    # with -o, stdout is free for the change log
    proc = run("fix", "-o", "out", "--explain", "-", "x.txt", cwd=tmp_path)
    entries = [json.loads(line) for line in out(proc).splitlines()]
    assert entries and {e["document"] for e in entries} == {"x.txt"}
    assert (tmp_path / "out" / "x.txt").read_text(encoding="utf-8") == FIXED


def test_save_boilerplate_model_refuses_an_input_page(tmp_path: pathlib.Path) -> None:
    pages = _site_pages(tmp_path / "pages")
    before = (pages / "p0.txt").read_text(encoding="utf-8")
    _refused(run("--fit-boilerplate", "--save-boilerplate-model", str(pages / "p0.txt"), "-o",
                 str(tmp_path / "out"), str(pages), ok=(2,)), "--save-boilerplate-model", "the input")
    assert (pages / "p0.txt").read_text(encoding="utf-8") == before
    assert not (tmp_path / "out").exists()
    # the two side outputs cannot share a file either
    _refused(run("--fit-boilerplate", "--save-boilerplate-model", str(tmp_path / "same"), "--explain",
                 str(tmp_path / "same"), "-o", str(tmp_path / "out"), str(pages), ok=(2,)), "also given to")


def test_explain_writes_through_a_symlink(tmp_path: pathlib.Path) -> None:
    (tmp_path / "x.txt").write_text(MOJIBAKE, encoding="utf-8")
    (tmp_path / "logs").mkdir()
    os.symlink("logs/target.jsonl", tmp_path / "link.jsonl")  # dangling: the target is created
    run("fix", "--explain", "link.jsonl", "x.txt", cwd=tmp_path)
    assert (tmp_path / "link.jsonl").is_symlink()
    first = (tmp_path / "logs" / "target.jsonl").read_text(encoding="utf-8")
    assert "council’s" in [json.loads(line)["after"] for line in first.splitlines()]
    run("fix", "--explain", "link.jsonl", "x.txt", cwd=tmp_path)  # an existing target is replaced
    assert (tmp_path / "link.jsonl").is_symlink()
    assert (tmp_path / "logs" / "target.jsonl").read_text(encoding="utf-8") == first
    assert sorted(os.listdir(tmp_path / "logs")) == ["target.jsonl"]


def test_save_boilerplate_model_writes_through_a_symlink(tmp_path: pathlib.Path) -> None:
    pages = _site_pages(tmp_path / "pages")
    os.symlink(tmp_path / "model.json", tmp_path / "link.json")
    run("--fit-boilerplate", "--save-boilerplate-model", str(tmp_path / "link.json"), "-o",
        str(tmp_path / "out"), str(pages))
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))["documents"] == len(TOPICS)


def _read_fifo_in_background(path: pathlib.Path) -> tuple[threading.Thread, list[bytes]]:
    chunks: list[bytes] = []

    def reader() -> None:
        with open(path, "rb") as fh:
            chunks.append(fh.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread, chunks


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_side_outputs_into_a_fifo(tmp_path: pathlib.Path) -> None:
    (tmp_path / "x.txt").write_text(MOJIBAKE, encoding="utf-8")
    fifo = tmp_path / "log.fifo"
    os.mkfifo(fifo)
    thread, chunks = _read_fifo_in_background(fifo)
    proc = run("fix", "--explain", str(fifo), str(tmp_path / "x.txt"), timeout=60)
    thread.join(10)
    assert out(proc) == FIXED
    assert {json.loads(line)["stage"] for line in chunks[0].decode().splitlines()} == {"encoding"}
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, not replaced by a file
    assert sorted(os.listdir(tmp_path)) == ["log.fifo", "x.txt"]
    # the model too, and the run still strips with it (it is not read back from the FIFO)
    pages = _site_pages(tmp_path / "pages")
    thread, chunks = _read_fifo_in_background(fifo)
    run("--fit-boilerplate", "--save-boilerplate-model", str(fifo), "-o", str(tmp_path / "out"),
        str(pages), timeout=60)
    thread.join(10)
    assert json.loads(chunks[0])["format"] == "newsrepair-boilerplate-model"
    assert FURNITURE not in (tmp_path / "out" / "p0.txt").read_text(encoding="utf-8")


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="needs /dev/fd")
def test_explain_into_dev_fd_like_process_substitution(tmp_path: pathlib.Path) -> None:
    """`--explain >(wc -l)` gives the command a /dev/fd/N path to a pipe."""
    (tmp_path / "x.txt").write_text(MOJIBAKE, encoding="utf-8")
    read_end, write_end = os.pipe()
    try:
        proc = subprocess.run([sys.executable, "-m", "newsrepair", "fix", "--explain", f"/dev/fd/{write_end}",
                               str(tmp_path / "x.txt")], pass_fds=(write_end,), capture_output=True, timeout=120)
        os.close(write_end)
        write_end = -1
        with os.fdopen(read_end, "rb") as fh:
            read_end = -1
            log = fh.read()
    finally:
        for fd in (read_end, write_end):
            if fd != -1:
                os.close(fd)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == FIXED
    assert {json.loads(line)["document"] for line in log.splitlines()} == {str(tmp_path / "x.txt")}


def test_explain_in_a_missing_directory_is_created(tmp_path: pathlib.Path) -> None:
    (tmp_path / "scraped").mkdir()
    (tmp_path / "scraped" / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    run("fix", "-o", "c5", "--explain", "c5/log.jsonl", "scraped", cwd=tmp_path)
    assert (tmp_path / "c5" / "a.txt").read_text(encoding="utf-8") == FIXED
    log = (tmp_path / "c5" / "log.jsonl").read_text(encoding="utf-8")
    assert {json.loads(line)["document"] for line in log.splitlines()} == {"scraped/a.txt"}
    run("fix", "--explain", "nodir/deeper/log.jsonl", "scraped/a.txt", cwd=tmp_path)
    assert (tmp_path / "nodir" / "deeper" / "log.jsonl").exists()


def test_paths_under_a_regular_file_are_usage_errors(tmp_path: pathlib.Path) -> None:
    (tmp_path / "intro.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    _refused(run("--explain", "intro.txt/log.jsonl", "a.txt", cwd=tmp_path, ok=(2,)),
             "--explain intro.txt/log.jsonl", "is not a directory")
    _refused(run("-o", "intro.txt", "a.txt", cwd=tmp_path, ok=(2,)), "-o/--output-dir intro.txt: not a directory")
    _refused(run("--explain", ".", "a.txt", cwd=tmp_path, ok=(2,)), "--explain .: is a directory")
    assert (tmp_path / "intro.txt").read_text(encoding="utf-8") == CLEAN


# ------------------------------------------------------------------ -o DIR and --in-place: links, FIFOs, devices

def test_output_dir_refuses_a_file_symlink_pointing_outside(tmp_path: pathlib.Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "intro.txt").write_text(MOJIBAKE, encoding="utf-8")
    (tmp_path / "src" / "other.txt").write_text(MOJIBAKE, encoding="utf-8")
    (tmp_path / "victim.txt").write_text("keep me\n", encoding="utf-8")
    dst = tmp_path / "dst"
    dst.mkdir()
    os.symlink(tmp_path / "victim.txt", dst / "intro.txt")
    os.symlink("kept.txt", dst / "other.txt")  # a link that stays inside DIR is followed
    proc = run("fix", "-o", str(dst), str(tmp_path / "src"), ok=(1,))
    assert "intro.txt" in err(proc) and "symbolic link" in err(proc) and "outside" in err(proc)
    assert (dst / "intro.txt").is_symlink()
    assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "keep me\n"
    assert (dst / "other.txt").is_symlink() and (dst / "kept.txt").read_text(encoding="utf-8") == FIXED


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_output_dir_and_in_place_refuse_fifos(tmp_path: pathlib.Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    (tmp_path / "dst").mkdir()
    os.mkfifo(tmp_path / "dst" / "a.txt")
    proc = run("fix", "-o", str(tmp_path / "dst"), str(tmp_path / "src"), ok=(1,), timeout=60)
    assert "FIFO, not a regular file" in err(proc)
    assert stat.S_ISFIFO(os.lstat(tmp_path / "dst" / "a.txt").st_mode)
    os.mkfifo(tmp_path / "in.fifo")
    for args in (["fix"], ["fix", "--jsonl"]):  # refused before the FIFO is opened (no hang)
        proc = run(*args, "--in-place", str(tmp_path / "in.fifo"), ok=(1,), timeout=60)
        assert "--in-place needs a regular file, not a FIFO" in err(proc)
        assert stat.S_ISFIFO(os.lstat(tmp_path / "in.fifo").st_mode)


# ------------------------------------------------------------------ whitespace, pipes, argument order, help

def test_whitespace_only_input_gives_the_library_result(tmp_path: pathlib.Path) -> None:
    blank = "   \n\n\t  \n"
    path = tmp_path / "ws.txt"
    path.write_text(blank, encoding="utf-8")
    expected = {"repair": newsrepair.repair(blank).text, "fix": newsrepair.fix_encoding(blank),
                "strip": newsrepair.strip_boilerplate(blank), "unspin": newsrepair.unspin(blank)}
    assert expected == {"repair": "", "fix": "", "strip": blank, "unspin": blank}
    for command, text in expected.items():
        proc = run(command, str(path))
        assert out(proc) == text and err(proc) == "", command
    # and the README's table says so
    readme = pathlib.Path(__file__).resolve().parent.parent / "README.md"
    if readme.exists():
        row = next(line for line in readme.read_text(encoding="utf-8").splitlines()
                   if line.startswith("| empty / whitespace only"))
        assert "written as is, exit 0 |" not in row
        assert "`fix` and `repair` an empty document" in row


def test_broken_pipe_is_quiet_with_jsonl(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(20000):
            fh.write(json.dumps({"id": i, "text": MOJIBAKE}) + "\n")
    cmd = f"{sys.executable} -m newsrepair fix --jsonl -j 1 {path} | head -1"
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=120)
    assert json.loads(proc.stdout)["text"] == FIXED
    assert proc.stderr == b""


def test_options_may_come_before_the_command(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a1.txt").write_text(MOJIBAKE, encoding="utf-8")
    assert out(run("-q", "fix", "a1.txt", cwd=tmp_path)) == FIXED
    assert out(run("-j", "1", "--explain=log.jsonl", "fix", "a1.txt", cwd=tmp_path)) == FIXED
    log = (tmp_path / "log.jsonl").read_text(encoding="utf-8")
    assert {json.loads(line)["stage"] for line in log.splitlines()} == {"encoding"}
    assert out(run("-qj1", "detect", "--json", "a1.txt", cwd=tmp_path)).startswith('{"document": "a1.txt"')
    # an option the command does not have is reported as such
    assert "unrecognized arguments: --no-spin" in err(run("--no-spin", "fix", "a1.txt", cwd=tmp_path, ok=(2,)))
    # after "--", "fix" is a file name
    assert "fix: No such file or directory" in err(run("--", "fix", cwd=tmp_path, ok=(1,)))


@pytest.mark.parametrize("argv, command, rest", [
    (["fix", "a"], "fix", ["a"]),
    (["-q", "fix", "a"], "fix", ["-q", "a"]),
    (["-o", "fix", "a"], "repair", ["-o", "fix", "a"]),           # fix is -o's value
    (["--explain", "fix", "a"], "repair", ["--explain", "fix", "a"]),  # fix is --explain's value
    (["--expl", "fix", "a"], "fix", ["--expl", "a"]),   # no abbreviations: the parser refuses --expl
    (["-qo", "fix", "strip", "a"], "strip", ["-qo", "fix", "a"]),  # -o DIR in a cluster
    (["-j2", "strip", "a"], "strip", ["-j2", "a"]),
    (["a", "fix"], "repair", ["a", "fix"]),
    (["--", "fix"], "repair", ["--", "fix"]),
])
def test_split_command(argv: list[str], command: str, rest: list[str]) -> None:
    assert cli.split_command(argv) == (command, rest)


def test_detect_help_describes_jsonl_as_a_report() -> None:
    text = " ".join(out(run("detect", "--help")).split())
    assert "repair one field" not in text
    assert "--jsonl inputs are JSON Lines: report on one field of each record" in text
    assert "repair one field of each record" in " ".join(out(run("--help")).split())


def test_warm_up_loads_what_the_forked_workers_share() -> None:
    # With -j N on Linux the parent loads the data before forking the workers (they share
    # its memory): the warm-up must load what the task's stages use, and only that.
    from newsrepair import Repairer
    from newsrepair.cli.worker import Task, warm_up

    repairer = Repairer()
    warm_up(repairer, Task("fix", (True, False, False)))
    assert repairer._spin is None  # encoding only: no spin model
    warm_up(repairer, Task("repair", (True, True, True)))
    assert repairer._spin is not None
    warm_up(repairer, Task("detect", (False, False, True)))


def test_closed_standard_streams_are_usage_errors(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    cmd = f"{shlex.quote(sys.executable)} -m newsrepair"
    closed_in = subprocess.run(f"{cmd} <&-", shell=True, capture_output=True, cwd=tmp_path)
    assert closed_in.returncode == 2 and b"standard input is closed" in closed_in.stderr
    closed_out = subprocess.run(f"{cmd} a.txt >&-", shell=True, stderr=subprocess.PIPE, cwd=tmp_path)
    assert closed_out.returncode == 2 and b"standard output is closed" in closed_out.stderr
    to_dir = subprocess.run(f"{cmd} -o out a.txt >&-", shell=True, stderr=subprocess.PIPE, cwd=tmp_path)
    assert to_dir.returncode == 0, to_dir.stderr
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == FIXED
    # a change log meant for standard output is not lost either
    log_out = subprocess.run(f"{cmd} --explain - -o out2 a.txt >&-", shell=True, stderr=subprocess.PIPE, cwd=tmp_path)
    assert log_out.returncode == 2 and b"standard output is closed" in log_out.stderr
    learn_in = subprocess.run(f"{cmd} learn - <&-", shell=True, capture_output=True, cwd=tmp_path)
    assert learn_in.returncode == 2 and b"standard input is closed" in learn_in.stderr


# ------------------------------------------------------------------ from a user audit

def test_an_empty_option_value_is_a_usage_error(tmp_path: pathlib.Path) -> None:
    # an unset shell variable ("-o $OUTDIR") must not mean "not given"
    (tmp_path / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    for argv in (["-o", "", "a.txt"], ["--explain", "", "a.txt"], ["--spinner-dict", "", "a.txt"],
                 ["--jsonl", "--field", "", "a.txt"], ["--jsonl", "--summary-field", "", "a.txt"],
                 ["learn", "a.txt", "-o", ""], ["learn", "a.txt", "--save-pairs", ""]):
        proc = run(*argv, cwd=tmp_path, ok=(2,))
        assert "not an empty string" in err(proc) and out(proc) == "", argv


def test_a_mistyped_command_is_a_usage_error(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    for argv, meant in ((["unspn", "a.txt"], "unspin"), (["-q", "fx", "a.txt"], "fix"),
                        (["-o", "out", "detcet", "a.txt"], "detect"), (["lern", "a.txt"], "learn")):
        proc = run(*argv, cwd=tmp_path, ok=(2,))
        assert err(proc).splitlines()[0] == f"newsrepair: error: unknown command {argv[-2]!r} (did you mean {meant!r}?)"
        assert out(proc) == "" and not (tmp_path / "out").exists()
    # "help" is no command: the usage error says what is
    assert err(run("help", cwd=tmp_path, ok=(2,))).splitlines()[0] == (
        "newsrepair: error: unknown command 'help' (use --help, or COMMAND --help)")
    # a word far from every command, a name with a dot or a separator, or one after "--", is a path
    assert "zebra: No such file or directory" in err(run("zebra", "a.txt", cwd=tmp_path, ok=(1,)))
    assert "fixx.txt: No such file" in err(run("fixx.txt", "a.txt", cwd=tmp_path, ok=(1,)))
    assert "sub/fixx: No such file" in err(run("sub/fixx", "a.txt", cwd=tmp_path, ok=(1,)))
    assert "unspn: No such file" in err(run("--", "unspn", "a.txt", cwd=tmp_path, ok=(1,)))
    # an existing file named like a command is still a path
    (tmp_path / "unspn").write_text(MOJIBAKE, encoding="utf-8")
    assert out(run("fix", "unspn", cwd=tmp_path)) == FIXED
    assert out(run("unspn", "--no-boilerplate", "--no-spin", cwd=tmp_path)) == FIXED


def test_mistyped_command_helper() -> None:
    from newsrepair.cli.args import mistyped_command

    assert mistyped_command(["--threshold", "0.5", "unspn"]) == "unknown command 'unspn' (did you mean 'unspin'?)"
    assert mistyped_command(["--glob", "strp"]) is None  # the value of --glob
    assert mistyped_command([]) is None and mistyped_command(["-"]) is None


def test_a_closed_pipe_fails_with_one_large_document(tmp_path: pathlib.Path) -> None:
    # A write larger than the pipe takes is cut short when the reader goes away; Python
    # returns the short count without raising, so the rest was dropped with exit status 0.
    path = tmp_path / "big.txt"
    path.write_text(CLEAN * 16000, encoding="utf-8")  # about 1 MB, written in one piece
    proc = subprocess.Popen([sys.executable, "-m", "newsrepair", "fix", "-j", "1", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100) == (CLEAN * 2).encode()[:100]  # the write has begun
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait(timeout=60) == 1
    assert stderr == b""  # no "Exception ignored ... BrokenPipeError"


def test_output_dir_inside_an_input_directory_is_not_read(tmp_path: pathlib.Path) -> None:
    _tree(tmp_path / "in")
    for _ in range(2):
        run("fix", "-o", "in/out", "in", cwd=tmp_path)
    outputs = sorted(p.relative_to(tmp_path / "in" / "out").as_posix()
                     for p in (tmp_path / "in" / "out").rglob("*.txt"))
    assert outputs == ["b.txt", "world/asia/a.txt"]
    # nor when it is named through a symbolic link
    os.symlink(tmp_path / "in" / "out", tmp_path / "link")
    run("fix", "-o", "link", "in", cwd=tmp_path)
    assert not (tmp_path / "in" / "out" / "out").exists()
    # a file in it named as an input is still read
    assert out(run("fix", "in/out/b.txt", cwd=tmp_path)) == CLEAN


def test_spinner_dict_group_with_an_empty_phrase_is_a_usage_error(tmp_path: pathlib.Path) -> None:
    from newsrepair import DataFileError
    from newsrepair.spin.lexicon import parse_groups

    for line in ("quarrel|", "|dispute", "quarrel||dispute", "{quarrel|}", "quarrel| |dispute"):
        with pytest.raises(DataFileError, match=r"^mine.txt:2: a group with an empty phrase"):
            list(parse_groups(f"# verbs\n{line}\nvessel|craft\n", "mine.txt"))
    groups = tmp_path / "groups.txt"
    groups.write_text("vessel|craft\nquarrel||dispute\n", encoding="utf-8")
    proc = run("--spinner-dict", str(groups), input=CLEAN, ok=(2,))
    assert f"{groups}:2: a group with an empty phrase" in err(proc) and out(proc) == ""


def test_spinner_dict_lines_skipped_are_a_warning_and_an_article_an_error(tmp_path: pathlib.Path) -> None:
    groups = tmp_path / "groups.txt"
    groups.write_text("vessel|craft\nquarrel|dispute\nferry, shuttle boat\n", encoding="utf-8")
    proc = run("--spinner-dict", str(groups), input=CLEAN)
    assert err(proc).count("warning:") == 1 and "1 line without '|' skipped (line 3: 'ferry, shuttle boat')" in err(proc)
    assert out(proc) == CLEAN
    page = tmp_path / "page.txt"
    page.write_text("The council met on Monday.\nLogin | Subscribe\nThe plan was approved.\n", encoding="utf-8")
    proc = run("--spinner-dict", str(page), input=CLEAN, ok=(2,))
    assert "2 of its 3 lines hold no group" in err(proc) and out(proc) == ""


def test_several_files_with_failures_end_with_a_count(tmp_path):
    """After several files of which some failed, one line says how many, so an operator
    need not count the error lines among the warnings."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("One plain line of news.\n", encoding="utf-8")
    (src / "b.txt").write_text("Another plain line.\n", encoding="utf-8")
    (src / "c.txt").write_bytes(b"x\x00\x00\x01")
    for jobs in ("1", "2"):
        proc = run("-q", "-j", jobs, "-o", str(tmp_path / f"out{jobs}"), str(src), ok=(1,))
        assert err(proc).splitlines()[-1] == "newsrepair: 1 of 3 files failed"
    proc = run(str(src / "a.txt"), str(src / "b.txt"))
    assert "failed" not in err(proc)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_a_fifo_in_a_walked_directory_is_skipped(tmp_path: pathlib.Path) -> None:
    # it blocked the whole run until something wrote to it (an outside tester's finding);
    # as grep -r does, a walk skips FIFOs, sockets and devices
    (tmp_path / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    proc = run("fix", str(tmp_path), timeout=60)
    assert proc.returncode == 0, err(proc)
    assert out(proc) == FIXED


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_standard_output_is_named_in_the_error() -> None:
    # it said only "[Errno 28] No space left on device" (an outside tester's finding)
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "newsrepair", "fix"], input=MOJIBAKE.encode("utf-8"),
                              stdout=full, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.decode("utf-8").splitlines() == ["newsrepair: error: standard output: No space left on device"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_under_explain_is_named_in_the_error(tmp_path) -> None:
    # it said only "[Errno 28] No space left on device", not which output had no room
    (tmp_path / "a.txt").write_text(MOJIBAKE, encoding="utf-8")
    proc = run("fix", "--explain", "/dev/full", "-o", str(tmp_path / "out"), str(tmp_path / "a.txt"), ok=(1,))
    assert proc.returncode == 1
    assert err(proc).splitlines() == ["newsrepair: error: /dev/full: No space left on device"]


def test_main_with_jobs_leaves_a_host_s_frozen_objects_frozen(tmp_path: pathlib.Path) -> None:
    # main() froze the loaded data for its forked workers and then unfroze everything,
    # also what the host program had frozen (an outside tester's finding)
    import gc

    for k in range(2):
        (tmp_path / f"{k}.txt").write_text(MOJIBAKE, encoding="utf-8")
    held = [object() for _ in range(10)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert cli.main(["fix", "-j", "2", "-o", str(tmp_path / "out"), str(tmp_path)]) == 0
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert held and (tmp_path / "out" / "0.txt").read_text(encoding="utf-8") == FIXED


def test_json_lines_numbers_come_out_as_they_went_in() -> None:
    line = '{"id": 7, "score": 0.50, "big": 1E5, "tiny": 1e-400, "text": "' + MOJIBAKE.strip().replace('"', '\\"') + '"}'
    proc = run("fix", "--jsonl", input=line + "\n")
    assert out(proc).startswith('{"id": 7, "score": 0.50, "big": 1E5, "tiny": 1e-400, "text": ')


# ---------------------------------------------------------------- an interrupted run's change log

def _interrupt_at(monkeypatch: pytest.MonkeyPatch, name: str, stop) -> None:  # type: ignore[no-untyped-def]
    """Make the main pass's worker function ``name`` (of cli.command) raise
    KeyboardInterrupt, as Ctrl-C would, at the first item for which ``stop(item)`` holds."""
    from newsrepair.cli import command

    real = getattr(command, name)

    def worker(state, item):  # type: ignore[no-untyped-def]
        if stop(item):
            raise KeyboardInterrupt
        return real(state, item)

    monkeypatch.setattr(command, name, worker)


def test_an_interrupted_run_keeps_the_change_log_of_the_outputs_it_wrote(tmp_path, monkeypatch) -> None:
    # --in-place --explain: an interrupted run had rewritten files and kept no log of what
    # it changed in them; the log now holds the changes of exactly the outputs written
    docs = [tmp_path / f"{k}.txt" for k in range(4)]
    for doc in docs:
        doc.write_text(MOJIBAKE, encoding="utf-8")
    log = tmp_path / "changes.jsonl"
    _interrupt_at(monkeypatch, "process_document", lambda item: item[0].endswith("2.txt"))
    assert cli.main(["fix", "-j", "1", "--in-place", "--explain", str(log), *map(str, docs)]) == 130
    assert [d.read_text(encoding="utf-8") for d in docs] == [FIXED, FIXED, MOJIBAKE, MOJIBAKE]
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert {r["document"] for r in records} == {str(docs[0]), str(docs[1])}
    for doc in docs[:2]:
        changes = [newsrepair.Change.from_dict(r) for r in records if r["document"] == str(doc)]
        assert newsrepair.apply_changes(MOJIBAKE, changes) == FIXED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.txt", "1.txt", "2.txt", "3.txt", "changes.jsonl"]


def test_an_interrupted_json_lines_run_logs_only_the_files_it_wrote(tmp_path, monkeypatch) -> None:
    # an output file of JSON Lines is put in place when the whole file is done: the
    # changes of the records of an unfinished file are not kept
    for name in ("a", "b"):
        (tmp_path / f"{name}.jsonl").write_text(
            "".join(json.dumps({"text": MOJIBAKE, "n": k}) + "\n" for k in range(3)), encoding="utf-8")
    log, out_dir = tmp_path / "log.jsonl", tmp_path / "out"
    _interrupt_at(monkeypatch, "process_jsonl_line", lambda item: item[0].endswith("b.jsonl") and item[1] == 2)
    code = cli.main(["fix", "--jsonl", "-j", "1", "-o", str(out_dir), "--explain", str(log),
                     str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")])
    assert code == 130
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.jsonl"]
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert records and {r["document"].rpartition(":")[0] for r in records} == {str(tmp_path / "a.jsonl")}
    assert sorted({r["line"] for r in records}) == [1, 2, 3]
