"""Date mentions: explicit dates, relative ones resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.text.dates import find_dates

FRIDAY = date(2025, 7, 11)


def _found(text: str, published: date | None = FRIDAY) -> list[tuple[str, str | None]]:
    mentions = find_dates(text, published)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    return [(m.text, m.iso) for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It opened July 11, 2025 downtown.", [("July 11, 2025", "2025-07-11")]),
        ("It opened 11 July 2025 downtown.", [("11 July 2025", "2025-07-11")]),
        ("Filed 2025-07-11.", [("2025-07-11", "2025-07-11")]),
        ("Sales fell in July 2025.", [("in July 2025", "2025-07")]),
        ("It closed in 2012.", [("in 2012", "2012")]),
        ("Due Sept. 3 at noon.", [("Sept. 3", "2025-09-03")]),
        ("At a conference on June 1st, he spoke.", [("on June 1st", "2025-06-01")]),
        ("Founded Feb. 29, 2024.", [("Feb. 29, 2024", "2024-02-29")]),
    ],
)
def test_explicit_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_relative_days_resolve_against_publication() -> None:
    text = "It rained yesterday, clears today and returns tomorrow."
    assert [iso for _, iso in _found(text)] == ["2025-07-10", "2025-07-11", "2025-07-12"]


def test_weekdays_look_back_unless_the_sentence_looks_ahead() -> None:
    assert _found("They held a drill on Friday.") == [("on Friday", "2025-07-11")]
    assert _found("He spoke on Sunday.") == [("on Sunday", "2025-07-06")]
    assert _found("Markets stay closed until Monday.") == [("until Monday", "2025-07-14")]
    assert _found("The talks will resume on Tuesday.") == [("on Tuesday", "2025-07-15")]
    assert _found("They met last Friday.") == [("last Friday", "2025-07-04")]


def test_years_and_months_relative_to_publication() -> None:
    assert _found("Losses grew last year and this month.") == [
        ("last year", "2024"),
        ("this month", "2025-07"),
    ]


def test_may_and_march_are_months_only_next_to_a_day_a_year_or_a_preposition() -> None:
    assert _found("Troops may march soon.") == []
    assert _found("Troops may march in May.", date(2024, 7, 1)) == [("in May", "2024-05")]
    assert _found("The plant will open in May.", date(2024, 7, 1)) == [("in May", "2025-05")]
    assert _found("In October the plant shut.", date(2024, 7, 1)) == [("In October", "2023-10")]
    assert _found("It may open May 5, 2024.") == [("May 5, 2024", "2024-05-05")]


def test_not_dates() -> None:
    assert _found("Rates rose 3.5% to 2012 points; February 30, 2020 is no day.") == []


def test_without_publication_date_relative_mentions_have_no_iso() -> None:
    assert _found("It happened on Friday, June 1st, in 2012.", None) == [
        ("on Friday", None),
        ("June 1st", None),
        ("in 2012", "2012"),
    ]


def test_offsets_are_code_points_after_non_ascii_text() -> None:
    text = "Séoul 🇰🇷 — 会议 “quoted” held on Friday."
    [mention] = find_dates(text, FRIDAY)
    assert text[mention.start : mention.end] == "on Friday"


def test_counted_back_from_publication() -> None:
    published = date(2012, 3, 20)
    assert _found("The plant opened three years ago.", published) == [("three years ago", "2009")]
    assert _found("It was sent two weeks ago.", published) == [("two weeks ago", "2012-03-06")]
    assert _found("Prices peaked 4 months ago.", published) == [("4 months ago", "2011-11")]
    assert _found("Sales fell this week.", published) == [("this week", "2012-03")]


def test_capitalised_preposition_and_mid_year() -> None:
    published = date(2012, 3, 20)
    assert _found("In 1994 the firm was sold.", published) == [("In 1994", "1994")]
    assert _found("It ships in mid-2013.", published) == [("mid-2013", "2013")]


def test_years_later_count_from_the_year_named_before() -> None:
    text = (
        "In 1994 the firm was sold. Two years later it closed. "
        "In 2001 a rival opened and the following year it merged."
    )
    assert [(m.text, m.iso) for m in find_dates(text, date(2012, 3, 20))] == [
        ("In 1994", "1994"),
        ("Two years later", "1996"),
        ("In 2001", "2001"),
        ("the following year", "2002"),
    ]
    assert _found("A year later it closed.", date(2012, 3, 20)) == [("A year later", None)]
