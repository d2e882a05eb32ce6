"""Loading benchmark corpora from JSON Lines files.

Each line is a JSON object; the fields decide what a record is used for:

- ``spun`` and ``original``: a spun document and the text it was spun from (spin
  reversal, detection positives and negatives, harm on the originals);
- ``spun`` alone: a spun document whose original is unknown (detection positive);
- ``text`` (with an optional ``title``, prepended as ``title + "\\n\\n" + text``): a clean
  human-written document (harm, detection negative, input for synthetic spinning);
- ``scraped`` and ``article``: a page's scraped text and its true article (boilerplate).

A ``spinner`` field on pairs, when present, groups the spin results by spinner.
"""

from __future__ import annotations

import json
import os
import pathlib
from dataclasses import dataclass, field
from typing import Iterable

__all__ = ["Corpus", "load_files", "load_default", "shared_data_dir", "spread", "SAMPLE_DIR"]

BENCH_DIR = pathlib.Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
SAMPLE_DIR = BENCH_DIR / "sample"


@dataclass
class Corpus:
    """Documents by use; ``name`` says where they came from."""

    name: str
    pairs: list[dict] = field(default_factory=list)       # {"spun", "original", "spinner"}
    spun_only: list[str] = field(default_factory=list)
    clean: list[str] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)       # {"scraped", "article"}
    sources: list[str] = field(default_factory=list)

    def add(self, record: dict, where: str) -> None:
        """File ``record`` by its fields (see the module docstring); others are ignored."""
        if isinstance(record.get("spun"), str) and isinstance(record.get("original"), str):
            self.pairs.append({"spun": record["spun"], "original": record["original"],
                               "spinner": str(record.get("spinner") or "unknown")})
        elif isinstance(record.get("spun"), str):
            self.spun_only.append(record["spun"])
        elif isinstance(record.get("scraped"), str) and isinstance(record.get("article"), str):
            self.pages.append({"scraped": record["scraped"], "article": record["article"]})
        elif isinstance(record.get("text"), str):
            title = record.get("title")
            self.clean.append(f"{title}\n\n{record['text']}" if isinstance(title, str) and title
                              else record["text"])

    def counts(self) -> dict[str, int]:
        return {"pairs": len(self.pairs), "spun_only": len(self.spun_only),
                "clean": len(self.clean), "pages": len(self.pages)}


def _records(path: pathlib.Path) -> Iterable[dict]:
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{number}: not JSON ({exc.msg})") from None
            if isinstance(record, dict):
                yield record


def load_files(paths: Iterable[str | os.PathLike[str]], name: str | None = None) -> Corpus:
    """A corpus from JSONL files (directories stand for the ``*.jsonl`` files inside).

    Its name is ``name``, else ``"sample"`` for the shipped sample directory and
    ``"custom"`` for anything else (the gate applies only to the corpus its floors name).
    """
    paths_list = list(paths)
    files: list[pathlib.Path] = []
    for p in map(pathlib.Path, paths_list):
        files.extend(sorted(p.glob("*.jsonl")) if p.is_dir() else [p])
    if name is None:
        given = [pathlib.Path(p).resolve() for p in paths_list]
        name = "sample" if given == [SAMPLE_DIR] else "custom"
    corpus = Corpus(name)
    for f in files:
        corpus.sources.append(str(f))
        for record in _records(f):
            corpus.add(record, str(f))
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
        for record in _records(shared / rel):
            corpus.add(record, rel)
    for rel, n in (("clean/bbc_dev.jsonl", 100), ("clean/reuters_dev.jsonl", 50)):
        corpus.sources.append(str(shared / rel))
        records = [r for r in _records(shared / rel)]
        for record in spread(records, n if quick else None):
            corpus.add(record, rel)
    return corpus
