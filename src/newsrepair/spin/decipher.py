"""Which of the lexicons' swaps a spinner uses, read from its output alone.

A spinner replaces the phrases of its dictionary wherever it meets them (or at a steady
rate), so across many of its articles each substitute it writes is more frequent than
in news, and each original it replaces is rarer: a farm whose spinner writes "navy" for
"military" has "navy" where news has "military", and almost no "military". For every
pair of the lexicons (``spun -> original``), :func:`decipher` compares the farm's counts
of both phrases with the news counts of the language model:

- ``over``, how much more often the farm writes the spun phrase than news does;
- ``under``, how much less often it writes the original;

both as natural-log ratios of relative frequencies (counts plus 0.5). A pair the
spinner uses scores high on both; a pair it does not use scores high on neither, or
on ``over`` alone when the farm's subject matter favours the word ("householders" in a
farm of housing news, whose "homeowners" stays as frequent as ever). A pair is kept
when ``over + under`` reaches :data:`MIN_SCORE`, ``under`` reaches
:data:`MIN_UNDER`, the farm holds the spun phrase at least :data:`MIN_COUNT` times, and
news predicts the original at least :data:`MIN_EXPECTED` times in a text of the farm's
size (otherwise its absence says nothing). A spun phrase may keep several originals:
the decoder chooses among them in context.

The kept pairs' weights estimate the spinner's channel: the share of the original's
expected occurrences that are missing (how often the spinner replaced it), times this
substitute's share of the surplus of all the substitutes kept for that original.

This is one step of the decipherment that expectation-maximisation would iterate:
the candidates are the shipped lexicons' pairs of at most :data:`MAX_TOKENS` tokens on
each side, the frequencies those of whole phrases, not of their restorations in
context. Measured in ``docs/spin.md`` (*Reading a spinner's swaps from its output
alone*). ``newsrepair learn --unpaired FARM/`` writes the result as a lexicon for
``--spinner-dict``, whose rows (source ``deciphered``) raise the weights of the shipped
pairs they confirm and make them detection evidence.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Iterable, NamedTuple

from ..errors import InputError
from ..langmodel import NgramLM, lm_token
from .lexicon import Lexicon, is_user_source
from .tokens import tokenize

__all__ = ["Deciphered", "decipher", "MIN_SCORE", "MIN_UNDER", "MIN_COUNT", "MIN_EXPECTED", "MAX_TOKENS"]

#: The least ``over + under`` (natural logs) of a kept pair. Chosen on synthetic farms
#: and on clean news read as a farm (``docs/spin.md``): at 2.0 (with ``MIN_UNDER`` 0.3)
#: a farm spinning half the matches gave more pairs, and 400 clean articles 31 pairs
#: that their subjects over-use, against 10.
MIN_SCORE = 3.0
#: The least ``under`` of a kept pair: the original must be missing from the farm's text,
#: not merely outnumbered (a subject the farm writes about raises ``over`` alone).
MIN_UNDER = 0.5
#: The fewest occurrences of the spun phrase in the farm's text.
MIN_COUNT = 3
#: The fewest occurrences of the original that news predicts in a text of the farm's size.
MIN_EXPECTED = 3.0
#: The longest phrases compared, in tokens: the news counts are exact for one and two
#: tokens, and hold the triples seen at least twice.
MAX_TOKENS = 3


class Deciphered(NamedTuple):
    """One pair found: the spun phrase and its original (lexicon form), the weight to
    restore it with, the evidence (``over``, ``under``: natural-log ratios to news), and
    how often the farm wrote the spun phrase."""

    spun: str
    original: str
    weight: float
    over: float
    under: float
    count: int


def decipher(texts: Iterable[str], lexicon: Lexicon, lm: NgramLM, *, min_score: float = MIN_SCORE,
             min_under: float = MIN_UNDER, min_count: int = MIN_COUNT,
             min_expected: float = MIN_EXPECTED) -> list[Deciphered]:
    """The pairs of ``lexicon`` that the spinner of ``texts`` (its articles) uses,
    strongest first, judged against the news counts of ``lm`` (see the module's
    docstring). A user's own pairs in ``lexicon`` are not candidates.

    Raises:
        InputError: ``texts`` is a single ``str`` (the articles are needed one by one), or
            one of them is not a ``str``.
    """
    if isinstance(texts, (str, bytes)):
        raise InputError("decipher needs the spinner's articles, an iterable of texts, got one text")
    pairs = [(s, o) for s, cands in lexicon.entries.items() if len(s.split(" ")) <= MAX_TOKENS
             for o, (_w, src) in cands.items() if not is_user_source(src) and len(o.split(" ")) <= MAX_TOKENS]
    phrases = {p for pair in pairs for p in pair}
    farm, farm_tokens = _count(texts, phrases)
    if not farm_tokens:
        return []
    news_tokens = lm.news_tokens
    scale = farm_tokens / news_tokens  # news counts -> expected counts in the farm's text

    news: dict[str, int] = {}

    def news_count(phrase: str) -> int:
        c = news.get(phrase)
        if c is None:
            c = news[phrase] = lm.news_count([lm_token(t) for t in phrase.split(" ")])
        return c

    kept: list[tuple[float, str, str, float, float]] = []  # (score, spun, original, over, under)
    for s, o in pairs:
        count = farm[s]
        if count < min_count:
            continue
        expected_o = news_count(o) * scale
        if expected_o < min_expected:
            continue
        under = math.log((news_count(o) + 0.5) * scale / (farm[o] + 0.5))
        if under < min_under:
            continue
        over = math.log((count + 0.5) / ((news_count(s) + 0.5) * scale))
        score = over + under
        if score >= min_score:
            kept.append((score, s, o, over, under))

    # weights: the share of the original's expected occurrences that are missing, split
    # among its substitutes by their surplus over news
    surplus: dict[str, dict[str, float]] = defaultdict(dict)
    for _score, s, o, _over, _under in kept:
        surplus[o][s] = max(0.0, farm[s] - news_count(s) * scale)
    out = []
    for score, s, o, over, under in kept:
        expected_o = news_count(o) * scale
        replaced = min(1.0, max(0.0, 1.0 - farm[o] / expected_o))
        total = sum(surplus[o].values())
        share = surplus[o][s] / total if total > 0 else 1.0 / len(surplus[o])
        weight = round(min(1.0, max(0.05, replaced * share)), 3)
        out.append((score, Deciphered(s, o, weight, round(over, 3), round(under, 3), farm[s])))
    out.sort(key=lambda x: (-x[0], x[1].spun, x[1].original))
    return [d for _score, d in out]


def _count(texts: Iterable[str], phrases: set[str]) -> tuple[Counter, int]:
    """How often each of ``phrases`` (lexicon form, at most :data:`MAX_TOKENS` tokens)
    stands in ``texts``, and their number of tokens."""
    firsts = {p.split(" ", 1)[0] for p in phrases}
    counts: Counter = Counter()
    tokens = 0
    for number, text in enumerate(texts):
        if not isinstance(text, str):
            raise InputError(f"decipher: article {number} is not a str: {text!r:.80}")
        norms = [t.norm for t in tokenize(text)]
        tokens += len(norms)
        for i, word in enumerate(norms):
            if word not in firsts:
                continue
            if word in phrases:
                counts[word] += 1
            for n in range(2, MAX_TOKENS + 1):
                if i + n > len(norms):
                    break
                phrase = " ".join(norms[i:i + n])
                if phrase in phrases:
                    counts[phrase] += 1
    return counts, tokens
