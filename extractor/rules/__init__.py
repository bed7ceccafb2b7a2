"""The deterministic rules: quotes, claims and events found by patterns, no model."""

from extractor.rules.engine import find_items

__all__ = ["find_items"]
