"""The learner of spinner pairs (``newsrepair.spin.learn``) on aligned sentences written
for these tests: which replacements it reads as a spinner's swaps, its command line, and
its output loaded as a user dictionary."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import newsrepair as nr
from newsrepair.spin import learn as learn_module


@pytest.fixture(scope="module")
def learner():
    return learn_module


def test_a_word_the_spinner_added_joins_its_neighbour(learner):
    blocks = learner.replace_blocks("They said the brand new rules apply.", "They said the new rules apply.")
    assert blocks == [(["brand", "new"], ["new"])]
    # at the start of a sentence the spinner's word is capitalised all the same
    assert learner.replace_blocks("Brand new rules apply.", "New rules apply.") == [(["brand", "new"], ["new"])]


def test_a_name_shortened_by_an_editor_is_no_swap(learner):
    assert learner.replace_blocks("Captain Min Zaw Oo waited at the gate.", "Captain Min Zaw waited at the gate.") == []


def test_word_swaps_are_split_word_by_word(learner):
    blocks = learner.replace_blocks("The high normal met them.", "The top general met them.")
    assert [learner.block_pairs(a, b, learner.Counter()) for a, b in blocks] == [
        [("high", "top"), ("normal", "general")]]


def test_a_single_possessive_swap_is_learned_but_not_one_of_function_words():
    # seen once: a swap of content words counts, even in the possessive; one of
    # function words and their clitics ("it's" -> "its") is too likely alignment noise
    rows = learn_module.learn_pairs([("The navy's plan was ready and it's late.",
                                      "The military's plan was ready and its late.")])
    assert [(s, o) for s, o, _w, _c in rows] == [("navy's", "military's")]


# Two aligned pairs written for these tests: a spinner with one substitute per word.
PAIRS = [
    ("The navy mentioned on Monday that its vitality supplies were secure and that the assembly "
     "with the ministers would go ahead.",
     "The military said on Monday that its energy supplies were secure and that the meeting "
     "with the ministers would go ahead."),
    ("Folks in the town mentioned the navy had seized energy after the assembly, in line with the ministry.",
     "People in the town said the military had seized power after the meeting, according to the ministry."),
]


def test_learn_pairs_reads_the_spinner_s_swaps():
    rows = {(s, o): (w, c) for s, o, w, c in learn_module.learn_pairs(PAIRS)}
    assert set(rows) == {("navy", "military"), ("mentioned", "said"), ("vitality", "energy"),
                         ("assembly", "meeting"), ("folks", "people"), ("energy", "power"),
                         ("in line with", "according to")}
    # seen twice and replaced both times: weight 2 / (2 + 1)
    assert rows[("navy", "military")] == (0.667, 2)


def test_the_learned_lexicon_repairs_new_text_as_a_user_dictionary(tmp_path, capsys):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps({"spun": s, "original": o}) + "\n" for s, o in PAIRS), encoding="utf-8")
    out = tmp_path / "farm.tsv"
    assert learn_module.main([str(pairs), "-o", str(out)]) == 0
    assert "7 pairs" in capsys.readouterr().err
    cfg = nr.Config(spinner_dictionaries=[str(out)])
    text = ("The navy mentioned that the assembly of folks in the capital had ended peacefully, in line "
            "with state television, and that the vitality minister would resign.")
    result = nr.unspin_and_explain(text, config=cfg)
    assert result.text == ("The military said that the meeting of people in the capital had ended peacefully, "
                           "according to state television, and that the energy minister would resign.")
    assert "user lexicon" in result.changes[0].reason


def test_the_command_line_refuses_records_without_both_texts(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"spun": "only one side"}) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        learn_module.main([str(bad)])
    assert exc.value.code == 2
    assert ":1: " in capsys.readouterr().err


def test_the_command_line_names_a_broken_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    # a line that is not UTF-8 is read as a file would be (here Windows-1252): the JSON is broken
    bad.write_bytes(b'{"spun": "a", "original": "b"}\n\xff{"spun": 1}\n')
    with pytest.raises(SystemExit) as exc:
        learn_module.main([str(bad)])
    assert exc.value.code == 2 and ":2: invalid JSON" in capsys.readouterr().err


def test_the_command_line_never_writes_over_its_input(tmp_path, capsys):
    pairs = tmp_path / "pairs.jsonl"
    content = "".join(json.dumps({"spun": s, "original": o}) + "\n" for s, o in PAIRS)
    pairs.write_text(content, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        learn_module.main([str(pairs), "-o", str(pairs)])
    assert exc.value.code == 2 and "overwritten" in capsys.readouterr().err
    assert pairs.read_text(encoding="utf-8") == content


def test_learn_does_not_replace_a_file_it_did_not_write(tmp_path, capsys):
    """``-o`` replaces a lexicon learned before and ``--save-pairs`` a JSON Lines file, but
    an article named by mistake is refused before any work, and left as it was."""
    from newsrepair.cli import main as cli_main

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps({"spun": s, "original": o}) + "\n" for s, o in PAIRS), encoding="utf-8")
    article = tmp_path / "page.txt"
    article.write_text("The council met on Monday.\n", encoding="utf-8")
    assert cli_main(["learn", "-q", str(pairs), "-o", str(article)]) == 2
    assert "-o " + str(article) + ": the file exists and is not a lexicon learned before" in capsys.readouterr().err
    assert cli_main(["learn", "-q", str(pairs), "--save-pairs", str(article), "-o", str(tmp_path / "x.tsv")]) == 2
    assert "is not pairs saved before" in capsys.readouterr().err
    corpus = tmp_path / "corpus.jsonl"  # JSON Lines, but no pairs: a corpus named by mistake
    corpus.write_text(json.dumps({"id": 1, "text": "The council met on Monday."}) + "\n", encoding="utf-8")
    assert cli_main(["learn", "-q", str(pairs), "--save-pairs", str(corpus), "-o", str(tmp_path / "x.tsv")]) == 2
    assert "is not pairs saved before" in capsys.readouterr().err
    assert json.loads(corpus.read_text(encoding="utf-8"))["id"] == 1
    assert article.read_text(encoding="utf-8") == "The council met on Monday.\n"
    assert not (tmp_path / "x.tsv").exists()
    # what learn wrote before is replaced
    lexicon, saved = tmp_path / "lex.tsv", tmp_path / "saved.jsonl"
    for _ in range(2):
        assert cli_main(["learn", "-q", str(pairs), "-o", str(lexicon), "--save-pairs", str(saved)]) == 0
    assert "navy\tmilitary" in lexicon.read_text(encoding="utf-8") and saved.read_text(encoding="utf-8").startswith("{")


def test_learn_names_the_pattern_when_a_directory_holds_no_pairs(tmp_path, capsys):
    """A directory of spun text files without --originals: the error says what learn
    looked for and how to give text files, not only that there is nothing to learn."""
    from newsrepair.cli import main as cli_main

    (tmp_path / "farm").mkdir()
    (tmp_path / "farm" / "a.txt").write_text("The navy mentioned it.\n", encoding="utf-8")
    assert cli_main(["learn", str(tmp_path / "farm"), "-o", str(tmp_path / "x.tsv")]) == 2
    err = capsys.readouterr().err
    assert "no input files matched '*.jsonl'" in err and "--originals" in err
    assert not (tmp_path / "x.tsv").exists()


def test_newsrepair_learn_is_the_same_command_with_field_names(tmp_path, capsys, monkeypatch):
    """``newsrepair learn`` runs the learner (options before the command too), reads the
    fields it is told to, and reads standard input for "-"."""
    import io

    from newsrepair.cli import main as cli_main

    records = "".join(json.dumps({"id": i, "farm": s, "source": o}) + "\n" for i, (s, o) in enumerate(PAIRS))
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(records, encoding="utf-8")
    out = tmp_path / "farm.tsv"
    assert cli_main(["-q", "learn", "--spun-field", "farm", "--original-field", "source", str(pairs),
                     "-o", str(out)]) == 0
    assert capsys.readouterr().err == ""  # -q: no summary line
    lexicon = out.read_text(encoding="utf-8")
    assert "navy\tmilitary\t0.667\tuser:2\n" in lexicon
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(records.encode("utf-8"))))
    assert cli_main(["learn", "--spun-field", "farm", "--original-field", "source", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out == lexicon
    assert "7 pairs learned from 2 aligned articles -> standard output" in captured.err
    # the default field names are not in these records: a usage error naming the line
    assert cli_main(["learn", str(pairs)]) == 2
    assert ":1: expected string fields 'spun' and 'original'" in capsys.readouterr().err


def test_a_user_lexicon_file_is_read_in_lexicon_form(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("# my pairs\nState-Owned Firm\tpublic company\t0.9\nwellness\tWell-Being\t1\n",
                    encoding="utf-8")
    lex = nr.spin.lexicon.load_lexicon(group_files=[str(path)])
    assert lex.candidates("state - owned firm") == {"public company": (0.9, "user:lexicon")}
    # the original as written, as a group file gives it
    groups = tmp_path / "groups.txt"
    groups.write_text("Well-Being|wellness\n", encoding="utf-8")
    from_groups = nr.spin.lexicon.load_lexicon(group_files=[str(groups)])
    assert set(lex.candidates("wellness")) == set(from_groups.candidates("wellness")) == {"well-being"}
    path.write_text("navy\tmilitary\ttwo\n", encoding="utf-8")
    with pytest.raises(nr.DataFileError, match="mine.tsv:1:"):
        nr.spin.lexicon.load_lexicon(group_files=[str(path)])


@pytest.mark.parametrize("written", ["20%", "well-being", "£5m", "o'clock"])
def test_an_original_is_restored_as_the_user_wrote_it(tmp_path, written):
    # looked up in lexicon form ("20 %"), written back as the file has it ("20%")
    for name, line in (("mine.tsv", f"zorblax\t{written}\t1.0\n"), ("groups.txt", f"{written}|zorblax\n")):
        path = tmp_path / name
        path.write_text(line, encoding="utf-8")
        cfg = nr.Config(spinner_dictionaries=[str(path)], unspin_clean=True, min_edit_confidence=0.0)
        out = nr.unspin("They said zorblax would do.", config=cfg)
        assert out == f"They said {written} would do.", (name, out)


def test_a_group_file_with_a_stray_tab_stays_a_group_file(tmp_path):
    path = tmp_path / "groups.txt"
    path.write_text("military|navy\tarmy\n", encoding="utf-8")
    lex = nr.spin.lexicon.load_lexicon(group_files=[str(path)])
    assert lex.candidates("navy army") == {"military": (1.0, "user:group")}


_WORDS = st.sampled_from(["the", "navy", "military", "said", "mentioned", "a", "an", "folks", "people",
                          "2", "two", "isn't", "is", "Min", "Zaw", ",", ".", "state-owned", "’s", "\u00e9t\u00e9"])
_TEXT = st.lists(_WORDS, max_size=25).map(" ".join) | st.text(max_size=80)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_TEXT, _TEXT), max_size=4))
@example([("B", "A\x1e")])  # found by CI: "\x1e" is a line break to str.splitlines
@example([("|A", "navy")])    # found by CI: a learned phrase with "|" made the file read as a group file
@example([("#A", "navy")])    # found by a full run: a learned phrase "#a" was read back as a comment
def test_learning_never_raises_and_its_file_loads_back(tmp_path_factory, pairs):
    rows = learn_module.learn_pairs(pairs)
    assert all(0 < w <= 1 and c >= 1 and s and o for s, o, w, c in rows)
    path = tmp_path_factory.mktemp("learned") / "farm.tsv"
    path.write_text(learn_module.format_tsv(rows, "user"), encoding="utf-8")
    if rows:
        lex = nr.spin.lexicon.load_lexicon(group_files=[str(path)])
        assert len(lex) == len({(nr.spin.lexicon.phrase_key(s), o) for s, o, _w, _c in rows})


def test_learn_writes_through_a_symbolic_link_as_a_shell_would(tmp_path, capsys):
    from newsrepair.cli import main as cli_main

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps({"spun": s, "original": o}) + "\n" for s, o in PAIRS), encoding="utf-8")
    target = tmp_path / "farm.tsv"
    target.write_text("# Spinner substitutions learned by newsrepair from 1 aligned article.\n", encoding="utf-8")
    link = tmp_path / "current.tsv"
    link.symlink_to(target)
    assert cli_main(["learn", "-q", str(pairs), "-o", str(link)]) == 0
    assert link.is_symlink() and "navy\tmilitary" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["-m", "newsrepair", "learn"], ["-m", "newsrepair.spin.learn"]])
def test_learn_to_a_closed_pipe_fails_quietly(tmp_path, command):
    """A lexicon larger than a pipe holds, written to standard output whose reader goes
    away: exit status 1 and no traceback, not a lexicon silently cut short (Python's
    buffered write returns the short count without raising)."""
    import itertools
    import string
    import subprocess
    import sys

    words = ["".join(p) for p in itertools.product(string.ascii_lowercase, repeat=3)]
    records = "".join(json.dumps({"spun": f"The council said the {words[2 * i]}zeb plan was ready.",
                                  "original": f"The council said the {words[2 * i + 1]}zeb plan was ready."}) + "\n"
                      for i in range(3000))
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(records, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, *command, "-q", str(pairs), "-o", "-"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(20).startswith(b"# ")  # the lexicon has begun
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 1
    assert stderr == b""


def test_learn_helpers_refuse_what_is_not_texts():
    # a raw "not enough values to unpack", and a string read as a list of one-letter texts
    from newsrepair import InputError
    from newsrepair.spin.learn import learn_pairs
    from newsrepair.spin.pairing import match_articles

    with pytest.raises(InputError, match="pair 0 is not a"):
        learn_pairs([("only the spun text",)])
    with pytest.raises(InputError, match="got one text"):
        learn_pairs("The navy mentioned it.")
    with pytest.raises(InputError, match="spun must be a sequence of texts.*put it in a list"):
        match_articles("The navy mentioned it.", ["The military said it."])
    with pytest.raises(InputError, match="originals must be a sequence of texts"):
        match_articles(["The navy mentioned it."], [3])
