"""U.S. Census Bureau International Trade API: monthly exports and imports by HS commodity.

Endpoints (https://www.census.gov/foreign-trade/reference/guides/Guide_to_International_Trade_Datasets.pdf):
    https://api.census.gov/data/timeseries/intltrade/exports/hs
        CTY_CODE, CTY_NAME, ALL_VAL_MO (total exports, month), ALL_VAL_YR (year to date),
        E_COMMODITY, COMM_LVL, time (YYYY-MM)
    https://api.census.gov/data/timeseries/intltrade/imports/hs
        CTY_CODE, CTY_NAME, GEN_VAL_MO (general imports, month), GEN_VAL_YR, I_COMMODITY,
        COMM_LVL, time
    Both also answer by customs district (DISTRICT, DIST_NAME; `-` = all districts) and give
    quantities: QTY_1_MO, QTY_2_MO (exports), GEN_QY1_MO, GEN_QY2_MO (imports) in UNIT_QY1,
    UNIT_QY2; imports for consumption: CON_VAL_MO.
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

Detail-level rows (COMM_LVL HS6 or HS10, or a row naming a customs district) go to
`trade_detail` instead (`parse_api_tables`, `fetch_detail`): commodity code and level (Schedule B
for exports, HTS for imports), partner, district, month, value and quantities. The store keeps
them as Hive-partitioned Parquet (usmca.store.detail).

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
from usmca.tables import DETAIL_TABLES, TABLES, US_PUBLIC_DOMAIN

BASE = "https://api.census.gov/data/timeseries/intltrade"
FLOWS: dict[str, dict[str, Any]] = {
    "exports": {
        "value_mo": "ALL_VAL_MO",
        "value_yr": "ALL_VAL_YR",
        "commodity": "E_COMMODITY",
        "quantities": (("QTY_1_MO", "UNIT_QY1"), ("QTY_2_MO", "UNIT_QY2")),
        "consumption": None,
    },
    "imports": {
        "value_mo": "GEN_VAL_MO",
        "value_yr": "GEN_VAL_YR",
        "commodity": "I_COMMODITY",
        "quantities": (("GEN_QY1_MO", "UNIT_QY1"), ("GEN_QY2_MO", "UNIT_QY2")),
        "consumption": "CON_VAL_MO",
    },
}
DETAIL_LEVELS = frozenset({"HS6", "HS10"})
TRADE_COLUMNS = TABLES["trade"].column_names
DETAIL_COLUMNS = DETAIL_TABLES["trade_detail"].column_names
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


def _detail_level(level: str) -> bool:
    return level.upper() in DETAIL_LEVELS


def parse_api_tables(payload: Any, source: str = "Census API response") -> dict[str, pd.DataFrame]:
    """A decoded Census API payload -> tidy rows: `trade` (aggregate) and `trade_detail` (detail).

    A row is detail when its commodity level is HS6 or HS10, or when it names a customs district
    (DISTRICT other than `-`); detail rows are monthly (`*_VAL_MO`), with the quantities when the
    response has them. Other rows go to `trade` as before. `_row`: the line in the payload (1 = header).
    """
    empty = {
        "trade": pd.DataFrame(columns=[*TRADE_COLUMNS, "_row"]),
        "trade_detail": pd.DataFrame(columns=[*DETAIL_COLUMNS, "_row"]),
    }
    if payload is None or payload == []:
        return empty
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
    details = []
    seen: dict[tuple[str, str, int, int | None], int] = {}
    seen_detail: dict[tuple[str, str, str, str, int, int], int] = {}
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
        level = (cell.get("COMM_LVL") or f"HS{len(comm)}").upper()
        total = comm in ("-", "TOTAL")
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
        district = cell.get("DISTRICT", "")
        if _detail_level(level) or district not in ("", "-"):
            details.append(_detail_row(cell, names, flow, level, comm, total, partner, kind, year, month, r, source))
            k = (cell["CTY_CODE"], details[-1]["commodity"], level, district, year, month)
            what = f"{level} {k[1]}, district {district or '-'}, {cell['time']}"
            _once(seen_detail, k, r, source, what, "one row per country, commodity, district and month")
            continue
        product = "goods" if total else f"{level}:{comm}"
        for col in values:
            annual = col == names["value_yr"]
            if annual and month != 12:
                continue  # year to date before December: not a calendar-year total
            value = _number(cell, col, r, source)
            key = (cell["CTY_CODE"], product, year, None if annual else month)
            _once(seen, key, r, source, f"{product}, {cell['time']}", "one row per country, commodity and month")
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
    det = pd.DataFrame(details, columns=[*DETAIL_COLUMNS, "_row"])
    for c in ("year", "month"):
        det[c] = det[c].astype("int64")
    for c in ("value_usd", "consumption_value_usd", "quantity_1", "quantity_2"):
        det[c] = det[c].astype("float64")
    return {"trade": df, "trade_detail": det}


def parse_api_json(payload: Any, source: str = "Census API response") -> pd.DataFrame:
    """A decoded Census API payload -> tidy `trade` rows (with `_row`, 1 = the header row).

    Detail rows (HS6/HS10, or by customs district) are not among them: see `parse_api_tables`.
    """
    return parse_api_tables(payload, source)["trade"]


def _number(cell: dict[str, str], col: str, row: int, source: str, *, what: str = "a value in US dollars") -> float:
    text = cell[col].replace(",", "")
    try:
        return float(text)
    except ValueError:
        raise DataFormatError(source, "not a number", row=row, column=col, expected=what, found=cell[col]) from None


def _once(seen: dict[Any, int], key: tuple[Any, ...], row: int, source: str, what: str, expected: str) -> None:
    """Record the row of a (country code, ...) key; DataFormatError naming both rows when it comes twice."""
    if key in seen:
        raise DataFormatError(
            source,
            f"duplicated row for CTY_CODE {key[0]}, {what} (first at row {seen[key]})",
            row=row,
            column="CTY_CODE",
            expected=expected,
            found=key[0],
        )
    seen[key] = row


def _detail_row(
    cell: dict[str, str],
    names: dict[str, Any],
    flow: str,
    level: str,
    comm: str,
    total: bool,
    partner: str,
    kind: str,
    year: int,
    month: int,
    r: int,
    source: str,
) -> dict[str, Any]:
    """One `trade_detail` row from a response row (monthly value; quantities when given)."""
    if names["value_mo"] not in cell:
        raise DataFormatError(
            source,
            "detail rows (HS6/HS10 or by district) are monthly: the monthly value is missing",
            row=1,
            column=names["value_mo"],
            expected=f"a {names['value_mo']} column",
            found=sorted(cell),
        )
    if total:
        code, level = "TOTAL", "TOTAL"
    else:
        code = comm
        digits = int(level[2:]) if level.startswith("HS") and level[2:].isdigit() else None
        if digits != len(code):
            raise DataFormatError(
                source,
                f"commodity code {code} does not have the digits of level {level}",
                row=r,
                column=names["commodity"],
                expected=f"a {digits or '2, 4, 6 or 10'}-digit code for COMM_LVL {level}",
                found=code,
            )
    district = cell.get("DISTRICT", "")
    if district in ("", "-"):
        district_code, district_name = None, None
    elif re.fullmatch(r"\d{2}", district):
        district_code, district_name = district, (cell.get("DIST_NAME") or None)
    else:
        raise DataFormatError(
            source,
            "not a customs district code",
            row=r,
            column="DISTRICT",
            expected="a 2-digit Census customs district code such as 23 (or - for all districts)",
            found=district,
        )
    quantities: dict[str, Any] = {}
    for i, (qcol, ucol) in enumerate(names["quantities"], start=1):
        unit = cell.get(ucol, "")
        if qcol not in cell or unit in ("", "-"):
            quantities[f"quantity_{i}"], quantities[f"unit_{i}"] = None, None  # no unit of quantity applies
            continue
        quantities[f"quantity_{i}"] = _number(cell, qcol, r, source, what=f"a quantity in {unit}")
        quantities[f"unit_{i}"] = unit
    consumption = None
    if names.get("consumption") and names["consumption"] in cell:
        consumption = _number(cell, names["consumption"], r, source)
    return {
        "flow": flow,
        "year": year,
        "month": month,
        "commodity": code,
        "commodity_level": level,
        "classification": "schedule_b" if flow == "exports" else "hts",
        "partner": partner,
        "partner_code": cell["CTY_CODE"],
        "partner_kind": kind,
        "district": district_code,
        "district_name": district_name,
        "value_usd": _number(cell, names["value_mo"], r, source),
        "consumption_value_usd": consumption,
        **quantities,
        "_row": r,
    }


def file_name(
    flow: str,
    year: int,
    month: int | None,
    partner_code: str | None,
    level: str,
    *,
    district: str | None = None,
    commodity: str | None = None,
) -> str:
    parts = ["census-api", flow, level.lower(), str(year)]
    if month is not None:
        parts.append(f"{month:02d}")
    if partner_code:
        parts.append(re.sub(r"[^0-9A-Za-z]+", "", partner_code))
    if district:
        parts.append("d" + ("all" if district == "*" else re.sub(r"[^0-9A-Za-z]+", "", district)))
    if commodity:
        parts.append("c" + re.sub(r"[^0-9A-Za-z]+", "", commodity))
    return "-".join(parts) + ".json"


def _download(
    url: str,
    params: dict[str, str],
    name: str,
    key: str | None,
    client: httpx.Client | None,
    cache_dir: Path | None,
    sleep: Callable[[float], None],
    retries: int | None,
) -> Any:
    """One API request (the key from CENSUS_API_KEY unless given), saved as `name` in `cache_dir` (else
    a temporary folder) by `sources.fetch.fetch` (retries on 429/5xx/timeouts), and its JSON."""
    from usmca.sources.fetch import fetch

    key = key if key is not None else setting("census_api_key")
    if key:
        params = {**params, "key": key}
    with tempfile.TemporaryDirectory(prefix="usmca-census-") as tmp:
        dest = (Path(cache_dir) if cache_dir else Path(tmp)) / name
        fetch(url, dest, client=client, params=params, sleep=sleep, retries=retries, source=SOURCE)
        return _load_json(dest)


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
    """U.S. exports or imports by HS chapter (or HS4) for one month or one year (`trade` rows).

    `month=None`: the calendar year (the year-to-date value of December). `partner_code`: a
    Census Schedule C code such as "2010" (Mexico); None: every country and group.
    The response is saved (in `cache_dir`, else a temporary folder) by `sources.fetch.fetch`,
    which retries on 429/5xx/timeouts, then parsed by `parse_api_json`. HS6 and HS10 are detail
    (`trade_detail`): see `fetch_detail`.
    """
    url = url_for(flow)
    names = FLOWS[flow]
    if _detail_level(level):
        raise ValueError(f"level {level} is detail-level trade: use fetch_detail(), which returns trade_detail rows")
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
    name = file_name(flow, year, month, partner_code, level)
    payload = _download(url, params, name, key, client, cache_dir, sleep, retries)
    df = parse_api_json(payload, source=url)
    want = df["month"].isna() if month is None else (df["month"] == month)
    return df[want.fillna(False)].drop(columns="_row").reset_index(drop=True)


def fetch_detail(
    flow: str,
    year: int,
    month: int | None = None,
    partner_code: str | None = None,
    level: str = "HS6",
    district: str | None = None,
    commodity: str | None = None,
    key: str | None = None,
    client: httpx.Client | None = None,
    *,
    cache_dir: Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
    retries: int | None = None,
) -> pd.DataFrame:
    """U.S. exports or imports by HS6 or HS10 commodity, partner and month (`trade_detail` rows).

    `month=None`: every month of the year (`time=from YYYY-01 to YYYY-12`). `district`: None for
    national figures, "*" for every customs district, or one district code such as "23" (Laredo,
    TX). `commodity`: one code, or a prefix with `*` (`8703*`). The quantities (`QTY_1_MO`,
    `QTY_2_MO` for exports; `GEN_QY1_MO`, `GEN_QY2_MO` for imports) and their units are requested
    too, and for imports the value for consumption (`CON_VAL_MO`). The saved response is a
    `census.api` file that `usmca data load` writes into the store's `trade_detail` partitions.
    """
    url = url_for(flow)
    names = FLOWS[flow]
    if not _detail_level(level):
        raise ValueError(f"level must be HS6 or HS10 for detail-level trade, not {level!r} (see fetch_hs)")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month}")
    if district is not None and district != "*" and not re.fullmatch(r"\d{2}", district):
        raise ValueError(f"district must be a 2-digit customs district code or '*', not {district!r}")
    fields = ["CTY_CODE", "CTY_NAME", names["value_mo"], names["commodity"]]
    if names["consumption"]:
        fields.append(names["consumption"])
    for q, u in names["quantities"]:
        fields += [q, u]
    if district is not None:
        fields += ["DISTRICT", "DIST_NAME"]
    params = {
        "get": ",".join(fields),
        "time": f"{year}-{month:02d}" if month is not None else f"from {year}-01 to {year}-12",
        "COMM_LVL": level.upper(),
    }
    if partner_code:
        params["CTY_CODE"] = partner_code
    if district is not None and district != "*":
        params["DISTRICT"] = district
    if commodity:
        params[names["commodity"]] = commodity
    name = file_name(flow, year, month, partner_code, level, district=district, commodity=commodity)
    payload = _download(url, params, name, key, client, cache_dir, sleep, retries)
    df = parse_api_tables(payload, source=url)["trade_detail"]
    return df.drop(columns="_row").reset_index(drop=True)


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
    tables = parse_api_tables(payload, source=str(path))
    df, det = tables["trade"], tables["trade_detail"]
    if df.empty and det.empty:
        raise DataFormatError(
            path,
            "the response holds no data rows",
            row=2,
            expected="rows of trade by country and commodity",
            found="nothing",
        )
    monthly = pd.concat([df.dropna(subset=["month"])[["year", "month"]], det[["year", "month"]]]).astype("int64")
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
        {k: v for k, v in tables.items() if not v.empty},
        notes=[
            f"latest month {y}-{m:02d}; {rule}",
            "values in US dollars; annual rows from the December year-to-date value",
            *(
                [f"{len(det):,} detail rows (HS6/HS10 or by customs district) kept as Parquet partitions"]
                if not det.empty
                else []
            ),
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

__all__ = ["SOURCE", "detect", "fetch_detail", "fetch_hs", "parse", "parse_api_json", "parse_api_tables", "url_for"]
