"""Engines: `rules` (deterministic), `llm` (any OpenAI-compatible endpoint) and `local`
(the `llm` engine behind the embedded llama.cpp server)."""

from __future__ import annotations

from extractor.engines.base import Engine, Proposal
from extractor.records import Notify, quiet
from extractor.settings import EngineSettings

__all__ = ["Engine", "Proposal", "create_engine"]


def create_engine(settings: EngineSettings, notify: Notify = quiet) -> Engine:
    """Build the engine `settings.engine` names. The caller must `close()` it; `notify`
    hears what a model engine is doing (loading the model, each chunk). The rules (every
    engine's candidates) parse with `settings.nlp_model`."""
    from extractor import nlp

    nlp.configure(settings.nlp_model)
    if settings.engine == "rules":
        from extractor.engines.rules import RulesEngine

        return RulesEngine()
    from extractor.engines.llm import LLMEngine

    if settings.engine == "llm":
        return LLMEngine(settings, notify=notify)
    return LLMEngine.local(settings, notify)
