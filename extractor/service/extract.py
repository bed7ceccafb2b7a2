"""`POST /v1/extract`: one article in, its stored, grounded extraction out.

The engine runs in the bounded worker pool (never on the event loop); `Admission` turns
requests beyond the pool and its queue away with 429. Success and failure are both stored.
A document whose model endpoint fails is stored `partial` with the rules engine's items
(and those of the chunks that were answered) and answered with 200, `status: "partial"`
and the model error; the service has no model budget (every request asks the model).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from extractor.errors import InputError
from extractor.pipeline import Outcome, Source, extract_one, save
from extractor.records import time_limit
from extractor.schemas import Claim, Event, Quote
from extractor.service.auth import require_token
from extractor.service.state import ServiceState
from extractor.text.articles import Article, article_from_text

router = APIRouter(prefix="/v1", tags=["extract"], dependencies=[Depends(require_token)])
REQUEST_PATH = "<request>"


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="Article text (plain text or HTML), UTF-8")
    title: str | None = None
    url: str | None = None
    published: date | None = Field(default=None, description="ISO date, e.g. 2025-07-11")
    source: str | None = None
    engine: str | None = Field(
        default=None,
        description="Must equal the server's engine if given (one engine per server: start "
        "another `extractor serve --engine X` for another)",
    )
    model: str | None = Field(default=None, description="Must equal the server's model if given")


class ExtractResponse(BaseModel):
    document_id: str
    run_id: str
    engine: str
    model: str | None
    title: str | None
    text: str = Field(description="The stored document text: every offset indexes it")
    quotes: list[Quote]
    claims: list[Claim]
    events: list[Event]
    dropped: int = Field(description="Items the engine could not ground, dropped")
    status: Literal["ok", "partial"] = Field(
        description="partial: the model failed (see model_error); the items are the rules "
        "engine's and those of the chunks the model answered"
    )
    model_error: str | None = Field(default=None, description="The model's failure, one line")
    failed_chunks: list[int] = Field(
        default_factory=list, description="The chunks the model gave no answer for"
    )
    latency_ms: float


@router.post("/extract", response_model=ExtractResponse)
async def extract(body: ExtractRequest, request: Request) -> ExtractResponse:
    """Extract quotes, claims and events from one article, store them, return them."""
    state: ServiceState = request.app.state.service
    _check_engine(body, state)
    state.admission.enter()
    started = time.perf_counter()
    try:
        loop = asyncio.get_running_loop()
        outcome = await loop.run_in_executor(state.pool, _run, state, body)
    finally:
        state.admission.leave(time.perf_counter() - started)
    article, output = outcome.article, outcome.output
    assert article is not None and output is not None  # a failure was raised
    extraction = output.extraction
    return ExtractResponse(
        document_id=article.id,
        run_id=state.run_id,
        engine=state.engine.name,
        model=state.engine.model,
        title=article.title,
        text=article.text,
        quotes=extraction.quotes,
        claims=extraction.claims,
        events=extraction.events,
        dropped=output.dropped,
        status="partial" if output.partial else "ok",
        model_error=output.model_error,
        failed_chunks=output.failed_chunks,
        latency_ms=round(outcome.latency_ms, 1),
    )


def _check_engine(body: ExtractRequest, state: ServiceState) -> None:
    engine = state.engine
    if body.engine is not None and body.engine != engine.name:
        raise InputError(
            f"this server runs engine {engine.name!r}, not {body.engine!r}: omit 'engine' or "
            f"start a server with `extractor serve --engine {body.engine}`"
        )
    if body.model is not None and body.model != engine.model:
        raise InputError(
            f"this server runs model {engine.model!r}, not {body.model!r}: omit 'model' or "
            "start a server with that model"
        )


def _article(body: ExtractRequest) -> Article:
    return article_from_text(
        body.text, name=REQUEST_PATH, title=body.title, url=body.url,
        published=body.published, source=body.source,
    )  # fmt: skip


def _run(state: ServiceState, body: ExtractRequest) -> Outcome:
    """In a worker thread: the pipeline's read, extract and store (or record the failure),
    all or nothing; a failure is raised again for its status code. The article's title is
    then the stored one: a re-post's title replaces the stored title, one without keeps it."""
    with time_limit(state.extract_timeout_s):
        source = Source(REQUEST_PATH, partial(_article, body))
        outcome = extract_one(state.engine, source, journal=state.store.journal(state.run_id))
    save(state.store, state.run_id, outcome)
    if outcome.exception is not None:
        raise outcome.exception
    if outcome.article is not None and outcome.article.title is None:  # else it is stored as is
        stored = state.store.query("SELECT title FROM documents WHERE id = ?", [outcome.article.id])
        outcome.article = replace(outcome.article, title=stored[0][0] if stored else None)
    return outcome
