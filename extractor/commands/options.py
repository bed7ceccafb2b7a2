"""Flag groups shared by commands, and the one place flags become `Settings`."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from extractor.settings import DEFAULT_DB, ENGINES, Settings, from_env
from extractor.store import connect


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        help=f"DuckDB file (default: $EXTRACTOR_DB or ./{DEFAULT_DB})",
    )


@contextmanager
def read_only_db(args: argparse.Namespace) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database named by --db (or the env, or the default), opened read-only."""
    db = connect(from_env(db_path=args.db).db_path, read_only=True)
    try:
        yield db
    finally:
        db.close()


def add_engine(parser: argparse.ArgumentParser, default: str | None = None) -> None:
    group = parser.add_argument_group("engine")
    group.add_argument(
        "--engine",
        choices=ENGINES,
        default=default,
        help="rules: no model; local: embedded llama.cpp; llm: any OpenAI-compatible endpoint "
        "(default: $EXTRACTOR_ENGINE or local)",
    )
    group.add_argument("--model", help="model name (llm) [$EXTRACTOR_MODEL, $OPENAI_MODEL]")
    group.add_argument(
        "--base-url", help="OpenAI-compatible endpoint [$EXTRACTOR_BASE_URL, $OPENAI_BASE_URL]"
    )
    group.add_argument(
        "--api-key",
        help="API key [$EXTRACTOR_API_KEY, $OPENAI_API_KEY]; prefer the env var: a flag is "
        "visible in the process list",
    )
    group.add_argument(
        "--mode",
        choices=("json_schema", "tools", "tools_strict", "json", "md_json"),
        help="structured-output mode (default: json_schema for local servers, tools for OpenAI)",
    )
    group.add_argument("--model-path", type=Path, help="GGUF file for --engine local")
    group.add_argument("--threads", type=int, help="CPU threads for --engine local")
    group.add_argument("--ctx-size", type=int, help="context size for --engine local")
    group.add_argument("--max-reasks", type=int, help="re-asks after a validation error")
    group.add_argument("--max-retries", type=int, help="transport retries (429, 5xx, timeouts)")
    group.add_argument("--timeout", type=float, dest="timeout_s", help="seconds per request")
    group.add_argument("--concurrency", type=int, help="documents in flight at once")
    group.add_argument("--rpm", type=int, help="at most this many requests per minute")
    group.add_argument(
        "--no-cache",
        dest="use_cache",
        action="store_const",
        const=False,
        help="always call the model, ignoring cached responses",
    )
    group.add_argument(
        "--no-candidates",
        dest="use_candidates",
        action="store_const",
        const=False,
        help="do not give the rules engine's findings to the model",
    )


def settings_from(args: argparse.Namespace) -> Settings:
    """Flags over env over defaults."""
    names = (
        "engine",
        "model",
        "base_url",
        "api_key",
        "mode",
        "model_path",
        "threads",
        "ctx_size",
        "max_reasks",
        "max_retries",
        "timeout_s",
        "concurrency",
        "rpm",
        "use_cache",
        "use_candidates",
    )
    flags = {name: getattr(args, name, None) for name in names}
    flags["db_path"] = getattr(args, "db", None)
    return from_env(**flags)
