"""Quotes in French: the same quotations (« … » with their spaces, “ … ”), attributed by
French cue verbs (`a déclaré`, `a indiqué`, `selon`, `affirme`, `estime`, ...).

Attribution, first that applies:
- after the closing mark: `», affirme un jeune manifestant, Abdel Nasser.`, `» a ensuite
  précisé Febelfin`, the inversion `» avait-il lancé` / `dit-elle` (the person named last);
- before the opening mark, in its sentence: `X a déclaré : «`, `X estime que «`,
  `Selon X, «`;
- a quote opening its sentence with no cue takes the speaker of the quote just before it.

The speaker phrase gives a name (the last capitalised run: `Mme Fatou Bensouda` ->
`Fatou Bensouda`) and a title (the rest: `La procureure de la Cour pénale internationale`);
a phrase with no name (`la porte-parole de la fédération`) is kept whole as the speaker.
The cue word itself is never a speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from extractor.rules.quotes import SHORT_QUOTE_WORDS, quote_kind, quote_spans
from extractor.schemas import Quote
from extractor.text.lexicon import FRENCH_DETERMINERS, FRENCH_HONORIFICS, FRENCH_QUOTE_CUES
from extractor.text.segment import Segment

_CUE = "|".join(sorted(FRENCH_QUOTE_CUES, key=len, reverse=True))
#: A compound past ("a déclaré", "avait ensuite précisé") or a simple form ("affirme").
_FILLER = (
    r"(?:\w+ment|ensuite|aussi|alors|également|cependant|pourtant|de son côté|de leur côté"
    r"|pour sa part|pour leur part)"
)
_VERB = rf"(?:(?:a|ont|avait|avaient)\s+(?:{_FILLER}\s+)?)?(?:{_CUE})"
_AFTER_CUE = re.compile(rf"^[\s,]*(?P<cue>{_VERB})\s+(?P<who>[^,.;:«»“”]+(?:,\s*[^,.;:«»“”]+)?)")
_INVERTED = re.compile(rf"^[\s,]*(?:avait-|a-t-)?(?P<cue>{_CUE})-(?:t-)?(?:il|elle)\b")
_INVERTED_COMPOUND = re.compile(r"^[\s,]*(?:a|avait)-t?-?(?:il|elle)\s+(?P<cue>\w+)")
_BEFORE = re.compile(
    rf"(?P<who>[^.;:«»“”]{{2,120}}?)\s+(?:,\s*)?(?P<cue>{_VERB})(?:\s+{_FILLER})?(?:\s*:|\s+que|\s*,)?\s*$"
)
_SELON = re.compile(r"(?:^|[\s,])(?P<cue>[Ss]elon)\s+(?P<who>[^«»“”]{2,80}?)\s*,\s*$")
#: Where a speaker phrase after its cue ends ("la porte-parole … à une question de …").
_PHRASE_END = re.compile(r"\s+(?:à|au|aux|sur|lors|dans|après|devant|pendant|le \d)\s.*$")
#: A subject before a cue that is coordinated ("X a condamné … et estimé") or relative
#: ("l'organisation, qui affirme"): the phrase before the first verb, or the antecedent.
_COORDINATED = re.compile(r"^(?P<who>.+?)\s+(?:a|ont|avait|avaient)\s+\w+.*\bet$")
_RELATIVE = re.compile(r"^(?P<who>.+?),?\s+qui$")
_INTRO = re.compile(
    r"^(?:(?:moins|après|avant|lors|pour|en|dans|depuis|alors|ensuite|puis|"
    r"enfin|cependant|toutefois|par|au|aux|à|le \d+|la semaine)\b[^,]*,\s*)+",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"^(?:il|elle|ils|elles)\b", re.IGNORECASE)
_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+(?:de\s+|d['’]|du\s+|van\s+)?[A-ZÀ-ÖØ-Þ][\w'’.-]*)*")


def find_french_quotes(text: str, sents: list[Segment]) -> list[Quote]:
    """Every quotation of a French article that may be a quote, with its speaker where a
    French cue says who."""
    starts = [s.start for s in sents]
    names: list[tuple[int, str]] = []
    quotes: list[Quote] = []
    previous: tuple[int, Quote] | None = None
    for marks in quote_spans(text):
        sentence = sents[max(0, bisect_right(starts, marks.open) - 1)]
        prefix = text[max(sentence.start, previous[0] if previous else 0) : marks.open]
        after = text[marks.after : marks.after + 200]
        who, title, cue = _after(after, names)
        if cue is None:
            who, title, cue = _before(prefix, names)
        if cue is None and previous and not prefix.strip(" \t,"):
            who, title, cue = previous[1].speaker, previous[1].speaker_title, previous[1].cue
        if cue is None and len(text[marks.start : marks.end].split()) <= SHORT_QUOTE_WORDS:
            continue  # « mules », « A3 »: names and scare quotes, with no cue
        if who and _NAME.fullmatch(who):
            names.append((marks.open, who))
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
    return quotes


Speaker = tuple[str | None, str | None, str | None]


def _after(after: str, names: list[tuple[int, str]]) -> Speaker:
    inverted = _INVERTED.match(after) or _INVERTED_COMPOUND.match(after)
    if inverted is not None and inverted.group("cue") in FRENCH_QUOTE_CUES:
        return (names[-1][1] if names else None), None, inverted.group("cue")
    if (match := _AFTER_CUE.match(after)) is not None:
        phrase = _PHRASE_END.sub("", match.group("who"))
        phrase = re.sub(r"^(?:alors|ensuite|aussi|enfin)\s+", "", phrase)
        return (*_speaker(phrase, names), match.group("cue"))
    return None, None, None


def _before(prefix: str, names: list[tuple[int, str]]) -> Speaker:
    if (selon := _SELON.search(prefix)) is not None:
        return (*_speaker(selon.group("who"), names), selon.group("cue"))
    if (match := _BEFORE.search(prefix)) is not None:
        clause = match.group("who").strip(" ,")
        for pattern in (_COORDINATED, _RELATIVE):
            if (found := pattern.match(clause)) is not None:
                clause = found.group("who")
        clause = re.split(r",\s+(?:et|mais)\s+|\bque\s+", clause)[-1]
        clause = re.sub(r"\s+(?:se|s['’])$", "", clause)  # "X se dit « … »"
        if (pronoun := re.search(r"(?:^|[\s,])(il|elle)$", clause)) is not None:
            clause = pronoun.group(1)
        return (*_speaker(_INTRO.sub("", clause), names), match.group("cue"))
    return None, None, None


def _speaker(phrase: str, names: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    """A speaker phrase as (name, title); a pronoun is the person named last."""
    phrase = phrase.strip(" \t,;:.—–-")
    if not phrase or _PRONOUN.match(phrase):
        return (names[-1][1] if names else None), None
    head, _, appositive = phrase.partition(",")
    for part, other in ((appositive.strip(), head.strip()), (head.strip(), appositive.strip())):
        run = _last_name(part)
        if run is not None:
            title = other or part[: part.rfind(run)].strip()
            return run, _strip_determiner(title) or None
    return _strip_determiner(phrase), None


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
    tokens = runs[-1].group(0).split()
    while tokens and (tokens[0].lower().strip(".") in FRENCH_HONORIFICS
                      or tokens[0].lower() in FRENCH_DETERMINERS):  # fmt: skip
        tokens.pop(0)
    if runs[-1].start() == 0 and len(words) > len(tokens) + 2:
        return None  # a capitalised first word opening a long description
    return " ".join(tokens) or None


def _strip_determiner(phrase: str) -> str:
    words = phrase.split()
    while words and words[0].lower() in FRENCH_DETERMINERS:
        words.pop(0)
    return " ".join(words)
