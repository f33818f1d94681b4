"""U.S. Customs and Border Protection (CBP) encounters by month: nationwide and Southwest border.

Official pages:
    https://www.cbp.gov/document/stats/nationwide-encounters
    https://www.cbp.gov/document/stats/southwest-land-border-encounters

Two CSV layouts, one source id each:

`cbp.nationwide` (`nationwide-encounters-fy20-fy23-state.csv`, ...):
    Fiscal Year, Month Grouping, Month (abbv), Land Border Region, State, Demographic,
    Citizenship, Title of Authority, Encounter Count
`cbp.southwest` (`sbo-encounters-fy22-fy25-aug.csv`, Southwest land border only):
    Fiscal Year, Month Grouping, Month (abbv), Component, Demographic, Citizenship Grouping,
    Title of Authority, Encounter Type, Encounter Count

Units: encounters (events, not unique persons): USBP Title 8 apprehensions, OFO Title 8
inadmissibles and Title 42 expulsions. Fiscal year N runs from October N-1 to September N;
the current fiscal year is labelled e.g. `2026 (FYTD)`.

Tidy table `encounters`: fiscal_year, calendar year and month, component (`ALL` for the state
files, which have no USBP/OFO split; `USBP`/`OFO` in the sbo file), region (southwest / northern /
other; always southwest in the sbo file), area (state, two-letter code; NULL in the sbo file),
demographic and authority as published, citizenship as ISO3 (`OTHER` for CBP's residual group),
encounter_type (sbo file only), count.

Vintage: the first day of the month after the last month present (CBP posts a month's figures
in the middle of the next month). Files overlap: the store keeps every file and, per month, the
rows of the newest vintage win (`encounters_current`).

Duplicates: rows that repeat every dimension of another row within the same month are summed
(counted in a note); a month listed twice (under two `Month Grouping` or two fiscal-year labels,
or a whole month block repeated) is an error.

The CSV toolkit (`read_csv_strict`, `to_number`, `bad_cell`) is in `usmca.sources._tabular`;
the fiscal-year and month helpers here are shared by the CBP and DHS parsers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from usmca.countries import to_iso3
from usmca.errors import DataFormatError
from usmca.months import MONTH_NUMBER
from usmca.sources._tabular import bad_cell, detect_csv, map_values, read_csv_strict, sum_duplicates, to_number
from usmca.sources.base import Download, ParsedFile, SourceInfo, parsed, register
from usmca.tables import TABLES, US_PUBLIC_DOMAIN

NATIONWIDE_COLUMNS = [
    "Fiscal Year",
    "Month Grouping",
    "Month (abbv)",
    "Land Border Region",
    "State",
    "Demographic",
    "Citizenship",
    "Title of Authority",
    "Encounter Count",
]
SOUTHWEST_COLUMNS = [
    "Fiscal Year",
    "Month Grouping",
    "Month (abbv)",
    "Component",
    "Demographic",
    "Citizenship Grouping",
    "Title of Authority",
    "Encounter Type",
    "Encounter Count",
]

REGIONS = {
    "southwest land border": "southwest",
    "southwest border": "southwest",
    "northern land border": "northern",
    "northern border": "northern",
    "coastal border": "coastal",
    "other": "other",
}

COMPONENTS = {
    "u.s. border patrol": "USBP",
    "us border patrol": "USBP",
    "usbp": "USBP",
    "office of field operations": "OFO",
    "ofo": "OFO",
    "air and marine operations": "AMO",
    "amo": "AMO",
}

ENCOUNTER_COLUMNS = TABLES["encounters"].column_names
KEY = list(TABLES["encounters"].key)


def fiscal_years(path: Path, df: pd.DataFrame, column: str) -> pd.Series:
    """`2025` or `2026 (FYTD)` -> 2025, 2026."""
    m = df[column].astype(str).str.extract(r"^\s*(\d{4})\s*(?:\(\s*FYTD\s*\))?\s*$", expand=False)
    bad = m.isna()
    if bad.any():
        raise bad_cell(path, df, bad, column, "not a fiscal year", "a year such as 2025 or 2026 (FYTD)")
    return m.astype(int)


def month_numbers(path: Path, df: pd.DataFrame, column: str) -> pd.Series:
    """`OCT` (or `October`) -> 10."""
    m = df[column].astype(str).str.strip().str.lower().map(MONTH_NUMBER)
    bad = m.isna()
    if bad.any():
        raise bad_cell(path, df, bad, column, "not a month", "a month abbreviation such as OCT")
    return m.astype(int)


def calendar_year(fiscal_year: pd.Series, month: pd.Series) -> pd.Series:
    """Fiscal year N runs October N-1 .. September N."""
    return fiscal_year - (month >= 10).astype(int)


def first_of_next_month(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1)


def vintage_after_last_month(df: pd.DataFrame) -> tuple[date, str]:
    last = df[["year", "month"]].drop_duplicates().sort_values(["year", "month"]).iloc[-1]
    y, m = int(last["year"]), int(last["month"])
    return first_of_next_month(y, m), f"{y}-{m:02d}"


def citizenship_iso3(path: Path, df: pd.DataFrame, column: str) -> pd.Series:
    """Country names to ISO3; CBP's residual group `OTHER` stays `OTHER`."""
    names = df[column].astype(str).str.strip()
    codes = {}
    for name in names.unique():
        if name.upper() in ("OTHER", "ALL OTHER", "OTHERS"):
            codes[name] = "OTHER"
            continue
        iso = to_iso3(name)
        if iso is None:
            bad = names == name
            raise bad_cell(
                path,
                df,
                bad,
                column,
                f"unknown country name {name!r}",
                "a country name that resolves to an ISO3 code, or OTHER",
            )
        codes[name] = iso
    return names.map(codes)


def check_periods(path: Path, df: pd.DataFrame, fy_col: str, group_col: str | None, dims: list[str]) -> None:
    """A month must appear under one fiscal-year label and one Month Grouping, once.

    `df` has `fiscal_year` and `month` already; `dims` are the file's dimension columns.
    """
    label_cols = [fy_col] + ([group_col] if group_col else [])
    labels = df.groupby(["fiscal_year", "month"])[label_cols].nunique()
    twice = labels[(labels > 1).any(axis=1)]
    if not twice.empty:
        fy, month = twice.index[0]
        rows = df[(df["fiscal_year"] == fy) & (df["month"] == month)]
        seen = rows.drop_duplicates(label_cols)
        raise DataFormatError(
            path,
            f"month {month:02d} of fiscal year {fy} is listed twice, under "
            + " and ".join(repr(" / ".join(str(v) for v in r)) for r in seen[label_cols].values[:2]),
            row=int(seen["_row"].iloc[1]),
            column=label_cols[-1],
            expected="each month once",
            found=" / ".join(str(v) for v in seen[label_cols].values[1]),
        )
    # The whole block of a month repeated: every row of the month has an identical twin.
    dup_all = df.duplicated(subset=["fiscal_year", "month", *dims], keep=False)
    per_month = dup_all.groupby([df["fiscal_year"], df["month"]]).all()
    if per_month.any():
        fy, month = per_month[per_month].index[0]
        rows = df[(df["fiscal_year"] == fy) & (df["month"] == month)]
        second = rows[rows.duplicated(subset=dims, keep="first")]
        raise DataFormatError(
            path,
            f"the rows of month {month:02d} of fiscal year {fy} appear twice (duplicated period)",
            row=int(second["_row"].iloc[0]),
            column=fy_col,
            expected="each month once",
            found="every row of the month repeated",
        )


# -- parsers --------------------------------------------------------------------------------------
def detect_nationwide(path: Path) -> bool:
    return detect_csv(
        path,
        r"nationwide-encounters-.*\.csv",
        {"Land Border Region", "State", "Encounter Count", "Citizenship"},
    )


def detect_southwest(path: Path) -> bool:
    return detect_csv(
        path,
        r"sbo-encounters-.*\.csv",
        {"Component", "Encounter Type", "Encounter Count", "Citizenship Grouping"},
    )


def _finish(path: Path, df: pd.DataFrame, info: SourceInfo, notes: list[str]) -> ParsedFile:
    out, merged = sum_duplicates(df[[*ENCOUNTER_COLUMNS, "_row"]], KEY, ["count"])
    if merged:
        notes.append(f"{merged} rows repeating every dimension of another row were summed")
    vintage, last = vintage_after_last_month(out)
    notes.append(f"coverage through {last}; vintage = first day of the following month")
    out = out.sort_values("_row").reset_index(drop=True)
    return parsed(info, path, vintage, {"encounters": out}, notes=notes)


def parse_nationwide(path: Path) -> ParsedFile:
    df = read_csv_strict(path, NATIONWIDE_COLUMNS)
    df["fiscal_year"] = fiscal_years(path, df, "Fiscal Year")
    df["month"] = month_numbers(path, df, "Month (abbv)")
    df["year"] = calendar_year(df["fiscal_year"], df["month"])
    df["count"] = to_number(path, df, "Encounter Count")
    df["region"] = map_values(
        path,
        df,
        "Land Border Region",
        REGIONS,
        "Southwest Land Border, Northern Land Border or Other",
    )
    df["citizenship"] = citizenship_iso3(path, df, "Citizenship")
    dims = ["Land Border Region", "State", "Demographic", "Citizenship", "Title of Authority"]
    check_periods(path, df, "Fiscal Year", "Month Grouping", dims)
    df["component"] = "ALL"
    df["area"] = df["State"].str.strip()
    df["demographic"] = df["Demographic"].str.strip()
    df["authority"] = df["Title of Authority"].str.strip()
    df["encounter_type"] = None
    return _finish(
        path,
        df,
        NATIONWIDE,
        [
            "component ALL: the state files do not split USBP and OFO",
            "citizenship stored as ISO3 (OTHER = CBP's residual group)",
        ],
    )


def parse_southwest(path: Path) -> ParsedFile:
    df = read_csv_strict(path, SOUTHWEST_COLUMNS)
    df["fiscal_year"] = fiscal_years(path, df, "Fiscal Year")
    df["month"] = month_numbers(path, df, "Month (abbv)")
    df["year"] = calendar_year(df["fiscal_year"], df["month"])
    df["count"] = to_number(path, df, "Encounter Count")
    df["component"] = map_values(path, df, "Component", COMPONENTS, "U.S. Border Patrol or Office of Field Operations")
    df["citizenship"] = citizenship_iso3(path, df, "Citizenship Grouping")
    dims = [
        "Component",
        "Demographic",
        "Citizenship Grouping",
        "Title of Authority",
        "Encounter Type",
    ]
    check_periods(path, df, "Fiscal Year", "Month Grouping", dims)
    df["region"] = "southwest"
    df["area"] = None
    df["demographic"] = df["Demographic"].str.strip()
    df["authority"] = df["Title of Authority"].str.strip()
    df["encounter_type"] = df["Encounter Type"].str.strip()
    return _finish(
        path,
        df,
        SOUTHWEST,
        [
            "Southwest land border only; region = southwest",
            "citizenship stored as ISO3 (OTHER = CBP's residual group)",
        ],
    )


NATIONWIDE = register(
    SourceInfo(
        id="cbp.nationwide",
        agency="U.S. Customs and Border Protection",
        title="Nationwide Encounters by state (CBP), monthly, events",
        url="https://www.cbp.gov/document/stats/nationwide-encounters",
        licence=US_PUBLIC_DOMAIN,
        citation="U.S. Customs and Border Protection, Nationwide Encounters",
        table="encounters",
        detect=detect_nationwide,
        parse=parse_nationwide,
        downloads=(
            Download(
                "https://www.cbp.gov/sites/default/files/2025-12/nationwide-encounters-fy23-fy26-nov-state.csv",
                "nationwide-encounters-fy23-fy26-nov-state.csv",
            ),
        ),
    )
)

SOUTHWEST = register(
    SourceInfo(
        id="cbp.southwest",
        agency="U.S. Customs and Border Protection",
        title="Southwest Land Border Encounters (CBP), by component, monthly, events",
        url="https://www.cbp.gov/document/stats/southwest-land-border-encounters",
        licence=US_PUBLIC_DOMAIN,
        citation="U.S. Customs and Border Protection, Southwest Land Border Encounters",
        table="encounters",
        detect=detect_southwest,
        parse=parse_southwest,
        downloads=(
            Download(
                "https://www.cbp.gov/sites/default/files/2025-09/sbo-encounters-fy22-fy25-aug.csv",
                "sbo-encounters-fy22-fy25-aug.csv",
            ),
        ),
    )
)

SOURCE = NATIONWIDE

__all__ = [
    "NATIONWIDE",
    "SOURCE",
    "SOUTHWEST",
    "detect_nationwide",
    "detect_southwest",
    "parse_nationwide",
    "parse_southwest",
]
