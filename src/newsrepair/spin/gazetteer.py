"""Names: the words and word pairs that news writes capitalised ("america", "united
states"), and multi-word names ("Amnesty International").

Two lists, ``lexicons/gazetteer_proper.txt`` and ``lexicons/gazetteer_names.txt``, are
derived from clean news by ``scripts/build_gazetteer.py``. Restored phrases use the
first to get their capitals back; :class:`NameIndex` uses the second, and the names of
institutions written by hand in ``lexicons/gazetteer_institutions.txt`` (international
bodies, ministries, parties, armed groups, agencies of many countries, which a sample of
news names only in part), to propose the original words of a spun name.
"""

from __future__ import annotations

from functools import lru_cache

from ..datacache import load_or_build
from ..resources import lexicon_path, read_lexicon_text
from .tokens import HONORIFICS, without_possessive

#: Lowercase words that may stand inside a name ("League for Democracy"): never the
#: word that tells two names apart.
NAME_LINKS = frozenset("of for and the de al".split())
#: The files (in ``lexicons/``) of the names :class:`NameIndex` loads.
NAME_FILES = ("gazetteer_names.txt", "gazetteer_institutions.txt")

#: Weight of a name word proposed for a word of the text that the spin lexicon links
#: to it ("Worldwide" -> "International").
LINKED_WEIGHT = 0.6
#: Weight of a look-alike name word ("Courtroom" -> "Court"): this times their rapidfuzz
#: ratio (0-1); below LOOKALIKE_MIN_WEIGHT (a ratio under 0.6) none is proposed.
LOOKALIKE_WEIGHT = 0.5
LOOKALIKE_MIN_WEIGHT = 0.3
#: Letters two words share at their start to be one word's derivative of the other.
STEM_LETTERS = 4

__all__ = ["load_gazetteer", "NameIndex", "NAME_LINKS"]


@lru_cache(maxsize=8)
def load_gazetteer(name: str = "gazetteer_proper.txt") -> frozenset[str]:
    """The lowercase names listed in ``lexicons/<name>`` (one word or word pair per line),
    read once per process."""
    text = read_lexicon_text(name)
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


class NameIndex:
    """Multi-word names (``lexicons/gazetteer_names.txt`` and
    ``lexicons/gazetteer_institutions.txt``) for restoring spun names.

    A spinner rewrites names word by word ("Amnesty Worldwide", "Nationwide League for
    Democracy"). For a run of capitalised words in the text, :meth:`candidates` finds the
    known names of the same length that share at least half of its words in place, and
    proposes each differing word's counterpart, weighted by how alike the two words look
    (rapidfuzz) or whether the spin lexicon links them. The decoder then judges the
    proposals in context like any other candidate.
    """

    def __init__(self, names: frozenset[str]) -> None:
        self.names = frozenset(n.lower() for n in names)
        # names compare word by word without possessives, on both sides ("People's
        # Liberation Army" is the name in "the People's Liberation Army's units")
        self._bases: set[str] = set()
        self._by_word: dict[tuple[int, int, str], list[tuple[str, ...]]] = {}
        #: the most words a name has: a longer run of capitalised words is no name and
        #: holds none of that length (:meth:`candidates` compares names word by word)
        self.longest = max((len(name.split(" ")) for name in self.names), default=0)
        for name in sorted(self.names):  # in a fixed order: of two equal proposals, the first is kept
            words = tuple(map(without_possessive, name.split(" ")))
            self._bases.add(" ".join(words))
            for k, w in enumerate(words):
                if w not in NAME_LINKS:
                    self._by_word.setdefault((len(words), k, w), []).append(words)

    @classmethod
    def load(cls) -> "NameIndex":
        """The index of the shipped names, built once per process (it is never changed)."""
        return _shipped_names()

    def is_name(self, words: list[str]) -> bool:
        """Whether the lowercase ``words`` are a known name as they stand (possessives
        aside): "royal navy" is the Royal Navy, not a spinner's rewrite of a name."""
        return " ".join(map(without_possessive, words)) in self._bases

    def candidates(self, words: list[str], related, ordinary=lambda word: True) -> dict[int, tuple[str, float]]:
        """Proposals for the lowercase ``words`` of a capitalised run: {index: (word, weight)}.

        ``related(spun, original)`` says whether the spin lexicon links two words. A word
        the lexicon does not link gets a proposal from a look-alike name word only when
        ``ordinary(word)``: a spinner's substitutes are common dictionary words
        ("Courtroom" in a court's name), while a rare word or a name ("Shaw") was the
        writer's choice, and a look-alike ("Straw") would corrupt it.
        """
        n = len(words)
        # possessives compare by their base ("Kyi's" is the name "... Kyi")
        poss = [w.endswith("'s") for w in words]
        words = [without_possessive(w) for w in words]
        if n < 2 or " ".join(words) in self._bases:
            return {}
        from rapidfuzz import fuzz

        seen: set[tuple[str, ...]] = set()
        out: dict[int, tuple[str, float]] = {}
        for k, w in enumerate(words):
            for name in self._by_word.get((n, k, w), ()):
                if name in seen:
                    continue
                seen.add(name)
                diff = [j for j in range(n) if name[j] != words[j]]
                if not diff or 2 * len(diff) > n or any(name[j] in NAME_LINKS or words[j] in NAME_LINKS for j in diff):
                    continue
                if all(name[j] in HONORIFICS or len(name[j]) == 1 for j in range(n) if j not in diff):
                    continue  # only a title or an initial in common: "Mr Sharp" is no "Mr Sharon"
                for j in diff:
                    if related(words[j], name[j]):
                        weight = LINKED_WEIGHT
                    elif (not ordinary(words[j]) or _plural_of_each_other(words[j], name[j])
                          or (n - len(diff) < 2 and not _same_stem(words[j], name[j]))):
                        # a spinner swaps words, not their number ("Chiefs", "Chief"); and
                        # with one word of the name in place, a look-alike must share its
                        # stem ("Supreme Courtroom"): "American Progress" is not
                        # "American Express"
                        continue
                    else:
                        weight = LOOKALIKE_WEIGHT * fuzz.ratio(words[j], name[j]) / 100.0
                        if weight < LOOKALIKE_MIN_WEIGHT:
                            continue
                    word = name[j] + "'s" if poss[j] else name[j]
                    if j not in out or out[j][1] < weight:
                        out[j] = (word, weight)
        return out


def _plural_of_each_other(a: str, b: str) -> bool:
    """Whether one of two words is the other with a plural ending ("chiefs", "chief")."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return long_ in (short + "s", short + "es")


def _same_stem(a: str, b: str) -> bool:
    """Whether two words start alike for at least STEM_LETTERS letters ("courtroom",
    "court"; "nationwide", "national")."""
    return a[:STEM_LETTERS] == b[:STEM_LETTERS] and len(a) >= STEM_LETTERS and len(b) >= STEM_LETTERS


@lru_cache(maxsize=1)
def _shipped_names() -> NameIndex:
    def build() -> NameIndex:
        return NameIndex(frozenset().union(*map(load_gazetteer, NAME_FILES)))

    return load_or_build("names", NameIndex, map(lexicon_path, NAME_FILES), build)
