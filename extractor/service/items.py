"""`GET /v1/quotes`, `/v1/claims`, `/v1/events`: stored items, filtered and paged.

One query builder serves the three routes: each kind names its table, its columns and the
column its person filter searches (speaker, claimant, actors). Every filter value is a
bound parameter; only fixed fragments of this module are joined into the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, Query, Request

from extractor.errors import InputError, NotFound
from extractor.schemas import EventType
from extractor.service.auth import require_token
from extractor.service.state import ServiceState

router = APIRouter(prefix="/v1", tags=["read"], dependencies=[Depends(require_token)])

MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class ItemKind:
    table: str
    alias: str
    columns: tuple[str, ...]  # besides id, document, run and offsets
    person: str  # the column the person filter searches
    person_is_list: bool = False


QUOTES = ItemKind("quotes", "q", ("speaker", "speaker_title", "text", "kind", "cue"), "speaker")
CLAIMS = ItemKind("claims", "c", ("claimant", "text", "cue", "hedged"), "claimant")
EVENTS = ItemKind(
    "events",
    "e",
    ("event_type", "text", "trigger", "actors", "location", "time_text", "time"),
    "actors",
    person_is_list=True,
)


@dataclass(frozen=True)
class ItemFilters:
    document: str | None = None  # a document id or a unique prefix of one
    run: str | None = None
    person: str | None = None  # case-insensitive substring
    event_type: str | None = None
    since: date | None = None  # on the document's published_at, inclusive
    until: date | None = None
    page: int = 1
    page_size: int = 50


def query_items(
    db: duckdb.DuckDBPyConnection, kind: ItemKind, filters: ItemFilters
) -> dict[str, Any]:
    """`{items, page, page_size, total}` of `kind` matching `filters`."""
    if filters.since and filters.until and filters.since > filters.until:
        raise InputError(f"since ({filters.since}) is after until ({filters.until})")
    x = kind.alias
    where: list[str] = []
    params: dict[str, Any] = {}
    if filters.document is not None:
        where.append(f"{x}.document_id = $document")
        params["document"] = _document_id(db, filters.document)
    if filters.run is not None:
        if db.execute("SELECT 1 FROM runs WHERE id = ?", [filters.run]).fetchone() is None:
            raise NotFound(f"no run {filters.run!r}")
        where.append(f"{x}.run_id = $run")
        params["run"] = filters.run
    if filters.person is not None:
        if kind.person_is_list:
            where.append(
                f"EXISTS (SELECT 1 FROM unnest({x}.{kind.person}) AS p(name) "
                "WHERE contains(lower(p.name), lower($person)))"
            )
        else:
            where.append(f"contains(lower(coalesce({x}.{kind.person}, '')), lower($person))")
        params["person"] = filters.person
    if filters.event_type is not None:
        where.append(f"{x}.event_type = $event_type")
        params["event_type"] = filters.event_type
    if filters.since is not None:
        where.append("d.published_at >= $since")
        params["since"] = filters.since
    if filters.until is not None:
        where.append("d.published_at <= $until")
        params["until"] = filters.until
    sql_from = f"FROM {kind.table} {x} JOIN documents d ON d.id = {x}.document_id"
    sql_where = ("WHERE " + " AND ".join(where)) if where else ""
    total_row = db.execute(f"SELECT count(*) {sql_from} {sql_where}", params).fetchone()
    columns = ", ".join(f"{x}.{c}" for c in kind.columns)
    cursor = db.execute(
        f"""SELECT {x}.id, {x}.document_id, d.title, d.published_at AS published, {x}.run_id,
                   {columns}, {x}.char_start, {x}.char_end
            {sql_from} {sql_where}
            ORDER BY d.ingested_at DESC, {x}.document_id, {x}.char_start, {x}.id
            LIMIT $limit OFFSET $offset""",
        {**params, "limit": filters.page_size, "offset": (filters.page - 1) * filters.page_size},
    )
    names = [d[0] for d in cursor.description or []]
    items = [dict(zip(names, _jsonable(row), strict=True)) for row in cursor.fetchall()]
    return {
        "items": items,
        "page": filters.page,
        "page_size": filters.page_size,
        "total": total_row[0] if total_row else 0,
    }


def _document_id(db: duckdb.DuckDBPyConnection, given: str) -> str:
    """The one document whose id is `given` or starts with it."""
    found = db.execute(
        "SELECT id FROM documents WHERE starts_with(id, ?) ORDER BY id LIMIT 2", [given]
    ).fetchall()
    if not found:
        raise NotFound(f"no document whose id starts with {given!r}")
    if len(found) > 1 and found[0][0] != given:
        raise InputError(f"{given!r} starts more than one document id: give more of it")
    return str(found[0][0])


def _jsonable(row: tuple[Any, ...]) -> list[Any]:
    return [value.isoformat() if isinstance(value, date) else value for value in row]


# --- routes ---------------------------------------------------------------------------
Document = Annotated[
    str | None, Query(min_length=1, description="a document id, or a unique prefix of one")
]
Run = Annotated[str | None, Query(min_length=1, description="only this run's items")]
Since = Annotated[
    date | None, Query(description="the document was published on or after (ISO date)")
]
Until = Annotated[date | None, Query(description="the document was published on or before")]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="items per page")]


def _person(role: str) -> Any:
    return Query(min_length=1, description=f"{role} contains this (any case)")


def _filters(
    document: Document = None,
    run: Run = None,
    since: Since = None,
    until: Until = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> ItemFilters:
    """The query parameters the three routes share."""
    return ItemFilters(
        document=document, run=run, since=since, until=until, page=page, page_size=page_size
    )


Filters = Annotated[ItemFilters, Depends(_filters)]


@router.get("/quotes")
def list_quotes(
    request: Request,
    filters: Filters,
    speaker: Annotated[str | None, _person("speaker")] = None,
) -> dict[str, Any]:
    """Stored quotes with their document's id, title and date and their offsets."""
    return _query(request, QUOTES, replace(filters, person=speaker))


@router.get("/claims")
def list_claims(
    request: Request,
    filters: Filters,
    claimant: Annotated[str | None, _person("claimant")] = None,
) -> dict[str, Any]:
    """Stored claims with their document's id, title and date and their offsets."""
    return _query(request, CLAIMS, replace(filters, person=claimant))


@router.get("/events")
def list_events(
    request: Request,
    filters: Filters,
    actor: Annotated[str | None, _person("one of the actors")] = None,
    event_type: Annotated[EventType | None, Query(description="only this type")] = None,
) -> dict[str, Any]:
    """Stored events with their document's id, title and date and their offsets."""
    typed = event_type.value if event_type is not None else None
    return _query(request, EVENTS, replace(filters, person=actor, event_type=typed))


def _query(request: Request, kind: ItemKind, filters: ItemFilters) -> dict[str, Any]:
    state: ServiceState = request.app.state.service
    with state.reader() as db:
        return query_items(db, kind, filters)
