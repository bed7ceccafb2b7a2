"""Eval outputs: samples.jsonl, a Markdown report and a terminal table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.table import Table

from eval.metrics import EvalResult

ATTRIBUTE_KEYS = (
    "speaker_accuracy", "claimant_accuracy", "type_accuracy", "location_accuracy",
    "time_accuracy",
)  # fmt: skip


def write_samples(result: EvalResult, path: Path) -> None:
    """One line per gold or predicted item, with its match status and partner."""
    with path.open("w", encoding="utf-8") as handle:
        for row in result.samples:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def summary_rows(metrics: Mapping[str, Any]) -> list[list[str]]:
    rows = []
    for kind in ("quotes", "claims", "events"):
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
    for kind in ("quotes", "claims", "events"):
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
    metrics = result.metrics_json(header or {})
    table = Table(title="Scores (micro-averaged over documents)", title_justify="left")
    for column in ("kind", "match", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column in ("kind", "match") else "right")
    for row in summary_rows(metrics):
        table.add_row(*row)
    for row in attribute_rows(metrics):
        table.add_row(row[0], row[1], "", "", row[2], row[3], "", "")
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
    lines += ["", "`null` (—) means the denominator was zero: nothing to measure.", ""]
    return "\n".join(lines)


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
