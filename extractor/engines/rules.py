"""The `rules` engine: the deterministic patterns of `extractor.rules`.

Its items are the candidates every engine that uses them starts from (`rules_items`: raw
items at their native offsets, which the grounding stage checks); the `rules` engine is the
pipeline with candidates and no model step, so it proposes nothing of its own.
"""

from __future__ import annotations

from extractor.engines.base import Proposal
from extractor.grounding import Placed, RawClaim, RawEvent, RawItem, RawQuote
from extractor.records import Recorder
from extractor.rules import Analysis, find_items
from extractor.schemas import DocumentExtraction
from extractor.text.articles import Article


class RulesEngine:
    """Deterministic extraction: the offline baseline and the model engines' candidates."""

    name = "rules"
    uses_candidates = True
    model = None
    prompt_version = None
    prompt_hash = None
    endpoint = None

    @property
    def parameters(self) -> dict[str, object]:
        return {}

    def propose(
        self, article: Article, hints: DocumentExtraction | None, recorder: Recorder
    ) -> Proposal:
        return Proposal()  # the candidates are all there is

    def close(self) -> None:
        """Nothing to release."""


def rules_items(article: Article, analysis: Analysis | None = None) -> list[Placed]:
    """The rules engine's findings as raw items, each at its native offset (`analysis`:
    the article already parsed, else it is parsed here)."""
    found = find_items(article, analysis=analysis)
    placed: list[Placed] = []

    def add(item: RawItem, at: int, where: str) -> None:
        placed.append(Placed(item, "rules", None, at, where))

    for n, q in enumerate(found.quotes):
        add(RawQuote(q.text, q.speaker, q.speaker_title, q.cue, q.kind), q.char_start,
            f"quotes[{n}]")  # fmt: skip
    for n, c in enumerate(found.claims):
        add(RawClaim(c.text, c.claimant, c.cue, c.hedged), c.char_start, f"claims[{n}]")
    for n, e in enumerate(found.events):
        event = RawEvent(
            e.text, e.event_type.value, e.trigger, tuple(e.actors), e.location, e.time_text,
            e.time,
        )  # fmt: skip
        add(event, e.char_start, f"events[{n}]")
    return placed
