"""Where each character of a folded text comes from (`extractor.align` folds texts to
match them, and maps what it finds back to the original's offsets)."""

from __future__ import annotations

from array import array
from bisect import bisect_right


class Offsets:
    """Where each character of a folded text comes from: `start(i)` and `end(i)`, the
    original [start, end) of folded character `i`. Kept as runs, not per character: a
    plain run maps one to one (folded `f + k` is original `o + k`), a single folded
    character may stand for several (a whitespace run, a letter and its marks); so the
    memory is a few integers per run, not two per character of the document."""

    def __init__(self) -> None:
        self._folded: array[int] = array("q")  # where each run starts in the folded text
        self._original: array[int] = array("q")  # ... and in the original text
        self._single: array[int] = array("q")  # a single character's original end; -1: plain
        self._length = 0
        self._base = 0  # folded characters dropped at the front

    def __len__(self) -> int:
        return self._length - self._base

    def plain(self, a: int, b: int) -> None:
        """Original [a, b) folds one to one."""
        if b <= a:
            return
        runs = len(self._folded)
        if runs and self._single[-1] == -1:
            last_end = self._original[-1] + self._length - self._folded[-1]
            if last_end == a:  # continues the last plain run
                self._length += b - a
                return
        self._add(a, -1)
        self._length += b - a

    def single(self, a: int, b: int) -> None:
        """Original [a, b) folds to one character."""
        if b == a + 1:
            self.plain(a, b)
            return
        self._add(a, b)
        self._length += 1

    def drop_first(self) -> None:
        self._base += 1

    def drop_last(self) -> None:
        self._length -= 1

    def _add(self, original: int, single: int) -> None:
        self._folded.append(self._length)
        self._original.append(original)
        self._single.append(single)

    def _run(self, i: int) -> int:
        return bisect_right(self._folded, i + self._base) - 1

    def start(self, i: int) -> int:
        """The original start of folded character `i` (0 <= i < len)."""
        r = self._run(i)
        return self._original[r] + i + self._base - self._folded[r]

    def end(self, i: int) -> int:
        """The original end of folded character `i` (0 <= i < len)."""
        r = self._run(i)
        if self._single[r] != -1:
            return self._single[r]
        return self._original[r] + i + self._base - self._folded[r] + 1

    def first_from(self, position: int) -> int:
        """The first folded character whose original start is at or after `position`
        (`len` when none is): `bisect_left` over the starts, which increase."""
        r = bisect_right(self._original, position) - 1
        if r < 0:
            return 0
        first = self._folded[r]
        run_end = self._folded[r + 1] if r + 1 < len(self._folded) else self._length
        if self._single[r] == -1:
            at = first + position - self._original[r]
        else:
            at = first if self._original[r] == position else first + 1
        return max(0, min(at, run_end) - self._base)
