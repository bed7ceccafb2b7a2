"""Flag groups shared by commands, generated from the option tables in `settings`, and the
builders that turn parsed flags (plus the environment) into each concern's settings."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb

from extractor.errors import InputError, NotFound
from extractor.settings import (
    EngineSettings,
    QuerySettings,
    StoreSettings,
    add_options,
    engine_from,
    store_from,
)
from extractor.store import connect, run_read_only, table_names
from extractor.store.readonly import QueryResult

#: How to find an id, per table, for the "no such id" line.
_ID_HINTS = {
    "documents": ("document", 'extractor sql "select id, title from documents"'),
    "runs": ("run", "extractor runs"),
}

#: Runs a query with parameters and returns its rows (a connection's or `Store.query`).
Query = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


def add_db(parser: argparse.ArgumentParser) -> None:
    add_options(parser, StoreSettings)


@contextmanager
def read_only_db(args: argparse.Namespace) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database named by --db (or the env, or the default), opened read-only."""
    db = connect(store_from(args).db_path, read_only=True)
    try:
        yield db
    finally:
        db.close()


def add_engine(parser: argparse.ArgumentParser) -> None:
    add_options(parser.add_argument_group("engine"), EngineSettings)


def settings_from(args: argparse.Namespace) -> tuple[StoreSettings, EngineSettings]:
    """The database and the engine settings, for commands that extract (flags over env
    over defaults; the engine settings validated)."""
    return store_from(args), engine_from(args)


def add_query(parser: argparse.ArgumentParser) -> None:
    add_options(parser, QuerySettings)


def read_only_query(
    db: duckdb.DuckDBPyConnection,
    sql: str,
    limit: int | None = None,
    *,
    timeout_s: float | None = None,
) -> QueryResult:
    """`run_read_only`; a misspelled table's error names the tables there are."""
    try:
        return run_read_only(db, sql, limit=limit, timeout_s=timeout_s)
    except InputError as exc:
        if isinstance(exc.__cause__, duckdb.CatalogException):
            raise InputError(f"{exc}; tables: {', '.join(table_names(db))}") from exc.__cause__
        raise


def connection_query(db: duckdb.DuckDBPyConnection) -> Query:
    return lambda sql, params: db.execute(sql, list(params)).fetchall()


def resolve_id(query: Query, table: str, given: str) -> str:
    """The full id in `table` ("documents" or "runs") that `given` is, or is the one prefix
    of; an unknown or ambiguous id is one line saying where to find ids."""
    noun, hint = _ID_HINTS[table]
    if given and query(f"SELECT 1 FROM {table} WHERE id = ?", [given]):
        return given
    shown = 5
    matches = [
        row[0]
        for row in query(
            f"SELECT id FROM {table} WHERE starts_with(id, ?) ORDER BY id LIMIT ?",
            [given, shown + 1],
        )
    ] if given else []  # fmt: skip
    if len(matches) == 1:
        return str(matches[0])
    if not matches:
        raise NotFound(f"no {noun} {given!r} (ids: `{hint}`)")
    listed = ", ".join(matches[:shown]) + (", …" if len(matches) > shown else "")
    raise InputError(f"{noun} id {given!r} is ambiguous: {listed}; give more of it")
