"""Every figure of issue 12 with its bound, as one table of ratios (>= 1.00 meets it).

    .venv/bin/python bench/run_all.py

Runs, in order (about five minutes on a busy 2-core machine):
- bench_store: storing, ms per document through the writer thread (bound <= 2 ms);
- bench_throughput: achieved / ideal throughput against a 500 ms model at concurrency 1,
  4, 16, 32 and 64 (bound >= 0.85), with the pipeline's CPU per document beside each, and
  the resumed re-run of 200 articles (cold / again, bound >= 10);
- bench_startup: CPU seconds of `extractor --help` and `extractor sql "select 1"` (bound
  <= 0.25 s);
- the rules engine's articles per second over the fixture articles, and the eval's
  scoring speed (documents per second of `score()`; bound: 10,000 documents in seconds,
  not minutes, i.e. >= 10,000 / 60 per second).
Each section prints as it runs; the table at the end has them all.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import bench_eval  # noqa: E402
import bench_startup  # noqa: E402
import bench_store  # noqa: E402
import bench_throughput  # noqa: E402
from bench_throughput import Figure, line  # noqa: E402

from extractor.engines import create_engine  # noqa: E402
from extractor.eval import score  # noqa: E402
from extractor.pipeline import Source, run_batch  # noqa: E402
from extractor.pipeline.processes import batch_processes  # noqa: E402
from extractor.settings import EngineSettings  # noqa: E402
from extractor.store import Store  # noqa: E402
from extractor.text.articles import read_article  # noqa: E402

#: Documents scored for the eval's speed (10,000 take the same time per document).
EVAL_DOCUMENTS = 2_000
EVAL_BOUND = 10_000 / 60


def rules_per_second() -> float:
    paths = sorted((ROOT / "fixtures" / "articles").rglob("*.txt"))
    engine = create_engine(EngineSettings(engine="rules"))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "r.duckdb") as store:
        sources = [Source(str(p), lambda p=p: read_article(p)) for p in paths]
        processes = batch_processes(None, len(sources))  # as `extract` runs a batch
        warm = [Source(f"warm{n}", lambda: read_article(paths[0])) for n in range(processes)]
        run_batch(warm, engine, store, concurrency=processes, processes=processes)
        started = time.perf_counter()
        run_batch(sources, engine, store, concurrency=2 * processes, processes=processes)
        return len(paths) / (time.perf_counter() - started)


def scoring_per_second(documents: int) -> float:
    gold, predictions = bench_eval.synthetic(documents, seed=7)
    started = time.perf_counter()
    score(gold, predictions)
    return documents / (time.perf_counter() - started)


def main() -> None:
    started = time.perf_counter()
    table: list[tuple[str, float, float, str, bool]] = []
    print("== storing")
    stored = bench_store.main(500)
    for label, ms in stored.items():
        if label.startswith("writer thread"):
            table.append((f"store: {label} (ms/doc)", ms, bench_store.BOUND_MS, "", False))
    print("== throughput")
    figures: list[Figure] = bench_throughput.main()
    table += [(label, value, bound, note, True) for label, value, bound, note in figures]
    print("== startup")
    table += [(*figure, False) for figure in bench_startup.main(10)]
    print("== rules engine and eval")
    rules = rules_per_second()
    print(f"rules engine, fixture articles: {rules:.1f} articles/s")
    scoring = scoring_per_second(EVAL_DOCUMENTS)
    print(f"eval score(), {EVAL_DOCUMENTS:,} synthetic documents: {scoring:,.0f} documents/s")
    table.append(("eval: score() documents/s", scoring, EVAL_BOUND, "10,000 docs in < 60 s", True))
    elapsed = time.perf_counter() - started
    print(f"\n== all figures (ratio >= 1.00 meets the bound; {elapsed:.0f} s in all)")
    for label, value, bound, note, above in table:
        print(line(label, value, bound, note, above))
    print(f"{'rules engine: fixture articles/s':52s} {rules:8.1f}  (no bound: a regression shows)")


if __name__ == "__main__":
    main()
