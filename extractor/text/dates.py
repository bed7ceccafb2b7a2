"""Date mentions in text, resolved to ISO dates (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).

Explicit dates ("July 11, 2025", "11 July 2025", "2025-07-11", "July 2025", "Sept. 3",
"June 1st", "in 2012") and, against the publication date, relative ones:

- "today", "yesterday", "tomorrow" -> that day;
- a weekday ("on Friday") -> the most recent such day on or before publication, or the
  next one after it when the words just before it in the sentence look ahead ("will",
  "until", "next", "would", "is set to", ...); "last Friday" is strictly before publication;
- "this/last/next year" -> `YYYY`, "this/last/next month" and "this week" -> `YYYY-MM`;
- "N days/weeks/months/years ago" -> the day (days, weeks), month or year counted back;
- "N years later", "the following year" -> counted from the year the text named last;
- a month and day without a year ("June 1st") -> in the publication year; a month alone
  after a preposition ("in March") -> that month of the publication year, or of the year
  before when it lies after publication.

Without a publication date relative mentions are still found, with `iso=None`. Month
names must be capitalised and need a day, a year or a preposition before them ("in
March"), so the modal "may" and the verb "march" are never dates; impossible days
("February 30") are not dates. A directly preceding preposition is part of the mention's
text, as news writes it: "on Friday", "in 2012", "until Monday".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from extractor.text.lexicon import MONTH_ABBREVIATIONS, MONTH_NAMES, MONTHS, WEEKDAYS

#: Words shortly before a weekday (same sentence) that put it after publication.
_FUTURE_CUES = re.compile(
    r"\b(?:will|would|until|till|next|shall|scheduled|due|coming|upcoming|going to|set to"
    r"|expected to|plans? to)\b[^.;]*$"
)
_LOOKBEHIND = 60

_MONTH = (
    rf"(?P<month>{'|'.join(m.capitalize() for m in MONTH_NAMES)}"
    rf"|(?:{'|'.join(a.capitalize() for a in MONTH_ABBREVIATIONS)})\.?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_PREP = r"(?:(?:on|in|since|by|until|till|from|during|before|after|starting on|as of)\s+)?"
_END = r"(?![\w-])"
_YEAR_PREP = r"in|since|by|until|from|during|before|after|of|early|late|mid"
_COUNTS = (
    r"\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|twenty|thirty|fifty|a hundred"
)
_COUNT = rf"(?P<count>{_COUNTS})"
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
    "thirty": 30, "fifty": 50, "a hundred": 100,
}  # fmt: skip
_WEEKDAY = rf"(?:(?P<which>on|last|next|this|until|by)\s+)?(?P<weekday>{'|'.join(WEEKDAYS)})"
# In priority order: an earlier pattern wins where two overlap.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b{_PREP}{_YEAR}-(?P<m>[01]\d)-(?P<day>[0-3]\d){_END}")),
    ("mdy", re.compile(rf"\b{_PREP}{_MONTH}\s+{_DAY},?\s+{_YEAR}{_END}")),
    ("dmy", re.compile(rf"\b{_PREP}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}{_END}")),
    ("my", re.compile(rf"\b{_PREP}{_MONTH},?\s+{_YEAR}{_END}")),
    ("md", re.compile(rf"\b{_PREP}{_MONTH}\s+{_DAY}{_END}(?!,?\s*\d)")),
    ("dm", re.compile(rf"\b{_PREP}{_DAY}\s+(?:of\s+)?{_MONTH}{_END}")),
    ("year", re.compile(rf"\b(?i:(?:{_YEAR_PREP})\s+|mid-){_YEAR}(?![\w%-]|[.,]\d)")),
    ("month", re.compile(rf"\b(?i:in|since|by|until|during|early|late)\s+{_MONTH}{_END}")),
    ("later", re.compile(rf"\b{_COUNT}\s+years?\s+later\b", re.I)),
    ("later", re.compile(r"\b(?P<count>the\s+(?:following|next))\s+year\b", re.I)),
    ("ago", re.compile(rf"\b{_COUNT}\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
    ("day", re.compile(r"\b(?P<relative>[Tt]oday|[Yy]esterday|[Tt]omorrow)\b")),
    ("period", re.compile(r"\b(?P<which>[Tt]his|[Ll]ast|[Nn]ext)\s+(?P<unit>year|month)\b")),
    ("period", re.compile(r"\b(?P<which>[Tt]his)\s+(?P<unit>week)\b")),
    ("weekday", re.compile(rf"\b{_WEEKDAY}\b")),
]


_LATER = re.compile(rf"(?P<count>{_COUNTS}|the\s+(?:following|next))\s+years?(?:\s+later)?$", re.I)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    iso: str | None


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Date mentions in `text`, in order, without overlaps (`text[start:end] == text`)."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            resolved = _resolve(kind, match, text, published)
            if resolved is False:
                continue  # not a real day (February 30)
            iso = resolved if isinstance(resolved, str) and resolved else None
            taken.append((start, end))
            found.append(DateMention(start, end, match.group(0), iso))
    found.sort(key=lambda m: m.start)
    return [_after_previous(m, found[:i]) for i, m in enumerate(found)]


def _after_previous(mention: DateMention, before: list[DateMention]) -> DateMention:
    """ "One year later", "the following year": counted from the year the text named
    last ("in 1984 … One year later" -> 1985); None without one."""
    later = _LATER.match(mention.text)
    if later is None:
        return mention
    years = [m.iso[:4] for m in before if m.iso and not _LATER.match(m.text)]
    if not years:
        return mention
    count = later.group("count").lower()
    step = 1 if count.startswith("the") else _NUMBERS.get(count) or int(count)
    return DateMention(mention.start, mention.end, mention.text, f"{int(years[-1]) + step:04d}")


def _resolve(kind: str, match: re.Match[str], text: str, published: date | None) -> str | bool:
    """The ISO string; "" when it needs a publication date we lack; False if invalid."""
    groups = match.groupdict()
    if kind in ("iso", "mdy", "dmy", "md", "dm"):
        month = int(groups["m"]) if kind == "iso" else MONTHS[groups["month"][:3].lower()]
        day = int(groups["day"])
        if groups.get("year"):
            return _valid(int(groups["year"]), month, day)
        if published is None:
            return "" if _valid(2000, month, day) else False  # 2000: a leap year
        return _valid(published.year, month, day)
    if kind == "my":
        return f"{int(groups['year']):04d}-{MONTHS[groups['month'][:3].lower()]:02d}"
    if kind == "year":
        return groups["year"]
    if kind == "later":
        return ""  # counted from the year named before (`_after_previous`)
    if published is None:
        return ""
    if kind == "month":
        month = MONTHS[groups["month"][:3].lower()]
        ahead = _FUTURE_CUES.search(text[: match.start()][-_LOOKBEHIND:])
        year = published.year + (month < published.month) if ahead else published.year
        year -= not ahead and month > published.month
        return f"{year:04d}-{month:02d}"
    if kind == "ago":
        return _ago(
            _NUMBERS.get(groups["count"].lower()) or int(groups["count"]),
            groups["unit"].lower(),
            published,
        )
    if kind == "day":
        offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[groups["relative"].lower()]
        return (published + timedelta(days=offset)).isoformat()
    if kind == "period":
        step = {"this": 0, "last": -1, "next": 1}[groups["which"].lower()]
        if groups["unit"] == "week":  # "this week": its month, as news dates it
            return f"{published.year:04d}-{published.month:02d}"
        if groups["unit"] == "year":
            return f"{published.year + step:04d}"
        months = published.year * 12 + published.month - 1 + step
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    return _weekday(groups["weekday"], groups["which"], text[: match.start()], published)


def _weekday(name: str, which: str | None, before: str, published: date) -> str:
    target = WEEKDAYS.index(name)
    back = (published.weekday() - target) % 7
    ahead = (target - published.weekday()) % 7
    looks_ahead = which != "last" and _FUTURE_CUES.search(before[-_LOOKBEHIND:])
    if which in ("next", "until", "by") or looks_ahead:
        return (published + timedelta(days=ahead or 7)).isoformat()
    if which == "last":
        return (published - timedelta(days=back or 7)).isoformat()
    return (published - timedelta(days=back)).isoformat()


def _ago(count: int, unit: str, published: date) -> str:
    """ "two weeks ago" -> that day; "three months ago" -> that month; "20 years ago" ->
    that year."""
    if unit in ("day", "week"):
        return (published - timedelta(days=count * (7 if unit == "week" else 1))).isoformat()
    if unit == "month":
        months = published.year * 12 + published.month - 1 - count
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    return f"{published.year - count:04d}"


def _valid(year: int, month: int, day: int) -> str | bool:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return False
