"""Readers while a batch writes: does every read get its answer, and how long does it wait?

    .venv/bin/python bench/bench_readers.py [N_DOCUMENTS]      # default 1000

Writes N article files (the fixture articles' English bodies, each under a numbered title,
so each is its own document) and runs `extractor extract DIR --engine rules` on them in a
subprocess, piped. Meanwhile, in this process, a reader opens the database read-only
every 100 ms (`extractor.store.readonly.connect`, as `extractor sql` does), counts the
documents and closes it; and `extractor sql "select count(*) from documents"` runs in a
loop, one call after the other. Prints how many reads answered and failed, the reader's
wait (open + query + close) at p50 / p99 / max against the 1 s bound, the CLI calls that
answered, and whether the batch lost anything (documents stored ok, run status).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.errors import ExtractorError  # noqa: E402
from extractor.store import Store  # noqa: E402
from extractor.store.readonly import connect  # noqa: E402

BOUND_S = 1.0
POLL_S = 0.1
EXTRACTOR = [sys.executable, "-m", "extractor"]


def write_articles(folder: Path, count: int) -> None:
    bodies = []
    for path in sorted((ROOT / "fixtures" / "articles" / "wikinews").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        bodies.append(text.split("\n\n", 1)[1] if text.startswith("title:") else text)
    for n in range(count):
        body = bodies[n % len(bodies)]
        header = f"title: Article {n}\npublished: 2024-01-01\n\nDispatch number {n}."
        (folder / f"article-{n:04d}.txt").write_text(f"{header}\n\n{body}", encoding="utf-8")


def poll(
    db: Path, stop: threading.Event, waits: list[float], opening: list[float], errors: list[str]
) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        try:
            connection = connect(db, read_only=True, wait_s=10.0)
            opened = time.perf_counter()
            try:
                connection.execute("select count(*) from documents").fetchall()
            finally:
                connection.close()
            waits.append(time.perf_counter() - started)
            opening.append(opened - started)
        except ExtractorError as exc:
            errors.append(str(exc))
        stop.wait(POLL_S)


def cli_loop(db: Path, stop: threading.Event, outcomes: list[int], lines: list[str]) -> None:
    while not stop.is_set():
        done = subprocess.run(
            [*EXTRACTOR, "sql", "select count(*) from documents", "--db", str(db)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        outcomes.append(done.returncode)
        if done.returncode:
            lines.append(done.stderr.strip())


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        folder, db = Path(tmp) / "articles", Path(tmp) / "readers.duckdb"
        folder.mkdir()
        write_articles(folder, count)
        # The database exists before the reader starts (as it would for a user's reader).
        Store(db).close()
        stop = threading.Event()
        waits: list[float] = []
        opening: list[float] = []
        errors: list[str] = []
        cli: list[int] = []
        cli_errors: list[str] = []
        readers = [
            threading.Thread(target=poll, args=(db, stop, waits, opening, errors), daemon=True),
            threading.Thread(target=cli_loop, args=(db, stop, cli, cli_errors), daemon=True),
        ]
        started = time.perf_counter()
        batch = subprocess.Popen(
            [*EXTRACTOR, "extract", str(folder), "--engine", "rules", "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for reader in readers:
            reader.start()
        _, stderr = batch.communicate()
        wall = time.perf_counter() - started
        stop.set()
        for reader in readers:
            reader.join()
        final = connect(db, read_only=True)
        (stored, ok, documents), *_ = final.execute(
            """SELECT count(*), count(*) FILTER (status = 'ok'), count(DISTINCT document_id)
               FROM run_documents"""
        ).fetchall()
        statuses = final.execute("SELECT status FROM runs ORDER BY started_at").fetchall()
        final.close()
    waits.sort()
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))] if waits else float("nan")
    print(f"batch: {count} documents, exit {batch.returncode}, {wall:.1f} s wall")
    print(f"  stored: {stored} rows in run_documents, {ok} ok, {documents} distinct documents;")
    print(f"  runs: {', '.join(s for (s,) in statuses)}")
    if batch.returncode:
        print("  stderr: " + stderr.strip().splitlines()[-1])
    print(f"reader every {POLL_S * 1000:.0f} ms: {len(waits)} answered, {len(errors)} failed")
    if waits:
        print(
            f"  wait p50 {statistics.median(waits) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
            f"max {waits[-1] * 1000:.0f} ms  (p99 {p99 / BOUND_S:.2f} of the {BOUND_S:g} s bound)"
        )
        opening.sort()
        print(
            f"  of which opening (waiting for the writer): p50 "
            f"{statistics.median(opening) * 1000:.0f} ms, "
            f"p99 {opening[min(len(opening) - 1, int(len(opening) * 0.99))] * 1000:.0f} ms"
        )
    for line in errors[:3]:
        print(f"  failed: {line}")
    print(f"`extractor sql` in a loop: {len(cli)} calls, {sum(1 for c in cli if c)} failed")
    for line in cli_errors[:3]:
        print(f"  failed: {line}")


if __name__ == "__main__":
    main()
