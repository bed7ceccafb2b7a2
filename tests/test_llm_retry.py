"""Transport retries under the openai SDK, against a fake server: which faults are retried,
how long each wait is, where the bounds are, and the record of every attempt. Waits are
recorded instead of slept."""

from __future__ import annotations

import time
from email.utils import formatdate
from pathlib import Path

import httpx
import pytest

from extractor.engines.llm import LLMEngine
from extractor.errors import ProviderError
from extractor.pipeline import extract_article
from extractor.records import Recorder
from extractor.settings import EngineSettings
from extractor.text.articles import Article
from tests.fake_llm import FakeServer, completion

TEXT = "“We will not stop,” said Maria Silva, the union leader."
GOOD = {"quotes": [{"text": "We will not stop", "speaker": "Maria Silva"}]}


def _engine(
    tmp_path: Path, server: FakeServer, waits: list[float], max_retries: int = 4
) -> LLMEngine:
    settings = EngineSettings(engine="llm", base_url="http://fake.test/v1", model="fake-model",
                        use_candidates=False, use_cache=False, cache_dir=tmp_path,
                        max_retries=max_retries, max_retry_wait_s=30.0)  # fmt: skip
    engine = LLMEngine(settings, transport=server)
    engine.client.transport.sleep = waits.append
    return engine


def _provider_error(engine: LLMEngine, match: str) -> ProviderError:
    """The client's error for the article's only chunk. (The engine goes on to the next
    chunk and the pipeline stores the document partial: see tests/test_partial.py.)"""
    messages = engine.prompt.messages(TEXT, None, None)
    with pytest.raises(ProviderError, match=match) as info:
        engine.client.ask(
            messages, TEXT, Recorder(model=engine.model), prompt_hash=engine.prompt.hash,
            parameters=engine.parameters,
        )  # fmt: skip
    return info.value


def _too_many(retry_after: str) -> httpx.Response:
    return httpx.Response(429, headers={"Retry-After": retry_after}, json={"error": "slow"})


def test_429_waits_the_seconds_retry_after_asks_then_succeeds(tmp_path: Path) -> None:
    waits: list[float] = []
    server = FakeServer(_too_many("7"), completion(GOOD))
    output = extract_article(_engine(tmp_path, server, waits), Article(text=TEXT))
    assert waits == [7.0]
    assert [(c.attempt, c.outcome, c.error) for c in output.calls] == [
        (1, "error", "HTTP 429"), (2, "ok", None)
    ]  # fmt: skip
    assert len(output.extraction.quotes) == 1


def test_retry_after_as_an_http_date_is_honoured(tmp_path: Path) -> None:
    waits: list[float] = []
    server = FakeServer(_too_many(formatdate(time.time() + 12, usegmt=True)), completion(GOOD))
    extract_article(_engine(tmp_path, server, waits), Article(text=TEXT))
    assert len(waits) == 1 and 10.0 <= waits[0] <= 12.0


def test_retry_after_ms_takes_precedence(tmp_path: Path) -> None:
    waits: list[float] = []
    slow = httpx.Response(429, headers={"retry-after-ms": "250", "Retry-After": "9"}, json={})
    extract_article(
        _engine(tmp_path, FakeServer(slow, completion(GOOD)), waits), Article(text=TEXT)
    )
    assert waits == [0.25]


def test_a_wait_past_the_total_budget_is_not_started(tmp_path: Path) -> None:
    waits: list[float] = []
    server = FakeServer(_too_many("3600"), completion(GOOD))
    error = _provider_error(_engine(tmp_path, server, waits), match="HTTP 429")
    assert waits == []
    assert [c.error for c in error.calls] == ["HTTP 429"]
    assert len(server.queue) == 1  # the second answer was never asked for


def test_5xx_twice_then_success_backs_off_exponentially_with_jitter(tmp_path: Path) -> None:
    waits: list[float] = []
    server = FakeServer(httpx.Response(500, json={}), httpx.Response(502, json={}),
                        completion(GOOD))  # fmt: skip
    output = extract_article(_engine(tmp_path, server, waits), Article(text=TEXT))
    assert [c.outcome for c in output.calls] == ["error", "error", "ok"]
    assert [c.attempt for c in output.calls] == [1, 2, 3]
    assert 0.5 <= waits[0] <= 1.5 and 1.0 <= waits[1] <= 2.0


def test_the_wait_budget_counts_the_time_slept(tmp_path: Path) -> None:
    waits: list[float] = []
    server = FakeServer(_too_many("20"), _too_many("20"), completion(GOOD))
    _provider_error(_engine(tmp_path, server, waits), match="HTTP 429")
    assert waits == [20.0]  # a second wait of 20 s would make 40 s > the 30 s budget


def test_timeouts_are_named_as_such(tmp_path: Path) -> None:
    server = FakeServer(httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"))
    _provider_error(_engine(tmp_path, server, [], max_retries=1), match="did not answer in time")


def test_5xx_and_timeouts_are_retried_then_give_a_provider_error(tmp_path: Path) -> None:
    waits: list[float] = []
    server = FakeServer(
        httpx.Response(500, json={}), httpx.ReadTimeout("slow"), httpx.Response(503, json={}),
    )  # fmt: skip
    error = _provider_error(_engine(tmp_path, server, waits, max_retries=2), match="HTTP 503")
    assert [c.error for c in error.calls] == ["HTTP 500", "ReadTimeout: slow", "HTTP 503"]
    assert len(waits) == 2
    assert "\n" not in str(error)


def test_unreachable_endpoint_is_one_clear_error(tmp_path: Path) -> None:
    server = FakeServer(*[httpx.ConnectError("refused")] * 3)
    error = _provider_error(
        _engine(tmp_path, server, [], max_retries=2), match="unreachable after retries"
    )
    assert [c.outcome for c in error.calls] == ["error"] * 3
    assert isinstance(error.__cause__, Exception)  # chained from the SDK's error


def test_client_errors_are_not_retried_and_the_key_is_not_echoed(tmp_path: Path) -> None:
    waits: list[float] = []
    server = FakeServer(httpx.Response(401, json={"error": {"message": "bad key"}}))
    settings = EngineSettings(engine="llm", base_url="http://fake.test/v1", model="m",
                        api_key="sk-live-abcdef0123456789", use_cache=False,
                        cache_dir=tmp_path)  # fmt: skip
    engine = LLMEngine(settings, transport=server)
    engine.client.transport.sleep = waits.append
    error = _provider_error(engine, match="refused the API key")
    assert waits == [] and len(error.calls) == 1
    assert "sk-live" not in str(error) + repr(error.calls)
