"""Back-pressure for the service: a request body limit, and admission to the engine pool.

`BodyLimit` answers 413 from the `Content-Length` header alone, before the body is read;
a body without that header (chunked) is read up to the limit and no further. `Admission`
lets `capacity` extractions run and `queue` more wait; beyond that a request gets 429 with
a Retry-After estimated from recent latencies, instead of piling up without bound.
"""

from __future__ import annotations

import json
import math
import threading

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from extractor.settings import DEFAULT_MAX_BODY

__all__ = ["DEFAULT_MAX_BODY", "Admission", "BodyLimit", "Saturated"]


class BodyLimit:
    """ASGI middleware: request bodies over `max_bytes` get 413 and never reach the app."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                await _send_error(send, 400, "invalid Content-Length header")
                return
            if too_big:
                await _send_error(send, 413, self._message())
                return
            await self.app(scope, receive, send)
            return
        if headers.get(b"transfer-encoding") is None:
            await self.app(scope, receive, send)  # no body at all
            return
        # Chunked: buffer up to the limit, then replay to the app.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _send_error(send, 413, self._message())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _message(self) -> str:
        return f"request body too large: the limit is {self.max_bytes} bytes"


async def _send_error(send: Send, status: int, message: str) -> None:
    payload = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class Saturated(Exception):
    """Every slot and queue place is taken; `retry_after` is a whole number of seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"server busy: retry in {retry_after} s")
        self.retry_after = retry_after


class Admission:
    """At most `capacity + queue` extractions admitted at once (running or waiting)."""

    def __init__(self, capacity: int, queue: int) -> None:
        self.capacity = capacity
        self.limit = capacity + queue
        self.admitted = 0
        self.mean_s = 1.0  # running mean of extraction time, for Retry-After
        self._lock = threading.Lock()

    def enter(self) -> None:
        """Take a place or raise `Saturated`."""
        with self._lock:
            if self.admitted >= self.limit:
                raise Saturated(self._retry_after())
            self.admitted += 1

    def leave(self, seconds: float) -> None:
        with self._lock:
            self.admitted -= 1
            self.mean_s = 0.8 * self.mean_s + 0.2 * seconds

    def _retry_after(self) -> int:
        # Time for the work ahead to drain through the running slots.
        return max(1, math.ceil(self.mean_s * self.admitted / self.capacity))
