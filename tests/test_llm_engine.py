"""The llm engine through the real SDK + instructor path, against a fake server:
grounding, re-ask, salvage of the last answer, chunks, cache, threads, model choice."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from extractor.engines.llm import LLMEngine
from extractor.errors import ConfigError, InputError
from extractor.llm.local_server import LocalServer
from extractor.llm.responses import MAX_PER_CHUNK
from extractor.pipeline import extract_article
from extractor.records import time_limit
from extractor.settings import DEFAULT_LLM_MODEL, EngineSettings
from extractor.text.articles import Article
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


def _engine(tmp_path: Path, server: httpx.BaseTransport, **changes: object) -> LLMEngine:
    settings = EngineSettings(
        engine="llm", base_url="http://fake.test/v1", model="fake-model", use_candidates=False,
        cache_dir=tmp_path / "cache", max_retry_wait_s=5.0,
    )  # fmt: skip
    return LLMEngine(replace(settings, **changes), transport=server)


def test_grounded_answer_is_stored_with_offsets_from_the_text(tmp_path: Path) -> None:
    server = FakeServer(completion(GOOD, prompt=120, completion=30))
    output = extract_article(_engine(tmp_path, server), Article(text=TEXT))
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
    output = extract_article(_engine(tmp_path, server, max_reasks=2), Article(text=TEXT))
    assert [q.text for q in output.extraction.quotes] == ["We will not stop"]
    assert [c.outcome for c in output.calls] == ["reask", "ok"]
    reask_messages = server.requests[1]["messages"]
    assert "We will never give up" in reask_messages[-1]["content"]
    assert "is not in the article" in reask_messages[-1]["content"]


@pytest.mark.parametrize(
    ("bad", "feedback"),
    [
        ({"events": [{"sentence": "Workers met managers in Lisbon on Monday to discuss pay.",
                      "event_type": "picnic"}]}, "picnic"),
        ({"quotes": [{"text": "We will not stop", "speaker": "John Doe"}]}, "named nowhere"),
        ({"quotes": [{"text": f"quote number {n}"} for n in range(MAX_PER_CHUNK + 1)]},
         f"at most {MAX_PER_CHUNK}"),
    ],
    ids=["unknown-event-type", "speaker-not-in-text", "list-over-its-bound"],
)  # fmt: skip
def test_each_kind_of_invalid_answer_is_fed_back(
    tmp_path: Path, bad: dict[str, object], feedback: str
) -> None:
    server = FakeServer(completion(bad), completion(GOOD))
    output = extract_article(_engine(tmp_path, server, max_reasks=1), Article(text=TEXT))
    assert feedback in server.requests[1]["messages"][-1]["content"]
    assert [c.outcome for c in output.calls] == ["reask", "ok"]
    assert [q.speaker for q in output.extraction.quotes] == ["Maria Silva"]


def test_still_invented_after_the_last_attempt_is_dropped_and_counted(tmp_path: Path) -> None:
    server = FakeServer(completion(INVENTED), completion(INVENTED))
    output = extract_article(_engine(tmp_path, server, max_reasks=1), Article(text=TEXT))
    assert output.extraction.quotes == []
    assert output.dropped == 1
    assert len(server.requests) == 2  # max_reasks=1: one answer and one re-ask, no more
    assert len(output.calls) == 2


def test_last_answer_keeps_its_good_items_and_counts_the_bad_ones(tmp_path: Path) -> None:
    mixed = {
        "quotes": [{"text": "We will not stop", "speaker": "Maria Silva"},
                   {"text": "We will never give up"}],
        "events": [{"sentence": "Workers met managers in Lisbon on Monday to discuss pay.",
                    "event_type": "meeting"},
                   {"sentence": "Workers met managers.", "event_type": "picnic"}],
    }  # fmt: skip
    server = FakeServer(completion(mixed))
    output = extract_article(_engine(tmp_path, server, max_reasks=0), Article(text=TEXT))
    assert [q.text for q in output.extraction.quotes] == ["We will not stop"]
    assert [e.event_type for e in output.extraction.events] == ["meeting"]
    assert output.dropped == 2  # the invented quote and the event of an unknown type
    assert len(server.requests) == 1


def test_truncated_answer_is_not_re_asked_and_its_complete_items_are_kept(
    tmp_path: Path,
) -> None:
    whole = json.dumps({"quotes": [{"text": "We will not stop", "speaker": "Maria Silva"},
                                   {"text": "We will not stop, we"}]})  # fmt: skip
    cut = completion(whole[: whole.rindex("we")], completion=700)
    body = json.loads(cut.content)
    body["choices"][0]["finish_reason"] = "length"
    server = FakeServer(httpx.Response(200, json=body))
    output = extract_article(_engine(tmp_path, server, max_reasks=2), Article(text=TEXT))
    assert [q.text for q in output.extraction.quotes] == ["We will not stop"]
    assert output.dropped == 1  # the item cut in the middle
    assert [(c.outcome, c.completion_tokens) for c in output.calls] == [("truncated", 700)]


def test_long_article_is_chunked_and_a_span_in_the_overlap_is_stored_once(
    tmp_path: Path,
) -> None:
    first = "Café owners in Zürich 😀 gathered on Monday for a long talk about their rents."
    quote = "“Rents must fall now,” said Anna Keller, who leads the owners’ association."
    last = "The city council will discuss the proposal in its spring session next year."
    text = f"{first} {quote} {last}"
    answer = {"quotes": [{"text": "Rents must fall now", "speaker": "Anna Keller"}]}
    server = FakeServer(completion(answer), completion(answer))
    engine = _engine(
        tmp_path, server, chunk_chars=len(first) + len(quote) + 1, chunk_overlap=len(quote) + 1
    )
    output = extract_article(engine, Article(text=text))
    assert len(server.requests) == 2
    assert all(quote in r["messages"][-1]["content"] for r in server.requests)
    (found,) = output.extraction.quotes
    assert text[found.char_start : found.char_end] == found.text == "Rents must fall now"
    assert found.char_start == len(first) + 2
    assert [c.chunk_index for c in output.calls] == [0, 1]


class _SlowServer(FakeServer):
    """A fake server that takes `seconds` to answer each request."""

    def __init__(self, seconds: float, *responses: httpx.Response) -> None:
        super().__init__(*responses)
        self.seconds = seconds

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        time.sleep(self.seconds)
        return super().handle_request(request)


def test_a_request_time_limit_stops_asking_for_the_next_chunks(tmp_path: Path) -> None:
    sentence = "Workers met managers in Lisbon on day {} to discuss pay and hours."
    text = " ".join(sentence.format(n) for n in range(4))  # four chunks, each asked
    server = _SlowServer(0.0, *[completion({"quotes": []}) for _ in range(5)])
    engine = _engine(tmp_path, server, chunk_chars=len(sentence) + 1, chunk_overlap=0)
    output = extract_article(engine, Article(text=text))
    assert len(server.requests) == 4 and not output.failures  # no limit: every chunk
    server.seconds = 1.0
    with time_limit(0.5), pytest.raises(InputError, match=r"time limit of 0\.5 s"):
        extract_article(engine, Article(text=text.replace("Lisbon", "Porto")))
    assert len(server.requests) == 5  # the first chunk's answer came after the limit


def test_rules_quotes_are_kept_and_model_adds_a_speaker_or_new_items(tmp_path: Path) -> None:
    text = "“Prices will rise,” she said on Monday. “We are ready,” said Ana Costa."
    answer = {"quotes": [{"text": "We are ready", "speaker": "Ana Costa"}]}
    server = FakeServer(completion(answer))
    engine = _engine(tmp_path, server, use_candidates=True, prompt="extract/v1")  # v1 hints
    output = extract_article(engine, Article(text=text))
    quotes = [(q.text, q.speaker) for q in output.extraction.quotes]
    assert ("We are ready", "Ana Costa") in quotes
    assert [t for t, _ in quotes].count("We are ready") == 1
    assert "Prices will rise" in [t for t, _ in quotes]  # found by the rules only
    assert "Already found" in server.requests[0]["messages"][-1]["content"]


def test_second_run_is_served_from_the_cache(tmp_path: Path) -> None:
    server = FakeServer(completion(GOOD))
    first = extract_article(_engine(tmp_path, server), Article(text=TEXT))
    second = extract_article(_engine(tmp_path, server), Article(text=TEXT))  # queue is empty now
    assert second.extraction == first.extraction
    assert [(c.outcome, c.latency_ms) for c in second.calls] == [("cached", 0.0)]
    assert second.dropped == first.dropped
    bypass = FakeServer(completion(GOOD))
    extract_article(_engine(tmp_path, bypass, use_cache=False), Article(text=TEXT))
    assert len(bypass.requests) == 1
    changed = FakeServer(completion(GOOD))
    extract_article(_engine(tmp_path, changed, temperature=0.7), Article(text=TEXT))
    assert len(changed.requests) == 1  # other parameters: another cache entry


def test_a_salvaged_answer_is_not_cached_and_the_next_run_asks_again(tmp_path: Path) -> None:
    whole = json.dumps(GOOD)
    cut = completion(whole[: whole.index("Workers met")], completion=700)  # cut by a fault
    body = json.loads(cut.content)
    body["choices"][0]["finish_reason"] = "length"
    mixed = {**GOOD, "quotes": [*GOOD["quotes"], *INVENTED["quotes"]]}
    server = FakeServer(httpx.Response(200, json=body), completion(mixed), completion(GOOD))
    first = extract_article(_engine(tmp_path, server, max_reasks=0), Article(text=TEXT))
    assert first.extraction.events == [] and first.dropped == 1  # salvaged: cut in an item
    second = extract_article(_engine(tmp_path, server, max_reasks=0), Article(text=TEXT))
    assert second.dropped == 1  # salvaged again: the invented quote failed validation
    third = extract_article(_engine(tmp_path, server, max_reasks=0), Article(text=TEXT))
    assert len(server.requests) == 3  # neither salvaged answer was served from the cache
    assert [e.event_type for e in third.extraction.events] == ["meeting"]
    fourth = extract_article(_engine(tmp_path, server, max_reasks=0), Article(text=TEXT))
    assert [c.outcome for c in fourth.calls] == ["cached"]  # the whole, valid one is
    assert fourth.extraction == third.extraction


def test_threads_sharing_one_engine_each_get_their_own_calls(tmp_path: Path) -> None:
    server = FakeServer(*[completion(GOOD, prompt=100 + n) for n in range(8)])
    engine = _engine(tmp_path, server, use_cache=False)
    with ThreadPoolExecutor(max_workers=4) as pool:
        outputs = list(pool.map(lambda _: extract_article(engine, Article(text=TEXT)), range(8)))
    assert [len(o.calls) for o in outputs] == [1] * 8
    assert sorted(o.calls[0].prompt_tokens or 0 for o in outputs) == list(range(100, 108))
    assert all(len(o.extraction.quotes) == 1 for o in outputs)


def test_self_hosted_server_without_a_model_name_uses_the_first_it_serves(
    tmp_path: Path,
) -> None:
    server = FakeServer(completion(GOOD), models=("qwen-7b", "other"))
    engine = _engine(tmp_path, server, model=None)
    assert engine.model == "qwen-7b"
    assert engine.mode.value == "json_schema_mode"
    assert server.requests == []


def test_server_that_cannot_name_its_model_leaves_the_default_name(tmp_path: Path) -> None:
    assert _engine(tmp_path, FakeServer(models=()), model=None).model == DEFAULT_LLM_MODEL
    engine = _engine(tmp_path, _Refused(), model=None, max_retries=0)  # starts all the same
    assert engine.model == DEFAULT_LLM_MODEL
    output = extract_article(engine, Article(text=TEXT))  # partial: the model failed
    assert output.partial and "unreachable after retries" in (output.model_error or "")
    assert "\n" not in (output.model_error or "")  # the failure is the document's, one line


class _Refused(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")


def test_hosted_endpoint_without_a_key_is_a_config_error(tmp_path: Path) -> None:
    settings = EngineSettings(engine="llm", cache_dir=tmp_path)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        LLMEngine(settings)


def test_unknown_mode_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown mode 'xml'.*json_schema"):
        _engine(tmp_path, FakeServer(), mode="xml")


def test_local_engine_starts_its_server_only_on_a_model_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts: list[str] = []

    def start(self: LocalServer) -> str:
        starts.append("start")
        return "http://fake.test/v1"

    monkeypatch.setattr(LocalServer, "start", start)
    settings = EngineSettings(engine="local", use_candidates=False, cache_dir=tmp_path / "cache")
    first = LLMEngine.local(settings)
    first.client.transport.inner = FakeServer(completion(GOOD))
    assert starts == []  # building the engine loads no model
    extract_article(first, Article(text=TEXT))
    assert starts == ["start"]
    second = LLMEngine.local(settings)
    second.client.transport.inner = FakeServer()  # any request would fail the test
    cached = extract_article(second, Article(text=TEXT))
    assert starts == ["start"]  # every answer came from the cache: no server started
    assert [c.outcome for c in cached.calls] == ["cached"]
    assert cached.extraction.quotes[0].text == "We will not stop"
    second.close()
