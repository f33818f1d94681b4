"""USITC DataWeb query exports: U.S. trade by HTS chapter (HS2) and partner country, annual.

Publisher: U.S. International Trade Commission, DataWeb (https://dataweb.usitc.gov). The
statistics themselves are the Census Bureau's official trade statistics (exports: total
exports, F.A.S. value; imports: general imports, customs value).

Layout of the CSV (DataWeb's workbook saved sheet by sheet as CSV):
    line 1   `Total Exports|Annual Data`                     trade flow | time aggregation
    line 2   `Data Row Count,17773`                           rows that follow the header
    line 3   `Data Type,HTS Number,Description,Country,2020,...,2025`
    lines 4+ one row per chapter x partner (`FAS Value`, `01`, `LIVE ANIMALS`, `Algeria`, ...)
    last     `Total: ,,,,"1,429,995,404,019",...`           comma-formatted column totals

Units: US dollars (not millions). Chapters are zero-padded text (`01`..`98`). Partners are
DataWeb labels (`South Korea`, `Myanmar (Burma)`), mapped to ISO3; the label is kept in
`partner_name` and `partner_code`. Only per-partner rows are stored: the world figure is the
sum over partners; the `Total:` row is used as a check (the rows must add up to it) and dropped.

A year whose column is zero for every row (2025 in the August 2025 download: the query asked
for full years and the year was not over) is stored as `not_published` with a NULL value.

Vintage: the `Download Date` in `DataWeb-Query-Export__Query_Parameters.csv` when that file
lies beside the data file. Without it, the vintage falls back to the date Census publishes
the December figures of the last year with data (early February of the next year), which is
the earliest date the file can have been made; a note records the fallback.

The parameters file holds no data: `detect` rejects it and `IGNORED_FILE_PATTERNS` lists it
so that `usmca data load` can skip it (see `is_ignored`).
"""

from __future__ import annotations

import csv
import fnmatch
import io
import math
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from usmca.countries import to_iso3
from usmca.errors import DataFormatError
from usmca.sources.base import (
    ParsedFile,
    SourceInfo,
    check_nonempty,
    check_not_html,
    file_head,
    parsed,
    register,
)
from usmca.sources.census_trade import vintage_from_last_month
from usmca.tables import TABLES, US_PUBLIC_DOMAIN

# Companion files of a DataWeb export that hold no data: loaders skip them.
IGNORED_FILE_PATTERNS: tuple[str, ...] = (
    "DataWeb-Query-Export__Query_Parameters*.csv",
    "*Query_Parameters*.csv",
)
PARAMETERS_FILE = "DataWeb-Query-Export__Query_Parameters.csv"

HEADER = ["Data Type", "HTS Number", "Description", "Country"]
FIRST_DATA_LINE = 4  # 1-based line of the first data row

# Trade flows on line 1 and the data type each one reports.
FLOWS = {"total exports": ("exports", "FAS Value"), "general imports": ("imports", "Customs Value")}

# DataWeb labels that countries.to_iso3 does not resolve (or resolves differently).
LABEL_ISO3: dict[str, str] = {
    "czechia (czech republic)": "CZE",
    "myanmar (burma)": "MMR",
    "eswatini (swaziland)": "SWZ",
    "côte d`ivoire": "CIV",
    "gaza strip": "PSE",
    "west bank": "PSE",
    "kosovo": "XKX",
}


def is_ignored(path: Path) -> bool:
    """True for companion files of a DataWeb export that a loader should skip (no data)."""
    return any(fnmatch.fnmatch(path.name, p) for p in IGNORED_FILE_PATTERNS)


def partner_iso3(label: str) -> str | None:
    key = re.sub(r"\s+", " ", label.strip()).lower()
    return LABEL_ISO3.get(key) or to_iso3(label.strip())


def _first_line(path: Path) -> str:
    head = file_head(path, 512).decode("utf-8-sig", errors="replace")
    return head.splitlines()[0] if head else ""


def detect(path: Path) -> bool:
    if path.suffix.lower() != ".csv" or is_ignored(path):
        return False
    try:
        head = file_head(path, 512).decode("utf-8-sig", errors="replace").splitlines()
    except OSError:
        return False
    return (
        len(head) >= 2
        and "|" in head[0]
        and head[0].split("|")[0].strip().lower() in FLOWS
        and head[1].startswith("Data Row Count")
    )


def read_download_date(params: Path) -> date | None:
    """The `Download Date` of a DataWeb query-parameters file (e.g. "August 7, 2025, 10:56 AM")."""
    try:
        text = params.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 2 and row[0].strip().lower() == "download date":
            value = row[1].strip()
            for fmt in ("%B %d, %Y, %I:%M %p", "%B %d, %Y", "%m/%d/%Y %I:%M %p", "%m/%d/%Y"):
                try:
                    return datetime.strptime(value, fmt).date()
                except ValueError:
                    continue
            m = re.match(r"([A-Za-z]+ \d{1,2}, \d{4})", value)
            if m:
                try:
                    return datetime.strptime(m.group(1), "%B %d, %Y").date()
                except ValueError:
                    return None
    return None


def _number(path: Path, text: str, row: int, column: str) -> float:
    s = text.strip().replace(",", "")
    if s == "":
        return 0.0  # DataWeb leaves no blanks, but a blank cell is no trade
    try:
        return float(s)
    except ValueError:
        raise DataFormatError(
            path, "not a number", row=row, column=column, expected="a dollar amount such as 4483.00", found=text
        ) from None


def parse(path: Path) -> ParsedFile:
    check_nonempty(path)
    check_not_html(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise DataFormatError(path, f"not a UTF-8 text file ({e})", expected="a DataWeb CSV export") from e
    lines = list(csv.reader(io.StringIO(text)))
    if len(lines) < 3:
        raise DataFormatError(
            path,
            "file ends before the header line (truncated?)",
            row=len(lines) + 1,
            expected="3 lines: flow, row count, header",
        )

    # Line 1: flow | time aggregation.
    title = lines[0][0] if lines[0] else ""
    flow_label, _, aggregation = title.partition("|")
    if flow_label.strip().lower() not in FLOWS:
        raise DataFormatError(
            path,
            "unknown trade flow on line 1",
            row=1,
            column="A",
            expected=f"one of {sorted(f.title() for f in FLOWS)} followed by '|'",
            found=title,
        )
    flow, data_type = FLOWS[flow_label.strip().lower()]
    if aggregation.strip().lower() != "annual data":
        raise DataFormatError(
            path,
            "only annual DataWeb exports are supported",
            row=1,
            column="A",
            expected="'... |Annual Data'",
            found=title,
        )

    # Line 2: the row count the query returned.
    if len(lines[1]) < 2 or lines[1][0].strip() != "Data Row Count":
        raise DataFormatError(
            path,
            "no row count on line 2",
            row=2,
            column="A",
            expected="Data Row Count,<n>",
            found=",".join(lines[1][:2]),
        )
    try:
        declared = int(lines[1][1].strip().replace(",", ""))
    except ValueError:
        raise DataFormatError(
            path, "row count is not a number", row=2, column="B", expected="an integer", found=lines[1][1]
        ) from None

    # Line 3: header.
    header = [h.strip() for h in lines[2]]
    while header and header[-1] == "":
        header.pop()
    for i, want in enumerate(HEADER):
        got = header[i] if i < len(header) else None
        if got != want:
            raise DataFormatError(
                path,
                "missing or renamed column",
                row=3,
                column=want,
                expected=f"header {HEADER + ['<years>']}",
                found=got,
            )
    years: list[int] = []
    for i, h in enumerate(header[len(HEADER) :], start=len(HEADER)):
        if not re.fullmatch(r"(19|20)\d\d", h):
            raise DataFormatError(
                path,
                "year column expected",
                row=3,
                column=h or f"#{i + 1}",
                expected="a four-digit year such as 2024",
                found=h,
            )
        y = int(h)
        if y in years:
            raise DataFormatError(
                path,
                f"duplicated period: year {y} appears twice in the header",
                row=3,
                column=h,
                expected="each year once",
                found=h,
            )
        years.append(y)
    if not years:
        raise DataFormatError(path, "no year columns", row=3, expected="columns 2020, 2021, ...", found=header)
    ncol = len(HEADER) + len(years)

    # Data rows and the closing Total row.
    body = lines[3:]
    while body and not any(c.strip() for c in body[-1]):
        body.pop()
    if not body or not body[-1] or not body[-1][0].strip().lower().startswith("total"):
        raise DataFormatError(
            path,
            "no closing 'Total:' row (truncated file?)",
            row=FIRST_DATA_LINE + len(body),
            expected="a last line starting with 'Total:'",
            found=",".join(body[-1][:5]) if body else "end of file",
        )
    total_row = body[-1]
    data = body[:-1]
    if len(data) != declared:
        raise DataFormatError(
            path,
            f"{len(data)} data rows, but line 2 declares {declared} (truncated or edited file?)",
            row=2,
            column="Data Row Count",
            expected=str(declared),
            found=len(data),
        )

    records = []
    unknown: dict[str, int] = {}
    iso_of: dict[str, str | None] = {}
    for n, row in enumerate(data):
        line = FIRST_DATA_LINE + n
        if len(row) < ncol:
            raise DataFormatError(
                path,
                "short row",
                row=line,
                column=header[len(row)] if len(row) < len(header) else None,
                expected=f"{ncol} cells",
                found=len(row),
            )
        if row[0].strip() != data_type:
            raise DataFormatError(
                path, "unexpected data type", row=line, column="Data Type", expected=data_type, found=row[0]
            )
        chapter = row[1].strip()
        if chapter.isdigit() and len(chapter) == 1:
            chapter = "0" + chapter  # a spreadsheet may have dropped the leading zero
        if not re.fullmatch(r"\d\d", chapter):
            raise DataFormatError(
                path,
                "not an HTS chapter",
                row=line,
                column="HTS Number",
                expected="a two-digit chapter such as 01 or 85",
                found=row[1],
            )
        label = row[3].strip()
        if label not in iso_of:
            iso_of[label] = partner_iso3(label) if label else None
        if iso_of[label] is None:
            unknown.setdefault(label, line)
        values = [_number(path, row[len(HEADER) + k], line, str(y)) for k, y in enumerate(years)]
        records.append((line, chapter, label, values))
    if unknown:
        label, line = next(iter(unknown.items()))
        raise DataFormatError(
            path,
            f"unknown partner label {label!r}",
            row=line,
            column="Country",
            expected="a DataWeb country name (add it to LABEL_ISO3 in usmca/sources/usitc_dataweb.py)",
            found=label,
        )
    if not records:
        raise DataFormatError(
            path, "no data rows", row=FIRST_DATA_LINE, expected="rows of trade by chapter and partner"
        )

    wide = pd.DataFrame(
        [(line, ch, lab, *vals) for line, ch, lab, vals in records],
        columns=["_row", "chapter", "label", *[str(y) for y in years]],
    )
    dup = wide.duplicated(subset=["chapter", "label"], keep="first")
    if dup.any():
        i = int(dup.to_numpy().argmax())
        ch, lab = str(wide["chapter"].iloc[i]), str(wide["label"].iloc[i])
        first = int(wide[(wide["chapter"] == ch) & (wide["label"] == lab)]["_row"].iloc[0])
        raise DataFormatError(
            path,
            f"duplicated row for chapter {ch}, partner {lab!r} (first seen at row {first})",
            row=int(wide["_row"].iloc[i]),
            column="Country",
            expected="one row per chapter and partner",
            found="a second row",
        )

    # Check against the Total row.
    notes = []
    unpublished = []
    for k, y in enumerate(years):
        col = str(y)
        cell = total_row[len(HEADER) + k] if len(HEADER) + k < len(total_row) else ""
        stated = _number(path, cell, FIRST_DATA_LINE + len(data), col)
        added = math.fsum(wide[col])  # exact: the file has whole cents
        if abs(added - stated) > 0.5:
            raise DataFormatError(
                path,
                f"rows add up to {added:,.0f} for {y}, but the Total row "
                f"says {stated:,.0f} (edited or truncated file?)",
                row=FIRST_DATA_LINE + len(data),
                column=col,
                expected=f"{stated:,.0f}",
                found=f"{added:,.0f}",
            )
        if (wide[col] == 0).all():
            unpublished.append(y)
    if unpublished:
        notes.append(
            f"years {unpublished} are zero in every row (the year was not complete when "
            "the query ran): stored as not published"
        )

    long = wide.melt(
        id_vars=["_row", "chapter", "label"],
        value_vars=[str(y) for y in years],
        var_name="year",
        value_name="value_usd",
    )
    long["year"] = long["year"].astype(int)
    future = long["year"].isin(unpublished)
    long["status"] = "published"
    long.loc[future, "status"] = "not_published"
    long["value_usd"] = long["value_usd"].astype(float).where(~future)
    long["partner"] = long["label"].map(iso_of)
    long["partner_code"] = long["label"]
    long["partner_name"] = long["label"]
    long["partner_kind"] = "country"
    long["reporter"] = "USA"
    long["flow"] = flow
    long["basis"] = "census"
    long["product"] = "HS2:" + long["chapter"]
    long["adjustment"] = "nsa"
    long["month"] = pd.array([pd.NA] * len(long), dtype="Int64")
    tidy = long[TABLES["trade"].frame_columns]

    vintage = read_download_date(path.with_name(PARAMETERS_FILE))
    release = None
    if vintage is not None:
        notes.append(f"vintage: download date in {PARAMETERS_FILE}")
        release = f"DataWeb query downloaded {vintage:%B} {vintage.day}, {vintage.year}"
    else:
        with_data = [y for y in years if y not in unpublished]
        last = max(with_data) if with_data else max(years) - 1
        vintage = vintage_from_last_month(last, 12)
        notes.append(
            f"vintage inferred: no {PARAMETERS_FILE} beside the file; Census publishes "
            f"December {last} in early {vintage:%B %Y}, the earliest date the file "
            "can have"
        )
    notes.append("world totals are the sum over partners; the file's Total row was checked and dropped")
    return parsed(SOURCE, path, vintage, {"trade": tidy}, notes=notes, release=release)


SOURCE = register(
    SourceInfo(
        id="usitc.dataweb",
        agency="U.S. International Trade Commission (DataWeb), Census Bureau data",
        title="U.S. trade by HTS chapter and partner country (DataWeb query export), US dollars",
        url="https://dataweb.usitc.gov",
        licence=US_PUBLIC_DOMAIN,
        citation="U.S. International Trade Commission, DataWeb, from U.S. Census Bureau data",
        table="trade",
        detect=detect,
        parse=parse,
    )
)

__all__ = [
    "IGNORED_FILE_PATTERNS",
    "LABEL_ISO3",
    "SOURCE",
    "detect",
    "is_ignored",
    "parse",
    "partner_iso3",
    "read_download_date",
]
