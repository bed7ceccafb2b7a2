"""The per-document analysis every finder reads: the text parsed once.

`analyse(text)` segments the text, parses it with the spaCy pipeline (`extractor.nlp`),
scans the people and organisations it names (`people`) and groups their mentions into
entities (`entities`), so quotes, claims and events share one parse and one set of
canonical names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractor import nlp
from extractor.rules.entities import Entities, find_entities
from extractor.rules.people import People, scan_people
from extractor.text.segment import Segment, sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass
class Analysis:
    """One document, analysed: its text, sentences, spaCy parse, people and entities."""

    text: str
    sentences: list[Segment]
    doc: Doc
    people: People
    entities: Entities


def analyse(text: str, nlp_model: str | None = None) -> Analysis:
    """`text` segmented, parsed once, its people scanned and its entities grouped."""
    return _analysis(text, nlp.parse(text, nlp_model))


def _analysis(text: str, doc: Doc) -> Analysis:
    people = scan_people(text)
    return Analysis(text, sentences(text), doc, people, find_entities(text, doc, people))


class PendingAnalysis:
    """`analyse(text)`, its parse queued (`nlp.submit`) and the rest done on `result()`."""

    def __init__(self, text: str, nlp_model: str | None = None, *, background: bool = True) -> None:
        self.text = text
        self._parse = nlp.submit(text, nlp_model, background=background)

    def result(self) -> Analysis:
        return _analysis(self.text, self._parse.doc())

    def cancel(self) -> None:
        """Not needed after all (its parse leaves the queue if no batch took it yet)."""
        self._parse.cancel()


def analyse_later(
    text: str, nlp_model: str | None = None, *, background: bool = True
) -> PendingAnalysis:
    """`analyse(text)` to be finished later: the text is queued for parsing now, and
    parsed (in one batch with the texts queued by then) when the result is asked for. A
    thread that waits for a model meanwhile gets its parse batched with those of the
    other documents in flight. Without `background`, no parser thread takes it: the
    first `result()` of any text queued so parses them all, in one batch."""
    return PendingAnalysis(text, nlp_model, background=background)
