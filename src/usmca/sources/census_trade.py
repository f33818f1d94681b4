"""U.S. Census Bureau goods trade by partner country (`country.xlsx`), monthly since 1985.

Official file: https://www.census.gov/foreign-trade/balance/country.xlsx
Layout: one sheet, columns year, CTY_CODE, CTYNAME, IJAN..IDEC, IYR, EJAN..EDEC, EYR.
Values are US$ million, Census basis, not seasonally adjusted (except code 0004).
Codes below 1000 are aggregates (world, regions, EU, ...), kept as groups, not countries.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from usmca.countries import SCHEDULE_C_ISO3, to_iso3
from usmca.errors import DataFormatError
from usmca.months import MONTH_ABBR
from usmca.sources.base import Download, ParsedFile, SourceInfo, parsed, read_xlsx, register
from usmca.tables import TABLES, US_PUBLIC_DOMAIN

MONTHS = [m.upper() for m in MONTH_ABBR]  # the column suffixes: IJAN .. IDEC, EJAN .. EDEC
COLUMNS = ["year", "CTY_CODE", "CTYNAME"] + [f"I{m}" for m in MONTHS] + ["IYR"] + [f"E{m}" for m in MONTHS] + ["EYR"]

WORLD_NSA = 15
WORLD_SA = 4
ADVANCED_TECHNOLOGY = 7


def vintage_from_last_month(year: int, month: int) -> date:
    """Census publishes month M early in month M+2: that is the file's vintage."""
    m = month + 2
    return date(year + (m - 1) // 12, (m - 1) % 12 + 1, 1)


def detect(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx":
        return False
    if path.name.lower() == "country.xlsx":
        return True
    try:
        head = read_xlsx(path, header=None).iloc[:1]
    except DataFormatError:
        return False
    return list(head.iloc[0, :3]) == ["year", "CTY_CODE", "CTYNAME"]


def parse(path: Path) -> ParsedFile:
    raw = read_xlsx(path, header=0)
    if raw.empty:
        raise DataFormatError(path, "workbook has no data rows", row=2, expected="rows of trade by country")
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataFormatError(
            path,
            f"missing columns {missing}",
            row=1,
            column=missing[0],
            expected=f"header {COLUMNS[:5]}...",
            found=list(raw.columns)[:8],
        )
    raw["_row"] = raw.index + 2  # header is row 1
    value_cols = [c for c in COLUMNS[3:]]
    for c in ["year", "CTY_CODE", *value_cols]:
        num = pd.to_numeric(raw[c], errors="coerce")
        bad = num.isna() & ~(raw[c].isna() if c in value_cols else False)
        if c in ("year", "CTY_CODE"):
            bad = num.isna()
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise DataFormatError(
                path, "not a number", row=int(raw["_row"].iloc[i]), column=c, expected="a number", found=raw[c].iloc[i]
            )
        raw[c] = num
    raw["year"] = raw["year"].astype(int)
    raw["CTY_CODE"] = raw["CTY_CODE"].astype(int)

    # Months not yet published are zero in the file: find them from the world total.
    world = raw[raw["CTY_CODE"] == WORLD_NSA]
    if world.empty:
        raise DataFormatError(
            path,
            "no world total row (CTY_CODE 0015)",
            column="CTY_CODE",
            expected="code 15 (World, Not Seasonally Adjusted)",
        )
    last_year = int(world["year"].max())
    wl = world[world["year"] == last_year].iloc[0]
    published = [i + 1 for i, m in enumerate(MONTHS) if (wl[f"I{m}"] or 0) != 0 or (wl[f"E{m}"] or 0) != 0]
    last_month = max(published) if published else 0
    if last_month == 0:
        last_year, last_month = last_year - 1, 12

    names = {}
    kinds = {}
    unknown = []
    for code, name, row in raw[["CTY_CODE", "CTYNAME", "_row"]].drop_duplicates("CTY_CODE").itertuples(index=False):
        if code < 1000:
            names[code] = "WLD" if code in (WORLD_NSA, WORLD_SA, ADVANCED_TECHNOLOGY) else f"G:{code:04d}"
            kinds[code] = "world" if code in (WORLD_NSA, WORLD_SA, ADVANCED_TECHNOLOGY) else "group"
            continue
        iso = SCHEDULE_C_ISO3.get(code) or to_iso3(str(name))
        if iso is None:
            unknown.append((code, name, row))
        names[code] = iso or f"C:{code:04d}"
        kinds[code] = "country"
    if unknown:
        code, name, row = unknown[0]
        raise DataFormatError(
            path,
            f"unknown country code {code} ({name!r})",
            row=int(row),
            column="CTY_CODE",
            expected="a Census Schedule C country code",
            found=code,
        )

    frames = []
    for flow, letter in (("imports", "I"), ("exports", "E")):
        cols = [f"{letter}{m}" for m in MONTHS]
        long = raw.melt(
            id_vars=["year", "CTY_CODE", "CTYNAME", "_row"], value_vars=cols, var_name="col", value_name="value"
        )
        long["month"] = long["col"].str[1:].map({m: i + 1 for i, m in enumerate(MONTHS)})
        annual = raw[["year", "CTY_CODE", "CTYNAME", "_row", f"{letter}YR"]].rename(columns={f"{letter}YR": "value"})
        annual["month"] = pd.NA
        both = pd.concat([long.drop(columns="col"), annual], ignore_index=True)
        both["flow"] = flow
        frames.append(both)
    df = pd.concat(frames, ignore_index=True)
    month = pd.to_numeric(df["month"], errors="coerce")
    future = (df["year"] > last_year) | (
        (df["year"] == last_year) & ((month.isna() & (last_month < 12)) | (month.fillna(0) > last_month))
    )
    df["status"] = "published"
    df.loc[future, "status"] = "not_published"
    df["value_usd"] = (df["value"] * 1e6).where(~future)
    df["partner"] = df["CTY_CODE"].map(names)
    df["partner_kind"] = df["CTY_CODE"].map(kinds)
    df["partner_code"] = df["CTY_CODE"].map(lambda c: f"{c:04d}")
    df["partner_name"] = df["CTYNAME"].astype(str).str.strip()
    df["reporter"] = "USA"
    df["basis"] = "census"
    df["product"] = "goods"
    df.loc[df["CTY_CODE"] == ADVANCED_TECHNOLOGY, "product"] = "advanced_technology"
    df["adjustment"] = "nsa"
    df.loc[df["CTY_CODE"] == WORLD_SA, "adjustment"] = "sa"
    df["month"] = df["month"].astype("Int64")
    tidy = df[TABLES["trade"].frame_columns]
    vintage = vintage_from_last_month(last_year, last_month)
    return parsed(
        SOURCE,
        path,
        vintage,
        {"trade": tidy},
        notes=[
            f"latest month published: {last_year}-{last_month:02d}; later months are zeros in the file "
            "and are stored as not published",
            "vintage inferred: Census publishes month M early in month M+2",
        ],
    )


SOURCE = register(
    SourceInfo(
        id="census.country",
        agency="U.S. Census Bureau, Foreign Trade Division",
        title="U.S. Trade in Goods by Country (country.xlsx), Census basis, US$ million",
        url="https://www.census.gov/foreign-trade/balance/country.xlsx",
        licence=US_PUBLIC_DOMAIN,
        citation="U.S. Census Bureau, Foreign Trade Division, U.S. Trade in Goods by Country",
        table="trade",
        detect=detect,
        parse=parse,
        downloads=(Download("https://www.census.gov/foreign-trade/balance/country.xlsx", "country.xlsx"),),
    )
)

__all__ = ["SOURCE", "detect", "parse", "vintage_from_last_month"]
