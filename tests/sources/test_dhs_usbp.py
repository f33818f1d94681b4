"""DHS OHSS USBP encounters workbook (MANIFEST section 4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from usmca.sources import dhs_usbp
from usmca.sources.base import ParsedFile

NAME = "KHSM Encounters (USBP) fy25m11.xlsx"


@pytest.fixture(scope="module")
def path(shared_data: Path) -> Path:
    return shared_data / "dhs_ohss_usbp_encounters" / NAME


@pytest.fixture(scope="module")
def parsed_file(path: Path) -> ParsedFile:
    return dhs_usbp.parse(path)


def test_tidy_table(parsed_file: ParsedFile) -> None:
    df = parsed_file.tables["encounters"]
    assert set(df["component"]) == {"USBP"}
    assert set(df["region"]) == {"southwest", "northern", "coastal"}
    assert {"Tucson, AZ", "Rio Grande Valley, TX", "Blaine, WA", "Miami, FL"} <= set(df["area"])
    assert df[["demographic", "citizenship", "authority", "encounter_type"]].isna().all().all()
    assert (df["count"] % 10 == 0).all()  # OHSS rounds to the nearest 10
    assert (df["fiscal_year"].min(), df["fiscal_year"].max()) == (2000, 2025)
    # "01 October" of FY2000 is October 1999; the last month is November 2024 (FY2025 month 2).
    first = df.iloc[0]
    assert (first["fiscal_year"], first["year"], first["month"]) == (2000, 1999, 10)
    last = df.sort_values(["year", "month"]).iloc[-1]
    assert (last["fiscal_year"], last["year"], last["month"]) == (2025, 2024, 11)
    assert int(df[df["fiscal_year"] == 2025]["month"].nunique()) == 2
    assert any("partial" in n for n in parsed_file.notes)


def test_vintage_is_the_workbook_creation_date(parsed_file: ParsedFile, path: Path) -> None:
    assert dhs_usbp.workbook_created(path) == date(2025, 1, 16)
    assert parsed_file.vintage == date(2025, 1, 16)


def test_sectors_agree_with_the_monthly_count_sheet(parsed_file: ParsedFile, path: Path) -> None:
    """Every month: the sum of the sector cells against `Monthly Count`.

    They are not equal in most months: each cell is rounded to 10 on its own (235 of the 302
    months differ, by at most 40). The difference must stay within the rounding bound:
    5 per summed cell plus 5 for the total.
    """
    df = parsed_file.tables["encounters"]
    sums = df.groupby(["fiscal_year", "month"])["count"].agg(["sum", "size"])
    count = dhs_usbp.monthly_count(path).set_index(["fiscal_year", "month"])["count"]
    both = sums.join(count, how="outer")
    assert both.notna().all().all()  # the same 302 months in both sheets
    assert len(both) == 302
    diff = (both["sum"] - both["count"]).abs()
    assert (diff <= 5 * (both["size"] + 1)).all()
    assert int((diff > 0).sum()) == 235
    assert int(diff.max()) == 40


def test_region_sheet_totals(parsed_file: ParsedFile, path: Path) -> None:
    """FY2024 southwest border total, independently from `Annual Rgn and Sector`."""
    annual = pd.read_excel(path, sheet_name="Annual Rgn and Sector", engine="calamine")
    annual.columns = [" ".join(str(c).split()) for c in annual.columns]
    sw = annual[(annual["Fiscal Year"] == 2024) & (annual["Region"] == "Southwest Land Border")]
    df = parsed_file.tables["encounters"]
    ours = df[(df["fiscal_year"] == 2024) & (df["region"] == "southwest")]["count"].sum()
    assert abs(ours - sw["Quantity"].sum()) <= 5 * 12 * len(sw) + 5 * len(sw)


def test_detect(path: Path, shared_data: Path) -> None:
    assert dhs_usbp.detect(path)
    assert not dhs_usbp.detect(shared_data / "census_trade_by_country" / "country.xlsx")
    assert not dhs_usbp.detect(shared_data / "cbp_encounters" / "sbo-encounters-fy22-fy25-aug.csv")
