"""Events: per sentence, up to two triggers of different types from a small lexicon (in
priority order), the whole sentence as span.

A trigger is skipped inside a quotation or a hedged reported opinion (a hedged claim not
cued by "announced"), after "future"/"possible"/..., and when an earlier event of its
type already covers it (a definite back-reference such as "the drill", or the same
trigger word with no new actor and no new date), and when the parse reads it as a
modifier ("dropped calls", a "recommended" rating). Lines without final punctuation
(headings) and questions are not events. Actors and location come from the parse
around the trigger (`event_roles`); without a place of its own, an event keeps the
setting of the previous sentence's event in its paragraph; the time is the first date
mention.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from extractor.rules import event_roles, places
from extractor.rules.clauses import same_clause
from extractor.rules.event_roles import Subject
from extractor.rules.parties import company_news, counted_parties, parties_of
from extractor.rules.places import Naming
from extractor.rules.quotes import FINAL, inside, quoted_share
from extractor.schemas import AUTHOR, MAX_ACTORS, Claim, Event, EventType
from extractor.text.dates import DateMention
from extractor.text.lexicon import (
    ANNOUNCING_CUES,
    DEFINITE_DETERMINERS,
    HEDGING_CUES,
    HYPOTHETICAL,
    MARKET_WORDS,
    MOVEMENT_PREPOSITIONS,
    SPECULATION,
    TARGET_PREPOSITIONS,
)
from extractor.text.segment import Segment

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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
    r" jail\ssentences? sentenced convicted veto(?:ed|es)?"
    r" passed(?=\s(?:the|a|an)\s(?:[\w-]+\s){0,3}(?:bill|law|budget|resolution|measure"
    r"|legislation|amendment))",
    EventType.election: r"elections? referendum voted procedural\svote vote\s(?:on|for|against)"
    r" primar(?:y|ies) caucus(?:es)? won(?=\s(?:the\s)?(?:[\w-]+\s){0,3}(?:election|primary"
    r"|caucus(?:es)?|vote|nomination|seat|race|presidency)\b)",
    EventType.protest: r"protests? protested demonstrations? boycott walkout on\sstrike",
    EventType.disaster: r"died killed crashed crashes earthquake flood(?:s|ing)? hurricane"
    r" explosion accidents?",
    EventType.economic: r"job\scuts cut(?:ting|s)? layoffs laid\soff fire bankruptcy bailout"
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
_TRIGGERS = [
    (kind, re.compile(rf"\b(?:{'|'.join(words.split())})\b", re.I))
    for kind, words in LEXICON.items()
]
_TRIGGERS_BY_TYPE = dict(_TRIGGERS)
#: Entity types whose names a trigger word inside is part of ("the Supreme Court").
_NAMES = frozenset({"ORG", "FAC", "GPE", "LOC", "PERSON", "WORK_OF_ART", "LAW", "PRODUCT"})
MAX_EVENTS_PER_SENTENCE = 2
#: Prepositions beyond in/at/near whose object is where an event of a type happens,
#: and so no actor ("a deployment to the Korean Peninsula", "a visit to North Korea")...
_TOWARDS = {
    EventType.deployment: MOVEMENT_PREPOSITIONS,
    EventType.meeting: MOVEMENT_PREPOSITIONS,
}
#: ... or where it happens while its object still takes part ("the invasion of Georgia").
_TARGETS = {EventType.attack: TARGET_PREPOSITIONS}
#: Meeting triggers that move someone elsewhere: their place is a destination.
_VISITS = frozenset({"visit", "visited", "visits"})
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


def find_events(
    text: str,
    sents: list[Segment],
    quoted: list[tuple[int, int]],
    claims: list[Claim],
    dates: list[DateMention],
    doc: Doc,
    name: Naming,
    subject: Subject,
    published: date | None = None,
    principal: str | None = None,
) -> list[Event]:
    """Every event of the article; `quoted` are the quotes' spans, `claims` the claims
    (reported opinions are not events; announcements are); `published` dates the
    market moves the text leaves undated; `principal` is the organisation the article
    is about, the actor of the company news that names nobody ("Two more plants will
    close in 2008")."""
    events: list[Event] = []
    opinions = [(c.char_start, c.char_end) for c in claims if _opinion(c)]
    for sent in sents:
        body = sent.text
        if not FINAL.search(body) or body.rstrip("\"'”’)").endswith("?"):
            continue
        if quoted_share(sent.start, sent.end, quoted) > 0.5:
            continue
        mentions = [d for d in dates if sent.start <= d.start < sent.end]
        parsed = doc.char_span(sent.start, sent.end, alignment_mode="expand")
        if parsed is None:
            continue
        emitted = 0
        used: set[int] = set()  # trigger words taken by an earlier type
        for kind, pattern in _TRIGGERS:
            if kind == EventType.statement and emitted:
                continue  # "announced job cuts" is the cuts, not also a statement
            found = _triggers(doc, text, sent, kind, pattern, quoted, opinions, events)
            # "won the Iowa caucuses" is an election, not also an agreement won
            found = [f for f in found if f[1].i not in used]
            used |= {word.i for _, word in found}
            if not found:
                continue
            first = found[0][1]
            # "The Nasdaq fell …, and the S&P 500 index dropped …": one event per verb;
            # "he bought Pixar, which was acquired by Disney in 2005": a clause of its own
            own = [f for f in found[1:] if _separate(first, f[1], mentions)]
            before = len(events)
            for trigger, word in [found[0], *own]:
                event = _event(
                    text, sent, parsed, kind, trigger, word, mentions, events, name, subject
                )
                if (
                    principal
                    and event
                    and not event.actors
                    and company_news(event, word, name, principal)
                ):
                    event = event.model_copy(update={"actors": [principal]})
                if event is not None:
                    events.append(event)
            emitted += len(events) > before
            if emitted == MAX_EVENTS_PER_SENTENCE:
                break
    return _market_days(events, published)


def _market_days(events: list[Event], published: date | None) -> list[Event]:
    """A market move the sentence gives no date is on the day of the article's previous
    dated one ("Stocks rose on Friday. The FTSE gained 2%."), else on the publication
    day: market reports are of the day they are written."""
    day: str | None = published.isoformat() if published else None
    result: list[Event] = []
    for event in events:
        market = event.event_type == EventType.economic and MARKET_WORDS.search(event.text)
        if market and event.time is not None and len(event.time) == len("2000-01-01"):
            day = event.time
        elif market and event.time is None and event.time_text is None and day is not None:
            event = event.model_copy(update={"time": day})
        result.append(event)
    return result


def _event(
    text: str,
    sent: Segment,
    parsed: Span,
    kind: EventType,
    trigger: re.Match[str],
    word: Token,
    mentions: list[DateMention],
    events: list[Event],
    name: Naming,
    subject: Subject,
) -> Event | None:
    """The event `word` names, or None when an earlier one already reported it."""
    mention = event_roles.when(parsed.doc, word, mentions)
    towards = _TOWARDS.get(kind, frozenset())
    actors = event_roles.actors(parsed, word, name, towards, subject)[:MAX_ACTORS]
    place = places.location(parsed, word, name, towards | _TARGETS.get(kind, towards))
    if _already_reported(events, kind, actors, mention, word, trigger.group(0).lower()):
        return None
    actors = actors or parties_of(word, events) or counted_parties(word, events, name)
    return Event.model_validate(
        {
            "text": sent.text,
            "char_start": sent.start,
            "char_end": sent.end,
            "event_type": kind,
            "trigger": trigger.group(0),
            "actors": actors,
            "location": place or _setting(events, text, sent),
            "time_text": mention.text if mention else None,
            "time": mention.iso if mention else None,
        },
        context={"document": text},
    )


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _separate(first: Token, other: Token, mentions: list[DateMention]) -> bool:
    """Whether `other`, a second trigger of `first`'s type in the sentence, reports an
    event of its own: a coordinated verb with its own subject ("The Nasdaq fell …, and
    the S&P 500 dropped …"), or a verb heading another clause with its own subject and
    its own date ("bought Pixar, which was acquired by Disney in 2005")."""
    if other.pos_ != "VERB" or not _has_subject(other):
        return False
    if other in first.conjuncts:
        return True
    if same_clause(first, other):
        return False
    doc = other.doc
    own = event_roles.when(doc, other, mentions)
    return own is not None and own != event_roles.when(doc, first, mentions)


def _setting(events: list[Event], text: str, sent: Segment) -> str | None:
    """The place of a meeting the previous sentence of the paragraph reported: what is
    said or agreed there happens there ("met … in Malaysia. The three nations pledged
    …"); a visit's destination is no setting for the next sentence's news."""
    if not events or "\n" in text[events[-1].char_end : sent.start]:
        return None
    last = events[-1]
    meeting = last.event_type == EventType.meeting and last.trigger not in _VISITS
    return last.location if meeting and last.char_end <= sent.start else None


def _triggers(
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
    return head != word and any(p.match(text, head.idx) for _, p in _TRIGGERS)


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


def _opinion(claim: Claim) -> bool:
    """A claim whose content is an opinion or a guess, not news: the article's own
    ("the first flight is expected to take place"), cued by a belief ("predicts that"),
    or speculating or believing itself ("may be preparing", "the company expects to
    cut"); "said it would axe 10,000 jobs" reports a decision, an event."""
    if claim.cue in ANNOUNCING_CUES:
        return False
    believes = any(word in HEDGING_CUES for word in claim.text.lower().split())
    return (
        claim.claimant == AUTHOR
        or claim.cue in HEDGING_CUES
        or believes
        or bool(SPECULATION.search(claim.text))
    )


def _already_reported(
    events: list[Event],
    kind: EventType,
    actors: list[str],
    mention: DateMention | None,
    trigger: Token,
    word: str,
) -> bool:
    """An earlier event of this type covers it: "the exercise", or the same trigger word
    with no new actor or date."""
    same = [e for e in events if e.event_type == kind and e.trigger and e.trigger.lower() == word]
    if not same:
        return False
    time = mention.iso if mention else None
    seen = {a for e in same for a in e.actors}
    new_time = time is not None and all(e.time != time for e in same)
    return not new_time and bool(actors) and set(actors) <= seen
