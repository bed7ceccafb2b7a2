"""Reading articles: bytes in, an `Article` with clean text and header metadata out.

An article file may start with a small header of `key: value` lines (`title`, `published`,
`source`, `url`, `license`, ...) ended by a blank line. The body after it is the document
text: decoded as UTF-8 (a BOM is dropped), line ends normalised to `\\n`, surrounding
whitespace stripped. Nothing else is changed, so offsets into `Article.text` are offsets
into what the author wrote. HTML is converted to text (see `extractor.text.html`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path

from extractor.errors import InputError
from extractor.text.html import html_to_text, looks_like_html
from extractor.text.language import detect_language

HEADER_KEYS = frozenset({"title", "published", "source", "url", "license", "author", "language"})
ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".html", ".htm", ""})
_HEADER_LINE = re.compile(r"^([A-Za-z_]+):[ \t]*(.*)$")
# Control characters that never appear in text (NUL etc.); tab, LF, CR and FF are fine.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: date | None = None
    path: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Stable for the same text: the same article ingested twice is one document."""
        return document_id(self.text)

    @cached_property
    def language(self) -> str | None:
        """ISO 639-1 code: the header's `language:` when given, else detected from the
        text (None: too short or too mixed to tell)."""
        declared = self.meta.get("language", "").strip().lower()
        return declared[:2] if declared else detect_language(self.text)


def document_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_article(raw: bytes, *, name: str = "<input>") -> Article:
    """Decode and parse one article. Raises `InputError` naming `name` on bad input."""
    if not raw.strip():
        raise InputError(f"{name}: empty article (no text)")
    if _BINARY_BYTES.search(raw[:65536]):
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start})"
        ) from exc
    decoded = decoded.replace("\r\n", "\n").replace("\r", "\n")
    meta, body = _split_header(decoded)
    if looks_like_html(body):
        html_meta, body = html_to_text(body)
        meta = {**html_meta, **meta}
    text = body.strip()
    if not text:
        raise InputError(f"{name}: empty article (a header but no text)")
    published = _parse_date(meta.get("published"), name)
    return Article(
        text=text,
        title=meta.get("title") or None,
        source=meta.get("source") or None,
        url=meta.get("url") or None,
        published=published,
        path=name,
        meta=meta,
    )


def article_from_text(
    text: str,
    *,
    name: str = "<text>",
    title: str | None = None,
    url: str | None = None,
    published: date | None = None,
    source: str | None = None,
) -> Article:
    """An article given as a string (a request body, a notebook cell): parsed like a file,
    header included, then the metadata given here over the header's."""
    article = parse_article(text.encode("utf-8"), name=name)
    return replace(
        article,
        title=title or article.title,
        url=url or article.url,
        published=published or article.published,
        source=source or article.source,
    )


def read_article(path: Path) -> Article:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return parse_article(raw, name=str(path))


def iter_paths(paths: list[str]) -> Iterator[Path]:
    """Expand folders into their article files (sorted, recursively, hidden files skipped)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in ARTICLE_SUFFIXES:
                    yield child
        elif path.exists():
            yield path
        else:
            raise InputError(f"{given}: no such file or folder")


def _split_header(text: str) -> tuple[dict[str, str], str]:
    """Split `key: value` header lines (known keys only) from the body."""
    lines = text.split("\n")
    meta: dict[str, str] = {}
    for index, line in enumerate(lines):
        if not line.strip():
            if meta:
                return meta, "\n".join(lines[index + 1 :])
            return {}, text
        match = _HEADER_LINE.match(line)
        if not match or match.group(1).lower() not in HEADER_KEYS:
            return {}, text
        meta[match.group(1).lower()] = match.group(2).strip()
    # Header lines only, no blank line: not a header after all.
    return {}, text


def _parse_date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise InputError(f"{name}: header 'published: {value}' is not an ISO date") from exc
