"""`extractor serve`: the HTTP service (FastAPI on uvicorn), one process, one database.

Env: EXTRACTOR_API_TOKEN (bearer token for /v1), EXTRACTOR_MAX_BODY (bytes), plus the
engine and database settings (see `extractor serve --help`).
"""

from __future__ import annotations

import argparse
import sys

from extractor.commands.options import add_db, add_engine, settings_from
from extractor.settings import API_TOKEN_ENV as TOKEN_ENV
from extractor.settings import ServiceSettings, add_options, service_from


def add_parser(subparsers: argparse._SubParsersAction, help: str) -> None:
    parser = subparsers.add_parser(
        "serve",
        help=help,
        description=f"Set {TOKEN_ENV} to require `Authorization: Bearer <token>` on /v1.",
    )
    add_options(parser, ServiceSettings)
    add_db(parser)
    add_engine(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from extractor.service import create_app
    from extractor.service.server import JsonErrorsProtocol, log_config

    service = service_from(args)
    store, settings = settings_from(args)
    app = create_app(settings, store, service)
    print(
        f"extractor: serving http://{service.host}:{service.port} (engine {settings.engine}, "
        f"db {store.db_path}, token {'required' if service.api_token else 'off'}, "
        f"sql {'on' if service.sql_enabled else 'off'}) · API docs at /docs",
        file=sys.stderr,
    )
    if service.api_token is None and service.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"extractor: warning: listening on {service.host} without {TOKEN_ENV}",
            file=sys.stderr,
        )
    uvicorn.run(
        app, host=service.host, port=service.port, log_level="info", log_config=log_config(),
        http=JsonErrorsProtocol,
    )  # fmt: skip
    return 0
