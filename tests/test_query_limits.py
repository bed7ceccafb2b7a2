"""Read-only SQL has a time limit, can be stopped, and refuses state-changing functions,
in the CLI and through the service; paging is validated; an unparseable request gets the
service's JSON error."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import duckdb
import pytest
import uvicorn
from fastapi.testclient import TestClient

from extractor.cli import main
from extractor.errors import InputError
from extractor.service import create_app
from extractor.service.server import JsonErrorsProtocol
from extractor.settings import EngineSettings, ServiceSettings, StoreSettings
from extractor.store import Store, run_read_only

ENDLESS = "select sum(i) from range(1000000000000) t(i)"


def test_a_query_over_its_time_limit_is_interrupted_and_the_connection_still_works() -> None:
    db = duckdb.connect()
    with pytest.raises(InputError, match=r"over the time limit of 0\.3 s"):
        run_read_only(db, ENDLESS, timeout_s=0.3)
    assert run_read_only(db, "select 42").rows == [(42,)]


def test_a_query_stops_when_asked_to() -> None:
    db, stop = duckdb.connect(), threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    with pytest.raises(InputError, match="cancelled"):
        run_read_only(db, ENDLESS, timeout_s=60, stop=stop)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    "sql",
    ["select nextval('item_ids')", 'SELECT "nextval"(\'item_ids\')', "select setseed(0.5)",
     "with x as (select 1) select main.nextval('item_ids') from x"],
)  # fmt: skip
def test_state_changing_functions_are_refused(sql: str) -> None:
    with pytest.raises(InputError, match=r"refused: \w+\(\) changes"):
        run_read_only(duckdb.connect(), sql)


def test_their_names_in_a_string_or_a_comment_are_fine() -> None:
    result = run_read_only(duckdb.connect(), "select 'nextval(' as x -- setseed(1)\n")
    assert result.rows == [("nextval(",)]


def test_the_cli_stops_a_long_query_with_one_line(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db_path).close()
    assert main(["sql", ENDLESS, "--db", str(db_path), "--sql-timeout", "0.5"]) == 1
    assert "over the time limit of 0.5 s" in capsys.readouterr().err
    assert main(["sql", "select 1", "--db", str(db_path), "--sql-timeout", "0"]) == 2


def test_the_service_stops_a_long_query_keeps_serving_and_its_sequence_is_untouched(
    db_path: Path,
) -> None:
    app = create_app(EngineSettings(engine="rules"), StoreSettings(db_path),
                     ServiceSettings(sql_timeout_s=0.5))  # fmt: skip
    with TestClient(app, raise_server_exceptions=False) as client:
        slow = client.post("/v1/sql", json={"sql": ENDLESS})
        assert slow.status_code == 422 and "time limit" in slow.json()["error"]
        assert client.post("/v1/sql", json={"sql": "select 1 as one"}).json()["rows"] == [[1]]
        for _ in range(2):
            refused = client.post("/v1/sql", json={"sql": "select nextval('item_ids')"})
            assert refused.status_code == 422 and "nextval" in refused.json()["error"]
        assert client.get("/v1/documents?page=9223372036854775807").status_code == 422


def test_a_malformed_content_length_gets_the_json_error_shape() -> None:
    async def app(scope: dict, receive: object, send: object) -> None:
        raise AssertionError("an unparseable request never reaches the app")

    config = uvicorn.Config(app, host="127.0.0.1", port=0, http=JsonErrorsProtocol,
                            log_level="critical", lifespan="off")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(b"POST /v1/extract HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}")
        answer = b""
        while chunk := conn.recv(4096):
            answer += chunk
    server.should_exit = True
    thread.join(10)
    head, _, body = answer.decode().partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 400") and "application/json" in head
    assert json.loads(body)["error"].startswith("invalid HTTP request")


def test_an_extraction_over_the_request_time_limit_stops_and_the_service_goes_on(
    db_path: Path,
) -> None:
    paragraph = "“We will not stop,” said Maria Silva, the union leader, on Monday.\n"
    app = create_app(EngineSettings(engine="rules"), StoreSettings(db_path),
                     ServiceSettings(extract_timeout_s=1e-9))  # fmt: skip
    with TestClient(app, raise_server_exceptions=False) as client:
        long = client.post("/v1/extract", json={"text": paragraph * 2_000})
        assert long.status_code == 422 and "time limit of 1e-09 s" in long.json()["error"]
    app = create_app(EngineSettings(engine="rules"), StoreSettings(db_path), ServiceSettings())
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/v1/extract", json={"text": paragraph}).status_code == 200
