"""Every figure with its bound, as ratios (>= 1.0 meets the bound).

    .venv/bin/python bench/run_all.py

Runs bench_store (storing ms per document, bound <= 2 ms), bench_throughput (achieved /
ideal throughput at concurrency 1-64, bound >= 0.85; resumed re-run, bound >= 10x) and
the rules engine's articles per second over the fixture articles.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import bench_store  # noqa: E402
import bench_throughput  # noqa: E402

from extractor.engines import create_engine  # noqa: E402
from extractor.pipeline import Source, run_batch  # noqa: E402
from extractor.settings import EngineSettings  # noqa: E402
from extractor.store import Store  # noqa: E402
from extractor.text.articles import read_article  # noqa: E402


def rules_per_second() -> float:
    paths = sorted((ROOT / "fixtures" / "articles").rglob("*.txt"))
    engine = create_engine(EngineSettings(engine="rules"))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "r.duckdb") as store:
        run_batch([Source("warm", lambda: read_article(paths[0]))], engine, store)
        sources = [Source(str(p), lambda p=p: read_article(p)) for p in paths]
        started = time.perf_counter()
        run_batch(sources, engine, store, concurrency=2)
        return len(paths) / (time.perf_counter() - started)


def main() -> None:
    print("== storing")
    bench_store.main()
    print("== throughput")
    bench_throughput.main()
    print("== rules engine")
    print(f"rules engine, fixture articles: {rules_per_second():.1f} articles/s")


if __name__ == "__main__":
    main()
