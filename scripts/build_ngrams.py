"""Rebuild the language model in lexicons/lm/ (see src/newsrepair/langmodel.py).

    python scripts/build_ngrams.py [--clean DIR] [--books FILE] [--out lexicons/lm]
                                   [--holdout 0.1]   # report perplexity, don't write

Sources:
  * clean news JSONL files (fields ``title`` and ``text``), by default
    ../shared/data/clean/*.jsonl: word, pair and triple COUNTS are shipped, never text;
  * the broad English bigram list shipped with symspellpy
    (frequency_bigramdictionary_en_243_342.txt; MIT, derived from Google Books Ngrams,
    CC BY 3.0): ``pip install symspellpy`` at build time. The list splits
    contractions, so it has no pair that starts with "haven't" or "they'll": each gets
    the pairs of the word it ends with (what follows "haven't" is what follows "not":
    "yet", not "but"; :func:`with_contractions`);

  * wordfreq's English frequency of every vocabulary word (``wordfreq.f32``), and of
    every word of wordfreq's English list (``lexicons/wordfreq/``, see
    src/newsrepair/englishfreq.py), so that the run time needs no wordfreq
    (``--wordfreq-only`` rewrites just these files, from the shipped ``vocab.txt``;
    ``pip install wordfreq`` at build time).

Triples seen once are dropped (their mass stays in the context totals, so the model
stays normalised), and so are contexts left with no triple; pairs are all kept.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import pathlib
import random
import sys
from array import array
from collections import Counter
from typing import Iterable

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsrepair.langmodel import _BITS, lm_tokens  # noqa: E402
from newsrepair.spin.tokens import FUNCTION_WORDS  # noqa: E402  ("it's" is no possessive)

START = "<s>"


def document(record: dict) -> str:
    """The text counted from one clean news record: its title, a blank line, its text."""
    return (record.get("title") or "") + "\n\n" + (record.get("text") or "")


def documents(paths: list[str]) -> list[str]:
    docs = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                docs.append(document(json.loads(line)))
    return docs


def sentences(doc: str):
    for para in doc.split("\n"):
        toks = lm_tokens(para)
        if toks:
            yield [START, START] + toks


def count(docs: list[str]):
    c1, c2, c3 = Counter(), Counter(), Counter()
    for doc in docs:
        for toks in sentences(doc):
            c1.update(toks[2:])
            c2.update(zip(toks[1:], toks[2:]))
            c3.update(zip(toks, toks[1:], toks[2:]))
    return c1, c2, c3


def books_bigrams(path: str | None) -> Counter:
    out: Counter = Counter()
    if not path:
        try:
            import symspellpy  # noqa: F401
        except ImportError:
            print("symspellpy not installed: building without the broad bigram list", file=sys.stderr)
            return out
        path = str(pathlib.Path(symspellpy.__file__).parent / "frequency_bigramdictionary_en_243_342.txt")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                out[(parts[0].lower(), parts[1].lower())] += int(parts[2])
    return out


#: Negative contractions, one token each for the model, which take the broad pairs of
#: "not" (see :func:`with_contractions`).
NEGATIVE_CONTRACTIONS = ("ain't", "aren't", "can't", "couldn't", "didn't", "doesn't", "don't", "hadn't", "hasn't",
                         "haven't", "isn't", "mightn't", "mustn't", "needn't", "shan't", "shouldn't", "wasn't",
                         "weren't", "won't", "wouldn't")
#: The other contractions whose last part says which word follows: "they'll" is followed
#: by what follows "will". ("'s" and "'d" are left out: "'s" is also a possessive, "'d"
#: both "would" and "had".)
CONTRACTION_ENDINGS = {"'ll": "will", "'ve": "have", "'re": "are", "'m": "am"}


def with_contractions(books: Counter, vocab: Iterable[str] = ()) -> Counter:
    """``books`` with the pairs of the word a contraction ends with given to each
    contraction that has no pair of its own (the broad list splits them): P(w |
    "haven't") is read as P(w | "not"), P(w | "they'll") as P(w | "will"). The
    contractions are :data:`NEGATIVE_CONTRACTIONS` and the words of ``vocab`` (the news
    vocabulary) with an ending of :data:`CONTRACTION_ENDINGS`."""
    targets = {c: "not" for c in NEGATIVE_CONTRACTIONS}
    for word in vocab:
        for ending, full in CONTRACTION_ENDINGS.items():
            if word.endswith(ending) and word[:-len(ending)].isalpha():
                targets[word] = full
    starts = {v for v, _w in books}
    fulls = set(targets.values())
    after: dict[str, list[tuple[str, int]]] = {}
    for (v, w), n in books.items():
        if v in fulls:
            after.setdefault(v, []).append((w, n))
    out = Counter(books)
    for c, full in sorted(targets.items()):
        if c not in starts:
            out.update({(c, w): n for w, n in after.get(full, [])})
    return out


def with_possessives(books: Counter, vocab: Iterable[str]) -> Counter:
    """``books`` with pairs for the possessives of ``vocab`` ("navy's"), which the list
    never holds (it has no apostrophe): each takes the pairs of its noun on both sides,
    so that "the military's" and "the navy's" compare as "the military" and "the navy"."""
    nouns = {w[:-2]: w for w in vocab if w.endswith("'s") and w[:-2].isalpha()
             and w[:-2] not in FUNCTION_WORDS and w[:-2] not in ("let", "how", "where", "why", "when")}
    extra: Counter = Counter()
    for (v, w), n in books.items():
        if v in nouns:
            extra[(nouns[v], w)] += n
        if w in nouns:
            extra[(v, nouns[w])] += n
    out = Counter(books)
    for pair, n in extra.items():
        if pair not in out:
            out[pair] = n
    return out


def shipped_books_bigrams(lm_dir: pathlib.Path = ROOT / "lexicons" / "lm") -> Counter:
    """The broad bigram counts of the model in ``lm_dir``, back as word pairs. Counts are
    stored in thousands; each comes back as the middle of its thousand. So a model can be
    rebuilt from other news without symspellpy: ``scripts/eval_spin.py`` builds models
    without the articles it scores."""
    from newsrepair.langmodel import NgramLM

    lm = NgramLM.load(lm_dir)
    mask = (1 << _BITS) - 1
    vocab = lm.vocab
    return Counter({(vocab[k >> _BITS], vocab[k & mask]): n * 1000 + 500
                    for k, n in zip(lm._books.keys, lm._books.values[0])})


def build(docs: list[str], out: pathlib.Path, books: Counter, quiet: bool = False) -> None:
    """Count ``docs`` and write the model to ``out``."""
    c1, c2, c3 = count(docs)
    write(out, c1, c2, c3, books, quiet=quiet)


def write(out: pathlib.Path, c1, c2, c3, books: Counter, quiet: bool = False) -> None:
    vocab_words = set(c1) | {START} | {w for pair in c2 for w in pair} | {w for pair in books for w in pair}
    vocab = sorted(vocab_words)
    ids = {w: i for i, w in enumerate(vocab)}
    assert len(vocab) < 2 ** _BITS
    V = len(vocab)
    uni = array("I", [0]) * (5 * V)
    cont = Counter(w for (_v, w) in c2)
    ctx_total, ctx_types = Counter(), Counter()
    for (v, w), n in c2.items():
        ctx_total[v] += n
        ctx_types[v] += 1
    books_total = Counter()
    for (v, _w), n in books.items():
        books_total[v] += n
    for w, i in ids.items():
        uni[5 * i] = c1.get(w, 0)
        uni[5 * i + 1] = cont.get(w, 0)
        uni[5 * i + 2] = ctx_total.get(w, 0)
        uni[5 * i + 3] = ctx_types.get(w, 0)
        uni[5 * i + 4] = min(books_total.get(w, 0) // 1000, 2 ** 32 - 1)
    # context totals for trigrams, before pruning singletons
    c3_total, c3_types = Counter(), Counter()
    for (u, v, _w), n in c3.items():
        c3_total[(u, v)] += n
        c3_types[(u, v)] += 1

    def packed(items, width):
        keyed = []
        for gram, vals in items:
            key = 0
            for w in gram:
                key = (key << _BITS) | ids[w]
            keyed.append((key, vals))
        keyed.sort()
        keys = array("Q", [k for k, _ in keyed])
        cols = [array("I", [vals[j] for _, vals in keyed]) for j in range(width)]
        return keys, cols

    out.mkdir(parents=True, exist_ok=True)

    def save(name, arr):
        if sys.byteorder != "little":
            arr = array(arr.typecode, arr)
            arr.byteswap()
        (out / name).write_bytes(arr.tobytes())

    (out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    save("unigram.u32", uni)
    keys, (counts,) = packed(((g, (n,)) for g, n in c3.items() if n >= 2), 1)
    save("trigram.keys", keys)
    save("trigram.counts", counts)
    keys, (counts,) = packed(((g, (n,)) for g, n in c2.items()), 1)
    save("bigram.keys", keys)
    save("bigram.counts", counts)
    # A context all of whose continuations were seen once has no triple left after
    # pruning; without it the model falls back to the pair level, which only rescales
    # every word in that context alike, so such contexts are dropped too.
    keys, (tot, typ) = packed(((g, (c3_total[g], c3_types[g])) for g in c3_total
                               if c3_types[g] < c3_total[g]), 2)
    save("context.keys", keys)
    save("context.total", tot)
    save("context.types", typ)
    keys, (counts,) = packed(((g, (min(n // 1000, 2 ** 32 - 1),)) for g, n in books.items()), 1)
    save("books.keys", keys)
    save("books.counts", counts)
    write_wordfreq(out, vocab)
    (out / "totals.tsv").write_text(
        "# totals of the counts in this directory (written by scripts/build_ngrams.py)\n"
        f"tokens\t{sum(c1.values())}\nbigram_types\t{len(c2)}\n"
        f"books_tokens\t{sum(books.values()) // 1000}\n", encoding="utf-8")
    if quiet:
        return
    size = sum(p.stat().st_size for p in out.iterdir())
    print(f"wrote {out}: vocab {V}, trigrams {sum(1 for n in c3.values() if n >= 2)}, "
          f"bigrams {len(c2)}, books bigrams {len(books)}, {size / 1e6:.1f} MB")


def write_wordfreq(out: pathlib.Path, vocab: list[str]) -> None:
    """wordfreq's frequency of each vocabulary word, as little-endian float32 (0 for <num>, <s>)."""
    from wordfreq import word_frequency

    freqs = array("f", [0.0 if w in ("<num>", START) else word_frequency(w, "en") for w in vocab])
    if sys.byteorder != "little":
        freqs.byteswap()
    (out / "wordfreq.f32").write_bytes(freqs.tobytes())


def write_wordfreq_table(out: pathlib.Path) -> None:
    """wordfreq's frequency of every word of its English list, as the table
    newsrepair.englishfreq reads (hashes, codes, distinct values)."""
    from wordfreq import get_frequency_dict, word_frequency

    from newsrepair.englishfreq import word_key

    rows = sorted((word_key(w), word_frequency(w, "en")) for w in get_frequency_dict("en", "large"))
    if len({k for k, _ in rows}) != len(rows):
        sys.exit("two words of wordfreq's list share a hash")
    values = sorted({f for _, f in rows})
    code = {f: i for i, f in enumerate(values)}
    out.mkdir(parents=True, exist_ok=True)
    for name, typecode, items in (("en.keys", "Q", [k for k, _ in rows]), ("en.codes", "H", [code[f] for _, f in rows]),
                                  ("en.values", "d", values)):
        data = array(typecode, items)
        if sys.byteorder != "little":
            data.byteswap()
        (out / name).write_bytes(data.tobytes())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clean", default=str(ROOT.parent / "shared" / "data" / "clean"))
    ap.add_argument("--books", default=None, help="symspellpy's bigram list (found automatically)")
    ap.add_argument("--out", default=str(ROOT / "lexicons" / "lm"))
    ap.add_argument("--holdout", type=float, default=0.0,
                    help="train on the rest, write to --out, and report perplexity on this share")
    ap.add_argument("--wordfreq-only", action="store_true",
                    help="only rewrite wordfreq.f32 for the vocabulary already in --out, and the "
                         "table of wordfreq's frequencies in --wordfreq-out")
    ap.add_argument("--wordfreq-out", default=str(ROOT / "lexicons" / "wordfreq"))
    a = ap.parse_args()
    if a.wordfreq_only:
        out = pathlib.Path(a.out)
        vocab = (out / "vocab.txt").read_text(encoding="utf-8").split("\n")
        write_wordfreq(out, vocab[:-1] if vocab and vocab[-1] == "" else vocab)
        write_wordfreq_table(pathlib.Path(a.wordfreq_out))
        return
    paths = sorted(glob.glob(str(pathlib.Path(a.clean) / "*.jsonl")))
    if not paths:
        sys.exit(f"no clean news JSONL files in {a.clean}")
    docs = documents(paths)
    random.Random(0).shuffle(docs)
    test: list[str] = []
    if a.holdout:
        k = int(len(docs) * a.holdout)
        test, docs = docs[:k], docs[k:]
    c1, c2, c3 = count(docs)
    write(pathlib.Path(a.out), c1, c2, c3, with_possessives(with_contractions(books_bigrams(a.books), c1), c1))
    write_wordfreq_table(pathlib.Path(a.wordfreq_out))
    if test:
        import newsrepair.langmodel as langmodel

        out = pathlib.Path(a.out)
        langmodel.lexicon_path = lambda name: out.parent / name  # read the model just written
        NgramLM = langmodel.NgramLM
        lm = NgramLM.load()
        total, n = 0.0, 0
        for doc in test:
            for toks in sentences(doc):
                for i in range(2, len(toks)):
                    total += lm.logprob(toks[i], (toks[i - 2], toks[i - 1]))
                    n += 1
        print(f"held-out perplexity: {math.exp(-total / n):.1f} over {n} tokens")


if __name__ == "__main__":
    main()
