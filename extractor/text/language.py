"""A document's language, detected offline by `py3langid` (its model ships in the wheel).

`detect_language` gives an ISO 639-1 code ("en", "fr", "de", ...) or None when the text is
too short to tell or the detector is not confident: callers treat None as "not known" and
keep their default behaviour. The identifier is loaded once per process, on first use
(a few seconds), and only for texts long enough to be judged.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Protocol

#: Fewer letters than this and the guess is noise ("ok" reads as Serbian).
MIN_LETTERS = 60
#: The detector's normalised probability below which the language is not known.
MIN_CONFIDENCE = 0.5
#: Enough text to tell the language; longer documents are judged on their start.
SAMPLE_CHARS = 4000

_lock = threading.Lock()


class _Identifier(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...


def detect_language(text: str) -> str | None:
    """The language of `text` as an ISO 639-1 code, or None when it cannot be told."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    with _lock:  # the identifier is not documented as thread-safe
        language, confidence = _identifier().classify(sample)
    return language if confidence >= MIN_CONFIDENCE else None


@cache
def _identifier() -> _Identifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier: _Identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return identifier
