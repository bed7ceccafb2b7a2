"""The `rules` engine: `extractor.rules.find_items` behind the engine interface."""

from __future__ import annotations

from extractor.engines.base import EngineOutput
from extractor.rules import find_items
from extractor.text.articles import Article


class RulesEngine:
    """Deterministic extraction: the offline baseline and the LLM engines' candidates."""

    name = "rules"

    @property
    def model(self) -> str | None:
        return None

    @property
    def prompt_version(self) -> str | None:
        return None

    @property
    def prompt_hash(self) -> str | None:
        return None

    @property
    def parameters(self) -> dict[str, object]:
        return {}

    def extract(self, article: Article) -> EngineOutput:
        return EngineOutput(find_items(article))

    def close(self) -> None:
        """Nothing to release."""
