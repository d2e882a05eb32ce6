"""newsrepair.io: decoding with a documented fallback, JSON Lines, atomic writes."""

from __future__ import annotations

import codecs
import io
import json
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsrepair
from newsrepair.io import (
    atomic_write, decode, decode_bytes, dump_record, open_output, parse_jsonl_line, read_document, read_input,
    read_jsonl, resolve_output, write_text_atomic,
)

TEXT = "Le café « Chez Léa » a rouvert ses portes — enfin.\n"


def test_utf8_is_decoded_without_warning() -> None:
    out = decode(TEXT.encode("utf-8"))
    assert out == (TEXT, "utf-8", None)


@pytest.mark.parametrize("codec,bom", [
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_bom_decides_the_encoding_and_is_dropped(codec: str, bom: bytes) -> None:
    out = decode(bom + TEXT.encode(codec))
    assert out.text == TEXT
    assert out.encoding == codec
    assert out.warning is None


def test_utf16_without_bom_is_recognised_with_a_warning() -> None:
    out = decode("Plain words in UTF-16.\n".encode("utf-16-le"))
    assert out.text == "Plain words in UTF-16.\n"
    assert out.encoding == "utf-16-le" and "UTF-16" in out.warning


def test_windows_1252_fallback_warns() -> None:
    data = "It’s 20 °C — “nice”".encode("cp1252")
    out = decode(data, "page.txt")
    assert out.text == "It’s 20 °C — “nice”"
    assert out.encoding == "windows-1252"
    assert "not valid UTF-8" in out.warning and "windows-1252" in out.warning


# Written for these tests: a news paragraph in each language, and in capitals.
_RUSSIAN = ("Правительство объявило о новых мерах поддержки. Министр заявил журналистам, "
            "что решение будет принято до конца недели.")
_GREEK = ("Η κυβέρνηση ανακοίνωσε νέα μέτρα στήριξης. Ο υπουργός δήλωσε στους δημοσιογράφους "
          "ότι η απόφαση θα ληφθεί μέχρι το τέλος της εβδομάδας.")
_MAC_ENGLISH = ("The council’s plan, which officials called “a fresh start”, was approved – "
                "but residents say they don’t expect the new bridge before 2027…")
_WESTERN = [
    "Le conseil municipal a approuvé le projet. « C’est un nouveau départ », a déclaré la maire à Besançon.",
    "Die Bürgermeisterin sagte, die Brücke über die Straße werde größer. Änderungen folgen später.",
    "El ayuntamiento aprobó el plan. «Es un nuevo comienzo», dijo la alcaldesa de León, según el diario.",
    "Bæjarstjórnin samþykkti áætlunina í gær. Það er nýtt upphaf, sagði bæjarstjórinn á Akureyri.",
    "Kommunfullmäktige godkände planen. Det är en nystart, säger kommunalrådet i Göteborg och Malmö.",
    "A câmara aprovou o plano. É um novo começo, disse a presidente em São João da Madeira.",
]


@pytest.mark.parametrize("text, codec, label", [
    (_RUSSIAN, "cp1251", "windows-1251"), (_RUSSIAN, "koi8_r", "koi8-r"),
    (_RUSSIAN.upper(), "cp1251", "windows-1251"), (_GREEK, "cp1253", "windows-1253"),
    (_MAC_ENGLISH, "mac_roman", "mac-roman"), (_GREEK.upper(), "cp1253", "windows-1253"),
    ("ΕΚΤΑΚΤΟ: ΣΕΙΣΜΟΣ ΣΤΗΝ ΑΘΗΝΑ ΣΗΜΕΡΑ ΤΟ ΠΡΩΙ", "cp1253", "windows-1253"),
])
def test_other_code_pages_are_recognised(text, codec, label) -> None:
    # read as windows-1252 they were "Ïðàâèòåëüñòâî" and "the council’s" as "councilÕs"
    out = decode(text.encode(codec), "old.txt")
    assert out.text == text and out.encoding == label
    assert f"decoded as {label}" in out.warning


@pytest.mark.parametrize("text", [*_WESTERN, *(t.upper() for t in _WESTERN), _MAC_ENGLISH,
                                  # capitals that are words of their own (an outside probe)
                                  "À la une\nÀ lire aussi\nÀ voir\nÀ suivre\nÀ propos\n",
                                  "É hoje. É amanhã. À tarde vão votar. É o que dizem. Não há acordo.",
                                  "Ø is an island; Å is a village; Ø again, and Å once more.",
                                  "Caf\u00e9 \u00e0 la cr\u00e8me, na\u00efve \u00e9l\u00e8ve"])
def test_western_text_stays_windows_1252(text) -> None:
    out = decode(text.encode("cp1252"))
    assert out.text == text and out.encoding == "windows-1252"


def test_utf8_cut_inside_a_character_keeps_the_windows_1252_reading() -> None:
    # its mojibake ("cafÃ©") is what the encoding stage repairs; Mac Roman ("caf√©") it is not
    data = "Le café était délicieux, très bon, à Paris.".encode("utf-8") + "é".encode("utf-8")[:1]
    out = decode(data)
    assert out.encoding == "windows-1252" and out.text.startswith("Le cafÃ©")
    assert newsrepair.fix_encoding(out.text).startswith("Le café était")


def test_latin1_is_the_last_resort() -> None:
    data = b"caf\xe9 \x81"  # 0x81 is undefined in windows-1252
    out = decode(data)
    assert out.text == "café \x81"
    assert out.encoding == "latin-1" and out.warning


@pytest.mark.parametrize("data", [
    b"hello\x00world",
    bytes(range(256)) * 4,
    b"\x01\x02\x03\x04\x05\x06\x07\x08" * 20 + b"some text",
])
def test_binary_data_is_rejected(data: bytes) -> None:
    with pytest.raises(newsrepair.DecodeError, match="binary"):
        decode(data, "blob.bin")


def test_bad_data_after_a_bom_is_an_error_naming_the_input() -> None:
    with pytest.raises(newsrepair.DecodeError, match="x.txt.*UTF-16"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8", "x.txt")  # lone surrogate


def test_decode_bytes_and_read_document(tmp_path) -> None:
    assert decode_bytes(b"") == ""
    assert decode_bytes("ok".encode()) == "ok"
    path = tmp_path / "a.txt"
    path.write_bytes("naïve".encode("cp1252"))
    assert read_document(path).text == "naïve"
    with pytest.raises(newsrepair.InputError):
        decode("not bytes")  # type: ignore[arg-type]


def test_decode_bytes_is_public() -> None:
    assert newsrepair.decode_bytes(b"abc") == "abc"


# ------------------------------------------------------------------ JSON Lines

def test_parse_good_line_keeps_order() -> None:
    line = parse_jsonl_line(b'{"b": 1, "a": "x", "text": "t"}\n', 7)
    assert line.error is None and line.lineno == 7
    assert list(line.record) == ["b", "a", "text"]


@pytest.mark.parametrize("raw,fragment", [
    (b"{not json}", "invalid JSON"),
    (b'{"text": "cut', "invalid JSON"),
    (b"[1, 2]", "array"),
    (b"42", "number"),
    (b"null", "null"),
    (b'{"text": "caf\xe9", \x00\x01\x02\x03\x04\x05\x06\x07}', "binary"),
    (b"[" * 100000, "JSON"),
    (b"1" * 5000, "JSON"),
    # valid JSON, but a float would write it back as Infinity, which is not JSON
    (b'{"text": "t", "n": 1e400}', "too large for a float"),
    (b'{"text": "t", "n": NaN}', "NaN is not JSON"),
    (b'{"text": "t", "n": -Infinity}', "Infinity is not JSON"),
])
def test_broken_lines_get_an_error_and_never_raise(raw: bytes, fragment: str) -> None:
    line = parse_jsonl_line(raw, 3)
    assert line.error is not None and fragment in line.error
    assert line.raw == raw


def test_read_jsonl_skips_blank_lines_and_numbers_lines(tmp_path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"text": "a"}\n\n  \n{"text": "b"}\r\nbroken\n')
    with open(path, "rb") as fh:
        lines = list(read_jsonl(fh))
    assert [ln.lineno for ln in lines] == [1, 4, 5]
    assert [ln.error is None for ln in lines] == [True, True, False]


def test_dump_record_keeps_unicode_and_escapes_lone_surrogates() -> None:
    assert dump_record({"t": "é"}) == '{"t": "é"}'
    weird = {"t": "a\ud800b"}
    out = dump_record(weird)
    out.encode("utf-8")  # always encodable
    assert json.loads(out) == weird


# ------------------------------------------------------------------ atomic writes

def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    write_text_atomic(target, "new")
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["out.txt"]


@pytest.mark.parametrize("writer", [atomic_write, open_output])
def test_atomic_write_failure_keeps_the_old_file(tmp_path, writer) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with writer(target) as fh:
            fh.write("half")
            raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_write_backup_and_permissions(tmp_path) -> None:
    target = tmp_path / "doc.txt"
    target.write_text("original")
    os.chmod(target, 0o640)
    write_text_atomic(target, "fixed", backup=".bak")
    assert target.read_text() == "fixed"
    assert (tmp_path / "doc.txt.bak").read_text() == "original"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640


def test_new_files_get_ordinary_permissions(tmp_path) -> None:
    target = tmp_path / "new.txt"
    write_text_atomic(target, "x")
    mode = stat.S_IMODE(os.stat(target).st_mode)
    assert mode & 0o044, oct(mode)  # not mkstemp's 0600


def test_atomic_write_errors_name_the_target_not_a_temporary(tmp_path) -> None:
    target = tmp_path / "missing" / "log.jsonl"
    with pytest.raises(FileNotFoundError) as info:
        with atomic_write(target) as fh:
            fh.write("x")
    assert info.value.filename == str(target)
    assert ".tmp" not in str(info.value)


def test_atomic_write_can_keep_what_an_interrupted_block_wrote(tmp_path) -> None:
    # a change log is kept when the run is interrupted (keep_on); any other file is not
    target = tmp_path / "log.jsonl"
    for keep_on, expected in (((), None), ((KeyboardInterrupt,), "first\n")):
        with pytest.raises(KeyboardInterrupt):
            with atomic_write(target, keep_on=keep_on) as fh:
                fh.write("first\n")
                raise KeyboardInterrupt
        assert (target.read_text(encoding="utf-8") if target.exists() else None) == expected
    with pytest.raises(ValueError):
        with atomic_write(target, keep_on=(KeyboardInterrupt,)) as fh:
            fh.write("second\n")
            raise ValueError
    assert target.read_text(encoding="utf-8") == "first\n"
    assert os.listdir(tmp_path) == ["log.jsonl"]


def test_a_full_disk_is_raised_naming_the_target(tmp_path, monkeypatch) -> None:
    # the last flush of an output (fsync here) on a full disk said only "No space left
    # on device"; the error names the file, and no temporary is left
    import errno

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    target = tmp_path / "log.jsonl"
    with pytest.raises(OSError) as info:
        with atomic_write(target) as fh:
            fh.write("x")
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(target)
    assert os.listdir(tmp_path) == []


def test_open_output_writes_through_symlinks(tmp_path) -> None:
    (tmp_path / "real").mkdir()
    os.symlink("real/target.txt", tmp_path / "link.txt")  # dangling: the target gets created
    os.symlink("link.txt", tmp_path / "chain.txt")
    for text in ("first\n", "second\n"):
        with open_output(tmp_path / "chain.txt") as fh:
            fh.write(text)
        assert (tmp_path / "link.txt").is_symlink() and (tmp_path / "chain.txt").is_symlink()
        assert (tmp_path / "real" / "target.txt").read_text() == text
    assert sorted(os.listdir(tmp_path / "real")) == ["target.txt"]
    assert resolve_output(tmp_path / "chain.txt") == (str(tmp_path / "real" / "target.txt"), False)


def test_open_output_refuses_a_directory(tmp_path) -> None:
    with pytest.raises(IsADirectoryError) as info:
        with open_output(tmp_path):
            pass
    assert info.value.filename == str(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_open_output_writes_into_a_fifo_directly(tmp_path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert resolve_output(fifo) == (str(fifo), True)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
    reader.start()
    with open_output(fifo) as fh:
        fh.write("through the pipe\n")
    reader.join(10)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["pipe"]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_open_output_dev_fd_paths_are_written_directly(tmp_path) -> None:
    """/dev/fd/N (a shell's >(...)) and /dev/stdout lead through /proc: no temporary file
    beside them, and a regular file behind one is added to, not replaced."""
    read_end, write_end = os.pipe()
    try:
        path = f"/proc/self/fd/{write_end}"
        assert resolve_output(path) == (path, True)
        with open_output(path) as fh:
            fh.write("piped\n")
        os.close(write_end)
        write_end = -1
        assert os.read(read_end, 100) == b"piped\n"
    finally:
        os.close(read_end)
        if write_end != -1:
            os.close(write_end)
    log = tmp_path / "log.txt"
    log.write_text("kept\n")
    with open(log, "a") as held:
        with open_output(f"/proc/self/fd/{held.fileno()}") as fh:
            fh.write("added\n")
        assert os.stat(log).st_ino == os.fstat(held.fileno()).st_ino  # the same file, not replaced
    assert log.read_text() == "kept\nadded\n"


def test_docstring_examples() -> None:
    import doctest

    from newsrepair import io, parallel
    for module in (io, parallel):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0 and result.attempted > 0, module


def test_dump_record_is_one_line_for_any_splitter() -> None:
    rec = {"\x85": "a\u2028b\u2029c\nd"}
    line = dump_record(rec)
    assert len(line.splitlines()) == 1
    assert json.loads(line) == rec


def test_latin1_fallback_names_the_byte_that_windows_1252_refuses() -> None:
    # "€" in windows-1252 (0x80, not UTF-8), then UTF-8 quotes; the right one ends in
    # 0x9d, which windows-1252 leaves undefined
    data = b"Fare: 3 \x80 for \xe2\x80\x9cday\xe2\x80\x9d tickets"
    out = decode(data, "fares.txt")
    assert out.encoding == "latin-1"
    assert out.warning == ("not valid UTF-8 (byte 0x80 at offset 8) or windows-1252 "
                           "(byte 0x9d at offset 22); decoded as latin-1")


@pytest.mark.parametrize("codec, label", [("utf-16-le", "UTF-16-LE"), ("utf-16-be", "UTF-16-BE")])
def test_utf16_of_another_script_without_bom_is_refused_with_a_hint(codec: str, label: str) -> None:
    # too few NUL bytes for BOM-less UTF-16 to be read (only mostly-Latin text is), but
    # the message says what the data looks like and what to do
    data = "Паром отправляется в 7:30, сообщил оператор.\n".encode(codec)
    with pytest.raises(newsrepair.DecodeError) as info:
        decode(data, "ferry.txt")
    message = str(info.value)
    assert message.startswith(f"ferry.txt: NUL bytes; it looks like {label} text without a byte-order mark")
    assert f"iconv -f {label.replace('16-', '16')} -t UTF-8" in message
    # binary data keeps its message, even with an even number of bytes
    with pytest.raises(newsrepair.DecodeError, match=r"^blob.bin: binary data \(NUL bytes\)$"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "blob.bin")
    # a few bytes that read as unrelated characters of several scripts, with no space
    with pytest.raises(newsrepair.DecodeError, match=r"^x.bin: binary data \(NUL bytes\)$"):
        decode(b"abc\x00\x00def\x01\x02", "x.bin")


class _Endless(io.RawIOBase):
    """A stream that never ends, as /dev/zero or /dev/urandom."""

    def __init__(self, pattern: bytes) -> None:
        self.pattern, self.served = pattern, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = len(buffer)
        buffer[:n] = (self.pattern * (n // len(self.pattern) + 1))[:n]
        self.served += n
        if self.served > 1 << 24:
            raise AssertionError("read on past the first 64 KiB")
        return n


@pytest.mark.parametrize("pattern", [b"\x00", bytes(range(256))])
def test_read_input_stops_on_endless_binary(pattern: bytes) -> None:
    # `newsrepair < /dev/zero` read until memory ran out (an outside tester's finding)
    with pytest.raises(newsrepair.DecodeError, match="binary data"):
        read_input(io.BufferedReader(_Endless(pattern)), "zeros")


@pytest.mark.parametrize("data", [
    ("Plain text, long enough. " * 4000).encode("utf-8"),
    ("UTF-16 text without a mark. " * 4000).encode("utf-16-le"),
    b"\xef\xbb\xbf" + ("with a BOM " * 9000).encode("utf-8"),
    codecs.BOM_UTF32_LE + ("thirty-two " * 9000).encode("utf-32-le"),
    b"\x00" * 70000, bytes(range(256)) * 300, b"text " * 20000 + b"\x00",
])
def test_read_input_gives_what_decode_decides(data: bytes) -> None:
    # the early stop refuses only what decode() would refuse, with the same message
    try:
        expected: object = decode(data, "doc")
    except newsrepair.DecodeError as exc:
        expected = str(exc)
    try:
        got: object = decode(read_input(io.BytesIO(data), "doc"), "doc")
    except newsrepair.DecodeError as exc:
        got = str(exc)
    assert got == expected


def test_a_jsonl_line_in_another_encoding_is_decoded_with_a_warning() -> None:
    line = parse_jsonl_line(b'{"text": "caf\xe9 cr\xe8me"}', 4)
    assert line.error is None and line.record == {"text": "café crème"}
    assert "not valid UTF-8" in line.warning and "windows-1252" in line.warning
    assert parse_jsonl_line(b'{"text": "caf\xc3\xa9"}').warning is None
    # a broken line's text loses no byte, whatever its encoding
    assert parse_jsonl_line(b"{caf\xe9").text == "{café"
    binary = b"{\x00\x01\x02\x03\x04\x05\x06\x07\xff"
    assert parse_jsonl_line(binary).text.encode("latin-1") == binary


def test_a_utf8_byte_order_mark_before_a_stray_byte_is_read_as_the_text_without_it() -> None:
    out = decode_bytes(b"\xef\xbb\xbfOne stray byte \xe9 here.\n")
    assert out == "One stray byte \xe9 here.\n"
    from newsrepair.io import decode
    assert "windows-1252" in decode(b"\xef\xbb\xbfcaf\xe9").warning
    assert decode(b"\xef\xbb\xbfcaf\xc3\xa9").warning is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_atomic_write_keeps_the_owner_of_the_file_it_replaces(tmp_path) -> None:
    path = tmp_path / "theirs.txt"
    path.write_text("old\n", encoding="utf-8")
    os.chown(path, 65534, 65534)
    os.chmod(path, 0o600)
    with atomic_write(path, "w") as fh:
        fh.write("new\n")
    st = os.stat(path)
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (65534, 65534, 0o600)
    assert path.read_text(encoding="utf-8") == "new\n"


def test_jsonl_lines_bounds_a_line_and_stops_at_binary_data(monkeypatch) -> None:
    import io as _io
    from newsrepair import io as nio
    monkeypatch.setattr(nio, "MAX_JSONL_LINE", 64)
    data = b'{"text": "a"}\n\n{"text": "' + b"x" * 200 + b'"}\n{"text": "b"}\n'
    lines = list(nio.jsonl_lines(_io.BytesIO(data)))
    assert [n for n, _ in lines] == [1, 3, 4]
    assert isinstance(lines[1][1], nio.Unread) and "longer than" in lines[1][1]
    assert lines[2][1] == b'{"text": "b"}\n'
    assert parse_jsonl_line(lines[1][1], 3).error == lines[1][1]
    # a binary stream (a device, a compressed file): one reason, nothing more read
    for binary in (b"\x00" * 500 + b"\n" + b'{"text": "c"}\n', b"\x1f\x8b\x08\x00\x01\x02\x03\x04\x05\x06\n{}\n"):
        got = list(nio.jsonl_lines(_io.BytesIO(binary)))
        assert len(got) == 1 and got[0][0] == 1 and "binary data" in got[0][1]


def test_a_record_s_numbers_are_written_back_as_they_were_read() -> None:
    # Python's float wrote "2.50" as 2.5, "1E5" as 100000.0 and rounded "1e-400" to 0.0 and
    # a long decimal to 17 digits: a record's other fields must come out as they went in
    raw = (b'{"text": "x", "price": 2.50, "tiny": 1e-400, "big": 1E5, "pi": 3.14159265358979323846,'
           b' "plain": 0.25, "list": [1.10, {"deep": -0.0}], "int": 12345678901234567890}')
    record = parse_jsonl_line(raw).record
    assert record["price"] == 2.5 and record["tiny"] == 0.0 and isinstance(record["big"], float)
    line = dump_record(record)
    assert line == raw.decode("ascii")
    assert json.loads(line) == json.loads(raw)
    # a string can hold the placeholder's characters without being taken for a number
    tricky = '{"text": "\\u0000abc0\\u0000", "n": 1.50}'
    assert dump_record(parse_jsonl_line(tricky.encode()).record) == tricky
    deep = '{"text": "x", "n": ' + "[" * 900 + "1.50" + "]" * 900 + "}"  # as deep as JSON is read
    assert dump_record(parse_jsonl_line(deep.encode()).record) == deep


@settings(max_examples=300, deadline=None)
@given(literal=st.from_regex(r"-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?", fullmatch=True))
def test_any_json_number_is_written_back_as_it_was_read(literal) -> None:
    raw = '{"text": "x", "n": [' + literal + ', {"m": ' + literal + '}]}'
    line = parse_jsonl_line(raw.encode("ascii"))
    if line.error is not None:  # too large for a float: an error record, not a wrong number
        assert "too large" in line.error
        return
    assert dump_record(line.record) == raw
