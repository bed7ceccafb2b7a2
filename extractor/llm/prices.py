"""Cost of model calls from a price table (USD per million input and output tokens)."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from extractor.errors import ConfigError

# Package data, found the way an installed wheel finds it (a real directory on disk).
DEFAULT_PRICES = Path(str(files("extractor.llm") / "prices.json"))
LOCAL_PREFIX = "local:"  # models served by the embedded engine are named local:FILE


def load_prices(path: Path | None = None) -> dict[str, tuple[float, float]]:
    path = path or DEFAULT_PRICES
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the price table ({exc})") from exc
    return {
        model: (float(p[0]), float(p[1])) for model, p in raw.items() if not model.startswith("_")
    }


def cost(
    model: str, prompt_tokens: int, completion_tokens: int, table: dict[str, tuple[float, float]]
) -> float | None:
    """USD for these tokens, or None when the model's price is unknown."""
    if model.startswith(LOCAL_PREFIX):
        return 0.0
    price = table.get(model)
    if price is None:
        return None
    return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000
