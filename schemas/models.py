"""Pydantic v2 models for grounded quotes, claims and events."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

#: Claimant of an unattributed claim: the article's own voice.
AUTHOR = "<author>"
#: Bound on each list a model may return for one chunk (small models repeat items until
#: the token cap otherwise).
MAX_ITEMS = 50
#: Sanity bound on each list of a whole document's extraction.
MAX_DOCUMENT_ITEMS = 20_000
#: Bound on the actors of one event.
MAX_ACTORS = 8
#: The kinds of item, in order: the lists of a `DocumentExtraction` (and their tables).
KINDS = ("quotes", "claims", "events")


class Alignment(StrEnum):
    """How a span was located in the source text."""

    exact = "exact"
    normalised = "normalised"  # equal after folding quotes, dashes and whitespace
    fuzzy = "fuzzy"  # best approximate match above the threshold


class QuoteKind(StrEnum):
    direct = "direct"  # a whole quoted utterance
    partial = "partial"  # a quoted fragment inside the reporter's own sentence


class EventType(StrEnum):
    meeting = "meeting"
    military_exercise = "military_exercise"
    deployment = "deployment"
    attack = "attack"
    agreement = "agreement"
    statement = "statement"
    election = "election"
    protest = "protest"
    arrest = "arrest"
    disaster = "disaster"
    economic = "economic"
    legal = "legal"
    other = "other"


#: The event vocabulary with one line of definition each (used in prompts and docs).
EVENT_TYPES: dict[EventType, str] = {
    EventType.meeting: "people or delegations meet, hold talks, summits or conferences",
    EventType.military_exercise: "drills, joint exercises, weapons tests, military manoeuvres",
    EventType.deployment: "troops, ships, aircraft or personnel sent somewhere",
    EventType.attack: "strikes, bombings, shootings, raids, armed clashes, cyber-attacks",
    EventType.agreement: "deals, treaties, pacts, pledges, contracts, orders signed or agreed",
    EventType.statement: "announcements, speeches, keynotes, resignations, unveilings, launches",
    EventType.election: "votes, elections, referendums, legislative votes on a bill",
    EventType.protest: "demonstrations, strikes by workers, boycotts",
    EventType.arrest: "arrests, detentions, charges brought against a person",
    EventType.disaster: "accidents, crashes, natural disasters, deaths",
    EventType.economic: (
        "job cuts, bankruptcies, bailouts, market moves, earnings, prices, recalls"
    ),
    EventType.legal: "lawsuits, court rulings, settlements, regulatory decisions",
    EventType.other: "anything newsworthy that fits none of the above",
}


def overlap_ratio(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Shared characters of two half-open intervals over the longer one's length."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    if overlap <= 0:
        return 0.0
    return overlap / max(a[1] - a[0], b[1] - b[0])


class Span(BaseModel):
    """A piece of the source document: `document[char_start:char_end] == text`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: Annotated[str, Field(min_length=1, description="The exact characters of the source")]
    char_start: Annotated[int, Field(ge=0, description="0-based code-point offset, inclusive")]
    char_end: Annotated[int, Field(ge=0, description="0-based code-point offset, exclusive")]
    alignment: Alignment = Alignment.exact

    @model_validator(mode="after")
    def _check_offsets(self, info: ValidationInfo) -> Span:
        if self.char_end <= self.char_start:
            raise ValueError(f"char_end {self.char_end} must be after char_start {self.char_start}")
        if self.char_end - self.char_start != len(self.text):
            raise ValueError(
                f"span [{self.char_start}, {self.char_end}) has length "
                f"{self.char_end - self.char_start} but text has {len(self.text)} characters"
            )
        document = _document_from(info)
        if document is not None:
            if self.char_end > len(document):
                raise ValueError(
                    f"span [{self.char_start}, {self.char_end}) runs past the end of the "
                    f"document ({len(document)} characters)"
                )
            found = document[self.char_start : self.char_end]
            if found != self.text:
                raise ValueError(
                    f"text {self.text[:60]!r} is not what the document holds at "
                    f"[{self.char_start}, {self.char_end}): {found[:60]!r}"
                )
        return self


def _document_from(info: ValidationInfo) -> str | None:
    context: Any = info.context
    if isinstance(context, dict):
        document = context.get("document")
        if isinstance(document, str):
            return document
    return None


class Quote(Span):
    """Words a person or organisation said, verbatim, without the enclosing quotation marks."""

    speaker: str | None = Field(
        default=None, description="Fullest name the article gives for the speaker, or null"
    )
    speaker_title: str | None = Field(
        default=None, description="The speaker's title or affiliation, as the article gives it"
    )
    cue: str | None = Field(default=None, description="The attribution verb, e.g. 'said'")
    kind: QuoteKind = QuoteKind.direct


class Claim(Span):
    """An assertion of fact or a prediction, with who makes it."""

    claimant: str | None = Field(
        default=None,
        description=f"Who makes the claim: fullest name the article gives, or {AUTHOR!r}",
    )
    cue: str | None = Field(default=None, description="The attribution cue, e.g. 'warned'")
    hedged: bool = Field(default=False, description="Whether it is hedged (may, could, likely)")


class Event(Span):
    """Something that happened. The span is the sentence (or clause) that reports it."""

    event_type: EventType
    trigger: str | None = Field(default=None, description="The word naming the event")
    actors: Annotated[list[str], Field(max_length=MAX_ACTORS)] = Field(default_factory=list)
    location: str | None = None
    time_text: str | None = Field(default=None, description="The time as written, e.g. 'Friday'")
    time: str | None = Field(
        default=None, description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD) when resolvable"
    )


class DocumentExtraction(BaseModel):
    """Everything extracted from one document, every span grounded in its text."""

    model_config = ConfigDict(extra="forbid")

    quotes: Annotated[list[Quote], Field(max_length=MAX_DOCUMENT_ITEMS)] = Field(
        default_factory=list
    )
    claims: Annotated[list[Claim], Field(max_length=MAX_DOCUMENT_ITEMS)] = Field(
        default_factory=list
    )
    events: Annotated[list[Event], Field(max_length=MAX_DOCUMENT_ITEMS)] = Field(
        default_factory=list
    )
