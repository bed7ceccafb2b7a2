"""Reading articles: headers, encodings, bad input, HTML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from extractor.errors import InputError
from extractor.text.articles import iter_paths, parse_article, read_article
from tests.conftest import SEED


def test_header_is_metadata_and_body_is_the_text() -> None:
    article = read_article(SEED)
    assert article.title is not None and article.title.startswith("South Korea, Japan")
    assert article.published == date(2025, 7, 11)
    assert article.text.startswith("South Korea, Japan, and the United States carried out")
    assert article.text.endswith("Post a Comment")
    assert "title:" not in article.text


def test_same_text_gives_the_same_id_whatever_the_header() -> None:
    a = parse_article(b"title: A\n\nSame body.")
    b = parse_article(b"title: B\nurl: http://x\n\nSame body.\n")
    assert a.id == b.id and a.text == b.text == "Same body."


def test_bom_and_crlf_are_normalised() -> None:
    article = parse_article("\ufefftitle: T\r\n\r\nCafé “ok”.\r\nNext line.".encode())
    assert article.title == "T"
    assert article.text == "Café “ok”.\nNext line."


def test_text_that_only_looks_like_a_header_stays_text() -> None:
    article = parse_article(b"Warning: markets fell.\nThey fell a lot.")
    assert article.text == "Warning: markets fell.\nThey fell a lot."


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty article"),
        (b"  \n\t \n", "empty article"),
        (b"title: Only a header\n\n   \n", "empty article"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
        (b"published: yesterday\n\nText.", "not an ISO date"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(raw: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_article(raw, name="dir/file.txt")
    assert str(info.value).startswith("dir/file.txt: ")
    assert "\n" not in str(info.value)


def test_html_is_converted_to_text() -> None:
    html = b"""<!DOCTYPE html><html><head><title>Big news</title>
    <meta property="article:published_time" content="2024-03-01T10:00:00Z">
    <style>p {color: red}</style><script>var x = "<p>no</p>";</script></head>
    <body><nav>Home | World</nav><h1>Big   news</h1>
    <p>The mayor said &ldquo;we are ready&rdquo; on Monday.</p><p>Second&nbsp;paragraph.</p>
    </body></html>"""
    article = parse_article(html, name="page.html")
    assert article.title == "Big news"
    assert article.published == date(2024, 3, 1)
    assert article.text == ("Big news\nThe mayor said “we are ready” on Monday.\nSecond paragraph.")


def test_a_large_article_reads(tmp_path: Path) -> None:
    paragraph = "Officials said the talks in Zürich went well, “a real step”, on Friday. "
    path = tmp_path / "big.txt"
    path.write_text("title: Big\n\n" + paragraph * 15000, encoding="utf-8")
    article = read_article(path)
    assert len(article.text.encode()) > 1_000_000


def test_folders_expand_to_article_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<html><body>B</body></html>")
    (tmp_path / ".hidden.txt").write_text("H.")
    (tmp_path / "data.json").write_text("{}")
    names = [p.name for p in iter_paths([str(tmp_path)])]
    assert names == ["a.txt", "b.html"]
    with pytest.raises(InputError, match="no such file"):
        list(iter_paths([str(tmp_path / "missing")]))
