"""The grounding stage: every item from any source is located in its document (or
rejected with a reason), then the grounded items of several sources are merged."""

from extractor.grounding.document import Document
from extractor.grounding.items import Placed, RawClaim, RawEvent, RawItem, RawQuote
from extractor.grounding.merge import merge
from extractor.grounding.stage import (
    MIN_CLAIM_WORDS,
    Grounded,
    ground,
    ground_all,
    problems,
)

__all__ = [
    "MIN_CLAIM_WORDS",
    "Document",
    "Grounded",
    "Placed",
    "RawClaim",
    "RawEvent",
    "RawItem",
    "RawQuote",
    "ground",
    "ground_all",
    "merge",
    "problems",
]
