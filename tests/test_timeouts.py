"""Timeouts fitted to the endpoint: a request that hangs is given up after a multiple of
the endpoint's usual answer time (not the 120 s default), and retried."""

from __future__ import annotations

import threading
from pathlib import Path

from extractor.engines import create_engine
from extractor.llm.timeouts import FittedTimeout
from extractor.pipeline import Source, run_batch
from extractor.settings import EngineSettings
from extractor.store import Store
from extractor.text.articles import Article
from tests.fake_openai_http import FakeOpenAIServer


def test_the_timeout_is_the_default_until_answers_are_seen_then_fits_them() -> None:
    timeouts = FittedTimeout(120.0, floor_s=1.0, factor=5.0, warmup=3)
    assert timeouts.for_attempt(1) == 120.0
    for seconds in (0.2, 0.3, 0.4):
        timeouts.observe(seconds)
    assert timeouts.for_attempt(1) == 2.0  # 5 x the p95 (0.4 s)
    assert timeouts.for_attempt(2) == 4.0  # doubled for a retry of the same request
    assert timeouts.for_attempt(9) == 120.0  # never past the default
    fast = FittedTimeout(120.0, floor_s=3.0, warmup=1)
    fast.observe(0.01)
    assert fast.for_attempt(1) == 3.0  # never under the floor


def test_a_hung_request_is_given_up_early_and_retried(tmp_path: Path) -> None:
    release = threading.Event()
    seen: list[int] = []

    def answer(body: dict[str, object]) -> dict[str, object]:
        seen.append(1)
        if len(seen) == 4:  # the fourth request hangs (until the test ends)
            release.wait(60)
        return {"quotes": [], "claims": [], "events": []}

    with FakeOpenAIServer(answer) as server:
        settings = EngineSettings(engine="llm", base_url=server.base_url, model="fake",
                                  use_candidates=False, use_cache=False,
                                  cache_dir=tmp_path / "cache")  # fmt: skip
        engine = create_engine(settings)
        engine.client.transport.timeouts = FittedTimeout(120.0, floor_s=0.5, warmup=3)
        sources = [Source(f"d{n}", lambda n=n: Article(text=f"Article {n}: prices rise."))
                   for n in range(6)]  # fmt: skip
        with Store(tmp_path / "t.duckdb") as store:
            result = run_batch(sources, engine, store)
            calls = store.query("SELECT outcome, error FROM llm_calls ORDER BY created_at")
        release.set()
        engine.close()
    assert [o.status for o in result.outcomes] == ["ok"] * 6  # the retry answered
    errors = [error for outcome, error in calls if outcome == "error"]
    assert len(errors) == 1 and "Timeout" in errors[0]
