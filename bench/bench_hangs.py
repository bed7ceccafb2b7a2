"""Hung model requests must not stall the other workers: a fake endpoint that answers in
500 ms but never answers 5% of requests (every 20th), side by side with the timeout fitted
to the endpoint (the default when no --timeout is set) and with a fixed 120 s timeout.

    .venv/bin/python bench/bench_hangs.py [N_DOCUMENTS] [CONCURRENCY]     # default 300 16

Prints, per timeout: wall seconds, achieved / ideal throughput (ideal: concurrency /
500 ms), the longest time with no document completed, the share of 5 s windows with no
completion, and the documents stored ok / partial / failed. The fixed-timeout row runs a
sixth of the documents (each hang costs it 120 s).
"""

from __future__ import annotations

import itertools
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.engines import create_engine  # noqa: E402
from extractor.pipeline import Outcome, Source, run_batch  # noqa: E402
from extractor.settings import EngineSettings  # noqa: E402
from extractor.store import Store  # noqa: E402
from extractor.text.articles import Article  # noqa: E402
from tests.fake_openai_http import FakeOpenAIServer  # noqa: E402

LATENCY_S = 0.5
HANG_EVERY = 20
WINDOW_S = 5.0


class HangingModel:
    def __init__(self) -> None:
        self.count = itertools.count(1)

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        if next(self.count) % HANG_EVERY == 0:
            threading.Event().wait()  # never answers (a daemon thread: gone at exit)
        time.sleep(LATENCY_S)
        return {"quotes": [], "claims": [], "events": []}


def run(count: int, concurrency: int, timeout_s: float | None, tmp: Path) -> dict[str, Any]:
    model = HangingModel()
    with FakeOpenAIServer(model) as server:
        settings = EngineSettings(
            engine="llm", base_url=server.base_url, model="fake", use_candidates=False,
            use_cache=False, cache_dir=tmp / "cache", timeout_s=timeout_s,
            max_model_failures=0,
        )  # fmt: skip
        engine = create_engine(settings)
        done_at: list[float] = []
        statuses: list[str] = []

        def done(_run: str, outcome: Outcome) -> None:
            done_at.append(time.perf_counter())
            statuses.append(outcome.status)

        sources = [
            Source(f"d{n}", lambda n=n: Article(text=f"Article {n}. “Prices rise,” said Ana Lima."))
            for n in range(count)
        ]
        with Store(tmp / f"hang-{timeout_s}.duckdb") as store:
            started = time.perf_counter()
            run_batch(sources, engine, store, concurrency=concurrency, on_done=done)
            wall = time.perf_counter() - started
        engine.close()
    marks = [started, *sorted(done_at)]
    gaps = [b - a for a, b in itertools.pairwise(marks)]
    windows = max(1, int(wall // WINDOW_S))
    busy = {int((t - started) // WINDOW_S) for t in done_at}
    return {
        "wall": wall,
        "ratio": (count / wall) / (concurrency / LATENCY_S),
        "longest_gap": max(gaps) if gaps else wall,
        "empty_windows": sum(1 for w in range(windows) if w not in busy) / windows,
        "statuses": {s: statuses.count(s) for s in sorted(set(statuses))},
        "count": count,
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    with tempfile.TemporaryDirectory() as tmp:
        rows = [
            ("fitted (default)", run(count, concurrency, None, Path(tmp))),
            ("fixed 120 s", run(max(concurrency * 2, count // 6), concurrency, 120.0, Path(tmp))),
        ]
    print(f"5% of requests hang; {LATENCY_S * 1000:.0f} ms otherwise; concurrency {concurrency}")
    print(f"{'timeout':18s} {'docs':>5s} {'wall s':>8s} {'achieved/ideal':>15s} "
          f"{'longest stall s':>16s} {'empty 5 s windows':>18s}  stored")  # fmt: skip
    for label, r in rows:
        stored = ", ".join(f"{n} {s}" for s, n in r["statuses"].items())
        print(f"{label:18s} {r['count']:5d} {r['wall']:8.1f} {r['ratio']:15.2f} "
              f"{r['longest_gap']:16.1f} {r['empty_windows']:18.0%}  {stored}")  # fmt: skip


if __name__ == "__main__":
    main()
