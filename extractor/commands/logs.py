"""`extractor logs`: the model calls with what was asked and what came back (`llm_calls`
with its `messages` and `response`), newest last, as `llm logs` shows them."""

from __future__ import annotations

import argparse
import json
from typing import Any

import duckdb

from extractor.commands.options import add_db, connection_query, read_only_db, resolve_id
from extractor.errors import ConfigError

LOGS_SQL = """
SELECT strftime(c.created_at, '%Y-%m-%d %H:%M:%S') AS created, c.run_id, c.document_id,
       d.title, c.model, c.chunk_index, c.attempt, c.outcome, c.error, c.prompt_tokens,
       c.completion_tokens, c.latency_ms, c.messages, c.response
FROM llm_calls c LEFT JOIN documents d ON d.id = c.document_id
WHERE ($run IS NULL OR c.run_id = $run) AND ($document IS NULL OR c.document_id = $document)
  AND ($q IS NULL OR contains(lower(concat_ws(' ', c.messages, c.response)), lower($q)))
ORDER BY c.created_at DESC, c.rowid DESC LIMIT $limit
"""


def add_parser(subparsers: argparse._SubParsersAction, help: str) -> None:
    parser = subparsers.add_parser(
        "logs",
        help=help,
        description="The N newest model calls matching the filters, oldest first: each "
        "with its run, document, outcome and tokens, the messages sent and the answer's "
        "text. No header is stored, so no key or token is shown.",
    )
    parser.add_argument(
        "--run", dest="run_id", metavar="RUN", help="only this run (an id or its prefix)"
    )
    parser.add_argument("--document", metavar="ID", help="only this document (an id or its prefix)")
    parser.add_argument(
        "-q", "--query", metavar="TEXT", help="only calls whose prompt or answer contains TEXT"
    )
    parser.add_argument(
        "-n", "--limit", type=int, default=3, metavar="N", help="the N newest (default: 3)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per call")
    add_db(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise ConfigError("--limit must be at least 1")
    with read_only_db(args) as db:
        query = connection_query(db)
        params = {
            "run": resolve_id(query, "runs", args.run_id) if args.run_id else None,
            "document": resolve_id(query, "documents", args.document) if args.document else None,
            "q": args.query,
            "limit": args.limit,
        }
        try:
            cursor = db.execute(LOGS_SQL, params)
        except duckdb.BinderException as exc:
            raise ConfigError(
                "this database has no call log yet: any `extractor extract --db FILE` upgrades it"
            ) from exc
        names = [d[0] for d in cursor.description or []]
        calls = [dict(zip(names, row, strict=True)) for row in reversed(cursor.fetchall())]
    for call in calls:
        call["messages"] = json.loads(call["messages"]) if call["messages"] else None
        if args.json:
            print(json.dumps(call, default=str, ensure_ascii=False))
        else:
            print(_markdown(call))
    return 0


def _markdown(call: dict[str, Any]) -> str:
    tokens = ""
    if call["prompt_tokens"] is not None:
        tokens = f", {call['prompt_tokens']:,} in, {call['completion_tokens'] or 0:,} out"
    lines = [
        f"## {call['created']}  run {call['run_id']}  document {call['document_id']}",
        "",
        f"{call['title'] or 'untitled'}, chunk {call['chunk_index']}, attempt "
        f"{call['attempt']}: **{call['outcome']}**"
        + (f" ({call['error']})" if call["error"] else "")
        + f"; {call['model']}{tokens}, {call['latency_ms'] or 0:,.0f} ms",
        "",
    ]
    for message in call["messages"] or []:
        lines += [f"### {message.get('role', '?')}", "", str(message.get("content", "")), ""]
    answer = call["response"]
    lines += ["### response", "", answer if answer is not None else "(no answer)", ""]
    return "\n".join(lines)
