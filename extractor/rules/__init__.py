"""The deterministic rules engine: quotes, claims and events found by patterns, no model.

Spans are found directly in the article text (native offsets, which the grounding stage
checks like any other source's). By job: `quotes` (quotations and who said them),
`claims` (reported speech and beliefs), `reported` (what the spaCy parse adds to them:
clausal complements, claim nouns, asserted causes, the author's speculation), `events`
(per sentence, the `triggers` of a lexicon), `event_roles` (actors and time from the
parse), `places` (an event's location), `clauses` (which verb's clause a word is in, and
which clauses lend an event their participants), `parties` (who takes part when a
sentence names nobody), `products` (names of things put out, no actors), `speakers`
(cue verbs and speaker phrases), `people` (names, organisations, acronyms), `entities`
(canonical entities and what a mention refers to), `analysis` (the text parsed once,
shared by every finder); in French, with no parse, `french` (its quotes),
`french_attribution` (its cue verbs and where they stand) and `french_speakers` (what a
speaker phrase names); `languages` (which kinds each language has rules for).
Word lists live in `extractor.text.lexicon`, quotation marks in `extractor.text.quotation`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractor.rules.analysis import Analysis, PendingAnalysis, analyse, analyse_later
from extractor.rules.claims import find_claims
from extractor.rules.events import find_events
from extractor.rules.french import find_french_quotes
from extractor.rules.languages import rule_kinds, skipped_kinds
from extractor.rules.parties import principal_company
from extractor.rules.people import expand_acronym
from extractor.rules.quotes import find_quotes
from extractor.schemas import KINDS, DocumentExtraction
from extractor.text.articles import Article
from extractor.text.dates import find_dates
from extractor.text.segment import sentences

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "Analysis",
    "PendingAnalysis",
    "analyse",
    "analyse_later",
    "find_items",
    "skipped_kinds",
]


def find_items(
    article: Article, nlp_model: str | None = None, analysis: Analysis | None = None
) -> DocumentExtraction:
    """The article's quotes, claims and events, with offsets into `article.text`: the
    kinds the rules support in the article's language (`languages.rule_kinds`). The
    text is parsed once (`analysis`, built here unless given)."""
    if article.language == "fr":
        return DocumentExtraction(quotes=find_french_quotes(article.text, sentences(article.text)))
    if rule_kinds(article.language) != KINDS:
        return DocumentExtraction()  # nothing for this language: see `skipped_kinds`
    a = analysis or analyse(article.text, nlp_model)
    quotes = find_quotes(a)
    quoted = [(q.char_start, q.char_end) for q in quotes]
    claims = find_claims(a.text, a.sentences, a.people, quoted, a.doc)

    def name(span: Span) -> str | None:
        """A person's or organisation's canonical name; a place or an unknown name as
        written, without "the" or a possessive, its acronym spelt out ("U.S.")."""
        if (canonical := a.entities.resolve(span.start_char, span.end_char)) is not None:
            return canonical
        end = span.end_char
        hyphenated = re.match(r"-\w+", a.text[end:])  # "Park Yoon" + "-joo"
        end += hyphenated.end() if hyphenated else 0
        words = re.sub(r"^(?:the|The)\s+|['’]s$", "", a.text[span.start_char : end]).strip()
        return expand_acronym(words.replace(".", "") if "." in words else words, a.text)

    def subject(token: Token) -> str | None:
        """What a subject that is no name refers to: "it", "he", "the company", "his
        company" (with its determiner: "a company" is someone new)."""
        determiners = [c.idx for c in token.children if c.dep_ in ("det", "poss") and c.i < token.i]
        return a.entities.resolve(min(determiners, default=token.idx), token.idx + len(token.text))

    dates = find_dates(a.text, article.published)
    principal = principal_company(a.entities)
    events = find_events(
        a.text,
        a.sentences,
        quoted,
        claims,
        dates,
        a.doc,
        name,
        subject,
        article.published,
        principal.name if principal else None,
    )
    return DocumentExtraction(quotes=quotes, claims=claims, events=events)
