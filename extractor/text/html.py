"""HTML articles to plain text, with the standard library's parser.

Block elements become line breaks, `script`/`style`/`nav`/... are dropped, entities are
decoded, and runs of spaces inside a block fold to one. `<title>` and a few `<meta>` tags
become header metadata. Offsets of extracted items then index the converted text, which is
what is stored as the document.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_HTML_START = re.compile(r"^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_SKIPPED = frozenset(
    {"script", "style", "noscript", "nav", "template", "svg", "form", "iframe", "head"}
)
_META_KEYS = {
    "og:title": "title",
    "article:published_time": "published",
    "og:url": "url",
    "og:site_name": "source",
    "author": "author",
}


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:1024]))


def html_to_text(markup: str) -> tuple[dict[str, str], str]:
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return parser.meta, "\n".join(line for line in lines if line)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            values = dict(attrs)
            key = values.get("property") or values.get("name") or ""
            if key.lower() in _META_KEYS and values.get("content"):
                self.meta.setdefault(_META_KEYS[key.lower()], values["content"] or "")
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.meta.setdefault("title", " ".join(data.split()))
        elif not self._skip_depth:
            self.parts.append(data)
