"""DuckDB storage: schema migrations, the writer, and the read-only SQL guard.

The writer (`Store`, `RunInfo`) loads the schemas on first use, so a read-only command
(`extractor sql`) starts with DuckDB alone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extractor.store.readonly import check_read_only, connect, run_read_only, table_names

if TYPE_CHECKING:
    from extractor.store.db import RunInfo, Store
    from extractor.store.journal import Journal
    from extractor.store.write import DocumentWrite, FailureWrite, Write
    from extractor.store.writer import Writer

#: Loaded on first use: the writer side imports the schemas.
_LAZY = {"RunInfo": "db", "Store": "db", "DocumentWrite": "write", "FailureWrite": "write",
         "Write": "write", "Writer": "writer", "Journal": "journal"}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"extractor.store.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DocumentWrite",
    "FailureWrite",
    "Journal",
    "RunInfo",
    "Store",
    "Write",
    "Writer",
    "check_read_only",
    "connect",
    "run_read_only",
    "table_names",
]
