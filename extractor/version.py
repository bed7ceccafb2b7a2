"""The package version (one place; the package root and every record of a run read it)."""

__version__ = "0.1.0"
