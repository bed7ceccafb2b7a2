"""The run's model budget: after `max_failures` model failures in a row (a chunk whose
endpoint failed after the transport retries), a run stops calling the model and finishes
its remaining documents with the rules engine's items, instead of waiting out every
timeout. One budget per run, shared by the engine threads of the batch (it locks); the
pipeline owns it and hands it to the engine through the document's `Recorder`."""

from __future__ import annotations

import threading


class ModelBudget:
    def __init__(self, max_failures: int) -> None:
        """`max_failures` failures in a row stop the model; 0 never stops it."""
        self.max_failures = max_failures
        self.consecutive = 0
        self.last_error: str | None = None
        self._lock = threading.Lock()

    def skip_reason(self) -> str | None:
        """Why the model is not to be called now (one line), or None to call it."""
        with self._lock:
            if not self.max_failures or self.consecutive < self.max_failures:
                return None
            return (
                f"model skipped after {self.max_failures} consecutive failures: {self.last_error}"
            )

    def failed(self, error: str) -> None:
        with self._lock:
            self.consecutive += 1
            self.last_error = error

    def succeeded(self) -> None:
        """The endpoint answered: the count starts again."""
        with self._lock:
            self.consecutive = 0

    @property
    def exhausted(self) -> bool:
        return self.skip_reason() is not None
