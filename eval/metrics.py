"""Scoring predictions against gold: counts, precision/recall/F1, attribute accuracy.

Precision, recall and F1 are micro-averaged over all documents, at each threshold in
`THRESHOLDS`, each with its own optimal one-to-one assignment. Attribute scores (speaker,
claimant, event type, actors, location, time) are over the pairs matched at the lenient
threshold. A ratio whose denominator is zero is `null`, never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from eval.gold import KINDS, GoldDocument
from eval.match import LENIENT, STRICT, THRESHOLDS, assign, names_match
from schemas import DocumentExtraction

ATTRIBUTE = {"quotes": "speaker", "claims": "claimant"}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def as_dict(self, threshold: float) -> dict[str, Any]:
        precision = ratio(self.tp, self.tp + self.fp)
        recall = ratio(self.tp, self.tp + self.fn)
        f1 = None
        if precision is not None and recall is not None:
            f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
        return {
            "threshold": threshold,
            "precision": _round(precision),
            "recall": _round(recall),
            "f1": _round(f1),
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
        return {"value": _round(ratio(self.correct, self.total)), "correct": self.correct,
                "matched": self.total}  # fmt: skip


@dataclass
class KindScore:
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in THRESHOLDS})
    attributes: dict[str, Tally] = field(default_factory=dict)
    actors: Counts = field(default_factory=Counts)

    def tally(self, name: str) -> Tally:
        return self.attributes.setdefault(name, Tally())


@dataclass
class EvalResult:
    kinds: dict[str, KindScore]
    samples: list[dict[str, Any]]
    #: Per document, per kind, lenient counts (for significance tests in `compare`).
    per_document: dict[str, dict[str, dict[str, int]]]
    documents: int

    def metrics_json(self, header: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"header": {**header, "documents": self.documents}}
        for kind, score in self.kinds.items():
            entry: dict[str, Any] = {
                name: score.counts[name].as_dict(t) for name, t in THRESHOLDS.items()
            }
            for name, tally in score.attributes.items():
                entry[name] = tally.as_dict()
            if kind == "events":
                entry["actor_f1"] = score.actors.as_dict(LENIENT)
            out[kind] = entry
        return out


def ratio(num: int | float, den: int | float) -> float | None:
    return None if den == 0 else num / den


def score(gold: list[GoldDocument], predictions: Mapping[str, DocumentExtraction]) -> EvalResult:
    """Score `predictions` (keyed by gold document id; a missing one predicts nothing)."""
    kinds: dict[str, KindScore] = {}
    samples: list[dict[str, Any]] = []
    per_document: dict[str, dict[str, dict[str, int]]] = {}
    for doc in gold:
        predicted = predictions.get(doc.id) or DocumentExtraction()
        for kind in KINDS:
            gold_items = doc.items.get(kind)
            if gold_items is None:
                continue
            pred_items = [p.model_dump(mode="json") for p in getattr(predicted, kind)]
            kind_score = kinds.setdefault(kind, KindScore())
            pairs = _score_kind(kind, gold_items, pred_items, kind_score)
            per_document.setdefault(doc.id, {})[kind] = {
                "tp": len(pairs),
                "fp": len(pred_items) - len(pairs),
                "fn": len(gold_items) - len(pairs),
            }
            samples.extend(_samples(doc.id, kind, gold_items, pred_items, pairs))
    return EvalResult(kinds, samples, per_document, len(gold))


def _score_kind(
    kind: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]], out: KindScore
) -> list[tuple[int, int, float]]:
    """Add this document's counts and attributes; return its lenient pairs."""
    gold_iv = [(g["char_start"], g["char_end"]) for g in gold]
    pred_iv = [(p["char_start"], p["char_end"]) for p in pred]
    lenient: list[tuple[int, int, float]] = []
    for name, threshold in THRESHOLDS.items():
        pairs = assign(gold_iv, pred_iv, threshold)
        out.counts[name].add(Counts(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs)))
        if threshold == LENIENT:
            lenient = pairs
            for i, j, _ in pairs:
                _attributes(kind, gold[i], pred[j], out)
    return lenient


def _attributes(kind: str, gold: dict[str, Any], pred: dict[str, Any], out: KindScore) -> None:
    if kind in ATTRIBUTE:
        field_name = ATTRIBUTE[kind]
        out.tally(f"{field_name}_accuracy").add(
            names_match(gold.get(field_name), pred.get(field_name))
        )
        return
    out.tally("type_accuracy").add(gold.get("event_type") == pred.get("event_type"))
    if gold.get("location") is not None:
        out.tally("location_accuracy").add(names_match(gold["location"], pred.get("location")))
    if gold.get("time") is not None:
        out.tally("time_accuracy").add(gold["time"] == pred.get("time"))
    gold_actors, pred_actors = list(gold.get("actors") or []), list(pred.get("actors") or [])
    hits = 0
    for actor in gold_actors:
        for index, candidate in enumerate(pred_actors):
            if names_match(actor, candidate):
                hits += 1
                del pred_actors[index]
                break
    out.actors.add(Counts(hits, len(pred.get("actors") or []) - hits, len(gold_actors) - hits))


def _samples(
    doc_id: str,
    kind: str,
    gold: list[dict[str, Any]],
    pred: list[dict[str, Any]],
    pairs: list[tuple[int, int, float]],
) -> list[dict[str, Any]]:
    rows = []
    for i, j, overlap in pairs:
        attribute = ATTRIBUTE.get(kind)
        correct = (
            names_match(gold[i].get(attribute), pred[j].get(attribute))
            if attribute
            else gold[i].get("event_type") == pred[j].get("event_type")
        )
        rows.append(_row(doc_id, kind, "matched", gold[i], pred[j], overlap, correct))
    matched_gold, matched_pred = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
    rows += [_row(doc_id, kind, "missed", g, None, 0.0, None)
             for i, g in enumerate(gold) if i not in matched_gold]  # fmt: skip
    rows += [_row(doc_id, kind, "false_positive", None, p, 0.0, None)
             for j, p in enumerate(pred) if j not in matched_pred]  # fmt: skip
    return rows


def _row(
    doc_id: str,
    kind: str,
    status: str,
    gold: dict[str, Any] | None,
    pred: dict[str, Any] | None,
    overlap: float,
    attribute_correct: bool | None,
) -> dict[str, Any]:
    return {
        "document_id": doc_id,
        "kind": kind,
        "status": status,
        "overlap": round(overlap, 4),
        "strict": overlap >= STRICT,
        "attribute_correct": attribute_correct,
        "gold": gold,
        "predicted": pred,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
