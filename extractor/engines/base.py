"""The one interface every engine implements, and what an engine hands back.

An engine proposes raw items (`extractor.grounding.Placed`); it never decides what is
real. The pipeline grounds them, merges them with the candidates and stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from extractor.grounding import Placed
from extractor.records import Recorder, Rejection, Skipped
from extractor.schemas import DocumentExtraction
from extractor.text.articles import Article


@dataclass(frozen=True)
class ChunkFailure:
    """A chunk the model gave no answer for: its endpoint failed after the transport
    retries (`error`, one line), or the run's budget skipped the model (`skipped`)."""

    chunk_index: int
    error: str
    skipped: bool = False


@dataclass
class Proposal:
    """An engine's raw items for one article, the items it could not even read
    (malformed answers) as rejections, the chunks the model failed on (the items of
    the chunks that were answered are kept all the same), and the kinds it skipped."""

    items: list[Placed] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    failures: list[ChunkFailure] = field(default_factory=list)
    #: Kinds this engine did not look for in this article, and why (the rules engine in
    #: a language it has no rules for); None when it looked for all.
    skipped: Skipped | None = None


class Engine(Protocol):
    """Turns one article into raw items. Model calls go to `recorder`."""

    name: str
    #: Whether the pipeline gives this engine the rules engine's grounded items as hints
    #: and merges them into its result.
    uses_candidates: bool

    @property
    def model(self) -> str | None: ...

    @property
    def prompt_version(self) -> str | None: ...

    @property
    def prompt_hash(self) -> str | None: ...

    @property
    def parameters(self) -> dict[str, object]: ...

    @property
    def endpoint(self) -> str | None:
        """The model endpoint's base URL, once known (None: no model, or not started)."""
        ...

    def propose(
        self, article: Article, hints: DocumentExtraction | None, recorder: Recorder
    ) -> Proposal: ...

    def close(self) -> None: ...
