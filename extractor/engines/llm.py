"""The `llm` engine: any OpenAI-compatible endpoint, through `openai` + `instructor`.

Per chunk of the article: render the versioned prompt (with the rules engine's findings as
hints), ask for a `ChunkResponse` validated against the chunk (instructor re-asks with the
list of bad items, `max_reasks` times). If the last answer still fails, or was cut at
max_tokens, its well-formed items are salvaged one by one. Every item is then grounded in
the document; what cannot be is dropped and counted. The result is merged with the rules
engine's items, so it is never worse than `rules` on what `rules` finds. Responses are
cached by model, prompt, schema, text and parameters.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

import httpx
import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from tenacity import Retrying, retry_if_not_exception_type, stop_after_attempt

from extractor.engines.base import EngineOutput
from extractor.engines.merge import ground_response, merge
from extractor.errors import ConfigError, ProviderError
from extractor.llm.cache import ResponseCache, cache_key
from extractor.llm.prompt import load_prompt
from extractor.llm.ratelimit import RateLimiter
from extractor.llm.responses import ChunkResponse, salvage, schema_hash
from extractor.llm.transport import Recorder, RecordingTransport
from extractor.records import CallRecord
from extractor.schemas import DocumentExtraction
from extractor.settings import DEFAULT_LLM_MODEL, Settings
from extractor.text.articles import Article
from extractor.text.segment import chunks

MODES = {
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "tools": instructor.Mode.TOOLS,
    "tools_strict": instructor.Mode.TOOLS_STRICT,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}


class LLMProviderError(ProviderError):
    """The endpoint failed after transport retries; `calls` holds what was spent."""

    def __init__(self, message: str, calls: list[CallRecord]) -> None:
        super().__init__(message)
        self.calls = calls


class LLMEngine:
    name = "llm"

    def __init__(
        self,
        settings: Settings,
        *,
        model_name: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`transport` replaces the HTTP transport (tests pass a fake server here)."""
        self.settings = settings
        self.base_url = settings.base_url or "https://api.openai.com/v1"
        hosted = urlparse(self.base_url).hostname == "api.openai.com"
        if hosted and not settings.api_key:
            raise ConfigError(
                "no API key: set OPENAI_API_KEY (or EXTRACTOR_API_KEY), or point "
                "--base-url/OPENAI_BASE_URL at a local OpenAI-compatible server"
            )
        mode_name = settings.mode or ("tools" if hosted else "json_schema")
        if mode_name not in MODES:
            raise ConfigError(f"unknown mode {mode_name!r}: choose one of {', '.join(MODES)}")
        self.mode = MODES[mode_name]
        self.prompt = load_prompt(settings.prompt)
        self.schema_hash = schema_hash()
        self.cache = ResponseCache(settings.cache_dir) if settings.use_cache else None
        limiter = RateLimiter(settings.rpm) if settings.rpm else None
        self.transport = RecordingTransport(
            transport or httpx.HTTPTransport(),
            max_retries=settings.max_retries,
            max_wait_s=settings.max_retry_wait_s,
            limiter=limiter,
        )
        self.client = openai.OpenAI(
            base_url=self.base_url,
            api_key=settings.api_key or "not-needed",
            max_retries=0,  # transport retries are ours (RecordingTransport)
            timeout=settings.timeout_s,
            http_client=httpx.Client(  # type: ignore[arg-type]  # the SDK's httpx alias
                transport=self.transport, timeout=settings.timeout_s
            ),
        )
        self.instructor = instructor.from_openai(self.client, mode=self.mode)
        self._model = (
            model_name
            or settings.model
            or (None if hosted else served_model(self.base_url, settings.api_key, transport))
            or DEFAULT_LLM_MODEL
        )

    # --- Engine protocol -------------------------------------------------------------
    @property
    def model(self) -> str:
        return self._model

    @property
    def prompt_version(self) -> str:
        return self.prompt.version

    @property
    def prompt_hash(self) -> str:
        return self.prompt.hash

    @property
    def parameters(self) -> dict[str, object]:
        s = self.settings
        return {
            "mode": self.mode.value,
            "temperature": s.temperature,
            "max_tokens": s.max_tokens,
            "max_reasks": s.max_reasks,
            "chunk_chars": s.chunk_chars,
            "chunk_overlap": s.chunk_overlap,
            "candidates": s.use_candidates,
            "schema_hash": self.schema_hash,
        }

    def close(self) -> None:
        self.client.close()

    def extract(self, article: Article) -> EngineOutput:
        candidates = _candidates(article) if self.settings.use_candidates else None
        recorder = Recorder(model=self.model)
        self.transport.recorder = recorder
        model_items: list[DocumentExtraction] = []
        dropped = 0
        try:
            for index, chunk in enumerate(
                chunks(article.text, self.settings.chunk_chars, self.settings.chunk_overlap)
            ):
                recorder.chunk_index = index
                hints = _within(candidates, chunk.start, chunk.end) if candidates else None
                response, malformed = self._ask(article, chunk.text, hints, recorder)
                grounded, lost = ground_response(response, article.text, chunk.start, chunk.end)
                model_items.append(grounded)
                dropped += malformed + lost
        except openai.APIError as exc:
            raise LLMProviderError(_provider_message(exc, self.base_url), recorder.calls) from exc
        except Exception as exc:
            exc.calls = recorder.calls  # type: ignore[attr-defined]  # spent all the same
            raise
        finally:
            self.transport.recorder = None
        extraction = merge(candidates, model_items)
        return EngineOutput(extraction=extraction, calls=recorder.calls, dropped=dropped)

    # --- one chunk -------------------------------------------------------------------
    def _ask(
        self,
        article: Article,
        chunk: str,
        hints: DocumentExtraction | None,
        recorder: Recorder,
    ) -> tuple[ChunkResponse, int]:
        """The chunk's answer, and how many of its items were too malformed to keep."""
        published = article.published.isoformat() if article.published else None
        messages = self.prompt.messages(chunk, published, hints)
        key = cache_key(
            self.model,
            self.prompt.hash,
            self.schema_hash,
            json.dumps(messages, ensure_ascii=False),
            self.parameters,
        )
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            recorder.calls.append(_cached_call(self.model, recorder.chunk_index))
            return ChunkResponse.model_validate(hit["response"]), int(hit.get("malformed", 0))
        first_call = len(recorder.calls)
        malformed = 0
        try:
            response = self.instructor.chat.completions.create(
                model=self.model,
                response_model=ChunkResponse,
                messages=messages,  # type: ignore[arg-type]
                max_retries=_reask_policy(self.settings.max_reasks),
                context={"document": chunk},
                temperature=self.settings.temperature,
                max_tokens=self.settings.max_tokens,
            )
        except InstructorRetryException as exc:
            if isinstance(exc.__cause__, openai.APIError):
                raise exc.__cause__ from exc
            # Every attempt failed validation: keep what the last answer got right; the
            # rest is dropped and counted (here if malformed, in grounding if not grounded).
            response, malformed = salvage(_content(exc.last_completion))
        except IncompleteOutputException as exc:
            # The answer hit max_tokens (a small model repeating itself): keep its complete
            # items, without a re-ask.
            response, malformed = salvage(_content(exc.last_completion))
        _mark_reasks(recorder.calls, first_call)
        if self.cache is not None:
            usage = [[c.prompt_tokens, c.completion_tokens] for c in recorder.calls[first_call:]]
            self.cache.put(
                key,
                {"response": response.model_dump(mode="json"), "malformed": malformed,
                 "usage": usage},
            )  # fmt: skip
        return response, malformed


def served_model(
    base_url: str, api_key: str | None, transport: httpx.BaseTransport | None = None
) -> str | None:
    """The first model a self-hosted server lists (llama.cpp, vLLM, Ollama...), or None if
    it lists none or does not answer at once: one quick try, no retries, so a server that is
    down fails each document later with a clear error instead of failing the startup."""
    http = httpx.Client(transport=transport or httpx.HTTPTransport(), timeout=5.0)
    client = openai.OpenAI(
        base_url=base_url, api_key=api_key or "not-needed", max_retries=0,
        http_client=http,  # type: ignore[arg-type]  # the SDK's httpx alias
    )  # fmt: skip
    try:
        served = client.models.list().data
    except openai.APIError:
        return None
    finally:
        client.close()
    return served[0].id if served else None


def _reask_policy(max_reasks: int) -> Retrying:
    """Re-ask on validation errors only (`max_reasks` times after the first answer);
    transport faults were already retried below, so an API error ends the loop at once."""
    return Retrying(
        stop=stop_after_attempt(max_reasks + 1),
        # A truncated answer (max_tokens) is not re-asked either: at temperature 0 a small
        # model that looped once loops again, and each try costs the whole token budget.
        retry=retry_if_not_exception_type((openai.APIError, IncompleteOutputException)),
        reraise=False,
    )


def _candidates(article: Article) -> DocumentExtraction:
    from extractor.rules.engine import RulesEngine

    return RulesEngine().extract(article).extraction


def _within(extraction: DocumentExtraction, start: int, end: int) -> DocumentExtraction:
    def inside(items: list[Any]) -> list[Any]:
        return [i for i in items if i.char_start >= start and i.char_end <= end]

    return DocumentExtraction(
        quotes=inside(extraction.quotes),
        claims=inside(extraction.claims),
        events=inside(extraction.events),
    )


def _content(completion: Any) -> str:
    """The text of a chat completion's first choice ("" when there is none)."""
    try:
        return str(completion.choices[0].message.content or "")
    except (AttributeError, IndexError):
        return ""


def _mark_reasks(calls: list[CallRecord], first: int) -> None:
    """Answers that were followed by another call were rejected and re-asked."""
    answered = [i for i in range(first, len(calls)) if calls[i].outcome in ("ok", "truncated")]
    for i in answered[:-1]:
        call = calls[i]
        calls[i] = CallRecord(
            call.model, call.prompt_tokens, call.completion_tokens, call.latency_ms,
            call.attempt, "reask", "validation failed", call.chunk_index,
        )  # fmt: skip


def _cached_call(model: str, chunk_index: int) -> CallRecord:
    return CallRecord(model, None, None, 0.0, 1, "cached", None, chunk_index)


def _provider_message(exc: openai.APIError, base_url: str) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return f"model endpoint {base_url} did not answer in time, after retries (timeout)"
    if isinstance(exc, openai.APIConnectionError):
        return f"model endpoint {base_url} unreachable after retries ({type(exc).__name__})"
    if isinstance(exc, openai.AuthenticationError):
        return f"model endpoint {base_url} refused the API key (HTTP 401)"
    status = getattr(exc, "status_code", None)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"model endpoint {base_url} failed (HTTP {status}): {first[:160]}"
