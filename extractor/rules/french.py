"""Quotes in French: the same quotations (« … » with their spaces, “ … ”), attributed by
French cue verbs (`a déclaré`, `a indiqué`, `selon`, `affirme`, `estime`, ...). There is
no French parse: speakers come from patterns and from the article's own words. Here the
order in which the ways of attributing are tried; each is in `french_attribution` (the
cue patterns), and what a speaker phrase names in `french_speakers`.

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

A quotation holding an exchange (`« A ! — B ! »`) is one quote per turn; a short name-like
quotation (`« A3 »`) needs a cue next to it.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from extractor.rules.french_attribution import (
    ANY_CUE,
    attribution_end,
    speaker_after,
    speaker_before,
    speaker_in_sentence,
    speaker_of_previous_sentence,
    subject_of_quote,
)
from extractor.rules.french_speakers import NAME, SpeakerContext, name_and_title, sentence_subject
from extractor.rules.quotes import SHORT_QUOTE_WORDS, Marks, quote_kind, quote_spans
from extractor.schemas import Quote
from extractor.text.segment import Segment

_CONJUNCTIONS = frozenset({"et", "puis", "mais", "ou"})


def find_french_quotes(text: str, sents: list[Segment]) -> list[Quote]:
    """Every quotation of a French article that may be a quote, with its speaker where a
    French cue says who."""
    starts = [s.start for s in sents]
    spans = _dialogue_turns(text, quote_spans(text))
    ctx = SpeakerContext(text, sents, [(m.open, m.after) for m in spans])
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
        who, title, cue = speaker_before(prefix, ctx, marks.open)
        if cue is None or who is None:
            who, title, cue = speaker_after(after, ctx, marks.open)
        if cue is None:
            who, title, cue = speaker_before(prefix, ctx, marks.open)
        if cue is not None and who in _CONJUNCTIONS:  # "X se dit « … » et pense que « … »"
            subject = sentence_subject(text[sentence.start : marks.open])
            who, title = name_and_title(subject, ctx, marks.open) if subject else (None, None)
        adjacent = cue is not None
        if (
            cue is None
            and previous
            and (not prefix.strip(" \t,") or same_sentence)
            and not ANY_CUE.search(text[max(previous[0], attributed) : marks.open])
        ):  # "… », et à « … »", "… ». « … »": the same speaker goes on, unless a cue between
            who, title, cue = previous[1].speaker, previous[1].speaker_title, previous[1].cue
        if cue is None:
            who, title, cue = speaker_in_sentence(
                text[sentence.start : marks.open], ctx, marks.open
            )
        if cue is None and text[marks.start : marks.start + 1].islower():
            who, title, cue = subject_of_quote(text[sentence.start : marks.open], ctx, marks.open)
        if cue is None and not text[sentence.start : marks.open].strip() and index > 0:
            who, title, cue = speaker_of_previous_sentence(sents[index - 1], ctx)
        quoted = text[marks.start : marks.end]
        if len(quoted.split()) <= SHORT_QUOTE_WORDS and (
            cue is None or (not adjacent and _name_like(quoted))
        ):
            continue  # « mules », « A3 »: names and scare quotes, with no cue
        if who and NAME.fullmatch(who):
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
        attributed = marks.after + attribution_end(after)
    return quotes


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
