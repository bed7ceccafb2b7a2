"""The llm engine through the real SDK + instructor path, against a fake server."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from extractor.articles import Article
from extractor.engines.llm import LLMEngine, LLMProviderError
from extractor.errors import ConfigError
from extractor.settings import Settings
from tests.fake_llm import FakeServer, completion

TEXT = (
    "“We will not stop,” said Maria Silva, the union leader.\n"
    "Workers met managers in Lisbon on Monday to discuss pay."
)
GOOD = {
    "quotes": [{"text": "We will not stop", "speaker": "Maria Silva"}],
    "claims": [],
    "events": [{"sentence": "Workers met managers in Lisbon on Monday to discuss pay.",
                "event_type": "meeting", "actors": ["Workers"], "location": "Lisbon",
                "time": "Monday"}],
}  # fmt: skip
INVENTED = {"quotes": [{"text": "We will never give up", "speaker": "Maria Silva"}]}


def _engine(tmp_path: Path, server: FakeServer, **changes: object) -> LLMEngine:
    settings = Settings(
        engine="llm", base_url="http://fake.test/v1", model="fake-model", use_candidates=False,
        cache_dir=tmp_path / "cache", max_retry_wait_s=5.0,
    ).with_overrides(**changes)  # fmt: skip
    return LLMEngine(settings, transport=server)


def test_grounded_answer_is_stored_with_offsets_from_the_text(tmp_path: Path) -> None:
    server = FakeServer(completion(GOOD, prompt=120, completion=30))
    output = _engine(tmp_path, server).extract(Article(text=TEXT))
    (quote,) = output.extraction.quotes
    assert TEXT[quote.char_start : quote.char_end] == quote.text == "We will not stop"
    assert quote.speaker == "Maria Silva"
    (event,) = output.extraction.events
    assert event.text == "Workers met managers in Lisbon on Monday to discuss pay."
    assert TEXT[event.char_start : event.char_end] == event.text
    assert [(c.attempt, c.outcome, c.prompt_tokens, c.completion_tokens) for c in output.calls] == [
        (1, "ok", 120, 30)
    ]
    assert output.dropped == 0


def test_invented_span_is_re_asked_with_the_error_then_accepted(tmp_path: Path) -> None:
    server = FakeServer(completion(INVENTED), completion(GOOD))
    output = _engine(tmp_path, server, max_reasks=2).extract(Article(text=TEXT))
    assert [q.text for q in output.extraction.quotes] == ["We will not stop"]
    assert [c.outcome for c in output.calls] == ["reask", "ok"]
    reask_messages = server.requests[1]["messages"]
    assert "We will never give up" in reask_messages[-1]["content"]
    assert "is not in the article" in reask_messages[-1]["content"]


def test_still_invented_after_the_last_attempt_is_dropped_and_counted(tmp_path: Path) -> None:
    server = FakeServer(completion(INVENTED), completion(INVENTED))
    output = _engine(tmp_path, server, max_reasks=1).extract(Article(text=TEXT))
    assert output.extraction.quotes == []
    assert output.dropped == 1
    assert len(server.requests) == 2  # max_reasks=1: one answer and one re-ask, no more
    assert len(output.calls) == 2


def test_429_with_retry_after_then_success(tmp_path: Path) -> None:
    server = FakeServer(
        httpx.Response(429, headers={"Retry-After": "0"}, json={"error": "slow down"}),
        completion(GOOD),
    )
    output = _engine(tmp_path, server).extract(Article(text=TEXT))
    assert [(c.attempt, c.outcome, c.error) for c in output.calls] == [
        (1, "error", "HTTP 429"), (2, "ok", None)
    ]  # fmt: skip
    assert len(output.extraction.quotes) == 1


def test_5xx_and_timeouts_are_retried_then_give_a_provider_error(tmp_path: Path) -> None:
    server = FakeServer(
        httpx.Response(500, json={}), httpx.ReadTimeout("slow"), httpx.Response(503, json={}),
    )  # fmt: skip
    engine = _engine(tmp_path, server, max_retries=2)
    with pytest.raises(LLMProviderError, match="HTTP 503") as info:
        engine.extract(Article(text=TEXT))
    assert [c.error for c in info.value.calls] == ["HTTP 500", "ReadTimeout: slow", "HTTP 503"]
    assert "\n" not in str(info.value)


def test_unreachable_endpoint_is_one_clear_error(tmp_path: Path) -> None:
    server = FakeServer(*[httpx.ConnectError("refused")] * 3)
    with pytest.raises(LLMProviderError, match="unreachable after retries"):
        _engine(tmp_path, server, max_retries=2).extract(Article(text=TEXT))


def test_second_run_is_served_from_the_cache(tmp_path: Path) -> None:
    server = FakeServer(completion(GOOD))
    first = _engine(tmp_path, server).extract(Article(text=TEXT))
    second = _engine(tmp_path, server).extract(Article(text=TEXT))  # queue is empty now
    assert second.extraction == first.extraction
    assert [c.outcome for c in second.calls] == ["cached"]
    bypass = FakeServer(completion(GOOD))
    _engine(tmp_path, bypass, use_cache=False).extract(Article(text=TEXT))
    assert len(bypass.requests) == 1


def test_hosted_endpoint_without_a_key_is_a_config_error(tmp_path: Path) -> None:
    settings = Settings(engine="llm", cache_dir=tmp_path)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        LLMEngine(settings)
