"""The access log without query strings: a token or key a client put in the URL
(`?token=...`, `?api_key=...`) never reaches a log line. Tokens are accepted only in the
Authorization header."""

from __future__ import annotations

import copy
import logging
from typing import Any


class NoQueryString(logging.Filter):
    """Cut the query string off uvicorn's access-log records (their third argument is the
    path with its query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, mark, _ = args[2].partition("?")
            if mark:
                record.args = (*args[:2], f"{path}?…", *args[3:])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, with the access log's query strings cut."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["no_query"] = {"()": NoQueryString}
    config["handlers"]["access"]["filters"] = ["no_query"]
    return config
