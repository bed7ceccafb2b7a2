"""Response cache: a folder of JSON files keyed by everything that decides the answer.

Key = sha256 of (model, prompt hash, schema hash, text hash, parameters). Writes are atomic
(temporary file, then rename), so concurrent threads and a crash never leave a torn entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_key(
    model: str, prompt_hash: str, schema_hash: str, text: str, parameters: dict[str, Any]
) -> str:
    text_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    canonical = json.dumps(
        [model, prompt_hash, schema_hash, text_hash, parameters], sort_keys=True, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class ResponseCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data

    def put(self, key: str, value: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"
