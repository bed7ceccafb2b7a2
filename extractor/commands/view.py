"""`extractor view DOC_ID --out page.html`: a document's review page as one file."""

from __future__ import annotations

import argparse
from pathlib import Path

from extractor.commands.options import add_db, read_only_db
from extractor.review import load_document, render_document_page


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "view",
        help="write a document's review page (highlighted spans) as one HTML file",
        description="The page opens in any browser with no network: CSS and JS are inline.",
    )
    parser.add_argument("document_id", metavar="DOC_ID")
    parser.add_argument("--out", type=Path, required=True, help="HTML file to write")
    parser.add_argument("--run-id", help="show this run's items (default: the latest)")
    add_db(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with read_only_db(args) as db:
        record = load_document(db, args.document_id, args.run_id)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_document_page(record, asset_url=None), encoding="utf-8")
    counts = record.extraction
    print(
        f"wrote {args.out}: {len(counts.quotes)} quotes, {len(counts.claims)} claims, "
        f"{len(counts.events)} events (run {record.run_id or 'none'})"
    )
    return 0
