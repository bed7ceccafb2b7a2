"""Reported speech read from the dependency parse: what the cue patterns of `claims` miss.

- A reporting or cognition verb (`REPORTED_SPEECH_VERBS`) with a finite clausal
  complement: the complement is the claim, the verb's subject the claimant ("Boeing
  said Asia will be …"; "Apple showed videos …" is no claim). The subject of a
  coordinated or controlled verb is its head's ("X stated A and argued that B").
- Passives: "it was reported by X that …" (the agent claims; without one, nobody does).
- Noun complements: "the claim that …", "X's view that …", "challenges voiced by X
  that …" (`CLAIM_NOUNS`), claimed by the possessor or the agent.
- Reports, polls and studies claim what they show ("a Reuters poll showed that …").
- Causes asserted: "X attributed A to B", "X blamed A on B" (from A to the end of B).
- Hopes: "X had hoped to have it ready by 2012" (the infinitive).

A complement opened by whether/if/how or infinitival ("expects to cut") is no claim;
questions are not claims. A claimant is who the subject phrase names, read as the cue
patterns read it (`speakers.parse_speaker`), so "he", "the company" and titles resolve
the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.rules.people import People
from extractor.rules.speakers import parse_speaker
from extractor.text.lexicon import (
    ATTRIBUTING_VERBS,
    AUTHOR_MODALS,
    CLAIM_NOUNS,
    HEDGING_CUES,
    REPORTED_SPEECH_VERBS,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: start, end, claimant, cue, hedged of a claim before it becomes a `Claim`.
Found = tuple[int, int, str | None, str, bool]

_NOT_ASSERTED = frozenset({"whether", "if", "how", "why", "what", "when", "where", "who"})
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_CLOSING_QUOTES = frozenset({"”", '"'})
_HOPES = frozenset({"hope", "hopes", "hoped", "hoping"})


def reported_claims(doc: Doc, people: People) -> list[Found]:
    """Claims the parse finds: complement clauses of reporting verbs and claim nouns."""
    found: list[Found] = []
    for token in doc:
        word = token.lower_
        if token.pos_ in ("VERB", "AUX") and word in REPORTED_SPEECH_VERBS:
            for clause in _complements(token) or _hoped(token):
                who = _claimant(token, people)
                if who is not None:
                    found.append(_found(clause, who, token))
        elif token.pos_ == "ADJ" and token.dep_ == "acomp" and word in REPORTED_SPEECH_VERBS:
            # "investors are concerned that …": the state's holder, the verb's subject
            for clause in _complements(token):
                who = _claimant(token.head, people)
                if who is not None:
                    found.append(_found(clause, who, token))
        elif token.pos_ == "VERB" and word in ATTRIBUTING_VERBS:
            span = _attributed(token)
            who = _claimant(token, people) if span else None
            if span and who is not None:
                found.append((*span, who, token.text, False))
        elif token.pos_ == "NOUN" and word in CLAIM_NOUNS:
            for clause in _complements(token, nominal=True):
                who = _holder(token, people)
                if who is not None:
                    found.append(_found(clause, who, token))
    return found


def _hoped(verb: Token) -> list[Token]:
    """ "Boeing had hoped to have it ready for 2012": a hope's infinitive is its claim
    (what one expects or plans to do is not: "expects to cut")."""
    if verb.lower_ not in _HOPES:
        return []
    return [
        c for c in verb.children if c.dep_ == "xcomp" and any(g.tag_ == "TO" for g in c.children)
    ]


def _attributed(verb: Token) -> tuple[int, int] | None:
    """ "X attributed A to B", "X blamed A on B", "X associated A with B": from A to the
    end of B, the cause X asserts."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if not objects:
        return None
    links = [  # the parse hangs "to B" on the verb or on A
        c
        for c in (*verb.children, *objects[0].children)
        if c.dep_ == "prep" and c.lower_ in ("to", "on", "with") and c.i > objects[0].i
    ]
    if not links:
        return None
    first, last = objects[0].left_edge, links[0].right_edge
    return first.idx, last.idx + len(last.text)


def _complements(cue: Token, nominal: bool = False) -> list[Token]:
    """The finite clauses `cue` reports ("said [that] A", "the claim that A")."""
    deps = ("acl", "ccomp", "appos") if nominal else ("ccomp",)
    clauses = [c for c in cue.children if c.dep_ in deps]
    if nominal:
        # "challenges voiced by X, that A": the clause hangs on the participle
        clauses += [g for c in clauses if c.dep_ == "acl" for g in c.children if g.dep_ == "ccomp"]
    result: list[Token] = []
    for clause in clauses:
        marks = [c for c in clause.children if c.dep_ == "mark"]
        if clause.left_edge.lower_ in _NOT_ASSERTED or any(
            m.lower_ in _NOT_ASSERTED for m in marks
        ):
            continue  # "asked whether …", "declined to say where …": no assertion
        that = any(m.lower_ == "that" for m in marks)
        if (nominal and not that) or (clause.i < cue.i and that):
            continue  # "the claim of …"; "…, that A, he stated" hangs on something else
        if _finite(clause):
            result.append(clause)
    return result


def _finite(clause: Token) -> bool:
    """A clause with a subject and a tensed verb: "it will grow", "sales fell"; not
    "expects to cut", "insisted the union agree", "showed videos demonstrating …"."""
    auxiliaries = [c for c in clause.children if c.dep_ in ("aux", "auxpass")]
    # "that Americans are divided": the parse may hang the subject on the auxiliary
    if not any(c.dep_ in (*_SUBJECTS, "expl") for a in (clause, *auxiliaries) for c in a.children):
        return False
    tensed = ("VBD", "VBZ", "VBP", "MD")
    return clause.tag_ in tensed or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in tensed for c in clause.children
    )


def _claimant(verb: Token, people: People) -> str | None:
    """Who makes the claim a verb reports: its subject (or its head's), its agent in a
    passive; None for "it is said that" with no agent."""
    current = verb
    while True:
        subjects = [c for c in current.children if c.dep_ in _SUBJECTS]
        agents = [g for c in current.children if c.dep_ == "agent" for g in c.children]
        if agents:
            return _name(agents[0], people)
        if subjects:
            subject = subjects[0]
            if subject.dep_ == "nsubjpass" or subject.lower_ in ("it", "there"):
                return None  # "it was reported that", "X is expected to": no claimant
            return _name(subject, people)
        if current.dep_ not in ("conj", "xcomp", "advcl") or current.head == current:
            return None
        current = current.head


def _holder(noun: Token, people: People) -> str | None:
    """Who holds the view a claim noun names: "X's view", "the claim by X", "challenges
    voiced by X"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return _name(child, people)
        if child.dep_ == "prep" and child.lower_ == "by":
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return _name(objects[0], people)
        if child.dep_ == "acl":
            agents = [g for c in child.children if c.dep_ == "agent" for g in c.children]
            if agents:
                return _name(agents[0], people)
    return None


def _name(head: Token, people: People) -> str | None:
    """The claimant a subject phrase names, as the cue patterns read a speaker phrase (a
    bare share names nobody: `speakers.parse_speaker`)."""
    words = [t for t in head.subtree if t.i <= head.i]
    by = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("by", "from")]
    if by and not any(t.pos_ == "PROPN" for t in words):
        words.append(by[0].right_edge)  # "a study by Harvard researchers"
    start = words[0].idx
    # the span's own text: `Doc.text` joins every token of the document on each call
    who = parse_speaker(head.doc[words[0].i : words[-1].i + 1].text, people, start)
    if who is None:
        return None
    return who.name if who.is_person else (who.name or who.title)


def _found(clause: Token, claimant: str, cue: Token) -> Found:
    """The claim's span: the clause without its "that", leading punctuation or the
    sentence's final punctuation (a closing quotation mark stays)."""
    tokens = [t for t in clause.subtree if t.i != cue.i]
    while tokens and (tokens[0].dep_ == "mark" or tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        if tokens[-1].text in _CLOSING_QUOTES:
            break
        tokens.pop()
    if not tokens:
        tokens = [clause]
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return (start, end, claimant, cue.text, cue.lower_ in HEDGING_CUES)


def speculation(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The span of a sentence's main clause that speculates in the article's own voice
    ("the government would hold a 60% stake", "…, and Chrysler should have cars …"):
    a main verb with would/should/may/might. None when there is none."""
    sentence = doc.char_span(start, end, alignment_mode="expand")
    if sentence is None:
        return None
    root = sentence.root
    for verb in (root, *root.conjuncts):
        if not any(c.dep_ == "aux" and c.lower_ in AUTHOR_MODALS for c in verb.children):
            continue
        if any(c.dep_ == "advmod" and c.lower_ in ("later", "eventually") for c in verb.children):
            continue  # "he would later found NeXT": narrated past, no guess
        subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
        if not subjects or any(t.is_punct for t in subjects[0].subtree):
            continue  # no subject, or one the parse ran across a list: unreliable
        parts = [verb, *(c for c in verb.children if c.dep_ not in ("conj", "cc", "punct"))]
        first = subjects[0].left_edge.idx
        last = max((p.right_edge for p in parts), key=lambda t: t.i)
        clause = doc[subjects[0].left_edge.i : last.i + 1].text  # not `doc.text`: O(doc)
        return first, first + len(clause.rstrip(" \t\n.!?"))
    return None
