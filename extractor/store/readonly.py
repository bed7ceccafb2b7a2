"""Opening the database, and read-only SQL for users: one guard shared by the CLI and the
HTTP service.

Three layers: the statement types are checked before anything runs (only SELECT-like
statements: SELECT, WITH, DESCRIBE, SHOW, EXPLAIN), and so are the functions that change
state from inside a SELECT (`nextval` advances a sequence even in a rolled-back
transaction; `setseed`); every connection the project opens has external access off, so a
SELECT cannot read or write files either (`read_csv`, ...); the CLI also opens the file
read-only. Every query has a time limit (`run_read_only`), and can be stopped early.
"""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from extractor.errors import ConfigError, InputError, one_line

#: How long opening a database another process holds is retried before giving up.
BUSY_WAIT_S = 3.0
_LOCK_PID = re.compile(r"\(PID (\d+)\)")


def connect(
    path: Path, *, read_only: bool = False, wait_s: float = BUSY_WAIT_S
) -> duckdb.DuckDBPyConnection:
    """Open the database file, with one clear error when that is impossible. While another
    process holds it (DuckDB has one writer, and no reader beside another process's
    writer), opening is retried for up to `wait_s` with a short backoff."""
    if read_only and not path.exists():
        raise ConfigError(f"{path}: no such database (run `extractor extract` first)")
    # No statement of ours reads or writes files through SQL (exports go through Arrow),
    # so external access is off: user SQL cannot reach the file system either.
    config: dict[str, str | bool | int | float | list[str]] = {"enable_external_access": False}
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline, pause = time.monotonic() + wait_s, 0.01
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.IOException as exc:
            holder = _LOCK_PID.search(str(exc))
            if holder is None and "lock" not in str(exc).lower():
                raise ConfigError(f"{path}: cannot open database: {one_line(exc)}") from exc
            if time.monotonic() + pause > deadline:
                by = f" (held by pid {holder.group(1)})" if holder else ""
                raise ConfigError(
                    f"{path}: database is busy{by}; try again when that process finishes"
                ) from None
            # Short pauses: the holder (another process's store) lets go between its
            # transactions, and a waiter that sleeps long misses that moment.
            time.sleep(pause * random.uniform(0.5, 1.5))
            pause = min(pause * 2, 0.05)
        except duckdb.Error as exc:
            raise ConfigError(f"{path}: cannot open database: {one_line(exc)}") from exc


_EXPLAIN = re.compile(r"^\s*EXPLAIN\s+(ANALY[SZ]E\s+)?", re.IGNORECASE)
_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
#: Functions that change the database's state (or the session's) when a SELECT calls them.
STATEFUL_FUNCTIONS = ("nextval", "setseed")
_STATEFUL = re.compile(rf'(?i)(?<![\w$])"?({"|".join(STATEFUL_FUNCTIONS)})"?\s*\(')
#: String literals, quoted identifiers and comments: what a function name may hide in.
_NOT_CODE = re.compile(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", re.DOTALL)
#: How often a running query looks whether it is to stop.
_POLL_S = 0.05


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def check_read_only(sql: str) -> None:
    """Raise `InputError` unless every statement in `sql` only reads the database."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise InputError(f"SQL error: {one_line(exc)}") from exc
    if not statements:
        raise InputError("no SQL statement given")
    for statement in statements:
        if statement.type not in _ALLOWED:
            kind = statement.type.name
            raise InputError(f"refused: {kind} statements are not allowed (read-only SQL)")
        called = _STATEFUL.search(_NOT_CODE.sub(" ", statement.query))
        if called is not None:
            raise InputError(
                f"refused: {called.group(1).lower()}() changes the database's state (read-only SQL)"
            )
        if statement.type == duckdb.StatementType.EXPLAIN:
            # EXPLAIN ANALYZE runs its statement: check what it explains, too.
            check_read_only(_EXPLAIN.sub("", statement.query, count=1))


def table_names(db: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables of the database, sorted."""
    return sorted(row[0] for row in db.execute("SHOW TABLES").fetchall())


def run_read_only(
    db: duckdb.DuckDBPyConnection,
    sql: str,
    limit: int | None = None,
    *,
    timeout_s: float | None = None,
    stop: threading.Event | None = None,
) -> QueryResult:
    """Check, then run `sql` on `db` (the last statement's rows are returned, at most
    `limit`). The query is interrupted after `timeout_s` seconds (None: no limit), or as
    soon as `stop` is set (the client went away, the server is stopping)."""
    check_read_only(sql)
    cursor = db.cursor()  # its own: nothing is left unfinished on `db`
    try:
        # Defence in depth: whatever a statement does is rolled back.
        cursor.execute("BEGIN TRANSACTION")
        try:
            return _run(cursor, sql, limit, timeout_s, stop)
        finally:
            cursor.execute("ROLLBACK")
    finally:
        cursor.close()


def _run(
    db: duckdb.DuckDBPyConnection,
    sql: str,
    limit: int | None,
    timeout_s: float | None,
    stop: threading.Event | None,
) -> QueryResult:
    finished = threading.Event()
    why: list[str] = []

    def watch() -> None:
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while not finished.wait(_POLL_S):
            if stop is not None and stop.is_set():
                why.append("SQL query stopped: the request was cancelled")
            elif deadline is not None and time.monotonic() >= deadline:
                why.append(
                    f"SQL query stopped: over the time limit of {timeout_s:g} s "
                    "(--sql-timeout / EXTRACTOR_SQL_TIMEOUT)"
                )
            else:
                continue
            db.interrupt()
            return

    watcher = threading.Thread(target=watch, name="sql-time-limit", daemon=True)
    watcher.start()
    try:
        result = db.execute(sql)
        rows = result.fetchmany(limit) if limit is not None else result.fetchall()
        columns = [d[0] for d in result.description or []]
    except duckdb.Error as exc:
        if why:
            raise InputError(why[0]) from exc
        raise InputError(f"SQL error: {one_line(exc)}") from exc
    finally:
        finished.set()
        watcher.join()
    return QueryResult(columns=columns, rows=rows)
