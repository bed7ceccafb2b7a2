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

import re
import threading
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


def one_line(exc: BaseException, *, named: bool = False) -> str:
    """The first line of an exception's message (scrubbed of secrets: `scrub`), or its
    class name when it has none; `named`: always after its class name."""
    text = scrub(str(exc)).strip()
    line = text.splitlines()[0] if text else ""
    if named:
        return f"{type(exc).__name__}: {line}" if line else type(exc).__name__
    return line or type(exc).__name__


# --- Secrets ---------------------------------------------------------------------------
# Text that came back from an endpoint (an error body may echo the request's headers) is
# scrubbed before it is stored, printed or returned: `one_line` does it for every error,
# the model client for what it records of each call. This is the one place that knows
# what a secret looks like.

REDACTED = "<redacted>"  # not "[...]": terminal markup would swallow it
#: A credential after its label: "Bearer abc...", "api_key=abc...", '"token": "abc..."'.
_LABELLED = re.compile(
    r"(?i)(\bbearer\s+|\bbasic\s+|\b(?:api[_-]?key|access[_-]?token|token|secret|password"
    r"|authorization|x-api-key)[\"']?\s*[:=]\s*[\"']?(?!bearer\b|basic\b))"
    r"[A-Za-z0-9._~+/=-]{6,}"
)
#: Key shapes of the hosted providers, wherever they appear ("sk-...", "sk-proj-...").
_KEY_SHAPED = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}")
_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def remember_secret(secret: str | None) -> None:
    """Scrub `secret` (a configured API key or token) from every text from now on."""
    if secret and len(secret.strip()) >= 4:
        with _secrets_lock:
            _secrets.add(secret.strip())


def scrub(text: str) -> str:
    """`text` without the remembered secrets and anything that looks like a credential
    (a bearer token, a labelled key or token, a provider-shaped key)."""
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, REDACTED)
    text = _LABELLED.sub(lambda m: m.group(1) + REDACTED, text)
    return _KEY_SHAPED.sub(REDACTED, text)
