"""``newsrepair learn`` (also ``python -m newsrepair.spin.learn``): learn a spinner's
swaps from its articles and their originals, and write them as a lexicon that
``--spinner-dict`` loads.

Two ways in:

- aligned pairs: JSON Lines records holding both texts (``--spun-field``,
  ``--original-field``);
- unpaired articles: ``--originals PATH`` names the originals (files, directories or JSON
  Lines), the positional paths the spun articles, and :mod:`newsrepair.spin.pairing`
  finds which original each spun article was made from. ``--save-pairs`` writes the
  pairs found, to check them or to learn from them again;
- the spinner's articles alone (``--unpaired``): :func:`newsrepair.spin.decipher.decipher`
  reads which of the shipped lexicons' swaps the spinner uses from how its text departs
  from news, and writes them with the source ``deciphered``.

The learning from pairs is :func:`newsrepair.spin.learn.learn_pairs`. Bad usage and unreadable
inputs are usage errors (exit status 2, through argparse).

Afterwards (unless ``-q``) the originals are scored by detection with the new lexicon as
a spinner dictionary, as clean text of that site: a large lexicon of common words makes
clean text look spun too, and the message says how often, and which ``--threshold``
would keep them clean (:func:`clean_text_check`).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Callable, Iterator

from ..errors import DecodeError
from ..io import dump_record, open_output, read_document, read_jsonl
from ..spin.learn import format_tsv, learn_pairs
from ..spin.lexicon import DECIPHERED_SOURCE
from ..spin.pairing import MIN_EXPLAINED, match_articles
from .args import Parser, float01
from .outputs import _Stdout, discard_stdout, file_identity, is_pairs, replaceable
from .sources import Source, collect_sources, nothing_matched, stdin_bytes

#: The first words of the header of the lexicon ``-o`` writes (a comment line).
LEXICON_HEAD = "Spinner substitutions learned by newsrepair"

DEFAULT_PROG = "python -m newsrepair.spin.learn"

_DESCRIPTION = """\
Learn a spinner's swaps from its articles and their originals, and write them as a
weighted lexicon, which --spinner-dict or Config(spinner_dictionaries=...) loads like the
spinner's own dictionary.

The inputs are JSON Lines records holding both texts of an aligned pair, or, with
--originals, the spun articles alone: each is then matched by content with the original
it was made from (a spun article whose original is not there is left out). With
--unpaired, the spun articles alone, without originals: the shipped lexicons' swaps
that the spinner's text confirms (it writes the spun phrase far more often than news
does, and the original far less) are written, to raise their weights and make them
detection evidence; this needs a few hundred articles."""

_EPILOG = """\
examples:
  {prog} pairs.jsonl -o farm.tsv
      learn from aligned pairs, records {{"spun": ..., "original": ...}}
  {prog} --originals source_site/ farm/ -o farm.tsv
      find the original of each of the farm's articles first
  {prog} --unpaired farm/ -o farm.tsv
      no originals: the shipped swaps that the farm's own text confirms
  newsrepair --spinner-dict farm.tsv -o clean/ farm/
      then repair the farm's articles with what was learned"""


def build_parser(prog: str = DEFAULT_PROG) -> argparse.ArgumentParser:
    """The learner's argument parser."""
    ap = Parser(prog=prog, usage=f"{prog} [OPTIONS] PATH [PATH ...]", description=_DESCRIPTION,
                epilog=_EPILOG.format(prog=prog), formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", metavar="PATH",
                    help="JSON Lines files of aligned pairs; with --originals or --unpaired, the spun "
                         "articles (files, directories or JSON Lines files); '-' reads standard input")
    ap.add_argument("-o", "--output", default="-", metavar="FILE",
                    help="the lexicon file to write, atomically, through a symbolic link, or into a "
                         "pipe or device (default: standard output)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no summary on standard error")
    pairs = ap.add_argument_group("aligned pairs")
    pairs.add_argument("--spun-field", default="spun", metavar="NAME",
                       help='the field holding the spun text (default "spun")')
    pairs.add_argument("--original-field", default="original", metavar="NAME",
                       help='the field holding the original text (default "original")')
    unpaired = ap.add_argument_group("unpaired articles")
    unpaired.add_argument("--originals", action="append", default=[], metavar="PATH",
                          help="the original articles (files, directories or JSON Lines files) among which "
                               "to find the original of each spun article; repeatable")
    unpaired.add_argument("--unpaired", action="store_true",
                          help="the PATHs are a spinner's articles and there are no originals: write the "
                               "shipped swaps that their text confirms (needs a few hundred articles)")
    unpaired.add_argument("--field", default="text", metavar="NAME",
                          help='the text field of JSON Lines files of articles (default "text")')
    ap.add_argument("--glob", metavar="PATTERN",
                    help='file-name pattern for walking directories (default "*.txt" with --originals, '
                         'else "*.jsonl")')
    unpaired.add_argument("--min-match", type=float01, default=MIN_EXPLAINED, metavar="X",
                          help="the least share of a spun article's words that its alignment with an "
                               f"original must account for (default {MIN_EXPLAINED})")
    ap.add_argument("--save-pairs", metavar="FILE",
                    help="also write the pairs learned from as JSON Lines (with --originals, with the "
                         "names and the share of words explained), to check them or learn from them again")
    return ap


def _records(ap: argparse.ArgumentParser, path: str) -> Iterator[tuple[int, dict]]:
    """The records of one JSON Lines file (``-``: standard input), with line numbers."""
    try:
        with (contextlib.nullcontext(stdin_bytes()) if path == "-" else open(path, "rb")) as fh:
            for line in read_jsonl(fh):  # the CLI's reader: BOM, bad bytes, non-objects
                if line.error is not None:
                    ap.error(f"{path}:{line.lineno}: {line.error}")
                yield line.lineno, line.record
    except OSError as exc:
        ap.error(f"cannot read {path}: {exc.strerror or exc}")


def _text_field(ap: argparse.ArgumentParser, path: str, lineno: int, record: dict, field: str) -> str:
    value = record.get(field)
    if not isinstance(value, str):
        ap.error(f"{path}:{lineno}: expected a string field {field!r}")
    return value


def read_pairs(ap: argparse.ArgumentParser, sources: list[Source], args: argparse.Namespace) -> list[tuple[str, str]]:
    """The aligned ``(spun, original)`` pairs of the JSON Lines inputs."""
    pairs = []
    for source in sources:
        if source.error is not None:
            ap.error(f"cannot read {source.name}: {source.error}")
        path = source.path or "-"
        for lineno, record in _records(ap, path):
            spun, original = record.get(args.spun_field), record.get(args.original_field)
            if not isinstance(spun, str) or not isinstance(original, str):
                ap.error(f"{path}:{lineno}: expected string fields {args.spun_field!r} and "
                         f"{args.original_field!r}")
            pairs.append((spun, original))
    return pairs


def read_articles(ap: argparse.ArgumentParser, sources: list[Source], field: str) -> list[tuple[str, str]]:
    """``(name, text)`` of every article of ``sources``: a text file is one article
    (decoded as the CLI decodes inputs), a JSON Lines file one per record (``field``)."""
    articles = []
    for source in sources:
        name = source.name
        if source.error is not None:
            ap.error(f"cannot read {name}: {source.error}")
        if source.path is None or source.named_like_jsonl:
            for lineno, record in _records(ap, source.path or "-"):
                articles.append((f"{name}:{lineno}", _text_field(ap, name, lineno, record, field)))
            continue
        try:
            articles.append((name, read_document(source.path).text))
        except (OSError, DecodeError) as exc:
            ap.error(f"cannot read {name}: {getattr(exc, 'strerror', None) or exc}")
    return articles


#: How the files that ``-o`` and ``--save-pairs`` write are told: an existing file that
#: holds something else (an article or a corpus given by mistake) is not replaced.
_WRITES = {"-o": ("a lexicon learned before", lambda head: head.startswith(f"# {LEXICON_HEAD}".encode("utf-8"))),
           "--save-pairs": ("pairs saved before", is_pairs)}


def _check_outputs(ap: argparse.ArgumentParser, args: argparse.Namespace, sources: list[Source]) -> None:
    """Refuse an output file that is an input, ``--save-pairs`` that is ``-o`` (two
    names of one file count as one, as :func:`.outputs.check_outputs` tells them), or an
    existing file that holds something else than what the option writes (a lexicon
    learned before, or aligned pairs)."""
    for option, path in (("-o", args.output), ("--save-pairs", args.save_pairs)):
        if path == "":
            ap.error(f"{option} needs a file name, not an empty string")
    files = [path for path in (args.output, args.save_pairs) if path not in (None, "-")]
    if args.save_pairs == "-" and args.output in (None, "-"):
        ap.error("--save-pairs -: standard output holds the lexicon; write it with -o FILE, "
                 "or give --save-pairs a file")
    if len(files) == 2 and file_identity(files[0]) == file_identity(files[1]):
        ap.error("--save-pairs needs a file of its own")
    inputs = {file_identity(s.path): s.name for s in sources if s.path is not None and s.error is None}
    for output in files:
        identity = file_identity(output)
        name = None if identity is None else inputs.get(identity)
        if name is not None:
            ap.error(f"{output} is the input {name} (it would be overwritten); give another file name")
    for option, path in (("-o", args.output), ("--save-pairs", args.save_pairs)):
        what, writes = _WRITES[option]
        if path not in (None, "-") and not replaceable(path, writes):
            ap.error(f"{option} {path}: the file exists and is not {what}; it would be overwritten: "
                     f"remove it or give another file name")


def main(argv: list[str] | None = None, prog: str = DEFAULT_PROG) -> int:
    """The learner's command line (``argv`` without the program name); returns the exit
    status."""
    ap = build_parser(prog)
    args = ap.parse_args(argv)
    if (args.paths + args.originals).count("-") > 1:
        ap.error("standard input ('-') can be read only once")
    if sys.stdin is None and "-" in args.paths + args.originals:
        ap.error("standard input is closed; give files or directories as arguments")
    if sys.stdout is None and "-" in (args.output, args.save_pairs):
        ap.error("standard output is closed; write the lexicon with -o FILE")
    if args.unpaired and (args.originals or args.save_pairs):
        other = "--originals" if args.originals else "--save-pairs"
        ap.error(f"--unpaired learns without originals: it takes no {other}")
    glob = args.glob or ("*.txt" if args.originals or args.unpaired else "*.jsonl")
    spun_sources, original_sources = collect_sources(args.paths, glob), collect_sources(args.originals, glob)
    if not spun_sources:  # only directories were named, and nothing in them matched
        hint = "" if args.originals or args.unpaired or args.glob else (
            " (without --originals, learn reads JSON Lines of aligned pairs; for spun articles "
            "as text files, name the originals with --originals DIR)")
        ap.error(nothing_matched(glob, args.paths) + hint)
    _check_outputs(ap, args, spun_sources + original_sources)
    say = (lambda message: None) if args.quiet else (lambda message: print(f"{prog}: {message}", file=sys.stderr))
    if args.unpaired:
        return _decipher(ap, args, spun_sources, say, prog)
    records = []
    if args.originals:
        spun = read_articles(ap, spun_sources, args.field)
        originals = read_articles(ap, original_sources, args.field)
        matches = match_articles([text for _, text in spun], [text for _, text in originals],
                                 min_explained=args.min_match)
        say(f"{len(matches)} of {len(spun)} spun articles matched one of {len(originals)} originals")
        for m in matches:
            (spun_name, spun_text), (original_name, original_text) = spun[m.spun], originals[m.original]
            records.append({"spun_name": spun_name, "original_name": original_name, "explained": m.explained,
                            "spun": spun_text, "original": original_text})
    else:
        records = [{"spun": s, "original": o} for s, o in read_pairs(ap, spun_sources, args)]
    if not records:
        ap.error("no spun article matched an original (a lower --min-match accepts looser matches)"
                 if args.originals else "no pairs to learn from")
    rows = learn_pairs((r["spun"], r["original"]) for r in records)
    articles = f"{len(records)} aligned article{'s' if len(records) != 1 else ''}"
    text = format_tsv(rows, "user", f"{LEXICON_HEAD} from {articles}.")
    outputs = [(args.output, text)]
    if args.save_pairs:
        outputs.insert(0, (args.save_pairs, "".join(dump_record(r) + "\n" for r in records)))
    if not _write(outputs, prog):
        return 1
    say(f"{len(rows)} pairs learned from {articles} -> "
        f"{'standard output' if args.output == '-' else args.output}")
    if rows and not args.quiet:
        say(clean_text_check(text, list(dict.fromkeys(r["original"] for r in records))))
    return 0


def _write(outputs: list[tuple[str, str]], prog: str) -> bool:
    """Write each ``(path, content)`` (``-``: standard output); False, with the error said,
    when one cannot be written."""
    for path, content in outputs:
        try:
            if path == "-":  # UTF-8, as the filter writes, and all of it
                _Stdout().write(content)
            else:  # as a shell redirection would: through links, into pipes and devices
                with open_output(path) as fh:
                    fh.write(content)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError) and path == "-":
                discard_stdout()  # the reader of standard output went away: stop quietly
                return False
            print(f"{prog}: error: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
            return False
    return True


#: Fewer articles than this get a warning from ``--unpaired``: on synthetic farms, 30
#: articles confirmed a few swaps, 300 most of those the spinner used (docs/spin.md).
FEW_ARTICLES = 100


def _decipher(ap: argparse.ArgumentParser, args: argparse.Namespace, sources: list[Source],
              say: Callable[[str], None], prog: str) -> int:
    """``--unpaired``: the shipped swaps that the spinner's articles confirm
    (:func:`newsrepair.spin.decipher.decipher`), written as a lexicon."""
    from ..config import Config
    from ..spin import SpinModel
    from ..spin.decipher import decipher

    articles = read_articles(ap, sources, args.field)
    if not articles:
        ap.error("no articles to learn from")
    model = SpinModel(Config())
    found = decipher((text for _, text in articles), model.lexicon, model.lm)
    n = f"{len(articles)} article{'s' if len(articles) != 1 else ''}"
    if len(articles) < FEW_ARTICLES:
        say(f"warning: {n} only; a spinner's swaps show in a few hundred of its articles")
    if not found:
        print(f"{prog}: error: no swap of the lexicons is confirmed by the {n}, so nothing was written "
              "(are they a spinner's output, and in English?)", file=sys.stderr)
        return 1
    text = format_tsv([(d.spun, d.original, d.weight, d.count) for d in found], DECIPHERED_SOURCE,
                      f"{LEXICON_HEAD} from the output alone of a spinner ({n}): swaps of the shipped "
                      "lexicons that its text confirms.\nsource deciphered:N, N the times the articles "
                      "write the spun phrase.")
    if not _write([(args.output, text)], prog):
        return 1
    say(f"{len(found)} swaps confirmed by {n} -> {'standard output' if args.output == '-' else args.output}")
    return 0


#: The spin thresholds :func:`clean_text_check` may advise.
ADVISED_THRESHOLDS = (0.35, 0.5, 0.7, 0.85, 0.95, 0.99)
#: At most this many originals are scored (about a second per 300 with a big lexicon).
CLEAN_CHECK_ARTICLES = 1000


def clean_text_check(lexicon_text: str, originals: list[str]) -> str:
    """How the learned lexicon (``lexicon_text``, as written) judges ``originals``, clean
    text of the copied site (the first :data:`CLEAN_CHECK_ARTICLES`), as a message: how
    many score as spun at the default threshold, and the lowest of
    :data:`ADVISED_THRESHOLDS` at which none does. A lexicon learned from a spinner with common words in its dictionary
    ("state" for "say") flags much clean text at the default; on text the farm wrote,
    that does not matter, in a corpus that mixes clean text it does."""
    import os
    import tempfile

    from ..config import Config
    from ..spin import SpinModel

    fd, path = tempfile.mkstemp(suffix=".tsv", prefix="newsrepair-learned-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(lexicon_text)
        model = SpinModel(Config(spinner_dictionaries=[path]))
    finally:
        os.unlink(path)
    scores = [model.detect(text).score for text in originals[:CLEAN_CHECK_ARTICLES]]
    flagged = sum(score >= model.threshold for score in scores)
    head = (f"with it as --spinner-dict, {flagged} of the {len(scores)} originals (clean text) "
            f"score as spun at the default threshold {model.threshold}")
    if not flagged:
        return head
    above = [t for t in ADVISED_THRESHOLDS if all(score < t for score in scores)]
    advice = (f"--threshold {above[0]} keeps them all clean" if above else
              "no threshold keeps them all clean")
    return f"{head}; where the corpus mixes clean text, {advice} (and flags fewer spun articles)"
