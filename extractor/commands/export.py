"""`extractor export`: a table or a read-only query to Parquet, JSONL or CSV."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from extractor.commands.options import add_db, read_only_db, read_only_query
from extractor.errors import ConfigError, InputError
from extractor.store import table_names

FORMATS = {".parquet": "parquet", ".jsonl": "jsonl", ".csv": "csv"}


def add_parser(subparsers: argparse._SubParsersAction, help: str) -> None:
    parser = subparsers.add_parser("export", help=help)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("table", nargs="?", help="a table name, e.g. quotes")
    source.add_argument("--query", help="a read-only SQL query instead of a table")
    parser.add_argument(
        "--out", type=Path, required=True, help="output file; - for stdout (CSV or JSONL)"
    )
    parser.add_argument(
        "--format",
        choices=sorted(set(FORMATS.values())),
        help="default: from --out's suffix (required with --out -)",
    )
    add_db(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    to_stdout = str(args.out) == "-"
    fmt = args.format or (None if to_stdout else FORMATS.get(args.out.suffix.lower()))
    if fmt is None:
        raise ConfigError(f"{args.out}: say --format csv, jsonl or parquet")
    if to_stdout and fmt == "parquet":
        raise ConfigError("Parquet does not go to stdout: give --out FILE.parquet")
    with read_only_db(args) as db:
        sql = args.query or _table_query(db, args.table)
        read_only_query(db, sql, limit=0)  # the guard, before fetching anything
        table = db.sql(sql).to_arrow_table()
    if to_stdout:
        write_stdout(table, fmt)
        print(f"{table.num_rows} rows -> stdout ({fmt})", file=sys.stderr)
        return 0
    write_table(table, args.out, fmt)
    print(f"{table.num_rows} rows -> {args.out} ({fmt})")
    return 0


def write_table(table: pa.Table, path: Path, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        pq.write_table(table, path)
    elif fmt == "csv":
        pa_csv.write_csv(_flatten_lists(table), path)
    else:
        with path.open("w", encoding="utf-8") as handle:
            _write_jsonl(table, handle)


def write_stdout(table: pa.Table, fmt: str) -> None:
    """CSV or JSONL to stdout (Parquet is refused before: a binary file is no stream)."""
    if fmt == "csv":
        sys.stdout.flush()
        buffer = pa.BufferOutputStream()
        pa_csv.write_csv(_flatten_lists(table), buffer)
        sys.stdout.write(buffer.getvalue().to_pybytes().decode("utf-8"))
    else:
        _write_jsonl(table, sys.stdout)


def _write_jsonl(table: pa.Table, handle: TextIO) -> None:
    for row in table.to_pylist():
        handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _table_query(db: duckdb.DuckDBPyConnection, name: str) -> str:
    tables = table_names(db)
    if name not in tables:
        raise InputError(f"no table {name!r}; tables: {', '.join(tables)}")
    return f'SELECT * FROM "{name}"'


def _flatten_lists(table: pa.Table) -> pa.Table:
    """CSV has no lists: join list columns (event actors) with '; '."""
    columns = []
    for column in table.columns:
        if pa.types.is_list(column.type):
            values = [None if v is None else "; ".join(map(str, v)) for v in column.to_pylist()]
            column = pa.chunked_array([pa.array(values, pa.string())])
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)
