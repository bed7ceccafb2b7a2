"""Time and peak memory against article size: every stage of the rules engine (segment,
quotation scan, candidates, grounding, merge) and the store, for one article.

    .venv/bin/python bench/bench_sizes.py [--kind news|quotes] [SIZE_MB ...]  # 0.1 1 5 20

Two kinds of text, built from the fixture articles: `news` (their bodies, repeated) and
`quotes` (only their paragraphs that hold a quotation: quote-dense). Each size runs in a
fresh process, so its peak resident memory is its own. Prints CPU seconds (of this
process: other work on a shared machine does not count) to extract and to store, seconds
per MB, wall-clock seconds, peak memory and the items stored, then, per kind, the time
per MB at the largest size over that at 1 MB (linear time: close to 1; target <= 1.5).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (0.1, 1.0, 5.0, 20.0)
KINDS = ("news", "quotes")


def text_of(kind: str, megabytes: float) -> str:
    from extractor.text.articles import read_article
    from extractor.text.quotation import MARKS

    bodies = [read_article(p).text for p in sorted((ROOT / "fixtures/articles").rglob("*.txt"))]
    paragraphs = [p for b in bodies for p in b.split("\n") if p.strip()]
    if kind == "quotes":
        paragraphs = [p for p in paragraphs if sum(c in MARKS for c in p) >= 2]
    unit = "\n\n".join(paragraphs)
    size = int(megabytes * 1_000_000)
    return ("\n\n".join([unit] * (size // len(unit) + 1)))[:size]


def one(kind: str, megabytes: float) -> dict[str, float]:
    """Extract and store one article of `kind` text of `megabytes` MB (in this process)."""
    from extractor.engines.rules import RulesEngine
    from extractor.pipeline import extract_article, run_info
    from extractor.store import Store
    from extractor.text.articles import Article

    article = Article(text=text_of(kind, megabytes))
    engine = RulesEngine()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.duckdb") as store:
        wall, started = time.perf_counter(), time.process_time()
        result = extract_article(engine, article)
        extracted = time.process_time()
        run_id = store.start_run(run_info(engine))
        store.save_extraction(run_id, article, result.extraction, [], result.rejections, 0.0)
        stored = time.process_time()
        wall = time.perf_counter() - wall
    x = result.extraction
    return {
        "extract_s": extracted - started,
        "store_s": stored - extracted,
        "wall_s": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "items": len(x.quotes) + len(x.claims) + len(x.events),
    }


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(sys.argv[2], float(sys.argv[3]))))
        return
    args = sys.argv[1:]
    kinds = KINDS
    if args[:1] == ["--kind"]:
        kinds, args = (args[1],), args[2:]
    sizes = [float(a) for a in args] or list(SIZES)
    print(f"{'text':<7}{'MB':>6}{'extract s':>11}{'store s':>9}{'total s':>9}{'s/MB':>7}"
          f"{'wall s':>9}{'peak MB':>9}{'items':>8}")  # fmt: skip
    for kind in kinds:
        per_mb: dict[float, float] = {}
        for size in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", kind, str(size)],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            r = json.loads(out.stdout)
            total = r["extract_s"] + r["store_s"]
            per_mb[size] = total / size
            print(f"{kind:<7}{size:>6g}{r['extract_s']:>11.2f}{r['store_s']:>9.2f}"
                  f"{total:>9.2f}{per_mb[size]:>7.2f}{r['wall_s']:>9.2f}{r['peak_mb']:>9.0f}"
                  f"{r['items']:>8d}", flush=True)  # fmt: skip
        if 1.0 in per_mb and max(per_mb) > 1.0:
            ratio = per_mb[max(per_mb)] / per_mb[1.0]
            print(f"{kind}: s/MB at {max(per_mb):g} MB over s/MB at 1 MB: {ratio:.2f}x")


if __name__ == "__main__":
    main()
