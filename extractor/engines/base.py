"""The one interface every engine implements, and what an engine hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from extractor.records import CallRecord
from extractor.schemas import DocumentExtraction
from extractor.text.articles import Article


@dataclass
class EngineOutput:
    """An engine's grounded result for one article, with the calls it cost."""

    extraction: DocumentExtraction
    calls: list[CallRecord] = field(default_factory=list)
    #: Items the engine produced but could not ground or validate, dropped and counted.
    dropped: int = 0


class Engine(Protocol):
    """Turns one article into grounded items. Offsets index `article.text`."""

    name: str

    @property
    def model(self) -> str | None: ...

    @property
    def prompt_version(self) -> str | None: ...

    @property
    def prompt_hash(self) -> str | None: ...

    @property
    def parameters(self) -> dict[str, object]: ...

    def extract(self, article: Article) -> EngineOutput: ...

    def close(self) -> None: ...
