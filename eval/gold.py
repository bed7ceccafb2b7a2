"""Loading gold files, validated: a bad file is one error naming file, line, document, item."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from extractor.errors import GoldError
from schemas import EventType

KINDS = ("quotes", "claims", "events")
_EVENT_TYPES = {t.value for t in EventType}


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str
    published: date | None
    title: str | None
    #: Per kind, the annotated items; None when the kind was not annotated (not scored).
    items: dict[str, list[dict[str, Any]] | None]


def load_gold(path: Path) -> list[GoldDocument]:
    """A JSONL file, or every `*.jsonl` under a folder (sorted)."""
    if path.is_dir():
        files = sorted(path.rglob("*.jsonl"))
        if not files:
            raise GoldError(f"{path}: no .jsonl gold files in this folder")
    elif path.is_file():
        files = [path]
    else:
        raise GoldError(f"{path}: no such gold file or folder")
    documents: list[GoldDocument] = []
    seen: dict[str, str] = {}
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{file}:{number}"
            doc = _parse(line, where)
            if doc.id in seen:
                raise GoldError(f"{where}: document {doc.id!r} already defined at {seen[doc.id]}")
            seen[doc.id] = where
            documents.append(doc)
    if not documents:
        raise GoldError(f"{path}: no gold documents")
    return documents


def _parse(line: str, where: str) -> GoldDocument:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(data, dict):
        raise GoldError(f"{where}: a gold line must be a JSON object")
    doc_id, text = data.get("id"), data.get("text")
    if not isinstance(doc_id, str) or not doc_id:
        raise GoldError(f"{where}: missing document 'id'")
    if not isinstance(text, str) or not text:
        raise GoldError(f"{where}: document {doc_id!r}: missing 'text'")
    published = None
    if data.get("published"):
        try:
            published = date.fromisoformat(str(data["published"])[:10])
        except ValueError as exc:
            raise GoldError(
                f"{where}: document {doc_id!r}: 'published' {data['published']!r} is not a date"
            ) from exc
    items: dict[str, list[dict[str, Any]] | None] = {}
    for kind in KINDS:
        value = data.get(kind)
        if value is None:
            items[kind] = None
            continue
        if not isinstance(value, list):
            raise GoldError(f"{where}: document {doc_id!r}: '{kind}' must be a list or null")
        for index, item in enumerate(value):
            _check_item(item, kind, text, f"{where}: document {doc_id!r}: {kind}[{index}]")
        items[kind] = value
    return GoldDocument(doc_id, text, published, data.get("title"), items)


def _check_item(item: Any, kind: str, text: str, where: str) -> None:
    if not isinstance(item, dict):
        raise GoldError(f"{where}: must be an object")
    start, end = item.get("char_start"), item.get("char_end")
    if not isinstance(start, int) or not isinstance(end, int):
        raise GoldError(f"{where}: char_start and char_end must be integers")
    if not 0 <= start < end <= len(text):
        raise GoldError(f"{where}: span [{start}, {end}) is outside the text ({len(text)} chars)")
    span = item.get("text")
    if span is not None and text[start:end] != span:
        raise GoldError(
            f"{where}: text {span[:50]!r} does not match text[{start}:{end}] "
            f"{text[start:end][:50]!r}"
        )
    if kind == "events" and item.get("event_type") not in _EVENT_TYPES:
        raise GoldError(f"{where}: event_type {item.get('event_type')!r} is not in the vocabulary")
    if kind == "events" and not isinstance(item.get("actors", []), list):
        raise GoldError(f"{where}: actors must be a list")
