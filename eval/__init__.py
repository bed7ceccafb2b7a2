"""Evaluation against a hand-annotated gold set: loading, matching, metrics, comparison.

This package scores what the pipeline produced; it imports the schemas, never the engines.
"""

from extractor.eval.compare import (
    Comparison,
    EvalOutput,
    compare,
    comparison_markdown,
    eval_output,
    load_eval,
    render_comparison,
)
from extractor.eval.gold import GoldDocument, gold_hash, load_gold
from extractor.eval.match import LENIENT, STRICT, assign, match_names, names_match, overlap_score
from extractor.eval.metrics import SCORER_VERSION, EvalResult, by_language, score
from extractor.eval.report import render_markdown, render_table, write_samples
from extractor.schemas import KINDS

__all__ = [
    "KINDS",
    "LENIENT",
    "SCORER_VERSION",
    "STRICT",
    "Comparison",
    "EvalOutput",
    "EvalResult",
    "GoldDocument",
    "assign",
    "by_language",
    "compare",
    "comparison_markdown",
    "eval_output",
    "gold_hash",
    "load_eval",
    "load_gold",
    "match_names",
    "names_match",
    "overlap_score",
    "render_comparison",
    "render_markdown",
    "render_table",
    "score",
    "write_samples",
]
