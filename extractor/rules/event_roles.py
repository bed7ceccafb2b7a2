"""Who took part in an event and where, read from the dependency parse around its trigger.

- *Actors* are named people, organisations and countries that act: named entities
  (PERSON, ORG, GPE) in the trigger's own clause — for a noun trigger its own modifiers
  ("Russia's invasion of Georgia"), else the clause of the verb it belongs to. An entity
  in another clause ("…, signaling ties between Pyongyang and Moscow") is not an actor
  of this event, and a place never is: a GPE governed by a place preposition ("in
  Russia's Kursk region", "to the Korean Peninsula") or naming where the event is
  ("the Seoul meeting") is a location; nor is a country in a title or a description
  ("U.S. Secretary of State", "the UK index"), a product ("unveiled the iPad") or a
  title the recogniser took for an organisation. Subjects the recogniser missed count:
  "the DJIA", "the UK government", "it"/"the company" (resolved), the head of "…,
  which filed for bankruptcy"; so does whoever announces the event ("X announced that
  … would be infused").
- The *location* is a place entity (GPE, LOC, FAC) governed by in/at/near (by "to" for
  movements: deployments, visits; by "of"/"on"/"against" for attacks) or modifying the
  trigger ("a New York press conference"), a named building ("at their Everett
  Factory"), a named place noun ("in Russia's Kursk region") or "in the country" (the
  country named last): the one in the trigger's clause first, else the first in the
  sentence.
- The *time* is the date mention in the trigger's clause, else the sentence's first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from extractor.rules.entities import PLACE_LABELS
from extractor.rules.products import is_product
from extractor.text.dates import DateMention
from extractor.text.lexicon import (
    CLOCK_WORDS,
    FACILITY_WORDS,
    GOVERNMENT_WORDS,
    INDEX_WORDS,
    LOCATIVE_PREPOSITIONS,
    PLACE_NOUNS,
    TITLE_WORDS,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE"})
#: Dependencies that keep a word inside the noun phrase of its head.
_NOMINAL = frozenset({"compound", "nmod", "amod", "appos", "conj", "cc", "det", "poss"})
#: Dependencies from a title word up to the name it belongs to.
_TITLE_LINKS = frozenset({"compound", "nmod", "amod", "pobj", "prep"})
#: Dependencies that open a clause of its own: what is inside is not this event's.
_CLAUSES = frozenset({"advcl", "ccomp", "relcl", "acl", "csubj", "parataxis"})

#: A name in its canonical form (fullest name, acronym spelt out), given its entity.
Naming = Callable[["Span"], str | None]
#: The name a subject that is no entity refers to ("it", "the company"), if any.
Subject = Callable[["Token"], str | None]
#: Dependencies of a noun trigger that make the clause's participants the event's.
_CORE = frozenset({"dobj", "nsubj", "nsubjpass", "attr", "ROOT", "oprd"})


def actors(
    sentence: Span, trigger: Token, name: Naming, towards: frozenset[str], subject: Subject
) -> list[str]:
    """The named participants of the event `trigger` names, in order, no places."""
    entities = [
        e
        for e in map(_without_article, sentence.ents)
        if e.label_ in ACTOR_LABELS and e.root != trigger and not _no_name(e)
    ] + _governments(sentence)
    entities.sort(key=lambda e: e.start)
    clauses = _clauses(trigger)
    in_clause = [
        e for e in entities if _clause(e.root) in clauses and (e.label_ != "GPE" or _near(e.root))
    ]
    chosen = in_clause
    if trigger.pos_ in ("NOUN", "PROPN"):
        own = [e for e in entities if _in_subtree(e.root, trigger)]
        # "carried out a drill", "filed for bankruptcy": the clause's participants too;
        # "discussed intelligence about troop deployments": only the noun's own
        core = trigger.dep_ in _CORE or (
            trigger.dep_ == "pobj" and trigger.head.head == _clause(trigger)
        )
        chosen = [e for e in entities if e in own or e in in_clause] if core else own
    found: list[str] = []
    for entity in chosen:
        if is_product(entity.root):
            continue  # "unveiled the iPad": a product, not a participant
        if _describes_person(entity) or (
            entity.label_ == "GPE"
            and (
                _place_role(entity, trigger, towards)
                or entity.root.dep_ in ("compound", "nmod", "amod")  # "the UK index"
                # "London's FTSE 100", "Japan's Nikkei average": a place naming a thing
                or (
                    entity.root.dep_ == "poss"
                    and (
                        entity.root.head.ent_type_ != ""
                        or entity.root.head.pos_ == "PROPN"
                        or entity.root.head.lower_ in INDEX_WORDS
                    )
                )
            )
        ):
            continue
        canonical = name(entity)
        if canonical and canonical not in found:
            found.append(canonical)
    for clause in clauses:
        for who in _subjects(clause):
            relative = who.lower_ in ("which", "who", "that") and clause.dep_ == "relcl"
            if relative:
                who = clause.head  # "General Motors, which filed for bankruptcy"
            # "Bush, speaking at a press conference": the noun a participle describes
            relative |= who == clause.head
            if who.ent_type_:
                if not relative:
                    continue  # an entity of the clause: among the actors already
                named = [e for e in sentence.ents if e.start <= who.i < e.end]
                canonical = name(named[0]) if named else None
            elif who.pos_ == "PROPN":  # "the DJIA has lost": a name the recogniser missed
                words = [t for t in who.subtree if t.i <= who.i and t.pos_ == "PROPN"]
                office = who.doc[words[0].i : who.i + 1]
                # "the former Chief Operating Officer, Tim Cook": an office, no name
                canonical = None if _office(office) else name(office)
            elif (index := _index_name(who)) is not None:
                canonical = name(index)  # "the French Cac index gained": the index
            else:
                canonical = subject(who)  # "it", "the company": resolved to a name
                owner = [c for c in who.children if c.dep_ == "poss" and c.lower_ == "its"]
                if canonical is None and owner:
                    canonical = subject(owner[0])  # "its sales fell": the company's
            if canonical and canonical not in found:
                found.insert(0, canonical)
    return found


def location(sentence: Span, trigger: Token, name: Naming, towards: frozenset[str]) -> str | None:
    """Where the event took place: a place entity governed by in/at/near (or by one of
    `towards`: "a visit to North Korea", "the invasion of Georgia"), or a named place
    noun ("in Russia's Kursk region")."""
    clause = _clause(trigger)
    places = [e for e in sentence.ents if _is_place(e) and _place_role(e, trigger, towards)]
    places += _named_areas(sentence, places) + _places_referred_to(sentence)
    places.sort(
        key=lambda e: (_clause(e.root) != clause and not _in_subtree(e.root, trigger), e.start)
    )
    for place in places:
        canonical = name(place)
        if canonical:
            return canonical
    return None


def when(doc: Doc, trigger: Token, mentions: list[DateMention]) -> DateMention | None:
    """The sentence's date mention in the trigger's clause ("Apple, founded in 1976,
    unveiled it on Friday" -> Friday), else its first one."""
    clauses = _clauses(trigger)
    roots: dict[DateMention, Token] = {}
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and not (span.root.dep_ == "poss" or span[-1].tag_ == "POS"):
            roots[mention] = span.root  # "from Monday's close" dates the reference, not it
    for own in (clauses[:1], clauses):  # its own clause first, then those lending to it
        for mention, root in roots.items():
            if _clause(root) in own or _in_subtree(root, trigger):
                return mention
    return next(iter(roots), None)


def same_clause(first: Token, other: Token) -> bool:
    """Whether two words belong to the same verb's clause."""
    return _clause(first) == _clause(other)


def _index_name(noun: Token) -> Span | None:
    """The name of a market index a noun stands for: "the French Cac index", "Japan's
    Nikkei average", "the Standard & Poor's 500 index" -> the proper noun before it."""
    if noun.lower_ not in INDEX_WORDS:
        return None
    names = [c for c in noun.children if c.dep_ in ("compound", "poss", "nmod") and c.i < noun.i]
    names = [c for c in names if c.pos_ == "PROPN" and c.ent_type_ not in PLACE_LABELS]
    if not names:
        return None
    first = min(t.i for c in names for t in c.subtree)
    while noun.doc[first].ent_type_ in ("NORP", "GPE") or noun.doc[first].pos_ in ("DET", "ADJ"):
        first += 1  # "the French Cac index": the index is "Cac"
    return noun.doc[first : noun.i] if first < noun.i else None


def _without_article(entity: Span) -> Span:
    """The entity without a leading "the", whose attachment would hide the name's own
    ("the United States Dow Jones … market": "the" is the market's, "States" modifies it)."""
    if len(entity) > 1 and entity[0].dep_ == "det":
        trimmed = entity.doc[entity.start + 1 : entity.end]
        trimmed.label_ = entity.label_
        return trimmed
    return entity


def _is_place(entity: Span) -> bool:
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


def _place_role(entity: Span, trigger: Token, towards: frozenset[str]) -> bool:
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


def _no_name(entity: Span) -> bool:
    """An organisation the recogniser made of a title or a clock ("Chief Operating
    Officer", "16:15 UTC")."""
    words = [t.lower_ for t in entity if not t.is_punct and not t.like_num]
    return entity.label_ == "ORG" and all(w in TITLE_WORDS or w in CLOCK_WORDS for w in words)


def _office(words: Span) -> bool:
    """Capitalised words naming an office: "Chief Operating Officer", "Vice President"."""
    head = words[-1].lower_
    return head in TITLE_WORDS or head in _OFFICE_WORDS


_OFFICE_WORDS = frozenset("officer director chairman chairwoman chairperson head".split())


def _governments(sentence: Span) -> list[Span]:
    """ "The UK government", "the Russian government": a body named by its country."""
    found: list[Span] = []
    for token in sentence:
        if token.lower_ not in GOVERNMENT_WORDS or token.ent_type_:
            continue
        country = [c for c in token.children if c.ent_type_ in ("GPE", "NORP") and c.i < token.i]
        if country:
            found.append(sentence.doc[country[0].left_edge.i : token.i + 1])
    return found


def _describes_person(entity: Span) -> bool:
    """A country in a person's or an organisation's title or origin ("U.S. Secretary of
    State Marco Rubio", "minister of transport for Indonesia", "ALAFCO of Kuwait"), an
    office after "of" ("Secretary of State"). An organisation naming a person's employer
    acts: "Chrysler Chief Executive Robert Nardelli"."""
    country = entity.label_ == "GPE"
    links = _TITLE_LINKS | {"appos"} if country else _TITLE_LINKS
    head = entity.root
    through_preposition = False
    while head.head != head and head.dep_ in links:
        through_preposition |= head.dep_ == "pobj"
        head = head.head
        if head.ent_type_ == "PERSON" or (country and head.ent_type_ == "ORG"):
            return country or through_preposition
    return False


def _near(token: Token) -> bool:
    """At most one preposition between a country and its clause's verb: "talks with
    China" take part, "lost points over concerns about Greece's economy" not."""
    hops = 0
    while token.pos_ not in ("VERB", "AUX") and token.head != token:
        hops += token.dep_ == "prep"
        token = token.head
    return hops <= 1


def _subjects(clause: Token) -> list[Token]:
    """The clause's subjects, coordinated ones included."""
    found = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not found and clause.dep_ == "acl" and clause.tag_ in ("VBG", "VBN"):
        found = [clause.head]  # "Jobs, born in San Francisco": Jobs
    return found + [c for s in found for c in s.conjuncts]


def _clause(token: Token) -> Token:
    """The verb whose clause `token` is in (itself for a verb), or the sentence root."""
    while token.pos_ not in ("VERB", "AUX") and token.head != token:
        token = token.head
    return token


def _clauses(trigger: Token) -> list[Token]:
    """The trigger's clause, and the clauses that lend it their participants: "X may be
    preparing to send troops" (xcomp), "X met Y and signed a pact" (conj, no subject),
    "X responded by offering" (pcomp), "X announced that jobs would be cut" (ccomp: who
    announces it is a participant), "X appeared to unveil" (a purpose)."""
    clause = _clause(trigger)
    found = [clause]
    while clause.head != clause and (
        clause.dep_ in ("xcomp", "pcomp", "ccomp")
        or (clause.dep_ == "advcl" and any(c.tag_ == "TO" for c in clause.children))
        or (clause.dep_ == "conj" and not any(c.dep_.startswith("nsubj") for c in clause.children))
        # "The S&P 500 was hit hard, losing 39 points": the participle's subject is its head's
        or (
            clause.dep_ == "advcl"
            and clause.tag_ == "VBG"
            and not any(c.dep_.startswith("nsubj") or c.dep_ == "mark" for c in clause.children)
        )
    ):
        clause = _clause(clause.head)
        found.append(clause)
    return found


def _in_subtree(token: Token, root: Token) -> bool:
    """Whether `token` is `root` or below it without crossing into another clause."""
    while token != root:
        if token.head == token or token.dep_ in _CLAUSES:
            return False
        token = token.head
    return True
