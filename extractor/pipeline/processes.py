"""A batch's language analysis in processes of their own, one per core.

The rules engine's items (the candidates of the model engines too) come from a spaCy
parse and the rules run on it: about 0.15 s of CPU per news article, all of it under the
GIL, so a batch in one process uses one core however many threads it runs. The model
path parses each article too, for its entities (0.13 s of CPU per news article). An
`AnalysisPool` hands each article to one of `size` worker processes (`python -m
extractor.pipeline.worker`), so the worker threads of `run_batch` keep every core busy
while the parent asks the model, grounds, merges and stores.

`rules_candidates` and `whole_article_entities` are the one place the work is defined:
the parent calls them for a single document or without a pool, a worker process for
each article it is sent; the results are the same either way (`tests/test_processes.py`).

A worker reads requests (a length-prefixed pickle of `(kind, article)` on its stdin) and
answers each in turn (`(True, result)`, or `(False, exception)` for an article the rules
fail on: the same error the parent would have raised); the requests waiting together are
parsed in one batch (less than half the CPU of one call each for short texts, 13% less
for news). Requests are pipelined: a thread
writes its request and gets a future (the model path sends its article before asking the
model, and reads the entities after), and a reader thread per worker resolves the
futures in order. Each request goes to the worker with the fewest waiting; a new worker
starts while there are fewer than `size` and every one has work. A worker runs in a
session of its own (so Ctrl-C in the terminal reaches only the parent, which decides),
and ends when its stdin closes: when the pool closes, or when the parent dies. A worker
that dies (killed, out of memory) fails the documents it had not answered with a
one-line error; the next request starts a new one.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections import deque
from concurrent.futures import Future
from typing import IO, Any, Literal

from extractor import nlp
from extractor.engines.rules import rules_items
from extractor.errors import ExtractorError
from extractor.grounding import Placed
from extractor.rules import Analysis, analyse
from extractor.rules.entities import Entities
from extractor.rules.languages import rule_kinds
from extractor.schemas import KINDS
from extractor.text.articles import Article
from extractor.text.segment import blocks

#: The most worker processes the default uses (beyond it, the parent's own work, storing
#: and grounding, is the bound).
MAX_DEFAULT = 4
_HEADER = struct.Struct("!Q")


def default_size() -> int:
    """One worker per core this process may use, at most `MAX_DEFAULT`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT))


def batch_processes(setting: int | None, documents: int) -> int:
    """The worker processes for a batch of `documents`: none for one document (a process
    to start would cost more than it saves), else the setting or `default_size()`."""
    if documents < 2:
        return 1
    return setting if setting is not None else default_size()


def whole_article_parse(article: Article) -> bool:
    """Whether the article is parsed whole (one block of a language the rules read in
    full), so its entities are grouped over the whole text."""
    return len(blocks(article.text)) == 1 and rule_kinds(article.language) == KINDS


def rules_candidates(
    article: Article, analysis: Analysis | None = None
) -> tuple[list[Placed], Entities | None]:
    """The rules engine's raw items for the article, and its entities when it is parsed
    whole (None otherwise: longer or other-language articles keep their names as found).
    `analysis`: that parse, when already made (else it is made here)."""
    if analysis is None and whole_article_parse(article):
        analysis = analyse(article.text)
    return rules_items(article, analysis), analysis.entities if analysis is not None else None


def whole_article_entities(article: Article, analysis: Analysis | None = None) -> Entities:
    """The entities of an article parsed whole (`whole_article_parse`): what the model
    path canonicalises its items' names with. `analysis`: as for `rules_candidates`."""
    return (analysis or analyse(article.text)).entities


#: What a worker is asked: the function it runs on the article.
Kind = Literal["candidates", "entities"]
WORK = {"candidates": rules_candidates, "entities": whole_article_entities}


class AnalysisPool:
    """`size` worker processes running `rules_candidates` and `whole_article_entities`,
    started as needed."""

    def __init__(self, size: int, nlp_model: str | None = None) -> None:
        self.size = size
        self.nlp_model = nlp_model or nlp.configured()
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        self.closed = False

    def candidates(self, article: Article) -> tuple[list[Placed], Entities | None]:
        """`rules_candidates(article)`, computed by a worker."""
        result: tuple[list[Placed], Entities | None] = self.submit("candidates", article).result()
        return result

    def entities_later(self, article: Article) -> Future[Entities]:
        """`whole_article_entities(article)`, sent to a worker now: the future's `result()`
        waits for it (the caller does something else meanwhile: ask the model)."""
        return self.submit("entities", article)

    def submit(self, kind: Kind, article: Article) -> Future[Any]:
        request = pickle.dumps((kind, article), protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            if self.closed:
                raise ExtractorError("the language analysis processes were closed")
            self._workers = [w for w in self._workers if w.alive]
            worker = min(self._workers, key=lambda w: w.waiting, default=None)
            if worker is None or (worker.waiting and len(self._workers) < self.size):
                worker = _Worker(self.nlp_model)
                self._workers.append(worker)
        return worker.submit(request)

    def close(self, *, kill: bool = False) -> None:
        """End every worker: each exits when its stdin closes, once it has answered what
        it was sent (one that does not within `CLOSE_WAIT_S` is killed); at once if it
        has nothing to answer, or with `kill` (an interrupted batch: what it had not
        answered fails)."""
        with self._lock:
            self.closed = True
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.close(kill=kill)

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: AnalysisPool | None = None
_sharing = threading.Lock()


def shared_pool(size: int, nlp_model: str | None = None) -> AnalysisPool:
    """The process's pool of `size` workers, kept from batch to batch (each worker loads
    spaCy once: ~1.5 s of CPU, which a batch that started its own paid at its start) and
    closed when the process exits. Another size or pipeline closes it for a new one; so
    does closing it (an interrupted batch kills its workers)."""
    global _shared
    model = nlp_model or nlp.configured()
    with _sharing:
        pool = _shared
        if pool is None or pool.closed or (pool.size, pool.nlp_model) != (size, model):
            if pool is not None:
                pool.close()
            else:
                atexit.register(_close_shared)
            pool = _shared = AnalysisPool(size, model)
        return pool


def _close_shared() -> None:
    if _shared is not None:
        _shared.close()


#: How long a closing worker may take to answer what it was sent and exit.
CLOSE_WAIT_S = 60.0


class _Worker:
    """One worker process: requests written in turn by the threads that submit them, and
    answered in the same order (`_read`, on a thread of its own)."""

    def __init__(self, nlp_model: str) -> None:
        command = [sys.executable, "-m", "extractor.pipeline.worker", nlp_model]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True
        )
        self._writing = threading.Lock()  # one request written at a time, whole
        self._queued = threading.Lock()  # guards _futures and alive (never held to write)
        self._futures: deque[Future[Any]] = deque()
        self.alive = True
        self._reader = threading.Thread(target=self._read, name="analysis-reader", daemon=True)
        self._reader.start()

    @property
    def waiting(self) -> int:
        return len(self._futures)

    def submit(self, request: bytes) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_running_or_notify_cancel()  # `cancel()` cannot take it from its reader
        assert self.process.stdin is not None
        with self._writing:
            with self._queued:
                if not self.alive:
                    raise self._stopped()
                self._futures.append(future)
            with contextlib.suppress(OSError, ValueError):
                # A worker that died cannot be written to: its reader fails the future.
                write_frame(self.process.stdin, request)
        return future

    def _read(self) -> None:
        assert self.process.stdout is not None
        try:
            while (frame := read_frame(self.process.stdout)) is not None:
                ok, value = pickle.loads(frame)
                with self._queued:
                    future = self._futures.popleft()
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, IndexError):
            pass
        with self._queued:  # the worker ended (or answered nonsense): fail what it had
            self.alive = False
            futures, self._futures = self._futures, deque()
        if futures:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=1)  # for its exit status in the error
            error = self._stopped()
            for future in futures:
                future.set_exception(error)

    def _stopped(self) -> ExtractorError:
        return ExtractorError(
            f"the language analysis process stopped while reading this article "
            f"({self.ended()}); it was not stored, run again to retry it"
        )

    def ended(self) -> str:
        code = self.process.poll()
        if code is None:
            return "it stopped answering"
        if code < 0:
            return f"killed by signal {-code}"
        return f"exit status {code}"

    def close(self, *, kill: bool = False) -> None:
        if kill or not self._futures:  # nothing to wait for (it may be loading still)
            self.process.kill()
        if self.process.stdin is not None:
            with self._writing, contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=CLOSE_WAIT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)


def write_frame(stream: IO[bytes], data: bytes) -> None:
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> bytes | None:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    return data if len(data) == size else None
