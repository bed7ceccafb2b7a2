"""Engines: `rules` (deterministic), `llm` (any OpenAI-compatible endpoint), `local`
(embedded llama.cpp serving the same endpoint in-process, then the `llm` path)."""

from __future__ import annotations

from extractor.engines.base import Engine, EngineOutput
from extractor.records import CallRecord
from extractor.settings import Settings

__all__ = ["CallRecord", "Engine", "EngineOutput", "create_engine"]


def create_engine(settings: Settings) -> Engine:
    """Build the engine `settings.engine` names. The caller must `close()` it."""
    if settings.engine == "rules":
        from extractor.engines.rules import RulesEngine

        return RulesEngine()
    if settings.engine == "llm":
        from extractor.engines.llm import LLMEngine

        return LLMEngine(settings)
    from extractor.engines.local import LocalEngine

    return LocalEngine(settings)
