"""``--fit-boilerplate``: a first pass over every input that learns the site's furniture,
before the main pass strips it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import IO, Iterator

from ..api import BoilerplateModel, Repairer
from ..config import Config
from ..errors import DecodeError, FitError
from ..io import parse_jsonl_line, read_document
from .args import Options, UsageError
from .sources import Source, _jsonl_items


def _iter_fit_texts(opts: Options, sources: list[Source], repairer: Repairer) -> Iterator[str]:
    """The texts the boilerplate model learns from (after encoding repair, as the
    stripper will see them)."""
    fix = opts.stages[0]
    for source in sources:
        if source.error or source.path is None:
            continue
        try:
            if opts.args.jsonl:
                with open(source.path, "rb") as fh:
                    for _, lineno, raw in _jsonl_items(source.name, fh):
                        line = parse_jsonl_line(raw, lineno)
                        value = line.record.get(opts.args.field) if line.error is None else None
                        if isinstance(value, str):
                            yield repairer.fix_encoding(value) if fix else value
            else:
                text = read_document(source.path).text
                yield repairer.fix_encoding(text) if fix else text
        except (OSError, DecodeError):
            continue  # reported in the main pass


def _fit_boilerplate(opts: Options, sources: list[Source], stack: contextlib.ExitStack,
                     model_out: IO[str] | None) -> Config:
    """Learn the boilerplate model from every input; return the config that uses it. The
    model is saved in a temporary directory (the workers load it from there) and copied
    to ``model_out`` (``--save-boilerplate-model``, opened by the caller)."""
    repairer = Repairer(opts.config)
    try:
        model = BoilerplateModel.fit(_iter_fit_texts(opts, sources, repairer))
    except FitError as exc:
        raise UsageError(f"--fit-boilerplate learns from many pages of one site: {exc}") from None
    tmpdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="newsrepair-"))
    path = os.path.join(tmpdir, "boilerplate-model.json")
    model.save(path)
    if model_out is not None:
        with open(path, encoding="utf-8") as fh:
            model_out.write(fh.read())
    return opts.config.replace(boilerplate_model=path)
