"""The deterministic rules engine: quotes, claims and events found by patterns, no model.

Spans are found directly in the article text (native offsets, which the grounding stage
checks like any other source's). By job: `quotes` (quotations and who said them),
`claims` (reported speech and beliefs), `events` (trigger words per sentence),
`speakers` (cue verbs and speaker phrases), `people` (names, organisations, acronyms).
Word lists live in `extractor.text.lexicon`, quotation marks in `extractor.text.quotation`.
"""

from __future__ import annotations

from extractor.rules.claims import find_claims
from extractor.rules.events import find_events
from extractor.rules.french import find_french_quotes
from extractor.rules.languages import rule_kinds, skipped_kinds
from extractor.rules.people import scan_people
from extractor.rules.quotes import find_quotes
from extractor.schemas import KINDS, DocumentExtraction
from extractor.text.articles import Article
from extractor.text.dates import find_dates
from extractor.text.segment import sentences

__all__ = ["find_items", "skipped_kinds"]


def find_items(article: Article) -> DocumentExtraction:
    """The article's quotes, claims and events, with offsets into `article.text`: the
    kinds the rules support in the article's language (`languages.rule_kinds`)."""
    text = article.text
    if article.language == "fr":
        return DocumentExtraction(quotes=find_french_quotes(text, sentences(text)))
    if rule_kinds(article.language) != KINDS:
        return DocumentExtraction()  # nothing for this language: see `skipped_kinds`
    sents = sentences(text)
    people = scan_people(text)
    quotes = find_quotes(text, sents, people)
    quoted = [(q.char_start, q.char_end) for q in quotes]
    claims = find_claims(text, sents, people, quoted)
    events = find_events(text, sents, quoted, claims, find_dates(text, article.published))
    return DocumentExtraction(quotes=quotes, claims=claims, events=events)
