"""Events: per sentence, up to two triggers of different types from a small lexicon (in
priority order), the whole sentence as span.

A trigger is skipped inside a quotation or a hedged reported opinion (a hedged claim not
cued by "announced"), after "future"/"possible"/..., and when an earlier event of its
type already covers it (a definite back-reference such as "the drill", or no new actor
and no new date). Lines without final punctuation (headings) and questions are not
events. Actors are the sentence's capitalised runs; the location the first "in/at
<Place>"; the time the first date mention.
"""

from __future__ import annotations

import re

from extractor.rules.claims import THAT
from extractor.rules.people import CAPITALISED_RUN, person_name
from extractor.rules.quotes import FINAL, inside, quoted_share
from extractor.schemas import MAX_ACTORS, Claim, Event, EventType
from extractor.text.dates import DateMention
from extractor.text.lexicon import (
    ANNOUNCING_CUES,
    COMPASS,
    MONTH_NAMES,
    NATIONALITIES,
    TITLE_WORDS,
    UNAMBIGUOUS_MONTHS,
    WEEKDAY_NAMES,
)
from extractor.text.segment import Segment

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
    r" investigation verdict bann?(?:ed|s)? lifted",
    EventType.election: r"elections? referendum voted procedural\svote vote\s(?:on|for|against)",
    EventType.protest: r"protests? protested demonstrations? boycott walkout",
    EventType.disaster: r"died killed crashed crashes earthquake flood(?:s|ing)? hurricane"
    r" explosion accidents?",
    EventType.economic: r"job\scuts cut(?:ting|s)? layoffs laid\soff fire bankruptcy bailout"
    r" shares stocks? fell rose dropped lost plunged plummet(?:ed)? slump profits? loans?"
    r" loss(?:es)? rescue\splan financial\sassistance financing funding infused slashed"
    r" invest(?:ed|ment)? closed closes closing closure will\sclose close\s(?:its|the|\d)"
    r" recall(?:ed)? export\sduty axed? declines? infusion",
    EventType.agreement: r"agreed agreement deal pact treaty signed pledged (?<!in\s)orders?"
    r" committed\sto compensated",
    EventType.meeting: r"met meetings? talks summit conference convene[sd]? gathered"
    r" visit(?:ed|s)? discussions review",
    EventType.statement: r"announce(?:d|s|ment) unveil(?:ed|s)? resign(?:ed|s|ation) keynote"
    r" step(?:s|ped)?\sdown launch(?:ed|es)? outlined recommended called\son urged ultimatums?"
    r" went\son\snational\stelevision issued",
}
_TRIGGERS = [
    (kind, re.compile(rf"\b(?:{'|'.join(words.split())})\b", re.I))
    for kind, words in LEXICON.items()
]
MAX_EVENTS_PER_SENTENCE = 2
#: Capitalised words that are no actor on their own ("Russian", "South Korean", "Friday").
_NOT_ACTORS = NATIONALITIES | COMPASS | WEEKDAY_NAMES | UNAMBIGUOUS_MONTHS
#: Capitalised words after "in"/"at" that are no place ("in May", "at the").
_NOT_PLACES = frozenset(MONTH_NAMES) | WEEKDAY_NAMES | {"the", "a", "an"}
#: Words that open a sentence or a run without being part of an actor's name.
_FUNCTION_WORDS = frozenset(
    "the a an in on at as of for by with during after before this that these those it he "
    "she they we his her their its but and or if while when although meanwhile however "
    "also other some many most".split()
)
_LOCATION = re.compile(rf"\b(?:in|at)\s+(?:the\s+)?(?P<place>{CAPITALISED_RUN.pattern})")
_HYPOTHETICAL = re.compile(
    r"\b(?:future|possible|potential|proposed|planned|considering)\s+(?:\w+\s+)?$"
)
_DEFINITE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose|[Tt]heir|[Ii]ts)\s+(?:[\w-]+\s+){0,2}$"
)


def find_events(
    text: str,
    sents: list[Segment],
    quoted: list[tuple[int, int]],
    claims: list[Claim],
    dates: list[DateMention],
) -> list[Event]:
    """Every event of the article; `quoted` are the quotes' spans, `claims` the claims
    (reported opinions are not events; announcements are)."""
    events: list[Event] = []
    opinions = [
        (c.char_start, c.char_end) for c in claims if c.hedged and c.cue not in ANNOUNCING_CUES
    ]
    for sent in sents:
        body = sent.text
        if not FINAL.search(body) or body.rstrip("\"'”’)").endswith("?"):
            continue
        if quoted_share(sent.start, sent.end, quoted) > 0.5:
            continue
        mention = next((d for d in dates if sent.start <= d.start < sent.end), None)
        actors = _actors(body)
        emitted = 0
        for kind, pattern in _TRIGGERS:
            trigger = next(
                (m for m in pattern.finditer(body) if _reports(sent, m, quoted, opinions)), None
            )
            if trigger is None or _is_attribution(kind, body, trigger):
                continue
            if _already_reported(events, kind, actors, mention, body[: trigger.start()]):
                continue
            events.append(
                Event.model_validate(
                    {
                        "text": body,
                        "char_start": sent.start,
                        "char_end": sent.end,
                        "event_type": kind,
                        "trigger": trigger.group(0),
                        "actors": actors,
                        "location": _location(body),
                        "time_text": mention.text if mention else None,
                        "time": mention.iso if mention else None,
                    },
                    context={"document": text},
                )
            )
            emitted += 1
            if emitted == MAX_EVENTS_PER_SENTENCE:
                break
    return events


def _reports(
    sent: Segment,
    trigger: re.Match[str],
    quoted: list[tuple[int, int]],
    opinions: list[tuple[int, int]],
) -> bool:
    """Whether a trigger reports something that happened: not inside a quotation or a
    reported opinion, not hypothetical ("a future visit")."""
    at = sent.start + trigger.start()
    if inside(at, quoted) or inside(at, opinions):
        return False
    return not _HYPOTHETICAL.search(sent.text[: trigger.start()])


def _is_attribution(kind: EventType, body: str, trigger: re.Match[str]) -> bool:
    """ "announced that …" reports speech (a claim), not an announcement event."""
    return kind == EventType.statement and bool(THAT.match(body[trigger.end() :]))


def _already_reported(
    events: list[Event],
    kind: EventType,
    actors: list[str],
    mention: DateMention | None,
    before: str,
) -> bool:
    """An earlier event of this type covers it: "the exercise", or no new actor or date."""
    same = [e for e in events if e.event_type == kind]
    if not same:
        return False
    if _DEFINITE.search(before):
        return True
    time = mention.iso if mention else None
    seen = {a for e in same for a in e.actors}
    return (time is None or any(e.time == time for e in same)) and set(actors) <= seen


def _actors(body: str) -> list[str]:
    """Capitalised runs: titles stripped from people's names; possessives, model numbers,
    sentence-initial function words and participles, and lone adjectives of nationality
    or place words dropped."""
    actors: list[str] = []
    for run in CAPITALISED_RUN.finditer(body):
        tokens = [re.sub(r"['’]s$", "", t) for t in run.group(0).rstrip(".,").split()]
        while tokens and (tokens[0].lower() in _FUNCTION_WORDS | TITLE_WORDS):
            tokens.pop(0)
        while tokens and re.search(r"\d", tokens[-1]):
            tokens.pop()
        if not tokens or (
            run.start() == 0 and len(tokens) == 1 and tokens[0].endswith(("ing", "ly", "ed"))
        ):
            continue
        name = person_name(tokens) if any(t.lower() in TITLE_WORDS for t in tokens) else None
        actor = name or " ".join(tokens)
        if all(t.lower() in _NOT_ACTORS for t in tokens):
            continue  # "Russian", "South Korean", "Friday"
        if actor not in actors:
            actors.append(actor)
    return actors[:MAX_ACTORS]


def _location(body: str) -> str | None:
    """The first "in/at <Capitalised place>" that is not a date."""
    for match in _LOCATION.finditer(body):
        place = re.sub(r"['’]s$", "", match.group("place").rstrip(".,"))
        if place.split()[0].lower() not in _NOT_PLACES and not re.search(r"\d", place):
            return place
    return None
