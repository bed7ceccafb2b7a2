"""Quoted names are not quotes, in any language's rules: a title-case name before the noun
it names, and quotations listed with one (invented English sentences)."""

from __future__ import annotations

from extractor.rules import find_items
from extractor.text.articles import article_from_text


def _quotes(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in find_items(article_from_text(text)).quotes]


def test_a_title_case_name_before_its_noun_is_no_quote() -> None:
    text = (
        'The "Taste of the Town" festival opened on Friday in the town square.\n'
        '"We Are Ready for the crowds," said Maria Lopez, the festival director.'
    )
    assert _quotes(text) == [("We Are Ready for the crowds", "Maria Lopez")]


def test_quotations_listed_with_a_name_or_a_modifier_are_names_too() -> None:
    text = (
        'The new phone has two modes, called "Night Sight" and "Portrait." It comes in '
        'what the maker described as "bold" and "classic" colours.\n'
        'Ana Reyes, the chief designer, said the phone was "simply better".'
    )
    assert _quotes(text) == [("simply better", "Ana Reyes")]


def test_a_short_quotation_needs_a_cue_anywhere_before_it_in_its_sentence() -> None:
    text = (
        "Mayor Ruth Adams said on Monday that the city would give the theatre company a "
        'two-year "emergency arts grant".\n'
        'Visitors praised the "friendly" staff of the museum.\n'
        'Tickets for the "iconic" Grand Theatre will go on sale in May, the mayor said.'
    )
    assert _quotes(text) == [("emergency arts grant", "Ruth Adams")]


def test_the_last_quotation_whose_closing_mark_was_lost_ends_with_its_line() -> None:
    text = (
        'Fire chief Tom Hale said "The building was empty when the fire started, and no one '
        "was hurt.\nThe cause of the fire is not yet known.\nRepairs will take months."
    )
    [(quote, speaker)] = _quotes(text)
    assert quote == "The building was empty when the fire started, and no one was hurt."
    assert speaker == "Tom Hale"
