"""Composes the stages: read -> engine -> store, for one article or a batch.

Engines run in a bounded thread pool (model calls wait on the network, not the CPU); the
calling thread is the only writer, committing one document per transaction as results
arrive. A bad document is recorded as failed and the batch goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from extractor.engines.base import Engine, EngineOutput
from extractor.errors import ExtractorError
from extractor.records import CallRecord
from extractor.schemas import DocumentExtraction
from extractor.store import RunInfo, Store
from extractor.text.articles import Article


@dataclass(frozen=True)
class Source:
    """One input: a name for messages, and how to read it into an Article."""

    name: str
    read: Callable[[], Article]


@dataclass
class Outcome:
    name: str
    article: Article | None = None
    output: EngineOutput | None = None
    error: str | None = None
    latency_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BatchResult:
    run_id: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def run_info(engine: Engine) -> RunInfo:
    return RunInfo(
        engine=engine.name,
        model=engine.model,
        prompt_version=engine.prompt_version,
        prompt_hash=engine.prompt_hash,
        parameters=dict(engine.parameters),
    )


def extract_one(engine: Engine, source: Source) -> Outcome:
    """Read and extract one source; every failure becomes `Outcome.error`, one line."""
    started = time.perf_counter()
    article: Article | None = None
    try:
        article = source.read()
        output = engine.extract(article)
    except ExtractorError as exc:
        return Outcome(source.name, article, _partial_output(exc), _one_line(exc))
    except Exception as exc:  # a bug must not sink the batch: record it and go on
        message = f"internal error: {type(exc).__name__}: {_one_line(exc)}"
        return Outcome(source.name, article, _partial_output(exc), message)
    latency_ms = (time.perf_counter() - started) * 1000
    return Outcome(source.name, article, output, None, latency_ms)


def run_batch(
    sources: Iterable[Source],
    engine: Engine,
    store: Store,
    *,
    concurrency: int = 1,
    on_done: Callable[[str, Outcome], None] | None = None,
) -> BatchResult:
    """Extract every source and store each result (or failure) as it completes."""
    result = BatchResult(run_id=store.start_run(run_info(engine)))
    status = "interrupted"
    try:
        for outcome in _extract_all(sources, engine, concurrency):
            _save(store, result.run_id, outcome)
            result.outcomes.append(outcome)
            if on_done is not None:
                on_done(result.run_id, outcome)
        status = "done"
    finally:
        store.finish_run(result.run_id, status)
    return result


def _extract_all(sources: Iterable[Source], engine: Engine, concurrency: int) -> Iterator[Outcome]:
    if concurrency <= 1:
        for source in sources:
            yield extract_one(engine, source)
        return
    pending: set[Future[Outcome]] = set()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="extract") as pool:
        try:
            for source in sources:
                pending.add(pool.submit(extract_one, engine, source))
                if len(pending) >= concurrency * 2:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (future.result() for future in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in done)
        finally:
            for future in pending:
                future.cancel()


def _save(store: Store, run_id: str, outcome: Outcome) -> None:
    if outcome.ok and outcome.article is not None and outcome.output is not None:
        try:
            store.save_extraction(run_id, outcome.article, outcome.output, outcome.latency_ms)
            return
        except ExtractorError as exc:
            outcome.error = _one_line(exc)
    calls = outcome.output.calls if outcome.output is not None else []
    store.save_failure(
        run_id, outcome.name, outcome.error or "unknown error", outcome.article, calls
    )


def _partial_output(exc: Exception) -> EngineOutput | None:
    """Calls made before a provider failure still cost money: keep them for the record."""
    calls: list[CallRecord] | None = getattr(exc, "calls", None)
    if not calls:
        return None
    return EngineOutput(extraction=DocumentExtraction(), calls=list(calls))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
