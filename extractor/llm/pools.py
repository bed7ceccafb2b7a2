"""HTTP connections for the model client: one connection pool per thread.

A batch asks the model from many worker threads at once. One pool shared by all of them
costs CPU on every request in proportion to its connections: httpcore scans the whole
pool to assign each request and again to release it, under one lock, so at 64 documents
in flight this scan was a large part of the client's CPU per request. A thread makes one
request at a time, so a pool of its own holds one live connection (kept alive from
request to request, as before) and its scans are trivial.

Every pool shares one SSL context: creating one (loading the CA bundle) takes
milliseconds of CPU. The pool of a thread that has ended is closed when another thread
opens one, so a process running batch after batch does not keep the connections of
finished workers; `close()` closes them all (a request after it opens a new one).
"""

from __future__ import annotations

import ssl
import threading

import httpx

#: A thread's pool: its one request at a time, and a spare kept alive (a retry may
#: start before the failed connection is released).
THREAD_LIMITS = httpx.Limits(max_connections=4, max_keepalive_connections=2)


class ThreadPools(httpx.BaseTransport):
    def __init__(
        self, *, limits: httpx.Limits = THREAD_LIMITS, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self.limits = limits
        self.ssl_context = ssl_context or httpx.create_ssl_context()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._pools: list[tuple[threading.Thread, httpx.HTTPTransport]] = []

    @property
    def pools(self) -> int:
        """How many pools are open (one per thread that made a request and is alive, or
        ended since the last pool was opened)."""
        with self._lock:
            return len(self._pools)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._pool().handle_request(request)

    def close(self) -> None:
        with self._lock:
            pools, self._pools = self._pools, []
            self._local = threading.local()  # a request after this opens a new pool
        for _, pool in pools:
            pool.close()

    def _pool(self) -> httpx.HTTPTransport:
        pool: httpx.HTTPTransport | None = getattr(self._local, "pool", None)
        if pool is not None:
            return pool
        pool = httpx.HTTPTransport(verify=self.ssl_context, limits=self.limits)
        with self._lock:
            ended = [p for thread, p in self._pools if not thread.is_alive()]
            self._pools = [(t, p) for t, p in self._pools if t.is_alive()]
            self._pools.append((threading.current_thread(), pool))
        for old in ended:
            old.close()
        self._local.pool = pool
        return pool
