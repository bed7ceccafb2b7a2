"""Shared test fixtures: paths to the fixture articles and a fresh database per test."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "articles" / "seed" / "trilateral-air-drill.txt"
ARTICLES = sorted((FIXTURES / "articles").rglob("*.txt"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"
