"""Stage 2, boilerplate stripping (placeholder: keeps everything until implemented)."""

from __future__ import annotations

from typing import Iterable

from ..changes import Change
from ..config import Config

__all__ = ["BoilerplateModel", "strip_boilerplate_and_explain"]


class BoilerplateModel:
    """Site furniture learned from a corpus (placeholder)."""

    @classmethod
    def fit(cls, documents: Iterable[str]) -> "BoilerplateModel":
        return cls()


def strip_boilerplate_and_explain(text: str, config: Config,
                                  model: BoilerplateModel | None = None) -> tuple[str, list[Change]]:
    return text, []
