"""How long scoring takes: 10,000 documents' worth of gold and predictions.

    .venv/bin/python bench/bench_eval.py [DOCUMENTS]

Prints documents per second for `score()` and `write_samples()`. Target: seconds, not
minutes, for 10,000 documents with 20 items of each kind.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from eval import score, write_samples
from eval.gold import GoldDocument
from schemas import Claim, DocumentExtraction, Event, Quote

ITEMS = 20


def synthetic(documents: int) -> tuple[list[GoldDocument], dict[str, DocumentExtraction]]:
    rng = random.Random(7)
    text = "x" * (ITEMS * 100)
    gold, predictions = [], {}
    for n in range(documents):
        items: dict[str, list[dict[str, object]]] = {"quotes": [], "claims": [], "events": []}
        preds: dict[str, list[object]] = {"quotes": [], "claims": [], "events": []}
        for k in range(ITEMS):
            start = k * 100
            for kind in items:
                g = {"char_start": start, "char_end": start + 60, "speaker": "Ann Lee",
                     "claimant": "Ann Lee", "event_type": "meeting",
                     "actors": ["A", "B"]}  # fmt: skip
                items[kind].append(g)
                if rng.random() < 0.8:  # a near-miss or shifted prediction
                    s = start + rng.randint(0, 20)
                    e = s + rng.randint(40, 70)
                    span = {"text": text[s:e], "char_start": s, "char_end": e}
                    model = {"quotes": Quote, "claims": Claim, "events": Event}[kind]
                    extra = {"event_type": "meeting", "actors": ["B"]} if kind == "events" else {}
                    preds[kind].append(model(**span, **extra))
        doc_id = f"doc-{n}"
        gold.append(GoldDocument(doc_id, text, None, None, dict(items)))
        predictions[doc_id] = DocumentExtraction(**preds)  # type: ignore[arg-type]
    return gold, predictions


def main() -> None:
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    gold, predictions = synthetic(documents)
    started = time.perf_counter()
    result = score(gold, predictions)
    scored = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        write_samples(result, Path(folder) / "samples.jsonl")
        written = time.perf_counter() - started
    items = documents * ITEMS * 3
    print(f"documents: {documents:,}  gold items: {items:,}  samples: {len(result.samples):,}")
    print(f"score():         {scored:6.2f} s  ({documents / scored:,.0f} documents/s)")
    print(f"write_samples(): {written:6.2f} s  ({documents / written:,.0f} documents/s)")


if __name__ == "__main__":
    main()
