"""The one grounding stage: every item from any source is located in its document or
rejected with a reason; the same reasons are stored and fed back to the model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from extractor.engines.llm import LLMEngine
from extractor.engines.rules import RulesEngine
from extractor.grounding import Placed, RawClaim, RawEvent, RawQuote, ground_all, merge
from extractor.pipeline import Source, extract_article, run_batch
from extractor.records import Reason
from extractor.schemas import AUTHOR
from extractor.settings import EngineSettings
from extractor.store import Store
from extractor.text.articles import Article
from tests.fake_llm import FakeServer, completion

GERMAN = "Der Minister sagte am Montag in Berlin: «Wir werden nicht nachgeben.»"
TEXT = (
    "“We will not stop,” said Maria Silva, the union leader.\n"
    "Police said the march would likely end peacefully in Lisbon.\n"
    "Workers met managers in Lisbon on Monday to discuss pay."
)


def _model(item: RawQuote | RawClaim | RawEvent) -> Placed:
    return Placed(item, "model", where="x[0]")


def _reasons(items: list[Placed], text: str = TEXT) -> list[tuple[str, str | None]]:
    return [(r.reason.value, r.field) for r in ground_all(items, text).rejections]


def _engine(tmp_path: Path, server: FakeServer, **changes: object) -> LLMEngine:
    settings = EngineSettings(
        engine="llm", base_url="http://fake.test/v1", model="fake-model", use_candidates=False,
        cache_dir=tmp_path / "cache", max_reasks=0,
    )  # fmt: skip
    return LLMEngine(replace(settings, **changes), transport=server)


def test_guillemets_give_one_grounded_quote_through_rules_and_the_model() -> None:
    (rules_quote,) = extract_article(RulesEngine(), Article(text=GERMAN)).extraction.quotes
    assert rules_quote.text == "Wir werden nicht nachgeben."
    server = FakeServer(completion({"quotes": [{"text": "«Wir werden nicht nachgeben.»"}]}))
    engine = LLMEngine(
        EngineSettings(
            engine="llm", base_url="http://fake.test/v1", model="m", use_candidates=False,
            use_cache=False,
        ),
        transport=server,
    )  # fmt: skip
    result = extract_article(engine, Article(text=GERMAN))
    (model_quote,) = result.extraction.quotes
    assert (model_quote.char_start, model_quote.char_end) == (
        rules_quote.char_start,
        rules_quote.char_end,
    )
    assert result.rejections == []


@pytest.mark.parametrize(
    "text",
    [
        "He said «Wir kommen wieder» und ging.",
        "Sie sagte: „Wir kommen wieder“ und ging.",
        "She said ‘we will be back’ and left.",
        "他说「我们会回来」然后走了。",
        "Il a dit ‹ nous reviendrons › puis il est parti.",
    ],
)
def test_every_kind_of_quotation_mark_makes_a_quote(text: str) -> None:
    inner = text[text.index(next(c for c in text if c in "«„‘「‹")) + 1 :]
    inner = inner[: next(i for i, c in enumerate(inner) if c in "»“’」›")].strip()
    grounded = ground_all([_model(RawQuote(inner))], text)
    assert [q.text for q in grounded.extraction.quotes] == [inner]


def test_words_outside_quotation_marks_are_not_a_quote() -> None:
    placed = _model(RawQuote("Workers met managers in Lisbon"))
    assert _reasons([placed]) == [("not_quoted", None)]


def test_an_invented_quote_is_not_in_the_text() -> None:
    assert _reasons([_model(RawQuote("We will never give up"))]) == [("not_in_text", None)]


def test_a_speaker_named_nowhere_is_cleared_and_the_quote_kept() -> None:
    grounded = ground_all([_model(RawQuote("We will not stop", "John Doe"))], TEXT)
    (quote,) = grounded.extraction.quotes
    assert quote.speaker is None
    assert [(r.reason, r.drops_item) for r in grounded.rejections] == [
        (Reason.speaker_not_named, False)
    ]


@pytest.mark.parametrize(
    ("claim", "reason"),
    [
        (RawClaim("the march would likely end", "John Doe"), "claimant_not_named"),
        (RawClaim("the march would likely end peacefully"), "no_claimant"),
        (RawClaim("in Lisbon", "Police"), "too_short"),
        (RawClaim("Workers met managers in Lisbon on Monday", AUTHOR), "author_not_hedged"),
    ],
)
def test_claim_rules_apply_to_every_source(claim: RawClaim, reason: str) -> None:
    for source in ("model", "rules"):
        placed = Placed(claim, source)
        grounded = ground_all([placed], TEXT)
        assert grounded.extraction.claims == []
        assert reason in [r.reason.value for r in grounded.rejections]


def test_a_hedged_author_claim_and_a_named_claimant_are_kept() -> None:
    items = [
        _model(RawClaim("the march would likely end peacefully in Lisbon", "Police")),
        _model(RawClaim("Police said the march would likely end peacefully", AUTHOR)),
    ]
    grounded = ground_all(items, TEXT)
    assert [(c.claimant, c.hedged) for c in grounded.extraction.claims] == [
        ("Police", True),
        (AUTHOR, True),
    ]


def test_an_event_is_its_whole_sentence_and_unnamed_arguments_are_cleared() -> None:
    event = RawEvent(
        "Workers met managers in Lisbon", "meeting", actors=("Workers", "Elon Musk"),
        location="Madrid", time_text="Monday", time="Monday",
    )  # fmt: skip
    grounded = ground_all([_model(event)], TEXT)
    (found,) = grounded.extraction.events
    assert found.text == "Workers met managers in Lisbon on Monday to discuss pay."
    assert (found.actors, found.location, found.time_text, found.time) == (
        ["Workers"], None, "Monday", None,
    )  # fmt: skip
    assert [r.reason.value for r in grounded.rejections] == [
        "actor_not_named", "location_not_named", "time_not_iso",
    ]  # fmt: skip
    assert not any(r.drops_item for r in grounded.rejections)


def test_the_model_is_re_asked_with_every_rule_that_would_drop_its_item(tmp_path: Path) -> None:
    short = {"claims": [{"text": "in Lisbon", "claimant": "Police"}]}
    server = FakeServer(completion(short), completion({}))
    extract_article(_engine(tmp_path, server, max_reasks=1), Article(text=TEXT))
    reask = server.requests[1]["messages"][-1]["content"]
    assert "is not a claim: a claim is an assertion of at least 4 words" in reask


def test_an_invented_quote_is_stored_as_a_rejection_with_its_reason(tmp_path: Path) -> None:
    answer = {"quotes": [{"text": "We will never give up", "speaker": "Maria Silva"},
                         {"text": "We will not stop", "speaker": "Maria Silva"}]}  # fmt: skip
    engine = _engine(tmp_path, FakeServer(completion(answer)))
    with Store(tmp_path / "db.duckdb") as store:
        run = run_batch([Source("a.txt", lambda: Article(text=TEXT))], engine, store)
        quotes = store.query("SELECT text FROM quotes")
        rejections = store.query(
            "SELECT kind, item ->> 'text', reason, drops_item, source FROM rejections"
        )
        dropped = store.query("SELECT dropped FROM run_documents WHERE run_id = ?", [run.run_id])
    assert quotes == [("We will not stop",)]
    assert rejections == [("quote", "We will never give up", "not_in_text", True, "model")]
    assert dropped == [(1,)]


def test_a_malformed_item_is_a_rejection_too(tmp_path: Path) -> None:
    bad = {"events": [{"sentence": "Workers met managers.", "event_type": "picnic"}]}
    result = extract_article(_engine(tmp_path, FakeServer(completion(bad))), Article(text=TEXT))
    assert [(r.kind, r.reason.value) for r in result.rejections] == [("event", "malformed")]
    assert result.dropped == 1


def test_a_repeated_quote_is_placed_where_its_speaker_is_quoted() -> None:
    text = (
        "Senator Patty Murray said: “We are shocked that the Air Force chose them.”\n"
        "Representative Norm Dicks said he too was “shocked”, and left."
    )
    grounded = ground_all([_model(RawQuote("shocked", "Norm Dicks"))], text)
    (quote,) = grounded.extraction.quotes
    assert quote.char_start == text.rindex("shocked")
    # Without a speaker, a quote that fills its quotation marks beats a fragment of one.
    (quote,) = ground_all([_model(RawQuote("shocked"))], text).extraction.quotes
    assert quote.char_start == text.rindex("shocked")
    # Murray's words are hers: the first place, inside her quotation.
    (quote,) = ground_all(
        [_model(RawQuote("We are shocked", "Patty Murray"))], text
    ).extraction.quotes
    assert quote.char_start == 0 + text.index("We are shocked")


def test_an_author_claim_is_a_prediction_an_estimate_or_an_assessment() -> None:
    text = (
        "About half of those cuts will be made among subcontractors. "
        "The original MacBook Air did not fare so well. "
        "The plant closed on Monday after a long strike. "
        "This is thought likely to create 1,500 jobs. "
        "While no one is predicting failures, it is feared that their profits could be hurt."
    )
    items = [
        _model(RawClaim("About half of those cuts will be made among subcontractors", AUTHOR)),
        _model(RawClaim("The original MacBook Air did not fare so well", AUTHOR)),
        _model(RawClaim("The plant closed on Monday after a long strike", AUTHOR)),
        _model(RawClaim("This is thought likely to create 1,500 jobs")),
        _model(RawClaim("their profits could be hurt")),
        _model(RawClaim("The plant closed on Monday after a long strike")),
    ]
    grounded = ground_all(items, text)
    assert [(c.text[:20], c.claimant) for c in grounded.extraction.claims] == [
        ("About half of those ", AUTHOR),
        ("The original MacBook", AUTHOR),
        ("This is thought like", None),
        ("their profits could ", None),
    ]
    assert [r.reason for r in grounded.rejections] == [
        Reason.author_not_hedged,
        Reason.no_claimant,
    ]


def test_two_events_of_one_type_in_one_sentence_stay_two_and_a_repeat_is_one() -> None:
    text = "The Nasdaq fell 3% on Monday, and the S&P 500 index dropped 2%."
    items = [
        _model(RawEvent(text, "economic", trigger="fell", actors=("Nasdaq",))),
        _model(RawEvent(text, "economic", trigger="dropped", actors=("S&P 500",))),
        _model(RawEvent(text, "economic", trigger="fell", actors=("Nasdaq",))),  # chunk 2
        _model(RawEvent(text, "economic")),  # no trigger: one of the two
    ]
    grounded = ground_all(items, text)
    merged = merge(None, [grounded.extraction])
    assert [e.trigger for e in merged.events] == ["fell", "dropped"]
    rules = ground_all([_model(RawEvent(text, "economic", trigger="Nasdaq fell"))], text)
    assert [e.trigger for e in merge(rules.extraction, [grounded.extraction]).events] == [
        "Nasdaq fell",
        "dropped",
    ]


def test_an_item_cut_by_a_chunks_edge_gives_way_to_the_whole_one() -> None:
    text = (
        "The union leader said “There is a lot of anger here today.\n"
        "Any time a plant closes, workers and families suffer for years.” Then he left.\n"
        "The company said the plant would close, including its claim that it would "
        "keep the research centre open."
    )
    part = "There is a lot of anger here today."
    whole = part + "\nAny time a plant closes, workers and families suffer for years."
    outer = "the plant would close, including its claim that it would keep the research centre open"
    inner = "it would keep the research centre open"
    chunk_1 = Placed(RawQuote(part, "union leader"), "model", (0, text.index("\nAny")))
    chunk_2 = Placed(RawQuote(whole, "union leader"), "model", (0, len(text)))
    claims = [
        _model(RawClaim(outer, "The company")),
        _model(RawClaim(inner, "union leader")),  # inside, by someone else: its own claim
    ]
    grounded = ground_all([chunk_1, chunk_2, *claims], text)
    merged = merge(None, [grounded.extraction])
    assert [q.text for q in merged.quotes] == [whole]
    assert [c.text for c in merged.claims] == [outer, inner]
    # The rules' items are kept whole: a longer model item does not replace one.
    rules = ground_all([Placed(RawQuote(part, "union leader"), "rules")], text).extraction
    assert [q.text for q in merge(rules, [grounded.extraction]).quotes] == [part, whole]
