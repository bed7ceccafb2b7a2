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

With `batches=True` it also has OpenAI's batch API: `POST /v1/files` (multipart upload),
`GET /v1/files/{id}/content`, `POST /v1/batches` and `GET /v1/batches/{id}`. A batch is
`in_progress` for its first `polls` retrievals, then done: each request answered as a chat
request would be, except those whose custom_id contains one of `fail` (an error line in the
error file) and, with `expire_after=N`, all after the first N (status `expired`, the rest
`batch_expired` in the error file).
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
        *,
        batches: bool = False,
        polls: int = 0,
        fail: tuple[str, ...] = (),
        expire_after: int | None = None,
    ) -> None:
        self.answer = answer
        self.models = models
        self.usage = usage
        self.requests: list[Body] = []
        self.batches_enabled = batches
        self.polls, self.fail, self.expire_after = polls, fail, expire_after
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, Body] = {}
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", port), _handler(self))
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

    def upload(self, name: str, content: bytes) -> Body:
        with self._lock:
            file_id = f"file-{len(self.files) + 1}"
            self.files[file_id] = content
        return {"id": file_id, "object": "file", "bytes": len(content), "created_at": 0,
                "filename": name, "purpose": "batch", "status": "processed"}  # fmt: skip

    def create_batch(self, body: Body) -> Body:
        batch_id = f"batch_{len(self.batches) + 1}"
        self.batches[batch_id] = {
            "id": batch_id, "object": "batch", "endpoint": body["endpoint"],
            "input_file_id": body["input_file_id"], "completion_window": "24h",
            "created_at": 0, "status": "validating", "polls": self.polls,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
        }  # fmt: skip
        return self._public(self.batches[batch_id])

    def retrieve_batch(self, batch_id: str) -> Body | None:
        batch = self.batches.get(batch_id)
        if batch is None:
            return None
        if batch["polls"] > 0:
            batch["polls"] -= 1
            batch["status"] = "in_progress"
        elif batch["status"] in ("validating", "in_progress"):
            self._run(batch)
        return self._public(batch)

    def _run(self, batch: Body) -> None:
        lines = [json.loads(line) for line in self.files[batch["input_file_id"]].splitlines()]
        out, errors = [], []
        for number, line in enumerate(lines):
            result: Body = {"id": f"batch_req_{number}", "custom_id": line["custom_id"]}
            if self.expire_after is not None and number >= self.expire_after:
                error = {"code": "batch_expired", "message": "not run before the window ended"}
                errors.append({**result, "response": None, "error": error})
            elif any(part in line["custom_id"] for part in self.fail):
                body = {"error": {"message": "the model is overloaded", "type": "server_error"}}
                errors.append({**result, "response": {"status_code": 500, "body": body},
                               "error": None})  # fmt: skip
            else:
                response = {"status_code": 200, "request_id": f"r{number}",
                            "body": self.reply(line["body"])}  # fmt: skip
                out.append({**result, "response": response, "error": None})
        for name, rows in (("output_file_id", out), ("error_file_id", errors)):
            content = "".join(json.dumps(row) + "\n" for row in rows).encode()
            batch[name] = self.upload(f"{name}.jsonl", content)["id"] if rows else None
        expired = self.expire_after is not None and self.expire_after < len(lines)
        batch["status"] = "expired" if expired else "completed"
        batch["request_counts"] = {"total": len(lines), "completed": len(out),
                                   "failed": len(errors)}  # fmt: skip

    @staticmethod
    def _public(batch: Body) -> Body:
        return {k: v for k, v in batch.items() if k != "polls"}


class _Server(ThreadingHTTPServer):
    """A thread per connection; a listen backlog for a batch's worth of clients connecting
    at once (the default, 5, drops the rest's SYNs: each then waits a second to retry)."""

    request_queue_size = 256


def _multipart_file(content_type: str, body: bytes) -> tuple[str, bytes]:
    """The `file` part of a multipart/form-data body: its filename and content."""
    boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
    for part in body.split(b"--" + boundary):
        head, _, content = part.partition(b"\r\n\r\n")
        if b'name="file"' in head:
            name = head.split(b'filename="', 1)[1].split(b'"', 1)[0].decode()
            return name, content.removesuffix(b"\r\n")
    raise ValueError("no file part")


def _handler(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as real endpoints do (every reply has a Content-Length): a client's
        # pooled connection serves request after request instead of a connect each time.
        protocol_version = "HTTP/1.1"
        # A reply's headers and body are two writes: with Nagle's algorithm the body waited
        # for the client's delayed ACK of the headers, ~40 ms on every request (real
        # servers send with TCP_NODELAY).
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            path = self.path.rstrip("/")
            if server.batches_enabled and path.startswith("/v1/batches/"):
                batch = server.retrieve_batch(path.rsplit("/", 1)[1])
                if batch is None:
                    return self._send(404, {"error": {"message": f"no batch {path}"}})
                return self._send(200, batch)
            if server.batches_enabled and path.startswith("/v1/files/"):
                content = server.files.get(path.split("/")[3])
                if content is None or not path.endswith("/content"):
                    return self._send(404, {"error": {"message": f"no file {path}"}})
                return self._send_bytes(200, content, "application/octet-stream")
            if path != "/v1/models":
                return self._send(404, {"error": {"message": f"no route {self.path}"}})
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"}
                    for m in server.models]  # fmt: skip
            self._send(200, {"object": "list", "data": data})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            path = self.path.rstrip("/")
            if server.batches_enabled and path == "/v1/files":
                name, content = _multipart_file(self.headers["Content-Type"], raw)
                return self._send(200, server.upload(name, content))
            if server.batches_enabled and path == "/v1/batches":
                return self._send(200, server.create_batch(json.loads(raw)))
            body = json.loads(raw or b"{}") if path == "/v1/chat/completions" else None
            if body is None:
                return self._send(404, {"error": {"message": f"no route {self.path}"}})
            self._send(200, server.reply(body))

        def _send(self, status: int, payload: Body) -> None:
            self._send_bytes(status, json.dumps(payload).encode(), "application/json")

        def _send_bytes(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # quiet under pytest
            pass

    return Handler


def main(argv: list[str] | None = None) -> None:
    """`python -m tests.fake_openai_http [--latency S]`: serve an empty answer (no quotes,
    claims or events) after S seconds, in a process of its own (a benchmark's client then
    shares its CPU with no fake); the first line of stdout is the base URL."""
    import argparse
    import time

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per chat answer")
    latency = parser.parse_args(argv).latency

    def answer(body: Body) -> Answer:
        time.sleep(latency)
        return {"quotes": [], "claims": [], "events": []}

    with FakeOpenAIServer(answer) as server:
        print(server.base_url, flush=True)
        server.wait()


if __name__ == "__main__":
    main()
