"""A grouped bar chart of scores in [0, 1] as inline SVG (no script, no external library)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

PALETTE = ("#2563eb", "#f59e0b", "#059669", "#9333ea", "#dc2626", "#0891b2", "#65a30d")
WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]  # one per group; None when there was nothing to measure


def bar_chart(groups: list[str], series: list[Series], caption: str) -> str:
    """Bars grouped by `groups` (e.g. kinds), one colour per series, a legend underneath."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(groups), 1)
    bar_w = min(48.0, group_w * 0.8 / max(len(series), 1))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" aria-label="{escape(caption)}">'
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = TOP + plot_h * (1 - tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" class="tick" text-anchor="end">{tick:.2f}</text>'
        )
    for g, group in enumerate(groups):
        x0 = LEFT + g * group_w + (group_w - bar_w * len(series)) / 2
        for s, entry in enumerate(series):
            value = entry.values[g] if g < len(entry.values) else None
            x = x0 + s * bar_w
            colour = PALETTE[s % len(PALETTE)]
            label = f"{entry.name} · {group}: {'—' if value is None else f'{value:.3f}'}"
            if value is None:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h - 4}" class="value" '
                    f'text-anchor="middle">—</text>'
                )
                continue
            h = plot_h * max(0.0, min(1.0, value))
            y = TOP + plot_h - h
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(label)}</title></rect>'
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" class="value" '
                f'text-anchor="middle">{value:.2f}</text>'
            )
        parts.append(
            f'<text x="{LEFT + (g + 0.5) * group_w:.1f}" y="{HEIGHT - 14}" class="group" '
            f'text-anchor="middle">{escape(group)}</text>'
        )
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{PALETTE[i % len(PALETTE)]}"></span>'
        f"{escape(entry.name)}</li>"
        for i, entry in enumerate(series)
    )
    return (
        f'<figure class="figure">{"".join(parts)}'
        f'<figcaption>{escape(caption)}<ul class="legend">{legend}</ul></figcaption></figure>'
    )
