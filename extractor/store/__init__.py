"""DuckDB storage: schema migrations, the writer, and the read-only SQL guard."""

from extractor.store.db import RunInfo, Store, connect
from extractor.store.readonly import check_read_only, run_read_only, table_names
from extractor.store.write import DocumentWrite, FailureWrite, Write
from extractor.store.writer import Writer

__all__ = [
    "DocumentWrite",
    "FailureWrite",
    "RunInfo",
    "Store",
    "Write",
    "Writer",
    "check_read_only",
    "connect",
    "run_read_only",
    "table_names",
]
