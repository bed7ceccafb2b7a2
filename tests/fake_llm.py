"""A fake OpenAI-compatible server for unit tests: an httpx transport fed from a queue.

It exercises the real openai SDK, instructor and our transport; only the network is fake.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any

import httpx


def completion(
    content: dict[str, Any] | str, prompt: int = 100, completion: int = 20
) -> httpx.Response:
    body = content if isinstance(content, str) else json.dumps(content)
    return httpx.Response(
        200,
        json={
            "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "fake",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": body}}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                      "total_tokens": prompt + completion},
        },
    )  # fmt: skip


class FakeServer(httpx.BaseTransport):
    """Answers each chat request with the next queued response (or raises a queued
    exception); `GET /models` lists `models`."""

    def __init__(
        self, *responses: httpx.Response | Exception, models: tuple[str, ...] = ()
    ) -> None:
        self.queue: deque[httpx.Response | Exception] = deque(responses)
        self.models = models
        self.requests: list[dict[str, Any]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.endswith("/models"):
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "x"}
                    for m in self.models]  # fmt: skip
            return httpx.Response(200, json={"object": "list", "data": data})
        self.requests.append(json.loads(request.content))
        if not self.queue:
            raise AssertionError("the fake server got more requests than expected")
        item = self.queue.popleft()
        if isinstance(item, Exception):
            raise item
        return item
