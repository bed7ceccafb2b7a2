"""`extractor eval`: score an engine (or a stored run) against a gold set, and compare evals.

extractor eval --gold FILE_OR_DIR [--engine E] [--run-id RUN] [--db FILE] [--out DIR]
extractor eval compare DIR_A DIR_B [--html OUT]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import uuid
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console

from extractor.commands.options import add_db, add_engine, resolve_id
from extractor.engines import create_engine
from extractor.errors import ConfigError, InputError
from extractor.eval import (
    SCORER_VERSION,
    EvalResult,
    GoldDocument,
    by_language,
    compare,
    gold_hash,
    load_gold,
    render_comparison,
    render_markdown,
    render_table,
    score,
    write_samples,
)
from extractor.pipeline import Source, run_batch
from extractor.pipeline.processes import batch_processes
from extractor.review import render_compare_page, render_eval_report
from extractor.schemas import KINDS, DocumentExtraction
from extractor.settings import EngineSettings, engine_from, store_from
from extractor.store import Store
from extractor.text.articles import Article, document_id
from extractor.version import __version__


def add_parser(subparsers: argparse._SubParsersAction, help: str) -> None:
    parser = subparsers.add_parser(
        "eval",
        help=help,
        description="Extracts the gold documents with --engine (or scores the stored run "
        "--run-id), writes OUT/metrics.json, samples.jsonl, report.md and report.html, prints "
        "a table, and stores the scores in the database. `extractor eval compare A B` "
        "compares two eval output folders.",
    )
    parser.add_argument("--gold", type=Path, help="gold JSONL file or folder of them")
    parser.add_argument("--run-id", help="score this stored run instead of extracting")
    parser.add_argument("--out", type=Path, default=Path("eval-out"), help="output folder")
    add_db(parser)
    add_engine(parser)
    parser.set_defaults(run=run)
    sub = parser.add_subparsers(dest="eval_command", metavar="compare")
    comparing = sub.add_parser(
        "compare",
        help="compare two eval output folders",
        description="Per-metric deltas (B - A), the items that flipped, and a paired bootstrap "
        "over documents telling whether the F1 difference is more than noise.",
    )
    comparing.add_argument("dir_a", type=Path, metavar="DIR_A", help="eval output folder (before)")
    comparing.add_argument("dir_b", type=Path, metavar="DIR_B", help="eval output folder (after)")
    comparing.add_argument("--samples", type=int, default=1000, help="bootstrap resamples")
    comparing.add_argument("--html", type=Path, help="also write the side-by-side page here")
    comparing.add_argument(
        "--allow-different-gold",
        action="store_true",
        help="compare evals scored against different gold sets or scorer versions (warns)",
    )
    comparing.set_defaults(run=_compare)


def run(args: argparse.Namespace) -> int:
    if args.gold is None:
        raise ConfigError("eval needs --gold FILE_OR_DIR (or: extractor eval compare A B)")
    gold = load_gold(args.gold)
    # Scoring a stored run needs no engine: its settings are neither read nor validated.
    settings = None if args.run_id else engine_from(args)
    with Store(store_from(args).db_path) as store:
        if settings is None:
            run_id = resolve_id(store.query, "runs", args.run_id)  # or a unique prefix
            _check_not_replaced(store, run_id)
            info = _run_row(store, run_id)
            predictions = _stored_predictions(store, run_id, gold)
            failed: list[str] = []
            partial_ = _stored_partial(store, run_id)
        else:
            run_id, info, predictions, failed, partial_ = _extract_gold(store, settings, gold)
        result = score(gold, predictions)
        header = {
            **info,
            "run_id": run_id,
            "gold": str(args.gold),
            "documents": len(gold),
            "gold_hash": gold_hash(gold),
            "scorer_version": SCORER_VERSION,
            "failed_documents": failed,
            # scored all the same, with what the rules engine (and any answered chunk) found
            "partial_documents": partial_,
            "code_version": __version__,
            "git_commit": _git_commit(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        metrics = result.metrics_json(header) | {"by_language": by_language(gold, predictions)}
        _write_outputs(args.out, result, metrics, gold)
        _store_eval(store, metrics, run_id, header)
    console = Console()
    console.print(render_table(result, header))
    console.print(f"wrote {args.out}/metrics.json, samples.jsonl, report.md, report.html")
    return 0


def _extract_gold(
    store: Store, settings: EngineSettings, gold: list[GoldDocument]
) -> tuple[str, dict[str, Any], dict[str, DocumentExtraction], list[str], int]:
    engine = create_engine(settings)
    try:
        sources = [Source(doc.id, partial(_article, doc)) for doc in gold]
        batch = run_batch(
            sources, engine, store, concurrency=settings.concurrency,
            max_model_failures=settings.max_model_failures,
            processes=batch_processes(settings.processes, len(sources)),
        )  # fmt: skip
        info = {
            "engine": engine.name,
            "model": engine.model,
            "prompt_version": engine.prompt_version,
            "prompt_hash": engine.prompt_hash,
        }
    finally:
        engine.close()
    predictions = {
        o.name: o.output.extraction for o in batch.outcomes if o.ok and o.output is not None
    }
    failed = [f"{o.name}: {o.error}" for o in batch.failed]
    return batch.run_id, info, predictions, failed, len(batch.partial)


def _check_not_replaced(store: Store, run_id: str) -> None:
    """A run whose items a later run of the same configuration replaced cannot be scored:
    say so, instead of scoring what is no longer there as misses."""
    (replaced, by), *_ = store.query(
        """SELECT count(*), min(superseded_by) FROM run_documents
           WHERE run_id = ? AND superseded_by IS NOT NULL""",
        [run_id],
    )
    if replaced:
        raise InputError(
            f"run {run_id}: the items of {replaced} of its documents were replaced by a "
            f"later run of the same configuration (run {by}); score that run instead"
        )


def _stored_partial(store: Store, run_id: str) -> int:
    rows = store.query(
        "SELECT count(*) FROM run_documents WHERE run_id = ? AND status = 'partial'", [run_id]
    )
    return int(rows[0][0])


def _article(doc: GoldDocument) -> Article:
    return Article(text=doc.text, title=doc.title, published=doc.published, path=doc.id)


def _stored_predictions(
    store: Store, run_id: str, gold: list[GoldDocument]
) -> dict[str, DocumentExtraction]:
    return {doc.id: store.load_extraction(run_id, document_id(doc.text)) for doc in gold}


def _run_row(store: Store, run_id: str) -> dict[str, Any]:
    rows = store.query(
        "SELECT engine, model, prompt_version, prompt_hash FROM runs WHERE id = ?", [run_id]
    )
    if not rows:
        raise ConfigError(f"no run {run_id!r} in {store.path} (see `extractor runs`)")
    engine, model, prompt_version, prompt_hash = rows[0]
    return {
        "engine": engine,
        "model": model,
        "prompt_version": prompt_version,
        "prompt_hash": prompt_hash,
    }


def _write_outputs(
    out: Path, result: EvalResult, metrics: dict[str, Any], gold: list[GoldDocument]
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    write_samples(result, out / "samples.jsonl")
    (out / "report.md").write_text(render_markdown(result, metrics["header"]), encoding="utf-8")
    html = render_eval_report(metrics, result.samples, {doc.id: doc.text for doc in gold})
    (out / "report.html").write_text(html, encoding="utf-8")


def _store_eval(store: Store, metrics: dict[str, Any], run_id: str, header: dict[str, Any]) -> None:
    eval_id = uuid.uuid4().hex[:12]
    with store.transaction() as db:
        db.execute(
            """INSERT INTO evals (id, run_id, engine, model, prompt_version, gold_path,
                   documents, metrics, gold_hash, scorer_version)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                eval_id,
                run_id,
                header.get("engine"),
                header.get("model"),
                header.get("prompt_version"),
                header["gold"],
                header["documents"],
                json.dumps(metrics),
                header["gold_hash"],
                header["scorer_version"],
            ],
        )
        for kind in KINDS:
            for match in ("lenient", "strict"):
                scores = metrics.get(kind, {}).get(match)
                if scores:
                    db.execute(
                        """INSERT INTO eval_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        [
                            eval_id,
                            kind,
                            match,
                            scores["precision"],
                            scores["recall"],
                            scores["f1"],
                            scores["tp"],
                            scores["fp"],
                            scores["fn"],
                        ],
                    )


def _compare(args: argparse.Namespace) -> int:
    comparison = compare(args.dir_a, args.dir_b, resamples=args.samples)
    if comparison.incomparable:
        differ = "; ".join(f"{name} {a} vs {b}" for name, a, b in comparison.incomparable)
        if not args.allow_different_gold:
            raise ConfigError(
                f"eval compare: A and B were not scored alike ({differ}): their scores are "
                "not comparable (--allow-different-gold compares them anyway)"
            )
        Console(stderr=True).print(
            f"[bold red]WARNING: A and B were not scored alike ({differ}): the deltas "
            "mix a change of gold set or scorer with the change being measured[/bold red]",
            highlight=False,
        )
    Console().print(render_comparison(comparison))
    if args.html is not None:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_compare_page(comparison), encoding="utf-8")
        Console().print(f"wrote {args.html}")
    return 0


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None
