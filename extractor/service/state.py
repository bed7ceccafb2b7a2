"""What one service process holds: the store, the engine, its run, and the worker pool.

One process, one DuckDB connection: writes go through the `Store` (its lock serialises
them, one transaction per document); reads use a cursor of their own per request. The
engine is built once (a `local` engine loads its model once) and shared by every request.
All extractions of a process belong to one run ("service run"): one configuration, one
row in `runs`, whose `run_documents` grow with each request, instead of a run per request.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

from extractor.engines import Engine, create_engine
from extractor.errors import remember_secret
from extractor.pipeline import run_info
from extractor.service.limits import Admission
from extractor.settings import EngineSettings, StoreSettings
from extractor.store import Store


@dataclass
class ServiceState:
    settings: EngineSettings
    store: Store
    engine: Engine
    run_id: str
    pool: ThreadPoolExecutor
    admission: Admission
    api_token: str | None
    sql_enabled: bool
    sql_timeout_s: float | None
    extract_timeout_s: float | None

    @classmethod
    def open(
        cls,
        settings: EngineSettings,
        store_settings: StoreSettings,
        *,
        api_token: str | None,
        sql_enabled: bool,
        sql_timeout_s: float | None = None,
        extract_timeout_s: float | None = None,
        queue: int,
    ) -> ServiceState:
        remember_secret(api_token)  # never echoed back, even inside an error message
        store = Store(store_settings.db_path)
        try:
            engine = create_engine(settings)
        except BaseException:
            store.close()
            raise
        return cls(
            settings=settings,
            store=store,
            engine=engine,
            run_id=store.start_run(run_info(engine)),
            pool=ThreadPoolExecutor(settings.concurrency, thread_name_prefix="extract"),
            admission=Admission(settings.concurrency, queue),
            api_token=api_token or None,
            sql_enabled=sql_enabled,
            sql_timeout_s=sql_timeout_s,
            extract_timeout_s=extract_timeout_s,
        )

    def close(self) -> None:
        """Finish what is running, then close the run, the engine and the database."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        try:
            self.store.finish_run(self.run_id, "done")
        finally:
            self.engine.close()
            self.store.close()

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one request's reads (sees committed data only)."""
        with self.store.reading() as cursor:
            yield cursor
