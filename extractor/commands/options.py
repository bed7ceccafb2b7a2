"""Flag groups shared by commands, generated from the option tables in `settings`, and the
builders that turn parsed flags (plus the environment) into each concern's settings."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from extractor.settings import (
    EngineSettings,
    StoreSettings,
    add_options,
    engine_from,
    store_from,
)
from extractor.store import connect


def add_db(parser: argparse.ArgumentParser) -> None:
    add_options(parser, StoreSettings)


@contextmanager
def read_only_db(args: argparse.Namespace) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database named by --db (or the env, or the default), opened read-only."""
    db = connect(store_from(args).db_path, read_only=True)
    try:
        yield db
    finally:
        db.close()


def add_engine(parser: argparse.ArgumentParser) -> None:
    add_options(parser.add_argument_group("engine"), EngineSettings)


def settings_from(args: argparse.Namespace) -> tuple[StoreSettings, EngineSettings]:
    """The database and the engine settings, for commands that extract (flags over env
    over defaults; the engine settings validated)."""
    return store_from(args), engine_from(args)
