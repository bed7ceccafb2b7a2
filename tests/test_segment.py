"""Sentence and chunk segmentation with exact offsets."""

from __future__ import annotations

import itertools

from extractor.text.articles import read_article
from extractor.text.segment import blocks, chunks, paragraphs, sentences
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


def test_company_suffixes_months_and_ellipses_end_a_sentence_only_before_a_new_one() -> None:
    text = (
        "He sold it to Apple Inc. The deal closed. Apple Inc. said no. Then it rose to "
        "US$5.62 billion, e.g. Japan paid 3.5%. On Jan. 5 he left. It was Sat. The end. "
        "We will fight... and win. He paused… The crowd cheered. See No. 2 and Fig. 3 vs. "
        "Table 4. Martin Luther King Jr. spoke. J. R. R. Tolkien wrote it. Plan B. It failed."
    )
    assert _texts(text) == [
        "He sold it to Apple Inc.",
        "The deal closed.",
        "Apple Inc. said no.",
        "Then it rose to US$5.62 billion, e.g. Japan paid 3.5%.",
        "On Jan. 5 he left.",
        "It was Sat.",
        "The end.",
        "We will fight... and win.",
        "He paused…",
        "The crowd cheered.",
        "See No. 2 and Fig. 3 vs. Table 4.",
        "Martin Luther King Jr. spoke.",
        "J. R. R. Tolkien wrote it.",
        "Plan B.",
        "It failed.",
    ]


def test_us_and_uk_split_only_before_a_sentence_starter() -> None:
    text = (
        "Officials met in the U.S. The next day they left. U.S. officials said so. "
        "The U.K. Prime Minister spoke in the U.K. In 2019 he had not."
    )
    assert _texts(text) == [
        "Officials met in the U.S.",
        "The next day they left.",
        "U.S. officials said so.",
        "The U.K. Prime Minister spoke in the U.K.",
        "In 2019 he had not.",
    ]


def test_what_may_follow_a_sentence_end() -> None:
    text = (
        "Is it? “Yes,” he said. (He left.) Then 2,000 came. ‘Quiet’ fell. Он сказал. "
        "Всё. Done. 東京で会議。Next one. it was lower case. é too."
    )
    assert _texts(text) == [
        "Is it?",
        "“Yes,” he said.",
        "(He left.)",
        "Then 2,000 came.",
        "‘Quiet’ fell.",
        "Он сказал.",
        "Всё.",
        "Done.",
        "東京で会議。",
        "Next one. it was lower case. é too.",
    ]


def test_cjk_sentences_keep_a_closing_quote_and_its_attribution() -> None:
    text = "「準備はできている。」と述べた。次の文！“你好。”他说。好？"
    expected = ["「準備はできている。」と述べた。", "次の文！", "“你好。”他说。", "好？"]
    assert _texts(text) == expected


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
    sents = sentences(text)
    assert len(windows) > 3
    assert windows[0].start == 0 and windows[-1].end == len(text)
    for window in windows:
        assert text[window.start : window.end] == window.text
        assert len(window.text) <= 800
        # Whole sentences: every window starts and ends where a sentence does.
        assert window.start in {s.start for s in sents} and window.end in {s.end for s in sents}
    for a, b in itertools.pairwise(windows):
        assert not text[a.end : b.start].strip()  # no gap: every word is in some chunk
        assert a.start < b.start and a.end < b.end  # always advancing
        assert a.end - b.start <= 200  # overlap, when any, is whole sentences within bound
    # A sentence's chunk-relative offsets map back to the document through `start`.
    target = next(s for s in sents if s.text.startswith("He cautioned"))
    window = next(w for w in windows if w.start <= target.start and target.end <= w.end)
    local = window.text.index(target.text)
    assert text[window.start + local : window.start + local + len(target.text)] == target.text


def test_consecutive_chunks_overlap_by_whole_sentences() -> None:
    text = " ".join(f"Sentence number {i} says something short." for i in range(200))
    windows = chunks(text, 600, 150)
    starts = {s.start for s in sentences(text)}
    for a, b in itertools.pairwise(windows):
        assert b.start in starts
        assert 100 <= a.end - b.start <= 150  # about overlap_chars, never more
        assert len(a.text) > 500  # each window but the last is filled up to max_chars


def test_short_text_is_one_chunk_and_long_sentences_are_cut_at_spaces() -> None:
    assert [c.text for c in chunks("One. Two.", 100, 10)] == ["One. Two."]
    long = "word " * 500
    windows = chunks(long.strip(), 300, 50)
    assert all(len(w.text) <= 300 and not w.text.startswith(" ") for w in windows)
    assert windows[-1].end == len(long.strip())
    assert chunks("", 100, 10) == []
    solid = "東" * 250
    assert [(c.start, c.end) for c in chunks(solid, 100, 10)] == [(0, 100), (100, 200), (200, 250)]


def test_blocks_are_whole_paragraphs_of_bounded_size_covering_every_line() -> None:
    para = "Officials said the talks went well. “We agree,” said Ana Costa."
    text = "\n\n".join(f"{n}. {para}" for n in range(400)) + "\n" + "word " * 5_000
    found = blocks(text, 2_000)
    assert all(text[b.start : b.end] == b.text and len(b.text) <= 2_000 for b in found)
    assert all(b.start < c.start for b, c in itertools.pairwise(found))
    # every paragraph lies whole in one block, except the one too long for any
    lines = paragraphs(text)
    assert all(any(b.start <= p.start and p.end <= b.end for b in found) for p in lines[:-1])
    covered = "".join(b.text for b in found).replace(" ", "").replace("\n", "")
    assert covered == text.replace(" ", "").replace("\n", "")
    assert blocks("  short  ", 2_000)[0].text == "short" and blocks("\n\n", 10) == []
