"""Stage 1, encoding repair: mojibake, HTML entities, control characters, odd whitespace.

Built on ftfy. What this stage changes, and nothing else:

* mojibake (``Myanmarâ€™s`` -> ``Myanmar’s``), C1 controls, Latin ligatures, fullwidth
  Latin letters and digits (not the fullwidth punctuation of Chinese and Japanese text,
  "，"), and the other fixes of :func:`ftfy.fix_text`, with Unicode NFC;
* HTML entities (``&amp;`` -> ``&``), except on lines that hold markup (a ``<``;
  ``Config.unescape_html``);
* control characters (other than tab, newline, vertical tab and form feed), zero-width
  spaces, word joiners, byte-order marks and soft hyphens are removed;
* with ``Config.normalize_whitespace`` (the default): NBSP and other Unicode spaces
  become a plain space, ``\\r\\n``, ``\\r``, U+2028, U+2029, vertical tab and form feed become
  ``\\n``, spaces and tabs at the end
  of a line are dropped, leading blank lines are dropped, runs of blank lines become
  at most ``Config.max_blank_lines``, and the text ends with at most one newline;
* curly quotes are straightened only with ``Config.straighten_quotes``.

Clean text passes through unchanged, except for the whitespace rules above.

The stage is idempotent: each line is repaired until nothing changes (removing an
invisible character or normalising a space can expose mojibake that ftfy could not see
before). It works line by line and only on lines that may need it, and the change log is
built from the changed lines, so time is linear in the text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from difflib import SequenceMatcher
from functools import lru_cache

import ftfy
import regex

from .changes import Change
from .config import Config

__all__ = ["fix_encoding_text", "fix_encoding_and_explain"]

# Invisible characters that carry no text: zero-width space, word joiner, BOM, soft hyphen.
_INVISIBLE = regex.compile("[\u200b\u2060\ufeff\u00ad]")
# Unicode spaces other than the ASCII space (NBSP, en/em spaces, thin, narrow NBSP, ideographic ...).
_ODD_SPACE = regex.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_TRAILING_SPACE = regex.compile(r"[ \t]+(?=\n|\Z)")
_NON_SPACE = regex.compile(r"\S")
_CONTROL = regex.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Line breaks other than "\n" and "\r" (which ftfy's line-break fix knows too, but not
# the vertical tab and form feed: ftfy deletes the one and keeps the other).
_OTHER_BREAK = regex.compile("[\u2028\u2029\x85\x0b\x0c]")
# Line breaks inside a line of the text (which is split at "\n"): a lone "\r" ("\r\n"
# ends a line of its own), U+2028, U+2029, vertical tab, form feed.
_IN_LINE_BREAK = regex.compile("\r(?!\n|\\Z)|[\u2028\u2029\x0b\x0c]")
_IN_LINE_BREAK_SPLIT = regex.compile(f"({_IN_LINE_BREAK.pattern})")  # (split keeps them)
# Lines that cannot hold anything ftfy would change skip ftfy, which is much slower.
# Mojibake always pairs a "lead byte" character with a "continuation byte" character of
# some legacy encoding (windows-1252, latin-1, MacRoman, cp437, ...). A line is safe when
# it has no HTML entity, no control character, and its non-ASCII characters all come
# from ONE of these sets, none of which holds both kinds in those encodings:
#   typographic punctuation  ‘ ’ “ ” – — …
#   Latin-1 symbols          £ ° © ® ¼ ½ ¾
_SAFE_PUNCT = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026"
_SAFE_SYMBOLS = "\u00a3\u00b0\u00a9\u00ae\u00bc\u00bd\u00be"
_ENTITY = "&[#A-Za-z]"
_FTFY_NEEDED = re.compile(f"[^\\t\\n\\x20-\\x7e{_SAFE_PUNCT}{_SAFE_SYMBOLS}]|{_ENTITY}")
_HAS_PUNCT = re.compile(f"[{_SAFE_PUNCT}]")
_HAS_SYMBOL = re.compile(f"[{_SAFE_SYMBOLS}]")
_STRAIGHTEN_NEEDED = re.compile(f"[^\\t\\n\\x20-\\x7e]|{_ENTITY}")
# Unicode spaces cannot be part of mojibake next to ASCII only: NBSP is a continuation
# byte in windows-1252 and latin-1 and a lead byte in MacRoman (which then needs a
# continuation byte, never ASCII); the others are in no legacy 8-bit encoding. ftfy leaves
# such a line alone, and whitespace normalisation only has to make the spaces plain.
_SPACES_ONLY = re.compile(f"[^\\t\\x20-\\x7e{_ODD_SPACE.pattern[1:-1]}]|{_ENTITY}")
# (The scanning patterns use the standard re module: simple classes scan faster there.)
# Where a line may need work: anything ftfy could touch (a superset, checked line by line
# with _needs_ftfy) and, with whitespace normalisation, a space or tab ending a line.
_CANDIDATE = _STRAIGHTEN_NEEDED  # (the same set: anything outside printable ASCII, or an entity)
_CANDIDATE_WS = re.compile(f"[^\\t\\n\\x20-\\x7e]|{_ENTITY}|[ \\t](?=\\n|\\Z)")

# ftfy runs on a line until it stops changing (bounded): removing invisible characters
# or normalising spaces can expose mojibake that ftfy could not see before, and HTML
# entities can be escaped several times over. The fixed point keeps the stage idempotent.
_MAX_PASSES = 8
# ftfy can turn one line into several (CR, U+2028, "&#10;"); each new line is then
# fixed on its own, as a second run of the stage would. (A NEL, U+0085, on a line that
# ftfy fixes becomes "…" there, ftfy's C1 repair, before any line break is read.)
_MAX_SPLIT_DEPTH = 3


def _needs_ftfy(line: str, config: Config) -> bool:
    """Whether ftfy could change ``line`` (see the comment above)."""
    if config.straighten_quotes:
        return _STRAIGHTEN_NEEDED.search(line) is not None
    if _FTFY_NEEDED.search(line):
        return True
    return bool(_HAS_PUNCT.search(line)) and bool(_HAS_SYMBOL.search(line))


@lru_cache(maxsize=8)
def _ftfy_config(config: Config) -> ftfy.TextFixerConfig:
    return ftfy.TextFixerConfig(
        unescape_html=config.unescape_html,
        uncurl_quotes=config.straighten_quotes,
        fix_line_breaks=config.normalize_whitespace,
        fix_character_width=False,  # _narrow does it, leaving CJK punctuation alone
        explain=False,
    )


# A run of fullwidth ASCII forms (U+FF01-FF5E, with the ideographic space) holding a
# letter or digit ("ＬＯＵＤ　ＮＯＩＳＥＳ！", "１２３"), or of halfwidth katakana and Hangul.
# Fullwidth punctuation elsewhere is kept: Chinese and Japanese text write "，" and "（".
_WIDTH_RUN = regex.compile(
    "[\uff01-\uff5e\u3000]*[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a][\uff01-\uff5e\u3000]*"
    "|[\uff61-\uffdc]+")


def _narrow(text: str) -> str:
    """ftfy's character-width fix (fullwidth Latin letters and digits to ASCII,
    halfwidth katakana to the usual forms), applied only to :data:`_WIDTH_RUN` runs."""
    if text.isascii():
        return text
    narrow = _WIDTH_RUN.sub(lambda m: _narrow_run(m.group()), text)
    # a narrowed letter may compose with the mark after it ("Ａ" + U+0300 -> "À"), as
    # ftfy's NFC after its own width fix would do
    return narrow if narrow == text else unicodedata.normalize("NFC", narrow)


#: Fullwidth brackets, opening -> closing.
_BRACKET_PAIRS = {"\uff08": "\uff09", "\uff3b": "\uff3d", "\uff5b": "\uff5d", "\uff1c": "\uff1e"}
_CLOSING_BRACKETS = frozenset(_BRACKET_PAIRS.values())


def _narrow_run(run: str) -> str:
    """One :data:`_WIDTH_RUN` narrowed, except a bracket whose partner is not in the run:
    "Ｔｏｋｙｏ（東京）" keeps both of its brackets fullwidth ("Tokyo（東京）"), rather than
    one of each width."""
    stack: list[int] = []
    kept: list[int] = []
    for i, ch in enumerate(run):
        if ch in _BRACKET_PAIRS:
            stack.append(i)
        elif ch in _CLOSING_BRACKETS:
            if stack and _BRACKET_PAIRS[run[stack[-1]]] == ch:
                stack.pop()
            else:
                kept.append(i)
    kept = sorted(kept + stack)
    if not kept:
        return ftfy.fixes.fix_character_width(run)
    out, start = [], 0
    for i in kept:
        out += [ftfy.fixes.fix_character_width(run[start:i]), run[i]]
        start = i + 1
    out.append(ftfy.fixes.fix_character_width(run[start:]))
    return "".join(out)


def _ftfy(line: str, cfg: ftfy.TextFixerConfig) -> str:
    if len(line) <= cfg.max_decode_length:
        return ftfy.fix_and_explain(line, cfg)[0]  # what fix_text does for one segment
    return ftfy.fix_text(line, cfg)


def _fix_line(line: str, cfg: ftfy.TextFixerConfig, config: Config, depth: int = 0) -> str:
    """One line (no ``\\n``) repaired: ftfy, invisible characters removed and, with
    ``normalize_whitespace``, odd spaces made plain and trailing spaces dropped, repeated
    until nothing changes (at most ``_MAX_PASSES`` times). The result may hold ``\\n``
    when ftfy turned a line separator into a line break."""
    ws = config.normalize_whitespace
    if not _needs_ftfy(line, config):
        return line.rstrip(" \t") if ws else line
    if _IN_LINE_BREAK.search(line) and depth < _MAX_SPLIT_DEPTH:
        # A vertical tab (a word processor's line break), a form feed (a page break), a
        # lone "\r", U+2028 or U+2029 ends a line: each piece is repaired on its own, as
        # the lines of a text are (ftfy given the whole would guess one encoding for all
        # of them, and leave a piece half decoded). With whitespace normalisation the
        # break becomes "\n"; without it, it stays (ftfy alone would delete a vertical tab
        # and keep a form feed, gluing words).
        if ws:
            line = _IN_LINE_BREAK.sub("\n", line)
            return "\n".join(_fix_line(piece, cfg, config, depth + 1) for piece in line.split("\n"))
        return "".join(_fix_line(piece, cfg, config, depth + 1) if k % 2 == 0 else piece
                       for k, piece in enumerate(_IN_LINE_BREAK_SPLIT.split(line)))
    if ws and _SPACES_ONLY.search(line) is None:
        return _ODD_SPACE.sub(" ", line).rstrip(" \t")
    for _ in range(_MAX_PASSES):
        raw = _ftfy(line, cfg)
        fixed = _INVISIBLE.sub("", _narrow(raw))
        if ws and not fixed.isascii():
            fixed = _ODD_SPACE.sub(" ", fixed)
        if depth < _MAX_SPLIT_DEPTH and _IN_LINE_BREAK.search(fixed):
            return _fix_line(fixed, cfg, config, depth + 1)  # ftfy made one ("&#12;")
        if "\n" in fixed:
            if depth < _MAX_SPLIT_DEPTH:
                return "\n".join(_fix_line(piece, cfg, config, depth + 1) for piece in fixed.split("\n"))
            return _TRAILING_SPACE.sub("", fixed) if ws else fixed
        if ws:
            fixed = fixed.rstrip(" \t")
        # ftfy.fix_and_explain repeats its fixes until the text stops changing, so when
        # our own clean-up (narrowing included: "ｔÃ (" hides mojibake that "tÃ (" shows)
        # left ftfy's output alone, another pass would change nothing.
        if fixed == raw or fixed == line:
            return fixed
        line = fixed
        if not _needs_ftfy(line, config):
            break
    return line


def _line_fixes(text: str, config: Config) -> list[tuple[int, int, str]]:
    """The lines of ``text`` that change, as ``(start, end, new)``: ``text[start:end]`` is
    the line without its ``\\n`` (which never changes here). Linear: only lines holding a
    candidate character are looked at."""
    ws = config.normalize_whitespace
    trailing = ws and (" \n" in text or "\t\n" in text or text.endswith((" ", "\t")))
    if not trailing and not _needs_ftfy(text, config):
        return []
    # With unescape_html="auto", ftfy's own rule applies to each line it is given: a line
    # with markup ("<") keeps its entities. Deciding per line, not per text, keeps one
    # stray "<" from blocking entities everywhere, and keeps the result the same when
    # another stage later removes the line that held the "<" (idempotence of repair()).
    cfg = _ftfy_config(config)
    search = (_CANDIDATE_WS if trailing else _CANDIDATE).search
    n = len(text)
    fixes: list[tuple[int, int, str]] = []
    pos = 0
    while True:
        m = search(text, pos)
        if m is None:
            break
        hit = m.start()
        start = text.rfind("\n", pos, hit) + 1 or pos
        end = text.find("\n", hit)
        if end < 0:
            end = n
        line = text[start:end]
        if ws and end < n and line.endswith("\r"):
            new = _fix_line(line[:-1], cfg, config)  # "\r\n" -> "\n"
        else:
            new = _fix_line(line, cfg, config)
        if new != line:
            fixes.append((start, end, new))
        pos = end + 1
        if pos > n:
            break
    return fixes


def _apply_fixes(text: str, fixes: list[tuple[int, int, str]]) -> str:
    """``text`` with each sorted, disjoint span ``(start, end, new)`` replaced by ``new``."""
    if not fixes:
        return text
    parts: list[str] = []
    pos = 0
    for start, end, new in fixes:
        parts.append(text[pos:start])
        parts.append(new)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _newline_cuts(text: str, max_blank_lines: int) -> list[tuple[int, int]]:
    """Spans of ``\\n`` to delete: leading blank lines, blank lines beyond
    ``max_blank_lines``, and all but one final newline. Sorted, disjoint."""
    n = len(text)
    cuts: list[tuple[int, int]] = []
    first = 0
    if text.startswith("\n"):
        first = n - len(text.lstrip("\n"))
        cuts.append((0, first))
        if first == n:
            return cuts
    keep = max_blank_lines + 1
    if keep < n and "\n" * (keep + 1) in text:  # (a longer run than the text cannot be in it)
        for m in regex.finditer(f"\\n{{{keep + 1},}}", text, pos=first):
            a, b = m.span()
            if b < n:
                cuts.append((a + keep, b))
    if text.endswith("\n\n"):
        cuts.append((len(text.rstrip("\n")) + 1, n))
    return cuts


def _cut(text: str, cuts: list[tuple[int, int]]) -> str:
    """``text`` without the sorted, disjoint spans ``cuts``."""
    return _apply_fixes(text, [(a, b, "") for a, b in cuts])


def fix_encoding_text(text: str, config: Config) -> str:
    """Repair ``text`` (see the module docstring for exactly what changes)."""
    text = _apply_fixes(text, _line_fixes(text, config))
    if config.normalize_whitespace:
        text = _cut(text, _newline_cuts(text, config.max_blank_lines))
    return text


# --------------------------------------------------------------------------- change log

def _reason(before: str, after: str) -> tuple[str, float]:
    """A human-readable reason for one change, with a confidence."""
    if _is_space(before) and _is_space(after):
        if "\r" in before or (_OTHER_BREAK.search(before) and "\n" in after):
            return "line break normalised", 1.0
        if "\n" in before and before.count("\n") > after.count("\n"):
            return "blank lines collapsed", 1.0
        if _CONTROL.search(before) and _CONTROL.sub("", before) == after:
            return "control character removed", 1.0  # a vertical tab or form feed
        if after and _ODD_SPACE.search(before):
            return "unusual space replaced", 1.0
        return "trailing whitespace removed", 1.0
    if _INVISIBLE.search(before) and _INVISIBLE.sub("", before) == after:
        return "invisible character removed", 1.0
    if "&" in before and ";" in before:
        return "HTML entity decoded", 0.95
    if _CONTROL.search(before) and _CONTROL.sub("", before) == after:
        return "control character removed", 1.0
    if set(before) <= set("‘’“”'\"") and set(after) <= set("'\""):
        return "curly quote straightened", 1.0
    return _ftfy_reason(before), 0.9


# Spans longer than this are not sent to ftfy again just to name the fix.
_EXPLAIN_MAX = 2000


@lru_cache(maxsize=4096)
def _ftfy_reason(before: str) -> str:
    """Ask ftfy what it does to this piece of text, e.g.
    ``"mojibake: encode sloppy-windows-1252, decode utf-8"``."""
    if len(before) > _EXPLAIN_MAX:
        return "character normalisation (ftfy)"
    fixed, steps = ftfy.fix_and_explain(before, ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False))
    steps = list(steps or [])
    if _narrow(fixed) != fixed:
        steps.append(("apply", "fix_character_width"))
    if any(step == "decode" for step, _ in steps):
        return "mojibake: " + ", ".join(f"{step} {how}" for step, how in steps)
    if steps:
        return "ftfy: " + ", ".join(how for _step, how in steps)
    return "character normalisation (ftfy)"


# Diff units inside a changed line: runs of whitespace and runs of anything else.
_TOKENS = regex.compile(r"\s+|\S+")
# A changed stretch is widened to whole words, looking at most this far.
_WIDEN = 64
# Token diffs (difflib) only when both sides are this small (difflib is not linear).
_DIFF_MAX_TOKENS = 200
_BLOCK = 4096


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, comparing big blocks at C speed first."""
    n = min(len(a), len(b))
    i = 0
    while i + _BLOCK <= n and a[i:i + _BLOCK] == b[i:i + _BLOCK]:
        i += _BLOCK
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common suffix, at most ``limit``."""
    la, lb = len(a), len(b)
    k = 0
    while k + _BLOCK <= limit and a[la - k - _BLOCK:la - k] == b[lb - k - _BLOCK:lb - k]:
        k += _BLOCK
    while k < limit and a[la - k - 1] == b[lb - k - 1]:
        k += 1
    return k


def _span_changes(base: int, before: str, after: str, out: list[Change]) -> None:
    """Append the changes turning ``before`` (at offset ``base``) into ``after``, one per
    changed word or whitespace run where this is cheap to find. Linear in the input."""
    if before == after:
        return
    trail = len(before) - len(before.rstrip(" \t"))
    if trail and not after.endswith((" ", "\t")) and before[:-trail] != after:
        # spaces dropped at the end of a line that also changes inside: two changes, so
        # that the inside keeps its token count (and its own reason) and the cheap path
        _span_changes(base, before[:-trail], after, out)
        out.append(Change(base + len(before) - trail, base + len(before), before[-trail:], "", "encoding",
                          "trailing whitespace removed", 1.0))
        return
    p = _common_prefix(before, after)
    s = _common_suffix(before, after, min(len(before), len(after)) - p)
    old, new = before[p:len(before) - s], after[p:len(after) - s]
    if _is_space(old) and _is_space(new):
        # Trailing spaces, odd spaces, line breaks: exact as they are.
        reason, conf = _reason(old, new)
        out.append(Change(base + p, base + p + len(old), old, new, "encoding", reason, conf))
        return
    # Widen to whole words (the common parts are identical on both sides).
    lo = max(0, p - _WIDEN)
    while p > lo and not before[p - 1].isspace():
        p -= 1
    hi = min(s, _WIDEN)
    k = 0
    while k < hi and not before[len(before) - s + k].isspace():
        k += 1
    s -= k
    old, new = before[p:len(before) - s], after[p:len(after) - s]
    base += p
    ta, tb = _TOKENS.findall(old), _TOKENS.findall(new)
    if old and new and len(ta) == len(tb):
        # Same number of units (mojibake, entities and odd spaces usually keep it):
        # one change per differing unit, so that each gets its own reason.
        pos = 0
        for x, y in zip(ta, tb):
            if x != y:
                reason, conf = _reason(x, y)
                out.append(Change(base + pos, base + pos + len(x), x, y, "encoding", reason, conf))
            pos += len(x)
        return
    if old and new and len(ta) <= _DIFF_MAX_TOKENS and len(tb) <= _DIFF_MAX_TOKENS:
        offs = [0]
        for tok in ta:
            offs.append(offs[-1] + len(tok))
        for op, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            pairs = ([(k, k + 1, j1 + k - i1, j1 + k - i1 + 1) for k in range(i1, i2)]
                     if i2 - i1 == j2 - j1 else [(i1, i2, j1, j2)])
            for p1, p2, q1, q2 in pairs:
                x, y = "".join(ta[p1:p2]), "".join(tb[q1:q2])
                if x != y:
                    reason, conf = _reason(x, y)
                    out.append(Change(base + offs[p1], base + offs[p2], x, y, "encoding", reason, conf))
        return
    reason, conf = _reason(old, new)
    out.append(Change(base, base + len(old), old, new, "encoding", reason, conf))


def _is_space(s: str) -> bool:
    """Empty or Unicode white space only (not the C0 separators str.isspace() accepts)."""
    return _NON_SPACE.search(s) is None


def _merge_adjacent(changes: list[Change]) -> list[Change]:
    """Join changes that touch each other and have the same reason, or are both
    whitespace only (e.g. a blank line's spaces and the line break after it).

    A run of joined changes is built once, at its end, so a text that is one long run
    (whitespace only) still takes linear time."""
    merged: list[Change] = []
    run: list[Change] = []
    reason: str | None = None   # the run's common reason; None once reasons were mixed
    all_space = False

    def flush() -> None:
        if len(run) == 1:
            merged.append(run[0])
        elif run:
            before = "".join(c.before for c in run)
            after = "".join(c.after for c in run)
            if reason is not None:
                why, conf = reason, min(c.confidence for c in run)
            else:
                why, conf = _reason(before, after)
            merged.append(Change(run[0].start, run[-1].end, before, after, "encoding", why, conf))

    for ch in changes:
        space = _is_space(ch.before) and _is_space(ch.after)
        if run and run[-1].end == ch.start and (ch.reason == reason or (all_space and space)):
            if ch.reason != reason:
                reason = None
            all_space = all_space and space
            run.append(ch)
            continue
        flush()
        run, reason, all_space = [ch], ch.reason, space
    flush()
    return merged


def _explain(text: str, fixes: list[tuple[int, int, str]], fixed: str,
             cuts: list[tuple[int, int]]) -> list[Change]:
    """The change log, with offsets into ``text``: ``fixes`` are the changed lines of
    ``text`` (giving ``fixed``), ``cuts`` the newline spans then deleted from ``fixed``."""
    # Where each changed line's new text sits in ``fixed``, and the offset shift after it.
    t_start: list[int] = []
    shift_after: list[int] = []
    shift = 0
    for start, end, new in fixes:
        t_start.append(start - shift)
        shift += (end - start) - len(new)
        shift_after.append(shift)
    inner: list[list[tuple[int, int]]] = [[] for _ in fixes]  # cuts inside a line's new text
    changes: list[Change] = []
    nf = len(fixes)
    for a, b in cuts:
        j = bisect_right(t_start, a) - 1
        p = a
        while p < b:
            if j >= 0 and p < t_start[j] + len(fixes[j][2]):
                e = min(b, t_start[j] + len(fixes[j][2]))
                inner[j].append((p - t_start[j], e - t_start[j]))
                p = e
                continue
            nxt = t_start[j + 1] if j + 1 < nf else len(fixed)
            if p >= nxt:
                j += 1
                continue
            e = min(b, nxt)
            o = p + (shift_after[j] if j >= 0 else 0)
            changes.append(Change(o, o + e - p, fixed[p:e], "", "encoding", "blank lines collapsed", 1.0))
            p = e
    for (start, end, new), spans in zip(fixes, inner):
        _span_changes(start, text[start:end], _cut(new, spans), changes)
    changes.sort(key=lambda c: c.start)
    return _merge_adjacent(changes)


def fix_encoding_and_explain(text: str, config: Config) -> tuple[str, list[Change]]:
    """Repair ``text`` and list the changes, with offsets into ``text``.

    The stage itself, with a config and no argument checks: the public
    :func:`newsrepair.fix_encoding_and_explain` checks its arguments and wraps this pair
    in a :class:`~newsrepair.Repaired`.

    The log is built from the changed lines only, in time linear in the text."""
    fixes = _line_fixes(text, config)
    fixed = _apply_fixes(text, fixes)
    cuts = _newline_cuts(fixed, config.max_blank_lines) if config.normalize_whitespace else []
    out = _cut(fixed, cuts)
    if not fixes and not cuts:
        return out, []
    return out, _explain(text, fixes, fixed, cuts)
