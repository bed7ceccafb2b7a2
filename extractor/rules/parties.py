"""Who took part in an event whose sentence names nobody in its clauses: the parties of
the earlier event a definite subject refers back to ("The lawsuit was settled"), the
earlier event's parties a counted noun stands for ("The three nations pledged …"), or
the company the article is about ("Two more plants will close in 2008")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.rules.entities import ORGANISATION, Entities, Entity
from extractor.rules.places import Naming
from extractor.rules.products import is_product
from extractor.schemas import Event, EventType
from extractor.text.lexicon import (
    DEFINITE_DETERMINERS,
    INSTITUTION_WORDS,
    MARKET_WORDS,
    RELEASE_WORDS,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Event types a company does without being named ("Two more plants will close").
_COMPANY_TYPES = frozenset({EventType.economic, EventType.agreement, EventType.other})
#: Nouns that name an event a definite subject refers back to ("the first lawsuit").
_EVENT_NOUNS = frozenset({"lawsuit", "suit", "deal", "agreement", "contract", "merger", "case"})
#: Plural nouns a number makes a back-reference to parties ("the three nations").
_NATIONS = frozenset({"nations", "countries", "governments", "states"})
_COUNTED = _NATIONS | {"companies", "firms", "carmakers", "automakers", "sides", "men", "leaders"}
_NUMBER_WORDS = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5}
#: The article's opening, where news names what it is about (about two sentences).
LEDE_CHARS = 300
#: How often an organisation is named before the article counts as being about it.
PRINCIPAL_MENTIONS = 4


def principal_company(entities: Entities) -> Entity | None:
    """The company the article is about: named in its lede (`LEDE_CHARS`), at least
    `PRINCIPAL_MENTIONS` times in all and twice as often as any other. A public body,
    party or union is none ("the Senate" does not close plants)."""
    orgs = sorted(
        (e for e in entities.entities if e.type == ORGANISATION and not _body(e.name)),
        key=lambda e: -len(e.mentions),
    )
    if not orgs or len(orgs[0].mentions) < PRINCIPAL_MENTIONS:
        return None
    if len(orgs) > 1 and len(orgs[0].mentions) < 2 * len(orgs[1].mentions):
        return None
    return orgs[0] if min(m.start for m in orgs[0].mentions) < LEDE_CHARS else None


def _body(name: str) -> bool:
    """An institution, party, union or association rather than a company."""
    return any(w in _BODIES for w in name.lower().split())


_BODIES = INSTITUTION_WORDS | frozenset(
    "party union council commission association agency university institute workers"
    " committee league federation".split()
)


def company_news(event: Event, word: Token, name: Naming, principal: str) -> bool:
    """Whether an event that names no actor is the doing of the company an article is
    about (`principal`): its plants closing, sales falling, orders, delays, a product
    released. Not a market move, not what only people do (meetings, protests, deaths,
    trials), and not when the sentence names someone else."""
    others = [
        e
        for e in word.sent.ents
        if e.label_ in ("PERSON", "ORG") and name(e) != principal and not is_product(e.root)
    ]
    if MARKET_WORDS.search(event.text) or others:
        return False
    if event.event_type == EventType.statement:
        return word.lower_ in RELEASE_WORDS
    return event.event_type in _COMPANY_TYPES


def parties_of(word: Token, events: list[Event]) -> list[str]:
    """ "The first lawsuit was settled out of court", "That deal was signed": a definite
    subject naming an earlier event lends it that event's parties."""
    verb = word if word.pos_ in ("VERB", "AUX") else word.head
    for who in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        definite = any(c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS for c in who.children)
        if not definite or who.lower_ not in _EVENT_NOUNS:
            continue
        named = [e for e in events if e.actors and who.lower_ in (e.trigger or "").lower()]
        return list(named[-1].actors) if named else []
    return []


def counted_parties(word: Token, events: list[Event], name: Naming) -> list[str]:
    """ "The three nations pledged …", "both companies agreed": the last earlier event
    with that many parties of the kind, countries for nations ("South Korea, Japan and
    the United States carried out a drill")."""
    verb = word if word.pos_ in ("VERB", "AUX") else word.head
    for who in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        if who.lower_ not in _COUNTED:
            continue
        numbers = [c.lower_ for c in who.children if c.dep_ in ("nummod", "det", "predet")]
        count = next((_NUMBER_WORDS[n] for n in numbers if n in _NUMBER_WORDS), 0)
        if not count:
            continue
        countries = {name(e) for e in word.doc.ents if e.label_ == "GPE"}
        for event in reversed(events):
            wanted = [a for a in event.actors if (a in countries) == (who.lower_ in _NATIONS)]
            if len(wanted) == count == len(event.actors):
                return list(event.actors)
    return []
