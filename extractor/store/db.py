"""The DuckDB store: documents, runs, grounded items and model calls.

Writes go through one `Store` (one connection, one thread at a time: callers serialise).
A transaction holds whole documents (one, or a batch from `extractor.store.writer`), so
after a crash a document has all of its items or none. Re-running the same configuration
(engine, model, prompt, schema, parameters) on a document replaces that configuration's
earlier items for it.

Runs close: `done`, `failed` (every document failed) or `interrupted`. Opening the file
for writing takes DuckDB's single-writer lock, so no other process can be writing then:
every run still `running` that this process did not start was left by a killed process
and is marked `interrupted`.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from extractor.errors import NotFound
from extractor.records import CallRecord, Rejection, Skipped
from extractor.schemas import SCHEMA_VERSION, DocumentExtraction
from extractor.store.migrations import migrate
from extractor.store.readonly import connect
from extractor.store.write import (
    ENTITY_LINKS,
    ITEM_TABLES,
    DocumentWrite,
    EntityLike,
    FailureWrite,
    Write,
    split_repeats,
    write_batch,
)
from extractor.text.articles import Article
from extractor.version import __version__

#: How long opening a database another process holds is retried before giving up.
#: Runs this process started and has not finished (never stale, whatever the store).
_ACTIVE_RUNS: set[str] = set()


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


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = connect(path)
        self.lock = threading.Lock()
        #: The configuration of each run written through this store.
        self.config_hashes: dict[str, str] = {}
        migrate(self.db)
        self._close_stale_runs()

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
                       schema_version, parameters, config_hash, code_version, pid, host)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
                    os.getpid(),
                    socket.gethostname(),
                ],
            )
        self.config_hashes[run_id] = info.config_hash
        _ACTIVE_RUNS.add(run_id)
        return run_id

    def finish_run(self, run_id: str, status: str = "done", *, skipped: int = 0) -> None:
        """Close the run: `done`, or `interrupted`; `done` with every document failed
        (and at least one) is `failed`. `skipped`: documents not extracted again because
        this configuration had stored them `ok` already."""
        with self.transaction() as db:
            if status == "done":
                (stored, failed), *_ = db.execute(
                    """SELECT count(*) FILTER (status != 'failed'), count(*) FILTER
                       (status = 'failed') FROM run_documents WHERE run_id = ?""",
                    [run_id],
                ).fetchall()
                status = "failed" if failed and not stored else "done"
            db.execute(
                "UPDATE runs SET finished_at = now(), status = ?, skipped = ? WHERE id = ?",
                [status, skipped, run_id],
            )
        _ACTIVE_RUNS.discard(run_id)

    def _close_stale_runs(self) -> None:
        """We hold the write lock, so no other process is writing: a `running` run that
        this process did not start was left by a killed one."""
        active = sorted(_ACTIVE_RUNS) or [""]
        with self.transaction() as db:
            db.execute(
                """UPDATE runs SET status = 'interrupted', finished_at = coalesce(
                       (SELECT max(finished_at) FROM run_documents WHERE run_id = runs.id),
                       started_at)
                   WHERE status = 'running' AND NOT list_contains(?, id)""",
                [active],
            )

    def done_documents(self, run_id: str) -> set[str]:
        """The documents whose latest extraction by `run_id`'s configuration is stored
        `ok` (what a re-run skips)."""
        rows = self.query(
            """SELECT DISTINCT document_id FROM run_documents WHERE config_hash = ?
               AND status = 'ok' AND superseded_by IS NULL AND run_id != ?""",
            [self.config_hash(run_id), run_id],
        )
        return {row[0] for row in rows}

    def config_hash(self, run_id: str) -> str:
        if run_id not in self.config_hashes:
            found = self.query("SELECT config_hash FROM runs WHERE id = ?", [run_id])
            if not found:
                raise NotFound(f"no run {run_id!r} in the database")
            self.config_hashes[run_id] = found[0][0]
        return self.config_hashes[run_id]

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
        skipped: Skipped | None = None,
        entities: Sequence[EntityLike] = (),
    ) -> None:
        """Write one document's extraction, its calls, its rejections and its `entities`
        (items link to them by canonical name), all or nothing.
        With `model_error` the document is `partial`: the model failed on `failed_chunks`
        and the extraction holds what the rest of the pipeline found. `skipped`: the kinds
        the engine did not look for (its language), stored with the reason."""
        self.write([
            DocumentWrite(run_id, article, extraction, calls, rejections, latency_ms,
                          model_error, list(failed_chunks), skipped, entities),
        ])  # fmt: skip

    def save_failure(
        self,
        run_id: str,
        path: str | None,
        error: str,
        article: Article | None = None,
        calls: Sequence[CallRecord] = (),
    ) -> None:
        """Record a document that could not be extracted (its text too, when it was read)."""
        self.write([FailureWrite(run_id, path, error, article, calls)])

    def write(self, writes: Sequence[Write]) -> None:
        """Write whole documents, in as few transactions as they allow (one, unless a
        document is given twice). A document the store refuses (`StoreError`) raises
        before anything is written."""
        for write in writes:
            write.check()
        hashes = {w.run_id: self.config_hash(w.run_id) for w in writes}
        for batch in split_repeats(writes):
            with self.transaction() as db:
                write_batch(db, batch, hashes)

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
