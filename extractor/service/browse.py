"""`GET /browse` and `GET /browse/{table}`: the stored tables as HTML pages, for people.

Quotes, claims and events are queried by the item routes' own builder
(`items.query_items`, the same filters as `/v1/quotes` ...); documents and runs by the
`/v1/documents` and `/v1/runs` routes. Rendering: `extractor.review.browse`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from extractor.errors import NotFound
from extractor.review.browse import TABLES, Field, render_browse_index, render_browse_table
from extractor.schemas import EventType
from extractor.service import api, items
from extractor.service.auth import require_page_token
from extractor.service.state import ServiceState

router = APIRouter(
    tags=["pages"], dependencies=[Depends(require_page_token)], default_response_class=HTMLResponse
)

_KINDS = {"quotes": items.QUOTES, "claims": items.CLAIMS, "events": items.EVENTS}
_PERSON = {"quotes": "speaker", "claims": "claimant", "events": "actor"}  # its query parameter
Text = Annotated[str | None, Query(description="contains this (any case)")]


@router.get("/browse")
def browse_index(request: Request) -> HTMLResponse:
    """The tables (quotes, claims, events, documents, runs) with their row counts."""
    state: ServiceState = request.app.state.service
    with state.reader() as db:
        counts = []
        for table in TABLES:  # fixed names, never a request's
            row = db.execute(f"SELECT count(*) FROM {table}").fetchone()
            counts.append((table, int(row[0]) if row else 0))
    return HTMLResponse(render_browse_index(counts))


@router.get("/browse/{table}")
def browse_table(
    table: str,
    request: Request,
    filters: items.Filters,
    speaker: Text = None,
    claimant: Text = None,
    actor: Text = None,
    event_type: Annotated[EventType | None, Query(description="events of this type")] = None,
    q: Annotated[str | None, Query(description="documents: the title contains")] = None,
) -> HTMLResponse:
    """One table's rows, paged, with the filters of its JSON route (`/v1/{table}`)."""
    if table not in TABLES:
        raise NotFound(f"no table {table!r}: browse one of {', '.join(TABLES)}")
    people = {"speaker": speaker, "claimant": claimant, "actor": actor}
    fields: list[Field]
    total: int | None
    if table in _KINDS:
        name = _PERSON[table]
        typed = event_type.value if event_type is not None and table == "events" else None
        chosen = replace(filters, person=people[name], event_type=typed)
        state: ServiceState = request.app.state.service
        with state.reader() as db:
            found = items.query_items(db, _KINDS[table], chosen)
        rows: list[dict[str, Any]] = found["items"]
        total = found["total"]
        fields = [Field(name, name, people[name])]
        if table == "events":
            fields.append(Field("event_type", "type", typed, tuple(t.value for t in EventType)))
        fields += [
            Field("document", "document", filters.document),
            Field("run", "run", filters.run),
            Field("since", "since", filters.since.isoformat() if filters.since else None),
            Field("until", "until", filters.until.isoformat() if filters.until else None),
        ]
    elif table == "documents":
        answer = api.list_documents(request, filters.page, filters.page_size, q)
        rows, total = answer["documents"], answer["total"]
        fields = [Field("q", "title", q)]
    else:  # runs, newest first
        rows = api.list_runs(request, filters.page, filters.page_size)["runs"]
        state = request.app.state.service
        with state.reader() as db:
            counted = db.execute("SELECT count(*) FROM runs").fetchone()
        total, fields = (int(counted[0]) if counted else 0), []
    html = render_browse_table(
        table,
        rows,
        fields=fields,
        page_number=filters.page,
        page_size=filters.page_size,
        total=total,
    )
    return HTMLResponse(html)
