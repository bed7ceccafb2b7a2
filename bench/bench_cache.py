"""Re-running a batch with the response cache: the second run makes no model calls.

    .venv/bin/python bench/bench_cache.py [N_ARTICLES]

Extracts N fixture articles with the local engine twice into a fresh database and cache,
side by side in one process, and prints both times, the ratio and the model calls of each.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from extractor.engines import create_engine
from extractor.pipeline import Source, run_batch
from extractor.settings import EngineSettings
from extractor.store import Store
from extractor.text.articles import read_article

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    paths = sorted((ROOT / "fixtures" / "articles").rglob("*.txt"))[:count]
    with tempfile.TemporaryDirectory() as tmp:
        settings = EngineSettings(engine="local", cache_dir=Path(tmp) / "cache", concurrency=1)
        db_path = Path(tmp) / "b.duckdb"
        engine = create_engine(settings)  # model load is outside both timings
        timings = []
        with Store(db_path) as store:
            for label in ("first run", "second run"):
                sources = [Source(str(p), lambda p=p: read_article(p)) for p in paths]
                started = time.perf_counter()
                result = run_batch(sources, engine, store)
                elapsed = time.perf_counter() - started
                calls = [c for o in result.outcomes if o.output for c in o.output.calls]
                made = sum(c.outcome != "cached" for c in calls)
                cached = len(calls) - made
                print(f"{label}: {elapsed:7.2f} s  model calls {made:3d}  cached {cached:3d}  "
                      f"failed {len(result.failed)}")  # fmt: skip
                timings.append(elapsed)
        engine.close()
    print(f"articles: {len(paths)}  speed-up: {timings[0] / timings[1]:,.0f}x")


if __name__ == "__main__":
    main()
