"""Turning results into what people and machines read: rich tables and JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

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
        )
    if outcome.ok and outcome.output is not None:
        data.update(outcome.output.extraction.model_dump(mode="json"))
        data["dropped"] = outcome.output.dropped
        data["llm_calls"] = len(outcome.output.calls)
        data["failed_chunks"] = outcome.output.failed_chunks
    return data


def outcome_panel(outcome: Outcome) -> Panel:
    """One document's result as tables of quotes, claims and events."""
    article = outcome.article
    title = (article.title if article and article.title else None) or outcome.name
    if not outcome.ok or outcome.output is None or article is None:
        return Panel(Text(outcome.error or "failed", style="red"), title=title, border_style="red")
    extraction = outcome.output.extraction
    subtitle = (
        f"{article.id} · {len(extraction.quotes)} quotes · {len(extraction.claims)} claims · "
        f"{len(extraction.events)} events · {outcome.latency_ms:,.0f} ms"
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
    if not parts:
        parts.append(Text("nothing found", style="dim"))
    if partial:
        parts.insert(0, Text(f"partial: {outcome.model_error}", style="yellow"))
    border = "yellow" if partial else "green"
    return Panel(Group(*parts), title=title, subtitle=subtitle, border_style=border)


def rows_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    table = Table(show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    return table


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
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
