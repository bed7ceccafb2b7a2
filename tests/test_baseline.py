"""The rules engine's scores on the gold set are pinned: a regression fails CI.

Worse (per kind and threshold, per attribute of the matched items — speaker, claimant,
event type, location, time — and for the events' actors: fewer right, more wrong or
missed, or a lower F1) fails; better passes with a warning to re-pin, so the next
regression is measured from the new level. Re-pin with `.venv/bin/python
tests/test_baseline.py` and say why in the commit message.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pytest

from extractor.engines.rules import RulesEngine
from extractor.eval import load_gold, score
from extractor.eval.metrics import f1
from extractor.pipeline import extract_article
from extractor.schemas import KINDS
from extractor.text.articles import Article

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "fixtures" / "gold"
PINNED = Path(__file__).parent / "baselines" / "rules.json"
LEVELS = ("lenient", "strict")
REPIN = "re-pin with `.venv/bin/python tests/test_baseline.py` and give the reason in the commit"

Counts = dict[str, list[int]]  # "kind level" or "kind attribute" -> [tp, fp, fn]
#: Attributes of matched items, pinned too: per kind, (metrics key, name).
ATTRIBUTES = {
    "quotes": [("speaker_accuracy", "speaker")],
    "claims": [("claimant_accuracy", "claimant")],
    "events": [
        ("type_accuracy", "type"),
        ("location_accuracy", "location"),
        ("time_accuracy", "time"),
    ],
}


def rules_counts() -> Counts:
    gold = load_gold(GOLD)
    engine = RulesEngine()
    predictions = {
        doc.id: extract_article(engine, Article(text=doc.text, published=doc.published)).extraction
        for doc in gold
    }
    return counts_of(score(gold, predictions).metrics_json({}))


def counts_of(metrics: dict) -> Counts:
    """[tp, fp, fn] per kind and level, and per attribute: an accuracy as [right, wrong,
    0], the actors of matched events as their own [tp, fp, fn]."""
    counts = {
        f"{kind} {level}": [metrics[kind][level][k] for k in ("tp", "fp", "fn")]
        for kind in KINDS
        for level in LEVELS
    }
    for kind, attributes in ATTRIBUTES.items():
        for key, name in attributes:
            right, matched = metrics[kind][key]["correct"], metrics[kind][key]["matched"]
            counts[f"{kind} {name}"] = [right, matched - right, 0]
    counts["events actors"] = [metrics["events"]["actor_f1"][k] for k in ("tp", "fp", "fn")]
    return counts


def changes(current: Counts, pinned: Counts) -> tuple[list[str], list[str]]:
    """(what got worse, what got better) than pinned, one line per measure and count; a
    measure not pinned yet is news, not a regression."""
    worse, better = [], []
    for where, now in current.items():
        if where not in pinned:
            better.append(f"{where}: not pinned yet")
            continue
        then = pinned[where]
        for name, a, b, higher_is_better in (
            ("tp", now[0], then[0], True),
            ("fp", now[1], then[1], False),
            ("fn", now[2], then[2], False),
            ("F1", f1(*now) or 0.0, f1(*then) or 0.0, True),
        ):
            if a == b:
                continue
            line = f"{where} {name}: {b:.4g} pinned, now {a:.4g}"
            (better if (a > b) == higher_is_better else worse).append(line)
    return worse, better


# Warnings are errors in this suite; this one is news, not a failure.
@pytest.mark.filterwarnings("default:the rules engine got better")
def test_rules_scores_on_the_gold_set_are_no_worse_than_pinned() -> None:
    pinned = json.loads(PINNED.read_text())["counts"]
    worse, better = changes(rules_counts(), pinned)
    assert not worse, "the rules engine got worse on the gold set:\n" + "\n".join(worse)
    if better:
        warnings.warn(
            "the rules engine got better on the gold set; " + REPIN + ":\n" + "\n".join(better),
            stacklevel=1,
        )


def test_only_a_regression_counts_as_worse() -> None:
    pinned = {"quotes lenient": [10, 2, 3], "events actors": [5, 1, 1]}

    def with_quotes(counts: list[int]) -> Counts:
        return {**pinned, "quotes lenient": counts}

    assert changes(pinned, pinned) == ([], [])
    worse, better = changes(with_quotes([11, 1, 2]), pinned)  # more found, fewer errors
    assert worse == [] and len(better) == 4
    worse, _ = changes(with_quotes([9, 2, 4]), pinned)  # one fewer found
    assert worse == [
        "quotes lenient tp: 10 pinned, now 9",
        "quotes lenient fn: 3 pinned, now 4",
        "quotes lenient F1: 0.8 pinned, now 0.75",  # 2tp / (2tp + fp + fn)
    ]
    worse, better = changes(with_quotes([12, 3, 3]), pinned)  # more found, one more fp
    assert worse == ["quotes lenient fp: 2 pinned, now 3"]
    assert better[0] == "quotes lenient tp: 10 pinned, now 12"
    worse, _ = changes({**pinned, "events actors": [5, 2, 1]}, pinned)  # a wrong actor
    assert worse[0] == "events actors fp: 1 pinned, now 2"
    worse, better = changes({**pinned, "claims claimant": [3, 0, 0]}, pinned)
    assert worse == [] and better == ["claims claimant: not pinned yet"]


def test_accuracies_and_actors_are_pinned_as_counts() -> None:
    metrics: dict = {
        kind: {level: {"tp": 1, "fp": 0, "fn": 0} for level in LEVELS} for kind in KINDS
    }
    for kind, attributes in ATTRIBUTES.items():
        for key, _ in attributes:
            metrics[kind][key] = {"correct": 7, "matched": 9}
    metrics["events"]["actor_f1"] = {"tp": 4, "fp": 2, "fn": 3}
    counts = counts_of(metrics)
    assert counts["quotes speaker"] == [7, 2, 0]
    assert counts["events actors"] == [4, 2, 3]


if __name__ == "__main__":
    counts = rules_counts()
    PINNED.write_text(json.dumps({"gold": "fixtures/gold", "counts": counts}, indent=2) + "\n")
    json.dump(counts, sys.stdout, indent=1)
