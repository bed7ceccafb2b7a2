"""The eval report page: score tables, the chart, and documents with errors highlighted."""

from __future__ import annotations

import re
from typing import Any

from extractor.review import render_eval_report
from tests.test_review import mark_attrs, parse

TEXT = "Officials said “the <drill> went well” on Friday. Critics disagreed, saying it “failed”."


def span(text: str) -> dict[str, Any]:
    start = TEXT.index(text)
    return {"text": text, "char_start": start, "char_end": start + len(text)}


def scores(precision: float, recall: float, f1: float, tp: int, fp: int, fn: int) -> dict:
    return {
        "threshold": 0.5,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def metrics(engine: str, run_id: str, f1: float) -> dict[str, Any]:
    return {
        "header": {
            "engine": engine,
            "model": None,
            "run_id": run_id,
            "gold": "gold.jsonl",
            "documents": 1,
        },
        "quotes": {
            "lenient": scores(1.0, 0.5, f1, 1, 0, 1),
            "strict": {**scores(0.0, 0.0, 0.0, 0, 1, 2), "threshold": 0.9},
            "speaker_accuracy": {"value": 1.0, "correct": 1, "matched": 1},
        },
        "events": {
            "lenient": scores(0.0, 0.0, 0.0, 0, 1, 0),
            "strict": scores(0.0, 0.0, 0.0, 0, 1, 0),
            "actor_f1": {"precision": None, "recall": None, "f1": None},
        },
    }


SAMPLES = [
    {
        "document_id": "d1",
        "kind": "quotes",
        "status": "matched",
        "overlap": 1.0,
        "gold": {**span("the <drill> went well"), "speaker": "Officials"},
        "predicted": {**span("the <drill> went well"), "speaker": "Officials"},
    },
    {
        "document_id": "d1",
        "kind": "quotes",
        "status": "missed",
        "overlap": 0.0,
        "gold": {**span("failed"), "speaker": "Critics"},
        "predicted": None,
    },
    {
        "document_id": "d1",
        "kind": "events",
        "status": "false_positive",
        "overlap": 0.0,
        "gold": None,
        "predicted": {**span("Critics disagreed"), "event_type": "statement"},
    },
]


def test_report_has_the_scores_the_chart_and_highlighted_errors() -> None:
    html = render_eval_report(metrics("rules", "run1", 0.667), SAMPLES, {"d1": TEXT})
    assert '<td>quotes</td><td class="l">lenient (0.5)</td><td>1.000</td><td>0.500</td>' in html
    assert "<td>0.667</td>" in html and "speaker accuracy" in html
    assert html.count("<rect") == 6  # precision, recall, F1 for the two kinds scored
    texts = parse(html).texts
    assert texts["d1:0"] == "the <drill> went well"
    assert texts["d1:1"] == "failed"
    assert texts["d1:2"] == "Critics disagreed"
    assert '<details class="doc" open data-doc="d1">' in html
    assert "ev-missed" in html and "ev-false_positive" in html
    assert "&lt;drill&gt;" in html and "<drill>" not in html
    assert "<link" not in html and "src=" not in html  # one self-contained file


def test_chart_compares_earlier_evals_with_this_one() -> None:
    history = [metrics("rules", "run0", 0.4), metrics("llm", "run05", 0.5)]
    html = render_eval_report(
        metrics("local", "run1", 0.667), SAMPLES, {"d1": TEXT}, history=history
    )
    assert html.count("<rect") == 6  # three evals x two kinds, F1 only
    bars = re.findall(
        r'<text x="[\d.]+" y="[\d.]+" class="value" text-anchor="middle">([^<]+)', html
    )
    assert bars[:3] == ["0.40", "0.50", "0.67"]  # quotes: oldest first, this eval last
    assert "local run1 (this eval)" in html


def test_document_without_samples_is_listed_closed() -> None:
    html = render_eval_report(metrics("rules", "r", 0.5), [], {"d2": "Nothing here."})
    assert '<details class="doc" data-doc="d2">' in html  # closed: nothing to look at
    assert "0 missed" in html


def test_a_false_positive_lying_on_a_matched_item_is_its_own_labelled_mark() -> None:
    sentence = span("Critics disagreed, saying it “failed”.")
    samples = [
        {"document_id": "d1", "kind": "events", "status": "matched", "overlap": 1.0,
         "gold": {**sentence, "event_type": "statement"},
         "predicted": {**sentence, "event_type": "statement"}},
        {"document_id": "d1", "kind": "events", "status": "false_positive", "overlap": 0.0,
         "gold": None, "predicted": {**sentence, "event_type": "protest"}},
    ]  # fmt: skip
    html = render_eval_report(metrics("rules", "r", 0.5), samples, {"d1": TEXT})
    marks, texts = mark_attrs(html), parse(html).texts
    assert texts["d1:0"] == texts["d1:1"] == sentence["text"]
    assert marks["d1:0"][0]["data-label"] == "statement"
    assert marks["d1:1"][0]["data-label"] == "false positive · protest"
    assert "ev-false_positive" in (marks["d1:1"][0]["class"] or "")
    # Nested, so their underlines are drawn at different heights.
    assert {marks["d1:0"][0]["data-depth"], marks["d1:1"][0]["data-depth"]} == {"0", "1"}


def test_report_toggles_between_a_status_and_a_kind_view() -> None:
    html = render_eval_report(metrics("rules", "r", 0.5), SAMPLES, {"d1": TEXT})
    assert 'data-view="status"' in html and 'data-view="kind"' in html
    assert "body.view-kind mark.ev.kind-quotes" in html  # the kind view's colours, inlined
    assert "view-kind" in html.split("<script>")[-1]  # and the script that switches to it
