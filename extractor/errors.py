"""The exception tree. The CLI and the service turn any of these into one clear line.

    ExtractorError
    ├── ConfigError      bad flags, env or settings (missing key, unknown engine, bad path)
    ├── InputError       an article or request that cannot be used: empty, binary,
    │   │                undecodable, bad header, refused SQL
    │   └── NotFound     no such document or run
    ├── ProviderError    the model endpoint failed after retries (down, 5xx, timeout, 429);
    │                    `.calls` holds the calls it spent, failed attempts included
    ├── BatchError       a batch job that cannot be submitted or read, or a request of it
    │                    that failed or expired (its document is recorded failed)
    ├── GroundingError   a span that cannot be located in its document
    ├── StoreError       the database refused a write
    └── GoldError        a gold file that does not hold together (wrong offset, missing field)

SDK errors are re-raised `from` the original so the cause stays in the chain. Context
travels as declared attributes of these classes, never as attributes set on another
library's exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extractor.records import CallRecord


class ExtractorError(Exception):
    """Root of every error this package raises on purpose."""


class ConfigError(ExtractorError):
    pass


class InputError(ExtractorError):
    pass


class NotFound(InputError):
    """No document or run by that id."""


class ProviderError(ExtractorError):
    """The model endpoint failed after transport retries."""

    def __init__(self, message: str, calls: Sequence[CallRecord] = ()) -> None:
        super().__init__(message)
        #: The model calls spent before the failure (they cost money all the same).
        self.calls: list[CallRecord] = list(calls)


class BatchError(ExtractorError):
    pass


class GroundingError(ExtractorError):
    pass


class StoreError(ExtractorError):
    pass


class GoldError(ExtractorError):
    pass


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message, or its class name when it has none."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
