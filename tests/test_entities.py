"""Entities: one canonical entity per person or organisation, and mention resolution."""

from __future__ import annotations

from extractor.rules import analyse

TEXT = (
    "President Barack Obama met Steve Jobs of Apple Inc. in Washington on Monday. "
    "Obama said the talks went well. Jobs said he was pleased, and Steve added that "
    "the company would invest. Mrs. Ana Costa, the minister, said she agreed."
)


def test_mentions_of_one_person_share_the_fullest_name_without_titles() -> None:
    entities = analyse(TEXT).entities
    people = [e.name for e in entities.entities if e.type == "person"]
    assert "Barack Obama" in people and "Steve Jobs" in people
    assert not {"Obama", "Jobs", "Steve", "President Barack Obama"} & set(people)
    obama = TEXT.index("Obama said")
    assert entities.resolve(obama, obama + len("Obama")) == "Barack Obama"
    steve = TEXT.index("Steve added")
    assert entities.resolve(steve, steve + len("Steve")) == "Steve Jobs"


def test_pronouns_and_nominals_resolve_to_the_nearest_compatible_entity() -> None:
    entities = analyse(TEXT).entities
    he = TEXT.index("he was")
    assert entities.resolve(he, he + 2) == "Steve Jobs"
    company = TEXT.index("the company")
    assert entities.resolve(company, company + len("the company")) == "Apple"  # no legal form
    she = TEXT.index("she agreed")
    assert entities.resolve(she, she + 3) == "Ana Costa"


def test_places_are_told_from_people_and_organisations() -> None:
    entities = analyse(TEXT).entities
    where = TEXT.index("Washington")
    assert entities.is_place(where, where + len("Washington"))
    jobs = TEXT.index("Steve Jobs")
    assert not entities.is_place(jobs, jobs + len("Steve Jobs"))


def test_every_mention_is_a_slice_of_the_text() -> None:
    for entity in analyse(TEXT).entities.entities:
        for mention in entity.mentions:
            assert TEXT[mention.start : mention.end] == mention.text


PRODUCTS = (
    "Daniel Park, the head of Corvan Motors, spoke on Tuesday. Buyers waited months for "
    "the Corvan Strider and the Lena Marlowe, and dealers praised the Marlowe. "
    "Later he said Corvan would build a third plant."
)


def test_a_name_after_an_article_is_no_person_and_no_pronoun_resolves_to_it() -> None:
    entities = analyse(PRODUCTS).entities
    people = {e.name for e in entities.entities if e.type == "person"}
    assert not {"Corvan Strider", "Lena Marlowe", "Marlowe"} & people
    he = PRODUCTS.index("he said")
    assert entities.resolve(he, he + 2) == "Daniel Park"
    corvan = PRODUCTS.index("Corvan would")
    assert entities.resolve(corvan, corvan + len("Corvan")) != "Corvan Strider"


def test_a_clock_is_no_organisation_and_a_titled_name_is_a_person() -> None:
    text = "Spokesman Tomas Reyes said on Monday at 09:30 UTC that the plant would reopen."
    entities = analyse(text).entities
    names = {(e.name, e.type) for e in entities.entities}
    assert not any(name == "UTC" for name, _ in names)
    assert not any(name.startswith("Spokesman") for name, _ in names)


def test_the_company_is_the_organisation_the_passage_is_about() -> None:
    text = (
        "Corvan Motors cut prices on Monday. Corvan Motors said demand was weak, and "
        "Corvan Motors expects a loss, analysts at Brill Partners wrote. "
        "The company will close a plant."
    )
    entities = analyse(text).entities
    company = text.index("The company")
    assert entities.resolve(company, company + len("The company")) == "Corvan Motors"


def test_a_name_released_as_a_product_is_no_organisation_unless_it_acts() -> None:
    text = (
        "Nokia unveiled the Lumia Wave on Monday. Reviews of the Lumia Wave were warm. "
        "Buyers liked the Halden Motors sedan, and Halden Motors' shares rose."
    )
    organisations = {e.name for e in analyse(text).entities.entities if e.type == "organisation"}
    assert "Lumia Wave" not in organisations
    assert "Halden Motors" in organisations  # a maker named with its product, and acting
