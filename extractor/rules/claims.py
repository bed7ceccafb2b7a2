"""Claims: reported speech and beliefs, found by cue verbs.

- The clause after a cue verb and "that" (or directly after say/state/believe-type
  verbs), up to a following ", saying…", "and that", a new speaker ("…, Jobs said
  that", "…; it noted that") or the end of the sentence. Claimant "it"/"they" is the
  claimant of the previous claim in the same sentence.
- "According to X, A." and "A, according to X."
- As `<author>` claims, unattributed sentences with "is expected to", "is likely to",
  "will likely".
A clause that is itself a quote is not a claim; a claim nested in a wider one is dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractor.rules.people import People, expand_acronym
from extractor.rules.quotes import FINAL, inside, quoted_share
from extractor.rules.reported import reported_claims, speculation
from extractor.rules.speakers import CLAIM_CUE, parse_speaker, subject_of
from extractor.schemas import AUTHOR, Claim
from extractor.text.lexicon import HEDGES, HEDGING_CUES
from extractor.text.segment import Segment

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: start, end, claimant, cue, hedged of a claim before it becomes a `Claim`.
_Found = tuple[int, int, str | None, str, bool]

_AFTER_QUOTE = re.compile(r"[”\"]\s*,?\s*$")
#: "that" opening the clause after a cue, at most four words after it.
THAT = re.compile(
    rf"^(?P<mid>(?:\s+(?!that\b|{CLAIM_CUE.pattern})[\w’'.$-]+){{0,4}}?)\s+that\b[\s,]*"
)
_DIRECT = re.compile(
    r"^\s+(?=(?:the|a|an|it|he|she|they|this|there|its|his|her|their|we|nearly|about"
    r"|around|almost|more|over|only|some|most|many|several|all)\b|[A-Z0-9$])"
)
#: When something was said, right after the cue ("said on Tuesday", "said last week").
_WHEN = re.compile(
    r"\s+(?:on\s+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|yesterday|today|tonight"
    r"|(?:last|this)\s+(?:week|month|year|weekend))(?:\s+(?:morning|afternoon|evening|night))?"
    r"(?=[\s,])"
)
#: Cues whose clause may follow without "that" ("said the plan failed").
_DIRECT_CUES = frozenset(
    "say says said state states stated believe believes believed expect expects claim claims "
    "claimed predicted predicts estimated estimates".split()
)
#: Cues of a demand: their clause in the subjunctive is no claim.
_DEMANDS = frozenset(
    "insist insists insisted demand demands demanded urge urges urged require requires required"
    " ask asks asked propose proposes proposed recommend recommends recommended".split()
)
#: Words that open a phrase, not a subject: ", following reports that …".
_NO_SUBJECT = "after|amid|despite|with|as|of|in|on|by|for|from|to|since|because|and|but|or"
_CLAIM_END = re.compile(
    r",\s+(?:and\s+)?(?:saying|stating|adding|noting|claiming|arguing|warning|explaining)\b"
    r"|,?\s+and\s+that\b|,\s+(?:although|though|but|while|whereas)\b"
    # a new speaker takes over: "…; it noted that", "…, Jobs said that", "…, investors
    # are concerned that", "…, with analyst Ann Roe saying …"
    rf"|(?:;|,(?=\s+(?:[A-Z][\w'’.-]*\s+){{1,3}}(?:{CLAIM_CUE.pattern})))\s+"
    rf"(?=(?:\S+\s+){{0,3}}(?:{CLAIM_CUE.pattern}))"
    rf"|,(?=\s+(?![a-z]+ing\b|(?:{_NO_SUBJECT})\b)(?:[\w'’.-]+\s+){{1,3}}"
    rf"(?:{CLAIM_CUE.pattern})\s+that\b)"
    r"|,\s+with\s+(?:[\w'’.-]+\s+){1,6}?(?:saying|stating|adding|noting|arguing)\b"
)
_NOUN_BEFORE = re.compile(r"(?:[A-Z][\w'’-]*\s+)*[\w'’-]+(?=\s*$)")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,.;]{2,80}?)(?=[,.;]|$)")
_AUTHOR = re.compile(
    r"\b(?:is|are|was|were)\s+(?:also\s+|now\s+|still\s+)?"
    r"(?:expected|likely|projected|forecast|anticipated)\s+to\b"
    r"|\bwill\s+likely\b|\b(?:is|are|was|were)\s+anticipated\b"
    r"|\b(?:is|remains)\s+(?:still\s+)?a\s+(?:real\s+|strong\s+)?possibility\b"
)
#: A report nobody is named for: "This is said to be …", "it is feared that …".
_AGENTLESS = re.compile(
    r"\b(?:is|are|was|were)\s+(?:widely\s+|also\s+)?"
    r"(?P<cue>said|thought|believed|feared|rumou?red|reported|understood|alleged)"
    r"\s+(?:(?:likely|unlikely)\s+)?"
    r"(?:(?P<that>that\s+)|to\b|(?=(?:may|might|could|would|will|is|are|has|have)\b))"
)
#: An attribution inside the clause: "His plan, he stated, was for …".
_INSIDE = re.compile(
    rf"^(?P<first>[^,“”\"]{{3,}}?),\s+(?P<who>(?:[A-Z][\w'’.-]*|he|she|they|it)"
    rf"(?:\s+[A-Z][\w'’.-]*){{0,3}})\s+(?P<cue>{CLAIM_CUE.pattern}),\s+(?=[a-z])"
)


def find_claims(
    text: str, sents: list[Segment], people: People, quoted: list[tuple[int, int]], doc: Doc
) -> list[Claim]:
    """Every claim of the article; `quoted` are the quotes' spans (a quote is no claim)."""
    found: list[_Found] = []
    for sent in sents:
        body = sent.text
        previous: str | None = None  # "it"/"they" refer to the sentence's last claimant
        for cue in CLAIM_CUE.finditer(body):
            if not inside(sent.start + cue.start(), quoted):
                reported = _cue_claims(sent, cue, people, quoted, previous)
                previous = reported[-1][2] if reported else previous
                found.extend(reported)
        for match in _ACCORDING.finditer(body):
            found.extend(_according_claim(sent, match, people))
        found.extend(_agentless(sent, quoted) + _attributed_inside(sent, people, quoted))
    found.extend(_parsed(text, sents, found, quoted, reported_claims(doc, people), doc))
    for sent in sents:
        body = sent.text
        if (
            any(sent.start <= f[0] < sent.end for f in found)  # attributed
            or re.search('["“]', body)
            or not FINAL.search(body)
        ):
            continue
        if (guess := _AUTHOR.search(body)) is not None:
            # the sentence, or the part of it between semicolons that guesses
            first = body.rfind(";", 0, guess.start()) + 1
            last = body.find(";", guess.end())
            part = body[first : last if last >= 0 else len(body)]
            lead = len(part) - len(part.lstrip())
            start = sent.start + first + lead
            found.append((start, start + len(part.strip().rstrip(".!?\"'”’ ")), AUTHOR, "", True))
        elif (modal := speculation(doc, sent.start, sent.end)) is not None:
            found.append((*modal, AUTHOR, "", True))
    claims: list[Claim] = []
    found = [f for f in _split_coordinated(found, doc) if not _demand(f, doc)]
    for start, end, claimant, verb, hedged in found:
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e, *_ in found):
            continue  # nested in a wider claim
        if any(c.char_start == start for c in claims) or quoted_share(start, end, quoted) > 0.5:
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


def _parsed(
    text: str,
    sents: list[Segment],
    found: list[_Found],
    quoted: list[tuple[int, int]],
    parsed: list[_Found],
    doc: Doc,
) -> list[_Found]:
    """The parse's claims that no cue pattern found, cut where a claim ends (", saying",
    "and that", a new speaker) and kept within one sentence that is no question."""
    extra: list[_Found] = []
    for start, end, claimant, cue, hedged in parsed:
        sent = next((s for s in sents if s.start <= start < s.end), None)
        if sent is None or sent.text.rstrip("\"'”’) ").endswith("?"):
            continue
        end = min(end, sent.start + len(sent.text.rstrip()))
        ending = _CLAIM_END.search(text, start, end)
        end = ending.start() if ending else end
        end = start + len(text[start:end].rstrip(" .!?,;:"))
        if len(text[start:end].split()) < 3 or inside(start, quoted):
            continue
        if text[:start].rstrip()[-1:] in ("“", '"'):
            continue  # said "This will be …": a quotation (its closing mark lost), no claim
        for i, (s, e, who, verb, hedge) in enumerate(found):
            if s == start and verb == cue and _garbled(who, doc, sent):
                found[i] = (s, e, claimant, verb, hedge)  # the parse read the subject better
        if any(s < end and start < e for s, e, *_ in found + extra):
            continue  # the cue patterns found this claim already
        extra.append((start, end, claimant, cue, hedged))
    return extra


def _demand(found: _Found, doc: Doc) -> bool:
    """ "insisted that the union agree to …": a demand in the subjunctive (a bare verb
    after a singular subject), not an assertion."""
    start, end, _, cue, _ = found
    if (cue or "").lower() not in _DEMANDS:
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    verb = span.root
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    singular = bool(subjects) and subjects[0].tag_ in ("NN", "NNP")
    return verb.tag_ == "VB" or (verb.tag_ == "VBP" and singular)


def _words(doc: Doc, start: int, end: int) -> int:
    """Words between two character offsets of `doc` (not `doc.text`: O(doc) a call)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return 0 if span is None else len(span.text.split())


def _split_coordinated(found: list[_Found], doc: Doc) -> list[_Found]:
    """ "revealed that A and, further, B" where B has a subject of its own: two claims, A
    and B (one subject with two predicates stays one claim; the article's own claims are
    whole sentences)."""
    result: list[_Found] = []
    for start, end, claimant, cue, hedged in found:
        span = doc.char_span(start, end, alignment_mode="expand")
        parts: list[tuple[int, int]] = []
        if span is not None and claimant != AUTHOR:
            root, first = span.root, start
            # the clause's coordinated verbs, or the cue's when the parse hung them there
            others = [
                t
                for t in span
                if t.dep_ == "conj"
                and t.pos_ in ("VERB", "AUX")
                and t.i > root.i
                and (t.head == root or not span.start <= t.head.i < span.end)
            ]
            for other in others:
                subjects = [c for c in other.children if c.dep_ in ("nsubj", "nsubjpass")]
                if not subjects or subjects[0].lower_ in ("which", "who", "that"):
                    continue
                if subjects[0].i < root.i:
                    continue
                links = [c.i for c in (*root.children, *other.head.children) if c.dep_ == "cc"]
                cut = min([other.left_edge.i] + [i for i in links if root.i < i < other.i])
                last = doc[cut - 1]
                while last.i > root.i and (last.is_punct or last.dep_ == "cc"):
                    last = doc[last.i - 1]
                parts.append((first, last.idx + len(last.text)))
                first = subjects[0].left_edge.idx
            parts.append((first, end))
        if len(parts) > 1 and all(_words(doc, a, b) >= 3 for a, b in parts):
            result.extend((a, b, claimant, cue, hedged) for a, b in parts)
        else:
            result.append((start, end, claimant, cue, hedged))
    return result


def _garbled(claimant: str | None, doc: Doc, sent: Segment) -> bool:
    """A claimant the word patterns took from a clause, not a noun phrase: the parse has
    a verb in it ("Stock indexes worldwide rose", "Jobs welcomed everyone to the event
    and")."""
    at = sent.text.find(claimant) if claimant and claimant != AUTHOR else -1
    if at < 0:
        return False
    words = doc.char_span(sent.start + at, sent.start + at + len(claimant or ""), "expand")
    return words is not None and any(t.pos_ == "VERB" for t in words)


def _cue_claims(
    sent: Segment,
    cue: re.Match[str],
    people: People,
    quoted: list[tuple[int, int]],
    previous: str | None,
) -> list[_Found]:
    """Claims introduced by one cue verb: "X stated that A, and that B"."""
    body, verb = sent.text, cue.group(0)
    # "said Tuesday it would …": the day is when it was said, not part of the claim
    when = _WHEN.match(body, cue.end())
    after_cue = when.end() if when else cue.end()
    tail = body[after_cue:]
    opener = THAT.match(tail)
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
    position = after_cue + opener.end()
    while position < len(body):
        ending = _CLAIM_END.search(body, position)
        stop = ending.start() if ending else len(body)
        clause = body[position:stop].rstrip(" .!?,;:")
        start = sent.start + position
        words = len(clause.split())
        # a quoted sentence opening the clause is a quote; a quoted phrase is not
        opens_quote = re.match(r"[“\"]\s*[A-Z]", clause) is not None
        if words >= 3 and not opens_quote and not inside(start, quoted):
            claims.append((start, start + len(clause), claimant, verb, verb in HEDGING_CUES))
        if ending is None or not ending.group(0).rstrip().endswith("that"):
            break
        position = ending.end() + len(body[ending.end() :]) - len(body[ending.end() :].lstrip())
    return claims


def _sentence_span(sent: Segment) -> tuple[int, int]:
    """The sentence without its final punctuation."""
    body = sent.text.rstrip()
    return sent.start, sent.start + len(body.rstrip(".!?\"'”’ "))


def _agentless(sent: Segment, quoted: list[tuple[int, int]]) -> list[_Found]:
    """A passive report with no agent, claimant None: "it is feared that A" -> A; "This
    is said to be …", "…, as it is feared may be happening now, …" -> the sentence."""
    match = _AGENTLESS.search(sent.text)
    if match is None or inside(sent.start + match.start(), quoted):
        return []
    if quoted_share(sent.start, sent.end, quoted) > 0.3:
        return []
    cue = match.group("cue")
    if match.group("that") and re.search(r"\b[Ii]t\s*$", sent.text[: match.start()]):
        start = sent.start + match.end()
        end = _sentence_span(sent)[1]
        return [(start, end, None, cue, True)] if len(sent.text[start - sent.start :]) > 10 else []
    start, end = _sentence_span(sent)
    ending = _CLAIM_END.search(sent.text, match.end())
    if ending is not None:  # "This is said to be out of X, though it is interesting …"
        end = sent.start + ending.start()
    return [(start, end, None, cue, True)]


def _attributed_inside(
    sent: Segment, people: People, quoted: list[tuple[int, int]]
) -> list[_Found]:
    """ "This switch, he said, would happen next year": the whole sentence."""
    match = _INSIDE.match(sent.text)
    if match is None or quoted_share(sent.start, sent.end, quoted) > 0.3:
        return []
    who = parse_speaker(match.group("who"), people, sent.start + match.start("who"))
    if who is None:
        return []
    claimant = who.name if who.is_person else (who.name or who.title)
    if claimant is None:
        return []
    cue = match.group("cue")
    return [(*_sentence_span(sent), claimant, cue, cue in HEDGING_CUES)]


def _according_claim(sent: Segment, match: re.Match[str], people: People) -> list[_Found]:
    """ "According to X, A.", "A, according to X." or "A, according to X, B." (the
    attribution inside the clause: the whole sentence)."""
    body = sent.text
    who = parse_speaker(match.group("who"), people, sent.start + match.start())
    if who is None or len(match.group("who").split()) > 8:
        return []
    claimant = who.name if who.is_person else (who.name or who.title)
    # "according to company statistics": the company's own figures, so the company
    company = re.match(r"(?:the\s+)?company(?:'s)?\s+(?:statistics|figures|data)$", claimant or "")
    owner = people.organisation_before(sent.start + match.start()) if company else None
    claimant = owner or claimant
    inside_clause = (
        body[: match.start()].rstrip().endswith(",") and len(body[: match.start()].split()) >= 2
    )
    if body[match.end() :].startswith(",") and inside_clause:
        start, clause_end = 0, len(body)  # "The deal, according to X, is close."
    elif body[match.end() :].startswith(","):
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
