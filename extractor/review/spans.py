"""Text with highlighted spans as HTML: nested `<mark>` elements, everything escaped.

Spans may nest (an event sentence holding a quote) or cross (two claims sharing words).
The text is cut at every span boundary; spans are opened outermost first, so a span that
nests stays one element, and only a span crossing another is split into pieces, each
carrying the same `data-item` key. Offsets are Python string indices (code points).

Each piece carries `data-depth` (how many marks are open around it, capped at 3), so the
CSS can draw the underlines of nested marks apart: two marks on the same sentence stay
visibly two. A mark's `tag` is its visible label (`data-label`, on its first piece only).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Mark:
    """One highlight: `text[start:end]`, CSS classes, and a key shared by its pieces."""

    start: int
    end: int
    key: str
    classes: str
    label: str = ""  # tooltip
    tag: str = ""  # visible label, drawn by the CSS from `data-label`
    #: Extra attributes on every piece, e.g. (("data-for", "q0"),).
    attrs: tuple[tuple[str, str], ...] = ()


def highlight(text: str, marks: list[Mark]) -> str:
    """`text` as escaped HTML with every mark wrapped in `<mark data-item=key>` pieces."""
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    # Outer first: earlier start, then longer span.
    ordered = sorted(valid, key=lambda m: (m.start, -m.end, m.key))
    boundaries = sorted({0, len(text)} | {m.start for m in valid} | {m.end for m in valid})
    out: list[str] = []
    stack: list[Mark] = []  # open marks, outermost first
    pending = 0  # next mark in `ordered` to open
    for index, position in enumerate(boundaries):
        ending = [m for m in stack if m.end == position]
        if ending:
            # Close down to the outermost mark that ends here, then reopen the survivors.
            depth = min(stack.index(m) for m in ending)
            reopen = [m for m in stack[depth:] if m.end != position]
            out.extend("</mark>" for _ in stack[depth:])
            del stack[depth:]
            for mark in reopen:
                out.append(_open(mark, continued=True, depth=len(stack)))
                stack.append(mark)
        while pending < len(ordered) and ordered[pending].start == position:
            mark = ordered[pending]
            out.append(_open(mark, continued=False, depth=len(stack)))
            stack.append(mark)
            pending += 1
        if index + 1 < len(boundaries):
            out.append(escape(text[position : boundaries[index + 1]], quote=False))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


MAX_DEPTH = 3


def _open(mark: Mark, *, continued: bool, depth: int) -> str:
    classes = f"{mark.classes} cont" if continued else mark.classes
    title = f' title="{escape(mark.label)}"' if mark.label else ""
    tag = f' data-label="{escape(mark.tag)}"' if mark.tag and not continued else ""
    focus = "" if continued else ' tabindex="0"'
    extra = "".join(f' {escape(name)}="{escape(value)}"' for name, value in mark.attrs)
    return (
        f'<mark class="{escape(classes)}" data-item="{escape(mark.key)}" '
        f'data-start="{mark.start}" data-end="{mark.end}" data-depth="{min(depth, MAX_DEPTH)}"'
        f"{title}{tag}{extra}{focus}>"
    )
