"""Event triggers: the lexicon of words naming an event, per type in priority order, and
which of a sentence's matches report something that happened.

A trigger is skipped inside a quotation or a hedged reported opinion, after
"future"/"possible"/..., when the parse reads it as a modifier ("dropped calls", a
"recommended" rating) or as part of a name ("the Supreme Court"), when it names deaths an
attack in the sentence caused, and when an earlier event of its type already covers it (a
definite back-reference such as "the drill").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractor.rules.quotes import inside
from extractor.schemas import Event, EventType
from extractor.text.lexicon import DEFINITE_DETERMINERS, HYPOTHETICAL
from extractor.text.segment import Segment

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


#: Trigger patterns per event type (space-separated), in priority order.
LEXICON: dict[EventType, str] = {
    EventType.deployment: r"deploy(?:ed|ment|ments|ing|s)? dispatch(?:ed|ing)? sen[dt]"
    r"\s(?:additional\s)?troops stationed",
    EventType.military_exercise: r"(?:(?:joint|air|military|naval)\s)*"
    r"(?:drills?|exercises?|manoeuvres|maneuvers|war\sgames|missile\stests?)",
    EventType.attack: r"attack(?:s|ed)? bomb(?:ing|ed|ings) air\s?strikes? shelling raid(?:s|ed)?"
    r" invasion invaded clash(?:es|ed)",
    EventType.arrest: r"arrest(?:ed|s)? detain(?:ed|s)? charged\swith indicted",
    EventType.legal: r"sue[sd]? (?:law)?suits? trial settled court ruling ruled settlement"
    r" investigation verdict bann?(?:ed|s)? lifted delist(?:ed|ing)? challenged"
    r" jail\ssentences? sentenced convicted veto(?:ed|es)? approved"
    r" passed(?=\s(?:the|a|an)\s(?:[\w-]+\s){0,3}(?:bill|law|budget|resolution|measure"
    r"|legislation|amendment))",
    EventType.election: r"elections? referendum voted procedural\svote vote\s(?:on|for|against)"
    r" primar(?:y|ies) caucus(?:es)? won(?=\s(?:the\s)?(?:[\w-]+\s){0,3}(?:election|primary"
    r"|caucus(?:es)?|vote|nomination|seat|race|presidency)\b)",
    EventType.protest: r"protests? protested demonstrations? boycott walkout on\sstrike",
    EventType.disaster: r"died killed crashed crashes earthquake flood(?:s|ing)? hurricane"
    r" explosion accidents?",
    EventType.economic: r"job\scuts cut(?:ting|s)? layoffs laid\soff lay(?:ing)?\soff fire"
    r" bankruptcy bailout rais(?:ed|es|ing)\s(?:its\s|\w+\s)?(?:interest\s)?rates?"
    r" shares stocks? fell rose dropped lost plunged plummet(?:ed)? slump profits? loans?"
    r" loss(?:es)? rescue\splan financial\sassistance financing funding infused slashed"
    r" invest(?:ed|ment)? closed closes closing closure will\sclose close\s(?:its|the|\d)"
    r" recall(?:ed)? export\sduty axed? declines? infusion gain(?:ed|ing)? risen losing"
    r" (?:increas|decreas)ed skyrocket(?:ed|ing) slid slipped tumbled? soared surged sank sold"
    r" (?:was|were|closed|ended|finished)\s(?:up|down|higher|lower)"
    r" (?:hit|struck|reached)\s(?:a\s)?(?:[\w-]+\s)?(?:high|low)",
    EventType.agreement: r"agreed agreement deal pact treaty signed pledged (?<!in\s)orders?"
    r" committed\sto compensated bought acquired acquisition purchase(?=\sof) merger won"
    r" winning defeated",
    EventType.meeting: r"met meetings? talks summit conference convene[sd]? gathered"
    r" visit(?:ed|s)? discussions review",
    EventType.statement: r"announce(?:d|s|ment) unveil(?:ed|s)? resign(?:ed|s|ation) keynote"
    r" step(?:s|ped)?\sdown launch(?:ed|es)? outlined recommended called\son urged ultimatums?"
    r" went\son\snational\stelevision issued welcomed expressed introduced released"
    r" press\srelease media\sevent",
    EventType.other: r"founded succeed(?:s|ed|ing)? first\sflight first\sflew delays? delayed"
    r" postponed born (?<!be\s)(?<!been\s)returned pushed\sback merged"
    r" (?:started|co-founded)(?=\s(?:by\s)?(?-i:[A-Z])) scandal (?<=was\s)fired",
}


TRIGGERS = [
    (kind, re.compile(rf"\b(?:{'|'.join(words.split())})\b", re.I))
    for kind, words in LEXICON.items()
]


_TRIGGERS_BY_TYPE = dict(TRIGGERS)


#: Entity types whose names a trigger word inside is part of ("the Supreme Court").
_NAMES = frozenset({"ORG", "FAC", "GPE", "LOC", "PERSON", "WORK_OF_ART", "LAW", "PRODUCT"})


_HYPOTHETICAL = re.compile(
    rf"\b(?:{'|'.join(sorted(HYPOTHETICAL))}|rather\s+than|instead\s+of)\s+(?:\w+\s+)?$", re.I
)


#: Verbs of a present-tense report that is news ("Apple says …", "Reuters reports …").
_SAYING = frozenset(
    f"{verb}{ending}"
    for verb in ("say", "report", "announce", "state", "confirm", "expect", "plan", "come")
    for ending in ("", "s")
) | {"follows", "follow"}


#: Modals that make a clause a possibility, not news ("will" and a reported "would" are).
_POSSIBLE = frozenset({"can", "could", "may", "might", "should", "must"})


#: Words that open an indirect question.
_QUESTION_WORDS = frozenset({"where", "whether", "if", "how", "why", "when"})


#: Event types whose trigger names a thing: a verb of the same spelling is no event.
_NOUN_TYPES = frozenset({EventType.military_exercise})


def triggers(
    doc: Doc,
    text: str,
    sent: Segment,
    kind: EventType,
    pattern: re.Pattern[str],
    quoted: list[tuple[int, int]],
    opinions: list[tuple[int, int]],
    events: list[Event],
) -> list[tuple[re.Match[str], Token]]:
    """The sentence's words of the lexicon for `kind` that report something that
    happened, with their head tokens: not inside a quotation or a reported opinion, not
    hypothetical ("a future visit", "the proposed sale or closure"), not a modifier
    ("dropped calls", an "investment banker"), a noun where the type names a thing
    ("exercise its rights" is no exercise), no back-reference to an earlier event."""
    found: list[tuple[re.Match[str], Token]] = []
    for match in pattern.finditer(sent.text):
        at = sent.start + match.start()
        if inside(at, quoted) or inside(at, opinions):
            continue
        if _HYPOTHETICAL.search(sent.text[: match.start()]):
            continue
        span = doc.char_span(at, sent.start + match.end(), alignment_mode="expand")
        if span is None:
            continue
        word = span.root
        if word.dep_ in ("amod", "compound") or _hypothetical(word):
            continue
        if word.ent_type_ in _NAMES and word.pos_ == "PROPN":
            continue  # "the Supreme Court", "Operation Desert Storm": part of a name
        if kind == EventType.disaster and _caused_by_attack(word):
            continue  # "airstrikes killed 30 people": the attack, one event
        if word.dep_.startswith("nsubj") and pattern.fullmatch(word.head.text):
            continue  # "Apple shares rose": the verb names the move
        if _governed(word, text):
            continue  # "committed to dispatching engineers": one event, the commitment
        if _asked(word):
            continue  # "did not say where the cuts were going to take place"
        if kind in _NOUN_TYPES and word.pos_ not in ("NOUN", "PROPN"):
            continue
        if word.pos_ == "NOUN" and _generic(word, sent, doc):
            continue  # "Lenders provide mortgages to people who do not qualify for loans"
        if _back_reference(word, kind, events, text):  # not `doc.text`: O(doc) a call
            continue
        found.append((match, word))
    return found


def _caused_by_attack(word: Token) -> bool:
    """Deaths whose subject is an attack ("airstrikes killed 30", "a bomb killed …")."""
    attack = _TRIGGERS_BY_TYPE[EventType.attack]
    return any(c.dep_ == "nsubj" and attack.fullmatch(c.text) for c in word.children)


def _generic(word: Token, sent: Segment, doc: Doc) -> bool:
    """A noun in a clause that describes how things are, not what happened: its verb in
    the simple present ("provide", "bundle"), no date in the sentence; "says", "comes
    after" report news."""
    root = doc.char_span(sent.start, sent.end, alignment_mode="expand")
    if root is None:
        return False
    verb = word
    while verb.pos_ not in ("VERB", "AUX") and verb.head != verb:
        verb = verb.head
    if verb.tag_ not in ("VBP", "VBZ") or verb.lower_ in ("is", "are", "has", "have"):
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children) or verb.lower_ in _SAYING:
        return False
    return not any(t.ent_type_ in ("DATE", "TIME") for t in root)


def _asked(word: Token) -> bool:
    """Inside an indirect question ("did not say where the cuts were going to take
    place", "asked whether the plant would close")."""
    token = word
    while token.head != token:
        if token.dep_ == "ccomp" and any(
            c.dep_ in ("advmod", "mark") and c.lower_ in _QUESTION_WORDS and c.i < token.i
            for c in token.children
        ):
            return True
        token = token.head
    return False


def _governed(word: Token, text: str) -> bool:
    """A verb that completes another trigger ("committed to dispatching", "pledged to
    invest"): what is pledged is part of the pledge, not an event of its own."""
    head = word.head
    if word.dep_ == "pcomp" and head.dep_ == "prep":
        head = head.head
    elif word.dep_ != "xcomp":
        return False
    return head != word and any(p.match(text, head.idx) for _, p in TRIGGERS)


def _back_reference(word: Token, kind: EventType, events: list[Event], text: str) -> bool:
    """ "The exercise was held …" after the drill in the same paragraph, "the first
    lawsuit" after a lawsuit: a definite noun naming an event already reported. "The
    trial" paragraphs after the lawsuit is news of its own."""
    definite = word.pos_ == "NOUN" and any(
        c.dep_ in ("det", "poss") and c.lower_ in DEFINITE_DETERMINERS for c in word.children
    )
    if not definite:
        return False
    same = [e for e in events if e.event_type == kind]
    return any(
        "\n" not in text[e.char_end : word.idx] or word.lower_ in e.text.lower() for e in same
    )


def _hypothetical(word: Token) -> bool:
    """ "the proposed sale or closure": a modifier of the word or of its conjunct head;
    or inside a condition ("if the union agrees to cuts", "should a buyer be willing to
    pay, … the purchase")."""
    heads = [word, word.head] if word.dep_ == "conj" else [word]
    if any(c.dep_ == "amod" and c.lower_ in HYPOTHETICAL for h in heads for c in h.children):
        return True
    verb = word
    while verb.pos_ not in ("VERB", "AUX") and verb.head != verb:
        verb = verb.head
    if any(c.dep_ == "aux" and c.lower_ in _POSSIBLE for c in verb.children):
        # "Fiat can assume the majority upon repayment of loans"; "can be submitted
        # starting next month" is scheduled
        return not any(t.ent_type_ in ("DATE", "TIME") for t in verb.subtree)
    token = word
    while True:
        if token.dep_ == "advcl" and _conditional(token):
            return True  # the trigger is in the condition
        if any(c.dep_ == "advcl" and _conditional(c) for c in token.children):
            return True  # or in what follows from it
        if token.head == token:
            return False
        token = token.head


def _conditional(clause: Token) -> bool:
    """ "if/unless …", or the inverted "should X be …", "had X known …"."""
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in clause.children):
        return True
    subjects = [c.i for c in clause.children if c.dep_.startswith("nsubj")]
    return any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in ("should", "had", "were") and c.i < s
        for c in clause.children
        for s in subjects
    )
