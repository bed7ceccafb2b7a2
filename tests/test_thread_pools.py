"""The model client's HTTP connections (`extractor.llm.pools`): a pool per thread, its
connection kept alive from request to request, one SSL context for all, and the pools of
ended threads closed."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from extractor.llm.pools import ThreadPools


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """An HTTP/1.1 server (keep-alive) on a free port; the client address of each request."""
    seen: list[tuple[str, int]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            seen.append(self.client_address[:2])
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    yield f"http://{host!s}:{port}/", seen
    httpd.shutdown()
    httpd.server_close()


def _get(client: httpx.Client, url: str, times: int) -> None:
    for _ in range(times):
        assert client.get(url).text == "ok"


def test_each_thread_keeps_its_own_connection(server: tuple[str, list[tuple[str, int]]]) -> None:
    url, seen = server
    pools = ThreadPools()
    with httpx.Client(transport=pools) as client:
        threads = [threading.Thread(target=_get, args=(client, url, 5)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(seen) == 20
        assert len(set(seen)) == 4  # one connection per thread, kept alive for its 5 requests
        _get(client, url, 2)  # this thread's own pool: a fifth connection
        assert len(set(seen)) == 5


def test_every_pool_shares_one_ssl_context(
    server: tuple[str, list[tuple[str, int]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = server
    made: list[ssl.SSLContext] = []
    create = ssl.create_default_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        made.append(create(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(ssl, "create_default_context", counted)
    pools = ThreadPools()
    with httpx.Client(transport=pools) as client:
        threads = [threading.Thread(target=_get, args=(client, url, 1)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(made) == 1


def test_the_pools_of_ended_threads_are_closed(server: tuple[str, list[tuple[str, int]]]) -> None:
    url, _ = server
    pools = ThreadPools()
    with httpx.Client(transport=pools) as client:
        for _ in range(3):  # batch after batch of workers, all alive until each has asked
            together = threading.Barrier(4)

            def work(together: threading.Barrier = together) -> None:
                _get(client, url, 1)
                together.wait(timeout=10)

            threads = [threading.Thread(target=work) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert pools.pools == 4  # the last batch's: the others' were closed on the way
        _get(client, url, 1)
        assert pools.pools == 1  # this thread's; the ended workers' are closed
    assert pools.pools == 0
