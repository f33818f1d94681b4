"""Round numbers, plain-figure bands, and U.S. totals with the world."""

from __future__ import annotations

from datetime import date

import pytest

from usmca.claims.check import check_text
from usmca.store import Store, open_reader


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    r = open_reader(Store(tmp_path_factory.mktemp("r") / "none"))
    yield r
    r.close()


@pytest.mark.parametrize(
    ("amount", "verdict"),
    [
        ("$293 billion", "supported"),  # Census 2019: 292.8 billion
        ("$300 billion", "approximately"),  # 2.4% off a round number: within its 2% + 2%
        ("$320 billion", "contradicted"),  # 8.5% off
        ("about $320 billion", "approximately"),  # hedged: 10%
    ],
)
def test_round_numbers(reader, amount: str, verdict: str) -> None:  # type: ignore[no-untyped-def]
    rep = check_text(f"Canada bought {amount} of U.S. goods in 2019.", reader)
    assert [c.verdict for c in rep.claims] == [verdict]
    assert rep.claims[0].computed is not None and round(rep.claims[0].computed.value / 1e9, 1) == 292.8


def test_us_total_exports_use_the_newest_national_total(reader) -> None:  # type: ignore[no-untyped-def]
    """FT-900 (March 2026 release) has 2025 Census-basis goods exports of 2,185,183 $M."""
    rep = check_text("In 2025, the U.S. exported $2.19 trillion of goods.", reader)
    c = rep.claims[0]
    assert c.params["partner"] == "WLD" and c.verdict == "supported"
    assert c.computed is not None and c.computed.value == 2_185_183e6
    assert c.evidence[0].file == "exh12.xlsx"


@pytest.mark.parametrize(
    ("text", "partner", "verdict"),
    [
        ("Americans sold more goods to Canadians than to any other nation in 2024.", "CAN", "supported"),
        ("In 2024 Mexico bought more U.S. goods than any other country.", "MEX", "contradicted"),
    ],
)
def test_more_than_any_other(reader, text: str, partner: str, verdict: str) -> None:  # type: ignore[no-untyped-def]
    ranks = [c for c in check_text(text, reader).claims if c.metric == "partner_rank"]
    assert [(c.params["partner"], c.verdict) for c in ranks] == [(partner, verdict)]


def test_cbp_fentanyl_is_the_nationwide_figure(reader) -> None:  # type: ignore[no-untyped-def]
    """CBP's FY2024 nationwide (OFO + Border Patrol) fentanyl seizures: 21,889 lb."""
    c = check_text("CBP seized 21,900 pounds of fentanyl in fiscal year 2024.", reader).claims[0]
    assert c.verdict == "supported" and round(c.computed.value) == 21_889  # type: ignore[union-attr]
    assert [o.name for o in c.other_readings] == ["with Air and Marine Operations"]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Canada bought $15 billion more U.S. goods than Mexico did in 2024.", "supported"),  # 15.3 bn
        ("Mexico bought $50 billion more U.S. goods than Canada in 2024.", "contradicted"),  # -15.3 bn
        ("In 2024 China bought $190 billion less from the U.S. than Mexico.", "supported"),  # -190.5 bn
    ],
)
def test_differences_between_partners(reader, text: str, verdict: str) -> None:  # type: ignore[no-untyped-def]
    (c,) = check_text(text, reader).claims
    assert c.metric == "trade_difference" and c.verdict == verdict


def test_amounts_in_one_clause_keep_their_own_flow(reader) -> None:  # type: ignore[no-untyped-def]
    rep = check_text(
        "The U.S. ran a $172 billion goods deficit with Mexico, and imports from Mexico hit $506 billion in 2024.",
        reader,
    )
    assert [(c.params["flow"], c.verdict) for c in rep.claims] == [("deficit", "supported"), ("imports", "supported")]


@pytest.mark.parametrize(
    ("text", "country", "verdict"),
    [
        ("The Mexican population is about 131 million.", "MEX", "supported"),  # WDI 2024: 130,861,007
        ("With 130.9 million people in 2024, Mexico is a large market.", "MEX", "supported"),
        ("Canada is home to 41 million people.", "CAN", "supported"),  # 41,288,599
        ("Mexico's population reached 140 million in 2024.", "MEX", "contradicted"),
    ],
)
def test_population_claims(reader, text: str, country: str, verdict: str) -> None:  # type: ignore[no-untyped-def]
    (c,) = check_text(text, reader).claims
    assert (c.metric, c.params["country"], c.verdict) == ("population", country, verdict)


def test_monthly_average_of_encounters(reader) -> None:  # type: ignore[no-untyped-def]
    """FY2021-FY2024 nationwide: 10,825,387 encounters over 48 months = 225,529 a month."""
    (c,) = check_text("Border encounters averaged 225,500 a month in fiscal years 2021 through 2024.", reader).claims
    assert c.metric == "encounters_monthly_average"
    assert (c.params["start_month"], c.params["end_month"]) == ("2020-10", "2024-09")
    assert c.verdict == "supported" and round(c.computed.value) == 225_529  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "metric", "verdict"),
    [
        # Census: exports to Mexico 2023 322.7 bn -> 2024 334.0 bn (+3.50%); 2020 212.5 bn (+57.2% to 2024)
        ("U.S. exports to Mexico grew 3.5% in 2024.", "trade_growth", "supported"),
        ("U.S. exports to Mexico grew 3% in 2024.", "trade_growth", "approximately"),
        ("U.S. exports to Mexico rose 50% from 2020 to 2024.", "trade_growth", "contradicted"),
        ("Exports to China fell more than 5% in 2024.", "trade_growth", "contradicted"),  # -2.9%
        ("Mexico took about 16% of U.S. goods exports in 2024.", "partner_share", "supported"),  # 16.17%
        ("Mexico bought 25% of all U.S. exports in 2024.", "partner_share", "contradicted"),
    ],
)
def test_growth_and_shares_in_points(reader, text: str, metric: str, verdict: str) -> None:  # type: ignore[no-untyped-def]
    (c,) = check_text(text, reader).claims
    assert (c.metric, c.verdict) == (metric, verdict)


def test_a_canadian_briefing(reader) -> None:  # type: ignore[no-untyped-def]
    """Our own text: imports named by the verb alone, 'each' per person, a state-level claim left alone."""
    text = (
        "Canada is the largest export market for 36 U.S. states. In 2024 the United States exported "
        "$349.4 billion in goods to Canada and imported $412.7 billion, a deficit of about $63 billion. "
        "Canadians bought about $8,500 each of American goods in 2024."
    )
    got = [(c.metric, c.params.get("flow"), c.verdict) for c in check_text(text, reader).claims]
    assert got == [
        ("trade_value", "exports", "supported"),
        ("trade_value", "imports", "supported"),
        ("trade_value", "deficit", "supported"),
        ("per_capita_trade", "exports", "supported"),
    ]


def test_mexico_imported_from_the_us_is_a_us_export(reader) -> None:  # type: ignore[no-untyped-def]
    (c,) = check_text("In 2024 Mexico imported $334 billion of goods from the United States.", reader).claims
    assert (c.params["partner"], c.params["flow"], c.verdict) == ("MEX", "exports", "supported")


def test_running_total_since_a_day_without_a_year(reader) -> None:  # type: ignore[no-untyped-def]
    """Mexico's Security Cabinet: 467.32 kg of fentanyl seized from 5 February to 2 October 2025."""
    # "By October 2025" is an end, not the text's date (a target year must not date a text): the date is given
    rep = check_text(
        "By October 2025 Mexican forces had seized about 467 kilograms of fentanyl since February 5.",
        reader,
        as_of=date(2025, 10, 15),
    )
    (c,) = rep.claims
    assert c.metric == "statement_running_total" and c.params["since"] == "2025-02"
    assert c.verdict == "supported" and c.computed is not None and c.computed.value == 467.32
