"""Which kinds the rules can find in which language, and what a document skips.

English has every rule; French has quotes (`extractor.rules.french`); any other detected
language has none, and says so: a document is never a silent 0. A document whose
language is not known (too short to tell) gets the English rules, as before detection.
"""

from __future__ import annotations

from extractor.records import Skipped
from extractor.schemas import KINDS

RULE_KINDS: dict[str, tuple[str, ...]] = {"en": KINDS, "fr": ("quotes",)}


def rule_kinds(language: str | None) -> tuple[str, ...]:
    return KINDS if language is None else RULE_KINDS.get(language, ())


def skipped_kinds(language: str | None) -> Skipped | None:
    """What the rules skip for `language`, or None when they look for every kind."""
    supported = rule_kinds(language)
    kinds = tuple(kind for kind in KINDS if kind not in supported)
    if not kinds:
        return None
    return Skipped(kinds, f"{'/'.join(kinds)} not supported by the rules for {language}")
