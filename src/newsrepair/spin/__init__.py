"""Stage 3, spin detection and reversal.

A synonym spinner replaces the phrases of its dictionary with "synonyms" regardless of
meaning ("military" -> "navy", "top general" -> "high normal"). :class:`SpinModel`
finds the phrases that spinner lexicons know as substitutes, asks a news language model
which wording fits each slot (:mod:`.decode`, noisy-channel decoding), scores the
document (:mod:`.detect`) and, when the document is judged spun, restores the
originals whose posterior clears ``Config.min_edit_confidence``. Spun names
("Nationwide League for Democracy") also get proposals from a gazetteer of names
(:mod:`.gazetteer`), judged by the same decoder.
"""

from __future__ import annotations

import math
from collections import Counter

from ..changes import Change, apply_changes
from ..config import Config
from ..langmodel import NgramLM, lm_token
from ..results import SpinReport, Suspect
from .casing import article_for, transfer
from .decode import Decision, Decoder, Option, sentences
from .detect import DEFAULT_THRESHOLD, Evidence, calibrated_score, confidence_for
from .gazetteer import NameIndex, load_gazetteer
from .lexicon import Lexicon, load_lexicon
from .tokens import TOKEN_RE, tokenize

__all__ = ["SpinModel"]

#: Share of word tokens that must be known English words for the text to be processed.
MIN_ENGLISH = 0.6
#: The default threshold when the user gives a spinner dictionary: that spinner's own
#: pairs are surer evidence than the shipped lexicon, and a small dictionary leaves few
#: of them per document. It stays above the score of short texts (the prior, 0.2), so a
#: headline is still not called spun. Measured with synthetic spin at rate 0.5: the test
#: dictionary's WER reduction 0.49 -> 0.64, the benchmark's 0.861 -> 0.875 at the same
#: precision, clean news at most 0.003 edits per 1000 words.
USER_DICTIONARY_THRESHOLD = 0.25
#: Lexicon pairs below this weight are not used as evidence by detection.
MIN_SIGNATURE_WEIGHT = 0.15
#: Lexicon sources that only propose candidates and are not detection evidence: general
#: synonym swaps are common words in clean text too (measured: counting them slowed
#: detection by a third and made clean news look more spun).
CANDIDATE_ONLY_SOURCES = ("general",)
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
_SENTENCE_END = frozenset(".!?")
#: Prior weight of restoring a name that the text writes in lowercase ("america").
LOWERCASE_NAME_WEIGHT = 0.95
#: Lowercase words that may stand inside a name ("League for Democracy").
NAME_LINKS = frozenset("of for and the de al".split())


class SpinModel:
    """Lexicons and statistics for spin detection and reversal, loaded once."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.lm = NgramLM.load()
        names = ["learned", "general"]
        if "science" in config.domains:
            names.append("science")
        if config.spin_threshold is not None:
            self.threshold = config.spin_threshold
        else:
            self.threshold = USER_DICTIONARY_THRESHOLD if config.spinner_dictionaries else DEFAULT_THRESHOLD
        self.proper = load_gazetteer()
        self.names = NameIndex.load()
        self.use_lexicon(load_lexicon(names, config.spinner_dictionaries))

    def use_lexicon(self, lexicon: Lexicon) -> None:
        """Decode and detect with ``lexicon`` (used by evaluation scripts to swap lexicons)."""
        self.lexicon = lexicon
        self.decoder = Decoder(self.lm, lexicon)
        #: the pairs strong enough to count as spinner signatures in detection
        sig = Lexicon()
        for phrase, cands in lexicon.entries.items():
            for orig, (w, src) in cands.items():
                if (w >= MIN_SIGNATURE_WEIGHT and not src.startswith(CANDIDATE_ONLY_SOURCES)
                        and not all(t in FUNCTION_WORDS for t in phrase.split(" "))):
                    sig.add(phrase, orig, w, src)
        self._sig_decoder = Decoder(self.lm, sig)
        self._signature = dict(sig.lengths)

    # ------------------------------------------------------------ helpers
    def _is_english(self, norms: list[str], limit: int | None = None) -> bool:
        """Whether enough of the word tokens (the first ``limit`` tokens, when given) are
        known English words. ``norms`` are lowercase tokens, as :func:`.tokens.normalize`."""
        words = [w for w in norms[:limit] if w[0].isalpha()]
        if not words:
            return False
        return sum(map(self.lm.ids.__contains__, words)) >= MIN_ENGLISH * len(words)

    # ------------------------------------------------------------ detection
    def _evidence(self, text: str) -> Evidence:
        """Signature evidence, on a fast path: C-level tokenising, LM only at lexicon hits."""
        low = text.lower().replace("’", "'")
        toks = TOKEN_RE.findall(low)
        ev = Evidence(words=sum(map(str.isalpha, [t[0] for t in toks])))
        ev.english = self._is_english(toks, limit=600)  # a sample is enough to decide
        if not ev.english:
            return ev
        sig = self._signature
        hits = [i for i, hit in enumerate(map(sig.__contains__, toks)) if hit]
        if not hits:
            return ev
        dec = self._sig_decoder
        found = []
        by_type: dict[str, float] = {}
        counts: dict[str, int] = {}
        for i in hits:
            opts = dec.options(toks, i)
            if not opts:
                continue
            lmax = max(o.length for o in opts)
            a = i
            while a > 0 and i - a < 2 and toks[a - 1] not in _SENTENCE_END:
                a -= 1
            b = i + lmax
            while b < len(toks) and b - (i + lmax) < 2 and toks[b - 1] not in _SENTENCE_END:
                b += 1
            window = toks[a:b]
            lm_forms = [lm_token(t) for t in window]
            segs = [[f] for f in lm_forms]
            post, _ = dec.score_position(segs, i - a, opts, 0.5, None, window, lm_forms)
            best = max(range(1, len(post)), key=post.__getitem__)
            p = post[best]
            ev.positions += 1
            key = " ".join(toks[i:i + opts[best - 1].length])
            by_type[key] = by_type.get(key, 0.0) + p
            counts[key] = counts.get(key, 0) + 1
            if p >= 0.5:
                ranked = sorted(range(1, len(post)), key=lambda k: -post[k])
                found.append((i, opts[best - 1].length, p,
                              tuple(dict.fromkeys(opts[k - 1].original for k in ranked[:3]))))
        # A spinner makes many different substitutions; a clean text that repeats one
        # ambiguous word ("army") is not more suspect for each repetition.
        ev.signature = sum(total / counts[k] * (1.0 + math.log(counts[k])) for k, total in by_type.items())
        ev.types = sum(1 for k, total in by_type.items() if total / counts[k] >= 0.5)
        if found:
            spans = [(m.start(), m.end()) for m in TOKEN_RE.finditer(low)]
            if len(spans) == len(toks):  # lowercasing kept the token boundaries
                for i, n, p, cands in found:
                    start, end = spans[i][0], spans[i + n - 1][1]
                    ev.suspects.append(Suspect(start, end, text[start:end], cands, round(p, 4)))
        return ev

    def detect(self, text: str) -> SpinReport:
        """Score ``text`` for spinner output and list the suspect spans."""
        ev = self._evidence(text)
        if not ev.words or not ev.english:
            return SpinReport(score=0.0, is_spun=False, threshold=self.threshold, words=ev.words,
                              confidence=confidence_for(ev.words))
        score = calibrated_score(ev)
        return SpinReport(score=score, is_spun=score >= self.threshold, threshold=self.threshold,
                          suspects=tuple(ev.suspects), words=ev.words, confidence=confidence_for(ev.words))

    # ------------------------------------------------------------ names
    def _add_name_options(self, sent, norms: list[str], lattice: dict[int, list[Option]]) -> None:
        """Add the gazetteer's proposals for the words of capitalised runs to ``lattice``."""
        runs: list[list[int]] = []
        cur: list[int] = []
        for k, t in enumerate(sent):
            if t.is_word and t.text[0].isupper():
                cur.append(k)
            elif cur and t.norm in NAME_LINKS and k + 1 < len(sent) and sent[k + 1].text[0].isupper():
                cur.append(k)
            else:
                if len(cur) >= 2:
                    runs.append(cur)
                cur = []
        if len(cur) >= 2:
            runs.append(cur)
        related = lambda a, b: b in self.lexicon.candidates(a)  # noqa: E731
        for run in runs:
            words = [norms[k] for k in run]
            # every sub-run of two or more words, since "Myanmar's Nationwide League ..." holds a name
            for i in range(len(words)):
                for j in range(i + 2, len(words) + 1):
                    for pos, (word, weight) in self.names.candidates(words[i:j], related).items():
                        k = run[i + pos]
                        opts = lattice.setdefault(k, [])
                        if not any(o.length == 1 and o.original == word for o in opts):
                            opts.append(Option(1, word, weight, "gazetteer"))

    def _casing_evidence(self, tok, opts: list[Option]) -> list[Option]:
        """A name written in lowercase ("america") is a spinner's mark: a spinner outputs
        its substitutes in lowercase, while news always capitalises the name. Its
        restorations get a strong prior."""
        if not (tok.text.islower() and tok.norm in self.proper):
            return opts
        return [Option(o.length, o.original, max(o.weight, LOWERCASE_NAME_WEIGHT), o.source) for o in opts]

    # ------------------------------------------------------------ reversal
    def unspin_and_explain(self, text: str, report: SpinReport | None = None) -> tuple[str, list[Change]]:
        """Restore the original wording; return the text and the list of changes."""
        if report is None:
            report = self.detect(text)
        if not report.is_spun and not self.config.unspin_clean:
            return text, []
        tokens = tokenize(text)
        if not tokens or not self._is_english([t.norm for t in tokens]):
            return text, []
        dec = self.decoder
        sents = []
        for a, b in sentences(text, tokens):
            sent = tokens[a:b]
            norms = [t.norm for t in sent]
            lattice = {i: self._casing_evidence(t, o) for i, t in enumerate(sent)
                       if t.text[0].isalnum() and (o := dec.options(norms, i))}
            self._add_name_options(sent, norms, lattice)
            if lattice:
                sents.append((sent, norms, [lm_token(t.text) for t in sent], lattice))
        rho = 0.5
        boost: Counter = Counter()
        results: list[list[Decision]] = []
        memos: list[dict] = [{} for _ in sents]  # LM scores of each sentence, kept across rounds
        for _round in range(2):
            results = [dec.decode_sentence(norms, lmf, rho, boost, lattice=lat, memo=memo)
                       for (_, norms, lmf, lat), memo in zip(sents, memos)]
            positions = sum(len(s[3]) for s in sents)
            edits = [(d, s) for s, res in zip(sents, results) for d in res]
            rho = min(0.95, max(0.05, (len(edits) + 1) / (positions + 2)))
            boost = Counter()
            for d, s in edits:
                if d.posterior >= 0.9:
                    boost[(" ".join(s[1][d.index:d.index + d.option.length]), d.option.original)] += 1
        changes = []
        min_conf = self.config.min_edit_confidence
        for (sent, norms, _lmf, _lat), res in zip(sents, results):
            for d in res:
                if d.posterior < min_conf:
                    continue
                start, end = sent[d.index].start, sent[d.index + d.option.length - 1].end
                before = text[start:end]
                after = transfer(before, d.option.original, self.proper)
                if after == before:
                    continue
                if d.index > 0 and sent[d.index - 1].norm in ("a", "an"):
                    art = sent[d.index - 1]
                    wanted = article_for(after)
                    prev = changes[-1] if changes and changes[-1].end > art.start else None
                    if prev is not None and (prev.start, prev.end) == (art.start, art.end):
                        changes.pop()  # the article is re-decided here, with its noun
                        prev = None
                    if wanted != art.norm and prev is None:
                        # the article agreed with the spun word, so it must follow the restored one
                        start = art.start
                        wanted = wanted.capitalize() if art.text[0].isupper() else wanted
                        after = wanted + text[art.end:sent[d.index].start] + after
                        before = text[start:end]
                changes.append(Change(start, end, before, after, "spin",
                                      f"spun {before!r} -> {after!r} "
                                      f"({d.option.source.split(':')[0]} lexicon; context)",
                                      round(d.posterior, 4)))
        if not changes:
            return text, []
        return apply_changes(text, changes), changes
