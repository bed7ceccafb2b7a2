"""extractor: grounded quotes, claims and events from news articles.

The Python API (`extract`, `extract_many`, `open`; see `extractor.api`) is imported on
first use (PEP 562): `import extractor`, which the CLI does, stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extractor.version import __version__

#: The names `extractor.api` gives the package.
_API = frozenset({"Database", "Result", "engine_settings", "extract", "extract_many", "open"})

__all__ = [
    "Database",
    "Result",
    "__version__",
    "engine_settings",
    "extract",
    "extract_many",
    "open",
]

if TYPE_CHECKING:
    from extractor.api import Database, Result, engine_settings, extract, extract_many, open


def __getattr__(name: str) -> Any:
    if name in _API:
        from extractor import api

        return getattr(api, name)
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
