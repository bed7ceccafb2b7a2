"""Sentence and chunk segmentation with exact offsets."""

from __future__ import annotations

import itertools

from extractor.articles import read_article
from extractor.segment import chunks, paragraphs, sentences
from tests.conftest import SEED


def _texts(text: str) -> list[str]:
    found = sentences(text)
    assert all(text[s.start : s.end] == s.text for s in found)
    return [s.text for s in found]


def test_abbreviations_initials_and_decimals_do_not_end_sentences() -> None:
    text = (
        "Gen. Smith met Lt. Col. Jones in the U.S. on Friday. The U.S. Army said No. 2 was "
        "fine. John F. Kennedy spoke at 3.5 p.m. yesterday. Prices rose 3.5%. Mr. Li left."
    )
    assert _texts(text) == [
        "Gen. Smith met Lt. Col. Jones in the U.S. on Friday.",
        "The U.S. Army said No. 2 was fine.",
        "John F. Kennedy spoke at 3.5 p.m. yesterday.",
        "Prices rose 3.5%.",
        "Mr. Li left.",
    ]


def test_us_at_the_end_of_a_sentence_splits_before_a_sentence_starter() -> None:
    assert _texts("He moved to the U.S. The next day he left.") == [
        "He moved to the U.S.",
        "The next day he left.",
    ]


def test_quotations_stay_whole_and_lines_are_boundaries() -> None:
    text = (
        "He said, “Clear. We must remain vigilant.” Then he left!\n"
        "“Go,” he said. Why? 東京で会議。次だ。"
    )
    assert _texts(text) == [
        "He said, “Clear. We must remain vigilant.”",
        "Then he left!",
        "“Go,” he said.",
        "Why?",
        "東京で会議。",
        "次だ。",
    ]


def test_seed_article_sentences() -> None:
    text = read_article(SEED).text
    found = _texts(text)
    assert (
        "This was the first deployment of a U.S. B-52H bomber to the Korean Peninsula "
        "for exercises in 2025." in found
    )
    caine = [s for s in found if s.startswith("He cautioned")]
    assert caine == [
        "He cautioned about the increasing military buildup by North Korea and China, stating, "
        "“Their intentions are clear and aggressive. We must remain vigilant.”"
    ]
    assert len(paragraphs(text)) == text.count("\n") + 1


def test_chunks_cover_the_text_overlap_and_map_back() -> None:
    text = read_article(SEED).text
    windows = chunks(text, 800, 200)
    assert len(windows) > 3
    assert windows[0].start == 0 and windows[-1].end == len(text)
    for window in windows:
        assert text[window.start : window.end] == window.text
        assert len(window.text) <= 800
    for a, b in itertools.pairwise(windows):
        assert not text[a.end : b.start].strip()  # no gap: every word is in some chunk
        assert b.start > a.start  # always advancing


def test_short_text_is_one_chunk_and_long_sentences_are_cut_at_spaces() -> None:
    assert [c.text for c in chunks("One. Two.", 100, 10)] == ["One. Two."]
    long = "word " * 500
    windows = chunks(long.strip(), 300, 50)
    assert all(len(w.text) <= 300 and not w.text.startswith(" ") for w in windows)
    assert windows[-1].end == len(long.strip())
