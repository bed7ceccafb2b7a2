"""The DuckDB store: documents, runs, grounded items and model calls.

Writes go through one `Store` (one connection, one thread at a time: callers serialise).
A transaction holds whole documents (one, or a batch from `extractor.store.writer`), so
after a crash a document has all of its items or none. Re-running the same configuration
(engine, model, prompt, schema, parameters) on a document replaces that configuration's
earlier items for it.

Readers while writing: DuckDB lets one process at a time open a file for writing, and no
other process read it meanwhile. So the store holds the file only while it uses it (a
transaction, a query, a reader's cursor) and for `linger_s` after, then closes it: between
the writer's batches, `extractor sql`, `export`, `view`, another `extract` open it in turn
(each waits briefly for the other: `readonly.connect`). Writing without a pause, it lets
go every `MAX_HOLD_S` for `GAP_S`. Closing checkpoints what was
written, so the next process to open the file sees every committed document.

Runs close: `done`, `failed` (every document failed) or `interrupted`. A run still
`running` whose process (same host, by pid) is gone was left by a killed process: the
next store opened for writing marks it `interrupted`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import threading
import time
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
from extractor.store.journal import Journal, journal_dir, unrecorded_calls
from extractor.store.migrations import migrate
from extractor.store.processes import alive
from extractor.store.readonly import connect
from extractor.store.write import (
    ENTITY_LINKS,
    ITEM_TABLES,
    DocumentWrite,
    EntityLike,
    FailureWrite,
    Rows,
    Write,
    add_calls,
    prepare_batch,
    split_repeats,
    write_batch,
)
from extractor.text.articles import Article
from extractor.version import __version__

#: How long a write waits for the file while other processes read it: longer than their
#: SQL time limit (30 s by default), so a reader's query never fails a batch.
WRITE_WAIT_S = 60.0
#: How long the file stays open after its last use: transactions in quick succession
#: (a service's requests) share one opening; a pause hands the file to others.
LINGER_S = 0.05
#: Writing without a pause holds the file at most this long, then leaves it free for
#: `GAP_S`: a reader waiting meanwhile (it retries every 50 ms at most) gets it then.
MAX_HOLD_S = 0.5
GAP_S = 0.15
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
    def __init__(self, path: Path, *, linger_s: float | None = LINGER_S) -> None:
        """`linger_s`: how long the file stays open after its last use (None: until
        `close`, and no other process can open it meanwhile)."""
        self.path = path
        self.linger_s = linger_s
        self.lock = threading.RLock()
        self._db: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._closing: threading.Timer | None = None
        self._opened_at = 0.0
        self._free_until = 0.0
        #: The configuration of each run written through this store.
        self.config_hashes: dict[str, str] = {}
        self._journals: dict[str, Journal] = {}
        with self.connection() as db:
            migrate(db)
        with self.transaction() as db:
            self._close_stale_runs(db)

    def close(self) -> None:
        with self.lock:
            self._cancel_closing()
            if self._db is not None:
                db, self._db = self._db, None
                db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the file, held while used ----------------------------------------------------
    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The open database, for this thread alone while the block runs."""
        with self.lock:
            db = self._acquire()
            try:
                yield db
            finally:
                self._release()

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for reads beside the writes (it sees committed data only);
        the file stays open while it is used."""
        with self.lock:
            cursor = self._acquire().cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with self.lock:
                self._release()

    def hand_over(self) -> None:
        """Close the file now, if nothing uses it (rather than after `linger_s`): the
        caller knows that it will not write again soon."""
        with self.lock:
            if self._users == 0 and self.linger_s is not None:
                self.close()

    def _acquire(self) -> duckdb.DuckDBPyConnection:
        self._cancel_closing()
        if self._db is None:
            time.sleep(max(0.0, self._free_until - time.monotonic()))
            self._db = connect(self.path, wait_s=WRITE_WAIT_S)
            self._opened_at = time.monotonic()
        self._users += 1
        return self._db

    def _release(self) -> None:
        self._users -= 1
        if self._users or self.linger_s is None:
            return
        if time.monotonic() - self._opened_at >= MAX_HOLD_S:
            self.close()  # and others have their turn before it is opened again
            self._free_until = time.monotonic() + GAP_S
            return
        if self.linger_s <= 0:
            self.close()
            return
        self._closing = threading.Timer(self.linger_s, self._close_if_idle)
        self._closing.daemon = True
        self._closing.start()

    def _close_if_idle(self) -> None:
        with self.lock:
            if self._users == 0 and self._closing is threading.current_thread():
                self._closing = None
                self.close()

    def _cancel_closing(self) -> None:
        if self._closing is not None:
            self._closing.cancel()
            self._closing = None

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.connection() as db:
            db.execute("BEGIN TRANSACTION")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

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

    def journal(self, run_id: str) -> Journal:
        """The run's journal of model calls as they are sent (`extractor.store.journal`)."""
        with self.lock:
            if run_id not in self._journals:
                self._journals[run_id] = Journal(journal_dir(self.path) / f"{run_id}.jsonl")
            return self._journals[run_id]

    def _close_journal(self, db: duckdb.DuckDBPyConnection, run_id: str) -> None:
        """Add the journal's calls of documents the run did not store to `llm_calls`,
        then delete the journal (inside the transaction closing the run)."""
        journal = self._journals.pop(run_id, None)
        if journal is not None:
            journal.close()
        path = journal_dir(self.path) / f"{run_id}.jsonl"
        if not path.exists():
            return
        stored = {
            row[0]
            for row in db.execute(
                "SELECT document_id FROM run_documents WHERE run_id = ?", [run_id]
            ).fetchall()
        }
        # This process's journal of a run that stored every document it logged has no
        # call to add: not read back (decoding every request at the end of a run held
        # its close up by a fraction of the run's time). One left by a killed process is.
        if journal is None or not journal.documents <= stored:
            rows = Rows()
            for document_id, call in unrecorded_calls(path, stored):
                add_calls(rows, run_id, document_id, [call])
            rows.insert(db)
        path.unlink()
        with contextlib.suppress(OSError):  # others' journals may be there
            path.parent.rmdir()

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
            self._close_journal(db, run_id)
        _ACTIVE_RUNS.discard(run_id)

    def _close_stale_runs(self, db: duckdb.DuckDBPyConnection) -> None:
        """A `running` run whose process is gone (same host; or this process, which did
        not start it here) was left by a killed one. Other hosts' runs are left alone."""
        host = socket.gethostname()
        running = db.execute("SELECT id, pid, host FROM runs WHERE status = 'running'")
        stale = [
            run_id
            for run_id, pid, run_host in running.fetchall()
            if run_id not in _ACTIVE_RUNS
            and (pid is None or (run_host == host and (pid == os.getpid() or not alive(pid))))
        ]
        if stale:
            db.execute(
                """UPDATE runs SET status = 'interrupted', finished_at = coalesce(
                       (SELECT max(finished_at) FROM run_documents WHERE run_id = runs.id),
                       started_at)
                   WHERE list_contains(?, id)""",
                [stale],
            )
        for run_id in stale:
            self._close_journal(db, run_id)

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
        for batch in [prepare_batch(part, hashes) for part in split_repeats(writes)]:
            with self.transaction() as db:
                write_batch(db, batch)

    def load_extraction(self, run_id: str, document_id: str) -> DocumentExtraction:
        """A stored extraction back as the schema objects (checked against the text)."""
        with self.connection() as db:
            return load_extraction(db, run_id, document_id)

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        with self.connection() as db:
            return db.execute(sql, params).fetchall()


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
