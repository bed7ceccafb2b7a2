"""French speaker phrases: what a phrase next to a French cue names (the cues and where
they stand: `french_attribution`), read with patterns and the article's own words, no parse.

- A speaker phrase gives a name (the last capitalised run: `Mme Fatou Bensouda` ->
  `Fatou Bensouda`, or the head when it is a name: `Gérald Karsenti, PDG de HP France`)
  and a title (the rest).
- A pronoun (`il`, `elle`) is the subject of the sentences before, back to the first that
  names someone of its gender (a sentence that opens with a quotation has that
  quotation's speaker as its subject).
- A role noun with no name (`le graphiste`, `son complice`, `l'ONG`) is the name the
  article introduced with it (`le graphiste portugais Miguel Neiva`; an organisation noun
  takes any organisation so introduced, and `les militants du X` introduce X); a role
  with a complement (`la porte-parole de la fédération`) is kept as written.
- An acronym is spelt out where the article does.
- A sentence's subject is the phrase before its first auxiliary, clitic or comma, after a
  date line and introductory phrases.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from extractor.rules.people import expand_acronym
from extractor.text.lexicon import (
    FRENCH_DETERMINERS,
    FRENCH_FEMININE,
    FRENCH_HONORIFICS,
    FRENCH_INSTITUTIONS,
    FRENCH_MASCULINE,
    FRENCH_MEMBER_NOUNS,
    FRENCH_ORGANISATION_NOUNS,
    FRENCH_PERSON_NOUNS,
)
from extractor.text.segment import Segment

_ROLE_ACRONYMS = frozenset({"ong", "pdg"})
_MEMBERS = re.compile(
    rf"\b(?:{'|'.join(sorted(FRENCH_MEMBER_NOUNS))})\s+(?:de\s+|d['’]|du\s+)"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*)*)"
)
PRONOUN = re.compile(r"^(?:il|elle|ils|elles)\b", re.IGNORECASE)
#: What opens a sentence before its subject: a date line ("16 juin 2012. - "), an
#: introductory phrase ending in a comma ("Dès 1976, ", "Alors que …, ").
DATELINE = re.compile(r"^\s*(?:[A-ZÀ-Þ][\w' -]*,\s*)?\d{1,2}\s+\w+\s+\d{4}\.?\s*[-–—]\s*")
LEAD_IN = re.compile(
    r"^(?:(?:dès|alors|lors|après|avant|pour|en|dans|depuis|ensuite|puis|enfin|cependant|selon|"
    r"interrogée?s?|invitée?s?|contactée?s?|jointe?s?|questionnée?s?|"
    r"d['’]après|"
    r"toutefois|par|au|aux|à|le \d+|mais|or|hier|aujourd['’]hui|quand|lorsque|si|bien|"
    r"malgré|face|suite|outre|parmi|pendant|sur)\b[^,«»“”]*,\s*)+",
    re.IGNORECASE,
)
#: Words that end a subject noun phrase: auxiliaries, clitics, relatives.
_SUBJECT_END = re.compile(
    r"\s(?:a|ont|est|sont|était|étaient|avait|avaient|fut|fit|va|vont|vient|doit|peut|"
    r"se|s['’]\w+|ne|n['’]\w+|y|qui|lui|leur|l['’]a)\b|,"
)
#: A role noun followed by its name: "le graphiste portugais Miguel Neiva", "L'ONG Human
#: Rights Watch", "son complice de toujours, Jean-Michel Larqué".
_ROLE_INTRO = re.compile(
    r"(?:^|[\s(])(?i:le|la|les|l['’]|un|une|son|sa|ses|leur|du|de la|des|au|aux)\s*"
    r"(?P<noun>[\w-]+)(?P<mods>(?:\s+(?!(?:d[eu]s?|et|ou|qui|que|en|à|pour|sur|dans|par|avec)\b"
    r"|d['’])[a-zà-ÿ'’-]+|\s+de\s+(?!(?:la|le|les)\b)[a-zà-ÿ-]+){0,2})"
    r"\s*,?\s+(?P<name>[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+(?:de\s+|d['’]|du\s+|van\s+)?"
    r"[A-ZÀ-ÖØ-Þ][\w'’.-]*)*)"
)
NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+(?:de\s+|d['’]|du\s+|van\s+)?[A-ZÀ-ÖØ-Þ][\w'’.-]*)*")


@dataclass
class SpeakerContext:
    """What speaker phrases are resolved against: the article, its sentences, the
    quotations (never read as the reporter's words), the speakers named so far and the
    role nouns the article introduced names with."""

    text: str
    sents: list[Segment]
    quoted: list[tuple[int, int]]
    names: list[tuple[int, str]] = field(default_factory=list)
    roles: list[tuple[int, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for found in _ROLE_INTRO.finditer(self.text):
            noun = found.group("noun").lower()
            name = _trim_name(found.group("name"))
            at = found.start("noun")
            lower = found.group("noun").islower() or noun in _ROLE_ACRONYMS
            if name and lower and not self._inside_quote(at):
                self.roles.append((at, noun, name))
        for found in _MEMBERS.finditer(self.text):  # "les militants du Hamas": a group
            name = _trim_name(found.group("name"))
            if name and not self._inside_quote(found.start()):
                self.roles.append((found.start(), "organisation", name))
        self.roles.sort()

    def _inside_quote(self, at: int) -> bool:
        return any(s <= at < e for s, e in self.quoted)

    def role(self, noun: str, position: int) -> str | None:
        """The name last introduced with `noun` before `position` ("le graphiste" ->
        "Miguel Neiva"); an organisation noun also takes any organisation so introduced
        ("l'organisation" -> "Human Rights Watch", introduced as "L'ONG …")."""
        earlier = [r for r in self.roles if r[0] < position]
        for _at, known, name in reversed(earlier):
            if _same_noun(known, noun):
                return name
        if noun in FRENCH_ORGANISATION_NOUNS:
            for _at, known, name in reversed(earlier):
                if known in FRENCH_ORGANISATION_NOUNS:
                    return name
        return None

    def is_speaker_noun(self, phrase: str, position: int) -> bool:
        """Whether a noun phrase may be a speaker: its head is a role noun, or a name was
        introduced with it ("l'architecte danois Sven Holm")."""
        noun = head_noun(phrase)
        return noun is not None and (is_role(noun) or self.role(noun, position) is not None)

    def antecedent(self, pronoun: str, position: int) -> str | None:
        """Who "il"/"elle" at `position` is: the subject of the sentences before, back to
        the first that names one (a pronoun subject goes on looking), else the speaker
        named last."""
        starts = [s.start for s in self.sents]
        index = max(0, bisect_right(starts, position) - 1)
        current = self.sents[index] if self.sents else None
        for sentence in reversed(self.sents[max(0, index - 12) : index + 1]):
            if sentence is current:  # "X, a indiqué : « … » Elle a …" in one sentence
                own = sentence_subject(self.text[sentence.start : sentence.end])
                if own is None or PRONOUN.fullmatch(own) or sentence.start >= position:
                    continue
            subject = sentence_subject(self.text[sentence.start : min(sentence.end, position)])
            opening = [
                who
                for at, who in self.names
                if sentence.start <= at < sentence.end
                and not self.text[sentence.start : at].strip()
            ]
            if opening:  # "« … », a dénoncé la députée Claire Vasseur. Elle …"
                return opening[0]
            if subject is None:
                continue
            if PRONOUN.fullmatch(subject):
                continue
            words = subject.split()
            gender = words[0].lower()
            feminine = pronoun.lower() == "elle"
            if (feminine and gender in FRENCH_MASCULINE) or (
                not feminine and gender in FRENCH_FEMININE
            ):
                continue
            if NAME.fullmatch(subject):
                return _last_name(subject) or _trim_name(_strip_determiner(subject))
            if self.is_speaker_noun(subject, position):
                name, _ = name_and_title(subject, self, sentence.start + 1)
                if name is not None:
                    return name
        return self.names[-1][1] if self.names else None


def is_role(noun: str) -> bool:
    """Whether a noun names a role: a person's, an organisation or an institution."""
    return noun.lower() in FRENCH_PERSON_NOUNS | FRENCH_ORGANISATION_NOUNS | FRENCH_INSTITUTIONS


def _same_noun(a: str, b: str) -> bool:
    """The same role noun, either gender ("procureur", "procureure")."""
    return a == b or a.rstrip("e") == b.rstrip("e")


def _trim_name(name: str) -> str | None:
    """A capitalised run as a name: without honorifics and a trailing full stop."""
    tokens = re.split(r"(?<=[a-zà-ÿ]{2})\.\s", name)[0].rstrip(".").split()  # "Verte. Pour"
    while tokens and tokens[0].lower().strip(".") in FRENCH_HONORIFICS:
        tokens.pop(0)
    return " ".join(tokens) or None


def head_noun(phrase: str) -> str | None:
    """The noun after the determiners of a noun phrase ("l'organisation islamique" ->
    "organisation"), or None when the phrase opens with a name."""
    words = re.sub(r"^(?:[Ll]['’])", "l' ", phrase.strip()).replace(",", " ").split()
    while words and words[0].lower() in FRENCH_DETERMINERS:
        words.pop(0)
    while words and words[0].lower() in ("nouveau", "nouvelle", "ancien", "ancienne", "jeune"):
        words.pop(0)
    if not words or (words[0][:1].isupper() and words[0].lower() not in _ROLE_ACRONYMS):
        return None
    return words[0].lower()


_SOURCE = re.compile(r"^(?:[Ss]elon|[Pp]our|[Dd]['’]après)\s+(?P<who>[^,«»“”]{2,60}?)\s*,")
#: A name in apposition after a comma, closed by another: ", Bruno Garnier,".
_APPOSITION = re.compile(
    r",\s*(?:M\.\s+|Mme\s+)?[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+(?:de\s+|d['’])?[A-ZÀ-ÖØ-Þ][\w'’.-]*)+(?=\s*,)"
)


def sentence_subject(sentence: str) -> str | None:
    """The subject phrase of a sentence: after a date line and introductory phrases, the
    words before the first auxiliary, clitic or comma ("Le nouveau gouvernement s'est
    donné …" -> "Le nouveau gouvernement"); a pronoun as itself."""
    dated = DATELINE.sub("", sentence).strip()
    source = _SOURCE.match(dated)  # "Pour Marie Leblanc, économiste, « … »": the source
    if source is not None:
        who = source.group("who")
        determined = who.split()[0].lower() in FRENCH_DETERMINERS or who.lower().startswith("l'")
        if NAME.match(who) or (determined and is_role(head_noun(who) or "")):
            return who
    body = LEAD_IN.sub("", dated).strip()
    if (pronoun := PRONOUN.match(body)) is not None:
        return pronoun.group(0)
    body = re.split(r"[«“\"]", body, maxsplit=1)[0]  # the reporter's words only
    end = _SUBJECT_END.search(body)
    phrase = body[: end.start()] if end else body
    if end is not None and (appos := _APPOSITION.match(body, end.start())) is not None:
        phrase = body[: appos.end()]  # "Le ministre de l'Économie, Bruno Garnier, a …"
    for run in NAME.finditer(phrase):  # "L'entraîneur Paul Garnier plaisante …"
        named = _last_name(phrase[: run.end()])
        if named is not None and (run.start() > 0 or " " in named) and run.end() < len(phrase):
            phrase = phrase[: run.end()]
            break
    if not phrase or len(phrase.split()) > 10 or re.search(r"[«»“”:;]", phrase):
        return None
    return phrase.strip()


def name_and_title(
    phrase: str, ctx: SpeakerContext, position: int
) -> tuple[str | None, str | None]:
    """A speaker phrase as (name, title); a pronoun is its antecedent; a role noun with
    no name ("le graphiste", "son complice") the name the article introduced it with."""
    phrase = re.sub(r"\b(M|Mme|Mlle|Dr|Pr)\.(?=[A-ZÀ-Þ])", r"\1. ", phrase.strip(" \t,;:.—–-"))
    if not phrase:
        return None, None
    if (pronoun := PRONOUN.match(phrase)) is not None:
        return ctx.antecedent(pronoun.group(0), position), None
    head, _, appositive = phrase.partition(",")
    head, appositive = head.strip(), appositive.strip()
    if NAME.fullmatch(head) and (name := _last_name(head)) is not None and appositive:
        return _expand(name, ctx), _strip_determiner(appositive) or None
    for part, other in ((appositive, head), (head, appositive)):
        run = _last_name(part)
        if run is not None:
            title = other or part[: part.rfind(run)].strip()
            return _expand(run, ctx), _strip_determiner(title) or None
    noun = head_noun(head)
    short = len(head.split()) <= 3 or noun in FRENCH_ORGANISATION_NOUNS
    if noun is not None and short and (named := ctx.role(noun, position)):
        return named, None
    if appositive and not is_role(head_noun(appositive) or ""):
        return _strip_determiner(head), None  # "une agricultrice, les mains dans les poches"
    return _strip_determiner(phrase), None


def _expand(name: str, ctx: SpeakerContext) -> str:
    """An acronym spelt out where the article does ("HRW" -> "Human Rights Watch", also
    from "L'ONG Human Rights Watch")."""
    expanded = expand_acronym(name, ctx.text)
    if expanded != name or not re.fullmatch(r"[A-Z]{2,6}", name):
        return expanded
    for run in NAME.finditer(ctx.text):
        words = [w for w in run.group(0).split() if w[:1].isupper()]
        for first in range(1, len(words) - len(name) + 1):
            tail = words[first:]
            if len(tail) == len(name) and "".join(w[0] for w in tail) == name:
                return " ".join(tail)
    return name


def _last_name(part: str) -> str | None:
    """The capitalised run that ends `part`, without honorifics ("Mme Fatou Bensouda")."""
    words = part.split()
    if not words:
        return None
    runs = [m for m in NAME.finditer(part) if m.end() == len(part.rstrip())]
    if not runs:
        return None
    before = part[: runs[-1].start()].split()
    if before and before[-1].lower() in ("de", "du", "des", "d'", "d’"):
        return None  # "L'Association des leaders religieux du Mali": not a name
    if (
        len(before) >= 2
        and before[-1].lower() in ("l'", "l’", "la", "le", "les")
        and before[-2].lower() in ("de", "pour", "à", "sur", "contre")
    ):
        return None  # "les droits de l'Homme": a complement, not a name
    if runs[-1].group(0).lower() in _ROLE_ACRONYMS:
        return None  # "l'ONG": a role noun
    tokens = runs[-1].group(0).split()
    if re.match(r"[LD]['’][a-zà-ÿ]", tokens[0]):
        tokens.pop(0)  # "L'entraîneur Paul Garnier": an elided article and a common noun
    while tokens and (tokens[0].lower().strip(".") in FRENCH_HONORIFICS
                      or tokens[0].lower() in FRENCH_DETERMINERS):  # fmt: skip
        tokens.pop(0)
    if runs[-1].start() == 0 and len(words) > len(tokens) + 2:
        return None  # a capitalised first word opening a long description
    return " ".join(tokens) or None


def _strip_determiner(phrase: str) -> str:
    """A phrase without its leading articles; a bare honorific ("M.") is nothing."""
    words = phrase.split()
    while words and words[0].lower() in FRENCH_DETERMINERS:
        words.pop(0)
    if len(words) == 1 and words[0].lower().strip(".") in FRENCH_HONORIFICS:
        return ""
    return " ".join(words)
