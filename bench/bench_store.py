"""What storing costs per document: one transaction per document vs the writer's batches.

    .venv/bin/python bench/bench_store.py [N_DOCUMENTS]

Writes N synthetic documents (each with the items of an average rules-engine article: 3
quotes, 4 claims, 11 events, 12 rejections, 1 model call) into fresh databases, side by
side in one process: once a transaction per document (`Store.save_extraction`), once
through `Writer` (batches of whole documents), and once again through `Writer` over the
same documents (the re-run that supersedes). Prints ms per document and the bound.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from extractor.records import CallRecord, Reason, Rejection
from extractor.schemas import Claim, DocumentExtraction, Event, Quote
from extractor.store import DocumentWrite, RunInfo, Store, Writer
from extractor.text.articles import Article

BOUND_MS = 2.0
INFO = RunInfo("bench", None, None, None, {})


def document(n: int) -> tuple[Article, DocumentExtraction, list[CallRecord], list[Rejection]]:
    sentence = f"Ana Lima said “we will win the vote number {n}” on Monday. Prices may rise. "
    text = sentence * 12
    q, c = sentence.index("we will"), sentence.index("Prices")
    step = len(sentence)
    quotes = [Quote(text=f"we will win the vote number {n}", char_start=q + i * step,
                    char_end=q + i * step + len(f"we will win the vote number {n}"),
                    speaker="Ana Lima") for i in range(3)]  # fmt: skip
    claims = [Claim(text="Prices may rise", char_start=c + i * step, char_end=c + i * step + 15,
                    claimant="<author>", hedged=True) for i in range(4)]  # fmt: skip
    events = [Event(text=sentence[: c - 1], char_start=i * step, char_end=i * step + c - 1,
                    event_type="statement", actors=["Ana Lima"]) for i in range(11)]  # fmt: skip
    rejections = [Rejection("quote", {"text": "x"}, Reason.not_in_text, "not in the text")] * 12
    calls = [CallRecord("m", 100, 20, 500.0, 1, "ok")]
    extraction = DocumentExtraction(quotes=quotes, claims=claims, events=events)
    return Article(text=text, title=f"doc {n}"), extraction, calls, rejections


def main(count: int | None = None) -> dict[str, float]:
    """Prints, and returns, the ms per document of each way of storing."""
    count = count or (int(sys.argv[1]) if len(sys.argv) > 1 else 500)
    docs = [document(n) for n in range(count)]
    with tempfile.TemporaryDirectory() as tmp:
        figures = {}
        with Store(Path(tmp) / "one.duckdb") as store:
            run_id = store.start_run(INFO)
            started = time.perf_counter()
            for article, extraction, calls, rejections in docs:
                store.save_extraction(run_id, article, extraction, calls, rejections, 1.0)
            figures["a transaction per document"] = time.perf_counter() - started
        with Store(Path(tmp) / "batched.duckdb") as store:
            for label in ("writer thread, batches", "writer thread, re-run superseding"):
                run_id = store.start_run(INFO)
                writer: Writer[int] = Writer(
                    store,
                    failure=lambda *_: None,
                    on_written=lambda *_: None,  # type: ignore[arg-type,return-value]
                )
                started = time.perf_counter()
                for n, (article, extraction, calls, rejections) in enumerate(docs):
                    writer.put(n, DocumentWrite(run_id, article, extraction, calls, rejections))
                writer.close()
                figures[label] = time.perf_counter() - started
    for label, seconds in figures.items():
        per_doc = seconds * 1000 / count
        ratio = per_doc / BOUND_MS
        print(f"{label:36s} {per_doc:7.2f} ms/doc  ({ratio:.2f} of the {BOUND_MS} ms bound)")
    return {label: seconds * 1000 / count for label, seconds in figures.items()}


if __name__ == "__main__":
    main()
