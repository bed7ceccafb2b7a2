"""The deterministic rules engine: quotes, claims and events found by patterns, no model.

Spans are found directly in the article text (native offsets, which the grounding stage
checks like any other source's). By job: `quotes` (quotations and who said them),
`claims` (reported speech and beliefs), `reported` (what the spaCy parse adds to them:
clausal complements, claim nouns, asserted causes, the author's speculation), `events`
(trigger words per sentence), `event_roles` (actors and location from the parse),
`speakers` (cue verbs and speaker phrases), `people` (names, organisations, acronyms).
The article is parsed once (`extractor.nlp`); claims and events share the parse.
Word lists live in `extractor.text.lexicon`, quotation marks in `extractor.text.quotation`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractor import nlp
from extractor.rules.claims import find_claims
from extractor.rules.events import find_events
from extractor.rules.people import expand_acronym, scan_people
from extractor.rules.quotes import find_quotes
from extractor.schemas import DocumentExtraction
from extractor.text.articles import Article
from extractor.text.dates import find_dates
from extractor.text.lexicon import GENERIC_ORGANISATIONS
from extractor.text.segment import sentences

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["find_items"]


def find_items(article: Article) -> DocumentExtraction:
    """The article's quotes, claims and events, with offsets into `article.text`."""
    text = article.text
    sents = sentences(text)
    people = scan_people(text)
    quotes = find_quotes(text, sents, people)
    quoted = [(q.char_start, q.char_end) for q in quotes]
    doc = nlp.parse(text)
    claims = find_claims(text, sents, people, quoted, doc)

    def name(entity: Span) -> str | None:
        """Local stand-in for the entity resolver: fullest name, acronym spelt out."""
        end = entity.end_char
        hyphenated = re.match(r"-\w+", text[end:])  # "Park Yoon" + "-joo"
        end += hyphenated.end() if hyphenated else 0
        words = re.sub(r"^(?:the|The)\s+|['’]s$", "", text[entity.start_char : end]).strip()
        if entity.label_ == "PERSON":
            words = people.expand(words)
        return expand_acronym(words.replace(".", "") if "." in words else words, text)

    def subject(token: Token) -> str | None:
        """Local stand-in for the entity resolver: "it", "he", "the company"."""
        word = token.lower_
        if word in ("he", "she"):
            return people.before(token.idx)
        if word in ("it", "they") or word in GENERIC_ORGANISATIONS:
            return people.organisation_before(token.idx)
        return None

    dates = find_dates(text, article.published)
    events = find_events(text, sents, quoted, claims, dates, doc, name, subject)
    return DocumentExtraction(quotes=quotes, claims=claims, events=events)
