"""The model client: one chunk's answer from an OpenAI-compatible endpoint, through
`openai` + `instructor`, with the response cache, the re-ask loop and salvage.

The answer is validated against the chunk (`ChunkResponse`, whose validator is the
grounding stage): instructor re-asks with the list of bad items, `max_reasks` times. If the
last answer still fails, or was cut at max_tokens, its well-formed items are salvaged one by
one and the others returned as rejections. The endpoint's address may be given late (a
callable): the embedded llama.cpp server starts on the first call that the cache cannot
answer, so a fully cached run starts no model.
"""

from __future__ import annotations

import json
import pickle
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any
from urllib.parse import urlparse

import httpx
import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from tenacity import Retrying, retry_if_not_exception_type, stop_after_attempt

from extractor.errors import ConfigError, ProviderError, one_line, remember_secret
from extractor.llm import instructor_patch
from extractor.llm.cache import ResponseCache, cache_key
from extractor.llm.pools import ThreadPools
from extractor.llm.ratelimit import RateLimiter
from extractor.llm.responses import ChunkResponse, salvage, schema_hash, validating_against
from extractor.llm.timeouts import FittedTimeout
from extractor.llm.transport import RecordingTransport
from extractor.records import CallRecord, Recorder, Rejection
from extractor.settings import DEFAULT_LLM_MODEL, EngineSettings

MODES = {
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "tools": instructor.Mode.TOOLS,
    "tools_strict": instructor.Mode.TOOLS_STRICT,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
HOSTED_URL = "https://api.openai.com/v1"
#: Bump when the cached entry's layout changes (older entries are then misses). 3: only
#: complete, validated answers (format 2 also kept salvaged ones, which must not be served).
CACHE_FORMAT = 3


class ModelClient:
    def __init__(
        self,
        settings: EngineSettings,
        *,
        base_url: str | Callable[[], str],
        model: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`base_url` is the endpoint, or a callable giving it on the first model call;
        `transport` replaces the HTTP transport (tests pass a fake server here)."""
        self.settings = settings
        self.model = model
        self._base_url = base_url
        remember_secret(settings.api_key)  # an endpoint may echo it in an error
        hosted = isinstance(base_url, str) and is_hosted(base_url)
        if hosted and not settings.api_key:
            raise ConfigError(
                "no API key: set OPENAI_API_KEY (or EXTRACTOR_API_KEY), or point "
                "--base-url/OPENAI_BASE_URL at a local OpenAI-compatible server"
            )
        mode_name = settings.mode or default_mode(base_url if isinstance(base_url, str) else "")
        if mode_name not in MODES:
            raise ConfigError(f"unknown mode {mode_name!r}: choose one of {', '.join(MODES)}")
        self.mode = MODES[mode_name]
        self.schema_hash = schema_hash()
        self.cache = ResponseCache(settings.cache_dir) if settings.use_cache else None
        self.transport = RecordingTransport(
            transport or ThreadPools(),
            max_retries=settings.transport_retries,
            max_wait_s=settings.max_retry_wait_s,
            limiter=RateLimiter(settings.rpm) if settings.rpm else None,
            # An endpoint over the network, with no timeout set: fitted to its answer times.
            timeouts=FittedTimeout(settings.request_timeout_s)
            if settings.timeout_s is None and settings.engine == "llm"
            else None,
        )
        self._client: openai.OpenAI | None = None
        self._instructor: instructor.Instructor | None = None
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str | None:
        """The endpoint, once known (a late one is known after the first model call)."""
        return self._base_url if isinstance(self._base_url, str) else None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

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
        """The answer for one chunk, and the items of it that could not be read. The cache
        key holds the model, `prompt_hash`, the schema, the messages and `parameters`.
        `article` is the whole text and the chunk's start in it: the answer's items are
        looked for in the chunk, and their names in the whole article (a speaker named in
        an earlier chunk is named); without it, the chunk is all there is."""
        key = self._key(messages, prompt_hash, parameters)
        hit = self.cached(messages, recorder, prompt_hash=prompt_hash, parameters=parameters)
        if hit is not None:
            return hit
        first_call = len(recorder.calls)
        malformed: list[Rejection] = []
        client = self._instructor_client()
        self.transport.recorder = recorder
        try:
            # The context reaches the validator this way, not as instructor's `context`
            # (which renders the messages as Jinja templates: see `validating_against`).
            with validating_against(_context(chunk, article)):
                response = client.chat.completions.create(
                    model=self.model,
                    response_model=_response_model(),
                    messages=messages,  # type: ignore[arg-type]
                    max_retries=_reask_policy(self.settings.max_reasks),
                    temperature=self.settings.temperature,
                    max_tokens=self.settings.completion_bound,
                )
        except InstructorRetryException as exc:
            if isinstance(exc.__cause__, openai.APIError):
                raise self._provider_error(exc.__cause__, recorder) from exc.__cause__
            # Every attempt failed validation: keep what the last answer got right; the
            # rest is rejected (here if malformed, by the grounding stage if not grounded).
            response, malformed = salvage(_content(exc.last_completion), recorder.chunk_index)
        except IncompleteOutputException as exc:
            # The answer hit max_tokens (a small model repeating itself): keep its complete
            # items, without a re-ask.
            response, malformed = salvage(_content(exc.last_completion), recorder.chunk_index)
        except openai.APIError as exc:
            raise self._provider_error(exc, recorder) from exc
        else:
            # Only a complete answer that passed validation is cached: a salvaged one (cut
            # at max_tokens or by a fault, or still invalid after the re-asks) is asked
            # again next time instead of being served as if it were the answer.
            if self.cache is not None:
                calls = recorder.calls[first_call:]
                usage = [[c.prompt_tokens, c.completion_tokens] for c in calls]
                self.cache.put(key, _to_cache(response, usage))
        finally:
            self.transport.recorder = None
        _mark_reasks(recorder.calls, first_call)
        return response, malformed

    def cached(
        self,
        messages: list[dict[str, str]],
        recorder: Recorder,
        *,
        prompt_hash: str,
        parameters: dict[str, object],
    ) -> tuple[ChunkResponse, list[Rejection]] | None:
        """The cached answer for one chunk (recorded as a cached call), or None: never
        calls the model (what a run whose model budget is spent still uses)."""
        if self.cache is None:
            return None
        entry = self.cache.get(self._key(messages, prompt_hash, parameters))
        hit = _from_cache(entry)
        if hit is not None and entry is not None:
            answer = json.dumps(entry["response"], ensure_ascii=False)
            call = CallRecord(self.model, None, None, 0.0, 1, "cached", None, recorder.chunk_index)
            recorder.calls.append(replace(call, messages=messages, response=answer))
        return hit

    def _key(
        self, messages: list[dict[str, str]], prompt_hash: str, parameters: dict[str, object]
    ) -> str:
        text = json.dumps(messages, ensure_ascii=False)
        return cache_key(self.model, prompt_hash, self.schema_hash, text, parameters)

    def _instructor_client(self) -> instructor.Instructor:
        """The SDK client, built on the first model call (so a late endpoint starts then)."""
        with self._lock:
            if self._instructor is None:
                instructor_patch.install()  # its async-validator check, once per model
                base_url = self._base_url if isinstance(self._base_url, str) else self._base_url()
                self._base_url = base_url
                self._client = openai.OpenAI(
                    base_url=base_url,
                    api_key=self.settings.api_key or "not-needed",
                    max_retries=0,  # transport retries are ours (RecordingTransport)
                    timeout=self.settings.request_timeout_s,
                    http_client=httpx.Client(  # type: ignore[arg-type]  # the SDK's alias
                        transport=self.transport, timeout=self.settings.request_timeout_s
                    ),
                )
                _post_plain_params(self._client, self.transport)
                self._instructor = instructor.from_openai(self._client, mode=self.mode)
            return self._instructor

    def _provider_error(self, exc: openai.APIError, recorder: Recorder) -> ProviderError:
        if self.settings.engine == "local":
            message = _local_message(exc, self.settings.request_timeout_s)
        else:
            message = _provider_message(exc, self.base_url or "?")
        return ProviderError(message, recorder.calls)


def is_hosted(base_url: str) -> bool:
    """OpenAI's own API (not a self-hosted server speaking its protocol)."""
    return urlparse(base_url).hostname == urlparse(HOSTED_URL).hostname


def default_mode(base_url: str) -> str:
    """Tool calls for OpenAI; a JSON schema (grammar-constrained) for self-hosted servers."""
    return "tools" if is_hosted(base_url) else "json_schema"


def endpoint_model(
    settings: EngineSettings, transport: httpx.BaseTransport | None = None
) -> tuple[str, str]:
    """The endpoint and model the `llm` engine talks to: the settings', else OpenAI and,
    for a self-hosted server, the first model it serves, else the default model."""
    base_url = settings.base_url or HOSTED_URL
    model = settings.model
    if not model and not is_hosted(base_url):
        model = served_model(base_url, settings.api_key, transport)
    return base_url, model or DEFAULT_LLM_MODEL


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


#: The parameters of a chat request that are its JSON body as they are (no SDK option
#: such as `timeout` or `extra_headers`, no stream).
_BODY_PARAMS = frozenset(
    "model messages response_format tools tool_choice temperature max_tokens"
    " max_completion_tokens top_p seed stop n parallel_tool_calls".split()
)
_JSON_VALUES = (str, int, float, bool, list, dict, type(None))


def _post_plain_params(client: openai.OpenAI, transport: RecordingTransport | None = None) -> None:
    """`client.chat.completions.create` (which instructor calls) posts a request whose
    parameters are plain JSON values (what instructor sends: the messages, the response
    format or tools, temperature, max_tokens) as they are: the SDK's `create` first walks
    every parameter against its typed-dict annotations (each message, the whole JSON
    schema) to build the same body, about 1 ms of CPU per request. The request itself is
    the SDK's (`client.post`: its headers, auth, errors and response parsing); any other
    parameter goes through the SDK's `create` unchanged. The messages reach the
    `transport`'s record as they are posted (each a copy: a re-ask may extend the list or
    edit a message), so it need not decode them from the body again."""
    completions = client.chat.completions
    sdk_create = completions.create

    def create(**params: Any) -> Any:
        if _BODY_PARAMS.issuperset(params) and all(
            isinstance(value, _JSON_VALUES) for value in params.values()
        ):
            messages = params.get("messages")
            if (
                transport is not None
                and isinstance(messages, list)
                and all(isinstance(m, dict) for m in messages)
            ):
                transport.outgoing = [dict(m) for m in messages]
            try:
                return client.post(
                    "/chat/completions", body=params, cast_to=ChatCompletion,
                    options={"security": {"bearer_auth": True}},
                )  # fmt: skip
            finally:
                if transport is not None:
                    transport.outgoing = None
        return sdk_create(**params)

    completions.create = create  # type: ignore[method-assign]


@cache
def _response_model() -> type[ChunkResponse]:
    """`ChunkResponse` as instructor sends it, built once: instructor wraps the model and
    builds its JSON schema again for every request otherwise (about 3 ms of CPU each, which
    caps a batch's throughput). The schema is handed out as a copy (a mode may edit it),
    unpickled: a fraction of `copy.deepcopy`'s cost."""
    model: type[ChunkResponse] = instructor.openai_schema(ChunkResponse)
    schema = pickle.dumps(model.model_json_schema())

    def model_json_schema(cls: type[ChunkResponse], *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            return ChunkResponse.model_json_schema.__func__(cls, *args, **kwargs)  # type: ignore[attr-defined]
        return pickle.loads(schema)

    model.model_json_schema = classmethod(model_json_schema)  # type: ignore[method-assign, assignment]
    return model


#: What is re-asked: not an API error (transport faults were already retried below), nor
#: a truncated answer (max_tokens): at temperature 0 a small model that looped once loops
#: again, and each try costs the whole token budget. Built once (it is stateless).
_REASK_ON = retry_if_not_exception_type((openai.APIError, IncompleteOutputException))


def _reask_policy(max_reasks: int) -> Retrying:
    """Re-ask on validation errors only, `max_reasks` times after the first answer."""
    return Retrying(stop=stop_after_attempt(max_reasks + 1), retry=_REASK_ON, reraise=False)


def _context(chunk: str, article: tuple[str, int] | None) -> dict[str, Any]:
    """The validation context of `ChunkResponse`: the document and the chunk's range."""
    if article is None:
        return {"document": chunk, "within": None}
    text, start = article
    return {"document": text, "within": (start, start + len(chunk))}


def _to_cache(response: ChunkResponse, usage: list[list[int | None]]) -> dict[str, Any]:
    return {"format": CACHE_FORMAT, "response": response.model_dump(mode="json"), "usage": usage}


def _from_cache(hit: dict[str, Any] | None) -> tuple[ChunkResponse, list[Rejection]] | None:
    """A cached answer (complete and valid: nothing of it was malformed), or None."""
    if hit is None or hit.get("format") != CACHE_FORMAT:
        return None
    return ChunkResponse.model_validate(hit["response"]), []


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
        calls[i] = replace(calls[i], outcome="reask", error="validation failed")


def _local_message(exc: openai.APIError, timeout_s: float) -> str:
    """The embedded server's failure, with what to do about it."""
    if isinstance(exc, openai.APITimeoutError):
        return (
            f"the local model gave no answer within {timeout_s:.0f} s (a busy machine or a "
            "large model): raise --timeout, lower --threads, or use --engine rules"
        )
    if isinstance(exc, openai.APIConnectionError):
        return "the local model server stopped answering; run again (or use --engine rules)"
    status = getattr(exc, "status_code", None)
    return f"the local model failed (HTTP {status}): {one_line(exc)[:160]}"


def _provider_message(exc: openai.APIError, base_url: str) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return f"model endpoint {base_url} did not answer in time, after retries (timeout)"
    if isinstance(exc, openai.APIConnectionError):
        return f"model endpoint {base_url} unreachable after retries ({type(exc).__name__})"
    if isinstance(exc, openai.AuthenticationError):
        return f"model endpoint {base_url} refused the API key (HTTP 401)"
    status = getattr(exc, "status_code", None)
    return f"model endpoint {base_url} failed (HTTP {status}): {one_line(exc)[:160]}"
