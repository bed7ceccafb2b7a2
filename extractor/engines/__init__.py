"""Engines: `rules` (deterministic), `llm` (any OpenAI-compatible endpoint) and `local`
(the `llm` engine behind the embedded llama.cpp server)."""

from __future__ import annotations

from extractor.engines.base import Engine, Proposal
from extractor.settings import EngineSettings

__all__ = ["Engine", "Proposal", "create_engine"]


def create_engine(settings: EngineSettings) -> Engine:
    """Build the engine `settings.engine` names. The caller must `close()` it."""
    if settings.engine == "rules":
        from extractor.engines.rules import RulesEngine

        return RulesEngine()
    from extractor.engines.llm import LLMEngine

    if settings.engine == "llm":
        return LLMEngine(settings)
    return LLMEngine.local(settings)
