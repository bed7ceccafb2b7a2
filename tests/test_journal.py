"""Model calls are recorded when they are sent: `kill -9` while a request hangs loses no
record of it (the next open stores it `unanswered`, with its messages), and a run that
closes normally leaves no journal behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from extractor.store import Store
from extractor.store.journal import journal_dir

ROOT = Path(__file__).resolve().parents[1]

#: A batch of three articles against a fake model that answers the first and hangs on the
#: second (it says so on stdout): the parent kills it then.
SCRIPT = textwrap.dedent(
    """
    import sys, threading
    from pathlib import Path
    from extractor.engines import create_engine
    from extractor.pipeline import Source, run_batch
    from extractor.settings import EngineSettings
    from extractor.store import Store
    from extractor.text.articles import Article
    from tests.fake_openai_http import FakeOpenAIServer

    def answer(body):
        if "second" in str(body["messages"]):
            print("hanging", flush=True)
            threading.Event().wait()
        return {"quotes": [], "claims": [], "events": []}

    def source(name):
        text = f"The {name} article. “Prices rise,” said Ana Lima."
        return Source(name, lambda: Article(text=text, path=name))

    with FakeOpenAIServer(answer) as server:
        settings = EngineSettings(engine="llm", base_url=server.base_url, model="fake",
                                  use_candidates=False, use_cache=False,
                                  cache_dir=Path(sys.argv[1]).parent / "cache")
        with Store(Path(sys.argv[1])) as store:
            run_batch([source(n) for n in ("first", "second", "third")],
                      create_engine(settings), store)
    """
)


def test_a_request_in_flight_at_kill_9_is_recorded_on_the_next_open(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    child = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(db)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "hanging"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert any(journal_dir(db).glob("*.jsonl"))  # what was sent, on disk

    with Store(db) as store:
        assert store.query("SELECT status FROM runs") == [("interrupted",)]
        calls = store.query(
            """SELECT outcome, messages LIKE '%The first article%',
                   messages LIKE '%The second article%', prompt_tokens IS NULL
               FROM llm_calls ORDER BY outcome"""
        )
    # The first document's call once, with its tokens (stored with the document if the
    # writer committed it before the kill, else from the journal); the second's request,
    # sent and never answered, with its messages and unknown tokens; the third: not sent.
    assert calls == [("ok", True, False, False), ("unanswered", False, True, True)]
    assert not journal_dir(db).exists()


def test_a_run_that_finishes_leaves_no_journal(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    script = SCRIPT.replace('"second" in', '"never" in')
    done = subprocess.run(
        [sys.executable, "-c", script, str(db)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert not journal_dir(db).exists()
    with Store(db) as store:
        assert store.query("SELECT outcome, count(*) FROM llm_calls GROUP BY 1") == [("ok", 3)]
        assert store.query("SELECT status FROM runs") == [("done",)]
