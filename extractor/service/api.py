"""Read routes of `/v1`: documents, runs and read-only SQL (the items: `items.py`)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from extractor.errors import InputError, one_line
from extractor.review import load_document
from extractor.service.auth import require_token
from extractor.service.items import Page, PageSize
from extractor.service.state import ServiceState
from extractor.store import check_read_only

router = APIRouter(prefix="/v1", tags=["read"], dependencies=[Depends(require_token)])

MAX_SQL_ROWS = 10_000


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
def sql(body: SqlRequest, request: Request) -> dict[str, Any]:
    """Read-only SQL over every table (the `extractor sql` guard); 403 when switched off."""
    state = _state(request)
    if not state.sql_enabled:
        raise HTTPException(403, "SQL is switched off on this server (--no-sql)")
    check_read_only(body.sql)
    with state.reader() as db:
        # Defence in depth: whatever a statement does is rolled back.
        db.execute("BEGIN TRANSACTION")
        try:
            result = db.execute(body.sql)
            columns = [d[0] for d in result.description or []]
            rows = result.fetchmany(body.limit + 1)
        except duckdb.Error as exc:
            raise InputError(f"SQL error: {one_line(exc)}") from exc
        finally:
            db.execute("ROLLBACK")
    return {
        "columns": columns,
        "rows": _jsonable(rows[: body.limit]),
        "truncated": len(rows) > body.limit,
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
