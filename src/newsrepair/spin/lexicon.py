"""Spin lexicons: spun phrase -> candidate original phrases, with weights.

The shipped lexicons are ``lexicons/spin_<name>.tsv`` files (format in
``lexicons/README.md``: ``spun<TAB>original<TAB>weight<TAB>source``). A user's spinner
dictionary (one group per line, ``original|substitute|substitute…``) is inverted: each
substitute points back to its original (weight ``1/k`` for ``k`` substitutes), and,
since a spinner also picks among a group's substitutes, to its group mates with a lower
weight (:func:`parse_groups`).

    >>> lex = Lexicon()
    >>> lex.add("navy", "military", 0.6, "learned")
    >>> lex.lookup(["the", "navy", "said"], 1)
    [(1, 'military', 0.6, 'learned')]
"""

from __future__ import annotations

import os
import re
import warnings
from array import array
from typing import Callable, Iterable, Sequence

from ..errors import DataFileError, DataFileWarning
from ..langmodel import c_extension
from ..regextrie import trie_regex
from ..resources import read_lexicon_text
from .tokens import tokenize

__all__ = ["Lexicon", "load_lexicon", "shipped_rows", "parse_tsv", "parse_groups", "parse_user_tsv", "is_user_source",
           "is_deciphered_source", "names_the_spinner", "GROUP_SOURCE", "MATE_SOURCE", "DECIPHERED_SOURCE",
           "phrase_key", "PhraseFinder"]

#: Weight of "substitute -> group mate" relative to "substitute -> original", shared
#: among a substitute's mates.
MATE_WEIGHT = 0.3
#: Groups with more substitutes than this list no mates: each would weigh under 0.016,
#: and their number grows with the square of the group (one group of 3,000 substitutes
#: took 8.5 s and 2 GB to load with them).
MAX_GROUP_FOR_MATES = 20
#: The source of a group file's inversion (substitute -> original), a user's pair: the
#: spinner replaced exactly the phrases the file lists, so no plural is derived from it.
GROUP_SOURCE = "user:group"
#: The source of a group mate pair (a user's pair, but not the group's inversion).
MATE_SOURCE = "user:mate"
#: The source of the pairs that ``newsrepair learn --unpaired`` reads from a spinner's
#: output alone (:mod:`.decipher`): shipped pairs that the spinner's text confirms. In a
#: lexicon file given as a spinner dictionary they are not the user's pairs: they raise
#: the weights of those pairs (as a higher weight of a shipped pair does) and the other
#: lexicons stay in use, while the user's own pairs stand for the spinner's whole
#: dictionary. A file of such pairs only does not name the spinner
#: (:func:`names_the_spinner`).
DECIPHERED_SOURCE = "deciphered"


def phrase_key(text: str) -> str:
    """The lexicon form of a phrase: its lowercase tokens joined by single spaces."""
    return " ".join(t.norm for t in tokenize(text))


class Lexicon:
    """Spun phrases indexed for longest-match lookup over a token sequence."""

    def __init__(self) -> None:
        #: phrase -> {original: (weight, source)}
        self.entries: dict[str, dict[str, tuple[float, str]]] = {}
        #: first token -> lengths (in tokens) of the phrases starting with it, longest first
        self.lengths: dict[str, tuple[int, ...]] = {}
        #: every phrase and every start of one, as token tuples
        self.prefixes: set[tuple[str, ...]] = set()
        #: one (weight, source) tuple for equal pairs: a big spinner dictionary's group
        #: mates share a few weights, and a tuple per pair was a third of its memory
        self._shared: dict[tuple[float, str], tuple[float, str]] = {}

    def __len__(self) -> int:
        return sum(len(v) for v in self.entries.values())

    def add(self, spun: str, original: str, weight: float, source: str, fill_only: bool = False) -> None:
        """Add one pair; a pair seen again keeps its highest weight (with ``fill_only``,
        the weight it has: for hand-set weights, which a measured one overrides). A
        user's pair (:func:`is_user_source`) and a shipped one do not compare weights:
        the user's is kept, since the user's dictionary describes the spinner at hand;
        nor do a group's inversion and another group's mate pair: the inversion is kept.
        A pair read from a spinner's output (:data:`DECIPHERED_SOURCE`) that is there
        already takes that source, with the higher of the two weights."""
        if not spun or not original or spun == original:
            return
        cands = self.entries.get(spun)
        if cands is None:
            cands = self.entries[spun] = {}
            self._index(spun)
        old = cands.get(original)
        if old is None:
            cands[original] = self._shared.setdefault((weight, source), (weight, source))
        elif is_deciphered_source(source):  # the spinner's text confirms the pair: it is a signature now
            if not fill_only:
                weight = max(weight, old[0])
                cands[original] = self._shared.setdefault((weight, source), (weight, source))
        else:
            rank, old_rank = _rank(source), _rank(old[1])
            if rank > old_rank or (rank == old_rank and weight > old[0] and not fill_only):
                cands[original] = self._shared.setdefault((weight, source), (weight, source))

    def _index(self, spun: str) -> None:
        """Record a new phrase in :attr:`lengths` and :attr:`prefixes`."""
        toks = spun.split(" ")
        n = len(toks)
        self.prefixes.update(tuple(toks[:k]) for k in range(1, n + 1))
        lens = self.lengths.get(toks[0], ())
        if n not in lens:
            self.lengths[toks[0]] = tuple(sorted(lens + (n,), reverse=True))

    def reweighted(self, factor: Callable[[str], float]) -> "Lexicon":
        """A lexicon of the same pairs, each weight multiplied by ``factor(source)``. It
        shares this one's index of phrases, so neither may get new phrases afterwards."""
        out = Lexicon()
        out.entries = {phrase: {orig: pair if (f := factor(pair[1])) == 1.0 else (pair[0] * f, pair[1])
                                for orig, pair in cands.items()}
                       for phrase, cands in self.entries.items()}
        out.lengths, out.prefixes = self.lengths, self.prefixes
        return out

    def candidates(self, spun: str) -> dict[str, tuple[float, str]]:
        """The originals recorded for the phrase ``spun`` (lexicon form)."""
        return self.entries.get(spun, {})

    def lookup(self, norms: Sequence[str], i: int) -> list[tuple[int, str, float, str]]:
        """Every phrase starting at token ``i``: (length, original, weight, source), longest first."""
        out = []
        for n in self.lengths.get(norms[i], ()):
            if i + n > len(norms):
                continue
            phrase = norms[i] if n == 1 else " ".join(norms[i:i + n])
            for orig, (w, src) in self.entries.get(phrase, {}).items():
                out.append((n, orig, w, src))
        return out


class PhraseFinder:
    """Finds in lowercase text (curly apostrophes straightened) the places where phrases
    of a lexicon (lexicon form) start, in C code, without tokenising the text.

    It is a filter for :meth:`Lexicon.lookup`, not the judge: it also reports a few
    places where the tokenizer does not start a token ("12" inside "2012"), so the
    caller tokenises there and looks the tokens up. It misses a phrase only where its
    first token sticks to a preceding letter (a phrase that starts with a symbol:
    "x“furthermore"). Phrases that start inside another phrase are found too.

    The places are the matches of one pattern, a trie of the phrases. The C extension
    finds the same places without it: a scan of the text picks the places where a
    phrase's first keys stand (:func:`_start_keys`, by their hashes), and there matches
    the phrases' trie of keys (:func:`_key_trie`), in a sixth of the time (measured on
    the benchmark mix), and without compiling the pattern (a tenth of a second for the
    shipped lexicons).
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        phrases = [p for p in phrases if p.strip()]
        self._empty = not phrases
        ext = c_extension()
        self._c = None if ext is None or self._empty else ext.phrase_starts
        if self._c is not None:
            self._table = _hash_table({h for p in phrases for h in _start_keys(p)})
            self._nodes, self._ends = _key_trie(phrases)
            self._longest = max(len(k) for p in phrases for k in _KEY.findall(p))
        elif phrases:
            # any character that is not a letter, then the phrases: matching it lets
            # ``re`` skip quickly to the candidates (a quarter less time than a look-behind)
            self._pattern = re.compile(rf"[\W\d](?={trie_regex(map(_phrase_atoms, phrases))})")

    def __getstate__(self) -> dict:
        # for ``datacache``: the C function is looked up again when loaded, and the
        # pattern of the pure-Python path is kept as its text (an entry holds no code
        # objects); an entry is built with the extension or without it
        state = {k: v for k, v in self.__dict__.items() if k not in ("_c", "_pattern")}
        if "_pattern" in self.__dict__:
            state["_pattern"] = self._pattern.pattern
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if isinstance(state.get("_pattern"), str):
            self._pattern = re.compile(state["_pattern"])
        ext = c_extension()
        self._c = None if ext is None or self._empty or "_table" not in state else ext.phrase_starts

    def starts(self, low: str) -> list[int]:
        """The offsets in ``low`` where a phrase may start, in increasing order."""
        if self._empty:
            return []
        if self._c is not None:
            return self._c(low, self._table, self._longest, self._nodes, self._ends)
        return [m.start() for m in self._pattern.finditer(" " + low)]  # match k is before offset k


#: A phrase's keys, as the C scan reads text (``read_key`` in ``_lmcore.c``): runs of
#: digits, words with inner apostrophes, single other characters; white space apart.
#: Text that the pattern of a phrase matches has the phrase's keys, in the same order.
_KEY = re.compile(r"\d+|\w+(?:['’]\w+)*|\S")
_FNV_OFFSET, _FNV_PRIME, _MASK64 = 14695981039346656037, 1099511628211, (1 << 64) - 1
#: XORed into the hash of a first key that a second one must follow (``FIRST_OF_MORE``).
_FIRST_OF_MORE = 0x9E3779B97F4A7C15


def _fnv(text: str, h: int = _FNV_OFFSET) -> int:
    """``h`` continued over the code points of ``text`` (64-bit FNV-1a)."""
    for ch in text:
        h = ((h ^ ord(ch)) * _FNV_PRIME) & _MASK64
    return h


def _start_keys(phrase: str) -> list[int]:
    """The hashes that the C scan looks up for ``phrase``: of its key when it has one;
    else of its first two keys, and of the first marked as the first of more. (A hash
    of 0 is stored as 1, the empty slot's value.)"""
    keys = _KEY.findall(phrase)
    first = _fnv(keys[0])
    if len(keys) == 1:
        return [first or 1]
    return [(first ^ _FIRST_OF_MORE) or 1, _fnv(keys[1], _fnv(" ", first)) or 1]


def _key_trie(phrases: list[str]) -> tuple[list[dict[str, tuple[int, int]]], bytes]:
    """The phrases as a trie of their keys, for the C scan (``match_from`` in
    ``_lmcore.c``): ``nodes[k]`` maps a key to the next node when white space may come
    before the key (a new token: the pattern's ``\\s*``) and when it may not (the next key
    of the same token, "3" "." "5"), -1 for none; ``ends[k]`` is 1 where a phrase ends.
    Node 0 is the root."""
    nodes: list[dict[str, list[int]]] = [{}]
    ends = bytearray(1)
    for phrase in phrases:
        node = 0
        for tok in phrase.split(" "):
            for k, key in enumerate(_KEY.findall(tok)):
                nxt = nodes[node].setdefault(key, [-1, -1])
                glued = int(k > 0)
                if nxt[glued] < 0:
                    nxt[glued] = len(nodes)
                    nodes.append({})
                    ends.append(0)
                node = nxt[glued]
        ends[node] = 1
    return [{key: (a, b) for key, (a, b) in node.items()} for node in nodes], bytes(ends)


def _hash_table(hashes: set[int]) -> array:
    """The hashes in an open-addressing table (linear probing, 0 for an empty slot) of
    a power of two of slots, at most a quarter full."""
    size = 1
    while size < 4 * len(hashes):
        size *= 2
    table = array("Q", bytes(8 * size))
    for h in sorted(hashes):
        slot = h & (size - 1)
        while table[slot]:
            slot = (slot + 1) & (size - 1)
        table[slot] = h
    return table


def _phrase_atoms(phrase: str) -> list[str]:
    """The regex pieces of one phrase, for :func:`~newsrepair.regextrie.trie_regex`: its
    characters, and where a word or number token ends, a check that the token cannot go
    on ("navy" is not the token "navy's"); white space between tokens is optional, as for
    the tokenizer ("p.c" is ``"p . c"``)."""
    atoms = []
    for k, tok in enumerate(phrase.split()):
        if k:
            atoms.append(r"\s*")
        atoms.extend(re.escape(ch) for ch in tok)
        if tok[-1].isdecimal():
            atoms.append(r"(?!\d)")
        elif _WORD_CHAR.match(tok[-1]):
            atoms.append(r"(?!\w|['’]\w)")
    return atoms


_WORD_CHAR = re.compile(r"\w")


def parse_tsv(text: str, name: str = "<lexicon>") -> Iterable[tuple[str, str, float, str]]:
    """The rows of a lexicon TSV. Raises :class:`DataFileError` on a malformed line."""
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            raise DataFileError(f"{name}:{lineno}: expected spun<TAB>original<TAB>weight[<TAB>source]")
        try:
            weight = float(parts[2])
        except ValueError:
            raise DataFileError(f"{name}:{lineno}: weight {parts[2]!r} is not a number") from None
        if not 0.0 < weight <= 1.0:
            raise DataFileError(f"{name}:{lineno}: weight {weight} is not in (0, 1]")
        source = parts[3].strip() if len(parts) > 3 else "lexicon"
        yield parts[0].strip(), parts[1].strip(), weight, source


def parse_groups(text: str, name: str = "<groups>") -> Iterable[tuple[str, str, float, str]]:
    """Invert a spinner group file: each ``original|sub|sub`` line (or ``{original|sub|sub}``,
    as spintax, with nested groups spelled out: :func:`_spintax_group`) gives sub -> original pairs (weight ``1/k`` for
    ``k`` substitutes: the chance that the spinner, replacing the original, wrote this
    one), and sub ->
    group mate pairs (see :data:`MATE_WEIGHT`), since a spinner that met a substitute's
    original may have chosen another substitute. Lines without ``|`` and lines starting
    with ``#`` are skipped; a comment after a group (``said|stated  # verbs``) and a list
    marker before it (``- said|stated``) are not part of it.

    Raises:
        DataFileError: for spintax inside a sentence ("The {army|navy} said"), which is
            a spun text's template, not a dictionary, for unbalanced braces, and for a group with an empty phrase
            (``said|``, ``|stated``, ``said||stated``), whose original or substitute is
            missing (``name`` names the file and the line).
    """
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#") or "|" not in line:
            continue
        # a comment after the group ("said|stated  # verbs"), a list marker before it
        line = _LIST_MARKER.sub("", _INLINE_COMMENT.sub("", line))
        if "{" in line or "}" in line:
            # a group written as spintax, {original|sub|sub}, perhaps with groups nested in
            # its phrases: {original|{sub|sub}}, {council|{town|city} board}
            try:
                members = _spintax_group(line)
            except ValueError as exc:
                raise DataFileError(f"{name}:{lineno}: {exc}; a spinner dictionary has one group per line, "
                                    "original|sub|sub or {original|sub|sub}") from None
        else:
            members = line.split("|")
        if not all(w.strip() for w in members):
            raise DataFileError(f"{name}:{lineno}: a group with an empty phrase ('|' at the start "
                                "or end of the line, or '||'); a spinner dictionary has one group per "
                                "line, original|sub|sub")
        # each phrase: its lexicon form (what is looked up) and as written (what is restored)
        words = {key: written_form(w) for w in members if (key := phrase_key(w))}
        if not words:
            continue
        # a substitute that repeats the original, or another substitute, adds nothing
        keys = list(words)
        original, subs = keys[0], keys[1:]
        mates = subs if len(subs) <= MAX_GROUP_FOR_MATES else []
        if not subs:
            continue
        weight = 1.0 / len(subs)  # the spinner chose each substitute of the original alike
        for sub in subs:
            yield sub, words[original], weight, GROUP_SOURCE
            for mate in mates:
                if mate != sub:
                    yield sub, words[mate], weight * MATE_WEIGHT / max(1, len(subs) - 1), MATE_SOURCE


def _check_group_lines(text: str, path: str) -> None:
    """Say which lines of a spinner group file :func:`parse_groups` skipped (no ``|``: a
    typo such as "ferry, shuttle boat"), with a :class:`~newsrepair.DataFileWarning`;
    refuse a file where they outnumber the groups (an article given by mistake, whose
    one menu line "Login | Subscribe" looked like a group).

    Raises:
        DataFileError: when most lines are not groups.
    """
    lines = [(k, ln.strip()) for k, ln in enumerate(text.splitlines(), 1)
             if ln.strip() and not ln.lstrip().startswith("#")]
    skipped = [(k, ln) for k, ln in lines if "|" not in ln]
    if not skipped:
        return
    first = f"line {skipped[0][0]}: {skipped[0][1][:60]!r}"
    if 2 * len(skipped) > len(lines):
        raise DataFileError(f"spinner dictionary {path!r}: {len(skipped)} of its {len(lines)} lines hold no "
                            f"group ({first}); is it a spinner dictionary (original|substitute|substitute "
                            "per line)?")
    warnings.warn(f"spinner dictionary {path!r}: {len(skipped)} line{'s' if len(skipped) > 1 else ''} "
                  f"without '|' skipped ({first})", DataFileWarning, stacklevel=4)


def recheck_group_file(path: str) -> None:
    """Give again the warnings that loading the spinner dictionary ``path`` gives
    (:func:`_check_group_lines`), for a model whose lexicon came from the data cache."""
    try:
        text = _read_dictionary(path)
    except DataFileError:
        return  # loading it would have failed, and did not
    if not _is_tsv(text):
        _check_group_lines(text, str(path))


def _read_dictionary(path: str) -> str:
    """The text of the spinner dictionary ``path``.

    Raises:
        DataFileError: when it cannot be read or is not UTF-8.
    """
    try:
        with open(os.fspath(path), encoding="utf-8-sig") as fh:
            return fh.read()
    except OSError as exc:
        raise DataFileError(f"cannot read spinner dictionary {path!r}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(f"spinner dictionary {path!r} is not UTF-8 text ({exc.reason} "
                            f"at byte {exc.start})") from None


#: A comment at the end of a group line: "#" after whitespace.
_INLINE_COMMENT = re.compile(r"\s+#.*$")
#: A list marker at the start of a group line ("- ", "* ", "• ").
_LIST_MARKER = re.compile(r"^[-*•]\s+")
#: The most phrases one group line may spell out through nested groups.
MAX_GROUP_PHRASES = 256


def _spintax_group(line: str) -> list[str]:
    """The phrases of a group line written as spintax, the original first: the line's
    alternatives (inside its braces when braces enclose it all), each spelled out in every
    choice of the groups nested in it, first choices first ("{{council|board}
    members|councillors}": "council members", "board members", "councillors").

    Raises:
        ValueError: for unbalanced braces, for spintax inside a sentence ("The
            {army|navy} said", a spun text's template: one alternative holding a group),
            and for more than :data:`MAX_GROUP_PHRASES` phrases.
    """
    while True:
        depth, first_closed = 0, None
        for k, ch in enumerate(line):
            depth += (ch == "{") - (ch == "}")
            if depth < 0:
                raise ValueError("unbalanced braces")
            if depth == 0 and first_closed is None:
                first_closed = k
        if depth:
            raise ValueError("unbalanced braces")
        if not (line[:1] == "{" and first_closed == len(line) - 1):
            break
        line = line[1:-1].strip()  # braces that enclose the whole group
    alternatives = _split_top(line)
    if len(alternatives) < 2:
        raise ValueError("spintax inside a sentence")
    phrases: list[str] = []
    for alternative in alternatives:
        phrases.extend(_spell_out(alternative))
        if len(phrases) > MAX_GROUP_PHRASES:
            raise ValueError(f"more than {MAX_GROUP_PHRASES} phrases in one group")
    return phrases


def _split_top(text: str) -> list[str]:
    """``text`` split at the "|" outside braces."""
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        depth += (ch == "{") - (ch == "}")
        if ch == "|" and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    parts.append(text[start:])
    return parts


def _spell_out(text: str) -> list[str]:
    """Every wording of ``text`` through its brace groups, first choices first."""
    k = text.find("{")
    if k < 0:
        return [text]
    depth = 0
    for end in range(k, len(text)):
        depth += (text[end] == "{") - (text[end] == "}")
        if depth == 0:
            break
    heads = [text[:k] + choice for inner in _split_top(text[k + 1:end]) for choice in _spell_out(inner)]
    tails = _spell_out(text[end + 1:])
    if len(heads) * len(tails) > MAX_GROUP_PHRASES:
        raise ValueError(f"more than {MAX_GROUP_PHRASES} phrases in one group")
    return [head + tail for head in heads for tail in tails]


def written_form(phrase: str) -> str:
    """An original as the user's file writes it, for restoring: lowercase (the text's
    casing is put back), straight apostrophes, single spaces ("20%", "well-being",
    "mr. smith" stay so; their lexicon forms, "20 %" and so on, are for looking up). A
    word with capitals after its first letter keeps them ("MPs", "H2O", "iPhone"), unless
    it is a word of four letters or more in capitals ("MILITARY" in a file written so)."""
    return " ".join(w if _INNER_CAPITAL.search(w) and not _SHOUTED.fullmatch(w) else w.lower()
                    for w in phrase.replace("’", "'").split())


#: A capital after the first letter of a word part ("MPs", "H2O", "iPhone"; not "Well-Being").
_INNER_CAPITAL = re.compile(r"[^\W_][^\W_]*?[A-Z]")
#: A word written in capitals that is a word, not an abbreviation ("MILITARY", not "UK").
_SHOUTED = re.compile(r"[A-Z]{4,}")


def _is_tsv(text: str) -> bool:
    """Whether a user's dictionary file is a lexicon (``spun<TAB>original<TAB>weight``, as
    :mod:`.learn` writes) rather than a spinner's group file: it has tabs and no group
    line (a group file with a stray tab stays a group file). A ``|`` inside a lexicon
    row (a learned phrase may hold one) does not make it a group line."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return any("\t" in line for line in lines) and not any("|" in line and not _is_lexicon_row(line)
                                                             for line in lines)


def _is_lexicon_row(line: str) -> bool:
    """Whether ``line`` reads as ``spun<TAB>original<TAB>weight[<TAB>source]``."""
    parts = line.split("\t")
    if len(parts) < 3:
        return False
    try:
        float(parts[2])
    except ValueError:
        return False
    return True


def _rank(source: str) -> int:
    """Which of two sources of one pair :meth:`Lexicon.add` keeps: the user's pair over a
    shipped one, and a group's own inversion over another group's mate pair (whatever
    their weights: an inversion weighs 1/k, a mate a share of that)."""
    if not is_user_source(source):
        return 0
    return 1 if source == MATE_SOURCE else 2


def is_user_source(source: str) -> bool:
    """Whether a pair's ``source`` marks it as the user's (``user`` or ``user:...``)."""
    return source.split(":")[0] == "user"


def is_deciphered_source(source: str) -> bool:
    """Whether a pair's ``source`` is :data:`DECIPHERED_SOURCE` (with or without ``:N``)."""
    return source.split(":")[0] == DECIPHERED_SOURCE


def names_the_spinner(paths: Iterable[str]) -> bool:
    """Whether the dictionary files ``paths`` hold a pair of the user's own: a group file,
    or a lexicon with a row that is not :data:`DECIPHERED_SOURCE`. Then the hand-written
    lexicon gives way to them. A file that cannot be read or parsed counts as the
    user's (loading it reports why)."""
    for path in paths:
        try:
            text = _read_dictionary(path)
            if not _is_tsv(text) or not all(is_deciphered_source(src) for *_row, src in parse_tsv(text, str(path))):
                return True
        except DataFileError:
            return True
    return False


def parse_user_tsv(text: str, name: str) -> Iterable[tuple[str, str, float, str]]:
    """The rows of a user's lexicon file: the spun phrase in lexicon form, the original as
    written (:func:`written_form`, as a group file's are), the source marked as the user's
    (:func:`is_user_source`)."""
    for spun, original, weight, source in parse_tsv(text, name):
        key, written = phrase_key(spun), written_form(original)
        if key and written and key != phrase_key(original):
            mine = is_user_source(source) or is_deciphered_source(source)
            yield key, written, weight, source if mine else f"user:{source}"


def shipped_rows(name: str) -> Iterable[tuple[str, str, float, str]]:
    """The rows of the shipped lexicon ``lexicons/spin_<name>.tsv``."""
    fname = f"spin_{name}.tsv"
    return parse_tsv(read_lexicon_text(fname), fname)


def load_lexicon(names: Iterable[str] = (), group_files: Iterable[str] = (), fallback: Iterable[str] = (),
                 base: Lexicon | None = None) -> Lexicon:
    """Merge the shipped lexicons ``spin_<name>.tsv`` and the user's group files into
    ``base`` (a new lexicon by default). The ``fallback`` lexicons (hand-set weights)
    add only the pairs the others lack."""
    lex = Lexicon() if base is None else base
    for name in names:
        for row in shipped_rows(name):
            lex.add(*row)
    for name in fallback:
        for row in shipped_rows(name):
            lex.add(*row, fill_only=True)
    for path in group_files:
        text = _read_dictionary(path)
        if _is_tsv(text):
            try:
                rows = list(parse_user_tsv(text, str(path)))
            except DataFileError as exc:
                raise DataFileError(f"{exc}; the file was read as a lexicon (spun<TAB>original<TAB>weight) "
                                    "since it has tabs and no group line: a spinner's group file "
                                    "separates a group's phrases with '|'") from None
        else:
            rows = list(parse_groups(text, str(path)))
            if rows:
                _check_group_lines(text, str(path))
        if not rows:
            raise DataFileError(f"spinner dictionary {path!r} has no group lines "
                                "(expected original|substitute|substitute... per line)")
        for row in rows:
            lex.add(*row)
    return lex
