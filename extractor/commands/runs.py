"""`extractor runs`: runs with their documents (stored, of them partial, and failed),
tokens, cost and time."""

from __future__ import annotations

import argparse

from extractor.commands.options import add_db, read_only_db
from extractor.llm.prices import cost, load_prices
from extractor.render import rows_table, stdout_console
from extractor.settings import CostSettings, add_options, cost_from

RUNS_SQL = """
WITH docs AS (
    SELECT run_id, count(*) FILTER (status IN ('ok', 'partial')) AS stored,
           count(*) FILTER (status = 'partial') AS partial,
           count(*) FILTER (status = 'failed') AS failed
    FROM run_documents GROUP BY run_id
), calls AS (
    SELECT run_id, model, count(*) AS calls,
           sum(prompt_tokens) AS prompt_tokens, sum(completion_tokens) AS completion_tokens
    FROM llm_calls WHERE outcome <> 'cached' GROUP BY run_id, model
)
SELECT r.id, r.engine, r.model, r.prompt_version, r.status,
       strftime(r.started_at, '%Y-%m-%d %H:%M:%S') AS started,
       coalesce(d.stored, 0) AS documents, coalesce(d.partial, 0) AS partial,
       coalesce(d.failed, 0) AS failed,
       coalesce(sum(c.calls), 0) AS calls,
       coalesce(sum(c.prompt_tokens), 0) AS prompt_tokens,
       coalesce(sum(c.completion_tokens), 0) AS completion_tokens,
       list(struct_pack(model := c.model, p := c.prompt_tokens, c := c.completion_tokens))
           FILTER (c.model IS NOT NULL) AS usage,
       round(epoch(r.finished_at) - epoch(r.started_at), 2) AS seconds
FROM runs r LEFT JOIN docs d ON d.run_id = r.id LEFT JOIN calls c ON c.run_id = r.id
GROUP BY ALL ORDER BY started DESC LIMIT ?
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("runs", help="list runs: documents, failures, tokens, cost")
    parser.add_argument("--limit", type=int, default=20)
    add_db(parser)
    add_options(parser, CostSettings)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with read_only_db(args) as db:
        rows = db.execute(RUNS_SQL, [args.limit]).fetchall()
    prices = load_prices(cost_from(args).prices_path)
    table_rows = []
    for row in rows:
        *head, usage, seconds = row
        table_rows.append((*head, _cost(usage, prices), seconds))
    columns = [
        "run",
        "engine",
        "model",
        "prompt",
        "status",
        "started",
        "docs",
        "partial",
        "failed",
        "calls",
        "prompt tok",
        "completion tok",
        "cost $",
        "seconds",
    ]
    stdout_console().print(rows_table(columns, table_rows))
    return 0


def _cost(
    usage: list[dict[str, object]] | None, table: dict[str, tuple[float, float]]
) -> float | None:
    """USD for a run's tokens; None when it made no model call or a price is unknown."""
    if not usage:
        return None
    total = 0.0
    for entry in usage:
        value = cost(str(entry["model"]), entry["p"] or 0, entry["c"] or 0, table)  # type: ignore[arg-type]
        if value is None:
            return None
        total += value
    return round(total, 6)
