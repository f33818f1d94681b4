"""FT-900 release exhibits: U.S. national totals of trade in goods and services.

Publisher: U.S. Census Bureau and U.S. Bureau of Economic Analysis, "U.S. International Trade in
Goods and Services" (FT-900), https://www.census.gov/foreign-trade/Press-Release/current_press_release/
Files (one per exhibit, replaced every month):

* `exh1.xlsx`, Exhibit 1: goods and services, balance of payments (BOP) basis, SEASONALLY
  ADJUSTED. Columns: Balance / Exports / Imports x Total / Goods / Services.
* `exh12.xlsx`, Exhibit 12: goods, NOT seasonally adjusted. Columns: Balance (BOP basis,
  Census basis), Exports and Imports (BOP basis, net adjustments, Census basis).

Layout: title rows (`Exhibit 1. ...`), a two-row header starting with `Period`, then one block
per year: a row holding the year, `Jan. - Dec.` (annual total), `Jan. -` or `Jan. - Mar.`
(year to date: skipped, it repeats the months), and the twelve months. Revised rows carry
`(R)` (stored with status `revised`). Months not yet published are empty: stored as
`not_published` with a NULL value. The block ends at `December data as published last month:`
(the previous release's December, not stored) and footnotes. Units: US$ million in the sheet,
stored as US dollars.

Rows go to `trade` with reporter USA, partner `WLD` (partner_kind `world`, no partner code),
flows exports and imports, basis bop or census, product goods / services / goods_services,
adjustment sa (Exhibit 1) or nsa (Exhibit 12), month NULL for the annual total. These keys line
up with `census.country`'s world row (code 0015: WLD, goods, census, nsa), so the newer FT-900
vintage wins in `trade_current` for the periods both files hold. Balances and net adjustments
are not stored: they are checked (exports - imports = balance, within rounding).

Vintage: the workbook's creation date (docProps/core.xml, 2026-03-10 for the January 2026
release) when it falls within three months after the last published month; otherwise the
first day of the second month after the last published month (the release month, as for
`census.country`). The release is named after the last published month ("January 2026 release").

"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from usmca import months
from usmca.errors import DataFormatError
from usmca.sources.base import Download, ParsedFile, SourceInfo, column_letter, parsed, read_xlsx, register
from usmca.sources.census_trade import vintage_from_last_month
from usmca.tables import TABLES, US_PUBLIC_DOMAIN

BASE_URL = "https://www.census.gov/foreign-trade/Press-Release/current_press_release"
MONTH_NAMES = [m.lower() for m in months.MONTH_NAMES]
BALANCE_TOLERANCE_M = 3.0  # US$ million: each published figure is rounded on its own


@dataclass(frozen=True)
class Col:
    group: str  # first header row: Balance | Exports | Imports
    sub: str  # second header row
    measure: str  # balance | exports | imports | adjustment
    basis: str  # bop | census
    product: str  # goods | services | goods_services


@dataclass(frozen=True)
class Exhibit:
    number: str
    title: str
    adjustment: str
    columns: tuple[Col, ...]


EXHIBITS: dict[str, Exhibit] = {
    "1": Exhibit(
        "1",
        "U.S. International Trade in Goods and Services",
        "sa",
        tuple(
            Col(g, s, g.lower(), "bop", p)
            for g in ("Balance", "Exports", "Imports")
            for s, p in (("Total", "goods_services"), ("Goods (1)", "goods"), ("Services", "services"))
        ),
    ),
    "12": Exhibit(
        "12",
        "U.S. Trade in Goods",
        "nsa",
        (
            Col("Balance", "Total Balance of Payments Basis", "balance", "bop", "goods"),
            Col("Balance", "Total Census Basis", "balance", "census", "goods"),
            Col("Exports", "Total Balance of Payments Basis", "exports", "bop", "goods"),
            Col("Exports", "Net Adjustments", "adjustment", "bop", "goods"),
            Col("Exports", "Total Census Basis", "exports", "census", "goods"),
            Col("Imports", "Total Balance of Payments Basis", "imports", "bop", "goods"),
            Col("Imports", "Net Adjustments", "adjustment", "bop", "goods"),
            Col("Imports", "Total Census Basis", "imports", "census", "goods"),
        ),
    ),
}

TITLE_RE = re.compile(r"^\s*Exhibit\s+(\d+)\.\s*(.*)$")
REVISED_RE = re.compile(r"\s*\(R\)\s*$")


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return re.sub(r"\s+", " ", str(v)).strip()


def _month_start(year: int, month: int, add: int = 0) -> date:
    """First day of the month `add` months after year-month."""
    m = year * 12 + (month - 1) + add
    return date(m // 12, m % 12 + 1, 1)


def _exhibit_number(raw: pd.DataFrame) -> tuple[str | None, int | None]:
    for i in range(min(10, len(raw))):
        m = TITLE_RE.match(_text(raw.iat[i, 0]))
        if m:
            return m.group(1), i
    return None, None


def detect(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx":
        return False
    if re.fullmatch(r"exh(1|12)\.xlsx", path.name.lower()):
        return True
    try:
        raw = read_xlsx(path, header=None)
    except DataFormatError:
        return False
    number, _ = _exhibit_number(raw.iloc[:10])
    return number in EXHIBITS


def workbook_created(path: Path) -> date | None:
    """`dcterms:created` of an .xlsx workbook (docProps/core.xml), or None when unreadable."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("docProps/core.xml").decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    m = re.search(r"<dcterms:created[^>]*>(\d{4})-(\d\d)-(\d\d)", xml)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _value(path: Path, v: Any, row: int, column: str) -> float | None:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, int | float) and not isinstance(v, bool):
        return float(v)
    s = str(v).strip().replace(",", "")
    if s in ("", "-", "(NA)", "(X)", "(D)"):
        return None
    try:
        return float(s)
    except ValueError:
        raise DataFormatError(
            path,
            "not a number",
            row=row,
            column=column,
            expected="a value in millions of dollars, or an empty cell",
            found=v,
        ) from None


def parse(path: Path) -> ParsedFile:
    raw = read_xlsx(path, header=None)
    if raw.empty:
        raise DataFormatError(
            path, "workbook sheet is empty", row=1, expected="an FT-900 exhibit (title, header, year blocks)"
        )
    number, title_row = _exhibit_number(raw)
    if number is None or title_row is None:
        raise DataFormatError(
            path,
            "no exhibit title in the first rows",
            row=1,
            column="A",
            expected="'Exhibit 1. ...' or 'Exhibit 12. ...'",
            found=_text(raw.iat[min(2, len(raw) - 1), 0]),
        )
    if number not in EXHIBITS:
        raise DataFormatError(
            path,
            f"unsupported FT-900 exhibit {number}",
            row=title_row + 1,
            column="A",
            expected=f"one of exhibits {sorted(EXHIBITS)}",
            found=_text(raw.iat[title_row, 0]),
        )
    ex = EXHIBITS[number]

    # Two-row header.
    hdr = next((i for i in range(len(raw)) if _text(raw.iat[i, 0]) == "Period"), None)
    if hdr is None or hdr + 1 >= len(raw):
        raise DataFormatError(
            path,
            "no header row starting with 'Period'",
            column="A",
            expected="a header row 'Period, Balance, ..., Exports, ..., Imports'",
        )
    ncols = len(ex.columns)
    if raw.shape[1] < ncols + 1:
        raise DataFormatError(
            path,
            "too few columns",
            row=hdr + 1,
            column=column_letter(raw.shape[1]),
            expected=f"{ncols + 1} columns",
            found=raw.shape[1],
        )
    group = ""
    for k, col in enumerate(ex.columns, start=1):
        group = _text(raw.iat[hdr, k]) or group
        sub = _text(raw.iat[hdr + 1, k])
        if group != col.group:
            raise DataFormatError(
                path,
                "missing or renamed column group",
                row=hdr + 1,
                column=column_letter(k),
                expected=col.group,
                found=group,
            )
        if sub != col.sub:
            raise DataFormatError(
                path,
                "missing or renamed column",
                row=hdr + 2,
                column=column_letter(k),
                expected=f"{col.group} / {col.sub}",
                found=sub,
            )

    out: list[dict[str, Any]] = []
    year: int | None = None
    seen: dict[tuple[int, int | None], int] = {}
    for i in range(hdr + 2, len(raw)):
        line = i + 1
        label = _text(raw.iat[i, 0])
        cells = [raw.iat[i, k] for k in range(1, ncols + 1)]
        empty = all(_text(c) == "" for c in cells)
        if label == "" and empty:
            continue
        if re.fullmatch(r"(19|20)\d\d", label):
            if not empty:
                raise DataFormatError(
                    path,
                    "a year row holds values",
                    row=line,
                    column="B",
                    expected="a year heading with empty cells",
                    found=_text(cells[0]),
                )
            year = int(label)
            continue
        revised = bool(REVISED_RE.search(label))
        lab = REVISED_RE.sub("", label).strip().lower()
        month: int | None
        if re.fullmatch(r"jan\.? ?- ?dec\.?", lab):
            month = None
        elif re.fullmatch(r"jan\.? ?-( ?[a-z]+\.?)?", lab):
            continue  # year to date: the sum of the months above
        elif lab.rstrip(".") in MONTH_NAMES:
            month = MONTH_NAMES.index(lab.rstrip(".")) + 1
        elif empty or label.lower().startswith(("december data as published", "note", "(1)")):
            break  # footnotes and the previous release's December
        else:
            raise DataFormatError(
                path,
                "unexpected row label",
                row=line,
                column="A",
                expected="a year, 'Jan. - Dec.', 'Jan. -' or a month name",
                found=label,
            )
        if year is None:
            raise DataFormatError(
                path,
                "data row before any year heading",
                row=line,
                column="A",
                expected="a year row such as 2024 first",
                found=label,
            )
        key = (year, month)
        if key in seen:
            what = f"{year}" + (f"-{month:02d}" if month else " (Jan. - Dec.)")
            raise DataFormatError(
                path,
                f"duplicated period {what} (first seen at row {seen[key]})",
                row=line,
                column="A",
                expected="each period once",
                found=label,
            )
        seen[key] = line
        values = {}
        for k, col in enumerate(ex.columns, start=1):
            values[col] = _value(path, cells[k - 1], line, f"{column_letter(k)} ({col.group} / {col.sub})")
        _check_balances(path, ex, values, line)
        for col, v in values.items():
            if col.measure not in ("exports", "imports"):
                continue
            out.append(
                {
                    "flow": col.measure,
                    "basis": col.basis,
                    "product": col.product,
                    "year": year,
                    "month": month,
                    "value_usd": None if v is None else v * 1e6,
                    "status": "not_published" if v is None else ("revised" if revised else "published"),
                    "_row": line,
                }
            )
    if not out:
        raise DataFormatError(
            path,
            "no data rows under the header",
            row=hdr + 3,
            column="A",
            expected="year blocks with 'Jan. - Dec.' and month rows",
        )
    df = pd.DataFrame(out)
    pub = df[df["status"] != "not_published"]
    if pub.empty:
        raise DataFormatError(path, "no published values", row=hdr + 3, expected="numbers in millions of dollars")
    months = pub.dropna(subset=["month"])
    if months.empty:
        last_year, last_month = int(pub["year"].max()), 12
    else:
        last = months.sort_values(["year", "month"]).iloc[-1]
        last_year, last_month = int(last["year"]), int(last["month"])
    fallback = vintage_from_last_month(last_year, last_month)
    created = workbook_created(path)
    notes = []
    # A plausible workbook date lies after the last published month and within three months.
    if created is not None and _month_start(last_year, last_month, 1) <= created < _month_start(
        last_year, last_month, 4
    ):
        vintage = created
        notes.append(f"vintage: workbook creation date {created.isoformat()}")
    else:
        vintage = fallback
        notes.append(
            "vintage inferred: the release of month M comes out early in month M+2"
            + (f" (workbook date {created.isoformat()} ignored: not plausible)" if created else "")
        )
    release = f"{MONTH_NAMES[last_month - 1].title()} {last_year} release"
    adj = "seasonally adjusted" if ex.adjustment == "sa" else "not seasonally adjusted"
    notes.append(
        f"Exhibit {ex.number}, {adj}; balances and net adjustments checked, not stored; year-to-date rows skipped"
    )

    df["month"] = df["month"].astype("Int64")
    df["value_usd"] = df["value_usd"].astype(float)
    df["reporter"] = "USA"
    df["partner"] = "WLD"
    df["partner_code"] = None
    df["partner_name"] = "World"
    df["partner_kind"] = "world"
    df["adjustment"] = ex.adjustment
    tidy = df[TABLES["trade"].frame_columns]
    return parsed(SOURCE, path, vintage, {"trade": tidy}, notes=notes, release=release)


def _check_balances(path: Path, ex: Exhibit, values: dict[Col, float | None], line: int) -> None:
    by = {(c.measure, c.basis, c.product): v for c, v in values.items()}
    flow = ""
    for k, col in enumerate(ex.columns, start=1):
        if col.measure in ("exports", "imports"):
            flow = col.measure
        if col.measure == "adjustment":  # BOP basis = Census basis + net adjustments
            nxt = ex.columns[k] if k < len(ex.columns) else None
            bop, adj = by.get((flow, "bop", col.product)), values[col]
            census = values[nxt] if nxt is not None else None
            if (
                bop is not None
                and adj is not None
                and census is not None
                and abs(census + adj - bop) > BALANCE_TOLERANCE_M
            ):
                raise DataFormatError(
                    path,
                    f"Census basis + net adjustments = {census + adj:,.0f} but the BOP basis column says {bop:,.0f}",
                    row=line,
                    column=f"{column_letter(k)} ({col.group} / {col.sub})",
                    expected=f"{bop - census:,.0f}",
                    found=adj,
                )
            continue
        if col.measure != "balance":
            continue
        b = values[col]
        x = by.get(("exports", col.basis, col.product))
        m = by.get(("imports", col.basis, col.product))
        if b is None or x is None or m is None:
            continue
        if abs((x - m) - b) > BALANCE_TOLERANCE_M:
            raise DataFormatError(
                path,
                f"exports - imports = {x - m:,.0f} but the balance column says {b:,.0f} (shifted or edited columns?)",
                row=line,
                column=f"{column_letter(k)} ({col.group} / {col.sub})",
                expected=f"{x - m:,.0f} within {BALANCE_TOLERANCE_M:g}",
                found=b,
            )


SOURCE = register(
    SourceInfo(
        id="census.ft900",
        agency="U.S. Census Bureau and U.S. Bureau of Economic Analysis",
        title="U.S. International Trade in Goods and Services (FT-900), release exhibits, US dollars",
        url=f"{BASE_URL}/index.html",
        licence=US_PUBLIC_DOMAIN,
        citation=(
            "U.S. Census Bureau and U.S. Bureau of Economic Analysis, U.S. International Trade in Goods "
            "and Services (FT-900)"
        ),
        table="trade",
        detect=detect,
        parse=parse,
        downloads=(Download(f"{BASE_URL}/exh1.xlsx", "exh1.xlsx"), Download(f"{BASE_URL}/exh12.xlsx", "exh12.xlsx")),
    )
)

__all__ = ["EXHIBITS", "SOURCE", "detect", "parse", "workbook_created"]
