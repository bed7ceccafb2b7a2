"""Loading gold files, validated: a bad file is one error naming file, line, document, item."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeGuard

from extractor.errors import GoldError
from extractor.schemas import KINDS, EventType, QuoteKind

_EVENT_TYPES = {t.value for t in EventType}
_QUOTE_KINDS = {k.value for k in QuoteKind} | {None}
#: Keys every gold item of a kind must carry (a value may be null: "unknown").
_REQUIRED = {"quotes": ("speaker",), "claims": ("claimant",), "events": ("event_type",)}
#: Keys that, when present and not null, must be non-empty strings.
_OPTIONAL_TEXT = {
    "quotes": ("speaker", "speaker_title"),
    "claims": ("claimant",),
    "events": ("trigger", "location", "time_text"),
}
_ISO_TIME = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str
    published: date | None
    title: str | None
    #: Per kind, the annotated items; None when the kind was not annotated (not scored).
    items: dict[str, list[dict[str, Any]] | None]


def gold_hash(documents: list[GoldDocument]) -> str:
    """A hash of what is scored (ids, texts, dates, titles, items), independent of how the
    documents are split into files or ordered: two evals with different hashes were scored
    against different gold sets and are not comparable."""
    canonical = [
        [doc.id, doc.text, doc.published.isoformat() if doc.published else None, doc.title,
         doc.items]
        for doc in sorted(documents, key=lambda d: d.id)
    ]  # fmt: skip
    encoded = json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:16]


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
        # split("\n"), not splitlines(): JSON strings may hold U+2028, U+0085, form feeds.
        for number, line in enumerate(file.read_text(encoding="utf-8").split("\n"), 1):
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
    if not _is_int(start) or not _is_int(end):
        raise GoldError(f"{where}: char_start and char_end must be integers")
    if not 0 <= start < end <= len(text):
        raise GoldError(f"{where}: span [{start}, {end}) is outside the text ({len(text)} chars)")
    span = item.get("text")
    if span is not None and text[start:end] != span:
        raise GoldError(
            f"{where}: text {_clip(span)!r} does not match text[{start}:{end}] "
            f"{_clip(text[start:end])!r}"
        )
    for name in _REQUIRED[kind]:
        if name not in item:
            raise GoldError(f"{where}: missing {name!r} (null when unknown)")
    for name in _OPTIONAL_TEXT[kind]:
        value = item.get(name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise GoldError(f"{where}: {name} must be a non-empty string or null")
    if kind == "quotes" and item.get("kind") not in _QUOTE_KINDS:
        choices = ", ".join(k.value for k in QuoteKind)
        raise GoldError(f"{where}: kind {item.get('kind')!r} is not one of {choices} (or null)")
    if kind == "claims" and not isinstance(item.get("hedged", False), bool):
        raise GoldError(f"{where}: hedged must be true or false")
    if kind == "events":
        _check_event(item, where)


def _check_event(item: dict[str, Any], where: str) -> None:
    if item["event_type"] not in _EVENT_TYPES:
        raise GoldError(f"{where}: event_type {item['event_type']!r} is not in the vocabulary")
    actors = item.get("actors", [])
    if not isinstance(actors, list) or not all(isinstance(a, str) and a.strip() for a in actors):
        raise GoldError(f"{where}: actors must be a list of non-empty strings")
    time = item.get("time")
    if time is not None and not _is_iso_time(time):
        raise GoldError(f"{where}: time {time!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_iso_time(value: Any) -> bool:
    if not isinstance(value, str) or not _ISO_TIME.fullmatch(value):
        return False
    try:
        date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        return False
    return True


def _clip(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "..."
