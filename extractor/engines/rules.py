"""The `rules` engine: the deterministic patterns of `extractor.rules`.

Its items are the candidates every engine that uses them starts from (`rules_items`: raw
items at their native offsets, which the grounding stage checks); the `rules` engine is the
pipeline with candidates and no model step, so it proposes nothing of its own.
"""

from __future__ import annotations

from dataclasses import replace

from extractor.engines.base import Proposal
from extractor.grounding import Placed, RawClaim, RawEvent, RawItem, RawQuote
from extractor.records import Recorder, check_time_limit
from extractor.rules import Analysis, find_items, skipped_kinds
from extractor.schemas import DocumentExtraction
from extractor.text.articles import Article
from extractor.text.segment import blocks


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
        return Proposal(skipped=skipped_kinds(article.language))  # the candidates are all

    def close(self) -> None:
        """Nothing to release."""


def rules_items(article: Article, analysis: Analysis | None = None) -> list[Placed]:
    """The rules engine's findings as raw items, each at its native offset. The patterns
    run block by block (`extractor.text.segment.blocks`: whole paragraphs, a bounded size),
    so their time is linear in the article's length; an article of one block is read
    whole, with `analysis` (the article already parsed) when given."""
    quotes: list[Placed] = []
    claims: list[Placed] = []
    events: list[Placed] = []
    parts = blocks(article.text)
    for block in parts:
        check_time_limit()
        whole = len(parts) == 1 and (block.start, block.end) == (0, len(article.text))
        if whole:
            found = find_items(article, analysis=analysis)
        else:
            found = find_items(replace(article, text=block.text))
        at, within = block.start, (block.start, block.end)  # grounding looks in the block
        for q in found.quotes:
            raw: RawItem = RawQuote(q.text, q.speaker, q.speaker_title, q.cue, q.kind)
            quotes.append(Placed(raw, "rules", within, at + q.char_start, f"quotes[{len(quotes)}]"))
        for c in found.claims:
            raw = RawClaim(c.text, c.claimant, c.cue, c.hedged)
            claims.append(Placed(raw, "rules", within, at + c.char_start, f"claims[{len(claims)}]"))
        for e in found.events:
            raw = RawEvent(
                e.text, e.event_type.value, e.trigger, tuple(e.actors), e.location, e.time_text,
                e.time,
            )  # fmt: skip
            events.append(Placed(raw, "rules", within, at + e.char_start, f"events[{len(events)}]"))
    return [*quotes, *claims, *events]
