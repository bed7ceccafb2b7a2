"""Scoring predictions against gold: counts, precision/recall/F1, attribute accuracy.

Precision, recall and F1 are micro-averaged over all documents, at each threshold in
`THRESHOLDS`, each with its own optimal one-to-one assignment. Attribute scores are over
the pairs matched at the lenient threshold:

- `speaker_accuracy` / `claimant_accuracy`: `names_match` of gold and predicted name (both
  null counts as correct: the article names nobody and the prediction agrees);
- events: `type_accuracy` (same `event_type`), `location_accuracy` (`names_match`, over
  pairs whose gold has a location), `time_accuracy` (exact string equality of the ISO
  dates, over pairs whose gold has a time: "2025-07" is not "2025-07-11"), and `actor_f1`
  (one-to-one `names_match` of actor names per pair, counts summed over pairs).

A ratio whose denominator is zero is `null`, never 0: there was nothing to measure.
Precision is null with no predictions, recall with no gold, an accuracy with no matched
pair. F1 is 2tp / (2tp + fp + fn): null only when there is neither gold nor prediction,
and 0 when an engine predicts nothing against some gold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from extractor.eval.gold import GoldDocument
from extractor.eval.match import THRESHOLDS, assign_edges, match_names, names_match, overlaps
from extractor.schemas import KINDS, DocumentExtraction
from extractor.text.language import detect_language

#: The scorer's version, in every metrics.json and evals row: bump it whenever matching
#: or a metric changes, so scores from different scorers are not compared as if alike.
SCORER_VERSION = "1"

#: The attribution field of each kind that has one.
ATTRIBUTE = {"quotes": "speaker", "claims": "claimant"}
#: The accuracy entries of each kind, always present in `metrics.json` (value null if none).
ACCURACIES = {
    "quotes": ("speaker_accuracy",),
    "claims": ("claimant_accuracy",),
    "events": ("type_accuracy", "location_accuracy", "time_accuracy"),
}

Item = dict[str, Any]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    def as_dict(self, threshold: float | None = None) -> dict[str, Any]:
        precision = ratio(self.tp, self.tp + self.fp)
        recall = ratio(self.tp, self.tp + self.fn)
        head = {} if threshold is None else {"threshold": threshold}
        return head | {
            "precision": _round(precision),
            "recall": _round(recall),
            "f1": _round(f1(self.tp, self.fp, self.fn)),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "gold": self.tp + self.fn,
            "predicted": self.tp + self.fp,
        }


@dataclass
class Tally:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.correct += ok
        self.total += 1

    def as_dict(self) -> dict[str, Any]:
        value = _round(ratio(self.correct, self.total))
        return {"value": value, "correct": self.correct, "matched": self.total}


@dataclass
class KindScore:
    kind: str
    #: Documents that annotated this kind.
    documents: int = 0
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in THRESHOLDS})
    accuracies: dict[str, Tally] = field(default_factory=dict)
    actors: Counts = field(default_factory=Counts)

    def __post_init__(self) -> None:
        self.accuracies = {name: Tally() for name in ACCURACIES[self.kind]}


@dataclass
class EvalResult:
    #: Per scored kind (a kind no gold document annotated is absent).
    kinds: dict[str, KindScore]
    #: One row per gold or predicted item: see `extractor.eval.report.write_samples`.
    samples: list[dict[str, Any]]
    #: document id -> kind -> threshold name -> [tp, fp, fn] (for tests over documents).
    per_document: dict[str, dict[str, dict[str, list[int]]]]
    documents: int

    def metrics_json(self, header: Mapping[str, Any]) -> dict[str, Any]:
        """The `metrics.json` object: `header` (plus the document count), then per scored
        kind its document count, `lenient` and `strict` counts and ratios, accuracies and,
        for events, `actor_f1`."""
        out: dict[str, Any] = {"header": {**header, "documents": self.documents}}
        for kind, score in self.kinds.items():
            entry: dict[str, Any] = {"documents": score.documents}
            entry |= {name: score.counts[name].as_dict(t) for name, t in THRESHOLDS.items()}
            entry |= {name: tally.as_dict() for name, tally in score.accuracies.items()}
            if kind == "events":
                entry["actor_f1"] = score.actors.as_dict()
            out[kind] = entry
        return out


def ratio(num: int | float, den: int | float) -> float | None:
    return None if den == 0 else num / den


def f1(tp: int, fp: int, fn: int) -> float | None:
    """2tp / (2tp + fp + fn), the harmonic mean of precision and recall where both exist,
    and still defined when one does not: predicting nothing against some gold is F1 0."""
    return ratio(2 * tp, 2 * tp + fp + fn)


def by_language(
    gold: list[GoldDocument], predictions: Mapping[str, DocumentExtraction]
) -> dict[str, Any]:
    """Per detected language of the gold texts ("und" when it cannot be told): the
    documents and the per-kind scores of `EvalResult.metrics_json`, header aside."""
    groups: dict[str, list[GoldDocument]] = {}
    for doc in gold:
        groups.setdefault(detect_language(doc.text) or "und", []).append(doc)
    out = {}
    for language, docs in sorted(groups.items()):
        scored = score(docs, predictions).metrics_json({})
        out[language] = {"documents": len(docs)} | {k: scored[k] for k in KINDS if k in scored}
    return out


def score(gold: list[GoldDocument], predictions: Mapping[str, DocumentExtraction]) -> EvalResult:
    """Score `predictions` (keyed by gold document id; a missing one predicts nothing)."""
    kinds: dict[str, KindScore] = {}
    samples: list[dict[str, Any]] = []
    per_document: dict[str, dict[str, dict[str, list[int]]]] = {}
    empty = DocumentExtraction()
    for doc in gold:
        predicted = predictions.get(doc.id) or empty
        for kind in KINDS:
            gold_items = doc.items.get(kind)
            if gold_items is None:
                continue
            pred_items = [p.model_dump() for p in getattr(predicted, kind)]
            kind_score = kinds.setdefault(kind, KindScore(kind))
            kind_score.documents += 1
            counts = _score_kind(doc.id, kind, gold_items, pred_items, kind_score, samples)
            per_document.setdefault(doc.id, {})[kind] = counts
    return EvalResult(kinds, samples, per_document, len(gold))


def _score_kind(
    doc_id: str,
    kind: str,
    gold: list[Item],
    pred: list[Item],
    out: KindScore,
    samples: list[dict[str, Any]],
) -> dict[str, list[int]]:
    """Add one document's counts, attributes and sample rows; return its counts."""
    edges = overlaps(
        [(g["char_start"], g["char_end"]) for g in gold],
        [(p["char_start"], p["char_end"]) for p in pred],
    )
    assignments = {name: assign_edges(edges, t) for name, t in THRESHOLDS.items()}
    counts: dict[str, list[int]] = {}
    for name, pairs in assignments.items():
        row = [len(pairs), len(pred) - len(pairs), len(gold) - len(pairs)]
        out.counts[name].add(*row)
        counts[name] = row
    strict_gold = {i for i, _, _ in assignments["strict"]}
    strict_pred = {j for _, j, _ in assignments["strict"]}
    best_gold, best_pred = [0.0] * len(gold), [0.0] * len(pred)
    for (i, j), s in edges.items():
        best_gold[i], best_pred[j] = max(best_gold[i], s), max(best_pred[j], s)
    lenient = assignments["lenient"]
    for i, j, overlap in lenient:
        attributes = _attributes(kind, gold[i], pred[j], out)
        strict = (i in strict_gold, j in strict_pred)
        samples.append(_row(doc_id, kind, gold[i], pred[j], overlap, strict, attributes))
    matched_gold, matched_pred = {i for i, _, _ in lenient}, {j for _, j, _ in lenient}
    for i, g in enumerate(gold):
        if i not in matched_gold:
            samples.append(_row(doc_id, kind, g, None, best_gold[i], (i in strict_gold, None)))
    for j, p in enumerate(pred):
        if j not in matched_pred:
            samples.append(_row(doc_id, kind, None, p, best_pred[j], (None, j in strict_pred)))
    return counts


def _attributes(kind: str, gold: Item, pred: Item, out: KindScore) -> dict[str, Any]:
    """Score one lenient pair's attributes into `out`; return them for its sample row."""
    if kind in ATTRIBUTE:
        name = ATTRIBUTE[kind]
        ok = names_match(gold.get(name), pred.get(name))
        out.accuracies[f"{name}_accuracy"].add(ok)
        return {name: ok}
    result: dict[str, Any] = {"event_type": gold["event_type"] == pred["event_type"]}
    out.accuracies["type_accuracy"].add(result["event_type"])
    result["location"] = result["time"] = None
    if gold.get("location") is not None:
        result["location"] = names_match(gold["location"], pred.get("location"))
        out.accuracies["location_accuracy"].add(result["location"])
    if gold.get("time") is not None:
        result["time"] = gold["time"] == pred.get("time")
        out.accuracies["time_accuracy"].add(result["time"])
    gold_actors, pred_actors = gold.get("actors") or [], pred.get("actors") or []
    hits = match_names(gold_actors, pred_actors)
    actors = [hits, len(pred_actors) - hits, len(gold_actors) - hits]
    out.actors.add(*actors)
    result["actors"] = dict(zip(("tp", "fp", "fn"), actors, strict=True))
    return result


def _row(
    doc_id: str,
    kind: str,
    gold: Item | None,
    pred: Item | None,
    overlap: float,
    strict: tuple[bool | None, bool | None],
    attributes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    status = "missed" if pred is None else "false_positive" if gold is None else "matched"
    return {
        "document_id": doc_id,
        "kind": kind,
        "status": status,
        "overlap": round(overlap, 4),
        "strict": {"gold": strict[0], "predicted": strict[1]},
        "attributes": attributes,
        "gold": gold,
        "predicted": pred,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
