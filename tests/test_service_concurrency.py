"""The service under load, through a real uvicorn server on 127.0.0.1 and real sockets."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from extractor.service import create_app
from extractor.settings import EngineSettings, ServiceSettings, StoreSettings
from extractor.store import Store
from tests.conftest import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run `app` on uvicorn in a thread (random port); stop it (and the app) at the end."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def post_until_admitted(client: httpx.Client, text: str) -> tuple[httpx.Response, int]:
    """POST, honouring 429 + Retry-After as a well-behaved client does, then read the
    document back while other requests are still writing."""
    refusals = 0
    while True:
        response = client.post("/v1/extract", json={"text": text})
        if response.status_code == 200:
            doc = client.get(f"/v1/documents/{response.json()['document_id']}").json()
            assert doc["extraction"]["quotes"] == response.json()["quotes"]
        if response.status_code != 429:
            return response, refusals
        refusals += 1
        assert refusals < 30, "never admitted"
        time.sleep(min(float(response.headers["Retry-After"]), 2.0))


def test_fifty_concurrent_extractions_store_fifty_documents(db_path: Path) -> None:
    texts = [
        f"{SEED_TEXT}\nEditor’s note {n}: “Update {n} follows,” the desk said." for n in range(50)
    ]
    app = create_app(EngineSettings(engine="rules", concurrency=4), StoreSettings(db_path))
    with serving(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        with ThreadPoolExecutor(max_workers=50) as pool:
            results = list(pool.map(lambda text: post_until_admitted(client, text), texts))
        statuses = [response.status_code for response, _ in results]
        assert statuses == [200] * 50
        ids = {response.json()["document_id"] for response, _ in results}
        assert len(ids) == 50
        run_id = results[0][0].json()["run_id"]
    with Store(db_path) as store:
        documents = store.query("SELECT count(*) FROM documents")[0][0]
        outcomes = store.query(
            "SELECT status, count(*) FROM run_documents WHERE run_id = ? GROUP BY status", [run_id]
        )
        quotes = store.query(
            "SELECT count(*), count(*) FILTER (substring(d.text, q.char_start + 1, "
            "q.char_end - q.char_start) = q.text) FROM quotes q JOIN documents d "
            "ON d.id = q.document_id"
        )[0]
        run_status = store.query("SELECT status FROM runs WHERE id = ?", [run_id])[0][0]
    assert documents == 50 and outcomes == [("ok", 50)]
    assert quotes[0] >= 50 * 3 and quotes[0] == quotes[1]  # every quote grounded, none lost
    assert run_status == "done"  # the service run is closed when the server stops


class HeldEndpoint(BaseHTTPRequestHandler):
    """A model endpoint that holds every completion until released, then fails it."""

    release = threading.Event()

    def do_GET(self) -> None:
        self._answer(200, b'{"data": []}')

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.release.wait(timeout=20)
        self._answer(500, b'{"error": {"message": "overloaded"}}')

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_saturated_server_answers_429_with_retry_after(db_path: Path, tmp_path: Path) -> None:
    endpoint = ThreadingHTTPServer(("127.0.0.1", 0), HeldEndpoint)
    threading.Thread(target=endpoint.serve_forever, daemon=True).start()
    settings = EngineSettings(
        engine="llm",
        base_url=f"http://127.0.0.1:{endpoint.server_address[1]}/v1",
        concurrency=1,
        max_retries=0,
        use_candidates=False,
        use_cache=False,
        cache_dir=tmp_path / "cache",
    )
    app = create_app(settings, StoreSettings(db_path), ServiceSettings(queue=1))
    try:
        with (
            serving(app) as url,
            httpx.Client(base_url=url, timeout=30) as client,
            ThreadPoolExecutor(max_workers=2) as pool,
        ):
            held = [
                pool.submit(client.post, "/v1/extract", json={"text": f"Text {n}."})
                for n in range(2)
            ]
            deadline = time.monotonic() + 10
            while client.get("/healthz").json()["admitted"] < 2:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            refused = client.post("/v1/extract", json={"text": "One too many."})
            HeldEndpoint.release.set()
            answers = [future.result().status_code for future in held]
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        assert "busy" in refused.json()["error"]
        assert answers == [200, 200]  # the endpoint failed them: stored partial, not lost
        with Store(db_path) as store:
            partial = store.query("SELECT count(*) FROM run_documents WHERE status = 'partial'")
        assert partial == [(2,)]
    finally:
        endpoint.shutdown()
        endpoint.server_close()
