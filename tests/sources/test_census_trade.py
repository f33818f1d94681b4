"""Census country.xlsx: the checked 2024 values of MANIFEST section 1."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from usmca.sources import census_trade
from usmca.sources.base import ParsedFile


@pytest.fixture(scope="module")
def parsed_file(shared_data: Path) -> ParsedFile:
    return census_trade.parse(shared_data / "census_trade_by_country" / "country.xlsx")


@pytest.fixture(scope="module")
def trade(parsed_file: ParsedFile) -> pd.DataFrame:
    return parsed_file.tables["trade"]


def annual(trade: pd.DataFrame, partner: str, flow: str, year: int = 2024) -> float:
    rows = trade[
        (trade["partner"] == partner)
        & (trade["flow"] == flow)
        & (trade["year"] == year)
        & trade["month"].isna()
        & (trade["adjustment"] == "nsa")
        & (trade["product"] == "goods")
    ]
    assert len(rows) == 1, rows
    return float(rows["value_usd"].iloc[0])


@pytest.mark.parametrize(
    ("partner", "flow", "million"),
    [
        ("MEX", "exports", 334_041.4),
        ("CAN", "exports", 349_359.9),
        ("CHN", "exports", 143_545.7),
        ("MEX", "imports", 505_850.6),
        ("CAN", "imports", 412_695.7),
        ("CHN", "imports", 438_947.4),
        ("WLD", "exports", 2_065_131),
        ("WLD", "imports", 3_267_461),
    ],
)
def test_checked_2024_values(trade: pd.DataFrame, partner: str, flow: str, million: float) -> None:
    # Values are stored in US dollars, not millions; the manifest rounds to its last digit.
    half_unit = 0.5e6 if isinstance(million, int) else 0.05e6
    assert annual(trade, partner, flow) == pytest.approx(million * 1e6, abs=half_unit)


def test_korea_south_resolves_to_kor(trade: pd.DataFrame) -> None:
    names = set(trade.loc[trade["partner"] == "KOR", "partner_name"])
    assert names == {"Korea, South"}


def test_months_after_february_2025_are_not_published(trade: pd.DataFrame) -> None:
    y25 = trade[(trade["year"] == 2025) & (trade["partner"] == "MEX")]
    published = y25[y25["status"] == "published"]
    assert set(published["month"].dropna().astype(int)) == {1, 2}
    later = y25[(y25["month"] > 2) | y25["month"].isna()]
    assert len(later) == 2 * 11  # 10 months + the annual total, both flows
    assert (later["status"] == "not_published").all()
    assert later["value_usd"].isna().all()


def test_groups_are_not_countries(trade: pd.DataFrame) -> None:
    codes = trade["partner_code"].astype(int)
    small = trade[codes < 1000]
    assert not small.empty
    assert (small["partner_kind"] != "country").all()
    assert set(small.loc[small["partner_code"] == "0003", "partner"]) == {"G:0003"}
    assert (trade.loc[codes >= 1000, "partner_kind"] == "country").all()
    assert set(small["partner_kind"]) == {"world", "group"}


def test_monthly_values_sum_to_annual(trade: pd.DataFrame) -> None:
    mex = trade[(trade["partner"] == "MEX") & (trade["year"] == 2024) & (trade["flow"] == "exports")]
    monthly = mex[mex["month"].notna()]["value_usd"].sum()
    assert monthly == pytest.approx(annual(trade, "MEX", "exports"), rel=1e-6)


def test_vintage_and_detect(shared_data: Path, parsed_file: ParsedFile) -> None:
    assert census_trade.detect(parsed_file.path)
    other = shared_data / "cbp_encounters" / "sbo-encounters-fy22-fy25-aug.csv"
    assert not census_trade.detect(other)
    # The file has January-February 2025; Census publishes month M early in month M+2.
    assert parsed_file.vintage.isoformat() == "2025-04-01"
    assert parsed_file.info.id == "census.country"
