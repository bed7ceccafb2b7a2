"""The Python API (`extractor.extract`, `extract_many`, `open`), with the rules engine."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import extractor
from extractor.errors import ConfigError, InputError
from tests.conftest import ROOT, SEED

CAINE = "We’re charting a shared path forward—one built on regular engagement"


@pytest.fixture(autouse=True)
def _no_env_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The API reads EXTRACTOR_* / OPENAI_* as the CLI does: none of the caller's apply."""
    for name in list(os.environ):
        if name.startswith(("EXTRACTOR_", "OPENAI_")):
            monkeypatch.delenv(name)


def test_extract_a_string_gives_quotes_with_offsets_into_its_text() -> None:
    raw = SEED.read_text(encoding="utf-8")
    result = extractor.extract(raw)
    # The header was read: the offsets index the text after it.
    assert result.article.title is not None and result.article.title.startswith("South Korea")
    assert result.article.published == date(2025, 7, 11)
    assert not result.text.startswith("title:")
    caine = [q for q in result.quotes if q.speaker == "Dan Caine"]
    assert len(caine) == 2
    assert caine[0].text.startswith(CAINE)
    for item in [*result.quotes, *result.claims, *result.events]:
        assert result.text[item.char_start : item.char_end] == item.text
    assert result.calls == [] and not result.partial
    assert result.events  # the drill, the meeting...


def test_extract_metadata_given_wins_over_the_header() -> None:
    result = extractor.extract(
        SEED.read_text(encoding="utf-8"), title="Given", published="2025-07-12", source="me"
    )
    assert (result.article.title, result.article.published) == ("Given", date(2025, 7, 12))
    assert result.article.source == "me"


def test_extract_many_into_a_db_then_read_its_quotes(tmp_path: Path) -> None:
    db = tmp_path / "api.duckdb"
    seen: list[str] = []
    outcomes = extractor.extract_many(
        [SEED, '"We stay ready," General Dan Caine said on Monday.'],
        db=db,
        progress=lambda outcome: seen.append(outcome.name),
    )
    assert [o.status for o in outcomes] == ["ok", "ok"]
    assert sorted(seen) == sorted([str(SEED), "<text 1>"])
    with extractor.open(db) as store:
        rows = store.table("quotes").filter("speaker = 'Dan Caine'").fetchall()
        assert len(rows) == 3
        assert store.sql("SELECT count(*) FROM documents").fetchall() == [(2,)]
        assert "quotes" in store.tables()


def test_extract_many_without_a_db_keeps_the_order_and_reports_a_bad_item() -> None:
    outcomes = extractor.extract_many(["   ", str(SEED)], progress=False, concurrency=2)
    assert [o.status for o in outcomes] == ["failed", "ok"]
    assert outcomes[0].error == "<text 0>: empty article (no text)"
    assert outcomes[1].output is not None and outcomes[1].output.extraction.quotes


def test_sql_refuses_a_write(tmp_path: Path) -> None:
    db = tmp_path / "api.duckdb"
    extractor.extract_many([SEED], db=db, progress=False)
    with extractor.open(db) as store:
        with pytest.raises(InputError, match="refused: DELETE statements are not allowed"):
            store.sql("DELETE FROM quotes")
        with pytest.raises(InputError, match="no table 'nope'"):
            store.table("nope")
        assert store.table("quotes").count("*").fetchall() == [(2,)]


def test_open_a_missing_db_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no such database"):
        extractor.open(tmp_path / "missing.duckdb")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"engine": "gpt"}, "unknown engine 'gpt': choose one of rules, local, llm"),
        ({"concurrency": 0}, "--concurrency must be at least 1"),
        ({"concurency": 2}, "unknown setting 'concurency': choose from "),
        ({"concurrency": "4"}, "setting 'concurrency' must be int, not str"),
        ({"api_key": 123}, "setting 'api_key' must be str, not int"),
        ({"chunk_overlap": 7000}, "chunk overlap must be smaller than the chunk size"),
    ],
)
def test_bad_settings_are_one_line_config_errors(settings: dict, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        extractor.extract("Some text.", **settings)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
    assert "123" not in str(caught.value)  # a key given is never echoed


def test_settings_are_the_engine_settings_fields() -> None:
    settings = extractor.engine_settings(
        "llm", model="m", base_url="http://localhost:1/v1", temperature=1, cache_dir="c"
    )
    assert (settings.engine, settings.model, settings.temperature) == ("llm", "m", 1.0)
    assert settings.cache_dir == Path("c")


def test_df_with_pandas(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    db = tmp_path / "api.duckdb"
    extractor.extract_many([SEED], db=db, progress=False)
    with extractor.open(db) as store:
        frame = store.sql("SELECT speaker, text FROM quotes").df()
    assert list(frame.columns) == ["speaker", "text"] and len(frame) == 2


def test_import_extractor_does_not_load_the_pipeline() -> None:
    code = (
        "import sys, extractor; "
        "assert 'extractor.pipeline' not in sys.modules, 'pipeline'; "
        "assert 'extractor.api' not in sys.modules, 'api'; "
        "assert 'duckdb' not in sys.modules, 'duckdb'; "
        "extractor.extract; assert 'extractor.pipeline' in sys.modules"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        _ = extractor.nope  # type: ignore[attr-defined]
