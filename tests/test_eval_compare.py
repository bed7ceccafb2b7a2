"""Comparing two evals: deltas, flipped items and significance, worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from extractor.errors import ConfigError
from extractor.eval import (
    compare,
    comparison_markdown,
    eval_output,
    render_comparison,
    score,
    write_samples,
)
from extractor.eval.compare import significance_verdict
from extractor.eval.gold import GoldDocument
from extractor.schemas import DocumentExtraction

TEXT = "0123456789" * 10
DOCS = [f"d{i}" for i in range(6)]


def _q(start: int, end: int) -> dict[str, Any]:
    return {"text": TEXT[start:end], "char_start": start, "char_end": end, "speaker": None}


def _gold(extra_empty: int = 0) -> list[GoldDocument]:
    docs = [GoldDocument(d, TEXT, None, None, {"quotes": [_q(0, 10), _q(20, 30)]}) for d in DOCS]
    docs += [GoldDocument(f"e{i}", TEXT, None, None, {"quotes": []}) for i in range(extra_empty)]
    return docs


def _preds(spans: dict[str, list[tuple[int, int]]]) -> dict[str, DocumentExtraction]:
    return {d: DocumentExtraction(quotes=[_q(s, e) for s, e in v]) for d, v in spans.items()}


# A finds [0,10) everywhere and adds a false positive [50,60) everywhere.
A = {d: [(0, 10), (50, 60)] for d in DOCS}
# B finds both in d0-d3 (gains [20,30) four times), nothing in d4-d5 (loses [0,10) twice),
# has a new false positive [70,80) in d0, and none of A's.
B = {
    "d0": [(0, 10), (20, 30), (70, 80)],
    "d1": [(0, 10), (20, 30)],
    "d2": [(0, 10), (20, 30)],
    "d3": [(0, 10), (20, 30)],
    "d4": [],
    "d5": [],
}


def _write(folder: Path, predictions: dict[str, DocumentExtraction], engine: str) -> Path:
    folder.mkdir()
    result = score(_gold(), predictions)
    metrics = result.metrics_json({"engine": engine, "gold": "g.jsonl"})
    (folder / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    write_samples(result, folder / "samples.jsonl")
    return folder


def test_compare_two_folders_with_known_flips(tmp_path: Path) -> None:
    c = compare(
        _write(tmp_path / "a", _preds(A), "rules"), _write(tmp_path / "b", _preds(B), "local")
    )
    assert c.provenance == [("engine", "rules", "local")]
    # A: tp 6, fp 6, fn 6 -> F1 12/24 = 0.5. B: tp 8, fp 1, fn 4 -> F1 16/21 = 0.7619.
    deltas = {name: (a, b) for name, a, b in c.deltas}
    assert deltas["quotes.lenient.f1"] == (0.5, 0.7619)
    assert deltas["quotes.lenient.precision"] == (0.5, 0.8889)  # 8/9
    assert deltas["quotes.speaker_accuracy.value"] == (1.0, 1.0)
    assert sorted((r["document_id"], r["gold"]["char_start"]) for r in c.lost) == [
        ("d4", 0),
        ("d5", 0),
    ]
    assert sorted(r["document_id"] for r in c.gained) == ["d0", "d1", "d2", "d3"]
    assert all(r["gold"]["char_start"] == 20 for r in c.gained)
    assert [(r["document_id"], r["predicted"]["char_start"]) for r in c.new_false_positives] == [
        ("d0", 70)
    ]
    assert len(c.gone_false_positives) == 6
    s = c.significance["quotes"]
    assert s["delta"] == pytest.approx(16 / 21 - 0.5, abs=1e-4)
    assert s["documents"] == 6
    # Per document F1: A 0.5 everywhere; B 0.8, 1, 1, 1, 0, 0 -> better 4, worse 2.
    # Sign test: 2 * P(X <= 2 | n=6, 1/2) = 2 * (1 + 6 + 15) / 64 = 0.6875.
    assert (s["better"], s["worse"], s["sign_p"]) == (4, 2, 0.6875)
    assert s["low"] <= s["delta"] <= s["high"]
    assert significance_verdict(max(s["p"], s["sign_p"])) == "within noise"


def test_better_on_every_document_is_more_than_noise(tmp_path: Path) -> None:
    before = {d: [(0, 10)] for d in DOCS}
    after = {d: [(0, 10), (20, 30)] for d in DOCS}
    c = compare(
        _write(tmp_path / "a", _preds(before), "x"),
        _write(tmp_path / "b", _preds(after), "x"),
        resamples=500,
    )
    s = c.significance["quotes"]
    # F1 2/3 -> 1 on every document: no resample has delta <= 0, so p = 2 * 1/501.
    assert s["delta"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["p"] == round(2 / 501, 4) and s["low"] == s["high"] == 0.3333
    assert (s["better"], s["worse"]) == (6, 0) and s["sign_p"] == pytest.approx(2 / 64, abs=1e-4)
    assert significance_verdict(max(s["p"], s["sign_p"])) == "more than noise"
    assert significance_verdict(0.0) == "more than noise"  # p = 0 is not falsy here
    assert significance_verdict(1.0) == "within noise"
    assert c.provenance == []


def test_identical_runs_show_no_change() -> None:
    result = score(_gold(), _preds(A))
    c = compare(eval_output("a", result, {}), eval_output("b", result, {}))
    assert all(a == b for _, a, b in c.deltas)
    assert not (c.lost or c.gained or c.new_false_positives or c.gone_false_positives)
    s = c.significance["quotes"]
    assert (s["delta"], s["p"], s["better"], s["worse"], s["sign_p"]) == (0.0, 1.0, 0, 0, 1.0)


def test_bootstrap_is_deterministic_and_counts_documents_without_rows(tmp_path: Path) -> None:
    a = eval_output("a", score(_gold(extra_empty=4), _preds(A)), {})
    b = eval_output("b", score(_gold(extra_empty=4), _preds(B)), {})
    first, second = compare(a, b), compare(a, b)
    assert first.significance == second.significance
    # The four documents with no gold and no prediction have no sample rows; metrics.json
    # counts them, so they are resampled too (and shift the interval), as [0, 0, 0].
    assert first.significance["quotes"]["documents"] == 10
    folders = compare(
        _write(tmp_path / "a", _preds(A), "x"), _write(tmp_path / "b", _preds(B), "x")
    )
    assert folders.significance["quotes"]["documents"] == 6
    assert folders.significance["quotes"]["delta"] == first.significance["quotes"]["delta"]


def test_renderings_show_deltas_and_flips(tmp_path: Path) -> None:
    c = compare(
        eval_output("runA", score(_gold(), _preds(A)), {"engine": "rules"}),
        eval_output("runB", score(_gold(), _preds(B)), {"engine": "local"}),
    )
    markdown = comparison_markdown(c)
    assert "| engine | rules | local |" in markdown
    assert "| quotes.lenient.f1 | 0.500 | 0.762 | +0.262 |" in markdown
    assert "## Found in A, missed in B: 2" in markdown
    assert "- d4 quotes [0:10] ?: '0123456789'" in markdown
    console = Console(width=140, record=True)
    console.print(render_comparison(c))
    text = console.export_text()
    assert "Missed in A, found in B: 4" in text and "within noise" in text


def test_a_folder_that_is_not_an_eval_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not an eval output folder"):
        compare(tmp_path, tmp_path)


def test_a_changed_gold_set_is_flagged() -> None:
    gold_b = _gold()
    # B's gold has one more item in d0, annotated without its text.
    extra = {"char_start": 40, "char_end": 50, "speaker": None}
    gold_b[0] = GoldDocument("d0", TEXT, None, None, {"quotes": [_q(0, 10), _q(20, 30), extra]})
    c = compare(eval_output("a", score(_gold(), _preds(A)), {}),
                eval_output("b", score(gold_b, _preds(A)), {}))  # fmt: skip
    assert c.gold_differs == 1
    assert not c.lost and not c.gained  # the shared items did not flip
    assert "**The gold sets differ: 1 gold items are in one eval only" in comparison_markdown(c)
