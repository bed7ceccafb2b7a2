"""The HTTP service: `create_app(engine, store, service)` (one settings object per concern)
builds the FastAPI app `extractor serve` runs."""

from extractor.service.app import create_app

__all__ = ["create_app"]
