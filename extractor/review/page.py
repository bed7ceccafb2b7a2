"""The HTML shell of every page: head, assets linked from the app or inlined into the file.

Assets live in `extractor/review/static/` and are served by the service at `/static/`; a
page written to a file (`extractor view`, the eval report) carries them inline, so it
opens anywhere with no network.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from pathlib import Path

# Package data; a real directory, since the service mounts it (StaticFiles(directory=...)).
STATIC_DIR = Path(str(files("extractor.review") / "static"))


def page(title: str, body: str, *, assets: list[str], asset_url: str | None) -> str:
    """A whole HTML document. `asset_url=None` inlines the assets (a self-contained file)."""
    head = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing on these pages may load from elsewhere (inline assets need 'unsafe-inline').
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'unsafe-inline'\">",
        f"<title>{escape(title)}</title>",
    ]
    scripts = []
    for name in assets:
        if name.endswith(".css"):
            head.append(_style(name, asset_url))
        else:
            scripts.append(_script(name, asset_url))
    head.append("</head>")
    return "\n".join([*head, "<body>", body, *scripts, "</body>", "</html>", ""])


def _style(name: str, asset_url: str | None) -> str:
    if asset_url is None:
        return f"<style>\n{_read(name)}</style>"
    return f'<link rel="stylesheet" href="{escape(asset_url)}/{escape(name)}">'


def _script(name: str, asset_url: str | None) -> str:
    if asset_url is None:
        return f"<script>\n{_read(name)}</script>"
    return f'<script src="{escape(asset_url)}/{escape(name)}"></script>'


def _read(name: str) -> str:
    text = (STATIC_DIR / name).read_text(encoding="utf-8")
    # An inlined asset must not end its own element early.
    return text.replace("</style", "<\\/style").replace("</script", "<\\/script")
