"""BEA trade by selected countries (BOP basis): the checked 2024 values of MANIFEST section 2."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from usmca.sources import bea_trade
from usmca.sources.base import ParsedFile


@pytest.fixture(scope="module")
def parsed_file(shared_data: Path) -> ParsedFile:
    return bea_trade.parse(shared_data / "bea_trade_by_country" / "us_trading_per_country.xlsx")


@pytest.fixture(scope="module")
def trade(parsed_file: ParsedFile) -> pd.DataFrame:
    return parsed_file.tables["trade"]


def value(trade: pd.DataFrame, partner: str, flow: str, product: str, year: int = 2024) -> float:
    rows = trade[
        (trade["partner"] == partner)
        & (trade["flow"] == flow)
        & (trade["product"] == product)
        & (trade["year"] == year)
    ]
    assert len(rows) == 1, rows
    return float(rows["value_usd"].iloc[0])


@pytest.mark.parametrize(
    ("partner", "product", "million"),
    [
        ("MEX", "goods", 334_431),
        ("CAN", "goods", 349_891),
        ("CHN", "goods", 144_571),
        ("MEX", "goods_services", 383_336),
        ("CAN", "goods_services", 440_208),
        ("CHN", "goods_services", 199_183),
        ("MEX", "services", 48_905),
    ],
)
def test_checked_2024_exports(trade: pd.DataFrame, partner: str, product: str, million: int) -> None:
    assert value(trade, partner, "exports", product) == million * 1e6  # US dollars


def test_layout_of_the_tidy_table(trade: pd.DataFrame) -> None:
    assert set(trade["flow"]) == {"exports", "imports"}  # balances are not stored
    assert set(trade["product"]) == {"goods_services", "goods", "services"}
    assert set(trade["basis"]) == {"bop"}
    assert set(trade["adjustment"]) == {"nsa"}
    assert trade["month"].isna().all()  # annual rows only
    assert (trade["year"].min(), trade["year"].max()) == (1999, 2024)
    # 27 partner columns x 26 years x 6 tables
    assert len(trade) == 27 * 26 * 6


def test_partners_and_groups(trade: pd.DataFrame) -> None:
    kinds = trade.drop_duplicates("partner").set_index("partner")["partner_kind"]
    assert kinds["G:EU"] == "group"
    assert kinds["G:CAFTA-DR"] == "group"
    assert kinds["G:SCA"] == "group"
    assert kinds["G:OTHER"] == "group"
    assert kinds["KOR"] == "country"
    assert kinds["HKG"] == "country"
    assert kinds["TWN"] == "country"
    assert (kinds == "country").sum() == 23
    assert "WLD" not in kinds.index  # the file has no world column
    assert set(trade.loc[trade["partner"] == "G:SCA", "partner_name"]) == {"South/Central America"}


def test_not_available_cells(trade: pd.DataFrame) -> None:
    na = trade[trade["status"] == "not_published"]
    assert not na.empty
    assert na["value_usd"].isna().all()
    # Vietnam's services have no data in 1999; goods are complete.
    assert not na[(na["partner"] == "VNM") & (na["product"] == "services")].empty
    assert na[na["product"] == "goods"].empty


def test_goods_plus_services(trade: pd.DataFrame) -> None:
    for partner in ("MEX", "CAN", "CHN"):
        total = value(trade, partner, "imports", "goods_services")
        parts = value(trade, partner, "imports", "goods") + value(trade, partner, "imports", "services")
        assert total == pytest.approx(parts, abs=2e6)  # rounding to US$ million


def test_vintage_and_detect(shared_data: Path, parsed_file: ParsedFile) -> None:
    assert parsed_file.vintage == date(2025, 3, 6)  # "Last updated March 6, 2025"
    assert parsed_file.info.id == "bea.country"
    assert bea_trade.detect(parsed_file.path)
    assert not bea_trade.detect(shared_data / "census_trade_by_country" / "country.xlsx")
