"""Composes the stages: read -> candidates -> engine -> ground -> merge -> store, for one
article or a batch. The CLI and the service call these same functions.

- `extract_article`: one article in memory to its grounded result (no store).
- `extract_one`: read a source and extract it; every failure becomes one line.
- `save`: store a result, or record the failure (with the calls it spent).
- `run_batch`: many sources, engines in a bounded thread pool (model calls wait on the
  network, not the CPU); the calling thread is the only writer, committing one document
  per transaction as results arrive. A bad document is recorded as failed and the batch
  goes on.

Statuses: `ok`; `partial` when the model part failed (a chunk whose endpoint failed after
the retries, or the run's `ModelBudget` was spent): the document is stored with the rules
engine's items and whatever the answered chunks gave, and the model error; `failed` when
nothing could be stored (unreadable input, a store error, a bug). With `--no-candidates`
a total model failure is still `partial`, with what was grounded (possibly nothing): the
document was read and can be re-run, unlike a `failed` one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from extractor.engines.base import ChunkFailure, Engine
from extractor.engines.rules import rules_items
from extractor.errors import ExtractorError, ProviderError, one_line
from extractor.grounding import Document, Grounded, ground_all, merge
from extractor.records import CallRecord, ModelBudget, Recorder, Rejection
from extractor.rules import analyse
from extractor.rules.entities import Entity, canonicalise
from extractor.schemas import DocumentExtraction
from extractor.store import RunInfo, Store
from extractor.text.articles import Article


@dataclass(frozen=True)
class Source:
    """One input: a name for messages, and how to read it into an Article."""

    name: str
    read: Callable[[], Article]


@dataclass
class DocumentResult:
    """One article's grounded items, the calls they cost, and every rejection."""

    extraction: DocumentExtraction
    calls: list[CallRecord] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    #: The chunks the model gave no answer for (empty: the model part is whole).
    failures: list[ChunkFailure] = field(default_factory=list)
    #: The document's canonical people and organisations, which the items' names are.
    entities: list[Entity] = field(default_factory=list)

    @property
    def dropped(self) -> int:
        """Items refused whole by the grounding stage (field-level rejections aside)."""
        return sum(r.drops_item for r in self.rejections)

    @property
    def partial(self) -> bool:
        return bool(self.failures)

    @property
    def failed_chunks(self) -> list[int]:
        return [f.chunk_index for f in self.failures]

    @property
    def model_error(self) -> str | None:
        """One line: the first chunk's error, and how many chunks failed when not one."""
        if not self.failures:
            return None
        first, *rest = self.failures
        if not rest:
            return first.error
        skipped = sum(f.skipped for f in rest)
        more = f"and {len(rest)} more chunk(s)" + (f", {skipped} skipped" if skipped else "")
        return f"{first.error} ({more})"

    @property
    def model_skipped(self) -> bool:
        """The run's model budget was spent: the model was not asked for some chunk."""
        return any(f.skipped for f in self.failures)


@dataclass
class Outcome:
    name: str
    article: Article | None = None
    output: DocumentResult | None = None
    error: str | None = None
    latency_ms: float = 0.0
    #: The error itself (the service maps its type to a status code).
    exception: BaseException | None = None
    #: Calls spent before a failure (they cost money all the same).
    calls: list[CallRecord] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Stored (complete or partial): not a failure."""
        return self.error is None

    @property
    def partial(self) -> bool:
        return self.ok and self.output is not None and self.output.partial

    @property
    def model_error(self) -> str | None:
        return self.output.model_error if self.ok and self.output is not None else None

    @property
    def status(self) -> str:
        """`ok`, `partial` (stored; the model part failed) or `failed` (nothing stored)."""
        return "failed" if not self.ok else "partial" if self.partial else "ok"


@dataclass
class BatchResult:
    run_id: str
    outcomes: list[Outcome] = field(default_factory=list)
    budget: ModelBudget | None = None

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def partial(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.partial]


def run_info(engine: Engine) -> RunInfo:
    return RunInfo(
        engine=engine.name,
        model=engine.model,
        prompt_version=engine.prompt_version,
        prompt_hash=engine.prompt_hash,
        parameters=dict(engine.parameters),
    )


def extract_article(
    engine: Engine, article: Article, recorder: Recorder | None = None
) -> DocumentResult:
    """The article's grounded items. The candidates (the rules engine's items, when the
    engine uses them) and the engine's raw items each pass the grounding stage; the
    candidates are kept whole, and each engine item is added unless it is one already
    kept. The `rules` engine is exactly this with no model step. Model calls go to
    `recorder` (whose budget, if any, the engine consults before each model call); the
    chunks the model failed on are the result's `failures`."""
    recorder = recorder or Recorder(model=engine.model or engine.name)
    document = Document(article.text)
    analysis = analyse(article.text)
    candidates: Grounded | None = None
    if engine.uses_candidates:
        candidates = ground_all(rules_items(article, analysis), document)
    proposal = engine.propose(article, candidates.extraction if candidates else None, recorder)
    grounded = ground_all(proposal.items, document)
    extraction = merge(candidates.extraction if candidates else None, [grounded.extraction])
    extraction = canonicalise(extraction, analysis.entities)
    rejections = [
        *(candidates.rejections if candidates else []),
        *proposal.rejections,
        *grounded.rejections,
    ]
    return DocumentResult(
        extraction, recorder.calls, rejections, proposal.failures, analysis.entities.entities
    )


def extract_one(engine: Engine, source: Source, budget: ModelBudget | None = None) -> Outcome:
    """Read and extract one source; every failure becomes `Outcome.error`, one line. A
    model failure is not one: the outcome is partial (see the module's docstring)."""
    started = time.perf_counter()
    article: Article | None = None
    recorder = Recorder(model=engine.model or engine.name, budget=budget)
    try:
        article = source.read()
        output = extract_article(engine, article, recorder)
    except ExtractorError as exc:
        return Outcome(source.name, article, None, one_line(exc), 0.0, exc, recorder.calls)
    except Exception as exc:  # a bug must not sink the batch: record it and go on
        message = f"internal error: {type(exc).__name__}: {one_line(exc)}"
        return Outcome(source.name, article, None, message, 0.0, exc, recorder.calls)
    latency_ms = (time.perf_counter() - started) * 1000
    return Outcome(source.name, article, output, None, latency_ms, None, recorder.calls)


def save(store: Store, run_id: str, outcome: Outcome) -> None:
    """Store the outcome's items, all or nothing, or record its failure."""
    if outcome.ok and outcome.article is not None and outcome.output is not None:
        output = outcome.output
        try:
            store.save_extraction(
                run_id, outcome.article, output.extraction, output.calls, output.rejections,
                outcome.latency_ms, model_error=output.model_error,
                failed_chunks=output.failed_chunks, entities=output.entities,
            )  # fmt: skip
            return
        except ExtractorError as exc:
            outcome.error, outcome.exception = one_line(exc), exc
    calls = outcome.calls
    if isinstance(outcome.exception, ProviderError) and not calls:
        calls = outcome.exception.calls
    store.save_failure(
        run_id, outcome.name, outcome.error or "unknown error", outcome.article, calls
    )


def run_batch(
    sources: Iterable[Source],
    engine: Engine,
    store: Store,
    *,
    concurrency: int = 1,
    max_model_failures: int = 0,
    on_done: Callable[[str, Outcome], None] | None = None,
) -> BatchResult:
    """Extract every source and store each result (or failure) as it completes. After
    `max_model_failures` model failures in a row (0: never) the model is not called again
    in this run: the remaining documents are stored partial (`BatchResult.budget`)."""
    budget = ModelBudget(max_model_failures)
    result = BatchResult(run_id=store.start_run(run_info(engine)), budget=budget)
    status = "interrupted"
    try:
        for outcome in _extract_all(sources, engine, concurrency, budget):
            save(store, result.run_id, outcome)
            result.outcomes.append(outcome)
            if on_done is not None:
                on_done(result.run_id, outcome)
        status = "done"
    finally:
        store.finish_run(result.run_id, status)
    return result


def _extract_all(
    sources: Iterable[Source], engine: Engine, concurrency: int, budget: ModelBudget
) -> Iterator[Outcome]:
    if concurrency <= 1:
        for source in sources:
            yield extract_one(engine, source, budget)
        return
    pending: set[Future[Outcome]] = set()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="extract") as pool:
        try:
            for source in sources:
                pending.add(pool.submit(extract_one, engine, source, budget))
                if len(pending) >= concurrency * 2:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (future.result() for future in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in done)
        finally:
            for future in pending:
                future.cancel()


__all__ = [
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
]
