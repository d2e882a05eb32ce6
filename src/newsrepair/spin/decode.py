"""Noisy-channel decoding of spun text, sentence by sentence.

For every position where a lexicon phrase starts, the options are: keep the text, or
restore one of the phrase's candidate originals. Each option is scored as

    log P_lm(the sentence window with that wording) + log P_channel(option)

where the channel prior is ``1 - rho * min(1, sum(w))`` for keeping and
``rho * w / max(1, sum(w))`` for an original of weight ``w`` (:func:`_log_priors`);
``rho`` is the document's spin rate. The window covers the longest candidate span and
the two tokens after it, so every option of one position is scored over the same
stretch of text. Within a sentence, decisions are made left to right, then revised in a
second pass with the first pass's choices as context (so "high normal" is judged next
to "general" as well as next to "top"); see :data:`PASSES`.

The document is decoded in two rounds of such passes (``SpinModel._decode``): between
them the spin rate is re-estimated and the pairs restored with confidence are made
likelier throughout the document (the *boost*: "navy" restored once makes "navy" ->
"military" likelier everywhere), in the manner of EM.

An option is chosen only when its posterior among the position's options clears the
bar the caller gives (``Config.min_edit_confidence`` in the second round); below it the
text is kept, and the neighbours are judged next to the text as written.

The article before a restored word is scored as the one the word needs ("an assembly"
-> "a meeting"): :meth:`Decoder._lm_scores`, :meth:`Decoder.posteriors_as_written` and
the C extension's ``phrase_posteriors``; the text is changed to match by
``restore.restoration`` and ``restore.agree_with_restored``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple, Sequence

from ..langmodel import NgramLM, c_extension, lm_token, lm_tokens
from .casing import article_for
from .detect import SENTENCE_END, context_window
from .lexicon import GROUP_SOURCE, MATE_SOURCE, Lexicon
from .tokens import Token, abbreviation_dot

__all__ = ["Option", "Decision", "Plan", "Decoder", "sentences"]

#: Passes over a sentence in one round of decoding: the second judges each position next
#: to the first's choices (skipped when the first chose nothing). A document is decoded
#: in two rounds (``SpinModel._decode``), so a sentence is swept up to four times.
PASSES = 2
#: Phrases whose candidates (and scoring plans) a decoder keeps.
_CACHE_SIZE = 65_536
#: Channel priors kept (see :func:`_log_priors`).
_PRIORS_CACHE_SIZE = 8_192


@dataclass(frozen=True, slots=True)
class Option:
    """One candidate original for the span of ``length`` tokens at a position."""

    length: int
    original: str
    weight: float
    source: str
    #: the most that the document's boost (:meth:`Decoder.score_position`) can raise
    #: ``weight`` to: below 1 where the position itself makes the option unlikely
    #: (a word of a name, ``lattice.in_name``)
    cap: float = 1.0

    @property
    def lm_forms(self) -> tuple[str, ...]:
        """The original's tokens as the language model sees them."""
        return _lm_forms(self.original)


@lru_cache(maxsize=50_000)
def _lm_forms(phrase: str) -> tuple[str, ...]:
    # the language model's tokens of an original as written ("20%", "well-being") or in
    # lexicon form ("well - being"): the same tokens either way
    return tuple(lm_tokens(phrase))


@dataclass(frozen=True, slots=True)
class Decision:
    """The decoder's choice at a token position (within one sentence)."""

    index: int          # token index in the sentence
    option: Option
    posterior: float


class Plan(NamedTuple):
    """A phrase's options made ready for scoring in a window of the text as written
    (see :meth:`Decoder.plan`). (``_lmcore.Scorer.scan_phrases`` reads the fields by
    their place: keep their order.)"""

    options: tuple[Option, ...]
    lmax: int                          # the longest option's length in tokens
    lengths: tuple[int, ...]           # each option's length in tokens
    log_priors: tuple[float, ...]      # channel log-priors of [keep, *options]
    forms: tuple[tuple[str, ...], ...]  # each option's LM tokens
    articles: tuple[str, ...]          # the article ("a" or "an") each option takes


def sentences(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Token index ranges ``(i, j)`` of the sentences: split after . ! ? (not after the
    full stop of an abbreviation, "the U.S. Navy", "Gen. Ortiz") and at line breaks,
    except one that wraps a sentence: after a word or a comma, before a lowercase word
    ("left with\nout power", hard-wrapped text)."""
    out = []
    start = 0
    for k, tok in enumerate(tokens):
        if k > start and "\n" in (gap := text[tokens[k - 1].end:tok.start]) and not _wraps(tokens[k - 1], tok, gap):
            out.append((start, k))
            start = k
        if (tok.text in SENTENCE_END and (tok.end == len(text) or not text[tok.end].isalnum())
                and not abbreviation_dot(tokens, k)):
            out.append((start, k + 1))
            start = k + 1
    if start < len(tokens):
        out.append((start, len(tokens)))
    return out


def _wraps(before: Token, after: Token, gap: str) -> bool:
    """Whether the line break in ``gap``, between the tokens ``before`` and ``after``,
    wraps a sentence rather than ending a line of its own: one line break, after a word
    or a comma, before a word in lowercase."""
    return (gap.count("\n") == 1 and (before.is_word or before.text == ",")
            and after.is_word and after.text[:1].islower())


class Decoder:
    """Chooses, for one sentence at a time, which lexicon candidates to restore."""

    def __init__(self, lm: NgramLM, lexicon: Lexicon, lm_power: float = 1.0,
                 starts: frozenset[str] | None = None) -> None:
        """The lexicon must not change afterwards: its candidates are cached by phrase.
        ``lm_power`` tempers the language model in :meth:`score_position` (reversal):
        its log-probabilities are multiplied by it (``SpinModel`` gives
        ``detect.USER_LM_POWER`` with a user spinner dictionary). ``starts``:
        :attr:`starts`, if it was built before for this lexicon."""
        if starts is not None:
            self.starts = starts
        self.lm = lm
        self.lexicon = lexicon
        self.lm_power = lm_power
        self._options = lru_cache(maxsize=_CACHE_SIZE)(self._find_options)
        #: :func:`_posteriors`, in C with the language model's extension
        ext = None if lm._c is None else c_extension()
        self._posteriors = _posteriors if ext is None else ext.posteriors
        #: the search of :meth:`decode_sentence` in C (``_lmcore.Scorer.decode_sentence``)
        self._decode_c = None if lm._c is None else lm._c.decode_sentence
        self.plan = lru_cache(maxsize=_CACHE_SIZE)(self._plan)  # type: ignore[method-assign]

    # ------------------------------------------------------------ lattice
    def key(self, norms: Sequence[str], i: int) -> tuple[str, ...]:
        """The tokens from ``norms[i]`` on that decide its options: while they are the
        start of a lexicon phrase, and one more when it may end a phrase in an inflected
        form ("court docket's", see :meth:`_inflected`). Options and scoring plans are
        cached by this key, so it holds no more tokens than the options depend on."""
        lengths = self.lexicon.lengths.get(norms[i])
        if not lengths or lengths[0] == 1:  # no phrase of several words starts here
            return (norms[i],)
        end = min(len(norms), i + lengths[0])
        prefixes = self.lexicon.prefixes
        j = i + 1
        while j < end and tuple(norms[i:j + 1]) in prefixes:
            j += 1
        if j < end and norms[j].endswith("s"):
            j += 1
        return tuple(norms[i:j])

    def options(self, norms: Sequence[str], i: int) -> list[Option]:
        """The candidate originals for spans starting at ``norms[i]``: the lexicon's, and
        those that an inflected word takes from its base form's pairs (the higher weight
        where both give the same original). Longest first, then by weight."""
        if norms[i] not in self.starts:  # most tokens: answered without building a key
            return []
        return list(self._options(self.key(norms, i)))

    @cached_property
    def starts(self) -> frozenset[str]:
        """Every token a span with options can start with: the first words of the
        lexicon's phrases, and the possessive or "-s" forms of them that
        :func:`_uninflected` takes back (see :meth:`_inflected`; a longer phrase starts
        with its own first word)."""
        firsts = self.lexicon.lengths
        forms = set(firsts)
        for word in firsts:
            for form in (word + "'s", word + "s"):
                if _uninflected(form) == (word, form[len(word):]):
                    forms.add(form)
        return frozenset(forms)

    def _find_options(self, key: tuple[str, ...]) -> tuple[Option, ...]:
        best: dict[tuple[int, str], tuple[int, str, float, str]] = {}
        for hit in (*self.lexicon.lookup(key, 0), *self._inflected(self.lexicon, key, 0)):
            hkey = hit[:2]
            if hkey not in best or hit[2] > best[hkey][2]:
                best[hkey] = hit
        return tuple(sorted((Option(*hit) for hit in _merge_same_wording(key, list(best.values()))),
                            key=lambda o: (-o.length, -o.weight, o.original)))

    def _inflected(self, lex: Lexicon, norms: Sequence[str], i: int) -> list[tuple[int, str, float, str]]:
        """Candidates for a phrase whose last word is a possessive or a regular plural of
        a lexicon phrase's last word.

        "navy's" -> "military's" from "navy" -> "military", "court docket's" -> "court's"
        from "court docket" -> "court"; "assaults" -> "attacks" from "assault" ->
        "attack", "center assaults" -> "heart attacks" (regular "-s" only, and only when
        the original's last word is a plain word whose plural the language model knows;
        a one-word phrase, only when the original is one word too; never from a user's
        group file, whose spinner replaced exactly the phrases it lists: "novels" is not
        "news" from ``new|novel``).
        """
        out = []
        for n in range(1, len(norms) - i + 1):
            inflected = _uninflected(norms[i + n - 1])
            if inflected is None:
                continue
            base, ending = inflected
            head = list(norms[i:i + n - 1])
            if ending == "'s":
                out.extend((n, orig + "'s", w, src) for m, orig, w, src in lex.lookup([*head, base], 0)
                           if m == n)
            else:
                for m, orig, w, src in lex.lookup([*head, base], 0):
                    last = orig.rpartition(" ")[2]
                    if (m != n or src in (GROUP_SOURCE, MATE_SOURCE) or not last.isalpha()
                            or last.endswith(("s", "x", "z", "ch", "sh", "y"))
                            or (n == 1 and last != orig)
                            or last + "s" not in self.lm.ids):  # only plurals the language model knows
                        continue
                    out.append((n, orig + "s", w, src))
        return out

    # ------------------------------------------------------------ scoring
    def _window_score(self, left: Sequence[str], middle: Sequence[str], right: Sequence[str]) -> float:
        """log P_lm of ``middle`` and ``right`` after the last two tokens of ``left``."""
        return self.lm.sequence_logprob((*middle, *right), left)

    def score_position(self, segs: list[list[str]], i: int, opts: Sequence[Option], rho: float,
                       boost: Counter | None = None, norms: Sequence[str] = (),
                       spun_lm: Sequence[str] = (), memo: dict | None = None) -> tuple[list[float], list[float]]:
        """Posteriors of [keep, *opts] at position ``i`` given the other positions' wordings.

        ``segs[k]`` is the LM wording currently chosen at position ``k`` (empty when an
        earlier span covers ``k``). Returns (posteriors, raw LM scores). ``memo``, when
        given, keeps the LM scores of position ``i`` by context, for one sentence and
        its lattice: the passes and rounds of decoding score most positions again in an
        unchanged context, and the LM scores do not depend on ``rho`` or ``boost``.
        :meth:`decode_sentence` takes the same steps inline (the same key, scores and
        priors), working out each position's priors once per call.
        """
        lmax = max(o.length for o in opts)
        left, right = _context(segs, i, lmax)
        key = None
        if memo is not None:
            key = (i, *left, "", *map(tuple, segs[i + 1:i + lmax]), "", *right)
            scores = memo.get(key)
        if key is None or scores is None:
            scores = self._lm_scores(segs, i, lmax, opts, left, right, spun_lm)
            if key is not None:
                memo[key] = scores
        return self._posteriors(scores, _position_priors(norms, i, opts, rho, boost)), scores

    def plan(self, key: tuple[str, ...], rho: float) -> Plan | None:  # noqa: F811 (replaced by a cached bound method)
        """The options of the phrase ``key`` (see :meth:`key`) ready for
        :meth:`posteriors_as_written`, at spin rate ``rho``; ``None`` when it has none."""
        return self._plan(key, rho)

    def _plan(self, key: tuple[str, ...], rho: float) -> Plan | None:
        opts = self._options(key)
        if not opts:
            return None
        lmax, lengths, forms, articles = _shape(opts)
        return Plan(opts, lmax, lengths, _log_priors(tuple(o.weight for o in opts), rho), forms, articles)

    def posteriors_as_written(self, plan: Plan, forms: Sequence[str], i: int) -> list[float]:
        """Posteriors of [keep, *plan.options] for the phrase at ``forms[i]`` (LM tokens
        of a window of text), every other token as written and no boost: what
        :meth:`score_position` gives with one-token segments, without building them.
        Detection scores each phrase this way."""
        lmax = plan.lmax
        left = ("<s>", *forms[max(0, i - 2):i])[-2:]
        right = forms[i + lmax:i + lmax + 2]
        scores = [self._window_score(left, forms[i:i + lmax], right)]
        article = left[-1] in ("a", "an")
        for o, of, art in zip(plan.options, plan.forms, plan.articles):
            scores.append(self._window_score((left[0], art) if article else left,
                                             (*of, *forms[i + o.length:i + lmax]), right))
        return _posteriors(scores, plan.log_priors)

    def phrase_posteriors(self, plan: Plan, left: Sequence[str], right: Sequence[str]) -> tuple[int, list[float]]:
        """Detection's score of one phrase: :meth:`posteriors_as_written` for the phrase
        at the start of ``right`` in its :func:`.detect.context_window`, and the index
        (from 1) of its best option, the first of equal ones. ``left`` and ``right`` are
        tokens of lowercased text (:func:`.detect.lowercase`): up to two before the
        phrase, and those from its start on. In one call to the C extension when it is
        built (the same numbers)."""
        if self.lm._c is not None:
            return self.lm._c.phrase_posteriors(left, right, plan.lmax, plan.lengths, plan.forms,
                                                plan.articles, plan.log_priors)
        window, i = context_window(left, right, plan.lmax)
        post = self.posteriors_as_written(plan, [lm_token(t) for t in window], i)
        return max(range(1, len(post)), key=post.__getitem__), post

    def _lm_scores(self, segs: list[list[str]], i: int, lmax: int, opts: Sequence[Option],
                   left: list[str], right: list[str], spun_lm: Sequence[str]) -> list[float]:
        """LM scores of keeping the text and of each option, over the same window."""
        keep_mid = [spun_lm[i]] + [t for seg in segs[i + 1:i + lmax] for t in seg]
        scores = [self._window_score(left, keep_mid, right)]
        for o in opts:
            mid = (*o.lm_forms, *[t for seg in segs[i + o.length:i + lmax] for t in seg])
            left_o = left
            if left and left[-1] in ("a", "an"):
                # the article will follow the restored word (see restore.agree_with_restored)
                left_o = left[:-1] + [article_for(o.original)]
            scores.append(self._window_score(left_o, mid, right))
        if self.lm_power != 1.0:
            return [self.lm_power * x for x in scores]
        return scores

    # ------------------------------------------------------------ search
    def decode_sentence(self, norms: Sequence[str], lm_forms: Sequence[str], rho: float,
                        boost: Counter | None = None,
                        lattice: dict[int, list[Option]] | None = None,
                        memo: dict | None = None, min_posterior: float = 0.0) -> list[Decision]:
        """Best wording of one sentence: the decisions that change it, left to right.
        An option is chosen only when its posterior is at least ``min_posterior``.

        Pass the same ``memo`` (a dict) when decoding the same sentence and lattice again
        (with another ``rho`` or ``boost``) to reuse its LM scores.

        With the C extension the search runs there (:meth:`_decode_in_c`); the code below
        is its reference, and ``tests/test_lmcore.py`` checks that the two agree.
        """
        n = len(norms)
        if lattice is None:
            lattice = {i: o for i in range(n) if (o := self.options(norms, i))}
        if not lattice:
            return []
        if memo is None:
            memo = {}
        if self._decode_c is not None:
            return self._decode_in_c(norms, lm_forms, rho, boost, lattice, memo, min_posterior)
        # what does not change between the passes of one call: each position's options,
        # the longest of them and their channel log-priors (rho and boost are fixed)
        positions = [(i, opts, max(o.length for o in opts), _position_priors(norms, i, opts, rho, boost))
                     for i, opts in sorted(lattice.items())]
        segs: list[tuple[str, ...]] = [(t,) for t in lm_forms]
        chosen: dict[int, Decision] = {}
        # posteriors by the LM context (score_position's memo key): a position whose
        # context the other pass left as it was has the posteriors it had then
        known: dict[tuple, list[float]] = {}
        for pass_no in range(PASSES):
            if pass_no and not chosen:
                break  # nothing changed the context: another pass would decide the same
            # restore the spun text, then re-apply decisions as we go
            for i, opts, lmax, log_priors in positions:
                if not segs[i]:  # inside the span of an earlier decision
                    continue
                prev = chosen.pop(i, None)
                if prev is not None:
                    for k in range(i, i + prev.option.length):
                        segs[k] = (lm_forms[k],)
                left, right = _context(segs, i, lmax)
                key = (i, *left, "", *segs[i + 1:i + lmax], "", *right)
                post = known.get(key)
                if post is None:
                    scores = memo.get(key)
                    if scores is None:
                        scores = memo[key] = self._lm_scores(segs, i, lmax, opts, left, right, lm_forms)
                    post = known[key] = self._posteriors(scores, log_priors)
                top = max(post)
                best = post.index(top)  # the first of equal ones
                if best > 0 and top >= min_posterior:
                    o = opts[best - 1]
                    # drop later decisions that this span now covers
                    for k in range(i + 1, i + o.length):
                        d = chosen.pop(k, None)
                        if d is not None:
                            for kk in range(k, k + d.option.length):
                                segs[kk] = (lm_forms[kk],)
                    chosen[i] = Decision(i, o, top)
                    segs[i] = o.lm_forms
                    for k in range(i + 1, i + o.length):
                        segs[k] = ()
        return [chosen[k] for k in sorted(chosen)]

    def _decode_in_c(self, norms: Sequence[str], lm_forms: Sequence[str], rho: float, boost: Counter | None,
                     lattice: dict[int, list[Option]], memo: dict, min_posterior: float) -> list[Decision]:
        """:meth:`decode_sentence` by the C extension's ``Scorer.decode_sentence``: the same
        search, choices and posteriors. What the positions' options hand to it (lengths,
        LM tokens, articles) is kept in ``memo`` with the LM scores."""
        shapes = memo.get(_SHAPES)
        if shapes is None:
            shapes = memo[_SHAPES] = [(i, opts, *_shape(tuple(opts))) for i, opts in sorted(lattice.items())]
        positions = [(i, lmax, _position_priors(norms, i, opts, rho, boost), lengths, forms, articles)
                     for i, opts, lmax, lengths, forms, articles in shapes]
        found = self._decode_c(list(lm_forms), positions, min_posterior, self.lm_power, PASSES, memo)
        return [Decision(i, lattice[i][k], posterior) for i, k, posterior in found]


#: The key under which :meth:`Decoder._decode_in_c` keeps a sentence's positions in its memo.
_SHAPES = object()


@lru_cache(maxsize=_CACHE_SIZE)
def _shape(opts: tuple[Option, ...]) -> tuple[int, tuple[int, ...], tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """What scoring a position's options needs of them (the C search, and
    :class:`Plan`): the longest one's length, and each one's length, LM tokens and
    article."""
    return (max(o.length for o in opts), tuple(o.length for o in opts), tuple(o.lm_forms for o in opts),
            tuple(article_for(o.original) for o in opts))


def _context(segs: Sequence[Sequence[str]], i: int, lmax: int) -> tuple[list[str], list[str]]:
    """The two LM tokens before position ``i`` ("<s>" at the start of the sentence) and
    the two after a span of ``lmax`` positions from it, in the wordings ``segs`` holds
    (see :meth:`Decoder.score_position`)."""
    k = i + lmax
    if i >= 2 and k + 1 < len(segs):  # most positions: one token in each of the four places
        a, b, c, d = segs[i - 2], segs[i - 1], segs[k], segs[k + 1]
        if len(a) == len(b) == len(c) == len(d) == 1:
            return [a[0], b[0]], [c[0], d[0]]
    left: list[str] = []
    k = i - 1
    while k >= 0 and len(left) < 2:  # walk back: linear time even in a huge "sentence"
        left[:0] = segs[k]
        k -= 1
    if k < 0:
        left.insert(0, "<s>")
    right: list[str] = []
    k = i + lmax
    while k < len(segs) and len(right) < 2:
        right.extend(segs[k])
        k += 1
    return left[-2:], right[:2]


def _position_priors(norms: Sequence[str], i: int, opts: Sequence[Option], rho: float,
                     boost: Counter | None) -> tuple[float, ...]:
    """Channel log-priors of [keep, *opts] at position ``i``: the options' weights, each
    raised by the document's boost of its pair (up to its cap) when a boost is given."""
    if boost and norms:
        priors = []
        for o in opts:
            spun = " ".join(norms[i:i + o.length])
            priors.append(min(o.cap, o.weight * (1.0 + boost.get((spun, o.original), 0))))
    else:  # no boost (the first round of decoding): the lexicon's weights
        priors = [o.weight for o in opts]
    return _log_priors(tuple(priors), rho)


def _uninflected(word: str) -> tuple[str, str] | None:
    """(base, ending) when ``word`` may be a possessive or a regular "-s" plural of a
    lexicon word: ("navy", "'s") for "navy's", ("assault", "s") for "assaults"; None for
    a word of fewer than four characters or without such an ending ("press", "status")."""
    if len(word) < 4:
        return None
    if word.endswith("'s"):
        return word[:-2], "'s"
    if word.endswith("s") and not word.endswith("ss") and word[-2] not in "'u":
        return word[:-1], "s"
    return None


_Hit = tuple[int, str, float, str]  # (length, original, weight, source)


def _merge_same_wording(key: Sequence[str], hits: list[_Hit]) -> list[_Hit]:
    """``hits`` (length, original, weight, source) without the options that give the same
    wording as a longer one: "and not using" -> "without" before "a" is "and not using a"
    -> "without a". Kept apart, the two would split the posterior of one restoration
    between them, and neither might clear the edit threshold. The longer option stays,
    with the higher of the two weights."""
    if len(hits) < 2:
        return hits
    out = sorted(hits, key=lambda h: -h[0])
    merged: list[_Hit] = []
    for h in out:
        n, orig, w, src = h
        for k, (n2, orig2, w2, src2) in enumerate(merged):
            tail = key[n:n2]
            if n2 > n and tail and orig2 == " ".join((orig, *tail)):
                if w > w2:
                    merged[k] = (n2, orig2, w, src)
                break
        else:
            merged.append(h)
    return merged


@lru_cache(maxsize=_PRIORS_CACHE_SIZE)
def _log_priors(weights: tuple[float, ...], rho: float) -> tuple[float, ...]:
    """Channel log-priors of [keep, *options] for options of these weights at spin rate
    ``rho``: keeping has ``1 - rho * min(1, sum(w))``, an option ``rho * w / max(1,
    sum(w))`` (weights summing to more than one are scaled down to sum to one).

    Cached: most positions hold one of a few common words, whose options have the same
    weights everywhere, and the first round of decoding scores every document at the
    same ``rho``."""
    total_w = sum(weights)
    norm_w = max(1.0, total_w)
    return (math.log(max(1e-6, 1.0 - rho * min(1.0, total_w))),
            *(math.log(rho * w / norm_w + 1e-12) for w in weights))


def _posteriors(scores: Sequence[float], log_priors: Sequence[float]) -> list[float]:
    """The posteriors of options of these LM scores and channel log-priors."""
    return _softmax([s + p for s, p in zip(scores, log_priors)])


def _softmax(logp: list[float]) -> list[float]:
    m = max(logp)
    ex = [math.exp(x - m) for x in logp]
    z = 0.0
    for e in ex:  # left to right, as the C extension adds (Python 3.12's sum() compensates)
        z += e
    return [e / z for e in ex]
