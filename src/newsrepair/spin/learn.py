"""Learn a spinner's substitutions from spun articles aligned with their originals.

If you can find the originals of a few articles a content farm spun (as the project's
development data was made), this learns that spinner's swaps as a weighted lexicon,
which ``Config(spinner_dictionaries=[...])`` then loads like a spinner's own dictionary:

    newsrepair learn pairs.jsonl -o my_spinner.tsv   # records {"spun": ..., "original": ...}
    newsrepair learn --originals source/ farm/ -o my_spinner.tsv   # or: find the pairs first
    newsrepair --spinner-dict my_spinner.tsv corpus/

(``python -m newsrepair.spin.learn`` is the same command; its command line is
:mod:`newsrepair.cli.learning`, and :mod:`newsrepair.spin.pairing` finds the pairs.)

``scripts/learn_spin_lexicon.py`` builds the shipped ``lexicons/spin_learned.tsv`` with it.

Each pair is aligned word by word (difflib on lowercase
tokens); every small replacement (at most 4 tokens on each side) is counted as
``spun -> original``. Equal-length replacements of up to three tokens are split token by token (a
spinner swaps phrases of its dictionary, and "top general" -> "high normal" is two
swaps) when word classes match position by position (see ``block_pairs``); longer
equal-length blocks are rewordings and are skipped. A pair seen once
whose either side is made only of function words ("from" -> "to") is dropped as
likely alignment noise, and so is an article swap ("an" -> "a": see ``ARTICLES``), a
change of a number (see ``_numbers``), a change of tense or number of one word
("say" -> "said": see ``_forms_of_one_word``) and a change of negation (see ``_negations``).
Words the spun text has in excess (a deletion in the alignment: "court docket" for
"court", "brand new" for "new") are attached to the neighbour they form a phrase with
(the higher pointwise mutual information under the news language model), giving
``court docket -> court``; excess function words are ignored, and so are the words of
a name (capitalised after a capitalised word: "Captain Min Zaw Oo" shortened by an editor).
An unequal block ("folks have been" -> "people were") is split where both halves are
pairs attested elsewhere in a first pass. Originals that differ from the spun text in
other ways too (another edit of the story) are usable: the function-word filter above
removes most of that noise.

The weight of ``spun -> original`` is its share of all replacements of ``spun``,
times the fraction of the occurrences of ``spun`` in spun text that were replaced
(add-one smoothed: ``n_replaced / (n_seen + 1)``), that is, ``count / (n_seen + 1)``: a
phrase that the spinner output only sometimes stays ambiguous.
No sentence is written; only word pairs and their weights.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from typing import Iterable

from ..errors import InputError
from .tokens import FUNCTION_WORDS
from .pairing import word_matcher
from .tokens import tokenize

__all__ = ["learn_pairs", "format_tsv", "replace_blocks", "block_pairs", "pair_counts", "main"]

MAX_SIDE = 4
#: Indefinite articles: a spun "an" before a consonant ("an try") shows that the noun was
#: replaced ("an attempt"), not the article, so a <-> an swaps are not learned as pairs.
#: Restoring the noun puts the article right (see ``restore.agree_with_restored``);
#: measured: in-sample precision 0.814 -> 0.817, leave-one-out 0.682 -> 0.685.
ARTICLES = frozenset({"a", "an"})


#: Irregular forms of common words, each tuple one word: a spinner swaps synonyms, not
#: the tense or number of a word, so such pairs in the alignments are edits of the story.
_IRREGULAR = [("say", "says", "said"), ("will", "would"), ("can", "could"), ("shall", "should"),
              ("may", "might"), ("is", "are", "was", "were", "be", "been"), ("has", "have", "had"),
              ("do", "does", "did", "done"), ("go", "goes", "went", "gone"), ("make", "makes", "made"),
              ("take", "takes", "took", "taken"), ("give", "gives", "gave", "given"),
              ("tell", "tells", "told"), ("get", "gets", "got"), ("come", "comes", "came"),
              ("see", "sees", "saw", "seen"), ("know", "knows", "knew", "known")]
_SAME_WORD = {(a, b) for forms in _IRREGULAR for a in forms for b in forms if a != b}
_SUFFIXES = ("s", "es", "ed", "d", "ing")


def _forms_of_one_word(spun: str, original: str) -> bool:
    """Whether two one-word phrases are forms of one word: an irregular pair of
    :data:`_IRREGULAR`, or one is the other with a regular ending ("borders", "border")."""
    if " " in spun or " " in original:
        return False
    if (spun, original) in _SAME_WORD:
        return True
    short, long_ = sorted((spun, original), key=len)
    return long_.startswith(short) and long_[len(short):] in _SUFFIXES


_NEGATIONS = frozenset("not no never none nothing nobody neither nor without".split())


def _negations(phrase: str) -> int:
    """How many negations ``phrase`` has. A spinner keeps the sense, negations included,
    so a pair whose sides differ in them ("any" -> "no") is alignment noise, and
    restoring it would reverse what the sentence says."""
    return sum(1 for t in phrase.split(" ") if t in _NEGATIONS or t.endswith("n't"))


def _numbers(phrase: str) -> list[str]:
    """The numbers written in digits in ``phrase``. A pair whose original has a number
    that its spun side lacks is not learned: a spinner does not change a number ("nearly
    100" -> "at least 50" is another edit of the story), and a number word against
    digits ("three" -> "3") is a style choice that the language model, which reads every
    number as one token, would always settle for the digits. (A spinner does write
    numbers of its own: "12 months" for "year" stays.)"""
    return [t for t in phrase.split(" ") if t[:1].isdigit()]


_CLITICS = ("'s", "'re", "'ll", "'ve", "'d", "'m")


def _function_only(phrase: str) -> bool:
    """Whether every word of ``phrase`` is a function word: one of
    :data:`.tokens.FUNCTION_WORDS`, a negated auxiliary ("doesn't", "won't") or a function
    word with a clitic ("it's", "they're"). A possessive of another word ("navy's") is not."""
    return all(_is_function_word(w) for w in phrase.split(" "))


def _is_function_word(word: str) -> bool:
    if word in FUNCTION_WORDS or word.endswith("n't"):
        return True
    base = next((word[:-len(c)] for c in _CLITICS if word.endswith(c)), None)
    return base in FUNCTION_WORDS


def _is_wordy(toks: list[str]) -> bool:
    return any(t[:1].isalpha() for t in toks)


def replace_blocks(spun: str, original: str) -> list[tuple[list[str], list[str]]]:
    """The small word-replacement blocks of one aligned pair, as (spun tokens, original tokens)."""
    spun_tokens = tokenize(spun)
    s = [t.norm for t in spun_tokens]
    o = [t.norm for t in tokenize(original)]
    out = []
    sm = word_matcher(s, o)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if (op == "delete" and i2 - i1 <= 2 and all(t[:1].isalpha() and t not in FUNCTION_WORDS for t in s[i1:i2])
                and not _inside_name(spun_tokens, i1, i2)):
            # the spinner wrote a longer phrase for one word ("court docket" for "court",
            # "brand new" for "new"): attach the extra words to the neighbour they form a
            # phrase with
            side = _attach_side(s, i1, i2)
            if side == "right":
                out.append((s[i1:i2 + 1], [s[i2]]))
            elif side == "left":
                out.append((s[i1 - 1:i2], [s[i1 - 1]]))
            continue
        if op != "replace":
            continue
        a, b = s[i1:i2], o[j1:j2]
        if len(a) > MAX_SIDE or len(b) > MAX_SIDE or not _is_wordy(a) or not _is_wordy(b):
            continue
        if len(a) == len(b) and len(a) > 3:
            continue  # long equal-length blocks are rewordings, not word-for-word swaps
        out.append((a, b))
    return out


def _inside_name(tokens: list, i1: int, i2: int) -> bool:
    """Whether the spun words ``tokens[i1:i2]`` are capitalised and follow another
    capitalised word: part of a name ("Min Zaw Oo"), which an editor may shorten,
    not a spinner's insertion (its substitutes are capitalised only at the start of a
    sentence: "Coronary heart racing")."""
    return i1 > 0 and tokens[i1 - 1].text[:1].isupper() and all(t.text[:1].isupper() for t in tokens[i1:i2])


def _attach_side(s: list[str], i1: int, i2: int) -> str | None:
    """Which neighbour the extra words ``s[i1:i2]`` belong to: the one they are most
    associated with (pointwise mutual information under the news language model), or
    None when neither neighbour is a word."""
    lm = _lm()
    scores = {}
    if i2 < len(s) and s[i2][:1].isalpha():
        scores["right"] = lm.logprob(s[i2], (s[i2 - 1],)) - lm.unigram_logprob(s[i2])
    if i1 > 0 and s[i1 - 1][:1].isalpha():
        scores["left"] = lm.logprob(s[i1], (s[i1 - 1],)) - lm.unigram_logprob(s[i1])
    return max(scores, key=scores.__getitem__) if scores else None


def _lm():
    from ..langmodel import NgramLM

    return NgramLM.shipped()


def block_pairs(a: list[str], b: list[str], known: Counter) -> list[tuple[str, str]]:
    """Split one replacement block into the spinner's swaps.

    Equal-length blocks are swapped word by word when every position pairs a function
    word with a function word, or a content word with a content word; otherwise the
    block is a reworded phrase ("often called" -> "known as", not "called" -> "as"),
    handled as an unequal one. An unequal block ("folks have been" ->
    "people were") is split in two where both halves are pairs seen elsewhere (in
    ``known``, the first-pass counts; a half whose spun side is one word needs no
    attestation),
    when such a split is better attested than the whole block; otherwise the block is
    one phrase pair.
    """
    if len(a) == len(b) and len(a) > 1 and all((x in FUNCTION_WORDS) == (y in FUNCTION_WORDS) for x, y in zip(a, b)):
        return [(x, y) for x, y in zip(a, b) if x != y and x[:1].isalpha() and y[:1].isalpha()]
    whole = (" ".join(a), " ".join(b))
    best, best_score = [whole], known[whole]
    for k in range(1, len(a)):
        for m in range(1, len(b)):
            left, right = (" ".join(a[:k]), " ".join(b[:m])), (" ".join(a[k:]), " ".join(b[m:]))
            lc, rc = known[left], known[right]
            # a half whose spun side is one word needs no attestation of its own
            # ("throughout america" -> "across | the united states")
            if k == 1 and not lc:
                lc = rc
            if k == len(a) - 1 and not rc:
                rc = lc
            if lc and rc and min(lc, rc) > best_score:
                best, best_score = [left, right], min(lc, rc)
    return [p for p in best if p[0] != p[1]]


def pair_counts(blocks: list[tuple[list[str], list[str]]], known: Counter | None = None) -> Counter:
    """Counts of ``spun -> original`` pairs in the replacement blocks of one text."""
    subs: Counter = Counter()
    for a, b in blocks:
        if known is None:
            if len(a) == len(b) and len(a) > 1:
                subs.update(block_pairs(a, b, Counter()))
            else:
                subs[(" ".join(a), " ".join(b))] += 1
        else:
            subs.update(block_pairs(a, b, known))
    return subs


def occurrences(text: str, phrases: set[str], max_len: int) -> Counter:
    toks = [t.norm for t in tokenize(text)]
    occ: Counter = Counter()
    for i in range(len(toks)):
        for n in range(1, max_len + 1):
            p = " ".join(toks[i:i + n])
            if p in phrases:
                occ[p] += 1
    return occ


def learn_pairs(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str, float, int]]:
    """``(spun, original, weight, count)`` rows, sorted, learned from ``(spun_text,
    original_text)`` pairs (see the module's docstring for the method and the weight)."""
    spun_texts = []
    docs: list[list[tuple[list[str], list[str]]]] = []
    if isinstance(pairs, (str, bytes)):
        raise InputError("learn_pairs needs (spun_text, original_text) pairs, got one text")
    for number, pair in enumerate(pairs):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(isinstance(t, str) for t in pair)):
            raise InputError(f"learn_pairs: pair {number} is not a (spun_text, original_text) pair of str: "
                             f"{pair!r:.80}")
        spun, original = pair
        docs.append(replace_blocks(spun, original))
        spun_texts.append(spun)
    first: Counter = Counter()
    for blocks in docs:
        first.update(pair_counts(blocks))
    total: Counter = Counter()
    for blocks in docs:
        total.update(pair_counts(blocks, first))
    phrases = {s for s, _ in total}
    max_len = max((len(p.split()) for p in phrases), default=1)
    occ: Counter = Counter()
    for t in spun_texts:
        occ.update(occurrences(t, phrases, max_len))
    by_spun: dict[str, Counter] = defaultdict(Counter)
    for (s, o), c in total.items():
        by_spun[s][o] += c
    rows = []
    for s, origs in by_spun.items():
        seen = max(occ[s], sum(origs.values()))  # how often the spun phrase stands in the spun texts
        for o, c in origs.items():
            if not _is_noise(s, o, c):
                rows.append((s, o, round(max(c / (seen + 1), 0.001), 3), c))
    rows.sort()
    return rows


def _is_noise(s: str, o: str, count: int) -> bool:
    """Whether the replacement ``s`` for ``o``, seen ``count`` times, is something other
    than a spinner's swap (see the comments)."""
    if count < 2 and (_function_only(s) or _function_only(o)):
        return True  # a single sighting involving a function word is too likely alignment noise
    if s in ARTICLES and o in ARTICLES:
        return True  # "an" -> "a" follows a replaced noun; reversal re-decides it with the noun
    if not set(_numbers(o)) <= set(_numbers(s)):
        return True  # the original has a number the spun text lacks (see _numbers)
    if _forms_of_one_word(s, o):
        return True  # "say" -> "said", "will" -> "would": an editor's change, not a spinner's
    if _negations(s) != _negations(o):
        return True  # "aren't" -> "are": restoring it would reverse the meaning
    # a control or format character ("\x1e") is no swap, and would break a lexicon line
    return not (s + o).isprintable()


def format_tsv(rows: Iterable[tuple[str, str, float, int]], source: str = "learned",
               header: str = "Spinner substitutions learned from aligned spun/original news.") -> str:
    """``rows`` of :func:`learn_pairs` as a lexicon file (format: ``lexicons/README.md``),
    each source ``SOURCE:COUNT``. Loadable as a user dictionary. A spun phrase that starts
    with ``#`` is written after a space, so that its row is not read as a comment (the
    loader strips the space)."""
    lines = [f"# {line}\n" for line in header.splitlines()]
    lines.append("# spun\toriginal\tweight\tsource\n")
    lines.extend(f"{' ' if s.startswith('#') else ''}{s}\t{o}\t{w:.3f}\t{source}:{c}\n" for s, o, w, c in rows)
    return "".join(lines)


def main(argv: list[str] | None = None, prog: str = "python -m newsrepair.spin.learn") -> int:
    """The learner's command line, ``newsrepair learn`` (:mod:`newsrepair.cli.learning`)."""
    from ..cli.learning import main as learning_main

    return learning_main(argv, prog)


if __name__ == "__main__":
    sys.exit(main())
