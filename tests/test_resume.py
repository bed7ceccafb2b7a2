"""A re-run of the same command resumes: what this configuration stored `ok` is skipped
(read for its id, not extracted), failed and missing documents are extracted; `--force`
extracts everything again. Piped, each document is one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.cli import main
from tests.conftest import ARTICLES, query_rows


def _extract(db: Path, *args: str) -> int:
    return main(["extract", *args, "--engine", "rules", "--db", str(db)])


def test_rerun_skips_stored_documents_and_extracts_the_missing_one(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for article in ARTICLES[:3]:
        shutil.copy(article, folder)
    assert _extract(db_path, str(folder)) == 0
    first = capsys.readouterr()
    assert [line.split("\t")[0] for line in first.out.splitlines()] == ["ok"] * 3
    shutil.copy(ARTICLES[3], folder)  # one more: the re-run extracts it only

    assert _extract(db_path, str(folder)) == 0
    second = capsys.readouterr()
    statuses = sorted(line.split("\t")[0] for line in second.out.splitlines())
    assert statuses == ["ok", "skipped", "skipped", "skipped"]
    assert "1 stored (0 partial), 3 skipped" in second.err
    runs = query_rows(db_path, "SELECT status, skipped FROM runs ORDER BY started_at")
    assert runs == [("done", 0), ("done", 3)]
    # every document once, with the items of the run that extracted it
    per_doc = query_rows(
        db_path, "SELECT document_id, count(DISTINCT run_id) FROM quotes GROUP BY 1"
    )
    assert len(per_doc) == 4 and all(n == 1 for _, n in per_doc)
    assert _consistent(db_path)

    assert _extract(db_path, str(folder), "--force") == 0
    forced = capsys.readouterr()
    assert sorted(line.split("\t")[0] for line in forced.out.splitlines()) == ["ok"] * 4
    assert query_rows(db_path, "SELECT count(DISTINCT run_id) FROM quotes") == [(1,)]
    assert _consistent(db_path)


def _consistent(db: Path) -> bool:
    """The counts of the rows not superseded are the stored items, run by run."""
    counted = query_rows(
        db,
        """SELECT run_id, sum(quotes) FROM run_documents WHERE superseded_by IS NULL
           AND status != 'failed' GROUP BY 1 HAVING sum(quotes) > 0 ORDER BY 1""",
    )
    stored = query_rows(db, "SELECT run_id, count(*) FROM quotes GROUP BY 1 ORDER BY 1")
    return counted == stored
