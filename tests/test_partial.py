"""A model failure never loses what the deterministic engine found: a document whose model
part fails is stored `partial` with the rules engine's items (and the answered chunks'),
a re-run upgrades it, and the run's budget stops calling a dead endpoint. Fake endpoints
only, no sleeping (`max_retries=0`, the transport's sleep recorded)."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from pathlib import Path
from threading import Lock

import duckdb
import httpx
import pytest
from fastapi.testclient import TestClient

from extractor.cli import main
from extractor.engines.llm import LLMEngine
from extractor.engines.rules import RulesEngine
from extractor.errors import ConfigError
from extractor.pipeline import Source, extract_article, run_batch
from extractor.records import ModelBudget
from extractor.service import create_app
from extractor.settings import EngineSettings, StoreSettings, engine_from
from extractor.store import Store
from extractor.text.articles import Article
from tests.conftest import ARTICLES, FIXTURES
from tests.fake_llm import FakeServer, completion

TEXT = "“We will not stop,” said Maria Silva, the union leader."
#: Three sentences, one chunk each with chunk_chars=60, overlap 0.
LONG = (
    "“We will not stop,” said Maria Silva, the union leader.\n"
    "“Pay must rise this year,” said Joao Costa, a driver.\n"
    "“The talks go on,” said Ana Reis, the minister."
)
SETTINGS = EngineSettings(
    engine="llm", base_url="http://fake.test/v1", model="fake-model", use_candidates=True,
    use_cache=False, max_retries=0, max_retry_wait_s=5.0,
)  # fmt: skip


def _engine(tmp_path: Path, server: httpx.BaseTransport, **changes: object) -> LLMEngine:
    settings = replace(SETTINGS, cache_dir=tmp_path / "cache", **changes)  # type: ignore[arg-type]
    engine = LLMEngine(settings, transport=server)
    engine.client.transport.sleep = lambda seconds: None  # never sleeps
    return engine


def _quote(text: str, speaker: str) -> dict[str, object]:
    return {"quotes": [{"text": text, "speaker": speaker}], "claims": [], "events": []}


class Down(httpx.BaseTransport):
    """An endpoint that never answers (a timeout or a refused connection), counting the
    requests it got; `up` makes it answer `answer` instead."""

    def __init__(self, error: Exception | None = None, answer: dict[str, object] | None = None):
        self.error = error or httpx.ReadTimeout("timed out")
        self.answer = answer or {"quotes": [], "claims": [], "events": []}
        self.up = False
        self.requests = 0
        self._lock = Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests += 1
        if not self.up:
            raise self.error
        return completion(self.answer)


def _rows(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _source(name: str, text: str) -> Source:
    return Source(name, lambda: Article(text=text, path=name))


def _quotes(db: Path, run_id: str) -> list[tuple[object, ...]]:
    return _rows(
        db,
        "SELECT document_id, text, speaker, char_start, char_end FROM quotes WHERE run_id = ? "
        "ORDER BY ALL",
        [run_id],
    )


def test_only_chunk_times_out_document_is_partial_with_the_rules_quotes(
    tmp_path: Path, db_path: Path
) -> None:
    server = Down(httpx.ReadTimeout("timed out"))
    with Store(db_path) as store:
        llm = run_batch([_source("a", TEXT)], _engine(tmp_path, server), store)
        rules = run_batch([_source("a", TEXT)], RulesEngine(), store)
    (outcome,) = llm.outcomes
    assert outcome.ok and outcome.partial and outcome.status == "partial"
    assert "did not answer in time" in (outcome.model_error or "")
    assert llm.failed == [] and llm.partial == [outcome]
    quotes = _quotes(db_path, llm.run_id)
    assert quotes and quotes == _quotes(db_path, rules.run_id)  # identical to --engine rules
    ((status, error, model_error, failed_chunks, stored),) = _rows(
        db_path,
        "SELECT status, error, model_error, failed_chunks, quotes FROM run_documents "
        "WHERE run_id = ?",
        [llm.run_id],
    )
    assert (status, error, failed_chunks, stored) == ("partial", None, [0], len(quotes))
    assert "did not answer in time" in str(model_error) and "\n" not in str(model_error)
    calls = _rows(db_path, "SELECT outcome, chunk_index FROM llm_calls WHERE run_id = ?",
                  [llm.run_id])  # fmt: skip
    assert calls == [("error", 0)]  # the failed attempt is on record


def test_one_failing_chunk_of_three_keeps_the_other_chunks_items(tmp_path: Path) -> None:
    server = FakeServer(
        completion(_quote("We will not stop", "Maria Silva")),
        httpx.ConnectError("refused"),
        completion(_quote("The talks go on", "Ana Reis")),
    )
    engine = _engine(tmp_path, server, use_candidates=False, chunk_chars=60, chunk_overlap=0)
    output = extract_article(engine, Article(text=LONG))
    assert len(server.requests) == 3  # the third chunk was asked after the second failed
    assert output.partial and output.failed_chunks == [1]
    assert "unreachable" in (output.model_error or "")
    assert [q.text for q in output.extraction.quotes] == ["We will not stop", "The talks go on"]


def test_endpoint_down_mid_batch_then_back_rerun_upgrades_to_ok_without_duplicates(
    tmp_path: Path, db_path: Path
) -> None:
    texts = {
        "a": TEXT,
        "b": "“Pay must rise this year,” said Joao Costa, a driver.",
        "c": "“The talks go on,” said Ana Reis, the minister.",
    }
    answers = {
        "a": _quote("We will not stop", "Maria Silva"),
        "b": _quote("Pay must rise this year", "Joao Costa"),
        "c": _quote("The talks go on", "Ana Reis"),
    }

    class Flaky(httpx.BaseTransport):
        """Answers each document by its text; goes down after the first answer."""

        down = False
        answered = 0

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if self.down:
                raise httpx.ConnectError("refused")
            body = json.dumps(json.loads(request.content)["messages"], ensure_ascii=False)
            name = next(n for n, t in texts.items() if t in body)
            self.answered += 1
            self.down = self.answered == 1
            return completion(answers[name])

    server = Flaky()
    sources = [_source(name, text) for name, text in texts.items()]
    engine = _engine(tmp_path, server, use_cache=True)

    with Store(db_path) as store:
        first = run_batch(sources, engine, store)
        server.down = False  # ... and is back before the re-run
        second = run_batch(sources, _engine(tmp_path, server, use_cache=True), store)
    assert [o.status for o in first.outcomes] == ["ok", "partial", "partial"]
    assert [o.status for o in second.outcomes] == ["ok", "ok", "ok"]
    statuses = _rows(db_path, "SELECT run_id, path, status, quotes FROM run_documents "
                              "ORDER BY run_id = ?, path", [second.run_id])  # fmt: skip
    assert [r[2] for r in statuses] == ["ok", "partial", "partial", "ok", "ok", "ok"]
    # Every stored item is the second run's, once: the re-run superseded the first run's.
    per_run = _rows(db_path, "SELECT run_id, count(*) FROM quotes GROUP BY run_id")
    assert per_run == [(second.run_id, 3)]
    assert _rows(db_path, "SELECT count(*) FROM (SELECT DISTINCT document_id, char_start, "
                          "char_end FROM quotes)") == [(3,)]  # fmt: skip
    assert sum(int(r[3]) for r in statuses if r[0] == second.run_id) == 3  # type: ignore[call-overload]


def test_budget_stops_calling_a_dead_endpoint_after_n_failures(
    tmp_path: Path, db_path: Path
) -> None:
    server = Down(httpx.ConnectError("refused"))
    sources = [_source(f"d{n}", f"“Line {n} is long enough,” said Maria Silva.") for n in range(6)]
    with Store(db_path) as store:
        result = run_batch(sources, _engine(tmp_path, server), store, max_model_failures=2)
    assert server.requests == 2  # then no more model calls
    assert [o.status for o in result.outcomes] == ["partial"] * 6
    assert result.budget is not None and result.budget.exhausted
    skipped = [o.model_error for o in result.outcomes[2:]]
    assert all(
        e and e.startswith("model skipped after 2 consecutive failures: model endpoint")
        for e in skipped
    )
    assert all(o.output is not None and o.output.extraction.quotes for o in result.outcomes)
    rows = _rows(db_path, "SELECT count(*) FROM run_documents WHERE status = 'partial'")
    assert rows == [(6,)]


def test_budget_in_a_thread_pool_bounds_the_calls_and_zero_never_stops(
    tmp_path: Path, db_path: Path
) -> None:
    sources = [_source(f"d{n}", f"“Line {n} is long enough,” said Maria Silva.") for n in range(12)]
    server = Down(httpx.ConnectError("refused"))
    with Store(db_path) as store:
        result = run_batch(
            sources, _engine(tmp_path, server), store, concurrency=4, max_model_failures=3
        )
        # at most the failures that spend the budget plus the calls already in flight
        assert 3 <= server.requests <= 3 + 4 - 1
        assert len(result.partial) == 12
        never = Down(httpx.ConnectError("refused"))
        run_batch(sources, _engine(tmp_path, never), store, concurrency=4, max_model_failures=0)
    assert never.requests == 12


def test_a_success_resets_the_count() -> None:
    budget = ModelBudget(2)
    budget.failed("x")
    budget.succeeded()
    budget.failed("y")
    assert budget.skip_reason() is None
    budget.failed("z")
    assert budget.skip_reason() == "model skipped after 2 consecutive failures: z"
    budget.succeeded()
    assert not budget.exhausted
    assert ModelBudget(0).skip_reason() is None


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_cli_exit_code_summary_and_json_for_partial_documents(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wikinews = [p for p in ARTICLES if p.parent.name == "wikinews"][:3]
    args = ["extract", *map(str, wikinews), "--engine", "llm", "--model", "fake",
            "--base-url", f"http://127.0.0.1:{_closed_port()}/v1", "--max-retries", "0",
            "--no-cache", "--db", str(db_path), "--json", "--max-model-failures", "1",
            "--concurrency", "1"]  # fmt: skip
    assert main(args) == 1
    captured = capsys.readouterr()
    objects = [json.loads(line) for line in captured.out.splitlines()]
    assert [o["status"] for o in objects] == ["partial"] * 3
    assert "unreachable" in objects[0]["model_error"] and objects[0]["failed_chunks"] == [0]
    assert objects[1]["model_error"].startswith("model skipped after 1 consecutive failures")
    assert objects[0]["error"] is None
    err = captured.err
    assert "run " in err and ": 3 stored (3 partial), 0 failed -> " in err
    assert err.count("model skipped from here on") == 1
    assert "exit 1: 3 partial" in err
    rules = main(["extract", *map(str, wikinews), "--engine", "rules", "--db", str(db_path)])
    assert rules == 0
    assert ": 3 stored (0 partial), 0 failed" in capsys.readouterr().err
    assert main(["runs", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    rows = [[c.strip() for c in line.split("│") if c.strip()] for line in out.splitlines()]
    llm_row = next(r for r in rows if r[1:2] == ["llm"])
    assert llm_row[6:9] == ["3", "3", "0"]  # docs, partial, failed


def test_service_answers_200_partial_with_the_rules_items(tmp_path: Path, db_path: Path) -> None:
    settings = replace(
        SETTINGS, base_url=f"http://127.0.0.1:{_closed_port()}/v1", cache_dir=tmp_path / "c"
    )
    with TestClient(create_app(settings, StoreSettings(db_path))) as client:
        response = client.post("/v1/extract", json={"text": TEXT})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "partial" and "unreachable" in body["model_error"]
    assert [q["text"] for q in body["quotes"]] == ["We will not stop"]
    assert body["failed_chunks"] == [0]


def test_eval_header_counts_partial_documents_and_scores_the_rules_items(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = FIXTURES / "gold"
    rules_out, llm_out = tmp_path / "rules", tmp_path / "llm"
    common = ["--gold", str(gold), "--db", str(db_path)]
    assert main(["eval", *common, "--engine", "rules", "--out", str(rules_out)]) == 0
    capsys.readouterr()
    args = ["eval", *common, "--engine", "llm", "--model", "fake", "--base-url",
            f"http://127.0.0.1:{_closed_port()}/v1", "--max-retries", "0", "--no-cache",
            "--out", str(llm_out)]  # fmt: skip
    assert main(args) == 0
    printed = capsys.readouterr().out
    metrics = json.loads((llm_out / "metrics.json").read_text())
    header = metrics["header"]
    assert header["partial_documents"] == header["documents"] and header["failed_documents"] == []
    assert f"{header['documents']} partial (model failed)" in " ".join(printed.split())
    rules = json.loads((rules_out / "metrics.json").read_text())
    assert rules["header"]["partial_documents"] == 0
    assert metrics["quotes"]["lenient"] == rules["quotes"]["lenient"]  # nothing lost
    run_id = header["run_id"]
    stored = ["eval", *common, "--run-id", run_id, "--out", str(tmp_path / "stored")]
    assert main(stored) == 0
    again = json.loads((tmp_path / "stored" / "metrics.json").read_text())["header"]
    assert again["partial_documents"] == header["documents"]


def test_a_spent_budget_still_serves_cached_answers(tmp_path: Path, db_path: Path) -> None:
    cached = _source("a", TEXT)
    up = FakeServer(completion(_quote("We will not stop", "Maria Silva")))
    down = Down(httpx.ConnectError("refused"))
    others = [_source(f"d{n}", f"“Line {n} is long enough,” said Ana Reis.") for n in range(2)]
    with Store(db_path) as store:
        run_batch([cached], _engine(tmp_path, up, use_cache=True), store)
        result = run_batch(
            [*others, cached], _engine(tmp_path, down, use_cache=True), store,
            max_model_failures=2,
        )  # fmt: skip
    assert down.requests == 2
    assert [o.status for o in result.outcomes] == ["partial", "partial", "ok"]
    assert result.budget is not None and result.budget.exhausted


def test_max_model_failures_from_flag_env_and_its_bounds() -> None:
    assert engine_from({}, {}).max_model_failures == 3
    assert engine_from({}, {"EXTRACTOR_MAX_MODEL_FAILURES": "5"}).max_model_failures == 5
    flags = {"max_model_failures": 0}
    assert engine_from(flags, {"EXTRACTOR_MAX_MODEL_FAILURES": "5"}).max_model_failures == 0
    with pytest.raises(ConfigError, match="--max-model-failures cannot be negative"):
        engine_from({"max_model_failures": -1}, {})
