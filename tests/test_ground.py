"""Grounding: planted spans at known offsets, in several scripts."""

from __future__ import annotations

import pytest

from extractor.ground import FUZZY_THRESHOLD, locate, normalise
from schemas import Alignment


def _plant(prefix: str, span: str, suffix: str) -> tuple[str, int, int]:
    return prefix + span + suffix, len(prefix), len(prefix) + len(span)


@pytest.mark.parametrize(
    ("prefix", "span", "suffix"),
    [
        ("Intro. ", "the drill began", " on Friday."),
        ("東京で会議が開かれた。", "首相は「準備はできている」と述べた", "。次の文。"),
        ("🙂👍🏽🇰🇷 emoji first, then ", "the quote", " and 👨‍👩‍👧 after."),
        ("Café crème (precomposed) and cafe\u0301 ", "Zoë said “oui”", " déjà vu."),
        ("Árvíztűrő tükörfúrógép ", "Ελληνικά κείμενα", " русский текст."),
    ],
)
def test_exact_offsets_in_any_script(prefix: str, span: str, suffix: str) -> None:
    text, start, end = _plant(prefix, span, suffix)
    match = locate(span, text)
    assert match is not None
    assert (match.start, match.end, match.alignment) == (start, end, Alignment.exact)
    assert text[match.start : match.end] == span


def test_normalised_quotes_dashes_and_whitespace_map_back_to_the_original() -> None:
    text, start, end = _plant(
        "Before 🙂 — ",
        "We’re charting a shared path forward—one built\u00a0on  trust",
        ", he said.",
    )
    match = locate("We're charting a shared path forward-one built on trust", text)
    assert match is not None
    assert (match.start, match.end, match.alignment) == (start, end, Alignment.normalised)


def test_enclosing_quotes_and_whitespace_in_the_needle_are_ignored() -> None:
    text = "He said “we will win” today."
    match = locate('  "we will win"\n', text)
    assert match is not None and text[match.start : match.end] == "we will win"


def test_fuzzy_finds_a_slightly_wrong_copy_and_reports_its_score() -> None:
    text, start, end = _plant(
        "Unrelated opening words here. ",
        "North Korea may be preparing to send additional troops to support Russia",
        ". More text follows.",
    )
    match = locate(
        "North Korea might be preparing to send additional troops to support Russia", text
    )
    assert match is not None and match.alignment is Alignment.fuzzy
    assert FUZZY_THRESHOLD <= match.score < 1.0
    assert (match.start, match.end) == (start, end)


def test_unrelated_text_is_not_found() -> None:
    text = "South Korea, Japan and the United States held a drill on Friday."
    assert locate("The stock market collapsed in London yesterday", text) is None
    assert locate("", text) is None
    assert locate(" “” ", text) is None


def test_near_picks_the_closest_occurrence_and_within_restricts() -> None:
    text = "said yes. " * 5
    assert locate("said yes", text).start == 0  # type: ignore[union-attr]
    assert locate("said yes", text, near=33).start == 30  # type: ignore[union-attr]
    match = locate("said yes", text, within=(15, 45))
    assert match is not None and match.start == 20
    assert locate("said yes", text, within=(41, 48)) is None


def test_normalise_folds_quotes_dashes_and_spaces() -> None:
    assert normalise("“A”\u00a0–  ‘b’\n—c") == "\"A\" - 'b' -c"


def test_long_document_fuzzy_stays_bounded() -> None:
    filler = "Markets moved and traders watched prices all day long. " * 20000
    text = filler + "The central bank unexpectedly raised interest rates by half a point." + filler
    match = locate("The central bank unexpectedly raised its interest rates by half a point", text)
    assert match is not None and match.alignment is Alignment.fuzzy
    assert text[match.start : match.end].startswith("The central bank")
