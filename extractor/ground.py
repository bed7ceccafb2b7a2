"""Grounding: find a string in the document and return offsets into the ORIGINAL text.

Three steps, the first that succeeds wins:
1. exact substring;
2. normalised: curly and straight quotes/apostrophes, dashes and whitespace runs (NBSP
   included) folded, then mapped back to original offsets;
3. fuzzy: the best window around rare needle words whose similarity to the needle is at
   least `FUZZY_THRESHOLD`, trimmed to word boundaries.
Offsets are Python string indices (code points), so they are right for any script.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from schemas import Alignment

FUZZY_THRESHOLD = 0.85
#: Anchors tried per needle word in the fuzzy step (bounds the work on long documents).
MAX_ANCHORS = 200

_FOLD = str.maketrans(
    {
        **dict.fromkeys("“”„‟«»″", '"'),
        **dict.fromkeys("‘’‚‛′`", "'"),
        **dict.fromkeys("–—‐‑‒−―", "-"),
    }
)
_ENCLOSING = "\"'“”‘’«»„"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    alignment: Alignment
    score: float


def normalise(text: str) -> str:
    """Fold quotes, apostrophes and dashes to ASCII and whitespace runs to one space."""
    return " ".join(text.translate(_FOLD).split())


def locate(
    needle: str,
    document: str,
    *,
    near: int | None = None,
    within: tuple[int, int] | None = None,
    threshold: float = FUZZY_THRESHOLD,
) -> Match | None:
    """Where `needle` is in `document`, or None. Prefers the occurrence nearest `near`;
    `within=(a, b)` searches only `document[a:b]` (offsets stay document offsets)."""
    needle = _unquote(needle.strip())
    if not needle:
        return None
    lo, hi = within if within is not None else (0, len(document))
    hits = _all_occurrences(document, needle, lo, hi)
    if hits:
        start = _nearest(hits, near)
        return Match(start, start + len(needle), Alignment.exact, 1.0)
    folded, index = _folded(document)
    target = normalise(needle)
    nlo, nhi = _to_folded(index, lo), _to_folded(index, hi)
    hits = _all_occurrences(folded, target, nlo, nhi)
    if hits:
        start = _nearest(hits, None if near is None else _to_folded(index, near))
        return _back(document, index, start, start + len(target), Alignment.normalised, 1.0)
    found = _fuzzy(folded, target, nlo, nhi, threshold)
    if found is None:
        return None
    start, end, score = found
    return _back(document, index, start, end, Alignment.fuzzy, score)


def _unquote(needle: str) -> str:
    """Drop quotation marks that enclose the whole needle (models often add them)."""
    while (
        len(needle) >= 2
        and needle[0] in _ENCLOSING
        and needle[-1] in _ENCLOSING
        and not any(c in _ENCLOSING for c in needle[1:-1])
    ):
        needle = needle[1:-1].strip()
    return "" if needle and all(c in _ENCLOSING for c in needle) else needle


def _all_occurrences(haystack: str, needle: str, lo: int, hi: int) -> list[int]:
    hits = []
    start = haystack.find(needle, lo, hi)
    while start != -1:
        hits.append(start)
        start = haystack.find(needle, start + 1, hi)
    return hits


def _nearest(hits: list[int], near: int | None) -> int:
    return hits[0] if near is None else min(hits, key=lambda h: (abs(h - near), h))


@lru_cache(maxsize=16)
def _folded(document: str) -> tuple[str, tuple[int, ...]]:
    """The folded document and, per folded character, its original offset."""
    chars: list[str] = []
    index: list[int] = []
    pending_space = False
    for offset, char in enumerate(document):
        if char.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            index.append(offset - 1)
            pending_space = False
        chars.append(char.translate(_FOLD))
        index.append(offset)
    return "".join(chars), tuple(index)


def _to_folded(index: tuple[int, ...], offset: int) -> int:
    """First folded position whose original offset is >= `offset`."""
    return bisect_left(index, offset)


def _back(
    document: str, index: tuple[int, ...], start: int, end: int, how: Alignment, score: float
) -> Match | None:
    if start >= end or end > len(index):
        return None
    o_start, o_end = index[start], index[end - 1] + 1
    while o_start < o_end and document[o_start].isspace():
        o_start += 1
    while o_end > o_start and document[o_end - 1].isspace():
        o_end -= 1
    return Match(o_start, o_end, how, score) if o_end > o_start else None


def _fuzzy(
    folded: str, target: str, lo: int, hi: int, threshold: float
) -> tuple[int, int, float] | None:
    """Best word-aligned window similar to `target`, anchored on its longest words.

    Stage 1 scores one window per anchor; stage 2 tries word-boundary starts and ends
    around the few best anchors."""
    words = sorted({m.group() for m in _WORD.finditer(target)}, key=len, reverse=True)[:3]
    lowered, low_target = folded.lower(), target.lower()
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(low_target)
    anchors: dict[int, float] = {}
    for word in words:
        offset_in_target = low_target.find(word.lower())
        for hit in _all_occurrences(lowered, word.lower(), lo, hi)[:MAX_ANCHORS]:
            start = max(lo, hit - offset_in_target)
            if start not in anchors:
                matcher.set_seq1(lowered[start : start + len(target)])
                anchors[start] = matcher.ratio()
    best: tuple[float, int, int] | None = None
    slack = max(3, len(target) // 10)
    for start in sorted(anchors, key=anchors.__getitem__, reverse=True)[:5]:
        starts = _boundaries(lowered, start - slack, start + slack, lo, hi, starts=True)
        ends = _boundaries(
            lowered, start + len(target) - slack, start + len(target) + slack, lo, hi, starts=False
        )
        for s in starts:
            for e in ends:
                if e > s:
                    matcher.set_seq1(lowered[s:e])
                    score = matcher.ratio()
                    if best is None or score > best[0]:
                        best = (score, s, e)
    if best is None or best[0] < threshold:
        return None
    return best[1], best[2], round(best[0], 4)


def _boundaries(text: str, a: int, b: int, lo: int, hi: int, *, starts: bool) -> list[int]:
    """Word starts (or ends) in [a, b] that are real boundaries of the whole text."""
    found = []
    for pos in range(max(lo, a), min(hi, b) + 1):
        if starts:
            ok = (
                pos < len(text)
                and text[pos].isalnum()
                and (pos == 0 or not text[pos - 1].isalnum())
            )
        else:
            ok = (
                pos > 0
                and text[pos - 1].isalnum()
                and (pos == len(text) or not text[pos].isalnum())
            )
            ok = ok or (pos > 0 and text[pos - 1] in ".!?" and pos <= hi)
        if ok:
            found.append(pos)
    return found
