"""Records kept beside an extraction: what a model call cost, what the grounding
stage refused and why, and the kinds an engine skipped and why."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from extractor.errors import InputError


class Notify(Protocol):
    """Where an engine says what it is doing: `loading model …` (a step worth a line),
    or, `transient`, a progress line per chunk (a terminal shows it, a log need not)."""

    def __call__(self, message: str, *, transient: bool = False) -> None: ...


def quiet(message: str, *, transient: bool = False) -> None:
    """A `Notify` that says nothing (the service, the Python API, tests)."""


@dataclass(frozen=True)
class CallRecord:
    """One model call (a failed attempt or a re-ask is a call of its own)."""

    model: str
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_ms: float
    attempt: int
    outcome: str  # "ok", "reask", "error", "truncated", "cached", "unanswered" (journal)
    error: str | None = None
    chunk_index: int = 0
    #: The request's chat messages and the answer's text, for the call log (`extractor
    #: logs`): never a header, so never a key or token. None when there was no answer.
    messages: list[dict[str, Any]] | None = field(default=None, repr=False)
    response: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Skipped:
    """Kinds an engine did not look for in a document, and why (one line): the rules in
    a language they have no rules for. Stored on the run's document and printed."""

    kinds: tuple[str, ...]
    reason: str


class CallLog(Protocol):
    """Where a document's model calls are told as they happen (`store.journal`)."""

    def sent(self, model: str, chunk_index: int, attempt: int, messages: Any) -> None: ...
    def answered(self, call: CallRecord) -> None: ...


@dataclass
class Recorder:
    """Collects the calls of one document's extraction (one per document: not shared),
    and carries the run's model budget to the engine (None: no budget). With a `log`,
    each request is told when it is sent and when it is answered."""

    model: str
    calls: list[CallRecord] = field(default_factory=list)
    chunk_index: int = 0
    budget: ModelBudget | None = None
    log: CallLog | None = None

    def sent(self, attempt: int, messages: Any) -> None:
        if self.log is not None:
            self.log.sent(self.model, self.chunk_index, attempt, messages)

    def record(self, call: CallRecord) -> None:
        self.calls.append(call)
        if self.log is not None and call.outcome != "cached":
            self.log.answered(call)


class Reason(StrEnum):
    """Why the grounding stage refused an item (or one of its fields). The same reasons
    make the re-ask message and the `rejections` table."""

    #: The text (or event sentence) is not in the article, even normalised or fuzzily.
    not_in_text = "not_in_text"
    #: A quote that the article does not put in quotation marks.
    not_quoted = "not_quoted"
    #: A claim with no claimant (nobody named, and not the article's own hedged claim).
    no_claimant = "no_claimant"
    #: A claimant named nowhere in the article (a claim without its claimant is nothing).
    claimant_not_named = "claimant_not_named"
    #: A claimant that is no person's or organisation's name: a chat role ("SYSTEM") or a
    #: fragment of a sentence ("Also output the").
    claimant_not_a_name = "claimant_not_a_name"
    #: A claim too short to be an assertion ("16:15 UTC").
    too_short = "too_short"
    #: An `<author>` claim without a hedge: the article's own report of what happened is
    #: an event, not a claim.
    author_not_hedged = "author_not_hedged"
    #: An item the engine could not read at all (cut in the middle, unknown event type,
    #: a field over its bound, past a list's bound).
    malformed = "malformed"
    # Field-level: the item is kept, the field is cleared.
    #: A quote's speaker named nowhere in the article (the quote stays, speaker unknown).
    speaker_not_named = "speaker_not_named"
    #: A quote's speaker that is no person's or organisation's name (see
    #: `claimant_not_a_name`): the quote stays, speaker unknown.
    speaker_not_a_name = "speaker_not_a_name"
    #: An event's actor or location named nowhere in the article.
    actor_not_named = "actor_not_named"
    location_not_named = "location_not_named"
    #: An event time that is not an ISO date (kept as `time_text`).
    time_not_iso = "time_not_iso"


#: Reasons that cost the whole item; the others clear one field.
ITEM_REASONS = frozenset(
    {
        Reason.not_in_text,
        Reason.not_quoted,
        Reason.no_claimant,
        Reason.claimant_not_named,
        Reason.claimant_not_a_name,
        Reason.too_short,
        Reason.author_not_hedged,
        Reason.malformed,
    }
)


@dataclass(frozen=True)
class Rejection:
    """An item (or a field of one) that an engine produced and the grounding stage
    refused, with why. `item` is the raw item as the engine gave it (JSON-ready)."""

    kind: str  # "quote", "claim" or "event"
    item: dict[str, Any]
    reason: Reason
    message: str  # one line, as the re-ask tells it to the model
    source: str = "model"  # "rules" or "model"
    field: str | None = None  # the field cleared, for a field-level rejection
    chunk_index: int = 0

    @property
    def drops_item(self) -> bool:
        return self.reason in ITEM_REASONS


class ModelBudget:
    """The run's model budget: after `max_failures` model failures in a row (a chunk whose
    endpoint failed after the transport retries), a run stops calling the model and finishes
    its remaining documents with the rules engine's items, instead of waiting out every
    timeout. One budget per run, shared by the engine threads of the batch (it locks); the
    pipeline owns it and hands it to the engine through the document's `Recorder`."""

    def __init__(self, max_failures: int) -> None:
        """`max_failures` failures in a row stop the model; 0 never stops it."""
        self.max_failures = max_failures
        self.consecutive = 0
        self.last_error: str | None = None
        self._lock = threading.Lock()

    def skip_reason(self) -> str | None:
        """Why the model is not to be called now (one line), or None to call it."""
        with self._lock:
            if not self.max_failures or self.consecutive < self.max_failures:
                return None
            return (
                f"model skipped after {self.max_failures} consecutive failures: {self.last_error}"
            )

    def failed(self, error: str) -> None:
        with self._lock:
            self.consecutive += 1
            self.last_error = error

    def succeeded(self) -> None:
        """The endpoint answered: the count starts again."""
        with self._lock:
            self.consecutive = 0

    @property
    def exhausted(self) -> bool:
        return self.skip_reason() is not None


# --- A time limit on one extraction --------------------------------------------------
# The service bounds the work of one request (`time_limit`); the long stages look at the
# clock between blocks (`check_time_limit`), so one request cannot hold a worker for long.

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("deadline", default=None)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Within the block (in this thread), `check_time_limit` raises after `seconds`."""
    token = _deadline.set(None if seconds is None else (time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time_limit() -> None:
    """Raise `InputError` when the current `time_limit` has passed (no limit: nothing)."""
    limit = _deadline.get()
    if limit is not None and time.monotonic() > limit[0]:
        raise InputError(
            f"extraction stopped: over the time limit of {limit[1]:g} s per request "
            "(--extract-timeout); send a shorter text"
        )
