"""Shared test helpers. Tests that need ../shared/data use the ``shared_dir`` fixture,
which skips them with a clear reason when the development data is absent."""

from __future__ import annotations

import json
import os
import pathlib
import signal

import pytest

from newsrepair.datacache import CACHE_ENV

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _interruptible() -> None:
    """Ctrl-C as in a terminal. A shell starts a background job (``pytest &``) with SIGINT
    ignored, which this process and every run it starts would inherit: the tests of an
    interrupted run would then see no interrupt, and hang or fail."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True, scope="session")
def _data_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests keep newsrepair's cache of built indexes (``newsrepair.datacache``) in
    a directory of their own, not the user's, unless one is named. Its first model is
    built and saved, later ones (and the command runs the tests start) load it."""
    if CACHE_ENV not in os.environ:
        os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("newsrepair-cache"))


@pytest.fixture(scope="session")
def shared_dir() -> pathlib.Path:
    if not (SHARED / "data").is_dir():
        pytest.skip("development data ../shared is absent (it is not part of the project checkout)")
    return SHARED


def read_jsonl(path: pathlib.Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def fixtures_dir() -> pathlib.Path:
    return FIXTURES
