"""A language analysis worker (`extractor.pipeline.processes`): `python -m
extractor.pipeline.worker NLP_MODEL` reads requests `(kind, article)` on stdin and writes
each one's answer (`processes.WORK[kind](article)`) on stdout, in turn, until stdin
closes. The requests waiting when it is free are answered together: their whole-article
parses in one batch (`analyse_later`), the same Docs as one call each."""

from __future__ import annotations

import pickle
import queue
import signal
import sys
import threading
from typing import IO, Any

from extractor import nlp
from extractor.errors import ExtractorError, one_line
from extractor.pipeline.processes import (
    WORK,
    Kind,
    read_frame,
    whole_article_parse,
    write_frame,
)
from extractor.rules import PendingAnalysis, analyse_later
from extractor.text.articles import Article

#: The most requests answered together (the first of them waits for the last).
MAX_BATCH = 16


def _answers(requests: list[tuple[Kind, Article]]) -> list[tuple[bool, Any]]:
    parses: list[PendingAnalysis | None] = [
        analyse_later(article.text, background=False) if whole_article_parse(article) else None
        for _, article in requests
    ]
    answers = []
    for (kind, article), parse in zip(requests, parses, strict=True):
        try:
            answers.append((True, WORK[kind](article, parse.result() if parse else None)))
        except ExtractorError as exc:
            answers.append((False, exc))
        except Exception as exc:  # what the parent records as an internal error
            answers.append((False, RuntimeError(f"{type(exc).__name__}: {one_line(exc)}")))
    return answers


def _encode(answer: tuple[bool, Any]) -> bytes:
    try:
        return pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        return pickle.dumps((False, RuntimeError(f"unpicklable result: {one_line(exc)}")))


def _receive(requests: IO[bytes], inbox: queue.SimpleQueue[bytes | None]) -> None:
    while (frame := read_frame(requests)) is not None:
        inbox.put(frame)
    inbox.put(None)  # stdin closed


def _waiting(inbox: queue.SimpleQueue[bytes | None]) -> list[bytes]:
    """The next request, and those waiting behind it (none: stdin closed)."""
    first = inbox.get()
    if first is None:
        return []
    batch = [first]
    while len(batch) < MAX_BATCH:
        try:
            frame = inbox.get_nowait()
        except queue.Empty:
            break
        if frame is None:
            inbox.put(None)  # answer these, then stop
            break
        batch.append(frame)
    return batch


def main(argv: list[str]) -> None:
    """A worker: requests in on stdin, answers out on stdout, until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    nlp.configure(argv[0])
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(requests, inbox), daemon=True).start()
    while batch := _waiting(inbox):
        for answer in _answers([pickle.loads(frame) for frame in batch]):
            write_frame(answers, _encode(answer))


if __name__ == "__main__":
    main(sys.argv[1:])
