"""Shared test fixtures: paths to the fixture articles, a fresh database per test, and a
service client (rules engine, no token) on it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from extractor.service import create_app
from extractor.settings import EngineSettings, StoreSettings

#: The suite runs a batch's analysis in the test's own process (each worker process
#: loads spaCy: seconds per batch); `test_processes.py` runs it in workers.
os.environ.setdefault("EXTRACTOR_PROCESSES", "1")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "articles" / "seed" / "trilateral-air-drill.txt"
ARTICLES = sorted((FIXTURES / "articles").rglob("*.txt"))


def query_rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    """`sql`'s rows, read from the database file `db` (read-only)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def client(db_path: Path) -> Iterator[TestClient]:
    app = create_app(EngineSettings(engine="rules"), StoreSettings(db_path))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
