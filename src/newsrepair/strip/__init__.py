"""Stage 2: boilerplate stripping of scraped news text.

A scraper's text dump of a news page has the article in the middle of menus, date
widgets, share buttons, related-article lists and footers. This stage keeps the
headline once and the article's paragraphs, and explains every removed line::

    >>> from newsrepair import strip_boilerplate
    >>> page = ("Skip to content\\nHome\\nWorld\\nSport\\n\\nRiver Floods Reach the Old Town\\n\\n"
    ...         "The river rose above its banks on Monday night and flooded the lower streets of the old town.\\n\\n"
    ...         "Residents were moved to the school on the hill, where volunteers handed out blankets and soup.\\n\\n"
    ...         "Share on Facebook\\nRELATED ARTICLES\\nA different story about the weather in another town")
    >>> print(strip_boilerplate(page))
    River Floods Reach the Old Town
    <BLANKLINE>
    The river rose above its banks on Monday night and flooded the lower streets of the old town.
    <BLANKLINE>
    Residents were moved to the school on the hill, where volunteers handed out blankets and soup.

Modules: :mod:`.features` (per-line shape), :mod:`.lexicon` (data files),
:mod:`.classifier` (line classes, article segment, headline), :mod:`.model`
(furniture learned from a corpus).
"""

from __future__ import annotations

import regex

from ..changes import Change
from ..config import Config
from .classifier import classify, has_furniture, select_article, step_over_furniture
from .features import Line, continues, facing_lines, split_lines
from .model import BoilerplateModel

__all__ = ["BoilerplateModel", "strip_boilerplate_and_explain"]

STAGE = "boilerplate"

#: Line breaks other than "\n" (and "\r\n", whose "\r" ends its line): a lone "\r"
#: (old Mac files), U+2028, U+2029, NEL, vertical tab, form feed and the file, group and
#: record separators, every break of ``str.splitlines`` (which
#: :meth:`BoilerplateModel.fit` splits pages with). Used alone, the stage reads them as
#: "\n", one character for one, so offsets do not move.
_BREAK_CHARS = "\r\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e"
_OTHER_BREAKS = regex.compile("\r(?!\n)|[\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e]")


def _would_join(plain: str, above: Line, below: Line) -> bool:
    """Whether the kept lines ``above`` and ``below``, with only removed lines between
    them, would be one hard-wrapped paragraph (:func:`~.features.continues`, at any wrap
    width) if they stood on adjacent lines of ``plain``, the page with "\\n" breaks."""
    last_start, first_end = facing_lines(plain, above, below)
    return continues(plain[last_start:above.end], plain[below.start:first_end], width=1)


def strip_boilerplate_and_explain(text: str, config: Config, model: BoilerplateModel | None = None,
                                  explain: bool = True) -> tuple[str, list[Change]]:
    """Strip page furniture from ``text``; return the article and the removed lines.

    The stage itself, with a config and no argument checks: the public
    :func:`newsrepair.strip_boilerplate_and_explain` checks its arguments and wraps this
    pair in a :class:`~newsrepair.Repaired`.

    Each :class:`~newsrepair.Change` deletes one line (with the line break and blank
    lines that follow it, or, at the end of the page, that precede it) and names the
    rule that removed it; a line right under a kept line and followed by a blank line
    goes with the break before it instead, so that the blank line stays (a date under a
    byline, above the first paragraph). Furniture lines inside a hard-wrapped paragraph are stepped
    over (:func:`~.classifier.step_over_furniture`): the paragraph is read as one line,
    and when it is kept its parts end up on adjacent lines, as a second pass reads them.
    Otherwise the last of the lines removed between two kept lines leaves its line break
    (or, when blank lines follow it, those) when the two would read as one hard-wrapped
    paragraph (:func:`_would_join`): a second pass then reads the lines as the first
    did, and the stage is idempotent. With
    ``explain=False`` the list is left empty (less work).
    """
    # the same offsets, with every line break a "\n"
    other = any(c in text for c in _BREAK_CHARS)  # (a regex search costs 7% of the stage)
    plain = _OTHER_BREAKS.sub("\n", text) if other else text
    lines = split_lines(plain)
    if not lines:
        return text, []
    classify(lines, model)
    if not has_furniture(lines):
        # No furniture evidence (a sentence, a paragraph, a clean article): keep it all.
        return text, []
    # A wrapped paragraph with a share line in it is one paragraph, the line skipped.
    lines = step_over_furniture(plain, lines, model)
    keep = select_article(lines, keep_captions=config.keep_captions)
    if all(keep) and not any(ln.skipped for ln in lines):
        return text, []
    changes: list[Change] = []
    out: list[str] = []  # the kept text between the deletions
    pos = 0
    n = len(lines)
    last_kept = n - 1 - keep[::-1].index(True) if True in keep else -1  # -1: none kept
    prev_kept = -1  # the last kept line so far
    for i, ln in enumerate(lines):
        if keep[i]:
            prev_kept = i
            for f, end in ln.skipped:
                # A furniture line inside a kept paragraph: it goes with its line break,
                # and the parts of the paragraph stand on adjacent lines, as they would
                # have without it.
                if explain:
                    changes.append(Change(f.start, end, text[f.start:end], "", STAGE,
                                          f.reason or "page furniture", f.confidence or 0.7))
                out.append(text[pos:f.start])
                pos = end
            continue
        if i < last_kept:
            start = 0 if i == 0 else ln.start
            end = lines[i + 1].start
            if keep[i + 1] and prev_kept >= 0 and _would_join(plain, lines[prev_kept], lines[i + 1]):
                # a blank line between them: the break after the line, or, when blank
                # lines follow it, those (no more blank lines than the page had there)
                end = ln.end if plain.count("\n", ln.end, end) <= 1 else plain.index("\n", ln.end) + 1
            elif (keep[i + 1] and prev_kept == i - 1 and plain[lines[i - 1].end:start] == "\n"
                  and plain.count("\n", ln.end, end) > 1):
                # a line right under a kept one ("Published ..." under a byline), then a
                # blank line: it goes with the break before it, so that the blank line
                # still parts the kept line from the paragraph below
                start, end = lines[i - 1].end, ln.end
        else:
            # After the last kept line: eat the break before the line instead.
            start = lines[i - 1].end if i > 0 else 0
            end = ln.end if i < n - 1 or last_kept >= 0 else len(text)
        if explain:
            changes.append(Change(start, end, text[start:end], "", STAGE, ln.reason or "page furniture",
                                  ln.confidence or 0.7))
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return "".join(out), changes
