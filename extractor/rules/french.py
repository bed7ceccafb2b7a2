"""Quotes in French: the same quotations (« … » with their spaces, “ … ”), attributed by
French cue verbs (`a déclaré`, `a indiqué`, `selon`, `affirme`, `estime`, ...). There is
no French parse: speakers come from patterns and from the article's own words.

Attribution, first that applies:
- before the opening mark, right next to it: `X a déclaré : «`, `X estime que «`, `X
  précise que : «`, `X a elle relevé qu'il «`, `Selon X, «`, `comme le rappelle X, «`;
- after the closing mark: `», affirme un jeune manifestant, Abdel Nasser.`, `» a ensuite
  précisé Febelfin`, `» selon M. Houdré`, the inversion `» avait-il lancé` / `dit-elle`;
- the quote before it, when nothing with a cue lies between (`« … », et à « … »`, `« … »
  ajoute Hassan. « … »`);
- its sentence: `Selon X, … : « … »`, `Pour X, … « … »`, the subject of a cue earlier in
  the sentence (`Bruxelles a salué … un signe de « … »`), the subject of a sentence that
  introduces its quotation with a colon, the subject right before a quotation that is
  the predicate (`elle « conteste … »`);
- a quotation opening its sentence: the subject of the sentence before when its verb is
  a cue (`La porte-parole a nuancé les chiffres. « … »`).

The speaker phrase gives a name (the last capitalised run: `Mme Fatou Bensouda` ->
`Fatou Bensouda`, or the head when it is a name: `Gérald Karsenti, PDG de HP France`) and
a title (the rest). A pronoun (`il`, `elle`) is the subject of the sentences before, back
to the first that names someone of its gender (a sentence that opens with a quotation has
that quotation's speaker as its subject). A role noun with no name (`le graphiste`, `son
complice`, `l'ONG`) is the name the article introduced with it (`le graphiste portugais
Miguel Neiva`; an organisation noun takes any organisation so introduced, and `les
militants du X` introduce X); a role with a complement (`la porte-parole de la
fédération`) is kept as written. An acronym is spelt out where the article does. The cue
word itself is never a speaker. A quotation holding an exchange (`« A ! — B ! »`) is one
quote per turn; a short name-like quotation (`« A3 »`) needs a cue next to it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from extractor.rules.people import expand_acronym
from extractor.rules.quotes import SHORT_QUOTE_WORDS, Marks, quote_kind, quote_spans
from extractor.schemas import Quote
from extractor.text.lexicon import (
    FRENCH_DETERMINERS,
    FRENCH_FEMININE,
    FRENCH_HONORIFICS,
    FRENCH_INSTITUTIONS,
    FRENCH_MASCULINE,
    FRENCH_MEMBER_NOUNS,
    FRENCH_ORGANISATION_NOUNS,
    FRENCH_PERSON_NOUNS,
    FRENCH_QUOTE_CUE_PHRASES,
    FRENCH_QUOTE_CUES,
)
from extractor.text.segment import Segment

_CUE = "|".join(
    [re.escape(p).replace(r"\ ", r"\s+") for p in FRENCH_QUOTE_CUE_PHRASES]
    + sorted(FRENCH_QUOTE_CUES, key=len, reverse=True)
)
#: A compound past ("a déclaré", "avait ensuite précisé") or a simple form ("affirme").
_FILLER = (
    r"(?:\w+ment|ensuite|aussi|alors|également|cependant|pourtant|de son côté|de leur côté"
    r"|pour sa part|pour leur part)"
)
#: A stressed pronoun may stand between the auxiliary and the participle ("a elle relevé").
_VERB = rf"(?:(?:a|ont|avait|avaient)\s+(?:(?:elle|lui|eux)\s+)?(?:{_FILLER}\s+)?)?(?:{_CUE})"
_AFTER_CUE = re.compile(rf"^[\s,]*(?P<cue>{_VERB})\s+(?P<who>[^,.;:«»“”]+(?:,\s*[^,.;:«»“”]+)?)")
#: "« … » selon M. Houdré", "« … », d'après la police".
_SELON_AFTER = re.compile(
    r"^[\s,]*(?P<cue>selon|d['’]après)\s+(?P<who>(?:(?:M|Mme|Dr|Pr)\.\s*)?[^,.;:«»“”]{2,80})"
)
_INVERTED = re.compile(rf"^[\s,]*(?:avait-|a-t-)?(?P<cue>{_CUE})-(?:t-)?(?:il|elle)\b")
_INVERTED_COMPOUND = re.compile(r"^[\s,]*(?:a|avait)-t?-?(?:il|elle)\s+(?P<cue>\w+)")
#: What may stand between a cue and the opening mark: `que`, `que :`, `qu'il`, `:`, `,`.
_CUE_TAIL = r"(?:\s+que\s*:?|\s+qu['’]\w*|\s*:|\s*,)?"
_BEFORE = re.compile(
    rf"(?P<who>[^.;:«»“”]{{2,120}}?)\s+(?:,\s*)?(?P<cue>{_VERB})(?:\s+{_FILLER})?{_CUE_TAIL}\s*$"
)
#: "comme le rappelle HRW, « … »", "comme l'a souligné le ministre, « … »".
_COMME = re.compile(
    rf"\bcomme\s+(?:le\s+|l['’](?:a|avait)\s+)(?P<cue>{_CUE})\s+(?P<who>[^,«»“”]{{2,80}}?)\s*,\s*$"
)
#: "Selon X, …" or "Pour X, …" opening the sentence of a quotation, before any other clause.
_SOURCE_LEAD = re.compile(
    r"^\s*(?:[A-ZÀ-Þ][^,«»“”]{0,40},\s*)?(?P<cue>[Ss]elon|[Dd]['’]après|[Pp]our)\s+"
    r"(?P<who>[^,«»“”]{2,80}?(?:,\s*[A-ZÀ-Þ][\w'’.-]*(?:\s+[A-ZÀ-Þ][\w'’.-]*)+)?)\s*,"
    r"(?P<rest>[^«»“”]*)$"
)
#: Any French cue verb, anywhere (a quotation whose sentence has none is the reporter's).
_ROLE_ACRONYMS = frozenset({"ong", "pdg"})
_MEMBERS = re.compile(
    rf"\b(?:{'|'.join(sorted(FRENCH_MEMBER_NOUNS))})\s+(?:de\s+|d['’]|du\s+)"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*)*)"
)
#: Adverbs between an inverted cue and its subject ("répondit alors son complice").
_AFTER_CUE_ADVERB = re.compile(
    r"^(?:(?:alors|ensuite|aussi|enfin|encore|hier|aujourd['’]hui|un jour|plus tard|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)+"
)
_CONJUNCTIONS = frozenset({"et", "puis", "mais", "ou"})
_ANY_CUE = re.compile(rf"(?<![\w-])(?:{_CUE})\b")
_SELON = re.compile(r"(?:^|[\s,])(?P<cue>[Ss]elon)\s+(?P<who>[^«»“”]{2,80}?)\s*,\s*$")
#: Where a speaker phrase after its cue ends ("la porte-parole … à une question de …").
_PHRASE_END = re.compile(r"\s+(?:à|au|aux|sur|lors|dans|après|devant|pendant|le \d)\s.*$")
#: A subject before a cue that is coordinated ("X a condamné … et estimé") or relative
#: ("l'organisation, qui affirme"): the phrase before the first verb, or the antecedent.
_COORDINATED = re.compile(r"^(?P<who>.+?)\s+(?:a|ont|avait|avaient)\s+\w+.*\bet$")
_RELATIVE = re.compile(r"^(?P<who>.+?),?\s+qui$")
_INTRO = re.compile(
    r"^(?:(?:de son côté|de leur côté|quant à \w+|"
    r"moins|après|avant|lors|pour|en|dans|depuis|alors|ensuite|puis|interrogée?s?|"
    r"invitée?s?|contactée?s?|jointe?s?|questionnée?s?|"
    r"enfin|cependant|toutefois|par|au|aux|à|le \d+|la semaine)\b[^,]*,\s*)+",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"^(?:il|elle|ils|elles)\b", re.IGNORECASE)
#: What opens a sentence before its subject: a date line ("16 juin 2012. - "), an
#: introductory phrase ending in a comma ("Dès 1976, ", "Alors que …, ").
_DATELINE = re.compile(r"^\s*(?:[A-ZÀ-Þ][\w' -]*,\s*)?\d{1,2}\s+\w+\s+\d{4}\.?\s*[-–—]\s*")
_LEAD_IN = re.compile(
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
_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+(?:de\s+|d['’]|du\s+|van\s+)?[A-ZÀ-ÖØ-Þ][\w'’.-]*)*")


def find_french_quotes(text: str, sents: list[Segment]) -> list[Quote]:
    """Every quotation of a French article that may be a quote, with its speaker where a
    French cue says who."""
    starts = [s.start for s in sents]
    spans = _dialogue_turns(text, quote_spans(text))
    ctx = _Context(text, sents, [(m.open, m.after) for m in spans])
    quotes: list[Quote] = []
    previous: tuple[int, Quote] | None = None
    attributed = 0  # where the last quote's attribution after its closing mark ends
    for marks in spans:
        index = max(0, bisect_right(starts, marks.open) - 1)
        sentence = sents[index]
        same_sentence = previous is not None and previous[0] > sentence.start
        prefix = text[max(sentence.start, previous[0] if previous else 0) : marks.open]
        after = text[marks.after : marks.after + 200]
        # a cue right before the opening mark first: in "qui affirme « … », a salué le
        # projet" the words after are the sentence going on, not an inversion
        who, title, cue = _before(prefix, ctx, marks.open)
        if cue is None or who is None:
            who, title, cue = _after(after, ctx, marks.open)
        if cue is None:
            who, title, cue = _before(prefix, ctx, marks.open)
        if cue is not None and who in _CONJUNCTIONS:  # "X se dit « … » et pense que « … »"
            subject = _subject(text[sentence.start : marks.open])
            who, title = _speaker(subject, ctx, marks.open) if subject else (None, None)
        adjacent = cue is not None
        if (
            cue is None
            and previous
            and (not prefix.strip(" \t,") or same_sentence)
            and not _ANY_CUE.search(text[max(previous[0], attributed) : marks.open])
        ):  # "… », et à « … »", "… ». « … »": the same speaker goes on, unless a cue between
            who, title, cue = previous[1].speaker, previous[1].speaker_title, previous[1].cue
        if cue is None:
            who, title, cue = _in_sentence(text[sentence.start : marks.open], ctx, marks.open)
        if cue is None and text[marks.start : marks.start + 1].islower():
            who, title, cue = _subject_of_quote(text[sentence.start : marks.open], ctx, marks.open)
        if cue is None and not text[sentence.start : marks.open].strip() and index > 0:
            who, title, cue = _previous_sentence(sents[index - 1], ctx)
        quoted = text[marks.start : marks.end]
        if len(quoted.split()) <= SHORT_QUOTE_WORDS and (
            cue is None or (not adjacent and _name_like(quoted))
        ):
            continue  # « mules », « A3 »: names and scare quotes, with no cue
        if who and _NAME.fullmatch(who):
            ctx.names.append((marks.open, who))
        quote = Quote.model_validate(
            {
                "text": text[marks.start : marks.end],
                "char_start": marks.start,
                "char_end": marks.end,
                "speaker": who,
                "speaker_title": title,
                "cue": cue,
                "kind": quote_kind(
                    text[marks.start : marks.end], prefix, text[marks.end : marks.after]
                ),
            },
            context={"document": text},
        )
        quotes.append(quote)
        previous = (marks.after, quote)
        attributed = marks.after + _after_end(after)
    return quotes


def _after_end(after: str) -> int:
    """How much of the text after a closing mark is its attribution (", ajoute Hassan,
    un autre manifestant"), 0 when none."""
    found = (
        _INVERTED.match(after)
        or _INVERTED_COMPOUND.match(after)
        or _SELON_AFTER.match(after)
        or _AFTER_CUE.match(after)
    )
    return found.end() if found else 0


def _name_like(quoted: str) -> bool:
    """A rating, a name or a title (« A3 », « Nintendo Direct »): every word capitalised
    or holding a digit, no final punctuation."""
    words = quoted.split()
    return not re.search(r"[.!?]$", quoted) and all(
        w[:1].isupper() or any(c.isdigit() for c in w) for w in words
    )


def _dialogue_turns(text: str, spans: list[Marks]) -> list[Marks]:
    """A quotation holding an exchange (« Eh oui ! — Tout à fait ! »): one quote per turn,
    each cut at the dialogue dash after a sentence's end."""
    turns: list[Marks] = []
    for marks in spans:
        start = marks.start
        for dash in re.finditer(r"(?<=[.!?…])\s+[—–]\s+", text[marks.start : marks.end]):
            end = marks.start + dash.start()  # an earlier turn: the cue after is not its own
            turns.append(Marks(marks.open, start, end, end))
            start = marks.start + dash.end()
        turns.append(Marks(marks.open if start == marks.start else start, start, marks.end,
                            marks.after))  # fmt: skip
    return turns


Speaker = tuple[str | None, str | None, str | None]


@dataclass
class _Context:
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
        noun = _head_noun(phrase)
        return noun is not None and (_is_role(noun) or self.role(noun, position) is not None)

    def antecedent(self, pronoun: str, position: int) -> str | None:
        """Who "il"/"elle" at `position` is: the subject of the sentences before, back to
        the first that names one (a pronoun subject goes on looking), else the speaker
        named last."""
        starts = [s.start for s in self.sents]
        index = max(0, bisect_right(starts, position) - 1)
        current = self.sents[index] if self.sents else None
        for sentence in reversed(self.sents[max(0, index - 12) : index + 1]):
            if sentence is current:  # "X, a indiqué : « … » Elle a …" in one sentence
                own = _subject(self.text[sentence.start : sentence.end])
                if own is None or _PRONOUN.fullmatch(own) or sentence.start >= position:
                    continue
            subject = _subject(self.text[sentence.start : min(sentence.end, position)])
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
            if _PRONOUN.fullmatch(subject):
                continue
            words = subject.split()
            gender = words[0].lower()
            feminine = pronoun.lower() == "elle"
            if (feminine and gender in FRENCH_MASCULINE) or (
                not feminine and gender in FRENCH_FEMININE
            ):
                continue
            if _NAME.fullmatch(subject):
                return _last_name(subject) or _trim_name(_strip_determiner(subject))
            if self.is_speaker_noun(subject, position):
                name, _ = _speaker(subject, self, sentence.start + 1)
                if name is not None:
                    return name
        return self.names[-1][1] if self.names else None


def _is_role(noun: str) -> bool:
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


def _head_noun(phrase: str) -> str | None:
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


def _subject(sentence: str) -> str | None:
    """The subject phrase of a sentence: after a date line and introductory phrases, the
    words before the first auxiliary, clitic or comma ("Le nouveau gouvernement s'est
    donné …" -> "Le nouveau gouvernement"); a pronoun as itself."""
    dated = _DATELINE.sub("", sentence).strip()
    source = _SOURCE.match(dated)  # "Pour Marie Leblanc, économiste, « … »": the source
    if source is not None:
        who = source.group("who")
        determined = who.split()[0].lower() in FRENCH_DETERMINERS or who.lower().startswith("l'")
        if _NAME.match(who) or (determined and _is_role(_head_noun(who) or "")):
            return who
    body = _LEAD_IN.sub("", dated).strip()
    if (pronoun := _PRONOUN.match(body)) is not None:
        return pronoun.group(0)
    body = re.split(r"[«“\"]", body, maxsplit=1)[0]  # the reporter's words only
    end = _SUBJECT_END.search(body)
    phrase = body[: end.start()] if end else body
    if end is not None and (appos := _APPOSITION.match(body, end.start())) is not None:
        phrase = body[: appos.end()]  # "Le ministre de l'Économie, Bruno Garnier, a …"
    for run in _NAME.finditer(phrase):  # "L'entraîneur Paul Garnier plaisante …"
        named = _last_name(phrase[: run.end()])
        if named is not None and (run.start() > 0 or " " in named) and run.end() < len(phrase):
            phrase = phrase[: run.end()]
            break
    if not phrase or len(phrase.split()) > 10 or re.search(r"[«»“”:;]", phrase):
        return None
    return phrase.strip()


def _after(after: str, ctx: _Context, position: int) -> Speaker:
    inverted = _INVERTED.match(after) or _INVERTED_COMPOUND.match(after)
    if inverted is not None and inverted.group("cue") in FRENCH_QUOTE_CUES:
        pronoun = "elle" if re.search(r"\belle\b", inverted.group(0)) else "il"
        return ctx.antecedent(pronoun, position), None, inverted.group("cue")
    if (selon := _SELON_AFTER.match(after)) is not None:
        return (
            *_speaker(_PHRASE_END.sub("", selon.group("who")), ctx, position),
            selon.group("cue"),
        )
    if (match := _AFTER_CUE.match(after)) is not None:
        phrase = _PHRASE_END.sub("", match.group("who"))
        phrase = _AFTER_CUE_ADVERB.sub("", phrase)
        return (*_speaker(phrase, ctx, position), match.group("cue"))
    return None, None, None


def _before(prefix: str, ctx: _Context, position: int) -> Speaker:
    if (selon := _SELON.search(prefix)) is not None:
        return (*_speaker(selon.group("who"), ctx, position), selon.group("cue"))
    if (comme := _COMME.search(prefix)) is not None:
        return (*_speaker(comme.group("who"), ctx, position), comme.group("cue"))
    if (match := _BEFORE.search(prefix)) is not None:
        clause = match.group("who").strip(" ,")
        for pattern in (_COORDINATED, _RELATIVE):
            if (found := pattern.match(clause)) is not None:
                clause = found.group("who")
                if pattern is _RELATIVE:  # the antecedent: the noun phrase before ", qui"
                    clause = re.split(r"\s(?:de|du|des|à|au|aux|par|pour|sur|avec)\s+", clause)[-1]
        clause = re.split(r",\s+(?:et|mais)\s+|\bque\s+", clause)[-1]
        clause = re.sub(r"\s+(?:se|s['’])$", "", clause)  # "X se dit « … »"
        if (pronoun := re.search(r"(?:^|[\s,])(il|elle)$", clause)) is not None:
            clause = pronoun.group(1)
        return (*_speaker(_INTRO.sub("", clause), ctx, position), match.group("cue"))
    return None, None, None


def _subject_of_quote(sentence: str, ctx: _Context, position: int) -> Speaker:
    """A quotation that is its sentence's predicate, right after the subject: "Dans un
    communiqué, elle « conteste fermement cette décision »"."""
    body = _LEAD_IN.sub("", _DATELINE.sub("", sentence)).strip()
    if _PRONOUN.fullmatch(body):
        return ctx.antecedent(body, position), None, None
    if len(body.split()) <= 4 and (_NAME.fullmatch(body) or ctx.is_speaker_noun(body, position)):
        name, title = _speaker(body, ctx, position)
        return name, title, None
    return None, None, None


def _in_sentence(sentence: str, ctx: _Context, position: int) -> Speaker:
    """A quotation with no cue next to it, attributed by its sentence: "Selon X, … : « … »",
    "Pour l'organisation, … « … »"; the subject of a cue verb earlier in the sentence
    ("Bruxelles a salué … un signe de « … »"); the subject of a sentence that introduces
    its quotation with a colon ("le graphiste s'est basé sur le raisonnement suivant :")."""
    body = _DATELINE.sub("", sentence)
    if (lead := _SOURCE_LEAD.match(body)) is not None:
        who = lead.group("who")
        cue = lead.group("cue")
        if cue.lower() != "pour" or _NAME.fullmatch(who) or _is_role(_head_noun(who) or ""):
            name, title = _speaker(who, ctx, position)
            if name is not None:
                return name, title, cue
    cues = list(_ANY_CUE.finditer(body))
    if cues:
        found = _BEFORE.search(body[: cues[-1].end()])
        if found is not None:
            who, title, cue = _before(body[: cues[-1].end()], ctx, position)
            if who is not None:
                return who, title, cue
    if body.rstrip().endswith(":") and (subject := _subject(body)) is not None:
        if _PRONOUN.fullmatch(subject):
            return ctx.antecedent(subject, position), None, ":"
        name, title = _speaker(subject, ctx, position)
        if name is not None and (
            _NAME.fullmatch(subject) or ctx.is_speaker_noun(subject, position)
        ):
            return name, title, ":"
    return None, None, None


def _previous_sentence(sentence: Segment, ctx: _Context) -> Speaker:
    """A quotation that opens its sentence with no cue after it: the subject of the
    sentence before (after any quotation in it), when that sentence's verb is a cue ("La
    porte-parole a nuancé les chiffres. « … »")."""
    start = max([sentence.start, *(e for s, e in ctx.quoted if sentence.start <= s < sentence.end)])
    body = ctx.text[start : sentence.end]  # after a quotation the segmenter kept in it
    subject = _subject(body)
    if subject is None:
        return None, None, None
    verb = re.match(
        rf"\s*(?:{re.escape(subject)})\s+(?P<cue>{_VERB})\b",
        _LEAD_IN.sub("", _DATELINE.sub("", body)).strip(),
    )
    if verb is None:
        return None, None, None
    if _PRONOUN.fullmatch(subject):
        return ctx.antecedent(subject, sentence.start), None, verb.group("cue")
    return (*_speaker(subject, ctx, sentence.end), verb.group("cue"))


def _speaker(phrase: str, ctx: _Context, position: int) -> tuple[str | None, str | None]:
    """A speaker phrase as (name, title); a pronoun is its antecedent; a role noun with
    no name ("le graphiste", "son complice") the name the article introduced it with."""
    phrase = re.sub(r"\b(M|Mme|Mlle|Dr|Pr)\.(?=[A-ZÀ-Þ])", r"\1. ", phrase.strip(" \t,;:.—–-"))
    if not phrase:
        return None, None
    if (pronoun := _PRONOUN.match(phrase)) is not None:
        return ctx.antecedent(pronoun.group(0), position), None
    head, _, appositive = phrase.partition(",")
    head, appositive = head.strip(), appositive.strip()
    if _NAME.fullmatch(head) and (name := _last_name(head)) is not None and appositive:
        return _expand(name, ctx), _strip_determiner(appositive) or None
    for part, other in ((appositive, head), (head, appositive)):
        run = _last_name(part)
        if run is not None:
            title = other or part[: part.rfind(run)].strip()
            return _expand(run, ctx), _strip_determiner(title) or None
    noun = _head_noun(head)
    short = len(head.split()) <= 3 or noun in FRENCH_ORGANISATION_NOUNS
    if noun is not None and short and (named := ctx.role(noun, position)):
        return named, None
    if appositive and not _is_role(_head_noun(appositive) or ""):
        return _strip_determiner(head), None  # "une agricultrice, les mains dans les poches"
    return _strip_determiner(phrase), None


def _expand(name: str, ctx: _Context) -> str:
    """An acronym spelt out where the article does ("HRW" -> "Human Rights Watch", also
    from "L'ONG Human Rights Watch")."""
    expanded = expand_acronym(name, ctx.text)
    if expanded != name or not re.fullmatch(r"[A-Z]{2,6}", name):
        return expanded
    for run in _NAME.finditer(ctx.text):
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
    runs = [m for m in _NAME.finditer(part) if m.end() == len(part.rstrip())]
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
