"""Secrets never stored, printed or returned: an endpoint that echoes the request's
Authorization header in its error does not get the key into the database, the CLI's output
or the service's answers."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from extractor.cli import main
from extractor.errors import REDACTED, remember_secret, scrub
from extractor.service import create_app
from extractor.service.server import NoQueryString, log_config
from extractor.settings import EngineSettings, ServiceSettings, StoreSettings

KEY = "sk-test-Zq8Wv3Kp0Lm5Nx2Rb7Tc"


class _Echo(BaseHTTPRequestHandler):
    """A model endpoint that answers every request 400 with the headers it got."""

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        auth = self.headers.get("Authorization", "")
        body = json.dumps({"error": {"message": f"bad request; you sent Authorization: {auth}"}})
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def echo_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "text",
    ["Authorization: Bearer abcdef123456", '{"api_key": "abcdef123456"}',
     "GET /v1/x?token=abcdef123456&page=2", "key sk-proj-abcdefghijklmnopqrstu was refused"],
)  # fmt: skip
def test_anything_shaped_like_a_credential_is_scrubbed(text: str) -> None:
    scrubbed = scrub(text)
    assert REDACTED in scrubbed and "abcdef123456" not in scrubbed and "sk-proj" not in scrubbed


def test_a_configured_secret_is_scrubbed_wherever_it_appears() -> None:
    remember_secret("plain-words-secret")
    assert scrub("the key was plain-words-secret, sorry") == f"the key was {REDACTED}, sorry"
    assert scrub("a token is missing") == "a token is missing"


def test_a_key_echoed_by_the_endpoint_is_in_no_output_and_not_in_the_database(
    tmp_path: Path, echo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("“We will not stop,” said Maria Silva, the union leader.\n")
    db = tmp_path / "x.duckdb"
    argv = ["extract", str(article), "--engine", "llm", "--base-url", echo_url, "--model",
            "m", "--api-key", KEY, "--db", str(db), "--no-cache"]  # fmt: skip
    main(argv)
    main([*argv, "--json"])
    main(["runs", "--db", str(db), "--json"])
    main(["sql", "select error from run_documents", "--db", str(db)])
    out = capsys.readouterr()
    assert "HTTP 400" in out.out + out.err  # the endpoint's error is reported...
    assert KEY not in out.out + out.err  # ...without the key
    assert KEY.encode() not in db.read_bytes()
    assert REDACTED in out.out + out.err


def test_the_service_returns_no_echoed_key(tmp_path: Path, echo_url: str) -> None:
    settings = EngineSettings(engine="llm", base_url=echo_url, model="m", api_key=KEY,
                              max_retries=0, use_cache=False, cache_dir=tmp_path)  # fmt: skip
    app = create_app(settings, StoreSettings(tmp_path / "s.duckdb"), ServiceSettings())
    with TestClient(app, raise_server_exceptions=False) as client:
        answers = [
            client.post("/v1/extract", json={"text": "He said “no”."}),
            client.get("/healthz"),
        ]
    assert "HTTP 400" in answers[0].json()["model_error"]
    for response in answers:
        assert KEY not in response.text


def test_a_token_in_the_url_is_refused_with_a_hint_and_not_logged(tmp_path: Path) -> None:
    app = create_app(EngineSettings(engine="rules"), StoreSettings(tmp_path / "t.duckdb"),
                     ServiceSettings(api_token="tok-in-url-123"))  # fmt: skip
    with TestClient(app) as client:
        response = client.get("/v1/documents?token=tok-in-url-123")
    assert response.status_code == 401 and "Authorization header" in response.json()["error"]
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("1.2.3.4:5", "GET", "/v1/documents?token=tok-in-url-123", "1.1",
                                401), None)  # fmt: skip
    assert NoQueryString().filter(record)
    assert "tok-in-url" not in record.getMessage() and "/v1/documents?" in record.getMessage()
    assert log_config()["handlers"]["access"]["filters"] == ["no_query"]


def test_a_key_echoed_in_a_good_answer_is_not_in_the_call_log(tmp_path: Path) -> None:
    from tests.fake_openai_http import FakeOpenAIServer

    article = tmp_path / "a.txt"
    article.write_text("“We will not stop,” said Maria Silva, the union leader.\n")
    db = tmp_path / "x.duckdb"
    echo = {"quotes": [], "claims": [], "events": [], "note": f"you sent Bearer {KEY}"}
    with FakeOpenAIServer(echo) as server:
        argv = ["extract", str(article), "--engine", "llm", "--base-url", server.base_url,
                "--model", "fake", "--api-key", KEY, "--db", str(db), "--no-cache"]  # fmt: skip
        assert main(argv) == 0
    assert KEY.encode() not in db.read_bytes()
    assert main(["logs", "--db", str(db), "-q", "you sent"]) == 0  # the answer is logged, scrubbed
