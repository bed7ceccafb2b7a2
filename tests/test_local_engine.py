"""The embedded engine behaves like a local program (no real model here: llama.cpp's load
is replaced, the answers come from a fake server): it says what it is doing, its timeout
and retries are an in-process server's, its threads are the free cores."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from extractor.cli import main
from extractor.engines.llm import LLMEngine
from extractor.llm import local_server
from extractor.llm.local_server import LocalServer, free_cores
from extractor.pipeline import extract_article
from extractor.settings import EngineSettings
from extractor.text.articles import Article
from tests.conftest import SEED
from tests.fake_llm import FakeServer
from tests.fake_openai_http import FakeOpenAIServer

TEXT = "“We will not stop,” said Maria Silva, the union leader, in Lisbon on Monday."


def _loads_nothing(monkeypatch: pytest.MonkeyPatch, base_url: str = "http://fake.test/v1") -> None:
    monkeypatch.setattr(LocalServer, "_load", lambda self, threads: object())
    monkeypatch.setattr(LocalServer, "_wait_ready", lambda self: None)
    monkeypatch.setattr(LocalServer, "base_url", property(lambda self: base_url))


@pytest.mark.parametrize(("cpus", "load", "free"), [(2, 0.1, 2), (2, 1.6, 1), (8, 2.2, 6),
                                                    (2, 9.0, 1)])  # fmt: skip
def test_threads_are_the_cores_not_busy(
    monkeypatch: pytest.MonkeyPatch, cpus: int, load: float, free: int
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cpus)))
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert free_cores() == free


def test_the_server_says_it_is_loading_the_model_with_how_many_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _loads_nothing(monkeypatch)
    monkeypatch.setattr(local_server, "free_cores", lambda: 1)
    said: list[str] = []
    server = LocalServer(Path(__file__), notify=lambda m, transient=False: said.append(m))
    server.start()
    server.start()  # once
    assert said[0] == f"loading model {Path(__file__).name} (1 thread) …"
    assert said[1].startswith("model ready in ") and len(said) == 2


def test_a_local_timeout_is_not_retried_and_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _loads_nothing(monkeypatch)
    settings = EngineSettings(use_candidates=False, cache_dir=tmp_path / "cache")
    engine = LLMEngine.local(settings)  # engine "local" whatever the settings said
    assert engine.settings.request_timeout_s == 600 and engine.settings.transport_retries == 0
    engine.client.transport.inner = FakeServer(httpx.ReadTimeout("slow"))  # one request only
    result = extract_article(engine, Article(text=TEXT))
    assert [c.error for c in result.calls] == ["ReadTimeout: slow"]
    assert result.model_error == (
        "the local model gave no answer within 600 s (a busy machine or a large model): "
        "raise --timeout, lower --threads, or use --engine rules"
    )
    engine.close()


def test_flags_still_set_the_local_timeout_and_retries(tmp_path: Path) -> None:
    settings = EngineSettings(engine="local", timeout_s=30, max_retries=2)
    assert (settings.request_timeout_s, settings.transport_retries) == (30, 2)
    assert (EngineSettings(engine="llm").request_timeout_s, EngineSettings().transport_retries) == (
        120,
        4,
    )


def test_each_chunk_is_announced_as_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[tuple[str, bool]] = []
    settings = EngineSettings(
        engine="llm", base_url="http://fake.test/v1", model="m", use_candidates=False,
        cache_dir=tmp_path / "cache", chunk_chars=80, chunk_overlap=0, max_retries=0,
    )  # fmt: skip
    engine = LLMEngine(
        settings,
        transport=FakeServer(*[httpx.ConnectError("down")] * 2),
        notify=lambda m, transient=False: said.append((m, transient)),
    )
    extract_article(engine, Article(text=TEXT + " " + TEXT, title="Strike"))
    assert said == [("Strike: chunk 1/2", True), ("Strike: chunk 2/2", True)]


def test_extract_says_loading_model_and_keeps_chunk_lines_off_a_pipe(
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with FakeOpenAIServer({"quotes": [], "claims": [], "events": []}) as fake:
        _loads_nothing(monkeypatch, fake.base_url)
        code = main(["extract", str(SEED), "--engine", "local", "--db", str(db_path),
                     "--cache-dir", str(tmp_path / "cache")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0 and len(fake.requests) == 1
    assert "loading model SmolLM2-135M-Instruct.Q4_1.gguf (" in err and "model ready in" in err
    assert "chunk 1/1" not in err  # stderr is not a terminal here
    # A fully cached re-run starts no model, so it says nothing of one.
    assert main(["extract", str(SEED), "--engine", "local", "--db", str(db_path),
                 "--cache-dir", str(tmp_path / "cache")]) == 0  # fmt: skip
    assert "loading model" not in capsys.readouterr().err
