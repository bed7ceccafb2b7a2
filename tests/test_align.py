"""Alignment (`extractor.align.locate`): planted spans at known offsets, in several scripts."""

from __future__ import annotations

import random
from bisect import bisect_left

import pytest

from extractor.align import FUZZY_THRESHOLD, Offsets, _fold, locate, normalise
from extractor.schemas import Alignment


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
        ("🇯🇵🇺🇸 ", "👩‍🔬 scientists 🇰🇷 met", " 🙂."),
    ],
)
def test_exact_offsets_in_any_script(prefix: str, span: str, suffix: str) -> None:
    text, start, end = _plant(prefix, span, suffix)
    match = locate(span, text)
    assert match is not None
    assert (match.start, match.end, match.alignment, match.score) == (
        start,
        end,
        Alignment.exact,
        1.0,
    )
    assert text[match.start : match.end] == span


def test_normalised_quotes_dashes_and_whitespace_map_back_to_the_original() -> None:
    text, start, end = _plant(
        "Before 🙂 — ",
        "We’re charting a shared path forward—one built\u00a0on \t trust",
        ", he said.",
    )
    match = locate("We're charting a shared path forward-one built on trust", text)
    assert match is not None
    assert (match.start, match.end, match.alignment) == (start, end, Alignment.normalised)


@pytest.mark.parametrize(
    ("written", "asked"),
    [
        ("Zoe\u0308 left the cafe\u0301", "Zoë left the café"),
        ("Zoë left the café", "Zoe\u0308 left the cafe\u0301"),
    ],
)
def test_composed_and_decomposed_accents_match_and_keep_the_combining_marks(
    written: str, asked: str
) -> None:
    text, start, end = _plant("🇫🇷 “Bonjour,” ", written, " — then 東京.")
    match = locate(asked, text)
    assert match is not None and match.alignment is Alignment.normalised
    assert (match.start, match.end) == (start, end)
    assert text[match.start : match.end] == written


def test_enclosing_quotes_and_whitespace_in_the_needle_are_ignored() -> None:
    text = "He said “we will win” and ‘we’re ready’ today."
    for needle, expected in [
        ('  "we will win"\n', "we will win"),
        ("“we will win”", "we will win"),
        ("'we’re ready'", "we’re ready"),  # the apostrophe inside is not a quotation mark
        ("“we will win” and ‘we’re ready’", "“we will win” and ‘we’re ready’"),  # not a pair
    ]:
        match = locate(needle, text)
        assert match is not None and text[match.start : match.end] == expected, needle


def test_quotation_marks_inside_the_needle_are_kept() -> None:
    text = 'Then "A," he said, "B." Done.'
    match = locate('"A," he said, "B."', text)
    assert match is not None and text[match.start : match.end] == '"A," he said, "B."'


def test_fuzzy_finds_a_slightly_wrong_copy_and_reports_its_score() -> None:
    text, start, end = _plant(
        "Unrelated opening words here. ",
        "North Korea may be preparing to send additional troops to support Russia",
        ". More text follows.",
    )
    for needle in [
        "North Korea might be preparing to send additional troops to support Russia",
        "North Korea may be preparing to send aditional troops to support Russia",  # typo
    ]:
        match = locate(needle, text)
        assert match is not None and match.alignment is Alignment.fuzzy
        assert FUZZY_THRESHOLD <= match.score < 1.0
        assert (match.start, match.end) == (start, end)


def test_fuzzy_in_cjk_text_with_one_character_changed() -> None:
    text, start, end = _plant("前文です。", "東京で首相は「準備はできている」と述べた", "。次へ。")
    match = locate("東京で首相は「準備ができている」と述べた", text)
    assert match is not None and match.alignment is Alignment.fuzzy
    assert (match.start, match.end) == (start, end)


def test_unrelated_text_is_not_found() -> None:
    text = "South Korea, Japan and the United States held a drill on Friday."
    assert locate("The stock market collapsed in London yesterday", text) is None
    assert locate("South Korea, Japan and the United States", text, threshold=1.01) is not None
    assert locate("Japan and the United Kingdom held a summit on Monday", text) is None
    assert locate("", text) is None
    assert locate(" “” ", text) is None
    assert locate("   \n", text) is None


def test_near_picks_the_closest_occurrence_and_within_restricts() -> None:
    text = "said yes. " * 5
    assert locate("said yes", text).start == 0  # type: ignore[union-attr]
    assert locate("said yes", text, near=33).start == 30  # type: ignore[union-attr]
    match = locate("said yes", text, within=(15, 45))
    assert match is not None and match.start == 20
    assert locate("said yes", text, within=(41, 48)) is None


def test_near_and_within_apply_to_normalised_and_fuzzy_matches() -> None:
    sentence = "The minister said “we’re ready” to the press on Friday."
    text = " 🙂 ".join([sentence] * 4)
    step = len(sentence) + 3
    normalised = locate("the press on Friday", text.replace("the press", "the  press"))
    assert normalised is not None and normalised.start == sentence.index("the press")
    quoted = locate('said "we\'re ready"', text, near=2 * step + 10)
    assert quoted is not None and quoted.alignment is Alignment.normalised
    assert quoted.start == 2 * step + sentence.index("said")
    fuzzy = locate("The minister said we're ready to the press on Friday", text, near=3 * step)
    assert fuzzy is not None and fuzzy.alignment is Alignment.fuzzy
    assert fuzzy.start == 3 * step
    needle = "The minister said we're ready to the press on Friday"
    inside = locate(needle, text, within=(step, 2 * step))
    assert inside is not None and inside.start == step and inside.end <= 2 * step


def test_normalise_folds_quotes_dashes_spaces_and_accents() -> None:
    assert normalise("“A”\u00a0–  ‘b’\n—c") == "\"A\" - 'b' -c"
    assert normalise("  Zoe\u0308\u00ad  «x» ‚y‛ ") == "Zoë \"x\" 'y'"
    assert normalise("Dan Caine") == "Dan Caine"
    assert normalise(normalise("“x” — y")) == normalise("“x” — y")


def test_random_planted_spans_map_back_exactly() -> None:
    rng = random.Random(7)
    pieces = [*"abcde ɛé東京🙂“”‘’—–-\u00a0\n\t", "e\u0301", "👨\u200d👩\u200d👧", "  "]
    for _ in range(300):
        chosen = [rng.choice(pieces) for _ in range(rng.randint(5, 40))]
        i = rng.randrange(len(chosen))
        j = rng.randrange(i + 1, len(chosen) + 1)
        text, a = "".join(chosen), len("".join(chosen[:i]))
        planted = "".join(chosen[i:j])
        match = locate(normalise(planted), text, near=a)
        if not normalise(planted).strip("\"'"):
            assert match is None
            continue
        assert match is not None and match.alignment in (Alignment.exact, Alignment.normalised)
        found = text[match.start : match.end]
        assert found == found.strip()
        # The same characters once folded, less enclosing quotation marks the needle had.
        assert normalise(found) in normalise(planted)
        assert len(normalise(found)) >= len(normalise(planted).strip("\"' "))


def test_long_document_fuzzy_stays_bounded() -> None:
    filler = "Markets moved and traders watched prices all day long. " * 20000
    text = filler + "The central bank unexpectedly raised interest rates by half a point." + filler
    match = locate("The central bank unexpectedly raised its interest rates by half a point", text)
    assert match is not None and match.alignment is Alignment.fuzzy
    assert text[match.start : match.end].startswith("The central bank")
    assert match.start == len(filler)


def test_the_offset_map_gives_each_folded_character_its_original_characters() -> None:
    pieces = ["a", "b", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u00ad", "\u200b", "e\u0301",
              "x\u0301\u0302", "“", "”", "—", "’", ".", "é", "\u0301"]  # fmt: skip
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        offsets = Offsets()
        folded = _fold(text, offsets)
        assert folded == normalise(text) and len(offsets) == len(folded)
        starts = [offsets.start(i) for i in range(len(folded))]
        assert starts == sorted(set(starts))  # increasing: one place per character
        for i, char in enumerate(folded):
            source = text[offsets.start(i) : offsets.end(i)]
            assert char == " " if source.isspace() else normalise(source) == char
        for position in range(-1, len(text) + 2):
            assert offsets.first_from(position) == bisect_left(starts, position)


def test_the_offset_map_of_a_long_document_stays_small() -> None:
    text = "He said “we will stay”.\n\nShe said — twice — ‘no’.\n" * 50_000  # 2.6 MB
    offsets = Offsets()
    folded = _fold(text, offsets)
    runs = len(offsets._folded)  # two per blank line (what folding changes), not per character
    assert runs <= 2 * text.count("\n\n") + 1 and runs * 20 < len(folded)
    match = locate("She said - twice - 'no'", text, within=(len(text) - 60, len(text)))
    assert match is not None and match.alignment is Alignment.normalised
    assert text[match.start : match.end] == "She said — twice — ‘no’"
