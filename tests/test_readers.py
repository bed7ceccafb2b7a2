"""Readers while writing: the store holds the file only while it uses it, so other
processes read (and write) between its transactions; a run another live process writes is
never taken for a killed one."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from extractor.schemas import DocumentExtraction, Quote
from extractor.store import DocumentWrite, RunInfo, Store, Writer
from extractor.text.articles import Article

INFO = RunInfo(engine="fake", model=None, prompt_version=None, prompt_hash=None, parameters={})

#: Another process: opens the database read-only N times, as `extractor sql` does, and
#: prints each count of documents (or the error).
READER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from extractor.errors import ExtractorError
    from extractor.store.readonly import connect
    print("ready", flush=True)
    for _ in range(int(sys.argv[2])):
        try:
            db = connect(Path(sys.argv[1]), read_only=True, wait_s=10.0)
            print(db.execute("select count(*) from documents").fetchone()[0], flush=True)
            db.close()
        except ExtractorError as exc:
            print("error", exc, flush=True)
        time.sleep(0.02)
    """
)


def _write(n: int, run_id: str) -> DocumentWrite:
    text = f"Document {n}: Ana Lima said “we will win number {n}” today."
    start = text.index("we will")
    quote_text = f"we will win number {n}"
    quote = Quote(text=quote_text, char_start=start, char_end=start + len(quote_text),
                  speaker="Ana Lima")  # fmt: skip
    return DocumentWrite(run_id, Article(text=text), DocumentExtraction(quotes=[quote]))


def test_another_process_reads_between_the_writers_batches(tmp_path: Path) -> None:
    db_path = tmp_path / "x.duckdb"
    with Store(db_path) as store:
        run_id = store.start_run(INFO)
        reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(db_path), "40"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert reader.stdout is not None and reader.stdout.readline().strip() == "ready"
        writer: Writer[int] = Writer(
            store,
            failure=lambda *_: None,  # type: ignore[arg-type,return-value]
            on_written=lambda *_: None,
            max_batch=5,
            max_delay_s=0.01,
        )
        n = 0
        while reader.poll() is None and n < 5000:  # write for as long as the reader reads
            writer.put(n, _write(n, run_id))
            n += 1
            time.sleep(0.002)
        writer.close()
        output, _ = reader.communicate(timeout=60)
        store.finish_run(run_id)
        stored = store.query("SELECT count(*) FROM documents")[0][0]
    counts = output.split()
    assert "error" not in counts, output
    answers = [int(c) for c in counts]
    assert len(answers) == 40  # every read answered, none refused
    assert answers == sorted(answers)  # each sees the committed documents, never fewer
    assert answers[-1] > answers[0]  # the writer went on while the reader read
    assert stored == n  # and lost nothing


def test_the_file_is_free_between_transactions_and_held_without_linger(tmp_path: Path) -> None:
    db_path = tmp_path / "x.duckdb"
    probe = [sys.executable, "-c", READER, str(db_path), "1"]
    with Store(db_path, linger_s=0) as store:
        store.write([_write(1, store.start_run(INFO))])
        assert subprocess.run(probe, capture_output=True, text=True).stdout.split() == [
            "ready",
            "1",
        ]
    with Store(db_path, linger_s=None) as store:  # held until closed: others wait
        store.query("SELECT 1")
        held = subprocess.run(
            [sys.executable, "-c", READER.replace("wait_s=10.0", "wait_s=0.2"), str(db_path), "1"],
            capture_output=True,
            text=True,
        )
        assert "database is busy" in held.stdout


def test_a_run_another_live_process_writes_is_not_closed_as_interrupted(tmp_path: Path) -> None:
    db_path = tmp_path / "x.duckdb"
    Store(db_path).close()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with Store(db_path) as store:
            store.query(
                """INSERT INTO runs (id, engine, schema_version, config_hash, code_version,
                       pid, host) VALUES ('live', 'fake', 1, 'h', 'v', ?, ?),
                       ('gone', 'fake', 1, 'h', 'v', ?, ?)""",
                [alive.pid, socket.gethostname(), _dead_pid(), socket.gethostname()],
            )
        with Store(db_path) as store:
            status = dict(store.query("SELECT id, status FROM runs"))
        assert status == {"live": "running", "gone": "interrupted"}
    finally:
        alive.kill()
        alive.wait()
    with Store(db_path) as store:  # its process is gone now: the run was left by it
        assert dict(store.query("SELECT id, status FROM runs"))["live"] == "interrupted"


def _dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # exited and reaped
    return gone.pid
