"""Parses asked for at once by many threads are batched (one `nlp.pipe` call) and each
thread gets the `Doc` of its own text, the same as a parse of it alone."""

from __future__ import annotations

import threading

from extractor import nlp


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
