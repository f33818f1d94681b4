"""DHS Office of Homeland Security Statistics (OHSS): U.S. Border Patrol encounters by sector.

Official page: https://ohss.dhs.gov/khsm/cbp-encounters ("CBP Encounters - USBP"), workbook
`KHSM Encounters (USBP) fy25m11.xlsx` (FY2000 through November 2024).

Layout: 16 sheets, annual and monthly versions of Count, Citizenship, Region, Family Status,
Sector and Region x (Citizenship | Family Status | Sector). This parser reads
`Monthly Rgn and Sector`: columns `Fiscal Year` (the header cell holds a line break), `Month`
(`01 October` .. `12 September`: the number is the month of the fiscal year), `Region`
(Coastal Border / Northern Land Border / Southwest Land Border), `Sector` (e.g. `Tucson, AZ`)
and `Quantity`.

Units: Border Patrol encounters (Title 8 apprehensions and Title 42 expulsions), events, each
cell rounded by OHSS to the nearest 10, so sums of cells differ from the `Monthly Count` sheet
by a few tens. USBP only: OFO inadmissibles are not included. The last fiscal year is partial.

Tidy table `encounters`: component USBP, region southwest / northern / coastal, area = sector as
published; demographic, citizenship, authority and encounter_type are NULL (all of them).

Vintage: the workbook's creation date (docProps/core.xml, 2025-01-16 for the fy25m11 file), when
it is present and not before the end of the last month covered; otherwise the first day of the
month after the last month present.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd

from usmca.errors import DataFormatError
from usmca.months import MONTH_NAMES
from usmca.sources._tabular import first_index, map_values, row_at, to_number
from usmca.sources.base import ParsedFile, SourceInfo, parsed, read_xlsx, register
from usmca.sources.cbp_encounters import ENCOUNTER_COLUMNS, REGIONS, first_of_next_month
from usmca.tables import US_PUBLIC_DOMAIN

SHEET = "Monthly Rgn and Sector"
COUNT_SHEET = "Monthly Count"
COLUMNS = ["Fiscal Year", "Month", "Region", "Sector", "Quantity"]
FY_MONTHS = [m.lower() for m in (*MONTH_NAMES[9:], *MONTH_NAMES[:9])]  # october .. september


def _workbook_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/workbook.xml").decode("utf-8", errors="replace")


def workbook_created(path: Path) -> date | None:
    """The `dcterms:created` date of an .xlsx, if recorded."""
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8", errors="replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    m = re.search(r"<dcterms:created[^>]*>(\d{4})-(\d{2})-(\d{2})", core)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def detect(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx":
        return False
    if re.match(r"khsm encounters \(usbp\).*\.xlsx$", path.name.lower()):
        return True
    try:
        return f'name="{SHEET}"' in _workbook_xml(path)
    except (KeyError, OSError, zipfile.BadZipFile):
        return False


def read_sheet(path: Path, sheet: str, columns: list[str]) -> pd.DataFrame:
    """One monthly sheet, header in row 1; `_row` = the sheet row of each data row."""
    raw = read_xlsx(path, sheet=sheet, header=0)
    raw.columns = [re.sub(r"\s+", " ", str(c)).strip() for c in raw.columns]
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise DataFormatError(
            path,
            f"sheet {sheet!r} lacks column(s) {missing}",
            row=1,
            column=missing[0],
            expected=f"columns {columns}",
            found=list(raw.columns),
        )
    raw = raw.dropna(how="all").copy()
    if raw.empty:
        raise DataFormatError(
            path,
            f"sheet {sheet!r} has no data rows",
            row=2,
            expected="monthly rows",
            found="nothing",
        )
    raw["_row"] = raw.index + 2
    for c in columns:
        raw[c] = raw[c].map(lambda v: "" if pd.isna(v) else str(v).strip())
    return raw


def fiscal_months(path: Path, df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """`Fiscal Year` and `Month` (`01 October`) -> fiscal year and calendar month."""
    fy_text = df["Fiscal Year"].str.replace(r"\.0$", "", regex=True)
    fy = pd.to_numeric(fy_text.where(fy_text.str.fullmatch(r"\d{4}")), errors="coerce")
    if fy.isna().any():
        i = fy.isna().idxmax()
        raise DataFormatError(
            path,
            "not a fiscal year",
            row=row_at(df, i),
            column="Fiscal Year",
            expected="a year such as 2025",
            found=df.at[i, "Fiscal Year"],
        )
    parts = df["Month"].str.extract(r"^(\d{1,2})\s+([A-Za-z]+)$")
    idx = pd.to_numeric(parts[0], errors="coerce")
    name_ok = [
        isinstance(n, str) and 1 <= i <= 12 and FY_MONTHS[int(i) - 1] == n.lower()
        for i, n in zip(idx.fillna(0), parts[1], strict=True)
    ]
    bad = ~pd.Series(name_ok, index=df.index)
    if bad.any():
        i = first_index(bad)
        raise DataFormatError(
            path,
            "not a fiscal-year month",
            row=row_at(df, i),
            column="Month",
            expected="'01 October' .. '12 September'",
            found=df.at[i, "Month"],
        )
    month = ((idx.astype(int) + 8) % 12) + 1  # 1 -> October (10), 4 -> January (1)
    return fy.astype(int), month


def parse(path: Path) -> ParsedFile:
    df = read_sheet(path, SHEET, COLUMNS)
    df["fiscal_year"], df["month"] = fiscal_months(path, df)
    df["year"] = df["fiscal_year"] - (df["month"] >= 10).astype(int)
    df["count"] = to_number(path, df, "Quantity")
    df["region"] = map_values(
        path, df, "Region", REGIONS, "Coastal Border, Northern Land Border or Southwest Land Border"
    )
    empty = df["Sector"] == ""
    if empty.any():
        i = first_index(empty)
        raise DataFormatError(
            path,
            "empty sector",
            row=row_at(df, i),
            column="Sector",
            expected="a Border Patrol sector",
            found="",
        )
    dup = df.duplicated(subset=["fiscal_year", "month", "Region", "Sector"], keep="first")
    if dup.any():
        i = first_index(dup)
        first = df[
            (df["fiscal_year"] == df.at[i, "fiscal_year"])
            & (df["month"] == df.at[i, "month"])
            & (df["Sector"] == df.at[i, "Sector"])
        ]["_row"].iloc[0]
        raise DataFormatError(
            path,
            f"sector {df.at[i, 'Sector']!r} listed twice for {df.at[i, 'Month']!s} of fiscal "
            f"year {df.at[i, 'fiscal_year']!s} (first at row {first})",
            row=row_at(df, i),
            column="Month",
            expected="one row per month and sector",
            found="a second row",
        )
    df["component"] = "USBP"
    df["area"] = df["Sector"]
    for c in ("demographic", "citizenship", "authority", "encounter_type"):
        df[c] = None
    out = df[[*ENCOUNTER_COLUMNS, "_row"]].reset_index(drop=True)
    last = out[["year", "month"]].drop_duplicates().sort_values(["year", "month"]).iloc[-1]
    y, m = int(last["year"]), int(last["month"])
    after = first_of_next_month(y, m)
    created = workbook_created(path)
    if created is not None and created >= after:
        vintage, rule = created, "workbook creation date (docProps/core.xml)"
    else:
        vintage, rule = after, "first day of the month after the last month present"
    fy_last = int(out["fiscal_year"].max())
    n_last = int((out["fiscal_year"] == fy_last).groupby(out["month"]).any().sum())
    notes = [
        f"coverage through {y}-{m:02d}; vintage = {rule}",
        "USBP only (no OFO); quantities rounded by OHSS to the nearest 10",
    ]
    if n_last < 12:
        notes.append(f"fiscal year {fy_last} is partial ({n_last} months)")
    return parsed(SOURCE, path, vintage, {"encounters": out}, notes=notes)


def monthly_count(path: Path) -> pd.DataFrame:
    """The `Monthly Count` sheet: fiscal_year, year, month, count (for cross-checks)."""
    df = read_sheet(path, COUNT_SHEET, ["Fiscal Year", "Month", "Quantity"])
    df["fiscal_year"], df["month"] = fiscal_months(path, df)
    df["year"] = df["fiscal_year"] - (df["month"] >= 10).astype(int)
    df["count"] = to_number(path, df, "Quantity")
    return df[["fiscal_year", "year", "month", "count"]].reset_index(drop=True)


SOURCE = register(
    SourceInfo(
        id="dhs.usbp",
        agency="U.S. Department of Homeland Security, Office of Homeland Security Statistics",
        title="CBP Encounters - USBP, by region and sector (OHSS KHSM workbook), monthly, events",
        url="https://ohss.dhs.gov/khsm/cbp-encounters",
        licence=US_PUBLIC_DOMAIN,
        citation="U.S. Department of Homeland Security, Office of Homeland Security Statistics, CBP Encounters",
        table="encounters",
        detect=detect,
        parse=parse,
        downloads=(),
    )
)

__all__ = ["SOURCE", "detect", "monthly_count", "parse", "workbook_created"]
