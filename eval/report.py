"""Eval outputs: samples.jsonl, a Markdown report and a terminal table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.table import Table

from extractor.eval.match import LENIENT, STRICT, THRESHOLDS
from extractor.eval.metrics import EvalResult
from extractor.schemas import KINDS

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


@dataclass(frozen=True)
class ScoreRow:
    """One line of a score table, built once by `score_rows` for every rendering (terminal,
    Markdown, HTML) and for `compare`'s deltas."""

    kind: str
    key: str  # the metrics.json section: lenient, strict, speaker_accuracy, ..., actor_f1
    label: str  # as shown: "lenient (0.5)", "speaker accuracy", "actor F1"
    #: The section's scores as in metrics.json: precision, recall and f1, or value.
    scores: Mapping[str, float | None]
    counts: str  # "tp/fp/fn", or "correct/matched" for an attribute

    @property
    def is_match(self) -> bool:
        """A P/R/F1 row of a matching threshold (not an attribute over the matches)."""
        return self.key in THRESHOLDS

    @property
    def precision(self) -> float | None:
        return self.scores.get("precision")

    @property
    def recall(self) -> float | None:
        return self.scores.get("recall")

    @property
    def value(self) -> float | None:
        """F1, or the attribute's accuracy."""
        return self.scores.get("f1", self.scores.get("value"))

    @property
    def detail(self) -> str:
        """What an attribute's value is made of: correct/matched, or actor F1's P and R."""
        if self.is_match or "precision" not in self.scores:
            return self.counts
        return f"P {_f(self.precision)} · R {_f(self.recall)}"


SCORE_KEYS = ("precision", "recall", "f1", "value")


def score_rows(metrics: Mapping[str, Any]) -> list[ScoreRow]:
    """Per kind in `KINDS` order: a row per threshold, then one per attribute scored over
    the lenient matches. Tolerates metrics.json files with fields missing."""
    rows = []
    for kind in KINDS:
        entry = metrics.get(kind)
        if not isinstance(entry, Mapping):
            continue
        for key in (*THRESHOLDS, *ATTRIBUTE_KEYS, "actor_f1"):
            m = entry.get(key)
            if not isinstance(m, Mapping):
                continue
            if key in THRESHOLDS:
                threshold = m.get("threshold")
                label = f"{key} ({threshold})" if threshold is not None else key
            else:
                label = "actor F1" if key == "actor_f1" else key.replace("_", " ")
            if "correct" in m:
                counts = f"{m.get('correct')}/{m.get('matched')}"
            elif "tp" in m:
                counts = f"{m.get('tp')}/{m.get('fp')}/{m.get('fn')}"
            else:
                counts = ""
            scores = {name: m[name] for name in SCORE_KEYS if name in m}
            rows.append(ScoreRow(kind, key, label, scores, counts))
    return rows


def render_table(result: EvalResult, header: Mapping[str, Any] | None = None) -> Table:
    """Per kind: P/R/F1 at each threshold, then the attribute scores over lenient matches.
    The title counts the documents, and the partial and failed ones when the header has
    them."""
    title = "Scores (micro-averaged over documents)"
    if header is not None:
        title += f" · {result.documents} documents"
        if "partial_documents" in header:
            title += f", {header['partial_documents']} partial (model failed)"
        if "failed_documents" in header:
            title += f", {len(header['failed_documents'])} failed"
    table = Table(title=title, title_justify="left")
    for column in ("kind", "score", "precision", "recall", "F1 / value", "tp/fp/fn"):
        left = column in ("kind", "score")
        table.add_column(column, justify="left" if left else "right", no_wrap=True)
    rows = score_rows(result.metrics_json(header or {}))
    for i, row in enumerate(rows):
        table.add_row(row.kind if row.is_match else "", row.label, *_cells(row), row.counts)
        if i + 1 == len(rows) or rows[i + 1].kind != row.kind:
            table.add_section()
    return table


def render_markdown(result: EvalResult, header: Mapping[str, Any]) -> str:
    metrics = result.metrics_json(header)
    lines = ["# Evaluation", ""]
    for key, value in metrics["header"].items():
        lines.append(f"- **{key}**: {value}")
    lines += ["", "| kind | match | precision | recall | F1 | tp | fp | fn |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    rows = score_rows(metrics)
    lines += [_md(r.kind, r.label, *_cells(r), *r.counts.split("/")) for r in rows if r.is_match]
    lines += ["", "| kind | attribute (over lenient matches) | value | counts |",
              "| --- | --- | ---: | --- |"]  # fmt: skip
    lines += [_md(r.kind, r.label, _f(r.value), r.detail) for r in rows if not r.is_match]
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


def _cells(row: ScoreRow) -> tuple[str, str, str]:
    """Precision, recall and F1 / value, formatted ("" where the row has none)."""
    p, r = (_f(row.scores[k]) if k in row.scores else "" for k in ("precision", "recall"))
    return p, r, _f(row.value)


def _md(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _f(value: Any) -> str:
    return "—" if not isinstance(value, int | float) else f"{value:.3f}"
