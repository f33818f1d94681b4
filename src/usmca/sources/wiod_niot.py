"""WIOD national input-output tables (2016 release): `XXX_NIOT_nov16.xlsx`, one per country.

Publisher: World Input-Output Database, November 2016 release, University of Groningen
(GGDC), https://www.rug.nl/ggdc/valuechain/wiod/ (DOI 10.34894/PJ2M1C). This is a research
database (model-reconciled estimates), not an official statistic: `kind="model"`.

Layout of sheet `National IO-tables`:
    row 1   Year, Code, Description, Origin, 56 industries A01..U, CONS_h, CONS_np, CONS_g,
            GFCF, INVEN, EXP, GO
    row 2   the industries' and final-demand columns' names
    rows 3+ per year (2000-2014): 56 `Domestic` rows and 56 `Imports` rows (use of domestic and
            of imported products of each industry), then 8 `TOT` rows II_fob, TXSP, EXP_adj,
            PURR, PURNR, VA, IntTTM, GO.

Stored long in `national_io`: country (ISO3), year, row_code, origin (Domestic | Imports |
TOT), col_code, value. Units: millions of US dollars, current prices, as published (the
`Notes` sheet says so); not converted to dollars, unlike the `trade` table.

Country: the ISO3 prefix of the file name, checked against the `Country` line of the `Notes`
sheet. Vintage: the workbook's creation date (2016-11-16), else the first day of the release
month named in the file name (`nov16` -> 2016-11-01), else 2016-11-01.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from usmca.countries import to_iso3
from usmca.errors import DataFormatError
from usmca.sources.base import ParsedFile, SourceInfo, column_letter, parsed, read_xlsx, register, xlsx_sheets
from usmca.sources.census_ft900 import workbook_created
from usmca.tables import WIOD_LICENCE

SHEET = "National IO-tables"
ID_COLUMNS = ["Year", "Code", "Description", "Origin"]
INDUSTRIES: tuple[str, ...] = (
    "A01",
    "A02",
    "A03",
    "B",
    "C10-C12",
    "C13-C15",
    "C16",
    "C17",
    "C18",
    "C19",
    "C20",
    "C21",
    "C22",
    "C23",
    "C24",
    "C25",
    "C26",
    "C27",
    "C28",
    "C29",
    "C30",
    "C31_C32",
    "C33",
    "D35",
    "E36",
    "E37-E39",
    "F",
    "G45",
    "G46",
    "G47",
    "H49",
    "H50",
    "H51",
    "H52",
    "H53",
    "I",
    "J58",
    "J59_J60",
    "J61",
    "J62_J63",
    "K64",
    "K65",
    "K66",
    "L68",
    "M69_M70",
    "M71",
    "M72",
    "M73",
    "M74_M75",
    "N",
    "O84",
    "P85",
    "Q",
    "R_S",
    "T",
    "U",
)
FINAL_DEMAND: tuple[str, ...] = ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")
OTHER_COLUMNS: tuple[str, ...] = ("EXP", "GO")
VALUE_COLUMNS: tuple[str, ...] = INDUSTRIES + FINAL_DEMAND + OTHER_COLUMNS
TOT_ROWS: tuple[str, ...] = ("II_fob", "TXSP", "EXP_adj", "PURR", "PURNR", "VA", "IntTTM", "GO")
ORIGINS = ("Domestic", "Imports", "TOT")
ROWS_PER_YEAR = 2 * len(INDUSTRIES) + len(TOT_ROWS)

# Short names of the WIOD 2016 industries (ISIC Rev. 4).
INDUSTRY_NAMES: dict[str, str] = {
    "A01": "Crop and animal production",
    "A02": "Forestry and logging",
    "A03": "Fishing and aquaculture",
    "B": "Mining and quarrying",
    "C10-C12": "Food, beverages and tobacco",
    "C13-C15": "Textiles, apparel and leather",
    "C16": "Wood and cork products",
    "C17": "Paper products",
    "C18": "Printing",
    "C19": "Coke and refined petroleum",
    "C20": "Chemicals",
    "C21": "Pharmaceuticals",
    "C22": "Rubber and plastics",
    "C23": "Other non-metallic minerals",
    "C24": "Basic metals",
    "C25": "Fabricated metal products",
    "C26": "Computer, electronic and optical products",
    "C27": "Electrical equipment",
    "C28": "Machinery n.e.c.",
    "C29": "Motor vehicles",
    "C30": "Other transport equipment",
    "C31_C32": "Furniture, other manufacturing",
    "C33": "Repair and installation of machinery",
    "D35": "Electricity and gas",
    "E36": "Water supply",
    "E37-E39": "Sewerage and waste",
    "F": "Construction",
    "G45": "Motor vehicle trade and repair",
    "G46": "Wholesale trade",
    "G47": "Retail trade",
    "H49": "Land transport",
    "H50": "Water transport",
    "H51": "Air transport",
    "H52": "Warehousing",
    "H53": "Postal and courier",
    "I": "Accommodation and food services",
    "J58": "Publishing",
    "J59_J60": "Film, TV and broadcasting",
    "J61": "Telecommunications",
    "J62_J63": "IT and information services",
    "K64": "Financial services",
    "K65": "Insurance and pensions",
    "K66": "Auxiliary financial services",
    "L68": "Real estate",
    "M69_M70": "Legal, accounting, management consulting",
    "M71": "Architecture and engineering",
    "M72": "Scientific research",
    "M73": "Advertising and market research",
    "M74_M75": "Other professional services",
    "N": "Administrative and support services",
    "O84": "Public administration and defence",
    "P85": "Education",
    "Q": "Health and social work",
    "R_S": "Other services",
    "T": "Households as employers",
    "U": "Extraterritorial organizations",
}

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
FILE_RE = re.compile(r"^([A-Z]{3})_NIOT_([a-z]{3})(\d\d)\.xlsx$", re.IGNORECASE)
DEFAULT_VINTAGE = date(2016, 11, 1)
NON_ISO = {"ROW": "ROW"}  # WIOD's rest of the world


def _at(df: pd.DataFrame, i: Any, col: str) -> Any:
    return df.loc[i, col]


def detect(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx":
        return False
    if FILE_RE.match(path.name):
        return True
    try:
        return SHEET in xlsx_sheets(path)
    except DataFormatError:
        return False


def _country(path: Path) -> tuple[str, list[str]]:
    notes: list[str] = []
    m = FILE_RE.match(path.name)
    from_name = m.group(1).upper() if m else None
    from_notes = None
    try:
        sheet = read_xlsx(path, sheet="Notes", header=None)
        for i in range(min(10, len(sheet))):
            if str(sheet.iat[i, 0]).strip().lower() == "country" and sheet.shape[1] > 1:
                label = str(sheet.iat[i, 1]).strip()
                from_notes = NON_ISO.get(label.upper()) or to_iso3(label)
                if from_notes is None and from_name is None:
                    raise DataFormatError(
                        path,
                        f"unknown country {label!r}",
                        row=i + 1,
                        column="B",
                        expected="a country name",
                        found=label,
                    )
                break
    except DataFormatError as e:
        if "unknown country" in e.detail:
            raise
        notes.append("no readable Notes sheet: country taken from the file name")
    if from_name and from_notes and from_name != from_notes:
        raise DataFormatError(
            path,
            f"file name says {from_name} but the Notes sheet says {from_notes}",
            column="Country",
            expected=from_name,
            found=from_notes,
        )
    country = from_name or from_notes
    if country is None:
        raise DataFormatError(
            path,
            "cannot tell the country",
            expected="a file name like USA_NIOT_nov16.xlsx or a 'Country' line in the Notes sheet",
        )
    return country, notes


def _vintage(path: Path) -> tuple[date, str]:
    created = workbook_created(path)
    if created is not None and created.year >= 2000:
        return created, f"vintage: workbook creation date {created.isoformat()}"
    m = FILE_RE.match(path.name)
    if m and m.group(2).lower() in MONTHS:
        v = date(2000 + int(m.group(3)), MONTHS.index(m.group(2).lower()) + 1, 1)
        return v, "vintage: release month in the file name"
    return DEFAULT_VINTAGE, "vintage: default, the November 2016 WIOD release"


def parse(path: Path) -> ParsedFile:
    raw = read_xlsx(path, sheet=SHEET, header=None)
    if len(raw) < 3:
        raise DataFormatError(path, "sheet has no data rows", row=3, expected="rows of the national IO table")
    # Header.
    want = ID_COLUMNS + list(VALUE_COLUMNS)
    header = ["" if pd.isna(v) else str(v).strip() for v in raw.iloc[0].tolist()]
    for k, name in enumerate(want):
        got = header[k] if k < len(header) else None
        if got != name:
            raise DataFormatError(
                path, "missing or renamed column", row=1, column=column_letter(k), expected=name, found=got
            )
    data = raw.iloc[2:, : len(want)].copy()
    data.columns = want
    data["_row"] = np.arange(3, 3 + len(data))
    data = data[~data[ID_COLUMNS].isna().all(axis=1)]

    # Row labels.
    year = pd.to_numeric(data["Year"], errors="coerce")
    if year.isna().any():
        i = year.isna().idxmax()
        raise DataFormatError(
            path,
            "not a year",
            row=int(_at(data, i, "_row")),
            column="A (Year)",
            expected="a year such as 2014",
            found=_at(data, i, "Year"),
        )
    data["Year"] = year.astype(int)
    data["Code"] = data["Code"].astype(str).str.strip()
    data["Origin"] = data["Origin"].astype(str).str.strip()
    bad = ~data["Origin"].isin(ORIGINS)
    if bad.any():
        i = bad.idxmax()
        raise DataFormatError(
            path,
            "unknown origin",
            row=int(_at(data, i, "_row")),
            column="D (Origin)",
            expected=f"one of {list(ORIGINS)}",
            found=_at(data, i, "Origin"),
        )
    tot = data["Origin"] == "TOT"
    bad = (tot & ~data["Code"].isin(TOT_ROWS)) | (~tot & ~data["Code"].isin(INDUSTRIES))
    if bad.any():
        i = bad.idxmax()
        raise DataFormatError(
            path,
            "unknown row code",
            row=int(_at(data, i, "_row")),
            column="B (Code)",
            expected=f"a WIOD industry (A01..U) or a TOT row {list(TOT_ROWS)}",
            found=_at(data, i, "Code"),
        )
    dup = data.duplicated(subset=["Year", "Code", "Origin"], keep="first")
    if dup.any():
        i = dup.idxmax()
        y, c, o = _at(data, i, "Year"), _at(data, i, "Code"), _at(data, i, "Origin")
        first = data[(data["Year"] == y) & (data["Code"] == c) & (data["Origin"] == o)]
        raise DataFormatError(
            path,
            f"duplicated row {y} {o} {c} (first seen at row {int(first['_row'].iloc[0])})",
            row=int(_at(data, i, "_row")),
            column="B (Code)",
            expected="one row per year, origin and code",
            found="a second row",
        )
    counts = data.groupby("Year").size()
    short = counts[counts != ROWS_PER_YEAR]
    if len(short):
        y = int(short.index[0])
        last = int(data.loc[data["Year"] == y, "_row"].max())
        raise DataFormatError(
            path,
            f"year {y} has {int(short.iloc[0])} rows (truncated table?)",
            row=last,
            column="A (Year)",
            expected=f"{ROWS_PER_YEAR} rows per year",
            found=int(short.iloc[0]),
        )

    # Values.
    values = data[list(VALUE_COLUMNS)]
    blank = values.isna() | values.map(lambda v: isinstance(v, str) and v.strip() == "")
    num = values.apply(pd.to_numeric, errors="coerce")
    bad_cells = num.isna() & ~blank
    if bad_cells.to_numpy().any():
        r, c = np.argwhere(bad_cells.to_numpy())[0]
        col = VALUE_COLUMNS[c]
        raise DataFormatError(
            path,
            "not a number",
            row=int(data["_row"].iloc[r]),
            column=f"{column_letter(len(ID_COLUMNS) + c)} ({col})",
            expected="a value in US$ million",
            found=values.iat[r, c],
        )
    num = num.astype(float)

    # Check: output by industry, TOT GO row = GO column of the Domestic rows.
    notes = []
    for y in sorted(data["Year"].unique()):
        sel = data["Year"] == y
        go_row = num[sel & tot & (data["Code"] == "GO")][list(INDUSTRIES)].sum(axis=1).sum()
        go_col = num[sel & (data["Origin"] == "Domestic")]["GO"].sum()
        if abs(go_row - go_col) > max(5.0, 1e-4 * abs(go_col)):
            line = int(data.loc[sel & tot & (data["Code"] == "GO"), "_row"].iloc[0])
            raise DataFormatError(
                path,
                f"gross output of {y} does not add up: TOT GO row {go_row:,.0f} vs GO column {go_col:,.0f}",
                row=line,
                column="GO",
                expected=f"{go_col:,.0f}",
                found=f"{go_row:,.0f}",
            )

    country, cnotes = _country(path)
    notes += cnotes
    wide = pd.concat([data[["Year", "Code", "Origin", "_row"]], num], axis=1)
    long = wide.melt(
        id_vars=["Year", "Code", "Origin", "_row"],
        value_vars=list(VALUE_COLUMNS),
        var_name="col_code",
        value_name="value",
    )
    long = long.rename(columns={"Year": "year", "Code": "row_code", "Origin": "origin"})
    long.insert(0, "country", country)
    tidy = long[["country", "year", "row_code", "origin", "col_code", "value", "_row"]]
    vintage, vnote = _vintage(path)
    notes.append(vnote)
    notes.append("values in US$ million, current prices, as published (not converted)")
    notes.append("WIOD is a research database (model estimates), not an official statistic")
    return parsed(SOURCE, path, vintage, {"national_io": tidy}, notes=notes, release="WIOD November 2016 release")


SOURCE = register(
    SourceInfo(
        id="wiod.niot",
        agency="World Input-Output Database (University of Groningen, GGDC)",
        title="WIOD national input-output tables, 2016 release, US$ million",
        url="https://www.rug.nl/ggdc/valuechain/wiod/wiod-2016-release",
        licence=WIOD_LICENCE,
        citation=(
            "Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J. (2015), An "
            "Illustrated User Guide to the World Input-Output Database: the Case of Global Automotive "
            "Production, Review of International Economics 23: 575-605 (WIOD 2016 release)"
        ),
        table="national_io",
        detect=detect,
        parse=parse,
        kind="model",
    )
)

__all__ = ["FINAL_DEMAND", "INDUSTRIES", "INDUSTRY_NAMES", "SOURCE", "TOT_ROWS", "detect", "parse"]
