"""A fake OpenAI-compatible HTTP server on a free 127.0.0.1 port, for tests whose client runs
in another process (an installed CLI, a service) and so cannot use `tests.fake_llm`'s
in-process transport.

    with FakeOpenAIServer({"quotes": [...]}) as server:
        run(["extractor", "extract", ..., "--base-url", server.base_url, "--model", "fake"])
    server.requests  # the chat requests' JSON bodies, in order

It serves `GET /v1/models` (listing `models`) and `POST /v1/chat/completions`, answering
every chat request with `answer` (a dict is sent as JSON text in `choices[0].message.content`,
where instructor's json_schema mode reads it), or with `answer(request_body)` when it is a
callable; a `Reply` also sets the usage and the finish reason. Anything else is a 404.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

Body = dict[str, Any]


@dataclass(frozen=True)
class Reply:
    """An answer with its own usage and finish reason ("length": cut at max_tokens)."""

    content: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str = "stop"


Answer = dict[str, Any] | str | Reply


class FakeOpenAIServer:
    def __init__(
        self,
        answer: Answer | Callable[[Body], Answer],
        models: tuple[str, ...] = ("fake",),
        usage: tuple[int, int] = (100, 20),
        port: int = 0,
    ) -> None:
        self.answer = answer
        self.models = models
        self.usage = usage
        self.requests: list[Body] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def wait(self) -> None:
        """Serve until interrupted (a server run as a program)."""
        self._thread.join()

    def reply(self, body: Body) -> Body:
        with self._lock:
            self.requests.append(body)
        answer = self.answer(body) if callable(self.answer) else self.answer
        (prompt, completion), finish = self.usage, "stop"
        if isinstance(answer, Reply):
            content, finish = answer.content, answer.finish_reason
            prompt, completion = answer.prompt_tokens, answer.completion_tokens
        else:
            content = answer if isinstance(answer, str) else json.dumps(answer)
        return {
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "created": 0,
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "finish_reason": finish,
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                      "total_tokens": prompt + completion},
        }  # fmt: skip


def _handler(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.rstrip("/") != "/v1/models":
                return self._send(404, {"error": {"message": f"no route {self.path}"}})
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"}
                    for m in server.models]  # fmt: skip
            self._send(200, {"object": "list", "data": data})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if self.path.rstrip("/") != "/v1/chat/completions":
                return self._send(404, {"error": {"message": f"no route {self.path}"}})
            self._send(200, server.reply(body))

        def _send(self, status: int, payload: Body) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # quiet under pytest
            pass

    return Handler
