"""A stored document with one extraction of it: what the review page and the API show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from extractor.errors import NotFound
from extractor.schemas import DocumentExtraction
from extractor.store.db import load_extraction

#: The latest stored extraction of a document (complete or partial), even when it found
#: nothing: a newer empty result is not hidden behind an older one.
_LATEST_RUN = """
SELECT rd.run_id FROM run_documents rd
WHERE rd.document_id = ? AND rd.status IN ('ok', 'partial')
ORDER BY rd.finished_at DESC LIMIT 1
"""


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    title: str | None
    source: str | None
    url: str | None
    published: date | None
    text: str
    run_id: str | None
    engine: str | None
    model: str | None
    extraction: DocumentExtraction

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "text": self.text,
            "extraction": {
                "run_id": self.run_id,
                "engine": self.engine,
                "model": self.model,
                **self.extraction.model_dump(mode="json"),
            },
        }


def load_document(
    db: duckdb.DuckDBPyConnection, document_id: str, run_id: str | None = None
) -> DocumentRecord:
    """The document and the items of `run_id`, or of its latest successful extraction."""
    row = db.execute(
        "SELECT id, title, source, url, published_at, text FROM documents WHERE id = ?",
        [document_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"no document {document_id!r}")
    if run_id is None:
        latest = db.execute(_LATEST_RUN, [document_id]).fetchone()
        run_id = latest[0] if latest else None
    engine = model = None
    extraction = DocumentExtraction()
    if run_id is not None:
        run = db.execute("SELECT engine, model FROM runs WHERE id = ?", [run_id]).fetchone()
        if run is None:
            raise NotFound(f"no run {run_id!r}")
        engine, model = run
        extraction = load_extraction(db, run_id, document_id)
    doc_id, title, source, url, published, text = row
    return DocumentRecord(
        id=doc_id,
        title=title,
        source=source,
        url=url,
        published=published,
        text=text,
        run_id=run_id,
        engine=engine,
        model=model,
        extraction=extraction,
    )
