"""The grounding stage: the one place that decides whether an item is real.

Every raw item from any source passes through `ground`, which locates it in the document
(`extractor.align.locate`: exact, normalised, fuzzy; offsets always into the original
text, never taken from the source) and applies every rule, returning the grounded item
and the rejections it earned. An item-level rejection (`Rejection.drops_item`) costs the
item; a field-level one clears that field and keeps the item. A fuzzy match counts only
when it has the item's words (`extractor.align.same_words`: case, punctuation, an elided
passage and typos aside): a reworded item is not in the text. The rules:

- quote: in the text, inside quotation marks (`extractor.text.quotation`); a speaker
  that is not a name (`extractor.grounding.names`: a chat role, a sentence fragment) or is
  named nowhere in the article is cleared;
- claim: in the text; a claimant that is a name named in the article, or `<author>`, or
  none when its sentence reports it with no agent ("it is feared that"); at least
  `MIN_CLAIM_WORDS` words; an `<author>` claim must be a prediction, an estimate or an
  assessment (eval/GUIDELINES.md: hedged, in the future, an approximate figure, a reason, a
  verdict; `extractor.text.lexicon.AUTHOR_CLAIM_MARKERS`), else it is the article's own
  report of what happened: an event;
- event: its sentence in the text, grounded to the whole sentence that holds it; actors
  and a location named nowhere are cleared, and a time that is not ISO.

The model's re-ask is built from the same rejections (`problems`), so a model is told of
every rule that would drop its item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from extractor.align import Match, locate, same_words
from extractor.grounding import names
from extractor.grounding.document import Document, surnames_of
from extractor.grounding.items import Placed, RawClaim, RawEvent, RawQuote
from extractor.records import Reason, Rejection, check_time_limit
from extractor.schemas import AUTHOR, Alignment, Claim, DocumentExtraction, Event, Quote, Span
from extractor.text.lexicon import AGENTLESS_REPORT, AUTHOR_CLAIM_MARKERS, HEDGES
from extractor.text.quotation import is_quotation_mark

MIN_CLAIM_WORDS = 4
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: Places of one item's words looked at to choose the one that fits it.
_MAX_OCCURRENCES = 16
#: The field a model answer calls each kind's text (for messages).
_TEXT_FIELD = {"quote": "text", "claim": "text", "event": "sentence"}


@dataclass
class Grounded:
    """The grounded items of some raw items, and every rejection they earned."""

    extraction: DocumentExtraction = field(default_factory=DocumentExtraction)
    rejections: list[Rejection] = field(default_factory=list)


def ground_all(items: Iterable[Placed], document: str | Document) -> Grounded:
    """Ground every item, in order."""
    doc = document if isinstance(document, Document) else Document(document)
    result = Grounded()
    for n, placed in enumerate(items):
        if n % 1000 == 0:
            check_time_limit()
        item, rejections = ground(placed, doc)
        result.rejections.extend(rejections)
        if isinstance(item, Quote):
            result.extraction.quotes.append(item)
        elif isinstance(item, Claim):
            result.extraction.claims.append(item)
        elif isinstance(item, Event):
            result.extraction.events.append(item)
    return result


def problems(items: Iterable[Placed], document: str) -> list[Rejection]:
    """The rejections the items would earn in `document` that a model should hear of in a
    re-ask: every one that drops an item, and a speaker named nowhere. (A cleared actor,
    location or non-ISO time costs nothing worth another call.)"""
    return [
        r
        for r in ground_all(items, _document(document)).rejections
        if r.drops_item or r.reason in (Reason.speaker_not_named, Reason.speaker_not_a_name)
    ]


@lru_cache(maxsize=8)
def _document(text: str) -> Document:
    """One `Document` per text validated (each chunk of an article validates against the
    whole article: its word index is built once)."""
    return Document(text)


def ground(placed: Placed, doc: Document) -> tuple[Span | None, list[Rejection]]:
    """The grounded item (None when an item-level rule refused it) and its rejections."""
    check = _Check(placed, doc)
    raw = placed.item
    if isinstance(raw, RawQuote):
        return _quote(raw, check), check.rejections
    if isinstance(raw, RawClaim):
        return _claim(raw, check), check.rejections
    return _event(raw, check), check.rejections


class _Check:
    """Collects one item's rejections."""

    def __init__(self, placed: Placed, doc: Document) -> None:
        self.placed, self.doc = placed, doc
        self.where = placed.where or placed.kind
        self.rejections: list[Rejection] = []

    def reject(self, reason: Reason, message: str, field: str | None = None) -> None:
        p = self.placed
        self.rejections.append(
            Rejection(p.kind, p.as_json(), reason, message, p.source, field, p.chunk_index)
        )

    def locate(self, text: str, person: str | None = None) -> Match | None:
        """Where the item's `text` is; of several places, the one that fits the item best
        (`_Check.occurrence`): its `person` (speaker, claimant) is the one named there."""
        near = self.placed.near
        if near is not None and text and self.doc.text.startswith(text, near):
            return Match(near, near + len(text), Alignment.exact, 1.0)  # a native offset
        match = locate(text, self.doc.text, near=near, within=self.placed.within)
        if match is not None and near is None:
            match = self.occurrence(match, person)
        name = _TEXT_FIELD[self.placed.kind]
        if match is None:
            self.reject(
                Reason.not_in_text, f"{self.where}.{name} {text[:80]!r} is not in the article"
            )
        elif match.alignment is Alignment.fuzzy:
            found = self.doc.text[match.start : match.end]
            if not same_words(text, found):  # reworded: not the article's words
                self.reject(
                    Reason.not_in_text,
                    f"{self.where}.{name} {text[:80]!r} is not in the article; its words "
                    f"are {found[:120]!r}",
                )
                return None
        return match

    def occurrence(self, first: Match, person: str | None) -> Match:
        """Of the places in the item's range holding the words `first` found (a short
        quote may occur twice: "shocked"), the one that fits the item: for a quote, inside
        quotation marks; then where the paragraph names `person`; then a quote that fills
        its quotation marks whole; then the first."""
        text = self.doc.text
        words = text[first.start : first.end]
        lo, hi = self.placed.within or (0, len(text))
        places: list[Match] = []
        at = text.find(words, lo, hi)
        while at != -1 and len(places) < _MAX_OCCURRENCES:
            places.append(Match(at, at + len(words), first.alignment, first.score))
            at = text.find(words, at + 1, hi)
        if len(places) <= 1:
            return first
        quote = self.placed.kind == "quote"
        regions = self.doc.regions if quote else None
        surnames = surnames_of(person)

        def fit(m: Match) -> tuple[bool, bool, bool]:
            quoted = regions is None or regions.contains(m.start, m.end)
            named = bool(surnames) and self.doc.paragraph_names(m, surnames)
            return quoted, named, quote and _fills_quotation(text, m)

        return max(places, key=fit)  # max keeps the first of equals

    def person(
        self, name: str | None, field: str, not_a_name: Reason, not_named: Reason
    ) -> str | None:
        """`name` if it is a name (`extractor.grounding.names`) that the article names,
        else None (and a rejection)."""
        why = None if name is None else names.not_a_name(name)
        if why is None:
            return self.named(name, field, not_named)
        self.reject(not_a_name, f"{self.where}.{field} {name!r} is not a name: {why}; give "
                    "the person or organisation as the article names them", field)  # fmt: skip
        return None

    def named(self, name: str | None, field: str, reason: Reason) -> str | None:
        """`name` if the article names it, else None (and a rejection)."""
        if name is None or self.doc.names(name):
            return name
        self.reject(reason, f"{self.where}.{field} {name!r} is named nowhere in the article", field)
        return None


def _span(doc: Document, m: Match) -> dict[str, object]:
    return {
        "text": doc.text[m.start : m.end],
        "char_start": m.start,
        "char_end": m.end,
        "alignment": m.alignment,
    }


def _quote(raw: RawQuote, check: _Check) -> Quote | None:
    doc = check.doc
    match = check.locate(raw.text, raw.speaker)
    if match is not None and not doc.regions.contains(match.start, match.end):
        check.reject(
            Reason.not_quoted,
            f"{check.where}.text {raw.text[:60]!r} is not inside quotation marks: "
            "a quote is only words the article puts in quotation marks",
        )
        match = None
    speaker = check.person(
        raw.speaker, "speaker", Reason.speaker_not_a_name, Reason.speaker_not_named
    )
    if match is None:
        return None
    return Quote.model_validate(
        {
            **_span(doc, match),
            "speaker": speaker,
            "speaker_title": raw.speaker_title,
            "cue": raw.cue,
            "kind": raw.kind,
        },
        context={"document": doc.text},
    )


def _claim(raw: RawClaim, check: _Check) -> Claim | None:
    doc = check.doc
    match = check.locate(raw.text, None if raw.claimant == AUTHOR else raw.claimant)
    claimant = raw.claimant
    if claimant != AUTHOR:
        claimant = check.person(
            claimant, "claimant", Reason.claimant_not_a_name, Reason.claimant_not_named
        )
    if match is None or (raw.claimant is not None and claimant is None):
        return None
    text = doc.text[match.start : match.end]
    hedged = raw.hedged or bool(HEDGES.search(text))
    where = check.where
    if claimant is None and not _agentless(doc, match, check.placed.within):
        check.reject(
            Reason.no_claimant,
            f"{where}.claimant is missing: give who makes the claim, as the article names "
            f"them, or {AUTHOR} for the article's own prediction, estimate or assessment "
            "(null only for a report with no agent: 'it is feared that ...')",
        )
    elif len(text.split()) < MIN_CLAIM_WORDS:
        check.reject(
            Reason.too_short,
            f"{where}.text {text[:60]!r} is not a claim: a claim is an assertion of at "
            f"least {MIN_CLAIM_WORDS} words",
        )
    elif claimant == AUTHOR and not (hedged or AUTHOR_CLAIM_MARKERS.search(text)):
        check.reject(
            Reason.author_not_hedged,
            f"{where} by {AUTHOR} states what happened: the article's own claim is a "
            "prediction, an estimate or an assessment; a report of what happened is an event",
        )
    else:
        return Claim.model_validate(
            {**_span(doc, match), "claimant": claimant, "cue": raw.cue, "hedged": hedged},
            context={"document": doc.text},
        )
    return None


def _agentless(doc: Document, match: Match, within: tuple[int, int] | None) -> bool:
    """Whether the claim's sentence reports it with no agent ("This is said to be ...",
    "it is feared that ...", "Fears that ..."): a claim without a claimant (GUIDELINES.md)."""
    start, end = doc.sentence_around(match, within or (0, len(doc.text)))
    return bool(AGENTLESS_REPORT.search(doc.text, min(start, match.start), max(end, match.end)))


def _event(raw: RawEvent, check: _Check) -> Event | None:
    doc = check.doc
    match = check.locate(raw.text)
    if match is None:
        return None
    start, end = doc.sentence_around(match, check.placed.within or (0, len(doc.text)))
    actors = [a for a in raw.actors if check.named(a, "actors", Reason.actor_not_named)]
    location = check.named(raw.location, "location", Reason.location_not_named)
    time = raw.time
    if time is not None and not _ISO.match(time):
        check.reject(
            Reason.time_not_iso,
            f"{check.where}.time {time!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
            "time",
        )
        time = None
    return Event.model_validate(
        {
            "text": doc.text[start:end],
            "char_start": start,
            "char_end": end,
            "alignment": match.alignment,
            "event_type": raw.event_type,
            "trigger": raw.trigger,
            "actors": actors,
            "location": location,
            "time_text": raw.time_text,
            "time": time,
        },
        context={"document": doc.text},
    )


def _fills_quotation(text: str, m: Match) -> bool:
    """Whether `text[m.start:m.end]` is all of the words between a pair of quotation marks
    (a trailing comma or full stop aside)."""
    before = text[max(0, m.start - 8) : m.start].rstrip()[-1:]
    after = text[m.end : m.end + 8].lstrip()[:2].lstrip(",.;:!?")[:1]
    return is_quotation_mark(before) and is_quotation_mark(after)
