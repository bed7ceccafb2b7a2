"""How long scoring takes: 10,000 documents' worth of gold and predictions.

    .venv/bin/python bench/bench_eval.py [DOCUMENTS]

Times `score()`, `write_samples()` and `compare()` (two such evals, 1,000 bootstrap
resamples) and prints seconds and documents per second. Target: seconds, not minutes,
for 10,000 documents with 20 gold items of each kind (about 80% of them predicted,
shifted or cut, plus a few false positives).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from extractor.eval import compare, eval_output, score, write_samples
from extractor.eval.gold import GoldDocument
from extractor.schemas import Claim, DocumentExtraction, Event, Quote

ITEMS = 20
NAMES = ["Ann Lee", "General Dan Caine", "Marco Rubio", "<author>", "Kim Jong-un"]


def synthetic(
    documents: int, seed: int
) -> tuple[list[GoldDocument], dict[str, DocumentExtraction]]:
    rng = random.Random(seed)
    text = "x" * (ITEMS * 100)
    gold, predictions = [], {}
    for n in range(documents):
        items: dict[str, list[dict[str, object]]] = {"quotes": [], "claims": [], "events": []}
        preds: dict[str, list[object]] = {"quotes": [], "claims": [], "events": []}
        for k in range(ITEMS):
            start = k * 100
            name = rng.choice(NAMES)
            attributes: dict[str, dict[str, object]] = {
                "quotes": {"speaker": name},
                "claims": {"claimant": name},
                "events": {
                    "event_type": "meeting",
                    "actors": [name, "Japan"],
                    "location": "Seoul",
                    "time": "2025-07-11",
                },
            }
            for kind, model in (("quotes", Quote), ("claims", Claim), ("events", Event)):
                items[kind].append(
                    {"char_start": start, "char_end": start + 60, **attributes[kind]}
                )
                if rng.random() < 0.8:  # an exact, shifted or cut prediction
                    s = start + rng.randint(0, 20)
                    e = s + rng.randint(40, 70)
                    guess = {**attributes[kind], "text": text[s:e], "char_start": s, "char_end": e}
                    if kind == "events":
                        guess["actors"] = [name.split()[-1]]
                    preds[kind].append(model.model_validate(guess))
                if rng.random() < 0.1:  # a false positive between two gold items
                    s = start + 70
                    fp = {
                        **attributes[kind],
                        "text": text[s : s + 25],
                        "char_start": s,
                        "char_end": s + 25,
                    }
                    preds[kind].append(model.model_validate(fp))
        doc_id = f"doc-{n}"
        gold.append(GoldDocument(doc_id, text, None, None, dict(items)))
        predictions[doc_id] = DocumentExtraction.model_validate(preds)
    return gold, predictions


def timed(label: str, documents: int, started: float) -> float:
    seconds = time.perf_counter() - started
    print(f"{label:<17} {seconds:6.2f} s  ({documents / seconds:,.0f} documents/s)")
    return seconds


def main() -> None:
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    gold, predictions = synthetic(documents, seed=7)
    started = time.perf_counter()
    result = score(gold, predictions)
    timed("score()", documents, started)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        write_samples(result, Path(folder) / "samples.jsonl")
        timed("write_samples()", documents, started)
    other = score(gold, synthetic(documents, seed=8)[1])
    started = time.perf_counter()
    compare(eval_output("a", result, {}), eval_output("b", other, {}))
    timed("compare()", documents, started)
    print(
        f"documents: {documents:,}  gold items: {documents * ITEMS * 3:,}  "
        f"samples: {len(result.samples):,}"
    )


if __name__ == "__main__":
    main()
