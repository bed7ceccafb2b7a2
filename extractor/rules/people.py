"""The people and organisations an article names, and how to read a name.

- A *name* is the capitalised run left after dropping titles, nationalities, possessives
  and organisation words ("General Dan Caine" -> "Dan Caine").
- `People` remembers every person named so far, so a later "Caine" or "General Caine"
  becomes "Dan Caine", and "he"/"she" becomes the nearest person named before it; and
  every organisation, so "the company" becomes the one named last.
- An acronym is expanded when the article spells it out ("UAW" -> "United Auto Workers").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from extractor.text.lexicon import (
    DETERMINERS,
    HONORIFICS,
    NON_PERSON,
    ORGANISATION_WORDS,
    PREPOSITIONS,
    TITLE_WORDS,
)

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
TOKEN = rf"(?:[{_UPPER}][\w'’.&-]*|&)"
#: A run of capitalised words, possibly joined by "of", "de", "van", ...
CAPITALISED_RUN = re.compile(
    rf"{TOKEN}(?:[ \t]+(?:(?:of|of the|de|da|van|von|bin|al)[ \t]+)?{TOKEN})*"
)
_NAME_TOKEN = re.compile(rf"^(?:[{_UPPER}][\w'’-]*|[{_UPPER}]\.|Jr\.|Sr\.)$")
_PLAIN_NAME = re.compile(r"^(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:[-'’][A-Za-z]+)?$")
_CONNECTORS = frozenset({"of", "the", "&", "de", "da", "van", "von", "bin", "al"})
#: Capitalised words that open a sentence without being part of a name.
_FUNCTION_STARTS = frozenset("in on at as of for by with after before but and".split())
_WORD = re.compile(r"[\w'’.&$-]+")


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

    def mentions(self) -> list[tuple[str, int]]:
        """Every person mention recorded: (fullest known name, position), in order."""
        return list(zip(self._names, self._positions, strict=True))

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
        if (organisation := organisation_name(tokens)) is not None:
            people.add_organisation(organisation, run.start())
        name = person_name(tokens)
        if name is None:
            continue
        word_before = _word_before(text, run.start())
        honorific = len(tokens) > 1 and tokens[0].lower() in HONORIFICS
        titled = len(name.split()) < len(tokens) or word_before in TITLE_WORDS
        after = text[run.end() : run.end() + 40]
        appositive = re.match(r",\s+(?:the |a |an )?\S+", after) is not None and any(
            w.lower().strip(",") in TITLE_WORDS for w in after.split()[:5]
        )
        # A bare name of two or three Titlecase words is a person unless a preposition
        # ("in Kuala Lumpur") or a quotation mark ("New GM") comes right before it.
        bare = (
            name == run.group(0).rstrip(".,")
            and 2 <= len(tokens) <= 3
            and all(_PLAIN_NAME.match(t) for t in name.split())
            and word_before not in PREPOSITIONS
            and text[run.start() - 1 : run.start()] not in ("“", '"')
        )
        if (
            ((titled or appositive or bare) and len(name.split()) >= 2)
            or honorific
            or people.knows(name)
        ):
            people.add(name, run.start())
    return people


def organisation_name(tokens: list[str]) -> str | None:
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
            bare in TITLE_WORDS
            or bare.rstrip(".") in TITLE_WORDS
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
    if any(t.lower() in NON_PERSON or t.lower() in TITLE_WORDS for t in name):
        return None
    return " ".join(name)


def is_bare_name(phrase: str) -> bool:
    """Two to four words that are a person's name and nothing else."""
    tokens = phrase.split()
    return 2 <= len(tokens) <= 4 and person_name(tokens) == phrase


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


def _word_before(text: str, start: int) -> str:
    words = _WORD.findall(text[max(0, start - 30) : start])
    return words[-1].lower() if words else ""
