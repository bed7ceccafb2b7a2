"""A strong model's answers (tests.oracle_model, over real HTTP): the grounding stage keeps
surface variants of the article's words at their span, and rejects reworded, invented and
misattributed items with their reasons; the compact prompt stays compact. The aims of
bench/bench_strong_model.py, on part of the gold set: what the pipeline stores scores at
least 0.99 of the answers (faults none and surface), and long articles in overlapping
chunks lose nothing and store nothing twice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bench.bench_strong_model import run_fault
from extractor.align import locate, same_words
from extractor.engines.llm import LLMEngine
from extractor.eval.gold import GoldDocument, load_gold
from extractor.grounding import Placed, RawClaim, RawQuote, ground_all
from extractor.llm.prompt import load_prompt
from extractor.pipeline import extract_article
from extractor.records import Reason
from extractor.settings import EngineSettings
from extractor.text.articles import Article
from tests.fake_openai_http import FakeOpenAIServer
from tests.oracle_model import Oracle, count_tokens, prompt_tokens

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold"
TEXT = (
    "The talks ended late. “We’re charting a shared path forward, and we will not stop "
    "until the work is done,” said Dan Caine. Officials said the drill would resume "
    "next week after the storm."
)
QUOTE = "We’re charting a shared path forward, and we will not stop until the work is done"


def _model(item: RawQuote | RawClaim) -> Placed:
    return Placed(item, "model", (0, len(TEXT)), None, "quotes[0]")


@pytest.mark.parametrize(
    "variant",
    [
        QUOTE.replace("’", "'"),  # straight for curly
        QUOTE.replace("path forward", "path\n forward"),  # whitespace
        "we’re charting" + QUOTE[len("We’re charting") :],  # the first letter's case
        "We’re charting a shared path … until the work is done",  # an elided passage
        "“" + QUOTE,  # the opening mark copied
        QUOTE + ",”",  # the closing mark (and comma) copied
    ],
    ids=["quotes", "whitespace", "case", "elision", "opening-mark", "closing-mark"],
)
def test_a_surface_variant_of_a_quote_is_stored_at_the_quotes_span(variant: str) -> None:
    grounded = ground_all([_model(RawQuote(variant, "Dan Caine"))], TEXT)
    (quote,) = grounded.extraction.quotes
    assert quote.text == QUOTE == TEXT[quote.char_start : quote.char_end]
    assert grounded.rejections == []


def test_a_reworded_item_is_rejected_and_told_the_articles_words() -> None:
    reworded = "Officials stated the drill could resume next week after the storm"
    grounded = ground_all([_model(RawClaim(reworded, "Officials"))], TEXT)
    assert grounded.extraction.claims == []
    (rejection,) = grounded.rejections
    assert rejection.reason is Reason.not_in_text
    assert "the drill would resume next week after the storm" in rejection.message
    # The same words with a typo are the article's words.
    typo = "Officials said the dril would resume next week after the storm"
    (claim,) = ground_all([_model(RawClaim(typo, "Officials"))], TEXT).extraction.claims
    assert claim.text == "Officials said the drill would resume next week after the storm"


def test_same_words_lets_an_ellipsis_stand_for_words_and_nothing_else() -> None:
    assert same_words("we will … be done", "We will, in the end, be done.")
    assert not same_words("we will … be done", "We will, in the end, be finished.")
    assert not same_words("we will be done", "We will, in the end, be done.")
    assert locate("charting … forward … stop", TEXT) is not None
    assert locate("charting … stop … forward", TEXT) is None  # parts out of order


def _documents(ids: int = 3) -> list[GoldDocument]:
    short = [d for d in load_gold(GOLD) if len(d.text) < 2500]
    return sorted(short, key=lambda d: d.id)[:ids]


def _run(oracle: Oracle, documents: list[GoldDocument], **changes: object) -> dict[str, object]:
    settings = EngineSettings(
        engine="llm", model="oracle", prompt="extract/v2", use_candidates=False,
        use_cache=False, max_tokens=4000,
    )  # fmt: skip
    with FakeOpenAIServer(oracle, models=("oracle",)) as server:
        engine = LLMEngine(replace(settings, base_url=server.base_url, **changes))
        try:
            return {d.id: extract_article(engine, Article(text=d.text, published=d.published))
                    for d in documents}  # fmt: skip
        finally:
            engine.close()


@pytest.mark.parametrize("fault", ["paraphrase", "invented", "misattributed"])
def test_faulty_answers_are_never_stored_and_each_is_rejected(fault: str) -> None:
    documents = _documents()
    oracle = Oracle(documents, fault, seed=3)
    results = _run(oracle, documents, max_reasks=0)
    bad = [a for a in oracle.ledger if a.status in ("paraphrased", "invented", "misattributed")]
    assert bad, "the oracle put no faulty item in its answers"
    for a in bad:
        result = results[a.document]
        item = a.item or {}
        text = item.get("text") or item.get("sentence")
        stored = getattr(result.extraction, a.kind)  # type: ignore[attr-defined]
        if a.status == "misattributed":
            assert all(a.name not in (getattr(s, "speaker", None), getattr(s, "claimant", None))
                       for s in stored)  # fmt: skip
            reasons = {Reason.speaker_not_named, Reason.claimant_not_named}
        else:
            assert all(s.text != text for s in stored)
            reasons = {Reason.not_in_text}
        assert any(r.reason in reasons and r.item.get("text") == text
                   for r in result.rejections)  # type: ignore[attr-defined]  # fmt: skip


def test_the_same_item_from_two_overlapping_chunks_is_stored_once() -> None:
    (doc,) = _documents(1)
    oracle = Oracle([doc], "overlap")
    result = _run(oracle, [doc], chunk_chars=600, chunk_overlap=300)[doc.id]
    assert len({a.chunk for a in oracle.ledger}) > 1
    for kind in ("quotes", "claims", "events"):
        spans = [(s.char_start, s.char_end) for s in getattr(result.extraction, kind)]  # type: ignore[attr-defined]
        assert len(spans) == len(set(spans))
        assert all(doc.text[a:b] for a, b in spans)


def test_the_compact_prompt_spends_at_most_250_tokens_beyond_the_chunk() -> None:
    chunk = load_gold(GOLD / "seed.jsonl")[0].text
    v2 = load_prompt("extract/v2").messages(chunk, "2025-07-11", None)
    assert prompt_tokens(v2) - count_tokens(chunk) <= 250
    assert chunk in v2[1]["content"]  # the chunk as it is: no sentence numbers
    v1 = load_prompt("extract/v1").messages(chunk, "2025-07-11", None)
    assert prompt_tokens(v1) - count_tokens(chunk) > 250


def test_an_elided_passage_is_the_shortest_one_its_parts_frame() -> None:
    text = "Then the bankruptcy was filed. Officials said the bankruptcy would take 60 days."
    match = locate("the bankruptcy … 60 days", text)
    assert match is not None
    assert text[match.start : match.end] == "the bankruptcy would take 60 days"


def _aim_documents(count: int = 10) -> list[GoldDocument]:
    """Gold documents with quotes, claims and events (English), the shortest first."""
    english = [d for d in load_gold(GOLD) if d.items.get("claims") is not None]
    return sorted(english, key=lambda d: (len(d.text), d.id))[:count]


@pytest.mark.parametrize("fault", ["none", "surface"])
def test_what_is_stored_scores_as_the_answers_do(fault: str) -> None:
    row = run_fault(fault, _aim_documents(), "extract/v2", None)
    assert row.answers_f1 > 0.9
    assert row.stored_f1 >= 0.99 * row.answers_f1
    assert (row.lost, row.not_gold) == (0, 0)
    assert not row.reasons, f"gold items were rejected: {row.reasons}"
    assert row.reasks == (0, 0)


@pytest.mark.parametrize("fault", ["paraphrase", "invented", "misattributed"])
def test_every_faulty_answer_is_rejected_with_a_reason_and_none_stored(fault: str) -> None:
    row = run_fault(fault, _aim_documents(), "extract/v2", None)
    answered, stored, rejected = row.bad
    assert answered > 0
    assert stored == 0
    assert rejected == answered


@pytest.mark.parametrize("fault", ["overlap", "boundary"])
def test_long_articles_lose_nothing_at_chunk_boundaries_and_store_nothing_twice(
    fault: str,
) -> None:
    documents = _aim_documents(8)
    row = run_fault(fault, documents, "extract/v2", None)
    assert (row.lost, row.not_gold) == (0, 0)
    assert row.stored_f1 >= 0.99
