"""Comparing two evals (B against A): metric deltas, the items that flipped, and whether
the difference in lenient F1 over documents is more than noise.

Two tests over the documents both evals scored, each pairing a document with itself:
- paired bootstrap: resample documents with replacement (fixed seed), recompute the
  micro F1 of A and B on each resample; report the observed delta, its 95% percentile
  interval, and a two-sided p = 2 x the share of resamples on the other side of zero
  (add-one smoothed, so never exactly 0);
- sign test: per document F1 (0 when nothing matched), count documents where B is
  better and worse (ties dropped); two-sided binomial p (summed in log space).
The verdict says "more than noise" only when both p-values are below `ALPHA`.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from math import exp, lgamma, log
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from extractor.errors import ConfigError
from extractor.eval.metrics import EvalResult, f1
from extractor.eval.report import SCORE_KEYS, score_rows
from extractor.schemas import KINDS

RESAMPLES = 1000
SEED = 20251124
ALPHA = 0.05
#: Header fields shown side by side when they differ between A and B.
PROVENANCE = ("engine", "model", "prompt_version", "prompt_hash", "gold", "gold_hash",
              "scorer_version", "documents", "failed_documents", "code_version",
              "git_commit")  # fmt: skip
#: Header fields that must agree for two evals' scores to mean the same thing.
COMPARABLE = ("gold_hash", "scorer_version")
#: How many flipped items each section lists in the rendering (samples.jsonl has them all).
SHOWN = 20

Row = dict[str, Any]
#: One document's lenient [tp, fp, fn] in A and in B.
DocPair = tuple[list[int], list[int]]
_FIELD = 64  # bits per packed count in the bootstrap (a sum never reaches 2**64)
_MASK = (1 << _FIELD) - 1


@dataclass(frozen=True)
class EvalOutput:
    """One eval as written: its `metrics.json` object and `samples.jsonl` rows."""

    name: str
    metrics: dict[str, Any]
    samples: list[Row]


@dataclass
class Comparison:
    a: str
    b: str
    #: (header field, A, B) where they differ.
    provenance: list[tuple[str, Any, Any]]
    #: (metric, A, B), e.g. ("quotes.lenient.f1", 0.5, 0.6).
    deltas: list[tuple[str, float | None, float | None]]
    #: Gold items matched in A but missed in B ("lost"), and the reverse ("gained").
    lost: list[Row] = field(default_factory=list)
    gained: list[Row] = field(default_factory=list)
    #: False positives of B that A did not have, and those of A that B no longer has.
    new_false_positives: list[Row] = field(default_factory=list)
    gone_false_positives: list[Row] = field(default_factory=list)
    #: Gold items in one eval's samples and not the other's (the gold set changed between
    #: them, so flips and significance cover only what both scored).
    gold_differs: int = 0
    #: Per kind: delta, low, high, p (bootstrap), documents, better, worse, sign_p.
    significance: dict[str, dict[str, float | int]] = field(default_factory=dict)

    @property
    def incomparable(self) -> list[tuple[str, Any, Any]]:
        """The `COMPARABLE` fields that differ (a gold set or scorer changed); a side
        without the field (an eval from before it was recorded) counts as differing."""
        return [row for row in self.provenance if row[0] in COMPARABLE]


def load_eval(folder: Path) -> EvalOutput:
    """Read an eval output folder (`metrics.json` and `samples.jsonl`)."""
    try:
        metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
        with (folder / "samples.jsonl").open(encoding="utf-8") as handle:
            samples = [json.loads(line) for line in handle if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{folder}: not an eval output folder ({exc})") from exc
    return EvalOutput(str(folder), metrics, samples)


def eval_output(name: str, result: EvalResult, header: dict[str, Any]) -> EvalOutput:
    """An in-memory eval, as `load_eval` would read it back once written."""
    return EvalOutput(name, result.metrics_json(header), result.samples)


def compare(a: Path | EvalOutput, b: Path | EvalOutput, resamples: int = RESAMPLES) -> Comparison:
    """B against A: deltas are B - A."""
    a = a if isinstance(a, EvalOutput) else load_eval(a)
    b = b if isinstance(b, EvalOutput) else load_eval(b)
    result = Comparison(a.name, b.name, _provenance(a.metrics, b.metrics),
                        _deltas(a.metrics, b.metrics))  # fmt: skip
    gold_a, gold_b = _by_item(a.samples, "gold"), _by_item(b.samples, "gold")
    result.gold_differs = len(gold_a.keys() ^ gold_b.keys())
    for key in sorted(gold_a.keys() & gold_b.keys()):
        status_a, status_b = gold_a[key]["status"], gold_b[key]["status"]
        if status_a == "matched" and status_b == "missed":
            result.lost.append(gold_b[key])
        elif status_a == "missed" and status_b == "matched":
            result.gained.append(gold_b[key])
    fp_a = _by_item([r for r in a.samples if r["status"] == "false_positive"], "predicted")
    fp_b = _by_item([r for r in b.samples if r["status"] == "false_positive"], "predicted")
    result.new_false_positives = [fp_b[k] for k in sorted(fp_b.keys() - fp_a.keys())]
    result.gone_false_positives = [fp_a[k] for k in sorted(fp_a.keys() - fp_b.keys())]
    for kind in KINDS:
        pairs = _paired_documents(a, b, kind)
        if pairs:
            result.significance[kind] = _bootstrap(pairs, resamples) | _sign_test(pairs)
    return result


def significance_verdict(p: float | None, alpha: float = ALPHA) -> str:
    return "more than noise" if p is not None and p < alpha else "within noise"


def render_comparison(c: Comparison) -> Group:
    """For the terminal: provenance, deltas, significance, then the flipped items."""
    parts: list[Any] = []
    if c.provenance:
        table = Table(title="What differs", title_justify="left")
        for column in ("field", "A", "B"):
            table.add_column(column)
        for name, a, b in c.provenance:
            table.add_row(name, str(a), str(b))
        parts.append(table)
    table = Table(title=f"B − A   (A = {c.a}, B = {c.b})", title_justify="left")
    for column in ("metric", "A", "B", "Δ"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for name, a, b in c.deltas:
        delta = _delta(a, b)
        style = "green" if delta and delta > 0 else "red" if delta and delta < 0 else ""
        table.add_row(name, _f(a), _f(b), Text(_f(delta, signed=True), style=style))
    parts.append(table)
    sig = Table(title=_significance_title(c), title_justify="left")
    for column in _SIGNIFICANCE_COLUMNS:
        sig.add_column(column, no_wrap=True)
    for row in _significance_rows(c):
        sig.add_row(*row)
    parts.append(sig)
    if c.gold_differs:
        parts.append(Text(_GOLD_WARNING.format(c.gold_differs), style="bold yellow"))
    for title, rows, side in _flip_sections(c):
        parts.append(Text(f"{title}: {len(rows)}", style="bold"))
        parts += [Text(f"  {_describe(row, side)}") for row in rows[:SHOWN]]
        if len(rows) > SHOWN:
            parts.append(Text(f"  … and {len(rows) - SHOWN} more (see samples.jsonl)"))
    return Group(*parts)


def comparison_markdown(c: Comparison) -> str:
    """The same content as `render_comparison`, as Markdown."""
    lines = [f"# Comparison: B = `{c.b}` against A = `{c.a}`", ""]
    if c.provenance:
        lines += ["| field | A | B |", "| --- | --- | --- |"]
        lines += [f"| {name} | {a} | {b} |" for name, a, b in c.provenance]
        lines.append("")
    lines += ["| metric | A | B | Δ |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {n} | {_f(a)} | {_f(b)} | {_f(_delta(a, b), signed=True)} |"
              for n, a, b in c.deltas]  # fmt: skip
    lines += ["", f"## {_significance_title(c)}", "",
              "| " + " | ".join(_SIGNIFICANCE_COLUMNS) + " |",
              "|" + " --- |" * len(_SIGNIFICANCE_COLUMNS)]  # fmt: skip
    lines += ["| " + " | ".join(row) + " |" for row in _significance_rows(c)]
    if c.gold_differs:
        lines += ["", f"**{_GOLD_WARNING.format(c.gold_differs)}**"]
    for title, rows, side in _flip_sections(c):
        lines += ["", f"## {title}: {len(rows)}", ""]
        lines += [f"- {_describe(row, side)}" for row in rows[:SHOWN]]
        if len(rows) > SHOWN:
            lines.append(f"- … and {len(rows) - SHOWN} more (see samples.jsonl)")
    return "\n".join(lines) + "\n"


_GOLD_WARNING = "The gold sets differ: {} gold items are in one eval only; flips cover the rest."
_SIGNIFICANCE_COLUMNS = ("kind", "Δ F1", "95% CI", "p boot", "B +/−", "p sign", "verdict")


def _significance_title(c: Comparison) -> str:
    counts = sorted({s["documents"] for s in c.significance.values()})
    documents = "/".join(str(n) for n in counts) or "no"
    return f"Lenient F1 over {documents} documents (paired bootstrap, sign test)"


def _significance_rows(c: Comparison) -> list[list[str]]:
    rows = []
    for kind, s in c.significance.items():
        # Both tests must agree before a difference is called more than noise.
        p = max(s["p"], s["sign_p"])
        interval = f"[{s['low']:.2f}, {s['high']:.2f}]"
        rows.append([kind, _f(s["delta"], signed=True), interval, _p(s["p"]),
                     f"{s['better']}/{s['worse']}", _p(s["sign_p"]),
                     significance_verdict(p)])  # fmt: skip
    return rows


def _flip_sections(c: Comparison) -> list[tuple[str, list[Row], str]]:
    return [
        ("Found in A, missed in B", c.lost, "gold"),
        ("Missed in A, found in B", c.gained, "gold"),
        ("New false positives in B", c.new_false_positives, "predicted"),
        ("False positives of A gone in B", c.gone_false_positives, "predicted"),
    ]


def _describe(row: Row, side: str) -> str:
    item = row[side] or {}
    who = item.get("speaker") or item.get("claimant") or item.get("event_type") or "?"
    where = f"[{item.get('char_start')}:{item.get('char_end')}]"
    return f"{row['document_id']} {row['kind']} {where} {who}: {str(item.get('text'))[:90]!r}"


def _provenance(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Header fields that differ; a list (failed documents) shows as its length."""
    ha, hb = a.get("header") or {}, b.get("header") or {}
    rows = []
    for key in PROVENANCE:
        va, vb = ha.get(key), hb.get(key)
        va, vb = (len(v) if isinstance(v, list) else v for v in (va, vb))
        if va != vb:
            rows.append((key, va, vb))
    return rows


def _deltas(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, float | None, float | None]]:
    """(kind.section.metric, A, B) for every score either eval has, in `score_rows` order."""
    rows_a = {(r.kind, r.key): r for r in score_rows(a)}
    rows_b = {(r.kind, r.key): r for r in score_rows(b)}
    union = [*rows_a, *(key for key in rows_b if key not in rows_a)]
    keys = sorted(union, key=lambda key: KINDS.index(key[0]))  # stable: A's order first
    out = []
    for kind, section in keys:
        scores_a = rows_a[kind, section].scores if (kind, section) in rows_a else {}
        scores_b = rows_b[kind, section].scores if (kind, section) in rows_b else {}
        for metric in SCORE_KEYS:
            if metric in scores_a or metric in scores_b:
                name = f"{kind}.{section}.{metric}"
                out.append((name, scores_a.get(metric), scores_b.get(metric)))
    return out


def _by_item(samples: list[Row], side: str) -> dict[tuple[Any, ...], Row]:
    out = {}
    for row in samples:
        item = row[side]
        if item is not None:
            key = (row["document_id"], row["kind"], item["char_start"], item["char_end"],
                   item.get("event_type") or "", item.get("text") or "")  # fmt: skip
            out[key] = row
    return out


def _paired_documents(a: EvalOutput, b: EvalOutput, kind: str) -> list[DocPair]:
    """Per document scored in both, lenient [tp, fp, fn] of A and of B.

    Documents without any row (no gold, no prediction of this kind) are counted from the
    per-kind document count of metrics.json: they score [0, 0, 0] on both sides."""
    counts_a, counts_b = _lenient_counts(a.samples, kind), _lenient_counts(b.samples, kind)
    docs = sorted(counts_a.keys() | counts_b.keys())
    zero = [0, 0, 0]
    pairs = [(counts_a.get(d, zero), counts_b.get(d, zero)) for d in docs]
    scored = [(m.get(kind) or {}).get("documents") for m in (a.metrics, b.metrics)]
    if scored[0] is not None and scored[0] == scored[1]:
        pairs += [(zero, zero)] * max(0, scored[0] - len(docs))
    return pairs


def _lenient_counts(samples: list[Row], kind: str) -> dict[str, list[int]]:
    index = {"matched": 0, "false_positive": 1, "missed": 2}
    counts: dict[str, list[int]] = {}
    for row in samples:
        if row["kind"] == kind:
            counts.setdefault(row["document_id"], [0, 0, 0])[index[row["status"]]] += 1
    return counts


def _f1(counts: list[int]) -> float:
    """F1 of [tp, fp, fn], 0 where `f1` is null (a document with neither gold nor
    prediction of the kind scores the same in A and B)."""
    return f1(*counts) or 0.0


def _bootstrap(pairs: list[DocPair], resamples: int) -> dict[str, float | int]:
    # Each document's six counts (A's tp, fp, fn, then B's) packed into one integer, in
    # fields wide enough never to carry into each other, so one sum() adds all six.
    shifts = [_FIELD * k for k in range(6)]
    packed = [sum(c << s for c, s in zip([*a, *b], shifts, strict=True)) for a, b in pairs]

    def delta(total: int) -> float:
        counts = [(total >> s) & _MASK for s in shifts]
        return _f1(counts[3:]) - _f1(counts[:3])

    observed = delta(sum(packed))
    rng = random.Random(SEED)
    n = len(packed)
    draws = sorted(delta(sum(rng.choices(packed, k=n))) for _ in range(resamples))
    if observed == 0:
        p = 1.0
    else:
        opposite = sum(1 for d in draws if (d <= 0 if observed > 0 else d >= 0))
        p = min(1.0, 2 * (opposite + 1) / (resamples + 1))
    return {
        "delta": round(observed, 4),
        "low": round(draws[int(0.025 * resamples)], 4),
        "high": round(draws[int(0.975 * resamples) - 1], 4),
        "p": round(p, 4),
        "documents": n,
    }


def _sign_test(pairs: list[DocPair]) -> dict[str, float | int]:
    better = sum(1 for a, b in pairs if _f1(b) > _f1(a))
    worse = sum(1 for a, b in pairs if _f1(b) < _f1(a))
    n, k = better + worse, min(better, worse)
    p = 1.0 if n == 0 else min(1.0, 2 * _binomial_tail(k, n))
    return {"better": better, "worse": worse, "sign_p": round(p, 4)}


def _binomial_tail(k: int, n: int) -> float:
    """P(X <= k) for X ~ Binomial(n, 1/2), summed in log space (no huge integers)."""
    logs = [lgamma(n + 1) - lgamma(i + 1) - lgamma(n - i + 1) - n * log(2) for i in range(k + 1)]
    top = max(logs)
    return exp(top) * sum(exp(v - top) for v in logs)


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def _p(value: float) -> str:
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _f(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.3f}" if signed else f"{value:.3f}"
