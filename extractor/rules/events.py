"""Events: per sentence, up to two triggers of different types from the lexicon
(`triggers`, in priority order), the whole sentence as span.

An event is skipped when an earlier one of its type already reports it (the same trigger
word with no new actor and no new date). Lines without final punctuation (headings) and
questions are not events. Actors and time come from the parse around the trigger
(`event_roles`), the location from `places`; without a place of its own, an event keeps
the setting of the previous sentence's event in its paragraph; an event naming nobody
takes its parties from an earlier event or the company the article is about (`parties`).
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
from extractor.rules.quotes import FINAL, quoted_share
from extractor.rules.triggers import TRIGGERS, triggers
from extractor.schemas import AUTHOR, MAX_ACTORS, Claim, Event, EventType
from extractor.text.dates import DateMention
from extractor.text.lexicon import (
    ANNOUNCING_CUES,
    HEDGING_CUES,
    MARKET_WORDS,
    MOVEMENT_PREPOSITIONS,
    SPECULATION,
    TARGET_PREPOSITIONS,
)
from extractor.text.segment import Segment

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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
        first_of_sentence = len(events)
        nameless: list[tuple[int, Token]] = []  # events of the sentence with no actors yet
        used: set[int] = set()  # trigger words taken by an earlier type
        for kind, pattern in TRIGGERS:
            if kind == EventType.statement and emitted:
                continue  # "announced job cuts" is the cuts, not also a statement
            found = triggers(doc, text, sent, kind, pattern, quoted, opinions, events)
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
                    if not event.actors:
                        nameless.append((len(events), word))
                    events.append(event)
            emitted += len(events) > before
            if emitted == MAX_EVENTS_PER_SENTENCE:
                break
        _counted_in_sentence(events, first_of_sentence, nameless, name)
    return _market_days(events, published)


def _counted_in_sentence(
    events: list[Event], first: int, nameless: list[tuple[int, Token]], name: Naming
) -> None:
    """ "X met Y …, and the two leaders agreed …": the sentence's types come in lexicon
    order, so an event whose parties a counted noun names may precede the one it counts:
    looked for again among the sentence's other events."""
    for index, word in nameless:
        others = [e for i, e in enumerate(events) if i != index and i >= first]
        parties = counted_parties(word, [*events[:first], *others], name)
        if parties:
            events[index] = events[index].model_copy(update={"actors": parties})


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
