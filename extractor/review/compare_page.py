"""The comparison of two evals as one self-contained page (`extractor eval compare A B
--html OUT`): A and B side by side, per kind their lenient F1 with B − A, its 95% interval
and p-values, every metric's delta, and the items that flipped with their document and text.

Everything shown comes from `extractor.eval.compare.Comparison`; nothing is recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from extractor.eval.compare import Comparison, significance_verdict
from extractor.review.chart import Series, bar_chart
from extractor.review.page import page

ASSETS = ["base.css", "report.css"]
#: (title, attribute of Comparison, which side of the row holds the item, CSS class)
FLIPS = (
    ("Found in A, missed in B", "lost", "gold", "worse"),
    ("Missed in A, found in B", "gained", "gold", "better"),
    ("New false positives in B", "new_false_positives", "predicted", "worse"),
    ("False positives of A gone in B", "gone_false_positives", "predicted", "better"),
)


def render_compare_page(c: Comparison) -> str:
    title = "Eval comparison"
    body = f"""<header class="top"><h1>{escape(title)}</h1>
<p class="meta">A = <code>{escape(c.a)}</code> · B = <code>{escape(c.b)}</code> · deltas are
B − A</p></header>
<main class="report compare">
{_warning(c)}
<section><h2>Lenient F1 per kind</h2>{_kinds_table(c)}
<p class="hint">The 95% interval and the first p come from a paired bootstrap over documents;
B +/− counts documents where B scores better / worse (sign test). "More than noise" needs
both p below 0.05.</p>{_chart(c)}</section>
{_provenance(c)}
<section><h2>Every metric</h2>{_deltas_table(c)}</section>
<section><h2>Flipped items</h2>{_flips(c)}</section>
</main>"""
    return page(title, body, assets=ASSETS, asset_url=None)


def _warning(c: Comparison) -> str:
    if not c.gold_differs:
        return ""
    return (
        f'<p class="warning">The gold sets differ: {c.gold_differs} gold items are in one '
        "eval only; flips and significance cover the rest.</p>"
    )


def _f1(c: Comparison) -> dict[str, tuple[float | None, float | None]]:
    """Per kind, lenient F1 of A and of B, as `compare` computed them."""
    out = {}
    for name, a, b in c.deltas:
        kind, section, metric = [*name.split("."), "", ""][:3]
        if section == "lenient" and metric == "f1":
            out[kind] = (a, b)
    return out


def _kinds_table(c: Comparison) -> str:
    f1 = _f1(c)
    kinds = list(dict.fromkeys([*f1, *c.significance]))
    if not kinds:
        return '<p class="hint">Neither eval scored any kind.</p>'
    head = ("kind", "A F1", "B F1", "Δ F1", "95% CI", "p boot", "B +/−", "p sign", "verdict")
    rows = []
    for kind in kinds:
        a, b = f1.get(kind, (None, None))
        s: Mapping[str, Any] = c.significance.get(kind, {})
        if s:
            # Both tests must agree before a difference is called more than noise.
            verdict = significance_verdict(max(s["p"], s["sign_p"]))
            interval = f"[{s['low']:.3f}, {s['high']:.3f}]"
            cells = [_f(s["delta"], signed=True), interval, _p(s["p"]),
                     f"{s['better']}/{s['worse']}", _p(s["sign_p"]), verdict]  # fmt: skip
        else:
            verdict = "no paired documents"
            cells = [_f(_delta(a, b), signed=True), "—", "—", "—", "—", verdict]
        tone = _tone(_delta(a, b)) if verdict == "more than noise" else ""
        rows.append(
            f'<tr class="kind-row {tone}"><td>{escape(kind)}</td><td>{_f(a)}</td><td>{_f(b)}</td>'
            + "".join(f"<td>{escape(cell)}</td>" for cell in cells)
            + "</tr>"
        )
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    return (
        f'<table class="scores side"><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _chart(c: Comparison) -> str:
    f1 = _f1(c)
    if not f1:
        return ""
    kinds = list(f1)
    series = [
        Series(f"A · {c.a}", [f1[k][0] for k in kinds]),
        Series(f"B · {c.b}", [f1[k][1] for k in kinds]),
    ]
    return bar_chart(kinds, series, "Lenient F1 per kind: A (left bar) and B (right bar)")


def _provenance(c: Comparison) -> str:
    if not c.provenance:
        return (
            '<section><h2>What differs</h2><p class="hint">Same engine, model, prompt, gold '
            "and code.</p></section>"
        )
    rows = "".join(
        f'<tr><td class="l">{escape(name)}</td><td class="l">{escape(str(a))}</td>'
        f'<td class="l">{escape(str(b))}</td></tr>'
        for name, a, b in c.provenance
    )
    return (
        "<section><h2>What differs</h2><table><thead><tr><th class='l'>field</th>"
        "<th class='l'>A</th><th class='l'>B</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def _deltas_table(c: Comparison) -> str:
    if not c.deltas:
        return '<p class="hint">No metric to compare.</p>'
    rows = "".join(
        f'<tr class="{_tone(_delta(a, b))}"><td class="l">{escape(name)}</td><td>{_f(a)}</td>'
        f"<td>{_f(b)}</td><td>{_f(_delta(a, b), signed=True)}</td></tr>"
        for name, a, b in c.deltas
    )
    return (
        "<table class='scores deltas'><thead><tr><th class='l'>metric</th><th>A</th><th>B</th>"
        f"<th>Δ</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _flips(c: Comparison) -> str:
    sections = []
    for title, attribute, side, tone in FLIPS:
        rows: list[Mapping[str, Any]] = getattr(c, attribute)
        body = "".join(_flip_row(row, side) for row in rows)
        table = (
            "<table class='flips'><thead><tr><th class='l'>document</th><th class='l'>kind</th>"
            "<th>offsets</th><th class='l'>who / type</th><th class='l'>text</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
            if rows
            else '<p class="hint">None.</p>'
        )
        sections.append(
            f'<details class="flip flip-{tone}" data-flip="{attribute}"{" open" if rows else ""}>'
            f'<summary>{escape(title)} <span class="tally">{len(rows)}</span></summary>'
            f"{table}</details>"
        )
    return "".join(sections)


def _flip_row(row: Mapping[str, Any], side: str) -> str:
    item = row.get(side) or {}
    who = item.get("speaker") or item.get("claimant") or item.get("event_type") or "?"
    where = f"{item.get('char_start')}–{item.get('char_end')}"
    return (
        f'<tr><td class="l"><code>{escape(str(row.get("document_id")))}</code></td>'
        f'<td class="l">{escape(str(row.get("kind")))}</td><td>{escape(where)}</td>'
        f'<td class="l">{escape(str(who))}</td>'
        f'<td class="l text-cell">{escape(str(item.get("text") or ""))}</td></tr>'
    )


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def _tone(delta: float | None) -> str:
    return "up" if delta and delta > 0 else "down" if delta and delta < 0 else ""


def _p(value: float) -> str:
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _f(value: Any, signed: bool = False) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{value:+.3f}" if signed else f"{value:.3f}"
