"""Turning a model's answer into grounded items, and merging them with the candidates.

Offsets never come from the model: every text is located in the document by
`extractor.align.locate` inside its chunk. Event spans are snapped to the whole sentence
that holds them (the annotation convention). Items that cannot be located are dropped and
counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

from extractor.align import Match, locate
from extractor.llm.responses import ChunkResponse, inside_quotation, name_in_text
from extractor.schemas import AUTHOR, Claim, DocumentExtraction, Event, Quote, Span, overlap_ratio
from extractor.text.lexicon import HEDGES
from extractor.text.segment import Segment, sentences

SAME_ITEM = 0.5
MIN_CLAIM_WORDS = 4  # two spans overlapping this much are the same item
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

S = TypeVar("S", bound=Span)


def ground_response(
    response: ChunkResponse, document: str, start: int, end: int
) -> tuple[DocumentExtraction, int]:
    """Grounded items of one chunk `document[start:end]`, and how many were dropped."""
    dropped = 0
    within = (start, end)
    quotes, claims, events = [], [], []
    for q in response.quotes:
        m = locate(q.text, document, within=within)
        if m is None or not inside_quotation(document, m.start, m.end):
            dropped += 1
            continue
        speaker = q.speaker if q.speaker and name_in_text(q.speaker, document) else None
        quotes.append(Quote.model_validate({**_span(document, m), "speaker": speaker}))
    for c in response.claims:
        if (m := locate(c.text, document, within=within)) is None:
            dropped += 1
            continue
        claimant = c.claimant if c.claimant == AUTHOR or (
            c.claimant and name_in_text(c.claimant, document)
        ) else None  # fmt: skip
        text = document[m.start : m.end]
        hedged = bool(HEDGES.search(text))
        if (
            claimant is None
            or len(text.split()) < MIN_CLAIM_WORDS
            or (claimant == AUTHOR and not hedged)
        ):
            # No one named in the article makes it; not an assertion ("16:15 UTC"); or the
            # article's own plain report of what happened, which is an event, not a claim.
            dropped += 1
            continue
        claims.append(Claim.model_validate({**_span(document, m), "claimant": claimant,
                                            "hedged": hedged}))  # fmt: skip
    sents = sentences(document[start:end])
    for e in response.events:
        if (m := locate(e.sentence, document, within=within)) is None:
            dropped += 1
            continue
        s_start, s_end = _sentence_around(m, sents, start)
        time = e.time if e.time and _ISO.match(e.time) else None
        events.append(
            Event(
                text=document[s_start:s_end], char_start=s_start, char_end=s_end,
                alignment=m.alignment, event_type=e.event_type,
                actors=[a for a in e.actors if name_in_text(a, document)],
                location=e.location if e.location and name_in_text(e.location, document) else None,
                time_text=e.time, time=time,
            )
        )  # fmt: skip
    return DocumentExtraction(quotes=quotes, claims=claims, events=events), dropped


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


def _span(document: str, m: Match) -> dict[str, object]:
    return {
        "text": document[m.start : m.end],
        "char_start": m.start,
        "char_end": m.end,
        "alignment": m.alignment,
    }


def _sentence_around(m: Match, sents: list[Segment], offset: int) -> tuple[int, int]:
    best, best_overlap = (m.start, m.end), 0
    for s in sents:
        overlap = min(m.end, s.end + offset) - max(m.start, s.start + offset)
        if overlap > best_overlap:
            best, best_overlap = (s.start + offset, s.end + offset), overlap
    return best
