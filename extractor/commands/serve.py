"""`extractor serve`: the HTTP service (FastAPI on uvicorn), one process, one database.

Env: EXTRACTOR_API_TOKEN (bearer token for /v1), EXTRACTOR_MAX_BODY (bytes), plus the
engine and database settings every command reads.
"""

from __future__ import annotations

import argparse
import os
import sys

from extractor.commands.options import add_db, add_engine, settings_from
from extractor.errors import ConfigError
from extractor.service.auth import TOKEN_ENV
from extractor.service.limits import DEFAULT_MAX_BODY

MAX_BODY_ENV = "EXTRACTOR_MAX_BODY"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the HTTP service (API, review pages, /docs)",
        description=f"Set {TOKEN_ENV} to require `Authorization: Bearer <token>` on /v1.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-sql", action="store_true", help="switch POST /v1/sql off (403)")
    parser.add_argument(
        "--max-body",
        type=int,
        metavar="BYTES",
        help=f"largest request body (default: ${MAX_BODY_ENV} or {DEFAULT_MAX_BODY})",
    )
    parser.add_argument(
        "--queue", type=int, help="extractions waiting for a worker before 429 (default: 8 each)"
    )
    add_db(parser)
    add_engine(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from extractor.service import create_app

    settings = settings_from(args)
    token = os.environ.get(TOKEN_ENV) or None
    max_body = args.max_body if args.max_body is not None else _env_int(MAX_BODY_ENV)
    if max_body is not None and max_body < 1:
        raise ConfigError("--max-body must be at least 1 byte")
    if args.queue is not None and args.queue < 0:
        raise ConfigError("--queue cannot be negative")
    app = create_app(
        settings,
        api_token=token,
        sql_enabled=not args.no_sql,
        max_body_bytes=max_body or DEFAULT_MAX_BODY,
        queue=args.queue,
    )
    print(
        f"extractor: serving http://{args.host}:{args.port} (engine {settings.engine}, "
        f"db {settings.db_path}, token {'required' if token else 'off'}, "
        f"sql {'off' if args.no_sql else 'on'}) · API docs at /docs",
        file=sys.stderr,
    )
    if token is None and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"extractor: warning: listening on {args.host} without {TOKEN_ENV}", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def _env_int(name: str) -> int | None:
    value = os.environ.get(name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name}={value!r} is not a whole number of bytes") from exc
