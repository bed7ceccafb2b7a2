"""Model calls are recorded when they are sent: `kill -9` while a request hangs loses no
record of it (the next open stores it `unanswered`, with its messages), and a run that
closes normally leaves no journal behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.records import CallRecord
from extractor.schemas import DocumentExtraction
from extractor.store import RunInfo, Store
from extractor.store import db as db_module
from extractor.store.journal import Journal, journal_dir, unrecorded_calls
from extractor.text.articles import Article

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


def test_appends_from_many_threads_are_whole_lines(tmp_path: Path) -> None:
    """Written outside the lock, each append is still one whole line: 16 threads, 200
    lines each, every line decodes and none is lost."""
    journal = Journal(tmp_path / "calls" / "run.jsonl")
    padding = "x" * 3000  # a request's size, so a torn write would show

    def append(thread: int) -> None:
        for n in range(200):
            journal.append({"event": "sent", "thread": thread, "n": n, "messages": padding})

    threads = [threading.Thread(target=append, args=(t,)) for t in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    journal.close()
    entries = [json.loads(line) for line in journal.path.read_text().splitlines()]
    assert sorted((e["thread"], e["n"]) for e in entries) == [
        (t, n) for t in range(16) for n in range(200)
    ]


def test_an_append_after_close_opens_the_journal_again(tmp_path: Path) -> None:
    """A straggler (a worker whose request outlived its run) still gets its line written,
    for the next store open to add."""
    journal = Journal(tmp_path / "calls" / "run.jsonl")
    journal.append({"event": "sent", "n": 1})
    journal.close()
    journal.append({"event": "sent", "n": 2})
    journal.close()
    assert [json.loads(line)["n"] for line in journal.path.read_text().splitlines()] == [1, 2]


def test_a_run_that_stored_every_document_it_logged_reads_no_journal_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing a run whose every logged document was stored deletes its journal unread;
    a document logged but not stored has its calls added from it (`unanswered`)."""
    read: list[Path] = []
    original = db_module.unrecorded_calls

    def reading(path: Path, stored: set[str]) -> Iterator[tuple[str, CallRecord]]:
        read.append(path)
        return original(path, stored)

    monkeypatch.setattr(db_module, "unrecorded_calls", reading)
    call = CallRecord("m", 10, 5, 1.0, 1, "ok", None, 0)
    stored, lost = Article(text="Stored.", path="a"), Article(text="Never stored.", path="b")
    with Store(tmp_path / "j.duckdb") as store:
        for logged in ([stored], [stored, lost]):
            run_id = store.start_run(RunInfo("llm", "m", None, None, {}))
            journal = store.journal(run_id)
            for article in logged:
                journal.document(article.id).sent("m", 0, 1, [{"role": "user", "content": "x"}])
            store.save_extraction(run_id, stored, DocumentExtraction(), [call])
            store.finish_run(run_id)
        assert len(read) == 1  # only the run with a document it did not store
        assert store.query("SELECT document_id, outcome FROM llm_calls ORDER BY 2") == [
            (stored.id, "ok"), (stored.id, "ok"), (lost.id, "unanswered"),
        ]  # fmt: skip
    assert not journal_dir(tmp_path / "j.duckdb").exists()


def test_an_answered_call_gets_its_messages_from_its_sent_line(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "run.jsonl")
    messages = [{"role": "user", "content": "The first article. “Prices rise.”"}]
    log = journal.document("doc-1")
    log.sent("fake", 0, 1, messages)
    log.answered(CallRecord("fake", 10, 2, 5.0, 1, "ok", None, 0, messages, '{"quotes": []}'))
    journal.close()
    lines = [json.loads(line) for line in journal.path.read_text().splitlines()]
    assert "messages" not in lines[1]["call"]  # written once, with the request
    ((document_id, call),) = unrecorded_calls(journal.path, stored=set())
    assert document_id == "doc-1" and call.outcome == "ok" and call.messages == messages
    assert call.response == '{"quotes": []}' and call.prompt_tokens == 10
