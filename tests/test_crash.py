"""A process killed mid-batch leaves whole documents or none (a transaction holds whole
documents), and the next open for writing closes its run `interrupted`.

The fault is injected inside the store's transaction: the process kills itself with
SIGKILL after the sixth batch's rows are inserted and before its commit, so the test
does not depend on timing. Each document writes 200 quotes and 200 calls."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from extractor.store import Store

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import extractor.store.write as write
    from extractor.engines.base import Proposal
    from extractor.grounding import Placed, RawQuote
    from extractor.pipeline import Source, run_batch
    from extractor.records import CallRecord
    from extractor.store import Store
    from extractor.text.articles import Article

    KILL_AT = int(sys.argv[2])
    written = 0
    insert = write.Rows.insert

    def insert_then_die(self, db):  # runs inside the batch's transaction
        global written
        insert(self, db)
        written += 1
        if written == KILL_AT:
            os.kill(os.getpid(), signal.SIGKILL)

    write.Rows.insert = insert_then_die
    # batches of at most 10 documents, however fast the machine: at least 10 transactions
    import extractor.store.writer as writer
    writer.Writer.__init__.__kwdefaults__["max_batch"] = 10

    class QuotingEngine:
        name, model, prompt_version, prompt_hash, parameters = "fake", None, None, None, {}
        uses_candidates = False
        def propose(self, article, hints, recorder):
            recorder.calls.extend(CallRecord("m", 1, 1, 1.0, 1, "ok") for _ in range(200))
            return Proposal([Placed(RawQuote(f"q{i}"), "model") for i in range(200)])
        def close(self): pass

    def source(n):
        text = f"doc {n} " + " ".join(f"“q{i}”" for i in range(200))
        return Source(f"doc{n}", lambda: Article(text=text))

    with Store(Path(sys.argv[1])) as store:
        run_batch((source(n) for n in range(100)), QuotingEngine(), store)
    """
)


def test_killed_batch_leaves_only_whole_documents(tmp_path: Path) -> None:
    db = tmp_path / "crash.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(db), "6"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr

    con = duckdb.connect(str(db))
    ok = con.execute("SELECT document_id, quotes FROM run_documents WHERE status = 'ok'").fetchall()
    assert 5 <= len(ok) < 100 and all(count == 200 for _, count in ok)
    for table in ("quotes", "llm_calls"):  # the sixth batch's inserted rows are gone
        sql = f"SELECT document_id, count(*) FROM {table} GROUP BY document_id"
        assert dict(con.execute(sql).fetchall()) == dict(ok)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (len(ok),)
    assert con.execute("SELECT status FROM runs").fetchall() == [("running",)]
    con.close()

    Store(db).close()  # the next open for writing: nobody else holds the file
    con = duckdb.connect(str(db))
    assert con.execute("SELECT status, finished_at IS NOT NULL FROM runs").fetchall() == [
        ("interrupted", True)
    ]
    con.close()
