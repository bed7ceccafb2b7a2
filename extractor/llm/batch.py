"""Batch jobs in the OpenAI batch JSONL format (which `vllm run-batch` also reads).

A request line is `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}`
where `body` is exactly what the live client sends for that chunk: `RequestWriter` runs the
real client (openai + instructor, same mode and schema) against a transport that keeps the
body and answers nothing. An output line is `{"custom_id", "response": {"status_code",
"body"}, "error"}`; `Answers` serves those bodies back to the same client, so a collected
answer is parsed, validated and salvaged as a live one (there are no re-asks in a batch).
A request is matched to its answer by the hash of its messages, the end of its custom_id.

`BatchAPI` is the provider side: /v1/files and /v1/batches through the openai SDK.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import Any

import httpx
import openai

from extractor.errors import BatchError, ProviderError, one_line
from extractor.llm.client import ModelClient
from extractor.llm.responses import ChunkResponse
from extractor.records import Recorder, Rejection
from extractor.settings import EngineSettings

ENDPOINT = "/v1/chat/completions"
#: The address the batch clients are built with: they never reach it.
OFFLINE_URL = "http://batch.invalid/v1"
#: OpenAI's statuses after which nothing more will come.
FINISHED = frozenset({"completed", "expired", "failed", "cancelled"})


def request_key(messages: list[dict[str, Any]]) -> str:
    text = json.dumps(messages, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def request_line(document_id: str, index: int, key: str, body: dict[str, Any]) -> dict[str, Any]:
    """One JSONL line: `custom_id` is the document, the request's index and its key."""
    custom_id = f"{document_id}-{index}-{key}"
    return {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}


@dataclass(frozen=True)
class Line:
    """One output line: the chat completion, or why there is none."""

    body: dict[str, Any] | None
    error: str | None = None


def read_output(lines: Iterable[str]) -> dict[str, Line]:
    """Output (and error-file) lines by request key; a line that failed keeps its error."""
    answers: dict[str, Line] = {}
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
            key = str(line["custom_id"]).rsplit("-", 1)[-1]
        except (ValueError, KeyError, TypeError) as exc:
            raise BatchError(f"batch output line {number} is not a batch result: {exc}") from exc
        response, error = line.get("response") or {}, line.get("error")
        status = response.get("status_code")
        if error or status != 200 or not isinstance(response.get("body"), dict):
            answers.setdefault(key, Line(None, _error_text(error, status, response)))
        else:
            answers[key] = Line(response["body"])
    return answers


def _error_text(error: Any, status: Any, response: dict[str, Any]) -> str:
    if isinstance(error, dict):
        return one_line(Exception(f"{error.get('code') or 'error'}: {error.get('message', '')}"))
    body = response.get("body")
    message = body.get("error", {}).get("message") if isinstance(body, dict) else None
    return f"HTTP {status}" + (f": {one_line(Exception(message))}" if message else "")


class _Keep(httpx.BaseTransport):
    """Keeps each request's body and refuses it (HTTP 400: never retried)."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content))
        return httpx.Response(400, json={"error": {"message": "kept for the batch file"}})


def batch_settings(settings: EngineSettings) -> EngineSettings:
    """The settings of a batch's clients: no cache, no transport retry, no re-ask."""
    return replace(settings, use_cache=False, max_retries=0, max_reasks=0)


class RequestWriter(ModelClient):
    """The live client, with each chunk's request body kept instead of sent (the chunk's
    answer is empty). Not thread-safe: one document at a time."""

    def __init__(self, settings: EngineSettings, model: str) -> None:
        self._kept = _Keep()
        #: (request key, body) of each chunk asked since the last `take()`.
        self.requests: list[tuple[str, dict[str, Any]]] = []
        super().__init__(batch_settings(settings), base_url=OFFLINE_URL, model=model,
                         transport=self._kept)  # fmt: skip

    def ask(
        self,
        messages: list[dict[str, str]],
        chunk: str,
        recorder: Recorder,
        *,
        prompt_hash: str,
        parameters: dict[str, object],
        article: tuple[str, int] | None = None,
    ) -> tuple[ChunkResponse, list[Rejection]]:
        with suppress(ProviderError):  # the refusal of `_Keep`: the body is what we need
            super().ask(messages, chunk, recorder, prompt_hash=prompt_hash,
                        parameters=parameters, article=article)  # fmt: skip
        (body,) = self._kept.bodies
        self._kept.bodies = []
        self.requests.append((request_key(messages), body))
        return ChunkResponse(), []

    def take(self) -> list[tuple[str, dict[str, Any]]]:
        requests, self.requests = self.requests, []
        return requests


class _Serve(httpx.BaseTransport):
    """Answers with the output line `Answers.ask` chose for this thread's chunk."""

    def __init__(self) -> None:
        self.current = threading.local()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=self.current.body)


class Answers(ModelClient):
    """The live client, answered from a batch's output lines. A chunk whose line failed
    or is missing raises `BatchError`: its document is recorded failed."""

    def __init__(self, settings: EngineSettings, model: str, answers: dict[str, Line]) -> None:
        self.answers = answers
        self._serve = _Serve()
        super().__init__(batch_settings(settings), base_url=OFFLINE_URL, model=model,
                         transport=self._serve)  # fmt: skip

    def ask(
        self,
        messages: list[dict[str, str]],
        chunk: str,
        recorder: Recorder,
        *,
        prompt_hash: str,
        parameters: dict[str, object],
        article: tuple[str, int] | None = None,
    ) -> tuple[ChunkResponse, list[Rejection]]:
        line = self.answers.get(request_key(messages))
        where = f"chunk {recorder.chunk_index}"
        if line is None:
            raise BatchError(f"{where}: no answer in the batch output")
        if line.body is None:
            raise BatchError(f"{where}: the batch request failed: {line.error}")
        self._serve.current.body = line.body
        return super().ask(messages, chunk, recorder, prompt_hash=prompt_hash,
                           parameters=parameters, article=article)  # fmt: skip


@dataclass(frozen=True)
class BatchStatus:
    id: str
    status: str
    total: int
    completed: int
    failed: int
    output_file_id: str | None
    error_file_id: str | None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class BatchAPI:
    """An endpoint's /v1/files and /v1/batches (OpenAI's, or any server that has them)."""

    def __init__(self, base_url: str, api_key: str | None, timeout_s: float = 120.0) -> None:
        self.base_url = base_url
        self._client = openai.OpenAI(base_url=base_url, api_key=api_key or "not-needed",
                                     max_retries=2, timeout=timeout_s)  # fmt: skip

    def submit(self, name: str, jsonl: bytes) -> str:
        """Upload the requests and start the batch; its id. A server without the batch
        API is one line saying so."""
        try:
            uploaded = self._client.files.create(file=(name, jsonl), purpose="batch")
            batch = self._client.batches.create(
                input_file_id=uploaded.id,
                endpoint="/v1/chat/completions",
                completion_window="24h",
            )
        except openai.NotFoundError as exc:
            raise BatchError(f"{self.base_url} has no batch API (/files, /batches)") from exc
        except openai.APIError as exc:
            raise BatchError(f"{self.base_url}: batch not submitted: {one_line(exc)}") from exc
        return batch.id

    def status(self, batch_id: str) -> BatchStatus:
        try:
            batch = self._client.batches.retrieve(batch_id)
        except openai.APIError as exc:
            raise BatchError(f"batch {batch_id}: {one_line(exc)}") from exc
        counts = batch.request_counts
        return BatchStatus(
            batch.id, batch.status, counts.total if counts else 0,
            counts.completed if counts else 0, counts.failed if counts else 0,
            batch.output_file_id, batch.error_file_id,
        )  # fmt: skip

    def download(self, file_id: str) -> str:
        try:
            return self._client.files.content(file_id).text
        except openai.APIError as exc:
            raise BatchError(f"batch file {file_id}: {one_line(exc)}") from exc

    def close(self) -> None:
        self._client.close()
