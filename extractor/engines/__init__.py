"""Engines: `rules` (deterministic), `llm` (any OpenAI-compatible endpoint), `local`
(embedded llama.cpp serving the same endpoint in-process)."""
