"""extractor: grounded quotes, claims and events from news articles."""

__version__ = "0.1.0"
