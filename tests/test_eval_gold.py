"""Gold files are validated on load; a bad one is one error naming file, line, document, item."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractor.errors import GoldError
from extractor.eval import load_gold

# Curly quotes, an emoji, CJK, and separators that str.splitlines() would cut a line at.
TEXT = "Ms Ahn said “let’s go 🚀 now” in 東京.\u2028Then 李明 agreed.\x85\x0c"


def _item(start: int, end: int, **fields: Any) -> dict[str, Any]:
    return {"text": TEXT[start:end], "char_start": start, "char_end": end, **fields}


def _doc(doc_id: str = "doc-7", **kinds: Any) -> dict[str, Any]:
    return {"id": doc_id, "text": TEXT, "published": "2025-07-11", "title": "T", **kinds}


def _write(path: Path, *docs: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(GoldError) as info:
        load_gold(path)
    return str(info.value)


def test_loads_non_ascii_offsets_and_keeps_unannotated_kinds_apart(tmp_path: Path) -> None:
    start = TEXT.index("let")
    quote = _item(start, TEXT.index("”"), speaker="Ahn", kind="direct")
    assert quote["text"] == "let’s go 🚀 now"  # code points: the emoji is one character
    event = _item(
        TEXT.index("Then"),
        len(TEXT),
        event_type="agreement",
        actors=["李明"],
        location=None,
        time="2025-07",
    )
    _write(tmp_path / "b.jsonl", _doc("b", quotes=[quote], claims=[], events=[event]))
    _write(tmp_path / "a.jsonl", _doc("a", quotes=None))  # "claims"/"events" absent
    docs = load_gold(tmp_path)
    assert [d.id for d in docs] == ["a", "b"]  # files sorted by name
    assert docs[0].items == {"quotes": None, "claims": None, "events": None}
    assert docs[1].items["claims"] == [] and docs[1].items["quotes"] == [quote]
    assert str(docs[1].published) == "2025-07-11"


def test_wrong_offset_names_file_line_document_and_item(tmp_path: Path) -> None:
    good = _item(0, 6, speaker=None)
    bad = {**_item(3, 6, speaker="Ahn"), "char_start": 4}  # "Ahn" is at [3,6), not [4,6)
    path = _write(tmp_path / "g.jsonl", _doc("first", quotes=[]), _doc(quotes=[good, bad]))
    assert _error(path) == (
        f"{path}:2: document 'doc-7': quotes[1]: text 'Ahn' does not match text[4:6] 'hn'"
    )


def test_utf16_offsets_are_caught(tmp_path: Path) -> None:
    # A tool counting UTF-16 units puts the end one past: the emoji is two units.
    span = "go 🚀 now"
    start = TEXT.index(span)
    end = start + len(span.encode("utf-16-le")) // 2
    bad = {"text": span, "char_start": start, "char_end": end, "speaker": None}
    error = _error(_write(tmp_path / "e.jsonl", _doc(quotes=[bad])))
    assert error.endswith(f"text 'go 🚀 now' does not match text[{start}:{end}] 'go 🚀 now”'")


@pytest.mark.parametrize(
    ("kind", "item", "message"),
    [
        (
            "quotes",
            {"char_start": 40, "char_end": 99, "speaker": None},
            "quotes[0]: span [40, 99) is outside the text",
        ),
        ("quotes", {"char_start": 5, "char_end": 5, "speaker": None}, "outside the text"),
        ("quotes", {"char_start": "0", "char_end": 3, "speaker": None}, "must be integers"),
        ("quotes", {"char_start": 0, "char_end": 3}, "quotes[0]: missing 'speaker'"),
        ("quotes", {"char_start": 0, "char_end": 3, "speaker": ""}, "speaker must be a non-empty"),
        (
            "quotes",
            {"char_start": 0, "char_end": 3, "speaker": None, "kind": "indirect"},
            "kind 'indirect' is not one of direct, partial",
        ),
        ("claims", {"char_start": 0, "char_end": 3}, "claims[0]: missing 'claimant'"),
        (
            "claims",
            {"char_start": 0, "char_end": 3, "claimant": None, "hedged": "yes"},
            "hedged must be true or false",
        ),
        (
            "events",
            {"char_start": 0, "char_end": 3, "event_type": "party"},
            "events[0]: event_type 'party' is not in the vocabulary",
        ),
        ("events", {"char_start": 0, "char_end": 3}, "missing 'event_type'"),
        (
            "events",
            {"char_start": 0, "char_end": 3, "event_type": "meeting", "actors": "Ahn"},
            "actors must be a list of non-empty strings",
        ),
        (
            "events",
            {"char_start": 0, "char_end": 3, "event_type": "meeting", "time": "11 July 2025"},
            "time '11 July 2025' is not an ISO date",
        ),
        (
            "events",
            {"char_start": 0, "char_end": 3, "event_type": "meeting", "time": "2025-13"},
            "is not an ISO date",
        ),
    ],
)
def test_bad_items_are_refused(
    tmp_path: Path, kind: str, item: dict[str, Any], message: str
) -> None:
    path = _write(tmp_path / "g.jsonl", _doc(**{kind: [item]}))
    error = _error(path)
    assert error.startswith(f"{path}:1: document 'doc-7': {kind}[0]: ")
    assert message in error


def test_bad_documents_are_refused(tmp_path: Path) -> None:
    dup = _write(tmp_path / "d.jsonl", _doc("x"), _doc("x"))
    assert _error(dup) == f"{dup}:2: document 'x' already defined at {dup}:1"
    (tmp_path / "j.jsonl").write_text("{not json\n")
    assert "j.jsonl:1: not valid JSON" in _error(tmp_path / "j.jsonl")
    no_text = _write(tmp_path / "t.jsonl", {"id": "y", "quotes": []})
    assert _error(no_text) == f"{no_text}:1: document 'y': missing 'text'"
    listed = _write(tmp_path / "l.jsonl", _doc(quotes={"text": "Ms"}))
    assert "'quotes' must be a list or null" in _error(listed)
    assert "no such gold file" in _error(tmp_path / "missing.jsonl")
    (tmp_path / "empty").mkdir()
    assert "no .jsonl gold files" in _error(tmp_path / "empty")
