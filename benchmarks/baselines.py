"""Simple alternatives that newsrepair is compared with in the same table.

    >>> identity("a  b")
    'a  b'
    >>> keep_long_lines("Home | News\\nThe council met on Monday to vote on it.\\n", 5)
    'The council met on Monday to vote on it.'
"""

from __future__ import annotations

import html
import re
from typing import Callable

__all__ = ["identity", "ftfy_fix_text", "keep_long_lines", "justext_available", "justext_article",
           "boilerplate_baselines"]

_WORD = re.compile(r"\w+")


def identity(text: str) -> str:
    """Doing nothing."""
    return text


def ftfy_fix_text(text: str) -> str:
    """ftfy alone, with its default options."""
    import ftfy

    return ftfy.fix_text(text)


def keep_long_lines(text: str, min_words: int = 10) -> str:
    """Keep the lines that have at least ``min_words`` words (a classic boilerplate heuristic)."""
    return "\n".join(line for line in text.splitlines() if len(_WORD.findall(line)) >= min_words)


def justext_available() -> bool:
    """Whether jusText (the ``bench`` extra) can be imported."""
    try:
        import justext  # noqa: F401
    except Exception:  # noqa: BLE001 - any import failure means "not available"
        return False
    return True


def justext_article(text: str, language: str = "English") -> str:
    """jusText on the same text: each line wrapped as an HTML ``<p>``; the good paragraphs kept."""
    import justext

    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    if not body:
        return ""
    page = f"<html><body>{body}</body></html>".encode("utf-8")
    paragraphs = justext.justext(page, justext.get_stoplist(language), encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def boilerplate_baselines(min_words: tuple[int, ...] = (5, 10)) -> dict[str, Callable[[str], str]]:
    """The boilerplate baselines by name, in table order (jusText only when installed)."""
    out: dict[str, Callable[[str], str]] = {"nothing (full text)": identity, "ftfy alone": ftfy_fix_text}
    for n in min_words:
        out[f"lines with >= {n} words"] = (lambda t, n=n: keep_long_lines(t, n))
    if justext_available():
        out["jusText (lines as <p>)"] = justext_article
    return out
