"""U.S. Census Bureau International Trade API: monthly exports and imports by HS commodity.

Endpoints (https://www.census.gov/foreign-trade/reference/guides/Guide_to_International_Trade_Datasets.pdf):
    https://api.census.gov/data/timeseries/intltrade/exports/hs
        CTY_CODE, CTY_NAME, ALL_VAL_MO (total exports, month), ALL_VAL_YR (year to date),
        E_COMMODITY, COMM_LVL, time (YYYY-MM)
    https://api.census.gov/data/timeseries/intltrade/imports/hs
        CTY_CODE, CTY_NAME, GEN_VAL_MO (general imports, month), GEN_VAL_YR, I_COMMODITY,
        COMM_LVL, time
A key (env CENSUS_API_KEY) is optional below 500 calls a day.

Response: a JSON array of arrays of strings; the first is the header (predicate variables such
as `time` or `COMM_LVL` are appended when not requested). A query without results answers
HTTP 204 with an empty body.

Units: US dollars (not millions); Census basis, not seasonally adjusted.

`fetch_hs()` saves the response with `usmca.sources.fetch.fetch` (the one retry implementation)
as `census-api-<flow>-<level>-<year>[-<month>][-<cty>].json` and parses it. `parse_api_json()`
turns a payload into tidy `trade` rows: product `HS2:85`, partner from CTY_CODE (Schedule C code;
`-` = all countries -> WLD; codes below 1000 and `nXXX` codes are groups), `*_VAL_MO` -> monthly
rows; `*_VAL_YR` -> an annual row (month NULL) from the December row only (year to date in
December = the calendar year).

A saved response is also a source (`census.api`) that `usmca data load` can load. Vintage of a
saved response: the retrieval date in its `.meta.json` sidecar (written by `fetch`; the API
serves the current revision); without a sidecar, the first day of the second month after the
latest month in the file (Census publishes month M early in month M+2).
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

from usmca.config import setting
from usmca.countries import SCHEDULE_C_ISO3, to_iso3
from usmca.errors import DataFormatError
from usmca.sources.base import (
    ParsedFile,
    SourceInfo,
    check_nonempty,
    file_head,
    parsed,
    read_json,
    register,
    retrieved_on,
)
from usmca.sources.census_trade import vintage_from_last_month
from usmca.tables import TABLES, US_PUBLIC_DOMAIN

BASE = "https://api.census.gov/data/timeseries/intltrade"
FLOWS = {
    "exports": {"value_mo": "ALL_VAL_MO", "value_yr": "ALL_VAL_YR", "commodity": "E_COMMODITY"},
    "imports": {"value_mo": "GEN_VAL_MO", "value_yr": "GEN_VAL_YR", "commodity": "I_COMMODITY"},
}
TRADE_COLUMNS = TABLES["trade"].column_names
NAME_RE = re.compile(r"^census-api-.*\.json$", re.IGNORECASE)


def url_for(flow: str) -> str:
    if flow not in FLOWS:
        raise ValueError(f"flow must be 'exports' or 'imports', not {flow!r}")
    return f"{BASE}/{flow}/hs"


def _flow_of(header: list[str], source: str) -> str:
    for flow, v in FLOWS.items():
        if v["commodity"] in header or v["value_mo"] in header or v["value_yr"] in header:
            return flow
    raise DataFormatError(
        source,
        "cannot tell exports from imports",
        row=1,
        column=header[0] if header else None,
        expected="E_COMMODITY/ALL_VAL_MO (exports) or I_COMMODITY/GEN_VAL_MO (imports)",
        found=header,
    )


def _partner(code: str, name: str) -> tuple[str, str] | None:
    """(partner, kind), or None if the code is a country that cannot be resolved."""
    c = code.strip()
    if c in ("-", "", "0000") or name.strip().upper() in ("TOTAL FOR ALL COUNTRIES", "WORLD TOTAL"):
        return "WLD", "world"
    if "X" in c.upper():  # continent groupings such as 1XXX
        return f"G:{c.upper()}", "group"
    if not c.isdigit():
        return None
    n = int(c)
    if n < 1000:
        return f"G:{n:04d}", "group"
    iso = SCHEDULE_C_ISO3.get(n) or to_iso3(name)
    return (iso, "country") if iso else None


def parse_api_json(payload: Any, source: str = "Census API response") -> pd.DataFrame:
    """A decoded Census API payload -> tidy `trade` rows (with `_row`, 1 = the header row)."""
    if payload is None or payload == []:
        return pd.DataFrame(columns=[*TRADE_COLUMNS, "_row"])
    if not (isinstance(payload, list) and all(isinstance(r, list) for r in payload)):
        raise DataFormatError(
            source,
            "not a Census API response",
            row=1,
            expected="a JSON array of arrays (header first)",
            found=str(payload)[:80],
        )
    header = [str(h).strip() for h in payload[0]]
    flow = _flow_of(header, source)
    names = FLOWS[flow]
    pos: dict[str, int] = {}
    for i, h in enumerate(header):
        pos.setdefault(h, i)  # a variable both requested and used as predicate comes twice
    required = ["CTY_CODE", "CTY_NAME", names["commodity"], "time"]
    missing = [c for c in required if c not in pos]
    values = [c for c in (names["value_mo"], names["value_yr"]) if c in pos]
    if not values:
        missing.append(names["value_mo"])
    if missing:
        raise DataFormatError(
            source,
            f"missing column(s) {missing}",
            row=1,
            column=missing[0],
            expected=f"columns {required + [names['value_mo']]}",
            found=header,
        )
    records = []
    seen: dict[tuple[str, str, int, int | None], int] = {}
    for r, row in enumerate(payload[1:], start=2):
        if len(row) != len(header):
            raise DataFormatError(
                source,
                f"row has {len(row)} fields, the header {len(header)}",
                row=r,
                expected=f"{len(header)} fields",
                found=len(row),
            )
        cell = {h: ("" if row[i] is None else str(row[i]).strip()) for h, i in pos.items()}
        m = re.fullmatch(r"(\d{4})-(\d{2})", cell["time"])
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise DataFormatError(source, "not a month", row=r, column="time", expected="YYYY-MM", found=cell["time"])
        year, month = int(m.group(1)), int(m.group(2))
        comm = cell[names["commodity"]]
        if not re.fullmatch(r"\d{2,10}|-|TOTAL", comm):
            raise DataFormatError(
                source,
                "not an HS code",
                row=r,
                column=names["commodity"],
                expected="an HS code such as 85",
                found=comm,
            )
        level = cell.get("COMM_LVL") or f"HS{len(comm)}"
        product = "goods" if comm in ("-", "TOTAL") else f"{level.upper()}:{comm}"
        who = _partner(cell["CTY_CODE"], cell["CTY_NAME"])
        if who is None:
            raise DataFormatError(
                source,
                f"unknown country code {cell['CTY_CODE']} ({cell['CTY_NAME']!r})",
                row=r,
                column="CTY_CODE",
                expected="a Census Schedule C country code",
                found=cell["CTY_CODE"],
            )
        partner, kind = who
        for col in values:
            annual = col == names["value_yr"]
            if annual and month != 12:
                continue  # year to date before December: not a calendar-year total
            text = cell[col].replace(",", "")
            try:
                value = float(text)
            except ValueError:
                raise DataFormatError(
                    source,
                    "not a number",
                    row=r,
                    column=col,
                    expected="a value in US dollars",
                    found=cell[col],
                ) from None
            key = (cell["CTY_CODE"], product, year, None if annual else month)
            if key in seen:
                raise DataFormatError(
                    source,
                    f"duplicated row for CTY_CODE {key[0]}, {product}, {cell['time']} (first at row {seen[key]})",
                    row=r,
                    column="CTY_CODE",
                    expected="one row per country, commodity and month",
                    found=cell["CTY_CODE"],
                )
            seen[key] = r
            records.append(
                {
                    "reporter": "USA",
                    "partner": partner,
                    "partner_code": cell["CTY_CODE"],
                    "partner_name": cell["CTY_NAME"],
                    "partner_kind": kind,
                    "flow": flow,
                    "basis": "census",
                    "product": product,
                    "adjustment": "nsa",
                    "year": year,
                    "month": None if annual else month,
                    "value_usd": value,
                    "status": "published",
                    "_row": r,
                }
            )
    df = pd.DataFrame(records, columns=[*TRADE_COLUMNS, "_row"])
    df["month"] = df["month"].astype("Int64")
    return df


def file_name(flow: str, year: int, month: int | None, partner_code: str | None, level: str) -> str:
    parts = ["census-api", flow, level.lower(), str(year)]
    if month is not None:
        parts.append(f"{month:02d}")
    if partner_code:
        parts.append(re.sub(r"[^0-9A-Za-z]+", "", partner_code))
    return "-".join(parts) + ".json"


def fetch_hs(
    flow: str,
    year: int,
    month: int | None = None,
    partner_code: str | None = None,
    level: str = "HS2",
    key: str | None = None,
    client: httpx.Client | None = None,
    *,
    cache_dir: Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
    retries: int | None = None,
) -> pd.DataFrame:
    """U.S. exports or imports by HS chapter (or finer `level`) for one month or one year.

    `month=None`: the calendar year (the year-to-date value of December). `partner_code`: a
    Census Schedule C code such as "2010" (Mexico); None: every country and group.
    The response is saved (in `cache_dir`, else a temporary folder) by `sources.fetch.fetch`,
    which retries on 429/5xx/timeouts, then parsed by `parse_api_json`.
    """
    from usmca.sources.fetch import fetch

    url = url_for(flow)
    names = FLOWS[flow]
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month}")
    value = names["value_mo"] if month is not None else names["value_yr"]
    params = {
        "get": ",".join(["CTY_CODE", "CTY_NAME", value, names["commodity"]]),
        "time": f"{year}-{month if month is not None else 12:02d}",
        "COMM_LVL": level.upper(),
    }
    if partner_code:
        params["CTY_CODE"] = partner_code
    key = key if key is not None else setting("census_api_key")
    if key:
        params["key"] = key
    with tempfile.TemporaryDirectory(prefix="usmca-census-") as tmp:
        folder = Path(cache_dir) if cache_dir else Path(tmp)
        dest = folder / file_name(flow, year, month, partner_code, level)
        fetch(url, dest, client=client, params=params, sleep=sleep, retries=retries, source=SOURCE)
        payload = _load_json(dest)
    df = parse_api_json(payload, source=url)
    want = df["month"].isna() if month is None else (df["month"] == month)
    return df[want.fillna(False)].drop(columns="_row").reset_index(drop=True)


def _load_json(path: Path) -> Any:
    if path.stat().st_size == 0:
        return []  # HTTP 204: no data for this query
    return read_json(path, "a Census API JSON response")


def detect(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    if NAME_RE.match(path.name):
        return True
    try:
        head = file_head(path, 512).decode("utf-8", errors="replace").lstrip()
    except OSError:
        return False
    return head.startswith("[[") and "CTY_CODE" in head and "_VAL_" in head


def parse(path: Path) -> ParsedFile:
    check_nonempty(path)
    payload = _load_json(path)
    df = parse_api_json(payload, source=str(path))
    if df.empty:
        raise DataFormatError(
            path,
            "the response holds no data rows",
            row=2,
            expected="rows of trade by country and commodity",
            found="nothing",
        )
    monthly = df.dropna(subset=["month"])
    if not monthly.empty:
        last = monthly.sort_values(["year", "month"]).iloc[-1]
        y, m = int(last["year"]), int(last["month"])
    else:
        y, m = int(df["year"].max()), 12
    retrieved = retrieved_on(path)
    if retrieved is not None:
        vintage = retrieved
        rule = "vintage = retrieval date (the API serves the current revision)"
    else:
        vintage = vintage_from_last_month(y, m)
        rule = "vintage inferred: Census publishes month M early in month M+2"
    return parsed(
        SOURCE,
        path,
        vintage,
        {"trade": df},
        notes=[
            f"latest month {y}-{m:02d}; {rule}",
            "values in US dollars; annual rows from the December year-to-date value",
        ],
    )


SOURCE = register(
    SourceInfo(
        id="census.api",
        agency="U.S. Census Bureau, Foreign Trade Division",
        title="International Trade API: U.S. exports and imports by HS commodity and country (US$)",
        url="https://api.census.gov/data/timeseries/intltrade/exports/hs",
        licence=US_PUBLIC_DOMAIN,
        citation="U.S. Census Bureau, International Trade API (time series intltrade)",
        table="trade",
        detect=detect,
        parse=parse,
        downloads=(),
    )
)

__all__ = ["SOURCE", "detect", "fetch_hs", "parse", "parse_api_json", "url_for"]
