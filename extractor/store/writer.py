"""A writer thread beside the engines: documents are queued as they are extracted and
written in batches, several documents per transaction (each document whole or not at all).

A batch is what arrived within `max_delay_s` of its first document, up to `max_batch`
documents. A batch the database refuses is written again one document at a time, so one
bad document costs only itself: it is recorded as failed (`failure` builds that record).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

import duckdb

from extractor.errors import ExtractorError, one_line
from extractor.store.db import Store
from extractor.store.write import Write

T = TypeVar("T")
_STOP = object()


class Writer(Generic[T]):
    def __init__(
        self,
        store: Store,
        *,
        failure: Callable[[T, Write, str], Write],
        on_written: Callable[[T, str | None], None],
        max_batch: int = 200,
        max_delay_s: float = 0.2,
    ) -> None:
        """`on_written(token, error)` is called on the writer thread after each document's
        commit (`error`: why it was refused and recorded as failed instead)."""
        self.store = store
        self.failure = failure
        self.on_written = on_written
        self.max_batch = max_batch
        self.max_delay_s = max_delay_s
        self.written = 0
        self._queue: queue.Queue[object] = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self._thread.start()

    def put(self, token: T, write: Write | None) -> None:
        """Queue `write` (None: nothing to write, `token` is only reported in turn)."""
        if self._error is not None:
            raise self._error
        self._queue.put((token, write))

    def close(self, timeout: float | None = None) -> None:
        """Write what is queued, then stop. Raises what stopped the writer, if anything."""
        self._queue.put(_STOP)
        self._thread.join(timeout)
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            stopping = False
            while not stopping:
                first = self._queue.get()
                if first is _STOP:
                    return
                batch = [first]
                deadline = time.monotonic() + self.max_delay_s
                while len(batch) < self.max_batch:
                    try:
                        item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                    except queue.Empty:
                        break
                    if item is _STOP:
                        stopping = True
                        break
                    batch.append(item)
                self._flush(batch, last=stopping)  # type: ignore[arg-type]
        except BaseException as exc:  # the database itself failed: the batch stops
            self._error = exc

    def _flush(self, batch: list[tuple[T, Write | None]], *, last: bool = False) -> None:
        """Write `batch`. Unless it is the `last` (the run's close follows at once, on the
        same file), an empty queue hands the file over to other processes."""
        try:
            self.store.write([write for _, write in batch if write is not None])
            errors: list[str | None] = [None] * len(batch)
        except (ExtractorError, duckdb.Error):
            errors = [self._write_alone(token, write) for token, write in batch]
        self.written += len(batch)
        if not last and self._queue.empty():  # the next batch is `max_delay_s` away
            self.store.hand_over()
        for (token, _), error in zip(batch, errors, strict=True):
            self.on_written(token, error)

    def _write_alone(self, token: T, write: Write | None) -> str | None:
        if write is None:
            return None
        try:
            self.store.write([write])
            return None
        except (ExtractorError, duckdb.Error) as exc:
            error = one_line(exc)
            self.store.write([self.failure(token, write, error)])
            return error
