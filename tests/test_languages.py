"""Languages: each document's language detected and stored; French quotes attributed by
French cues; a language the rules cannot read is a stored, printed skip, never a silent 0."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from extractor.cli import main
from extractor.rules import find_items
from extractor.text.articles import article_from_text, parse_article
from extractor.text.language import detect_language

FRENCH = (
    "La procureure de la Cour pénale internationale, Mme Fatou Bensouda, a déclaré : "
    "« Mon message à ceux qui sont impliqués dans cet acte est clair : arrêtez maintenant. »\n\n"
    "« Les militaires ne doivent plus jouer de rôle politique », affirme un jeune "
    "manifestant, Abdel Nasser. Selon la fédération des banques, Febelfin, « le montant est "
    "plutôt de 700 000 euros ». Les deux Polonais servaient de « mules » au réseau. "
    "« Nous resterons vigilants sur ce dossier », a ensuite précisé la porte-parole de la "
    "fédération à une question de la radio."
)
GERMAN = (
    "Die Bundesregierung hat am Montag erklärt, dass sie die Steuern im kommenden Jahr "
    "senken werde. „Wir werden das schaffen“, sagte die Kanzlerin vor Journalisten in Berlin."
)
ENGLISH = (
    '"We will not back down from this fight," said Ana Costa, the mayor of the city, on '
    "Monday, adding that the council would vote on the budget next week."
)


def test_languages_are_detected_and_short_texts_are_not_guessed() -> None:
    assert detect_language(FRENCH) == "fr"
    assert detect_language(GERMAN) == "de"
    assert detect_language(ENGLISH) == "en"
    assert detect_language("ok") is None
    assert parse_article(b"language: fr-FR\n\nHello there.").language == "fr"


def test_french_quotes_get_french_speakers_never_the_cue_word() -> None:
    found = find_items(article_from_text(FRENCH))
    got = [(q.text, q.speaker, q.speaker_title, q.cue) for q in found.quotes]
    assert got == [
        (
            "Mon message à ceux qui sont impliqués dans cet acte est clair : arrêtez maintenant.",
            "Fatou Bensouda",
            "procureure de la Cour pénale internationale",
            "a déclaré",
        ),
        (
            "Les militaires ne doivent plus jouer de rôle politique",
            "Abdel Nasser",
            "jeune manifestant",
            "affirme",
        ),
        ("le montant est plutôt de 700 000 euros", "Febelfin", "fédération des banques", "Selon"),
        (
            "Nous resterons vigilants sur ce dossier",
            "porte-parole de la fédération",
            None,
            "a ensuite précisé",
        ),
    ]  # « mules » (no cue, two words) is not a quote
    assert found.claims == [] and found.events == []
    for q in found.quotes:
        assert FRENCH[q.char_start : q.char_end] == q.text


@pytest.mark.parametrize(
    ("text", "language", "skipped", "reason"),
    [
        (FRENCH, "fr", ["claims", "events"], "claims/events not supported by the rules for fr"),
        (GERMAN, "de", ["quotes", "claims", "events"],
         "quotes/claims/events not supported by the rules for de"),
        (ENGLISH, "en", None, None),
    ],
)  # fmt: skip
def test_extract_stores_and_prints_language_and_skipped_kinds(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    language: str,
    skipped: list[str] | None,
    reason: str | None,
) -> None:
    article, db = tmp_path / "article.txt", tmp_path / "e.duckdb"
    article.write_text(text, encoding="utf-8")
    assert main(["extract", str(article), "--engine", "rules", "--db", str(db), "--json"]) == 0
    out, err = capsys.readouterr()
    line = json.loads(out.strip().splitlines()[-1])
    assert (line["language"], line["skipped"] or None, line["skip_reason"]) == (
        language, skipped, reason,
    )  # fmt: skip
    assert (f"skipped {article}: {reason}" in err) == (reason is not None)
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT d.language, r.skipped_kinds, r.skip_reason, r.quotes FROM run_documents r "
            "JOIN documents d ON d.id = r.document_id"
        ).fetchone()
    assert row is not None
    assert row[:3] == (language, skipped, reason)
    assert row[3] == len(line["quotes"])
