"""A process killed mid-batch leaves whole documents or none (one transaction each).

The fault is injected inside the store's transaction: the process kills itself with
SIGKILL after the sixth document's items are inserted and before its commit, so the test
does not depend on timing."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import extractor.store.db as db
    from extractor.engines.base import Proposal
    from extractor.grounding import Placed, RawQuote
    from extractor.pipeline import Source, run_batch
    from extractor.store import Store
    from extractor.text.articles import Article

    KILL_AT = int(sys.argv[2])
    written = 0
    insert_calls = db._insert_calls

    def insert_then_die(*args, **kwargs):  # runs inside the document's transaction
        global written
        insert_calls(*args, **kwargs)
        written += 1
        if written == KILL_AT:
            os.kill(os.getpid(), signal.SIGKILL)

    db._insert_calls = insert_then_die

    class QuotingEngine:
        name, model, prompt_version, prompt_hash, parameters = "fake", None, None, None, {}
        uses_candidates = False
        def propose(self, article, hints, recorder):
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
    assert len(ok) == 5 and all(count == 200 for _, count in ok)
    per_doc = dict(
        con.execute("SELECT document_id, count(*) FROM quotes GROUP BY document_id").fetchall()
    )
    assert per_doc == dict(ok)  # the sixth document's 200 inserted quotes are gone
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (5,)
    assert con.execute("SELECT status FROM runs").fetchall() == [("running",)]
    con.close()
