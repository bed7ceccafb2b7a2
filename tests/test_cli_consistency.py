"""The command line behaves the same everywhere: one-line errors, `-` for stdout, `--json`
listings, id prefixes, numbers formatted for people and tables that fit 80 columns."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import pytest
from rich.console import Console

from extractor.cli import main
from extractor.commands.runs import COLUMNS
from extractor.render import fitted_table, seconds, significant, whole
from tests.conftest import ARTICLES, SEED


@pytest.fixture
def stored(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["extract", str(SEED), "--engine", "rules", "--db", str(db_path)]) == 0
    capsys.readouterr()
    return db_path


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("extractor: error: ")
    return lines[0]


def test_a_bad_flag_value_is_one_line_with_a_hint_not_the_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["extract", str(SEED), "--engine", "gpt"]) == 2
    line = _one_error_line(capsys)
    assert "invalid choice: 'gpt'" in line and "'rules'" in line
    assert line.endswith("see 'extractor extract --help'")
    assert "usage:" not in line


def test_an_unknown_command_and_a_missing_argument_are_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["extrct"]) == 2
    assert _one_error_line(capsys).endswith("see 'extractor --help'")
    assert main(["eval", "compare", "only-one"]) == 2
    assert _one_error_line(capsys).endswith("see 'extractor eval compare --help'")


def test_eval_compare_has_its_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["eval", "compare", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: extractor eval compare [-h] [--samples SAMPLES] [--html HTML]")
    assert "--gold" not in out


def test_runs_json_is_one_object_per_run(stored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(ARTICLES[1]), "--engine", "rules", "--db", str(stored)]) == 0
    capsys.readouterr()
    assert main(["runs", "--json", "--db", str(stored)]) == 0
    runs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(runs) == 2
    assert {r["engine"] for r in runs} == {"rules"}
    assert [r["documents"] for r in runs] == [1, 1] and runs[0]["failed"] == 0
    assert {"id", "model", "prompt_tokens", "cost_usd", "seconds"} <= set(runs[0])


def test_runs_help_explains_limit(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["runs", "--help"])
    assert "show the N newest runs" in " ".join(capsys.readouterr().out.split())


def test_runs_table_fits_80_columns_without_wrapping_the_model() -> None:
    record = ["0123456789ab", "local", "SmolLM2-135M-Instruct-Q8_0", "extract/v1", "done",
              "2026-12-01 23:09", "1,250", "3", "0", "12,345", "1,234,567", "98,765",
              significant(0.0123456), significant(9.87654), seconds(120123.4)]  # fmt: skip
    table, hidden = fitted_table(COLUMNS, [record], 80)
    screen = io.StringIO()
    Console(width=80, file=screen, color_system=None).print(table)
    lines = screen.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80
    assert len(lines) == 5  # top border, header, rule, ONE row, bottom border
    assert [str(c.header) for c in table.columns][:2] == ["run", "engine"]
    assert {"docs", "partial", "failed"} <= {str(c.header) for c in table.columns}
    assert "prompt" in hidden


def test_numbers_are_formatted_for_people() -> None:
    assert whole(120100) == "120,100"
    assert seconds(120.06) == "120.1" and seconds(1201.25) == "1,201.2"
    assert significant(120100.0) == "120,100"
    assert significant(0.000123456) == "0.0001235"
    assert significant(12.3456) == "12.35"
    assert significant(9.99996) == "10.00"
    assert significant(0.0) == "0"
    for value in (1.201e05, 1e-7, 3.5e12):
        assert "e" not in significant(value)


def test_sql_table_shows_no_scientific_notation(
    stored: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sql", "select 120100.0::double as latency_ms, 1234567 as n", "--db",
                 str(stored)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "120,100" in out and "1,234,567" in out and "e+" not in out


def test_export_to_stdout_csv_and_jsonl(stored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "quotes", "--out", "-", "--format", "csv", "--db", str(stored)]) == 0
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert rows and "speaker" in rows[0] and rows[0]["speaker"] == "Dan Caine"
    assert "rows -> stdout (csv)" in captured.err
    assert main(["export", "quotes", "--out", "-", "--format", "jsonl", "--db", str(stored)]) == 0
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(objects) == len(rows)
    assert not Path("-").exists()


def test_export_to_stdout_needs_a_format_and_refuses_parquet(
    stored: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "quotes", "--out", "-", "--db", str(stored)]) == 2
    assert "say --format" in _one_error_line(capsys)
    assert main(["export", "quotes", "--out", "-", "--format", "parquet", "--db", str(stored)]) == 2
    assert "give --out FILE.parquet" in _one_error_line(capsys)


def test_a_misspelled_table_names_the_tables(
    stored: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sql", "select * from quote", "--db", str(stored)]) == 1
    line = _one_error_line(capsys)
    assert "quote" in line and "tables: " in line and "quotes" in line and "documents" in line
    assert main(["export", "quote", "--out", "-", "--format", "csv", "--db", str(stored)]) == 1
    assert "tables: " in _one_error_line(capsys)
    query = ["export", "--query", "select * from quote", "--out", "-", "--format", "csv"]
    assert main([*query, "--db", str(stored)]) == 1
    assert "tables: " in _one_error_line(capsys)


def test_view_takes_a_unique_id_prefix_and_writes_stdout(
    stored: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sql", "select id from documents", "--json", "--db", str(stored)]) == 0
    (doc_id,) = (json.loads(line)["id"] for line in capsys.readouterr().out.splitlines())
    assert main(["runs", "--json", "--db", str(stored)]) == 0
    run_id = json.loads(capsys.readouterr().out.splitlines()[0])["id"]
    args = ["view", doc_id[:4], "--run-id", run_id[:5], "--out", "-", "--db", str(stored)]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("<!doctype html>") or "<html" in captured.out[:200]
    assert f"document {doc_id}, run {run_id}" in captured.err


def test_unknown_and_ambiguous_ids_are_one_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", *map(str, ARTICLES), "--engine", "rules", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["sql", "select id from documents", "--json", "--db", str(db_path)]) == 0
    ids = sorted(json.loads(line)["id"] for line in capsys.readouterr().out.splitlines())
    assert len(ids) > 16  # so two ids share their first hex digit
    first = next(i[0] for i, j in itertools.pairwise(ids) if i[0] == j[0])
    out = str(tmp_path / "page.html")
    assert main(["view", first, "--out", out, "--db", str(db_path)]) == 1
    line = _one_error_line(capsys)
    assert f"document id '{first}' is ambiguous: " in line
    assert next(i for i in ids if i.startswith(first)) in line
    assert main(["view", "zzzz", "--out", out, "--db", str(db_path)]) == 1
    line = _one_error_line(capsys)
    assert "no document 'zzzz'" in line
    assert 'extractor sql "select id, title from documents"' in line
    assert main(["view", ids[0], "--run-id", "zzzz", "--out", out, "--db", str(db_path)]) == 1
    assert "no run 'zzzz' (ids: `extractor runs`)" in _one_error_line(capsys)
    assert not Path(out).exists()
