"""Where an event took place, from the parse around its trigger.

The *location* is a place entity (GPE, LOC, FAC) governed by in/at/near (by "to" for
movements: deployments, visits; by "of"/"on"/"against" for attacks) or modifying the
trigger ("a New York press conference"), a named building ("at their Everett
Factory"), a named place noun ("in Russia's Kursk region") or "in the country" (the
country named last): the one in the trigger's clause first, else the first in the
sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from extractor.rules.clauses import clause_of, in_subtree
from extractor.rules.entities import PLACE_LABELS
from extractor.text.lexicon import FACILITY_WORDS, LOCATIVE_PREPOSITIONS, PLACE_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: A name in its canonical form (fullest name, acronym spelt out), given its entity.
Naming = Callable[["Span"], str | None]


#: Dependencies that keep a word inside the noun phrase of its head.
_NOMINAL = frozenset({"compound", "nmod", "amod", "appos", "conj", "cc", "det", "poss"})


def location(sentence: Span, trigger: Token, name: Naming, towards: frozenset[str]) -> str | None:
    """Where the event took place: a place entity governed by in/at/near (or by one of
    `towards`: "a visit to North Korea", "the invasion of Georgia"), or a named place
    noun ("in Russia's Kursk region")."""
    clause = clause_of(trigger)
    places = [
        e
        for e in sentence.ents
        if is_place(e) and place_role(e, trigger, towards) and not _describes(e.root, trigger)
    ]
    places += _named_areas(sentence, places) + _places_referred_to(sentence)
    places.sort(
        key=lambda e: (clause_of(e.root) != clause and not in_subtree(e.root, trigger), e.start)
    )
    for place in places:
        canonical = name(place)
        if canonical:
            return canonical
    return None


def _describes(place: Token, trigger: Token) -> bool:
    """A place in a description of someone ("Ford, the second-largest car maker in
    America, will cut …", "New Century, the second largest lender in the US"): the
    preposition hangs on an apposition, which says where they are, not where the event is."""
    token = place
    while token.head != token and token != trigger:
        if token.dep_ == "appos":
            return not in_subtree(trigger, token)
        if token.dep_ in ("nsubj", "nsubjpass", "dobj", "ROOT") or token.pos_ in ("VERB", "AUX"):
            return False
        token = token.head
    return False


def is_place(entity: Span) -> bool:
    """A place entity, or a named building the recogniser took for an organisation
    ("their Everett Factory", "the Royal Courts of Justice")."""
    if entity.label_ in PLACE_LABELS:
        return True
    return entity.label_ == "ORG" and any(t.lower_ in FACILITY_WORDS for t in entity)


def _named_areas(sentence: Span, places: list[Span]) -> list[Span]:
    """ "in Russia's Kursk region", "at their Everett Factory": a place or building noun
    with a proper name, after in/at/near, that the entity recogniser missed."""
    found: list[Span] = []
    for token in sentence:
        if token.lower_ not in PLACE_NOUNS | FACILITY_WORDS or token.dep_ != "pobj":
            continue
        if token.head.lower_ not in LOCATIVE_PREPOSITIONS:
            continue
        names = [c for c in token.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if names and not any(p.start <= names[0].i < p.end for p in places):
            found.append(sentence.doc[names[0].left_edge.i : token.i + 1])
    return found


def _places_referred_to(sentence: Span) -> list[Span]:
    """ "accidents in the country": the country or city named last before it."""
    found: list[Span] = []
    for token in sentence:
        if token.lower_ not in ("country", "city") or token.dep_ != "pobj":
            continue
        if token.head.lower_ not in LOCATIVE_PREPOSITIONS:
            continue
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            continue
        named = [e for e in sentence.doc.ents if e.label_ == "GPE" and e.end <= token.i]
        if named:
            found.append(named[-1])
    return found


def place_role(entity: Span, trigger: Token, towards: frozenset[str]) -> bool:
    """Whether `entity` is where something is: object of a place preposition (through the
    noun it modifies: "in Russia's Kursk region"), or a modifier of the trigger."""
    head = entity.root
    while head.dep_ in _NOMINAL and head.head != head:
        if head.dep_ in ("compound", "nmod") and head.head == trigger:
            return True  # "the Seoul meeting", "a New York press conference"
        if head.dep_ == "poss":
            return False  # "Russia's invasion": the possessor acts
        head = head.head
    if head.dep_ != "pobj":
        return False
    preposition = head.head.lower_
    return preposition in LOCATIVE_PREPOSITIONS or preposition in towards
