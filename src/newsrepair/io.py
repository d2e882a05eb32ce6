"""Reading and writing documents: bytes to text, JSON Lines, and atomic file writes.

Decoding (:func:`decode_bytes`) follows one documented order, so the same bytes always
give the same text:

1. a byte-order mark decides: UTF-32 (LE/BE), UTF-16 (LE/BE) or UTF-8; the BOM is dropped;
2. data that looks binary is rejected with :class:`~newsrepair.DecodeError`: NUL bytes
   anywhere (outside a UTF-16/32 text), or more than 5% other control bytes in the
   first 64 KiB.
   UTF-16 without a BOM is recognised first, with a warning, when every other byte of
   the start is NUL and the whole decodes as UTF-16; other BOM-less UTF-16 (a script
   other than Latin) is rejected, with a message that says it looks like UTF-16;
3. UTF-8 (strict);
4. fallbacks, each reported as a warning in :attr:`Decoded.warning`: Windows-1252,
   unless it makes implausible text of the bytes and Windows-1251, KOI8-R,
   Windows-1253 or Mac Roman makes plausible text of them (Cyrillic, Greek, a Mac
   file's quotation marks: see :func:`_other_code_page`); then Latin-1 (which never
   fails).

    >>> decode_bytes("Caf\\u00e9".encode("utf-8"))
    'Café'
    >>> decode("Caf\\u00e9".encode("cp1252"))
    Decoded(text='Café', encoding='windows-1252', warning='not valid UTF-8 (byte 0xe9 at offset 3); decoded as windows-1252')

JSON Lines (:func:`read_jsonl`, :func:`dump_record`) keep each record's fields and their
order; a broken line becomes a :class:`JsonlLine` with ``error`` set instead of stopping
the read. :func:`atomic_write` writes a file through a temporary file in the same
directory, flushed to disk and renamed over the target, so a reader (or a crash) never
sees a half-written file under the final name. :func:`open_output` opens a path the way a
shell redirection would (through symbolic links, straight into pipes and devices) and
uses :func:`atomic_write` wherever the target is a regular file.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import json
import math
import os
import re
import secrets
import shutil
import stat
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, Iterator, NamedTuple

from .errors import DecodeError, InputError

__all__ = [
    "Decoded", "decode", "decode_bytes", "read_document", "read_input",
    "JsonlLine", "parse_jsonl_line", "read_jsonl", "jsonl_lines", "MAX_JSONL_LINE", "dump_record", "json_text",
    "atomic_write", "write_text_atomic", "open_output", "resolve_output",
]

# BOMs, longest first (the UTF-32-LE BOM starts with the UTF-16-LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32-LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32-BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16-LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16-BE"),
)
_SNIFF = 65536
# C0 control bytes that never appear in text (tab, LF, VT, FF, CR and ESC are allowed).
_CONTROL_BYTES = bytes(b for b in range(1, 32) if b not in (9, 10, 11, 12, 13, 27))
_MAX_CONTROL_SHARE = 0.05
_UMASK = os.umask(0o022)
os.umask(_UMASK)


class Decoded(NamedTuple):
    """The result of :func:`decode`.

    Attributes:
        text: the decoded text (without a byte-order mark).
        encoding: the codec used (``"utf-8"``, ``"utf-16-le"``, ``"windows-1252"``, ...).
        warning: why a fallback was needed, or ``None`` when the bytes were valid UTF-8
            (or carried a BOM).
    """

    text: str
    encoding: str
    warning: str | None = None


def _looks_binary(data: bytes) -> str | None:
    if b"\x00" in data:
        return "binary data (NUL bytes)"
    sample = data[:_SNIFF]
    if sample:
        controls = _control_bytes(sample)
        if controls / len(sample) > _MAX_CONTROL_SHARE:
            return f"binary data ({controls} control bytes in the first {len(sample)})"
    return None


def _control_bytes(sample: bytes) -> int:
    """How many bytes of ``sample`` are C0 control bytes that text never holds."""
    return len(sample) - len(sample.translate(None, _CONTROL_BYTES))


def _utf16_layout(sample: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when the high bytes of ``sample``, read as that
    UTF-16, are nearly all NUL (text of mostly ASCII-range characters); else None."""
    if len(sample) < 4 or len(sample) % 2:
        return None
    for zeros, codec in ((sample[1::2], "utf-16-le"), (sample[0::2], "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros):
            return codec
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """The codec of BOM-less UTF-16 text of mostly ASCII-range characters, if it is that."""
    codec = _utf16_layout(data[:_SNIFF])
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    head = text[:_SNIFF // 2]
    controls = sum(1 for c in head if ord(c) < 32 and c not in "\t\n\x0b\x0c\r\x1b")
    return codec if controls <= _MAX_CONTROL_SHARE * len(head) else None


def decode(data: bytes, name: str = "input") -> Decoded:
    """Turn ``data`` into text following the order in the module docstring.

    Raises:
        DecodeError: when the data looks binary (NUL bytes or many control bytes), or a
            BOM announces an encoding the bytes do not follow. ``name`` is used in the
            message.
        InputError: when ``data`` is not bytes (text needs no decoding).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError(f"{name}: decode() needs bytes, got {type(data).__name__}")
    data = bytes(data)
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                if codec == "utf-8":  # a stray byte: read as the text without the mark would be
                    return decode(data[len(bom):], name)
                raise DecodeError(f"{name}: starts with a {label} byte-order mark but is not "
                                  f"valid {label} (offset {exc.start + len(bom)})") from None
            if "\x00" in text:
                raise DecodeError(f"{name}: binary data (NUL characters in {label} text)")
            return Decoded(text, codec)
    if b"\x00" in data[:_SNIFF]:
        codec16 = _utf16_without_bom(data)
        if codec16:
            return Decoded(data.decode(codec16), codec16,
                           f"decoded as {codec16.upper()} (no byte-order mark)")
    problem = _looks_binary(data)
    if problem:
        codec16 = _utf16_look_alike(data) if b"\x00" in data else None
        if codec16:
            label = codec16.upper()  # "UTF-16-LE"; iconv and most tools say "UTF-16LE"
            raise DecodeError(f"{name}: NUL bytes; it looks like {label} text without a byte-order "
                              f"mark, which is read only when nearly all its characters are Latin: "
                              f"convert it to UTF-8 (iconv -f {label.replace('16-', '16')} -t UTF-8) "
                              f"or add a byte-order mark")
        raise DecodeError(f"{name}: {problem}")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        not_utf8 = f"not valid UTF-8 ({_where(data, exc)})"
    # UTF-8 with a few bad bytes (a file cut inside a character, one stray byte) keeps
    # the Windows-1252 reading, whose mojibake the encoding stage repairs
    other = None if _mostly_utf8(data) else _other_code_page(data)
    if other is not None:
        codec, label, why = other
        with contextlib.suppress(UnicodeDecodeError):  # judged on the start; the rest may differ
            return Decoded(data.decode(codec), label, f"{not_utf8}; decoded as {label} ({why})")
    try:
        return Decoded(data.decode("cp1252"), "windows-1252", f"{not_utf8}; decoded as windows-1252")
    except UnicodeDecodeError as exc:  # a byte that windows-1252 leaves undefined
        return Decoded(data.decode("latin-1"), "latin-1",
                       f"{not_utf8} or windows-1252 ({_where(data, exc)}); decoded as latin-1")


#: The code pages :func:`_other_code_page` may choose over Windows-1252: (codec, label,
#: what reads as text in it).
_OTHER_CODE_PAGES = (
    ("cp1251", "windows-1251", "Cyrillic"),
    ("koi8_r", "koi8-r", "Cyrillic"),
    ("cp1253", "windows-1253", "Greek"),
    ("mac_roman", "mac-roman", "punctuation of a Mac text"),
)
#: The least number of non-ASCII characters on which a code page is judged, and of
#: those Windows-1252 must make implausible before another is tried.
_MIN_JUDGED = 4
#: How much of the start is judged.
_JUDGED_BYTES = 16384
_HIGH_BYTES = bytes(range(0x80, 0x100))
_MIN_IMPLAUSIBLE = 4
_WORD = re.compile(r"[^\W\d_]+")
#: A non-ASCII character that is no letter or digit between two letters: implausible
#: ("лати╒", "S„o", a no-break space inside a word), but for the marks of
#: :data:`_INNER_MARKS` and combining accents.
_SYMBOL_IN_WORD = re.compile(r"(?<=[^\W\d_])[^\w\x00-\x7f](?=[^\W\d_])")
_INNER_MARKS = "’‘ʼ‐‑·"
#: Capitals that stand alone in no language (Mac Roman's dashes and quotation marks
#: read as Windows-1252); "À", "É", "Å" and "Ø" do.
_LONE_IMPLAUSIBLE = "ÐÑÒÔÕ"


def _other_code_page(data: bytes) -> tuple[str, str, str] | None:
    """``(codec, label, why)`` of a single-byte code page other than Windows-1252 that
    ``data`` (not UTF-8) is written in, or None: Windows-1252 stays the reading unless it
    makes implausible text of the non-ASCII bytes and another code page makes plausible
    text of them (see :func:`_implausible`). A Russian file in Windows-1251 reads as
    "Ïðèâåò" in Windows-1252, a Mac file's "don’t" as "donÕt"."""
    sample = data[:_JUDGED_BYTES]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if high < _MIN_JUDGED:
        return None
    western = sample.decode("cp1252", errors="replace")
    letters = sum(1 for c in western if not c.isascii() and (c.isalpha() or c == "\ufffd"))
    if _implausible(western) < max(_MIN_IMPLAUSIBLE, 0.3 * letters):
        return None
    best = None
    for codec, label, why in _OTHER_CODE_PAGES:
        try:
            head = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        bad = _implausible(head)
        # of two readings as words of one script, the one whose letters are that
        # script's frequent ones
        low = head.lower()
        script = sum(1 for c in low if "\u0370" <= c <= "\u04ff")
        rank = (bad, -sum(low.count(c) for c in _FREQUENT_LETTERS) / max(1, script))
        if bad <= 0.1 * high and (best is None or rank < best[0]):
            best = (rank, (codec, label, why))
    return None if best is None else best[1]


#: The twelve letters most frequent in Russian, Ukrainian and Bulgarian text, and in
#: Greek (wordfreq's word lists, weighted by frequency): about 72% of the letters of each.
_FREQUENT_LETTERS = "оаеинтвсркдл" "ατοσιενπρηκμ"


def _mostly_utf8(data: bytes) -> bool:
    """Whether the start of ``data`` holds valid UTF-8 sequences of two bytes or more and
    at most two bytes that are not."""
    sample = data[:_JUDGED_BYTES]
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return bad <= 2 and any(ord(c) > 0x7F and c != "\ufffd" for c in text)


def _implausible(text: str) -> int:
    """How many non-ASCII characters of ``text`` stand where text of a real language
    would not have them: in a word of both Latin and Cyrillic letters; in a Latin word
    of three letters or more that has no ASCII letter ("Ïðèâåò": the Latin-script
    languages write most of each word in ASCII letters); a capital alone, or inside a
    word not all in capitals ("donÕt", "ÒIt"); in a Cyrillic or Greek word of small and
    capital letters mixed other than as a capitalised word; a symbol between two letters
    ("лати╒"); or a character the code page leaves undefined."""
    bad = text.count("\ufffd") + sum(1 for m in _SYMBOL_IN_WORD.finditer(text)
                                     if m.group() not in _INNER_MARKS and unicodedata.category(m.group())[0] != "M")
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        high = [c for c in word if not c.isascii()]
        greek_cyrillic = sum(1 for c in high if "\u0370" <= c <= "\u04ff")
        if greek_cyrillic and (greek_cyrillic < len(high) or len(high) < len(word)):
            bad += len(high)  # two scripts in one word
        elif greek_cyrillic:
            if not (word.islower() or word.isupper() or word[1:].islower()):
                bad += len(high)  # neither small, capitals, nor capitalised
        elif len(word) >= 3 and len(high) == len(word):
            bad += len(high)
        elif len(word) == 1:
            bad += word in _LONE_IMPLAUSIBLE
        elif not word.isupper():
            bad += sum(1 for k, c in enumerate(word) if not c.isascii() and c.isupper()
                       and (k > 0 or word[1].isupper()))
    return bad


def _where(data: bytes, error: UnicodeDecodeError) -> str:
    """Where a codec failed on ``data``: the first byte it refused and its offset."""
    return f"byte 0x{data[error.start]:02x} at offset {error.start}"


def _utf16_look_alike(data: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``data``, refused for its NUL bytes, reads
    as that UTF-16 into printable text (so that the message can say what to do): UTF-16
    without a BOM of a script other than Latin, whose NUL bytes (the high bytes of its
    spaces, digits and punctuation) are too few for :func:`_utf16_without_bom`. Binary data
    rarely decodes so: pairs of NUL bytes give U+0000, which is not printable."""
    if len(data) % 2:
        return None
    sample = data[:_SNIFF]
    codec = "utf-16-le" if sample[1::2].count(0) >= sample[0::2].count(0) else "utf-16-be"
    try:
        head = data.decode(codec)[:_SNIFF // 2]
    except UnicodeDecodeError:
        return None
    printable = sum(1 for c in head if c.isprintable() or c in "\t\n\r")
    if printable < 0.95 * len(head) or not any(c in " \n" for c in head):
        return None
    # text is written in one script: binary bytes read as UTF-16 scatter over many
    # ("abc\0\0def\1\2" reads as four unrelated characters and no space)
    scripts = Counter(_script_block(ord(c)) for c in head if ord(c) >= 0x80)
    if scripts and scripts.most_common(1)[0][1] < 0.8 * sum(scripts.values()):
        return None
    return codec


def _script_block(code: int) -> int:
    """A rough script of a code point for :func:`_utf16_look_alike`: Chinese, Japanese
    and Korean characters as one, any other by its block of 128 code points."""
    return -1 if 0x3000 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF else code >> 7


def read_input(stream: BinaryIO, name: str = "input") -> bytes:
    """All the bytes of ``stream`` (a buffered binary stream: an open file, stdin's
    ``buffer``, :class:`io.BytesIO`), read to its end, unless its first 64 KiB already show
    that :func:`decode` will refuse them as binary whatever follows: then it raises that
    :class:`~newsrepair.DecodeError` without reading on (an endless device such as
    ``/dev/zero`` or ``/dev/urandom`` would never end, or fill memory first).

    Raises:
        DecodeError: for data that is binary in its first 64 KiB (NUL bytes not laid out
            as UTF-16 text, or too many control bytes) and has no byte-order mark.
    """
    head = stream.read(_SNIFF)
    if len(head) < _SNIFF:
        # a buffered stream reads on to the size asked for or to its end: this is the end
        # (read again, a terminal would wait for more, its Ctrl-D is not sticky)
        return head
    if _binary_whatever_follows(head):
        decode(head, name)  # raises: the error decode() gives the whole data
    return head + stream.read()


def _binary_whatever_follows(sample: bytes) -> bool:
    """Whether :func:`decode` refuses any data that starts with ``sample`` (its first
    ``_SNIFF`` bytes) as binary: no byte-order mark, and too many control bytes, or NUL
    bytes that are not the high bytes of UTF-16 text (:func:`_utf16_without_bom`)."""
    if any(sample.startswith(bom) for bom, _codec, _label in _BOMS):
        return False
    if _control_bytes(sample) / len(sample) > _MAX_CONTROL_SHARE:
        return True
    if b"\x00" not in sample:
        return False
    if _utf16_layout(sample) is None:
        return True  # not laid out as UTF-16: NUL bytes are binary
    # UTF-16 text may follow, unless too many of its first characters are U+0000 (two
    # NUL bytes), a control character that _utf16_without_bom refuses
    units = len(sample) // 2
    return array("H", sample).count(0) > _MAX_CONTROL_SHARE * units


def decode_bytes(data: bytes, name: str = "input") -> str:
    """The text of ``data`` (see :func:`decode`; the fallback warning is dropped).

    Raises:
        DecodeError: for binary data.
        InputError: when ``data`` is not bytes.
    """
    return decode(data, name).text


def read_document(path: str | os.PathLike[str]) -> Decoded:
    """Read and decode one file.

    Raises:
        OSError: when the file cannot be read.
        DecodeError: when it is binary.
    """
    name = os.fspath(path)
    with open(path, "rb") as fh:
        data = read_input(fh, name)
    return decode(data, name)


# --------------------------------------------------------------------------- JSON Lines

_JSON_KIND = {list: "array", int: "number", float: "number", str: "string", bool: "boolean",
              type(None): "null"}


@dataclass(frozen=True)
class JsonlLine:
    """One line of a JSON Lines file.

    Attributes:
        lineno: 1-based line number.
        raw: the line's bytes, without the line break.
        record: the parsed JSON value (``None`` when the line is broken).
        error: why the line is not a JSON object, or ``None``.
        warning: how the line was decoded when it is not UTF-8, or ``None``.
    """

    lineno: int
    raw: bytes
    record: Any = None
    error: str | None = None
    warning: str | None = None

    @property
    def text(self) -> str:
        """The line as text, whatever its bytes: decoded as :func:`decode` decodes a
        file (a line of another code page keeps its characters), or byte for byte as
        Latin-1 when it is binary, so that a broken line is reported without a loss."""
        try:
            return decode(self.raw, "line").text
        except DecodeError:
            return self.raw.decode("latin-1")


def parse_jsonl_line(raw: bytes | Unread, lineno: int = 0) -> JsonlLine:
    """Parse one line of JSON Lines. Never raises: a broken line gets ``error`` set.

    A line must be JSON whose top-level value is an object. JSON Lines are UTF-8; a line
    that is not is decoded as :func:`decode` decodes a file (scrapes mix encodings: a
    line in Windows-1252 keeps its "é"), with ``warning`` saying so.
    """
    if isinstance(raw, Unread):
        return JsonlLine(lineno, b"", None, str(raw))
    raw = raw.rstrip(b"\r\n")
    warning = None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            decoded = decode(raw, "line")
        except DecodeError as exc:
            return JsonlLine(lineno, raw, None, str(exc).removeprefix("line: "))
        text, warning = decoded.text, decoded.warning
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        record = json.loads(text, parse_float=_finite_float, parse_int=_integer, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = "column" if exc.msg.endswith(" at") else "at column"  # "Unterminated string starting at"
        return JsonlLine(lineno, raw, None, f"invalid JSON ({exc.msg} {where} {exc.colno})", warning)
    except (ValueError, RecursionError) as exc:  # e.g. huge integers, deep nesting
        return JsonlLine(lineno, raw, None, f"invalid JSON ({type(exc).__name__}: {str(exc)[:80]})", warning)
    if not isinstance(record, dict):
        return JsonlLine(lineno, raw, record, f"a JSON {_JSON_KIND.get(type(record), 'value')}, not an object",
                         warning)
    return JsonlLine(lineno, raw, record, None, warning)


def _finite_float(text: str) -> float:
    """A JSON number as a float; one too large for a float ("1e400") is refused, since it
    would be written back as ``Infinity``, which is not JSON. One that Python would write
    back otherwise ("2.50", "1e5", a value rounded: "1e-400", "0.1000000000000000000001")
    is a :class:`JsonNumber` that :func:`dump_record` writes as it was read."""
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:40]} is too large for a float")
    return value if repr(value) == text else JsonNumber(text)


def _integer(text: str) -> int | float:
    """A JSON integer as an int; ``-0`` (which an int would write as ``0``) as a
    :class:`JsonNumber`."""
    value = int(text)
    return value if str(value) == text else JsonNumber(text)


class JsonNumber(float):
    """A JSON number read from a record, with its text as written (``text``), for a number
    that Python's float would write back differently: :func:`dump_record` keeps it."""

    text: str

    def __new__(cls, text: str) -> "JsonNumber":
        number = super().__new__(cls, text)
        number.text = text
        return number


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


#: The longest line of JSON Lines read as a record (16 MiB; a news article is a few
#: KiB). A longer line is skipped unread, as a broken line: reading it whole could fill
#: the memory (a device such as ``/dev/zero`` is one endless line).
MAX_JSONL_LINE = 16 * 1024 * 1024


class Unread(str):
    """In place of a line's bytes: why the line was not read (see :func:`jsonl_lines`)."""


def jsonl_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | Unread]]:
    """``(line number, bytes)`` of the lines of a JSON Lines stream that are not blank,
    lazily, each at most :data:`MAX_JSONL_LINE` bytes long. A longer line gives an
    :class:`Unread` reason instead of its bytes and is skipped to its end. A stream whose
    first line looks binary (NUL or control bytes: a device, a compressed or UTF-16
    file) gives one :class:`Unread` reason for line 1 and nothing more."""
    lineno = 0
    while True:
        raw = stream.readline(MAX_JSONL_LINE + 1)
        if not raw:
            return
        lineno += 1
        if lineno == 1 and (problem := _looks_binary(raw)):
            yield 1, Unread(f"{problem}: not JSON Lines; the rest is not read")
            return
        if len(raw) > MAX_JSONL_LINE and not raw.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield lineno, Unread(f"a line longer than {MAX_JSONL_LINE // (1024 * 1024)} MiB, not read")
        elif raw.strip():
            yield lineno, raw


def read_jsonl(stream: BinaryIO) -> Iterator[JsonlLine]:
    """Iterate over the lines of a binary JSON Lines stream, lazily (:func:`jsonl_lines`).

    Blank lines are skipped (they hold no record); every other line yields one
    :class:`JsonlLine`, broken or not.
    """
    for lineno, raw in jsonl_lines(stream):
        yield parse_jsonl_line(raw, lineno)


def json_text(value: Any, indent: int | None = None) -> str:
    """``value`` as JSON with its characters as they are, or, when a string holds a lone
    surrogate (possible through ``\\ud800`` escapes in JSON input) and could not be
    written as UTF-8, with ASCII escapes, which read back to the same value."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True, indent=indent)
    return text


def dump_record(record: Any) -> str:
    """One JSON Lines line (without the newline): characters kept as they are, key order kept.

    Strings holding lone surrogates (possible through ``\\ud800`` escapes in the input)
    cannot be written as UTF-8; such a record is written with ASCII escapes instead, which
    reads back to the same value. U+0085, U+2028 and U+2029 are always escaped, so that
    every record is exactly one line for any line splitter.
    """
    found = _numbers_in(record)
    if not found:
        line = json_text(record)
    else:  # a number read as a JsonNumber is written as it was read: a placeholder meanwhile
        for k, (inside, key, _) in enumerate(found):
            inside[key] = f"\x00{_NUMBER_WORD}{k}\x00"
        try:
            line = json_text(record)
        finally:
            for inside, key, number in found:
                inside[key] = number
        for k, (_, _, number) in enumerate(found):
            line = line.replace(f'"\\u0000{_NUMBER_WORD}{k}\\u0000"', number.text, 1)
    # Characters that str.splitlines() and some JSON readers take for line breaks are
    # escaped (outside strings the line is pure ASCII, so this only touches strings).
    if "\x85" in line or "\u2028" in line or "\u2029" in line:
        line = line.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return line


#: A placeholder of a :class:`JsonNumber` while a record is written: a word drawn at
#: random for the process, between NUL characters, which JSON writes as
#: ``"\u0000<word><k>\u0000"`` (a string of the record holds it only by a 1 in 2**64 chance).
_NUMBER_WORD = secrets.token_hex(8)


def _numbers_in(value: Any) -> list[tuple[Any, Any, JsonNumber]]:
    """Each :class:`JsonNumber` inside ``value`` (dicts and lists), as ``(container, key,
    number)``; found without recursion, as deep as JSON nests."""
    found = []
    stack = [value]
    while stack:
        inside = stack.pop()
        items = inside.items() if isinstance(inside, dict) else enumerate(inside) if isinstance(inside, list) else ()
        for key, item in items:
            if isinstance(item, JsonNumber):
                found.append((inside, key, item))
            elif isinstance(item, (dict, list)):
                stack.append(item)
    return found


# --------------------------------------------------------------------------- atomic writes

@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", *,
                 backup: str | None = None, copy_mode_from: str | None = None,
                 encoding: str = "utf-8",
                 keep_on: tuple[type[BaseException], ...] = ()) -> Iterator[IO[Any]]:
    """Write ``path`` atomically: a temporary file in the same directory, flushed and
    fsynced, then renamed over ``path``. If the block raises (or the process is
    interrupted), the temporary file is removed and ``path`` is untouched.

    Args:
        mode: ``"w"`` (text, ``encoding``, ``"\\n"`` line ends) or ``"wb"``.
        backup: when set and ``path`` exists, keep a copy of it at ``path + backup``
            (itself written atomically) before the rename.
        copy_mode_from: a file whose permission bits the new file gets (default: ``path``
            when it exists).
        keep_on: exceptions after which what the block wrote is still put in place
            before the exception goes on (an interrupted run's change log: the block
            must leave the file whole).

    Symbolic links at ``path`` are replaced, not followed, and so are FIFOs and devices;
    use :func:`open_output` to write through them. An error creating the temporary file
    is raised as an :class:`OSError` naming ``path`` (not the temporary file).
    """
    path = os.fspath(path)
    directory = os.path.dirname(path) or "."
    claimed: list[str] = []
    tmp = ""
    try:
        fd = _create_temporary(directory, "." + os.path.basename(path)[:100] + ".", claimed, path)
        tmp = claimed[0]
        stopped: BaseException | None = None
        fh = (os.fdopen(fd, mode, encoding=encoding, newline="\n") if "b" not in mode
              else os.fdopen(fd, mode))
        with _closing(fh):
            try:
                yield fh
            except keep_on as exc:
                stopped = exc
            _finish(fh, path, sync=True)
        source = copy_mode_from or (path if os.path.exists(path) else None)
        with contextlib.suppress(OSError):
            if source is not None:
                shutil.copymode(source, tmp)
                _copy_owner(source, tmp)
            else:  # mkstemp makes 0600 files; give new files the usual permissions
                os.chmod(tmp, 0o666 & ~_UMASK)
        if backup and os.path.lexists(path):
            with atomic_write(path + backup, "wb", copy_mode_from=path) as bfh, open(path, "rb") as src:
                shutil.copyfileobj(src, bfh)
        os.replace(tmp, path)
        claimed.clear()
        _fsync_dir(directory)
        if stopped is not None:
            raise stopped
    finally:
        for name in claimed:
            with contextlib.suppress(OSError):
                os.unlink(name)


def _copy_owner(source: str, target: str) -> None:
    """Give ``target`` the owner and group of ``source`` when they differ and the process
    may (as root, or a group of its own): a file replaced by ``--in-place`` keeps them, as
    ``sed -i`` does. Raises ``OSError`` when it may not."""
    if not hasattr(os, "chown"):
        return
    st, mine = os.stat(source), os.stat(target)
    if (st.st_uid, st.st_gid) != (mine.st_uid, mine.st_gid):
        os.chown(target, st.st_uid, st.st_gid)
        shutil.copymode(source, target)  # chown may clear the set-id bits


_TEMPORARY_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _create_temporary(directory: str, prefix: str, claimed: list[str], target: str) -> int:
    """Create and open a new file ``prefix + RANDOM + ".tmp"`` in ``directory`` (mode
    0600), like :func:`tempfile.mkstemp`, and return its descriptor.

    Its name is added to ``claimed`` *before* the file is created, and taken out again only
    when the creation fails: an exception raised at any moment, also one that a signal
    handler raises just after the creation (Ctrl-C, SIGTERM), leaves the caller knowing
    which file to remove. (With mkstemp, a signal arriving while the file is being created
    is handled before mkstemp returns the name, and the empty file stays behind.)

    Raises:
        OSError: naming ``target``, when no file can be created.
    """
    for _ in range(100):
        name = os.path.join(directory, f"{prefix}{secrets.token_hex(5)}.tmp")
        claimed.append(name)
        try:
            return os.open(name, _TEMPORARY_FLAGS, 0o600)
        except FileExistsError:
            claimed.pop()  # somebody else's file
        except OSError as exc:
            claimed.pop()
            raise OSError(exc.errno, exc.strerror, target) from None
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", target)


def _fsync_dir(directory: str) -> None:
    with contextlib.suppress(OSError):
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def resolve_output(path: str | os.PathLike[str]) -> tuple[str, bool]:
    """Follow the symbolic links of ``path``, the last component included.

    Returns ``(target, direct)``: ``target`` is the path that writing ``path`` would
    create or change (a dangling link leads to the file it names). ``direct`` is true when
    that is no place for a temporary file and a rename: the path leads through
    ``/proc/PID/fd`` (``/dev/stdout``, ``/dev/fd/N``, a shell's ``>(...)``), or the target
    exists and is not a regular file (a FIFO or a device). Then ``target`` is ``path``
    itself, to be opened as it is.

    Raises:
        OSError: ``ELOOP`` for a loop of links.
    """
    path = os.fspath(path)
    current = os.path.abspath(path)
    for _ in range(40):
        parent = os.path.realpath(os.path.dirname(current))
        current = os.path.join(parent, os.path.basename(current))
        if parent == "/proc" or parent.startswith("/proc/"):
            return path, True
        if not os.path.islink(current):
            break
        current = os.path.join(parent, os.readlink(current))
    else:
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), path)
    try:
        mode = os.stat(current).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return current, False
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return current, False
    return path, True


@contextlib.contextmanager
def open_output(path: str | os.PathLike[str], mode: str = "w", *,
                encoding: str = "utf-8", keep_on: tuple[type[BaseException], ...] = ()) -> Iterator[IO[Any]]:
    """Open ``path`` for writing as a shell redirection would, but atomically where the
    target is a regular file (see :func:`resolve_output`):

    * a symbolic link is followed: the link stays, and its target is replaced with
      :func:`atomic_write` (permission bits kept);
    * a FIFO, a device or a ``/proc/PID/fd`` path (``/dev/stdout``, ``/dev/fd/N``) cannot
      be replaced, so it is opened and written directly, in append mode (a regular file
      reached through ``/dev/fd/N`` is added to, not truncated);
    * any other path is written with :func:`atomic_write` (``keep_on`` as there).

    Raises:
        OSError: naming ``path`` (never a temporary file), e.g. ``IsADirectoryError``.
    """
    target, direct = resolve_output(path)
    if not direct:
        if os.path.isdir(target):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        with contextlib.ExitStack() as stack:
            try:
                fh = stack.enter_context(atomic_write(target, mode, encoding=encoding, keep_on=keep_on))
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, os.fspath(path)) from None
            yield fh
        return
    append = mode.replace("w", "a")
    try:
        fh = (open(target, append, encoding=encoding, newline="\n") if "b" not in mode
              else open(target, append))
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, os.fspath(path)) from None
    with _closing(fh):
        yield fh
        _finish(fh, path)


def write_text_atomic(path: str | os.PathLike[str], text: str, *, backup: str | None = None) -> None:
    """Write ``text`` to ``path`` as UTF-8 with :func:`atomic_write`."""
    with atomic_write(path, "w", backup=backup) as fh, naming(path):
        fh.write(text)


def _finish(fh: IO[Any], path: str | os.PathLike[str], sync: bool = False) -> None:
    """Flush ``fh`` (and with ``sync`` fsync it), an output written to ``path``; an error
    (a full disk) is raised naming ``path``."""
    with naming(path):
        fh.flush()
        if sync:
            os.fsync(fh.fileno())


@contextlib.contextmanager
def _closing(fh: IO[Any]) -> Iterator[None]:
    """Close ``fh`` after the block. When the block raised, an error of closing (flushing
    what is left on a full disk) is dropped: the block's error is the one to report, and
    closing would raise it again without the file's name."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            fh.close()
        raise
    fh.close()


@contextlib.contextmanager
def naming(path: str | os.PathLike[str]) -> Iterator[None]:
    """Raise an ``OSError`` without a file name from the block (writing or flushing an
    output: "No space left on device") again, naming ``path``. A reader that went away
    (``BrokenPipeError``) and an error without a message pass as they are."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        if exc.filename is not None or exc.strerror is None:
            raise
        raise OSError(exc.errno, exc.strerror, os.fspath(path)) from None
