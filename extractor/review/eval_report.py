"""The eval report (`report.html`): scores per kind, a chart comparing evals, and every
document with its matches, misses and false positives highlighted. One self-contained file.

The highlights are coloured by match status or, with the toggle, by kind; either way each
carries a visible label (its status unless matched, and who said it or the event type),
and nested highlights draw their underlines apart, so a false positive lying on a matched
item is never hidden under it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from extractor.eval.report import score_rows
from extractor.review.chart import Series, bar_chart
from extractor.review.page import page
from extractor.review.spans import Mark, highlight
from extractor.schemas import KINDS

STATUSES = (("missed", "Missed"), ("false_positive", "False positives"), ("matched", "Matched"))
HEADER_KEYS = ("engine", "model", "prompt_version", "run_id", "gold", "documents",
               "failed_documents", "created_at", "git_commit")  # fmt: skip


def render_eval_report(
    metrics: Mapping[str, Any],
    samples: Sequence[Mapping[str, Any]],
    documents: Mapping[str, str],
    *,
    history: Sequence[Mapping[str, Any]] = (),
) -> str:
    """`metrics` is metrics.json, `samples` the samples.jsonl rows, `documents` the gold
    texts by document id. `history`: earlier metrics.json dicts to chart against (oldest
    first); without it the chart compares precision, recall and F1 of this eval."""
    header = metrics.get("header", {})
    kinds = [k for k in KINDS if k in metrics]
    title = f"Eval · {header.get('engine', '?')} · {header.get('gold', '')}"
    body = f"""<header class="top"><h1>{escape(title)}</h1>
<p class="meta">{_header_line(header)}</p></header>
<main class="report">
<section><h2>Scores</h2>{_scores_table(metrics, kinds)}
<p class="hint">Lenient: a prediction overlapping a gold span counts when
overlap / longer length reaches the threshold; strict needs a higher threshold.
— means nothing to measure.</p></section>
<section><h2>Attributes (over lenient matches)</h2>{_attributes_table(metrics, kinds)}</section>
<section><h2>Chart</h2>{_chart(metrics, kinds, history)}</section>
<section><h2>Documents</h2>{_filters()}{_documents(samples, documents)}</section>
</main>"""
    return page(title, body, assets=["base.css", "report.css", "report.js"], asset_url=None)


def _header_line(header: Mapping[str, Any]) -> str:
    parts = []
    for key in HEADER_KEYS:
        value = header.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = f"{len(value)}"
        parts.append(f"<span>{escape(key.replace('_', ' '))}: <b>{escape(str(value))}</b></span>")
    return " · ".join(parts)


def _scores_table(metrics: Mapping[str, Any], kinds: list[str]) -> str:
    head = "<th>kind</th><th class='l'>match</th>"
    head += "".join(f"<th>{c}</th>" for c in ("precision", "recall", "F1", "tp", "fp", "fn"))
    rows = []
    for row in score_rows(metrics):
        if row.kind not in kinds or not row.is_match:
            continue
        cells = [_f(row.precision), _f(row.recall), _f(row.value), *row.counts.split("/")]
        rows.append(
            f'<tr class="level-{row.key}"><td>{row.kind}</td>'
            f'<td class="l">{escape(row.label)}</td>'
            + "".join(f"<td>{escape(c)}</td>" for c in cells)
            + "</tr>"
        )
    body = "".join(rows)
    return f'<table class="scores"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _attributes_table(metrics: Mapping[str, Any], kinds: list[str]) -> str:
    rows = [r for r in score_rows(metrics) if r.kind in kinds and not r.is_match]
    if not rows:
        return '<p class="hint">No matched items, so no attributes to score.</p>'
    body = "".join(
        f'<tr><td>{r.kind}</td><td class="l">{escape(r.label)}</td><td>{_f(r.value)}</td>'
        f"<td>{escape(r.detail)}</td></tr>"
        for r in rows
    )
    return (
        "<table><thead><tr><th>kind</th><th class='l'>attribute</th><th>value</th>"
        f"<th>counts</th></tr></thead><tbody>{body}</tbody></table>"
    )


def _chart(
    metrics: Mapping[str, Any], kinds: list[str], history: Sequence[Mapping[str, Any]]
) -> str:
    if not kinds:
        return '<p class="hint">No kind was scored.</p>'
    if history:
        evals = [*history, metrics]
        series = [
            Series(_eval_label(m, last=i == len(evals) - 1), [_lenient(m, k, "f1") for k in kinds])
            for i, m in enumerate(evals)
        ]
        caption = "Lenient F1 per kind: earlier evals and this one (rightmost bar)"
    else:
        series = [
            Series(name, [_lenient(metrics, k, key) for k in kinds])
            for name, key in (("precision", "precision"), ("recall", "recall"), ("F1", "f1"))
        ]
        caption = "Lenient precision, recall and F1 per kind"
    return bar_chart(kinds, series, caption)


def _eval_label(metrics: Mapping[str, Any], *, last: bool) -> str:
    header = metrics.get("header", {})
    name = " ".join(str(header[k]) for k in ("engine", "model") if header.get(k))
    run = str(header.get("run_id") or "")[:8]
    label = f"{name or 'eval'} {run}".strip()
    return f"{label} (this eval)" if last else label


def _lenient(metrics: Mapping[str, Any], kind: str, key: str) -> float | None:
    value = metrics.get(kind, {}).get("lenient", {}).get(key)
    return float(value) if isinstance(value, int | float) else None


def _filters() -> str:
    views = "".join(
        f'<label class="filter"><input type="radio" name="view" value="{view}"'
        f'{" checked" if view == "status" else ""} data-view="{view}">{label}</label>'
        for view, label in (("status", "match status"), ("kind", "kind"))
    )
    toggle = f'<fieldset class="filters view"><legend>Colour by</legend>{views}</fieldset>'
    boxes = [
        f'<label class="filter"><input type="checkbox" checked data-hide="{status}">'
        f'<span class="swatch sw-{status}"></span>{label}</label>'
        for status, label in STATUSES
    ]
    boxes += [
        f'<label class="filter"><input type="checkbox" checked data-hide="{kind}">'
        f'<span class="swatch sw-{kind[:-1]}"></span>{kind}</label>'
        for kind in KINDS
    ]
    return toggle + f'<fieldset class="filters"><legend>Show</legend>{"".join(boxes)}</fieldset>'


def _documents(samples: Sequence[Mapping[str, Any]], documents: Mapping[str, str]) -> str:
    by_doc: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in samples:
        by_doc[str(row.get("document_id"))].append(row)
    sections = []
    for doc_id, text in documents.items():
        rows = by_doc.get(doc_id, [])
        marks = [m for i, row in enumerate(rows) if (m := _mark(doc_id, i, row, len(text)))]
        counts = {s: sum(1 for r in rows if r.get("status") == s) for s, _ in STATUSES}
        errors = counts["missed"] + counts["false_positive"]
        summary = (
            f"<code>{escape(doc_id)}</code> <span class='tally'>{counts['matched']} matched · "
            f"<span class='n-missed'>{counts['missed']} missed</span> · "
            f"<span class='n-fp'>{counts['false_positive']} false positives</span></span>"
        )
        sections.append(
            f'<details class="doc"{" open" if errors else ""} data-doc="{escape(doc_id)}">'
            f"<summary>{summary}</summary>"
            f'<div class="text">{highlight(text, marks)}</div></details>'
        )
    return "".join(sections) or '<p class="hint">No documents.</p>'


def _mark(doc_id: str, index: int, row: Mapping[str, Any], length: int) -> Mark | None:
    status = str(row.get("status"))
    kind = str(row.get("kind"))
    item = row.get("predicted") if status == "false_positive" else row.get("gold")
    if not isinstance(item, Mapping):
        return None
    start, end = item.get("char_start"), item.get("char_end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= length:
        return None
    return Mark(
        start,
        end,
        f"{doc_id}:{index}",
        f"ev ev-{status} kind-{kind}",
        _tooltip(status, kind, row),
        tag=_tag(status, kind, item),
    )


def _tag(status: str, kind: str, item: Mapping[str, Any]) -> str:
    """The visible label: status (unless matched) and who said it, or the event type."""
    key = {"quotes": "speaker", "claims": "claimant", "events": "event_type"}.get(kind, "")
    who = str(item.get(key) or "?").replace("_", " ")
    prefix = {"missed": "missed", "false_positive": "false positive"}.get(status)
    return f"{prefix} · {who}" if prefix else who


def _tooltip(status: str, kind: str, row: Mapping[str, Any]) -> str:
    singular = kind.rstrip("s")
    gold, pred = row.get("gold") or {}, row.get("predicted") or {}
    label = f"{status.replace('_', ' ')} {singular}"
    key = {"quotes": "speaker", "claims": "claimant", "events": "event_type"}.get(kind, "")
    if status == "matched":
        label += f" (overlap {row.get('overlap')})"
        label += f" · gold {key}: {gold.get(key)} · predicted: {pred.get(key)}"
    else:
        label += f" · {key}: {(pred if status == 'false_positive' else gold).get(key)}"
    return label


def _f(value: Any) -> str:
    return "—" if not isinstance(value, int | float) else f"{value:.3f}"
