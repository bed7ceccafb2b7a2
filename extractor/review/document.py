"""The review page of one document: its text with quotes, claims and events highlighted,
details of the selected highlight, a list of all items, and a filter by kind.

Every highlight carries a visible label: the speaker of a quote, the claimant of a claim,
the type of an event. Where the speaker's (or claimant's) name is written in the sentence
around the item, or the sentence before or after it in the same paragraph, that mention
is marked too (`mark.who`, naming the items it is the speaker of in `data-for`).
"""

from __future__ import annotations

import re
from html import escape

from extractor.review.data import DocumentRecord
from extractor.review.page import page
from extractor.review.spans import Mark, highlight
from extractor.schemas import AUTHOR, Claim, Event, Quote
from extractor.text.segment import Segment, sentences

KINDS = (("quote", "Quotes"), ("claim", "Claims"), ("event", "Events"))
ASSETS = ["base.css", "review.css", "review.js"]

Item = Quote | Claim | Event


def render_document_page(doc: DocumentRecord, *, asset_url: str | None = "/static") -> str:
    """The page as HTML; `asset_url=None` makes one self-contained file."""
    items = _items(doc)
    marks = [
        Mark(
            item.char_start,
            item.char_end,
            key,
            f"hl hl-{kind}",
            _label(kind, item),
            tag=_tag(item),
        )
        for key, kind, item in items
    ]
    # One mark per name in the text, pointing at every item it names the speaker of.
    named: dict[tuple[int, int], list[tuple[str, str, Item]]] = {}
    cut = sentences(doc.text)
    for key, kind, item in items:
        mention = _mention(doc.text, cut, item)
        if mention is not None:
            named.setdefault(mention, []).append((key, kind, item))
    for (start, end), speaking in named.items():
        key, kind, item = speaking[0]
        role = "speaker" if kind == "quote" else "claimant"
        keys = " ".join(k for k, _, _ in speaking)
        marks.append(
            Mark(
                start,
                end,
                f"{key}-who",
                f"who who-{kind}",
                f"{kind} {role}: {_who(item)}",
                attrs=(("data-for", keys),),
            )
        )
    counts = {kind: sum(1 for _, k, _ in items if k == kind) for kind, _ in KINDS}
    title = doc.title or f"Document {doc.id}"
    body = f"""<header class="top">
<h1>{escape(title)}</h1>
<p class="meta">{_meta(doc)}</p>
</header>
<main class="layout">
<article id="text" class="text" aria-label="Article text">{highlight(doc.text, marks)}</article>
<aside class="side">
<fieldset class="filters"><legend>Show</legend>
{"".join(_filter(kind, label, counts[kind]) for kind, label in KINDS)}
</fieldset>
<p class="hint key">Each highlight is labelled with its speaker, claimant or event type;
a <span class="who-key">wavy underline</span> marks where the text names the speaker.</p>
<section id="details" class="details" aria-live="polite">
<p class="hint">Select a highlight or an item to see who said it, the event type, actors,
place and time.</p>
{"".join(_detail(key, kind, item) for key, kind, item in items)}
</section>
<section class="items"><h2>All items</h2>
{_item_list(items)}
</section>
</aside>
</main>"""
    return page(f"{title} · review", body, assets=ASSETS, asset_url=asset_url)


def _items(doc: DocumentRecord) -> list[tuple[str, str, Item]]:
    extraction = doc.extraction
    found: list[tuple[str, str, Item]] = []
    found += [(f"q{i}", "quote", q) for i, q in enumerate(extraction.quotes)]
    found += [(f"c{i}", "claim", c) for i, c in enumerate(extraction.claims)]
    found += [(f"e{i}", "event", e) for i, e in enumerate(extraction.events)]
    return sorted(found, key=lambda entry: (entry[2].char_start, -entry[2].char_end))


def _meta(doc: DocumentRecord) -> str:
    parts = [f"document <code>{escape(doc.id)}</code>"]
    if doc.source:
        parts.append(escape(doc.source))
    if doc.published:
        parts.append(escape(doc.published.isoformat()))
    if doc.url:
        parts.append(f'<span class="url">{escape(doc.url)}</span>')
    if doc.run_id:
        model = f" · {escape(doc.model)}" if doc.model else ""
        parts.append(f"run <code>{escape(doc.run_id)}</code> · {escape(doc.engine or '')}{model}")
    else:
        parts.append("not extracted yet")
    return " · ".join(parts)


def _filter(kind: str, label: str, count: int) -> str:
    return (
        f'<label class="filter"><input type="checkbox" checked data-kind="{kind}">'
        f'<span class="swatch sw-{kind}"></span>{label} <span class="count">{count}</span></label>'
    )


def _label(kind: str, item: Item) -> str:
    if isinstance(item, Quote):
        return f"quote · {item.speaker or 'unknown speaker'}"
    if isinstance(item, Claim):
        return f"claim · {item.claimant or 'unknown claimant'}"
    return f"event · {item.event_type.value}"


def _who(item: Item) -> str | None:
    name = item.speaker if isinstance(item, Quote) else getattr(item, "claimant", None)
    return None if name == AUTHOR else name


def _tag(item: Item) -> str:
    """The visible label of a highlight."""
    if isinstance(item, Event):
        return item.event_type.value.replace("_", " ")
    if isinstance(item, Claim) and item.claimant == AUTHOR:
        return "the author"
    return _who(item) or "unknown"


def _mention(text: str, cut: list[Segment], item: Item) -> tuple[int, int] | None:
    """Where the item's speaker or claimant is named near it: in the sentences it overlaps,
    else the one before or after it in the same paragraph; outside the item itself, the
    nearest occurrence, trying the full name, then the surname."""
    name = _who(item)
    if isinstance(item, Event) or not name or not name.split():
        return None
    around = [i for i, s in enumerate(cut) if s.start < item.char_end and item.char_start < s.end]
    if not around:
        return None
    first, last = around[0], around[-1]
    # A neighbour counts only in the same paragraph (no line break in between).
    neighbours = []
    if first > 0 and "\n" not in text[cut[first - 1].end : cut[first].start]:
        neighbours.append(first - 1)
    if last + 1 < len(cut) and "\n" not in text[cut[last].end : cut[last + 1].start]:
        neighbours.append(last + 1)
    windows = [(cut[first].start, cut[last].end)]
    windows += [(cut[i].start, cut[i].end) for i in neighbours]
    words = name.split()
    candidates = [c for c in dict.fromkeys([name, words[-1]]) if len(c) > 1]
    patterns = [re.compile(rf"(?<!\w){re.escape(c)}(?!\w)") for c in candidates]
    for start, end in windows:  # the nearest sentences first
        for pattern in patterns:
            found = [
                (m.start(), m.end())
                for m in pattern.finditer(text, start, end)
                if m.end() <= item.char_start or m.start() >= item.char_end
            ]
            if found:
                return min(found, key=lambda m: _distance(m, item))
    return None


def _distance(found: tuple[int, int], item: Item) -> int:
    return min(abs(found[0] - item.char_end), abs(item.char_start - found[1]))


def _fields(item: Item) -> list[tuple[str, str | None]]:
    if isinstance(item, Quote):
        return [
            ("Speaker", item.speaker or "unknown"),
            ("Speaker title", item.speaker_title),
            ("Cue", item.cue),
            ("Kind", item.kind.value),
        ]
    if isinstance(item, Claim):
        return [
            ("Claimant", item.claimant or "unknown"),
            ("Cue", item.cue),
            ("Hedged", "yes" if item.hedged else "no"),
        ]
    time = " · ".join(t for t in (item.time, item.time_text) if t) or None
    return [
        ("Event type", item.event_type.value.replace("_", " ")),
        ("Trigger", item.trigger),
        ("Actors", ", ".join(item.actors) or None),
        ("Place", item.location),
        ("Time", time),
    ]


def _detail(key: str, kind: str, item: Item) -> str:
    rows = [(label, value) for label, value in _fields(item) if value]
    rows.append(("Offsets", f"{item.char_start}–{item.char_end} ({item.alignment.value})"))
    cells = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in rows)
    return (
        f'<div class="detail detail-{kind}" data-detail="{key}" hidden>'
        f'<p class="kind k-{kind}">{kind}</p><blockquote>{escape(item.text)}</blockquote>'
        f"<dl>{cells}</dl></div>"
    )


def _item_list(items: list[tuple[str, str, Item]]) -> str:
    if not items:
        return '<p class="hint">Nothing was extracted from this document.</p>'
    entries = []
    for key, kind, item in items:
        who = _fields(item)[0][1] or ""
        entries.append(
            f'<li class="item item-{kind}" data-item="{key}" tabindex="0">'
            f'<span class="who k-{kind}">{escape(who)}</span>'
            f'<span class="snippet">{escape(_snippet(item.text))}</span></li>'
        )
    return f'<ol class="item-list">{"".join(entries)}</ol>'


def _snippet(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
