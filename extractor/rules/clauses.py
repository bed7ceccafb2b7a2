"""Clauses of the dependency parse: which verb a word's clause is, which clauses lend an
event their participants, and a clause's subjects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.text.lexicon import ANNOUNCING_CUES, CLAIM_CUES, GENERIC_ORGANISATIONS, PRONOUNS

if TYPE_CHECKING:
    from spacy.tokens import Token


ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE"})


#: Dependencies that open a clause of its own: what is inside is not this event's.
_CLAUSES = frozenset({"advcl", "ccomp", "relcl", "acl", "csubj", "parataxis"})


def same_clause(first: Token, other: Token) -> bool:
    """Whether two words belong to the same verb's clause."""
    return clause_of(first) == clause_of(other)


def near(token: Token) -> bool:
    """At most one preposition between a country and its clause's verb: "talks with
    China" take part, "lost points over concerns about Greece's economy" not."""
    hops = 0
    while token.pos_ not in ("VERB", "AUX") and token.head != token:
        hops += token.dep_ == "prep"
        token = token.head
    return hops <= 1


def subjects(clause: Token) -> list[Token]:
    """The clause's subjects, coordinated ones included."""
    found = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not found and clause.dep_ == "acl" and clause.tag_ in ("VBG", "VBN"):
        found = [clause.head]  # "Jobs, born in San Francisco": Jobs
    return found + [c for s in found for c in s.conjuncts]


_LISTING = frozenset({"including", "excluding"})


def clause_of(token: Token) -> Token:
    """The verb whose clause `token` is in (itself for a verb), or the sentence root. A
    "including" opens none: it lists members of a noun ("markets closed, including the
    MICEX")."""
    while (
        token.pos_ not in ("VERB", "AUX") or (token.dep_ == "prep" and token.lower_ in _LISTING)
    ) and token.head != token:
        token = token.head
    return token


def lending_clauses(trigger: Token) -> list[Token]:
    """The trigger's clause, and the clauses that lend it their participants: "X may be
    preparing to send troops" (xcomp), "X met Y and signed a pact" (conj, no subject),
    "X responded by offering" (pcomp), "X announced that jobs would be cut" (ccomp: who
    announces it is a participant), "X appeared to unveil" (a purpose)."""
    clause = clause_of(trigger)
    found = [clause]
    while clause.head != clause and (
        # "Ford is still committed to invest": an adjectival participle's subject is the
        # copula's
        clause.dep_ in ("xcomp", "pcomp", "acomp", "oprd")
        # "X announced that jobs would be cut": who announces a decision takes part; not
        # "Jobs said that his company sold …", "the association reported that payments rose"
        or (
            clause.dep_ == "ccomp"
            and not any(_agent(c) for c in clause.children)
            and (clause.head.lower_ in ANNOUNCING_CUES or clause.head.lower_ not in CLAIM_CUES)
        )
        or (clause.dep_ == "advcl" and any(c.tag_ == "TO" for c in clause.children))
        or (clause.dep_ == "conj" and not any(c.dep_.startswith("nsubj") for c in clause.children))
        # "The S&P 500 was hit hard, losing 39 points": the participle's subject is its head's
        or (
            clause.dep_ == "advcl"
            and clause.tag_ == "VBG"
            and not any(c.dep_.startswith("nsubj") or c.dep_ == "mark" for c in clause.children)
        )
    ):
        clause = clause_of(clause.head)
        found.append(clause)
    return found


def _agent(child: Token) -> bool:
    """A clause's active subject that names someone: a person, organisation or country, a
    personal pronoun, "the company"."""
    if child.dep_ != "nsubj":
        return False
    if child.ent_type_ in ACTOR_LABELS or child.lower_ in GENERIC_ORGANISATIONS:
        return True
    return child.pos_ == "PRON" and child.lower_ in PRONOUNS


def in_subtree(token: Token, root: Token) -> bool:
    """Whether `token` is `root` or below it without crossing into another clause."""
    while token != root:
        if token.head == token or token.dep_ in _CLAUSES:
            return False
        token = token.head
    return True
