"""Who said it: cue verbs, and the speaker phrase around a quotation or a claim.

Heuristics for English news:

- a *cue* is a reporting verb ("said", "told", "warned", "stating", "according to");
- a *speaker phrase* ("General Dan Caine, U.S. Chairman of the Joint Chiefs of Staff",
  "Finance Minister Alexei Kudrin", "a top administration official") is split into a
  name and a title: the name as `people.person_name` reads it ("Dan Caine"); the title
  is the appositive after the comma when there is one, else the words before the name;
- "he"/"she" is the nearest person named before; "they" is left unresolved (it names
  groups as often as people); "the company" is the organisation named last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractor.rules.entities import Entities
from extractor.rules.people import (
    CAPITALISED_RUN,
    TOKEN,
    People,
    is_bare_name,
    organisation_name,
    person_name,
)
from extractor.text.lexicon import (
    CLAIM_CUES,
    DETERMINERS,
    GENERIC_ORGANISATIONS,
    MONTH_NAMES,
    PREPOSITIONS,
    PRONOUNS,
    QUOTE_CUES,
    WEEKDAYS,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Words that open an introductory phrase before the subject ("On Friday, he said").
_INTRO = frozenset(
    """
    in on of at for regarding speaking during after before as with expanding responding
    describing following despite although though while when meanwhile however also later
    earlier then today yesterday but and so by from asked according adding rather instead
    unlike like because if since until once whether given amid under over to within
    across throughout among besides beyond through
    """.split()
)
#: Adverbs and auxiliaries between a subject and its cue ("has also stated").
_FILLERS = frozenset(
    """
    also has have had will would then later first meanwhile previously reportedly however
    now already publicly further again once still repeatedly recently earlier today
    yesterday to on went go goes did does not is are was were
    """.split()
)
_SUBORDINATORS = frozenset({"although", "though", "while", "when", "because", "if", "as",
                            "since", "but", "and", "so", "whereas"})  # fmt: skip


def _alternation(words: frozenset[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


QUOTE_CUE = re.compile(rf"(?<![\w-])(?:{_alternation(QUOTE_CUES)})\b")
CLAIM_CUE = re.compile(rf"(?<![\w-])(?:{_alternation(CLAIM_CUES)})\b")
_AS_SAYING = re.compile(r"\bquoted\s+(?P<who>.+?)\s+as\s+saying\b")
_ACCORDING_TO = re.compile(r"^\s*[Aa]ccording to\s+(?P<who>[^,;“”\"]{2,80}?),")
_AFTER_CUE_FIRST = re.compile(rf"^[\s,]*(?P<cue>{QUOTE_CUE.pattern})\s+(?P<who>[^“”\"]+)$")
_AFTER_WHO_FIRST = re.compile(
    r"^[\s,]*(?P<who>[^,;:“”\"]{1,80}?(?:,\s*[^,;:“”\"]{1,60}?,)?)"  # "X, D-Calif.,"
    rf"\s+(?P<cue>{QUOTE_CUE.pattern})(?:\b[^“”\"]*)?$"
)
_ACCORDING_AFTER = re.compile(r"^[\s,]*according\s+to\s+(?P<who>[^,;:“”\"]{2,80}?)[\s,.;]*$")
#: Words a lowercase speaker phrase after a quotation may open with ("one aide said").
_SPEAKER_OPENERS = frozenset(
    "he she they a an the one another two three some several his her their its this that".split()
)
#: A party and state after a name: "Adam Schiff (D-Calif.)", "Nancy Pelosi, D-Calif.".
_PARTY = re.compile(r"\s*\((?:[DRI]|[DRI]-[A-Z][\w. ]*)\)|,\s*[DRI]-[A-Z][\w. ]*\.?(?=,|$)")
_LOCAL_CLAUSE = re.compile(
    r",\s+(?:and|but|although|though|while|whereas|because|so)\s+|;\s+|\bthat\s+"
    r"|\s(?:and|but)\s+(?=[a-z])"
)
_LEADING_NP = re.compile(
    rf"(?:(?:The|the|A|a|An|an)\s+)?({TOKEN}(?:\s+(?:of\s+)?{TOKEN})*|[Hh]e|[Ss]he|[Tt]hey)\b"
)
#: A time phrase after the speaker ("said Ana Costa on Monday") is not part of the name.
_NUMBER = (
    r"(?:\d[\d.,]*|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|hundred|half|third|quarter)"
)
#: A bare share or number: "Forty-one percent", "58%", "Two", "a third".
_SHARE = re.compile(rf"^{_NUMBER}(?:[\s-]+{_NUMBER})*\s*(?:%|percent|per\s+cent)?$", re.I)
_TIME_TAIL = re.compile(
    r"\s+(?:on|in|at|during|last|this|early|late|from)?\s*(?:"
    + "|".join(day.lower() for day in WEEKDAYS)
    + r"|today|yesterday|tomorrow|"
    + "|".join(MONTH_NAMES)
    + r"|\d{4})\b.*$",
    re.IGNORECASE,
)


def speaker_from_parse(
    doc: Doc, start: int, end: int, quoted: tuple[int, int], entities: Entities
) -> str | None:
    """The canonical name of the subject of a cue verb in [start, end) outside the quote
    `quoted` (`"…," said X`, `X, the Y of Z, said`, `he said`), or None when the parse
    gives none that is a person or an organisation. A conjoined cue takes its head verb's
    subject ("X expressed … and described him as …"); an apposition naming someone is the
    name ("said the strategist, Bill Strazzullo")."""
    window = doc.char_span(start, end, alignment_mode="expand") or ()
    cues = [t for t in window if t.lower_ in QUOTE_CUES and not quoted[0] <= t.idx < quoted[1]]
    # the cue nearest the quotation first ("X said that …, with Y saying “…”": Y)
    cues.sort(key=lambda t: min(abs(t.idx - quoted[0]), abs(t.idx - quoted[1])))
    for token in cues:
        for child in _subjects(token):
            named = [t for t in child.rights if t.dep_ == "appos" and t.ent_type_ in _NAMED]
            for appos in named:
                named_span = next((e for e in doc.ents if e.start <= appos.i < e.end), None)
                if (
                    named_span is not None
                    and (name := entities.resolve(*_chars(named_span))) is not None
                ):
                    return name
            described = any(t.dep_ in ("prep", "relcl", "acl") for t in child.rights)
            if described and child.ent_type_ not in _NAMED:
                # "the senator from Vermont": someone named with that title before, else a
                # description ("the premier of North Rhine-Westphalia")
                definite = any(t.dep_ == "det" and t.lower_ == "the" for t in child.lefts)
                holder = entities.titled_before(child.idx, child.lower_) if definite else None
                if holder is not None:
                    return holder.name
                continue
            last = child.idx + len(child.text)
            if child.pos_ == "NOUN" and not child.ent_type_:
                # "the minister", "a senior White House official": a nominal, whatever
                # names modify it
                determiners = [t.lower_ for t in child.lefts if t.dep_ in ("det", "poss")]
                name = entities.refer([*determiners[:1], child.lower_], child.idx, last)
                if name is not None:
                    return name
                continue
            modifiers = ("compound", "flat", "det", "amod")
            words = [child, *(t for t in child.lefts if t.dep_ in modifiers)]
            first = min(w.idx for w in words)
            if (name := entities.resolve(first, last)) is not None:
                return name
    return None


_NAMED = ("PERSON", "ORG")


def _subjects(verb: Token) -> list[Token]:
    """The verb's subjects, or its head's for a verb conjoined to it."""
    while True:
        found = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if found or verb.dep_ != "conj" or verb.head is verb:
            return found
        verb = verb.head


def _chars(span: Span) -> tuple[int, int]:
    return span.start_char, span.end_char


def is_name(name: str, entities: Entities) -> bool:
    """Whether `name` is a person's or an organisation's name: one of the document's
    entities, or a full name of two words or more that is no place."""
    if entities.canonical(name) is not None:
        return True
    return is_bare_name(name) and not any(
        entities.is_place(m.start(), m.end()) for m in re.finditer(re.escape(name), entities.text)
    )


@dataclass(frozen=True)
class Attribution:
    """Who: a person's name, an organisation or a description; and their title."""

    name: str | None
    title: str | None
    is_person: bool = False


def parse_speaker(phrase: str, people: People, position: int) -> Attribution | None:
    """Split a speaker phrase into name and title. None when it is not a noun phrase.

    A person gets their fullest known name; an organisation the capitalised run that
    ends the phrase ("Russian news outlet RIA" -> "RIA"); a description with no name
    ("a top administration official", "the premier of the state of Hesse") only a title;
    "the company" the organisation named last."""
    described = _TIME_TAIL.sub("", _PARTY.sub("", phrase.strip(" \t,;:.—–-")))
    described = described.strip(" \t,;:.—–-")
    phrase = _strip_determiners(described)
    if not phrase or _SHARE.match(phrase):
        return None  # "Forty-one percent said …": a share of someone, no speaker
    if phrase.lower() in GENERIC_ORGANISATIONS:
        # "the company said": the one named last, else the description
        named = people.organisation_before(position)
        return Attribution(named, None if named else phrase.lower())
    if phrase.lower() in PRONOUNS:
        if phrase.lower() in ("he", "she"):
            name = people.before(position)
            return Attribution(name, None, is_person=name is not None)
        return Attribution(None, None)
    head, _, tail = phrase.partition(", ")
    appositive = _strip_determiners(tail.strip(" ,")) or None
    if len(head.split()) > 12:
        return None
    if appositive and is_bare_name(appositive) and not head[:1].isupper():
        return Attribution(people.expand(appositive), head, is_person=True)
    leading = CAPITALISED_RUN.match(head)
    rest = head[leading.end() :].split() if leading else []
    if leading and rest and rest[0].lower() in DETERMINERS:
        # "Peter Boockvar an equity strategist for Miller Tabak"
        name = person_name(leading.group(0).split())
        if name is not None:
            return Attribution(
                people.expand(name), appositive or _strip_determiners(" ".join(rest)), True
            )
    trailing = _trailing_run(head)
    if trailing is None:
        title = f"{head}, {appositive}" if appositive else head
        if any(w[:1].isupper() for w in head.split()):
            return Attribution(head, appositive)
        return Attribution(None, title)
    name = person_name(trailing.split())
    before_run = head[: len(head) - len(trailing)].split()
    after_preposition = bool(before_run) and before_run[-1].lower() in PREPOSITIONS
    if name is not None and not (after_preposition and len(name.split()) < 2):
        title = appositive or " ".join([*before_run, *trailing.split()[: -len(name.split())]])
        return Attribution(people.expand(name), title or None, is_person=True)
    if after_preposition and head[:1].islower() and organisation_name(trailing.split()) is None:
        return Attribution(None, described)  # "the premier of North Rhine-Westphalia"
    return Attribution(trailing, appositive or " ".join(before_run) or None)


def speaker_after(
    after: str, people: People, position: int
) -> tuple[Attribution | None, str | None]:
    """`"…," said X` or `"…," X said` right after the closing mark."""
    if (saying := _AS_SAYING.search(after[:80])) is not None:
        return parse_speaker(saying.group("who"), people, position), "saying"
    if (match := _AFTER_CUE_FIRST.match(after)) is not None:
        who = parse_speaker(match.group("who"), people, position)
        if who is not None and who.name:
            return who, match.group("cue")
    if (match := _AFTER_WHO_FIRST.match(after)) is not None:
        phrase = match.group("who").strip()
        if len(phrase.split()) <= 10 and (
            phrase[:1].isupper() or phrase.split()[0] in _SPEAKER_OPENERS
        ):
            return parse_speaker(phrase, people, position), match.group("cue")
    if (according := _ACCORDING_AFTER.match(after)) is not None:
        return parse_speaker(according.group("who"), people, position), "according to"
    return None, None


def speaker_before(
    text: str, sentence_start: int, prefix_start: int, open_at: int, people: People
) -> tuple[Attribution | None, str | None]:
    """The subject of the last cue verb before the opening mark, in its sentence, or X
    of "according to X"; the cue is looked for after any earlier quotation in the
    sentence (from `prefix_start`). A belief verb ("believes", "expected") counts when
    no speech verb does."""
    prefix = text[prefix_start:open_at]
    if (saying := _AS_SAYING.search(prefix)) is not None:
        return parse_speaker(saying.group("who"), people, prefix_start), "saying"
    if (according := _ACCORDING_TO.search(prefix)) is not None:
        return parse_speaker(according.group("who"), people, prefix_start), "according to"
    cues = list(QUOTE_CUE.finditer(prefix)) or list(CLAIM_CUE.finditer(prefix))
    if cues:
        cue = cues[-1]
        participle = cue.group(0).endswith("ing")
        at = prefix_start + cue.start()
        subject = subject_of(text[sentence_start if participle else prefix_start : at], participle)
        if subject:
            return parse_speaker(subject, people, at), cue.group(0)
        return None, cue.group(0)
    if prefix.rstrip().endswith((":", ",")) and (subject := subject_of(prefix, True)):
        return parse_speaker(subject, people, prefix_start), None
    return None, None


def subject_of(clause: str, participle: bool) -> str | None:
    """The subject phrase of a clause that ends just before a cue verb: the words right
    before the cue ("Finance Minister Alexei Kudrin", "he"); for a participle cue
    ("…, stating") or a verb with no subject of its own ("… and described"), the clause's
    first noun phrase. A named subject with an appositive ("Art Levinson, chairman of
    Genentech, adds") or a relative "who" ("… by Charles O'Reilly, an expert, who
    stated") is the name with its appositive."""
    clause = _strip_intro(clause.strip())
    if not participle and (named := _named_subject(clause)) is not None:
        return named
    if not participle:
        local = _LOCAL_CLAUSE.split(clause)[-1]
        words = local.rstrip(" ,").split()
        while words and (
            words[-1].lower().strip(",") in _FILLERS
            or words[-1].endswith("ly,")
            or (words[-1].lower() in QUOTE_CUES and words[-1].endswith(("ed", "aid", "old")))
        ):
            words.pop()
        if words and words[-1].lower() in PRONOUNS:
            return words[-1]
        phrase = " ".join(words)
        if (
            words
            and (words[0][:1].isupper() or words[0].lower() in DETERMINERS)
            and len(words) <= 12
            and not re.search(r"[;:“”\"]", phrase)
        ):
            return phrase
    match = _LEADING_NP.match(clause)
    return match.group(1) if match else None


def _named_subject(clause: str) -> str | None:
    """ "Name, appositive," or "… Name, appositive, who" before a cue, else None."""
    relative = re.search(r",?\s+who\s*$", clause)
    body = clause[: relative.start()] if relative else clause.rstrip()
    if not relative and not body.endswith(","):
        return None
    body = body.rstrip(" ,")
    if re.search(r"[;:“”\"]", body):
        return None
    for run in CAPITALISED_RUN.finditer(body):
        if relative is None and run.start() > 0:
            return None  # the name must open the clause: "Art Levinson, chairman …,"
        name = person_name(run.group(0).split())
        rest = body[run.end() :]
        appositive = rest.startswith(", ") or (relative is not None and not rest)
        if name and len(name.split()) >= 2 and appositive and len(rest.split()) <= 15:
            return body[run.start() :]
    return None


def _strip_intro(clause: str) -> str:
    """Drop introductory phrases: "On Friday, ", "In a statement, ", "Although "."""
    while True:
        clause = re.sub(r"^[Aa]ccording to\s+", "", clause)
        first, comma, rest = clause.partition(", ")
        words = first.split()
        head = words[0].lower() if words else ""
        unnamed = (
            len(words) > 1
            and head not in PRONOUNS
            and not any(w[:1].isupper() for w in words[1:])
            and words[1].lower() not in QUOTE_CUES | CLAIM_CUES  # "Jobs acknowledged …, "
        )
        if comma and (head in _INTRO or unnamed):
            clause = rest
            continue
        if head in _SUBORDINATORS and " " in clause:
            clause = clause.split(" ", 1)[1]
            continue
        return clause


def _strip_determiners(phrase: str) -> str:
    words = phrase.split()
    while words and words[0].lower() in DETERMINERS:
        words.pop(0)
    return " ".join(words)


def _trailing_run(head: str) -> str | None:
    runs = list(CAPITALISED_RUN.finditer(head))
    if runs and runs[-1].end() >= len(head.rstrip(" .,")):
        return runs[-1].group(0).rstrip(" .,")
    return None
