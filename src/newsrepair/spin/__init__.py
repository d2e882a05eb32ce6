"""Stage 3, spin detection and reversal (placeholder until implemented)."""

from __future__ import annotations

from ..changes import Change
from ..config import Config
from ..results import SpinReport

__all__ = ["SpinModel"]


class SpinModel:
    """Lexicons and statistics for spin detection and reversal, loaded once."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def detect(self, text: str) -> SpinReport:
        return SpinReport(score=0.0, is_spun=False, threshold=0.5)

    def unspin_and_explain(self, text: str, report: SpinReport | None = None) -> tuple[str, list[Change]]:
        return text, []
