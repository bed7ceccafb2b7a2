"""One canonical entity per person or organisation of a document, from spaCy's named
entities and the names the rules read.

- Person mentions group by surname ("President Barack Obama", "Obama", "Mr. Obama") and by
  a first name that only one grouped person has ("Steve" -> "Steve Jobs"); the canonical
  name is the fullest form without titles or honorifics ("Barack Obama"), so the same
  person gets the same string in every document that names them in full.
- Organisation mentions group by their words without determiners or a possessive;
  an acronym the text spells out joins its long form ("UAW" -> "United Auto Workers").
- `resolve(start, end)` gives the canonical name for a mention at those offsets: a name,
  a pronoun ("he", "she": the nearest person before; "it": the nearest organisation) or
  a nominal ("the company" -> nearest organisation; "the minister", "the spokesman" ->
  nearest person). `is_place(start, end)` tells a GPE/LOC/FAC span from a person or an
  organisation. `canonical(name)` maps a name string (a model's speaker) to its entity.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extractor.rules.people import People, expand_acronym, organisation_name, person_name
from extractor.rules.products import is_product
from extractor.schemas import DocumentExtraction
from extractor.text.lexicon import (
    CLOCK_WORDS,
    DETERMINERS,
    GENERIC_ORGANISATIONS,
    HONORIFICS,
    TITLE_ABBREVIATIONS,
    TITLE_WORDS,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

PERSON, ORGANISATION = "person", "organisation"
_LABELS = {"PERSON": PERSON, "ORG": ORGANISATION, "NORP": None}
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_ORG_PRONOUNS = frozenset({"it", "its"})
_MALE_HONORIFICS = frozenset({"mr", "mr.", "sir"})
_FEMALE_HONORIFICS = frozenset({"mrs", "mrs.", "ms", "ms.", "dame", "miss"})
_LEGAL_FORMS = frozenset("inc corp corporation co ltd plc llc ag sa nv gmbh".split())
#: How far back (characters, about three sentences) a nominal looks for what it refers to.
SALIENCE_WINDOW = 600
#: How far a title may stand before a name it belongs to ("U.S. Secretary of State Marco
#: Rubio"), and how many mentions back "the secretary" looks for it.
_TITLE_CHARS = 60
_TITLE_LOOKBACK = 50
#: An appositive after a name, up to its end ("Ana Costa, the defence minister, said").
_APPOSITIVE = re.compile(r",\s+(?:the |a |an )?[^,.;:“”\"]{1,60}")
#: Determiners that refer back to someone named before ("the company", "his company").
_DEFINITE = frozenset({"the", "this", "his", "her", "its", "their"})
_POSSESSIVE = re.compile(r"(?<=\w)['’]s?$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass
class Entity:
    """A person or an organisation, with every mention of it in the document."""

    name: str
    type: str
    mentions: list[Mention] = field(default_factory=list)
    gender: str | None = None  # "male", "female" (from honorifics), else None


@dataclass
class Entities:
    """The document's entities and where each is mentioned, to resolve mentions."""

    text: str
    entities: list[Entity] = field(default_factory=list)
    places: list[tuple[int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)
    _at: list[tuple[Mention, Entity]] = field(default_factory=list)

    def index(self) -> None:
        pairs = sorted(
            ((m, e) for e in self.entities for m in e.mentions), key=lambda p: p[0].start
        )
        self._at = pairs
        self._starts = [m.start for m, _ in pairs]

    def entity_at(self, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping [start, end), if any."""
        i = bisect_left(self._starts, end)
        for mention, entity in reversed(self._at[max(0, i - 8) : i]):
            if mention.end > start:
                return entity
        return None

    def nearest_before(self, position: int, kind: str, gender: str | None = None) -> Entity | None:
        """The entity of type `kind` mentioned last before `position` (gender-compatible)."""
        i = bisect_left(self._starts, position)
        for _, entity in reversed(self._at[:i]):
            if entity.type == kind and (gender is None or entity.gender in (None, gender)):
                return entity
        return None

    def titled_before(self, position: int, title: str) -> Entity | None:
        """The person mentioned last before `position` with `title` next to a mention
        ("Defence Minister Ana Costa", "Ana Costa, the defence minister"), for "the
        minister"; None when no one was."""
        i = bisect_left(self._starts, position)
        forms = "|".join(
            [re.escape(title), *(rf"{a}\.?" for a in TITLE_ABBREVIATIONS.get(title, ()))]
        )
        word = re.compile(rf"(?i:\b(?:{forms})(?![\w]))")
        # the title right before the name, with only capitalised words between ("Secretary
        # of State Marco Rubio"), not one of another name ("President X met Ana Costa")
        right_before = re.compile(rf"{word.pattern}(?:\s+(?:of\s+)?[A-Z][\w.'’-]*)*\s*$")
        for mention, entity in reversed(self._at[max(0, i - _TITLE_LOOKBACK) : i]):
            if entity.type != PERSON:
                continue
            before = self.text[max(0, mention.start - _TITLE_CHARS) : mention.start]
            after = _APPOSITIVE.match(self.text, mention.end)
            own = word.search(mention.text)  # "President Barack Obama"
            if own or right_before.search(before) or (after and word.search(after.group(0))):
                return entity
        return None

    def salient_before(self, position: int, kind: str) -> Entity | None:
        """The entity of type `kind` the document mentions most, of those mentioned in the
        `SALIENCE_WINDOW` characters before `position` (else of all before it): "the
        company" in an article about Apple is Apple, not a product named in between."""
        i = bisect_left(self._starts, position)
        before = [(m, e) for m, e in self._at[:i] if e.type == kind]
        near = [e for m, e in before if m.start >= position - SALIENCE_WINDOW]
        return max(near or [e for _, e in before], key=lambda e: len(e.mentions), default=None)

    def resolve(self, start: int, end: int) -> str | None:
        """The canonical name for the mention at [start, end): a name, a pronoun or a
        nominal ("the company", "the minister"); None when nothing fits."""
        if (entity := self.entity_at(start, end)) is not None:
            return entity.name
        return self.refer(self.text[start:end].lower().split(), start, end)

    def refer(self, words: list[str], start: int, end: int) -> str | None:
        """The canonical name a pronoun or nominal at `start` refers to, from its words
        in lower case ("the", "minister"); a name's words are looked up as a name."""
        definite = bool(words) and words[0] in _DEFINITE
        while words and words[0] in DETERMINERS:
            words.pop(0)
        if not words:
            return None
        nominal = words[-1] in GENERIC_ORGANISATIONS | TITLE_WORDS
        if nominal and not (definite and len(words) <= 2):
            return None  # "a top administration official" is someone new
        if len(words) == 1 and words[0] in _MALE | _FEMALE:
            gender = "male" if words[0] in _MALE else "female"
            found = self.nearest_before(start, PERSON, gender)
        elif len(words) == 1 and words[0] in _ORG_PRONOUNS:
            found = self.nearest_before(start, ORGANISATION)
        elif words[-1] in GENERIC_ORGANISATIONS:
            found = self.salient_before(start, ORGANISATION)
        elif words[-1] in TITLE_WORDS:
            found = self.titled_before(start, words[-1]) or self.nearest_before(start, PERSON)
        else:
            return self.canonical(self.text[start:end])
        return found.name if found else None

    def canonical(self, name: str) -> str | None:
        """The canonical name of the entity `name` refers to (a full or a short name),
        or None when it names none of the document's entities."""
        key = _org_key(name)
        for entity in self.entities:
            if entity.type == ORGANISATION and _org_key(entity.name) == key:
                return entity.name
        person = person_name(name.split())
        if person is None:
            return None
        for entity in self.entities:
            if entity.type == PERSON and _same_person(person, entity.name):
                return entity.name
        return None

    def adopt(self, name: str) -> str:
        """The canonical name for `name`; a person's or an organisation's name that is no
        entity yet but appears in the text becomes one (with its mentions)."""
        if (known := self.canonical(name)) is not None:
            return known
        if person_name(name.split()) == name and len(name.split()) >= 2:
            kind = PERSON
        elif organisation_name(name.split()) is not None:
            kind, name = ORGANISATION, _org_name(name)
        else:
            return name
        mentions = [
            Mention(m.start(), m.end(), name)
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", self.text)
        ]
        if mentions:
            self.entities.append(Entity(name, kind, mentions))
            self.index()
        return name

    def is_place(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a place (GPE, LOC, FAC) and no person or
        organisation."""
        if self.entity_at(start, end) is not None:
            return False
        return any(s < end and start < e for s, e in self.places)


def find_entities(text: str, doc: Doc, people: People) -> Entities:
    """The document's entities from spaCy's PERSON and ORG spans and the people and
    organisations the rules named (`people`)."""
    found = Entities(text)
    persons: list[Entity] = []
    orgs: dict[str, Entity] = {}
    pending: list[tuple[Mention, str]] = []
    # A name the text uses for a product ("the first Macintosh personal computer") and
    # never for someone who acts is no organisation anywhere in it ("Macintosh sales"): "it"
    # never refers to it. A maker named with its product ("the Ford sedan") acts elsewhere.
    orgs_named = [e for e in doc.ents if e.label_ == "ORG"]
    acting = {_org_key(e.text) for e in orgs_named if _acts(e.root)}
    products = {_org_key(e.text) for e in orgs_named if is_product(e.root)} - acting
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS:
            found.places.append((ent.start_char, ent.end_char))
            continue
        kind = _LABELS.get(ent.label_)
        if kind is None:
            continue
        if kind == PERSON and _determined(text, ent.start_char):
            continue  # "the App Store", "the Ford Explorer": a thing, not a person
        start, end = _trim(text, ent.start_char, ent.end_char)
        words = text[start:end].split()
        if kind == ORGANISATION and all(w.lower() in CLOCK_WORDS for w in words):
            continue  # "16:15 UTC": a clock, no organisation
        if kind == ORGANISATION and _org_key(text[start:end]) in products:
            continue
        titled = kind == ORGANISATION and len(words) > 2 and words[0].lower() in TITLE_WORDS
        # "Spokeswoman Sandy Angers": a person with a title
        if titled and (titled_name := person_name(words[1:])) == " ".join(words[1:]):
            start, kind = end - len(titled_name), PERSON
        if end <= start:
            continue
        pending.append((Mention(start, end, text[start:end]), kind))
    for name, position in people.mentions():
        at = text.find(name, position, position + len(name) + 60)
        if at < 0 or _determined(text, at):
            continue
        if not any(m.start <= at < m.end for m, _ in pending):
            pending.append((Mention(at, at + len(name), name), PERSON))
    # Persons first, the fullest names first, so short forms join them; an "ORG" that is
    # a known person's surname ("Jobs") is that person.
    ordered = sorted(pending, key=lambda p: (p[1] != PERSON, -len(p[0].text.split())))
    for mention, kind in ordered:
        if kind == ORGANISATION:
            full = _org_name(expand_acronym(_org_name(mention.text), text))
            # only by the surname: "Jobs" is Steve Jobs, "Ford" is no "Ford Explorer"
            known = next((p for p in persons if _surname_of(full, p.name)), None)
            if known is not None:
                known.mentions.append(mention)
                continue
            entity = orgs.setdefault(_org_key(full), Entity(full, ORGANISATION))
            entity.mentions.append(mention)
            continue
        person_text = person_name(mention.text.split())
        if person_text is None:
            continue
        person = next((p for p in persons if _same_person(person_text, p.name)), None)
        if person is None:
            person = Entity(person_text, PERSON)
            persons.append(person)
        person.mentions.append(mention)
        person.gender = person.gender or _gender(text, mention.start)
    found.entities = [*persons, *orgs.values()]
    for entity in found.entities:
        entity.mentions.sort(key=lambda m: m.start)
    found.index()
    return found


def _acts(token: Token) -> bool:
    """Whether a name is used for someone who acts: a possessor ("Ford's workforce") or the
    agent of a passive ("built by Ford"). Products are subjects too ("the Air sold well")."""
    return token.dep_ == "poss" or (token.dep_ == "pobj" and token.head.dep_ == "agent")


def _same_person(name: str, full: str) -> bool:
    """`name` is `full` or a short form of it: its surname, its first name alone, or
    the same words in part."""
    words, known = name.split(), full.split()
    if words == known:
        return True
    if len(words) == 1:
        return words[0] in (known[-1], known[0]) and len(known) > 1
    return words[-1] == known[-1] and set(words[:-1]) <= set(known[:-1])


def _surname_of(name: str, full: str) -> bool:
    """`name` is the person `full` or their surname (an organisation-labelled mention)."""
    return name == full or (len(full.split()) > 1 and name == full.split()[-1])


_ARTICLES = frozenset({"the", "a", "an"})


def _determined(text: str, start: int) -> bool:
    """A span with an article before it or at its start: people take none ("the App
    Store", "a Crown Victoria"); products and places do."""
    before = text[max(0, start - 8) : start].split()
    first = text[start : start + 8].split(" ", 1)[0]
    return (bool(before) and before[-1].lower() in _ARTICLES) or first.lower() in _ARTICLES


def _gender(text: str, start: int) -> str | None:
    before = text[max(0, start - 6) : start].split()
    # an honorific is capitalised: "Ms Lee", not "I will miss Steve"
    word = before[-1].lower() if before and before[-1][:1].isupper() else ""
    if word in _MALE_HONORIFICS:
        return "male"
    if word in _FEMALE_HONORIFICS:
        return "female"
    return None


_HYPHENATED = re.compile(r"-[a-zà-ÿ]+\b")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading determiner or honorific and a trailing possessive of a span; take in
    the rest of a hyphenated name the recogniser cut ("Park Yoon" + "-joo")."""
    if rest := _HYPHENATED.match(text, end):
        end = rest.end()
    span = text[start:end]
    first = span.split(" ", 1)[0]
    if " " in span and first.lower() in DETERMINERS | HONORIFICS:
        start += len(first) + 1
    if match := _POSSESSIVE.search(text[start:end]):
        end -= len(match.group(0))
    return start, end


def _org_name(text: str) -> str:
    """An organisation's name without determiners, a possessive or a legal form
    ("the Apple Inc.'s" -> "Apple"): the same string in every document."""
    words = _POSSESSIVE.sub("", text.strip()).split()
    while words and words[0].lower() in DETERMINERS:
        words.pop(0)
    while len(words) > 1 and words[-1].lower().strip(".,") in _LEGAL_FORMS:
        words.pop()
    return " ".join(words).rstrip(",")


def _org_key(name: str) -> str:
    return _org_name(name).lower().replace(".", "")


def canonicalise(extraction: DocumentExtraction, entities: Entities) -> DocumentExtraction:
    """Every speaker, claimant and actor of `extraction` (any engine's) as the canonical
    name of the document's entity it names; a name that is no entity yet but appears in
    the text becomes one. Names that are neither stay as they are."""

    def name(value: str | None) -> str | None:
        return value if value is None else entities.adopt(value)

    return extraction.model_copy(
        update={
            "quotes": [
                q.model_copy(update={"speaker": name(q.speaker)}) for q in extraction.quotes
            ],
            "claims": [
                c.model_copy(update={"claimant": name(c.claimant)}) for c in extraction.claims
            ],
            "events": [
                e.model_copy(update={"actors": [entities.adopt(a) for a in e.actors]})
                for e in extraction.events
            ],
        }
    )
