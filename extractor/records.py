"""Records of work done: what a model call cost, kept beside the extraction."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CallRecord:
    """One model call (a failed attempt or a re-ask is a call of its own)."""

    model: str
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_ms: float
    attempt: int
    outcome: str  # "ok", "reask", "error", "cached"
    error: str | None = None
    chunk_index: int = 0
