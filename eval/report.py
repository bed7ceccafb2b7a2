"""Eval outputs: samples.jsonl, a Markdown report and a terminal table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.table import Table

from extractor.eval.gold import KINDS
from extractor.eval.match import LENIENT, STRICT, THRESHOLDS
from extractor.eval.metrics import EvalResult

ATTRIBUTE_KEYS = (
    "speaker_accuracy", "claimant_accuracy", "type_accuracy", "location_accuracy",
    "time_accuracy",
)  # fmt: skip


def write_samples(result: EvalResult, path: Path) -> None:
    """One JSON line per gold or predicted item (UTF-8), enough to recount every metric:

    - `document_id`, `kind`;
    - `status`: `matched` (a gold item and its predicted partner, at the lenient
      threshold), `missed` (a gold item alone) or `false_positive` (a prediction alone);
    - `overlap`: the pair's score when matched; otherwise the best score the item reaches
      with any item on the other side (0.0 when it overlaps none), which tells a near miss;
    - `strict`: `{"gold": bool|null, "predicted": bool|null}`, whether the row's gold and
      predicted item are matched at the strict threshold (its assignment is separate, so
      this recounts the strict figures exactly);
    - `attributes` (matched rows): `{"speaker": bool}`, `{"claimant": bool}` or for events
      `{"event_type": bool, "location": bool|null, "time": bool|null,
      "actors": {"tp", "fp", "fn"}}` (null: gold has no value, not scored);
    - `gold`, `predicted`: the items as annotated and as extracted (null when absent).
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(encode(row) + "\n" for row in result.samples)


def summary_rows(metrics: Mapping[str, Any]) -> list[list[str]]:
    rows = []
    for kind in KINDS:
        entry = metrics.get(kind)
        if entry is None:
            continue
        for level in ("lenient", "strict"):
            m = entry[level]
            rows.append([
                kind, f"{level} ({m['threshold']})", _f(m["precision"]), _f(m["recall"]),
                _f(m["f1"]), str(m["tp"]), str(m["fp"]), str(m["fn"]),
            ])  # fmt: skip
    return rows


def attribute_rows(metrics: Mapping[str, Any]) -> list[list[str]]:
    rows = []
    for kind in KINDS:
        entry = metrics.get(kind) or {}
        for key in ATTRIBUTE_KEYS:
            if key in entry:
                t = entry[key]
                rows.append([kind, key, _f(t["value"]), f"{t['correct']}/{t['matched']}"])
        if "actor_f1" in entry:
            a = entry["actor_f1"]
            rows.append(
                [kind, "actor_f1", _f(a["f1"]), f"P {_f(a['precision'])} R {_f(a['recall'])}"]
            )
    return rows


def render_table(result: EvalResult, header: Mapping[str, Any] | None = None) -> Table:
    """Per kind: P/R/F1 at each threshold, then the attribute scores over lenient matches."""
    metrics = result.metrics_json(header or {})
    table = Table(title="Scores (micro-averaged over documents)", title_justify="left")
    for column in ("kind", "score", "precision", "recall", "F1 / value", "tp/fp/fn"):
        left = column in ("kind", "score")
        table.add_column(column, justify="left" if left else "right", no_wrap=True)
    for kind in KINDS:
        entry = metrics.get(kind)
        if entry is None:
            continue
        for level in THRESHOLDS:
            m = entry[level]
            table.add_row(kind, f"{level} ({m['threshold']})", _f(m["precision"]),
                          _f(m["recall"]), _f(m["f1"]), _counts(m))  # fmt: skip
        for key in ATTRIBUTE_KEYS:
            if key in entry:
                t = entry[key]
                label = key.replace("_", " ")
                counts = f"{t['correct']} of {t['matched']}"
                table.add_row("", label, "", "", _f(t["value"]), counts)
        if "actor_f1" in entry:
            a = entry["actor_f1"]
            table.add_row("", "actor F1", _f(a["precision"]), _f(a["recall"]), _f(a["f1"]),
                          _counts(a))  # fmt: skip
        table.add_section()
    return table


def render_markdown(result: EvalResult, header: Mapping[str, Any]) -> str:
    metrics = result.metrics_json(header)
    lines = ["# Evaluation", ""]
    for key, value in metrics["header"].items():
        lines.append(f"- **{key}**: {value}")
    lines += ["", "| kind | match | precision | recall | F1 | tp | fp | fn |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    lines += ["| " + " | ".join(row) + " |" for row in summary_rows(metrics)]
    lines += ["", "| kind | attribute (over lenient matches) | value | counts |",
              "| --- | --- | ---: | --- |"]  # fmt: skip
    lines += ["| " + " | ".join(row) + " |" for row in attribute_rows(metrics)]
    lines += [
        "",
        f"Lenient and strict: a prediction matches a gold item (one-to-one, the assignment "
        f"with the highest total score) when their character overlap over the longer span "
        f"reaches {LENIENT} or {STRICT}. Attributes are scored over lenient matches; names "
        "match when the tokens of one are a subset of the other's. "
        "— (null) means the denominator was zero: nothing to measure.",
        "",
    ]
    return "\n".join(lines)


def _counts(m: Mapping[str, Any]) -> str:
    return f"{m['tp']}/{m['fp']}/{m['fn']}"


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
