"""The FastAPI application: routes, error handling, limits, auth and static assets.

POST /v1/extract           extract one article, store and return the grounded items
GET  /v1/documents         stored documents (paged; q = title search)
GET  /v1/documents/{id}    a document with its latest extraction
GET  /v1/runs              runs with their document counts
GET  /v1/quotes            quotes: speaker (any-case substring), document, run, since, until
GET  /v1/claims            claims: claimant, document, run, since, until (paged like quotes)
GET  /v1/events            events: actor, event_type, document, run, since, until
POST /v1/sql               read-only SQL (403 when switched off)
GET  /healthz              database and model reachability
GET  /documents/{id}       the review page; GET / lists documents
GET  /browse[/{table}]     the tables with counts; one table's rows, paged and filtered
GET  /docs                 OpenAPI documentation, an example for every route
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from extractor.review import STATIC_DIR
from extractor.service import api, browse, docs, errors, examples, extract, health, items, pages
from extractor.service.limits import BodyLimit
from extractor.service.state import ServiceState
from extractor.settings import EngineSettings, ServiceSettings, StoreSettings
from extractor.version import __version__

#: Extractions that may wait per worker before 429, when `ServiceSettings.queue` is None.
QUEUE_PER_WORKER = 8


def create_app(
    engine: EngineSettings,
    store: StoreSettings,
    service: ServiceSettings | None = None,
) -> FastAPI:
    """Open the database, build the engine and start the service run now (so a bad setting
    fails here, as one clear error); they are closed when the app shuts down.

    `service.api_token` set: every /v1 route needs `Authorization: Bearer <token>`.
    `service.queue`: extractions that may wait for a worker before 429."""
    service = service or ServiceSettings()
    waiting = service.queue if service.queue is not None else QUEUE_PER_WORKER * engine.concurrency
    state = ServiceState.open(
        engine, store, api_token=service.api_token, sql_enabled=service.sql_enabled,
        sql_timeout_s=service.sql_timeout_s, extract_timeout_s=service.extract_timeout_s,
        queue=waiting,
    )  # fmt: skip

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="extractor",
        version=__version__,
        description="Grounded quotes, claims and events from news articles, stored in DuckDB. "
        "When the server has a token, /v1 routes need `Authorization: Bearer <token>`.",
        lifespan=lifespan,
        docs_url=None,  # our own /docs: Swagger UI served by the app, no CDN
        redoc_url=None,
    )
    app.state.service = state
    errors.install(app)
    routers = (extract.router, api.router, items.router, health.router, pages.router, browse.router)
    for router in (*routers, docs.router):
        app.include_router(router)
    examples.install(app)
    app.mount(docs.SWAGGER_URL, StaticFiles(directory=docs.SWAGGER_DIR), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodyLimit, max_bytes=service.max_body)
    return app
