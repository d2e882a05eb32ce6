"""Loading benchmark corpora from JSON Lines files.

Each line is a JSON object; the fields decide what a record is used for:

- ``spun`` and ``original``: a spun document and the text it was spun from (spin
  reversal, detection positives and negatives, harm on the originals);
- ``spun`` alone: a spun document whose original is unknown (detection positive);
- ``text`` (with an optional ``title``, prepended as ``title + "\\n\\n" + text``): a clean
  human-written document (harm, detection negative, input for synthetic spinning);
- ``scraped`` and ``article``: a page's scraped text and its true article (boilerplate).

A ``spinner`` field on pairs, when present, groups the spin results by spinner. Other
fields are ignored. A record that cannot be used is skipped and counted by reason
(:attr:`Corpus.skipped`): a line that is not a JSON object, an object with none of the
fields above, a field above that does not hold a string, or half of a pair (``original``
without ``spun``, ``scraped`` without ``article``, ``title`` without ``text``). A field
that is present must hold a string: ``{"spun": ..., "original": null}`` is skipped, not
taken for a spun-only record (leave ``original`` out for that), since a null original
usually means a broken pair. Only ``title`` may be null (as if absent).

Files are UTF-8, with or without a byte-order mark. A file that cannot be read, is not
UTF-8 or has a line that is not JSON raises :class:`CorpusError`, naming the file (and
the line).
"""

from __future__ import annotations

import codecs
import json
import os
import pathlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

__all__ = ["Corpus", "CorpusError", "load_files", "load_default", "shared_data_dir", "spread",
           "SAMPLE_DIR", "FIELDS"]

BENCH_DIR = pathlib.Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
SAMPLE_DIR = BENCH_DIR / "sample"


#: The fields that decide what a record is used for (see the module docstring).
FIELDS = ("spun", "original", "text", "title", "scraped", "article")


class CorpusError(ValueError):
    """A corpus file cannot be used at all: missing, unreadable, not UTF-8, or a line
    that is not JSON. The message names the file (and the line)."""


def _json_type(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null",
            int: "number", float: "number"}.get(type(value), type(value).__name__)


def _use(record: object) -> tuple[str, Any] | str:
    """``(kind, value)`` for a usable record, else the reason it is skipped."""
    if not isinstance(record, dict):
        return f"a JSON {_json_type(record)}, not an object"
    present = [f for f in FIELDS if f in record]
    if not present:
        return "no field spun, original, text, scraped or article"
    wrong = [f for f in present if not isinstance(record[f], str)
             and not (f == "title" and record[f] is None)]
    if wrong:
        f = wrong[0]
        if record[f] is None:
            return ("'original' is null (leave it out for a spun-only record)" if f == "original"
                    else f"'{f}' is null")
        return f"'{f}' is a JSON {_json_type(record[f])}, not a string"
    if "spun" in record:
        if "original" in record:
            return "pair", {"spun": record["spun"], "original": record["original"],
                            "spinner": str(record.get("spinner") or "unknown")}
        return "spun_only", record["spun"]
    if "scraped" in record or "article" in record:
        if "scraped" in record and "article" in record:
            return "page", {"scraped": record["scraped"], "article": record["article"]}
        return ("'scraped' without 'article'" if "scraped" in record
                else "'article' without 'scraped'")
    if "text" in record:
        title = record.get("title")
        return "clean", f"{title}\n\n{record['text']}" if title else record["text"]
    return "'original' without 'spun'" if "original" in record else "'title' without 'text'"


@dataclass
class Corpus:
    """Documents by use; ``name`` says where they came from."""

    name: str
    pairs: list[dict] = field(default_factory=list)       # {"spun", "original", "spinner"}
    spun_only: list[str] = field(default_factory=list)
    clean: list[str] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)       # {"scraped", "article"}
    sources: list[str] = field(default_factory=list)
    #: records not used, by reason
    skipped: dict[str, int] = field(default_factory=dict)
    #: where the first record skipped for each reason is (``file:line``)
    first_skipped: dict[str, str] = field(default_factory=dict)

    def add(self, record: object, where: str) -> bool:
        """File ``record`` by its fields (see the module docstring); a record that cannot
        be used is counted in :attr:`skipped`. Returns whether it was used."""
        use = _use(record)
        if isinstance(use, str):
            self.skipped[use] = self.skipped.get(use, 0) + 1
            self.first_skipped.setdefault(use, where)
            return False
        kind, value = use
        {"pair": self.pairs, "spun_only": self.spun_only, "page": self.pages,
         "clean": self.clean}[kind].append(value)
        return True

    def counts(self) -> dict[str, int]:
        return {"pairs": len(self.pairs), "spun_only": len(self.spun_only),
                "clean": len(self.clean), "pages": len(self.pages)}

    def skipped_summary(self) -> str:
        """``"3 records skipped: 2 not a JSON object (...) (first at f.jsonl:1); ..."``,
        or ``""`` when every record was used."""
        total = sum(self.skipped.values())
        if not total:
            return ""
        parts = [f"{n} {reason} (first at {self.first_skipped[reason]})"
                 for reason, n in sorted(self.skipped.items(), key=lambda kv: -kv[1])]
        return f"{total} record{'s' * (total != 1)} skipped: " + "; ".join(parts)

    def unusable(self) -> str | None:
        """Why nothing can be measured on this corpus, or None when something can.

        Pairs, clean text and pages each feed tables; spun-only records feed only the
        detection table, which also needs negatives (pairs or clean text).
        """
        if self.pairs or self.clean or self.pages:
            return None
        if self.spun_only:
            return (f"only spun-only records ({len(self.spun_only)}): spin detection also needs "
                    "negatives (spun+original pairs or text records), and no other table uses them")
        return "no usable records"


def _records(path: pathlib.Path) -> Iterator[tuple[object, str]]:
    """``(record, "file:line")`` for each non-blank line of ``path``; raises CorpusError."""
    try:
        with open(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]  # as the newsrepair command accepts it
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise CorpusError(f"{path}:{number}: not UTF-8 text (byte 0x{raw[exc.start]:02x} "
                                      f"at byte {exc.start + 1} of the line); convert the file to UTF-8") from None
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CorpusError(f"{path}:{number}: not JSON ({exc.msg})") from None
                yield record, f"{path}:{number}"
    except FileNotFoundError:
        raise CorpusError(f"{path}: no such file or directory") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load_files(paths: Iterable[str | os.PathLike[str]], name: str | None = None) -> Corpus:
    """A corpus from JSONL files (directories stand for the ``*.jsonl`` files inside).

    Its name is ``name``, else ``"sample"`` for the shipped sample directory and
    ``"custom"`` for anything else (the gate applies only to the corpus its floors name).
    Records that cannot be used are counted in :attr:`Corpus.skipped`.

    Raises:
        CorpusError: a path is missing or unreadable, a file is not UTF-8 or has a line
            that is not JSON, or a directory holds no ``*.jsonl`` file.
    """
    paths_list = list(paths)
    files: list[pathlib.Path] = []
    for p in map(pathlib.Path, paths_list):
        files.extend(sorted(p.glob("*.jsonl")) if p.is_dir() else [p])
    if name is None:
        given = [pathlib.Path(p).resolve() for p in paths_list]
        name = "sample" if given == [SAMPLE_DIR] else "custom"
    for p in map(pathlib.Path, paths_list):
        if p.is_dir() and not any(p.glob("*.jsonl")):
            raise CorpusError(f"{p}: a directory with no *.jsonl files")
    corpus = Corpus(name)
    for f in files:
        corpus.sources.append(str(f))
        for record, where in _records(f):
            corpus.add(record, where)
    return corpus


def shared_data_dir() -> pathlib.Path | None:
    """The development data (``$NEWSREPAIR_SHARED_DATA`` or ``../shared/data``), if present."""
    env = os.environ.get("NEWSREPAIR_SHARED_DATA")
    d = pathlib.Path(env) if env else PROJECT_ROOT.parent / "shared" / "data"
    return d if (d / "spin" / "dev_pairs.jsonl").is_file() else None


def spread(items: list, n: int | None) -> list:
    """``n`` items spread evenly over ``items`` (all of them when ``n`` is None or larger)."""
    if n is None or n >= len(items):
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def load_default(quick: bool = False) -> Corpus:
    """The development data when present (subsets when ``quick``), else the shipped sample."""
    shared = shared_data_dir()
    if shared is None:
        return load_files([SAMPLE_DIR], name="sample")
    corpus = Corpus("shared-quick" if quick else "shared")
    for rel in ("spin/dev_pairs.jsonl", "spin/dev_spun_only.jsonl", "boilerplate/dev.jsonl"):
        corpus.sources.append(str(shared / rel))
        for record, where in _records(shared / rel):
            corpus.add(record, where)
    for rel, n in (("clean/bbc_dev.jsonl", 100), ("clean/reuters_dev.jsonl", 50)):
        corpus.sources.append(str(shared / rel))
        records = list(_records(shared / rel))
        for record, where in spread(records, n if quick else None):
            corpus.add(record, where)
    return corpus
