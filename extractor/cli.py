"""`extractor` command line: parses flags, dispatches to a command module, and turns any
error into one clear line on stderr (exit 2 for usage/config, 1 for failed work)."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

import duckdb

from extractor.errors import ConfigError, ExtractorError, one_line
from extractor.version import __version__

#: Each module has `add_parser(subparsers)` and `run(args) -> int`.
COMMANDS = ("extract", "sql", "export", "runs", "evaluate", "serve", "view")


class Parser(argparse.ArgumentParser):
    """Every parser and subparser (`add_subparsers` makes its children of this class): a
    usage error is one line naming the help to read, never the usage block."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}; see '{self.prog} --help'")


class UsageError(ConfigError):
    """Bad flags or arguments (exit 2, like any configuration error)."""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="extractor",
        description="Grounded quotes, claims and events from news articles, stored in DuckDB.",
    )
    parser.add_argument("--version", action="version", version=f"extractor {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"extractor.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"extractor.commands.{name}":
                continue  # a command still being built is simply not offered
            raise
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # instructor logs every failed validation at ERROR; we count and store those instead.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        args = build_parser().parse_args(argv)
        return int(args.run(args))
    except ConfigError as exc:
        print(f"extractor: error: {exc}", file=sys.stderr)
        return 2
    except ExtractorError as exc:
        print(f"extractor: error: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:  # e.g. the file is locked by another process
        print(f"extractor: database error: {one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("extractor: interrupted; finished documents are stored", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


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
