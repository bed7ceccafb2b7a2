"""Live tests: the embedded llama.cpp engine with the real SmolLM2 model (slow: selected
with `-m live`, run by scripts/test and CI)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extractor.cli import main
from extractor.engines.llm import LLMEngine
from extractor.llm.local_server import LocalServer
from extractor.pipeline import Source, extract_article, run_batch
from extractor.schemas import KINDS
from extractor.settings import EngineSettings
from extractor.store import Store
from extractor.text.articles import read_article
from tests.conftest import ARTICLES, SEED

pytestmark = pytest.mark.live


def test_local_engine_extracts_the_seed_article_grounded(db_path: Path, tmp_path: Path) -> None:
    code = main(["extract", str(SEED), "--engine", "local", "--db", str(db_path), "--no-cache"])
    assert code == 0
    con = duckdb.connect(str(db_path), read_only=True)
    for table in KINDS:
        for text, span, start, end in con.execute(
            f"select d.text, t.text, t.char_start, t.char_end from {table} t "
            "join documents d on d.id = t.document_id"
        ).fetchall():
            assert text[start:end] == span
    speakers = [r[0] for r in con.execute("select speaker from quotes").fetchall()]
    assert speakers.count("Dan Caine") == 2
    calls = con.execute(
        "select prompt_tokens, completion_tokens, outcome from llm_calls"
    ).fetchall()
    assert calls and all(p > 0 and c > 0 for p, c, outcome in calls if outcome != "error")
    model = con.execute("select model from runs").fetchone()
    assert model == ("local:SmolLM2-135M-Instruct.Q4_1.gguf",)
    con.close()


def test_stopping_the_server_mid_batch_fails_the_rest_cleanly(
    db_path: Path, tmp_path: Path
) -> None:
    server = LocalServer(threads=2)
    server.start()
    settings = EngineSettings(engine="llm", base_url=server.base_url, model=server.model_name,
                        use_cache=False, use_candidates=False, max_retries=1, max_retry_wait_s=2.0,
                        cache_dir=tmp_path)  # fmt: skip
    engine = LLMEngine(settings)
    articles = ARTICLES[:3]

    def source(path: Path, stop_first: bool) -> Source:
        def read():  # type: ignore[no-untyped-def]
            if stop_first:
                server.stop()
            return read_article(path)

        return Source(str(path), read)

    sources = [source(articles[0], False), source(articles[1], True), source(articles[2], False)]
    with Store(db_path) as store:
        result = run_batch(sources, engine, store)
    engine.close()
    assert [o.status for o in result.outcomes] == ["ok", "partial", "partial"]
    assert all("unreachable after retries" in (o.model_error or "") for o in result.partial)
    con = duckdb.connect(str(db_path), read_only=True)
    rows = con.execute("select status, error from run_documents order by finished_at").fetchall()
    assert [r[0] for r in rows] == ["ok", "partial", "partial"]
    ok_doc = con.execute("select document_id, quotes, claims, events from run_documents "
                         "where status = 'ok'").fetchone()  # fmt: skip
    count = "select count(*) from {} where document_id = ?"
    counts = [con.execute(count.format(t), [ok_doc[0]]).fetchone()[0]
              for t in KINDS]  # fmt: skip
    assert counts == list(ok_doc[1:])  # the finished document is whole
    failed_calls = con.execute("select count(*) from llm_calls where outcome = 'error'").fetchone()
    assert failed_calls[0] >= 2  # the failed attempts are on record too
    con.close()


def test_standalone_server_serves_the_generic_llm_path(tmp_path: Path) -> None:
    """`python -m extractor.llm.local_server` prints its base URL; `--engine llm` pointed at
    it (model name read from the server) extracts grounded items; Ctrl-C stops it."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "extractor.llm.local_server", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/v1" in line
        settings = EngineSettings(engine="llm", base_url=f"http://127.0.0.1:{port}/v1",
                            use_cache=False, cache_dir=tmp_path)  # fmt: skip
        engine = LLMEngine(settings)
        article = read_article(SEED)
        output = extract_article(engine, article)
        engine.close()
        assert engine.model.endswith("SmolLM2-135M-Instruct.Q4_1.gguf")
        speakers = [q.speaker for q in output.extraction.quotes]
        assert speakers.count("Dan Caine") == 2
        for item in [*output.extraction.quotes, *output.extraction.claims,
                     *output.extraction.events]:  # fmt: skip
            assert article.text[item.char_start : item.char_end] == item.text
        assert output.calls and all(c.prompt_tokens for c in output.calls)
    finally:
        server.send_signal(signal.SIGINT)
        # Drain its output while it stops (a full pipe would block it), on a busy machine too.
        server.communicate(timeout=120)
    assert server.returncode == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
