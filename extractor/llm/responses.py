"""What the model fills in: small, flat, bounded models, validated against the chunk.

Validation runs with `context={"document": chunk_text}`. A span that cannot be found in
the chunk, or a speaker or claimant named nowhere in it, is a validation error listing every
bad item, which instructor feeds back to the model (re-ask). Repeated items are dropped
before the bound is checked: small models repeat one item until the token cap.

When the last attempt still fails (or the answer was cut at max_tokens), `salvage` keeps
the items of that answer that are well-formed one by one, and counts the others as dropped;
the grounding step then keeps or drops each of them.
"""

from __future__ import annotations

import hashlib
import json
import re
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

from extractor.align import locate, normalise
from extractor.schemas import AUTHOR, MAX_ACTORS, EventType

MAX_PER_CHUNK = 8
# String bounds reach the grammar of constrained decoding (JSON Schema maxLength), so a
# rambling small model is cut off instead of filling the token budget with one field.
SpanText = Annotated[str, Field(min_length=1, max_length=400)]
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
    actors: Annotated[list[Name], Field(max_length=MAX_ACTORS)] = Field(default_factory=list)
    location: Name | None = None
    time: Annotated[str, Field(max_length=40)] | None = None


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
        document = (info.context or {}).get("document")
        if not isinstance(document, str):
            return self
        problems = item_problems(self, document)
        if problems:
            raise ValueError(
                "copy text exactly from the article; these items are wrong: " + "; ".join(problems)
            )
        return self


def salvage(content: str) -> tuple[ChunkResponse, int]:
    """The well-formed items of a rejected or truncated answer, and how many were not.

    Truncated JSON is read up to its last complete value; an item cut in the middle, an
    unknown event type, a field over its bound, or items past a list's bound are counted.
    """
    try:
        raw = from_json(content or "{}", allow_partial=True)
    except ValueError:
        return ChunkResponse(), 0
    if not isinstance(raw, dict):
        return ChunkResponse(), 0
    kept: dict[str, list[BaseModel]] = {}
    bad = 0
    for name, model in (("quotes", QuoteOut), ("claims", ClaimOut), ("events", EventOut)):
        items = raw.get(name)
        good: list[BaseModel] = []
        for item in _unique(items if isinstance(items, list) else []):
            try:
                good.append(model.model_validate(item))
            except ValidationError:
                bad += 1
        bad += max(0, len(good) - MAX_PER_CHUNK)
        kept[name] = good[:MAX_PER_CHUNK]
    return ChunkResponse.model_validate(kept), bad


def item_problems(response: ChunkResponse, document: str) -> list[str]:
    """One message per item that is not grounded in `document`."""
    problems = []
    for index, quote in enumerate(response.quotes):
        problems += _span_problem(f"quotes[{index}].text", quote.text, document)
        match = locate(quote.text, document)
        if match is not None and not inside_quotation(document, match.start, match.end):
            problems.append(
                f"quotes[{index}].text {quote.text[:60]!r} is not inside quotation marks: "
                "a quote is only words the article puts in quotation marks"
            )
        problems += _name_problem(f"quotes[{index}].speaker", quote.speaker, document)
    for index, claim in enumerate(response.claims):
        problems += _span_problem(f"claims[{index}].text", claim.text, document)
        problems += _name_problem(f"claims[{index}].claimant", claim.claimant, document)
    for index, event in enumerate(response.events):
        problems += _span_problem(f"events[{index}].sentence", event.sentence, document)
    return problems


MAX_NAME_WORDS = 8


_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def inside_quotation(document: str, start: int, end: int) -> bool:
    """`document[start:end]` lies between a pair of quotation marks."""
    return any(m.start() < start and end < m.end() for m in _quoted_regions(document))


def _quoted_regions(document: str) -> list[re.Match[str]]:
    return list(_QUOTED.finditer(document))


def name_in_text(name: str, document: str) -> bool:
    """`name` is a name-sized phrase that the document contains (case-insensitive)."""
    phrase = normalise(name).casefold().strip(" .,;:")
    if not phrase or len(phrase.split()) > MAX_NAME_WORDS:
        return False
    return phrase in normalise(document).casefold()


def schema_hash() -> str:
    canonical = json.dumps(ChunkResponse.model_json_schema(), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _unique(items: list[Any]) -> list[Any]:
    """`items` without exact repeats, in order."""
    seen, unique = set(), []
    for item in items:
        key = json.dumps(item, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _span_problem(where: str, text: str, document: str) -> list[str]:
    if locate(text, document) is None:
        return [f"{where} {text[:80]!r} is not in the article"]
    return []


def _name_problem(where: str, name: str | None, document: str) -> list[str]:
    if name is None or name == AUTHOR or name_in_text(name, document):
        return []
    return [f"{where} {name!r} is named nowhere in the article"]
