"""What one transaction writes: documents' extractions and failures, several documents at
a time, each whole or not at all (the transaction holds whole documents only).

A batch is written in two steps: per document, replace what the same configuration stored
before (found by the indexed `run_documents.document_id`, usually nothing), then one
insert per table for the whole batch (rows collected in `Rows`, inserted through Arrow).

Another write of a document (entities, language...) slots in by adding its rows in
`DocumentWrite.add_rows` (and its table to `SUPERSEDED` when a re-run replaces it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import duckdb
import pyarrow as pa

from extractor.errors import StoreError
from extractor.records import CallRecord, Rejection
from extractor.schemas import KINDS, DocumentExtraction
from extractor.text.articles import Article

ITEM_TABLES = KINDS
#: What a re-run of the same configuration on a document replaces.
SUPERSEDED = (*ITEM_TABLES, "rejections")

#: The columns of each item table that an item fills (besides document and run).
ITEM_COLUMNS: dict[str, tuple[str, ...]] = {
    "quotes": ("text", "speaker", "speaker_title", "cue", "kind", "char_start", "char_end",
               "alignment"),
    "claims": ("text", "claimant", "cue", "hedged", "char_start", "char_end", "alignment"),
    "events": ("event_type", "text", "trigger", "actors", "location", "time_text", "time",
               "char_start", "char_end", "alignment"),
}  # fmt: skip
CALL_COLUMNS = ("run_id", "document_id", "model", "prompt_tokens", "completion_tokens",
                "latency_ms", "attempt", "outcome", "error", "chunk_index")  # fmt: skip
REJECTION_COLUMNS = ("run_id", "document_id", "kind", "item", "reason", "field", "drops_item",
                     "message", "source", "chunk_index")  # fmt: skip
RUN_DOCUMENT_COLUMNS = ("run_id", "document_id", "path", "status", "error", "quotes", "claims",
                        "events", "dropped", "latency_ms", "model_error", "failed_chunks",
                        "config_hash")  # fmt: skip


class Rows:
    """Rows to insert, per table, in the order of their columns."""

    def __init__(self) -> None:
        self.tables: dict[tuple[str, tuple[str, ...]], list[list[object]]] = defaultdict(list)

    def add(self, table: str, columns: tuple[str, ...], row: list[object]) -> None:
        self.tables[table, columns].append(row)

    def insert(self, db: duckdb.DuckDBPyConnection) -> None:
        for (table, columns), rows in self.tables.items():
            arrow = pa.table({c: [row[i] for row in rows] for i, c in enumerate(columns)})
            db.register("_rows", arrow)
            try:
                names = ", ".join(columns)
                db.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _rows")
            finally:
                db.unregister("_rows")


@dataclass
class DocumentWrite:
    """One document's extraction as the store writes it, all or nothing. With
    `model_error` the document is `partial`: the model failed on `failed_chunks` and the
    extraction holds what the rest of the pipeline found."""

    run_id: str
    article: Article
    extraction: DocumentExtraction
    calls: Sequence[CallRecord] = ()
    rejections: Sequence[Rejection] = ()
    latency_ms: float = 0.0
    model_error: str | None = None
    failed_chunks: Sequence[int] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        return self.article.id

    def check(self) -> None:
        _check_grounded(self.article.text, self.extraction)

    def add_rows(self, rows: Rows, config_hash: str) -> None:
        doc_id, run_id = self.article.id, self.run_id
        for table, columns in ITEM_COLUMNS.items():
            for item in getattr(self.extraction, table):
                row = [doc_id, run_id, *(_column(getattr(item, c)) for c in columns)]
                rows.add(table, ("document_id", "run_id", *columns), row)
        _add_calls(rows, run_id, doc_id, self.calls)
        for r in self.rejections:
            rows.add("rejections", REJECTION_COLUMNS, [
                run_id, doc_id, r.kind, json.dumps(r.item, ensure_ascii=False, default=str),
                r.reason.value, r.field, r.drops_item, r.message, r.source, r.chunk_index,
            ])  # fmt: skip
        extraction = self.extraction
        rows.add("run_documents", RUN_DOCUMENT_COLUMNS, [
            run_id, doc_id, self.article.path, "ok" if self.model_error is None else "partial",
            None, len(extraction.quotes), len(extraction.claims), len(extraction.events),
            sum(r.drops_item for r in self.rejections), self.latency_ms, self.model_error,
            list(self.failed_chunks) if self.model_error is not None else None, config_hash,
        ])  # fmt: skip


@dataclass
class FailureWrite:
    """A document that could not be extracted (its text too, when it was read)."""

    run_id: str
    path: str | None
    error: str
    article: Article | None = None
    calls: Sequence[CallRecord] = ()

    @property
    def key(self) -> None:
        return None  # replaces nothing

    def check(self) -> None:
        pass

    def add_rows(self, rows: Rows, config_hash: str) -> None:
        doc_id = self.article.id if self.article is not None else None
        _add_calls(rows, self.run_id, doc_id, self.calls)
        rows.add("run_documents", RUN_DOCUMENT_COLUMNS, [
            self.run_id, doc_id, self.path, "failed", self.error, None, None, None, None,
            None, None, None, config_hash,
        ])  # fmt: skip


Write = DocumentWrite | FailureWrite


def write_batch(
    db: duckdb.DuckDBPyConnection, writes: Sequence[Write], config_hashes: dict[str, str]
) -> None:
    """Write `writes` on `db` (inside the caller's transaction). A document given twice
    must not be in one batch (`split_repeats`): its second copy would not replace the
    first."""
    rows = Rows()
    for write in writes:
        config_hash = config_hashes[write.run_id]
        if write.article is not None:
            _upsert_document(db, write.article)
        if write.key is not None:
            _supersede(db, write.key, write.run_id, config_hash)
        write.add_rows(rows, config_hash)
    rows.insert(db)


def split_repeats(writes: Sequence[Write]) -> list[list[Write]]:
    """`writes` cut into batches in which no document replaces another of the batch."""
    batches: list[list[Write]] = [[]]
    seen: set[tuple[str, str]] = set()
    for write in writes:
        if write.key is not None:
            if (write.key, write.run_id) in seen:
                batches.append([])
                seen = set()
            seen.add((write.key, write.run_id))
        batches[-1].append(write)
    return batches


def _supersede(db: duckdb.DuckDBPyConnection, doc_id: str, run_id: str, config: str) -> None:
    """Delete what earlier runs of this configuration stored for the document, and mark
    their rows superseded by `run_id` (so their counts are not taken for stored items)."""
    earlier = db.execute(
        """SELECT DISTINCT run_id FROM run_documents WHERE document_id = ?
           AND config_hash = ? AND superseded_by IS NULL AND status IN ('ok', 'partial')""",
        [doc_id, config],
    ).fetchall()
    for (old,) in earlier:
        for table in SUPERSEDED:
            db.execute(f"DELETE FROM {table} WHERE document_id = ? AND run_id = ?", [doc_id, old])
    if earlier:
        db.execute(
            """UPDATE run_documents SET superseded_by = ? WHERE document_id = ?
               AND config_hash = ? AND superseded_by IS NULL AND status IN ('ok', 'partial')""",
            [run_id, doc_id, config],
        )


def _upsert_document(db: duckdb.DuckDBPyConnection, article: Article) -> None:
    """Insert the document, or (the same text again: the id is its hash) take the metadata
    given this time: title, source, url, published and meta each replace the stored value
    when set, and are kept when not. Text, path (where it was first read) and ingest time
    stay."""
    db.execute(
        """INSERT INTO documents (id, title, source, url, published_at, text, path,
               char_count, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET
               title = coalesce(excluded.title, title),
               source = coalesce(excluded.source, source),
               url = coalesce(excluded.url, url),
               published_at = coalesce(excluded.published_at, published_at),
               meta = coalesce(excluded.meta, meta)""",
        [
            article.id,
            article.title,
            article.source,
            article.url,
            article.published,
            article.text,
            article.path,
            len(article.text),
            json.dumps(article.meta) if article.meta else None,
        ],
    )


def _add_calls(rows: Rows, run_id: str, doc_id: str | None, calls: Sequence[CallRecord]) -> None:
    for c in calls:
        rows.add("llm_calls", CALL_COLUMNS, [
            run_id, doc_id, c.model, c.prompt_tokens, c.completion_tokens, c.latency_ms,
            c.attempt, c.outcome, c.error, c.chunk_index,
        ])  # fmt: skip


def _column(value: object) -> object:
    """A value as DuckDB takes it: enums by value, actors as a list."""
    if isinstance(value, StrEnum):
        return value.value
    return list(value) if isinstance(value, tuple) else value


def _check_grounded(text: str, extraction: DocumentExtraction) -> None:
    """The store's invariant, not a rule of what is real (that is the grounding stage's):
    a span that is not its document's slice never reaches the database."""
    for kind in ITEM_TABLES:
        for index, item in enumerate(getattr(extraction, kind)):
            if text[item.char_start : item.char_end] != item.text:
                raise StoreError(
                    f"{kind}[{index}] is not grounded: text[{item.char_start}:{item.char_end}]"
                    f" != {item.text[:40]!r}"
                )
