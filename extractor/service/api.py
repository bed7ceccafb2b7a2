"""Read routes of `/v1`: documents, runs and read-only SQL (the items: `items.py`)."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Annotated, Any

import anyio.to_thread
import duckdb
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from extractor.review import load_document
from extractor.service.auth import require_token
from extractor.service.items import Page, PageSize
from extractor.service.state import ServiceState
from extractor.store import check_read_only, run_read_only

router = APIRouter(prefix="/v1", tags=["read"], dependencies=[Depends(require_token)])

MAX_SQL_ROWS = 10_000
#: How often a running query looks whether its client is still there.
_DISCONNECT_POLL_S = 0.25


class SqlRequest(BaseModel):
    sql: str = Field(min_length=1, description="SELECT, WITH, DESCRIBE, SHOW or EXPLAIN")
    limit: int = Field(default=1000, ge=1, le=MAX_SQL_ROWS, description="rows returned at most")


@router.get("/documents")
def list_documents(
    request: Request,
    page: Page = 1,
    page_size: PageSize = 20,
    q: Annotated[str | None, Query(description="text the title contains (any case)")] = None,
) -> dict[str, Any]:
    """Stored documents, newest first; `q` searches titles."""
    where = "WHERE contains(lower(coalesce(title, '')), lower($q))" if q else ""
    params: dict[str, Any] = {"q": q} if q else {}
    with _state(request).reader() as db:
        total = db.execute(f"SELECT count(*) FROM documents {where}", params).fetchone()
        documents = _rows(
            db,
            f"""SELECT id, title, source, url, published_at AS published, char_count,
                       ingested_at FROM documents {where}
                ORDER BY ingested_at DESC, id LIMIT $limit OFFSET $offset""",
            {**params, "limit": page_size, "offset": (page - 1) * page_size},
        )
    count = total[0] if total else 0
    return {"page": page, "page_size": page_size, "total": count, "documents": documents}


@router.get("/documents/{document_id}")
def get_document(
    document_id: str,
    request: Request,
    run_id: Annotated[str | None, Query(description="this run's items (default: latest)")] = None,
) -> dict[str, Any]:
    """One document, its text, and its latest successful extraction (or `run_id`'s)."""
    with _state(request).reader() as db:
        return load_document(db, document_id, run_id).as_json()


@router.get("/runs")
def list_runs(request: Request, page: Page = 1, page_size: PageSize = 20) -> dict[str, Any]:
    """Runs, newest first, with their documents stored (of them partial) and failed."""
    with _state(request).reader() as db:
        runs = _rows(
            db,
            """SELECT r.id, r.engine, r.model, r.prompt_version, r.status, r.started_at,
                      r.finished_at,
                      count(rd.run_id) FILTER (rd.status IN ('ok', 'partial')) AS documents,
                      count(rd.run_id) FILTER (rd.status = 'partial') AS partial,
                      count(rd.run_id) FILTER (rd.status = 'failed') AS failed
               FROM runs r LEFT JOIN run_documents rd ON rd.run_id = r.id
               GROUP BY ALL ORDER BY r.started_at DESC, r.id LIMIT ? OFFSET ?""",
            [page_size, (page - 1) * page_size],
        )
    return {"page": page, "page_size": page_size, "runs": runs}


@router.post("/sql")
async def sql(body: SqlRequest, request: Request) -> dict[str, Any]:
    """Read-only SQL over every table (the `extractor sql` guard and time limit); 403 when
    switched off. The query is interrupted when the client goes away."""
    state = _state(request)
    if not state.sql_enabled:
        raise HTTPException(403, "SQL is switched off on this server (--no-sql)")
    check_read_only(body.sql)
    stop = threading.Event()
    work = asyncio.ensure_future(
        anyio.to_thread.run_sync(_run_sql, state, body, stop, abandon_on_cancel=False)
    )
    try:
        while not work.done():
            await asyncio.wait({work}, timeout=_DISCONNECT_POLL_S)
            if not work.done() and await request.is_disconnected():
                stop.set()
    finally:
        stop.set()  # cancelled (the server stopping): the query stops too
    return work.result()


def _run_sql(state: ServiceState, body: SqlRequest, stop: threading.Event) -> dict[str, Any]:
    with state.reader() as db:
        result = run_read_only(
            db, body.sql, body.limit + 1, timeout_s=state.sql_timeout_s, stop=stop
        )
    return {
        "columns": result.columns,
        "rows": _jsonable(result.rows[: body.limit]),
        "truncated": len(result.rows) > body.limit,
    }


def _state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


def _rows(db: duckdb.DuckDBPyConnection, sql: str, params: Any) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    columns = [d[0] for d in cursor.description or []]
    return [dict(zip(columns, row, strict=True)) for row in _jsonable(cursor.fetchall())]


def _jsonable(rows: list[Any]) -> list[Any]:
    """Dates, decimals and the like as JSON values (strings where JSON has no type)."""
    loaded: list[Any] = json.loads(json.dumps(rows, default=_json_value))
    return loaded


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
