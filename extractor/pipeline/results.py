"""What the pipeline gives back: a source to read, one article's grounded result, one
document's outcome (stored, partial or failed) and a batch's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from extractor.engines.base import ChunkFailure
from extractor.records import CallRecord, ModelBudget, Rejection, Skipped
from extractor.rules.entities import Entity
from extractor.schemas import DocumentExtraction
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
    #: Kinds not looked for (a language the engine has no rules for), and why.
    skipped: Skipped | None = None
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
    #: Not extracted again: this configuration had stored it `ok` already (a resume).
    skipped: bool = False

    @property
    def ok(self) -> bool:
        """Stored (complete, partial, or before: skipped): not a failure."""
        return self.error is None

    @property
    def partial(self) -> bool:
        return self.ok and self.output is not None and self.output.partial

    @property
    def model_error(self) -> str | None:
        return self.output.model_error if self.ok and self.output is not None else None

    @property
    def status(self) -> str:
        """`ok`, `partial` (stored; the model part failed), `failed` (nothing stored) or
        `skipped` (stored `ok` by an earlier run of this configuration)."""
        if self.skipped:
            return "skipped"
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

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.skipped]

    @property
    def stored(self) -> list[Outcome]:
        """Written by this run (complete or partial)."""
        return [o for o in self.outcomes if o.ok and not o.skipped]


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the batch; `result` holds what was stored by then."""

    def __init__(self, result: BatchResult) -> None:
        super().__init__(f"run {result.run_id} interrupted")
        self.result = result
