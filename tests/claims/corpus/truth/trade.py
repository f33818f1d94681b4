"""Truth for the trade and economy half of the corpus, read straight from the agencies' files.

Partners are named by short codes (MEX, CAN, CHN, JPN, DEU, KOR, ...) or by the Census CTYNAME itself;
`WLD` is the world total. Every function returns the figure in the units the corpus item's `claimed`
uses: US dollars (not millions), persons, percent, rank (1 = largest) or a 1/0 truth value.

Flows for Census and BEA figures:
- "exports", "imports": as published;
- "total": exports + imports (two-way trade);
- "deficit": imports - exports, a positive number when the U.S. runs a deficit with the partner
  (texts say "a deficit of $X" with X positive);
- "surplus" / "balance": exports - imports (positive when the U.S. runs a surplus).
"""

from __future__ import annotations

import pandas as pd

from tests.claims.corpus.truth import DATA, truth

COUNTRY_XLSX = DATA / "census_trade_by_country" / "country.xlsx"
BEA_XLSX = DATA / "bea_trade_by_country" / "us_trading_per_country.xlsx"
DATAWEB_CSV = DATA / "usitc_dataweb_exports_by_hs2" / "DataWeb-Query-Export__FAS_Value.csv"
WDI_POP = DATA / "world_bank_wdi" / "API_SP.POP.TOTL_DS2_en_csv_v2_246068.csv"
WDI_GDP = DATA / "world_bank_wdi" / "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_273193.csv"

# Census Schedule C codes (country.xlsx CTY_CODE); 15 = "World, Not Seasonally Adjusted".
CENSUS_CODES = {
    "WLD": 15,
    "EU": 3,
    "MEX": 2010,
    "CAN": 1220,
    "CHN": 5700,
    "JPN": 5880,
    "DEU": 4280,
    "KOR": 5800,
    "VNM": 5520,
    "TWN": 5830,
    "IND": 5330,
    "GBR": 4120,
    "NLD": 4210,
    "BRA": 3510,
    "FRA": 4279,
    "ITA": 4759,
    "IRL": 4190,
    "CHE": 4419,
}
# Column names of the BEA workbook (Tables 1-9).
BEA_NAMES = {
    "MEX": "Mexico",
    "CAN": "Canada",
    "CHN": "China",
    "JPN": "Japan",
    "DEU": "Germany",
    "KOR": "Korea, South",
    "VNM": "Vietnam",
    "TWN": "Taiwan",
    "IND": "India",
    "GBR": "United Kingdom",
    "EU": "European Union",
}
# Partner labels in the DataWeb file (column `Country`).
DATAWEB_NAMES = {
    "MEX": "Mexico",
    "CAN": "Canada",
    "CHN": "China",
    "JPN": "Japan",
    "DEU": "Germany",
    "KOR": "South Korea",
    "NLD": "Netherlands",
    "IND": "India",
}

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
BEA_TABLES = {
    # (measure, flow) -> sheet; goods and services are Tables 1-3, goods 4-6, services 7-9
    ("goods_services", "exports"): "Table 1",
    ("goods_services", "imports"): "Table 2",
    ("goods", "exports"): "Table 4",
    ("goods", "imports"): "Table 5",
    ("services", "exports"): "Table 7",
    ("services", "imports"): "Table 8",
}


def _num(v: object) -> float:
    """A cell read by pandas as a float (the typed frames give `object`)."""
    return float(v)  # type: ignore[arg-type]


# --- Census goods by partner (country.xlsx) ---------------------------------------------------------


_COUNTRY_CACHE: dict[str, pd.DataFrame] = {}


def _country() -> pd.DataFrame:
    if "df" not in _COUNTRY_CACHE:
        _COUNTRY_CACHE["df"] = pd.read_excel(COUNTRY_XLSX, sheet_name="country")
    return _COUNTRY_CACHE["df"]


def _code(partner: str) -> int:
    if partner in CENSUS_CODES:
        return CENSUS_CODES[partner]
    df = _country()
    hit = df.loc[df["CTYNAME"] == partner, "CTY_CODE"].unique()
    if len(hit) != 1:
        raise KeyError(f"unknown partner {partner!r}")
    return int(hit[0])


def _flow_columns(months: tuple[int, ...] | None) -> tuple[list[str], list[str]]:
    """Export and import columns summed for one year: EYR/IYR, or the monthly E*/I* columns."""
    if months is None:
        return ["EYR"], ["IYR"]
    for m in months:
        if not 1 <= m <= 12:
            raise ValueError(f"month {m} out of range")
    return [f"E{MONTHS[m - 1]}" for m in months], [f"I{MONTHS[m - 1]}" for m in months]


def _combine(flow: str, exp: float, imp: float) -> float:
    if flow == "exports":
        return exp
    if flow == "imports":
        return imp
    if flow == "total":
        return exp + imp
    if flow == "deficit":
        return imp - exp
    if flow in ("surplus", "balance"):
        return exp - imp
    raise ValueError(f"unknown flow {flow!r}")


def _census_row(code: int, year: int) -> pd.Series:
    df = _country()
    rows = df[(df["CTY_CODE"] == code) & (df["year"] == year)]
    if len(rows) != 1:
        raise KeyError(f"no row for code {code} in {year}")
    return rows.iloc[0]


def _census_value(partner: str, flow: str, year: int, months: tuple[int, ...] | None = None) -> float:
    if year == 2025 and (months is None or max(months) > 2):
        raise ValueError("country.xlsx has 2025 only for January-February")
    row = _census_row(_code(partner), year)
    ecols, icols = _flow_columns(months)
    exp = float(sum(row[c] for c in ecols)) * 1e6
    imp = float(sum(row[c] for c in icols)) * 1e6
    return _combine(flow, exp, imp)


def _months_arg(month: int | None, months: tuple[int, ...] | None) -> tuple[int, ...] | None:
    if month is not None:
        return (month,)
    return tuple(months) if months else None


@truth("census_goods")
def census_goods(
    partner: str,
    flow: str,
    year: int,
    month: int | None = None,
    months: tuple[int, ...] | None = None,
    year_to: int | None = None,
) -> float:
    """U.S. goods trade with `partner`, Census basis, in dollars.

    File census_trade_by_country/country.xlsx, sheet `country`: the row with CTY_CODE = the partner's
    code and `year`; columns EYR (exports) and IYR (imports), or the monthly columns E<MON>/I<MON> when
    `month` (one month) or `months` (several, summed) is given. With `year_to` the annual figures of
    year..year_to are summed (a range of years). Values are millions in the file, times 1e6 here.
    flow: exports | imports | total (E+I) | deficit (I-E, positive for a U.S. deficit) | surplus (E-I).
    """
    ms = _months_arg(month, months)
    last = year_to if year_to is not None else year
    return sum(_census_value(partner, flow, y, ms) for y in range(year, last + 1))


@truth("census_fiscal")
def census_fiscal(partner: str, flow: str, fiscal_year: int) -> float:
    """U.S. goods trade with `partner` in federal fiscal year N (October N-1 through September N), dollars:
    country.xlsx, columns EOCT..EDEC / IOCT..IDEC of the year N-1 row plus EJAN..ESEP / IJAN..ISEP of the
    year N row (per flow, as in census_goods)."""
    return _census_value(partner, flow, fiscal_year - 1, (10, 11, 12)) + _census_value(
        partner, flow, fiscal_year, tuple(range(1, 10))
    )


@truth("census_monthly_average")
def census_monthly_average(partner: str, flow: str, year: int) -> float:
    """Average month of U.S. goods trade with `partner` in `year`: country.xlsx EYR/IYR (per flow) / 12."""
    return _census_value(partner, flow, year) / 12


@truth("census_change")
def census_change(
    partner: str,
    flow: str,
    year0: int,
    year1: int,
    kind: str = "pct",
    month: int | None = None,
) -> float:
    """Change of U.S. goods trade with `partner` from `year0` to `year1` (country.xlsx, EYR/IYR per flow,
    or the E<MON>/I<MON> columns of `month` in both years).

    kind: "pct" -> percent change 100*(v1/v0 - 1) (also the sign used for direction claims);
    "diff" -> v1 - v0 in dollars; "ratio" -> v1 / v0 ("doubled", "tripled").
    For flow "deficit" a widening deficit is a positive change.
    """
    ms = _months_arg(month, None)
    v0 = _census_value(partner, flow, year0, ms)
    v1 = _census_value(partner, flow, year1, ms)
    if kind == "pct":
        return 100.0 * (v1 / v0 - 1.0)
    if kind == "diff":
        return v1 - v0
    if kind == "ratio":
        return v1 / v0
    raise ValueError(f"unknown kind {kind!r}")


def _country_table(flow: str, year: int) -> pd.Series:
    """Value of `flow` for every country (CTY_CODE >= 1000) in `year`, dollars, indexed by CTY_CODE."""
    df = _country()
    rows = df[(df["CTY_CODE"] >= 1000) & (df["year"] == year)].set_index("CTY_CODE")
    vals = [_combine(flow, float(e) * 1e6, float(i) * 1e6) for e, i in zip(rows["EYR"], rows["IYR"], strict=True)]
    return pd.Series(vals, index=rows.index)


@truth("census_rank")
def census_rank(partner: str, flow: str, year: int) -> float:
    """Rank of `partner` (1 = largest) among countries by `flow` in `year`.

    country.xlsx rows with CTY_CODE >= 1000 (countries only, no regions or aggregates) for `year`;
    values from EYR/IYR combined per flow (exports, imports, total, or deficit = IYR - EYR, where the
    largest deficit ranks first).
    """
    table = _country_table(flow, year)
    mine = table[_code(partner)]
    return float(1 + int((table > mine).sum()))


@truth("census_became_top")
def census_became_top(partner: str, flow: str, year: int) -> float:
    """1 if `partner` ranks first among countries by `flow` in `year` and did not in `year - 1`, else 0
    (country.xlsx, countries with CTY_CODE >= 1000, columns EYR/IYR) -- "X overtook Y as the largest ...".
    """
    return float(census_rank(partner, flow, year) == 1 and census_rank(partner, flow, year - 1) != 1)


@truth("census_exceeds")
def census_exceeds(partner: str, other: str, flow: str, year: int) -> float:
    """1 if `partner`'s `flow` exceeds `other`'s in `year`, else 0 (country.xlsx EYR/IYR rows of both)."""
    return float(_census_value(partner, flow, year) > _census_value(other, flow, year))


@truth("census_overtook")
def census_overtook(partner: str, other: str, flow: str, year: int) -> float:
    """1 if `partner`'s `flow` exceeds `other`'s in `year` but did not in `year - 1`, else 0
    (country.xlsx EYR/IYR rows of both countries in both years) -- "X overtook Y as a source of imports"."""
    now = _census_value(partner, flow, year) > _census_value(other, flow, year)
    before = _census_value(partner, flow, year - 1) > _census_value(other, flow, year - 1)
    return float(now and not before)


@truth("census_share")
def census_share(partners: str | tuple[str, ...], flow: str, year: int, month: int | None = None) -> float:
    """Share (percent) of U.S. world `flow` going to / coming from `partners` (one code or several, summed).

    country.xlsx: the partners' EYR/IYR (or E<MON>/I<MON> for `month`) over the row CTY_CODE 15,
    "World, Not Seasonally Adjusted", same year and columns. flow: exports | imports | total.
    """
    group = (partners,) if isinstance(partners, str) else tuple(partners)
    ms = _months_arg(month, None)
    part = sum(_census_value(p, flow, year, ms) for p in group)
    return 100.0 * part / _census_value("WLD", flow, year, ms)


@truth("census_top_share")
def census_top_share(n: int, flow: str, year: int) -> float:
    """Share (percent) of U.S. world `flow` taken by the `n` largest countries by that flow in `year`:
    country.xlsx, the top n rows with CTY_CODE >= 1000 by EYR/IYR, summed, over the CTY_CODE 15 row."""
    table = _country_table(flow, year).sort_values(ascending=False)
    return 100.0 * float(table.iloc[:n].sum()) / _census_value("WLD", flow, year)


@truth("census_compare")
def census_compare(
    partner: str,
    other: str,
    flow: str,
    year: int,
    kind: str = "ratio",
    other_flow: str | None = None,
    other_year: int | None = None,
) -> float:
    """Compares `partner`'s `flow` with `other`'s (its `other_flow`, `other_year` if given), country.xlsx EYR/IYR.

    kind: "ratio" -> a / b ("2.3 times", "twice as much"); "pct" -> 100*(a/b - 1) ("N% higher");
    "diff" -> a - b in dollars ("$15 billion more than").
    """
    a = _census_value(partner, flow, year)
    b = _census_value(other, other_flow or flow, other_year or year)
    if kind == "ratio":
        return a / b
    if kind == "pct":
        return 100.0 * (a / b - 1.0)
    if kind == "diff":
        return a - b
    raise ValueError(f"unknown kind {kind!r}")


# --- BEA goods and services by partner (balance-of-payments basis) -----------------------------------


_BEA_CACHE: dict[str, pd.DataFrame] = {}


def _bea_sheet(sheet: str) -> pd.DataFrame:
    if sheet not in _BEA_CACHE:
        df = pd.read_excel(BEA_XLSX, sheet_name=sheet, header=5)
        # annual rows are the integer periods before the "Quarterly" marker
        annual = df[df["Period"].apply(lambda p: isinstance(p, int))]
        _BEA_CACHE[sheet] = annual.set_index("Period")
    return _BEA_CACHE[sheet]


def _bea_value(partner: str, flow: str, year: int, measure: str) -> float:
    col = BEA_NAMES.get(partner, partner)
    exp = _num(_bea_sheet(BEA_TABLES[(measure, "exports")]).loc[year, col]) * 1e6
    imp = _num(_bea_sheet(BEA_TABLES[(measure, "imports")]).loc[year, col]) * 1e6
    return _combine(flow, exp, imp)


@truth("bea_trade")
def bea_trade(partner: str, flow: str, year: int, measure: str = "goods_services") -> float:
    """U.S. trade with `partner`, balance-of-payments basis, in dollars.

    File bea_trade_by_country/us_trading_per_country.xlsx (header at sheet row 6): the annual row
    Period = `year` of the partner's column in Table 1 (exports of goods and services) and Table 2
    (imports); measure "goods" uses Tables 4/5, "services" Tables 7/8. Millions in the file.
    flow: exports | imports | total | deficit (imports - exports) | surplus.
    """
    return _bea_value(partner, flow, year, measure)


@truth("bea_change")
def bea_change(
    partner: str, flow: str, year0: int, year1: int, kind: str = "pct", measure: str = "goods_services"
) -> float:
    """Change of BEA goods-and-services trade with `partner` (Tables 1/2, or 4/5 and 7/8 per measure)
    from `year0` to `year1`: kind "pct" (percent change), "diff" (dollars) or "ratio"."""
    v0 = _bea_value(partner, flow, year0, measure)
    v1 = _bea_value(partner, flow, year1, measure)
    if kind == "pct":
        return 100.0 * (v1 / v0 - 1.0)
    if kind == "diff":
        return v1 - v0
    return v1 / v0


# --- World Bank WDI ---------------------------------------------------------------------------------


_WDI_CACHE: dict[str, pd.DataFrame] = {}


def _wdi(indicator: str, country: str, year: int) -> float:
    if indicator == "gdppc":
        return _wdi("gdp", country, year) / _wdi("pop", country, year)
    path = {"pop": WDI_POP, "gdp": WDI_GDP}[indicator]
    if indicator not in _WDI_CACHE:
        _WDI_CACHE[indicator] = pd.read_csv(path, skiprows=4).set_index("Country Code")
    v = _num(_WDI_CACHE[indicator].loc[country, str(year)])
    if v != v:  # NaN: no value published
        raise ValueError(f"no {indicator} for {country} in {year}")
    return v


@truth("wdi")
def wdi(indicator: str, country: str, year: int) -> float:
    """World Bank WDI value: indicator "pop" (SP.POP.TOTL, persons) or "gdp" (NY.GDP.MKTP.CD, current US$).

    world_bank_wdi/API_SP.POP.TOTL_DS2_en_csv_v2_246068.csv or API_NY.GDP.MKTP.CD_DS2_en_csv_v2_273193.csv
    (skiprows=4): the row `Country Code` = country (ISO3, USA for the United States), column str(year).
    """
    return _wdi(indicator, country, year)


@truth("wdi_gdp_per_capita")
def wdi_gdp_per_capita(country: str, year: int) -> float:
    """GDP per person in current US$: the WDI GDP file's value over the WDI population file's value
    (same `Country Code` row and year column in both files)."""
    return _wdi("gdp", country, year) / _wdi("pop", country, year)


@truth("wdi_ratio")
def wdi_ratio(indicator: str, country: str, other: str, year: int, kind: str = "pct") -> float:
    """`country`'s WDI indicator ("gdp", "pop" or "gdppc" = gdp / pop) relative to `other`'s in `year`.

    kind "pct" -> 100 * a / b ("Mexico's economy is about 6% the size of the U.S. economy", points);
    kind "ratio" -> a / b ("eight times the size").
    """
    r = _wdi(indicator, country, year) / _wdi(indicator, other, year)
    return 100.0 * r if kind == "pct" else r


@truth("wdi_change")
def wdi_change(indicator: str, country: str, year0: int, year1: int, kind: str = "pct") -> float:
    """Change of a WDI indicator ("gdp" or "pop") for `country` from `year0` to `year1` (same files and
    columns as `wdi`): kind "pct" (percent change), "ratio" (v1 / v0) or "diff" (v1 - v0)."""
    v0 = _wdi(indicator, country, year0)
    v1 = _wdi(indicator, country, year1)
    if kind == "pct":
        return 100.0 * (v1 / v0 - 1.0)
    if kind == "diff":
        return v1 - v0
    return v1 / v0


@truth("census_per_capita")
def census_per_capita(partner: str, flow: str, year: int, population: str) -> float:
    """U.S. goods `flow` with `partner` per person, dollars: country.xlsx EYR/IYR (per flow) for `year`
    divided by the WDI population (API_SP.POP.TOTL..., column str(year)) of `population` -- the partner's
    ISO3 code ("per Canadian") or USA ("per American"); the text's wording decides which."""
    return _census_value(partner, flow, year) / _wdi("pop", population, year)


@truth("trade_to_gdp")
def trade_to_gdp(partner: str, flow: str, year: int, country: str) -> float:
    """U.S. goods `flow` with `partner` (country.xlsx EYR/IYR) as a percent of `country`'s GDP
    (WDI NY.GDP.MKTP.CD, current US$, same year) -- e.g. Mexico's sales to the U.S. against Mexico's GDP."""
    return 100.0 * _census_value(partner, flow, year) / _wdi("gdp", country, year)


# --- USITC DataWeb exports by HS chapter ------------------------------------------------------------


_DATAWEB_CACHE: dict[str, pd.DataFrame] = {}


def _dataweb() -> pd.DataFrame:
    if "df" not in _DATAWEB_CACHE:
        df = pd.read_csv(DATAWEB_CSV, skiprows=2, dtype={"HTS Number": str})
        df = df[df["Data Type"] == "FAS Value"]  # drops the trailing "Total:" row
        for y in ("2020", "2021", "2022", "2023", "2024"):
            df[y] = df[y].astype(float)
        _DATAWEB_CACHE["df"] = df
    return _DATAWEB_CACHE["df"]


def _hs2(partner: str, chapter: str, year: int) -> float:
    if not 2020 <= year <= 2024:
        raise ValueError("the DataWeb file has full years 2020-2024 only")
    df = _dataweb()
    name = DATAWEB_NAMES.get(partner, partner)
    rows = df[(df["Country"] == name) & (df["HTS Number"] == chapter)]
    if len(rows) != 1:
        raise KeyError(f"no DataWeb row for {name} chapter {chapter}")
    return float(rows.iloc[0][str(year)])


@truth("hs2_exports")
def hs2_exports(partner: str, chapter: str, year: int) -> float:
    """U.S. total exports (FAS value, dollars) of HTS chapter `chapter` ("87", zero-padded) to `partner`.

    File usitc_dataweb_exports_by_hs2/DataWeb-Query-Export__FAS_Value.csv (skiprows=2, header on line 3):
    the row Country = the DataWeb partner label, HTS Number = chapter; column str(year) (2020-2024).
    """
    return _hs2(partner, chapter, year)


@truth("hs2_share")
def hs2_share(partner: str, chapter: str, year: int) -> float:
    """Percent of all U.S. exports to `partner` (sum of every chapter row of that Country in the DataWeb
    file, column str(year)) that chapter `chapter` accounts for."""
    df = _dataweb()
    name = DATAWEB_NAMES.get(partner, partner)
    total = float(df.loc[df["Country"] == name, str(year)].sum())
    return 100.0 * _hs2(partner, chapter, year) / total


@truth("hs2_change")
def hs2_change(partner: str, chapter: str, year0: int, year1: int, kind: str = "pct") -> float:
    """Change of chapter `chapter` exports to `partner` in the DataWeb file from `year0` to `year1`:
    kind "pct" (percent change) or "ratio"."""
    v0 = _hs2(partner, chapter, year0)
    v1 = _hs2(partner, chapter, year1)
    return 100.0 * (v1 / v0 - 1.0) if kind == "pct" else v1 / v0


WDI_META = DATA / "world_bank_wdi" / "Metadata_Country_API_SP.POP.TOTL_DS2_en_csv_v2_246068.csv"


@truth("wdi_rank")
def wdi_rank(indicator: str, country: str, year: int, within: str = "world") -> float:
    """Rank (1 = largest) of `country` by WDI `indicator` ("gdp", "pop") in `year` among economies.

    Economies are the rows of the WDI country metadata (Metadata_Country_API_SP.POP.TOTL_...csv) with a
    non-empty `Region`; `within` is "world", a `Region` label ("Latin America & Caribbean") or an
    `IncomeGroup` label ("Upper middle income"). Economies without a value for the year are not ranked.
    """
    meta = pd.read_csv(WDI_META, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    meta = meta[meta["Region"].str.strip() != ""]
    if within != "world":
        meta = meta[(meta["Region"].str.strip() == within) | (meta["IncomeGroup"].str.strip() == within)]
    codes = set(meta["Country Code"].str.strip())
    path = {"pop": WDI_POP, "gdp": WDI_GDP}[indicator]
    df = pd.read_csv(path, skiprows=4)
    vals = df[df["Country Code"].isin(codes)].set_index("Country Code")[str(year)].dropna().sort_values(ascending=False)
    if country not in vals.index:
        raise ValueError(f"no {indicator} for {country} in {year} within {within}")
    return float(list(vals.index).index(country) + 1)


# Census CTYNAME -> the WDI metadata's TableName where the two spell a country differently (Taiwan is
# not a World Bank economy and stays out of every group).
_CENSUS_TO_WDI_NAME = {
    "korea, south": "korea, rep.",
    "hong kong": "hong kong sar, china",
    "turkey": "turkiye",
    "vietnam": "viet nam",
    "venezuela": "venezuela, rb",
    "bahamas": "bahamas, the",
    "egypt": "egypt, arab rep.",
    "russia": "russian federation",
    "slovakia": "slovak republic",
    "czech republic": "czechia",
}


@truth("census_rank_within")
def census_rank_within(partner: str, flow: str, year: int, within: str) -> float:
    """Rank of `partner` among the countries of a World Bank group by `flow` in `year` (country.xlsx).

    The group's members are the WDI country metadata rows whose `Region` (or `IncomeGroup`) is
    `within`; a Census country is matched to them by name (CTYNAME, lowercased, with the few spelling
    differences listed in `_CENSUS_TO_WDI_NAME`).
    """
    meta = pd.read_csv(WDI_META, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    meta = meta[(meta["Region"].str.strip() == within) | (meta["IncomeGroup"].str.strip() == within)]
    names = set(meta["TableName"].str.strip().str.lower())
    df = _country()
    rows = df[(df["CTY_CODE"] >= 1000) & (df["year"] == year)]
    keep = rows["CTYNAME"].str.strip().str.lower().map(lambda n: _CENSUS_TO_WDI_NAME.get(n, n)).isin(names)
    table = _country_table(flow, year)
    table = table[table.index.isin(rows.loc[keep, "CTY_CODE"])]
    code = _code(partner)
    if code not in table.index:
        raise ValueError(f"{partner} is not in {within}")
    return float(1 + int((table > table[code]).sum()))
