"""`extractor` command line: parses flags, dispatches to a command module, and turns any
error into one clear line on stderr (exit 2 for usage/config, 1 for failed work).

Only the named command's module is imported (each pulls in what it needs: DuckDB, rich,
the engines, the service), so `extractor --help` and a quick `extractor sql` start fast;
the other commands are listed by name and summary alone."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from extractor.errors import ConfigError, ExtractorError, one_line, scrub
from extractor.version import __version__

#: Command -> (module under `extractor.commands`, one-line summary). Each module has
#: `add_parser(subparsers, help)` and the parser it adds has a `run(args) -> int` default.
COMMANDS = {
    "extract": ("extract", "extract quotes, claims and events from articles and store them"),
    "sql": ("sql", "run a read-only SQL query (writes are refused)"),
    "export": ("export", "write a table or a query to Parquet, JSONL or CSV"),
    "runs": ("runs", "list runs: documents, failures, tokens, cost"),
    "logs": ("logs", "show model calls: the prompt sent and the answer"),
    "batch": ("batch", "a batch job (extract --batch): status, collect"),
    "eval": ("evaluate", "score an engine against a gold set (or: eval compare A B)"),
    "serve": ("serve", "run the HTTP service (API, review pages, /docs)"),
    "view": ("view", "write a document's review page (highlighted spans) as one HTML file"),
}


#: The commands that may call a model (and so load instructor).
MODEL_COMMANDS = frozenset({"extract", "batch", "eval", "serve"})


def _quiet_instructor() -> None:
    """instructor logs every failed validation at ERROR; we count and store those instead.
    (`logging` is imported here: the commands that call no model start without it.)"""
    import logging

    logging.getLogger("instructor").setLevel(logging.CRITICAL)


class Parser(argparse.ArgumentParser):
    """Every parser and subparser (`add_subparsers` makes its children of this class): a
    usage error is one line naming the help to read, never the usage block."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}; see '{self.prog} --help'")


class UsageError(ConfigError):
    """Bad flags or arguments (exit 2, like any configuration error)."""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given `argv`, only the command it names is built in full (its module
    imported), the others by name and summary. Without `argv`, every command in full."""
    parser = Parser(
        prog="extractor",
        description="Grounded quotes, claims and events from news articles, stored in DuckDB.",
    )
    parser.add_argument("--version", action="version", version=f"extractor {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    named = None if argv is None else next((a for a in argv if not a.startswith("-")), "")
    for name, (module_name, summary) in COMMANDS.items():
        if named is not None and name != named:
            subparsers.add_parser(name, help=summary, add_help=False)
            continue
        try:
            module = importlib.import_module(f"extractor.commands.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"extractor.commands.{module_name}":
                continue  # a command still being built is simply not offered
            raise
        module.add_parser(subparsers, summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser(argv).parse_args(argv)
        if args.command in MODEL_COMMANDS:
            _quiet_instructor()
        return int(args.run(args))
    except ConfigError as exc:
        print(f"extractor: error: {scrub(str(exc))}", file=sys.stderr)
        return 2
    except ExtractorError as exc:
        print(f"extractor: error: {scrub(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("extractor: interrupted; finished documents are stored", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # A DuckDB error (e.g. the file is locked by another process); DuckDB is imported
        # only by the commands that use it, so it is looked up, not imported, here.
        duckdb = sys.modules.get("duckdb")
        if duckdb is None or not isinstance(exc, duckdb.Error):
            raise
        print(f"extractor: database error: {one_line(exc)}", file=sys.stderr)
        return 1


def entry() -> NoReturn:
    """The `extractor` command. Interrupted (130), it exits at once once `main` has closed
    the database: workers still waiting on a hung model request are not waited for, nor is
    the slow teardown of a large heap (spaCy, model clients)."""
    code = main()
    if code == 130:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
