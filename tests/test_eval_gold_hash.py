"""The gold set's hash and the scorer's version in metrics.json and `evals`, and an
`eval compare` that refuses to compare scores from different gold sets."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import duckdb
import pytest

from extractor.cli import main
from extractor.eval import SCORER_VERSION, gold_hash, load_gold
from tests.conftest import FIXTURES

SEED = FIXTURES / "gold" / "seed.jsonl"


def test_gold_hash_is_the_scored_content_not_the_files(tmp_path: Path) -> None:
    docs = load_gold(SEED)
    assert gold_hash(list(reversed(docs))) == gold_hash(docs)
    first = docs[0]
    quotes = [dict(q) for q in first.items["quotes"] or []]
    quotes[0]["speaker"] = "Someone Else"
    changed = dataclasses.replace(first, items={**first.items, "quotes": quotes})
    assert gold_hash([changed, *docs[1:]]) != gold_hash(docs)


def _eval(gold: Path, out: Path, db: Path) -> dict[str, object]:
    args = ["eval", "--gold", str(gold), "--engine", "rules", "--db", str(db), "--out", str(out)]
    assert main(args) == 0
    metrics: dict[str, object] = json.loads((out / "metrics.json").read_text())
    return metrics


def test_compare_refuses_evals_of_different_gold_sets(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    larger = tmp_path / "larger.jsonl"
    other = (FIXTURES / "gold" / "wikinews-a.jsonl").read_text().splitlines()[0]
    larger.write_text(SEED.read_text() + other + "\n")
    a = _eval(SEED, tmp_path / "a", db_path)
    _eval(larger, tmp_path / "b", db_path)
    header = a["header"]
    assert isinstance(header, dict)
    assert header["gold_hash"] == gold_hash(load_gold(SEED))
    assert header["scorer_version"] == SCORER_VERSION
    with duckdb.connect(str(db_path), read_only=True) as con:
        stored = con.execute("SELECT gold_hash, scorer_version FROM evals ORDER BY created_at")
        rows = stored.fetchall()
    assert rows[0] == (header["gold_hash"], SCORER_VERSION) and rows[0] != rows[1]
    capsys.readouterr()
    assert main(["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b")]) != 0
    err = capsys.readouterr().err
    assert "not scored alike (gold_hash" in err and len(err.strip().splitlines()) == 1
    assert main(["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b"),
                 "--allow-different-gold"]) == 0  # fmt: skip
    assert "WARNING" in capsys.readouterr().err
