"""`extractor runs`: runs with their documents (stored, of them partial, and failed),
tokens, cost (and what 1,000 documents cost at that rate) and time."""

from __future__ import annotations

import argparse
import json
from typing import Any

from extractor.commands.options import add_db, read_only_db
from extractor.llm.prices import cost, load_prices
from extractor.render import Column, fitted_table, seconds, significant, stdout_console, whole
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


def add_parser(subparsers: argparse._SubParsersAction, help: str) -> None:
    parser = subparsers.add_parser(
        "runs",
        help=help,
        description="Newest first. The table shows the columns that fit the terminal; "
        "--json has every field.",
    )
    parser.add_argument(
        "--limit", type=int, default=20, metavar="N", help="show the N newest runs (default: 20)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per run")
    add_db(parser)
    add_options(parser, CostSettings)
    parser.set_defaults(run=run)


#: The table's columns, in order, with which stay longest on a narrow terminal (`keep`).
COLUMNS = (
    Column("run", 0),
    Column("engine", 1),
    Column("model", 6, max_width=16),
    Column("prompt", 13),
    Column("status", 9),
    Column("started", 8),
    Column("docs", 2, numeric=True),
    Column("partial", 3, numeric=True),
    Column("failed", 4, numeric=True),
    Column("calls", 12, numeric=True),
    Column("tok in", 10, numeric=True),
    Column("tok out", 11, numeric=True),
    Column("cost $", 5, numeric=True),
    Column("$/1k docs", 14, numeric=True),
    Column("seconds", 7, numeric=True),
)


def run(args: argparse.Namespace) -> int:
    with read_only_db(args) as db:
        cursor = db.execute(RUNS_SQL, [args.limit])
        names = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    prices = load_prices(cost_from(args).prices_path)
    records = []
    for row in rows:
        record = dict(zip(names, row, strict=True))
        record["cost_usd"] = _cost(record.pop("usage"), prices)
        record["cost_per_1000_documents"] = _per_1000(record["cost_usd"], record["documents"])
        records.append(record)
    if args.json:
        for record in records:
            print(json.dumps(record, default=str, ensure_ascii=False))
        return 0
    console = stdout_console()
    cells = [_cells(record) for record in records]
    table, hidden = fitted_table(COLUMNS, cells, console.width)
    console.print(table)
    if hidden:
        console.print(
            f"not shown at this width: {', '.join(hidden)}; see --json",
            style="dim",
            highlight=False,
        )
    return 0


def _cells(record: dict[str, Any]) -> list[str]:
    started = record["started"]
    return [
        str(record["id"]),
        str(record["engine"]),
        record["model"] or "∅",
        record["prompt_version"] or "∅",
        str(record["status"]),
        started[:16] if started else "∅",  # to the minute
        whole(record["documents"]),
        whole(record["partial"]),
        whole(record["failed"]),
        whole(record["calls"]),
        whole(record["prompt_tokens"]),
        whole(record["completion_tokens"]),
        significant(record["cost_usd"]),
        significant(record["cost_per_1000_documents"]),
        seconds(record["seconds"]),
    ]


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


def _per_1000(cost_usd: float | None, documents: int) -> float | None:
    """What 1,000 documents cost at this run's rate (its model, prompt and articles)."""
    if cost_usd is None or not documents:
        return None
    return round(cost_usd / documents * 1000, 6)
