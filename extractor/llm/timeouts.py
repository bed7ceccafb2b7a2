"""A timeout that fits the endpoint: hung requests must not hold the workers for minutes.

A fixed 120 s timeout lets requests that hang (a proxy that drops them, an overloaded
server) pile up until every worker waits: with 5% of requests hanging, most of a run was
spent with no completion at all. So when the user sets no timeout, an attempt may take
`factor` x the 95th percentile of the endpoint's recent answer times (at least `floor_s`,
at most the engine's default), doubled on each retry of the same request; before
`warmup` answers are seen it is the default. A timeout the user sets is used as it is.
"""

from __future__ import annotations

import threading
from collections import deque


class FittedTimeout:
    def __init__(
        self,
        ceiling_s: float,
        *,
        floor_s: float = 10.0,
        factor: float = 5.0,
        warmup: int = 10,
        window: int = 200,
    ) -> None:
        self.ceiling_s = ceiling_s
        self.floor_s = min(floor_s, ceiling_s)
        self.factor = factor
        self.warmup = warmup
        self._latencies: deque[float] = deque(maxlen=window)
        self._lock = threading.Lock()

    def observe(self, seconds: float) -> None:
        """An answer came back after `seconds`."""
        with self._lock:
            self._latencies.append(seconds)

    def for_attempt(self, attempt: int) -> float:
        """Seconds attempt `attempt` (1 for the first) of a request may take."""
        with self._lock:
            if len(self._latencies) < self.warmup:
                return self.ceiling_s
            ordered = sorted(self._latencies)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        fitted = max(self.floor_s, self.factor * p95) * 2 ** (attempt - 1)
        return min(self.ceiling_s, fitted)
