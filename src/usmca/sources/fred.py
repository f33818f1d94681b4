"""FRED series: BLS Current Employment Statistics and the Census/BEA trade balance, as FRED redistributes them.

FRED (Federal Reserve Bank of St. Louis) republishes agency series; it is the distributor, the
agency is named in the source metadata:

- MANEMP (all employees, manufacturing), PAYEMS (all employees, total nonfarm) and CES3133600101
  (all employees, motor vehicles and parts): U.S. Bureau of Labor Statistics, Current Employment
  Statistics (establishment survey); thousands of persons, seasonally adjusted, monthly
  (dataset `fred.bls`).
- BOPGSTB (balance on goods and services, balance-of-payments basis): U.S. Census Bureau and U.S.
  Bureau of Economic Analysis (FT-900); millions of US dollars, seasonally adjusted, monthly
  (dataset `fred.bopgstb`, its own dataset: never mixed with the FT-900 exhibits month by month).
- Any other FRED series saved the same way (dataset `fred.series`): the units and agency are not in
  the file, so they are recorded as not stated.

Layout (`<SERIES_ID>.csv`): the header `date,value`, then one row per period, `YYYY-MM-DD` (the first
day of the period) and the value; FRED writes `.` for a period without a value (not stored). The
series id is the file name. Such files are extracts of FRED's API, not agency downloads.

Tidy table `series` (series_id, title, units, year, month, value, frequency, seasonal_adjustment).

Vintage: the retrieval date in a `.meta.json` sidecar (written by `usmca.sources.fetch.fetch`) when
there is one; else inferred from the latest period: BLS publishes month M early in month M+1
(vintage: the first day of M+1); Census/BEA publish month M early in month M+2. For a saved API
response, its `realtime_end` (the FRED vintage date it was read at). For each (series_id, year,
month) the newest vintage wins; older vintages stay queryable (recent months are revised).

The API: `fetch_series_api()` calls FRED's series/observations endpoint
(`https://api.stlouisfed.org/fred/series/observations?series_id=...&file_type=json`) through
`usmca.sources.fetch.fetch` (retries, atomic write), with the optional key `FRED_API_KEY`
(`usmca.config` setting `fred_api_key`; FRED asks for one), saves it as `fred-api-<ID>.json` and parses
it; such a saved response is loadable by `usmca data load` like a CSV.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

from usmca.config import setting
from usmca.errors import DataFormatError
from usmca.sources._tabular import read_csv_strict
from usmca.sources.base import (
    Download,
    ParsedFile,
    SourceInfo,
    check_nonempty,
    check_not_html,
    file_head,
    parsed,
    read_json,
    register,
    retrieved_on,
)
from usmca.tables import TABLES, US_PUBLIC_DOMAIN_VIA_FRED

SERIES_COLUMNS = TABLES["series"].column_names
API_URL = "https://api.stlouisfed.org/fred/series/observations"
SERIES_URL = "https://fred.stlouisfed.org/series/{id}"
CSV_NAME_RE = re.compile(r"^(?P<id>[A-Z0-9][A-Z0-9_]{1,39})\.csv$")
API_NAME_RE = re.compile(r"^fred-api-(?P<id>[A-Z0-9][A-Z0-9_]{1,39})\.json$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class SeriesMeta:
    title: str
    units: str
    seasonal_adjustment: str  # sa | nsa | unknown
    agency: str  # bls | census_bea | other


KNOWN: dict[str, SeriesMeta] = {
    "MANEMP": SeriesMeta("All employees, manufacturing", "thousands of persons", "sa", "bls"),
    "PAYEMS": SeriesMeta("All employees, total nonfarm", "thousands of persons", "sa", "bls"),
    "CES3133600101": SeriesMeta("All employees, motor vehicles and parts", "thousands of persons", "sa", "bls"),
    "BOPGSTB": SeriesMeta(
        "Trade balance: goods and services, balance of payments basis", "millions of US dollars", "sa", "census_bea"
    ),
}
# CES series ids: CES (seasonally adjusted) or CEU (not), then the industry and data type.
CES_RE = re.compile(r"^CE[SU]\d{10}$")


def series_meta(series_id: str) -> SeriesMeta:
    """What is known of a series beyond its file: title, units, adjustment and the agency behind it."""
    if series_id in KNOWN:
        return KNOWN[series_id]
    if CES_RE.match(series_id):
        sa = "sa" if series_id.startswith("CES") else "nsa"
        return SeriesMeta(f"BLS CES series {series_id}", "as published by BLS (not stated in the file)", sa, "bls")
    return SeriesMeta(f"FRED series {series_id}", "not stated in the file", "unknown", "other")


def series_url(series_id: str) -> str:
    return SERIES_URL.format(id=series_id)


# -- detection --------------------------------------------------------------------------------------
def series_id_of(path: Path) -> str | None:
    """The FRED series id of a `date,value` CSV (its file name) or of a saved API response."""
    m = API_NAME_RE.match(path.name)
    if m:
        return m.group("id")
    m = CSV_NAME_RE.match(path.name)
    if not m:
        return None
    try:
        head = file_head(path, 64).decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    first = head.splitlines()[0].strip().lower() if head.strip() else ""
    return m.group("id") if first == "date,value" else None


def _detects(path: Path, agency: str) -> bool:
    sid = series_id_of(path)
    return sid is not None and series_meta(sid).agency == agency


# Module-level detectors: a SourceInfo travels to parser worker processes, so it must pickle.
def detect_bls(path: Path) -> bool:
    """A FRED extract of a BLS CES series (MANEMP, PAYEMS, CES...)."""
    return _detects(path, "bls")


def detect_bop(path: Path) -> bool:
    """A FRED extract of BOPGSTB (the Census/BEA goods-and-services balance)."""
    return _detects(path, "census_bea")


def detect_other(path: Path) -> bool:
    """Any other FRED series saved as `<ID>.csv` with the header `date,value`."""
    return _detects(path, "other")


# -- parsing ---------------------------------------------------------------------------------------
def _frequency(months: list[tuple[int, int]]) -> str:
    steps = {(b[0] - a[0]) * 12 + b[1] - a[1] for a, b in zip(months, months[1:], strict=False)}
    if steps <= {1}:
        return "monthly"
    if steps <= {3}:
        return "quarterly"
    if steps <= {12}:
        return "annual"
    return "irregular"


def _rows(series_id: str, cells: list[tuple[int, str, str]], source: str | Path, date_col: str) -> pd.DataFrame:
    """(line, date, value) cells -> tidy `series` rows; DataFormatError names file, row and column."""
    meta = series_meta(series_id)
    out: list[dict[str, Any]] = []
    seen: dict[tuple[int, int], int] = {}
    for line, d, v in cells:
        m = DATE_RE.match(d.strip())
        if not m or not 1 <= int(m.group(2)) <= 12 or not 1 <= int(m.group(3)) <= 31:
            raise DataFormatError(source, "not a date", row=line, column=date_col, expected="YYYY-MM-DD", found=d)
        if m.group(3) != "01":
            raise DataFormatError(
                source, "not the first day of a period", row=line, column=date_col, expected="YYYY-MM-01", found=d
            )
        y, mo = int(m.group(1)), int(m.group(2))
        if (y, mo) in seen:
            raise DataFormatError(
                source,
                f"date {d} listed twice (first at row {seen[(y, mo)]})",
                row=line,
                column=date_col,
                expected="one row per period",
                found=d,
            )
        seen[(y, mo)] = line
        text = v.strip().replace(",", "")
        if text in (".", ""):
            continue  # FRED's mark for a period without a value
        try:
            value = float(text)
        except ValueError:
            raise DataFormatError(
                source, "not a number", row=line, column="value", expected="a number or '.'", found=v
            ) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise DataFormatError(source, "not a finite number", row=line, column="value", expected="a number", found=v)
        out.append(
            {
                "series_id": series_id,
                "title": meta.title,
                "units": meta.units,
                "year": y,
                "month": mo,
                "value": value,
                "frequency": "",
                "seasonal_adjustment": meta.seasonal_adjustment,
                "_row": line,
            }
        )
    df = pd.DataFrame(out, columns=[*SERIES_COLUMNS, "_row"])
    if not df.empty:
        order = sorted(zip(df["year"], df["month"], strict=True))
        df["frequency"] = _frequency(order)
        df = df.sort_values(["year", "month"]).reset_index(drop=True)
    return df


def read_series_csv(path: Path) -> pd.DataFrame:
    """A FRED `date,value` CSV -> tidy `series` rows (with `_row`, the line in the file)."""
    sid = CSV_NAME_RE.match(path.name)
    if not sid:
        raise DataFormatError(
            path,
            "the file name is not a FRED series id",
            expected="<SERIES_ID>.csv such as MANEMP.csv",
            found=path.name,
        )
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        header = f.readline().strip().lower()
    if header == f"observation_date,{sid.group('id').lower()}":
        # the layout of FRED's own download (fredgraph.csv): `observation_date,<SERIES_ID>`
        df = read_csv_strict(path, ["observation_date", sid.group("id")]).rename(
            columns={"observation_date": "date", sid.group("id"): "value"}
        )
    else:
        df = read_csv_strict(path, ["date", "value"])
    cells = list(zip(df["_row"].astype(int), df["date"], df["value"], strict=True))
    return _rows(sid.group("id"), cells, path, "date")


def parse_api_json(payload: Any, series_id: str, source: str | Path = "FRED API response") -> pd.DataFrame:
    """A decoded series/observations response -> tidy `series` rows (`_row`: the observation's 1-based position)."""
    if isinstance(payload, dict) and "error_message" in payload:
        raise DataFormatError(
            source,
            f"FRED API error {payload.get('error_code', '')}: {payload['error_message']}",
            row=1,
            expected="a series/observations response",
            found=str(payload)[:80],
        )
    obs = payload.get("observations") if isinstance(payload, dict) else None
    if not isinstance(obs, list):
        raise DataFormatError(
            source,
            "not a FRED series/observations response",
            row=1,
            column="observations",
            expected='{"observations": [{"date": ..., "value": ...}, ...]}',
            found=str(payload)[:80],
        )
    cells = []
    for i, o in enumerate(obs, start=1):
        if not isinstance(o, dict) or "date" not in o or "value" not in o:
            raise DataFormatError(
                source, "observation without date and value", row=i, expected="date, value", found=str(o)[:80]
            )
        cells.append((i, str(o["date"]), str(o["value"])))
    return _rows(series_id, cells, source, "date")


def _after(y: int, m: int, months: int) -> date:
    i = y * 12 + (m - 1) + months
    return date(i // 12, i % 12 + 1, 1)


def inferred_vintage(series_id: str, y: int, m: int) -> tuple[date, str]:
    if series_meta(series_id).agency == "census_bea":
        return _after(y, m, 2), "Census/BEA publish month M early in month M+2"
    return _after(y, m, 1), "BLS publishes month M early in month M+1"


def _source_for(series_id: str) -> SourceInfo:
    base = {"bls": SOURCE, "census_bea": BOP_SOURCE}.get(series_meta(series_id).agency, OTHER_SOURCE)
    meta = series_meta(series_id)
    return dataclasses.replace(base, url=series_url(series_id), title=f"{base.title}: {series_id} ({meta.title})")


def parse(path: Path) -> ParsedFile:
    """A FRED `date,value` CSV or a saved API response (`fred-api-<ID>.json`) -> ParsedFile."""
    check_nonempty(path)
    check_not_html(path)
    api = API_NAME_RE.match(path.name)
    realtime: date | None = None
    if api:
        sid = api.group("id")
        try:
            payload = json.loads(path.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise DataFormatError(path, f"not JSON ({e})", row=1, expected="a FRED API response") from e
        df = parse_api_json(payload, sid, source=path)
        stamp = str(payload.get("realtime_end") or "") if isinstance(payload, dict) else ""
        try:
            realtime = date.fromisoformat(stamp[:10])
        except ValueError:
            realtime = None
    else:
        df = read_series_csv(path)
        sid = str(CSV_NAME_RE.match(path.name).group("id"))  # type: ignore[union-attr]
    if df.empty:
        raise DataFormatError(path, "no observations with a value", row=2, expected="rows of date,value", found=None)
    y, m = int(df["year"].iloc[-1]), int(df["month"].iloc[-1])
    retrieved = retrieved_on(path)
    if realtime is not None:
        vintage, rule = realtime, "vintage = the response's realtime_end (FRED's vintage date)"
    elif retrieved is not None:
        vintage, rule = retrieved, "vintage = retrieval date (FRED serves the current revision)"
    else:
        vintage, why = inferred_vintage(sid, y, m)
        rule = f"vintage inferred from the latest period: {why}"
    meta = series_meta(sid)
    notes = [
        f"series {sid} ({meta.title}), {meta.units}, {df['frequency'].iloc[0]}, latest period {y}-{m:02d}",
        rule,
        f"distributed by FRED: {series_url(sid)}; a FRED extract, not the agency's own file",
    ]
    if meta.agency == "bls":
        notes.append("national employment: it does not measure jobs created or supported by trade")
    if meta.agency == "census_bea":
        notes.append("FRED's vintage of the monthly balance: not to be mixed month by month with FT-900 exhibits")
    return parsed(_source_for(sid), path, vintage, {"series": df}, notes=notes)


# -- the FRED API ------------------------------------------------------------------------------------
def api_file_name(series_id: str) -> str:
    return f"fred-api-{series_id}.json"


def fetch_series_api(
    series_id: str,
    client: httpx.Client | None = None,
    *,
    key: str | None = None,
    cache_dir: Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
    retries: int | None = None,
) -> pd.DataFrame:
    """Download one series from FRED's series/observations API and parse it into `series` rows.

    `key`: the API key (default: the `fred_api_key` setting, env FRED_API_KEY; none sent when empty).
    The response is saved as `fred-api-<ID>.json` in `cache_dir` (a temporary folder by default) by
    `usmca.sources.fetch.fetch` (retries on 429/5xx/timeouts); a saved file loads with `usmca data load`.
    """
    from usmca.sources.fetch import fetch

    sid = series_id.strip().upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9_]{1,39}", sid):
        raise ValueError(f"not a FRED series id: {series_id!r}")
    params = {"series_id": sid, "file_type": "json"}
    key = key if key is not None else setting("fred_api_key")
    if key:
        params["api_key"] = key
    with tempfile.TemporaryDirectory(prefix="usmca-fred-") as tmp:
        dest = (Path(cache_dir) if cache_dir else Path(tmp)) / api_file_name(sid)
        fetch(API_URL, dest, client=client, params=params, sleep=sleep, retries=retries, source=SOURCE)
        payload = read_json(dest, "a FRED API response")
    return parse_api_json(payload, sid, source=f"{API_URL}?series_id={sid}").drop(columns="_row")


FRED = "Federal Reserve Bank of St. Louis, FRED"
SOURCE = register(
    SourceInfo(
        id="fred.bls",
        agency=f"U.S. Bureau of Labor Statistics, Current Employment Statistics (distributed by {FRED})",
        title="Employment series, thousands of persons, seasonally adjusted (BLS CES via FRED)",
        url="https://fred.stlouisfed.org/series/MANEMP",
        licence=US_PUBLIC_DOMAIN_VIA_FRED,
        citation=(
            "U.S. Bureau of Labor Statistics, Current Employment Statistics, retrieved from FRED, Federal "
            "Reserve Bank of St. Louis"
        ),
        table="series",
        detect=detect_bls,
        parse=parse,
        parser_version="2",  # 2: also reads the layout of FRED's own download (observation_date,<ID>)
        # FRED's download of each series (no API key needed; `fetch_series_api` uses the API with one)
        downloads=tuple(
            Download(f"https://fred.stlouisfed.org/graph/fredgraph.csv?id={sid}", f"{sid}.csv")
            for sid in ("MANEMP", "PAYEMS", "CES3133600101")
        ),
    )
)
BOP_SOURCE = register(
    SourceInfo(
        id="fred.bopgstb",
        agency=f"U.S. Census Bureau and U.S. Bureau of Economic Analysis (distributed by {FRED})",
        title="U.S. balance on goods and services, BOP basis, monthly, seasonally adjusted, US$ million (via FRED)",
        url="https://fred.stlouisfed.org/series/BOPGSTB",
        licence=US_PUBLIC_DOMAIN_VIA_FRED,
        citation=(
            "U.S. Census Bureau and U.S. Bureau of Economic Analysis, Trade Balance: Goods and Services, "
            "Balance of Payments Basis [BOPGSTB], retrieved from FRED, Federal Reserve Bank of St. Louis"
        ),
        table="series",
        detect=detect_bop,
        parse=parse,
    )
)
OTHER_SOURCE = register(
    SourceInfo(
        id="fred.series",
        agency=f"{FRED} (the original agency is not stated in the file)",
        title="FRED series (date,value extract)",
        url="https://fred.stlouisfed.org/",
        licence=(
            "Depends on the original publisher (FRED marks copyrighted series on the series page); FRED terms of use"
        ),
        citation=(
            "Retrieved from FRED, Federal Reserve Bank of St. Louis (cite the series' original source as "
            "its FRED page names it)"
        ),
        table="series",
        detect=detect_other,
        parse=parse,
    )
)

__all__ = [
    "API_URL",
    "BOP_SOURCE",
    "KNOWN",
    "OTHER_SOURCE",
    "SOURCE",
    "fetch_series_api",
    "parse",
    "parse_api_json",
    "read_series_csv",
    "series_id_of",
    "series_meta",
    "series_url",
]
