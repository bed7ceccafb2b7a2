"""Composes the stages: read -> candidates -> engine -> ground -> merge -> store, for one
article or a batch. The CLI and the service call these same functions.

- `extract_article`: one article in memory to its grounded result (no store).
- `extract_one`: read a source and extract it; every failure becomes one line.
- `save`: store a result, or record the failure (with the calls it spent).
- The result types (`Source`, `DocumentResult`, `Outcome`, `BatchResult`) live in
  `extractor.pipeline.results`.
- `run_batch`: many sources, engines on `concurrency` worker threads (model calls wait on
  the network, not the CPU), each taking its next source itself; a writer thread beside them stores
  results in batches of whole documents (`extractor.store.writer`). A bad document is
  recorded as failed and the batch goes on. With `resume`, a document this configuration
  already stored `ok` is read (for its id) but not extracted again: it is `skipped`.
  Ctrl-C (or SIGTERM turned into `KeyboardInterrupt` by the caller) stops the taking of
  sources at once, writes what was extracted, closes the run `interrupted` and raises
  `BatchInterrupted` with what was stored; workers still waiting on a model are left
  (daemon threads), so a hung request stalls neither the others nor the exit.

Statuses: `ok`; `partial` when the model part failed (a chunk whose endpoint failed after
the retries, or the run's `ModelBudget` was spent): the document is stored with the rules
engine's items and whatever the answered chunks gave, and the model error; `failed` when
nothing could be stored (unreadable input, a store error, a bug). With `--no-candidates`
a total model failure is still `partial`, with what was grounded (possibly nothing): the
document was read and can be re-run, unlike a `failed` one.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import Future

from extractor.engines.base import Engine
from extractor.errors import ExtractorError, ProviderError, one_line
from extractor.grounding import Document, Grounded, ground_all, merge
from extractor.pipeline.processes import (
    AnalysisPool,
    rules_candidates,
    shared_pool,
    whole_article_entities,
    whole_article_parse,
)
from extractor.pipeline.results import (
    BatchInterrupted,
    BatchResult,
    DocumentResult,
    Outcome,
    Source,
)
from extractor.records import ModelBudget, Recorder
from extractor.rules import analyse_later
from extractor.rules.entities import Entities, canonicalise
from extractor.store import DocumentWrite, FailureWrite, Journal, RunInfo, Store, Write, Writer
from extractor.text.articles import Article


def run_info(engine: Engine) -> RunInfo:
    return RunInfo(
        engine=engine.name,
        model=engine.model,
        prompt_version=engine.prompt_version,
        prompt_hash=engine.prompt_hash,
        parameters=dict(engine.parameters),
    )


def extract_article(
    engine: Engine,
    article: Article,
    recorder: Recorder | None = None,
    pool: AnalysisPool | None = None,
) -> DocumentResult:
    """The article's grounded items. The candidates (the rules engine's items, when the
    engine uses them) and the engine's raw items each pass the grounding stage; the
    candidates are kept whole, and each engine item is added unless it is one already
    kept. The `rules` engine is exactly this with no model step. Model calls go to
    `recorder` (whose budget, if any, the engine consults before each model call); the
    chunks the model failed on are the result's `failures`. With a `pool`, the language
    analysis (the rules' items, the entities) runs in its worker processes (the same
    results)."""
    recorder = recorder or Recorder(model=engine.model or engine.name)
    document = Document(article.text)
    # One parse of the whole article for its entities (and the rules): when the article
    # is one block of English; longer or other-language articles keep their names as found.
    entities: Entities | None = None
    pending: Future[Entities] | _LocalEntities | None = None
    candidates: Grounded | None = None
    if engine.uses_candidates:
        items, entities = pool.candidates(article) if pool else rules_candidates(article)
        candidates = ground_all(items, document)
    elif whole_article_parse(article):
        # Only the entities need the parse: it is sent off while the model is asked
        # (to a worker process, or queued for this process's background parser).
        pending = pool.entities_later(article) if pool else _LocalEntities(article)
    try:
        proposal = engine.propose(article, candidates.extraction if candidates else None, recorder)
    except BaseException:
        if pending is not None:
            pending.cancel()
        raise
    if pending is not None:
        entities = pending.result()
    grounded = ground_all(proposal.items, document)
    extraction = merge(candidates.extraction if candidates else None, [grounded.extraction])
    if entities is not None:
        extraction = canonicalise(extraction, entities)
    rejections = [
        *(candidates.rejections if candidates else []),
        *proposal.rejections,
        *grounded.rejections,
    ]
    return DocumentResult(
        extraction,
        recorder.calls,
        rejections,
        proposal.failures,
        proposal.skipped,
        entities.entities if entities is not None else [],
    )


class _LocalEntities:
    """`whole_article_entities` in this process: the text queued for the background parser
    (batched with the other documents' texts in flight), the entities found on `result`."""

    def __init__(self, article: Article) -> None:
        self._article = article
        self._analysis = analyse_later(article.text)

    def result(self) -> Entities:
        return whole_article_entities(self._article, self._analysis.result())

    def cancel(self) -> None:
        self._analysis.cancel()


def extract_one(
    engine: Engine,
    source: Source,
    budget: ModelBudget | None = None,
    skip: Collection[str] = (),
    journal: Journal | None = None,
    pool: AnalysisPool | None = None,
) -> Outcome:
    """Read and extract one source; every failure becomes `Outcome.error`, one line. A
    model failure is not one: the outcome is partial (see the module's docstring). A
    document whose id is in `skip` is read only: the outcome is `skipped`. With a
    `journal`, each model call is written to it when it is sent."""
    started = time.perf_counter()
    article: Article | None = None
    recorder = Recorder(model=engine.model or engine.name, budget=budget)
    try:
        article = source.read()
        if article.id in skip:
            return Outcome(source.name, article, skipped=True)
        if journal is not None:
            recorder.log = journal.document(article.id)
        output = extract_article(engine, article, recorder, pool)
    except ExtractorError as exc:
        return Outcome(source.name, article, None, one_line(exc), 0.0, exc, recorder.calls)
    except Exception as exc:  # a bug must not sink the batch: record it and go on
        message = f"internal error: {type(exc).__name__}: {one_line(exc)}"
        return Outcome(source.name, article, None, message, 0.0, exc, recorder.calls)
    latency_ms = (time.perf_counter() - started) * 1000
    return Outcome(source.name, article, output, None, latency_ms, None, recorder.calls)


def to_write(run_id: str, outcome: Outcome) -> Write:
    """What the store writes for an outcome: its items, or the record of its failure."""
    output = outcome.output
    if outcome.ok and outcome.article is not None and output is not None:
        return DocumentWrite(
            run_id, outcome.article, output.extraction, output.calls, output.rejections,
            outcome.latency_ms, output.model_error, output.failed_chunks, output.skipped,
            output.entities,
        )  # fmt: skip
    calls = outcome.calls
    if isinstance(outcome.exception, ProviderError) and not calls:
        calls = outcome.exception.calls
    error = outcome.error or "unknown error"
    return FailureWrite(run_id, outcome.name, error, outcome.article, calls)


def _refused(run_id: str, outcome: Outcome, error: str) -> Write:
    """The store refused the outcome's items: it becomes a failure, recorded as such."""
    outcome.error, outcome.output = error, None
    return to_write(run_id, outcome)


def save(store: Store, run_id: str, outcome: Outcome) -> None:
    """Store the outcome's items, all or nothing, or record its failure."""
    try:
        store.write([to_write(run_id, outcome)])
    except ExtractorError as exc:
        outcome.exception = exc
        store.write([_refused(run_id, outcome, one_line(exc))])


def run_batch(
    sources: Iterable[Source],
    engine: Engine,
    store: Store,
    *,
    concurrency: int = 1,
    max_model_failures: int = 0,
    on_done: Callable[[str, Outcome], None] | None = None,
    resume: bool = False,
    processes: int = 1,
) -> BatchResult:
    """Extract every source and store each result (or failure) as it completes. After
    `max_model_failures` model failures in a row (0: never) the model is not called again
    in this run: the remaining documents are stored partial (`BatchResult.budget`).
    `on_done` is called on the writer thread, after each document's commit (keep it
    cheap: the next batch waits for it, the engines do not). With `processes` > 1 the
    language analysis runs in that many worker processes (`pipeline.processes`), kept
    for the process's next batch (`shared_pool`)."""
    budget = ModelBudget(max_model_failures)
    run_id = store.start_run(run_info(engine))
    result = BatchResult(run_id=run_id, budget=budget)
    skip = store.done_documents(run_id) if resume else frozenset()

    def written(outcome: Outcome, error: str | None) -> None:
        result.outcomes.append(outcome)
        if on_done is not None:
            on_done(run_id, outcome)

    writer: Writer[Outcome] = Writer(
        store, failure=lambda o, _w, error: _refused(run_id, o, error), on_written=written
    )

    def deliver(outcome: Outcome) -> None:
        writer.put(outcome, None if outcome.skipped else to_write(run_id, outcome))

    status = "interrupted"
    concurrency = max(1, concurrency)
    pool = shared_pool(processes) if processes > 1 else None
    # What exists now (the modules, the engine, spaCy) lives as long as the batch: out of
    # the collector's sight, or each full collection scans all of it holding the GIL
    # (~0.25 s in which no worker sends or reads a model's answer).
    gc.freeze()
    try:
        journal = store.journal(run_id)
        _extract_all(sources, engine, concurrency, budget, skip, deliver, journal, pool)
        status = "done"
    except KeyboardInterrupt:
        raise BatchInterrupted(result) from None
    finally:
        try:
            writer.close()
        finally:
            store.finish_run(run_id, status, skipped=len(result.skipped))
            if pool is not None and status == "interrupted":
                pool.close(kill=True)  # what it had not answered is dropped
            gc.unfreeze()
    return result


#: How often the calling thread wakes while the workers run (to see Ctrl-C at once).
_TICK_S = 0.1


def _extract_all(
    sources: Iterable[Source],
    engine: Engine,
    concurrency: int,
    budget: ModelBudget,
    skip: Collection[str],
    deliver: Callable[[Outcome], None],
    journal: Journal | None = None,
    pool: AnalysisPool | None = None,
) -> None:
    """Run `extract_one` on `concurrency` daemon threads, each result handed to `deliver`
    (on the worker's thread). Each worker takes its next source itself, so none waits for
    a feeding thread to be given the GIL (at 64 in flight, fed from the calling thread,
    the first documents started over ~200 ms). Returns when every source is extracted;
    on an interrupt, at once (sources not started are dropped, started ones are left to
    finish or not). An error from `sources` itself is raised here once the workers stop."""
    remaining = iter(sources)
    taking = threading.Lock()  # one worker at a time advances the iterator
    stop = threading.Event()
    error: list[BaseException] = []

    def take() -> Source | None:
        with taking:
            if stop.is_set():
                return None
            try:
                source = next(remaining, None)
            except BaseException as exc:
                error.append(exc)
                source = None
            if source is None:
                stop.set()
            return source

    def work() -> None:
        while (source := take()) is not None:
            deliver(extract_one(engine, source, budget, skip, journal, pool))

    workers = [
        threading.Thread(target=work, name=f"extract-{i}", daemon=True) for i in range(concurrency)
    ]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            while worker.is_alive():
                worker.join(_TICK_S)
    except BaseException:
        stop.set()  # each worker stops after its document
        raise
    if error:
        raise error[0]


__all__ = [
    "BatchInterrupted",
    "BatchResult",
    "DocumentResult",
    "ModelBudget",
    "Outcome",
    "Source",
    "extract_article",
    "extract_one",
    "run_batch",
    "run_info",
    "save",
    "to_write",
]
