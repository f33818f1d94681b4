"""The claim reader on many phrasings: which metric, partners, year, flow and comparator a sentence is read as
(no data needed). Kept from the first reader's tests: the rebuilt reader must read every one of them."""

from __future__ import annotations

from typing import Any

import pytest

from usmca.claims.model import Claim
from usmca.claims.reader import read as extract


def claims_of(text: str, **kw: Any) -> list[Claim]:
    kw.setdefault("default_year", 2024)
    return extract(text, **kw).claims


def only(text: str, **kw: Any) -> Claim:
    got = claims_of(text, **kw)
    assert len(got) == 1, [(c.metric, c.params, c.text) for c in got]
    return got[0]


def test_every_claim_quotes_its_sentence_verbatim() -> None:
    text = (
        "Canada bought $349 billion of U.S. goods in 2024 and Mexico bought $334 billion.\n"
        "Shipments to Mexico were roughly 2.3 times those to China."
    )
    for c in claims_of(text):
        assert c.sentence in text
        assert c.span is not None
        assert text[c.span[0] : c.span[1]] == c.text
        assert c.text in c.sentence


# ----------------------------------------------------------------------------- who is the partner
@pytest.mark.parametrize(
    "text,partner,flow",
    [
        ("U.S. exports to Mexico were $334 billion in 2024.", "MEX", "exports"),
        ("The U.S. exported $143.5 billion in goods to China in 2024.", "CHN", "exports"),
        ("The United States shipped $334 billion worth of goods to Mexico in 2024.", "MEX", "exports"),
        ("Mexican purchases of U.S. goods hit $334bn in 2024.", "MEX", "exports"),
        ("The United States imported $505.9 billion of goods from Mexico in 2024.", "MEX", "imports"),
        ("Mexico sold $506 billion of goods to the United States in 2024.", "MEX", "imports"),
        ("Americans bought $506 billion of Mexican goods in 2024.", "MEX", "imports"),
        ("Two-way trade with Mexico reached $840 billion in 2024.", "MEX", "total"),
    ],
)
def test_partner_and_flow(text: str, partner: str, flow: str) -> None:
    c = only(text)
    assert c.metric == "trade_value"
    assert c.params["partner"] == partner
    assert c.params["flow"] == flow
    assert c.params["year"] == 2024


def test_amounts_in_a_list_go_to_their_own_partner() -> None:
    got = claims_of(
        "In 2024 the U.S. sold $349.4 billion of goods to Canada, $334 billion to Mexico and $143.5 billion to China."
    )
    assert [(c.params["partner"], c.value) for c in got] == [("CAN", 349.4e9), ("MEX", 334e9), ("CHN", 143.5e9)]


def test_two_subjects_two_amounts() -> None:
    got = claims_of("Canada bought $349 billion of U.S. goods in 2024 and Mexico bought $334 billion.")
    assert [(c.params["partner"], c.value) for c in got] == [("CAN", 349e9), ("MEX", 334e9)]


def test_parenthesised_amounts() -> None:
    got = claims_of("U.S. exports to Canada ($349 billion) and Mexico ($334 billion) dwarfed those to China in 2024.")
    assert [(c.metric, c.params.get("partner"), c.value) for c in got] == [
        ("trade_value", "CAN", 349e9),
        ("trade_value", "MEX", 334e9),
    ]


def test_compared_with_another_partner() -> None:
    got = claims_of("U.S. exports to Mexico were $334 billion in 2024, compared with $144 billion for China.")
    assert [(c.params["partner"], c.value) for c in got] == [("MEX", 334e9), ("CHN", 144e9)]
    got = claims_of("Mexico bought $334 billion in 2024, more than the $144 billion China bought.")
    assert [(c.params["partner"], c.value) for c in got] == [("MEX", 334e9), ("CHN", 144e9)]


def test_group_sum() -> None:
    c = only("Mexico and Canada together bought $683 billion of U.S. goods in 2024.")
    assert c.metric == "partners_sum"
    assert c.params["partners"] == ["MEX", "CAN"]


def test_set_apart_partner_is_not_the_subject() -> None:
    c = only("Canada, not Mexico, was the largest buyer of U.S. goods in 2024.")
    assert (c.metric, c.params["partner"], c.comparator) == ("partner_rank", "CAN", "largest")


def test_year_of_each_amount() -> None:
    got = claims_of("Exports to Mexico grew to $334 billion in 2024 from $323 billion in 2023.")
    assert [(c.params["year"], c.value) for c in got] == [(2024, 334e9), (2023, 323e9)]


def test_year_carries_over_but_not_into_now() -> None:
    got = claims_of(
        "NAFTA took effect in 1994. Mexico is now the second-largest market for U.S. goods.", default_year=2024
    )
    assert [(c.metric, c.params["year"]) for c in got] == [("partner_rank", 2024)]


def test_no_partner_named_means_the_world() -> None:
    c = only("U.S. goods exports totaled about $2.1 trillion in 2024.")
    assert (c.metric, c.params["partner"], c.comparator) == ("trade_value", "WLD", "about")


def test_no_partner_and_no_pointer_back_is_not_the_previous_partner() -> None:
    got = claims_of("Mexico bought $335 billion of U.S. goods in 2024. Costs rose $2 billion.")
    assert [c.params.get("partner") for c in got] == ["MEX"]


def test_pronoun_continues_the_previous_partner_and_services_use_bop() -> None:
    got = claims_of("Mexico bought $335 billion of U.S. goods in 2024. It also bought $49 billion of U.S. services.")
    assert got[1].params == {
        "partner": "MEX",
        "year": 2024,
        "flow": "exports",
        "product": "services",
        "basis": "bop",
        "_precision": 1e9,
        "_round": False,
    }


# ---------------------------------------------------------------------------- deficits, per capita
def test_deficit_is_the_us_deficit_and_surplus_the_balance() -> None:
    # A U.S. deficit is read as the deficit (imports - exports), so the claimed figure keeps its sign and
    # its comparator; a partner's surplus with the U.S. is the U.S. deficit; a U.S. surplus is the balance.
    c = only("The U.S. trade deficit with Mexico was $171.8 billion in 2024.")
    assert (c.params["flow"], c.value) == ("deficit", 171.8e9)
    c = only("Mexico's trade surplus with the United States reached $172 billion in 2024.")
    assert (c.params["flow"], c.value) == ("deficit", 172e9)
    c = only("The U.S. posted a trade surplus of $63 billion with Canada in 2024.")
    assert (c.params["flow"], c.value) == ("balance", 63e9)
    c = only("The U.S. goods deficit with Canada was more than $60 billion in 2024.")
    assert (c.params["flow"], c.value, c.comparator) == ("deficit", 60e9, "over")


@pytest.mark.parametrize(
    "text,partners",
    [
        ("Per capita, Mexicans and Canadians together buy over $4,000 a year of U.S. goods.", ["MEX", "CAN"]),
        ("Each Canadian bought about $8,500 worth of U.S. goods in 2024.", ["CAN"]),
        ("Per person, Mexicans bought roughly $2,550 in U.S. goods in 2024.", ["MEX"]),
        ("The average Chinese consumer bought about $100 of American goods in 2024.", ["CHN"]),
    ],
)
def test_per_capita(text: str, partners: list[str]) -> None:
    c = only(text)
    assert c.metric == "per_capita_trade"
    assert c.params["partners"] == partners
    assert c.unit == "USD per person"
    assert len(c.readings) == (len(partners) if len(partners) > 1 else 0)


# ------------------------------------------------------------------------------------ comparisons
def test_times_and_its_other_reading() -> None:
    c = only("In 2024, Mexico bought 2.3 times more from the U.S. than China.")
    assert (c.metric, c.params["numerator"], c.params["denominator"], c.value) == ("trade_ratio", ["MEX"], ["CHN"], 2.3)
    assert [(r.name, r.value) for r in c.readings] == [("3.3 times as much", pytest.approx(3.3))]


def test_two_and_a_half_times() -> None:
    c = only("Mexico bought nearly two and a half times as much from the United States as China did in 2024.")
    assert (c.metric, c.value, c.hedge, c.params["flow"]) == ("trade_ratio", 2.5, "nearly", "exports")


@pytest.mark.parametrize(
    "text,num,den,comparator",
    [
        ("China bought more U.S. goods than Mexico did in 2024.", ["CHN"], ["MEX"], "over"),
        ("Mexico bought more American goods than China in 2024.", ["MEX"], ["CHN"], "over"),
        ("Mexico is a bigger market for U.S. goods than China.", ["MEX"], ["CHN"], "over"),
        ("Canada buys fewer U.S. goods than Mexico.", ["CAN"], ["MEX"], "under"),
    ],
)
def test_more_than_without_a_number(text: str, num: list[str], den: list[str], comparator: str) -> None:
    c = only(text)
    assert (c.metric, c.params["numerator"], c.params["denominator"], c.comparator, c.value) == (
        "trade_ratio",
        num,
        den,
        comparator,
        1.0,
    )


def test_imports_comparison() -> None:
    c = only("Americans bought more from Mexico than from China in 2024.")
    assert (c.params["numerator"], c.params["denominator"], c.params["flow"]) == (["MEX"], ["CHN"], "imports")


def test_next_ten_partners() -> None:
    got = claims_of(
        "Canada and Mexico together bought more American goods than the next ten largest "
        "partners combined, including Japan and Germany."
    )
    assert [c.metric for c in got] == ["group_vs_next_partners", "next_partners_include"]
    assert got[0].params["n"] == 10
    assert got[1].params["members"] == ["JPN", "DEU"]


# ----------------------------------------------------------------------------------------- ranks
@pytest.mark.parametrize(
    "text,partner,comparator,value,flow",
    [
        ("Canada was the top market for American goods in 2024.", "CAN", "largest", 1.0, "exports"),
        ("Mexico is the United States' largest trading partner.", "MEX", "largest", 1.0, "total"),
        ("Mexico was the largest source of U.S. imports in 2024.", "MEX", "largest", 1.0, "imports"),
        ("Mexico is the second-largest export market for the United States.", "MEX", "eq", 2.0, "exports"),
        ("Mexico overtook Canada as the largest buyer of U.S. goods in 2024.", "MEX", "largest", 1.0, "exports"),
        ("Canada was overtaken by Mexico as the top market for U.S. goods.", "MEX", "largest", 1.0, "exports"),
    ],
)
def test_ranks(text: str, partner: str, comparator: str, value: float, flow: str) -> None:
    c = only(text)
    assert (c.metric, c.params["partner"], c.comparator, c.value, c.params["flow"]) == (
        "partner_rank",
        partner,
        comparator,
        value,
        flow,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Mexico is one of the largest buyers of American goods.",
        "Mexico is a top market for U.S. goods.",
        "Mexico is a leading partner in the fight against trafficking.",
    ],
)
def test_vague_rank_words_are_not_rank_claims(text: str) -> None:
    assert claims_of(text) == []


# ------------------------------------------------------------------------------ not trade totals
@pytest.mark.parametrize(
    "text",
    [
        "Mexican workers earn $4.50 an hour assembling goods exported to the U.S.",
        "U.S. exports of corn to Mexico were $5 billion in 2024.",
        "Canada bought C$50 billion of U.S. goods in 2024.",
        "A 25% tariff on Mexican imports would raise prices.",
        "The federal budget deficit reached $1.8 trillion in 2024.",
    ],
)
def test_figures_no_indicator_covers_are_listed_not_claimed(text: str) -> None:
    ex = extract(text, default_year=2024)
    assert ex.claims == []
    assert len(ex.not_checked) == 1
    assert ex.not_checked[0].figures


# ---------------------------------------------------------------------------------------- border
def test_fiscal_year_is_the_year_it_ends() -> None:
    c = only("In fiscal year 2024, CBP recorded about 2.9 million encounters nationwide.")
    assert c.metric == "encounters"
    assert c.params == {
        "year": 2024,
        "scope": "nationwide",
        "component": "all",
        "fiscal": True,
        "_precision": 1e5,
        "_round": False,
    }
    c = only("Border Patrol apprehensions at the southwest border in FY2023 exceeded 2 million.")
    assert (c.params["year"], c.params["scope"], c.params["component"], c.comparator) == (
        2023,
        "southwest",
        "usbp",
        "over",
    )


def test_percent_below_an_average_with_a_fiscal_reading() -> None:
    c = only("In June 2025, encounters were about 89% below the average for 2021 through 2024.")
    assert c.metric == "encounters_change_vs_average"
    assert (c.params["month"], c.params["start_month"], c.params["end_month"]) == ("2025-06", "2021-01", "2024-12")
    assert c.comparator == "pct_lower"
    assert [r.params["start_month"] for r in c.readings] == ["2020-10"]


def test_a_following_sentence_continues_the_border_topic() -> None:
    got = claims_of(
        "In June 2025, CBP recorded 25,185 encounters nationwide. That was nearly 90% "
        "below the 2021-2024 monthly average."
    )
    assert [c.metric for c in got] == ["encounters", "encounters_change_vs_average"]


def test_lowest_month() -> None:
    c = only("In June 2025, border encounters fell to their lowest monthly level since 2019.")
    assert (c.metric, c.params["month"], c.comparator) == ("encounters_low_rank", "2025-06", "lowest")


def test_lowest_in_n_years_uses_the_reference_month() -> None:
    c = only("Illegal crossings are at their lowest level in 30 years.", reference_month=(2025, 6))
    assert (c.metric, c.params["month"], c.params["years"]) == ("encounters_lowest_in_years", "2025-06", 30)


# -------------------------------------------------------------------------------------- fentanyl
def test_running_total_and_doses() -> None:
    got = claims_of(
        "Since February 2025, Mexican authorities have seized about 300 kilograms of "
        "fentanyl, enough for more than 150 million lethal doses."
    )
    assert [c.metric for c in got] == ["statement_running_total", "lethal_doses"]
    assert got[0].params == {"measure": "fentanyl_seized_kg", "since": "2025-02", "_precision": 100.0, "_round": True}
    assert got[1].params["kilograms"] == 300.0
    assert (got[1].comparator, got[1].value) == ("over", 1.5e8)


def test_pounds_are_converted_to_kilograms() -> None:
    c = claims_of("Since March 2025, Mexican troops have seized 1,000 pounds of fentanyl.")[0]
    assert c.value == pytest.approx(453.59237)


# ------------------------------------------------------------------------------ more phrasings
def test_sold_the_united_states_is_an_import() -> None:
    c = only("China sold the United States $439 billion in goods last year.")
    assert (c.params["partner"], c.params["flow"], c.params["year"]) == ("CHN", "imports", 2024)


def test_dash_starts_a_comparison() -> None:
    got = claims_of("Mexico bought $334 billion of U.S. goods in 2024 – more than China, Japan and Germany combined.")
    assert [(c.metric, c.params.get("partner"), c.params.get("denominator")) for c in got] == [
        ("trade_value", "MEX", None),
        ("trade_ratio", None, ["CHN", "JPN", "DEU"]),
    ]
    assert got[1].text == "more than China, Japan and Germany combined"


def test_apprehensions_are_border_patrol_even_when_cbp_reports_them() -> None:
    c = only("Apprehensions at the southern border dropped to 6,070 in June 2025, according to CBP.")
    assert (c.params["scope"], c.params["component"], c.params["month"]) == ("southwest", "usbp", 6)


def test_each_count_gets_its_own_month() -> None:
    got = claims_of("In May 2025, CBP recorded 29,500 encounters nationwide, down from 170,723 in May 2024.")
    assert [(c.params["year"], c.params["month"], c.value) for c in got] == [(2025, 5, 29500.0), (2024, 5, 170723.0)]


def test_change_against_one_month_and_verbs_of_change() -> None:
    c = only("Nationwide encounters in June 2025 were about 88% lower than in June 2024.")
    assert (c.metric, c.params["period"], c.params["base"], c.value) == (
        "encounters_change",
        "2025-06",
        "2024-06",
        -88.0,
    )
    c = only("In June 2025 border crossings fell 89 percent from the 2021-2024 monthly average.")
    assert (c.metric, c.comparator, c.value) == ("encounters_change_vs_average", "pct_lower", 89.0)


@pytest.mark.parametrize(
    "text",
    [
        "The Border Patrol hired 2,000 agents in 2024.",
        "Encounters since January 2021 totaled 8 million.",
    ],
)
def test_counts_that_are_not_encounters_of_a_period(text: str) -> None:
    ex = extract(text, default_year=2024)
    assert ex.claims == [] and ex.not_checked


def test_since_an_operation_began() -> None:
    c = only(
        "Mexican authorities have seized 310 kilograms of fentanyl since Operation Northern Border "
        "began in February 2025."
    )
    assert c.params["since"] == "2025-02"


@pytest.mark.parametrize(
    "text",
    [
        "Mexico seized 2 tons of fentanyl in 2024.",  # a year: Mexico publishes running totals only
        "Mexican soldiers seized 163 kg of fentanyl in one raid.",  # one seizure, not a running total
        "Canada seized 10 kg of fentanyl in 2024.",  # neither Mexico's totals nor CBP's statistics
    ],
)
def test_seizures_no_published_series_covers(text: str) -> None:
    ex = extract(text, default_year=2024)
    assert ex.claims == []
    assert ex.not_checked


def test_doses_in_a_single_kilogram() -> None:
    c = only("A single kilogram of fentanyl holds 500,000 lethal doses.")
    assert (c.metric, c.params["kilograms"], c.value) == ("lethal_doses", 1.0, 5e5)


def test_doses_do_not_reuse_an_amount_from_far_away() -> None:
    got = claims_of(
        "Since February 2025, Mexico has seized 300 kilograms of fentanyl. Officials met. "
        "Fentanyl kills through 100 million lethal doses a year."
    )
    assert [c.metric for c in got] == ["statement_running_total"]


def test_a_month_of_trade() -> None:
    c = only("In January 2025, U.S. exports to Mexico totaled $26 billion.")
    assert c.params == {
        "partner": "MEX",
        "year": 2025,
        "flow": "exports",
        "month": 1,
        "_precision": 1e9,
        "_round": False,
    }
    c = only("In February 2025, Mexico was the top market for U.S. goods.")
    assert (c.metric, c.params["year"], c.params["month"]) == ("partner_rank", 2025, 2)


@pytest.mark.parametrize(
    "text",
    [
        "Mexico buys roughly $1 billion of U.S. goods every day.",  # a rate, not a year's trade
        "The United States sells Mexico about $28 billion of goods a month.",
        "Texas alone exported $130 billion of goods to Mexico in 2024.",  # one U.S. state
        "New Mexico's exports to Mexico were $2 billion in 2024.",
        "U.S. exports to Latin America reached $400 billion in 2024.",  # a region we do not compute
        "Mexico's exports to Guatemala reached $5 billion in 2024.",  # trade between two other countries
    ],
)
def test_amounts_that_are_not_a_partners_annual_trade_are_not_claims(text: str) -> None:
    ex = extract(text, default_year=2024)
    assert ex.claims == [], [(c.metric, c.params) for c in ex.claims]
    assert ex.not_checked and ex.not_checked[0].figures


def test_the_eu_is_one_partner_in_trade_figures() -> None:
    """Census and BEA publish the European Union as one partner: its trade is read as the group's total."""
    got = claims_of("The European Union bought $370 billion of U.S. goods in 2024.", default_year=2024)
    assert [(c.metric, c.params["partner"], c.params["flow"], c.value) for c in got] == [
        ("trade_value", "EU", "exports", 370e9)
    ]


def test_a_rate_is_never_judged_as_a_total() -> None:
    """ "60 pounds a day" or "one every five minutes" is not a month's or a year's total."""
    for text in (
        "CBP seized 60 pounds of fentanyl a day in fiscal 2025.",
        "Agents caught one migrant every five minutes at the southwest border in May 2025.",
        "In fiscal 2022 Border Patrol made an arrest every 14 seconds at the southwest border.",
    ):
        got = claims_of(text, default_year=2024)
        assert got, text
        for c in got:
            assert c.params.get("_scale") or c.params.get("_interval") or "daily" in c.metric, (text, c.metric, c.value)


def test_a_base_year_is_not_carried_to_the_next_sentence() -> None:
    got = claims_of(
        "Exports to Mexico were up 3.5% from 2023. Mexico bought $334 billion of U.S. goods.", default_year=2024
    )
    assert [(c.params["partner"], c.params["year"]) for c in got if c.metric == "trade_value"] == [("MEX", 2024)]
    growth = [c for c in got if c.metric == "trade_growth"]
    assert [(g.params["year_from"], g.params["year_to"]) for g in growth] == [(2023, 2024)]


def test_new_mexico_and_the_gulf_are_not_mexico() -> None:
    from usmca.claims.tokens import find_places

    assert [p.iso3 for p in find_places("New Mexico ships oil across the Gulf of Mexico to Mexico")] == ["MEX"]


def test_each_and_respectively_pair_amounts_with_partners() -> None:
    got = claims_of("Canada and Mexico each bought more than $340 billion of U.S. goods in 2024.")
    assert [(c.metric, c.params["partner"], c.comparator, c.value) for c in got] == [
        ("trade_value", "CAN", "over", 340e9),
        ("trade_value", "MEX", "over", 340e9),
    ]
    got = claims_of("Both Canada and Mexico bought over $300 billion of American goods in 2024.")
    assert [c.params["partner"] for c in got] == ["CAN", "MEX"]
    got = claims_of("U.S. exports to Mexico and Canada were $334 billion and $349 billion in 2024, respectively.")
    assert [(c.params["partner"], c.value) for c in got] == [("MEX", 334e9), ("CAN", 349e9)]


@pytest.mark.parametrize(
    "text,flow",
    [
        ("Canada sold $413 billion of goods to Americans in 2024.", "imports"),
        ("Mexico exported $506 billion to the United States in 2024.", "imports"),
        ("Mexico bought $334 billion of goods from the U.S. in 2024.", "exports"),
        ("Mexico's imports from the U.S. were $334 billion in 2024.", "exports"),
        ("No country buys more from American producers than Mexico does.", "exports"),
    ],
)
def test_direction_of_trade(text: str, flow: str) -> None:
    assert only(text).params["flow"] == flow


@pytest.mark.parametrize(
    "text",
    [
        "Mexico imports $130 billion of goods from China each year.",
        "China ships $80 billion of goods to Mexico.",
    ],
)
def test_trade_between_other_countries_is_not_checked(text: str) -> None:
    assert claims_of(text) == []
