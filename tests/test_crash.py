"""A process killed mid-batch leaves whole documents or none (one transaction each)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb

SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from extractor.text.articles import Article
    from extractor.engines.base import EngineOutput
    from extractor.pipeline import Source, run_batch
    from extractor.store import Store
    from extractor.schemas import DocumentExtraction, Quote

    class SlowEngine:
        name, model, prompt_version, prompt_hash, parameters = "slow", None, None, None, {}
        def extract(self, article):
            quotes = []
            for i in range(200):
                start = article.text.index(f"q{i}:")
                end = start + len(f"q{i}:")
                quotes.append(Quote(text=f"q{i}:", char_start=start, char_end=end))
            time.sleep(0.05)
            print("extracted", flush=True)  # the write of this document starts now
            return EngineOutput(DocumentExtraction(quotes=quotes))
        def close(self): pass

    def source(n):
        text = f"doc {n} " + " ".join(f"q{i}:" for i in range(200))
        return Source(f"doc{n}", lambda: Article(text=text))

    with Store(Path(sys.argv[1])) as store:
        run_batch((source(n) for n in range(10_000)), SlowEngine(), store)
    """
)


def test_killed_batch_leaves_only_whole_documents(tmp_path: Path) -> None:
    db = tmp_path / "crash.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    for _ in range(5):  # let a few documents commit, then kill without warning
        assert proc.stdout.readline().strip() == "extracted"
    time.sleep(0.003)  # most likely inside the sixth document's transaction
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    con = duckdb.connect(str(db))
    ok = con.execute("SELECT document_id, quotes FROM run_documents WHERE status = 'ok'").fetchall()
    assert ok, "the batch was killed before any document committed"
    per_doc = dict(
        con.execute("SELECT document_id, count(*) FROM quotes GROUP BY document_id").fetchall()
    )
    assert per_doc == {doc: 200 for doc, count in ok if count == 200}
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (len(ok),)
    assert con.execute("SELECT status FROM runs").fetchall() == [("running",)]
    con.close()
