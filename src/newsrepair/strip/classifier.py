"""Deciding which lines of a page are the article.

The method, in passes over the lines (all linear):

1. **Classify each line** on its own, jusText-style, as ``good`` (prose: long, with
   function words or sentence punctuation), ``near`` (medium), ``short`` or ``bad``
   (menus, links, handles); the physical lines of a hard-wrapped paragraph are one line
   (:func:`~newsrepair.strip.features.continues`). Mark known furniture from the rules in
   ``lexicons/strip_furniture.txt`` and, when given, a learned
   :class:`~newsrepair.strip.model.BoilerplateModel`. A loose rule matching a
   sentence-shaped line is ``weak``. Bad lines and furniture are marked first
   (:func:`classify`); the good / near / short classes only once the page turns out to
   have furniture.
2. **Evidence** (:func:`has_furniture`): a text with no strict furniture, menu, link or
   repeated headline is not a page, and is left as it is.
3. **Find the article**: give each line a score (good lines add their length, table
   rows a little, the rest subtract a little, "RELATED ARTICLES"-style headings subtract
   a lot) and take the contiguous run of lines with the largest total (maximum-sum
   segment). Blocks copied elsewhere on the page count nothing (unless the article holds
   another copy of them), and the article is followed across short inline "Related"
   boxes. Short lines between good ones (subheadings, one-line paragraphs) are inside it
   and so are kept by context, not by length.
4. **Keep the headline**: the line that a breadcrumb glued to it repeats, or else the
   nearest title-shaped line just above the article (and a byline between them), is kept
   once; copies of it elsewhere go.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING

import regex

from .features import SEPARATORS, Line, adjacent, continues_across, joined
from .lexicon import KIND_ORDER, Rule, RuleSet, ordered_rules

if TYPE_CHECKING:
    from .model import BoilerplateModel

__all__ = ["classify", "select_article", "has_furniture", "step_over_furniture"]

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"

#: Longest line (in words) that furniture rules are tried on; a longer one is tried
#: against the "notice" rules only (a cookie consent text), up to NOTICE_MAX_WORDS.
RULE_MAX_WORDS = 30
NOTICE_MAX_WORDS = 150
#: Longest line (in words) that a "stop" heading can be. At RULE_MAX_WORDS, the
#: default, it adds no limit of its own; it is a knob of the cross-validation in
#: ``scripts/eval_strip.py --cv``, which tries 8 and keeps 30.
STOP_MAX_WORDS = 30
#: The weight of a "stop" heading ("RELATED ARTICLES", "Leave a Reply"): so low that
#: the article segment never runs across one (boxes are taken across on purpose, by
#: ``_extend_across_boxes``).
_STOP_PENALTY = 1000.0
#: "By" in the languages of the bylines below.
_BY = "by|von|par|por|di|oleh|door|av|af"
_BYLINE = regex.compile(rf"(?i)^({_BY})\s+\p{{Lu}}[\p{{L}}.'\-]*(\s+[\p{{L}}.'\-]+){{0,6}}(\s*[,|/-].{{0,80}})?$")


def _bad_reason(ln: Line) -> str:
    """Why the line's shape alone makes it ``bad`` (no words, a link, a menu), or ""."""
    w = ln.words
    if w == 0:
        return "line without words"
    if w <= 6 and ln.urlish:
        return "link, e-mail address or handle"
    if not ln.sentence_end and ln.separators >= 2 and ln.stop_ratio < 0.2:
        return "menu line"
    return ""


def _shape_class(ln: Line) -> str:
    """The class of a line that is not bad, from its shape alone: good, near or short."""
    w = ln.words
    if w <= 5:
        return SHORT  # first: most lines of a page are menu items (the tests below need 8+ words)
    if w >= 40:
        return GOOD
    if w >= 25 and (ln.stop_ratio >= 0.15 or ln.sentence_end) and ln.lower_ratio >= 0.3:
        return GOOD
    if w >= 12 and ln.sentence_end and ln.lower_ratio >= 0.3:
        return GOOD
    if w >= 8 and ln.sentence_end and ln.stop_ratio >= 0.2 and ln.lower_ratio >= 0.4:
        return GOOD
    return NEAR


#: Rule results of recent short lines (menus, share buttons and footers recur on every
#: page of a site): text -> (kind, reason, loose). Bounded; cleared when full.
_RULE_CACHE: dict[str, tuple[str, str, bool]] = {}
_RULE_CACHE_MAX = 50_000
_CACHE_MAX_CHARS = 60
_NO_RULE = ("", "", False)


#: The rules tried on a line too long to be a "stop" heading.
_NOT_STOP = tuple(k for k in KIND_ORDER if k != "stop")


def _rule_of(ln: Line, rules: RuleSet) -> tuple[str, str, bool]:
    """(kind, reason, loose) of the furniture rule matching the line, or ("", "", False).

    ``rules`` are those of every kind, in the order tried (:func:`ordered_rules`).
    """
    text = ln.text
    cacheable = len(text) <= _CACHE_MAX_CHARS
    if cacheable:
        got = _RULE_CACHE.get(text)
        if got is not None:
            return got
    if ln.words > STOP_MAX_WORDS:
        rules = ordered_rules(_NOT_STOP)
    rule = rules.find(text)
    if rule is None and ln.separators:
        rule = _rule_of_every_item(text, rules)
    out = _NO_RULE if rule is None else (rule.kind, rule.reason, rule.loose)
    if cacheable:
        if len(_RULE_CACHE) >= _RULE_CACHE_MAX:
            _RULE_CACHE.clear()
        _RULE_CACHE[text] = out
    return out


def _notice_of(ln: Line, notices: RuleSet) -> tuple[str, str, bool]:
    """(kind, reason, loose) of the notice rule matching a line too long for the
    others (a cookie consent text), or ("", "", False)."""
    rule = notices.find(ln.text)
    return _NO_RULE if rule is None else (rule.kind, rule.reason, rule.loose)


def _rule_of_every_item(text: str, rules: RuleSet) -> Rule | None:
    """The line rule that the first item of a line of menu items matches ("Login |
    Subscribe": "login line") when every item matches one: too few items for the shape
    of a menu line (:func:`_bad_reason`), but furniture item by item; else None."""
    items = [item.strip() for item in SEPARATORS.split(text)]
    if len(items) < 2 or not all(items):
        return None
    found = [rules.find(item) for item in items]
    if all(r is not None and r.kind == "line" for r in found):
        return found[0]
    return None


def _sentence_shaped(ln: Line) -> bool:
    return ln.sentence_end and ln.words >= 6 and ln.lower_ratio >= 0.5


def classify(lines: list[Line], model: "BoilerplateModel | None" = None) -> None:
    """Mark the evidence of furniture on each line in place: ``label`` ``bad`` (with the
    ``reason``) when its shape alone is furniture, and the rule or learned line it
    matches (``rule_kind``, ``rule``, ``weak``). The other lines are given their class
    (good, near, short) by :func:`select_article`, only on a page with furniture.

    A line is ``weak`` furniture when a loose rule (one that lets any text through,
    as for a cookie notice or a newsletter pitch) matches a line shaped like a
    sentence: furniture on a page that has other furniture, but alone no evidence.
    """
    rules, notices = ordered_rules(), ordered_rules(("notice",))
    for ln in lines:
        ln.reason = _bad_reason(ln)
        if ln.reason:
            ln.label = BAD
        if ln.words <= NOTICE_MAX_WORDS:
            kind, rule, loose = _rule_of(ln, rules) if ln.words <= RULE_MAX_WORDS else _notice_of(ln, notices)
            if kind:
                # a site's notice to its reader is a line of furniture
                ln.rule_kind, ln.rule = "line" if kind == "notice" else kind, rule
                ln.weak = loose and _sentence_shaped(ln)
        if not ln.rule_kind and model is not None and model.is_furniture(ln.text):
            ln.rule_kind, ln.rule = "line", "learned site furniture"
    _mark_markdown_tables(lines)


#: A row of a Markdown (GFM) table, "| Team | Won |", and the delimiter row under its
#: header, "|---|:---:|".
_MD_ROW = regex.compile(r"^\|.*\|$")
_MD_DELIMITER = regex.compile(r"^\|(\s*:?-+:?\s*\|)+$")


def _mark_markdown_tables(lines: list[Line]) -> None:
    """A Markdown table, as a scraper that writes Markdown renders an HTML table (a header
    row, a delimiter row, body rows, each with as many cells), is a table, not a menu:
    its rows, unless a rule names them, lose the ``bad`` shape their pipes gave them
    and are marked ``table``."""
    i, n = 0, len(lines)
    while i < n:
        head = lines[i].text
        if not (i + 1 < n and _MD_ROW.match(head) and _MD_DELIMITER.match(lines[i + 1].text)
                and lines[i + 1].text.count("|") == head.count("|")):
            i += 1
            continue
        j = i + 2
        while j < n and _MD_ROW.match(lines[j].text) and lines[j].text.count("|") == head.count("|"):
            j += 1
        for ln in lines[i:j]:
            if not ln.rule_kind:
                ln.label, ln.reason, ln.table = "", "", True
        i = j


def _furniture(ln: Line) -> bool:
    """Whether the classified line is furniture wherever it stands: a line rule or learned
    line (not a "stop" heading, which ends the article, nor a caption, which may be kept),
    other than one shaped like a byline (kept under a headline). :func:`select_article`
    never keeps such a line, on a page with furniture; a ``bad`` one (a link, a menu) it
    keeps when no article stands out (:func:`_keep_all_but_rules`)."""
    return ln.rule_kind == "line" and not _BYLINE.match(ln.text)


def step_over_furniture(text: str, lines: list[Line], model: "BoilerplateModel | None" = None) -> list[Line]:
    """The classified ``lines`` with each hard-wrapped paragraph that furniture interrupts
    read as one line: where a run of furniture lines (:func:`_furniture`; single physical
    lines, one line break apart) stands between two lines that continue one paragraph
    (:func:`~.features.continues_across`: the line above does not end its sentence and the
    one below carries it on), the two are joined (:func:`~.features.joined`) and
    classified as one, and the furniture lines go in its ``skipped`` with their reasons.

    A scraper that drops a "Share on Facebook" into a wrapped paragraph would otherwise
    leave its first part a fragment above the article (taken for the headline) and, once
    the share line is removed, a second pass would read the page differently. The caller
    removes the skipped lines (or the whole paragraph). ``text`` is the page with "\n"
    breaks; the lines are renumbered."""
    n = len(lines)
    out: list[Line] = []
    i = 0
    while i < n:
        parts = [lines[i]]  # the pieces of one paragraph
        skipped: list[tuple[Line, int]] = []
        while not _furniture(parts[-1]):  # furniture is never a piece of a paragraph
            last = parts[-1]
            j = i + 1
            prev = last
            while (j < n and _furniture(lines[j]) and adjacent(text, prev, lines[j])
                   and "\n" not in text[lines[j].start:lines[j].end]):
                prev = lines[j]
                j += 1
            if j == i + 1 or j >= n or not adjacent(text, prev, lines[j]) \
                    or not continues_across(text, last, lines[j]):
                break
            for k in range(i + 1, j):
                f = lines[k]
                f.reason, f.confidence = f.rule, 0.95
                skipped.append((f, lines[k + 1].start))
            parts.append(lines[j])
            i = j
        if skipped:
            ln = joined(text, parts)
            classify([ln], model)
            ln.skipped = tuple(skipped)
        else:
            ln = parts[0]
        ln.index = len(out)
        out.append(ln)
        i += 1
    return out


def _label_shapes(lines: list[Line]) -> None:
    """Give each line that is not ``bad`` its class from its shape (:func:`_shape_class`)."""
    for ln in lines:
        if not ln.label:
            ln.label = _shape_class(ln)


#: How many lines at the top of a page are compared for repeated headlines.
_TOP_LINES = 12


def has_furniture(lines: list[Line]) -> bool:
    """Whether anything on the page is recognisably furniture: a rule or learned line
    (other than a weak one), a menu line or a link, or a headline repeated near the top
    (alone, with a site name, or glued to a breadcrumb). Without any of that the text
    is left as it is: a sentence, a paragraph or a clean article is not a page. A
    paragraph of prose (``good``) repeated near the top is not a headline: articles
    strung together that share paragraphs are not a page for that alone."""
    for ln in lines:
        if ln.rule_kind and not ln.weak:
            return True
        if ln.label == BAD and ln.words > 0:
            return True
    top = [ln.text.casefold() for ln in lines[:_TOP_LINES]
           if 3 <= ln.words <= RULE_MAX_WORDS and _shape_class(ln) != GOOD]
    for i, a in enumerate(top):
        for b in top[i + 1:]:
            short, long_ = (a, b) if len(a) <= len(b) else (b, a)
            if long_.startswith(short) or long_.endswith(short):
                return True
    return False


#: Segment scores: what a line of each class adds to (or takes from) the article. A
#: line of prose (``good``) adds its word count; these are the rest, per line
#: (``near_prose`` and ``table`` per word). A rule or ``bad`` line (-8) costs as much as
#: a short sentence of prose brings, so one stray menu line inside an article does not
#: cut it, and three or four end it. ``near``, ``short`` and ``table`` are chosen by
#: ``scripts/eval_strip.py --cv 5`` (held-out F1 equal to the default's on every fold;
#: docs/boilerplate.md).
WEIGHTS = {"rule": -8.0, "bad": -8.0, "near_prose": 0.3, "near": -4.0,
           "short_sentence": -0.5, "short": -6.0, "table": 0.3}
#: A table is at least this many consecutive rows: lines of 3+ words, not sentences,
#: with at least TABLE_DIGITS of their words numbers (standings, results, prices).
TABLE_MIN_ROWS = 4
TABLE_DIGITS = 0.4


def _weight(ln: Line) -> float:
    if ln.rule_kind == "stop":
        return -_STOP_PENALTY
    if ln.rule_kind == "line":
        return WEIGHTS["rule"]
    if ln.label == GOOD:
        return ln.words
    if ln.label == NEAR:
        return ln.words * WEIGHTS["near_prose"] if ln.sentence_end else WEIGHTS["near"]
    if ln.label == SHORT:
        return WEIGHTS["short_sentence"] if ln.sentence_end else WEIGHTS["short"]
    return WEIGHTS["bad"]


#: The factor applied to prose after a comment-section heading once the article has
#: 50 words: 0, so readers' comments (prose too) never extend the article.
COMMENT_FACTOR = 0.0
_COMMENT_RULE = "comment section"


def _table_row(ln: Line) -> bool:
    return (not ln.rule_kind and ln.label in (NEAR, SHORT) and ln.words >= 3
            and not ln.sentence_end and ln.digit_ratio >= TABLE_DIGITS)


def _mark_tables(lines: list[Line]) -> None:
    """Mark the rows of each run of at least TABLE_MIN_ROWS table rows (``table``)."""
    start = 0
    for is_row, run in groupby(map(_table_row, lines)):
        size = len(list(run))
        if is_row and size >= TABLE_MIN_ROWS:
            for ln in lines[start:start + size]:
                ln.table = True
        start += size


def _weights(lines: list[Line]) -> list[float]:
    _mark_tables(lines)
    listed = _announced_items(lines) | _figures_between_prose(lines)
    out: list[float] = []
    prose_seen = 0.0
    factor = 1.0
    for k, ln in enumerate(lines):
        w = ln.words * WEIGHTS["table"] if ln.table else _weight(ln)
        if k in listed:
            w = max(w, 0.0)  # a list the article announces does not cut it
        if ln.rule == _COMMENT_RULE and ln.rule_kind == "stop" and prose_seen >= 50:
            factor = COMMENT_FACTOR
        if w > 0:
            prose_seen += w
            w *= factor
        out.append(w)
    return out


def _announced_items(lines: list[Line]) -> set[int]:
    """The indexes of the lines of each list announced by a line ending with ":" whose
    items carry a marker ("- ", "• ", "1."; :func:`_list_marker`), and of the announcing
    line: at most :data:`LIST_MAX_LINES` items of the same marker, none a furniture
    rule's line. Such a list weighs nothing in the choice of the article (its short
    items would cut the article in two); an unmarked one may be a menu under a heading
    no rule knows."""
    out: set[int] = set()
    for k in range(1, len(lines)):
        head = lines[k - 1]
        if not _announces(head):
            continue
        marker = _list_marker(lines[k].text)
        if marker is None or _list_marker(head.text) == marker:
            continue
        j = k
        while (j < len(lines) and j - k < LIST_MAX_LINES and not lines[j].rule_kind and lines[j].label != BAD
               and _list_marker(lines[j].text) == marker):
            j += 1
        out.update(range(k - 1, j))
    return out


def _figures_between_prose(lines: list[Line]) -> set[int]:
    """The indexes of the lines of each list of figures (:func:`_figures_list`) that
    stands between two paragraphs of prose: it weighs nothing in the choice of the
    article, as an announced list does (five short lines would cut a short article in
    two, and the paragraph after them would be lost)."""
    out: set[int] = set()
    n = len(lines)
    k = 1
    while k < n:
        if lines[k].label not in _ITEM_LABELS or not (_item_line(lines[k]) and _paragraph(lines[k - 1])):
            k += 1
            continue
        j = k
        while j < n and _item_line(lines[j]):
            j += 1
        if j - k >= 3 and _figures_list(lines, k, j, n):
            out.update(range(k, j))
        k = j + 1
    return out


_ITEM_LABELS = (SHORT, NEAR)


def _item_line(ln: Line) -> bool:
    """A short line that is not a sentence nor a rule's line: a list item, a menu item or
    a heading (what :func:`_figures_between_prose` reads a list from)."""
    return ln.label in _ITEM_LABELS and not ln.sentence_end and not ln.rule_kind and not ln.table


def _best_segment(weights: list[float]) -> tuple[int, int]:
    """The [start, end) run with the largest total weight (Kadane), or (0, 0)."""
    best, best_range = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, w in enumerate(weights):
        if total <= 0:
            total, start = w, i
        else:
            total += w
        if total > best:
            best, best_range = total, (start, i + 1)
    return best_range


#: A list announced by a line ending with ":" at the end of the article: at most this
#: many lines (it ends at the first furniture line).
LIST_MAX_LINES = 40
#: The marker of a list item: a bullet or dash, or a number with "." or ")", and a space.
_LIST_MARKER = regex.compile(r"^\s*(?:([-*\u2022\u00b7\u2013\u2014\u25aa\u25ba])|\d{1,2}[.)])\s+")

#: A caption line without a full stop next to the article is taken in as a photo credit
#: when it has at most this many words ("Image copyright Getty Images").
CREDIT_MAX_WORDS = 6
#: A news agency's credit line, which ends its story: "(Reporting by Jo Lee; Editing by
#: Sam Poole)", "Additional reporting by Ana Ruiz in Lima" (a name after "by"). Part of the
#: article when it follows it, as a one-line closing paragraph is, though it has no full stop.
_STORY_CREDIT = regex.compile(r"^\(?(?i:(additional |further )?(reporting|writing|editing|research|compiled|"
                              r"fact-checking|graphics)( and (writing|editing|reporting))? by)\s+\p{Lu}.{0,200}$")
#: The rule of a caption sentence followed by its credit ("The pier at dawn. Photo: Jo
#: Lee/AP"): taken in next to the article like a caption that ends with a full stop.
_CAPTION_CREDIT_RULE = "caption and photo credit"

#: An inline box is at most this many lines between article and more article.
BOX_MAX_LINES = 8
#: Prose beyond a box must score at least this, and this share of the article so far.
BOX_MIN_SCORE, BOX_MIN_SHARE = 25.0, 0.1
_BOX_RULE = "after related heading"


def _teaser(ln: Line) -> bool:
    """A box item: a headline (no sentence end) or a teaser cut off with "..."."""
    return ln.words <= RULE_MAX_WORDS and (not ln.sentence_end or ln.text.endswith(("...", "\u2026")))


def _segment_score(weights: list[float], lo: int, hi: int) -> float:
    return sum(w for w in weights[lo:hi] if w > -_STOP_PENALTY)


def _mark_box(lines: list[Line], stop: int, a: int, b: int) -> None:
    """Mark lines ``a:b``, a box headed by the stop line ``stop``, as furniture (unless
    a rule already named them)."""
    reason = f"inside '{lines[stop].text[:40]}' box"
    for ln in lines[a:b]:
        if not ln.rule_kind:
            ln.rule_kind, ln.rule = "line", reason


def _extend_across_boxes(lines: list[Line], weights: list[float], lo: int, hi: int) -> tuple[int, int]:
    """Grow [lo, hi) over short boxes (a stop heading and a few lines) with prose beyond."""
    n = len(lines)
    score = _segment_score(weights, lo, hi)
    while True:
        # Rightwards: a stop heading within reach, then a run of prose after it.
        stop = next((k for k in range(hi, min(n, hi + BOX_MAX_LINES)) if lines[k].rule_kind == "stop"), None)
        if stop is None or lines[stop].rule != _BOX_RULE:
            break
        end = next((k for k in range(stop + 1, n) if lines[k].rule_kind == "stop"), n)
        s_lo, s_hi = _best_segment(weights[stop + 1:end])
        s_lo, s_hi = s_lo + stop + 1, s_hi + stop + 1
        # The box's own items (headlines, cut-off teasers) are not the article.
        while s_lo < s_hi - 1 and s_lo - stop <= BOX_MAX_LINES and _teaser(lines[s_lo]):
            s_lo += 1
        gain = _segment_score(weights, s_lo, s_hi)
        if s_hi <= s_lo or s_lo - stop > BOX_MAX_LINES or gain < max(BOX_MIN_SCORE, BOX_MIN_SHARE * score):
            break
        _mark_box(lines, stop, hi, s_lo)
        hi, score = s_hi, score + gain
    while True:
        stop = next((k for k in range(lo - 1, max(-1, lo - 1 - BOX_MAX_LINES), -1) if lines[k].rule_kind == "stop"), None)
        if stop is None or lines[stop].rule != _BOX_RULE:
            break
        start = next((k for k in range(stop - 1, -1, -1) if lines[k].rule_kind == "stop"), -1) + 1
        s_lo, s_hi = _best_segment(weights[start:stop])
        s_lo, s_hi = s_lo + start, s_hi + start
        gain = _segment_score(weights, s_lo, s_hi)
        if s_hi <= s_lo or stop - s_hi > BOX_MAX_LINES or gain < max(BOX_MIN_SCORE, BOX_MIN_SHARE * score):
            break
        _mark_box(lines, stop, s_hi, lo)
        lo, score = s_lo, score + gain
    return lo, hi


#: A block of at least this many consecutive lines that all appear twice on the page
#: (a ticker or teaser list shown at the top and again at the bottom) counts nothing.
COPY_MIN_LINES = 3
COPY_MIN_WORDS = 8
#: ...unless the article found without them scores less than this share of the one
#: found with them, or less than COPY_MIN_SCORE (the article itself was scraped twice),
#: or holds another copy of their lines (a story and its update: the same paragraphs
#: again under a new headline).
COPY_KEEP_SHARE = 0.25
COPY_MIN_SCORE = 40.0


def _discount_copied_blocks(lines: list[Line], folded: list[str], weights: list[float],
                            lo: int, hi: int) -> tuple[int, int]:
    """Weigh blocks of lines that occur twice on the page as 0; the article segment anew.

    The new segment is refused when it holds a copy of a line weighed 0: the block is
    then the article's own text, not a teaser list beside it, and taking the later
    copy would drop the first one as page furniture. ``folded`` is the casefolded text
    of each line.
    """
    if hi <= lo:
        return lo, hi
    counts: dict[str, int] = {}
    for ln, key in zip(lines, folded):
        if ln.words >= COPY_MIN_WORDS:
            counts[key] = counts.get(key, 0) + 1
    if not any(c >= 2 for c in counts.values()):
        return lo, hi
    copied = [ln.words >= COPY_MIN_WORDS and counts[key] >= 2 for ln, key in zip(lines, folded)]
    new = list(weights)
    i, n = 0, len(lines)
    zeroed: set[str] = set()  # the lines weighed 0
    while i < n:
        if not copied[i]:
            i += 1
            continue
        j = i
        while j < n and copied[j]:
            j += 1
        if j - i >= COPY_MIN_LINES:
            for k in range(i, j):
                if new[k] > 0:
                    new[k] = 0.0
                    zeroed.add(folded[k])
        i = j
    if not zeroed:
        return lo, hi
    n_lo, n_hi = _best_segment(new)
    score = _segment_score(new, n_lo, n_hi)
    if n_hi <= n_lo or score < max(COPY_MIN_SCORE, COPY_KEEP_SHARE * _segment_score(weights, lo, hi)):
        return lo, hi
    if any(new[k] > 0 and folded[k] in zeroed for k in range(n_lo, n_hi)):
        return lo, hi
    weights[:] = new
    return n_lo, n_hi


def _title_shaped(ln: Line) -> bool:
    return (2 <= ln.words <= 30 and not ln.rule_kind and ln.label != BAD
            and not ln.text.endswith((".", ":", ";", ","))
            and ln.stop_ratio < 0.6)


#: The headline is looked for among this many lines above the article.
HEADLINE_REACH = 8
#: ...and the breadcrumb or page title it repeats among this many lines above it.
ECHO_REACH = 40


def _echoed_headline(lines: list[Line], folded: list[str], lo: int) -> int:
    """Index of the nearest title-shaped line of 3+ words above the article (within
    HEADLINE_REACH) whose text ends a longer line above it (within ECHO_REACH), glued to
    a breadcrumb trail: "HomeLocal NewsHarbour Town Backs..." or "Home > Local News >
    Harbour Town Backs...", followed by the headline itself. That line is the headline
    even when a title-shaped line nearer the article (the start of a paragraph, a
    section name) is not; -1 if there is none. ``folded`` is the casefolded text of
    each line."""
    for k in range(lo - 1, max(-1, lo - HEADLINE_REACH - 1), -1):
        ln = lines[k]
        if ln.words < 3 or not _title_shaped(ln):
            continue
        key = folded[k]
        n = len(key)
        for t in folded[max(0, k - ECHO_REACH):k]:
            if len(t) > n and t.endswith(key) and _breadcrumb_glued(t[:-n]):
                return k
    return -1


_CRUMB_ARROWS = (">", "\u00bb", "\u203a", "/", "\\", "\u2192")


def _breadcrumb_glued(crumbs: str) -> bool:
    """Whether the text before a headline's copy is a breadcrumb trail glued to it: it
    ends in a letter or digit with no space ("HomeLocal News" + "Harbour Town...") or in
    a breadcrumb arrow ("Home > Local News > ")."""
    last = crumbs[-1]
    if last.isalnum():
        return True
    return crumbs.rstrip()[-1:] in _CRUMB_ARROWS


#: A line of this many words or more just under a shorter headline-shaped line is a
#: standfirst or a caption, not the headline.
STANDFIRST_MIN_WORDS = 8


def _headline_above_standfirst(lines: list[Line], k: int) -> int | None:
    """The index of the headline above ``lines[k]`` when that line, the nearest
    headline-shaped one above the article, is a standfirst or a caption without a full
    stop ("Everything you need to know about the repairs"): it has at least
    :data:`STANDFIRST_MIN_WORDS` words and mostly lowercase ones, and a shorter line of
    :data:`HEADLINE_MIN_WORDS` words or more stands just above it (furniture lines apart,
    at most two). None otherwise."""
    ln = lines[k]
    if ln.words < STANDFIRST_MIN_WORDS or ln.lower_ratio < 0.5:
        return None
    for j in range(k - 1, max(-1, k - 4), -1):
        up = lines[j]
        if up.rule_kind or up.label == BAD:
            continue
        if (_headline_shaped(up) and up.words < ln.words and "://" not in up.text
                and len(_LONGER_WORD.findall(up.text)) >= HEADLINE_MIN_WORDS
                and not (_credit_line(up.text) or _date_line(up.text))
                and not (j > 0 and _title_shaped(lines[j - 1]) and lines[j - 1].words >= HEADLINE_MIN_WORDS)):
            return j  # (not one of a run of teaser headlines)
        return None
    return None


def _headline_shaped(ln: Line) -> bool:
    """A line that may be a headline: title-shaped, or a headline of many small words."""
    return _title_shaped(ln) or _wordy_headline(ln)


def _wordy_headline(ln: Line) -> bool:
    """A headline whose many small words make it no title shape (:func:`_title_shaped`
    wants fewer than 60% function words): "Why the bridge is closing, and what you can do
    about it", "What is a hosepipe ban and when might one start?", "'We will not give
    up': campaigners vow to fight on". Looked for only above the article, as its
    headline."""
    return (4 <= ln.words <= 20 and not ln.rule_kind and ln.label != BAD
            and ln.text.lstrip("'‘\"“")[:1].isupper() and not ln.text.endswith((".", ":", ";", ",")))


def _lead_prose(ln: Line) -> bool:
    """A line of prose between the headline and the article (a standfirst, or the start
    of the first paragraph): kept with the headline."""
    return (not ln.rule_kind and ln.label in (GOOD, NEAR) and ln.words >= 6
            and ln.lower_ratio >= 0.5 and ln.stop_ratio > 0)


def select_article(lines: list[Line], keep_captions: bool = True) -> list[bool]:
    """Decide, for each classified line, whether it is kept; set reasons for the rest.

    The article is the run of lines with the best score (:func:`_best_segment`), grown
    across inline boxes, to its closing lines and to its captions; inside it furniture
    is dropped; above it the headline is kept."""
    n = len(lines)
    if not n:
        return []
    _label_shapes(lines)
    weights = _weights(lines)
    folded = [ln.text.casefold() for ln in lines]  # for repeated lines and headlines
    lo, hi = _best_segment(weights)
    lo, hi = _discount_copied_blocks(lines, folded, weights, lo, hi)
    if hi <= lo:
        return _keep_all_but_rules(lines, keep_captions)
    # An article interrupted by an inline "Related" box: take in the prose on the
    # far side of the box when there is a substantial amount of it.
    lo, hi = _extend_across_boxes(lines, weights, lo, hi)
    hi = _extend_to_ending(lines, hi)
    if keep_captions:
        lo, hi = _take_in_captions(lines, lo, hi)
    keep = [False] * n
    _keep_inside(lines, folded, lo, hi, keep, keep_captions)
    _drop_dangling_tail(lines, weights, lo, hi, keep, keep_captions)
    _keep_headline(lines, folded, lo, keep)
    _explain_removed(lines, keep, lo, hi)
    return keep


def _drop_dangling_tail(lines: list[Line], weights: list[float], lo: int, hi: int, keep: list[bool],
                        keep_captions: bool) -> None:
    """Drop the lines that the article [lo, hi) took in only because prose followed them
    which went as a copy of an earlier paragraph ("UPDATE: ..." before a repeated
    paragraph): past its last kept line of prose, only what ends an article stays (its
    closing lines and a caption, as :func:`_extend_to_ending` and :func:`_take_in_captions`
    take them in). A second pass over the output would drop them: without this, it
    would not read the page as the first did."""
    last = next((k for k in range(hi - 1, lo - 1, -1) if keep[k] and weights[k] > 0), None)
    if last is None or not any(keep[k] for k in range(last + 1, hi)):
        return
    end = _extend_to_ending(lines, last + 1)
    if keep_captions:
        end = _take_in_captions(lines, lo, end)[1]
    for k in range(end, hi):
        if keep[k]:
            keep[k] = False
            lines[k].reason, lines[k].confidence = "after the article (page furniture)", 0.7


def _keep_all_but_rules(lines: list[Line], keep_captions: bool) -> list[bool]:
    """No run of prose stands out (a short or unusual text): do no harm, and drop only
    the lines that known furniture rules recognise."""
    keep = [False] * len(lines)
    for k, ln in enumerate(lines):
        if ln.rule_kind == "line":
            ln.reason, ln.confidence = ln.rule, 0.8
        elif ln.rule_kind == "caption" and not keep_captions:
            ln.reason, ln.confidence = ln.rule, 0.7
        else:
            keep[k] = True
    return keep


def _extend_to_ending(lines: list[Line], hi: int) -> int:
    """The end of the article grown over one-line paragraphs that end it ("He denied
    the charges.", or an agency's credit line, :data:`_STORY_CREDIT`), over a list
    announced by its last line ("The new rules:") and over the items of a list its last
    line is an item of (the same marker, :func:`_list_marker`)."""
    n = len(lines)
    while True:
        if hi < n and not lines[hi].rule_kind and (lines[hi].label in (SHORT, NEAR) and lines[hi].sentence_end
                                                   or _STORY_CREDIT.match(lines[hi].text)):
            hi += 1
        elif (hi < n and not lines[hi].rule_kind and lines[hi].label != BAD
              and (marker := _list_marker(lines[hi].text)) is not None
              and marker == _list_marker(lines[hi - 1].text)):
            hi += 1  # the next item of a list the article ends in
        elif _announces(lines[hi - 1]):
            j = hi
            while j < n and j - hi < LIST_MAX_LINES and not lines[j].rule_kind and lines[j].label != BAD:
                j += 1
            if j == hi:
                break
            hi = j
        else:
            break
    return hi


def _take_in_captions(lines: list[Line], lo: int, hi: int) -> tuple[int, int]:
    """[lo, hi) grown over a caption or photo credit right before or after it: one line,
    a sentence, a short credit ("Photo: Jo Lee/AP"), a sentence and its credit ("The
    pier at dawn. Photo: Jo Lee/AP") or one in brackets at the end ("... in March
    (Photo: Jo Lee)"); a longer line without a full stop is more often a linked
    headline ("Most oppose the bill: Reuters/Ipsos poll")."""
    def attached(ln: Line) -> bool:
        return ln.rule_kind == "caption" and (ln.sentence_end or ln.words <= CREDIT_MAX_WORDS
                                               or ln.rule == _CAPTION_CREDIT_RULE
                                               or ln.text.rstrip().endswith(")"))

    if lo > 0 and attached(lines[lo - 1]):
        lo -= 1
    if hi < len(lines) and attached(lines[hi]):
        hi += 1
    return lo, hi


def _prose(ln: Line) -> bool:
    """A line of prose (``good``) that is not a teaser cut off with "...": article text
    wherever else on the page it is repeated."""
    return ln.label == GOOD and not _teaser(ln)


def _link_like(ln: Line) -> bool:
    """A short line that is not a sentence, a rule's line, a table row or a list of
    items ("a, b"): three of them in a row inside the article are a menu or a link list."""
    return (ln.label == SHORT and not ln.sentence_end and not ln.rule_kind and not ln.table
            and ", " not in ln.text)


def _keep_inside(lines: list[Line], folded: list[str], lo: int, hi: int, keep: list[bool],
                 keep_captions: bool) -> None:
    """Mark in ``keep`` the lines of the article [lo, hi) that stay: all but furniture,
    repeated lines (gallery or teaser copies) and runs of 3+ short link-like lines.

    A line repeated inside the article keeps its first copy. One repeated from above
    the article, which is not kept, goes too, unless it is prose (:func:`_prose`): a
    paragraph that is also above the article (a story and its update, a standfirst
    shown twice) is article text, and the copy in the article is the one kept.
    """
    seen: set[str] = {key for ln, key in zip(lines[:lo], folded) if ln.words >= 4 and not _prose(ln)}
    i = lo
    while i < hi:
        ln = lines[i]
        key = folded[i] if ln.words >= 4 and not ln.table else ""  # two tables may share a header
        if key and key in seen:
            ln.reason, ln.confidence = "repeated line (gallery or teaser copy)", 0.8
            i += 1
            continue
        if key:
            seen.add(key)
        if ln.rule_kind in ("line", "stop"):
            ln.reason, ln.confidence = ln.rule, 0.95
        elif ln.rule_kind == "caption":
            keep[i] = keep_captions
            ln.reason, ln.confidence = ln.rule, 0.8
        elif ln.label == BAD:
            ln.confidence = 0.8
        elif _link_like(ln):
            j = i + 1
            while j < hi and _link_like(lines[j]):
                j += 1
            if j - i >= 3 and not _announced_list(lines, keep, lo, i, j) and not _figures_list(lines, i, j, hi):
                for k in range(i, j):
                    lines[k].reason, lines[k].confidence = "run of short lines (menu or link list)", 0.7
            else:
                for k in range(i, j):
                    keep[k] = True
            i = j
            continue
        else:
            keep[i] = True
        i += 1


def _figures_list(lines: list[Line], i: int, j: int, hi: int) -> bool:
    """Whether the run of short lines [i, j) inside the article (which ends at ``hi``) is
    a list of figures that the article goes on after: two thirds or more of its lines
    (its first apart, a heading, when it has no number) hold a number and a word of
    three letters or more ("Labour 12 (-7)", "200g spinach", "Cap falls to £1,633 a
    year"; not file names, "dp3_1_en"), and a paragraph follows it. A menu or a link
    list rarely has numbers; at most :data:`LIST_MAX_LINES` lines."""
    if j - i > LIST_MAX_LINES or j >= hi or not _paragraph(lines[j]):
        return False
    figure = [bool(_DIGIT.search(lines[k].text) and _WORD3.search(lines[k].text)) for k in range(i, j)]
    if not figure[0]:
        figure = figure[1:]  # the list's heading ("What changes")
    return 3 * sum(figure) >= 2 * len(figure)


def _paragraph(ln: Line) -> bool:
    """A paragraph of the article around a list: prose (``good``), or a shorter line of
    prose that ends a sentence (``near``), no furniture rule's line."""
    return _prose(ln) or (ln.label == NEAR and ln.sentence_end and not ln.rule_kind)


_DIGIT = regex.compile(r"\d")
_WORD3 = regex.compile(r"\b\p{L}{3,}\b")


def _announces(ln: Line) -> bool:
    """Whether ``ln`` announces what follows it ("The new rules:", "Key facts:"): it ends
    with ":" and is no furniture rule's line ("Read more:", "Tags:")."""
    return ln.text.endswith(":") and not ln.rule_kind


def _list_marker(text: str) -> str | None:
    """The marker of a list item ("-", "*", "•"; "1." for a numbered one), or None."""
    m = _LIST_MARKER.match(text)
    return None if m is None else (m.group(1) or "1.")


def _announced_list(lines: list[Line], keep: list[bool], lo: int, i: int, j: int) -> bool:
    """Whether the run of short lines [i, j) inside the article is (the end of) a list that
    the article announces ("The plan has four parts:", "Key facts:"): the run's first
    line ends with ":", or the kept line before the list does; the list reaches back
    from the run over the items of the same marker ("- ", "1. "), which may be
    sentences. A link list's heading ("Read more:", "Related:", "Tags:") is a furniture
    rule's line and announces nothing; at most :data:`LIST_MAX_LINES` lines."""
    if j - i > LIST_MAX_LINES:
        return False
    if _announces(lines[i]):
        return True
    marker, k = _list_marker(lines[i].text), i
    while (marker is not None and k > lo and j - k < LIST_MAX_LINES and keep[k - 1]
           and _list_marker(lines[k - 1].text) == marker):
        k -= 1  # at most LIST_MAX_LINES back: a long run of items is read in linear time
    before = lines[k - 1] if k > lo and keep[k - 1] else None
    return before is not None and _announces(before)


def _keep_headline(lines: list[Line], folded: list[str], lo: int, keep: list[bool]) -> None:
    """Keep the headline of the article starting at ``lo``: the line a breadcrumb above
    it ends with, or else the nearest title-shaped line above the article that is no
    credit or date (:func:`_credit_line`, :func:`_date_line`: "Matt Bryce", "Valencia,
    11 MAR 2025 - 13:40"), when one of at least HEADLINE_MIN_WORDS words stands above
    them; and the bylines and credits between it and the article. Its copies elsewhere
    go."""
    headline: Line | None = None
    echoed = _echoed_headline(lines, folded, lo)
    if echoed >= 0:
        headline = lines[echoed]
        keep[echoed] = True
        for k in range(echoed + 1, lo):
            ln = lines[k]
            if _BYLINE.match(ln.text) or _lead_prose(ln):
                keep[k] = True
    else:
        passed: list[int] = []  # credit and date lines passed over, nearest first
        summary: list[int] = []  # a marked summary under the headline ("• ..."), and its heading
        for k in range(lo - 1, max(-1, lo - HEADLINE_REACH - 1), -1):
            ln = lines[k]
            if _BYLINE.match(ln.text) and headline is None:
                keep[k] = True
                continue
            if (not ln.rule_kind and (_list_marker(ln.text) is not None and ln.words >= 3
                                      or summary and _SUMMARY_HEADING.fullmatch(ln.text))):
                summary.append(k)
                continue
            if not _headline_shaped(ln):
                continue
            if _credit_line(ln.text) or _date_line(ln.text):
                passed.append(k)
                continue
            if passed and len(_LONGER_WORD.findall(ln.text)) < HEADLINE_MIN_WORDS:
                continue  # above a credit, a short line is more likely a section's name
            above = _headline_above_standfirst(lines, k)
            if above is not None:  # ln is a standfirst (or a caption): kept under it
                keep[k] = True
                k, ln = above, lines[above]
            headline = ln
            keep[k] = True
            break
        if headline is None and passed:
            headline = lines[passed[0]]  # none better: the nearest, as a headline
            keep[passed[0]] = True
        elif headline is not None:
            for k in passed:
                keep[k] = _credit_line(lines[k].text)  # a byline without "By"; a date goes
            for k in summary:
                keep[k] = True  # the article's summary, under its headline
    if headline is None:
        return
    key = folded[headline.index]
    for k, t in enumerate(folded):
        ln = lines[k]
        if ln is headline:
            continue
        if t == key:
            keep[k] = False
            ln.reason, ln.confidence = "repeated headline", 0.95
        elif k < lo and t.endswith(key) and len(t) > len(key):
            ln.reason, ln.confidence = "breadcrumb glued to the headline", 0.9


#: The heading of a summary in bullets under a headline ("Key points", "At a glance").
_SUMMARY_HEADING = regex.compile(
    r"(?i)(key (points|facts|takeaways|details)|summary|at a glance|in brief|in short|what we know( so far)?"
    r"|the essentials|highlights|das wichtigste in kürze|en bref|l'essentiel|lo más importante|in breve)\s?:?")

#: Words of two letters or more that a headline above a credit or date line has at least
#: (a shorter title-shaped line there is more likely a section's name: "T R D NATIONAL /").
HEADLINE_MIN_WORDS = 4
_LONGER_WORD = regex.compile(r"\p{L}{2,}")

#: A credit written without "By": a person's or agency's name (two to four capitalised
#: words or short acronyms, perhaps with a role or place: "Matt Bryce, Sports Reporter",
#: "Elena Brandt in Frankfurt", "PA Media"; not "EMAIL ME"), "Interview by ...", "Staff
#: reporter", an agency code ("dpa/th").
_CREDIT = regex.compile(
    r"(?:(?:\p{Lu}\p{Ll}[\p{L}.'’\-]*|\p{Lu}{2,3})(?:\s+(?:\p{Lu}\p{Ll}[\p{L}.'’\-]*|\p{Lu}{2,3}"
    r"|de|da|van|von|der|al|bin|la|le|del|y|and|&)){1,3}"
    r"(?:\s*,\s*[\p{L}' ]{2,40}|\s+in\s+\p{Lu}[\p{L}\-]+)?"
    r"|(?i:(?:interview|selected|words|text|reporting|compiled|edited|written|produced|photos?|video)\s+by\s+.{2,60})"
    r"|(?i:[\p{L}.'’\- ]{0,40}\b(?:reporter|reporters|correspondent|editor|staff|desk|writer"
    r"|redacción|rédaction|redaktion))"
    r"|[a-z]{2,5}(?:/[a-z]{1,4})+)")
#: A time ("13:40", "07h45"), a date in numbers ("07/03/2025") or a month's name or its
#: abbreviation in English, French, German, Spanish, Italian or Portuguese.
_DATE_PART = regex.compile(
    r"\b\d{1,2}[:.h]\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b"
    r"|(?i:\b(?:jan|feb|f[ée]v|m[aä]r|apr|avr|abr|ma[iy]|mayo|maggio|jun|juin|jul|juil|aug|ao[uû]|ago"
    r"|sep|set|oct|okt|ott|out|nov|dec|d[ée]c|dez|dic|ene|gen|giu|lug)[\p{L}]*\.?\b)")


_TRAILING_BYLINE = regex.compile(rf"(?i)[\s|,]+(?:{_BY})\s.*$")


def _credit_line(text: str) -> bool:
    """Whether ``text`` is a credit or byline written without "By" (:data:`_CREDIT`)."""
    return _CREDIT.fullmatch(text) is not None


def _date_line(text: str) -> bool:
    """Whether ``text`` is a dateline or time stamp that no furniture rule knows: at most
    four words of letters, two or more numbers, and a time, a date in numbers or a
    month ("Valencia, 11 MAR 2025 - 13:40 CET", "Le 07/03/2025 à 07h45")."""
    text = _TRAILING_BYLINE.sub("", text)  # "5:45 AM PST 11/19/2019 by Jo Lee"
    if not _DATE_PART.search(text):
        return False
    numbers = regex.findall(r"\d+", text)
    letters = regex.findall(r"\p{L}+", text)
    return len(numbers) >= 2 and len(letters) <= 4


def _explain_removed(lines: list[Line], keep: list[bool], lo: int, hi: int) -> None:
    """Give every removed line without a reason yet its reason and confidence: its rule,
    or where it stands (before the article, after it, after a stop heading)."""
    first_stop: Line | None = None
    for k, ln in enumerate(lines):
        if k >= hi and first_stop is None and ln.rule_kind == "stop":
            first_stop = ln
        if not keep[k] and not ln.reason:
            if k < lo:
                ln.reason = ln.rule or "before the article (page furniture)"
            elif k >= hi:
                if ln.rule:
                    ln.reason = ln.rule
                elif first_stop is not None:
                    ln.reason = f"after '{first_stop.text[:40]}' heading"
                else:
                    ln.reason = "after the article (page furniture)"
            ln.confidence = ln.confidence or (0.9 if ln.rule else 0.7)
