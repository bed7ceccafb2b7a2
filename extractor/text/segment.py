"""Paragraphs, sentences and chunks, each with character offsets into the document.

Every `Segment` satisfies `document[start:end] == text`. Sentences never cross a newline.
A sentence ends at `.`, `!` or `?` (plus any closing quotes or brackets) followed by
whitespace and an uppercase letter, a letter of a caseless script, a digit or an opening
quote; and at CJK `。！？`. It does not end inside a quotation (“Clear. We must...”).

A full stop does not end a sentence after a title ("Gen.", "Mr."), after "No."/"Fig."
before a number, or after "vs."/"cf.". After dotted abbreviations ("U.S.", "e.g.",
"a.m."), initials ("John F. Kennedy"), words that may close a sentence ("Inc.", "Jr.",
"Jan.") and ellipses, it ends only before a common sentence starter ("in the U.S. The
next day" splits; "U.S. officials", "U.S. Army" do not). Decimals ("3.5%") never split.
All of this is linear in the text length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.text.lexicon import ABBREVIATED_TITLES, CALENDAR_ABBREVIATIONS
from extractor.text.quotation import CLOSERS, DOUBLE_CLOSERS, DOUBLE_OPENERS, OPENERS


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str


#: Abbreviations that never end a sentence, whatever the case.
NEVER_FINAL = frozenset({"vs", "cf", "approx", "viz", "ca"})
#: Abbreviations before a number ("No. 2", "Fig. 3"): they end nothing when a digit follows.
NUMBER_PREFIXES = frozenset({"no", "nos", "vol", "vols", "fig", "figs", "pp", "p", "op", "art"})
#: Abbreviations that may close a sentence: they end one only before a sentence starter.
MAYBE_FINAL = frozenset(
    """
    inc corp co ltd llc plc bros jr sr st etc al dept univ assn esq
    """.split()
)
#: Words that start a new sentence after an ambiguous full stop ("U.S. The ..."), lower-cased.
SENTENCE_STARTERS = frozenset(
    """
    the a an he she it its they we i you this that these those there here his her their our
    my in on at by for from with as after before when while since during if although though
    but and so yet also however meanwhile moreover still then thus now today yesterday
    according both each some many most all one several officials police
    """.split()
)
_PARAGRAPH = re.compile(r"[^\n]+")
#: Quotation marks (from `extractor.text.quotation`) and brackets that may close a
#: sentence after its final punctuation, or open the next one.
_STRAIGHT = "\"'"
_CLOSING = re.escape(_STRAIGHT + CLOSERS + ")]")
# A candidate boundary: terminal punctuation, closing quotes/brackets, whitespace; the
# lookahead captures the next character.
_BOUNDARY = re.compile(rf"(\.{{3,}}|…|[.!?]+)([{_CLOSING}]*)\s+(?=(\S))")
_CJK_BOUNDARY = re.compile(rf"[。！？]+(?![。！？）){re.escape(CLOSERS)}])")
#: Marks that open or close a quotation, for the nesting count (straight double quotes
#: toggle).
_QUOTE_MARK = re.compile(f"[{re.escape(_STRAIGHT[0] + DOUBLE_OPENERS + DOUBLE_CLOSERS)}]")
_OPENING = _STRAIGHT + OPENERS + "(["
_NEXT_WORD = re.compile(rf"[{re.escape(_OPENING)}]?(\w+)")


def paragraphs(text: str) -> list[Segment]:
    """Each non-blank line, without its surrounding whitespace."""
    return [seg for m in _PARAGRAPH.finditer(text) if (seg := _trim(text, m.start(), m.end()))]


def sentences(text: str) -> list[Segment]:
    """Sentences within paragraphs, whitespace trimmed."""
    result: list[Segment] = []
    for para in paragraphs(text):
        start = para.start
        for cut in _cuts(para.text):
            if (seg := _trim(text, start, para.start + cut)) is not None:
                result.append(seg)
            start = para.start + cut
        if (seg := _trim(text, start, para.end)) is not None:
            result.append(seg)
    return result


#: The size of the blocks (`blocks`) that the per-document stages work on one at a time.
BLOCK_CHARS = 20_000


def blocks(text: str, max_chars: int = BLOCK_CHARS) -> list[Segment]:
    """Consecutive runs of whole paragraphs, each at most `max_chars` long (a longer
    paragraph is cut between sentences by `chunks`), covering every non-blank line. A stage
    that runs block by block is linear in the text length, whatever it does within one
    block; an article shorter than `max_chars` is one block."""
    if len(text) <= max_chars:
        return [seg] if (seg := _trim(text, 0, len(text))) else []
    result: list[Segment] = []
    first: Segment | None = None
    last: Segment | None = None

    def flush() -> None:
        if first is not None and last is not None:
            result.append(Segment(first.start, last.end, text[first.start : last.end]))

    for para in paragraphs(text):
        if para.end - para.start > max_chars:
            flush()
            first = last = None
            result.extend(
                Segment(c.start + para.start, c.end + para.start, c.text)
                for c in chunks(para.text, max_chars, 0)
            )
        elif first is not None and para.end - first.start <= max_chars:
            last = para
        else:
            flush()
            first = last = para
    flush()
    return result


def chunks(text: str, max_chars: int, overlap_chars: int) -> list[Segment]:
    """Windows of whole sentences, at most `max_chars` long, overlapping by about
    `overlap_chars`, covering the text. A sentence longer than `max_chars` is cut at
    whitespace (or, with none, at `max_chars`)."""
    if max_chars <= 0 or overlap_chars < 0 or overlap_chars >= max_chars:
        raise ValueError("need 0 <= overlap_chars < max_chars")
    if len(text) <= max_chars:
        return [Segment(0, len(text), text)] if text else []
    pieces = [p for s in sentences(text) for p in _split_long(text, s, max_chars)]
    windows: list[Segment] = []
    first = 0
    while first < len(pieces):
        last = first
        while last + 1 < len(pieces) and pieces[last + 1].end - pieces[first].start <= max_chars:
            last += 1
        start, end = pieces[first].start, pieces[last].end
        windows.append(Segment(start, end, text[start:end]))
        if last + 1 >= len(pieces):
            break
        # Step back over whole sentences that fit in the overlap, as long as the next
        # window still reaches past this one.
        nxt = last + 1
        while (
            nxt - 1 > first
            and end - pieces[nxt - 1].start <= overlap_chars
            and pieces[last + 1].end - pieces[nxt - 1].start <= max_chars
        ):
            nxt -= 1
        first = nxt
    return windows


def _cuts(para: str) -> list[int]:
    """Offsets (within the paragraph) where one sentence ends and the next begins."""
    quoted = _Quotation(para)
    cuts: list[int] = []
    for match in _BOUNDARY.finditer(para):
        if _ends_sentence(para, match) and not quoted.inside(match.end(2)):
            cuts.append(match.end(2))
    quoted = _Quotation(para)
    for match in _CJK_BOUNDARY.finditer(para):
        if match.end() < len(para) and not quoted.inside(match.end()):
            cuts.append(match.end())
    return sorted(set(cuts))


class _Quotation:
    """Whether increasing offsets of a paragraph are inside a quotation (one pass)."""

    def __init__(self, para: str) -> None:
        self._marks = _QUOTE_MARK.finditer(para)
        self._pending: re.Match[str] | None = next(self._marks, None)
        self._depth = 0
        self._straight_open = False

    def inside(self, offset: int) -> bool:
        while self._pending is not None and self._pending.start() < offset:
            mark = self._pending.group()
            if mark == '"':
                self._straight_open = not self._straight_open
            elif mark in DOUBLE_OPENERS:
                self._depth += 1
            elif mark in DOUBLE_CLOSERS:
                self._depth = max(0, self._depth - 1)
            self._pending = next(self._marks, None)
        return self._depth > 0 or self._straight_open


def _ends_sentence(para: str, match: re.Match[str]) -> bool:
    nxt = match.group(3)
    if nxt not in _OPENING and not (nxt.isdigit() or (nxt.isalpha() and not nxt.islower())):
        return False
    punct = match.group(1)
    if punct[0] in "!?":
        return True
    following = _NEXT_WORD.match(para, match.end())
    starter = following is not None and following.group(1).lower() in SENTENCE_STARTERS
    if punct != ".":  # an ellipsis: a pause unless a new sentence plainly starts
        return starter
    word = _word_before(para, match.start(1))
    bare = word.rstrip(".")
    if not bare:
        return True  # after a digit, a bracket or a quote: "in 2012. The"
    if "." in bare or (len(bare) == 1 and bare.isupper()):
        return starter  # U.S., e.g., a.m.; an initial ("John F. Kennedy")
    lower = bare.lower()
    if bare in ABBREVIATED_TITLES or lower in NEVER_FINAL:
        return False
    if lower in NUMBER_PREFIXES:
        return not nxt.isdigit()
    # month and weekday abbreviations count when capitalised ("Jan.", "Sat.")
    if lower in MAYBE_FINAL or (lower in CALENDAR_ABBREVIATIONS and bare[0].isupper()):
        return starter
    return True


def _word_before(para: str, end: int) -> str:
    """The run of letters and dots just before `end` (at most 40 characters back)."""
    start = end
    while start > max(0, end - 40) and (para[start - 1].isalpha() or para[start - 1] == "."):
        start -= 1
    return para[start:end]


def _split_long(text: str, seg: Segment, max_chars: int) -> list[Segment]:
    if seg.end - seg.start <= max_chars:
        return [seg]
    parts: list[Segment] = []
    start = seg.start
    while seg.end - start > max_chars:
        cut = text.rfind(" ", start + 1, start + max_chars)
        cut = cut if cut > start else start + max_chars
        if (piece := _trim(text, start, cut)) is not None:
            parts.append(piece)
        start = cut
    if (piece := _trim(text, start, seg.end)) is not None:
        parts.append(piece)
    return parts


def _trim(text: str, start: int, end: int) -> Segment | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Segment(start, end, text[start:end]) if end > start else None
