"""World Bank World Development Indicators (WDI): one indicator by economy and year.

Official pages: https://data.worldbank.org/indicator/SP.POP.TOTL (population, total, persons,
midyear) and https://data.worldbank.org/indicator/NY.GDP.MKTP.CD (GDP, current US$).

Bulk CSV `API_<INDICATOR>_DS2_en_csv_v2_<n>.csv`: 4 preamble lines ("Data Source", blank,
"Last Updated Date","2025-10-07", blank), then the header `Country Name, Country Code,
Indicator Name, Indicator Code, 1960 .. 2024` and an empty trailing column. The zip also holds
`Metadata_Country_<same name>.csv` (Country Code, Region, IncomeGroup, ...): an economy with an
empty Region is an aggregate (World, regions, income groups). When a file's own metadata is
missing, the parser uses another `Metadata_Country_API_*.csv` in the same folder (WDI lists the
same economies for every indicator).

Units: as the indicator says (SP.POP.TOTL: persons; NY.GDP.MKTP.CD: current US dollars).
Tidy table `population` (iso3, name, kind country|aggregate, indicator, year, value); empty
cells (no data) are not stored.

Vintage: the "Last Updated Date" of the preamble.

Also a client for the World Bank API v2 (`fetch_indicator_api`), which downloads each page with
`usmca.sources.fetch.fetch` (its retries and checks) and parses the JSON
([meta, rows], `pages` pages) into the same tidy table (`parse_api_json`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import time
from collections.abc import Callable, Collection, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

from usmca.errors import DataFormatError
from usmca.sources._tabular import first_index, read_csv_strict, row_at
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
)
from usmca.tables import TABLES, WORLD_BANK_LICENCE

ID_COLUMNS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
POPULATION_COLUMNS = TABLES["population"].column_names
NAME_RE = re.compile(r"^API_(?P<indicator>[A-Z0-9_.]+)_DS2_.*\.csv$", re.IGNORECASE)
API_URL = "https://api.worldbank.org/v2/country/{codes}/indicator/{indicator}"
# Rows of every WDI file that the country metadata does not list: kept, as aggregates.
UNLISTED_AGGREGATES = {"INX": "Not classified"}


def _preamble(path: Path) -> list[list[str]]:
    text = file_head(path, 2048).decode("utf-8-sig", errors="replace")
    return [row for row in csv.reader(io.StringIO("\n".join(text.splitlines()[:4])))]


def detect(path: Path) -> bool:
    if path.suffix.lower() != ".csv" or path.name.lower().startswith("metadata_"):
        return False
    if NAME_RE.match(path.name):
        return True
    try:
        rows = _preamble(path)
    except OSError:
        return False
    return bool(rows) and rows[0][:2] == ["Data Source", "World Development Indicators"]


def last_updated(path: Path) -> date:
    rows = _preamble(path)
    for i, row in enumerate(rows):
        if row and row[0].strip() == "Last Updated Date":
            value = row[1].strip() if len(row) > 1 else ""
            m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
            if not m:
                raise DataFormatError(
                    path,
                    "unreadable Last Updated Date",
                    row=i + 1,
                    column="B",
                    expected="a date YYYY-MM-DD",
                    found=value,
                )
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise DataFormatError(
        path,
        'no "Last Updated Date" line in the preamble',
        row=3,
        expected='"Last Updated Date","YYYY-MM-DD" (WDI bulk CSV)',
        found=rows[2] if len(rows) > 2 else None,
    )


def metadata_file(path: Path) -> Path | None:
    own = path.with_name(f"Metadata_Country_{path.name}")
    if own.exists():
        return own
    others = sorted(path.parent.glob("Metadata_Country_API_*.csv"))
    return others[0] if others else None


def read_metadata(meta: Path) -> dict[str, str]:
    """Country Code -> Region ('' for aggregates)."""
    check_nonempty(meta)
    check_not_html(meta)
    try:
        df = pd.read_csv(meta, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise DataFormatError(meta, f"not a readable CSV file ({e})") from e
    if not {"Country Code", "Region"} <= set(df.columns):
        raise DataFormatError(
            meta,
            "metadata lacks Country Code / Region columns",
            row=1,
            column="Region",
            expected="Country Code, Region, IncomeGroup, ...",
            found=list(df.columns)[:5],
        )
    return dict(zip(df["Country Code"].str.strip(), df["Region"].str.strip(), strict=True))


def parse(path: Path) -> ParsedFile:
    check_nonempty(path)
    check_not_html(path)
    vintage = last_updated(path)
    df = read_csv_strict(path, ID_COLUMNS, skiprows=4)
    years = [c for c in df.columns if re.fullmatch(r"\d{4}", c)]
    if not years:
        raise DataFormatError(
            path,
            "no year columns",
            row=5,
            column="1960",
            expected="columns 1960 .. 2024",
            found=list(df.columns)[:6],
        )
    codes = df["Country Code"].str.strip()
    bad = ~codes.str.fullmatch(r"[A-Z0-9]{3}")
    if bad.any():
        i = first_index(bad)
        raise DataFormatError(
            path,
            "not a country code",
            row=row_at(df, i),
            column="Country Code",
            expected="a 3-letter WDI code",
            found=df.at[i, "Country Code"],
        )
    dup = codes.duplicated()
    if dup.any():
        i = first_index(dup)
        raise DataFormatError(
            path,
            f"country code {codes[i]!r} listed twice",
            row=row_at(df, i),
            column="Country Code",
            expected="one row per economy",
            found=codes[i],
        )
    indicators = df["Indicator Code"].str.strip()
    if indicators.nunique() != 1:
        i = first_index(indicators != indicators.iloc[0])
        raise DataFormatError(
            path,
            "several indicators in one file",
            row=row_at(df, i),
            column="Indicator Code",
            expected=indicators.iloc[0],
            found=indicators[i],
        )
    notes = [
        f"vintage = Last Updated Date {vintage.isoformat()}",
        "empty cells (no data) are not stored",
    ]
    meta = metadata_file(path)
    if meta is None:
        raise DataFormatError(
            path,
            "no Metadata_Country_*.csv beside the file (it tells countries from aggregates)",
            expected=f"Metadata_Country_{path.name}",
            found="no metadata file",
        )
    regions = {code: "" for code in UNLISTED_AGGREGATES} | read_metadata(meta)
    if meta.name != f"Metadata_Country_{path.name}":
        notes.append(f"countries and aggregates from {meta.name}")
    unknown = ~codes.isin(list(regions))
    if unknown.any():
        i = first_index(unknown)
        raise DataFormatError(
            path,
            f"unknown country code {codes[i]!r} (not in {meta.name})",
            row=row_at(df, i),
            column="Country Code",
            expected="a code listed in the WDI country metadata",
            found=codes[i],
        )
    df["iso3"] = codes
    long = df.melt(
        id_vars=["iso3", "Country Name", "Indicator Code", "_row"],
        value_vars=years,
        var_name="year_col",
        value_name="cell",
    )
    text = long["cell"].astype(str).str.strip()
    num = pd.to_numeric(text, errors="coerce")
    bad = num.isna() & (text != "")
    if bad.any():
        i = first_index(bad)
        raise DataFormatError(
            path,
            "not a number",
            row=row_at(long, i),
            column=str(long.at[i, "year_col"]),
            expected="a number or an empty cell",
            found=long.at[i, "cell"],
        )
    neg = num < 0
    if neg.any():
        i = first_index(neg)
        raise DataFormatError(
            path,
            "negative value",
            row=row_at(long, i),
            column=str(long.at[i, "year_col"]),
            expected=">= 0",
            found=long.at[i, "cell"],
        )
    long["value"] = num
    long = long[long["value"].notna()].copy()
    long["year"] = long["year_col"].astype(int)
    long["name"] = long["Country Name"].str.strip()
    long["indicator"] = long["Indicator Code"].str.strip()
    long["kind"] = long["iso3"].map(lambda c: "aggregate" if regions.get(c, "") == "" else "country")
    out = long[[*POPULATION_COLUMNS, "_row"]].sort_values(["_row", "year"]).reset_index(drop=True)
    names = dict(zip(df["iso3"], df["Country Name"].str.strip(), strict=True))
    return parsed(SOURCE, path, vintage, {"population": out, "economies": read_economies(meta, names)}, notes=notes)


def read_economies(meta: Path, names: dict[str, str]) -> pd.DataFrame:
    """The World Bank classification of each economy (region, income group) from the country metadata.

    Only economies (a non-empty Region) are kept; aggregates have no region. `_row` is the line of
    the metadata file (header = 1).
    """
    df = pd.read_csv(meta, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df["_row"] = range(2, len(df) + 2)
    df = df[df["Region"].str.strip() != ""]
    code = df["Country Code"].str.strip()
    table_name = df["TableName"].str.strip() if "TableName" in df.columns else code
    income = df["IncomeGroup"].str.strip() if "IncomeGroup" in df.columns else pd.Series("", index=df.index)
    out = pd.DataFrame(
        {
            "iso3": code,
            "name": [names.get(c) or n or c for c, n in zip(code, table_name, strict=True)],
            "region": df["Region"].str.strip(),
            "income_group": income.where(income != "", None),
            "_row": df["_row"],
        }
    )
    return out.reset_index(drop=True)


# -- World Bank API v2 -----------------------------------------------------------------------------
def parse_api_json(
    payload: Any, aggregates: Collection[str] = ("WLD",), source: str = "World Bank API response"
) -> pd.DataFrame:
    """One page of `/v2/country/{codes}/indicator/{id}?format=json` -> the tidy `population` rows.

    `payload` is the decoded JSON: `[meta, rows]`. Rows with a null value are dropped.
    `aggregates`: codes to flag as kind "aggregate" (the API rows do not say).
    """
    if isinstance(payload, list) and payload and isinstance(payload[0], dict) and "message" in payload[0]:
        msgs = payload[0]["message"]
        text = "; ".join(f"{m.get('key', '')}: {m.get('value', '')}" for m in msgs if isinstance(m, dict)) or str(msgs)
        raise DataFormatError(source, f"World Bank API error: {text}", row=1, expected="[meta, rows]", found=text)
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], dict)):
        raise DataFormatError(
            source,
            "not a World Bank API v2 JSON response",
            row=1,
            expected="[meta, rows]",
            found=str(payload)[:80],
        )
    rows = payload[1] or []
    out = []
    for i, r in enumerate(rows, start=1):
        try:
            iso3 = (r.get("countryiso3code") or r["country"]["id"]).strip()
            name = r["country"]["value"]
            indicator = r["indicator"]["id"]
            year = int(r["date"])
            value = r["value"]
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise DataFormatError(
                source,
                f"unexpected row layout ({type(e).__name__}: {e})",
                row=i,
                expected="countryiso3code, country, indicator, date, value",
                found=str(r)[:80],
            ) from e
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = float(value)
            except (TypeError, ValueError) as e:
                raise DataFormatError(
                    source,
                    "not a number",
                    row=i,
                    column="value",
                    expected="a number or null",
                    found=value,
                ) from e
        out.append(
            {
                "iso3": iso3,
                "name": name,
                "kind": "aggregate" if iso3 in aggregates else "country",
                "indicator": indicator,
                "year": year,
                "value": float(value),
                "_row": i,
            }
        )
    return pd.DataFrame(out, columns=[*POPULATION_COLUMNS, "_row"])


def fetch_indicator_api(
    indicator: str,
    countries: Iterable[str],
    client: httpx.Client | None = None,
    *,
    cache_dir: Path | None = None,
    aggregates: Collection[str] = ("WLD",),
    sleep: Callable[[float], None] = time.sleep,
    retries: int | None = None,
) -> pd.DataFrame:
    """Download one WDI indicator for `countries` (ISO2/ISO3 codes, or ["all"]) from the API.

    Each page is saved by `usmca.sources.fetch.fetch` (retries, atomic write) under `cache_dir`
    (a temporary folder by default) and parsed; all pages are concatenated.
    """
    from usmca.sources.fetch import fetch

    codes = ";".join(c.strip() for c in countries if c.strip())
    if not codes:
        raise ValueError("no country codes")
    url = API_URL.format(codes=codes, indicator=indicator)
    with tempfile.TemporaryDirectory(prefix="usmca-wb-") as tmp:
        folder = Path(cache_dir) if cache_dir else Path(tmp)
        frames = []
        page, pages = 1, 1
        safe = re.sub(r"[^A-Za-z0-9.]+", "_", f"{indicator}_{codes}")[:120]
        while page <= pages:
            dest = folder / f"worldbank-api-{safe}-p{page}.json"
            fetch(
                url,
                dest,
                client=client,
                sleep=sleep,
                retries=retries,
                params={"format": "json", "per_page": "20000", "page": str(page)},
                source=API_SOURCE,
            )
            payload = read_json(dest, "a World Bank API response")
            frames.append(parse_api_json(payload, aggregates, source=f"{url} page {page}"))
            meta = payload[0] if isinstance(payload, list) and payload else {}
            try:
                pages = int(meta.get("pages") or 1)
            except (TypeError, ValueError):
                pages = 1
            page += 1
    df = pd.concat(frames, ignore_index=True) if frames else parse_api_json([{}, []])
    return df.drop(columns="_row").reset_index(drop=True)


SOURCE = register(
    SourceInfo(
        id="worldbank.wdi",
        agency="The World Bank",
        title="World Development Indicators (bulk CSV): population (SP.POP.TOTL), GDP (NY.GDP.MKTP.CD)",
        url="https://data.worldbank.org/indicator/SP.POP.TOTL",
        licence=WORLD_BANK_LICENCE,
        citation="The World Bank, World Development Indicators",
        table="population",
        detect=detect,
        parse=parse,
        parser_version="2",  # 2: also the `economies` table (region and income group of each economy)
        # The bulk download is a zip (data + Metadata_Country + Metadata_Indicator CSVs):
        # https://api.worldbank.org/v2/en/indicator/SP.POP.TOTL?downloadformat=csv -- unzip it and
        # load the folder; or use fetch_indicator_api() for the API.
        downloads=(),
    )
)

__all__ = ["SOURCE", "detect", "fetch_indicator_api", "last_updated", "parse", "parse_api_json"]


# -- a saved World Bank API response as a loadable file --------------------------------------------
API_FILE_RE = re.compile(r"^worldbank-api-.*\.json$", re.IGNORECASE)


def detect_api(path: Path) -> bool:
    return bool(API_FILE_RE.match(path.name))


def parse_api_file(path: Path) -> ParsedFile:
    """One saved page of the World Bank API (as `usmca data pull worldbank.api` writes it)."""
    check_nonempty(path)
    check_not_html(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise DataFormatError(path, f"not JSON ({e})", row=1, expected="a World Bank API response") from e
    df = parse_api_json(payload, source=str(path))
    if df.empty:
        raise DataFormatError(path, "the API response holds no values", row=1, expected="rows of [meta, rows]")
    meta = payload[0] if isinstance(payload, list) and payload else {}
    stamp = str(meta.get("lastupdated") or "")
    try:
        vintage = date.fromisoformat(stamp[:10])
        note = f"vintage: the API's lastupdated field ({stamp[:10]})"
    except ValueError:
        vintage = date.fromtimestamp(path.stat().st_mtime)
        note = "vintage: the file's retrieval date (the response has no lastupdated field)"
    return parsed(
        API_SOURCE,
        path,
        vintage,
        {"population": df},
        notes=[note, "the API does not flag aggregates: only WLD is marked as one"],
    )


API_SOURCE = register(
    SourceInfo(
        id="worldbank.api",
        agency="The World Bank",
        title="World Development Indicators API v2: population (SP.POP.TOTL), all countries",
        url="https://api.worldbank.org/v2/country/all/indicator/SP.POP.TOTL",
        licence=WORLD_BANK_LICENCE,
        citation="The World Bank, World Development Indicators (API v2)",
        table="population",
        detect=detect_api,
        parse=parse_api_file,
        downloads=(
            Download(
                "https://api.worldbank.org/v2/country/all/indicator/SP.POP.TOTL?format=json&per_page=20000",
                "worldbank-api-SP.POP.TOTL-all.json",
            ),
        ),
    )
)
