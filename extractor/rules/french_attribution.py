"""Attribution of French quotes: the cue verbs (`a déclaré`, `a indiqué`, `selon`,
`affirme`, `estime`, ...), and the speaker each place a cue may stand gives a quotation:
next to the opening mark, after the closing one (with the inversion `dit-elle`), earlier
in its sentence, or in the sentence before (the order they are tried in:
`french.find_french_quotes`).

Each returns a `Speaker` (name, title, cue), all None when it does not apply; the words
found are read as a speaker phrase by `french_speakers`. The cue word itself is never a
speaker.
"""

from __future__ import annotations

import re

from extractor.rules.french_speakers import (
    DATELINE,
    LEAD_IN,
    NAME,
    PRONOUN,
    SpeakerContext,
    head_noun,
    is_role,
    name_and_title,
    sentence_subject,
)
from extractor.text.lexicon import FRENCH_QUOTE_CUE_PHRASES, FRENCH_QUOTE_CUES
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
#: Adverbs between an inverted cue and its subject ("répondit alors son complice").
_AFTER_CUE_ADVERB = re.compile(
    r"^(?:(?:alors|ensuite|aussi|enfin|encore|hier|aujourd['’]hui|un jour|plus tard|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)+"
)
#: Any French cue verb, anywhere (a quotation whose sentence has none is the reporter's).
ANY_CUE = re.compile(rf"(?<![\w-])(?:{_CUE})\b")
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

Speaker = tuple[str | None, str | None, str | None]


def attribution_end(after: str) -> int:
    """How much of the text after a closing mark is its attribution (", ajoute Hassan,
    un autre manifestant"), 0 when none."""
    found = (
        _INVERTED.match(after)
        or _INVERTED_COMPOUND.match(after)
        or _SELON_AFTER.match(after)
        or _AFTER_CUE.match(after)
    )
    return found.end() if found else 0


def speaker_after(after: str, ctx: SpeakerContext, position: int) -> Speaker:
    """A cue after the closing mark (`after`, the text that follows it): "», affirme X",
    "» selon X", the inversion "» avait-il lancé" (the pronoun's antecedent)."""
    inverted = _INVERTED.match(after) or _INVERTED_COMPOUND.match(after)
    if inverted is not None and inverted.group("cue") in FRENCH_QUOTE_CUES:
        pronoun = "elle" if re.search(r"\belle\b", inverted.group(0)) else "il"
        return ctx.antecedent(pronoun, position), None, inverted.group("cue")
    if (selon := _SELON_AFTER.match(after)) is not None:
        return (
            *name_and_title(_PHRASE_END.sub("", selon.group("who")), ctx, position),
            selon.group("cue"),
        )
    if (match := _AFTER_CUE.match(after)) is not None:
        phrase = _PHRASE_END.sub("", match.group("who"))
        phrase = _AFTER_CUE_ADVERB.sub("", phrase)
        return (*name_and_title(phrase, ctx, position), match.group("cue"))
    return None, None, None


def speaker_before(prefix: str, ctx: SpeakerContext, position: int) -> Speaker:
    """A cue that ends `prefix`, the text before the opening mark: "X a déclaré : «",
    "Selon X, «", "comme le rappelle X, «"; the subject of a coordinated or relative
    cue ("X a condamné … et estimé", "l'organisation, qui affirme")."""
    if (selon := _SELON.search(prefix)) is not None:
        return (*name_and_title(selon.group("who"), ctx, position), selon.group("cue"))
    if (comme := _COMME.search(prefix)) is not None:
        return (*name_and_title(comme.group("who"), ctx, position), comme.group("cue"))
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
        return (*name_and_title(_INTRO.sub("", clause), ctx, position), match.group("cue"))
    return None, None, None


def subject_of_quote(sentence: str, ctx: SpeakerContext, position: int) -> Speaker:
    """A quotation that is its sentence's predicate, right after the subject: "Dans un
    communiqué, elle « conteste fermement cette décision »"."""
    body = LEAD_IN.sub("", DATELINE.sub("", sentence)).strip()
    if PRONOUN.fullmatch(body):
        return ctx.antecedent(body, position), None, None
    if len(body.split()) <= 4 and (NAME.fullmatch(body) or ctx.is_speaker_noun(body, position)):
        name, title = name_and_title(body, ctx, position)
        return name, title, None
    return None, None, None


def speaker_in_sentence(sentence: str, ctx: SpeakerContext, position: int) -> Speaker:
    """A quotation with no cue next to it, attributed by its sentence: "Selon X, … : « … »",
    "Pour l'organisation, … « … »"; the subject of a cue verb earlier in the sentence
    ("Bruxelles a salué … un signe de « … »"); the subject of a sentence that introduces
    its quotation with a colon ("le graphiste s'est basé sur le raisonnement suivant :")."""
    body = DATELINE.sub("", sentence)
    if (lead := _SOURCE_LEAD.match(body)) is not None:
        who = lead.group("who")
        cue = lead.group("cue")
        if cue.lower() != "pour" or NAME.fullmatch(who) or is_role(head_noun(who) or ""):
            name, title = name_and_title(who, ctx, position)
            if name is not None:
                return name, title, cue
    cues = list(ANY_CUE.finditer(body))
    if cues:
        found = _BEFORE.search(body[: cues[-1].end()])
        if found is not None:
            who, title, cue = speaker_before(body[: cues[-1].end()], ctx, position)
            if who is not None:
                return who, title, cue
    if body.rstrip().endswith(":") and (subject := sentence_subject(body)) is not None:
        if PRONOUN.fullmatch(subject):
            return ctx.antecedent(subject, position), None, ":"
        name, title = name_and_title(subject, ctx, position)
        if name is not None and (NAME.fullmatch(subject) or ctx.is_speaker_noun(subject, position)):
            return name, title, ":"
    return None, None, None


def speaker_of_previous_sentence(sentence: Segment, ctx: SpeakerContext) -> Speaker:
    """A quotation that opens its sentence with no cue after it: the subject of the
    sentence before (after any quotation in it), when that sentence's verb is a cue ("La
    porte-parole a nuancé les chiffres. « … »")."""
    start = max([sentence.start, *(e for s, e in ctx.quoted if sentence.start <= s < sentence.end)])
    body = ctx.text[start : sentence.end]  # after a quotation the segmenter kept in it
    subject = sentence_subject(body)
    if subject is None:
        return None, None, None
    verb = re.match(
        rf"\s*(?:{re.escape(subject)})\s+(?P<cue>{_VERB})\b",
        LEAD_IN.sub("", DATELINE.sub("", body)).strip(),
    )
    if verb is None:
        return None, None, None
    if PRONOUN.fullmatch(subject):
        return ctx.antecedent(subject, sentence.start), None, verb.group("cue")
    return (*name_and_title(subject, ctx, sentence.end), verb.group("cue"))
