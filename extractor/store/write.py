"""What one transaction writes: documents' extractions and failures, several documents at
a time, each whole or not at all (the transaction holds whole documents only).

A batch is written in a few statements whatever its size: which of its documents are
stored already (their metadata is updated), what earlier runs of the same configuration
stored for them (one lookup by the indexed `run_documents.document_id`; deleted, usually
nothing), then one insert per table (rows collected in `Rows`, inserted through Arrow).
The rows are built before the transaction (`prepare_batch`): the file is held for the
statements only (other processes read it between transactions: `extractor.store.db`).

Another write of a document (entities, language...) slots in by adding its rows in
`DocumentWrite.add_rows` (and its table to `SUPERSEDED` when a re-run replaces it).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import duckdb
import pyarrow as pa

from extractor.errors import StoreError
from extractor.records import CallRecord, Rejection, Skipped
from extractor.schemas import KINDS, DocumentExtraction
from extractor.store.arrow import arrow_table
from extractor.text.articles import Article

ITEM_TABLES = KINDS
#: What a re-run of the same configuration on a document replaces.
SUPERSEDED = (*ITEM_TABLES, "rejections", "entities")
#: Each item table's link to the entities table (set by the store, not an item field).
ENTITY_LINKS = {"quotes": "speaker_entity_id", "claims": "claimant_entity_id",
                "events": "actor_entity_ids"}  # fmt: skip
ENTITY_COLUMNS = ("id", "document_id", "run_id", "name", "type", "mentions")


class MentionLike(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


class EntityLike(Protocol):
    """A canonical person or organisation of a document (`extractor.rules.entities`)."""

    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def mentions(self) -> Sequence[MentionLike]: ...


#: The columns of each item table that an item fills (besides document and run).
ITEM_COLUMNS: dict[str, tuple[str, ...]] = {
    "quotes": ("text", "speaker", "speaker_title", "cue", "kind", "char_start", "char_end",
               "alignment"),
    "claims": ("text", "claimant", "cue", "hedged", "char_start", "char_end", "alignment"),
    "events": ("event_type", "text", "trigger", "actors", "location", "time_text", "time",
               "char_start", "char_end", "alignment"),
}  # fmt: skip
CALL_COLUMNS = ("run_id", "document_id", "model", "prompt_tokens", "completion_tokens",
                "latency_ms", "attempt", "outcome", "error", "chunk_index", "messages",
                "response")  # fmt: skip
REJECTION_COLUMNS = ("run_id", "document_id", "kind", "item", "reason", "field", "drops_item",
                     "message", "source", "chunk_index")  # fmt: skip
RUN_DOCUMENT_COLUMNS = ("run_id", "document_id", "path", "status", "error", "quotes", "claims",
                        "events", "dropped", "latency_ms", "model_error", "failed_chunks",
                        "config_hash", "skipped_kinds", "skip_reason")  # fmt: skip


class Rows:
    """Rows to insert, per table, in the order of their columns; `freeze` turns them into
    Arrow tables ahead of the transaction (so the file is held only for the inserts)."""

    def __init__(self) -> None:
        self.tables: dict[tuple[str, tuple[str, ...]], list[list[object]]] = defaultdict(list)
        self._frozen: dict[tuple[str, tuple[str, ...]], pa.Table] = {}

    def add(self, table: str, columns: tuple[str, ...], row: list[object]) -> None:
        self._frozen.pop((table, columns), None)
        self.tables[table, columns].append(row)

    def freeze(self) -> None:
        for (table, columns), rows in self.tables.items():
            if (table, columns) not in self._frozen:
                self._frozen[table, columns] = arrow_table(columns, rows)

    def insert(self, db: duckdb.DuckDBPyConnection) -> None:
        """One insert per table; documents first (the others refer to them)."""
        self.freeze()
        for (table, columns), arrow in sorted(self._frozen.items(), key=_documents_first):
            db.register("_rows", arrow)
            try:
                names = ", ".join(columns)
                db.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _rows")
            finally:
                db.unregister("_rows")


def _documents_first(entry: tuple[tuple[str, tuple[str, ...]], object]) -> bool:
    return entry[0][0] != "documents"


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
    #: The kinds the engine did not look for (the document's language), with the reason.
    skipped: Skipped | None = None
    #: The document's canonical people and organisations: speakers, claimants and actors
    #: point to them by id.
    entities: Sequence[EntityLike] = ()

    @property
    def key(self) -> str | None:
        return self.article.id

    def check(self) -> None:
        _check_grounded(self.article.text, self.extraction)
        _check_mentions(self.article.text, self.entities)

    def add_rows(self, rows: Rows, config_hash: str) -> None:
        doc_id, run_id = self.article.id, self.run_id
        ids: dict[str, str] = {}
        for e in self.entities:
            key = f"{run_id}\0{doc_id}\0{e.type}\0{e.name}"
            ids.setdefault(e.name, hashlib.sha256(key.encode()).hexdigest()[:16])
            rows.add("entities", ENTITY_COLUMNS, [
                ids[e.name], doc_id, run_id, e.name, e.type,
                [{"char_start": m.start, "char_end": m.end, "text": m.text} for m in e.mentions],
            ])  # fmt: skip
        for table, columns in ITEM_COLUMNS.items():
            link = ENTITY_LINKS[table]
            for item in getattr(self.extraction, table):
                row = [doc_id, run_id, *(_column(getattr(item, c)) for c in columns)]
                row.append(_links(item, ids))
                rows.add(table, ("document_id", "run_id", *columns, link), row)
        add_calls(rows, run_id, doc_id, self.calls)
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
            list(self.skipped.kinds) if self.skipped else None,
            self.skipped.reason if self.skipped else None,
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
        add_calls(rows, self.run_id, doc_id, self.calls)
        rows.add("run_documents", RUN_DOCUMENT_COLUMNS, [
            self.run_id, doc_id, self.path, "failed", self.error, None, None, None, None,
            None, None, None, config_hash, None, None,
        ])  # fmt: skip


Write = DocumentWrite | FailureWrite


@dataclass
class Batch:
    """Whole documents' rows, built before the transaction that writes them."""

    rows: Rows
    #: Each document's row (`DOCUMENT_COLUMNS`), inserted or, stored already, updated.
    documents: list[list[object]]
    #: (document id, run id, config hash) of each extraction: what it supersedes.
    keys: list[tuple[str, str, str]]


def prepare_batch(writes: Sequence[Write], config_hashes: dict[str, str]) -> Batch:
    """The rows of `writes`, without the database. A document given twice must not be in
    one batch (`split_repeats`): its second copy would not replace the first."""
    rows = Rows()
    for write in writes:
        write.add_rows(rows, config_hashes[write.run_id])
    rows.freeze()
    articles = {w.article.id: w.article for w in writes if w.article is not None}
    keys = [(w.key, w.run_id, config_hashes[w.run_id]) for w in writes if w.key]
    return Batch(rows, [_document_row(a) for a in articles.values()], keys)


def write_batch(db: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    """Write `batch` on `db` (inside the caller's transaction), in a few statements
    whatever its size."""
    _upsert_documents(db, batch.documents, batch.rows)
    _supersede(db, batch.keys)
    batch.rows.insert(db)


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


def _supersede(db: duckdb.DuckDBPyConnection, keys: list[tuple[str, str, str]]) -> None:
    """Delete what earlier runs of the same configuration stored for these documents, and
    mark their rows superseded by the new run (so their counts are not taken for stored
    items). `keys`: (document id, new run id, config hash). One indexed lookup, and
    statements only when there is something to replace."""
    if not keys:
        return
    _register(db, "_keys", ("document_id", "new_run", "config_hash"), keys)
    try:
        earlier = db.execute(
            """SELECT DISTINCT rd.document_id, rd.run_id, k.new_run FROM run_documents rd
               JOIN _keys k ON rd.document_id = k.document_id
                   AND rd.config_hash = k.config_hash
               WHERE rd.superseded_by IS NULL AND rd.status IN ('ok', 'partial')"""
        ).fetchall()
    finally:
        db.unregister("_keys")
    if not earlier:
        return
    _register(db, "_old", ("document_id", "run_id", "new_run"), earlier)
    try:
        for table in SUPERSEDED:
            db.execute(
                f"""DELETE FROM {table} USING _old WHERE {table}.document_id = _old.document_id
                    AND {table}.run_id = _old.run_id"""
            )
        db.execute(
            """UPDATE run_documents SET superseded_by = _old.new_run FROM _old
               WHERE run_documents.document_id = _old.document_id
                 AND run_documents.run_id = _old.run_id
                 AND run_documents.superseded_by IS NULL
                 AND run_documents.status IN ('ok', 'partial')"""
        )
    finally:
        db.unregister("_old")


DOCUMENT_COLUMNS = ("id", "title", "source", "url", "published_at", "text", "path",
                    "char_count", "meta", "language")  # fmt: skip


def _document_row(article: Article) -> list[object]:
    return [
        article.id, article.title, article.source, article.url, article.published,
        article.text, article.path, len(article.text),
        json.dumps(article.meta) if article.meta else None, article.language,
    ]  # fmt: skip


def _upsert_documents(
    db: duckdb.DuckDBPyConnection, documents: list[list[object]], rows: Rows
) -> None:
    """Insert the new documents (with the batch's rows), and for one stored before (the
    same text again: the id is its hash) take the metadata given this time: title,
    source, url, published and meta each replace the stored value when set, and are kept
    when not. Text, path (where it was first read) and ingest time stay."""
    if not documents:
        return
    ids = [row[0] for row in documents]
    stored = {
        row[0]
        for row in db.execute(
            "SELECT id FROM documents WHERE list_contains(?, id)", [ids]
        ).fetchall()
    }
    updates = []
    for row in documents:
        if row[0] in stored:
            updates.append(row)
        else:
            rows.add("documents", DOCUMENT_COLUMNS, row)
    if not updates:
        return
    _register(db, "_docs", DOCUMENT_COLUMNS, updates)
    try:
        db.execute(
            """UPDATE documents SET title = coalesce(d.title, documents.title),
                   source = coalesce(d.source, documents.source),
                   url = coalesce(d.url, documents.url),
                   published_at = coalesce(d.published_at, documents.published_at),
                   meta = coalesce(d.meta::JSON, documents.meta),
                   language = coalesce(d.language, documents.language)
               FROM _docs AS d WHERE documents.id = d.id"""
        )
    finally:
        db.unregister("_docs")


def _register(
    db: duckdb.DuckDBPyConnection,
    name: str,
    columns: tuple[str, ...],
    rows: Sequence[Sequence[object]],
) -> None:
    db.register(name, arrow_table(columns, rows))


def add_calls(rows: Rows, run_id: str, doc_id: str | None, calls: Sequence[CallRecord]) -> None:
    for c in calls:
        rows.add("llm_calls", CALL_COLUMNS, [
            run_id, doc_id, c.model, c.prompt_tokens, c.completion_tokens, c.latency_ms,
            c.attempt, c.outcome, c.error, c.chunk_index,
            None if c.messages is None else json.dumps(c.messages, ensure_ascii=False),
            c.response,
        ])  # fmt: skip


def _links(item: object, ids: dict[str, str]) -> str | list[str] | None:
    """The id of the entity an item's speaker or claimant names; an event's actors' ids."""
    actors = getattr(item, "actors", None)
    if actors is not None:
        return [ids[a] for a in actors if a in ids]
    name = getattr(item, "speaker", None) or getattr(item, "claimant", None)
    return ids.get(name) if name else None


def _check_mentions(text: str, entities: Sequence[EntityLike]) -> None:
    for entity in entities:
        for mention in entity.mentions:
            if text[mention.start : mention.end] != mention.text:
                raise StoreError(
                    f"entity {entity.name!r}: text[{mention.start}:{mention.end}]"
                    f" != {mention.text[:40]!r}"
                )


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
