"""How uvicorn serves the app, where the app itself cannot decide:

- the access log without query strings: a token or key a client put in the URL
  (`?token=...`, `?api_key=...`) never reaches a log line (tokens are accepted only in the
  Authorization header);
- a request uvicorn cannot parse (a malformed Content-Length, a bad request line) gets the
  service's JSON error shape, not uvicorn's plain text.
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


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


class JsonErrorsProtocol(H11Protocol):
    """uvicorn's h11 protocol, answering an unparseable request with `{"error": ...}`."""

    def send_400_response(self, msg: str) -> None:
        payload = json.dumps({"error": f"invalid HTTP request: {msg}"}).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=payload),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()
