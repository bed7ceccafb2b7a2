"""CPU time of the deterministic engine per article, with and without spaCy's parser.

    .venv/bin/python bench/bench_nlp.py [CORPUS_DIR] [--nlp-model NAME]

Loads the spaCy pipeline once (the load is timed apart), then for every article of the
corpus (default /work/shared/corpus/wikinews) times, in CPU seconds: the spaCy pipeline
with every component, the same with the parser disabled, and the rules on the parsed
text. Prints the per-article averages, the engine's total with and without the parser,
and the parser's share of the engine's time.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from extractor import nlp
from extractor.rules import find_items
from extractor.rules.analysis import Analysis
from extractor.rules.entities import find_entities
from extractor.rules.people import scan_people
from extractor.settings import DEFAULT_NLP_MODEL
from extractor.text.articles import read_article
from extractor.text.segment import sentences

CORPUS = Path("/work/shared/corpus/wikinews")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--nlp-model", default=DEFAULT_NLP_MODEL)
    args = parser.parse_args()
    articles = [read_article(p) for p in sorted(args.corpus.rglob("*.txt"))]
    articles = [a for a in articles if a.text.strip()]
    started = time.process_time()
    pipeline = nlp.load(args.nlp_model)
    load = time.process_time() - started
    full = without_parser = rules = 0.0
    for article in articles:
        started = time.process_time()
        doc = pipeline(article.text)
        full += time.process_time() - started
        with pipeline.select_pipes(disable=["parser"]):
            started = time.process_time()
            pipeline(article.text)
            without_parser += time.process_time() - started
        started = time.process_time()
        people = scan_people(article.text)
        analysis = Analysis(
            article.text, sentences(article.text), doc, people,
            find_entities(article.text, doc, people),
        )  # fmt: skip
        find_items(article, analysis=analysis)
        rules += time.process_time() - started
    n = len(articles)
    chars = sum(len(a.text) for a in articles) / n
    with_total, without_total = (full + rules) / n, (without_parser + rules) / n
    print(f"pipeline {args.nlp_model}: {pipeline.pipe_names}, loaded once in {load:.2f} s CPU")
    print(f"{n} articles, {chars:,.0f} characters on average")
    print(f"spaCy, all components   {full / n:.3f} s CPU per article")
    print(f"spaCy, parser disabled  {without_parser / n:.3f} s CPU per article")
    print(f"rules on the parse      {rules / n:.3f} s CPU per article")
    print(f"engine with parser      {with_total:.3f} s CPU per article")
    print(f"engine without parser   {without_total:.3f} s CPU per article")
    print(f"parser's share          {(with_total - without_total) / with_total:.0%}")


if __name__ == "__main__":
    main()
