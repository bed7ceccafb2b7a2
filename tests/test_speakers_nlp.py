"""Speakers from the parse and the entities: always a name from the article, or none."""

from __future__ import annotations

from pathlib import Path

import duckdb

from extractor.engines.rules import RulesEngine
from extractor.pipeline import Outcome, extract_article, save
from extractor.rules import find_items
from extractor.store import Store
from extractor.store.db import RunInfo
from extractor.text.articles import article_from_text


def _speakers(text: str) -> list[str | None]:
    return [q.speaker for q in find_items(article_from_text(text)).quotes]


def test_a_pronoun_speaker_is_the_nearest_person_named_before() -> None:
    text = (
        "Mrs. Ana Costa, the finance minister, spoke on Monday.\n"
        '"We will cut taxes next year," she said.'
    )
    assert _speakers(text) == ["Ana Costa"]


def test_a_fragment_is_never_a_speaker() -> None:
    text = 'Addressing the crowd, "We will win this election and more," said.'
    assert _speakers(text) == [None]


def test_an_indefinite_description_does_not_borrow_a_name() -> None:
    text = (
        "Steve Jobs opened the show.\n"
        '"We expect this to be a very short process overall," a top official said.'
    )
    assert _speakers(text) == [None]


def test_entities_are_stored_and_items_point_to_them(tmp_path: Path) -> None:
    text = (
        "President Barack Obama spoke on Monday. "
        '"We will rebuild the economy together," Obama said.'
    )
    article = article_from_text(text)
    engine = RulesEngine()
    result = extract_article(engine, article)
    assert [q.speaker for q in result.extraction.quotes] == ["Barack Obama"]
    store = Store(tmp_path / "e.duckdb")
    run_id = store.start_run(RunInfo("rules", None, None, None, {}))
    save(store, run_id, Outcome("a", article, result))
    store.close()
    db = duckdb.connect(str(tmp_path / "e.duckdb"))
    rows = db.execute(
        "SELECT e.name, e.type, q.speaker FROM quotes q JOIN entities e"
        " ON q.speaker_entity_id = e.id"
    ).fetchall()
    assert rows == [("Barack Obama", "person", "Barack Obama")]
    mentions = db.execute("SELECT unnest(mentions) FROM entities").fetchall()
    for (mention,) in mentions:
        assert text[mention["char_start"] : mention["char_end"]] == mention["text"]


def test_a_conjoined_cue_takes_its_head_verbs_subject() -> None:
    text = (
        "Microsoft chief executive Steve Ballmer also expressed condolences and described "
        'him as "one of the founders of our industry and a true visionary".'
    )
    assert _speakers(text) == ["Steve Ballmer"]


def test_an_apposition_after_a_run_on_cue_names_the_speaker() -> None:
    text = (
        '"Has the earnings kick from the weak dollar played itself out?" said Bell Curve '
        "Trading chief strategy expert, Bill Strazzullo."
    )
    assert _speakers(text) == ["Bill Strazzullo"]


def test_a_title_refers_to_the_person_who_holds_it() -> None:
    text = (
        "President Donald Trump met Ana Costa on Monday. "
        '"This is a sham and a disgrace," the president told reporters.'
    )
    assert _speakers(text) == ["Donald Trump"]
    text = (
        "Marco Rubio, the secretary of state, met Ana Costa. "
        '"We are close to a deal now," the secretary said.'
    )
    assert _speakers(text) == ["Marco Rubio"]


def test_an_indefinite_description_names_nobody_not_the_name_inside_it() -> None:
    assert _speakers('"We have the votes," a senior White House official said.') == [None]


def test_party_and_state_tags_and_short_quotes_after_an_apposition() -> None:
    assert _speakers('"Not now," Speaker Nancy Pelosi, D-Calif., said Thursday.') == [
        "Nancy Pelosi"
    ]
    assert _speakers('"We need to move on," said Rep. Adam Schiff (D-Calif.), the chairman.') == [
        "Adam Schiff"
    ]
    assert _speakers('"We are ready," according to Gov. Ron DeSantis.') == ["Ron DeSantis"]
    assert _speakers('"It is over," one Democratic aide said.') == [None]


def test_a_described_title_is_whoever_was_named_with_it() -> None:
    text = (
        "Sen. Bernie Sanders spoke in Iowa. Ana Costa agreed. "
        '"It is a giveaway to the rich," the senator from Vermont said.'
    )
    assert _speakers(text) == ["Bernie Sanders"]
    text = (
        'Ana Costa met Ahmed Ali. "We will not accept this offer today," the premier of the '
        "state said."
    )
    assert _speakers(text) == [None]  # nobody was named premier: a description


def test_a_short_whole_sentence_after_a_quotation_is_its_speakers() -> None:
    text = '"This is not over," said Mayor Eric Adams, who faces a trial. "We will fight."'
    assert _speakers(text) == ["Eric Adams", "Eric Adams"]


def test_a_short_quotation_ending_a_clause_is_no_modifier() -> None:
    text = 'The measure, which Sen. Joe Manchin called "a disaster," passed narrowly.'
    assert _speakers(text) == ["Joe Manchin"]
    assert _speakers('Analysts liked the "clean" balance sheet.') == []
