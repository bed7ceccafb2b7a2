"""Stopping a batch: SIGTERM (as Ctrl-C) stops it within 2 s even while model requests
hang, after writing what was extracted, and says what was stored; a batch killed with
SIGKILL leaves its run `running` until the next command closes it `interrupted`, and
that command resumes: no model call for what was stored, nothing missing or twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.fake_openai_http import FakeOpenAIServer

ROOT = Path(__file__).resolve().parent.parent
ANSWER: dict[str, Any] = {"quotes": [], "claims": [], "events": []}


def _articles(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(f"Article {i}. “Prices rise,” said Ana Lima.\n")
    return folder


def _extract(folder: Path, db: Path, server: FakeOpenAIServer, cache: Path) -> list[str]:
    return [
        sys.executable, "-m", "extractor", "extract", str(folder), "--engine", "llm",
        "--base-url", server.base_url, "--model", "fake", "--db", str(db),
        "--cache-dir", str(cache), "--concurrency", "4", "--max-retries", "0",
    ]  # fmt: skip


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_sigterm_stops_a_batch_with_hung_requests_within_two_seconds(tmp_path: Path) -> None:
    answered = threading.Semaphore(6)  # six answers, then every request hangs

    def answer(body: dict[str, Any]) -> dict[str, Any]:
        if not answered.acquire(blocking=False):
            time.sleep(60)
        return ANSWER

    db = tmp_path / "x.duckdb"
    with FakeOpenAIServer(answer) as server:
        folder = _articles(tmp_path / "in", 40)
        proc = subprocess.Popen(
            _extract(folder, db, server, tmp_path / "cache"), env=_env(), text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        while len(server.requests) < 10:  # six answered, four hanging
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        time.sleep(0.5)  # the answered ones are queued for the writer by now
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    assert proc.returncode == 130, err
    assert took < 2.0, took
    assert "interrupted: run " in err and ": 6 stored (0 partial)" in err, err
    assert _rows(db, "SELECT status FROM runs") == [("interrupted",)]
    assert _rows(db, "SELECT count(*) FROM run_documents WHERE status = 'ok'") == [(6,)]


@pytest.mark.parametrize("docs", [300])
def test_killed_batch_resumes_without_calls_for_what_was_stored(tmp_path: Path, docs: int) -> None:
    db = tmp_path / "x.duckdb"
    with FakeOpenAIServer(ANSWER) as server:
        folder = _articles(tmp_path / "in", docs)
        command = [*_extract(folder, db, server, tmp_path / "cache"), "--no-cache"]
        proc = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip
        while len(server.requests) < docs // 3:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        proc.kill()
        proc.wait()
        before = len(server.requests)
        stored = _rows(db, "SELECT count(*) FROM run_documents WHERE status = 'ok'")[0][0]
        assert 0 < stored <= before

        again = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert f", {stored} skipped" in again.stderr, again.stderr
        assert len(server.requests) - before == docs - stored  # no call for a stored one
    assert _rows(db, "SELECT status FROM runs ORDER BY started_at") == [
        ("interrupted",),
        ("done",),
    ]
    # every document stored ok exactly once (not superseded), none missing
    rows = _rows(
        db,
        """SELECT count(*), count(DISTINCT document_id) FROM run_documents
           WHERE status = 'ok' AND superseded_by IS NULL""",
    )
    assert rows == [(docs, docs)]
    assert _rows(db, "SELECT count(*) FROM documents") == [(docs,)]
