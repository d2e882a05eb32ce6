"""Stage 1, encoding repair: mojibake, HTML entities, control characters, odd whitespace.

Built on ftfy. What this stage changes, and nothing else:

* mojibake (``Myanmarâ€™s`` -> ``Myanmar’s``), C1 controls, Latin ligatures, fullwidth
  Latin letters and the other fixes of :func:`ftfy.fix_text`, with Unicode NFC;
* HTML entities (``&amp;`` -> ``&``), unless the text looks like real markup
  (``Config.unescape_html``);
* control characters (other than tab and newline), zero-width spaces, word joiners,
  byte-order marks and soft hyphens are removed;
* with ``Config.normalize_whitespace`` (the default): NBSP and other Unicode spaces
  become a plain space, ``\\r\\n`` and ``\\r`` become ``\\n``, spaces and tabs at the end
  of a line are dropped, leading blank lines are dropped, runs of blank lines become
  at most ``Config.max_blank_lines``, and the text ends with at most one newline;
* curly quotes are straightened only with ``Config.straighten_quotes``.

Clean text passes through unchanged, except for the whitespace rules above.
"""

from __future__ import annotations

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
_BLANK_RUN = regex.compile(r"\n{2,}")
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
_FTFY_NEEDED = regex.compile(f"[^\\t\\n\\x20-\\x7e{_SAFE_PUNCT}{_SAFE_SYMBOLS}]|{_ENTITY}")
_HAS_PUNCT = regex.compile(f"[{_SAFE_PUNCT}]")
_HAS_SYMBOL = regex.compile(f"[{_SAFE_SYMBOLS}]")
_STRAIGHTEN_NEEDED = regex.compile(f"[^\\t\\n\\x20-\\x7e]|{_ENTITY}")


def _needs_ftfy(line: str, config: Config) -> bool:
    """Whether ftfy could change ``line`` (see the comment above)."""
    if config.straighten_quotes:
        return _STRAIGHTEN_NEEDED.search(line) is not None
    if _FTFY_NEEDED.search(line):
        return True
    return bool(_HAS_PUNCT.search(line)) and bool(_HAS_SYMBOL.search(line))


# Diff units for the change log: runs of whitespace and runs of anything else.
_TOKENS = regex.compile(r"\s+|\S+")


@lru_cache(maxsize=8)
def _ftfy_config(config: Config) -> ftfy.TextFixerConfig:
    return ftfy.TextFixerConfig(
        unescape_html=config.unescape_html,
        uncurl_quotes=config.straighten_quotes,
        fix_line_breaks=config.normalize_whitespace,
        explain=False,
    )


def _normalize_whitespace(text: str, max_blank_lines: int) -> str:
    # Each rule is guarded by a cheap substring test: most clean text needs none of them.
    if not text.isascii():
        text = _ODD_SPACE.sub(" ", text)
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
        text = _TRAILING_SPACE.sub("", text)
    if text.startswith("\n"):
        text = text.lstrip("\n")
    limit = "\n" * (max_blank_lines + 1)
    if limit + "\n" in text:
        text = _BLANK_RUN.sub(lambda m: m.group() if len(m.group()) <= len(limit) else limit, text)
    if text.endswith("\n\n"):
        text = text.rstrip("\n") + "\n"
    return text


def _fix_line(line: str, cfg: ftfy.TextFixerConfig) -> str:
    """ftfy, then drop invisible characters; repeat (at most three times) while dropping
    them uncovers more to fix, e.g. mojibake split by a soft hyphen. The fixed point keeps
    the stage idempotent."""
    for _ in range(3):
        fixed = _INVISIBLE.sub("", ftfy.fix_text(line, cfg))
        if fixed == line:
            break
        line = fixed
    return line


def _ftfy_lines(text: str, config: Config) -> str:
    """Run ftfy on the lines that may need it (ftfy works line by line too)."""
    cfg = _ftfy_config(config)
    if cfg.unescape_html == "auto":
        # ftfy's own rule, decided on the whole text: real markup keeps its entities.
        cfg = cfg._replace(unescape_html="<" not in text)
    if config.normalize_whitespace:
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _needs_ftfy(line, config):
            lines[i] = _fix_line(line, cfg)
    return "\n".join(lines)


def fix_encoding_text(text: str, config: Config) -> str:
    """Repair ``text`` (see the module docstring for exactly what changes)."""
    if _needs_ftfy(text, config):
        text = _ftfy_lines(text, config)
    if config.normalize_whitespace:
        text = _normalize_whitespace(text, config.max_blank_lines)
    return text


def _is_control(c: str) -> bool:
    return (ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) < 0xA0


def _reason(before: str, after: str) -> tuple[str, float]:
    """A human-readable reason for one diff hunk, with a confidence."""
    if before.strip() == "" and after.strip() == "":
        if "\r" in before:
            return "line break normalised", 1.0
        if "\n" in before and before.count("\n") > after.count("\n"):
            return "blank lines collapsed", 1.0
        if _ODD_SPACE.search(before):
            return "unusual space replaced", 1.0
        return "trailing whitespace removed", 1.0
    if _INVISIBLE.search(before) and _INVISIBLE.sub("", before) == after:
        return "invisible character removed", 1.0
    if "&" in before and ";" in before:
        return "HTML entity decoded", 0.95
    if "".join(c for c in before if not _is_control(c)) == after:
        return "control character removed", 1.0
    if set(before) <= set("‘’“”'\"") and set(after) <= set("'\""):
        return "curly quote straightened", 1.0
    return _ftfy_reason(before), 0.9


def _ftfy_reason(before: str) -> str:
    """Ask ftfy what it does to this piece of text, e.g.
    ``"mojibake: encode sloppy-windows-1252, decode utf-8"``."""
    steps = ftfy.fix_and_explain(before, ftfy.TextFixerConfig(uncurl_quotes=False)).explanation or []
    if any(step == "decode" for step, _ in steps):
        return "mojibake: " + ", ".join(f"{step} {how}" for step, how in steps)
    if steps:
        return "ftfy: " + ", ".join(how for _step, how in steps)
    return "character normalisation (ftfy)"


def _diff_changes(src: str, dst: str) -> list[Change]:
    """Character-exact changes turning ``src`` into ``dst``, computed line by line."""
    changes: list[Change] = []
    if src == dst:
        return changes
    a = src.splitlines(keepends=True)
    b = dst.splitlines(keepends=True)
    a_off = [0]
    for line in a:
        a_off.append(a_off[-1] + len(line))
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        base = a_off[i1]
        # Refine a replaced block to whole words and whitespace runs when small enough.
        ta, tb = _TOKENS.findall(before), _TOKENS.findall(after)
        if before and after and len(ta) * len(tb) <= 1_000_000:
            ta_off = [0]
            for tok in ta:
                ta_off.append(ta_off[-1] + len(tok))
            for cop, c1, c2, d1, d2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
                if cop == "equal":
                    continue
                # Same number of units on both sides: one change per unit, so that each
                # gets its own reason; otherwise one change for the whole run.
                pairs = ([(k, k + 1, d1 + k - c1, d1 + k - c1 + 1) for k in range(c1, c2)]
                         if c2 - c1 == d2 - d1 else [(c1, c2, d1, d2)])
                for p1, p2, q1, q2 in pairs:
                    old, new = "".join(ta[p1:p2]), "".join(tb[q1:q2])
                    if old != new:
                        reason, conf = _reason(old, new)
                        changes.append(Change(base + ta_off[p1], base + ta_off[p2], old, new, "encoding", reason, conf))
        else:
            reason, conf = _reason(before, after)
            changes.append(Change(base, base + len(before), before, after, "encoding", reason, conf))
    return _merge_adjacent(changes)


def _merge_adjacent(changes: list[Change]) -> list[Change]:
    """Join changes that touch each other and have the same reason."""
    merged: list[Change] = []
    for ch in changes:
        last = merged[-1] if merged else None
        if last is not None and last.end == ch.start and last.reason == ch.reason:
            merged[-1] = Change(last.start, ch.end, last.before + ch.before, last.after + ch.after,
                                "encoding", last.reason, min(last.confidence, ch.confidence))
        else:
            merged.append(ch)
    return merged


def fix_encoding_and_explain(text: str, config: Config) -> tuple[str, list[Change]]:
    """Repair ``text`` and list the changes, with offsets into ``text``."""
    fixed = fix_encoding_text(text, config)
    return fixed, _diff_changes(text, fixed)
