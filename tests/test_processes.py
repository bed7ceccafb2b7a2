"""The rules' analysis of a batch in worker processes (`extractor.pipeline.processes`):
the same items as in one process, a worker that dies fails its document only, and no
worker outlives its pool."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from extractor.engines import create_engine
from extractor.errors import ExtractorError
from extractor.pipeline import BatchInterrupted, Source, run_batch
from extractor.pipeline.processes import (
    AnalysisPool,
    batch_processes,
    rules_candidates,
    shared_pool,
    whole_article_entities,
)
from extractor.settings import EngineSettings
from extractor.store import Store
from extractor.text.articles import Article, read_article
from tests.conftest import ARTICLES, ROOT, SEED

NOTHING = {"quotes": [], "claims": [], "events": []}  # the model's answer: the entities remain
ARTICLE = Article(text="“Prices will rise,” said Ana Lima, the minister. Police arrested two men.")


def _items(tmp_path: Path, name: str, processes: int) -> dict[str, str]:
    paths = ARTICLES[:8]
    sources = [Source(str(p), partial(read_article, p)) for p in paths]
    with Store(tmp_path / f"{name}.duckdb") as store:
        batch = run_batch(
            sources, create_engine(EngineSettings(engine="rules")), store,
            concurrency=4, processes=processes,
        )  # fmt: skip
    assert len(batch.stored) == len(paths)
    return {
        outcome.name: outcome.output.extraction.model_dump_json()
        for outcome in batch.outcomes
        if outcome.output is not None
    }


def test_a_batch_in_worker_processes_stores_the_items_of_one_process(tmp_path: Path) -> None:
    assert _items(tmp_path, "pool", 2) == _items(tmp_path, "one", 1)


def test_the_worker_computes_what_the_parent_would() -> None:
    with AnalysisPool(1) as pool:
        items, entities = pool.candidates(ARTICLE)
    here, here_entities = rules_candidates(ARTICLE)
    assert items == here and items
    assert entities is not None and here_entities is not None
    assert entities.entities == here_entities.entities


def test_a_worker_that_dies_fails_what_it_had_not_answered_and_the_next_gets_a_new_one() -> None:
    pool = AnalysisPool(1)
    try:
        pool.candidates(ARTICLE)
        (worker,) = pool._workers
        in_flight = [pool.entities_later(ARTICLE) for _ in range(3)]
        worker.process.kill()
        for future in in_flight:
            with pytest.raises(ExtractorError, match="language analysis process stopped"):
                future.result(timeout=30)
        items, _ = pool.candidates(ARTICLE)
        assert items
        assert pool._workers[0] is not worker
    finally:
        pool.close()


def test_requests_in_flight_are_answered_each_with_its_own_article() -> None:
    texts = [f"Ana Lima met Orvik Steel in Lisbon on day {n}." for n in range(6)]
    articles = [Article(text=text) for text in texts]
    with AnalysisPool(2) as pool:
        futures = [pool.entities_later(article) for article in articles]
        names = [[e.name for e in future.result(timeout=60).entities] for future in futures]
        assert len(pool._workers) == 2  # the second started while the first had work
    assert names == [[e.name for e in whole_article_entities(a).entities] for a in articles]
    assert all("Ana Lima" in n for n in names)


def test_a_cancelled_request_is_still_answered_and_the_worker_goes_on() -> None:
    with AnalysisPool(1) as pool:
        first = pool.entities_later(ARTICLE)
        first.cancel()  # the model failed: the entities are not needed after all
        assert pool.candidates(ARTICLE)[0]
        assert first.result(timeout=30).entities


def test_the_model_path_in_worker_processes_stores_what_one_process_stores(
    tmp_path: Path,
) -> None:
    from tests.fake_openai_http import FakeOpenAIServer

    def run(name: str, processes: int) -> dict[str, str]:
        with FakeOpenAIServer(NOTHING) as server, Store(tmp_path / f"{name}.duckdb") as store:
            settings = EngineSettings(
                engine="llm", base_url=server.base_url, model="fake", use_candidates=False,
                use_cache=False, cache_dir=tmp_path / "cache",
            )  # fmt: skip
            engine = create_engine(settings)
            sources = [Source(str(p), partial(read_article, p)) for p in ARTICLES[:4]]
            batch = run_batch(sources, engine, store, concurrency=4, processes=processes)
            engine.close()
        assert len(batch.stored) == 4
        assert all(o.output is not None and o.output.entities for o in batch.outcomes)
        return {
            o.name: json.dumps(o.output.entities, default=str)
            + o.output.extraction.model_dump_json()
            for o in batch.outcomes
            if o.output is not None
        }

    assert run("pool", 2) == run("one", 1)


def test_no_worker_outlives_its_pool() -> None:
    pool = AnalysisPool(2)
    pool.candidates(ARTICLE)
    workers = list(pool._workers)
    pool.close()
    assert workers and all(w.process.poll() is not None for w in workers)
    with pytest.raises(ExtractorError, match="closed"):
        pool.candidates(ARTICLE)


def test_one_document_starts_no_process_and_a_batch_takes_the_setting() -> None:
    assert batch_processes(None, 1) == 1
    assert batch_processes(3, 10) == 3
    assert batch_processes(None, 10) >= 1


def test_extract_with_processes_from_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n, path in enumerate([SEED, *ARTICLES[:2]]):
        (folder / f"{n}.txt").write_bytes(path.read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(folder), "--engine", "rules",
         "--processes", "2", "--db", str(tmp_path / "x.duckdb")],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "3 stored (0 partial), 0 failed" in done.stderr
    assert len(done.stdout.splitlines()) == 3


def test_batches_in_one_process_share_their_workers_until_one_is_interrupted(
    tmp_path: Path,
) -> None:
    engine = create_engine(EngineSettings(engine="rules"))
    sources = [Source(str(p), partial(read_article, p)) for p in ARTICLES[:3]]
    pids = []
    with Store(tmp_path / "x.duckdb") as store:
        for _ in range(2):
            run_batch(sources, engine, store, concurrency=2, processes=2)
            pool = shared_pool(2)
            pids.append({w.process.pid for w in pool._workers})
            assert all(w.process.poll() is None for w in pool._workers)
        assert pids[0] == pids[1] and pids[0]  # the second batch loaded no spaCy again

        def interrupted() -> Iterator[Source]:
            yield sources[0]
            raise KeyboardInterrupt

        workers = list(pool._workers)
        with pytest.raises(BatchInterrupted):
            run_batch(interrupted(), engine, store, concurrency=2, processes=2)
    assert pool.closed and all(w.process.poll() is not None for w in workers)
    assert shared_pool(2) is not pool
    shared_pool(2).close()


def test_requests_answered_together_get_what_each_alone_gets() -> None:
    from extractor.pipeline import worker

    other = Article(text="Police in Lisbon arrested two men, said Rui Costa, a spokesman.")
    answers = worker._answers(
        [("entities", ARTICLE), ("candidates", other), ("nonsense", ARTICLE)]  # type: ignore[list-item]
    )
    assert answers[0] == (True, whole_article_entities(ARTICLE))
    assert answers[1] == (True, rules_candidates(other))
    assert answers[2][0] is False  # one bad request fails alone
