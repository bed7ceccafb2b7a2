"""Span and name matching on small cases whose right answers are worked out in comments."""

from __future__ import annotations

import random
from itertools import permutations

import pytest

from extractor.eval import LENIENT, STRICT, assign, match_names, names_match, overlap_score


def test_overlap_score_is_overlap_over_the_longer_span() -> None:
    assert overlap_score((0, 10), (0, 10)) == 1.0
    assert overlap_score((0, 10), (4, 10)) == 0.6  # 6 shared / max(10, 6)
    assert overlap_score((0, 10), (5, 25)) == 0.25  # 5 shared / 20
    assert overlap_score((0, 10), (10, 20)) == 0.0  # touching is not overlapping


@pytest.mark.parametrize(
    ("pred", "lenient", "strict"),
    [
        ((0, 10), True, True),  # 10/10 = 1.0
        ((0, 9), True, True),  # 9/10 = 0.9: the strict threshold is inclusive
        ((0, 8), True, False),  # 8/10 = 0.8
        ((4, 10), True, False),  # 6/10 = 0.6
        ((5, 10), True, False),  # 5/10 = 0.5: the lenient threshold is inclusive
        ((6, 10), False, False),  # 4/10 = 0.4
        ((0, 21), False, False),
    ],  # 10/21 = 0.48: too long a prediction
)
def test_thresholds_around_the_boundaries(
    pred: tuple[int, int], lenient: bool, strict: bool
) -> None:
    assert (LENIENT, STRICT) == (0.5, 0.9)
    assert bool(assign([(0, 10)], [pred], LENIENT)) is lenient
    assert bool(assign([(0, 10)], [pred], STRICT)) is strict


def test_one_prediction_over_two_gold_items_matches_the_better_one() -> None:
    # pred [0,12) scores 10/12 = 0.833 with gold [0,10) and 2/12 with gold [10,20).
    assert assign([(0, 10), (10, 20)], [(0, 12)], LENIENT) == [(0, 0, pytest.approx(10 / 12))]
    # pred [5,15) scores 0.5 with both: one-to-one, so only one of them.
    assert len(assign([(0, 10), (10, 20)], [(5, 15)], LENIENT)) == 1


def test_two_predictions_over_one_gold_item_match_once() -> None:
    # [0,9) and [1,10) both score 0.9 with gold [0,10); one of them matches.
    pairs = assign([(0, 10)], [(0, 9), (1, 10)], LENIENT)
    assert len(pairs) == 1 and pairs[0][0] == 0 and pairs[0][2] == pytest.approx(0.9)


def test_assignment_is_optimal_not_greedy() -> None:
    # Scores: g0-p0 0.9, g1-p0 0.9, g0-p1 0.6, g1-p1 0.4 (below 0.5, no edge).
    # Greedy could take g0-p0 first and leave g1 with nothing; the optimal assignment
    # pairs g0-p1 and g1-p0: two matches, total 1.5.
    gold, pred = [(0, 10), (2, 12)], [(1, 11), (0, 6)]
    pairs = assign(gold, pred, 0.5)
    assert {(i, j) for i, j, _ in pairs} == {(0, 1), (1, 0)}


def test_assignment_equals_brute_force_on_random_cases() -> None:
    rng = random.Random(3)
    for _ in range(300):
        gold = _random_spans(rng, rng.randint(0, 5))
        pred = _random_spans(rng, rng.randint(0, 5))
        for threshold in (LENIENT, STRICT):
            pairs = assign(gold, pred, threshold)
            assert len({i for i, _, _ in pairs}) == len({j for _, j, _ in pairs}) == len(pairs)
            assert all(s >= threshold for _, _, s in pairs)
            total = sum(s for _, _, s in pairs)
            assert total == pytest.approx(_best_total(gold, pred, threshold))


def _random_spans(rng: random.Random, n: int) -> list[tuple[int, int]]:
    spans = []
    for _ in range(n):
        start = rng.randint(0, 30)
        spans.append((start, start + rng.randint(1, 12)))
    return spans


def _best_total(gold: list[tuple[int, int]], pred: list[tuple[int, int]], t: float) -> float:
    """Exhaustive: every injection of the shorter side into the longer one."""

    def value(g: tuple[int, int], p: tuple[int, int]) -> float:
        s = overlap_score(g, p)
        return s if s >= t else 0.0

    if len(gold) <= len(pred):
        return max(
            (
                sum(value(g, pred[j]) for g, j in zip(gold, perm, strict=True))
                for perm in permutations(range(len(pred)), len(gold))
            ),
            default=0.0,
        )
    return _best_total(pred, gold, t)


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("Dan Caine", "General Dan Caine", True),  # subset
        ("Caine", "Dan Caine", True),
        ("Dan Caine", "Kim Myung-soo", False),
        (None, None, True),  # both unknown: agreed
        ("Dan Caine", None, False),
        (None, "Dan Caine", False),
        ("<author>", "<author>", True),
        ("<author>", "author", False),  # the article's voice is not a name
        ("Dan Caine", "<author>", False),
        ("South Korean intelligence agencies", "the South Korean intelligence agencies", True),
        ("Gen. Caine", "Dan Caine", True),  # leading title dropped: {caine} <= {dan, caine}
        ("President Trump", "Donald Trump", True),
        ("President Trump", "President Biden", False),  # a shared title is not a match
        ("the President", "President Lee Jae-myung", True),  # as written: {president} <= ...
        ("Mr Major", "John Major", True),  # the last word is never dropped
        ("General Assembly", "National Assembly", False),  # "General" is not a title here
        ("U.S.", "US", True),  # dots go
        ("José Núñez", "Jose Nunez", True),  # accents fold
        ("Trump's administration", "Trump administration", True),  # possessive goes
        ("李明", "李明", True),
    ],  # CJK is one token: equal
)
def test_names_match_by_token_subset(gold: str | None, pred: str | None, expected: bool) -> None:
    assert names_match(gold, pred) is expected
    assert names_match(pred, gold) is expected  # symmetric


def test_match_names_is_one_to_one_and_maximal() -> None:
    # Greedy in gold order would give "Kim" the first "Kim ..." and leave "Kim Jong-un"
    # without a partner; the maximum pairs Kim~Kim Yo-jong and Kim Jong-un~Kim Jong-un.
    assert match_names(["Kim", "Kim Jong-un"], ["Kim Jong-un", "Kim Yo-jong"]) == 2
    assert match_names(["Rubio"], ["Marco Rubio", "Rubio"]) == 1  # one gold, one match
    assert match_names([], ["Rubio"]) == 0
