"""Model calls recorded when they are sent, so a killed process loses no record of what it
spent.

A document's calls reach `llm_calls` with the document, in its transaction (all or
nothing). Until then each call is also a line in its run's journal, an append-only JSON
Lines file beside the database (`DB.calls/RUN.jsonl`): `sent` when the request leaves,
`answered` with its record when it returns. The journal is written with one `write` per
line on a file opened for appending, so a kill (even -9) keeps every line already
written. When the run closes (done or interrupted; or, left by a killed process, when the
next store opens), the calls of documents the run did not store are added to `llm_calls`
(answered ones as they were; a request with no answer as `unanswered`, its tokens
unknown) and the journal is deleted.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from extractor.records import CallRecord

#: A request sent whose answer the run never recorded (the process stopped first).
UNANSWERED = "unanswered"


def journal_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".calls")


class Journal:
    """One run's journal; `document(id)` gives the log a document's recorder writes to."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # never held across a write (see `append`)
        self._fd: int | None = None
        #: Appends writing now, by descriptor: one `close` retired is closed by its last.
        self._writing: dict[int, int] = {}
        #: The documents this journal was given logs for (what may have lines in it).
        self.documents: set[str] = set()

    def document(self, document_id: str) -> DocumentCalls:
        self.documents.add(document_id)
        return DocumentCalls(self, document_id)

    def append(self, entry: dict[str, Any]) -> None:
        """One line, in one `write`, outside the lock: appends to a regular file are not
        interleaved (the kernel writes each at the end, whole). Holding the lock across
        the write made the workers queue for the GIL: the writer releases it in the
        system call and waits up to a switch interval to take it back while every other
        worker waits for the lock; at 64 documents in flight, their first requests went
        out over ~200 ms instead of at once. An append after `close` opens the file again
        (a straggler's call, added to `llm_calls` when the next store opens)."""
        line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode()
        with self._lock:
            if self._fd is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            fd = self._fd
            self._writing[fd] = self._writing.get(fd, 0) + 1
        try:
            os.write(fd, line)
        finally:
            with self._lock:
                self._writing[fd] -= 1
                if not self._writing[fd]:
                    del self._writing[fd]
                    if fd != self._fd:  # closed while this wrote
                        os.close(fd)

    def close(self) -> None:
        with self._lock:
            fd, self._fd = self._fd, None
            if fd is not None and fd not in self._writing:
                os.close(fd)


class DocumentCalls:
    """What the model transport tells of one document's calls (`records.CallLog`)."""

    def __init__(self, journal: Journal, document_id: str) -> None:
        self.journal = journal
        self.document_id = document_id
        self.sequence = 0  # a document's calls are made one after the other

    def sent(self, model: str, chunk_index: int, attempt: int, messages: Any) -> None:
        self.sequence += 1
        self.journal.append({
            "event": "sent", "document_id": self.document_id, "seq": self.sequence,
            "model": model, "chunk_index": chunk_index, "attempt": attempt,
            "messages": messages,
        })  # fmt: skip

    def answered(self, call: CallRecord) -> None:
        """The call's record without its messages: its `sent` line has them (the largest
        part of either line: the prompt), and `unrecorded_calls` joins the two."""
        self.journal.append({
            "event": "answered", "document_id": self.document_id, "seq": self.sequence,
            "call": _fields(call),
        })  # fmt: skip


def _fields(call: CallRecord) -> dict[str, Any]:
    """The call's fields but its messages, as `asdict` gives them without copying: they
    are only written as JSON (`asdict` deep-copied the messages of every call)."""
    return {f.name: getattr(call, f.name) for f in fields(call) if f.name != "messages"}


def unrecorded_calls(path: Path, stored: set[str]) -> Iterator[tuple[str, CallRecord]]:
    """The calls in journal `path` of documents not in `stored`: each answered call, and
    each request sent with no answer after it (`UNANSWERED`)."""
    if not path.exists():
        return
    pending: dict[tuple[str, int], dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:  # a line cut by the kill
            continue
        document_id = entry.get("document_id")
        if document_id in stored:
            continue
        if entry.get("event") == "sent":
            pending[document_id, entry["seq"]] = entry
        elif entry.get("event") == "answered":
            sent = pending.pop((document_id, entry["seq"]), None)
            call = entry["call"]
            if "messages" not in call and sent is not None:
                call["messages"] = sent["messages"]
            yield document_id, CallRecord(**call)
    for (document_id, _), entry in pending.items():
        yield document_id, CallRecord(
            model=entry["model"], prompt_tokens=None, completion_tokens=None, latency_ms=0.0,
            attempt=entry["attempt"], outcome=UNANSWERED, chunk_index=entry["chunk_index"],
            error="sent; the run stopped before its answer", messages=entry["messages"],
        )  # fmt: skip
