"""Comparing two eval output folders: metric deltas, flipped items, and whether the F1
difference over documents is more than noise (paired bootstrap over documents)."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from extractor.errors import GoldError

RESAMPLES = 2000
SEED = 20251124


@dataclass
class Comparison:
    a: str
    b: str
    deltas: list[tuple[str, float | None, float | None]]
    #: Per kind: gold items matched in A but missed in B ("lost"), and the reverse.
    lost: list[dict[str, Any]] = field(default_factory=list)
    gained: list[dict[str, Any]] = field(default_factory=list)
    new_false_positives: list[dict[str, Any]] = field(default_factory=list)
    gone_false_positives: list[dict[str, Any]] = field(default_factory=list)
    #: Per kind: observed F1 delta (B - A), 95% bootstrap interval, two-sided p-value.
    significance: dict[str, dict[str, float | int | None]] = field(default_factory=dict)


def compare(dir_a: Path, dir_b: Path, resamples: int = RESAMPLES) -> Comparison:
    metrics_a, samples_a = _load(dir_a)
    metrics_b, samples_b = _load(dir_b)
    result = Comparison(str(dir_a), str(dir_b), _deltas(metrics_a, metrics_b))
    gold_a, gold_b = _gold_status(samples_a), _gold_status(samples_b)
    for key in sorted(gold_a.keys() & gold_b.keys()):
        if gold_a[key][0] == "matched" and gold_b[key][0] == "missed":
            result.lost.append(gold_a[key][1])
        elif gold_a[key][0] == "missed" and gold_b[key][0] == "matched":
            result.gained.append(gold_b[key][1])
    fp_a, fp_b = _false_positives(samples_a), _false_positives(samples_b)
    result.new_false_positives = [fp_b[k] for k in sorted(fp_b.keys() - fp_a.keys())]
    result.gone_false_positives = [fp_a[k] for k in sorted(fp_a.keys() - fp_b.keys())]
    for kind in ("quotes", "claims", "events"):
        stats = _bootstrap(_per_doc(samples_a, kind), _per_doc(samples_b, kind), resamples)
        if stats is not None:
            result.significance[kind] = stats
    return result


def render_comparison(c: Comparison) -> Group:
    table = Table(title=f"B − A   (A = {c.a}, B = {c.b})", title_justify="left")
    for column in ("metric", "A", "B", "Δ"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for name, a, b in c.deltas:
        delta = None if a is None or b is None else b - a
        style = "green" if delta and delta > 0 else "red" if delta and delta < 0 else ""
        table.add_row(name, _f(a), _f(b), Text(_f(delta, signed=True), style=style))
    sig = Table(title="Lenient F1 over documents: paired bootstrap", title_justify="left")
    for column in ("kind", "Δ F1", "95% interval", "p", "documents", "verdict"):
        sig.add_column(column)
    for kind, s in c.significance.items():
        verdict = significance_verdict(s["p"])
        sig.add_row(kind, _f(s["delta"], signed=True), f"[{_f(s['low'])}, {_f(s['high'])}]",
                    _f(s["p"]), str(s["documents"]), verdict)  # fmt: skip
    parts: list[Any] = [table, sig]
    for title, rows, key in (
        ("Found in A, missed in B", c.lost, "gold"),
        ("Missed in A, found in B", c.gained, "gold"),
        ("New false positives in B", c.new_false_positives, "predicted"),
        ("False positives of A gone in B", c.gone_false_positives, "predicted"),
    ):
        parts.append(Text(f"{title}: {len(rows)}", style="bold"))
        for row in rows[:20]:
            item = row[key] or {}
            parts.append(
                Text(f"  {row['document_id']} {row['kind']}: {item.get('text', '')[:90]!r}")
            )
        if len(rows) > 20:
            parts.append(Text(f"  … and {len(rows) - 20} more (see samples.jsonl)"))
    return Group(*parts)


def significance_verdict(p: float | int | None, alpha: float = 0.05) -> str:
    return "more than noise" if p is not None and p < alpha else "within noise"


def _load(folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
        with (folder / "samples.jsonl").open(encoding="utf-8") as handle:
            samples = [json.loads(line) for line in handle if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"{folder}: not an eval output folder ({exc})") from exc
    return metrics, samples


def _deltas(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, float | None, float | None]]:
    rows = []
    for kind in ("quotes", "claims", "events"):
        for section, values in (a.get(kind) or {}).items():
            other = (b.get(kind) or {}).get(section) or {}
            for metric in ("precision", "recall", "f1", "value"):
                if metric in values:
                    rows.append((f"{kind}.{section}.{metric}", values[metric], other.get(metric)))
    return rows


def _key(row: dict[str, Any], side: str) -> tuple[Any, ...]:
    item = row[side]
    return (row["document_id"], row["kind"], item["char_start"], item["char_end"],
            item.get("event_type"), item.get("text"))  # fmt: skip


def _gold_status(
    samples: list[dict[str, Any]],
) -> dict[tuple[Any, ...], tuple[str, dict[str, Any]]]:
    return {_key(r, "gold"): (r["status"], r) for r in samples if r["gold"] is not None}


def _false_positives(samples: list[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {_key(r, "predicted"): r for r in samples if r["status"] == "false_positive"}


def _per_doc(samples: list[dict[str, Any]], kind: str) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    index = {"matched": 0, "false_positive": 1, "missed": 2}
    for row in samples:
        if row["kind"] == kind:
            counts[row["document_id"]][index[row["status"]]] += 1
    return counts


def _f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def _bootstrap(
    a: dict[str, list[int]], b: dict[str, list[int]], resamples: int
) -> dict[str, float | int | None] | None:
    docs = sorted(a.keys() & b.keys())
    if not docs:
        return None
    pairs = [(a[d], b[d]) for d in docs]

    def delta(sample: list[tuple[list[int], list[int]]]) -> float:
        sa = [sum(x[0][i] for x in sample) for i in range(3)]
        sb = [sum(x[1][i] for x in sample) for i in range(3)]
        return _f1(*sb) - _f1(*sa)

    observed = delta(pairs)
    rng = random.Random(SEED)
    draws = sorted(delta([rng.choice(pairs) for _ in docs]) for _ in range(resamples))
    # Two-sided p: how often the resampled difference falls on the other side of zero.
    if observed == 0:
        p = 1.0
    else:
        opposite = sum(1 for d in draws if (d <= 0 if observed > 0 else d >= 0))
        p = min(1.0, 2 * opposite / resamples)
    return {
        "delta": round(observed, 4),
        "low": round(draws[int(0.025 * resamples)], 4),
        "high": round(draws[int(0.975 * resamples) - 1], 4),
        "p": round(p, 4),
        "documents": len(docs),
    }


def _f(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.3f}" if signed else f"{value:.3f}"
