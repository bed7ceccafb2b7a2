"""The rules engine's scores on the gold set are pinned: a regression fails CI.

When a change moves these numbers on purpose (better rules, a larger gold set), re-pin
with `.venv/bin/python tests/test_baseline.py` and say why in the commit message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extractor.eval import load_gold, score
from extractor.rules.engine import RulesEngine
from extractor.schemas import KINDS
from extractor.text.articles import Article

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "fixtures" / "gold"
PINNED = Path(__file__).parent / "baselines" / "rules.json"


def rules_counts() -> dict[str, dict[str, list[int]]]:
    gold = load_gold(GOLD)
    engine = RulesEngine()
    predictions = {
        doc.id: engine.extract(Article(text=doc.text, published=doc.published)).extraction
        for doc in gold
    }
    metrics = score(gold, predictions).metrics_json({})
    return {
        kind: {level: [metrics[kind][level][k] for k in ("tp", "fp", "fn")]
               for level in ("lenient", "strict")}
        for kind in KINDS
    }  # fmt: skip


def test_rules_scores_on_the_gold_set_are_as_pinned() -> None:
    pinned = json.loads(PINNED.read_text())
    assert rules_counts() == pinned["counts"], (
        "the rules engine's [tp, fp, fn] on the gold set changed; if intended, re-pin with "
        "`.venv/bin/python tests/test_baseline.py` and give the reason in the commit"
    )


if __name__ == "__main__":
    counts = rules_counts()
    PINNED.write_text(json.dumps({"gold": "fixtures/gold", "counts": counts}, indent=2) + "\n")
    json.dump(counts, sys.stdout, indent=1)
