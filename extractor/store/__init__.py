"""DuckDB storage: schema migrations, the writer, and the read-only SQL guard.

The writer (`Store`, `RunInfo`) loads the schemas on first use, so a read-only command
(`extractor sql`) starts with DuckDB alone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extractor.store.readonly import check_read_only, connect, run_read_only, table_names

if TYPE_CHECKING:
    from extractor.store.db import RunInfo, Store


def __getattr__(name: str) -> Any:
    if name in ("RunInfo", "Store"):
        from extractor.store import db

        return getattr(db, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["RunInfo", "Store", "check_read_only", "connect", "run_read_only", "table_names"]
