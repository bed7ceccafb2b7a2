"""What the model fills in: small, flat, bounded models, validated against the chunk.

Validation runs with `context={"document": text, "within": (start, end)}` (the article and
the chunk's range; or the chunk alone, `within` None), given as pydantic's context or, as
the model client does, by `validating_against(context)` (instructor's own `context` would
render the messages as Jinja templates: an article with "{{ x }}" in it would reach the
model changed, one with "{%" would fail): the answer's items go through the
grounding stage (`extractor.grounding.problems`), and every rule that would drop an item
(or clear a speaker) becomes one line of a validation error, which instructor feeds back to
the model (re-ask). Repeated items are dropped before the bound is checked: small models
repeat one item until the token cap.

When the last attempt still fails (or the answer was cut at max_tokens), `salvage` keeps
the items of that answer that are well-formed one by one, and returns the others as
`malformed` rejections; the grounding stage then keeps or rejects each kept item.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import from_json

from extractor.grounding import Placed, RawClaim, RawEvent, RawItem, RawQuote, problems
from extractor.records import Reason, Rejection
from extractor.schemas import AUTHOR, MAX_ACTORS, EventType

#: Items per list of one answer: room for a dense chunk (the gold set has 15 quotes in 3,800
#: characters), while a small model repeating itself is still stopped.
MAX_PER_CHUNK = 24
# String bounds reach the grammar of constrained decoding (JSON Schema maxLength), so a
# rambling small model is cut off instead of filling the token budget with one field; a
# span's bound leaves room for the longest quotations news prints (the gold set has one of
# 554 characters: "This decision is even more disappointing ...").
SpanText = Annotated[str, Field(min_length=1, max_length=1200)]
Name = Annotated[str, Field(min_length=1, max_length=80)]
_SENTENCE_NUMBER = re.compile(r"^\s*\[\d+\]\s*")


class _Item(BaseModel):
    @field_validator("*", mode="before")
    @classmethod
    def _no_sentence_numbers(cls, value: Any) -> Any:
        """The prompt numbers sentences; models sometimes copy the numbers."""
        return _SENTENCE_NUMBER.sub("", value) if isinstance(value, str) else value


class QuoteOut(_Item):
    text: SpanText = Field(description="the exact words between the quotation marks")
    speaker: Name | None = Field(default=None, description="full name of who said it")


class ClaimOut(_Item):
    text: SpanText = Field(description="the exact reported clause")
    claimant: Name | None = Field(default=None, description=f"who claims it, or {AUTHOR}")


class EventOut(_Item):
    sentence: SpanText = Field(description="the exact sentence reporting the event")
    event_type: EventType
    # Tells apart two events one sentence reports ("The Nasdaq fell ..., and the S&P 500
    # dropped ..."), which are otherwise the same answer item.
    trigger: Name | None = Field(default=None, description="the words naming the event")
    actors: Annotated[list[Name], Field(max_length=MAX_ACTORS)] = Field(default_factory=list)
    location: Name | None = None
    time: Annotated[str, Field(max_length=40)] | None = None


#: The validation context of answers validated with none given (`validating_against`).
_validation: ContextVar[dict[str, Any] | None] = ContextVar("validation", default=None)


@contextmanager
def validating_against(context: dict[str, Any]) -> Iterator[None]:
    """Answers validated in this block (in this thread) get `context`."""
    token = _validation.set(context)
    try:
        yield
    finally:
        _validation.reset(token)


class ChunkResponse(BaseModel):
    quotes: Annotated[list[QuoteOut], Field(max_length=MAX_PER_CHUNK)] = Field(default_factory=list)
    claims: Annotated[list[ClaimOut], Field(max_length=MAX_PER_CHUNK)] = Field(default_factory=list)
    events: Annotated[list[EventOut], Field(max_length=MAX_PER_CHUNK)] = Field(default_factory=list)

    @field_validator("quotes", "claims", "events", mode="before")
    @classmethod
    def _drop_repeats(cls, value: Any) -> Any:
        return _unique(value) if isinstance(value, list) else value

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> ChunkResponse:
        context = info.context or _validation.get() or {}
        document = context.get("document")
        if not isinstance(document, str):
            return self
        found = problems(placed_items(self, context.get("within")), document)
        if found:
            raise ValueError(
                "copy text exactly from the article; these items are wrong: "
                + "; ".join(r.message for r in found)
            )
        return self


def salvage(content: str, chunk_index: int = 0) -> tuple[ChunkResponse, list[Rejection]]:
    """The well-formed items of a rejected or truncated answer, and a `malformed` rejection
    for each of the others.

    Truncated JSON is read up to its last complete value; an item cut in the middle, an
    unknown event type, a field over its bound, or items past a list's bound are rejected.
    """
    try:
        raw = from_json(content or "{}", allow_partial=True)
    except ValueError:
        return ChunkResponse(), []
    if not isinstance(raw, dict):
        return ChunkResponse(), []
    kept: dict[str, list[BaseModel]] = {}
    bad: list[Rejection] = []
    for name, model in (("quotes", QuoteOut), ("claims", ClaimOut), ("events", EventOut)):
        items = raw.get(name)
        good: list[BaseModel] = []
        for n, item in enumerate(_unique(items if isinstance(items, list) else [])):
            try:
                good.append(model.model_validate(item))
            except ValidationError as exc:
                errors = exc.errors()
                bad.append(
                    _malformed(name, n, item, errors[0]["msg"] if errors else "", chunk_index)
                )
                continue
            if len(good) > MAX_PER_CHUNK:
                bound = f"past the bound of {MAX_PER_CHUNK} per answer"
                bad.append(_malformed(name, n, item, bound, chunk_index))
        kept[name] = good[:MAX_PER_CHUNK]
    return ChunkResponse.model_validate(kept), bad


def placed_items(
    response: ChunkResponse, within: tuple[int, int] | None = None, chunk_index: int = 0
) -> list[Placed]:
    """The answer's items as raw items for the grounding stage, searched `within` the
    chunk they were found in."""
    placed: list[Placed] = []

    def add(item: RawItem, where: str) -> None:
        placed.append(Placed(item, "model", within, None, where, chunk_index))

    for n, q in enumerate(response.quotes):
        add(RawQuote(q.text, q.speaker), f"quotes[{n}]")
    for n, c in enumerate(response.claims):
        add(RawClaim(c.text, c.claimant), f"claims[{n}]")
    for n, e in enumerate(response.events):
        actors = tuple(e.actors)
        add(RawEvent(e.sentence, e.event_type.value, e.trigger, actors, e.location, e.time,
                     e.time),
            f"events[{n}]")  # fmt: skip
    return placed


def schema_hash() -> str:
    canonical = json.dumps(ChunkResponse.model_json_schema(), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _malformed(name: str, n: int, item: Any, reason: str, chunk_index: int) -> Rejection:
    return Rejection(
        kind=name.rstrip("s"),
        item=item if isinstance(item, dict) else {"value": item},
        reason=Reason.malformed,
        message=f"{name}[{n}] is not well-formed: {reason or 'unreadable'}",
        source="model",
        chunk_index=chunk_index,
    )


def _unique(items: list[Any]) -> list[Any]:
    """`items` without exact repeats, in order."""
    seen, unique = set(), []
    for item in items:
        key = json.dumps(item, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
