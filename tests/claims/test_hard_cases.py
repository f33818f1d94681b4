"""Hard cases found by probing the reader with new prose (our own words): what each figure is read as.

Each case once produced, or could produce, a confident wrong verdict: a figure judged against another
figure's year, another measure, a regional rank taken as a national one, a part of a partner's trade
taken as the partner's share. The reading is pinned here; verdicts come from the data and are tested
elsewhere against the agencies' files.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from usmca.claims.reader import read

TODAY = date(2025, 12, 15)


def claims(text: str) -> list[tuple[str, dict[str, Any]]]:
    ex = read(text, today=TODAY, default_year=2024, reference_month=(2025, 11))
    return [(c.metric, {k: v for k, v in c.params.items() if not k.startswith("_")}) for c in ex.claims]


def not_checked(text: str) -> list[str]:
    return [n.reason for n in read(text, today=TODAY, default_year=2024).not_checked]


def test_a_base_year_belongs_to_its_own_figure() -> None:
    got = claims(
        "In 2024 trade with Mexico set a record. The U.S. goods deficit with Mexico increased to "
        "$171.8 billion, from $152.5 billion in 2023."
    )
    deficits = [(p["year"], p["flow"]) for m, p in got if m == "trade_value"]
    assert deficits == [(2024, "deficit"), (2023, "deficit")]


def test_the_next_sentence_borrows_the_main_year_not_the_base() -> None:
    got = claims(
        "The deficit with Mexico rose to $171.8 billion in 2024, from $152.5 billion in 2023. "
        "U.S. exports to Mexico accounted for 16.2% of total U.S. goods exports."
    )
    share = [p for m, p in got if m == "partner_share"]
    assert share and share[0]["year"] == 2024


@pytest.mark.parametrize(
    "text",
    [
        "Germany was the largest European buyer of U.S. goods in 2024.",
        "Vietnam was the second-largest Asian source of U.S. imports in 2024.",
        "Mexico is the biggest trading partner in Latin America for the U.S.",
        "Mexico bought more U.S. corn than any other country in 2024.",
    ],
)
def test_ranks_within_a_region_or_product_are_not_national_ranks(text: str) -> None:
    """A rank within a region is read within the World Bank group the words name, or not at all."""
    ranks = [p for m, p in claims(text) if m == "partner_rank"]
    assert all(p.get("within") not in (None, "world") for p in ranks), ranks
    if "Asian" in text or "corn" in text:  # no official group (Asia spans several regions); one product
        assert ranks == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("About 70% of U.S. imports from Mexico enter duty-free under USMCA.", "share of the trade with one partner"),
        ("CBP seized 10,000 pounds of cocaine in a single operation in March 2024.", "single seizures"),
        ("Mexico's trade surplus with the world was about $10 billion in 2024.", "with the world"),
        ("The U.S. budget deficit topped $1.8 trillion in 2024.", ""),
        ("Texas alone exported $130 billion in goods to Mexico in 2024.", "state-level"),
        ("Three-quarters of Mexico's exports go to the United States.", "a partner's own trade"),
        ("The port of Laredo handled $320 billion of trade in 2024.", "port-level"),
    ],
)
def test_figures_no_source_covers_are_not_judged(text: str, reason: str) -> None:
    assert claims(text) == []
    assert any(reason in r for r in not_checked(text))


def test_a_sentence_with_its_own_period_does_not_borrow_the_previous_one() -> None:
    got = claims(
        "CBP counted 2.77 million encounters in fiscal 2022. Monthly encounters have been under 40,000 "
        "every month since February 2025."
    )
    assert [p.get("year") for m, p in got if m == "encounters"] == [2022]


def test_fewest_in_decades_is_a_span_of_years() -> None:
    got = claims("Encounters at the southern border dropped to about 8,000 in March 2025, the fewest in decades.")
    assert (
        "encounters_lowest_in_years",
        {"month": "2025-03", "years": 20, "scope": "southwest", "component": "usbp"},
    ) in got


def test_a_change_by_a_number_of_people_is_a_change() -> None:
    got = claims("Canada's population grew by more than 1 million people in 2023, to about 40 million.")
    assert got[0] == (
        "wdi_growth",
        {"country": "CAN", "year_from": 2022, "year_to": 2023, "measure": "population", "absolute": True},
    )
    assert got[1] == ("population", {"country": "CAN", "year": 2023})


def test_ratio_of_two_flows_with_one_partner() -> None:
    got = claims("In 2024 China sold us four times what it bought from us.")
    assert got == [("trade_flow_ratio", {"partner": "CHN", "year": 2024, "flow": "imports", "other_flow": "exports"})]


def test_agents_and_officers_are_all_of_cbp() -> None:
    got = claims("In December 2024, agents and officers were still encountering nearly 12,000 migrants a day.")
    assert got and got[0][0] == "encounters_daily_average" and got[0][1]["component"] == "all"


def test_two_months_are_summed_only_when_the_words_say_combined() -> None:
    got = claims(
        "The United States exported roughly $45 billion in goods to Mexico in January and February 2025 combined."
    )
    assert got == [
        ("trade_months", {"partner": "MEX", "start_month": "2025-01", "end_month": "2025-02", "flow": "exports"})
    ]
    assert claims("The United States exported $28 billion in goods to Mexico in January and February 2025.") == []


def test_a_comparison_of_two_changes_is_not_judged_as_one_direction() -> None:
    assert claims("Mexico's exports to the United States grew faster than Canada's in 2024.") == []


def test_one_in_seven_dollars_of_imports_is_a_share() -> None:
    got = claims("Mexico supplied roughly one in seven dollars of U.S. goods imports in 2024.")
    assert got == [("partner_share", {"partner": "MEX", "year": 2024, "flow": "imports"})]
