"""The chat request the model client sends is the one the openai SDK's own `create` would
send (the client posts instructor's plain parameters without the SDK's transform of
them): same body and headers in every mode; other parameters still take the SDK's path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from extractor.llm import client as client_module
from extractor.llm import transport as transport_module
from extractor.llm.client import MODES, ModelClient
from extractor.records import Recorder
from extractor.settings import EngineSettings

EMPTY = {"quotes": [], "claims": [], "events": []}
#: Headers that differ from one request to the next whatever sends them.
VARYING = {"x-stainless-retry-count", "x-stainless-read-timeout", "content-length"}


class Answering(httpx.BaseTransport):
    """Answers every chat request with an empty extraction, as content or as a tool call."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, Any], dict[str, str]]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        headers = {k: v for k, v in request.headers.items() if k not in VARYING}
        self.requests.append((body, headers))
        message: dict[str, Any] = {"role": "assistant", "content": json.dumps(EMPTY)}
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            call = {"id": "call_1", "type": "function",
                    "function": {"name": name, "arguments": json.dumps(EMPTY)}}  # fmt: skip
            message = {"role": "assistant", "content": None, "tool_calls": [call]}
        return httpx.Response(200, json={
            "id": "c1", "object": "chat.completion", "created": 0, "model": "fake",
            "choices": [{"index": 0, "finish_reason": "stop", "message": message}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        })  # fmt: skip


def _sent(tmp_path: Path, mode: str) -> tuple[dict[str, Any], dict[str, str]]:
    transport = Answering()
    settings = EngineSettings(
        engine="llm", base_url="http://fake.test/v1", model="fake-model", api_key="sk-test",
        mode=mode, use_cache=False, cache_dir=tmp_path / "cache",
    )  # fmt: skip
    client = ModelClient(settings, base_url="http://fake.test/v1", model="fake-model",
                         transport=transport)  # fmt: skip
    text = "“Prices rise,” said Ana Lima."
    messages = [{"role": "system", "content": "Extract."}, {"role": "user", "content": text}]
    client.ask(messages, text, Recorder(model="fake-model"), prompt_hash="h", parameters={})
    client.close()
    (request,) = transport.requests
    return request


@pytest.mark.parametrize("mode", sorted(MODES))
def test_the_request_is_the_one_the_sdk_sends(
    tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openai.resources.chat.completions import Completions

    sdk_calls: list[object] = []
    sdk_create = Completions.create

    def counted(self: Completions, **params: Any) -> Any:
        sdk_calls.append(params)
        return sdk_create(self, **params)

    monkeypatch.setattr(Completions, "create", counted)
    direct = _sent(tmp_path, mode)
    assert sdk_calls == []  # posted directly
    monkeypatch.setattr(client_module, "_post_plain_params", lambda client, transport=None: None)
    through_sdk = _sent(tmp_path, mode)
    assert len(sdk_calls) == 1
    assert direct == through_sdk
    body, headers = direct
    assert body["messages"][1]["content"].startswith("“Prices rise,” said Ana Lima.")
    assert headers["authorization"] == "Bearer sk-test"


def test_other_parameters_take_the_sdks_create(monkeypatch: pytest.MonkeyPatch) -> None:
    import openai

    transport = Answering()
    sdk = openai.OpenAI(base_url="http://fake.test/v1", api_key="k", max_retries=0,
                        http_client=httpx.Client(transport=transport))  # fmt: skip
    client_module._post_plain_params(sdk)
    messages: Any = [{"role": "user", "content": "hi"}]
    sdk.chat.completions.create(model="m", messages=messages, extra_headers={"x-extra": "1"})
    sdk.chat.completions.create(model="m", messages=messages)
    (first, first_headers), (second, second_headers) = transport.requests
    assert first == second == {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    assert first_headers["x-extra"] == "1" and "x-extra" not in second_headers


class ReAsked(Answering):
    """Answers first with a quote the text does not hold (so the client re-asks), then
    with an empty extraction."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.requests:
            return super().handle_request(request)
        self.requests.append((json.loads(request.content), {}))
        invented = {**EMPTY, "quotes": [{"text": "Nobody said this.", "speaker": None}]}
        return httpx.Response(200, json={
            "id": "c0", "object": "chat.completion", "created": 0, "model": "fake",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": json.dumps(invented)}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        })  # fmt: skip


def test_each_call_records_the_messages_its_request_posted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record of each attempt holds its own request's messages (the client hands them
    to the transport, which does not decode the body): the re-ask's has the answer and
    the list of bad items after the first request's two messages."""

    def undecoded(request: httpx.Request) -> None:
        raise AssertionError("the body was decoded for its messages")

    monkeypatch.setattr(transport_module, "_messages", undecoded)
    transport = ReAsked()
    settings = EngineSettings(
        engine="llm", base_url="http://fake.test/v1", model="fake-model", api_key="sk-test",
        mode="json_schema", use_cache=False, cache_dir=tmp_path / "cache", max_reasks=1,
    )  # fmt: skip
    client = ModelClient(settings, base_url="http://fake.test/v1", model="fake-model",
                         transport=transport)  # fmt: skip
    text = "“Prices rise,” said Ana Lima."
    messages = [{"role": "system", "content": "Extract."}, {"role": "user", "content": text}]
    recorder = Recorder(model="fake-model")
    client.ask(messages, text, recorder, prompt_hash="h", parameters={})
    client.close()
    bodies = [body for body, _ in transport.requests]
    assert len(bodies) == len(recorder.calls) == 2
    assert [call.messages for call in recorder.calls] == [body["messages"] for body in bodies]
    assert len(bodies[1]["messages"]) > len(bodies[0]["messages"]) == 2
    assert [call.outcome for call in recorder.calls] == ["reask", "ok"]
