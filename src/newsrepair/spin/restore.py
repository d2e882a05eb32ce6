"""From the decoder's decisions to changes of the text: the restored words in the text's
own casing, possessives and punctuation, with the article before them made to agree.

Each change carries its reason (which lexicon, "context") and the decision's posterior as
its confidence.
"""

from __future__ import annotations

import re

from ..changes import Change
from .casing import article_for, transfer
from .decode import Decision
from .lattice import OPENING_MARKS, Sentence, label_letter, starts_sentence, written_in_capitals
from .tokens import Token


def text_changes(text: str, sents: list[Sentence], results: list[list[Decision]],
                 proper: frozenset[str]) -> list[Change]:
    """The decisions ``results`` on the sentences ``sents`` (each clears
    ``min_edit_confidence``) as changes of ``text``: the restored words in the text's
    casing (``proper``: the words news writes capitalised, :func:`.casing.transfer`),
    with the article before them made to agree."""
    changes: list[Change] = []
    for (sent, _norms, _lmf, _lat), res in zip(sents, results):
        for d in res:
            change = restoration(text, sent, d, proper)
            if change is None:
                continue
            if d.index > 0 and not label_letter(sent, d.index - 1):
                change = agree_with_restored(text, _article_before(sent, d.index), change, d.option.source, changes)
            changes.append(change)
    return changes


def restoration(text: str, sent: list[Token], d: Decision, proper: frozenset[str]) -> Change | None:
    """The change that decision ``d`` makes in ``text``: its original in the casing of
    the words it replaces, a final "a"/"an" agreeing with the word after it; ``None``
    when that is what the text says already."""
    start, end = sent[d.index].start, sent[d.index + d.option.length - 1].end
    before = text[start:end]
    k = d.index + d.option.length
    in_capitals = before[:2].isupper() and written_in_capitals(sent[:d.index] + sent[k:])
    after = transfer(before, d.option.original, proper, in_capitals, starts_sentence(sent, d.index))
    after = _article_agrees(after, sent[k].text if k < len(sent) else "")
    if before[-1:] in "-/" and after[-1:].isalnum() and text[end:end + 1].isalnum():
        after += " "  # "ex-wife" -> "former wife", not "formerwife"
    elif _ABBREVIATION_END.search(before) and after[-1:].isalpha() and _ABBREVIATION_DOT.match(text, end):
        end += 1  # the full stop of "p.c." goes with it: "2.1 p.c. in the" -> "2.1 percent in the"
    elif _plural_possessive(text, sent[0].start, start, end) and after[-1:] not in "sS":
        after += text[end] + ("S" if after.isupper() else "s")  # "folks'" -> "people's"
        end += 1
    if after == before:
        return None
    return _spin_change(text, start, end, after, d.option.source, d.posterior)


#: A spun abbreviation's end ("p.c", "P.C"), and its own full stop after it, followed by
#: the rest of the sentence (a lowercase word, a comma, a closing bracket), not by the
#: next sentence.
_ABBREVIATION_END = re.compile(r"\.[A-Za-z]$")
_ABBREVIATION_DOT = re.compile(r"\.(?:[ \t]+[a-z]|[,;:)\]])")
#: A single quotation mark that opens (at a word's start, before a letter) or closes
#: (after a letter or a sentence's mark, before a space or a mark).
_SINGLE_QUOTE = re.compile(r"(?P<open>(?<![\w’'])['‘](?=[^\W\d_]))|(?<=[\w.,!?])['’](?=[\s)\]”\".,;:!?—–-]|$)")


def _spin_change(text: str, start: int, end: int, after: str, source: str, posterior: float) -> Change:
    """The change of ``text[start:end]`` into ``after``, with its reason."""
    before = text[start:end]
    return Change(start, end, before, after, "spin",
                  f"spun {before!r} -> {after!r} ({_evidence_of(source)}; context)", round(posterior, 4))


def _evidence_of(source: str) -> str:
    """Where an option came from, as a change's reason says it."""
    if source == "numbers":
        return "a number word inside a number"
    return f"{source.split(':')[0]} lexicon"


def _plural_possessive(text: str, sentence_start: int, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, a word ending in "s", is followed by the apostrophe of
    a plural possessive ("the folks' anger"), not by a closing quotation mark: every
    single quotation mark opened before it in its sentence is closed ("rock 'n' roll";
    "'90s" opens none)."""
    if text[end - 1:end] not in ("s", "S") or text[end:end + 1] not in ("'", "’") or text[end + 1:end + 2].isalnum():
        return False
    open_quotes = 0
    for m in _SINGLE_QUOTE.finditer(text, sentence_start, start):
        if m.group("open"):
            open_quotes += 1
        elif open_quotes:
            open_quotes -= 1
    return open_quotes == 0


def _article_before(sent: list[Token], i: int) -> Token:
    """The token before ``sent[i]``; or, across opening quotation marks and brackets, the
    article "a" or "an" before them ("a “energy” crisis" must read "an “energy”")."""
    j = i - 1
    while j > 0 and sent[j].text in OPENING_MARKS:
        j -= 1
    return sent[j] if j < i - 1 and sent[j].norm in ("a", "an") else sent[i - 1]


def agree_with_restored(text: str, before: Token, change: Change, source: str, changes: list[Change]) -> Change:
    """``change``, which restores the word after the token ``before``, with the article
    before it made to agree with the restored word: the article agreed with the spun
    word, so it must follow the restored one.

    - The last of ``changes``, when it ends at ``before``: a change of the article
      ``before`` alone is dropped, since the article is decided here with its noun; any
      other restoration that ends in an article ("sans a" -> "without a", "every" ->
      "an") takes the one the restored word needs.
    - Else an article ``before`` as written: ``change`` takes it in, agreeing
      ("a vitality" -> "an energy")."""
    is_article = before.norm in ("a", "an")
    prev = changes[-1] if changes and changes[-1].end == before.end else None
    if prev is not None and is_article and prev.start == before.start:
        changes.pop()
        prev = None
    if prev is not None:
        changes[-1] = _with_article_for(prev, change.after)
        return change
    wanted = article_for(change.after)
    if not is_article or wanted == before.norm:
        return change
    after = _written_as(wanted, before.text, change.after) + text[before.end:change.start] + change.after
    return _spin_change(text, before.start, change.end, after, source, change.confidence)


def _article_agrees(after: str, next_word: str) -> str:
    """``after``, a restoration that ends in the article "a" or "an", with the article
    ``next_word`` takes ("every applicant" -> "an applicant", not "a applicant")."""
    head, _, last = after.rpartition(" ")
    if last.lower() not in ("a", "an") or not next_word[:1].isalpha():
        return after
    art = _written_as(article_for(next_word), last, next_word)
    return f"{head} {art}" if head else art


def _written_as(article: str, written: str, noun: str) -> str:
    """``article`` ("a" or "an") in the case of the article ``written`` before ``noun``:
    "An" for "A" or "An", "AN" when the noun is in capitals too ("AN ARMY")."""
    if not written[:1].isupper():
        return article
    return article.upper() if noun.isupper() and len(noun) > 1 else article.capitalize()


def _with_article_for(change: Change, next_word: str) -> Change:
    """``change``, whose restoration ends in an article, with the article that
    ``next_word`` (restored after it) takes, and its reason saying so."""
    after = _article_agrees(change.after, next_word)
    if after == change.after:
        return change
    reason = change.reason.replace(f"-> {change.after!r}", f"-> {after!r}", 1)
    return Change(change.start, change.end, change.before, after, change.stage, reason, change.confidence)
