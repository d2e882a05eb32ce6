"""Issue 7, bad input: every case has a documented outcome.

Library functions given ``str`` never raise for the content of the text; they return
text (changed only as each stage documents). Non-text arguments raise
:class:`newsrepair.InputError`. Bytes go through :func:`newsrepair.decode_bytes`, which
raises :class:`newsrepair.DecodeError` for binary data. The command reports a bad
document by name (and line, for JSON Lines), processes the rest and exits 1; an
interrupted run leaves inputs intact and no partial output under a final name.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

import newsrepair

STAGES = {
    "fix_encoding": newsrepair.fix_encoding_and_explain,
    "strip_boilerplate": newsrepair.strip_boilerplate_and_explain,
    "unspin": newsrepair.unspin_and_explain,
    "repair": newsrepair.repair,
}


def _check_all_stages(text: str) -> dict[str, newsrepair.Repaired]:
    results = {}
    for name, stage in STAGES.items():
        result = stage(text)
        assert isinstance(result.text, str), name
        assert newsrepair.apply_changes(text, result.changes) == result.text, name
        results[name] = result
    report = newsrepair.detect_spin(text)
    assert 0.0 <= report.score <= 1.0
    return results


@pytest.mark.parametrize("text", ["", " ", "\n", "\n\n\n", " \t \n \u00a0 \n", "\u200b"])
def test_empty_and_whitespace_only(text: str) -> None:
    results = _check_all_stages(text)
    assert results["repair"].text.strip() == ""
    assert not newsrepair.detect_spin(text).is_spun


def test_50_mb_without_line_breaks() -> None:
    # The encoding stage and the decoder see the whole 50 MB; the full pipeline gets 2 MB of
    # the same (the time bound itself is the benchmarks' job).
    words = "plain words without any line break at all "
    big = words * (50_000_000 // len(words))
    assert newsrepair.fix_encoding(big) == big.rstrip(" ")
    assert newsrepair.decode_bytes(big.encode()) == big
    part = big[:2_000_000]
    _check_all_stages(part)


def test_a_million_one_character_lines() -> None:
    text = "a\n" * 1_000_000
    results = _check_all_stages(text)
    assert results["fix_encoding"].text == text[:-1] or results["fix_encoding"].text == text


@pytest.mark.parametrize("text", [
    "See https://example.org/" + "a1b2c3/" * 15000 + "?q=" + "x" * 5000,
    "Attachment: " + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=" * 30000,
    "Chemical name: " + "methyl" * 20000 + "amine.",
])
def test_extremely_long_words(text: str) -> None:
    results = _check_all_stages(text)
    assert results["unspin"].text == text  # nothing to unspin in one giant token
    assert results["fix_encoding"].text == text


@pytest.mark.parametrize("mark", ["!", ".", "-", "*", "?!", "…", "=", "“"])
def test_runs_of_100000_punctuation_marks(mark: str) -> None:
    text = "Headline\n\n" + mark * (100_000 // len(mark)) + "\n\nA sentence follows the run.\n"
    results = _check_all_stages(text)
    assert results["unspin"].text == text
    assert "A sentence follows the run." in results["repair"].text


def test_mixed_scripts_are_left_alone() -> None:
    text = ("The Москва delegation met officials from 北京 and القاهرة on Tuesday, "
            "and the talks, held in Ελληνικά and English, ended without a statement.\n")
    results = _check_all_stages(text)
    assert results["fix_encoding"].text == text
    assert results["unspin"].text == text


# Short news-style paragraphs written for these tests (not taken from any data set).
FOREIGN = {
    "french": ("Le conseil municipal a voté mardi soir la rénovation de la bibliothèque du quartier.\n\n"
               "Les travaux commenceront au printemps et dureront environ dix-huit mois, selon la mairie.\n\n"
               "Plusieurs habitants ont salué une décision attendue depuis longtemps.\n"),
    "german": ("Der Stadtrat hat am Dienstag die Sanierung der alten Brücke über den Fluss beschlossen.\n\n"
               "Die Arbeiten sollen im Frühjahr beginnen und rund zwei Jahre dauern, teilte die Verwaltung mit.\n\n"
               "Anwohner begrüßten die Entscheidung, äußerten aber Sorgen wegen des Verkehrs.\n"),
    "indonesian": ("Pemerintah kota mengumumkan pembangunan jalur bus baru pada hari Selasa.\n\n"
                   "Proyek tersebut diharapkan selesai dalam dua tahun dan melayani ribuan penumpang setiap hari.\n\n"
                   "Warga menyambut baik rencana itu, meskipun beberapa khawatir soal kemacetan.\n"),
    "burmese": ("မြို့တော်ခန်းမတွင် အင်္ဂါနေ့က အစည်းအဝေး ကျင်းပခဲ့သည်။\n\n"
                "စာကြည့်တိုက်အသစ် ဆောက်လုပ်ရန် အစီအစဉ်ကို ကောင်စီက အတည်ပြုခဲ့သည်။\n\n"
                "ဒေသခံများက ထိုဆုံးဖြတ်ချက်ကို ကြိုဆိုကြသည်။\n"),
}


@pytest.mark.parametrize("language", sorted(FOREIGN))
def test_non_english_articles_get_no_spin_edits_and_keep_their_paragraphs(language: str) -> None:
    text = FOREIGN[language]
    results = _check_all_stages(text)
    assert results["unspin"].text == text
    assert not [c for c in results["repair"].changes if c.stage == "spin"]
    repaired = results["repair"].text
    for paragraph in text.split("\n\n"):
        assert paragraph.strip() in repaired, (language, paragraph)


def test_html_that_slipped_through() -> None:
    text = ('<div class="story"><p>The mayor&#8217;s office said the park &amp; pool would reopen.</p>'
            '<script>var x = 1 < 2;</script></div>\n')
    results = _check_all_stages(text)
    # Real markup keeps its entities (ftfy's rule); nothing is lost.
    assert "The mayor" in results["repair"].text and "reopen" in results["repair"].text


@pytest.mark.parametrize("value", [None, b"bytes", 42, ["a"], {"text": "a"}])
def test_non_text_arguments_raise_input_error(value: object) -> None:
    for name, stage in STAGES.items():
        with pytest.raises(newsrepair.InputError):
            stage(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):  # InputError is also a TypeError
        newsrepair.detect_spin(value)  # type: ignore[arg-type]


def test_bytes_error_message_points_to_decode_bytes() -> None:
    with pytest.raises(newsrepair.InputError, match="decode_bytes"):
        newsrepair.repair(b"text")  # type: ignore[arg-type]


@pytest.mark.parametrize("data,outcome", [
    (b"\x00\x01binary\x00", newsrepair.DecodeError),
    (bytes(range(1, 9)) * 100, newsrepair.DecodeError),
    ("Café".encode("utf-16"), "Café"),
    ("Café “quoted”".encode("cp1252"), "Café “quoted”"),
    (b"caf\xe9\x81", "café\x81"),
])
def test_decode_bytes_outcomes(data: bytes, outcome: object) -> None:
    if isinstance(outcome, type):
        with pytest.raises(outcome):
            newsrepair.decode_bytes(data)
    else:
        assert newsrepair.decode_bytes(data) == outcome


@pytest.mark.parametrize("config", [{"straighten_quotes": True}, "default", 1])
def test_config_that_is_not_a_config_raises_input_error(config: object) -> None:
    functions = [*STAGES.values(), newsrepair.fix_encoding, newsrepair.strip_boilerplate,
                 newsrepair.unspin, newsrepair.detect_spin]
    for function in functions:
        with pytest.raises(newsrepair.InputError, match=f"config must be a newsrepair.Config, got {type(config).__name__}"):
            function("text", config=config)  # type: ignore[arg-type]
    for factory in (newsrepair.get_repairer, newsrepair.Repairer):
        with pytest.raises(newsrepair.InputError, match="config must be a newsrepair.Config"):
            factory(config)  # type: ignore[arg-type]


@pytest.mark.parametrize("switch,value", [("spin", "no"), ("boilerplate", "false"), ("encoding", 0),
                                          ("spin", []), ("explain", None)])
def test_repair_stage_switches_take_bools_only(switch: str, value: object) -> None:
    # a non-empty string is true: spin="no" would have run the stage
    with pytest.raises(newsrepair.InputError, match=rf"repair\({switch}=...\) must be True or False"):
        newsrepair.repair("text", **{switch: value})
    with pytest.raises(newsrepair.InputError, match="must be True or False"):
        list(newsrepair.get_repairer().repair_many(["text"], **{switch: value}))


def test_repair_takes_its_config_by_position_as_the_stage_functions_do() -> None:
    cfg = newsrepair.Config(straighten_quotes=True)
    assert newsrepair.repair("It’s here.", cfg).text == newsrepair.fix_encoding("It’s here.", cfg) == "It's here."


def test_dict_config_message_says_how_to_build_one() -> None:
    with pytest.raises(newsrepair.InputError, match=r"got dict; build one with newsrepair.Config\(\*\*options\)"):
        newsrepair.repair("text", config={"keep_captions": False})  # type: ignore[arg-type]


def test_boilerplate_model_argument_must_be_a_model() -> None:
    for function in (newsrepair.strip_boilerplate, newsrepair.strip_boilerplate_and_explain):
        with pytest.raises(newsrepair.InputError, match=r"BoilerplateModel.load\(path\)"):
            function("Menu\nText.", model="site-model.json")  # type: ignore[arg-type]


def _pages(n: int) -> list[str]:
    return [f"Menu\nStory {i} about the harbour and the tide.\nFollow us" for i in range(n)]


@pytest.mark.parametrize("documents", ["Menu\nStory.\nFollow us", b"Menu\nStory.", 42, None])
def test_fit_refuses_a_single_text_or_a_non_iterable(documents: object) -> None:
    with pytest.raises(newsrepair.InputError, match="iterable of page texts"):
        newsrepair.BoilerplateModel.fit(documents)  # type: ignore[arg-type]


def test_fit_refuses_pages_that_are_not_text() -> None:
    with pytest.raises(newsrepair.InputError, match="page at index 5 is bytes.*decode_bytes"):
        newsrepair.BoilerplateModel.fit([*_pages(5), b"Menu"])  # type: ignore[list-item]
    with pytest.raises(newsrepair.InputError, match="page at index 0 is NoneType"):
        newsrepair.BoilerplateModel.fit([None])  # type: ignore[list-item]


def test_fit_needs_at_least_min_docs_pages() -> None:
    from newsrepair.errors import FitError

    for pages, min_docs, need in ((_pages(0), 5, 5), (_pages(4), 5, 5), (_pages(1), 1, 2), (_pages(2), 3, 3)):
        with pytest.raises(FitError, match=f"at least {need} pages.*got {len(pages)}"):
            newsrepair.BoilerplateModel.fit(pages, min_docs=min_docs)
        with pytest.raises(newsrepair.NewsrepairError):  # catchable with the rest
            newsrepair.BoilerplateModel.fit(iter(pages), min_docs=min_docs)
    assert newsrepair.BoilerplateModel.fit(_pages(5)).is_furniture("Follow us")
    assert newsrepair.BoilerplateModel.fit(iter(_pages(2)), min_docs=2).is_furniture("Menu")


@pytest.mark.parametrize("data", ["already text", None, 42])
def test_decode_bytes_given_non_bytes_raises_input_error(data: object) -> None:
    with pytest.raises(newsrepair.InputError, match=f"needs bytes, got {type(data).__name__}"):
        newsrepair.decode_bytes(data)  # type: ignore[arg-type]


# ------------------------------------------------------------------ interruptions

def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsrepair", *args]


def _finish(proc: subprocess.Popen) -> bytes:
    """The stderr of ``proc`` once it ends; one still running after 60 seconds is killed
    (so that a hung run does not outlive the test) and fails the test."""
    try:
        _, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("the interrupted run did not stop within 60 seconds")
    return stderr


class _Signalled(BaseException):
    """What a signal handler raises (KeyboardInterrupt, the command's Terminated)."""


def test_a_signal_just_as_the_temporary_file_is_created_leaves_nothing(tmp_path: pathlib.Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # A signal that arrives while open() creates the temporary file is handled as soon as
    # open() returns, before the descriptor (or the name) reaches the caller.
    real_open = os.open

    def open_then_signal(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        real_open(path, flags, *args, **kwargs)
        raise _Signalled

    target = tmp_path / "out.txt"
    monkeypatch.setattr(os, "open", open_then_signal)
    with pytest.raises(_Signalled):
        newsrepair.io.write_text_atomic(target, "text")
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


def _big_jsonl(path: pathlib.Path, records: int) -> None:
    body = "The council approved the budget on Tuesday after a long debate. " * 30
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(records):
            fh.write(json.dumps({"id": i, "text": f"Item {i}. " + body}) + "\n")


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130),
                                      *([(signal.SIGHUP, 129)] if hasattr(signal, "SIGHUP") else [])])
def test_interrupted_jsonl_run_leaves_no_partial_output(tmp_path: pathlib.Path, sig: int, code: int) -> None:
    src = tmp_path / "in.jsonl"
    _big_jsonl(src, 60_000)
    before = src.read_bytes()
    out_dir = tmp_path / "out"
    proc = subprocess.Popen(_cli("--jsonl", "-j", "2", "-o", str(out_dir), str(src)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)
    proc.send_signal(sig)
    stderr = _finish(proc)
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal arrived")
    assert proc.returncode == code, stderr
    assert b"Traceback" not in stderr
    assert src.read_bytes() == before
    # the output is written atomically: nothing under the final name, no temporary left
    assert not out_dir.exists() or list(out_dir.iterdir()) == []


def _stories(tmp_path: pathlib.Path, line: str) -> pathlib.Path:
    """A directory of 400 stories, each ``line`` 2,000 times."""
    src = tmp_path / "src"
    src.mkdir()
    for i in range(400):
        (src / f"{i:03d}.txt").write_text(f"Story {i}\n\n" + (line + "\n\n") * 2000, encoding="utf-8")
    return src


def _terminated(*args: str) -> None:
    """Run the command with ``args``, send it SIGTERM after 1.5 s, check that it stopped
    as terminated (skip the test if it had finished)."""
    proc = subprocess.Popen(_cli(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)
    proc.send_signal(signal.SIGTERM)
    _finish(proc)
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal arrived")
    assert proc.returncode == 143


def test_interrupted_file_run_keeps_finished_outputs_complete(tmp_path: pathlib.Path) -> None:
    src = _stories(tmp_path, "The bridge reopened on Saturday after repairs, officials said.")
    out_dir = tmp_path / "out"
    _terminated("-j", "2", "-o", str(out_dir), str(src))
    written = sorted(out_dir.iterdir()) if out_dir.exists() else []
    assert all(not p.name.startswith(".") for p in written), "temporary file left behind"
    for path in written:  # every output present is the complete repair of its input
        expected = newsrepair.repair((src / path.name).read_text(encoding="utf-8")).text
        assert path.read_text(encoding="utf-8") == expected
    assert len(list(src.iterdir())) == 400


def test_a_terminated_run_keeps_the_change_log_of_its_finished_outputs(tmp_path: pathlib.Path) -> None:
    src = _stories(tmp_path, "The councilâ€™s bridge reopened on Saturday after repairs, officials said.")
    out_dir, log = tmp_path / "out", tmp_path / "changes.jsonl"
    _terminated("fix", "-j", "2", "-o", str(out_dir), "--explain", str(log), str(src))
    written = {p.name for p in out_dir.iterdir()} if out_dir.exists() else set()
    logged = {pathlib.Path(json.loads(line)["document"]).name
              for line in log.read_text(encoding="utf-8").splitlines()}
    assert logged == written  # every output written has its changes logged, and only those
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("jsonl", [False, True])
def test_a_signal_right_after_an_output_is_renamed_waits_for_its_changes_to_be_kept(
        tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, jsonl: bool) -> None:
    # The race of the test above, made certain: SIGTERM arrives just after the second
    # output is renamed into place (while its directory is synced). The handler must not
    # raise there, between the rename and the mark that keeps the output's changes in the
    # log, or the log loses them (parallel.signals_held in cli.pipeline).
    import newsrepair.io as nio
    from newsrepair import cli

    src = tmp_path / "src"
    src.mkdir()
    for i in range(3):
        text = f"Story {i}: the council\u00e2\u20ac\u2122s bridge reopened, officials said."
        name, body = (f"{i}.jsonl", json.dumps({"text": text}) + "\n") if jsonl else (f"{i}.txt", text + "\n")
        (src / name).write_text(body, encoding="utf-8")
    out_dir, log = tmp_path / "out", tmp_path / "changes.jsonl"
    synced, real_fsync_dir = [], nio._fsync_dir

    def fsync_dir(directory: str) -> None:
        real_fsync_dir(directory)
        if os.path.abspath(directory) == str(out_dir):
            synced.append(directory)
            if len(synced) == 2:
                os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(nio, "_fsync_dir", fsync_dir)
    args = ["fix", "-j", "1", "-q", "-o", str(out_dir), "--explain", str(log), str(src)]
    status = cli.main(args + (["--jsonl"] if jsonl else []))
    assert status == 143
    written = {p.name for p in out_dir.iterdir()}
    assert len(written) == 2  # the signal ended the run after the second output
    logged = {pathlib.Path(json.loads(line)["document"]).name.split(":")[0]
              for line in log.read_text(encoding="utf-8").splitlines()}
    assert logged == written


def test_a_killed_worker_fails_the_run_cleanly(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "in.jsonl"
    _big_jsonl(src, 60_000)
    out_file = tmp_path / "out"
    proc = subprocess.Popen(_cli("--jsonl", "-j", "2", "-o", str(out_file), str(src)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    if not children:
        proc.kill()
        pytest.skip("no worker processes found")
    os.kill(int(children[0]), signal.SIGKILL)
    stderr = _finish(proc)
    if proc.returncode == 0:
        pytest.skip("the run finished before the worker was killed")
    assert proc.returncode == 1
    assert b"worker" in stderr and b"Traceback" not in stderr
    assert not out_file.exists() or list(out_file.iterdir()) == []


def test_a_changed_spinner_dictionary_is_read_again(tmp_path, monkeypatch) -> None:
    """The module-level functions share one repairer per config; a config naming a file
    that has changed since (or a relative path that now names another file) gets a new
    one, so it never repairs with a stale dictionary."""
    path = tmp_path / "groups.txt"
    path.write_text("military|navy\n", encoding="utf-8")
    config = newsrepair.Config(spinner_dictionaries=[str(path)], unspin_clean=True)
    first = newsrepair.get_repairer(config)
    assert newsrepair.get_repairer(config) is first
    assert "military" in newsrepair.unspin("The navy said the plan would cost more.", config=config)
    path.write_text("army|navy\n", encoding="utf-8")
    again = newsrepair.Config(spinner_dictionaries=[str(path)], unspin_clean=True)
    assert newsrepair.get_repairer(again) is not first
    assert "army" in newsrepair.unspin("The navy said the plan would cost more.", config=again)
    # a relative path resolves in the current directory at the time of the call
    other = tmp_path / "other"
    other.mkdir()
    (other / "groups.txt").write_text("military|navy\n", encoding="utf-8")
    relative = newsrepair.Config(spinner_dictionaries=["groups.txt"], unspin_clean=True)
    monkeypatch.chdir(tmp_path)
    in_tmp = newsrepair.get_repairer(relative)
    monkeypatch.chdir(other)
    assert newsrepair.get_repairer(relative) is not in_tmp


def test_a_str_subclass_comes_back_as_a_plain_str_whether_or_not_it_changed() -> None:
    # the type of the output depended on whether the text changed (an outside tester)
    class Marked(str):
        def __str__(self) -> str:
            return "not the text"

    for text in ("Plain words, nothing to repair.", "The councilâ€™s plan."):
        for out in (newsrepair.fix_encoding(Marked(text)), newsrepair.strip_boilerplate(Marked(text)),
                    newsrepair.unspin(Marked(text)), newsrepair.repair(Marked(text)).text):
            assert type(out) is str and out.startswith(("Plain", "The council"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers follow their parent's death on Linux")
def test_workers_do_not_outlive_a_killed_parent(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "in.jsonl"
    _big_jsonl(src, 60_000)
    proc = subprocess.Popen(_cli("--jsonl", "-j", "2", "-o", str(tmp_path / "out"), str(src)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    kids: list[int] = []
    while time.monotonic() < deadline and len(kids) < 2 and proc.poll() is None:
        time.sleep(0.2)
        with contextlib.suppress(OSError):
            kids = [int(p) for p in pathlib.Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
    if proc.poll() is not None or not kids:
        pytest.skip("the run finished before its workers could be seen")
    proc.kill()
    proc.wait(timeout=30)
    def running(pid: int) -> bool:  # a zombie waiting for a reaper has ended
        try:
            return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(running(k) for k in kids):
        time.sleep(0.2)
    alive = [k for k in kids if running(k)]
    for k in alive:
        with contextlib.suppress(OSError):
            os.kill(k, signal.SIGKILL)
    assert not alive, "workers outlived their parent"


def test_a_change_log_cut_back_goes_on_where_it_was_cut(tmp_path: pathlib.Path) -> None:
    # The change log of a JSON Lines file whose output could not be written is cut back
    # to the last output kept, and the run goes on: what follows must start there, not
    # after a run of NUL bytes where the dropped lines were (a file's position does not
    # move when it is truncated).
    from newsrepair.cli.outputs import SideOutput

    path = tmp_path / "changes.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        log = SideOutput(fh, str(path))
        assert log.cuttable
        log.write('{"document": "kept"}\n')
        log.mark()
        log.write('{"document": "dropped"}\n' * 3)
        log.rollback()
        log.write('{"document": "next"}\n')
    assert path.read_text(encoding="utf-8") == '{"document": "kept"}\n{"document": "next"}\n'
