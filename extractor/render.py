"""Turning results into what people and machines read: rich tables and JSON."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the pipeline (engines, rules) loads only for the commands that extract
    from extractor.pipeline import Outcome


def stdout_console(soft_wrap: bool = False) -> Console:
    """The terminal's width on a terminal; wide enough for tables in a pipe or a file."""
    return Console(soft_wrap=soft_wrap, width=None if sys.stdout.isatty() else 160)


def outcome_json(outcome: Outcome, run_id: str) -> dict[str, Any]:
    """One document's result as plain JSON (the `--json` output, one object per line)."""
    data: dict[str, Any] = {
        "path": outcome.name,
        "run_id": run_id,
        "status": outcome.status,
        "error": outcome.error,
        "model_error": outcome.model_error,
    }
    if outcome.article is not None:
        data.update(
            document_id=outcome.article.id,
            title=outcome.article.title,
            published=outcome.article.published.isoformat() if outcome.article.published else None,
            language=outcome.article.language,
        )
    if outcome.ok and outcome.output is not None:
        data.update(outcome.output.extraction.model_dump(mode="json"))
        data["dropped"] = outcome.output.dropped
        data["llm_calls"] = len(outcome.output.calls)
        data["failed_chunks"] = outcome.output.failed_chunks
        skipped = outcome.output.skipped
        data["skipped"] = list(skipped.kinds) if skipped else []
        data["skip_reason"] = skipped.reason if skipped else None
    return data


def outcome_line(outcome: Outcome) -> str:
    """One document as one tab-separated line: status, path, document id, counts of
    quotes, claims and events (or the error): what a pipe gets without `--json`."""
    doc_id = outcome.article.id if outcome.article is not None else "-"
    if not outcome.ok:
        return f"failed\t{outcome.name}\t{doc_id}\t{outcome.error}"
    extraction = outcome.output.extraction if outcome.output is not None else None
    if extraction is None:
        return f"{outcome.status}\t{outcome.name}\t{doc_id}"
    counts = f"{len(extraction.quotes)}\t{len(extraction.claims)}\t{len(extraction.events)}"
    return f"{outcome.status}\t{outcome.name}\t{doc_id}\t{counts}"


def outcome_panel(outcome: Outcome) -> Panel:
    """One document's result as tables of quotes, claims and events."""
    article = outcome.article
    title = (article.title if article and article.title else None) or outcome.name
    if not outcome.ok or outcome.output is None or article is None:
        return Panel(Text(outcome.error or "failed", style="red"), title=title, border_style="red")
    extraction = outcome.output.extraction
    subtitle = (
        f"{article.id} · {article.language or 'language ?'} · {len(extraction.quotes)} quotes · "
        f"{len(extraction.claims)} claims · {len(extraction.events)} events · "
        f"{outcome.latency_ms:,.0f} ms"
    )
    if outcome.output.dropped:
        subtitle += f" · {outcome.output.dropped} ungrounded dropped"
    partial = outcome.output.partial
    if partial:
        subtitle += " · partial: the model failed"
    parts: list[Any] = []
    if extraction.quotes:
        parts.append(
            _table(
                "Quotes",
                ["speaker", "quote", "offsets"],
                [
                    (_speaker(q.speaker, q.speaker_title), q.text, f"{q.char_start}-{q.char_end}")
                    for q in extraction.quotes
                ],
            )
        )
    if extraction.claims:
        parts.append(
            _table(
                "Claims",
                ["claimant", "claim", "hedged"],
                [(c.claimant or "?", c.text, "yes" if c.hedged else "") for c in extraction.claims],
            )
        )
    if extraction.events:
        parts.append(
            _table(
                "Events",
                ["type", "when", "actors", "sentence"],
                [
                    (e.event_type.value, e.time or e.time_text or "", ", ".join(e.actors), e.text)
                    for e in extraction.events
                ],
                wide=3,
            )
        )
    skipped = outcome.output.skipped
    if skipped:
        parts.insert(0, Text(f"skipped: {skipped.reason}", style="yellow"))
    if not parts:
        parts.append(Text("nothing found", style="dim"))
    if partial:
        parts.insert(0, Text(f"partial: {outcome.model_error}", style="yellow"))
    border = "yellow" if partial else "green"
    return Panel(Group(*parts), title=title, subtitle=subtitle, border_style=border)


def rows_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    table = Table(show_lines=False)
    for index, column in enumerate(columns):
        values = [row[index] for row in rows if row[index] is not None]
        numeric = bool(values) and all(_is_number(value) for value in values)
        table.add_column(column, overflow="fold", justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    return table


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


@dataclass(frozen=True)
class Column:
    """A column of a table sized to the terminal: `keep` orders which columns stay when the
    terminal is narrow (0 stays longest); a column wider than `max_width` is cut with `…`."""

    name: str
    keep: int
    numeric: bool = False
    max_width: int | None = None


def fitted_table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int
) -> tuple[Table, list[str]]:
    """A table of already formatted cells that fits in `width` without wrapping a cell:
    columns are taken by `keep` while they fit, shown in their given order. Returns the
    table and the names of the columns left out."""
    natural = []
    for index, column in enumerate(columns):
        widest = max([cell_len(column.name), *(cell_len(row[index]) for row in rows)])
        natural.append(min(widest, column.max_width or widest))
    chosen: set[int] = set()
    used = 1  # the left border; each column adds its padding (2) and a border (1)
    for index in sorted(range(len(columns)), key=lambda i: columns[i].keep):
        if used + natural[index] + 3 <= width:
            chosen.add(index)
            used += natural[index] + 3
    table = Table(show_lines=False)
    shown = [i for i in range(len(columns)) if i in chosen]
    for index in shown:
        column = columns[index]
        table.add_column(
            column.name,
            justify="right" if column.numeric else "left",
            no_wrap=True,
            overflow="ellipsis",
            max_width=column.max_width,
        )
    for row in rows:
        table.add_row(*(row[i] for i in shown))
    return table, [c.name for i, c in enumerate(columns) if i not in chosen]


def whole(value: int | None) -> str:
    """An integer with thousands separators: 120,100."""
    return "∅" if value is None else f"{value:,}"


def seconds(value: float | None) -> str:
    """Seconds with one decimal and thousands separators: 1,201.5."""
    return "∅" if value is None else f"{value:,.1f}"


def significant(value: float | Decimal | None, digits: int = 4) -> str:
    """`digits` significant digits, never scientific notation: 0.0001234, 12.35, 120,100."""
    if value is None:
        return "∅"
    number = float(value)
    if number == 0 or not math.isfinite(number):
        return f"{number:g}"
    for _ in range(2):  # rounding 9.9996 to 10.00 moves the leading digit: round again
        places = digits - 1 - math.floor(math.log10(abs(number)))
        number = round(number, places)
    if places > 0:
        return f"{number:,.{places}f}"
    return f"{number:,.0f}"


def print_json_line(console: Console, data: dict[str, Any]) -> None:
    console.out(json.dumps(data, ensure_ascii=False, default=str), highlight=False)


def _table(title: str, columns: list[str], rows: list[tuple[str, ...]], wide: int = 1) -> Table:
    table = Table(title=title, title_justify="left", expand=True)
    for index, column in enumerate(columns):
        table.add_column(column, overflow="fold", ratio=4 if index == wide else 1)
    for row in rows:
        table.add_row(*row)
    return table


def _speaker(name: str | None, title: str | None) -> str:
    if not name:
        return "?"
    return f"{name} ({title})" if title else name


def _cell(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return whole(value)
    if isinstance(value, float | Decimal):
        return significant(value)
    return str(value)
