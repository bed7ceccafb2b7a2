"""Metrics on small hand-made cases whose right answers are worked out in the comments."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from rich.console import Console

from extractor.eval import render_markdown, render_table, score, write_samples
from extractor.eval.gold import GoldDocument
from extractor.schemas import DocumentExtraction

TEXT = "0123456789" * 10  # 100 characters; spans are plain intervals of it


def _span(start: int, end: int, **fields: Any) -> dict[str, Any]:
    return {"text": TEXT[start:end], "char_start": start, "char_end": end, **fields}


def _doc(
    doc_id: str = "d1", quotes: Any = None, claims: Any = None, events: Any = None
) -> GoldDocument:
    return GoldDocument(
        doc_id, TEXT, None, None, {"quotes": quotes, "claims": claims, "events": events}
    )


def _pred(quotes: Any = (), claims: Any = (), events: Any = ()) -> DocumentExtraction:
    return DocumentExtraction.model_validate(
        {"quotes": list(quotes), "claims": list(claims), "events": list(events)},
        context={"document": TEXT},
    )


def test_partial_overlap_counts_lenient_but_not_strict() -> None:
    # gold [0,10), pred [4,10): score 0.6 -> a match at 0.5, not at 0.9.
    gold = [_doc(quotes=[_span(0, 10, speaker="Dan Caine")])]
    m = score(gold, {"d1": _pred([_span(4, 10, speaker="Caine")])}).metrics_json({})["quotes"]
    assert m["lenient"] == {
        "threshold": 0.5,
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "tp": 1,
        "fp": 0,
        "fn": 0,
        "gold": 1,
        "predicted": 1,
    }
    assert m["strict"] == {
        "threshold": 0.9,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "tp": 0,
        "fp": 1,
        "fn": 1,
        "gold": 1,
        "predicted": 1,
    }
    assert m["speaker_accuracy"] == {"value": 1.0, "correct": 1, "matched": 1}
    assert m["documents"] == 1


def test_a_mixed_document_set() -> None:
    gold = [
        _doc(
            "d1",
            quotes=[
                _span(0, 10, speaker="Ann Lee"),
                _span(20, 30, speaker="Bo Kim"),
                _span(40, 50, speaker=None),
            ],
        ),
        _doc("d2", claims=[]),  # quotes not annotated: d2's predicted quotes are not scored
    ]
    predictions = {
        "d1": _pred(
            [
                _span(0, 10, speaker="Lee"),  # 1.0, speaker ok (subset)
                _span(22, 30, speaker="Cy Park"),  # 8/10 = 0.8: lenient only, wrong
                _span(45, 60),
            ]
        ),  # 5/15 = 0.33 with [40,50): a false positive
        "d2": _pred([_span(0, 10)], claims=[_span(0, 10, claimant="<author>")]),
    }
    result = score(gold, predictions)
    m = result.metrics_json({"engine": "rules"})
    assert set(m) == {"header", "quotes", "claims"}  # events: annotated nowhere
    assert m["header"] == {"engine": "rules", "documents": 2}
    q = m["quotes"]
    # Lenient: tp 2 ([0,10), [20,30)), fp 1 ([45,60)), fn 1 ([40,50)) -> P = R = F1 = 2/3.
    assert (q["lenient"]["tp"], q["lenient"]["fp"], q["lenient"]["fn"]) == (2, 1, 1)
    assert q["lenient"]["precision"] == q["lenient"]["f1"] == 0.6667
    # Strict: only [0,10) -> tp 1, fp 2, fn 2 -> 1/3.
    assert (q["strict"]["tp"], q["strict"]["fp"], q["strict"]["fn"]) == (1, 2, 2)
    assert q["strict"]["recall"] == 0.3333
    assert q["speaker_accuracy"] == {"value": 0.5, "correct": 1, "matched": 2}
    # Claims: d2 annotated none, predicted one -> P 0/1, R 0/0 = null, F1 0/(0+1+0) = 0.
    c = m["claims"]["lenient"]
    assert (c["precision"], c["recall"], c["f1"], c["fp"]) == (0.0, None, 0.0, 1)
    assert m["claims"]["claimant_accuracy"] == {"value": None, "correct": 0, "matched": 0}
    assert m["quotes"]["documents"] == 1 and m["claims"]["documents"] == 1
    assert result.per_document == {
        "d1": {"quotes": {"lenient": [2, 1, 1], "strict": [1, 2, 2]}},
        "d2": {"claims": {"lenient": [0, 1, 0], "strict": [0, 1, 0]}},
    }
    rows = {(r["status"], (r["gold"] or r["predicted"])["char_start"]): r for r in result.samples}
    assert set(rows) == {
        ("matched", 0),
        ("matched", 20),
        ("missed", 40),
        ("false_positive", 45),
        ("false_positive", 0),
    }
    assert rows["matched", 20]["overlap"] == 0.8
    assert rows["matched", 20]["strict"] == {"gold": False, "predicted": False}
    assert rows["matched", 20]["attributes"] == {"speaker": False}
    assert rows["matched", 0]["strict"] == {"gold": True, "predicted": True}
    assert rows["missed", 40]["overlap"] == 0.3333  # the near miss shows
    assert rows["missed", 40]["predicted"] is None and rows["missed", 40]["attributes"] is None


def test_empty_predictions_give_null_precision_and_zero_recall_and_f1() -> None:
    m = score([_doc(quotes=[_span(0, 10, speaker=None)])], {}).metrics_json({})["quotes"]
    # P = 0/0 (null), R = 0/1 = 0, F1 = 0/(0 + 0 + 1) = 0. No match: accuracy null.
    lenient = m["lenient"]
    assert (lenient["precision"], lenient["recall"], lenient["f1"]) == (None, 0.0, 0.0)
    assert m["speaker_accuracy"] == {"value": None, "correct": 0, "matched": 0}


def test_speaker_both_null_is_correct_and_author_matches_only_author() -> None:
    gold = [
        _doc(
            quotes=[_span(0, 10, speaker=None), _span(20, 30, speaker=None)],
            claims=[_span(0, 10, claimant="<author>"), _span(20, 30, claimant="<author>")],
        )
    ]
    pred = _pred(
        [_span(0, 10), _span(20, 30, speaker="Ann Lee")],
        claims=[_span(0, 10, claimant="<author>"), _span(20, 30, claimant="Lee")],
    )
    m = score(gold, {"d1": pred}).metrics_json({})
    assert m["quotes"]["speaker_accuracy"] == {"value": 0.5, "correct": 1, "matched": 2}
    assert m["claims"]["claimant_accuracy"] == {"value": 0.5, "correct": 1, "matched": 2}


def test_event_attributes() -> None:
    gold = [
        _doc(
            events=[
                _span(
                    0,
                    20,
                    event_type="meeting",
                    actors=["Marco Rubio", "Takeshi Iwaya"],
                    location="Malaysia",
                    time="2025-07-11",
                ),
                _span(30, 50, event_type="attack", actors=["Hamas"], location=None, time=None),
            ]
        )
    ]
    pred = _pred(
        events=[
            _span(
                0,
                20,
                event_type="meeting",
                actors=["Rubio", "Park Yoon-joo", "Iwaya"],
                location="in Malaysia",
                time="2025-07",
            ),
            _span(30, 50, event_type="protest", location="Seoul", time="2025-01-01"),
        ]
    )
    result = score(gold, {"d1": pred})
    m = result.metrics_json({})["events"]
    assert m["type_accuracy"] == {"value": 0.5, "correct": 1, "matched": 2}  # attack != protest
    # Location and time only where gold has one (the first event).
    assert m["location_accuracy"] == {"value": 1.0, "correct": 1, "matched": 1}  # subset
    assert m["time_accuracy"] == {"value": 0.0, "correct": 0, "matched": 1}  # exact ISO only
    # Actors: event 1 tp 2 fp 1 fn 0; event 2 tp 0 fp 0 fn 1 -> tp 2 fp 1 fn 1: 2/3 each.
    assert m["actor_f1"] == {
        "precision": 0.6667,
        "recall": 0.6667,
        "f1": 0.6667,
        "tp": 2,
        "fp": 1,
        "fn": 1,
        "gold": 3,
        "predicted": 3,
    }
    first = next(r for r in result.samples if r["gold"]["char_start"] == 0)
    assert first["attributes"] == {
        "event_type": True,
        "location": True,
        "time": False,
        "actors": {"tp": 2, "fp": 1, "fn": 0},
    }


def test_event_accuracies_are_null_when_gold_has_no_value() -> None:
    gold = [_doc(events=[_span(0, 20, event_type="meeting", actors=[], location=None)])]
    pred = _pred(events=[_span(0, 20, event_type="meeting", location="Seoul")])
    m = score(gold, {"d1": pred}).metrics_json({})["events"]
    assert m["location_accuracy"]["value"] is None and m["time_accuracy"]["value"] is None
    assert m["actor_f1"]["precision"] is None and m["actor_f1"]["recall"] is None


def test_samples_recount_every_figure_on_random_cases(tmp_path: Path) -> None:
    rng = random.Random(11)
    gold, predictions = [], {}
    for n in range(40):
        spans = [(s, s + rng.randint(3, 15)) for s in rng.sample(range(80), rng.randint(0, 6))]
        guesses = [(s + rng.randint(-3, 3), e + rng.randint(-3, 3)) for s, e in spans]
        guesses = [(max(0, s), min(100, e)) for s, e in guesses if e - s > 0 and rng.random() < 0.8]
        guesses += [(s, s + 5) for s in rng.sample(range(90), rng.randint(0, 2))]
        gold.append(_doc(f"d{n}", quotes=[_span(s, e, speaker=None) for s, e in spans]))
        predictions[f"d{n}"] = _pred([_span(s, e) for s, e in guesses])
    result = score(gold, predictions)
    write_samples(result, tmp_path / "samples.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "samples.jsonl").open(encoding="utf-8")]
    m = result.metrics_json({})["quotes"]
    lenient = [sum(r["status"] == s for r in rows) for s in ("matched", "false_positive", "missed")]
    assert lenient == [m["lenient"][k] for k in ("tp", "fp", "fn")]
    strict_tp = sum(r["strict"]["gold"] is True for r in rows)
    strict_fp = sum(r["strict"]["predicted"] is False for r in rows)
    strict_fn = sum(r["strict"]["gold"] is False for r in rows)
    assert [strict_tp, strict_fp, strict_fn] == [m["strict"][k] for k in ("tp", "fp", "fn")]
    assert m["strict"]["tp"] < m["lenient"]["tp"]  # the random shifts make some lenient only


def test_reports_show_every_scored_kind_and_nulls() -> None:
    gold = [_doc(quotes=[_span(0, 10, speaker="Ann Lee")], claims=[])]
    result = score(gold, {"d1": _pred([_span(0, 10, speaker="Ann Lee")])})
    markdown = render_markdown(result, {"engine": "rules", "model": None})
    assert markdown.startswith("# Evaluation\n\n- **engine**: rules\n- **model**: None\n")
    assert "| quotes | lenient (0.5) | 1.000 | 1.000 | 1.000 | 1 | 0 | 0 |" in markdown
    assert "| claims | strict (0.9) | — | — | — | 0 | 0 | 0 |" in markdown
    assert "| quotes | speaker accuracy | 1.000 | 1/1 |" in markdown
    table = render_table(result)
    assert table.row_count == 6  # 2 kinds x 2 thresholds + 2 accuracies
    console = Console(width=120, record=True)
    console.print(table)
    assert "claimant accuracy" in console.export_text()
