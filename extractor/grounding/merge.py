"""Merging grounded items from several sources: the candidates (the rules engine's
items) first, then each model answer's, an item added unless it is one already kept."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from extractor.schemas import DocumentExtraction, Span, overlap_ratio

#: Two spans overlapping this much are the same item.
SAME_ITEM = 0.5

S = TypeVar("S", bound=Span)


def merge(
    candidates: DocumentExtraction | None, answers: Iterable[DocumentExtraction]
) -> DocumentExtraction:
    """Candidates first; a model item is added unless it is the same item as one already
    kept (spans overlapping >= SAME_ITEM; for events, also the same type). A kept quote
    without a speaker takes the model's."""
    merged = candidates.model_copy(deep=True) if candidates else DocumentExtraction()
    for answer in answers:
        for quote in answer.quotes:
            same = _same(merged.quotes, quote)
            if same is None:
                merged.quotes.append(quote)
            elif merged.quotes[same].speaker is None and quote.speaker:
                merged.quotes[same] = merged.quotes[same].model_copy(
                    update={"speaker": quote.speaker}
                )
        for claim in answer.claims:
            if _same(merged.claims, claim) is None:
                merged.claims.append(claim)
        for event in answer.events:
            kept = [e for e in merged.events if e.event_type == event.event_type]
            if _same(kept, event) is None:
                merged.events.append(event)
    for items in (merged.quotes, merged.claims, merged.events):
        items.sort(key=lambda item: (item.char_start, item.char_end))
    return merged


def _same(items: list[S], item: Span) -> int | None:
    for index, other in enumerate(items):
        ratio = overlap_ratio((other.char_start, other.char_end), (item.char_start, item.char_end))
        if ratio >= SAME_ITEM:
            return index
    return None
