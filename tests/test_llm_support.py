"""The parts around the model call: prompt rendering and hash, response cache, rate limit,
price table."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from extractor.errors import ConfigError
from extractor.llm.cache import ResponseCache, cache_key
from extractor.llm.prices import cost, load_prices
from extractor.llm.prompt import load_prompt
from extractor.llm.ratelimit import RateLimiter
from extractor.schemas import EVENT_TYPES, DocumentExtraction, Quote


def test_prompt_numbers_sentences_lists_event_types_and_gives_hints() -> None:
    prompt = load_prompt("extract/v1")
    text = "Talks ended on Friday. “We agreed,” said Ana Costa."
    hint = Quote(text="We agreed", char_start=24, char_end=33, speaker="Ana Costa")
    system, user = prompt.messages(text, "2025-07-11", DocumentExtraction(quotes=[hint]))
    assert "[1] Talks ended on Friday.\n[2] “We agreed,” said Ana Costa." in user["content"]
    assert "2025-07-11" in user["content"]
    assert '- quote by Ana Costa: "We agreed"' in user["content"]
    assert all(t.value in system["content"] for t in EVENT_TYPES)
    assert prompt.version == "extract/v1"
    assert len(prompt.hash) == 16 and prompt.hash == load_prompt("extract/v1").hash


def test_unknown_prompt_version_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="extract/v999"):
        load_prompt("extract/v999")


def test_cache_key_changes_with_every_input() -> None:
    base = ("m", "p", "s", "text", {"temperature": 0.0})
    variants = [
        ("m2", "p", "s", "text", {"temperature": 0.0}),
        ("m", "p2", "s", "text", {"temperature": 0.0}),
        ("m", "p", "s2", "text", {"temperature": 0.0}),
        ("m", "p", "s", "text!", {"temperature": 0.0}),
        ("m", "p", "s", "text", {"temperature": 0.5}),
    ]
    keys = {cache_key(*base)} | {cache_key(*v) for v in variants}
    assert len(keys) == 6
    assert cache_key(*base) == cache_key("m", "p", "s", "text", {"temperature": 0.0})


def test_cache_round_trip_is_atomic_under_concurrent_writers(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    key = cache_key("m", "p", "s", "ünïcode 😀", {})
    assert cache.get(key) is None

    def write(n: int) -> None:
        cache.put(key, {"response": {"quotes": [], "n": n}, "note": "x" * 10_000})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    value = cache.get(key)
    assert value is not None and value["response"]["n"] in range(8)
    files = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [f"{key}.json"]  # no temporary file left behind


class FakeTime:
    """A monotonic clock that only moves when someone sleeps (or the test advances it)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.lock = threading.Lock()

    def clock(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.now += seconds


def test_rate_limit_lets_a_full_bucket_through_then_waits_one_interval() -> None:
    fake = FakeTime()
    limiter = RateLimiter(per_minute=60, clock=fake.clock, sleep=fake.sleep)
    for _ in range(60):
        limiter.acquire()  # the full bucket: no wait
    assert fake.sleeps == []
    limiter.acquire()
    assert fake.sleeps == [pytest.approx(1.0)]  # 60 per minute: one a second
    fake.now += 30.0  # idle time refills the bucket, up to its capacity
    for _ in range(30):
        limiter.acquire()
    assert len(fake.sleeps) == 1


def test_rate_limit_is_shared_by_threads() -> None:
    fake = FakeTime()
    limiter = RateLimiter(per_minute=60, clock=fake.clock, sleep=fake.sleep)
    for _ in range(60):
        limiter.acquire()
    granted: list[float] = []

    def work() -> None:
        for _ in range(5):
            limiter.acquire()
            granted.append(fake.clock())

    started = time.monotonic()
    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - started < 1.0  # nothing really slept
    assert len(granted) == 20
    # Never more grants than the empty bucket earns: one per simulated second.
    for n, at in enumerate(sorted(granted), 1):
        assert n <= at + 1e-9


def test_cost_from_the_price_table(tmp_path: Path) -> None:
    table = load_prices()
    assert cost("gpt-4o-mini", 1_000_000, 1_000_000, table) == pytest.approx(0.75)
    assert cost("local:SmolLM2-135M-Instruct.Q4_1.gguf", 5000, 700, table) == 0.0
    assert cost("some-unknown-model", 10, 10, table) is None
    custom = tmp_path / "prices.json"
    custom.write_text(json.dumps({"my-model": [1.0, 2.0]}), encoding="utf-8")
    assert cost("my-model", 500_000, 250_000, load_prices(custom)) == pytest.approx(1.0)
    custom.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="price table"):
        load_prices(custom)
