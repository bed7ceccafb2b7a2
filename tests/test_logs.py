"""The call log: every model call's messages and answer stored with its `llm_calls` row
(never a key or token), and `extractor logs` to read them."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from extractor.cli import main
from tests.conftest import SEED
from tests.fake_openai_http import FakeOpenAIServer

KEY = "sk-test-do-not-store-0123456789"
ANSWER = {
    "quotes": [{"text": "Their intentions are clear and aggressive.", "speaker": "Dan Caine"}],
    "claims": [],
    "events": [],
}


def _extract(db_path: Path, tmp_path: Path, base_url: str, *extra: str) -> int:
    return main(["extract", str(SEED), "--engine", "llm", "--base-url", base_url,
                 "--model", "fake", "--db", str(db_path),
                 "--cache-dir", str(tmp_path / "cache"), *extra])  # fmt: skip


@pytest.fixture
def logged(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with FakeOpenAIServer(ANSWER) as server:
        assert _extract(db_path, tmp_path, server.base_url) == 0
    # --force: extracted again (not skipped as done), every answer from the cache
    assert _extract(db_path, tmp_path, "http://127.0.0.1:9/v1", "--force") == 0
    return db_path


def test_logs_finds_the_seed_call_with_its_prompt_and_answer(
    logged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["logs", "-q", "caine", "--db", str(logged)]) == 0
    out = capsys.readouterr().out
    assert (
        sum(line.startswith("## ") for line in out.splitlines()) == 2
    )  # the call, then its cached answer in the second run
    assert "### system" in out and "### user" in out and "### response" in out
    assert "said General Dan Caine" in out  # the article, in the prompt
    assert '"Their intentions are clear and aggressive."' in out  # the answer
    assert "**ok**" in out and "**cached**" in out
    assert main(["logs", "-q", "no such words anywhere", "--db", str(logged)]) == 0
    assert capsys.readouterr().out == ""


def test_logs_json_and_filters(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = duckdb.connect(str(logged), read_only=True)
    first_run, document = db.execute(
        "SELECT run_id, document_id FROM llm_calls WHERE outcome = 'ok'"
    ).fetchone() or ("", "")
    db.close()
    capsys.readouterr()
    assert main(["logs", "--json", "--run", first_run[:6], "--db", str(logged)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    call = json.loads(line)
    assert call["run_id"] == first_run and call["document_id"] == document
    assert call["outcome"] == "ok" and call["prompt_tokens"] == 100
    assert [m["role"] for m in call["messages"]][:2] == ["system", "user"]
    assert json.loads(call["response"])["quotes"][0]["speaker"] == "Dan Caine"
    assert main(["logs", "--json", "--document", document[:4], "-n", "5", "--db", str(logged)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["logs", "--run", "zzzz", "--db", str(logged)]) == 1
    assert "no run 'zzzz'" in capsys.readouterr().err


def test_no_key_or_token_is_in_the_database(logged: Path) -> None:
    db = duckdb.connect(str(logged), read_only=True)
    for (table,) in db.execute("SHOW TABLES").fetchall():
        for row in db.execute(f"SELECT * FROM {table}").fetchall():
            text = " ".join(map(str, row))
            assert KEY not in text and "Bearer" not in text, table
    db.close()


def test_runs_shows_what_1000_articles_cost_by_the_price_table(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeOpenAIServer(ANSWER) as server:  # 100 tokens in, 20 out per call
        args = ["--base-url", server.base_url, "--model", "gpt-4o-mini", "--no-cache"]
        assert main(["extract", str(SEED), "--engine", "llm", "--db", str(db_path), *args]) == 0
    capsys.readouterr()
    assert main(["runs", "--json", "--db", str(db_path)]) == 0
    (run,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    per_call = (100 * 0.15 + 20 * 0.60) / 1_000_000  # gpt-4o-mini in the price table
    assert run["cost_usd"] == pytest.approx(per_call)
    assert run["cost_per_1000_documents"] == pytest.approx(per_call * 1000)
