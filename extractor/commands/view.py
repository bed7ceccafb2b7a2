"""`extractor view DOC_ID --out page.html`: a document's review page as one file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractor.commands.options import add_db, connection_query, read_only_db, resolve_id
from extractor.review import load_document, render_document_page


def add_parser(subparsers: argparse._SubParsersAction, help: str) -> None:
    parser = subparsers.add_parser(
        "view",
        help=help,
        description="The page opens in any browser with no network: CSS and JS are inline.",
    )
    parser.add_argument("document_id", metavar="DOC_ID", help="a document id or a unique prefix")
    parser.add_argument("--out", type=Path, required=True, help="HTML file to write; - for stdout")
    parser.add_argument(
        "--run-id", help="show this run's items (an id or a unique prefix; default: the latest)"
    )
    add_db(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with read_only_db(args) as db:
        query = connection_query(db)
        document_id = resolve_id(query, "documents", args.document_id)
        run_id = None if args.run_id is None else resolve_id(query, "runs", args.run_id)
        record = load_document(db, document_id, run_id)
    page = render_document_page(record, asset_url=None)
    counts = record.extraction
    summary = (
        f"{len(counts.quotes)} quotes, {len(counts.claims)} claims, "
        f"{len(counts.events)} events (document {record.id}, run {record.run_id or 'none'})"
    )
    if str(args.out) == "-":
        sys.stdout.write(page)
        print(f"wrote the page to stdout: {summary}", file=sys.stderr)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page, encoding="utf-8")
    print(f"wrote {args.out}: {summary}")
    return 0
