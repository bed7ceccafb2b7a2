"""The deterministic `rules` engine: quotes, claims and events found by patterns."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from extractor.engines.rules import RulesEngine
from extractor.pipeline import extract_article
from extractor.rules import analyse, find_items
from extractor.rules.entities import canonicalise
from extractor.schemas import AUTHOR, DocumentExtraction, EventType, Quote
from extractor.text.articles import Article, read_article
from extractor.text.segment import BLOCK_CHARS
from tests.conftest import ARTICLES, SEED


def _extract(text: str, published: date | None = None) -> DocumentExtraction:
    return extract_article(RulesEngine(), Article(text=text, published=published)).extraction


def _quotes(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in _extract(text).quotes]


@pytest.fixture(scope="module")
def seed() -> DocumentExtraction:
    return extract_article(RulesEngine(), read_article(SEED)).extraction


def _quote(extraction: DocumentExtraction, start: str) -> Quote:
    [quote] = [q for q in extraction.quotes if q.text.startswith(start)]
    return quote


def test_seed_finds_both_caine_quotes(seed: DocumentExtraction) -> None:
    first = _quote(seed, "We’re charting")
    second = _quote(seed, "Their intentions")
    assert first.text == (
        "We’re charting a shared path forward—one built on regular engagement, shared "
        "responsibilities, and stronger partnerships"
    )
    assert second.text == "Their intentions are clear and aggressive. We must remain vigilant."
    for quote in (first, second):
        assert quote.speaker == "Dan Caine"
        assert "Chairman of the Joint Chiefs of Staff" in (quote.speaker_title or "")
        assert quote.kind == "direct"
    assert (first.cue, second.cue) == ("said", "stating")


def test_seed_finds_the_intelligence_agencies_claim(seed: DocumentExtraction) -> None:
    [claim] = [c for c in seed.claims if c.text.startswith("North Korea may be preparing")]
    assert claim.claimant == "South Korean intelligence agencies"
    assert claim.hedged
    assert claim.text.endswith("alongside Russian forces")  # no final full stop


def test_seed_drill_on_friday_resolves_to_publication_day(seed: DocumentExtraction) -> None:
    drill = seed.events[0]
    assert drill.event_type == EventType.military_exercise
    assert drill.text.startswith("South Korea, Japan, and the United States carried out")
    assert drill.text.endswith(".")
    assert (drill.time_text, drill.time) == ("on Friday", "2025-07-11")
    assert {"South Korea", "Japan", "United States"} <= set(drill.actors)


def test_seed_headings_and_quoted_speech_are_not_events(seed: DocumentExtraction) -> None:
    texts = [e.text for e in seed.events]
    assert "Diplomatic Meetings and Strategic Dialogue" not in texts
    assert not any(t.startswith("“We’re charting") for t in texts)


def test_seed_author_prediction(seed: DocumentExtraction) -> None:
    [claim] = [c for c in seed.claims if c.claimant == AUTHOR]
    assert claim.text.endswith("is expected to grow in both scope and frequency")
    assert claim.hedged


@pytest.mark.parametrize(
    ("text", "speaker", "title"),
    [
        ('"Prices will rise," said Jane Doe, chief economist at Acme.', "Jane Doe",
         "chief economist at Acme"),
        ('"Prices will rise," Jane Doe said.', "Jane Doe", None),
        ('Jane Doe said, "Prices will rise."', "Jane Doe", None),
        ('Jane Doe said: "Prices will rise."', "Jane Doe", None),
        ('Jane Doe, the mayor of Springfield, said "Prices will rise."', "Jane Doe",
         "mayor of Springfield"),
        ('Finance Minister Alexei Kudrin told reporters, "Prices will rise."', "Alexei Kudrin",
         "Finance Minister"),
        ('Analyst Bob Roe added: "Prices will rise."', "Bob Roe", "Analyst"),
        ('A top official said, "Prices will rise."', None, "top official"),
        ('Art Lee, chairman of Genentech and a member of the board, adds, "Prices will rise."',
         "Art Lee", "chairman of Genentech and a member of the board"),
        ("A contrary view comes from Charles O'Reilly, an expert at Stanford University, who "
         'stated, "Prices will rise."', "Charles O'Reilly", "expert at Stanford University"),
        ('The premier of the German state of Hesse remarked that "Prices will rise."', None,
         "The premier of the German state of Hesse"),
    ],
)  # fmt: skip
def test_attribution_patterns(text: str, speaker: str | None, title: str | None) -> None:
    [quote] = _extract(text).quotes
    assert quote.text in ("Prices will rise", "Prices will rise.")
    assert (quote.speaker, quote.speaker_title) == (speaker, title)


def test_split_quote_gives_two_items_for_one_speaker() -> None:
    text = '"We hope for the best," said Sergei Ignatiev, "but we plan for the worst."'
    assert _quotes(text) == [
        ("We hope for the best", "Sergei Ignatiev"),
        ("but we plan for the worst.", "Sergei Ignatiev"),
    ]
    assert [q.kind for q in _extract(text).quotes] == ["direct", "partial"]


def test_pronoun_and_short_name_resolve_to_the_fullest_name() -> None:
    text = (
        "General Dan Caine visited Seoul on Monday.\n"
        'He warned, "The threat is real."\n'
        '"We stay ready," Caine said.'
    )
    assert _quotes(text) == [("The threat is real.", "Dan Caine"), ("We stay ready", "Dan Caine")]


def test_honorific_names_misspellings_and_generic_organisations_resolve() -> None:
    text = (
        "Mr MacFarlane spoke in Melbourne.\n"
        '"The funding has helped Ford Australia," he said.\n'
        "Analyst Dennis DesRosier was asked.\n"
        'DesRoiser said, "The plant is old."\n'
        "Singapore Airlines bought the A380.\n"
        'In a statement on the Airbus website, the company said that "the wiring was late".\n'
        'In a statement, SIA said, "The delays are disappointing."'
    )
    assert _quotes(text) == [
        ("The funding has helped Ford Australia", "MacFarlane"),
        ("The plant is old.", "Dennis DesRosier"),
        ("the wiring was late", "Airbus"),
        ("The delays are disappointing.", "Singapore Airlines"),
    ]


def test_partial_quotes_after_according_to_or_a_belief_verb() -> None:
    text = (
        'According to Mr Howard, the money will secure the plant "for the long term".\n'
        'Analyst Dennis DesRosier believes that the factory is still "likely" to close.'
    )
    assert _quotes(text) == [("for the long term", "Howard"), ("likely", "Dennis DesRosier")]


def test_quote_across_lines_and_unattributed_follow_up() -> None:
    text = (
        'Senate leader Harry Reid spoke.\n"I dread tomorrow.\nIt will not be pretty," Reid '
        'said.\n"Millions of Americans will be affected."'
    )
    assert _quotes(text) == [
        ("I dread tomorrow.\nIt will not be pretty", "Harry Reid"),
        ("Millions of Americans will be affected.", "Harry Reid"),
    ]


def test_scare_quotes_and_names_are_not_quotes_but_cued_fragments_are() -> None:
    text = (
        'The rubber cases, or "bumpers", fix it. The "Big Three" automakers lost. '
        'Mayor Ann Lee said she was "terribly disappointed" by the vote.'
    )
    [quote] = _extract(text).quotes
    assert (quote.text, quote.speaker, quote.kind) == (
        "terribly disappointed",
        "Ann Lee",
        "partial",
    )


def test_quoted_names_and_quoted_modifiers_near_a_cue_are_not_quotes() -> None:
    text = (
        'Fritz Henderson said he described a "New GM" to reporters.\n'
        'He stated that GM would offer a "deferred termination" package to dealers.\n'
        'He stated that GM would focus on "four core brands", and grow.'
    )
    assert _quotes(text) == [("four core brands", "Fritz Henderson")]


def test_offsets_are_right_after_non_ascii_text() -> None:
    text = "Séoul 🇰🇷 会议 — Zoë Müller said: “Ça va très bien.” Then she left."
    extraction = _extract(text)
    [quote] = extraction.quotes
    assert text[quote.char_start : quote.char_end] == "Ça va très bien."
    assert quote.speaker == "Zoë Müller"


@pytest.mark.parametrize(
    ("text", "claimant", "claim", "hedged"),
    [
        ("Officials said that the bridge would reopen soon.", "Officials",
         "the bridge would reopen soon", True),
        ("Acme Corp says it will hire 500 workers this year.", "Acme",  # canonical: no legal form
         "it will hire 500 workers this year", False),
        ("Jane Doe warned that prices could rise sharply.", "Jane Doe",
         "prices could rise sharply", True),
        ("South Korean intelligence agencies have stated that the troops left the area.",
         "South Korean intelligence agencies", "the troops left the area", False),
        ("According to Reuters, the deal collapsed on Monday.", "Reuters",
         "the deal collapsed on Monday", False),
        ("The deal collapsed on Monday, according to the Reuters news agency.",
         "Reuters news agency", "The deal collapsed on Monday", False),
        ("The Kremlin has stated there are no confirmed plans.", "Kremlin",
         "there are no confirmed plans", False),
        ("Analysts expect that the merger will close in March.", "Analysts",
         "the merger will close in March", True),
        ("Union officials said nearly 14,000 employees stopped work on Wednesday.",
         "Union officials", "nearly 14,000 employees stopped work on Wednesday", False),
    ],
)  # fmt: skip
def test_claim_patterns(text: str, claimant: str, claim: str, hedged: bool) -> None:
    [found] = _extract(text).claims
    assert (found.claimant, found.text, found.hedged) == (claimant, claim, hedged)


def test_claims_continue_after_and_that_and_stop_at_a_participle() -> None:
    text = (
        "Fritz Henderson met bankers.\nHe stated that the plan had support, and that GM had "
        "received financing, stating that this shortened supply chains."
    )
    claims = [(c.text, c.claimant) for c in _extract(text).claims]
    assert claims == [
        ("the plan had support", "Fritz Henderson"),
        ("GM had received financing", "Fritz Henderson"),
        ("this shortened supply chains", "Fritz Henderson"),
    ]


def test_a_semicolon_ends_a_claim_and_it_refers_to_the_last_claimant() -> None:
    text = "Nasdaq says that all the trades are cancelled; it noted that it told the exchanges."
    claims = [(c.text, c.claimant) for c in _extract(text).claims]
    assert claims == [
        ("all the trades are cancelled", "Nasdaq"),
        ("it told the exchanges", "Nasdaq"),
    ]


def test_a_new_speaker_ends_a_claim_and_a_participle_after_a_noun_is_its_own() -> None:
    text = (
        "In response to critics saying that Apple had been too slow, Steve Jobs said that "
        'the phone was new. Jobs noted that "very few users" had antenna issues with it.'
    )
    claims = [(c.text, c.claimant) for c in _extract(text).claims]
    assert claims == [
        ("Apple had been too slow", "critics"),
        ("the phone was new", "Steve Jobs"),
        ('"very few users" had antenna issues with it', "Steve Jobs"),
    ]


def test_saying_after_a_quoted_word_has_the_sentence_subject() -> None:
    text = 'Steve Jobs dismissed an "Antennagate," saying that all phones have such problems.'
    claims = [(c.text, c.claimant) for c in _extract(text).claims]
    assert claims == [("all phones have such problems", "Steve Jobs")]


def test_a_quoted_clause_is_a_quote_not_a_claim() -> None:
    text = 'Jane Doe said that "The plan is history," and left.'
    extraction = _extract(text)
    assert [q.text for q in extraction.quotes] == ["The plan is history"]
    assert extraction.claims == []


def test_events_types_times_and_locations() -> None:
    text = (
        "Leaders met in Kuala Lumpur on Sunday.\n"
        "Ford will cut 30,000 jobs by 2012.\n"
        "Will the talks resume?\n"
        "Troop Deployments Expand\n"
        "Officials said that the economy was strong."
    )
    events = _extract(text, date(2007, 7, 9)).events
    found = [(e.event_type, e.trigger, e.location, e.time) for e in events]
    assert found == [
        (EventType.meeting, "met", "Kuala Lumpur", "2007-07-08"),
        (EventType.economic, "cut", None, "2012"),
    ]


def test_reported_facts_are_events_but_hedged_opinions_and_in_order_to_are_not() -> None:
    text = (
        "General Motors said that it will axe 10,000 jobs at Opel.\n"
        "Analysts believe that Opel may cut jobs.\n"
        "Motions were filed in order to allow this."
    )
    events = [(e.event_type, e.trigger) for e in _extract(text).events]
    assert events == [(EventType.economic, "axe")]


def test_a_later_definite_mention_is_not_a_new_event() -> None:
    text = "Japan held a naval drill on Friday. The drill involved six ships."
    events = _extract(text, date(2025, 7, 11)).events
    assert [(e.event_type, e.time) for e in events] == [(EventType.military_exercise, "2025-07-11")]


def test_engine_identity() -> None:
    engine = RulesEngine()
    assert (engine.name, engine.model, engine.prompt_version, engine.prompt_hash) == (
        "rules",
        None,
        None,
        None,
    )
    assert engine.parameters == {}
    engine.close()


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_every_item_is_grounded_on_every_fixture_article(path: Path) -> None:
    article = read_article(path)
    output = extract_article(RulesEngine(), article)
    items = [*output.extraction.quotes, *output.extraction.claims, *output.extraction.events]
    # A French article whose only « » are names or scare quotes has nothing, said so.
    assert items or output.skipped is not None, f"nothing found in {path.name}"
    for item in items:
        assert article.text[item.char_start : item.char_end] == item.text


def test_all_fixture_articles_are_covered() -> None:
    assert len(ARTICLES) == 26 + 15  # seed and English Wikinews, French Wikinews


def test_a_time_after_the_speaker_is_not_the_speaker() -> None:
    text = "“We are ready,” said Ana Costa on Monday. “Go,” said Li Wei last Friday."
    quotes = extract_article(RulesEngine(), Article(text=text)).extraction.quotes
    assert [q.speaker for q in quotes] == ["Ana Costa", "Li Wei"]


def test_find_items_is_what_the_engine_returns() -> None:
    article = read_article(SEED)
    analysis = analyse(article.text)
    found = canonicalise(find_items(article, analysis=analysis), analysis.entities)
    assert found == extract_article(RulesEngine(), article).extraction


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Der Minister sagte: «Wir werden nicht nachgeben.»", "Wir werden nicht nachgeben."),
        ("Der Minister sagte: „Wir werden nicht nachgeben.“", "Wir werden nicht nachgeben."),
        ("‘We will not give in,’ she said.", "We will not give in"),
        ("“We will not give in,” she said.", "We will not give in"),
    ],
)
def test_quotes_in_every_pair_of_marks(text: str, quoted: str) -> None:
    [quote] = _extract(text).quotes
    assert (quote.text, text[quote.char_start : quote.char_end]) == (quoted, quoted)


def test_british_single_quotes_are_attributed_and_keep_their_apostrophes() -> None:
    assert _quotes("‘We don’t give in,’ said Ana Costa.") == [("We don’t give in", "Ana Costa")]


def test_apostrophes_are_not_quotes() -> None:
    text = "The workers’ union said it would strike. Its leader said they don’t agree."
    assert _extract(text).quotes == []
    text = "The workers’ union said: “We don’t accept this.” Ana Costa’s firm disagreed."
    assert [q.text for q in _extract(text).quotes] == ["We don’t accept this."]


def test_the_rules_package_imports_no_engine() -> None:
    package = Path(__file__).resolve().parent.parent / "extractor" / "rules"
    for module in package.glob("*.py"):
        assert "extractor.engines" not in module.read_text(), module.name


def test_a_long_article_is_read_block_by_block_with_document_offsets() -> None:
    article = read_article(SEED)
    one = extract_article(RulesEngine(), article).extraction
    copies = 12  # several blocks of whole paragraphs
    text = "\n\n".join([article.text] * copies)
    many = extract_article(RulesEngine(), replace(article, text=text)).extraction
    assert len(text) > 2 * BLOCK_CHARS
    for kind in ("quotes", "claims", "events"):
        items = getattr(many, kind)
        assert all(text[i.char_start : i.char_end] == i.text for i in items)
        assert {i.alignment.value for i in items} == {"exact"}
        if kind != "events":  # a repeated event is one event (within a block)
            assert len(items) == copies * len(getattr(one, kind))
        assert max(i.char_start for i in items) > len(text) - len(article.text)
