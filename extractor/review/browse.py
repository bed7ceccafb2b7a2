"""The browse pages: the stored tables with their counts, and one table's rows, paged.

The service (`GET /browse`, `GET /browse/{table}`) queries; this module only renders the
rows it is given. Every value is escaped; links are built from fixed paths and ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from extractor.review.page import page

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    label: str
    cell: Callable[[Row], str]  # the cell's HTML, escaped
    left: bool = True


@dataclass(frozen=True)
class Field:
    """One input of the filter form."""

    name: str
    label: str
    value: str | None
    choices: tuple[str, ...] = ()  # a select with these (and "any") when given


def _text(key: str) -> Callable[[Row], str]:
    def cell(row: Row) -> str:
        value = row.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        return escape("" if value is None else str(value))

    return cell


def _document(row: Row) -> str:
    doc_id = str(row["document_id"])
    title = row.get("title") or doc_id
    return f'<a href="/documents/{quote(doc_id, safe="")}">{escape(str(title))}</a>'


def _offsets(row: Row) -> str:
    return f"{int(row['char_start'])}–{int(row['char_end'])}"


def _document_title(row: Row) -> str:
    doc_id = str(row["id"])
    title = row.get("title") or doc_id
    return f'<a href="/documents/{quote(doc_id, safe="")}">{escape(str(title))}</a>'


def _run_link(row: Row) -> str:
    run_id = str(row["id"])
    href = "/browse/quotes?" + urlencode({"run": run_id})
    return f'<a href="{escape(href)}">{escape(run_id)}</a>'


COLUMNS: dict[str, tuple[Column, ...]] = {
    "quotes": (
        Column("document", _document),
        Column("speaker", _text("speaker")),
        Column("speaker title", _text("speaker_title")),
        Column("text", _text("text")),
        Column("offsets", _offsets, left=False),
        Column("kind", _text("kind")),
    ),
    "claims": (
        Column("document", _document),
        Column("claimant", _text("claimant")),
        Column("text", _text("text")),
        Column("offsets", _offsets, left=False),
        Column("hedged", lambda r: "yes" if r.get("hedged") else ""),
    ),
    "events": (
        Column("document", _document),
        Column("type", _text("event_type")),
        Column("actors", _text("actors")),
        Column("text", _text("text")),
        Column("offsets", _offsets, left=False),
        Column("time", _text("time")),
    ),
    "documents": (
        Column("title", _document_title),
        Column("id", _text("id")),
        Column("source", _text("source")),
        Column("published", _text("published")),
        Column("characters", _text("char_count"), left=False),
        Column("ingested", _text("ingested_at")),
    ),
    "runs": (
        Column("run", _run_link),
        Column("engine", _text("engine")),
        Column("model", _text("model")),
        Column("status", _text("status")),
        Column("started", _text("started_at")),
        Column("finished", _text("finished_at")),
        Column("documents", _text("documents"), left=False),
        Column("partial", _text("partial"), left=False),
        Column("failed", _text("failed"), left=False),
    ),
}
TABLES = tuple(COLUMNS)


def _nav(current: str | None) -> str:
    links = [f'<a href="/browse"{" aria-current=page" if current is None else ""}>tables</a>']
    for table in TABLES:
        mark = " aria-current=page" if table == current else ""
        links.append(f'<a href="/browse/{table}"{mark}>{table}</a>')
    return '<nav class="meta">' + " · ".join(links) + ' · <a href="/">documents list</a></nav>'


def render_browse_index(counts: Sequence[tuple[str, int]]) -> str:
    """`/browse`: each table with its row count, linking to its rows."""
    rows = "".join(
        f'<tr><td><a href="/browse/{escape(name)}">{escape(name)}</a></td><td>{n}</td></tr>'
        for name, n in counts
    )
    body = f"""<header class="top"><h1>Browse the tables</h1>{_nav(None)}</header>
<main class="plain"><table><thead><tr><th>table</th><th>rows</th></tr></thead>
<tbody>{rows}</tbody></table></main>"""
    return page("Browse the tables", body, assets=["base.css"], asset_url="/static")


def render_browse_table(
    table: str,
    rows: Sequence[Row],
    *,
    fields: Sequence[Field],
    page_number: int,
    page_size: int,
    total: int | None,
) -> str:
    """`/browse/{table}`: a filter form, the rows of this page and links to the others."""
    columns = COLUMNS[table]
    head = "".join(f'<th class="{"l" if c.left else ""}">{escape(c.label)}</th>' for c in columns)
    body_rows = "".join(
        "<tr>"
        + "".join(f'<td class="{"l" if c.left else ""}">{c.cell(row)}</td>' for c in columns)
        + "</tr>"
        for row in rows
    )
    if not rows:
        body_rows = f'<tr><td colspan="{len(columns)}">No rows.</td></tr>'
    first = (page_number - 1) * page_size + 1
    shown = (
        f"rows {first}–{first + len(rows) - 1}" if rows else f"page {page_number}: no rows"
    ) + (f" of {total}" if total is not None else "")
    body = f"""<header class="top"><h1>{escape(table)}</h1>{_nav(table)}</header>
<main class="plain">{_form(fields, page_size)}
<p class="meta">{escape(shown)}</p>
<table><thead><tr>{head}</tr></thead><tbody>{body_rows}</tbody></table>
{_pager(table, fields, page_number, page_size, more=_more(rows, page_size, total, first))}
</main>"""
    return page(f"{table} · browse", body, assets=["base.css"], asset_url="/static")


def _more(rows: Sequence[Row], page_size: int, total: int | None, first: int) -> bool:
    if total is None:
        return len(rows) == page_size
    return first + len(rows) - 1 < total


def _form(fields: Sequence[Field], page_size: int) -> str:
    inputs = []
    for f in fields:
        if f.choices:
            options = "".join(
                f'<option value="{escape(c)}"{" selected" if c == f.value else ""}>'
                f"{escape(c)}</option>"
                for c in ("", *f.choices)
            )
            control = f'<select name="{escape(f.name)}">{options}</select>'
        else:
            kind = "date" if f.name in ("since", "until") else "text"
            control = (
                f'<input type="{kind}" name="{escape(f.name)}" value="{escape(f.value or "")}">'
            )
        inputs.append(f"<label>{escape(f.label)} {control}</label>")
    inputs.append(
        f'<label>per page <input type="number" name="page_size" min="1" max="500" '
        f'value="{page_size}"></label>'
    )
    return f'<form method="get" class="filters">{" ".join(inputs)} <button>Filter</button></form>'


def _pager(table: str, fields: Sequence[Field], page_number: int, size: int, more: bool) -> str:
    kept = {f.name: f.value for f in fields if f.value}

    def link(number: int, label: str) -> str:
        href = f"/browse/{table}?" + urlencode({**kept, "page": number, "page_size": size})
        return f'<a href="{escape(href)}" rel="{label}">{label}</a>'

    links = []
    if page_number > 1:
        links.append(link(page_number - 1, "prev"))
    if more:
        links.append(link(page_number + 1, "next"))
    return f'<p class="meta pager">{" · ".join(links)}</p>' if links else ""
