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
    doc = nlp.parse(text, nlp_model)
    people = scan_people(text)
    return Analysis(text, sentences(text), doc, people, find_entities(text, doc, people))
