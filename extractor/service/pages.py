"""HTML pages for people: a document index and each document's review page."""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from extractor.review import load_document, render_document_page
from extractor.review.page import page
from extractor.service.auth import require_page_token
from extractor.service.state import ServiceState

router = APIRouter(
    tags=["pages"], dependencies=[Depends(require_page_token)], default_response_class=HTMLResponse
)
INDEX_SIZE = 200


@router.get("/documents/{document_id}")
def review_page(
    document_id: str, request: Request, run_id: Annotated[str | None, Query()] = None
) -> HTMLResponse:
    """The document with its quotes, claims and events highlighted."""
    state: ServiceState = request.app.state.service
    with state.reader() as db:
        record = load_document(db, document_id, run_id)
    return HTMLResponse(render_document_page(record, asset_url="/static"))


@router.get("/")
def index(request: Request, q: Annotated[str | None, Query()] = None) -> HTMLResponse:
    """The latest documents, each linking to its review page; `q` searches titles."""
    state: ServiceState = request.app.state.service
    where = "WHERE contains(lower(coalesce(title, '')), lower(?))" if q else ""
    with state.reader() as db:
        rows = db.execute(
            f"SELECT id, title, published_at FROM documents {where} "
            f"ORDER BY ingested_at DESC, id LIMIT {INDEX_SIZE}",
            [q] if q else [],
        ).fetchall()
    items = "".join(
        f'<tr><td><a href="/documents/{escape(doc_id)}">{escape(title or doc_id)}</a></td>'
        f"<td>{escape(str(published or ''))}</td></tr>"
        for doc_id, title, published in rows
    )
    body = f"""<header class="top"><h1>Extracted documents</h1>
<p class="meta">The latest {INDEX_SIZE} at most · <a href="/browse">browse the tables</a>
· API at <a href="/docs">/docs</a></p></header>
<main class="plain"><form method="get"><input name="q" value="{escape(q or "")}"
placeholder="title contains…"> <button>Search</button></form>
<table><thead><tr><th>title</th><th>published</th></tr></thead><tbody>{items}</tbody></table>
</main>"""
    return HTMLResponse(page("Extracted documents", body, assets=["base.css"], asset_url="/static"))
