"""One document's text and what grounding asks of it, computed once: whether it names a
name (case, quotation marks, dashes, whitespace and a possessive 's aside; joint names
each), whether a paragraph holds a surname, and the sentence around a match."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from functools import cached_property

from extractor.align import Match, normalise
from extractor.text.quotation import QuotedRegions
from extractor.text.segment import Segment, sentences

#: A name longer than this is a phrase, not a name.
MAX_NAME_WORDS = 8


_POSSESSIVE = re.compile(r"(?<=\w)'s\b")


_WORD = re.compile(r"\w+")


#: What joins the names of joint speakers ("A and B", "A, B and C", "A & B").
_JOINT = re.compile(r",\s*(?:and\s+)?|\s+(?:and|&)\s+")


#: A capitalised name, then lower-case words ("Apple Inc. website", "Boeing spokesman").
_NAME_AND_NOUNS = re.compile(r"(.*\b[A-Z][\w.'’-]*)((?:\s+[a-z][\w'’-]*)+)")


#: How many ranges' sentences a Document keeps (memory stays bounded on a long text).
_SENTENCE_RANGES = 4


#: How far around a place its paragraph is searched for the item's speaker or claimant.
_PARAGRAPH_REACH = 600


class Document:
    """One document's text and what grounding needs of it, computed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._sentences: dict[tuple[int, int], tuple[list[Segment], list[int]]] = {}
        self._named: dict[str, bool] = {}

    @cached_property
    def regions(self) -> QuotedRegions:
        return QuotedRegions(self.text)

    @cached_property
    def folded(self) -> str:
        return _fold_name(self.text)

    @cached_property
    def _word_starts(self) -> dict[str, array[int]]:
        """Where each word of the folded text starts (an index, so that looking a name up
        costs the occurrences of its rarest word, not a scan of the text)."""
        index: dict[str, array[int]] = {}
        for m in _WORD.finditer(self.folded):
            word = m.group()
            if word not in index:
                index[word] = array("q")
            index[word].append(m.start())
        return index

    def names(self, name: str) -> bool:
        """`name` is a name-sized phrase that the document contains as whole words (case,
        quotes, dashes, whitespace and possessive 's aside), or joint names ("Ron
        Gettelfinger and Gerald Bantom", "A, B and C") each of which it contains."""
        phrase = _fold_name(name).strip(" .,;:")
        if not phrase or len(phrase.split()) > MAX_NAME_WORDS:
            return False
        if phrase not in self._named:
            parts = [p.strip(" .,;:") for p in _JOINT.split(phrase)]
            self._named[phrase] = (
                self._contains(phrase)
                or (len(parts) > 1 and all(p and self._contains(p) for p in parts))
                or self._resolved(name)
            )
        return self._named[phrase]

    def _resolved(self, name: str) -> bool:
        """A name followed by common nouns that the article uses of it ("Apple Inc.
        website" for "according to the company website"): the name is named and each
        noun is a word of the article."""
        m = _NAME_AND_NOUNS.fullmatch(name.strip())
        if m is None:
            return False
        head = _fold_name(m.group(1)).strip(" .,;:")
        nouns = _fold_name(m.group(2)).split()
        return self._contains(head) and all(n in self._word_starts for n in nouns)

    def _contains(self, phrase: str) -> bool:
        words = list(_WORD.finditer(phrase))
        folded = self.folded
        if not words:
            return phrase in folded
        index = self._word_starts
        rarest = min(words, key=lambda m: len(index.get(m.group(), ())))
        for at in index.get(rarest.group(), ()):
            start = at - rarest.start()
            end = start + len(phrase)
            if (
                start >= 0
                and folded.startswith(phrase, start)
                and not (start and _is_word(folded[start - 1]) and _is_word(phrase[0]))
                and not (end < len(folded) and _is_word(folded[end]) and _is_word(phrase[-1]))
            ):
                return True
        return False

    def paragraph_names(self, m: Match, surnames: list[str]) -> bool:
        """Whether the paragraph around `m` (at most `_PARAGRAPH_REACH` characters either
        side) holds one of `surnames` (folded) as a whole word."""
        text = self.text
        lo = max(text.rfind("\n", 0, m.start) + 1, m.start - _PARAGRAPH_REACH)
        hi = text.find("\n", m.end)
        hi = min(len(text) if hi == -1 else hi, m.end + _PARAGRAPH_REACH)
        around = {w.group() for w in _WORD.finditer(_fold_name(text[lo:hi]))}
        return any(name in around for name in surnames)

    def sentence_around(self, m: Match, within: tuple[int, int]) -> tuple[int, int]:
        """The sentence of `text[within]` sharing the most characters with the match
        (the match itself when none does)."""
        if within not in self._sentences:
            if len(self._sentences) >= _SENTENCE_RANGES:  # items come range by range
                del self._sentences[next(iter(self._sentences))]
            start, end = within
            sents = [Segment(s.start + start, s.end + start, s.text)
                     for s in sentences(self.text[start:end])]  # fmt: skip
            self._sentences[within] = (sents, [s.start for s in sents])
        sents, starts = self._sentences[within]
        best, best_overlap = (m.start, m.end), 0
        for s in sents[max(0, bisect_right(starts, m.start) - 1) :]:
            if s.start >= m.end:
                break
            overlap = min(m.end, s.end) - max(m.start, s.start)
            if overlap > best_overlap:
                best, best_overlap = (s.start, s.end), overlap
        return best


def surnames_of(person: str | None) -> list[str]:
    """The last word of each of `person`'s names, folded ("Norm Dicks" -> ["dicks"];
    joint speakers: one each)."""
    if not person:
        return []
    parts = _JOINT.split(_fold_name(person))
    return [words[-1] for p in parts if (words := _WORD.findall(p)) and len(words[-1]) > 1]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _fold_name(text: str) -> str:
    return _POSSESSIVE.sub("", normalise(text).casefold())
