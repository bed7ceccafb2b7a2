"""A long text is parsed block by block, each Doc with its offset into the whole text."""

from __future__ import annotations

from extractor.nlp import parse_blocks


def test_parse_blocks_maps_every_token_back_to_the_text() -> None:
    text = "\n\n".join(f"Ana Costa met officials in Lisbon on day {n}." for n in range(60))
    parsed = list(parse_blocks(text, max_chars=500))
    assert len(parsed) > 3
    for offset, doc in parsed:
        assert all(text[offset + t.idx : offset + t.idx + len(t)] == t.text for t in doc)
        assert all(text[offset + e.start_char : offset + e.end_char] == e.text for e in doc.ents)
    ((_, whole),) = parse_blocks(text, max_chars=len(text))
    words = [(offset + t.idx, t.text) for offset, doc in parsed for t in doc if not t.is_space]
    assert words == [(t.idx, t.text) for t in whole if not t.is_space]


def test_a_line_break_ends_a_sentence_so_the_next_line_keeps_its_subject() -> None:
    from extractor.nlp import parse

    doc = parse('It must be reviewed soon."\nKaufman, with Mark Warner, called on Congress to act.')
    kaufman = next(t for t in doc if t.text == "Kaufman")
    assert kaufman.is_sent_start
    assert all(not s.text.lstrip().startswith('"\nKaufman') for s in doc.sents)
