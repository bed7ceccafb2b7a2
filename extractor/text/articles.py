"""Reading articles: bytes in, an `Article` with clean text and header metadata out.

An article file may start with a small header of `key: value` lines (`title`, `published`,
`source`, `url`, `license`, ...) ended by a blank line. The body after it is the document
text: decoded as UTF-8 (a BOM is dropped), or as UTF-16 or UTF-32 when a BOM says so,
line ends normalised to `\\n`, surrounding whitespace stripped. Nothing else is changed,
so offsets into `Article.text` are offsets into what the author wrote. HTML is converted
to text (see `extractor.text.html`).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from fnmatch import fnmatch
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
    decoded = _decode(raw, name)
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


#: Byte-order marks of the wider encodings, UTF-32 first (its LE mark starts like UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without a BOM), or UTF-16/UTF-32 with a BOM."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                decoded = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: not valid {encoding.upper()} (after its BOM)") from exc
            if not decoded.strip():
                raise InputError(f"{name}: empty article (no text)")
            return decoded
    if not raw.strip():
        raise InputError(f"{name}: empty article (no text)")
    if _BINARY_BYTES.search(raw[:65536]):
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start})"
        ) from exc


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


#: File names (without suffix, any case) of the notes a folder of articles often holds.
NOTE_NAMES = frozenset(
    "readme attribution attributions license licence copying notice changelog authors "
    "contributing credits sources".split()
)


@dataclass
class Inputs:
    """What named paths give: the files to read, each bad named path (one line each), and
    what folder traversal skipped, with why."""

    files: list[Path] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def scan_paths(paths: list[str], glob: str | None = None) -> Inputs:
    """Check every named path first and expand folders (sorted, recursively; hidden files
    and folders skipped quietly). In a folder, `glob` (matched against the path below the
    folder, or the file name) chooses the files; by default a folder gives its article
    files (`ARTICLE_SUFFIXES`) but not its notes (README, ATTRIBUTION, LICENSE...). Links
    to folders are not followed (no loops), links to files are; a dangling link, a FIFO, a
    socket or a device is skipped, with why. A file named on its own is taken as given."""
    found = Inputs()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            _walk(path, glob, found)
        elif not path.exists():
            found.bad.append(f"{given}: no such file or folder" +
                             (" (a dangling link)" if path.is_symlink() else ""))  # fmt: skip
        elif not path.is_file():
            found.bad.append(f"{given}: {_special(path)}, not a file of text")
        else:
            found.files.append(path)
    return found


def _walk(folder: Path, glob: str | None, found: Inputs) -> None:
    for root, dirs, files in os.walk(folder, followlinks=False):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in list(dirs):
            if (here / name).is_symlink():
                dirs.remove(name)
                found.skipped.append((here / name, "a link to a folder (not followed)"))
        for name in sorted(files):
            path = here / name
            relative = path.relative_to(folder).as_posix()
            if name.startswith("."):
                continue
            if glob is not None:
                if not (fnmatch(relative, glob) or fnmatch(name, glob)):
                    continue
            elif path.suffix.lower() not in ARTICLE_SUFFIXES:
                found.skipped.append((path, f"not an article file ({path.suffix or 'no suffix'})"))
                continue
            elif path.stem.lower() in NOTE_NAMES:
                found.skipped.append((path, "a note, not an article (--glob chooses files)"))
                continue
            if not path.exists():
                found.skipped.append((path, "a dangling link"))
            elif not path.is_file():
                found.skipped.append((path, _special(path)))
            else:
                found.files.append(path)


def _special(path: Path) -> str:
    mode = path.stat().st_mode
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISBLK(mode) or stat.S_ISCHR(mode) else "not a regular file"


def iter_paths(paths: list[str]) -> Iterator[Path]:
    """The files `scan_paths` finds; the first bad named path raises `InputError`."""
    found = scan_paths(paths)
    if found.bad:
        raise InputError(found.bad[0])
    yield from found.files


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
