"""The real HTTP path, replayed from cassettes recorded against the embedded llama.cpp
server (`scripts/record-cassettes` re-records them; CI only replays)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import vcr

from extractor.engines.llm import LLMEngine
from extractor.pipeline import extract_article
from extractor.schemas import KINDS
from extractor.settings import EngineSettings
from extractor.text.articles import read_article
from tests.conftest import SEED

CASSETTES = Path(__file__).parent / "cassettes"
RECORD = os.environ.get("EXTRACTOR_RECORD") == "1"
#: Sent as the API key while recording, to prove that no key reaches a cassette.
CANARY_KEY = "sk-canary-0123456789abcdef"
SECRET_HEADERS = ["authorization", "cookie", "set-cookie", "openai-organization", "x-api-key",
                  "api-key", "openai-project"]  # fmt: skip

recorder = vcr.VCR(
    cassette_library_dir=str(CASSETTES),
    record_mode="all" if RECORD else "none",
    match_on=["method", "path", "body"],
    filter_headers=SECRET_HEADERS,
    decode_compressed_response=True,
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    if not RECORD:
        yield "http://127.0.0.1:9/v1"  # never contacted: every request is replayed
        return
    from extractor.llm.local_server import LocalServer

    server = LocalServer(threads=os.cpu_count())
    yield server.start()
    server.stop()


def _engine(base_url: str, tmp_path: Path) -> LLMEngine:
    settings = EngineSettings(engine="llm", base_url=base_url, api_key=CANARY_KEY,
                              model="local:SmolLM2-135M-Instruct.Q4_1.gguf", mode="json_schema",
                              use_cache=False, use_candidates=False,
                              cache_dir=tmp_path)  # fmt: skip
    # No rules-engine hints: the recorded requests must not change when the rules do.
    return LLMEngine(settings)


def test_seed_article_through_the_real_http_path(base_url: str, tmp_path: Path) -> None:
    article = read_article(SEED)
    with recorder.use_cassette("seed_local.yaml"):
        output = extract_article(_engine(base_url, tmp_path), article)
    for kind in KINDS:
        for item in getattr(output.extraction, kind):
            assert article.text[item.char_start : item.char_end] == item.text
    assert output.calls and all(c.prompt_tokens for c in output.calls if c.outcome != "error")
    assert [c.attempt for c in output.calls] == [1] * len(output.calls)  # no transport retry
    assert output.calls[-1].outcome == "ok"
    assert sum(c.outcome == "reask" for c in output.calls) == len(output.calls) - 1
    found = len(output.extraction.quotes) + len(output.extraction.claims)
    assert found + len(output.extraction.events) + output.dropped > 0


def test_no_cassette_holds_a_secret() -> None:
    files = sorted(CASSETTES.glob("*.yaml"))
    assert files, "no cassettes: run scripts/record-cassettes"
    secret = re.compile(
        r"(?i)(sk-[a-z0-9_-]{8,}|bearer\s+[a-z0-9._-]{8,}|^\s*(authorization|cookie|set-cookie|"
        r"openai-organization|x-api-key):)",
        re.M,
    )
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert CANARY_KEY not in text, f"{path.name} holds the API key"
        found = secret.search(text)
        assert found is None, f"{path.name} holds a secret-looking value: {found.group()!r}"
