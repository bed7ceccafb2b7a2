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
from extractor.eval.gold import GoldDocument, load_gold
from extractor.eval.match import LENIENT, STRICT, assign, match_names, names_match, overlap_score
from extractor.eval.metrics import EvalResult, score
from extractor.eval.report import render_markdown, render_table, write_samples
from extractor.schemas import KINDS

__all__ = [
    "KINDS",
    "LENIENT",
    "STRICT",
    "Comparison",
    "EvalOutput",
    "EvalResult",
    "GoldDocument",
    "assign",
    "compare",
    "comparison_markdown",
    "eval_output",
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
