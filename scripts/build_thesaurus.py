"""Rebuild the thesaurus lexicons in lexicons/ (format: see lexicons/README.md).

    python scripts/build_thesaurus.py [--tortured FILE]

* ``spin_science.tsv`` — the optional "science" domain: tortured phrases found in
  published science papers, from the Problematic Paper Screener by Cabanac, Labbé and
  Magazinov (CC BY 4.0), by default ../shared/data/lexicon-sources/tortured_phrases_pps.json.
  Each tortured phrase maps to its correct phrase; a phrase with several corrections
  shares the weight among them.

* ``spin_wordnet.tsv`` — synonyms from WordNet 3.0 (Debian package ``wordnet-base``,
  files in /usr/share/wordnet; WordNet licence, Princeton University). A spinner swaps
  a word for a synonym, so every pair of words sharing a synset gives an entry
  ``synonym -> word``, weighted by how often ``word`` is used in that sense (WordNet
  lists senses by frequency; the weight halves with each rank). Only common words
  (wordfreq Zipf >= 3.5 for the original, >= 3 for the synonym) and sense weights >= 0.2
  are kept; inflected forms are expanded with lemminflect (MIT, build time only), so
  matching at run time is by surface form ("mentioned -> said" comes from
  "mention -> say" only if WordNet holds it).

A source that is absent is skipped with a message; the existing file is left alone.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "lexicon-sources"
HEADER = "# spun\toriginal\tweight\tsource\n"


def norm(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").split())


def build_science(src: pathlib.Path, out: pathlib.Path) -> None:
    if not src.exists():
        print(f"skipping spin_science.tsv: {src} is absent", file=sys.stderr)
        return
    data = json.loads(src.read_text(encoding="utf-8"))
    pairs: dict[str, set[str]] = defaultdict(set)
    for item in data["phrases"]:
        spun, orig = norm(item.get("tortured", "")), norm(item.get("correct", ""))
        if spun and orig and spun != orig and "\t" not in spun + orig:
            pairs[spun].add(orig)
    lines = [
        "# Tortured phrases from science papers -> the standard phrase (the 'science' domain).\n",
        f"# Source: {data.get('source', 'Problematic Paper Screener')}, licence {data.get('license', 'CC BY 4.0')};\n",
        "# rebuilt by scripts/build_thesaurus.py. Credit the source when redistributing.\n",
        HEADER,
    ]
    for spun in sorted(pairs):
        origs = sorted(pairs[spun])
        for orig in origs:
            lines.append(f"{spun}\t{orig}\t{1.0 / len(origs):.3f}\tpps\n")
    out.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {out}: {sum(len(v) for v in pairs.values())} entries")


WORDNET = pathlib.Path("/usr/share/wordnet")
_POS = {"noun": ("n", ("NN", "NNS")), "verb": ("v", ("VB", "VBD", "VBG", "VBN", "VBZ")),
        "adj": ("a", ("JJ",)), "adv": ("r", ("RB",))}


def _wn_lemma(raw: str) -> str:
    raw = raw.split("(")[0]  # adjective markers such as "(a)", "(p)"
    return raw.replace("_", " ").lower()


def _inflections(phrase: str, tags: tuple[str, ...], upos: str) -> dict[str, str]:
    """tag -> inflected phrase (the head word inflected: first word of a verb phrase,
    last word of a noun phrase)."""
    from lemminflect import getInflection

    words = phrase.split()
    head = 0 if upos == "VERB" else len(words) - 1
    out = {}
    for tag in tags:
        if tag in ("JJ", "RB", "NN", "VB"):
            out[tag] = phrase
            continue
        forms = getInflection(words[head], tag=tag)
        if forms:
            out[tag] = " ".join(words[:head] + [forms[0]] + words[head + 1:])
    return out


def build_wordnet(out: pathlib.Path) -> None:
    if not (WORDNET / "data.noun").exists():
        print(f"skipping spin_wordnet.tsv: WordNet is not installed in {WORDNET} "
              "(apt-get install wordnet-base)", file=sys.stderr)
        return
    from wordfreq import zipf_frequency

    def common(phrase: str, floor: float) -> bool:
        return zipf_frequency(phrase, "en") >= (floor if " " not in phrase else floor - 1.0)

    best: dict[tuple[str, str], float] = {}
    upos_of = {"noun": "NOUN", "verb": "VERB", "adj": "ADJ", "adv": "ADV"}
    for name, (_letter, tags) in _POS.items():
        rank: dict[tuple[str, str], float] = {}
        for line in (WORDNET / f"index.{name}").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(" "):
                continue
            parts = line.split()
            lemma, n_ptr = parts[0].replace("_", " "), int(parts[3])
            offsets = parts[4 + n_ptr + 2:]
            shares = [0.5 ** r for r in range(len(offsets))]
            total = sum(shares)
            for off, share in zip(offsets, shares):
                rank[(lemma, off)] = share / total
        for line in (WORDNET / f"data.{name}").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(" "):
                continue
            parts = line.split()
            off, n_words = parts[0], int(parts[3], 16)
            words = sorted({_wn_lemma(parts[4 + 2 * i]) for i in range(n_words)})
            if len(words) < 2:
                continue
            for orig in words:
                weight = rank.get((orig, off), 0.0)
                if weight < 0.2 or not common(orig, 3.5):
                    continue
                for spun in words:
                    if spun == orig or not common(spun, 3.0):
                        continue
                    so = _inflections(spun, tags, upos_of[name])
                    oo = _inflections(orig, tags, upos_of[name])
                    for tag, s_form in so.items():
                        o_form = oo.get(tag)
                        if o_form and s_form != o_form:
                            key = (s_form, o_form)
                            best[key] = max(best.get(key, 0.0), weight)
    lines = [
        "# WordNet synonyms, inverted: a spinner's synonym -> the word it may have replaced.\n",
        "# Source: WordNet 3.0, Princeton University (WordNet licence); inflections by lemminflect.\n",
        "# Rebuilt by scripts/build_thesaurus.py.\n",
        HEADER,
    ]
    lines += [f"{s}\t{o}\t{w:.3f}\twordnet\n" for (s, o), w in sorted(best.items())]
    out.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {out}: {len(best)} entries")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tortured", default=str(SHARED / "tortured_phrases_pps.json"))
    a = ap.parse_args()
    build_science(pathlib.Path(a.tortured), ROOT / "lexicons" / "spin_science.tsv")
    build_wordnet(ROOT / "lexicons" / "spin_wordnet.tsv")


if __name__ == "__main__":
    main()
