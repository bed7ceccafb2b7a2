"""DuckDB storage: schema migrations, the writer, and the read-only SQL guard."""

from extractor.store.db import RunInfo, Store, connect
from extractor.store.readonly import check_read_only, run_read_only, table_names

__all__ = ["RunInfo", "Store", "check_read_only", "connect", "run_read_only", "table_names"]
