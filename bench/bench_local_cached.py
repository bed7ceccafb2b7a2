"""A cached `local` run starts no model: the seed extracted twice with `--engine local`,
each a whole `extractor` process, timed side by side.

    .venv/bin/python bench/bench_local_cached.py [ARTICLE]

The first run loads SmolLM2 into llama.cpp and asks it; the second finds every answer in
the response cache, so the embedded server is never started. Prints both wall times, the
ratio, and the second run's model-call outcomes (all `cached`).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "articles" / "seed" / "trilateral-air-drill.txt"
EXTRACTOR = Path(sys.executable).with_name("extractor")


def run(article: Path, db: Path, cache: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(EXTRACTOR), "extract", str(article), "--engine", "local", "--db", str(db),
         "--cache-dir", str(cache), "--json"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    article = Path(sys.argv[1]) if len(sys.argv) > 1 else SEED
    with tempfile.TemporaryDirectory() as tmp:
        db, cache = Path(tmp) / "bench.duckdb", Path(tmp) / "cache"
        cold = run(article, db, cache)
        warm = run(article, db, cache)
        con = duckdb.connect(str(db), read_only=True)
        runs = [r[0] for r in con.execute("SELECT id FROM runs ORDER BY started_at").fetchall()]
        outcomes = con.execute(
            "SELECT outcome, count(*) FROM llm_calls WHERE run_id = ? GROUP BY 1", [runs[-1]]
        ).fetchall()
        con.close()
    print(f"article: {article.name}")
    print(f"first run (loads the model, asks it):  {cold:7.2f} s")
    print(f"second run (every answer cached):      {warm:7.2f} s")
    print(f"ratio: {cold / warm:.1f}x faster; second run's model calls: {dict(outcomes)}")


if __name__ == "__main__":
    main()
