"""Who said it: cue verbs, names, titles, and the people an article mentions.

Heuristics for English news, used by the `rules` engine:

- a *cue* is a reporting verb ("said", "told", "warned", "stating", "according to");
- a *speaker phrase* ("General Dan Caine, U.S. Chairman of the Joint Chiefs of Staff",
  "Finance Minister Alexei Kudrin", "a top administration official") is split into a
  name and a title: the name is the capitalised run left after dropping titles,
  nationalities, possessives and organisation words ("Dan Caine"); the title is the
  appositive after the comma when there is one, else the words before the name;
- `People` remembers every person named so far, so a later "Caine" or "General Caine"
  becomes "Dan Caine", and "he"/"she" becomes the nearest person named before it. "They"
  is left unresolved (it names groups as often as people).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from difflib import SequenceMatcher


def _forms(*lemmas: str) -> set[str]:
    """Inflections of regular reporting verbs: state -> states, stated, stating."""
    forms: set[str] = set()
    for lemma in lemmas:
        if lemma.endswith("e"):
            forms |= {lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"}
        elif lemma.endswith("y") and lemma[-2] not in "aeiou":
            forms |= {lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
        else:
            forms |= {lemma, lemma + "s", lemma + "ed", lemma + "ing"}
    return forms


_IRREGULAR = {
    "say", "says", "said", "saying", "tell", "tells", "told", "telling",
    "write", "writes", "wrote", "writing", "speak", "speaks", "spoke", "speaking",
    "admit", "admits", "admitted", "admitting",
}  # fmt: skip
_REPORTING = _forms(
    "add", "state", "warn", "caution", "claim", "announce", "explain", "note", "argue",
    "insist", "ask", "reply", "comment", "remark", "emphasize", "emphasise", "stress",
    "mention", "observe", "acknowledge", "declare", "conclude", "confirm", "deny",
    "respond", "continue", "assert", "reveal", "concede", "indicate", "report",
)  # fmt: skip
_BELIEF = _forms(
    "believe", "expect", "predict", "estimate", "suggest", "envision", "forecast", "fear", "hope"
) | {"concerned", "worried", "convinced", "confident"}
#: Verbs that introduce a quotation.
QUOTE_CUES = frozenset(_IRREGULAR | _REPORTING | _forms("describe", "call", "dub", "quote"))
#: Verbs that introduce reported speech or a belief (a claim).
CLAIM_CUES = frozenset((_IRREGULAR - _forms("speak") - {"spoke"}) | _REPORTING | _BELIEF)
#: Cues that make whatever they introduce hedged.
HEDGING_CUES = frozenset(_BELIEF)
#: Words that make a claim hedged; used for the rules engine's and the model's claims alike.
HEDGES = re.compile(
    r"\b(?:may|might|could|would|likely|unlikely|possibly|probably|perhaps|expected|"
    r"reportedly|believed|estimated|appears?|seems?|should)\b"
)
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
#: Words that are part of a title, never of a person's name.
TITLES = frozenset(
    """
    general gen gen. lt lt. lieutenant colonel col col. admiral adm adm. captain capt capt.
    major maj sergeant sgt commander cmdr marshal president vice prime minister secretary
    chairman chairwoman chairperson chair chief director ceo cfo coo cto executive officer
    spokesman spokeswoman spokesperson senator sen sen. representative rep rep. congressman
    congresswoman governor gov gov. mayor premier chancellor king queen prince princess
    pope judge justice mr mr. mrs mrs. ms ms. dr dr. prof prof. professor sir lord dame
    analyst economist strategist leader head founder ambassador envoy deputy acting former
    foreign defence defense finance economy interior trade transport industry state staff
    managing editor correspondent spokesmen officials official member members
    """.split()
)
#: Words that make a capitalised run an organisation or a place, not a person.
NON_PERSON = frozenset(
    """
    korea japan china russia states kingdom union america europe asia africa india
    bank motors motor company corp corp. inc inc. ltd group airlines airways union senate
    congress government ministry department agency agencies news times post council
    commission university institute association party capital exchange exchanges market
    markets airbus boeing apple fiat reuters nasdaq treasury court parliament army navy
    force forces house office administration workers centre center fund federal national
    international street journal press network corporation industries holdings partners
    american british russian chinese japanese korean german french indonesian european
    australian canadian italian indian israeli iranian ukrainian asian african arab
    south north east west central united joint republican democratic
    monday tuesday wednesday thursday friday saturday sunday january february march april
    june july august september october november december
    australia canada germany france britain england scotland ireland italy spain portugal
    brazil mexico argentina indonesia singapore malaysia thailand vietnam philippines
    pakistan iran iraq israel egypt turkey ukraine kuwait qatar arabia taiwan hong kong
    london paris berlin tokyo beijing moscow seoul brussels geneva sydney melbourne
    california texas florida ohio michigan detroit chicago virginia delaware
    """.split()
)
#: Words that mark a capitalised run as an organisation ("the company" may refer to it).
ORGANISATION_WORDS = frozenset(
    """
    bank motors motor company corp corp. inc inc. ltd group airlines airways corps
    agency council commission university institute association party exchange
    nasdaq airbus boeing apple fiat reuters corporation industries holdings partners
    workers union
    """.split()
)
#: Generic nouns that refer back to the organisation named last ("the company said").
GENERIC_ORGANISATIONS = frozenset(
    "company firm carrier airline automaker carmaker manufacturer maker group bank".split()
)
#: Honorifics: a single name after one is still a person ("Mr MacFarlane").
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame".split())
#: Capitalised words that open a sentence without being part of a name.
_FUNCTION_STARTS = frozenset("in on at as of for by with after before but and".split())
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its"})
#: Words that open an introductory phrase before the subject ("On Friday, he said").
INTRO = frozenset(
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


def _alternation(words: frozenset[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


QUOTE_CUE = re.compile(rf"(?<![\w-])(?:{_alternation(QUOTE_CUES)})\b")
CLAIM_CUE = re.compile(rf"(?<![\w-])(?:{_alternation(CLAIM_CUES)})\b")
_AS_SAYING = re.compile(r"\bquoted\s+(?P<who>.+?)\s+as\s+saying\b")
_ACCORDING_TO = re.compile(r"^\s*[Aa]ccording to\s+(?P<who>[^,;“”\"]{2,80}?),")
_AFTER_CUE_FIRST = re.compile(rf"^[\s,]*(?P<cue>{QUOTE_CUE.pattern})\s+(?P<who>[^“”\"]+)$")
_AFTER_WHO_FIRST = re.compile(
    rf"^[\s,]*(?P<who>[^,;:“”\"]{{1,80}}?)\s+(?P<cue>{QUOTE_CUE.pattern})(?:\b[^“”\"]*)?$"
)
_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_TOKEN = rf"(?:[{_UPPER}][\w'’.&-]*|&)"
CAPITALISED_RUN = re.compile(
    rf"{_TOKEN}(?:[ \t]+(?:(?:of|of the|de|da|van|von|bin|al)[ \t]+)?{_TOKEN})*"
)
_NAME_TOKEN = re.compile(rf"^(?:[{_UPPER}][\w'’-]*|[{_UPPER}]\.|Jr\.|Sr\.)$")
_PLAIN_NAME = re.compile(r"^(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:[-'’][A-Za-z]+)?$")
_CONNECTORS = frozenset({"of", "the", "&", "de", "da", "van", "von", "bin", "al"})
_WORD = re.compile(r"[\w'’.&$-]+")
_LOCAL_CLAUSE = re.compile(
    r",\s+(?:and|but|although|though|while|whereas|because|so)\s+|;\s+|\bthat\s+"
    r"|\s(?:and|but)\s+(?=[a-z])"
)
_LEADING_NP = re.compile(
    rf"(?:(?:The|the|A|a|An|an)\s+)?({_TOKEN}(?:\s+(?:of\s+)?{_TOKEN})*|[Hh]e|[Ss]he|[Tt]hey)\b"
)
#: A time phrase after the speaker ("said Ana Costa on Monday") is not part of the name.
_TIME_TAIL = re.compile(
    r"\s+(?:on|in|at|during|last|this|early|late|from)?\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)"
    r"day|today|yesterday|tomorrow|january|february|march|april|may|june|july|august|september"
    r"|october|november|december|\d{4})\b.*$",
    re.IGNORECASE,
)
_PREPOSITIONS = frozenset({"of", "in", "at", "for", "from", "with", "by", "on", "to"})
_SUBORDINATORS = frozenset({"although", "though", "while", "when", "because", "if", "as",
                            "since", "but", "and", "so", "whereas"})  # fmt: skip


@dataclass(frozen=True)
class Attribution:
    """Who: a person's name, an organisation or a description; and their title."""

    name: str | None
    title: str | None
    is_person: bool = False


@dataclass
class People:
    """Persons named in one article, in order, to expand short names and pronouns; and
    organisations, so that "the company" becomes the one named last."""

    _by_surname: dict[str, str] = field(default_factory=dict)
    _positions: list[int] = field(default_factory=list)
    _names: list[str] = field(default_factory=list)
    _org_positions: list[int] = field(default_factory=list)
    _orgs: list[str] = field(default_factory=list)

    def add(self, name: str, position: int) -> str:
        """Record a mention of `name` at `position`; return its fullest known form."""
        full = self.expand(name)
        surname = full.split()[-1]
        if len(full.split()) > len(self._by_surname.get(surname, "").split()):
            self._by_surname[surname] = full
        index = bisect_right(self._positions, position)
        self._positions.insert(index, position)
        self._names.insert(index, full)
        return full

    def expand(self, name: str) -> str:
        known = self._by_surname.get(_surname_key(self._by_surname, name.split()[-1]))
        if known and set(name.split()[:-1]) <= set(known.split()):
            return known
        return name

    def knows(self, name: str) -> bool:
        return _surname_key(self._by_surname, name.split()[-1]) in self._by_surname

    def add_organisation(self, name: str, position: int) -> None:
        index = bisect_right(self._org_positions, position)
        self._org_positions.insert(index, position)
        self._orgs.insert(index, name)

    def organisation_before(self, position: int) -> str | None:
        """The organisation named last before `position`."""
        index = bisect_right(self._org_positions, position)
        return self._orgs[index - 1] if index else None

    def before(self, position: int) -> str | None:
        """The person named last before `position`."""
        index = bisect_right(self._positions, position)
        return self._names[index - 1] if index else None


def _surname_key(known: dict[str, str], surname: str) -> str:
    """`surname`, or a known surname it misspells (a transposition or one letter off:
    "DesRoiser" for "DesRosier"); only for names of six letters or more."""
    if surname in known or len(surname) < 6:
        return surname
    for other in known:
        if (
            other[:1] == surname[:1]
            and abs(len(other) - len(surname)) <= 1
            and SequenceMatcher(None, other, surname).ratio() >= 0.85
        ):
            return other
    return surname


def scan_people(text: str) -> People:
    """Persons named with a title before ("Finance Minister Alexei Kudrin", "Mr Howard")
    or an appositive after ("Fritz Henderson, the Chief Executive Officer"), and short
    forms of names already seen; organisations (runs with a word such as "Airlines",
    "Company", or an acronym such as "GM")."""
    people = People()
    for run in CAPITALISED_RUN.finditer(text):
        tokens = run.group(0).split()
        if (organisation := _organisation(tokens)) is not None:
            people.add_organisation(organisation, run.start())
        name = person_name(tokens)
        if name is None:
            continue
        word_before = _word_before(text, run.start())
        honorific = len(tokens) > 1 and tokens[0].lower() in HONORIFICS
        titled = len(name.split()) < len(tokens) or word_before in TITLES
        after = text[run.end() : run.end() + 40]
        appositive = re.match(r",\s+(?:the |a |an )?\S+", after) is not None and any(
            w.lower().strip(",") in TITLES for w in after.split()[:5]
        )
        # A bare name of two or three Titlecase words is a person unless a preposition
        # ("in Kuala Lumpur") or a quotation mark ("New GM") comes right before it.
        bare = (
            name == run.group(0).rstrip(".,")
            and 2 <= len(tokens) <= 3
            and all(_PLAIN_NAME.match(t) for t in name.split())
            and _word_before(text, run.start()) not in _PREPOSITIONS
            and text[run.start() - 1 : run.start()] not in ("“", '"')
        )
        if (
            ((titled or appositive or bare) and len(name.split()) >= 2)
            or honorific
            or people.knows(name)
        ):
            people.add(name, run.start())
    return people


def _organisation(tokens: list[str]) -> str | None:
    """The run as an organisation's name, or None (possessive and punctuation dropped)."""
    words = [re.sub(r"['’]s$", "", t.strip(".,;:")) for t in tokens]
    while words and words[0].lower() in DETERMINERS | _FUNCTION_STARTS:
        words.pop(0)
    if not words:
        return None
    acronym = len(words) == 1 and re.fullmatch(r"[A-Z]{2,6}", words[0]) is not None
    if acronym and words[0] not in ("US", "UK", "EU", "UTC", "CEO", "CFO"):
        return words[0]
    if any(w.lower() in ORGANISATION_WORDS for w in words):
        return " ".join(words)
    return None


def person_name(tokens: list[str]) -> str | None:
    """The person's name at the end of a capitalised run, without titles, or None."""
    tokens = [t.rstrip(",;:") for t in tokens]
    if tokens and tokens[-1].endswith(".") and not _NAME_TOKEN.match(tokens[-1]):
        tokens[-1] = tokens[-1].rstrip(".")
    start, organisation = 0, False
    for index, token in enumerate(tokens):
        bare = token.lower()
        if bare in NON_PERSON:
            start, organisation = index + 1, True
        elif (
            bare in TITLES
            or bare.rstrip(".") in TITLES
            or (bare in _CONNECTORS and index < len(tokens) - 2)
            or (bare in DETERMINERS and index == 0)
            or token.endswith(("'s", "’s"))
            or "." in token.rstrip(".")
        ):
            start, organisation = index + 1, False
    name = tokens[start:]
    if organisation and len(name) < 2:
        return None  # "Apple Computer", "North Rhine-Westphalia"
    if not 1 <= len(name) <= 4 or not all(_NAME_TOKEN.match(t) for t in name):
        return None
    if any(t.lower() in NON_PERSON or t.lower() in TITLES for t in name):
        return None
    return " ".join(name)


def parse_speaker(phrase: str, people: People, position: int) -> Attribution | None:
    """Split a speaker phrase into name and title. None when it is not a noun phrase.

    A person gets their fullest known name; an organisation the capitalised run that
    ends the phrase ("Russian news outlet RIA" -> "RIA"); a description with no name
    ("a top administration official", "the premier of the state of Hesse") only a title;
    "the company" the organisation named last."""
    described = _TIME_TAIL.sub("", phrase.strip(" \t,;:.—–-")).strip(" \t,;:.—–-")
    phrase = _strip_determiners(described)
    if not phrase:
        return None
    if phrase.lower() in GENERIC_ORGANISATIONS:
        return Attribution(people.organisation_before(position), None)
    if phrase.lower() in PRONOUNS:
        if phrase.lower() in ("he", "she"):
            name = people.before(position)
            return Attribution(name, None, is_person=name is not None)
        return Attribution(None, None)
    head, _, tail = phrase.partition(", ")
    appositive = _strip_determiners(tail.strip(" ,")) or None
    if len(head.split()) > 12:
        return None
    if appositive and _is_bare_name(appositive) and not head[:1].isupper():
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
    after_preposition = bool(before_run) and before_run[-1].lower() in _PREPOSITIONS
    if name is not None and not (after_preposition and len(name.split()) < 2):
        title = appositive or " ".join([*before_run, *trailing.split()[: -len(name.split())]])
        return Attribution(people.expand(name), title or None, is_person=True)
    if after_preposition and head[:1].islower() and _organisation(trailing.split()) is None:
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
        if len(phrase.split()) <= 8 and (phrase[:1].isupper() or phrase.split()[0] in (
            "he", "she", "they", "a", "an", "the",
        )):  # fmt: skip
            return parse_speaker(phrase, people, position), match.group("cue")
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
        if comma and (head in INTRO or unnamed):
            clause = rest
            continue
        if head in _SUBORDINATORS and " " in clause:
            clause = clause.split(" ", 1)[1]
            continue
        return clause


def expand_acronym(name: str, text: str) -> str:
    """ "UAW" -> "United Auto Workers" when the text spells it out somewhere: by initials,
    else by word prefixes ("SIA" -> "Singapore Airlines": "Si" + "A")."""
    if not re.fullmatch(r"[A-Z]{2,6}", name):
        return name
    runs = [run.group(0).rstrip(".,") for run in CAPITALISED_RUN.finditer(text)]
    for run in runs:
        words = [w for w in run.split() if w[:1].isupper()]
        if len(words) == len(name) and "".join(w[0] for w in words) == name:
            return run
    for run in runs:
        words = run.split()
        if 2 <= len(words) < len(name) and _spells(name.lower(), [w.lower() for w in words]):
            return run
    return name


def _spells(letters: str, words: list[str]) -> bool:
    """Whether `letters` is a non-empty prefix of each word in turn, all consumed."""
    if not words:
        return not letters
    first = words[0]
    return any(
        _spells(letters[size:], words[1:])
        for size in range(1, min(len(first), len(letters) - len(words) + 1) + 1)
        if first.startswith(letters[:size])
    )


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


def _is_bare_name(phrase: str) -> bool:
    tokens = phrase.split()
    return 2 <= len(tokens) <= 4 and person_name(tokens) == phrase


def _word_before(text: str, start: int) -> str:
    words = _WORD.findall(text[max(0, start - 30) : start])
    return words[-1].lower() if words else ""
