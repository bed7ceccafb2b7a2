"""Who took part in an event and when, read from the dependency parse around its trigger
(where: `places`; which clauses count: `clauses`).

- *Actors* are named people, organisations and countries that act: named entities
  (PERSON, ORG, GPE) in the trigger's own clause — for a noun trigger its own modifiers
  ("Russia's invasion of Georgia"), else the clause of the verb it belongs to. An entity
  in another clause ("…, signaling ties between Pyongyang and Moscow") is not an actor
  of this event, and a place never is: a GPE governed by a place preposition ("in
  Russia's Kursk region", "to the Korean Peninsula") or naming where the event is
  ("the Seoul meeting") is a location; nor is a country in a title or a description
  ("U.S. Secretary of State", "the UK index"), a product ("unveiled the iPad"), a site
  ("its Wixom plant") or a title the recogniser took for an organisation. Subjects the
  recogniser missed count: "the DJIA", "the UK government", "the government" (the one
  named before), "it"/"the company" (resolved), the head of "…, which filed for
  bankruptcy", the owner of "Apple's new system, to be released"; so does whoever
  announces the event ("X announced that … would be infused"), but not whoever only
  reports what others did ("the association reported that payments rose").
- The *time* is the date mention in the trigger's clause, else the sentence's first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from extractor.rules.clauses import (
    ACTOR_LABELS,
    clause_of,
    in_subtree,
    lending_clauses,
    near,
    subjects,
)
from extractor.rules.entities import PLACE_LABELS
from extractor.rules.places import Naming, place_role
from extractor.rules.products import is_product
from extractor.text.dates import DateMention
from extractor.text.lexicon import (
    CLOCK_WORDS,
    DEMONYMS,
    FACILITY_WORDS,
    GENERIC_ORGANISATIONS,
    GOVERNMENT_WORDS,
    INDEX_WORDS,
    PLACE_NOUNS,
    REACTION_VERBS,
    STATE_AGENTS,
    TITLE_WORDS,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Dependencies from a title word up to the name it belongs to.
_TITLE_LINKS = frozenset({"compound", "nmod", "amod", "pobj", "prep"})

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
    clauses = lending_clauses(trigger)
    in_clause = [
        e for e in entities if clause_of(e.root) in clauses and (e.label_ != "GPE" or near(e.root))
    ]
    chosen = in_clause
    if trigger.pos_ in ("NOUN", "PROPN"):
        own = [e for e in entities if in_subtree(e.root, trigger)]
        # "carried out a drill", "filed for bankruptcy": the clause's participants too;
        # "discussed intelligence about troop deployments": only the noun's own
        core = trigger.dep_ in _CORE or (
            trigger.dep_ == "pobj" and trigger.head.head == clause_of(trigger)
        )
        chosen = [e for e in entities if e in own or e in in_clause] if core else own
    found: list[str] = []
    for entity in chosen:
        if is_product(entity.root) or _facility(entity.root) or _describes_place(entity):
            continue  # "unveiled the iPad", "close its Wixom plant": no participant
        if trigger.lower_ in REACTION_VERBS and _reacted_to(entity.root, trigger):
            continue  # "expressed disappointment at GM's cancellation": what they react to
        if _describes_person(entity) or (
            entity.label_ == "GPE"
            and (
                place_role(entity, trigger, towards)
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
    found += [n for n in _nominal_organisations(sentence, clauses, subject) if n not in found]
    found = [c for c in _states_acting(sentence, clauses, trigger) if c not in found] + found
    for clause in clauses:
        for who in subjects(clause):
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
            elif (government := _government_before(who, sentence)) is not None:
                canonical = name(government)  # "The government will give GM …"
            elif (possessor := _named_owner(who, sentence)) is not None:
                canonical = name(possessor)  # "Apple's new system, which will be released"
            else:
                canonical = subject(who)  # "it", "the company": resolved to a name
                owner = [c for c in who.children if c.dep_ == "poss" and c.lower_ == "its"]
                if canonical is None and owner:
                    canonical = subject(owner[0])  # "its sales fell": the company's
            if canonical and canonical not in found:
                found.insert(0, canonical)
    return found


def when(doc: Doc, trigger: Token, mentions: list[DateMention]) -> DateMention | None:
    """The sentence's date mention in the trigger's clause ("Apple, founded in 1976,
    unveiled it on Friday" -> Friday), else its first one."""
    clauses = lending_clauses(trigger)
    roots: dict[DateMention, Token] = {}
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and not (span.root.dep_ == "poss" or span[-1].tag_ == "POS"):
            roots[mention] = span.root  # "from Monday's close" dates the reference, not it
    for own in (clauses[:1], clauses):  # its own clause first, then those lending to it
        for mention, root in roots.items():
            if clause_of(root) in own or in_subtree(root, trigger):
                return mention
    return next(iter(roots), None)


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


def _no_name(entity: Span) -> bool:
    """An organisation the recogniser made of a title or a clock ("Chief Operating
    Officer", "16:15 UTC"), or of a gathering ("World Wide Developers Conference": where
    things happen, not who does them)."""
    words = [t.lower_ for t in entity if not t.is_punct and not t.like_num]
    if entity.label_ != "ORG" or not words:
        return False
    return words[-1] in _GATHERINGS or all(w in TITLE_WORDS or w in CLOCK_WORDS for w in words)


_GATHERINGS = frozenset(
    "conference summit forum convention festival expo games olympics championship".split()
)


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


#: How many words back "the government" looks for the one it refers to.
_LOOKBACK = 2000


def _government_before(noun: Token, sentence: Span) -> Span | None:
    """ "The government" with no country: the last one the article named by its country
    before the sentence ("The United States government would hold a stake")."""
    if noun.lower_ not in GOVERNMENT_WORDS or not any(c.lower_ == "the" for c in noun.children):
        return None
    if any(c.ent_type_ in ("GPE", "NORP") for c in noun.children):
        return None  # named by its own country: among the entities already
    earlier = _governments(sentence.doc[max(0, sentence.start - _LOOKBACK) : sentence.start])
    return next((g for g in reversed(earlier) if g[-1].lower_ == noun.lower_), None)


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


_ENVOYS = frozenset({"officials", "diplomats", "negotiators", "authorities", "envoys"})


def _states_acting(sentence: Span, clauses: list[Token], trigger: Token) -> list[str]:
    """Countries acting through their forces or officials: "Russian forces launched an
    attack", "Israeli airstrikes killed …" (the trigger itself) -> Russia, Israel."""
    found: list[str] = []
    for noun in sentence:
        if noun.lower_ not in STATE_AGENTS:
            continue
        # the subject; or its envoys met ("met American diplomats", "talks with Iranian
        # negotiators"), not soldiers arrested
        envoys = noun.lower_ in _ENVOYS and (
            noun.dep_ == "dobj" or (noun.dep_ == "pobj" and noun.head.lower_ == "with")
        )
        role = (
            noun.dep_ in ("nsubj", "nsubjpass")
            or envoys
            or (noun.dep_ == "pobj" and noun.head.lower_ == "by" and noun.head.dep_ == "agent")
        )
        acting = noun == trigger or (role and clause_of(noun) in clauses)
        if not acting:
            continue
        for child in noun.children:
            country = DEMONYMS.get(child.lower_) if child.dep_ in ("amod", "compound") else None
            if country and country not in found:
                found.append(country)
    return found


def _nominal_organisations(sentence: Span, clauses: list[Token], subject: Subject) -> list[str]:
    """Organisations named before that the clauses refer to by a common noun, other than
    as subject or possessor: "he was fired from the company"."""
    found: list[str] = []
    for noun in sentence:
        if noun.lower_ not in GENERIC_ORGANISATIONS or clause_of(noun) not in clauses:
            continue
        if noun.dep_ not in ("nsubj", "nsubjpass", "poss") and (canonical := subject(noun)):
            found.append(canonical)
    return found


def _reacted_to(token: Token, reaction: Token) -> bool:
    """Whether a word is in a reaction verb's object or complement: "welcomed the
    firm's decision", not "The UK government welcomed"."""
    if not in_subtree(token, reaction) or token == reaction:
        return False
    while token.head != reaction:
        token = token.head
    return token.dep_ not in ("nsubj", "nsubjpass")


def _describes_place(entity: Span) -> bool:
    """A name describing a place: "in California, Apple Computer's home state"."""
    return entity.root.dep_ == "poss" and entity.root.head.lower_ in PLACE_NOUNS


def _facility(token: Token) -> bool:
    """A name of a site someone owns: "its Wixom, Michigan plant, Batavia Transmission in
    Ohio", "their Everett site": possessed, or listed with a plant or factory."""
    if any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in token.children):
        return token.ent_type_ in ("GPE", "FAC", "LOC")
    while token.dep_ in ("conj", "appos", "compound") and token.head != token:
        token = token.head
        if token.lower_ in FACILITY_WORDS:
            return True
    return False


def _named_owner(noun: Token, sentence: Span) -> Span | None:
    """The person or organisation a noun belongs to: "Apple's forthcoming system"."""
    for child in noun.children:
        if child.dep_ == "poss" and child.ent_type_ in ("PERSON", "ORG"):
            return next((e for e in sentence.ents if e.start <= child.i < e.end), None)
    return None
