"""The rules' language analysis of a batch in processes of their own, one per core.

The rules engine's items (the candidates of the model engines too) come from a spaCy
parse and the rules run on it: about 0.15 s of CPU per news article, all of it under the
GIL, so a batch in one process uses one core however many threads it runs. `AnalysisPool`
hands each article to one of `size` worker processes (`python -m
extractor.pipeline.worker`) and waits for its items and entities, so the worker
threads of `run_batch` keep every core busy while the parent grounds, merges and stores.

`rules_candidates` is the one place the work is defined: the parent calls it for a
single document or without a pool, a worker process for each article it is sent; the
items are the same either way (`tests/test_processes.py`).

A worker reads one article at a time (a length-prefixed pickle on its stdin) and writes
back the result (`(True, (items, entities))`, or `(False, exception)` for an article the
rules fail on: the same error the parent would have raised). It starts on the first
article that finds no idle worker, in a session of its own (so Ctrl-C in the terminal
reaches only the parent, which decides), and ends when its stdin closes: when the pool
closes, or when the parent dies. A worker that dies mid-article (killed, out of memory)
fails that document with a one-line error; a new one takes its place.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from typing import IO, Any

from extractor import nlp
from extractor.engines.rules import rules_items
from extractor.errors import ExtractorError
from extractor.grounding import Placed
from extractor.rules import analyse
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


def rules_candidates(article: Article) -> tuple[list[Placed], Entities | None]:
    """The rules engine's raw items for the article, and its entities when it was parsed
    whole (None otherwise: longer or other-language articles keep their names as found)."""
    analysis = analyse(article.text) if whole_article_parse(article) else None
    return rules_items(article, analysis), analysis.entities if analysis is not None else None


class AnalysisPool:
    """`size` worker processes running `rules_candidates`, started as needed."""

    def __init__(self, size: int, nlp_model: str | None = None) -> None:
        self.size = size
        self.nlp_model = nlp_model or nlp.configured()
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._closed = False

    def candidates(self, article: Article) -> tuple[list[Placed], Entities | None]:
        """`rules_candidates(article)`, computed by an idle worker (waiting for one when
        all `size` are busy)."""
        worker = self._take()
        try:
            ok, value = worker.ask(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, ValueError, EOFError, pickle.UnpicklingError) as exc:
            self._drop(worker)
            raise ExtractorError(
                f"the language analysis process stopped while reading this article "
                f"({worker.ended()}); it was not stored, run again to retry it"
            ) from exc
        self._idle.put(worker)
        if not ok:
            raise value
        return value

    def close(self, *, kill: bool = False) -> None:
        """End every worker: each exits when its stdin closes (one that does not within
        seconds is killed), or at once with `kill` (an interrupted batch)."""
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.close(kill=kill)

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _take(self) -> _Worker:
        if self._closed:
            raise ExtractorError("the language analysis processes were closed")
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            start = len(self._workers) < self.size
            if start:
                worker = _Worker(self.nlp_model)
                self._workers.append(worker)
        return worker if start else self._idle.get()

    def _drop(self, worker: _Worker) -> None:
        """Replace a worker that died: a thread may be waiting for an idle one."""
        worker.close(kill=True)
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
            if self._closed:
                return
            replacement = _Worker(self.nlp_model)
            self._workers.append(replacement)
        self._idle.put(replacement)


class _Worker:
    """One worker process, owned by one thread at a time (the pool's idle queue)."""

    def __init__(self, nlp_model: str) -> None:
        command = [sys.executable, "-m", "extractor.pipeline.worker", nlp_model]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True
        )

    def ask(self, request: bytes) -> tuple[bool, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        write_frame(self.process.stdin, request)
        frame = read_frame(self.process.stdout)
        if frame is None:
            raise EOFError("no answer")
        answer: tuple[bool, Any] = pickle.loads(frame)
        return answer

    def ended(self) -> str:
        code = self.process.poll()
        if code is None:
            return "it stopped answering"
        if code < 0:
            return f"killed by signal {-code}"
        return f"exit status {code}"

    def close(self, *, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


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
