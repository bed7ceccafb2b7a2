"""Events of the rules engine with the spaCy parse: actors are named participants and
never places, the location comes from place words governed by in/at/near."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.rules import find_items
from extractor.schemas import DocumentExtraction, Event, EventType
from extractor.text.articles import Article, read_article
from tests.conftest import SEED


def _events(text: str, published: date | None = None) -> list[Event]:
    events = find_items(Article(text=text, published=published)).events
    for event in events:
        assert text[event.char_start : event.char_end] == event.text
    return events


@pytest.fixture(scope="module")
def seed() -> DocumentExtraction:
    return find_items(read_article(SEED))


def test_seed_meeting_in_malaysia_has_people_not_places(seed: DocumentExtraction) -> None:
    [met] = [e for e in seed.events if e.trigger == "met"]
    assert met.event_type == EventType.meeting
    assert met.location in ("Malaysia", "Kuala Lumpur")
    assert {"Marco Rubio", "Takeshi Iwaya"} <= set(met.actors)
    assert not {"Malaysia", "Kuala Lumpur", "United States", "U.S."} & set(met.actors)


def test_seed_places_are_never_actors(seed: DocumentExtraction) -> None:
    places = {"Seoul", "Kursk", "Kursk region", "Korean Peninsula", "Malaysia", "Kuala Lumpur"}
    for event in seed.events:
        assert not places & set(event.actors), event


def test_place_after_in_is_the_location_and_no_actor() -> None:
    [event] = _events("Protesters from the union met the minister Anna Berg in Lisbon on Monday.")
    assert event.location == "Lisbon"
    assert "Lisbon" not in event.actors
    assert "Anna Berg" in event.actors


def test_countries_that_act_are_actors() -> None:
    [event] = _events("Russia's invasion of Georgia began in August.")
    assert event.event_type == EventType.attack
    assert {"Russia", "Georgia"} <= set(event.actors)


def test_time_is_resolved_against_publication() -> None:
    [event] = _events("Boeing unveiled the new aircraft on Sunday.", published=date(2007, 7, 9))
    assert event.time == "2007-07-08"
    assert event.actors == ["Boeing"]


def test_modifiers_and_hypotheticals_are_no_events() -> None:
    text = (
        "The antenna is a metal strip that wraps around the side of the device, which has "
        "caused dropped calls when held in a certain way. "
        "The plan includes the proposed sale or closure of three plants."
    )
    assert _events(text) == []


def test_announced_job_cuts_are_one_economic_event() -> None:
    [event] = _events("Airbus has announced 10,000 job cuts over the next four years.")
    assert event.event_type == EventType.economic
    assert event.actors == ["Airbus"]


def test_definite_back_reference_in_the_paragraph_is_the_same_event() -> None:
    text = "Japan and Canada held a joint naval drill on Friday. The exercise was held at sea."
    assert len([e for e in _events(text) if e.event_type == EventType.military_exercise]) == 1


def test_in_the_country_is_the_country_named_before() -> None:
    text = (
        "Airlines in Indonesia face new rules. "
        "The EU banned the airlines after a string of accidents in the country."
    )
    events = [e for e in _events(text) if e.text.startswith("The EU")]
    assert events and all(e.location == "Indonesia" for e in events)


def test_a_named_building_is_the_location() -> None:
    [event] = _events("Boeing unveiled the 787 at their Everett Factory near Seattle on Sunday.")
    assert event.location == "Everett Factory"


def test_a_relative_clause_event_belongs_to_its_head() -> None:
    text = "Fritz Henderson spoke for General Motors, which filed for bankruptcy on Monday."
    [event] = [e for e in _events(text) if e.event_type == EventType.economic]
    assert "General Motors" in event.actors


def test_a_scheduled_weekday_is_ahead_and_the_clause_date_wins() -> None:
    published = date(2006, 3, 27)  # a Monday
    [trial] = _events("The trial is set to begin on Wednesday in London.", published)
    assert trial.time == "2006-03-29"
    text = "Apple, which was founded in 1976, unveiled the new phone on Friday."
    [unveiled] = [e for e in _events(text, date(2010, 7, 19)) if e.trigger == "unveiled"]
    assert unveiled.time == "2010-07-16"


def test_each_index_with_its_own_verb_is_one_event() -> None:
    text = "The Nasdaq fell 82 points, and the Standard & Poor's 500 index dropped 37 points."
    assert len([e for e in _events(text) if e.event_type == EventType.economic]) == 2


def test_an_event_in_a_condition_is_no_event() -> None:
    assert _events("If the merger fails, the mill will cut 500 jobs.") == []
    assert _events("The mill will cut 500 jobs if the merger fails.") == []
    [cut] = _events("The mill cut 500 jobs on Monday.", published=date(2019, 4, 3))
    assert cut.event_type == EventType.economic


def test_two_events_of_one_type_in_clauses_of_their_own() -> None:
    events = _events("In 1990 she bought Kestrel Foods, which was acquired by Norfield in 2004.")
    assert [(e.event_type, e.time) for e in events] == [
        (EventType.agreement, "1990"),
        (EventType.agreement, "2004"),
    ]


def test_index_gains_and_biography_verbs_are_events() -> None:
    [gain] = _events("The Nikkei 225 gained 210 points on Tuesday.", published=date(2015, 6, 5))
    assert (gain.event_type, gain.time) == (EventType.economic, "2015-06-02")
    [born] = _events("Maria Lund, born in Oslo in 1961, runs the bank.")
    assert (born.event_type, born.location, born.time) == (EventType.other, "Oslo", "1961")


def test_later_index_moves_take_the_day_of_the_first() -> None:
    text = (
        "Asian stocks fell sharply on Tuesday. "
        "The Korean Kospi index lost 3.1 percent. "
        "The Sensex was also hit hard, losing 420 points."
    )
    events = _events(text, published=date(2016, 2, 10))
    assert [e.time for e in events] == ["2016-02-09"] * 3
    assert events[0].actors == []
    assert [a.split()[-1] for e in events[1:] for a in e.actors] == ["Kospi", "Sensex"]


def test_a_reference_day_is_not_the_moves_day() -> None:
    text = "The Hang Seng index fell 2 percent from Monday's close."
    [event] = _events(text, published=date(2016, 2, 10))
    assert event.time == "2016-02-10"  # undated market news is of its publication day


def test_what_is_released_is_no_actor() -> None:
    [event] = _events("Nokia unveiled the Lumia 900 and the Lumia Wave on Monday.")
    assert event.actors == ["Nokia"]
    [event] = _events("In 2004 Sony introduced the Walkman Bean music player.")
    assert event.actors == ["Sony"]


def test_how_things_work_and_what_can_happen_are_no_events() -> None:
    assert _events("Credit unions bundle the mortgages as collateral for loans.") == []
    assert _events("The buyer can take control upon repayment of the loans.") == []
    [event] = _events("This step comes after long delays at the Hamburg plant.")
    assert event.event_type == EventType.other


def test_index_levels_sales_delistings_and_sentences_are_events() -> None:
    text = "The Ibex 35 was up 2.1% at midday. The exchange will delist Harrow Mining."
    assert [e.event_type for e in _events(text)] == [EventType.economic, EventType.legal]
    [sold] = _events("Velo sold 4 million bikes last year.", published=date(2020, 3, 1))
    assert (sold.event_type, sold.time) == (EventType.economic, "2019")


def test_a_city_owning_an_index_is_no_actor() -> None:
    [event] = _events("Madrid's Ibex 35 index fell 2 percent on Monday.")
    assert "Madrid" not in event.actors


def test_a_dated_can_is_scheduled() -> None:
    [event] = _events("Shipments can be delayed until next month.", published=date(2020, 3, 1))
    assert event.time == "2020-04"


def test_a_definite_subject_naming_an_earlier_event_lends_its_parties() -> None:
    text = (
        "Orion Foods filed a lawsuit against Delta Mills in 2001. "
        "The lawsuit was settled out of court in 2003."
    )
    events = _events(text)
    assert [(e.event_type, e.time) for e in events] == [
        (EventType.legal, "2001"),
        (EventType.legal, "2003"),
    ]
    assert set(events[1].actors) == set(events[0].actors) == {"Orion Foods", "Delta Mills"}


def test_the_n_nations_are_the_countries_of_the_last_event_with_n() -> None:
    text = (
        "Chile, Peru and Bolivia held a joint naval exercise on Monday. "
        "The three nations pledged to share port data."
    )
    events = _events(text, published=date(2021, 5, 5))
    assert set(events[-1].actors) == {"Chile", "Peru", "Bolivia"}


def test_what_is_pledged_is_part_of_the_pledge() -> None:
    [event] = _events("Norway has committed to dispatching 300 engineers to the region.")
    assert event.event_type == EventType.agreement


def test_alternatives_and_indirect_questions_are_no_events() -> None:
    assert _events("Rather than recall the cars, the maker will repair them.") == []
    assert _events("Kim Ode did not say where the layoffs would fall.") == []


def test_a_product_line_is_no_actor() -> None:
    events = _events(
        "Veltro Systems released a new lineup of Zephyr Pro laptops on Monday. "
        "Last year Veltro Systems added cameras to its Orbis phones, prompting Kestrel Labs "
        "to sue the firm."
    )
    actors = {a for e in events for a in e.actors}
    assert "Veltro Systems" in actors
    assert not {"Zephyr Pro", "Orbis"} & actors


def test_an_office_in_capitals_is_no_actor() -> None:
    events = _events(
        "Marco Villa resigned on Monday. The former Chief Financial Officer, Priya Nandan "
        "will be succeeding Villa as CEO. The Chief Financial Officer resigned on Monday."
    )
    actors = {a for e in events for a in e.actors}
    assert "Priya Nandan" in actors
    assert "Chief Financial Officer" not in actors


def test_market_indices_are_actors_by_their_full_name() -> None:
    [event] = _events("The FTSE-100 fell 2 percent on Monday.")
    assert event.actors == ["FTSE-100"]
    [event] = _events("The Dow Jones Industrial Average rose 1.2 percent on Friday.")
    assert event.actors == ["Dow Jones Industrial Average"]  # no "the", not a person


def test_the_noun_a_participle_clause_hangs_on_is_its_actor() -> None:
    [born, _] = _events("Mara Lind, born in Oslo in 1970, founded Lindtech in 1999.")
    assert born.actors == ["Mara Lind"]
    [founded] = _events("Orvik Steel, founded in 1921 by Hans Orvik, employs 900 people.")
    assert set(founded.actors) == {"Orvik Steel", "Hans Orvik"}


def test_company_news_that_names_nobody_is_the_doing_of_the_company_in_the_lede() -> None:
    text = (
        "Halden Motors will cut 4,000 jobs, Halden Motors said on Monday. "
        "Halden Motors also said it expects a loss. Halden Motors makes vans. "
        "Two more plants will close in 2021. Workers protested in Leeds on Tuesday."
    )
    events = _events(text, published=date(2020, 5, 4))
    [close] = [e for e in events if "close" in (e.trigger or "")]
    assert close.actors == ["Halden Motors"]
    [protest] = [e for e in events if e.event_type == EventType.protest]
    assert protest.actors == []  # what people do is not the company's


def test_listed_members_hosts_and_sites() -> None:
    text = "The government kept all markets closed, including the MICEX and RTS exchanges."
    [closed] = _events(text)
    assert {"MICEX", "RTS"} <= set(closed.actors)
    [close] = _events("Halden Motors will close its Wixom, Michigan plant next year.")
    assert close.actors == ["Halden Motors"]


def test_a_reporter_is_no_party_to_what_others_did_but_an_announcer_is() -> None:
    [rose] = _events("The Brill Institute reported that late payments rose 4 percent.")
    assert "Brill Institute" not in rose.actors
    [cuts] = _events("Halden Motors announced that 400 jobs would be cut.")
    assert cuts.actors == ["Halden Motors"]


def test_the_government_is_the_one_named_before() -> None:
    text = (
        "The Chilean government would hold a stake in Velo. "
        "The government will give Velo a capital infusion of $3 billion."
    )
    [*_, infusion] = _events(text)
    assert "Chilean government" in infusion.actors


def test_who_reacts_is_the_actor_not_what_they_react_to() -> None:
    [event] = _events("The Chilean government welcomed Velo Motors' decision on Monday.")
    assert event.actors == ["Chilean government"]


def test_a_name_describing_a_place_is_no_actor() -> None:
    [event] = _events("A second suit was filed in Oregon, Velo Motors' home state, in 2004.")
    assert "Velo Motors" not in event.actors


def test_a_product_the_company_puts_out_is_its_release() -> None:
    text = (
        "Halden Motors unveiled a van on Monday. Halden Motors said it expects a profit. "
        "Halden Motors also said prices would rise, and Halden Motors hired 300 workers. "
        "In 2019 the first electric Strider truck was released."
    )
    [released] = [e for e in _events(text) if e.trigger == "released"]
    assert released.actors == ["Halden Motors"]


def test_a_public_body_is_no_company_whose_news_names_nobody() -> None:
    text = (
        "The Senate passed the budget on Monday. The Senate also voted on taxes, and the "
        "Senate will sit again in May. The Senate adjourned. Unemployment rose 2 percent."
    )
    [rose] = [e for e in _events(text) if e.trigger == "rose"]
    assert rose.actors == []


def test_political_events_have_their_types() -> None:
    def kinds(text: str) -> list[EventType]:
        return [e.event_type for e in _events(text)]

    assert kinds("Governor Ron Adler vetoed the budget on Friday.") == [EventType.legal]
    assert kinds("The House passed the bill by a vote of 220 to 210.") == [EventType.legal]
    assert kinds("Ana Costa won the Iowa caucuses on Monday.") == [EventType.election]
    assert kinds("Workers went on strike at the plant in Leeds.") == [EventType.protest]
    assert kinds("The primary concern is cost.") == []


def test_a_trigger_word_inside_a_name_is_no_trigger() -> None:
    events = _events("The Senate voted on Tuesday to confirm Amy Barrett to the Supreme Court.")
    assert [e.event_type for e in events] == [EventType.election]


def test_deaths_an_attack_caused_are_the_attack() -> None:
    [event] = _events("Airstrikes killed 30 people in Gaza on Wednesday.")
    assert event.event_type == EventType.attack


def test_a_gathering_is_where_things_happen_not_an_actor() -> None:
    [event] = _events("Steve Jobs gave the keynote to the World Wide Developers Conference.")
    assert "World Wide Developers Conference" not in event.actors


def test_a_place_describing_someone_is_not_where_the_event_is() -> None:
    text = "Halden Motors, the largest van maker in Norway, will cut 3,000 jobs."
    [event] = _events(text)
    assert event.location is None
    [event] = _events("Delta Mills, a maker based in Georgia, will close its plant in Ohio.")
    assert event.location == "Ohio"


def test_a_country_acts_through_its_forces_and_envoys() -> None:
    [attack] = _events("Russian forces launched a missile attack on the city early Monday.")
    assert attack.actors == ["Russia"]
    [met] = _events("Chinese officials met American diplomats in Beijing.")
    assert set(met.actors) == {"China", "United States"}
    [arrest] = _events("Police arrested Ukrainian soldiers.")
    assert arrest.actors == []  # whose soldiers were arrested: no country acting


def test_a_place_one_moves_through_is_no_actor() -> None:
    [event] = _events("Thousands of people marched through Leeds on Saturday to protest.")
    assert event.actors == [] and event.location == "Leeds"


def test_rates_layoffs_and_approvals_are_events() -> None:
    [rates] = _events("The Fed raised interest rates by a quarter point on Wednesday.")
    assert rates.event_type == EventType.economic
    [cuts] = _events("Halden Motors said on Tuesday that it would lay off 1,200 workers.")
    assert cuts.event_type == EventType.economic
    [approved] = _events("Lawmakers approved a spending package on Saturday.")
    assert approved.event_type == EventType.legal


def test_the_two_leaders_are_the_two_who_met_in_the_same_sentence() -> None:
    text = "Ana Costa met Ahmed Ali in Lisbon on Monday, and the two leaders agreed to meet again."
    events = _events(text, published=date(2024, 3, 6))
    [agreed] = [e for e in events if e.event_type == EventType.agreement]
    assert set(agreed.actors) == {"Ana Costa", "Ahmed Ali"}
