"""The deterministic rules engine: quotes, claims and events found by patterns, no model.

Spans are found directly in the article text (native offsets, which the grounding stage
checks like any other source's). By job: `quotes` (quotations and who said them),
`claims` (reported speech and beliefs), `events` (trigger words per sentence),
`speakers` (cue verbs and speaker phrases), `people` (names, organisations, acronyms),
`entities` (one canonical entity per person or organisation), `analysis` (the text
parsed once by spaCy, with its people and entities, which every finder reads).
Word lists live in `extractor.text.lexicon`, quotation marks in `extractor.text.quotation`.
"""

from __future__ import annotations

from extractor.rules.analysis import Analysis, analyse
from extractor.rules.claims import find_claims
from extractor.rules.events import find_events
from extractor.rules.quotes import find_quotes
from extractor.schemas import DocumentExtraction
from extractor.settings import DEFAULT_NLP_MODEL
from extractor.text.articles import Article
from extractor.text.dates import find_dates

__all__ = ["Analysis", "analyse", "find_items"]


def find_items(
    article: Article, nlp_model: str = DEFAULT_NLP_MODEL, analysis: Analysis | None = None
) -> DocumentExtraction:
    """The article's quotes, claims and events, with offsets into `article.text`; the
    text is parsed once (`analysis`, built here unless given)."""
    a = analysis or analyse(article.text, nlp_model)
    quotes = find_quotes(a)
    quoted = [(q.char_start, q.char_end) for q in quotes]
    claims = find_claims(a.text, a.sentences, a.people, quoted)
    events = find_events(a.text, a.sentences, quoted, claims, find_dates(a.text, article.published))
    return DocumentExtraction(quotes=quotes, claims=claims, events=events)
