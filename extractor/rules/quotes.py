"""Quotes: the quotations `text.quotation` finds, filtered and attributed.

- A quotation (in any pair of marks but straight single ones) is kept when it spans at
  most `MAX_QUOTE_LINES` line breaks and `MAX_QUOTE_CHARS` characters; its text is
  trimmed of whitespace and a trailing comma.
  One never closed before the next opening mark is kept up to the last line end before
  that mark when that line ends a sentence (a multi-paragraph quotation); the last one,
  never closed, up to its own line end when that ends a sentence (a closing mark the
  source lost).
- Attribution, first that applies: a cue after the closing mark ("…," said X / "…," X
  said); the subject of the last cue verb before the opening mark in its sentence (X
  said, "…" / X, the Y of Z, said: "…" / "…, stating, "…" -> the sentence subject); for
  a quote opening a line with no cue, the speaker of a quote that ended on the line
  before. Cue verbs are English: elsewhere a quote may have no speaker.
- A quoted span of at most three words that is a fragment (scare quotes, names, titles
  of works) is kept only when a cue verb comes before it in its sentence or an
  attribution ("…," he said) follows it, and not when it is all capitalised ("New GM"),
  qualifies the noun or name after it (a "deferred termination" package, the "iconic"
  Ford Falcon) or is listed with a quotation that does ("better" and "fuel-efficient"
  cars, "Mission Control" and "Launchpad."). A title-case name before the noun it names
  (the "Back to the Mac" event) is never a quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from extractor.rules.analysis import Analysis
from extractor.rules.people import expand_acronym
from extractor.rules.speakers import (
    CLAIM_CUE,
    QUOTE_CUE,
    Attribution,
    is_name,
    speaker_after,
    speaker_before,
    speaker_from_parse,
)
from extractor.schemas import Quote
from extractor.text.quotation import DOUBLE, PAIRS, quotations

MAX_QUOTE_LINES = 8
MAX_QUOTE_CHARS = 3000
#: A partial quote this short needs a cue verb before it in its sentence.
SHORT_QUOTE_WORDS = 3
#: Sentence-final punctuation, with any closing quotes or brackets.
FINAL = re.compile(r"[.!?][\"'”’)\]]*$")
_ENDS_WITH_CUE = re.compile(rf"{QUOTE_CUE.pattern}[,:]?$")
#: The next double-family opening mark: the attribution after a quote stops there.
_NEXT_OPENING = re.compile(f"[{re.escape(''.join(m for m in PAIRS if m in DOUBLE))}]")
#: Words that may follow a short partial quote in the reporter's sentence.
_CONTINUATIONS = frozenset(
    "and or but nor to was is were are be been as in on at for of from with by that which "
    "when while who than because during after before about into over under until if so "
    "said says he she they it".split()
)


@dataclass(frozen=True)
class Marks:
    """A quotation: its opening mark, the quoted text [start, end), and the index just
    after its closing mark (or the line end when the quotation is never closed)."""

    open: int
    start: int
    end: int
    after: int


def find_quotes(analysis: Analysis) -> list[Quote]:
    """Every quote of the article, attributed where a cue says who; the analysis's
    `people` learns the speakers named."""
    text, sents, people = analysis.text, analysis.sentences, analysis.people
    starts = [s.start for s in sents]
    quotes: list[Quote] = []
    previous: tuple[Marks, Quote] | None = None
    titles: dict[str, str] = {}
    names_at: int | None = None  # where the last quotation dropped as a name ended
    for marks in quote_spans(text):
        first = sents[max(0, bisect_right(starts, marks.open) - 1)]
        last = sents[max(0, bisect_right(starts, max(marks.after - 1, marks.open)) - 1)]
        same_sentence = previous is not None and previous[0].after > first.start
        ctx_start = previous[0].after if previous and same_sentence else first.start
        prefix = text[ctx_start : marks.open]
        after = text[marks.after : max(last.end, marks.after)]
        after = _NEXT_OPENING.split(after, maxsplit=1)[0]
        quoted = text[marks.start : marks.end]
        kind = quote_kind(quoted, prefix, text[marks.end : marks.after])
        who, cue = speaker_after(after, people, marks.open)
        if _titled(quoted) and _modifier(_past_coordinated(text, marks.after)):
            continue  # the "Back to the Mac" event: the name of a thing
        short = who is None and len(quoted.split()) <= SHORT_QUOTE_WORDS
        if short and not (previous and _whole_sentence(quoted) and not prefix.strip()):
            # (a whole sentence quoted right after another quotation is its speaker's:
            # '"This is not over," said X. "We will fight."')
            window = text[first.start : marks.open]
            if not QUOTE_CUE.search(window) and not CLAIM_CUE.search(window):
                continue  # scare quotes, names, titles of works
            ends_clause = "," in text[marks.end : marks.after]  # called "a disaster," passed
            if _name_like(quoted) or (
                not ends_clause and _modifier(_past_coordinated(text, marks.after))
            ):
                names_at = marks.after
                continue  # "New GM", a "deferred termination" package, "better" and "safe" cars
            if names_at is not None and _COORDINATED_QUOTE.fullmatch(text[names_at : marks.open]):
                names_at = marks.after
                continue  # dubbed "Mission Control" and "Launchpad.": a list of names
        if who is None:
            who, cue = speaker_before(text, first.start, ctx_start, marks.open, people)
        if previous and (who is None or not (who.name or who.title)):
            line_start = not prefix.strip() and text.count("\n", previous[0].after, marks.open) <= 1
            if same_sentence or line_start:
                who = Attribution(previous[1].speaker, previous[1].speaker_title)
                cue = cue or previous[1].cue
        speaker = expand_acronym(who.name, text) if who and who.name else None
        described = who is not None and who.name is None and who.title is not None
        # a description may still name someone mentioned before ("the minister said")
        if described or speaker is None or not is_name(speaker, analysis.entities):
            # the sentences the quotation spans, and the one its closing mark runs into
            # ('…?" said X': the segmenter may have cut there)
            rest = text[marks.after : marks.after + 40]
            gap = len(rest) - len(rest.lstrip(" ,"))
            runs_on = rest[gap : gap + 1].islower()  # ' said X', not a new sentence
            at = marks.after + gap if runs_on else marks.after - 1
            after_end = sents[max(0, bisect_right(starts, at) - 1)].end
            parsed = speaker_from_parse(
                analysis.doc, first.start, max(last.end, marks.after, after_end),
                (marks.open, marks.after), analysis.entities,
            )  # fmt: skip
            if parsed is not None:
                speaker = parsed
            elif speaker is not None and _fragment(speaker):
                speaker = None
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


def _fragment(speaker: str) -> bool:
    """A speaker phrase that no name reading saves: a single word that is no entity
    ("Addressing", "One") or a clause ("Several new applications will be")."""
    words = speaker.split()
    return len(words) == 1 or any(w.islower() for w in words[1:])


def quote_spans(text: str) -> list[Marks]:
    """The quotations that may be quotes, trimmed (see the module's docstring)."""
    found: list[Marks] = []
    # Straight single marks are not read as quotes: English copy uses them for terms
    # ("This 'switch', he said", "the events of 'Black Monday.'"), not for speech.
    spans = [q for q in quotations(text) if q.mark != "'"]
    for index, quotation in enumerate(spans):
        if quotation.close is not None:
            lines = text.count("\n", quotation.open, quotation.close)
            if lines <= MAX_QUOTE_LINES and quotation.close - quotation.open <= MAX_QUOTE_CHARS:
                found.extend(_trimmed(text, quotation.open, quotation.close, quotation.close + 1))
        else:  # never closed: keep it if its line ends a sentence
            if index + 1 < len(spans):  # paragraphs of one quotation, each opened anew
                line_end = text.rfind("\n", quotation.open, spans[index + 1].open)
            else:  # the last: its closing mark lost, it ends with its line
                line_end = text.find("\n", quotation.open)
            if line_end > 0 and FINAL.search(text[quotation.open : line_end].rstrip()):
                found.extend(_trimmed(text, quotation.open, line_end, line_end))
    return found


def _trimmed(text: str, open_at: int, end: int, after: int) -> list[Marks]:
    start = open_at + 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return [Marks(open_at, start, end, after)] if end > start else []


def _whole_sentence(quoted: str) -> bool:
    """A capitalised sentence with its final punctuation: "We will fight."."""
    return quoted[:1].isupper() and quoted.rstrip()[-1:] in (".", "!", "?")


def _name_like(quoted: str) -> bool:
    """Every word capitalised and no final punctuation: a name or a title of a work."""
    return not FINAL.search(quoted) and all(w[:1].isupper() for w in quoted.split())


#: What joins two quotations in a list: `"A" and "B"`, `"A", "B"`.
_COORDINATED_QUOTE = re.compile(r"\s*(?:,|,?\s*(?:and|or))\s*")
_NEXT_QUOTED = re.compile(
    rf"{_COORDINATED_QUOTE.pattern}[{re.escape(''.join(m for m in PAIRS if m in DOUBLE))}]"
)


def _past_coordinated(text: str, after: int) -> str:
    """The text after a quotation, past the quotations coordinated with it (`"better"
    and "fuel-efficient" cars` -> ` cars`)."""
    while (joined := _NEXT_QUOTED.match(text, after)) is not None:
        close = next(
            (q.close for q in quotations(text[joined.end() - 1 : joined.end() + 80])), None
        )
        if close is None:
            break
        after = joined.end() - 1 + close + 1
    return text[after:]


def _titled(quoted: str) -> bool:
    """A title in title case ("Back to the Mac"): several words, each capitalised but
    the short function words, no final punctuation."""
    words = quoted.split()
    small = {"to", "the", "of", "a", "an", "and", "in", "for", "on", "at", "by", "with"}
    return (
        len(words) > 1
        and not FINAL.search(quoted)
        and not quoted.endswith(",")
        and all(w[:1].isupper() or w in small for w in words)
        and words[0][:1].isupper()
    )


def _modifier(after: str) -> bool:
    """The quotation is followed by a word that is neither punctuation nor a word that
    carries the sentence on ("and", "to", "was", ...): it qualifies a noun, or a name
    (the "iconic" Ford Falcon)."""
    following = re.match(r"[ \t]*([a-z]+|[A-Z][a-z]+[ \t]+[A-Z][a-z]+)\b", after)
    return following is not None and following.group(1) not in _CONTINUATIONS


def quote_kind(quoted: str, prefix: str, closing: str) -> str:
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


def quoted_share(start: int, end: int, quoted: list[tuple[int, int]]) -> float:
    """The share of [start, end) that lies inside the `quoted` spans."""
    inside = sum(max(0, min(e, end) - max(s, start)) for s, e in quoted)
    return inside / max(1, end - start)


def inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= position < e for s, e in spans)
