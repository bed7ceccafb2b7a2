"""Opening the database, and read-only SQL for users: one guard shared by the CLI and the
HTTP service.

Two layers: the statement types are checked before anything runs (only SELECT-like
statements: SELECT, WITH, DESCRIBE, SHOW, EXPLAIN), and every connection the project opens
has external access off, so a SELECT cannot read or write files either (`read_csv`, ...).
The CLI also opens the file read-only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from extractor.errors import ConfigError, InputError, one_line


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


_EXPLAIN = re.compile(r"^\s*EXPLAIN\s+(ANALY[SZ]E\s+)?", re.IGNORECASE)
_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


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
        if statement.type == duckdb.StatementType.EXPLAIN:
            # EXPLAIN ANALYZE runs its statement: check what it explains, too.
            check_read_only(_EXPLAIN.sub("", statement.query, count=1))


def table_names(db: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables of the database, sorted."""
    return sorted(row[0] for row in db.execute("SHOW TABLES").fetchall())


def run_read_only(db: duckdb.DuckDBPyConnection, sql: str, limit: int | None = None) -> QueryResult:
    """Check, then run `sql` (the last statement's rows are returned)."""
    check_read_only(sql)
    try:
        cursor = db.cursor()
        result = cursor.execute(sql)
        rows = result.fetchmany(limit) if limit is not None else result.fetchall()
        columns = [d[0] for d in result.description or []]
    except duckdb.Error as exc:
        raise InputError(f"SQL error: {one_line(exc)}") from exc
    return QueryResult(columns=columns, rows=rows)
