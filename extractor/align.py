"""Grounding: find a string in the document and return offsets into the ORIGINAL text.

Three steps, the first that succeeds wins:
1. exact substring;
2. normalised (`normalise`): quotes, apostrophes and dashes folded to ASCII, whitespace
   runs (NBSP included) to one space, invisible soft hyphens and zero-width spaces dropped,
   accents composed (NFC); the match is mapped back to the original characters;
3. elided: a needle with an ellipsis (`…` or `...`) standing for a passage left out: its
   parts found in order (exact or normalised), each within `MAX_ELIDED` characters of the
   previous one; the match runs from the first part's start to the last one's end (fuzzy,
   scored by the share of the span its parts cover);
4. fuzzy: windows anchored on the needle's rarest words (CJK runs: 3-grams), widened and
   trimmed to word boundaries, scored case-insensitively with difflib; the best window is
   kept when its similarity is at least `FUZZY_THRESHOLD`.
Offsets are Python string indices (code points), so they are right for any script.
`same_words` tells a fuzzy match that differs only on the surface (case, punctuation, an
elided passage, a typo) from one that changes, adds or drops words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from extractor.schemas import Alignment
from extractor.text.offsets import Offsets
from extractor.text.quotation import DOUBLE, SINGLE, strip_enclosing

FUZZY_THRESHOLD = 0.85
# Bounds on the fuzzy step's work, whatever the document's length:
#: needle words (longest first) used as anchors;
MAX_CANDIDATES = 24
#: occurrences of one anchor that vote (more frequent anchors are skipped);
MAX_HITS = 200
#: best-voted places scored;
GUESSES = 5
#: best-scored places refined to the best word boundaries.
REFINED = 2
#: The longest passage an ellipsis in a needle may stand for, in characters.
MAX_ELIDED = 400
#: Two words this similar (difflib ratio) are one word with a typo.
TYPO_SIMILARITY = 0.8

_FOLD = str.maketrans(
    {
        **dict.fromkeys(DOUBLE + "″", '"'),
        **dict.fromkeys(SINGLE + "′`", "'"),
        **dict.fromkeys("–—‐‑‒−―", "-"),
    }
)
# What folding changes besides single characters: whitespace runs other than one plain
# space, invisible characters, and a character with its combining marks.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
_SPECIAL = re.compile(rf"(\s{{2,}}|[^\S ])|([\u00ad\u200b\u2060\ufeff]+)|(.[{_MARKS}]+)")
_WORD = re.compile(r"\w+")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
_SPACELESS = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    alignment: Alignment
    score: float


def normalise(text: str) -> str:
    """Fold quotes, apostrophes and dashes to ASCII, whitespace runs to one space (none at
    either end), drop soft hyphens and zero-width spaces, and compose accents (NFC)."""
    return _fold(text)


def locate(
    needle: str,
    document: str,
    *,
    near: int | None = None,
    within: tuple[int, int] | None = None,
    threshold: float = FUZZY_THRESHOLD,
) -> Match | None:
    """Where `needle` is in `document`, or None. Prefers the occurrence nearest `near`,
    else the first; `within=(a, b)` searches only `document[a:b]` (offsets stay document
    offsets). Surrounding whitespace and enclosing quotation marks of `needle` are ignored."""
    needle = strip_enclosing(needle.strip())
    if not needle:
        return None
    lo, hi = within if within is not None else (0, len(document))
    lo, hi = max(0, lo), min(len(document), hi)
    hits = _occurrences(document, needle, lo, hi)
    if hits:
        start = _nearest(hits, near)
        return Match(start, start + len(needle), Alignment.exact, 1.0)
    folded, offsets = _fold_document(document)
    target = normalise(needle)
    if not target:
        return None
    f_lo, f_hi = offsets.first_from(lo), offsets.first_from(hi)
    f_near = None if near is None else offsets.first_from(near)
    hits = [
        h
        for h in _occurrences(folded, target, f_lo, f_hi)
        if offsets.end(h + len(target) - 1) <= hi
    ]
    if hits:
        start = _nearest(hits, f_near)
        return _back(document, offsets, start, start + len(target), Alignment.normalised, 1.0)
    if _ELLIPSIS.search(needle):
        elided = _elided(needle, document, near, lo, hi)
        if elided is not None:
            return elided
    found = _fuzzy(folded, target, f_lo, f_hi, f_near, threshold)
    if found is None:
        return None
    start, end, score = found
    return _back(document, offsets, start, end, Alignment.fuzzy, score)


def same_words(needle: str, found: str) -> bool:
    """Whether `found` has the words of `needle`, in order, case and punctuation aside: a
    word may carry a typo, and an ellipsis in `needle` stands for any words."""
    parts = [_words(p) for p in _ELLIPSIS.split(needle)]
    words = _words(found)
    if len(parts) == 1:
        return len(words) == len(parts[0]) and all(map(_same_word, parts[0], words))
    first, *middle, last = parts
    if len(first) + len(last) > len(words) or not all(map(_same_word, first, words)):
        return False
    if not all(map(_same_word, reversed(last), reversed(words))):
        return False
    at, stop = len(first), len(words) - len(last)
    for part in middle:
        while at + len(part) <= stop and not all(map(_same_word, part, words[at:])):
            at += 1
        if at + len(part) > stop:
            return False
        at += len(part)
    return True


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(normalise(text))]


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= TYPO_SIMILARITY


def _elided(needle: str, document: str, near: int | None, lo: int, hi: int) -> Match | None:
    """The needle's parts around its ellipses, found in order (see the module's step 3):
    of the places where they all are, the shortest span (then the nearest to `near`)."""
    parts = [p for p in _ELLIPSIS.split(needle) if _WORD.search(p)]
    if not parts:
        return None
    best: tuple[int, int, int, int] | None = None  # length, distance, start, end
    cursor = lo
    for _ in range(MAX_HITS):
        head = locate(parts[0], document, within=(cursor, hi), threshold=2.0)
        if head is None:
            break
        cursor, end = head.start + 1, head.end
        for part in parts[1:]:
            window = (end, min(hi, end + MAX_ELIDED + len(part)))
            found = locate(part, document, within=window, threshold=2.0)
            if found is None:
                break
            end = found.end
        else:
            distance = 0 if near is None else abs(head.start - near)
            key = (end - head.start, distance, head.start, end)
            best = key if best is None or key < best else best
    if best is None:
        return None
    start, end = best[2], best[3]
    covered = sum(len(p) for p in parts) / (end - start)
    return Match(start, end, Alignment.fuzzy, round(min(1.0, covered), 4))


def _occurrences(haystack: str, needle: str, lo: int, hi: int) -> list[int]:
    hits = []
    start = haystack.find(needle, lo, hi)
    while start != -1:
        hits.append(start)
        start = haystack.find(needle, start + 1, hi)
    return hits


def _nearest(hits: list[int], near: int | None) -> int:
    return hits[0] if near is None else min(hits, key=lambda h: (abs(h - near), h))


def _fold(text: str, offsets: Offsets | None = None) -> str:
    """The normalised text; with `offsets`, where each normalised character comes from."""
    parts: list[str] = []
    pos = 0
    count = 0  # normalised characters so far

    def plain(a: int, b: int) -> None:
        nonlocal count
        parts.append(text[a:b].translate(_FOLD))
        count += b - a
        if offsets is not None:
            offsets.plain(a, b)

    for m in _SPECIAL.finditer(text):
        a, b = m.span()
        if a > pos:
            plain(pos, a)
        pos = b
        if m.group(1):  # whitespace: one space, none at either end
            if count and b < len(text) and not parts[-1].endswith(" "):
                parts.append(" ")
                count += 1
                if offsets is not None:
                    offsets.single(a, b)
        elif m.group(3):  # a letter and its combining marks: one character when NFC has one
            composed = unicodedata.normalize("NFC", m.group(3))
            if len(composed) == 1:
                parts.append(composed.translate(_FOLD))
                count += 1
                if offsets is not None:
                    offsets.single(a, b)
            else:
                plain(a, b)
    if pos < len(text):
        plain(pos, len(text))
    folded = "".join(parts)
    parts.clear()  # the pieces are no longer needed: free them before any copy
    if folded.startswith(" "):  # a single leading space, kept as it was
        folded = folded[1:]
        if offsets is not None:
            offsets.drop_first()
    if folded.endswith(" "):  # a single trailing space, or one before invisible characters
        folded = folded[:-1]
        if offsets is not None:
            offsets.drop_last()
    return folded


@lru_cache(maxsize=16)
def _fold_document(document: str) -> tuple[str, Offsets]:
    offsets = Offsets()
    return _fold(document, offsets), offsets


def _back(
    document: str, offsets: Offsets, start: int, end: int, how: Alignment, score: float
) -> Match | None:
    o_start, o_end = offsets.start(start), offsets.end(end - 1)
    while o_start < o_end and document[o_start].isspace():
        o_start += 1
    while o_end > o_start and document[o_end - 1].isspace():
        o_end -= 1
    return Match(o_start, o_end, how, score) if o_end > o_start else None


def _fuzzy(
    folded: str, target: str, lo: int, hi: int, near: int | None, threshold: float
) -> tuple[int, int, float] | None:
    """Best word-aligned window of `folded[lo:hi]` similar to `target`: (start, end, score).

    Occurrences of the needle's rarer words vote for where the needle would start; the few
    best-voted places are scored, and the best of them refined to the word boundaries
    (start first, then end) that score highest."""
    lowered, low_target = _lower(folded), target.lower()
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(low_target)
    slack = max(3, len(target) // 10)

    def similarity(start: int, end: int) -> float:
        """The difflib ratio, or (cheaper) an upper bound of it when that is too low."""
        if end <= start:
            return -1.0
        matcher.set_seq1(lowered[start:end])
        upper = matcher.quick_ratio()
        return upper if upper < threshold else matcher.ratio()

    def nearness(start: int) -> int:
        return 0 if near is None else -abs(start - near)

    windows = []  # (score, nearness, start, end, word starts, word ends) per guess
    for guess in _guesses(lowered, low_target, lo, hi, near):
        guess_end = guess + len(target)
        starts = _boundaries(lowered, guess - slack, guess + slack, lo, hi, starts=True)
        ends = _boundaries(lowered, guess_end - slack, guess_end + slack, lo, hi, starts=False)
        if starts and ends:
            start = min(starts, key=lambda s: abs(s - guess))
            end = min(ends, key=lambda e: abs(e - guess_end))
            windows.append((similarity(start, end), nearness(start), start, end, starts, ends))
    best: tuple[float, int, int, int] | None = None  # score, nearness, start, end
    for _, _, start, end, starts, ends in sorted(windows, reverse=True)[:REFINED]:
        start = max(starts, key=lambda s: similarity(s, end))
        end = max(ends, key=lambda e: similarity(start, e))
        key = (similarity(start, end), nearness(start), start, end)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None or best[0] < threshold:
        return None
    return best[2], best[3], round(best[0], 4)


def _lower(text: str) -> str:
    """Lower-case without changing the length (so offsets stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


def _guesses(lowered: str, target: str, lo: int, hi: int, near: int | None) -> list[int]:
    """Where in `lowered[lo:hi]` the needle most likely starts, best first (at most
    `GUESSES`): each occurrence of an anchor (a needle word, or a 3-gram of a CJK or Thai
    run; at most `MAX_CANDIDATES`, longest first) votes for the start it implies; anchors
    seen more than `MAX_HITS` times are skipped unless nothing rarer is present."""
    anchors: dict[str, int] = {}
    for m in _WORD.finditer(target):
        word = m.group()
        if _SPACELESS.search(word) and len(word) > 3:
            for i in range(len(word) - 2):
                anchors.setdefault(word[i : i + 3], m.start() + i)
        else:
            anchors.setdefault(word, m.start())
    pool = sorted(anchors, key=len, reverse=True)[:MAX_CANDIDATES]
    counts = {w: lowered.count(w, lo, hi) for w in pool}
    present = sorted((w for w in pool if counts[w]), key=counts.__getitem__)
    rare = [w for w in present if counts[w] <= MAX_HITS] or present[:1]
    bucket_size = max(8, len(target) // 8)
    votes: dict[int, set[str]] = defaultdict(set)
    implied: dict[int, Counter[int]] = defaultdict(Counter)
    for word in rare:
        for hit in _occurrences(lowered, word, lo, hi)[:MAX_HITS]:
            start = max(lo, hit - anchors[word])
            votes[start // bucket_size].add(word)
            implied[start // bucket_size][start] += 1

    def rank(bucket: int) -> tuple[int, int]:
        voters = votes[bucket] | votes.get(bucket - 1, set()) | votes.get(bucket + 1, set())
        distance = 0 if near is None else abs(bucket * bucket_size - near)
        return -len(voters), distance

    best = sorted(votes, key=rank)[:GUESSES]
    return [implied[b].most_common(1)[0][0] for b in best]


def _boundaries(text: str, a: int, b: int, lo: int, hi: int, *, starts: bool) -> list[int]:
    """Where a word of the whole text starts (or ends) in [a, b] and [lo, hi]: next to a
    space, between a letter and punctuation, after .!?, or (CJK, Thai) at any character."""
    found = []
    for pos in range(max(lo, a), min(hi, b) + 1):
        if starts:
            ok = (
                pos < hi
                and not text[pos].isspace()
                and (
                    pos == 0
                    or text[pos - 1].isspace()
                    or (text[pos].isalnum() and _edge(text, pos))
                )
            )
        else:
            ok = (
                pos > lo
                and not text[pos - 1].isspace()
                and (
                    pos == len(text)
                    or text[pos].isspace()
                    or (text[pos - 1].isalnum() and _edge(text, pos))
                    or text[pos - 1] in ".!?。！？"
                )
            )
        if ok:
            found.append(pos)
    return found


def _edge(text: str, pos: int) -> bool:
    """Whether a word may start or end between `text[pos - 1]` and `text[pos]`."""
    before, after = text[pos - 1], text[pos]
    if not (before.isalnum() and after.isalnum()):
        return True
    return bool(_SPACELESS.match(before) or _SPACELESS.match(after))
