"""The command line, end to end on real fixture articles with the rules engine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from extractor.cli import main
from extractor.schemas import KINDS
from tests.conftest import ARTICLES, SEED, query_rows


def _extract(db: Path, *paths: str, extra: tuple[str, ...] = ()) -> int:
    return main(["extract", *paths, "--engine", "rules", "--db", str(db), *extra])


def test_seed_article_quotes_land_in_duckdb_grounded(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _extract(db_path, str(SEED), extra=("--show",)) == 0
    out = capsys.readouterr().out
    assert "Dan Caine" in out and "We’re charting a shared path forward" in out
    assert main(["sql", "select speaker, text from quotes", "--db", str(db_path), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    speakers = {row["speaker"] for row in rows}
    assert speakers == {"Dan Caine"}
    assert any(row["text"].startswith("We’re charting a shared path forward") for row in rows)
    assert any(row["text"].startswith("Their intentions are clear and aggressive.") for row in rows)


def test_every_stored_span_is_its_document_slice(db_path: Path) -> None:
    assert _extract(db_path, *map(str, ARTICLES)) == 0
    for table in KINDS:
        rows = query_rows(
            db_path,
            f"select d.text, t.text, t.char_start, t.char_end from {table} t "
            "join documents d on d.id = t.document_id",
        )
        assert rows, f"no {table} at all on {len(ARTICLES)} articles"
        for text, span, start, end in rows:
            assert text[start:end] == span


def test_same_file_twice_is_one_document(db_path: Path) -> None:
    assert _extract(db_path, str(SEED)) == 0
    first = query_rows(db_path, "select count(*) from quotes")
    assert _extract(db_path, str(SEED)) == 0
    assert query_rows(db_path, "select count(*) from documents") == [(1,)]
    assert query_rows(db_path, "select count(*) from quotes") == first
    assert query_rows(db_path, "select count(*) from runs") == [(2,)]


def test_folder_with_bad_files_stores_the_good_and_names_the_bad(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEED, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    assert _extract(db_path, str(folder)) == 1
    err = capsys.readouterr().err
    assert "empty.txt: empty article" in err
    assert "image.txt: looks like a binary file" in err
    assert "Traceback" not in err
    assert query_rows(db_path, "select count(*) from documents") == [(1,)]
    failed = query_rows(db_path, "select path, error from run_documents where status = 'failed'")
    assert sorted(Path(p).name for p, _ in failed) == ["empty.txt", "image.txt"]


def test_stdin_and_json_output(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import sys

    text = "“We will not stop,” said Maria Silva, the union leader. Talks began on Monday."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert _extract(db_path, "-", extra=("--json",)) == 0
    (line,) = capsys.readouterr().out.splitlines()
    data = json.loads(line)
    assert data["status"] == "ok"
    (quote,) = data["quotes"]
    assert quote["speaker"] == "Maria Silva"
    assert text[quote["char_start"] : quote["char_end"]] == quote["text"] == "We will not stop"


def test_write_sql_is_refused_and_deletes_nothing(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _extract(db_path, str(SEED)) == 0
    capsys.readouterr()
    before = query_rows(db_path, "select count(*) from quotes")
    assert main(["sql", "delete from quotes", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "extractor: error: refused: DELETE statements are not allowed (read-only SQL)"
    )
    assert query_rows(db_path, "select count(*) from quotes") == before


def test_missing_database_and_bad_paths_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sql", "select 1", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no such database" in capsys.readouterr().err
    assert _extract(tmp_path / "x.duckdb", str(tmp_path / "missing.txt")) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file or folder" in err


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".csv"])
def test_export_writes_each_format(db_path: Path, tmp_path: Path, suffix: str) -> None:
    assert _extract(db_path, str(SEED)) == 0
    out = tmp_path / f"events{suffix}"
    assert main(["export", "events", "--out", str(out), "--db", str(db_path)]) == 0
    count = query_rows(db_path, "select count(*) from events")[0][0]
    con = duckdb.connect()
    reader = {".parquet": "read_parquet", ".jsonl": "read_json_auto", ".csv": "read_csv_auto"}
    assert con.execute(f"select count(*) from {reader[suffix]}('{out}')").fetchone() == (count,)


def test_export_refuses_a_write_query(db_path: Path, tmp_path: Path) -> None:
    assert _extract(db_path, str(SEED)) == 0
    code = main(
        [
            "export",
            "--query",
            "drop table quotes",
            "--out",
            str(tmp_path / "x.csv"),
            "--db",
            str(db_path),
        ]
    )
    assert code == 1
    assert query_rows(db_path, "select count(*) from quotes")[0][0] > 0


def test_runs_lists_documents_failures_and_tokens(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert _extract(db_path, str(SEED), str(tmp_path / "empty.txt")) == 1
    capsys.readouterr()
    assert main(["runs", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    (run_id,) = query_rows(db_path, "select id from runs")[0]
    row = next(line for line in out.splitlines() if run_id in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells[1] == "rules" and cells[6:9] == ["1", "0", "1"]  # stored, partial, failed
