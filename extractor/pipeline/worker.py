"""A language analysis worker (`extractor.pipeline.processes`): `python -m
extractor.pipeline.worker NLP_MODEL` reads requests `(kind, article)` on stdin and writes
each one's answer (`processes.WORK[kind](article)`) on stdout, in turn, until stdin
closes."""

from __future__ import annotations

import pickle
import signal
import sys
from typing import Any

from extractor import nlp
from extractor.errors import ExtractorError, one_line
from extractor.pipeline.processes import WORK, Kind, read_frame, write_frame
from extractor.text.articles import Article


def _answer(kind: Kind, article: Article) -> tuple[bool, Any]:
    try:
        return True, WORK[kind](article)
    except ExtractorError as exc:
        return False, exc
    except Exception as exc:  # what the parent records as an internal error
        return False, RuntimeError(f"{type(exc).__name__}: {one_line(exc)}")


def main(argv: list[str]) -> None:
    """A worker: requests in on stdin, answers out on stdout, until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    nlp.configure(argv[0])
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    while (frame := read_frame(requests)) is not None:
        answer = _answer(*pickle.loads(frame))
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            error = RuntimeError(f"unpicklable result: {one_line(exc)}")
            data = pickle.dumps((False, error))
        write_frame(answers, data)


if __name__ == "__main__":
    main(sys.argv[1:])
