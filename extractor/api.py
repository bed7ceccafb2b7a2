"""The Python API, for notebooks and scripts: the pipeline the CLI runs, without argparse.

- `extract(text, ...)`: one article given as a string to its grounded result (no store).
- `extract_many(items, ...)`: files, folders or strings; stored into a DuckDB file when
  `db` is given (a run, exactly as `extractor extract --db` stores it).
- `open(db_path)`: read-only access to such a file: `.table(name)` and `.sql(query)` give
  DuckDB relations (`.df()` with pandas, `.pl()` with polars: the `[dataframes]` extra).

Engine settings are keyword arguments named as the fields of `EngineSettings` (the CLI
flags with `_`: `model`, `base_url`, `api_key`, `concurrency`, ...); one not given comes
from the environment (`EXTRACTOR_*`, then `OPENAI_*`), then the default, as on the CLI.
`import extractor` loads none of this until a name of it is used.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, get_args, get_type_hints

import duckdb

from extractor.engines import Engine, create_engine
from extractor.errors import ConfigError, InputError, one_line
from extractor.pipeline import Outcome, Source, extract_article, extract_one, run_batch
from extractor.records import CallRecord, ModelBudget, Rejection
from extractor.schemas import Claim, DocumentExtraction, Event, Quote
from extractor.settings import EngineSettings, engine_from, validate_engine
from extractor.store import Store, check_read_only, connect, table_names
from extractor.text.articles import Article, article_from_text, iter_paths, read_article

#: The name a string article is known by in messages (and `documents.path`).
TEXT_NAME = "<text>"

Progress = bool | Callable[[Outcome], None]


@dataclass(frozen=True)
class Result:
    """One article's grounded items: every offset (`char_start`, `char_end`) indexes `text`,
    the article's text after its header (if it had one) was read."""

    article: Article
    extraction: DocumentExtraction
    #: Items (or fields of them) the grounding stage refused, and why.
    rejections: list[Rejection]
    #: The model calls the extraction cost (none for the rules engine).
    calls: list[CallRecord]
    #: The model's failure, one line, when the result is partial (rules items only for the
    #: chunks the model did not answer).
    model_error: str | None = None

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def quotes(self) -> list[Quote]:
        return self.extraction.quotes

    @property
    def claims(self) -> list[Claim]:
        return self.extraction.claims

    @property
    def events(self) -> list[Event]:
        return self.extraction.events

    @property
    def partial(self) -> bool:
        return self.model_error is not None


def extract(
    text: str,
    *,
    title: str | None = None,
    published: date | str | None = None,
    url: str | None = None,
    source: str | None = None,
    engine: str = "rules",
    **settings: Any,
) -> Result:
    """Extract quotes, claims and events from one article given as a string (plain text or
    HTML; a `key: value` header, as in article files, is read). Nothing is stored. Raises
    `ConfigError` for bad settings and `InputError` for unusable text."""
    article = article_from_text(
        text, name=TEXT_NAME, title=title, url=url, published=_date(published), source=source
    )
    with _engine(engine, settings) as (built, _):
        output = extract_article(built, article)
    return Result(article, output.extraction, output.rejections, output.calls, output.model_error)


def extract_many(
    items: Iterable[str | os.PathLike[str]],
    *,
    engine: str = "rules",
    db: str | os.PathLike[str] | None = None,
    progress: Progress = True,
    **settings: Any,
) -> list[Outcome]:
    """Extract every item: a `Path` (a file, or a folder of articles), a string naming an
    existing file or folder, or else a string of article text. With `db`, each result (or
    failure) is stored in that DuckDB file as one run. A bad item does not stop the others:
    its outcome has `status == "failed"` and `error`. `progress`: a bar on stderr when it is
    a terminal, or a function called with each outcome as it completes (False: nothing)."""
    sources = _sources(items)
    with _engine(engine, settings) as (built, config), _reporter(progress, len(sources)) as done:
        if db is None:
            return _extract_all(sources, built, config, done)
        with Store(Path(db)) as store:
            result = run_batch(
                sources, built, store, concurrency=config.concurrency,
                max_model_failures=config.max_model_failures,
                on_done=lambda _run_id, outcome: done(outcome),
            )  # fmt: skip
        return result.outcomes


class Database:
    """A database file opened read-only: its tables and read-only SQL as DuckDB relations
    (`.fetchall()`, `.df()` with pandas, `.pl()` with polars). Close it when done (or use
    `with`): the relations read through its connection."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.connection = connect(self.path, read_only=True)

    def tables(self) -> list[str]:
        return table_names(self.connection)

    def table(self, name: str) -> duckdb.DuckDBPyRelation:
        """One table (documents, runs, quotes, claims, events, llm_calls, ...)."""
        tables = self.tables()
        if name not in tables:
            raise InputError(f"no table {name!r}: choose one of {', '.join(tables)}")
        return self.connection.table(name)

    def sql(self, query: str) -> duckdb.DuckDBPyRelation:
        """Read-only SQL (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN), checked by the guard the
        CLI's `extractor sql` uses: anything else raises `InputError`."""
        check_read_only(query)
        try:
            return self.connection.sql(query)
        except duckdb.Error as exc:
            raise InputError(f"SQL error: {one_line(exc)}") from exc

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r})"


def open(db_path: str | os.PathLike[str]) -> Database:
    """Open a database `extract_many(db=...)` or `extractor extract` wrote, read-only."""
    return Database(db_path)


# --- helpers ---------------------------------------------------------------------------


def engine_settings(engine: str = "rules", **settings: Any) -> EngineSettings:
    """`EngineSettings` from keyword arguments (named as its fields) over the environment
    over the defaults, validated as the CLI's are. Raises `ConfigError`, one line."""
    hints = get_type_hints(EngineSettings)
    values: dict[str, Any] = {"engine": engine}
    for key, value in settings.items():
        if key not in hints or key == "engine":
            names = ", ".join(sorted(k for k in hints if k != "engine"))
            raise ConfigError(f"unknown setting {key!r}: choose from {names}")
        if value is not None:  # None: not given, as an absent flag
            values[key] = _coerce(key, value, hints[key])
    # engine_from reads the settings that have a flag or env var (and validates them); the
    # others (temperature, chunk_chars, ...) are set over it, then the whole is validated.
    return validate_engine(engine_from(values).with_overrides(**values))


def _coerce(key: str, value: Any, hint: Any) -> Any:
    allowed = tuple(t for t in (get_args(hint) or (hint,)) if t is not types.NoneType)
    if Path in allowed and isinstance(value, str | os.PathLike):
        return Path(value)
    if isinstance(value, bool) and bool not in allowed:
        pass  # True is an int to Python, not a number here
    elif float in allowed and isinstance(value, int):
        return float(value)
    elif isinstance(value, allowed):
        return value
    expected = " or ".join(t.__name__ for t in allowed)
    # The value itself is not shown: it may be a key.
    raise ConfigError(f"setting {key!r} must be {expected}, not {type(value).__name__}")


@contextmanager
def _engine(engine: str, settings: dict[str, Any]) -> Iterator[tuple[Engine, EngineSettings]]:
    config = engine_settings(engine, **settings)
    built = create_engine(config)
    try:
        yield built, config
    finally:
        built.close()


def _date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"published {value!r}: not an ISO date (e.g. 2025-07-11)") from exc


def _sources(items: Iterable[str | os.PathLike[str]]) -> list[Source]:
    sources: list[Source] = []
    for index, item in enumerate(items):
        if isinstance(item, os.PathLike) or (isinstance(item, str) and _names_a_path(item)):
            paths = iter_paths([os.fspath(item)])
            sources.extend(Source(str(p), partial(read_article, p)) for p in paths)
        elif isinstance(item, str):
            name = f"<text {index}>"
            sources.append(Source(name, partial(article_from_text, item, name=name)))
        else:
            raise InputError(f"item {index}: a path or a string of text, not {type(item).__name__}")
    return sources


def _names_a_path(text: str) -> bool:
    if "\n" in text or len(text) > 4096:
        return False
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # a name too long, a NUL: text, not a path
        return False


def _extract_all(
    sources: list[Source], engine: Engine, config: EngineSettings, done: Callable[[Outcome], None]
) -> list[Outcome]:
    """As `run_batch` without a store: in order, `concurrency` at a time, one budget."""
    budget = ModelBudget(config.max_model_failures)
    outcomes: list[Outcome] = []
    with ThreadPoolExecutor(max_workers=config.concurrency) as pool:
        for outcome in pool.map(lambda s: extract_one(engine, s, budget), sources):
            done(outcome)
            outcomes.append(outcome)
    return outcomes


@contextmanager
def _reporter(progress: Progress, total: int) -> Iterator[Callable[[Outcome], None]]:
    if callable(progress):
        yield progress
        return
    if not progress or not sys.stderr.isatty():
        yield lambda _outcome: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Bar(*columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extracting", total=total)
        yield lambda _outcome: bar.advance(task)


__all__ = ["Database", "Result", "engine_settings", "extract", "extract_many", "open"]
