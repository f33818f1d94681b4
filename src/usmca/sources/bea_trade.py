"""BEA/Census U.S. international trade in goods and services by selected countries and areas.

Official page: https://www.bea.gov/data/intl-trade-investment/international-trade-goods-and-services
("U.S. International Trade by Selected Countries and Areas", the FT-900 country exhibit, on a
balance-of-payments basis). File: `us_trading_per_country.xlsx`, "Last updated March 6, 2025".

Layout: a `Readme` sheet and `Table 1` .. `Table 9`:
    Tables 1-3: exports, imports, balance of goods and services
    Tables 4-6: exports, imports, balance of goods
    Tables 7-9: exports, imports, balance of services
Each table: title rows (row 1 "Last updated ...", row 2 table number, row 3 the series, row 4
"[Millions of dollars, quarters seasonally adjusted]"), the header at sheet row 6 (`Period`,
23 countries, `All other countries`, `CAFTA-DR`, `European Union`, `South/Central America`),
then an `Annual` block (1999-2024) and a `Quarterly` block (`2024 4`, revised quarters marked
`(R)`), then notes. `n.a.` = not available.

Units: millions of US dollars in the file; stored in US dollars (x 1e6).

Tidy table `trade`: exports and imports only (balances are derived); basis "bop"; product
goods_services / goods / services; annual rows only (month NULL, adjustment "nsa": annual totals
are not seasonally adjusted). The quarterly rows are seasonally adjusted and are NOT stored: the
`trade` table has no frequency column, and a quarter stored under its last month would read as a
monthly value. `n.a.` cells are stored with value NULL and status "not_published".
Partners: countries to ISO3; `European Union` -> G:EU, `CAFTA-DR` -> G:CAFTA-DR,
`South/Central America` -> G:SCA, `All other countries` -> G:OTHER (groups). There is no
world-total column.

Vintage: the "Last updated <Month D, YYYY>" line (2025-03-06).
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from usmca.countries import to_iso3
from usmca.errors import DataFormatError
from usmca.sources.base import ParsedFile, SourceInfo, column_letter, parsed, read_xlsx, register, xlsx_sheets
from usmca.tables import TABLES as STORE_TABLES
from usmca.tables import US_PUBLIC_DOMAIN

# table number -> (flow, product); balances (3, 6, 9) are derived and skipped
TABLES = {
    1: ("exports", "goods_services"),
    2: ("imports", "goods_services"),
    4: ("exports", "goods"),
    5: ("imports", "goods"),
    7: ("exports", "services"),
    8: ("imports", "services"),
}
TITLES = {
    1: "exports of goods and services",
    2: "imports of goods and services",
    4: "exports of goods",
    5: "imports of goods",
    7: "exports of services",
    8: "imports of services",
}
GROUPS = {
    "european union": "G:EU",
    "cafta-dr": "G:CAFTA-DR",
    "south/central america": "G:SCA",
    "south/ central america": "G:SCA",
    "all other countries": "G:OTHER",
}
HEADER_ROW = 6  # 1-based sheet row of the header
LAST_UPDATED = re.compile(r"Last updated\s+([A-Za-z]+\.?\s+\d{1,2},\s*\d{4})", re.IGNORECASE)


def _label(value: object) -> str:
    return re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", str(value))).strip()


def detect(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx":
        return False
    if path.name.lower().startswith("us_trading_per_country"):
        return True
    try:
        with zipfile.ZipFile(path) as z:
            wb = z.read("xl/workbook.xml").decode("utf-8", errors="replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return False
    return 'name="Readme"' in wb and 'name="Table 9"' in wb and 'name="Table 1"' in wb


def vintage_of(path: Path, cell: object, row: int, sheet: str) -> date:
    m = LAST_UPDATED.search(str(cell))
    if not m:
        raise DataFormatError(
            path,
            f"sheet {sheet!r}: no 'Last updated' date",
            row=row,
            column="A",
            expected="Last updated <Month D, YYYY>",
            found=cell,
        )
    text = re.sub(r"\s+", " ", m.group(1).replace(".", "")).replace(" ,", ",")
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%B %d,%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DataFormatError(
        path,
        f"sheet {sheet!r}: unreadable 'Last updated' date",
        row=row,
        column="A",
        expected="a date such as March 6, 2025",
        found=cell,
    )


def partner_of(path: Path, label: str, sheet: str, col: int) -> tuple[str, str]:
    key = label.lower()
    if key in GROUPS:
        return GROUPS[key], "group"
    iso = to_iso3(label)
    if iso is None:
        raise DataFormatError(
            path,
            f"sheet {sheet!r}: unknown country name {label!r}",
            row=HEADER_ROW,
            column=column_letter(col),
            expected="a country name or a known area",
            found=label,
        )
    return iso, "country"


def parse_table(path: Path, sheet: str, number: int) -> tuple[pd.DataFrame, date]:
    raw = read_xlsx(path, sheet=sheet, header=None)
    if raw.shape[0] < HEADER_ROW + 2:
        raise DataFormatError(
            path,
            f"sheet {sheet!r} is too short",
            row=raw.shape[0],
            expected=f"a header at row {HEADER_ROW} and data below",
        )
    vintage = vintage_of(path, raw.iat[0, 0], 1, sheet)
    title = " ".join(str(v) for v in raw.iloc[:4, 0] if pd.notna(v)).lower()
    if TITLES[number] not in re.sub(r"\s+", " ", title):
        raise DataFormatError(
            path,
            f"sheet {sheet!r} is not the expected table",
            row=3,
            column="A",
            expected=TITLES[number].capitalize(),
            found=raw.iat[2, 0],
        )
    header = [_label(v) if pd.notna(v) else "" for v in raw.iloc[HEADER_ROW - 1]]
    if header[0] != "Period":
        raise DataFormatError(
            path,
            f"sheet {sheet!r}: header not found",
            row=HEADER_ROW,
            column="A",
            expected="Period",
            found=raw.iat[HEADER_ROW - 1, 0],
        )
    cols = [(j, h) for j, h in enumerate(header) if j > 0 and h]
    if len(cols) < 2:
        raise DataFormatError(
            path,
            f"sheet {sheet!r}: no partner columns",
            row=HEADER_ROW,
            column="B",
            expected="country names",
            found=header[1:4],
        )
    seen: dict[str, str] = {}
    for j, h in cols:
        if h in seen:
            raise DataFormatError(
                path,
                f"sheet {sheet!r}: column {h!r} appears twice",
                row=HEADER_ROW,
                column=column_letter(j),
                expected="one column per partner",
                found=h,
            )
        seen[h] = column_letter(j)
    partners = {j: partner_of(path, h, sheet, j) for j, h in cols}

    # Annual block: from the "Annual" label to the "Quarterly" label.
    labels = [str(v).strip() if pd.notna(v) else "" for v in raw.iloc[:, 0]]
    try:
        start = labels.index("Annual", HEADER_ROW)
    except ValueError as e:
        raise DataFormatError(
            path,
            f"sheet {sheet!r}: no 'Annual' block",
            row=HEADER_ROW + 1,
            column="A",
            expected="Annual",
            found=labels[HEADER_ROW],
        ) from e
    end = labels.index("Quarterly", start) if "Quarterly" in labels[start:] else None
    if end is None:
        # The annual block runs until the first label that is not a year.
        end = start + 1
        while end < len(labels) and re.fullmatch(r"\d{4}(\.0)?", labels[end]):
            end += 1
        if end < len(labels) and labels[end] == "":
            raise DataFormatError(
                path,
                f"sheet {sheet!r}: no 'Quarterly' block after the annual rows (truncated file?)",
                row=end + 1,
                column="A",
                expected="Quarterly",
                found=labels[end] or None,
            )
    records = []
    years_seen: dict[int, int] = {}
    for i in range(start + 1, end):
        lab = labels[i]
        if lab == "":
            continue
        m = re.fullmatch(r"(\d{4})(?:\.0)?\s*(\(R\))?", lab)
        if not m:
            raise DataFormatError(
                path,
                f"sheet {sheet!r}: not a year in the annual block",
                row=i + 1,
                column="A",
                expected="a year such as 2024",
                found=raw.iat[i, 0],
            )
        year = int(m.group(1))
        if year in years_seen:
            raise DataFormatError(
                path,
                f"sheet {sheet!r}: year {year} listed twice (first at row {years_seen[year]})",
                row=i + 1,
                column="A",
                expected="each year once",
                found=lab,
            )
        years_seen[year] = i + 1
        revised = m.group(2) is not None
        for j, h in cols:
            cell: Any = raw.iat[i, j]
            text = "" if pd.isna(cell) else str(cell).strip()
            if text.lower() in ("n.a.", "n.a", "(d)", "(*)", "..."):
                value, status = None, "not_published"
            else:
                try:
                    value = float(text.replace(",", "")) * 1e6
                except ValueError:
                    raise DataFormatError(
                        path,
                        f"sheet {sheet!r}: not a number",
                        row=i + 1,
                        column=f"{column_letter(j)} ({h})",
                        expected="a number in US$ million or n.a.",
                        found=cell,
                    ) from None
                status = "revised" if revised else "published"
            partner, kind = partners[j]
            records.append((partner, h, h, kind, year, value, status, i + 1))
    if not records:
        raise DataFormatError(
            path,
            f"sheet {sheet!r}: the annual block is empty",
            row=start + 2,
            column="A",
            expected="years 1999 ..",
            found=None,
        )
    df = pd.DataFrame(
        records,
        columns=[
            "partner",
            "partner_code",
            "partner_name",
            "partner_kind",
            "year",
            "value_usd",
            "status",
            "_row",
        ],
    )
    flow, product = TABLES[number]
    df["flow"] = flow
    df["product"] = product
    return df, vintage


def parse(path: Path) -> ParsedFile:
    sheets = xlsx_sheets(path)
    frames = []
    vintages = set()
    for number in TABLES:
        sheet = f"Table {number}"
        if sheet not in sheets:
            raise DataFormatError(path, f"missing sheet {sheet!r}", expected="sheets Table 1 .. Table 9", found=sheets)
        df, v = parse_table(path, sheet, number)
        frames.append(df)
        vintages.add(v)
    if len(vintages) > 1:
        raise DataFormatError(
            path,
            f"tables carry different 'Last updated' dates {sorted(vintages)}",
            row=1,
            column="A",
            expected="one date",
            found=sorted(vintages),
        )
    tidy = pd.concat(frames, ignore_index=True)
    tidy["reporter"] = "USA"
    tidy["basis"] = "bop"
    tidy["adjustment"] = "nsa"
    tidy["month"] = pd.array([pd.NA] * len(tidy), dtype="Int64")
    tidy = tidy[[*STORE_TABLES["trade"].column_names, "_row"]]
    vintage = vintages.pop()
    return parsed(
        SOURCE,
        path,
        vintage,
        {"trade": tidy},
        notes=[
            f"vintage = 'Last updated' date {vintage.isoformat()}",
            "annual rows only (quarterly rows are seasonally adjusted and not stored)",
            "values converted from US$ million to US$; balances (Tables 3, 6, 9) not stored",
            "n.a. cells stored as NULL with status not_published",
        ],
    )


SOURCE = register(
    SourceInfo(
        id="bea.country",
        agency="U.S. Bureau of Economic Analysis and U.S. Census Bureau",
        title="U.S. International Trade in Goods and Services by Selected Countries and Areas, BOP basis, annual",
        url="https://www.bea.gov/data/intl-trade-investment/international-trade-goods-and-services",
        licence=US_PUBLIC_DOMAIN,
        citation=(
            "U.S. Bureau of Economic Analysis and U.S. Census Bureau, U.S. International Trade in Goods "
            "and Services by Selected Countries and Areas"
        ),
        table="trade",
        detect=detect,
        parse=parse,
        downloads=(),
    )
)

__all__ = ["SOURCE", "detect", "parse"]
