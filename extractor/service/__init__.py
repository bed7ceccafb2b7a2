"""The HTTP service: `create_app(settings)` builds the FastAPI app `extractor serve` runs."""

from extractor.service.app import create_app

__all__ = ["create_app"]
