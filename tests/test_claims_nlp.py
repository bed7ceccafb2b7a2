"""Claims the rules engine reads from the spaCy parse: reported speech without "that"
patterns, noun complements, polls, passives, and the article's own speculation."""

from __future__ import annotations

from extractor.rules import find_items
from extractor.schemas import AUTHOR, Claim
from extractor.text.articles import Article


def _claims(text: str) -> list[Claim]:
    claims = find_items(Article(text=text)).claims
    for claim in claims:
        assert text[claim.char_start : claim.char_end] == claim.text
    return claims


def _pairs(text: str) -> list[tuple[str, str | None]]:
    return [(c.text, c.claimant) for c in _claims(text)]


def test_attribution_after_the_clause_names_the_claimant() -> None:
    text = (
        "Mike Gikas of Consumer Reports reviewed the phone. The death grip, however, has "
        "not been as big an issue for other phones as it has for this one, said Mike Gikas."
    )
    assert (
        "The death grip, however, has not been as big an issue for other phones as it has "
        "for this one",
        "Mike Gikas",
    ) in _pairs(text)


def test_a_poll_is_a_claimant_of_what_it_showed() -> None:
    text = "A Reuters poll showed that most voters now oppose the new tax on fuel."
    [claim] = _claims(text)
    assert claim.text == "most voters now oppose the new tax on fuel"
    assert claim.claimant is not None and "Reuters" in claim.claimant


def test_noun_complement_is_claimed_by_the_possessor() -> None:
    text = "Analysts at the bank dismissed Maria Lopez's view that the currency will recover soon."
    assert ("the currency will recover soon", "Maria Lopez") in _pairs(text)


def test_questions_instructions_and_wh_clauses_are_not_claims() -> None:
    text = (
        "Dana Ruiz did not say where the cuts would fall. "
        "Apple told customers to hold the phone differently. "
        "John Park asked whether the deal would survive."
    )
    assert not [c for c in _claims(text) if c.claimant != AUTHOR]


def test_passive_without_agent_has_no_claimant() -> None:
    # eval/GUIDELINES.md: a passive report with no agent has claimant null, not <author>
    text = "It was reported that the factory had closed for good after the strike."
    assert _pairs(text) == [("the factory had closed for good after the strike", None)]


def test_agentless_cue_inside_the_clause_claims_the_whole_sentence() -> None:
    assert _pairs("The delay is said to be the result of a wiring fault.") == [
        ("The delay is said to be the result of a wiring fault", None)
    ]
    assert _pairs("The new plant is thought likely to employ 900 people.") == [
        ("The new plant is thought likely to employ 900 people", None)
    ]


def test_clauses_with_subjects_of_their_own_are_two_claims() -> None:
    text = "Harlow Bank revealed that its lenders had cut credit lines and, also, it faces a fine."
    assert _pairs(text) == [
        ("its lenders had cut credit lines", "Harlow Bank"),
        ("it faces a fine", "Harlow Bank"),
    ]


def test_one_subject_with_two_predicates_is_one_claim() -> None:
    text = "Ana Costa said the mill had been sold and would close next spring."
    assert _pairs(text) == [("the mill had been sold and would close next spring", "Ana Costa")]


def test_attribution_inside_the_clause_claims_the_whole_sentence() -> None:
    text = "Tom Baker runs the port. The new crane, he said, would arrive by March."
    assert ("The new crane, he said, would arrive by March", "Tom Baker") in _pairs(text)


def test_a_second_speaker_ends_the_claim() -> None:
    text = (
        "Port officials said that the strike had ended after two days, with union leader "
        "Rosa Diaz saying the pay offer was fair."
    )
    assert ("the strike had ended after two days", "Port officials") in _pairs(text)
    text = (
        "As the Retail Council reported that sales fell in May, investors are worried that "
        "the slide will last."
    )
    claims = _pairs(text)
    assert ("sales fell in May", "Retail Council") in claims
    assert ("the slide will last", "investors") in claims


def test_anticipated_dates_and_possibilities_are_the_authors_claims() -> None:
    text = (
        "The launch is now anticipated to take place in 2031. "
        "There is still a possibility of a strike."
    )
    assert _pairs(text) == [
        ("The launch is now anticipated to take place in 2031", AUTHOR),
        ("There is still a possibility of a strike", AUTHOR),
    ]


def test_unattributed_modal_main_clause_is_the_authors_hedged_claim() -> None:
    text = "The merger closed on Monday. The combined group would hold a 60% share of the market."
    [claim] = _claims(text)
    assert (claim.text, claim.claimant, claim.hedged) == (
        "The combined group would hold a 60% share of the market",
        AUTHOR,
        True,
    )


def test_plain_future_report_is_no_claim() -> None:
    assert _claims("The government will give the carmaker a loan of US$30 billion.") == []


def test_a_study_is_named_with_its_authors() -> None:
    text = "A study by Harvard researchers found that the drug cut deaths by a third."
    assert _pairs(text) == [("the drug cut deaths by a third", "study by Harvard researchers")]


def test_claimant_is_the_subject_of_the_cue_not_an_earlier_clause() -> None:
    text = (
        "Stock indexes worldwide rose on Friday, after US bank chief Ben Bernanke said that "
        "the US economy was starting to recover from the recession."
    )
    assert _pairs(text) == [
        ("the US economy was starting to recover from the recession", "Ben Bernanke")
    ]


def test_an_asserted_cause_is_a_claim() -> None:
    text = "Mayor Ana Costa blamed the flooding on the broken pumps near the river."
    assert _pairs(text) == [("the flooding on the broken pumps near the river", "Ana Costa")]


def test_narrated_would_is_no_speculation() -> None:
    assert _claims("Jobs left Apple in 1985. He would later return as chief executive.") == []


def test_a_hope_claims_its_infinitive_an_expectation_to_act_does_not() -> None:
    text = "Orla Foods delayed the plant. Orla Foods had hoped to open the plant by 2030."
    assert ("to open the plant by 2030", "Orla Foods") in _pairs(text)
    assert not [c for c in _claims("Orla Foods expects to cut 300 jobs.") if c.claimant != AUTHOR]


def test_a_clause_opened_by_a_quotation_mark_is_a_quote_not_a_claim() -> None:
    text = 'Mayor Lena Holt said "This will be a bridge built by local hands and it will last.'
    assert [c for c in _claims(text) if c.claimant != AUTHOR] == []


def test_a_demand_in_the_subjunctive_is_no_claim() -> None:
    text = "Council leaders insisted that the port authority lower its fees by June."
    assert [c for c in _claims(text) if c.claimant != AUTHOR] == []
    text = "Council leaders insisted that the port authority had cut its fees by June."
    assert ("the port authority had cut its fees by June", "Council leaders") in _pairs(text)


def test_could_in_the_authors_main_clause_is_the_authors_hedged_claim() -> None:
    text = "The index fell 3% on Friday. Several factors could be to blame for the slide."
    assert ("Several factors could be to blame for the slide", AUTHOR) in _pairs(text)


def test_company_statistics_are_the_companys_claim() -> None:
    text = (
        "Nordia Inc. replaced the routers. According to company statistics, one in "
        "every 300 customers has reported dropped calls."
    )
    assert (
        "one in every 300 customers has reported dropped calls",
        "Nordia Inc",
    ) in _pairs(text)


def test_a_share_of_people_is_no_claimant_but_the_poll_it_comes_from_is() -> None:
    text = "Forty-one percent said the economy was the top issue, according to a Gallup poll."
    assert [claimant for _, claimant in _pairs(text)] == ["Gallup poll"]
    [(_, claimant)] = _pairs("Forty-one percent of voters said the economy was the top issue.")
    assert claimant == "Forty-one percent of voters"


def test_a_subject_the_parse_hangs_on_the_auxiliary_still_makes_a_claim() -> None:
    assert _pairs("A Pew survey found that Americans are divided.") == [
        ("Americans are divided", "Pew survey")
    ]


def test_the_day_it_was_said_is_no_part_of_the_claim() -> None:
    assert _pairs("The White House said Tuesday it would veto the bill.") == [
        ("it would veto the bill", "White House")
    ]
    assert _pairs("Officials said last week the plant would close.") == [
        ("the plant would close", "Officials")
    ]


def test_a_company_named_nowhere_before_claims_as_the_company() -> None:
    assert _pairs("In a statement, the company said it had fired the employee.") == [
        ("it had fired the employee", "company")
    ]


def test_according_to_inside_the_clause_claims_the_whole_sentence() -> None:
    assert _pairs("The plan, according to Reuters, would cut taxes.") == [
        ("The plan, according to Reuters, would cut taxes", "Reuters")
    ]
    assert _pairs("Investigators suspect the fire was caused by a faulty wire.") == [
        ("the fire was caused by a faulty wire", "Investigators")
    ]
