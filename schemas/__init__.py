"""The data model of an extraction: what a quote, a claim and an event are.

Every item is a `Span` of the source document: `document[char_start:char_end] == text`,
with offsets as Python string indices (code points), 0-based, half-open. The check runs
whenever a model is validated with the document in its validation context::

    Quote.model_validate(data, context={"document": text})

This package imports nothing from the pipeline; the pipeline imports it.
"""

from extractor.schemas.models import (
    AUTHOR,
    EVENT_TYPES,
    KINDS,
    MAX_ACTORS,
    MAX_DOCUMENT_ITEMS,
    MAX_ITEMS,
    Alignment,
    Claim,
    DocumentExtraction,
    Event,
    EventType,
    Quote,
    QuoteKind,
    Span,
    overlap_ratio,
)

SCHEMA_VERSION = "1"

__all__ = [
    "AUTHOR",
    "EVENT_TYPES",
    "KINDS",
    "MAX_ACTORS",
    "MAX_DOCUMENT_ITEMS",
    "MAX_ITEMS",
    "SCHEMA_VERSION",
    "Alignment",
    "Claim",
    "DocumentExtraction",
    "Event",
    "EventType",
    "Quote",
    "QuoteKind",
    "Span",
    "overlap_ratio",
]
