"""Startup: the CPU seconds (user + system) of `extractor --help` and of
`extractor sql "select 1"`, bound <= 0.25 s each.

    .venv/bin/python bench/bench_startup.py [RUNS]

Each command runs RUNS times (default 10) in a fresh interpreter; the least CPU of the
runs is reported (a busy machine only ever adds to it). Beside them, for scale: the bare
interpreter (`python -c pass`), `import duckdb` alone, and DuckDB's own share of `sql`
(import, open the file read-only, parse one statement).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BOUND_S = 0.25
PYTHON = sys.executable
#: The installed `extractor` script sits beside the interpreter (a venv's bin/).
EXTRACTOR = str(Path(PYTHON).with_name("extractor"))

#: DuckDB's own startup in `sql`: what no change of ours can take away.
DUCKDB_OPEN = (
    "import sys, duckdb\n"
    "db = duckdb.connect(sys.argv[1], read_only=True, config={'enable_external_access': False})\n"
    "db.extract_statements('select 1')\n"
    "db.execute('select 1').fetchall()\n"
)


def cpu_s(command: list[str], runs: int) -> float:
    """The least user + system CPU seconds of `runs` runs of `command`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    best = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, used)
    return best


def main(runs: int = 10) -> list[tuple[str, float, float, str]]:
    from extractor.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "s.duckdb")
        Store(Path(db)).close()
        bare = cpu_s([PYTHON, "-c", "pass"], runs)
        duckdb_import = cpu_s([PYTHON, "-c", "import duckdb"], runs)
        duckdb_open = cpu_s([PYTHON, "-c", DUCKDB_OPEN, db], runs)
        help_s = cpu_s([EXTRACTOR, "--help"], runs)
        sql_s = cpu_s([EXTRACTOR, "sql", "select 1", "--db", db], runs)
    scale = (
        f"python -c pass {bare:.3f} s, import duckdb {duckdb_import:.3f} s, "
        f"duckdb import+open+query {duckdb_open:.3f} s"
    )
    figures = [
        ("startup: extractor --help (CPU s)", help_s, BOUND_S, ""),
        ("startup: extractor sql 'select 1' (CPU s)", sql_s, BOUND_S, scale),
    ]
    from bench_throughput import line

    for label, value, bound, note in figures:
        print(line(label, value, bound, note, above=False))
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
