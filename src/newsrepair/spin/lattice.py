"""The rules that shape a sentence's lattice around the lexicon's options.

The lexicon proposes, for a phrase, the originals a spinner may have replaced; whether
each fits where the phrase stands is decided here, from the words around it, before the
decoder (:mod:`.decode`) weighs anything: a restoration must replace whole words ("the
2nd" is no "the 2"), "percent" needs a number before it, "12 months" becomes "year" only
after a determiner, a capitalised word inside a name or title keeps its own word
likelier than a spinner's swap (:func:`in_name`), a known name keeps its words
(:func:`keep_name_words`), a number word glued to decimals is restored
(:func:`add_number_options`) and nothing inside a web address or code is touched
(:func:`drop_verbatim`). ``SpinModel._lattices`` applies them.
"""

from __future__ import annotations

from .blocks import overlaps
from .decode import Option
from .gazetteer import NAME_LINKS
from .tokens import FUNCTION_WORDS, HONORIFICS, Token, abbreviation_dot

#: Weight of the lexicon's candidates for a capitalised word inside a name or title, or
#: alone mid-sentence (see ``in_name``), and the most the boost can raise it to.
#: Measured against 1: dev pairs 0.617 / 0.834 -> 0.616 / 0.835,
#: leave-one-out 0.334 / 0.685 -> 0.336 / 0.691, seed, synthetic spin and held-out
#: unchanged; the sample page's "Harbour Town council" is no longer "Harbour City".
NAME_WEIGHT_SCALE = 0.25
#: Number words a spinner writes for the digits before a decimal point ("2.1" ->
#: "two.1", "6.25" -> "six.25": its dictionary's "2" -> "two" matched inside the number).
_DIGIT_OF = {w: str(k) for k, w in enumerate("zero one two three four five six seven eight nine".split())}
#: Weight of that restoration: a number word glued to ".25" is never ordinary English.
NUMBER_WORD_WEIGHT = 0.95
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
#: Tokens after which a capitalised word starts a sentence (or a quotation) rather than
#: continuing a name.
SENTENCE_OPENERS = frozenset(('.', '!', '?', ':', '"', '“', '‘', "'", '(', '—', '–', '-', '|'))
#: Marks that may stand between an article and its noun: "a “vitality” crisis".
OPENING_MARKS = frozenset(('"', '“', '‘', "'", '(', '['))
#: A sentence to decode: its tokens, their normalised forms, their LM forms, its lattice.
Sentence = tuple[list[Token], list[str], list[str], dict[int, list[Option]]]


def whole_words(sent: list[Token], i: int, opts: list[Option]) -> list[Option]:
    """The options at ``sent[i]`` that start and end where a word does: "the 2" ->
    "the two" must not turn "the 2nd" into "the twond"."""
    if not opts or (i and _glued(sent[i - 1], sent[i])):
        return []
    return [o for o in opts if i + o.length >= len(sent) or not _glued(sent[i + o.length - 1], sent[i + o.length])]


def _glued(a: Token, b: Token) -> bool:
    """Whether tokens ``a`` and ``b`` are one word to a reader: a number and the letters
    written on to it ("2nd", "10am", "5G")."""
    return a.end == b.start and a.text[-1].isalnum() and b.text[0].isalnum()


def with_determiner(sent: list[Token], i: int, opts: list[Option]) -> list[Option]:
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
    j = i - 2 if i >= 2 and sent[i - 1].text in OPENING_MARKS else i - 1
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


def add_number_options(sent: list[Token], lattice: dict[int, list[Option]]) -> None:
    """Add to ``lattice`` the restoration of a number word written before a decimal point
    and digits ("two.1" -> "2.1"), a spinner's swap inside a number."""
    for i in range(len(sent) - 2):
        word, dot, digits = sent[i], sent[i + 1], sent[i + 2]
        digit = _DIGIT_OF.get(word.norm)
        if (digit is None or dot.text != "." or not digits.text.isdigit()
                or word.end != dot.start or dot.end != digits.start):
            continue
        opts = whole_words(sent, i, [Option(3, f"{digit}.{digits.text}", NUMBER_WORD_WEIGHT, "numbers")])
        if opts:
            lattice[i] = opts + lattice.get(i, [])


def drop_verbatim(sent: list[Token], lattice: dict[int, list[Option]], spans: list[tuple[int, int]],
                   starts: list[int]) -> None:
    """Remove from ``lattice`` the options whose span overlaps one of ``spans`` (sorted
    character offsets of text that is not prose, :func:`.tokens.verbatim_spans`; ``starts``
    their starts)."""
    for i in list(lattice):
        kept = []
        for o in lattice[i]:
            if not overlaps(spans, starts, sent[i].start, sent[min(len(sent), i + o.length) - 1].end):
                kept.append(o)
        if kept:
            lattice[i] = kept
        else:
            del lattice[i]


def in_name(sent: list[Token], i: int, opts: list[Option]) -> list[Option]:
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
    if starts_sentence(sent, i):
        return opts
    if text[1:2].isupper() and not (sent[i - 1].text[:1].isupper()
                                     or (i + 1 < len(sent) and sent[i + 1].text[:1].isupper())):
        return opts
    return [o if o.source == "gazetteer"
            else Option(o.length, o.original, o.weight * NAME_WEIGHT_SCALE, o.source, NAME_WEIGHT_SCALE)
            for o in opts]


def _after_honorific(sent: list[Token], i: int) -> bool:
    """Whether ``sent[i]`` follows a title ("Mr", "Gen."): it is a person's name."""
    j = i - 2 if i >= 2 and abbreviation_dot(sent, i - 1) else i - 1
    return j >= 0 and sent[j].norm in HONORIFICS


def starts_sentence(sent: list[Token], i: int) -> bool:
    """Whether ``sent[i]`` opens the sentence or follows a mark that opens one (a full
    stop, unless an abbreviation's; a quotation mark, a bracket, a dash)."""
    return i == 0 or (sent[i - 1].text in SENTENCE_OPENERS and not abbreviation_dot(sent, i - 1))


def label_letter(sent: list[Token], i: int) -> bool:
    """Whether ``sent[i]`` is a capital "A" (or "An") inside a sentence that is not written
    in capitals: a label ("Group A", "Plan A"), not the article that lexicon phrases
    such as "a navy" begin with."""
    return (sent[i].text in ("A", "An") and not starts_sentence(sent, i)
            and not written_in_capitals(sent))


def written_in_capitals(tokens: list[Token]) -> bool:
    """Whether most of the words among ``tokens`` (at least two) are written in capitals,
    as in a shouted headline: there a word in capitals is no abbreviation."""
    words = [t.text for t in tokens if t.text[:1].isalpha()]
    return len(words) >= 2 and 2 * sum(w.isupper() for w in words) > len(words)


def capitalised_runs(sent: list[Token]) -> list[list[int]]:
    """The token indices of each run of two or more capitalised words in ``sent``, a
    small linking word inside one included ("League for Democracy"), and an
    initialism's full stops passed over ("U.S. Navy": see :func:`with_initialisms`)."""
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


def with_initialisms(sent: list[Token], run: list[int], norms: list[str]) -> tuple[list[int], list[str]]:
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


def keep_name_words(lattice: dict[int, list[Option]], name: list[int]) -> None:
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
