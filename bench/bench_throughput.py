"""Batch throughput against a model that takes 500 ms per request.

    .venv/bin/python bench/bench_throughput.py

Extracts small articles with the `llm` engine (no rule candidates: the model's latency is
what is measured) against `tests/fake_openai_http.py` answering after 500 ms, at
concurrency 1, 4, 16, 32 and 64, and prints achieved / ideal throughput (ideal:
concurrency / latency; bound >= 0.85). Then a cold run of 200 articles and the same
command again (resumed: every document stored ok, no model call), and their ratio
(bound >= 10).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.engines import Engine, create_engine  # noqa: E402
from extractor.pipeline import Source, extract_one, run_batch  # noqa: E402
from extractor.settings import EngineSettings  # noqa: E402
from extractor.store import Store  # noqa: E402
from extractor.text.articles import Article  # noqa: E402
from tests.fake_openai_http import FakeOpenAIServer  # noqa: E402

LATENCY_S = 0.5
THROUGHPUT_BOUND = 0.85
RESUME_BOUND = 10.0


def answer(body: dict[str, Any]) -> dict[str, Any]:
    time.sleep(LATENCY_S)
    return {"quotes": [], "claims": [], "events": []}


def sources(count: int, tag: str) -> list[Source]:
    def read(n: int) -> Article:
        return Article(text=f"Article {tag}-{n}. “Prices rise,” said Ana Lima.", path=f"{tag}{n}")

    return [Source(f"{tag}{n}", lambda n=n: read(n)) for n in range(count)]


def timed(engine: Engine, store: Store, batch: list[Source], concurrency: int) -> float:
    started = time.perf_counter()
    run_batch(batch, engine, store, concurrency=concurrency, resume=True)
    return time.perf_counter() - started


def main() -> list[tuple[str, float, float]]:
    figures = []
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAIServer(answer) as server:
        settings = EngineSettings(
            engine="llm", base_url=server.base_url, model="fake", use_candidates=False,
            use_cache=False, cache_dir=Path(tmp) / "cache",
        )  # fmt: skip
        engine = create_engine(settings)
        extract_one(engine, sources(1, "warm")[0])  # the client's first build is not timed
        with Store(Path(tmp) / "t.duckdb") as store:
            for concurrency in (1, 4, 16, 32, 64):
                count = max(8, concurrency * 6)
                elapsed = timed(engine, store, sources(count, f"c{concurrency}-"), concurrency)
                ratio = (count / elapsed) / (concurrency / LATENCY_S)
                label = f"throughput at concurrency {concurrency} (achieved/ideal)"
                figures.append((label, ratio, THROUGHPUT_BOUND))
            batch = sources(200, "r")
            cold = timed(engine, store, batch, 16)
            again = timed(engine, store, batch, 16)
            figures.append(
                ("resumed re-run of 200 articles (cold/again)", cold / again, RESUME_BOUND)
            )
        engine.close()
    for label, value, bound in figures:
        print(f"{label:58s} {value:8.2f}  (bound >= {bound}: {value / bound:.2f} of it)")
    return figures


if __name__ == "__main__":
    main()
