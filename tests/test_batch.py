"""Batch jobs against a fake server with OpenAI's batch API (/v1/files, /v1/batches):
the JSONL written, submission, status, collection through the live pipeline (the same items
as a live run), partial failures, an expired batch, an endpoint without a batch API, and
the output of a run elsewhere (`vllm run-batch`) ingested with --from-file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extractor.cli import main
from extractor.text.articles import read_article
from tests.conftest import FIXTURES, SEED
from tests.fake_openai_http import FakeOpenAIServer

OTHER = FIXTURES / "articles" / "wikinews" / "airbus-announces-job-cuts-of-10-000.txt"
ANSWER = {
    "quotes": [{"text": "Their intentions are clear and aggressive.", "speaker": "Dan Caine"}],
    "claims": [],
    "events": [],
}
KEY = "sk-batch-test-secret-000111"


def _items(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    db = duckdb.connect(str(db_path), read_only=True)
    items = {
        "quotes": db.execute("SELECT document_id, text, speaker, char_start, char_end "
                             "FROM quotes ORDER BY ALL").fetchall(),
        "claims": db.execute("SELECT document_id, text, claimant, char_start, char_end "
                             "FROM claims ORDER BY ALL").fetchall(),
        "events": db.execute("SELECT document_id, event_type, char_start, char_end, actors "
                             "FROM events ORDER BY ALL").fetchall(),
    }  # fmt: skip
    db.close()
    return items


def _statuses(db_path: Path) -> list[tuple[Any, ...]]:
    db = duckdb.connect(str(db_path), read_only=True)
    rows = db.execute("SELECT path, status, error FROM run_documents ORDER BY path").fetchall()
    db.close()
    return rows


def _submit(server: FakeOpenAIServer, folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    args = ["--base-url", server.base_url, "--model", "fake", "--batch-dir", str(folder)]
    code = main(["extract", str(SEED), str(OTHER), "--engine", "llm", "--batch", *args])
    err = capsys.readouterr().err
    assert code == 0, err
    match = re.search(r"batch (\w+): (\d+) requests for 2 documents", err)
    assert match and "submitted as batch_1" in err, err
    return match.group(1)


def test_a_collected_batch_stores_what_a_live_run_stores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    live_db, batch_db, folder = tmp_path / "live.duckdb", tmp_path / "batch.duckdb", tmp_path / "b"
    with FakeOpenAIServer(ANSWER) as live:
        assert main(["extract", str(SEED), str(OTHER), "--engine", "llm", "--base-url",
                     live.base_url, "--model", "fake", "--db", str(live_db),
                     "--no-cache"]) == 0  # fmt: skip
    with FakeOpenAIServer(ANSWER, batches=True, polls=2) as server:
        batch_id = _submit(server, folder, capsys)
        assert server.requests == []  # nothing was asked live
        requests = (folder / batch_id / "requests.jsonl").read_text().splitlines()
        line = json.loads(requests[0])
        assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
        assert line["body"]["model"] == "fake" and line["body"]["messages"][0]["role"] == "system"
        assert "response_format" in line["body"]  # json_schema mode, as live
        assert main(["batch", "status", batch_id, "--batch-dir", str(folder)]) == 0
        assert "in_progress, 0 of 0 done" in capsys.readouterr().out
        code = main(["batch", "collect", batch_id, "--batch-dir", str(folder),
                     "--db", str(batch_db)])  # fmt: skip
        assert code == 1 and "is in_progress" in capsys.readouterr().err
        assert main(["batch", "status", batch_id, "--batch-dir", str(folder)]) == 0
        assert f"completed, {len(requests)} of {len(requests)} done" in capsys.readouterr().out
        assert main(["batch", "collect", batch_id, "--batch-dir", str(folder),
                     "--db", str(batch_db)]) == 0  # fmt: skip
    assert _items(batch_db) == _items(live_db)
    assert _items(batch_db)["quotes"]  # not empty: the Caine quotes are there
    assert [status for _, status, _ in _statuses(batch_db)] == ["ok", "ok"]
    manifest = (folder / batch_id / "manifest.json").read_text()
    db = duckdb.connect(str(batch_db), read_only=True)
    logged = db.execute("SELECT count(*) FROM llm_calls WHERE response LIKE '%Caine%'").fetchall()[
        0
    ]
    every = " ".join(str(r) for t in ("llm_calls", "runs") for r in db.sql(f"from {t}").fetchall())
    db.close()
    assert logged == (len(requests),)  # the call log has the batch's answers
    assert KEY not in manifest and KEY not in every


def test_failed_lines_and_an_expired_batch_are_failed_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other_id = read_article(OTHER).id
    for options, error in (({"fail": (other_id,)}, "HTTP 500: the model is overloaded"),
                           ({"expire_after": 1}, "batch_expired")):  # fmt: skip
        db_path, folder = tmp_path / f"{error[:5]}.duckdb", tmp_path / error[:5]
        with FakeOpenAIServer(ANSWER, batches=True, **options) as server:
            batch_id = _submit(server, folder, capsys)
            code = main(["batch", "collect", batch_id, "--batch-dir", str(folder),
                         "--db", str(db_path)])  # fmt: skip
        assert code == 1
        assert "1 stored, 1 failed" in capsys.readouterr().err
        (seed, other) = sorted(_statuses(db_path), key=lambda r: r[0] != str(SEED))
        assert seed[1] == "ok" and other[1] == "failed" and error in other[2], other
        assert (folder / batch_id / "output.jsonl").is_file()


def test_without_a_batch_api_the_file_is_written_and_ingested_from_a_run_elsewhere(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "b"
    with FakeOpenAIServer(ANSWER) as plain:  # chat completions only
        assert main(["extract", str(SEED), "--engine", "llm", "--base-url", plain.base_url,
                     "--model", "m", "--batch", "--batch-dir", str(folder)]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert "has no batch API" in err and "vllm run-batch -i" in err
    (batch_id,) = [p.name for p in folder.iterdir()]
    assert main(["batch", "collect", batch_id, "--batch-dir", str(folder)]) == 2
    assert "--from-file OUTPUT.jsonl" in capsys.readouterr().err
    # What `vllm run-batch -i requests.jsonl -o out.jsonl` writes: one result per line.
    runner = FakeOpenAIServer(ANSWER)
    results = []
    for raw in (folder / batch_id / "requests.jsonl").read_text().splitlines():
        request = json.loads(raw)
        response = {"status_code": 200, "request_id": "r", "body": runner.reply(request["body"])}
        results.append({"id": "x", "custom_id": request["custom_id"], "response": response,
                        "error": None})  # fmt: skip
    out = tmp_path / "out.jsonl"
    out.write_text("".join(json.dumps(r) + "\n" for r in results))
    assert main(["batch", "collect", batch_id, "--batch-dir", str(folder), "--from-file",
                 str(out), "--db", str(db_path)]) == 0  # fmt: skip
    speakers = [q[2] for q in _items(db_path)["quotes"]]
    assert speakers.count("Dan Caine") == 2


def test_batch_needs_a_model_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEED), "--batch", "--batch-dir", str(tmp_path)]) == 2
    assert "--batch needs --engine llm" in capsys.readouterr().err
