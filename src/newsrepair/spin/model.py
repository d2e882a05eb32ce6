"""The spin model: detection and reversal of one document.

:class:`SpinModel` holds the lexicons, the gazetteer and the news language model. It
finds the phrases that spinner lexicons know as substitutes, asks the language model
which wording fits each slot (:mod:`.decode`, noisy-channel decoding), scores the
document (:mod:`.detect`) and, when the document is judged spun, restores the originals
whose posterior clears ``Config.min_edit_confidence``. Spun names ("Nationwide League for
Democracy") also get proposals from a gazetteer of names (:mod:`.gazetteer`), judged by
the same decoder. The module-level constants are the model's parameters; those that were
tuned say what was measured, the others (``MIN_ENGLISH``, ``DETECTION_RHO``,
``MIN_SIGNATURE_WEIGHT``, ``NUMBER_WORD_WEIGHT``, ``LOWERCASE_NAME_WEIGHT``) are set by
reasoning, given beside each.
"""

from __future__ import annotations

import copy
import hashlib
import math
import os
import re
from bisect import bisect_right
from collections import Counter
from typing import NamedTuple

from .. import englishfreq
from ..changes import Change, apply_changes
from ..config import DEFAULT_CONFIG, Config
from ..datacache import load_or_build
from ..langmodel import NgramLM, c_extension, lm_token, lm_tokens
from ..resources import lexicon_path
from ..results import SpinReport, Suspect
from . import spintax
from .casing import article_for, transfer
from .decode import Decision, Decoder, Option, Plan, sentences
from .detect import (DEFAULT_THRESHOLD, ENGLISH_SAMPLE, REPEAT_SPAN_CHARS, USER_LM_POWER, Evidence, WindowReader,
                     calibrated_score, clean_bases, confidence_for, discounted, load_clean_rates, lowercase,
                     spin_rate_test, word_counter)
from .gazetteer import NAME_LINKS, NameIndex, load_gazetteer
from .lexicon import (MATE_SOURCE, Lexicon, PhraseFinder, is_user_source, load_lexicon, phrase_key,
                      recheck_group_file)
from .tokens import HONORIFICS, TOKEN_RE, Token, abbreviation_dot, tokenize, verbatim_spans, without_possessive

__all__ = ["SpinModel"]

#: Share of word tokens that must be known English words for the text to be processed.
MIN_ENGLISH = 0.6
#: With a user spinner dictionary, reversal weighs the shipped lexicons' pairs (learned
#: from other spinners) by this: the user has named the spinner. Detection still uses
#: them at full weight. Measured on 2026-12-01 out of sample (``scripts/eval_spin.py
#: synthetic`` and ``learning``, models counted without the spun articles), scales 0.25 /
#: 0.1 / 0.05 / 0.02 / 0: with the test dictionary given, WER reduction 0.872 / 0.880 /
#: 0.886 / 0.889 / 0.904 (precision 0.920 -> 0.961); with a lexicon learned from 10 farm
#: articles (benchmark sample dictionary), 0.326 / 0.332 / 0.335 / 0.333 / 0.211
#: (precision 0.795 / 0.831 / 0.848 / 0.871 / 0.854), from 300, 0.703 / 0.719 / 0.727 /
#: 0.736 / 0.716. Small, not 0: a partial lexicon still needs the shipped pairs as
#: candidates that only a clear preference of the context makes.
SHIPPED_WEIGHT_WITH_USER_DICTIONARY = 0.05
#: Re-estimating the document's spin rate, a position counts as its candidates' total
#: weight (the chance it was spun is rho times that), but at least this much: the
#: hand-written weights are guesses, not measured rates. Counting every position as one,
#: as before, let the many weak candidates of common words pull rho down and cancel
#: restorations elsewhere in the text. Measured against counting positions (floor 1)
#: and the pure weights (floor 0): dev pairs in-sample WER reduction 0.593 -> 0.617
#: (0.633 at 0) at precision 0.831 -> 0.834; leave-one-out 0.324 / 0.696 -> 0.334 /
#: 0.685 (0.347 / 0.656 at 0); our held-out hand-spun excerpts 0.434 / 0.599 -> 0.440 /
#: 0.601; synthetic spin with the dictionary 0.916 / 0.977 -> 0.916 / 0.975.
POSITION_WEIGHT_FLOOR = 0.75
#: The bounds of the spin rate that reversal's second round re-estimates from the
#: first (``SpinModel._decode``): never certain that nothing or everything was spun.
RHO_RANGE = (0.05, 0.95)
#: A pair restored with at least this posterior in reversal's first round is made
#: likelier throughout the document in the second (``SpinModel._decode``). Measured
#: against counting only the restorations of other sentences (not the position's own):
#: dev pairs 0.623 / 0.840 -> 0.621 / 0.838 (WER reduction / precision), leave-one-out,
#: held-out and seed unchanged.
BOOST_POSTERIOR = 0.9
#: Weight of the lexicon's candidates for a capitalised word inside a name or title, or
#: alone mid-sentence (see ``_in_name``), and the most the boost can raise it to.
#: Measured against 1: dev pairs 0.617 / 0.834 -> 0.616 / 0.835,
#: leave-one-out 0.334 / 0.685 -> 0.336 / 0.691, seed, synthetic spin and held-out
#: unchanged; the sample page's "Harbour Town council" is no longer "Harbour City".
NAME_WEIGHT_SCALE = 0.25
#: The last words of institutions' names: a capitalised run of three or more words that
#: ends with one is a name, whose words a spinner's swap did not choose.
INSTITUTION_HEADS = frozenset(
    "association council institute institution party union agency company corporation ltd inc plc "
    "group committee commission authority board foundation society league club university college "
    "school hospital department ministry office service court bank fund trust federation "
    "organisation organization alliance coalition centre center museum".split())
#: A word met at most this many times in the clean news is a spinner's mark even inside
#: a name ("Vitality").
RARE_IN_NEWS = 5
#: A line of at least this many words that is not English is not decoded.
FOREIGN_LINE_WORDS = 8
#: Tokens after which a capitalised word starts a sentence (or a quotation) rather than
#: continuing a name.
_SENTENCE_OPENERS = frozenset(('.', '!', '?', ':', '"', '“', '‘', "'", '(', '—', '–', '-', '|'))
#: Number words a spinner writes for the digits before a decimal point ("2.1" ->
#: "two.1", "6.25" -> "six.25": its dictionary's "2" -> "two" matched inside the number).
_DIGIT_OF = {w: str(k) for k, w in enumerate("zero one two three four five six seven eight nine".split())}
#: Weight of that restoration: a number word glued to ".25" is never ordinary English.
NUMBER_WORD_WEIGHT = 0.95
#: The spin rate detection scores each phrase at: neutral, since it does not know yet
#: whether the document was spun.
DETECTION_RHO = 0.5
#: An occurrence whose best restoration has at least this posterior is a suspect (in
#: ``SpinReport.suspects``); a distinct phrase whose mean posterior reaches it counts
#: toward ``detect.MIN_TYPES``.
SUSPECT_POSTERIOR = 0.5
#: Lexicon pairs below this weight are not used as evidence by detection.
MIN_SIGNATURE_WEIGHT = 0.15
#: Candidates per phrase that detection scores, the strongest first. The shipped lexicons
#: have at most three per signature phrase; a large user dictionary gives common words
#: many (every group a word is a substitute in, and their group mates). Measured with a
#: WordNet dictionary of 8,900 groups (``benchmarks/dicts/wordnet_spinner.py``): detection
#: 0.20 -> 0.27 MB/s, false positives on 400 clean articles 3.3% -> 2.8%, spun articles
#: flagged at spin rate 0.1 still all, at rate 0.05 90% -> 87% (100 articles).
MAX_SIGNATURE_OPTIONS = 3
#: Lexicon sources that only propose candidates and are not detection evidence: general
#: synonym swaps are common words in clean text too (measured: counting them slowed
#: detection by a third and made clean news look more spun; counting the hand-written
#: ones slowed unspin on the dev pairs from 2.9 to 1.9 MB/s to flag 71 instead of 69 of
#: 100 synthetic spun articles, when the list was a third of its size), except the
#: confident hand-written pairs of phrases news never uses (next).
CANDIDATE_ONLY_SOURCES = ("general", "curated")
#: A hand-written pair is detection evidence all the same when it is a confident one
#: (weight at least ``HAND_SIGNATURE_WEIGHT``: the spun form is rare as ordinary English)
#: and its spun phrase, of at most ``HAND_SIGNATURE_TOKENS`` tokens, never occurs in the
#: clean news the language model counts ("avid gamers", "with out", "well being"): a
#: phrase that edited news never uses is a spinner's mark wherever it stands, while a
#: hand-written swap of words news does use ("a long time" -> "decades") would make
#: clean text look spun. Measured against learned evidence only: the 40 held-out
#: hand-spun excerpts (``benchmarks/heldout/``) flagged 33 -> 39 (their WER reduction
#: 0.462 -> 0.529, precision 0.615 -> 0.608); 2,386 clean dev articles still 0 flagged,
#: highest score 0.090 as before; the 60 articles of the boilerplate pages highest
#: 0.215 -> 0.223 (threshold 0.35; without the never-in-news condition one of them, a
#: game's blurb with "a long time", scored 0.566); dev pairs, leave-one-out, seed and
#: synthetic spin unchanged. Phrases of up to four tokens flagged the same 39 but made
#: the model load in 0.22 s instead of 0.13 s (0.05 s without these pairs: the phrase
#: finder's pattern grows from 600 to 2,000 phrases, to 3,200 with four tokens).
HAND_SIGNATURE_WEIGHT = 0.8
HAND_SIGNATURE_TOKENS = 2
#: The shipped news lexicons, ``lexicons/spin_<name>.tsv``, and those with hand-set
#: weights, which only add pairs the others lack (a pair the learned lexicon has keeps
#: its measured weight and stays detection evidence) and are not loaded with a user's
#: spinner dictionary. Measured for ``curated`` (with it against without it): leave-one-out
#: WER reduction 0.317 against 0.189 (precision 0.699 against 0.622), seed 28 against 13
#: fixes; with the test dictionary given, keeping it cost 0.014.
NEWS_LEXICONS = ("learned",)
HAND_LEXICONS = ("curated",)
#: What the ``science`` domain adds: the tortured phrases of science papers and the
#: one-word swaps found in them (``general``). The swaps were news candidates until
#: measured against the hand-written lexicon: without them, in-sample precision 0.800 ->
#: 0.814 (WER reduction 0.578 -> 0.586), leave-one-out precision 0.674 -> 0.681 (WER
#: reduction 0.306 -> 0.307), seed 26 -> 25 fixes.
SCIENCE_LEXICONS = ("science", "general")
#: Closed-class words: a spun phrase made only of these ("will", "but", "an") is too
#: common in clean text to be a spinner's signature (it stays a reversal candidate).
FUNCTION_WORDS = frozenset("""
a an the this that these those and or but nor so yet for of to in on at by from with
without into onto over under about above below after before since until while as
than then if because though although whether be is are was were been being am have
has had do does did will would shall should can could may might must not no any
some each every all both either neither it its they them their he him his she her
we us our you your i me my who whom whose which what there here one ones
""".split())
#: A text of at least twice this many words is also judged block by block: its lines
#: gathered into blocks of at least this many words (a short last one joins the block
#: before it), and a block that detection alone judges clean gets no edit even when the
#: whole text is judged spun (a clean article joined to a spun one in one page or
#: record: before, its words were repaired with the spun ones). Measured on the 11 dev
#: excerpts each joined to two clean BBC articles, in three orders: edits of the clean
#: articles 74 -> 19 (22 with 300), and the excerpts' own WER reduction 0.566 -> 0.591,
#: since the spin rate is estimated from the spun blocks only; the same edits as before on
#: the seed article and on 22 texts of three real spun excerpts each, and no change to
#: texts under 400 words (every dev excerpt).
BLOCK_WORDS = 200
#: A text of more characters than this is reversed piece by piece (:func:`text_pieces`):
#: both rounds of decoding go through it a piece at a time, so that memory follows the
#: piece, not the text (about 90 bytes a character while a piece is decoded). The same
#: changes as decoding it whole, in about 1.5 times the time, as each piece is tokenised
#: and its lattices built in both rounds. Measured on spun text: a 6 MB record peaked at
#: 631 MB decoded whole, at 213 MB in pieces of 100,000 characters.
PIECE_CHARS = 1_000_000
#: Prior weight of restoring a name that the text writes in lowercase ("america").
LOWERCASE_NAME_WEIGHT = 0.95
#: How common (wordfreq's Zipf scale) a word in a name must be to get a look-alike name
#: word as a proposal (3.5: about one in 300,000 words, e.g. "courtroom"). Measured on
#: synthetic spin of 2371 clean articles, which leaves names alone: look-alike proposals
#: made 179 wrong name edits and no right one; with this limit and the name list, 51
#: (with the spinner's dictionary, precision 0.947 -> 0.951 and WER reduction 0.887 ->
#: 0.891). Leave-one-out on real spin unchanged (its one right look-alike edit stays).
MIN_ORDINARY_ZIPF = 3.5


#: A sentence to decode: its tokens, their normalised forms, their LM forms, its lattice.
_Sentence = tuple[list[Token], list[str], list[str], dict[int, list[Option]]]


class LexiconIndex(NamedTuple):
    """What :class:`SpinModel` builds from a lexicon, independent of thresholds: the
    lexicon reversal reads, the pairs detection counts as signatures, their indexes, and
    the user's groups. Plain data, so the shipped model's is cached on disk
    (:mod:`..datacache`)."""

    #: the lexicon reversal reads (a user's pairs preferred when there are any)
    reversal: Lexicon
    #: :attr:`.decode.Decoder.starts` of :attr:`reversal`
    reversal_starts: frozenset[str]
    #: the pairs strong enough to count as spinner signatures in detection
    signatures: Lexicon
    signature_starts: frozenset[str]
    #: Detection looks where a signature phrase starts, and where the first word of one
    #: stands with candidates of its own (an inflected phrase: "assaults" for "assault"
    #: -> "attack"); it reads the longest phrase and two tokens after it.
    finder: PhraseFinder
    user_groups: "UserGroups"

    @classmethod
    def build(cls, lexicon: Lexicon, lm: NgramLM) -> "LexiconIndex":
        user = any(is_user_source(src) for cands in lexicon.entries.values() for _w, src in cands.values())
        reversal = _prefer_user_pairs(lexicon) if user else lexicon
        sig = Lexicon()
        for phrase, cands in lexicon.entries.items():
            for orig, w, src in _signature_candidates(phrase, cands, lm):
                sig.add(phrase, orig, w, src)
        sig_decoder = Decoder(lm, sig)
        inflected = [w for w in sig.lengths if w not in sig.entries and sig_decoder.options([w], 0)]
        return cls(reversal, Decoder(lm, reversal).starts, sig, sig_decoder.starts,
                   PhraseFinder([*sig.entries, *inflected]), UserGroups(lexicon if user else Lexicon()))


def _signature_candidates(phrase: str, cands: dict[str, tuple[float, str]], lm: NgramLM) -> list[tuple[str, float, str]]:
    """The candidates (original, weight, source) of ``phrase`` that detection counts as a
    spinner's signature, strongest first: learned and user pairs, and confident
    hand-written pairs of a phrase that is a spinner's mark (see
    :data:`HAND_SIGNATURE_WEIGHT`); none for a phrase of function words only."""
    if _function_words_only(phrase):
        return []
    strong = [(orig, w, src) for orig, (w, src) in cands.items()
              if (w >= MIN_SIGNATURE_WEIGHT or (is_user_source(src) and src != MATE_SOURCE))
              and not src.startswith(CANDIDATE_ONLY_SOURCES)]
    hand = [(orig, w, src) for orig, (w, src) in cands.items()
            if src.startswith(HAND_LEXICONS) and w >= HAND_SIGNATURE_WEIGHT]
    if hand and _is_spinner_mark(phrase, lm):
        strong.extend(hand)
    strong.sort(key=lambda c: (-c[1], c[0]))  # strongest first; equal weights by name
    return strong[:MAX_SIGNATURE_OPTIONS]


def _is_spinner_mark(phrase: str, lm: NgramLM) -> bool:
    """Whether ``phrase`` (lexicon form) is short enough to be a hand-written signature
    (:data:`HAND_SIGNATURE_TOKENS`) and never occurs in the clean news ``lm`` counts."""
    return phrase.count(" ") < HAND_SIGNATURE_TOKENS and lm.news_count(lm_tokens(phrase)) == 0


class SpinModel:
    """Lexicons and statistics for spin detection and reversal, loaded once."""

    def __init__(self, config: Config, lm: NgramLM | None = None) -> None:
        """Load the lexicons ``config`` names. ``lm``: the language model, by default the
        shipped one (the evaluation gives models built without the articles it scores)."""
        self.config = config
        self.lm = NgramLM.shipped() if lm is None else lm
        names = list(NEWS_LEXICONS)
        if "science" in config.domains:
            names.extend(SCIENCE_LEXICONS)
        self.threshold = DEFAULT_THRESHOLD if config.spin_threshold is None else config.spin_threshold
        self.proper = load_gazetteer()
        self.clean_rates = load_clean_rates()
        self.names = NameIndex.load()
        # hand-written guesses about spinners give way when the user names the spinner
        hand = () if config.spinner_dictionaries else HAND_LEXICONS

        built = []

        def build() -> LexiconIndex:
            built.append(True)
            return LexiconIndex.build(load_lexicon(names, config.spinner_dictionaries, fallback=hand), self.lm)

        if lm is None:  # the shipped model's indexes are cached on disk (:mod:`..datacache`)
            # the phrase finder's index differs with and without the C extension
            what = (names, hand, [os.path.abspath(p) for p in config.spinner_dictionaries], c_extension() is not None)
            self._use_index(load_or_build(
                f"spin-{hashlib.sha256(repr(what).encode()).hexdigest()[:12]}", LexiconIndex,
                [lexicon_path(f"spin_{n}.tsv") for n in (*names, *hand)], build,
                hashed=config.spinner_dictionaries, stamped=(self.lm.file_stamps,)))
            if not built:  # loaded: the dictionaries' warnings, as building gives them
                for path in config.spinner_dictionaries:
                    recheck_group_file(path)
        else:
            self._use_index(build())

    @staticmethod
    def data_config(config: Config) -> Config:
        """The default config with only the options of ``config`` that decide what a
        model loads (``domains``, ``spinner_dictionaries``): models of configs with the
        same data config hold the same data (:meth:`for_config`)."""
        return DEFAULT_CONFIG.replace(domains=config.domains, spinner_dictionaries=config.spinner_dictionaries)

    def for_config(self, config: Config) -> "SpinModel":
        """This model's data with ``config``'s thresholds (``spin_threshold``,
        ``min_edit_confidence``, ``unspin_clean`` and the options of the other stages): a
        shallow copy that shares the lexicons, the language model and their caches, so
        configs that differ only there load nothing more. ``config`` must name the same
        ``domains`` and ``spinner_dictionaries``, which decide what is loaded.

        Raises:
            ValueError: when it does not.
        """
        if self.data_config(config) != self.data_config(self.config):
            raise ValueError("for_config needs a config with the same domains and spinner_dictionaries")
        view = copy.copy(self)
        view.config = config
        view.threshold = DEFAULT_THRESHOLD if config.spin_threshold is None else config.spin_threshold
        return view

    def use_lexicon(self, lexicon: Lexicon) -> None:
        """Decode and detect with ``lexicon`` (used by evaluation scripts to swap lexicons)."""
        self._use_index(LexiconIndex.build(lexicon, self.lm))

    def _use_index(self, index: "LexiconIndex") -> None:
        self.user_groups = index.user_groups
        self.lexicon = index.reversal
        # with the user's dictionary the channel is known, and the language model is
        # tempered as the spin-rate test tempers it (detect.USER_LM_POWER)
        self.decoder = Decoder(self.lm, self.lexicon, USER_LM_POWER if self.user_groups else 1.0,
                               starts=index.reversal_starts)
        self._sig_decoder = Decoder(self.lm, index.signatures, starts=index.signature_starts)
        self._sig_finder = index.finder
        self._sig_reader = WindowReader(max((p.count(" ") + 1 for p in index.signatures.entries), default=0) + 2)
        self._word_stats = word_counter()

    # ------------------------------------------------------------ helpers
    @property
    def clean_rates(self) -> dict[str, tuple[int, float]]:
        """How each signature phrase scores in clean news: ``{phrase: (occurrences, sum of
        posteriors)}`` (see :func:`.detect.clean_discount`; evaluation sets other rates)."""
        return self._clean_rates

    @clean_rates.setter
    def clean_rates(self, rates: dict[str, tuple[int, float]]) -> None:
        self._clean_rates = rates
        self._clean_base = clean_bases(rates)

    def word_stats(self, low: str) -> tuple[int, bool]:
        """``(words, english)`` of lowercased text (:func:`.detect.lowercase`): its word
        count, and whether enough of its first :data:`.detect.ENGLISH_SAMPLE` words are
        known English words. Detection and reversal both ask this."""
        return self._word_stats(low, self.lm.ids, ENGLISH_SAMPLE, MIN_ENGLISH)

    # ------------------------------------------------------------ detection
    def _evidence(self, text: str) -> Evidence:
        """Signature evidence. The words are counted and the first ones checked for
        English; a :class:`.lexicon.PhraseFinder` finds where a signature phrase may
        start; only there is the text tokenised (the phrase and a few tokens around it,
        :class:`.detect.WindowReader`), looked up in the lexicon and scored by the
        language model. Every occurrence is scored, and every one whose best restoration
        has a posterior of at least :data:`SUSPECT_POSTERIOR` is a suspect. What an occurrence adds to the
        evidence is its posterior above what that phrase scores in clean news
        (:func:`.detect.clean_discount`); the count of distinct suspect phrases is
        not discounted. With a user spinner dictionary, its substitutes are not summed:
        they and its originals still standing go to the spin-rate test
        (:func:`.detect.spin_rate_test`, with :class:`UserGroups`), since a big
        dictionary finds a hundred of its phrases in any clean article. (See
        :mod:`.detect` for the C fast paths.)"""
        low = lowercase(text)
        words, english = self.word_stats(low)
        ev = Evidence(words=words, english=english)
        if not ev.english:
            return ev
        by_type: dict[str, float] = {}    # evidence per distinct phrase, in this stretch of the text
        counts: dict[str, int] = {}        # its occurrences there
        looks_spun: dict[str, float] = {}  # posteriors per distinct phrase, in the whole text
        seen: dict[str, int] = {}          # its occurrences there
        signature = 0.0
        stretch = 0  # which REPEAT_SPAN_CHARS of the text by_type and counts are of
        bases = self._clean_base
        groups = self.user_groups
        substitutes = groups.substitutes  # empty without a user dictionary
        terms: list[float] = []  # the user dictionary's substitutes, for the spin-rate test
        for start, end, key, p, best, post, plan in self._scored_phrases(low):
            if key in substitutes:
                terms.append(groups.term(key, post, plan))
                weight = p
            else:
                b = bases.get(key)
                weight = evidence = p if b is None else discounted(p, b)
                if start // REPEAT_SPAN_CHARS != stretch:
                    signature += _signature(by_type, counts)
                    by_type, counts, stretch = {}, {}, start // REPEAT_SPAN_CHARS
                by_type[key] = by_type.get(key, 0.0) + evidence
                counts[key] = counts.get(key, 0) + 1
                looks_spun[key] = looks_spun.get(key, 0.0) + p
                seen[key] = seen.get(key, 0) + 1
            if p >= SUSPECT_POSTERIOR:
                # the originals of this span: the best option's length (the plan also
                # holds options for a shorter or longer phrase starting here)
                length = plan.options[best - 1].length
                ranked = sorted((k for k in range(1, len(post)) if plan.options[k - 1].length == length),
                                key=lambda k: -post[k])
                ev.suspects.append(Suspect(start, end, text[start:end], tuple(dict.fromkeys(
                    plan.options[k - 1].original for k in ranked[:3])), round(weight, 4)))
        ev.signature = max(0.0, signature + _signature(by_type, counts))
        ev.types = sum(1 for k, total in looks_spun.items() if total / seen[k] >= SUSPECT_POSTERIOR)
        if groups:
            ev.user_llr, ev.user_rate = spin_rate_test(terms, groups.originals_in(low))
        return ev

    def _scored_phrases(self, low: str) -> list[tuple[int, int, str, float, int, list[float], Plan]]:
        """Every signature phrase of ``low`` (lowercased text) scored in its context:
        ``(start, end, spun, posterior, best, posteriors, plan)``, where ``best`` is the
        index (from 1) of the best option, ``posterior`` its posterior and ``spun`` and
        ``end`` the lexicon form and the end offset of the span it replaces. In one C call
        when the extension is built (``Scorer.scan_phrases``, the same rows)."""
        dec, reader = self._sig_decoder, self._sig_reader
        starts = self._sig_finder.starts(low)
        if self.lm._c is not None and reader.compiled:
            return self.lm._c.scan_phrases(low, starts, reader.after, dec.lexicon.lengths, dec.lexicon.prefixes,
                                           dec.plan, DETECTION_RHO, reader.read)
        rows = []
        for start in starts:
            tokens = reader.read(low, start)
            if tokens is None:
                continue
            left, right, ends = tokens
            plan = dec.plan(dec.key(right, 0), DETECTION_RHO)
            if plan is None:
                continue
            best, post = dec.phrase_posteriors(plan, left, right)
            n = plan.lengths[best - 1]
            rows.append((start, ends[n - 1], " ".join(right[:n]), post[best], best, post, plan))
        return rows

    def detect(self, text: str) -> SpinReport:
        """Score ``text`` for spinner output and list the suspect spans. A text that
        holds a spinner's template as it is (:mod:`.spintax`) is spun, its groups the
        suspects."""
        resolved, groups = self._resolve_spintax(text, for_detection=True)
        if not groups:
            return self._detect(text)
        rest = self._detect(resolved)
        suspects = tuple(Suspect(c.start, c.end, c.before, (c.after,), 1.0) for c in groups)
        return SpinReport(score=1.0, is_spun=True, threshold=self.threshold, suspects=suspects,
                          words=rest.words, confidence=rest.confidence)

    def _detect(self, text: str) -> SpinReport:
        ev = self._evidence(text)
        if not ev.words or not ev.english:
            return SpinReport(score=0.0, is_spun=False, threshold=self.threshold, words=ev.words,
                              confidence=confidence_for(ev.words))
        score = calibrated_score(ev)
        return SpinReport(score=score, is_spun=score >= self.threshold, threshold=self.threshold,
                          suspects=tuple(ev.suspects), words=ev.words, confidence=confidence_for(ev.words),
                          spin_rate=None if ev.user_llr is None else ev.user_rate)

    # ------------------------------------------------------------ names
    def _add_name_options(self, sent: list[Token], norms: list[str], lattice: dict[int, list[Option]]) -> None:
        """Add the gazetteer's proposals for the words of capitalised runs to ``lattice``."""
        related = lambda a, b: b in self.lexicon.candidates(a)  # noqa: E731
        for run in _capitalised_runs(sent):
            run, words = _with_initialisms(sent, run, norms)
            # every sub-run of two or more words, since "Myanmar's Nationwide League ..." holds
            # a name, and of at most as many words as the longest name: linear in the run
            # (a shouted paragraph is one run)
            plain = [w.replace(".", "") for w in words]  # "u.s." is the gazetteer's "us"
            for i in range(len(words)):
                for j in range(i + 2, min(len(words), i + self.names.longest) + 1):
                    if self.names.is_name(plain[i:j]):
                        _keep_name_words(lattice, run[i:j])
                        continue
                    for pos, (word, weight) in self.names.candidates(plain[i:j], related, self._ordinary).items():
                        k = run[i + pos]
                        if "." in words[i + pos]:
                            continue  # an initialism is no spinner's swap
                        opts = lattice.setdefault(k, [])
                        same = next((n for n, o in enumerate(opts) if o.length == 1 and o.original == word), None)
                        if same is None:
                            opts.append(Option(1, word, weight, "gazetteer"))
                        elif opts[same].weight < weight:
                            # a known name confirms the lexicon's guess, which _in_name weakened
                            opts[same] = Option(1, word, weight, "gazetteer")
            # a name no list knows, shaped as an institution's ("Harbour Town Council",
            # "National Crew Association"): a word's swap there is no spinner's, but for
            # the gazetteer's proposals above, the lexicon's phrases of several words
            # ("Financial Coverage Committee" -> "Monetary Policy Committee") and words
            # news hardly uses ("House Vitality and Commerce Committee")
            head = next((k for k in range(len(run) - 1, -1, -1) if sent[run[k]].is_word), -1)
            if head >= 2 and words[head] in INSTITUTION_HEADS:
                for k in run[:head + 1]:
                    if k in lattice and self.lm.news_count([norms[k]]) > RARE_IN_NEWS:
                        lattice[k] = [o for o in lattice[k] if o.source == "gazetteer" or o.length > 1]
                        if not lattice[k]:
                            del lattice[k]

    def _ordinary(self, word: str) -> bool:
        """Whether ``word`` (lowercase) is a common word that is not a name: one a
        spinner's dictionary would hold (see :meth:`.gazetteer.NameIndex.candidates`)."""
        return word not in self.proper and englishfreq.zipf(word) >= MIN_ORDINARY_ZIPF

    def _casing_evidence(self, tok, opts: list[Option]) -> list[Option]:
        """A name written in lowercase ("america") is a spinner's mark: a spinner outputs
        its substitutes in lowercase, while news always capitalises the name. Its
        restorations get a strong prior."""
        if not (tok.text.islower() and tok.norm in self.proper):
            return opts
        return [Option(o.length, o.original, max(o.weight, LOWERCASE_NAME_WEIGHT), o.source) for o in opts]

    # ------------------------------------------------------------ reversal
    def unspin_and_explain(self, text: str, report: SpinReport | None = None) -> tuple[str, list[Change]]:
        """Restore the original wording; return the text and the list of changes. A
        spinner's template left in the text has each group replaced by its first choice
        (:mod:`.spintax`); the rest of the text is then repaired as its own detection
        judges it (in a template, the words outside the groups are the writer's), and
        ``report``, which is of the text with its groups, is not used."""
        resolved, groups = self._resolve_spintax(text)
        if groups:
            _out, changes = self._unspin(resolved, self._detect(resolved))
            # the first choice of a group is the original: the decoder does not change it
            changes = spintax.compose(text, groups, spintax.outside(groups, changes))
            return apply_changes(text, changes), changes
        return self._unspin(text, report)

    def _resolve_spintax(self, text: str, for_detection: bool = False) -> tuple[str, list[Change]]:
        """``text`` with a spinner's template resolved (:mod:`.spintax`; choices are
        synonyms when the lexicon links them); for reversal, not when
        ``min_edit_confidence`` is above the resolution's confidence."""
        if not for_detection and spintax.CONFIDENCE < self.config.min_edit_confidence:
            return text, []
        lexicon = self.lexicon
        return spintax.resolve(text, lambda a, b: b in lexicon.candidates(a))

    def _unspin(self, text: str, report: SpinReport | None) -> tuple[str, list[Change]]:
        if report is None:
            report = self._detect(text)
        if not report.is_spun and not self.config.unspin_clean:
            return text, []
        # a text detection judged spun was English to it; only a forced repair asks again
        if not TOKEN_RE.search(text) or not (report.is_spun or self.word_stats(lowercase(text))[1]):
            return text, []
        # not decoded: paragraphs in another language, and (unless a forced repair)
        # blocks of a long text that detection judges clean on their own
        skipped = self._foreign_lines(text)
        if not self.config.unspin_clean:
            skipped = _merged(skipped + self._clean_blocks(text))
        skipped_starts = [a for a, _ in skipped]  # in order: one lookup a sentence
        verbatim = verbatim_spans(text)

        def lattices(start: int, end: int) -> list[_Sentence]:
            """The sentences of ``text[start:end]`` to decode."""
            sents = self._lattices(text, tokenize(text, start, end), verbatim)
            if skipped:
                sents = [s for s in sents
                         if not _overlaps(skipped, skipped_starts, s[0][0].start, s[0][0].start + 1)]
            return sents

        pieces = text_pieces(text, PIECE_CHARS)
        if len(pieces) == 1:
            sents = lattices(0, len(text))
            changes = self._changes(text, sents, self._decode(sents))
        else:
            # round 1 over the whole text, then round 2, each piece by piece: the
            # sentences of one piece at a time are held, not those of the whole text
            tally = _SpinTally()
            for start, end in pieces:
                sents = lattices(start, end)
                tally.add(sents, self._decode_round(sents, None, DETECTION_RHO, Counter(), 0.0))
            rho = tally.rho()
            changes = []
            for start, end in pieces:
                sents = lattices(start, end)
                changes += self._changes(text, sents, self._decode_round(
                    sents, None, rho, tally.boost, self.config.min_edit_confidence))
        if not changes:
            return text, []
        return apply_changes(text, changes), changes

    def _foreign_lines(self, text: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` offsets of the lines of at least :data:`FOREIGN_LINE_WORDS`
        words that are not English (:meth:`word_stats`): a quoted paragraph in French
        inside an English article is left as written ("Les combats" is no spun
        "fights"). Shorter lines are too few words to tell."""
        out = []
        for line in _LINE.finditer(text):
            if line.end() - line.start() < 4 * FOREIGN_LINE_WORDS:
                continue
            words, english = self.word_stats(lowercase(line.group()))
            if words >= FOREIGN_LINE_WORDS and not english:
                out.append(line.span())
        return out

    def _clean_blocks(self, text: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` offsets of the blocks of a long text that detection judges
        clean on their own (see :data:`BLOCK_WORDS`); none for a shorter text."""
        blocks = text_blocks(text, BLOCK_WORDS)
        if len(blocks) < 2:
            return []
        return [(a, b) for a, b in blocks if not self.detect(text[a:b]).is_spun]

    def _lattices(self, text: str, tokens: list[Token],
                  verbatim: list[tuple[int, int]] | None = None) -> list[_Sentence]:
        """The sentences that hold something to decide: their tokens, normalised forms, LM
        forms and lattice (token index -> options: the lexicons', the gazetteer's names,
        number words inside numbers). ``tokens`` are those of ``text``, or of a piece of
        it that ends where a sentence does; ``verbatim``: :func:`.tokens.verbatim_spans`
        of ``text``, if known."""
        dec = self.decoder
        starts = dec.starts  # the tokens that may have options: most have none
        if verbatim is None:
            verbatim = verbatim_spans(text)
        verbatim_starts = [a for a, _ in verbatim]
        sents = []
        for a, b in sentences(text, tokens):
            sent = tokens[a:b]
            norms = [t.norm for t in sent]
            lattice = {}
            for i, t in enumerate(sent):
                if t.norm not in starts or not t.text[0].isalnum() or (t.text[0] == "A" and _label_letter(sent, i)):
                    continue
                opts = _with_determiner(sent, i, _whole_words(sent, i, dec.options(norms, i)))
                if opts and (opts := _in_name(sent, i, self._casing_evidence(t, opts))):
                    lattice[i] = opts
            self._add_name_options(sent, norms, lattice)
            _add_number_options(sent, lattice)
            if verbatim and lattice:
                _drop_verbatim(sent, lattice, verbatim, verbatim_starts)
            if lattice:
                sents.append((sent, norms, [lm_token(t.text) for t in sent], lattice))
        return sents

    def _decode(self, sents: list[_Sentence]) -> list[list[Decision]]:
        """Decode every sentence, in two rounds (each of up to ``decode.PASSES`` passes
        over a sentence, :meth:`.Decoder.decode_sentence`).

        1. At the neutral spin rate :data:`DETECTION_RHO`, with no bar on the posterior:
           the best choice at every position, only to estimate the document's spin.
        2. At the spin rate re-estimated from round 1's edits (within
           :data:`RHO_RANGE`), with every pair that round 1 restored with a posterior of
           at least :data:`BOOST_POSTERIOR` made likelier (its weight times 1 + the number
           of such restorations, at most 1; the spinner is consistent), and only edits
           that reach ``Config.min_edit_confidence``. The count includes the position's
           own round-1 choice, so a confident restoration seen once is boosted where it
           stands too."""
        memos: list[dict] = [{} for _ in sents]  # LM scores of each sentence, kept across rounds
        tally = _SpinTally()
        tally.add(sents, self._decode_round(sents, memos, DETECTION_RHO, Counter(), 0.0))
        return self._decode_round(sents, memos, tally.rho(), tally.boost, self.config.min_edit_confidence)

    def _decode_round(self, sents: list[_Sentence], memos: list[dict] | None, rho: float, boost: Counter,
                      min_posterior: float) -> list[list[Decision]]:
        """One round of :meth:`_decode` over ``sents``; ``memos``, one per sentence, keep
        their LM scores for the next round (``None``: a round on its own)."""
        if memos is None:
            memos = [{} for _ in sents]
        return [self.decoder.decode_sentence(norms, lmf, rho, boost, lattice=lat, memo=memo,
                                             min_posterior=min_posterior)
                for (_, norms, lmf, lat), memo in zip(sents, memos)]

    def _changes(self, text: str, sents: list[_Sentence], results: list[list[Decision]]) -> list[Change]:
        """The decisions (each clears ``min_edit_confidence``) as changes of ``text``: the
        restored words in the text's casing, with the article before them made to agree."""
        changes: list[Change] = []
        for (sent, _norms, _lmf, _lat), res in zip(sents, results):
            for d in res:
                change = self._restoration(text, sent, d)
                if change is None:
                    continue
                if d.index > 0 and not _label_letter(sent, d.index - 1):
                    change = _agree_with_restored(text, _article_before(sent, d.index), change, d.option.source,
                                                  changes)
                changes.append(change)
        return changes

    def _restoration(self, text: str, sent: list[Token], d: Decision) -> Change | None:
        """The change that decision ``d`` makes in ``text``: its original in the casing of
        the words it replaces, a final "a"/"an" agreeing with the word after it; ``None``
        when that is what the text says already."""
        start, end = sent[d.index].start, sent[d.index + d.option.length - 1].end
        before = text[start:end]
        k = d.index + d.option.length
        in_capitals = before[:2].isupper() and _written_in_capitals(sent[:d.index] + sent[k:])
        after = transfer(before, d.option.original, self.proper, in_capitals, _starts_sentence(sent, d.index))
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


class _SpinTally:
    """What round 1 of decoding (:meth:`SpinModel._decode`) found in a document, sentence
    by sentence: the option weight of its positions, its edits and the pairs it restored
    with confidence; from them, the spin rate and the boost of round 2."""

    def __init__(self) -> None:
        self.weights: list[float] = []  # each position's, summed exactly (any order, any pieces)
        self.edits = 0
        self.boost: Counter = Counter()

    def add(self, sents: list[_Sentence], first: list[list[Decision]]) -> None:
        """Count round 1's decisions ``first`` on ``sents``."""
        for (_, norms, _lmf, lattice), res in zip(sents, first):
            # a position is a chance of rho * (its candidates' weight) to be restored, so
            # rho is re-estimated as edits per unit of weight (see POSITION_WEIGHT_FLOOR)
            self.weights += [min(1.0, max(POSITION_WEIGHT_FLOOR, sum(o.weight for o in opts)))
                             for opts in lattice.values()]
            self.edits += len(res)
            for d in res:
                if d.posterior >= BOOST_POSTERIOR:
                    self.boost[(" ".join(norms[d.index:d.index + d.option.length]), d.option.original)] += 1

    def rho(self) -> float:
        """The document's spin rate: edits per unit of weight, add-one smoothed, within
        :data:`RHO_RANGE`."""
        return min(RHO_RANGE[1], max(RHO_RANGE[0], (self.edits + 1) / (math.fsum(self.weights) + 2)))


def text_pieces(text: str, size: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of ``text`` cut into pieces of at least ``size``
    characters, each ending where a sentence surely ends (:data:`_PIECE_END`: a blank
    line, a line ending in ".", "!" or "?", or in a text without line breaks the space
    after such a sentence), so that no token or sentence spans two
    (:func:`.decode.sentences`); one piece for a shorter text or one without such a
    place.

        >>> text_pieces("One.\\nTwo.\\n\\nThree", 3)
        [(0, 5), (5, 11), (11, 16)]
        >>> text_pieces("no line ends here", 3)
        [(0, 17)]
    """
    pieces = []
    start = 0
    while len(text) - start > size:
        cut = _PIECE_END.search(text, start + size)
        if cut is None:
            break
        pieces.append((start, cut.end()))
        start = cut.end()
    if start < len(text) or not pieces:
        pieces.append((start, len(text)))
    return pieces


#: Where :func:`text_pieces` may end a piece: the white space of a line break after a
#: sentence's end, or of a blank line; in a text without line breaks, the spaces after a
#: sentence's end that follows a word of five lowercase letters (no initial, title or
#: initialism: :func:`.tokens.abbreviation_dot`) and comes before a capital.
_PIECE_END = re.compile(r"(?:(?<=[.!?])[^\S\n]*\n|\n[^\S\n]*\n)\s*|(?<=[a-z]{5}[.!?])[^\S\n]+(?=[A-Z])")


def _signature(by_type: dict[str, float], counts: dict[str, int]) -> float:
    """The signature of one stretch of a text (see :data:`.detect.REPEAT_SPAN_CHARS`):
    each distinct phrase's mean evidence times ``1 + log`` of its occurrences. A spinner
    makes many different substitutions; a clean text that repeats one ambiguous word
    ("army") is not more suspect for each repetition."""
    return sum(total / counts[k] * (1.0 + math.log(counts[k])) for k, total in by_type.items())


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


#: A single quotation mark that opens (at a word's start, before a letter) or closes
#: (after a letter or a sentence's mark, before a space or a mark).
_SINGLE_QUOTE = re.compile(r"(?P<open>(?<![\w’'])['‘](?=[^\W\d_]))|(?<=[\w.,!?])['’](?=[\s)\]”\".,;:!?—–-]|$)")


def _keep_name_words(lattice: dict[int, list[Option]], name: list[int]) -> None:
    """Drop from ``lattice`` the lexicon's options inside the known name at the token
    indices ``name`` (consecutive): its words are the name's own. An option that runs
    past the name's end ("Supreme Court docket" -> "Supreme Court") stays."""
    end = name[-1] + 1
    for k in name:
        if k in lattice:
            kept = [o for o in lattice[k] if o.source == "gazetteer" or k + o.length > end]
            if kept:
                lattice[k] = kept
            else:
                del lattice[k]


def text_blocks(text: str, size: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of ``text`` cut into blocks of whole lines of at least
    ``size`` words each (a last block of fewer than half as many joins the one before
    it); one block for a text of fewer than ``2 * size`` words.

        >>> text_blocks("a b c d\\ne f g h\\ni\\n", 4)
        [(0, 8), (8, 18)]
        >>> text_blocks("a b\\nc\\n", 4)
        [(0, 6)]
    """
    if len(text.split()) < 2 * size:
        return [(0, len(text))] if text else []
    blocks: list[tuple[int, int]] = []
    start = words = 0
    for line in _LINE.finditer(text):
        words += len(line.group().split())
        if words >= size:
            blocks.append((start, line.end()))
            start, words = line.end(), 0
    if start < len(text):
        if blocks and words < size // 2:
            blocks[-1] = (blocks[-1][0], len(text))
        else:
            blocks.append((start, len(text)))
    return blocks


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` in order, those that overlap or touch joined into one.

        >>> _merged([(5, 9), (0, 3), (2, 4), (9, 12)])
        [(0, 4), (5, 12)]
    """
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether the characters [start, end) overlap one of ``spans`` (in order, not
    overlapping each other; ``starts`` their starts): one bisect."""
    k = bisect_right(starts, end - 1) - 1  # the last span starting before the end
    return k >= 0 and spans[k][1] > start


#: A line and its line break.
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def _function_words_only(phrase: str) -> bool:
    """Whether ``phrase`` (lexicon form) is made of :data:`FUNCTION_WORDS` only: detection
    does not score it."""
    return all(t in FUNCTION_WORDS for t in phrase.split(" "))


def _starts_sentence(sent: list[Token], i: int) -> bool:
    """Whether ``sent[i]`` opens the sentence or follows a mark that opens one (a full
    stop, unless an abbreviation's; a quotation mark, a bracket, a dash)."""
    return i == 0 or (sent[i - 1].text in _SENTENCE_OPENERS and not abbreviation_dot(sent, i - 1))


def _after_honorific(sent: list[Token], i: int) -> bool:
    """Whether ``sent[i]`` follows a title ("Mr", "Gen."): it is a person's name."""
    j = i - 2 if i >= 2 and abbreviation_dot(sent, i - 1) else i - 1
    return j >= 0 and sent[j].norm in HONORIFICS


def _label_letter(sent: list[Token], i: int) -> bool:
    """Whether ``sent[i]`` is a capital "A" (or "An") inside a sentence that is not written
    in capitals: a label ("Group A", "Plan A"), not the article that lexicon phrases
    such as "a navy" begin with."""
    return (sent[i].text in ("A", "An") and not _starts_sentence(sent, i)
            and not _written_in_capitals(sent))


def _written_in_capitals(tokens: list[Token]) -> bool:
    """Whether most of the words among ``tokens`` (at least two) are written in capitals,
    as in a shouted headline: there a word in capitals is no abbreviation."""
    words = [t.text for t in tokens if t.text[:1].isalpha()]
    return len(words) >= 2 and 2 * sum(w.isupper() for w in words) > len(words)


def _spin_change(text: str, start: int, end: int, after: str, source: str, posterior: float) -> Change:
    """The change of ``text[start:end]`` into ``after``, with its reason."""
    before = text[start:end]
    return Change(start, end, before, after, "spin",
                  f"spun {before!r} -> {after!r} ({_evidence_of(source)}; context)", round(posterior, 4))


#: A spun abbreviation's end ("p.c", "P.C"), and its own full stop after it, followed by
#: the rest of the sentence (a lowercase word, a comma, a closing bracket), not by the
#: next sentence.
_ABBREVIATION_END = re.compile(r"\.[A-Za-z]$")
_ABBREVIATION_DOT = re.compile(r"\.(?:[ \t]+[a-z]|[,;:)\]])")

#: Marks that may stand between an article and its noun: "a “vitality” crisis".
_OPENING_MARKS = frozenset(('"', '“', '‘', "'", '(', '['))


def _article_before(sent: list[Token], i: int) -> Token:
    """The token before ``sent[i]``; or, across opening quotation marks and brackets, the
    article "a" or "an" before them ("a “energy” crisis" must read "an “energy”")."""
    j = i - 1
    while j > 0 and sent[j].text in _OPENING_MARKS:
        j -= 1
    return sent[j] if j < i - 1 and sent[j].norm in ("a", "an") else sent[i - 1]


def _agree_with_restored(text: str, before: Token, change: Change, source: str, changes: list[Change]) -> Change:
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


def _capitalised_runs(sent: list[Token]) -> list[list[int]]:
    """The token indices of each run of two or more capitalised words in ``sent``, a
    small linking word inside one included ("League for Democracy"), and an
    initialism's full stops passed over ("U.S. Navy": see :func:`_with_initialisms`)."""
    runs: list[list[int]] = []
    cur: list[int] = []
    for k, t in enumerate(sent):
        if t.is_word and t.text[0].isupper():
            cur.append(k)
        elif cur and cur[-1] == k - 1 and len(sent[k - 1].text) == 1 and abbreviation_dot(sent, k):
            continue
        elif cur and t.norm in NAME_LINKS and k + 1 < len(sent) and sent[k + 1].text[0].isupper():
            cur.append(k)
        else:
            if len(cur) >= 2:
                runs.append(cur)
            cur = []
    if len(cur) >= 2:
        runs.append(cur)
    return runs


def _with_initialisms(sent: list[Token], run: list[int], norms: list[str]) -> tuple[list[int], list[str]]:
    """The token indices and lowercase words of a capitalised run, an initialism's
    letters ("U.S.") as one word "u.s." at its first letter's index: the gazetteer
    compares it without its full stops ("US Navy")."""
    idx: list[int] = []
    words: list[str] = []
    last = -1  # the index of the last letter of an initialism so far
    for k in run:
        letter = len(sent[k].text) == 1 and k + 1 < len(sent) and abbreviation_dot(sent, k + 1)
        if letter and words and words[-1].endswith(".") and last + 2 == k:
            words[-1] += norms[k] + "."  # at its first letter's index
        else:
            idx.append(k)
            words.append(norms[k] + "." if letter else norms[k])
        last = k if letter else -1
    return idx, words


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


def _in_name(sent: list[Token], i: int, opts: list[Option]) -> list[Option]:
    """``opts`` at ``sent[i]``, the lexicon's weighed by :data:`NAME_WEIGHT_SCALE` when the
    token is a capitalised word that does not start its sentence: part of a name or title
    ("Harbour Town council", "the Navy"), where a name's own words are likelier than a
    spinner's swap of a common word. The document's boost cannot lift them above that
    scale (``Option.cap``): "navy" restored elsewhere says nothing of a name. Spun names
    are restored from the gazetteer, whose options keep their weight. A word written in
    capitals alone ("PCs") is an abbreviation as a spinner's dictionary writes it, not
    a name."""
    text = sent[i].text
    if not text[:1].isupper():
        return opts
    if _after_honorific(sent, i):  # "Mr Folks", "Gen. Vitality": a person's name
        return [o for o in opts if o.source == "gazetteer"]
    if _starts_sentence(sent, i):
        return opts
    if text[1:2].isupper() and not (sent[i - 1].text[:1].isupper()
                                     or (i + 1 < len(sent) and sent[i + 1].text[:1].isupper())):
        return opts
    return [o if o.source == "gazetteer"
            else Option(o.length, o.original, o.weight * NAME_WEIGHT_SCALE, o.source, NAME_WEIGHT_SCALE)
            for o in opts]


def _evidence_of(source: str) -> str:
    """Where an option came from, as a change's reason says it."""
    if source == "numbers":
        return "a number word inside a number"
    return f"{source.split(':')[0]} lexicon"


def _add_number_options(sent: list[Token], lattice: dict[int, list[Option]]) -> None:
    """Add to ``lattice`` the restoration of a number word written before a decimal point
    and digits ("two.1" -> "2.1"), a spinner's swap inside a number."""
    for i in range(len(sent) - 2):
        word, dot, digits = sent[i], sent[i + 1], sent[i + 2]
        digit = _DIGIT_OF.get(word.norm)
        if (digit is None or dot.text != "." or not digits.text.isdigit()
                or word.end != dot.start or dot.end != digits.start):
            continue
        opts = _whole_words(sent, i, [Option(3, f"{digit}.{digits.text}", NUMBER_WORD_WEIGHT, "numbers")])
        if opts:
            lattice[i] = opts + lattice.get(i, [])


def _drop_verbatim(sent: list[Token], lattice: dict[int, list[Option]], spans: list[tuple[int, int]],
                   starts: list[int]) -> None:
    """Remove from ``lattice`` the options whose span overlaps one of ``spans`` (sorted
    character offsets of text that is not prose, :func:`.tokens.verbatim_spans`; ``starts``
    their starts)."""
    for i in list(lattice):
        kept = []
        for o in lattice[i]:
            if not _overlaps(spans, starts, sent[i].start, sent[min(len(sent), i + o.length) - 1].end):
                kept.append(o)
        if kept:
            lattice[i] = kept
        else:
            del lattice[i]


def _glued(a: Token, b: Token) -> bool:
    """Whether tokens ``a`` and ``b`` are one word to a reader: a number and the letters
    written on to it ("2nd", "10am", "5G")."""
    return a.end == b.start and a.text[-1].isalnum() and b.text[0].isalnum()


def _whole_words(sent: list[Token], i: int, opts: list[Option]) -> list[Option]:
    """The options at ``sent[i]`` that start and end where a word does: "the 2" ->
    "the two" must not turn "the 2nd" into "the twond"."""
    if not opts or (i and _glued(sent[i - 1], sent[i])):
        return []
    return [o for o in opts if i + o.length >= len(sent) or not _glued(sent[i + o.length - 1], sent[i + o.length])]


#: Words that may stand before a singular noun in place of a spinner's number phrase ("the
#: 12 months" -> "the year"): articles, demonstratives, possessives, quantifiers and the
#: adjectives of time that go with it.
DETERMINERS = frozenset(
    "a an the this that these those every each per last next past one whole full entire same "
    "previous following current coming new his her its their our my your another any no some "
    "first second third final closing subsequent upcoming prior preceding".split())


#: Number words that may stand before "percent".
_NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion".split())


def _with_determiner(sent: list[Token], i: int, opts: list[Option]) -> list[Option]:
    """The options at ``sent[i]`` without those that the words around make no English:

    - "percent" without a number before it ("2.1 p.c" -> "2.1 percent"; "P.C. Jones" is
      a constable);
    - a single singular noun for a phrase that starts with a number ("12 months" ->
      "year") where no determiner stands before it: "served 12 months" is what the
      writer wrote, "served year" is no English (the spinner turns "a year" into "a 12
      months"). A word between them may be an adjective ("a hard 12 months"); a number
      before it ("a two-12 months deal") or a hyphen after it ("12 months-end") makes a
      compound.
    """
    if not opts:
        return opts
    if not _after_number(sent, i):
        opts = [o for o in opts if not o.original.startswith("percent")]
    if not sent[i].text[:1].isdigit() or _determined(sent, i):
        return opts
    return [o for o in opts if not (o.original.isalpha() and not o.original.endswith("s"))
            or _hyphen_after(sent, i + o.length)]


def _after_number(sent: list[Token], i: int) -> bool:
    """Whether a number (digits or a number word) stands before ``sent[i]``, an opening
    bracket apart ("20 (p.c)")."""
    j = i - 2 if i >= 2 and sent[i - 1].text in _OPENING_MARKS else i - 1
    return j >= 0 and _is_number(sent[j].norm)


def _is_number(norm: str) -> bool:
    """Whether a token (lexicon form) is a number: digits or a number word."""
    return norm[:1].isdigit() or norm in _NUMBER_WORDS


def _determined(sent: list[Token], i: int) -> bool:
    """Whether a determiner ("the", "a", "last", a possessive), perhaps with one adjective
    after it, or a number or hyphen of a compound stands before ``sent[i]``. ("over the
    past 12 months" is restored: in a spun text it was most often "the past year".)"""
    prev = sent[i - 1].norm if i else ""
    if prev in DETERMINERS or prev.endswith("'s") or prev == "-" or _is_number(prev):
        return True
    return i >= 2 and sent[i - 2].norm in DETERMINERS and sent[i - 1].is_word and prev not in FUNCTION_WORDS


def _hyphen_after(sent: list[Token], k: int) -> bool:
    """Whether ``sent[k]`` is a hyphen glued to the word before it."""
    return k < len(sent) and sent[k].text == "-" and sent[k].start == sent[k - 1].end


def _prefer_user_pairs(lexicon: Lexicon) -> Lexicon:
    """``lexicon``, which holds pairs of a user's spinner dictionary, for reversal: the
    other pairs weighted by :data:`SHIPPED_WEIGHT_WITH_USER_DICTIONARY`."""
    return lexicon.reweighted(lambda src: 1.0 if is_user_source(src) else SHIPPED_WEIGHT_WITH_USER_DICTIONARY)


#: The largest log ratio of the language model's probabilities that the spin-rate test
#: takes from one occurrence (e^50 is certainty).
_MAX_LOG_RATIO = 50.0


class UserGroups:
    """The groups of the user's spinner dictionaries, for detection's spin-rate test
    (:func:`.detect.spin_rate_test`): which originals each substitute stands for, how
    many substitutes each original has, and where originals stand in a text.

    Built from the user's pairs of a lexicon: a group file's inversions (``sub ->
    original``; not the group mates) and a user lexicon's rows. False when there are none.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        subs_of: dict[str, set[str]] = {}  # original (as restored) -> its substitutes
        for spun, cands in lexicon.entries.items():
            for orig, (_w, src) in cands.items():
                if is_user_source(src) and src != MATE_SOURCE:
                    subs_of.setdefault(orig, set()).add(spun)
        # detection does not score a phrase of function words ("since" for "because"), so
        # an original whose substitutes are all such is not counted either: the test sees
        # both sides of a group or neither
        subs_of = {orig: subs for orig, subs in subs_of.items()
                   if not all(_function_words_only(sub) for sub in subs)}
        #: substitute -> {original (as restored): that original's number of substitutes}
        self.substitutes: dict[str, dict[str, int]] = {}
        for orig, subs in subs_of.items():
            for sub in subs:
                self.substitutes.setdefault(sub, {})[orig] = len(subs)
        #: first token -> the originals (lexicon form) starting with it, longest first
        self._originals: dict[str, list[tuple[str, ...]]] = {}
        keys = {phrase_key(o) for o in subs_of} - {""}
        # compared without possessives on both sides ("world's" holds "world")
        for toks in sorted({tuple(without_possessive(t) for t in k.split(" ")) for k in keys}, key=len, reverse=True):
            self._originals.setdefault(toks[0], []).append(toks)
        # where an original may start, and the tokens there, read as detection reads them
        self._finder = PhraseFinder(keys | {k + "'s" for k in keys})  # "country's" holds "country"
        self._reader = WindowReader(max((len(toks) for found in self._originals.values() for toks in found), default=1))

    def __bool__(self) -> bool:
        return bool(self.substitutes)

    def term(self, key: str, post: list[float], plan: Plan) -> float:
        """The spin-rate test's term of one occurrence of the substitute ``key``: the sum,
        over the originals it stands for, of how much likelier the language model finds
        each (to the power :data:`.detect.USER_LM_POWER`), over its number of substitutes.
        ``post`` and ``plan`` are detection's scoring of the occurrence: the ratio of an
        option's posterior to keeping's, over their priors' ratio, is the models' ratio."""
        originals = self.substitutes[key]
        keep, log_priors = post[0], plan.log_priors
        total = 0.0
        for k, o in enumerate(plan.options, 1):
            n = originals.get(o.original)
            if n is None:
                continue
            if keep > 0.0:
                log_ratio = math.log(max(post[k], 1e-300) / keep) + log_priors[0] - log_priors[k]
            else:
                log_ratio = _MAX_LOG_RATIO
            total += math.exp(USER_LM_POWER * min(_MAX_LOG_RATIO, log_ratio)) / n
        return total

    def originals_in(self, low: str) -> int:
        """How many times the dictionary's originals stand in ``low`` (lowercased text,
        :func:`.detect.lowercase`), longest first, not overlapping; "country's" holds
        "country"."""
        found, end = 0, -1
        for start in self._finder.starts(low):
            if start < end:
                continue
            got = self._reader.read(low, start)
            if got is None:
                continue
            _before, tokens, ends = got
            for toks in self._originals.get(without_possessive(tokens[0]), ()):
                n = len(toks)
                if n == 1 or tuple(map(without_possessive, tokens[:n])) == toks:
                    found += 1
                    end = ends[n - 1]
                    break
        return found
