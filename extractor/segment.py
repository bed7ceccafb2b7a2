"""Paragraphs, sentences and chunks, each with character offsets into the document.

Every `Segment` satisfies `document[start:end] == text`. Sentences never cross a newline
and are not cut at abbreviations ("U.S.", "Gen.", "No. 2"), initials ("John F. Kennedy")
or decimals ("3.5%").
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str


#: Words after which a full stop does not end a sentence (lower-cased, without the dot).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt gen lt col maj capt cpt sgt cmdr adm gov sen rep rev hon
    pres supt insp det fr atty amb inc corp co ltd llc plc bros dept univ assn
    no nos vol vols fig figs pp p op approx est vs etc al cf ca
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    """.split()
)
#: After "U.S." or "U.K." these words start a new sentence; other words continue it.
SENTENCE_STARTERS = frozenset(
    """
    the a an he she it they we i this that these those there in on at but and so yet
    however meanwhile after before when while his her their its our officials
    """.split()
)
_PARAGRAPH = re.compile(r"[^\n]+")
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
_BOUNDARY = re.compile(
    r"([.!?]+|…)([\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[A-Z0-9\u00C0-\u024F\u3040-\u9fff])"
)
_CJK_BOUNDARY = re.compile(r"[。！？]+[」』”’]*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


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


def chunks(text: str, max_chars: int, overlap_chars: int) -> list[Segment]:
    """Windows of whole sentences, at most `max_chars` long, overlapping by about
    `overlap_chars`, covering the text. A sentence longer than `max_chars` is cut at
    whitespace."""
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
        # Step back over whole sentences that fit in the overlap, always advancing.
        nxt = last + 1
        while nxt - 1 > first and end - pieces[nxt - 1].start <= overlap_chars:
            nxt -= 1
        first = nxt
    return windows


def _cuts(para: str) -> list[int]:
    """Offsets (within the paragraph) where one sentence ends and the next begins."""
    cuts: list[int] = []
    for match in _BOUNDARY.finditer(para):
        if match.group(1) == "." and not _ends_sentence(para, match):
            continue
        if _inside_quotation(para, match.end(2)):
            continue  # “Clear. We must remain vigilant.” is one quoted utterance
        cuts.append(match.end(2))
    cuts.extend(m.end() for m in _CJK_BOUNDARY.finditer(para) if m.end() < len(para))
    return sorted(set(cuts))


def _inside_quotation(para: str, offset: int) -> bool:
    before = para[:offset]
    if before.count("“") > before.count("”"):
        return True
    return before.count('"') % 2 == 1


def _ends_sentence(para: str, match: re.Match[str]) -> bool:
    before = _WORD_BEFORE.search(para, 0, match.start(1))
    if before is None:
        return True  # after a digit, a bracket or a quote: "in 2012. The"
    word = before.group(1)
    bare = word.rstrip(".").lower()
    following = para[match.end() :].split(" ", 1)[0].strip("\"'“‘([").lower()
    if "." in word.rstrip("."):  # U.S., e.g., a.m.: a sentence ends only before a starter
        return following in SENTENCE_STARTERS
    if len(word) == 1 and word.isupper():  # an initial: "John F. Kennedy"
        return False
    return bare not in ABBREVIATIONS


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
