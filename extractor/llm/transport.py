"""The HTTP layer under the openai client: transport retries and a record of every call.

Transport faults (429, 5xx, timeouts, dropped connections) are retried here with tenacity:
exponential backoff with jitter, honouring `Retry-After` (seconds or an HTTP date), bounded
in attempts and in total waiting: a wait that would take the time slept between attempts
past `max_wait_s` is not started (the time of the attempts themselves is bounded by the
client's timeout).
Validation problems are not seen here: instructor's re-ask loop sits above. Every HTTP
attempt becomes a `CallRecord` with its tokens (read from the response's `usage`), latency
and outcome ("ok", "truncated" when the answer hit max_tokens, "error"), and for the call
log the request's chat messages and the answer's text; never a header, nor the body of an
error (either could hold a secret).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

from extractor.errors import one_line, scrub
from extractor.llm.ratelimit import RateLimiter
from extractor.llm.timeouts import FittedTimeout
from extractor.records import CallRecord, Recorder

RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
#: 0.5 s, 1 s, 2 s ... up to 20 s, each plus up to 1 s of jitter.
_BACKOFF = wait_exponential_jitter(multiplier=0.5, max=20.0, jitter=1.0)


class _Retryable(Exception):
    def __init__(
        self,
        message: str,
        retry_after: float | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.response = response


class RecordingTransport(httpx.BaseTransport):
    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        max_retries: int,
        max_wait_s: float,
        limiter: RateLimiter | None = None,
        timeouts: FittedTimeout | None = None,
    ) -> None:
        """`timeouts`: each attempt's timeout fitted to the endpoint's answer times (None:
        the client's timeout, as set)."""
        self.inner = inner
        self.timeouts = timeouts
        self.max_retries = max_retries
        self.max_wait_s = max_wait_s
        self.limiter = limiter
        #: How to wait between attempts (tests swap in a recorder instead of sleeping).
        self.sleep: Callable[[float], None] = time.sleep
        self._local = threading.local()

    @property
    def recorder(self) -> Recorder | None:
        return getattr(self._local, "recorder", None)

    @recorder.setter
    def recorder(self, value: Recorder | None) -> None:
        self._local.recorder = value

    @property
    def outgoing(self) -> list[dict[str, Any]] | None:
        """The chat messages of the request this thread posts next, as the client gave
        them (None: read from the request's body, which holds the whole JSON schema too:
        decoding it again cost more than any other step of an attempt of ours)."""
        return getattr(self._local, "outgoing", None)

    @outgoing.setter
    def outgoing(self, messages: list[dict[str, Any]] | None) -> None:
        self._local.outgoing = messages

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        retrying = Retrying(
            retry=retry_if_exception_type(_Retryable),
            stop=stop_after_attempt(self.max_retries + 1) | _WaitBudget(self.max_wait_s),
            wait=_wait,
            sleep=self.sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._attempt(request, attempt.retry_state.attempt_number)
        except _Retryable as exc:
            # Out of attempts: hand the SDK the last failure as it would have seen it.
            if isinstance(exc.__cause__, httpx.TransportError):
                raise exc.__cause__ from None
            assert exc.response is not None
            return exc.response
        raise AssertionError("tenacity returned without an attempt")

    def close(self) -> None:
        self.inner.close()

    def _attempt(self, request: httpx.Request, number: int) -> httpx.Response:
        if self.limiter is not None:
            self.limiter.acquire()
        if self.timeouts is not None:
            seconds = self.timeouts.for_attempt(number)
            request.extensions["timeout"] = dict.fromkeys(
                ("connect", "read", "write", "pool"), seconds
            )
        started = time.perf_counter()
        messages = self.outgoing
        if messages is None:
            messages = _messages(request)
        if self.recorder is not None:
            self.recorder.sent(number, messages)
        try:
            response = self.inner.handle_request(request)
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            error = one_line(exc, named=True)[:200]
            self._record(number, started, None, "error", error, messages)
            raise _Retryable(type(exc).__name__) from exc
        if response.status_code in RETRY_STATUS:
            response.read()
            error = f"HTTP {response.status_code}"
            self._record(number, started, None, "error", error, messages)
            raise _Retryable(f"HTTP {response.status_code}", _retry_after(response), response)
        response.read()
        if self.timeouts is not None:
            self.timeouts.observe(time.perf_counter() - started)
        answer = _answer(response)
        cut = answer.finish == "length"
        self._record(
            number, started, answer.usage, "truncated" if cut else "ok",
            "answer cut at max_tokens" if cut else None, messages, answer.text,
        )  # fmt: skip
        return response

    def _record(
        self,
        number: int,
        started: float,
        usage: tuple[int | None, int | None] | None,
        outcome: str,
        error: str | None,
        messages: list[dict[str, Any]] | None,
        text: str | None = None,
    ) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        prompt, completion = usage or (None, None)
        recorder.record(
            CallRecord(
                model=recorder.model,
                prompt_tokens=prompt,
                completion_tokens=completion,
                latency_ms=round((time.perf_counter() - started) * 1000, 1),
                attempt=number,
                outcome=outcome,
                error=error,
                chunk_index=recorder.chunk_index,
                messages=messages,
                response=None if text is None else scrub(text),  # an endpoint may echo keys
            )
        )


class _WaitBudget(stop_base):
    """Stop before a wait that would take the total time slept past `seconds`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.idle_for + (retry_state.upcoming_sleep or 0.0) > self.seconds


def _wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, _Retryable) and exc.retry_after is not None:
        return exc.retry_after
    return float(_BACKOFF(state))


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds the server asks us to wait: `retry-after-ms`, or `Retry-After` in seconds or
    as an HTTP date."""
    try:
        return max(0.0, float(response.headers["retry-after-ms"]) / 1000)
    except (KeyError, ValueError):
        pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class _Answer:
    usage: tuple[int | None, int | None] | None = None
    finish: str | None = None
    text: str | None = None  # the message's content, or its tool call's arguments


def _answer(response: httpx.Response) -> _Answer:
    """Token usage, finish reason and text of a chat completion's first choice, if present."""
    try:
        body = json.loads(response.content)
        usage = body.get("usage") or {}
        choice = (body.get("choices") or [{}])[0]
        message = choice.get("message") or {}
        text = message.get("content")
        for call in message.get("tool_calls") or []:
            text = (call.get("function") or {}).get("arguments")
    except (ValueError, AttributeError, TypeError, IndexError):
        return _Answer()
    tokens = (usage.get("prompt_tokens"), usage.get("completion_tokens"))
    return _Answer(tokens, choice.get("finish_reason"), text if isinstance(text, str) else None)


def _messages(request: httpx.Request) -> list[dict[str, Any]] | None:
    """The chat messages of a request's JSON body (nothing else of it, no header)."""
    try:
        messages = json.loads(request.content).get("messages")
    except (ValueError, AttributeError, httpx.RequestNotRead):
        return None
    return messages if isinstance(messages, list) else None
