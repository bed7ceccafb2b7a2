"""Named paths are checked one by one (a bad one does not sink the good ones), folder
traversal says what it skipped and why, and UTF-16/UTF-32 files with a BOM are read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.text.articles import parse_article, scan_paths

TEXT = "“We will not stop,” said Maria Silva, the union leader."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_a_bom_are_decoded(encoding: str) -> None:
    raw = ("\ufeff" if encoding.endswith(("le", "be")) else "") + f"title: T\n\n{TEXT}\n"
    article = parse_article(raw.encode(encoding), name="a.txt")
    assert article.text == TEXT and article.title == "T"


def test_a_folder_skips_notes_links_loops_and_special_files_and_says_why(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT)
    (folder / "sub" / "b.md").write_text(TEXT)
    (folder / "ATTRIBUTION.md").write_text("Sources: CC BY 2.5")
    (folder / "README").write_text("notes")
    (folder / "data.json").write_text("{}")
    (folder / "loop").symlink_to(folder)
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "link.txt").symlink_to(folder / "a.txt")
    os.mkfifo(folder / "pipe.txt")
    found = scan_paths([str(folder)])
    assert [p.relative_to(folder).as_posix() for p in found.files] == [
        "a.txt", "link.txt", "sub/b.md"
    ]  # fmt: skip
    why = {p.name: reason for p, reason in found.skipped}
    assert why == {
        "loop": "a link to a folder (not followed)",
        "ATTRIBUTION.md": "a note, not an article (--glob chooses files)",
        "README": "a note, not an article (--glob chooses files)",
        "data.json": "not an article file (.json)",
        "gone.txt": "a dangling link",
        "pipe.txt": "a FIFO",
    }
    chosen = scan_paths([str(folder)], glob="*.md")
    assert [p.name for p in chosen.files] == ["ATTRIBUTION.md", "b.md"]


def test_a_bad_named_path_is_reported_and_the_good_ones_are_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TEXT)
    os.mkfifo(tmp_path / "fifo")
    db = str(tmp_path / "x.duckdb")
    argv = ["extract", str(tmp_path / "missing.txt"), str(good), str(tmp_path / "fifo")]
    assert main([*argv, "--engine", "rules", "--db", db]) == 1
    err = capsys.readouterr().err
    assert "missing.txt: no such file or folder" in err and "fifo: a FIFO" in err
    assert "1 stored (0 partial), 2 failed (2 bad path(s))" in err
    other = tmp_path / "other.txt"
    other.write_text(TEXT.replace("Maria Silva", "Ana Costa"))
    assert main([*argv[:2], str(good), str(other), "--engine", "rules", "--db", db]) == 1
    # good.txt is stored already: the re-run skips it and stores the new one
    assert (
        "1 stored (0 partial), 1 skipped (stored ok before; --force extracts again), "
        "1 failed (1 bad path(s))" in capsys.readouterr().err
    )
    assert main(["sql", "select count(*) as n from quotes", "--db", db, "--csv"]) == 0
    assert capsys.readouterr().out == "n\n2\n"  # Unix line ends, as the other outputs


def test_a_folder_with_only_a_loop_says_what_it_skipped_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "loop").symlink_to(tmp_path)
    argv = ["extract", str(tmp_path), "--engine", "rules", "--db", str(tmp_path / "x.duckdb")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "skipped" in err and "a link to a folder (not followed)" in err
    assert "nothing to extract: no article file (1 skipped)" in err
    assert not (tmp_path / "x.duckdb").exists()  # no empty run recorded
