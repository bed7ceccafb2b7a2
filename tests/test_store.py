"""The DuckDB store: migrations, one transaction per document, failures recorded."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extractor.errors import ExtractorError, InputError
from extractor.records import CallRecord, Reason, Rejection
from extractor.schemas import Claim, DocumentExtraction, Event, Quote
from extractor.store import RunInfo, Store, check_read_only, connect, run_read_only
from extractor.store.migrations import MIGRATIONS
from extractor.text.articles import parse_article

TEXT = "Ana Lima said “we will win” on Monday in São Paulo 🙂. Prices may rise."
INFO = RunInfo(engine="fake", model="m", prompt_version="v1", prompt_hash="h", parameters={})


def _output(text: str = TEXT) -> tuple[DocumentExtraction, list[CallRecord]]:
    start = text.index("we will")
    quote = Quote(text="we will win", char_start=start, char_end=start + 11, speaker="Ana Lima")
    c_start = text.index("Prices")
    claim = Claim(
        text="Prices may rise",
        char_start=c_start,
        char_end=c_start + 15,
        claimant="<author>",
        hedged=True,
    )
    event = Event(
        text=text[: c_start - 1],
        char_start=0,
        char_end=c_start - 1,
        event_type="statement",
        actors=["Ana Lima"],
        time="2025-07-07",
    )
    extraction = DocumentExtraction(quotes=[quote], claims=[claim], events=[event])
    calls = [
        CallRecord(
            model="m",
            prompt_tokens=10,
            completion_tokens=5,
            latency_ms=1.0,
            attempt=1,
            outcome="ok",
        )
    ]
    return extraction, calls


def test_blank_database_migrates_to_the_expected_schema(db_path: Path) -> None:
    Store(db_path).close()
    db = duckdb.connect(str(db_path))
    tables = {row[0] for row in db.execute("SHOW TABLES").fetchall()}
    assert {
        "documents",
        "runs",
        "run_documents",
        "quotes",
        "claims",
        "events",
        "llm_calls",
        "evals",
        "eval_scores",
        "schema_migrations",
    } <= tables
    applied = db.execute("SELECT number, name FROM schema_migrations ORDER BY number").fetchall()
    assert applied == [(n, name) for n, name, _ in MIGRATIONS]
    columns = {r[0] for r in db.execute("DESCRIBE quotes").fetchall()}
    assert {"document_id", "run_id", "text", "speaker", "char_start", "char_end"} <= columns
    db.close()
    Store(db_path).close()  # reopening applies nothing twice


def test_migration_numbers_are_unique_and_ordered() -> None:
    numbers = [number for number, _, _ in MIGRATIONS]
    assert numbers == sorted(set(numbers))


def test_extraction_round_trips_with_exact_offsets(db_path: Path) -> None:
    article = parse_article(TEXT.encode(), name="a.txt")
    with Store(db_path) as store:
        run_id = store.start_run(INFO)
        invented = Rejection(
            "quote",
            {"text": "we shall win"},
            Reason.not_in_text,
            "quotes[1].text is not in the article",
        )
        store.save_extraction(run_id, article, *_output(), [invented], latency_ms=5.0)
        rows = store.query(
            "SELECT d.text, q.text, q.char_start, q.char_end FROM quotes q "
            "JOIN documents d ON d.id = q.document_id"
        )
        ((doc_text, quote, start, end),) = rows
        assert doc_text[start:end] == quote == "we will win"
        assert store.query("SELECT actors FROM events") == [(["Ana Lima"],)]
        assert store.query("SELECT prompt_tokens, outcome FROM llm_calls") == [(10, "ok")]
        assert store.query("SELECT status, dropped FROM run_documents") == [("ok", 1)]
        assert store.query("SELECT kind, item ->> 'text', reason, drops_item FROM rejections") == [
            ("quote", "we shall win", "not_in_text", True)
        ]


def test_same_text_twice_is_one_document_and_rerun_supersedes(db_path: Path) -> None:
    article = parse_article(TEXT.encode(), name="a.txt")
    with Store(db_path) as store:
        for _ in range(2):
            run_id = store.start_run(INFO)
            store.save_extraction(run_id, article, *_output(), latency_ms=1.0)
        assert store.query("SELECT count(*) FROM documents") == [(1,)]
        assert store.query("SELECT count(*) FROM quotes") == [(1,)]
        other = RunInfo(
            engine="other", model=None, prompt_version=None, prompt_hash=None, parameters={}
        )
        store.save_extraction(store.start_run(other), article, *_output(), latency_ms=1.0)
        assert store.query("SELECT count(*) FROM quotes") == [(2,)]


def test_ungrounded_item_is_refused_and_nothing_is_half_written(db_path: Path) -> None:
    article = parse_article(TEXT.encode(), name="a.txt")
    bad, calls = _output()
    quote = bad.quotes[0]
    bad.quotes.append(quote.model_copy(update={"char_start": 0, "char_end": 11}))
    with Store(db_path) as store:
        run_id = store.start_run(INFO)
        with pytest.raises(ExtractorError, match="not grounded"):
            store.save_extraction(run_id, article, bad, calls, latency_ms=1.0)
        for table in ("documents", "quotes", "claims", "events", "llm_calls"):
            assert store.query(f"SELECT count(*) FROM {table}") == [(0,)]


def test_crash_inside_the_transaction_rolls_back_everything(db_path: Path) -> None:
    article = parse_article(TEXT.encode(), name="a.txt")
    extraction, calls = _output()
    calls.append("not a call record")  # type: ignore[arg-type]  # fails mid-write
    with Store(db_path) as store:
        run_id = store.start_run(INFO)
        with pytest.raises(AttributeError):
            store.save_extraction(run_id, article, extraction, calls, latency_ms=1.0)
        for table in ("documents", "quotes", "claims", "events", "llm_calls", "run_documents"):
            assert store.query(f"SELECT count(*) FROM {table}") == [(0,)]


def test_failure_is_recorded_with_its_error(db_path: Path) -> None:
    with Store(db_path) as store:
        run_id = store.start_run(INFO)
        store.save_failure(run_id, "bad.bin", "bad.bin: looks like a binary file, not text")
        assert store.query("SELECT path, status, error FROM run_documents") == [
            ("bad.bin", "failed", "bad.bin: looks like a binary file, not text")
        ]


@pytest.mark.parametrize(
    "sql",
    [
        "delete from quotes",
        "drop table quotes",
        "insert into runs values (1)",
        "update documents set text = ''",
        "copy quotes to 'x.csv'",
        "attach 'x.db'",
        "select 1; delete from quotes",
        "pragma enable_profiling",
        "create table t (a int)",
        "explain analyze delete from quotes",
        "EXPLAIN   ANALYSE update documents set text = ''",
    ],
)
def test_write_statements_are_refused(sql: str) -> None:
    with pytest.raises(InputError, match="refused"):
        check_read_only(sql)


def test_read_only_sql_runs_selects_and_cannot_touch_files(db_path: Path) -> None:
    Store(db_path).close()
    db = connect(db_path, read_only=True)
    assert run_read_only(db, "select count(*) as n from quotes").rows == [(0,)]
    with pytest.raises(InputError, match="disabled"):
        run_read_only(db, "select * from read_csv('/etc/hostname')")
    db.close()


def test_stored_extraction_loads_back_identical(db_path: Path) -> None:
    article = parse_article(TEXT.encode(), name="a.txt")
    with Store(db_path) as store:
        run_id = store.start_run(INFO)
        store.save_extraction(run_id, article, *_output(), latency_ms=1.0)
        assert store.load_extraction(run_id, article.id) == _output()[0]
        assert store.load_extraction("other-run", article.id) == DocumentExtraction()


def test_a_database_another_process_writes_is_one_busy_line(db_path: Path) -> None:
    import subprocess
    import sys

    Store(db_path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,sys,time; c=duckdb.connect({str(db_path)!r}); "
         "print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ExtractorError) as caught:
            connect(db_path, read_only=True, wait_s=0.3)
        assert str(caught.value) == (
            f"{db_path}: database is busy (held by pid {holder.pid}); "
            "try again when that process finishes"
        )
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize(
    "values",
    [
        ["a", None, "b"], [1, 2, None], [1.5, None], [True, False], [None, None], [],
        [1, 2.5], [True, 1], [[1, 2], None], ["x", 1],
        [__import__("datetime").datetime(2024, 5, 1, 12, 0)],
    ],
)  # fmt: skip
def test_rows_become_the_arrow_columns_pyarrow_infers(values: list[object]) -> None:
    import pyarrow as pa

    from extractor.store.arrow import arrow_array

    try:
        inferred = pa.array(values)
    except pa.ArrowException as exc:  # values pyarrow refuses are refused alike
        with pytest.raises(type(exc)):
            arrow_array(values)
        return
    column = arrow_array(values)
    assert column.type == inferred.type
    assert column.to_pylist() == inferred.to_pylist()
