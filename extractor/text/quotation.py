"""Quotation marks: the one definition every stage uses, and the one scanner.

The pairs: straight and curly double (`"…"`, `“…”`), straight and curly single (`'…'`,
`‘…’`), guillemets (`«…»`, `‹…›`), low-9 (`„…“`, `„…”`, `‚…‘`, `‚…’`) and CJK corner
brackets (`「…」`, `『…』`). `quotations` finds them in one linear pass:

- a straight double mark opens after whitespace, an opening bracket or a dash, and closes
  before whitespace or punctuation; otherwise it toggles;
- a single mark (`'`, `’`, `‘`, `‚`, `‹`, `›`) between two letters or digits is an
  apostrophe ("don't", "’90s" after a space is an opener only when a closer follows on
  the line), and single marks are not looked at inside an open double quotation (they
  are quotes within the quote);
- « 「 『 ‹ inside a quotation they opened nest (« … « réelle » fraude … » is one
  quotation), and other double marks inside them are quotes within the quote (« … dans
  “sa vie au travail” » is one quotation);
- a quotation left open when the next opening mark or the end of the text comes is
  reported with `close=None` (a multi-paragraph quotation leaves its paragraphs open).

Everything here is about marks; what counts as a quote (length, attribution) is the
business of the engines and of the grounding stage.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

#: Each opening mark and the marks that close it.
PAIRS: dict[str, str] = {
    '"': '"”',
    "“": '”"',
    "„": "“”",
    "«": "»",
    "「": "」",
    "『": "』",
    "'": "'’",
    "‘": "’'",
    "‚": "‘’",
    "‹": "›",
}
#: Marks of the double family (a quotation proper) and of the single family (also
#: apostrophes, and quotes within quotes).
DOUBLE = '"“”„‟«»「」『』'
SINGLE = "'‘’‚‛‹›"
MARKS = DOUBLE + SINGLE
OPENERS = "“„«「『‘‚‹"
CLOSERS = "”»」』’›"
#: Double-family marks that only ever open or only ever close, for a nesting count ("„"
#: is left out: its closer "“" is an opener too, so counting cannot pair them).
DOUBLE_OPENERS = "“«「『"
DOUBLE_CLOSERS = "”»」』"
#: Openers that nest inside a quotation they opened (French « … « réelle » … »): only
#: opening, with closers that only close, so a count pairs them.
NESTING = "«「『‹"
_MARK = re.compile(f"[{re.escape(MARKS)}]")
#: How far a single-family opener looks for its closing mark.
SINGLE_REACH = 3000
_OPEN_AFTER = "([{—–-/ \t"
#: Each single-family opener's closing marks, as a pattern (one search, not a loop).
_CLOSER = {mark: re.compile(f"[{re.escape(closers)}]") for mark, closers in PAIRS.items()}
_NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class Quotation:
    """An opening `mark` at `open`, closed at `close` (None: never closed before the next
    opening mark or the end of the text)."""

    open: int
    close: int | None
    mark: str

    @property
    def start(self) -> int:
        """First quoted character (just after the opening mark)."""
        return self.open + 1

    @property
    def double(self) -> bool:
        return self.mark in DOUBLE


def quotations(text: str) -> list[Quotation]:
    """Every quotation in `text`, in order, outermost only. Linear in the text length."""
    found: list[Quotation] = []
    open_at: int | None = None
    opener = ""
    nested = 0  # the open quotation's own opener seen again inside it (« … « … » … »)
    for match in _MARK.finditer(text):
        index, mark = match.start(), match.group()
        inside = open_at is not None
        if inside and mark == opener and mark in NESTING:
            nested += 1
            continue
        if open_at is not None and mark in PAIRS[opener] and _closes(text, index, mark):
            if nested:
                nested -= 1
                continue
            found.append(Quotation(open_at, index, opener))
            open_at = None
            continue
        if mark in SINGLE and (_apostrophe(text, index) or (inside and opener in DOUBLE)):
            continue
        if inside and opener in NESTING and mark in DOUBLE:
            continue  # « … “sa vie au travail” … »: other marks are quotes within the quote
        if mark in PAIRS and _opens(text, index, mark, inside):
            if open_at is not None:  # a new quotation starts: the open one never closed
                found.append(Quotation(open_at, None, opener))
            open_at, opener, nested = index, mark, 0
    if open_at is not None:
        found.append(Quotation(open_at, None, opener))
    return found


def is_quotation_mark(char: str) -> bool:
    return len(char) == 1 and char in MARKS


def strip_enclosing(text: str) -> str:
    """`text` without quotation marks that enclose all of it (models often add them): a
    pair of one family with none of that family inside (apostrophes within words aside);
    then a lone double mark at either end, the only one in `text` (the article's opening
    or closing mark copied with the words), with the comma before a closing one."""
    while len(text) >= 2:
        family = DOUBLE if text[0] in DOUBLE else SINGLE if text[0] in SINGLE else ""
        if not family or text[-1] not in family:
            break
        inner = text[1:-1]
        if any(c in family and not _apostrophe(inner, i) for i, c in enumerate(inner)):
            break
        text = inner.strip()
    if sum(c in DOUBLE for c in text) == 1:
        if text[0] in DOUBLE:
            text = text[1:].lstrip()
        elif text[-1] in DOUBLE:
            text = text[:-1].rstrip().removesuffix(",").rstrip()
    return "" if all(c in MARKS for c in text) else text


class QuotedRegions:
    """Answers "is [start, end) inside a quotation?" for one document, in O(log n)."""

    def __init__(self, text: str) -> None:
        newlines = [m.start() for m in _NEWLINE.finditer(text)]
        self._starts: list[int] = []
        self._ends: list[int] = []
        for q in quotations(text):
            self._starts.append(q.open)
            if q.close is not None:
                self._ends.append(q.close)
            else:  # the end of its line, looked up (a search would be quadratic)
                after = bisect_right(newlines, q.open)
                self._ends.append(newlines[after] if after < len(newlines) else len(text))

    def contains(self, start: int, end: int) -> bool:
        """Whether `[start, end)` lies between an opening mark and its close (or the end
        of the line, for a quotation never closed)."""
        index = bisect_right(self._starts, start - 1) - 1
        return index >= 0 and self._starts[index] < start and end <= self._ends[index]


def _opens(text: str, index: int, mark: str, inside: bool) -> bool:
    after = text[index + 1] if index + 1 < len(text) else " "
    if mark in ('"', "'"):
        if _opens_after_space(text, index):
            return mark == '"' or _closer_on_line(text, index, mark)
        if after.isspace() or after in ".,;:!?)]}—–-":
            return False
        return mark == '"' and not inside
    if mark in "‘‚":  # also apostrophes (‘90s) and commas' look-alikes: need a closer
        return not after.isspace() and _closer_on_line(text, index, mark)
    return True  # « „ “ 「 『 ‹ open, whatever spacing the language uses inside


def _closes(text: str, index: int, mark: str) -> bool:
    """A closing mark of the open quotation ends it, unless it is an apostrophe or a
    straight double mark placed as an opener (after whitespace, before a word: a new
    quotation starts and the open one never closed)."""
    if mark == '"':
        return not _opens_after_space(text, index)
    return mark in DOUBLE or not _apostrophe(text, index)


def _opens_after_space(text: str, index: int) -> bool:
    """A straight mark after whitespace, an opening bracket or a dash, before a non-space."""
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in _OPEN_AFTER) and not after.isspace()


def _apostrophe(text: str, index: int) -> bool:
    """A single mark between two letters or digits ("don't", "rock’n’roll")."""
    return 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()


def _closer_on_line(text: str, index: int, mark: str) -> bool:
    """Whether a single-family opener has a closing mark later on its line (at most
    `SINGLE_REACH` away) that is not an apostrophe (so "’90s" and "'Tis" open nothing)."""
    end = text.find("\n", index, index + SINGLE_REACH)
    end = min(len(text), index + SINGLE_REACH) if end == -1 else end
    closer = _CLOSER[mark]
    found = closer.search(text, index + 1, end)
    while found is not None:
        if not _apostrophe(text, found.start()):
            return True
        found = closer.search(text, found.start() + 1, end)
    return False
