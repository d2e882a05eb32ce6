"""Write a large spinner dictionary made from WordNet, to test unspinning with a big
dictionary that the project has never seen (``--spinner-dict``).

    python -m benchmarks.dicts.wordnet_spinner > wordnet_spinner.txt
    python -m benchmarks --corpus clean.jsonl --spinner-dict wordnet_spinner.txt --spin-rate 0.5

A crude synonym spinner of the kind content farms use: for every common word (wordfreq
Zipf >= ``--min-zipf``, default 4.0) that is not a function word or a name, a group
``word|synonym|synonym|synonym`` with up to three one- or two-word synonyms from the
word's first two WordNet senses, whatever their meaning in context, each in the word's
inflection (plural nouns, verb forms). About 8,900 groups at the default; spinning clean
news with it at rate 0.5 changes about one word in five.

Needs Debian's ``wordnet-base`` (WordNet 3.0, WordNet licence; ``apt-get install
wordnet-base``) and ``lemminflect`` (MIT; ``pip install lemminflect``). The output is not
committed: it is generated where it is used.
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import sys

WORDNET = pathlib.Path("/usr/share/wordnet")
#: WordNet parts of speech and the Penn tags of the forms written for each.
TAGS = {"noun": ("NN", "NNS"), "verb": ("VB", "VBD", "VBG", "VBZ"), "adj": ("JJ",), "adv": ("RB",)}
#: Synonyms offered per word, and the senses (most frequent first) they come from.
MAX_SYNONYMS = 3
SENSES = 2


def _synsets(pos: str) -> dict[str, list[str]]:
    """Synset offset -> its lemmas (underscores as spaces, case kept) for one part of speech."""
    out = {}
    for line in (WORDNET / f"data.{pos}").read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(" "):
            continue
        p = line.split()
        out[p[0]] = [p[4 + 2 * i].split("(")[0].replace("_", " ") for i in range(int(p[3], 16))]
    return out


def _inflect(phrase: str, pos: str, tag: str, get_inflection) -> str:
    """``phrase`` in the form ``tag``: a verb's first word, a noun's last."""
    words = phrase.split(" ")
    k = 0 if pos == "verb" else len(words) - 1
    if pos in ("verb", "noun"):
        words[k] = (get_inflection(words[k], tag=tag) or [words[k]])[0]
    return " ".join(words)


def groups(min_zipf: float = 4.0) -> dict[str, list[str]]:
    """word -> its substitutes, for every common word with WordNet synonyms."""
    from lemminflect import getInflection
    from wordfreq import zipf_frequency

    from newsrepair.spin import FUNCTION_WORDS

    out: dict[str, list[str]] = {}
    for pos, tags in TAGS.items():
        synsets = _synsets(pos)
        for line in (WORDNET / f"index.{pos}").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(" "):
                continue
            p = line.split()
            word = p[0]
            if (not word.isalpha() or len(word) < 3 or word in FUNCTION_WORDS
                    or zipf_frequency(word, "en") < min_zipf):
                continue
            pointers, senses = int(p[3]), int(p[2])
            offsets = p[6 + pointers:6 + pointers + senses][:SENSES]
            first = synsets.get(offsets[0], []) if offsets else []
            if any(l.lower() == word and l != word for l in first):  # a name ("Aaron")
                continue
            syns: list[str] = []
            for off in offsets:
                for lemma in synsets.get(off, []):
                    if (lemma.islower() and lemma != word and lemma not in syns and lemma.count(" ") < 2
                            and all(w.isalpha() for w in lemma.split(" "))
                            and zipf_frequency(lemma, "en") >= 2.0):
                        syns.append(lemma)
            for tag in tags if syns else ():
                form = _inflect(word, pos, tag, getInflection)
                out.setdefault(form, [_inflect(s, pos, tag, getInflection) for s in syns[:MAX_SYNONYMS]])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-zipf", type=float, default=4.0, help="how common a word must be (wordfreq Zipf)")
    args = ap.parse_args(argv)
    if not (WORDNET / "data.noun").exists():
        print(f"wordnet_spinner: WordNet is not in {WORDNET} (apt-get install wordnet-base)", file=sys.stderr)
        return 2
    if importlib.util.find_spec("lemminflect") is None:
        print("wordnet_spinner: needs lemminflect (pip install lemminflect)", file=sys.stderr)
        return 2
    print("# A spinner dictionary made from WordNet 3.0 (WordNet licence, Princeton University)")
    print("# by benchmarks/dicts/wordnet_spinner.py, for testing only: original|substitute|...")
    for word, subs in groups(args.min_zipf).items():
        print("|".join([word, *subs]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
