"""U.S. Customs and Border Protection (CBP) drug seizures by month, component and drug.

Official pages:
    https://www.cbp.gov/document/stats/nationwide-drug-seizures   (OFO + USBP, `cbp.drugs`)
    https://www.cbp.gov/document/stats/air-and-marine-operations-drug-seizures   (`cbp.amo_drugs`)

Layout (one CSV per release, e.g. `nationwide-drugs-fy23-fy26-dec.csv`):
    FY, Month (abbv), Component, Region, Land Filter, Area of Responsibility, Drug Type,
    Count of Event, Sum Qty (lbs)
The Air and Marine Operations files (`amo-drug-seizures-*.csv`) have `Branch` in place of
`Area of Responsibility`.

Units: `Sum Qty (lbs)` is pounds; `Count of Event` counts seizure events. Fiscal year N runs
October N-1 .. September N; the current year is labelled e.g. `2026 (FYTD)`.

Tidy table `seizures`: component normalised to OFO / USBP / AMO; region to southwest / northern /
coastal_interior; land_filter to land / other; area = area of responsibility or AMO branch as
published; drug = the published drug type without footnote asterisks ("Other Drugs**" ->
"Other Drugs"; the labels that carried a footnote are listed in the notes).

Vintage: the first day of the month after the last month present. Rows repeating every
dimension of another row are summed (counted in a note); a month listed twice is an error.
The AMO files are a separate dataset: do not add them to OFO/USBP without checking for overlap.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from usmca.sources._tabular import bad_cell, detect_csv, map_values, read_csv_strict, sum_duplicates, to_number
from usmca.sources.base import Download, ParsedFile, SourceInfo, parsed, register
from usmca.sources.cbp_encounters import (
    COMPONENTS,
    calendar_year,
    check_periods,
    fiscal_years,
    month_numbers,
    vintage_after_last_month,
)
from usmca.tables import TABLES, US_PUBLIC_DOMAIN

COMMON = ["FY", "Month (abbv)", "Component", "Region", "Land Filter"]
VALUES = ["Drug Type", "Count of Event", "Sum Qty (lbs)"]
NATIONWIDE_COLUMNS = [*COMMON, "Area of Responsibility", *VALUES]
AMO_COLUMNS = [*COMMON, "Branch", *VALUES]

REGIONS = {
    "southwest border": "southwest",
    "southwest land border": "southwest",
    "northern border": "northern",
    "northern land border": "northern",
    "coastal/interior": "coastal_interior",
    "coastal / interior": "coastal_interior",
}
LAND_FILTERS = {"land only": "land", "land": "land", "other": "other"}

SEIZURE_COLUMNS = TABLES["seizures"].column_names
KEY = list(TABLES["seizures"].key)


def clean_drug(name: str) -> str:
    """`Other Drugs**` -> `Other Drugs` (footnote markers removed)."""
    return re.sub(r"\s+", " ", re.sub(r"[*†‡]+", " ", str(name))).strip()


def detect_drugs(path: Path) -> bool:
    return detect_csv(path, r"nationwide-drugs-.*\.csv", {"Area of Responsibility", "Drug Type", "Sum Qty (lbs)"})


def detect_amo(path: Path) -> bool:
    return detect_csv(path, r"amo-drug-seizures-.*\.csv", {"Branch", "Drug Type", "Sum Qty (lbs)"})


def _parse(path: Path, info: SourceInfo, columns: list[str], area_col: str) -> ParsedFile:
    df = read_csv_strict(path, columns)
    df["fiscal_year"] = fiscal_years(path, df, "FY")
    df["month"] = month_numbers(path, df, "Month (abbv)")
    df["year"] = calendar_year(df["fiscal_year"], df["month"])
    df["events"] = to_number(path, df, "Count of Event", allow_empty=True)
    df["quantity_lb"] = to_number(path, df, "Sum Qty (lbs)", allow_empty=True)
    df["component"] = map_values(
        path,
        df,
        "Component",
        COMPONENTS,
        "Office of Field Operations, U.S. Border Patrol or Air and Marine Operations",
    )
    df["region"] = map_values(path, df, "Region", REGIONS, "Southwest Border, Northern Border or Coastal/Interior")
    df["land_filter"] = map_values(path, df, "Land Filter", LAND_FILTERS, "Land Only, Land or Other")
    published = df["Drug Type"].astype(str).str.strip()
    df["drug"] = published.map(clean_drug)
    empty = df["drug"] == ""
    if empty.any():
        raise bad_cell(path, df, empty, "Drug Type", "empty drug type", "a drug name")
    df["area"] = df[area_col].astype(str).str.strip()
    dims = ["Component", "Region", "Land Filter", area_col, "Drug Type"]
    check_periods(path, df, "FY", None, dims)
    notes = []
    marked = sorted(set(published[published != df["drug"]]))
    if marked:
        notes.append(
            "drug labels with footnote markers, stored without them: "
            + ", ".join(f"{m!r} -> {clean_drug(m)!r}" for m in marked)
        )
    out, merged = sum_duplicates(df[[*SEIZURE_COLUMNS, "_row"]], KEY, ["events", "quantity_lb"])
    if merged:
        notes.append(f"{merged} rows repeating every dimension of another row were summed")
    vintage, last = vintage_after_last_month(out)
    fytd = sorted({str(v).strip() for v in df["FY"] if "FYTD" in str(v)})
    if fytd:
        notes.append(f"year-to-date fiscal year: {', '.join(fytd)}")
    notes.append(f"coverage through {last}; vintage = first day of the following month")
    notes.append("quantity_lb in pounds; events = seizure events")
    out = out.sort_values("_row").reset_index(drop=True)
    out["events"] = pd.to_numeric(out["events"])
    return parsed(info, path, vintage, {"seizures": out}, notes=notes)


def parse_drugs(path: Path) -> ParsedFile:
    return _parse(path, DRUGS, NATIONWIDE_COLUMNS, "Area of Responsibility")


def parse_amo(path: Path) -> ParsedFile:
    return _parse(path, AMO_DRUGS, AMO_COLUMNS, "Branch")


DRUGS = register(
    SourceInfo(
        id="cbp.drugs",
        agency="U.S. Customs and Border Protection",
        title="Nationwide Drug Seizures (CBP: OFO and USBP), monthly, pounds",
        url="https://www.cbp.gov/document/stats/nationwide-drug-seizures",
        licence=US_PUBLIC_DOMAIN,
        citation="U.S. Customs and Border Protection, Drug Seizure Statistics",
        table="seizures",
        detect=detect_drugs,
        parse=parse_drugs,
        downloads=(
            Download(
                "https://www.cbp.gov/sites/default/files/2026-01/nationwide-drugs-fy23-fy26-dec.csv",
                "nationwide-drugs-fy23-fy26-dec.csv",
            ),
        ),
    )
)

AMO_DRUGS = register(
    SourceInfo(
        id="cbp.amo_drugs",
        agency="U.S. Customs and Border Protection, Air and Marine Operations",
        title="Air and Marine Operations Drug Seizures (CBP AMO), monthly, pounds",
        url="https://www.cbp.gov/document/stats/air-and-marine-operations-drug-seizures",
        licence=US_PUBLIC_DOMAIN,
        citation="U.S. Customs and Border Protection, Air and Marine Operations Drug Seizures",
        table="seizures",
        detect=detect_amo,
        parse=parse_amo,
        downloads=(
            Download(
                "https://www.cbp.gov/sites/default/files/2026-01/amo-drug-seizures-fy23-fy26-dec.csv",
                "amo-drug-seizures-fy23-fy26-dec.csv",
            ),
        ),
    )
)

SOURCE = DRUGS

__all__ = [
    "AMO_DRUGS",
    "DRUGS",
    "SOURCE",
    "clean_drug",
    "detect_amo",
    "detect_drugs",
    "parse_amo",
    "parse_drugs",
]
