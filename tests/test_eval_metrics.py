"""Metrics on small hand-made cases whose right answers are worked out in the comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import assign, compare, load_gold, names_match, overlap_score, score, write_samples
from eval.compare import significance_verdict
from eval.gold import GoldDocument
from extractor.errors import GoldError
from schemas import DocumentExtraction

TEXT = "0123456789" * 10  # 100 characters; spans are plain intervals of it


def _q(start: int, end: int, speaker: str | None = None) -> dict[str, object]:
    return {"text": TEXT[start:end], "char_start": start, "char_end": end, "speaker": speaker}


def _doc(quotes: list[dict[str, object]] | None, events: list[dict[str, object]] | None = None,
         doc_id: str = "d1") -> GoldDocument:  # fmt: skip
    return GoldDocument(doc_id, TEXT, None, None,
                        {"quotes": quotes, "claims": None, "events": events})  # fmt: skip


def _pred(
    quotes: list[dict[str, object]] = (), events: list[dict[str, object]] = ()
) -> DocumentExtraction:  # type: ignore[assignment]
    return DocumentExtraction.model_validate(
        {"quotes": list(quotes), "events": list(events)}, context={"document": TEXT}
    )


def test_overlap_score_is_overlap_over_the_longer_span() -> None:
    assert overlap_score((0, 10), (0, 10)) == 1.0
    assert overlap_score((0, 10), (4, 10)) == 0.6  # 6 shared / max(10, 6)
    assert overlap_score((0, 10), (5, 25)) == 0.25  # 5 shared / 20
    assert overlap_score((0, 10), (10, 20)) == 0.0  # touching is not overlapping


def test_partial_overlap_counts_lenient_but_not_strict() -> None:
    # gold [0,10), pred [4,10): score 0.6 -> a match at 0.5, not at 0.9.
    m = score([_doc([_q(0, 10, "Dan Caine")])], {"d1": _pred([_q(4, 10, "Caine")])})
    metrics = m.metrics_json({})["quotes"]
    assert metrics["lenient"] | {} == {
        "threshold": 0.5, "precision": 1.0, "recall": 1.0, "f1": 1.0,
        "tp": 1, "fp": 0, "fn": 0, "gold": 1, "predicted": 1,
    }  # fmt: skip
    assert (metrics["strict"]["tp"], metrics["strict"]["fp"], metrics["strict"]["fn"]) == (0, 1, 1)
    assert metrics["strict"]["f1"] == 0.0
    assert metrics["speaker_accuracy"] == {"value": 1.0, "correct": 1, "matched": 1}


def test_one_prediction_over_two_gold_items_matches_only_one() -> None:
    # gold [0,10) and [10,20); pred [0,12): scores 10/12=0.833 and 2/12=0.167.
    # Lenient: 1 tp, 0 fp, 1 fn -> P 1.0, R 0.5, F1 2/3.
    m = score([_doc([_q(0, 10), _q(10, 20)])], {"d1": _pred([_q(0, 12)])})
    lenient = m.metrics_json({})["quotes"]["lenient"]
    assert (lenient["tp"], lenient["fp"], lenient["fn"]) == (1, 0, 1)
    assert lenient["f1"] == pytest.approx(0.6667, abs=1e-4)


def test_two_predictions_over_one_gold_item_leave_one_false_positive() -> None:
    m = score([_doc([_q(0, 10)])], {"d1": _pred([_q(0, 9), _q(1, 10)])})
    lenient = m.metrics_json({})["quotes"]["lenient"]
    assert (lenient["tp"], lenient["fp"], lenient["fn"]) == (1, 1, 0)
    assert lenient["precision"] == 0.5


def test_assignment_is_optimal_not_greedy() -> None:
    # Scores: g0-p0 0.9, g1-p0 0.9, g0-p1 0.6, g1-p1 0.4 (below 0.5, no edge).
    # Greedy could take g0-p0 first and leave g1 with nothing; the optimal assignment
    # pairs g0-p1 and g1-p0: two matches.
    gold, pred = [(0, 10), (2, 12)], [(1, 11), (0, 6)]
    pairs = assign(gold, pred, 0.5)
    assert len(pairs) == 2 and {(i, j) for i, j, _ in pairs} == {(0, 1), (1, 0)}


def test_empty_predictions_and_empty_gold() -> None:
    m = score([_doc([_q(0, 10)]), _doc([], doc_id="d2")], {"d2": _pred([_q(20, 30)])})
    lenient = m.metrics_json({})["quotes"]["lenient"]
    # d1: fn 1 (no prediction at all); d2: fp 1 -> P 0/1 = 0, R 0/1 = 0, F1 0.
    assert (lenient["tp"], lenient["fp"], lenient["fn"]) == (0, 1, 1)
    only_missing = score([_doc([_q(0, 10)])], {}).metrics_json({})["quotes"]["lenient"]
    assert only_missing["precision"] is None and only_missing["recall"] == 0.0
    assert only_missing["f1"] is None


def test_kinds_not_annotated_are_not_scored() -> None:
    m = score([_doc([_q(0, 10)])], {"d1": _pred([_q(0, 10)])})
    metrics = m.metrics_json({"engine": "x"})
    assert set(metrics) == {"header", "quotes"}
    assert metrics["header"] == {"engine": "x", "documents": 1}


def test_event_attributes() -> None:
    gold_event = {"event_type": "meeting", "char_start": 0, "char_end": 20,
                  "actors": ["Marco Rubio", "Takeshi Iwaya"], "location": "Malaysia",
                  "time": "2025-07-11"}  # fmt: skip
    pred_event = {"event_type": "meeting", "char_start": 0, "char_end": 20, "text": TEXT[0:20],
                  "actors": ["Rubio", "Park Yoon-joo", "Iwaya"], "location": "in Malaysia",
                  "time": "2025-07"}  # fmt: skip
    events = score([_doc(None, [gold_event])], {"d1": _pred(events=[pred_event])})
    metrics = events.metrics_json({})["events"]
    assert metrics["type_accuracy"]["value"] == 1.0
    assert metrics["location_accuracy"]["value"] == 1.0  # {malaysia} ⊆ {in, malaysia}
    assert metrics["time_accuracy"]["value"] == 0.0  # exact ISO equality
    # actors: 2 of 3 predicted match 2 of 2 gold -> P 2/3, R 1, F1 0.8
    assert metrics["actor_f1"]["f1"] == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [("Dan Caine", "General Dan Caine", True), ("Caine", "Dan Caine", True),
     ("Dan Caine", "Kim Myung-soo", False), (None, None, True), ("Dan Caine", None, False),
     ("<author>", "<author>", True), ("<author>", "author", False),
     ("South Korean intelligence agencies", "the South Korean intelligence agencies", True)],
)  # fmt: skip
def test_names_match_by_token_subset(gold: str | None, pred: str | None, expected: bool) -> None:
    assert names_match(gold, pred) is expected


def _write_gold(path: Path, item: dict[str, object]) -> Path:
    path.write_text(json.dumps({"id": "doc-7", "text": TEXT, "quotes": [item]}) + "\n")
    return path


def test_gold_with_a_wrong_offset_is_refused_naming_document_and_item(tmp_path: Path) -> None:
    bad = _write_gold(tmp_path / "g.jsonl", {"text": "0123", "char_start": 1, "char_end": 5})
    with pytest.raises(GoldError) as info:
        load_gold(bad)
    message = str(info.value)
    assert message.startswith(f"{bad}:1: document 'doc-7': quotes[0]: text '0123'")
    assert "text[1:5] '1234'" in message


def test_gold_outside_the_text_and_unknown_event_type_are_refused(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="outside the text"):
        load_gold(_write_gold(tmp_path / "a.jsonl", {"char_start": 90, "char_end": 101}))
    event = {"event_type": "party", "char_start": 0, "char_end": 3}
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "e", "text": TEXT, "events": [event]}))
    with pytest.raises(GoldError, match="'party' is not in the vocabulary"):
        load_gold(tmp_path / "b.jsonl")


def test_compare_shows_deltas_flips_and_significance(tmp_path: Path) -> None:
    gold = [_doc([_q(0, 10), _q(20, 30)], doc_id=f"d{i}") for i in range(6)]
    before = {f"d{i}": _pred([_q(0, 10)]) for i in range(6)}
    after = {f"d{i}": _pred([_q(0, 10), _q(20, 30)]) for i in range(6)}
    for name, preds in (("a", before), ("b", after)):
        folder = tmp_path / name
        folder.mkdir()
        result = score(gold, preds)
        (folder / "metrics.json").write_text(json.dumps(result.metrics_json({})))
        write_samples(result, folder / "samples.jsonl")
    c = compare(tmp_path / "a", tmp_path / "b")
    recall = dict((name, (a, b)) for name, a, b in c.deltas)["quotes.lenient.recall"]
    assert recall == (0.5, 1.0)
    assert len(c.gained) == 6 and not c.lost
    assert c.significance["quotes"]["delta"] == pytest.approx(1.0 - 2 / 3, abs=1e-4)
    assert c.significance["quotes"]["p"] == 0.0  # B better on every document
    assert significance_verdict(c.significance["quotes"]["p"]) == "more than noise"
    assert significance_verdict(1.0) == "within noise"
    again = compare(tmp_path / "a", tmp_path / "b")
    assert again.significance == c.significance  # fixed seed: reproducible
