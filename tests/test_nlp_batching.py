"""Parses asked for at once by many threads are batched (one `nlp.pipe` call) and each
thread gets the `Doc` of its own text, the same as a parse of it alone."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest

from extractor import nlp
from extractor.engines.base import Proposal
from extractor.pipeline import extract_article
from extractor.rules import Analysis, analyse, analyse_later
from extractor.text.articles import Article, read_article
from extractor.text.segment import blocks

ROOT = Path(__file__).resolve().parents[1]


def _key(doc: object) -> list[tuple[int, str, str, str, int]]:
    return [(t.idx, t.text, t.dep_, t.ent_type_, t.head.i) for t in doc]  # type: ignore[attr-defined]


def test_concurrent_parses_each_get_their_own_doc() -> None:
    texts = [f"Article {n}. “Prices rise {n} %,” said Ana Lima in Lisbon." for n in range(24)]
    texts += ["", "Minister Park Yoon-joo met the unions on Monday."]
    alone = [_key(nlp.parse(text)) for text in texts]
    results: dict[int, list[tuple[int, str, str, str, int]]] = {}
    start = threading.Barrier(len(texts))

    def work(n: int) -> None:
        start.wait()
        doc = nlp.parse(texts[n])
        assert doc.text == texts[n]
        results[n] = _key(doc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[n] for n in range(len(texts))] == alone
    assert not nlp._waiting.get(nlp._configured)  # nothing left queued


def test_texts_queued_for_the_background_are_parsed_together_meanwhile() -> None:
    texts = [f"Article {n}. Ana Lima met Orvik Steel in Lisbon on day {n}." for n in range(12)]
    alone = [_key(nlp.parse(text)) for text in texts]
    pending = [nlp.submit(text) for text in texts]  # as threads do before asking a model
    deadline = time.monotonic() + 10
    while any(p._doc is None for p in pending) and time.monotonic() < deadline:
        time.sleep(0.01)  # the background parser's batch, while this thread "waits"
    assert all(p._doc is not None for p in pending)
    assert [_key(p.doc()) for p in pending] == alone
    assert not nlp._waiting.get(nlp._configured)


def test_a_cancelled_text_leaves_the_queue() -> None:
    job = nlp.submit("Nobody will read this.", background=False)
    assert job in nlp._waiting[nlp._configured]
    job.cancel()
    assert job not in nlp._waiting.get(nlp._configured, [])


def test_the_model_path_finds_the_entities_analyse_finds() -> None:
    """With no rule candidates the parse is queued while the model is asked and finished
    after: the document's entities are those of `analyse`."""
    text = (
        "Orvik Steel, founded in 1921, cut 300 jobs, said Maria Silva, its chief executive.\n"
        "“We had no choice,” Silva said. Apple unveiled the iPad in Cupertino."
    )
    engine = _EmptyModel()
    result = extract_article(engine, Article(text=text))
    expected = analyse(text).entities.entities
    assert [(e.name, e.type, e.mentions) for e in result.entities] == [
        (e.name, e.type, e.mentions) for e in expected
    ]
    assert expected  # the text names someone
    assert not nlp._waiting.get(nlp._configured)


class _EmptyModel:
    """An engine with no candidates whose model finds nothing."""

    name = "empty"
    model = "empty"
    uses_candidates = False
    prompt_version = prompt_hash = None
    parameters: ClassVar[dict[str, object]] = {}

    def propose(self, article: Article, hints: object, recorder: object) -> Proposal:
        return Proposal()


def test_the_background_parser_takes_at_most_max_batch_texts_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sizes: list[int] = []
    parse_batch = nlp._parse_batch

    def counted(pipeline: object, batch: list[nlp.Pending]) -> None:
        sizes.append(len(batch))
        parse_batch(pipeline, batch)  # type: ignore[arg-type]

    monkeypatch.setattr(nlp, "_parse_batch", counted)
    monkeypatch.setattr(nlp, "MAX_BATCH", 4)
    pending = [nlp.submit(f"Text {n} about Ana Lima.") for n in range(10)]
    deadline = time.monotonic() + 10
    while any(p._doc is None for p in pending) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [p.doc().text for p in pending] == [f"Text {n} about Ana Lima." for n in range(10)]
    assert sum(sizes) == 10 and max(sizes) <= 4


PRODUCT_NEWS = (
    "Apple unveiled the iPad in San Francisco. It released a new lineup of MacBook Air "
    "laptops, said Tim Cook. “Sales of the Macintosh rose,” he said."
)


def _entities(analysis: Analysis) -> list[tuple[str, str, list[tuple[int, int]]]]:
    return [
        (e.name, e.type, [(m.start, m.end) for m in e.mentions]) for e in analysis.entities.entities
    ]


def test_a_batch_is_parsed_as_each_text_alone() -> None:
    """Queued texts parsed in one batch get the Doc a parse of each alone gives (tags,
    dependencies, sentences and entities): over the fixture articles of one block, and
    a text naming no organisation beside them."""
    paths = sorted((ROOT / "fixtures" / "articles").rglob("*.txt"))
    texts = [t for t in (read_article(p).text for p in paths) if len(blocks(t)) == 1]
    texts += [PRODUCT_NEWS, "Ana Lima spoke."]
    queued = [analyse_later(text) for text in texts]
    for text, pending in zip(texts, queued, strict=True):
        assert _entities(pending.result()) == _entities(analyse(text)), text[:60]
        assert _parse(pending.result().doc) == _parse(analyse(text).doc), text[:60]


def _parse(doc: object) -> list[tuple[str, str, str, int, str, bool]]:
    return [
        (t.tag_, t.pos_, t.dep_, t.head.i, t.ent_type_, bool(t.is_sent_start))
        for t in doc  # type: ignore[attr-defined]
    ]
