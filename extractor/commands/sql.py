"""`extractor sql "SELECT ..."`: read-only SQL over the database."""

from __future__ import annotations

import argparse
import json
import sys

from extractor.commands.options import add_db, add_query, read_only_db, read_only_query
from extractor.settings import query_from


def add_parser(subparsers: argparse._SubParsersAction, help: str) -> None:
    parser = subparsers.add_parser(
        "sql",
        help=help,
        description="Tables: documents, runs, run_documents, quotes, claims, events, llm_calls, "
        "evals, eval_scores. Only SELECT, WITH, DESCRIBE, SHOW and EXPLAIN are allowed, "
        "and no function that changes state (nextval, setseed); a query stops after "
        "--sql-timeout seconds.",
    )
    parser.add_argument("query", metavar="SQL")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="one JSON object per row")
    output.add_argument("--csv", action="store_true", help="CSV with a header row")
    add_db(parser)
    add_query(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with read_only_db(args) as db:
        result = read_only_query(db, args.query, timeout_s=query_from(args).sql_timeout_s)
    if args.json:
        for row in result.rows:
            print(
                json.dumps(
                    dict(zip(result.columns, row, strict=True)), default=str, ensure_ascii=False
                )
            )
    elif args.csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")  # Unix lines, not CRLF
        writer.writerow(result.columns)
        writer.writerows(result.rows)
    else:
        from extractor.render import rows_table, stdout_console  # rich: for a table only

        console = stdout_console()
        console.print(rows_table(result.columns, result.rows))
        count = len(result.rows)
        console.print(f"{count:,} row{'' if count == 1 else 's'}", style="dim", highlight=False)
    return 0
