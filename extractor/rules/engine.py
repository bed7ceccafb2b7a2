"""The `rules` engine: quotes, claims and events found by patterns, no model.

Spans are found directly in the article text, so offsets are native (no grounding).

- Quotes: text between “…” or "…" marks (a trailing comma dropped), possibly over several
  lines. Attribution, first that applies: a cue after the closing mark ("…," said X /
  "…," X said); the subject of the last cue verb before the opening mark in its sentence
  (X said, "…" / X, the Y of Z, said: "…" / "…, stating, "…" -> the sentence subject);
  for a quote opening a line with no cue, the speaker of a quote that ended on the line
  before. A quoted span of at most three words that is a fragment (scare quotes, names,
  titles of works) is kept only when a cue verb comes at most ten words before it or
  an attribution ("…," he said) follows it, and not when it is all capitalised ("New GM")
  or qualifies the noun after it (a "deferred termination" package).
- Claims: the clause after a cue verb and "that" (or directly after say/state/believe-
  type verbs), up to a following ", saying…", "and that", a new speaker ("…, Jobs said
  that", "…; it noted that") or the end of the sentence;
  "according to X"; and, as `<author>` claims, unattributed sentences with "is expected
  to", "is likely to", "will likely". A clause that is itself a quote is not a claim.
- Events: per sentence, up to two triggers of different types from a small lexicon (in
  priority order), the whole sentence as span. A trigger is skipped inside a quotation or
  a hedged reported opinion (a hedged claim not cued by "announced"), after "future"/"possible"/...,
  and when an earlier event of its type already covers it (a definite back-reference
  such as "the drill", or no new actor and no new date). Lines without final punctuation
  (headings) and questions are not events. Speaker/claimant "it"/"they" of a claim is
  the claimant of the previous claim in the same sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from extractor.rules.attribution import (
    CAPITALISED_RUN,
    CLAIM_CUE,
    HEDGES,
    HEDGING_CUES,
    QUOTE_CUE,
    TITLES,
    Attribution,
    People,
    expand_acronym,
    parse_speaker,
    person_name,
    scan_people,
    speaker_after,
    speaker_before,
    subject_of,
)
from extractor.schemas import AUTHOR, MAX_ACTORS, Claim, DocumentExtraction, Event, EventType, Quote
from extractor.text.articles import Article
from extractor.text.dates import DateMention, find_dates
from extractor.text.segment import Segment, sentences

#: start, end, claimant, cue, hedged of a claim before it becomes a `Claim`.
_Found = tuple[int, int, str | None, str, bool]
MAX_QUOTE_LINES = 8
MAX_QUOTE_CHARS = 3000
#: A partial quote this short needs a cue verb this close before it.
SHORT_QUOTE_WORDS = 3
CUE_WINDOW_WORDS = 10


_ENDS_WITH_CUE = re.compile(rf"{QUOTE_CUE.pattern}[,:]?$")
_AFTER_QUOTE = re.compile(r"[”\"]\s*,?\s*$")
_THAT = re.compile(
    rf"^(?P<mid>(?:\s+(?!that\b|{CLAIM_CUE.pattern})[\w’'.$-]+){{0,4}}?)\s+that\b[\s,]*"
)
_DIRECT = re.compile(
    r"^\s+(?=(?:the|a|an|it|he|she|they|this|there|its|his|her|their|we|nearly|about"
    r"|around|almost|more|over|only|some|most|many|several|all)\b|[A-Z0-9$])"
)
_DIRECT_CUES = frozenset(
    "say says said state states stated believe believes believed expect expects claim claims "
    "claimed predicted predicts estimated estimates".split()
)
_CLAIM_END = re.compile(
    r",\s+(?:and\s+)?(?:saying|stating|adding|noting|claiming|arguing|warning|explaining)\b"
    r"|,?\s+and\s+that\b|,\s+(?:although|but|while|whereas)\b"
    # a new speaker takes over: "…; it noted that", "…, Jobs said that"
    rf"|(?:;|,(?=\s+(?:[A-Z][\w'’.-]*\s+){{1,3}}(?:{CLAIM_CUE.pattern})))\s+"
    rf"(?=(?:\S+\s+){{0,3}}(?:{CLAIM_CUE.pattern}))"
)
_NOUN_BEFORE = re.compile(r"(?:[A-Z][\w'’-]*\s+)*[\w'’-]+(?=\s*$)")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,.;]{2,80}?)(?=[,.;]|$)")
_AUTHOR = re.compile(
    r"\b(?:is|are|was|were)\s+(?:also\s+)?(?:expected|likely|projected|forecast)\s+to\b"
    r"|\bwill\s+likely\b"
)
_FINAL = re.compile(r"[.!?][\"'”’)\]]*$")
_LOCATION = re.compile(rf"\b(?:in|at)\s+(?:the\s+)?(?P<place>{CAPITALISED_RUN.pattern})")
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
_NOT_ACTORS = frozenset(
    "american british russian chinese japanese korean german french indonesian european "
    "australian canadian italian indian israeli iranian ukrainian asian african arab south "
    "north east west monday tuesday wednesday thursday friday saturday sunday january "
    "february march april june july august september october november december".split()
)
_NOT_PLACES = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday the a an".split()
)
_ANNOUNCING = frozenset({"announced", "announces", "announce", "confirmed", "revealed"})
_HYPOTHETICAL = re.compile(
    r"\b(?:future|possible|potential|proposed|planned|considering)\s+(?:\w+\s+)?$"
)
_DEFINITE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose|[Tt]heir|[Ii]ts)\s+(?:[\w-]+\s+){0,2}$"
)
#: Words that may follow a short partial quote in the reporter's sentence.
_CONTINUATIONS = frozenset(
    "and or but nor to was is were are be been as in on at for of from with by that which "
    "when while who than because during after before about into over under until if so "
    "said says he she they it".split()
)
_FUNCTION_WORDS = frozenset(
    "the a an in on at as of for by with during after before this that these those it he "
    "she they we his her their its but and or if while when although meanwhile however "
    "also other some many most".split()
)


def find_items(article: Article) -> DocumentExtraction:
    """The rules engine's quotes, claims and events, at their native offsets."""
    text = article.text
    sents = sentences(text)
    people = scan_people(text)
    quotes = _quotes(text, sents, people)
    quoted = [(q.char_start, q.char_end) for q in quotes]
    claims = _claims(text, sents, people, quoted)
    events = _events(text, sents, quoted, claims, find_dates(text, article.published))
    return DocumentExtraction(quotes=quotes, claims=claims, events=events)


@dataclass(frozen=True)
class _Marks:
    """A quotation: its opening mark, the quoted text [start, end), and the index just
    after its closing mark (or the line end when the quotation is never closed)."""

    open: int
    start: int
    end: int
    after: int


def _quotations(text: str) -> list[_Marks]:
    found: list[_Marks] = []
    open_at: int | None = None
    for match in re.finditer(r"[“”\"]", text):
        index = match.start()
        if _opens(text, index, open_at is not None):
            if open_at is not None:  # never closed: keep it if its line ends a sentence
                line_end = text.rfind("\n", open_at, index)
                if line_end > 0 and _FINAL.search(text[open_at:line_end].rstrip()):
                    found.extend(_trimmed(text, open_at, line_end, line_end))
            open_at = index
        elif open_at is not None:
            if text.count("\n", open_at, index) <= MAX_QUOTE_LINES and (
                index - open_at <= MAX_QUOTE_CHARS
            ):
                found.extend(_trimmed(text, open_at, index, index + 1))
            open_at = None
    return found


def _opens(text: str, index: int, inside: bool) -> bool:
    mark = text[index]
    if mark != '"':
        return mark == "“"
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    if (before.isspace() or before in "([{—–-/") and not after.isspace():
        return True
    if after.isspace() or after in ".,;:!?)]}—–-":
        return False
    return not inside


def _trimmed(text: str, open_at: int, end: int, after: int) -> list[_Marks]:
    start = open_at + 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return [_Marks(open_at, start, end, after)] if end > start else []


def _quotes(text: str, sents: list[Segment], people: People) -> list[Quote]:
    starts = [s.start for s in sents]
    quotes: list[Quote] = []
    previous: tuple[_Marks, Quote] | None = None
    titles: dict[str, str] = {}
    for marks in _quotations(text):
        first = sents[max(0, bisect_right(starts, marks.open) - 1)]
        last = sents[max(0, bisect_right(starts, max(marks.after - 1, marks.open)) - 1)]
        same_sentence = previous is not None and previous[0].after > first.start
        ctx_start = previous[0].after if previous and same_sentence else first.start
        prefix = text[ctx_start : marks.open]
        after = text[marks.after : max(last.end, marks.after)]
        after = re.split(r"[“\"]", after, maxsplit=1)[0]
        quoted = text[marks.start : marks.end]
        kind = _kind(quoted, prefix, text[marks.end : marks.after])
        who, cue = speaker_after(after, people, marks.open)
        if who is None and len(quoted.split()) <= SHORT_QUOTE_WORDS:
            window = " ".join(prefix.split()[-CUE_WINDOW_WORDS:])
            if not QUOTE_CUE.search(window) and not CLAIM_CUE.search(window):
                continue  # scare quotes, names, titles of works
            if _name_like(quoted) or _modifier(text[marks.after :]):
                continue  # "New GM", a "deferred termination" package
        if who is None:
            who, cue = speaker_before(text, first.start, ctx_start, marks.open, people)
        if previous and (who is None or not (who.name or who.title)):
            line_start = not prefix.strip() and text.count("\n", previous[0].after, marks.open) <= 1
            if same_sentence or line_start:
                who = Attribution(previous[1].speaker, previous[1].speaker_title)
                cue = cue or previous[1].cue
        speaker = expand_acronym(who.name, text) if who and who.name else None
        title = who.title if who else None
        if who is not None and who.is_person and speaker:
            people.add(speaker, marks.open)
        if speaker and title:
            titles.setdefault(speaker, title)
        quote = Quote.model_validate(
            {
                "text": quoted,
                "char_start": marks.start,
                "char_end": marks.end,
                "speaker": speaker,
                "speaker_title": title or titles.get(speaker or ""),
                "cue": cue,
                "kind": kind,
            },
            context={"document": text},
        )
        quotes.append(quote)
        previous = (marks, quote)
    return quotes


def _name_like(quoted: str) -> bool:
    """Every word capitalised and no final punctuation: a name or a title of a work."""
    return not _FINAL.search(quoted) and all(w[:1].isupper() for w in quoted.split())


def _modifier(after: str) -> bool:
    """The quotation is followed by a word that is neither punctuation nor a word that
    carries the sentence on ("and", "to", "was", ...): it qualifies a noun."""
    following = re.match(r"\s*([a-z]+)\b", after)
    return following is not None and following.group(1) not in _CONTINUATIONS


def _kind(quoted: str, prefix: str, closing: str) -> str:
    """direct for a whole utterance, partial for a fragment of the reporter's sentence."""
    if not quoted[:1].isupper() and not quoted[:1].isdigit():
        return "partial"
    if re.search(r"[.?!,]\s*$", quoted + closing[:1]):
        return "direct"
    if len(quoted.split()) <= SHORT_QUOTE_WORDS:
        return "partial"
    before = prefix.rstrip()
    if not before or before.endswith((":", ",")) or _ENDS_WITH_CUE.search(before):
        return "direct"
    return "partial"


def _claims(
    text: str, sents: list[Segment], people: People, quoted: list[tuple[int, int]]
) -> list[Claim]:
    found: list[_Found] = []
    for sent in sents:
        body = sent.text
        previous: str | None = None  # "it"/"they" refer to the sentence's last claimant
        for cue in CLAIM_CUE.finditer(body):
            if not _inside(sent.start + cue.start(), quoted):
                reported = _cue_claims(sent, cue, people, quoted, previous)
                previous = reported[-1][2] if reported else previous
                found.extend(reported)
        for match in _ACCORDING.finditer(body):
            found.extend(_according_claim(sent, match, people))
        attributed = any(sent.start <= f[0] < sent.end for f in found)
        if (
            _AUTHOR.search(body)
            and not attributed
            and not re.search('["“]', body)
            and _FINAL.search(body)
        ):
            end = sent.start + len(body.rstrip(".!?\"'”’ "))
            found.append((sent.start, end, AUTHOR, "", True))
    claims: list[Claim] = []
    for start, end, claimant, verb, hedged in found:
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e, *_ in found):
            continue  # nested in a wider claim
        if any(c.char_start == start for c in claims) or _quoted_share(start, end, quoted) > 0.5:
            continue  # a quotation is a quote, not also a claim
        claim_text = text[start:end]
        claims.append(
            Claim.model_validate(
                {
                    "text": claim_text,
                    "char_start": start,
                    "char_end": end,
                    "claimant": expand_acronym(claimant, text) if claimant else None,
                    "cue": verb or None,
                    "hedged": hedged or bool(HEDGES.search(claim_text)),
                },
                context={"document": text},
            )
        )
    return claims


def _cue_claims(
    sent: Segment,
    cue: re.Match[str],
    people: People,
    quoted: list[tuple[int, int]],
    previous: str | None,
) -> list[_Found]:
    """Claims introduced by one cue verb: "X stated that A, and that B"."""
    body, verb = sent.text, cue.group(0)
    tail = body[cue.end() :]
    opener = _THAT.match(tail)
    if opener is None and verb in _DIRECT_CUES and not re.match(r"^\s+to\b", tail):
        opener = _DIRECT.match(tail)
    before = body[: cue.start()]
    if opener is None or (_AFTER_QUOTE.search(before) and not verb.endswith("ing")):
        return []  # no clause, or the "…," said X of a quotation
    # "…, saying that" has the sentence's subject; "critics saying that" its own
    if verb.endswith("ing") and not re.search(r",[”\"’']?$", before.rstrip()):
        noun = _NOUN_BEFORE.search(before)
        subject = noun.group(0) if noun else None
    else:
        subject = subject_of(before, participle=verb.endswith("ing"))
    who = parse_speaker(subject, people, sent.start + cue.start()) if subject else None
    if who is None:
        return []
    claimant = who.name if who.is_person else (who.name or who.title)
    if claimant is None and subject and subject.lower() in ("it", "they"):
        claimant = previous
    if claimant is None:
        return []
    claims: list[_Found] = []
    position = cue.end() + opener.end()
    while position < len(body):
        ending = _CLAIM_END.search(body, position)
        stop = ending.start() if ending else len(body)
        clause = body[position:stop].rstrip(" .!?,;:")
        start = sent.start + position
        words = len(clause.split())
        # a quoted sentence opening the clause is a quote; a quoted phrase is not
        opens_quote = re.match(r"[“\"]\s*[A-Z]", clause) is not None
        if words >= 3 and not opens_quote and not _inside(start, quoted):
            claims.append((start, start + len(clause), claimant, verb, verb in HEDGING_CUES))
        if ending is None or not ending.group(0).rstrip().endswith("that"):
            break
        position = ending.end() + len(body[ending.end() :]) - len(body[ending.end() :].lstrip())
    return claims


def _according_claim(sent: Segment, match: re.Match[str], people: People) -> list[_Found]:
    """ "According to X, A." or "A, according to X." """
    body = sent.text
    who = parse_speaker(match.group("who"), people, sent.start + match.start())
    if who is None or len(match.group("who").split()) > 8:
        return []
    claimant = who.name if who.is_person else (who.name or who.title)
    if body[match.end() :].startswith(","):
        start = match.end() + 1
        clause_end = len(body)
    elif not body[match.end() :].strip(' .!?"”'):
        start, clause_end = 0, match.start()
    else:
        return []
    clause = body[start:clause_end]
    lead = len(clause) - len(clause.lstrip())
    clause = clause.strip().rstrip(" .!?,;:")
    if len(clause.split()) < 3:
        return []
    begin = sent.start + start + lead
    return [(begin, begin + len(clause), claimant, "according to", False)]


def _events(
    text: str,
    sents: list[Segment],
    quoted: list[tuple[int, int]],
    claims: list[Claim],
    dates: list[DateMention],
) -> list[Event]:
    events: list[Event] = []
    # Reported opinions are not events; announcements are.
    opinions = [(c.char_start, c.char_end) for c in claims if c.hedged and c.cue not in _ANNOUNCING]
    for sent in sents:
        body = sent.text
        if not _FINAL.search(body) or body.rstrip("\"'”’)").endswith("?"):
            continue
        if _quoted_share(sent.start, sent.end, quoted) > 0.5:
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
    if _inside(at, quoted) or _inside(at, opinions):
        return False
    return not _HYPOTHETICAL.search(sent.text[: trigger.start()])


def _is_attribution(kind: EventType, body: str, trigger: re.Match[str]) -> bool:
    """ "announced that …" reports speech (a claim), not an announcement event."""
    return kind == EventType.statement and bool(_THAT.match(body[trigger.end() :]))


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
        while tokens and (tokens[0].lower() in _FUNCTION_WORDS | TITLES):
            tokens.pop(0)
        while tokens and re.search(r"\d", tokens[-1]):
            tokens.pop()
        if not tokens or (
            run.start() == 0 and len(tokens) == 1 and tokens[0].endswith(("ing", "ly", "ed"))
        ):
            continue
        name = person_name(tokens) if any(t.lower() in TITLES for t in tokens) else None
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


def _quoted_share(start: int, end: int, quoted: list[tuple[int, int]]) -> float:
    inside = sum(max(0, min(e, end) - max(s, start)) for s, e in quoted)
    return inside / max(1, end - start)


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= position < e for s, e in spans)
