"""The one quotation scanner in `extractor.text.quotation`."""

from __future__ import annotations

from extractor.text.quotation import Quotation, quotations


def test_a_straight_mark_placed_as_an_opener_starts_a_new_quotation() -> None:
    text = 'He wrote "first part\n"second part" here.'
    assert quotations(text) == [Quotation(9, None, '"'), Quotation(21, 33, '"')]


def test_every_pair_and_no_apostrophes() -> None:
    text = "«Oui» „Ja“ ‘Yes’ 「はい」 the workers’ union don’t"
    found = [(q.mark, text[q.start : q.close]) for q in quotations(text)]
    assert found == [("«", "Oui"), ("„", "Ja"), ("‘", "Yes"), ("「", "はい")]


def test_guillemets_nest_inside_a_quotation_they_opened() -> None:
    text = "« On a constaté 261 cas de « réelle » fraude. » Puis « Non »."
    found = [(q.mark, text[q.start : q.close]) for q in quotations(text)]
    assert found == [("«", " On a constaté 261 cas de « réelle » fraude. "), ("«", " Non ")]
