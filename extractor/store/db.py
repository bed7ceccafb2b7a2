"""The DuckDB store: documents, runs, grounded items and model calls.

Writes go through one `Store` (one connection, one thread at a time: callers serialise).
A document's extraction is written in a single transaction, so after a crash a document
has all of its items or none. Re-running the same configuration (engine, model, prompt,
schema, parameters) on a document replaces that configuration's earlier items for it.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import duckdb

from extractor.errors import ConfigError, NotFound, StoreError, one_line
from extractor.records import CallRecord, Rejection
from extractor.schemas import KINDS, SCHEMA_VERSION, DocumentExtraction
from extractor.store.migrations import migrate
from extractor.text.articles import Article
from extractor.version import __version__

ITEM_TABLES = KINDS
#: What a re-run of the same configuration on a document replaces.
SUPERSEDED = (*ITEM_TABLES, "rejections", "entities")
#: Each item table's link to the entities table (set by the store, not an item field).
ENTITY_LINKS = {
    "quotes": "speaker_entity_id",
    "claims": "claimant_entity_id",
    "events": "actor_entity_ids",
}


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


@dataclass(frozen=True)
class RunInfo:
    engine: str
    model: str | None
    prompt_version: str | None
    prompt_hash: str | None
    parameters: dict[str, object]

    @property
    def config_hash(self) -> str:
        canonical = json.dumps(
            [self.engine, self.model, self.prompt_hash, SCHEMA_VERSION, self.parameters],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file, with one clear error when that is impossible."""
    if read_only and not path.exists():
        raise ConfigError(f"{path}: no such database (run `extractor extract` first)")
    # No statement of ours reads or writes files through SQL (exports go through Arrow),
    # so external access is off: user SQL cannot reach the file system either.
    config: dict[str, str | bool | int | float | list[str]] = {"enable_external_access": False}
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.Error as exc:
        raise ConfigError(f"{path}: cannot open database: {one_line(exc)}") from exc


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = connect(path)
        self.lock = threading.Lock()
        migrate(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.lock:
            self.db.execute("BEGIN TRANSACTION")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    # --- runs -------------------------------------------------------------------------
    def start_run(self, info: RunInfo) -> str:
        run_id = uuid.uuid4().hex[:12]
        with self.transaction() as db:
            db.execute(
                """INSERT INTO runs (id, engine, model, prompt_version, prompt_hash,
                       schema_version, parameters, config_hash, code_version)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    run_id,
                    info.engine,
                    info.model,
                    info.prompt_version,
                    info.prompt_hash,
                    SCHEMA_VERSION,
                    json.dumps(info.parameters, sort_keys=True, default=str),
                    info.config_hash,
                    __version__,
                ],
            )
        return run_id

    def finish_run(self, run_id: str, status: str = "done") -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = now(), status = ? WHERE id = ?", [status, run_id]
            )

    # --- documents --------------------------------------------------------------------
    def save_extraction(
        self,
        run_id: str,
        article: Article,
        extraction: DocumentExtraction,
        calls: Sequence[CallRecord] = (),
        rejections: Sequence[Rejection] = (),
        latency_ms: float = 0.0,
        *,
        model_error: str | None = None,
        failed_chunks: Sequence[int] = (),
        entities: Sequence[EntityLike] = (),
    ) -> None:
        """Write one document's extraction, its calls, its rejections and its `entities`
        (items link to them by canonical name), all or nothing.
        With `model_error` the document is `partial`: the model failed on `failed_chunks`
        and the extraction holds what the rest of the pipeline found."""
        _check_grounded(article.text, extraction)
        _check_mentions(article.text, entities)
        with self.transaction() as db:
            _upsert_document(db, article)
            for table in SUPERSEDED:  # supersede this configuration's earlier items
                db.execute(
                    f"""DELETE FROM {table} WHERE document_id = $doc AND run_id IN
                         (SELECT id FROM runs WHERE config_hash =
                            (SELECT config_hash FROM runs WHERE id = $run))""",
                    {"doc": article.id, "run": run_id},
                )
            _insert_items(db, run_id, article.id, extraction)
            _insert_entities(db, run_id, article.id, entities)
            _insert_calls(db, run_id, article.id, calls)
            _insert_rejections(db, run_id, article.id, rejections)
            db.execute(
                """INSERT INTO run_documents (run_id, document_id, path, status, quotes,
                       claims, events, dropped, latency_ms, model_error, failed_chunks)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    run_id,
                    article.id,
                    article.path,
                    "ok" if model_error is None else "partial",
                    len(extraction.quotes),
                    len(extraction.claims),
                    len(extraction.events),
                    sum(r.drops_item for r in rejections),
                    latency_ms,
                    model_error,
                    list(failed_chunks) if model_error is not None else None,
                ],
            )

    def save_failure(
        self,
        run_id: str,
        path: str | None,
        error: str,
        article: Article | None = None,
        calls: Sequence[CallRecord] = (),
    ) -> None:
        """Record a document that could not be extracted (its text too, when it was read)."""
        with self.transaction() as db:
            if article is not None:
                _upsert_document(db, article)
            document_id = article.id if article is not None else None
            _insert_calls(db, run_id, document_id, calls)
            db.execute(
                """INSERT INTO run_documents (run_id, document_id, path, status, error)
                   VALUES (?, ?, ?, 'failed', ?)""",
                [run_id, document_id, path, error],
            )

    def load_extraction(self, run_id: str, document_id: str) -> DocumentExtraction:
        """A stored extraction back as the schema objects (checked against the text)."""
        with self.lock:
            return load_extraction(self.db, run_id, document_id)

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        with self.lock:
            return self.db.execute(sql, params).fetchall()


def load_extraction(
    db: duckdb.DuckDBPyConnection, run_id: str, document_id: str
) -> DocumentExtraction:
    found = db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()
    if found is None:
        raise NotFound(f"no document {document_id!r} in the database")
    params = [run_id, document_id]
    items: dict[str, list[dict[str, Any]]] = {}
    for table in ITEM_TABLES:
        cursor = db.execute(
            f"SELECT * EXCLUDE (id, document_id, run_id, {ENTITY_LINKS[table]}) FROM {table} "
            "WHERE run_id = ? AND document_id = ? ORDER BY char_start, id",
            params,
        )
        columns = [d[0] for d in cursor.description or []]
        items[table] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return DocumentExtraction.model_validate(items, context={"document": found[0]})


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


#: The columns of each item table that an item fills (besides document and run).
ITEM_COLUMNS: dict[str, tuple[str, ...]] = {
    "quotes": ("text", "speaker", "speaker_title", "cue", "kind", "char_start", "char_end",
               "alignment"),
    "claims": ("text", "claimant", "cue", "hedged", "char_start", "char_end", "alignment"),
    "events": ("event_type", "text", "trigger", "actors", "location", "time_text", "time",
               "char_start", "char_end", "alignment"),
}  # fmt: skip


def _insert_items(
    db: duckdb.DuckDBPyConnection, run_id: str, doc_id: str, extraction: DocumentExtraction
) -> None:
    for table, columns in ITEM_COLUMNS.items():
        items = getattr(extraction, table)
        if not items:
            continue
        names = ", ".join(("document_id", "run_id", *columns))
        marks = ", ".join("?" * (len(columns) + 2))
        db.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",
            [[doc_id, run_id, *(_column(getattr(item, c)) for c in columns)] for item in items],
        )


def _column(value: object) -> object:
    """A value as DuckDB takes it: enums by value, actors as a list."""
    if isinstance(value, StrEnum):
        return value.value
    return list(value) if isinstance(value, tuple) else value


def _insert_calls(
    db: duckdb.DuckDBPyConnection, run_id: str, doc_id: str | None, calls: Sequence[CallRecord]
) -> None:
    if calls:
        db.executemany(
            """INSERT INTO llm_calls (run_id, document_id, model, prompt_tokens,
                   completion_tokens, latency_ms, attempt, outcome, error, chunk_index)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                [
                    run_id,
                    doc_id,
                    c.model,
                    c.prompt_tokens,
                    c.completion_tokens,
                    c.latency_ms,
                    c.attempt,
                    c.outcome,
                    c.error,
                    c.chunk_index,
                ]
                for c in calls
            ],
        )


def _insert_rejections(
    db: duckdb.DuckDBPyConnection, run_id: str, doc_id: str, rejections: Sequence[Rejection]
) -> None:
    if rejections:
        db.executemany(
            """INSERT INTO rejections (run_id, document_id, kind, item, reason, field,
                   drops_item, message, source, chunk_index)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                [
                    run_id, doc_id, r.kind, json.dumps(r.item, ensure_ascii=False, default=str),
                    r.reason.value, r.field, r.drops_item, r.message, r.source, r.chunk_index,
                ]
                for r in rejections
            ],
        )  # fmt: skip


def _insert_entities(
    db: duckdb.DuckDBPyConnection, run_id: str, doc_id: str, entities: Sequence[EntityLike]
) -> None:
    """The entities, and each item's link to the entity its speaker, claimant or actors
    name (by canonical name)."""
    if not entities:
        return
    rows = [
        [
            hashlib.sha256(f"{run_id}\0{doc_id}\0{e.type}\0{e.name}".encode()).hexdigest()[:16],
            doc_id, run_id, e.name, e.type,
            [{"char_start": m.start, "char_end": m.end, "text": m.text} for m in e.mentions],
        ]
        for e in entities
    ]  # fmt: skip
    db.executemany(
        "INSERT INTO entities (id, document_id, run_id, name, type, mentions)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    here = {"doc": doc_id, "run": run_id}
    scope = "document_id = $doc AND run_id = $run"
    db.execute(
        f"""UPDATE quotes SET speaker_entity_id = (SELECT id FROM entities e
             WHERE e.{scope} AND e.name = quotes.speaker) WHERE {scope}""",
        here,
    )
    db.execute(
        f"""UPDATE claims SET claimant_entity_id = (SELECT id FROM entities e
             WHERE e.{scope} AND e.name = claims.claimant) WHERE {scope}""",
        here,
    )
    db.execute(
        f"""UPDATE events SET actor_entity_ids = (SELECT list(e.id ORDER BY e.name)
             FROM entities e WHERE e.{scope} AND list_contains(events.actors, e.name))
           WHERE {scope}""",
        here,
    )


def _check_mentions(text: str, entities: Sequence[EntityLike]) -> None:
    for entity in entities:
        for mention in entity.mentions:
            if text[mention.start : mention.end] != mention.text:
                raise StoreError(
                    f"entity {entity.name!r}: text[{mention.start}:{mention.end}]"
                    f" != {mention.text[:40]!r}"
                )


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
