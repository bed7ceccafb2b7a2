"""Batch throughput against a model that takes 500 ms per request.

    .venv/bin/python bench/bench_throughput.py [ROUNDS]

Extracts small articles with the `llm` engine (no rule candidates: the model's latency is
what is measured) against `tests/fake_openai_http.py` answering after 500 ms, at
concurrency 1, 4, 16, 32 and 64, and prints achieved / ideal throughput (ideal:
concurrency / latency; bound >= 0.85), each over a batch of ROUNDS x concurrency
documents (default `ROUNDS`). The fake runs in a process of its own, so the CPU
measured is the pipeline's alone: its CPU per document (parse, model client, grounding,
store) is printed beside each figure, with the throughput that CPU allows on one core
(the GIL's bound: 1000 / CPU ms per document). Then a cold run of 200 articles and the
same command again (resumed: every document stored ok, no model call), and their ratio
(bound >= 10).

Every batch has the worker processes `extract` gives it by default (`--processes`: one
per core, at most 4), shared by the batches of this process (`shared_pool`): the first
batch starts them (each loads spaCy), and the time it took is printed. The last row is
the same model path on real news (the corpus articles, ~2,500 characters): there the
language analysis (a spaCy parse per article, for its entities) is what bounds the rate,
not the model client.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extractor.engines import Engine, create_engine  # noqa: E402
from extractor.pipeline import Source, extract_one, run_batch  # noqa: E402
from extractor.pipeline.processes import batch_processes  # noqa: E402
from extractor.settings import EngineSettings  # noqa: E402
from extractor.store import Store  # noqa: E402
from extractor.text.articles import Article, read_article  # noqa: E402

LATENCY_S = 0.5
THROUGHPUT_BOUND = 0.85
RESUME_BOUND = 10.0
CONCURRENCY = (1, 4, 16, 32, 64)
#: Each batch is this many rounds of `concurrency` documents (6 s of ideal time at any
#: concurrency): a batch's start and end (its first requests all built at once, its last
#: documents stored and the run closed) cost a fixed ~0.3 s, which a batch of a few
#: rounds would count as the pipeline's share of every document.
ROUNDS = 12

#: (label, value, bound, note): value / bound >= 1 meets the bound.
Figure = tuple[str, float, float, str]


@contextmanager
def fake_server(latency_s: float) -> Iterator[str]:
    """`tests.fake_openai_http` in a process of its own, answering after `latency_s`."""
    command = [sys.executable, "-m", "tests.fake_openai_http", "--latency", str(latency_s)]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def sources(count: int, tag: str) -> list[Source]:
    def read(n: int) -> Article:
        return Article(text=f"Article {tag}-{n}. “Prices rise,” said Ana Lima.", path=f"{tag}{n}")

    return [Source(f"{tag}{n}", lambda n=n: read(n)) for n in range(count)]


def timed(
    engine: Engine, store: Store, batch: list[Source], concurrency: int
) -> tuple[float, float]:
    """Wall seconds and this process's CPU seconds (every thread) for the batch, with the
    worker processes `extract` gives a batch by default (`--processes`)."""
    started, cpu = time.perf_counter(), time.process_time()
    processes = batch_processes(None, len(batch))
    run_batch(batch, engine, store, concurrency=concurrency, resume=True, processes=processes)
    return time.perf_counter() - started, time.process_time() - cpu


def main(rounds: int = ROUNDS) -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp, fake_server(LATENCY_S) as base_url:
        settings = EngineSettings(
            engine="llm", base_url=base_url, model="fake", use_candidates=False,
            use_cache=False, cache_dir=Path(tmp) / "cache", concurrency=max(CONCURRENCY),
        )  # fmt: skip
        engine = create_engine(settings)
        extract_one(engine, sources(1, "warm")[0])  # the client's first build is not timed
        with Store(Path(tmp) / "t.duckdb") as store:
            warm, _ = timed(engine, store, sources(8, "warm-"), 4)
            print(f"first batch, 8 articles, its worker processes started: {warm:.2f} s")
            for concurrency in CONCURRENCY:
                count = concurrency * rounds
                batch = sources(count, f"c{concurrency}-")
                elapsed, cpu = timed(engine, store, batch, concurrency)
                ratio = (count / elapsed) / (concurrency / LATENCY_S)
                cpu_ms = cpu / count * 1000
                note = f"CPU {cpu_ms:5.1f} ms/doc (one core: {1000 / cpu_ms:5.0f} docs/s)"
                label = f"throughput at concurrency {concurrency} (achieved/ideal)"
                figures.append((label, ratio, THROUGHPUT_BOUND, note))
            batch = sources(200, "r")
            cold, _ = timed(engine, store, batch, 16)
            again, _ = timed(engine, store, batch, 16)
            note = f"{cold:.2f} s, then {again * 1000:.0f} ms"
            label = "resumed re-run of 200 articles (cold/again)"
            figures.append((label, cold / again, RESUME_BOUND, note))
            figures.append(real_news(engine, store, Path(tmp) / "news", NEWS_CONCURRENCY))
        engine.close()
    for figure in figures:
        print(line(*figure))
    return figures


NEWS_CONCURRENCY = 16


def real_news(engine: Engine, store: Store, folder: Path, concurrency: int) -> Figure:
    """Achieved / ideal throughput of the model path on corpus articles."""
    from bench_readers import write_articles

    folder.mkdir()
    count = concurrency * 6
    write_articles(folder, count)
    batch = [
        Source(str(path), lambda path=path: read_article(path))
        for path in sorted(folder.glob("*.txt"))
    ]
    elapsed, cpu = timed(engine, store, batch, concurrency)
    ratio = (count / elapsed) / (concurrency / LATENCY_S)
    note = f"parent CPU {cpu / count * 1000:5.1f} ms/doc; {count} articles in {elapsed:.1f} s"
    label = f"real news at concurrency {concurrency} (achieved/ideal)"
    return label, ratio, THROUGHPUT_BOUND, note


def line(label: str, value: float, bound: float, note: str = "", above: bool = True) -> str:
    """One figure: its value, its bound and value/bound (>= 1.00 meets it), and a note.
    `above`: the bound is a floor (value >= bound), else a ceiling (value <= bound)."""
    ratio = value / bound if above else bound / value
    sign = ">=" if above else "<="
    return f"{label:52s} {value:8.2f}  bound {sign} {bound:<5g} ratio {ratio:5.2f}  {note}"


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
