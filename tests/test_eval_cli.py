"""`extractor eval` end to end on the gold set with the rules engine."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from extractor.cli import main
from extractor.schemas import KINDS
from tests.conftest import FIXTURES

GOLD = FIXTURES / "gold"


def test_eval_writes_metrics_samples_reports_and_stores_scores(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "eval-out"
    code = main(["eval", "--gold", str(GOLD), "--engine", "rules", "--db", str(db_path),
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "quotes" in printed and "lenient" in printed
    metrics = json.loads((out / "metrics.json").read_text())
    header = metrics["header"]
    assert header["engine"] == "rules" and header["documents"] == len(_gold_ids())
    for kind in KINDS:
        for level, threshold in (("lenient", 0.5), ("strict", 0.9)):
            m = metrics[kind][level]
            assert m["threshold"] == threshold
            assert m["tp"] + m["fn"] == m["gold"] and m["tp"] + m["fp"] == m["predicted"]
    samples = [json.loads(line) for line in (out / "samples.jsonl").open()]
    gold_items = sum(m["gold"] for m in (metrics[k]["lenient"] for k in KINDS))
    assert sum(s["gold"] is not None for s in samples) == gold_items
    assert (out / "report.md").read_text().startswith("# Evaluation")
    con = duckdb.connect(str(db_path), read_only=True)
    stored = con.execute(
        "select f1 from eval_scores where kind = 'quotes' and match = 'lenient'"
    ).fetchone()
    assert stored == (metrics["quotes"]["lenient"]["f1"],)
    con.close()


def test_eval_of_a_stored_run_gives_the_same_numbers(db_path: Path, tmp_path: Path) -> None:
    assert main(["eval", "--gold", str(GOLD), "--engine", "rules", "--db", str(db_path),
                 "--out", str(tmp_path / "a")]) == 0  # fmt: skip
    run_id = json.loads((tmp_path / "a" / "metrics.json").read_text())["header"]["run_id"]
    assert main(["eval", "--gold", str(GOLD), "--run-id", run_id, "--db", str(db_path),
                 "--out", str(tmp_path / "b")]) == 0  # fmt: skip
    a = json.loads((tmp_path / "a" / "metrics.json").read_text())
    b = json.loads((tmp_path / "b" / "metrics.json").read_text())
    for kind in KINDS:
        assert a[kind] == b[kind]
    assert main(["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b")]) == 0


def test_bad_gold_file_is_one_line_naming_document_and_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = json.loads((GOLD / "wikinews-b.jsonl").read_text().splitlines()[0])
    line["quotes"][1]["char_start"] += 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(line) + "\n")
    assert main(["eval", "--gold", str(bad), "--engine", "rules", "--db",
                 str(tmp_path / "x.duckdb")]) == 1  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"extractor: error: {bad}:1: document '{line['id']}': quotes[1]: text")
    assert "\n" not in err


def _gold_ids() -> list[str]:
    return [json.loads(line)["id"] for f in sorted(GOLD.glob("*.jsonl"))
            for line in f.read_text().splitlines() if line.strip()]  # fmt: skip


def test_eval_of_a_run_whose_items_a_rerun_replaced_says_so_and_stops(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for out in ("a", "b"):  # the same configuration twice: b replaces a's items
        assert main(["eval", "--gold", str(GOLD), "--engine", "rules", "--db", str(db_path),
                     "--out", str(tmp_path / out)]) == 0  # fmt: skip
    old, new = (
        json.loads((tmp_path / out / "metrics.json").read_text())["header"]["run_id"]
        for out in ("a", "b")
    )
    capsys.readouterr()
    assert main(["eval", "--gold", str(GOLD), "--run-id", old, "--db", str(db_path),
                 "--out", str(tmp_path / "c")]) == 1  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"extractor: error: run {old}: the items of ")
    assert err.endswith(f"(run {new}); score that run instead")
    assert not (tmp_path / "c").exists()
