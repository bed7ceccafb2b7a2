"""Merging grounded items from several sources: the candidates (the rules engine's
items) first, then each model answer's, an item added unless it is one already kept.

Looking for "the same item" looks only at kept items that start near it (kept sorted by
start, searched by bisection), so a merge is not quadratic in the items of a long text."""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator
from itertools import count
from typing import Generic, TypeVar

from extractor.schemas import Claim, DocumentExtraction, Event, Quote, Span, overlap_ratio

#: Two spans overlapping this much are the same item.
SAME_ITEM = 0.5
_WORD = re.compile(r"\w+")

S = TypeVar("S", bound=Span)


def merge(
    candidates: DocumentExtraction | None, answers: Iterable[DocumentExtraction]
) -> DocumentExtraction:
    """Candidates first; a model item is added unless it is the same item as one already
    kept (spans overlapping >= SAME_ITEM; for events, also the same type and no other
    trigger: one sentence may report two events of a type, "The Nasdaq fell ..., and the
    S&P 500 dropped ..."). A model item inside another model item is the same one, cut
    by a chunk's edge: the longer is kept. A kept quote without a speaker takes the
    model's."""
    merged = candidates.model_copy(deep=True) if candidates else DocumentExtraction()
    order = count()  # insertion order, across kinds (events are kept per type)
    quotes, claims = _Kept(merged.quotes, order), _Kept(merged.claims, order)
    events: dict[str, _Kept[Event]] = {}
    for event in merged.events:
        events.setdefault(event.event_type, _Kept([], order)).add(event)
    for kept_events in events.values():
        kept_events.hold()
    for answer in answers:
        for quote in answer.quotes:
            same = quotes.same(quote)
            if same is None:
                quotes.add(quote)
            elif quotes.widens(same, quote):
                speaker = quote.speaker or same.speaker
                quotes.swap(same, quote.model_copy(update={"speaker": speaker}))
            elif same.speaker is None and quote.speaker:
                quotes.swap(same, same.model_copy(update={"speaker": quote.speaker}))
        for claim in answer.claims:
            same_claim = claims.same(claim)
            if same_claim is None:
                claims.add(claim)
            elif claims.widens(same_claim, claim):
                claims.swap(same_claim, claim)
        for event in answer.events:
            kept = events.setdefault(event.event_type, _Kept([], order))
            same_event = kept.same(event, _same_trigger(event))
            if same_event is None:
                kept.add(event)
            elif kept.widens(same_event, event):
                kept.swap(same_event, event)
    merged.quotes, merged.claims = quotes.items(), claims.items()
    merged.events = [e for _, e in sorted(p for kept in events.values() for p in kept.pairs())]
    for items in (merged.quotes, merged.claims, merged.events):
        items.sort(key=lambda item: (item.char_start, item.char_end))
    return merged


def _same_trigger(event: Event) -> Callable[[Event], bool]:
    """Whether another event's trigger may name the same event as `event`'s: one of them
    has none, or a word of one starts a word of the other ("cut" and "job cuts")."""
    mine = _trigger_words(event.trigger)

    def same(other: Event) -> bool:
        theirs = _trigger_words(other.trigger)
        return (
            not mine
            or not theirs
            or any(a.startswith(b) or b.startswith(a) for a in mine for b in theirs)
        )

    return same


def _trigger_words(trigger: str | None) -> list[str]:
    return [w for w in _WORD.findall((trigger or "").casefold()) if len(w) >= 3]


def _same_source(a: Span, b: Span) -> bool:
    """Whether two items may be one person's: a claim inside another claim by someone else
    is a claim of its own ("This is due to ..., including the government's announcement
    that *it would buy bad loans*")."""
    field = "speaker" if isinstance(a, Quote) else "claimant" if isinstance(a, Claim) else None
    if field is None:
        return True
    mine, theirs = getattr(a, field), getattr(b, field)
    return mine is None or theirs is None or mine == theirs


def _nested(a: Span, b: Span) -> bool:
    """Whether one of the two spans lies inside the other."""
    return (a.char_start <= b.char_start and b.char_end <= a.char_end) or (
        b.char_start <= a.char_start and a.char_end <= b.char_end
    )


class _Kept(Generic[S]):
    """Kept items of one kind, by start offset."""

    def __init__(self, items: list[S], order: Iterator[int]) -> None:
        self._order = order
        self._keyed: list[tuple[int, int, S]] = []
        self._longest = 0
        #: The candidates' items (kept whole: never taken for a cut part of another).
        self._candidates: set[int] = set()
        for item in items:
            self.add(item)
        self.hold()

    def hold(self) -> None:
        """The items kept so far are candidates."""
        self._candidates = {id(item) for _, _, item in self._keyed}

    def same(self, item: Span, also: Callable[[S], bool] | None = None) -> S | None:
        """The first kept item (by start) overlapping `item` by SAME_ITEM or more (and that
        `also` accepts): only those starting less than the longest kept item before
        `item`'s end can."""
        span = (item.char_start, item.char_end)
        at = bisect_left(self._keyed, item.char_start - self._longest, key=lambda k: k[0])
        while at < len(self._keyed) and (other := self._keyed[at][2]).char_start < span[1]:
            alike = overlap_ratio((other.char_start, other.char_end), span) >= SAME_ITEM or (
                id(other) not in self._candidates
                and _nested(other, item)
                and _same_source(other, item)
            )
            if alike and (also is None or also(other)):
                return other
            at += 1
        return None

    def add(self, item: S) -> None:
        insort(self._keyed, (item.char_start, next(self._order), item), key=lambda k: k[:2])
        self._longest = max(self._longest, item.char_end - item.char_start)

    def widens(self, kept: S, item: Span) -> bool:
        """Whether `item` holds all of `kept` (a model's item, not a candidate) and more:
        `kept` was cut by a chunk's edge."""
        return (
            id(kept) not in self._candidates
            and item.char_start <= kept.char_start
            and kept.char_end <= item.char_end
            and item.char_end - item.char_start > kept.char_end - kept.char_start
        )

    def swap(self, old: S, new: S) -> None:
        """`new` in the place of `old` (its insertion order kept)."""
        at = bisect_left(self._keyed, old.char_start, key=lambda k: k[0])
        while self._keyed[at][2] is not old:
            at += 1
        _, order, _ = self._keyed.pop(at)
        insort(self._keyed, (new.char_start, order, new), key=lambda k: k[:2])
        self._longest = max(self._longest, new.char_end - new.char_start)

    def pairs(self) -> list[tuple[int, S]]:
        """(insertion order, item) of every kept item."""
        return [(order, item) for _, order, item in self._keyed]

    def items(self) -> list[S]:
        """The kept items, in the order they were kept."""
        return [item for _, item in sorted(self.pairs(), key=lambda p: p[0])]
