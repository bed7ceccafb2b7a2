"""Raw items: what an engine (rules, a parser, a model) proposes, before grounding.

A raw item carries text and attributes, never trusted offsets: `near` is a hint (the
rules engine's native offset) and `within` the part of the document its source saw (a
model's chunk). The grounding stage turns each into a grounded `Quote`, `Claim` or
`Event` of `extractor.schemas`, or into rejections with reasons.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from extractor.schemas import QuoteKind


@dataclass(frozen=True)
class RawQuote:
    text: str
    speaker: str | None = None
    speaker_title: str | None = None
    cue: str | None = None
    kind: QuoteKind = QuoteKind.direct


@dataclass(frozen=True)
class RawClaim:
    text: str
    claimant: str | None = None
    cue: str | None = None
    #: The source's own judgement (a belief verb hedges); hedge words count as well.
    hedged: bool = False


@dataclass(frozen=True)
class RawEvent:
    #: The sentence (or clause) that reports the event; grounded to its whole sentence.
    text: str
    event_type: str
    trigger: str | None = None
    actors: tuple[str, ...] = ()
    location: str | None = None
    time_text: str | None = None
    time: str | None = None


RawItem = RawQuote | RawClaim | RawEvent

KIND_OF: dict[type, str] = {RawQuote: "quote", RawClaim: "claim", RawEvent: "event"}


@dataclass(frozen=True)
class Placed:
    """A raw item with where it comes from."""

    item: RawItem
    source: str  # "rules" or "model"
    #: Where to look: the source's chunk `[start, end)`; None for the whole document.
    within: tuple[int, int] | None = None
    #: A native offset given by the source; a hint for which occurrence is meant.
    near: int | None = None
    #: How the source names the item in its answer ("quotes[2]"), for messages.
    where: str = ""
    chunk_index: int = 0

    @property
    def kind(self) -> str:
        return KIND_OF[type(self.item)]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self.item)
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items()}
