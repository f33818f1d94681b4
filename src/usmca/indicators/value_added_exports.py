"""U.S. content of U.S. exports (BEA Trade in Value Added via NSF NCSES) and the monthly trade balance via FRED.

Value added (table `value_added_exports`, dataset `ncses.tiva`): gross exports of the United States
split into domestic and imported value added, all industries and 8 knowledge- and
technology-intensive industries, 2007-2021, preliminary. It is another value-added reading beside
WIOD (different framework, U.S. exports only, no partner-country content).

Trade balance (table `series`, dataset `fred.bopgstb`): FRED series BOPGSTB, the balance on goods and
services, balance-of-payments basis, seasonally adjusted, monthly, US$ million. FRED's vintage
differs from the FT-900 exhibits month by month (annual revisions): it is its own dataset.
"""

from __future__ import annotations

import pandas as pd

from usmca.indicators.base import Context, Figure, IndicatorError, indicator
from usmca.indicators.employment import lookup, series_frame
from usmca.months import month_label

TIVA_NOTES = [
    "BEA Trade in Value Added via NSF NCSES table SKTI-4; preliminary figures",
    "U.S. exports only: it says nothing about partner-country content (such as U.S. content in imports from Mexico)",
    "BEA's TiVA framework differs from OECD TiVA and from the WIOD tables",
]
MEASURES = {
    "gross_exports": "gross exports",
    "domestic_va": "domestic value added",
    "imported_va": "imported value added",
}
BOP_SERIES = "BOPGSTB"
BOP_LABEL = "U.S. balance on goods and services (FRED BOPGSTB, BOP basis, seasonally adjusted)"
BOP_NOTES = [
    "FRED's seasonally adjusted vintage of the Census/BEA series; it differs month by month from the FT-900 "
    "exhibits loaded as trade (annual revisions): not mixed with them",
    "a negative balance is a deficit",
]


def _tiva(ctx: Context) -> pd.DataFrame:
    return ctx.query(
        f"SELECT industry, naics, year, measure, value_usd, source_id FROM "
        f"{ctx.rel('value_added_exports')} WHERE country = 'USA' ORDER BY industry, year"
    )


def resolve_industry(df: pd.DataFrame, industry: str) -> str:
    """'all', an industry's name (or a unique part of it), or its NAICS code as published -> the stored name."""
    want = str(industry).strip().lower()
    names = sorted(set(df["industry"]))
    if want in ("all", "all industries", "total", ""):
        return "all"
    for n in names:
        if n.lower() == want:
            return n
    by_code = sorted(
        {
            n
            for n, c in zip(df["industry"], df["naics"], strict=True)
            if c is not None and not pd.isna(c) and str(c).lower() == want
        }
    )
    if len(by_code) == 1:
        return by_code[0]
    part = [n for n in names if want in n.lower()]
    first = [n for n in part if n.lower().startswith(want)]  # "aerospace": not "... (excluding aerospace)"
    if len(part) == 1 or len(first) == 1:
        return (first or part)[0]
    raise IndicatorError(
        f"unknown industry {industry!r}"
        + (
            f": several match ({', '.join(part)})"
            if part
            else "; use 'all' or one of: " + ", ".join(n for n in names if n != "all")
        )
    )


def _values(
    ctx: Context,
    year: int,
    industry: str,
    unit: str,
    label: str,
    params: dict[str, object],
    start: int,
) -> tuple[dict[str, float], list[str], str] | Figure:
    df = _tiva(ctx)
    if df.empty:
        return ctx.missing(
            unit,
            label,
            params,
            "no BEA TiVA table is loaded (NCSES ncses_10760_data.csv)",
            start,
            notes=list(TIVA_NOTES),
        )
    name = resolve_industry(df, industry)
    years = sorted(int(y) for y in set(df["year"]))
    sel = df[(df["industry"] == name) & (df["year"] == year)]
    if sel.empty or sel["value_usd"].isna().any():
        span = f"{years[0]}-{years[-1]}"
        why = (
            f"no BEA TiVA figures for {year}: the loaded table covers {span}"
            if year not in years
            else f"BEA TiVA figures for {name}, {year} are not published (suppressed)"
        )
        return ctx.missing(unit, label, params, why, start, notes=list(TIVA_NOTES))
    vals = {str(m): float(v) for m, v in zip(sel["measure"], sel["value_usd"], strict=True)}
    return vals, list(sel["source_id"]), name


def _industry_text(name: str) -> str:
    return "all industries" if name == "all" else name


def _share(ctx: Context, year: int, industry: str, which: str) -> Figure:
    start = len(ctx.queries)
    params = {"year": year, "industry": industry}
    kind = "imported" if which == "imported_va" else "domestic"
    label = f"{kind} value added as a share of U.S. gross exports, {industry}, {year} (BEA TiVA via NCSES)"
    got = _values(ctx, year, industry, "percent", label, params, start)
    if isinstance(got, Figure):
        return got
    vals, ids, name = got
    label = f"{kind} value added as a share of U.S. gross exports, {_industry_text(name)}, {year} (BEA TiVA via NCSES)"
    g, part = vals["gross_exports"], vals[which]
    if not g:
        return ctx.missing("percent", label, params, f"gross exports of {name} are zero in {year}", start)
    pct = part / g * 100
    return ctx.figure(
        pct,
        "percent",
        label,
        params={**params, "industry": name},
        start=start,
        source_ids=ids,
        parts={"gross_exports_usd": g, f"{which}_usd": part},
        computation=f"{MEASURES[which]} {part / 1e6:,.0f} / gross exports {g / 1e6:,.0f} US$ million = {pct:.2f}%",
        notes=list(TIVA_NOTES),
    )


@indicator("import_content_share", "percent", "value added")
def import_content_share(ctx: Context, year: int, industry: str = "all") -> Figure:
    """Imported value added as a percent of U.S. gross exports (BEA TiVA via NCSES, 2007-2021, preliminary).

    `industry`: "all" or one of the 8 KTI industries (name or NAICS code as published, e.g. "3364").
    A year outside the loaded table is missing, with the span named.
    """
    return _share(ctx, year, industry, "imported_va")


@indicator("domestic_content_share", "percent", "value added")
def domestic_content_share(ctx: Context, year: int, industry: str = "all") -> Figure:
    """Domestic (U.S.) value added as a percent of U.S. gross exports (BEA TiVA via NCSES, 2007-2021)."""
    return _share(ctx, year, industry, "domestic_va")


@indicator("export_value_added", "USD", "value added")
def export_value_added(ctx: Context, year: int, measure: str = "imported_va", industry: str = "all") -> Figure:
    """U.S. gross exports or their domestic or imported value added in a year, US dollars (BEA TiVA via NCSES)."""
    start = len(ctx.queries)
    if measure not in MEASURES:
        raise IndicatorError(f"unknown measure {measure!r}: use one of {sorted(MEASURES)}")
    params = {"year": year, "measure": measure, "industry": industry}
    label = f"{MEASURES[measure]} of U.S. exports, {industry}, {year} (BEA TiVA via NCSES)"
    got = _values(ctx, year, industry, "USD", label, params, start)
    if isinstance(got, Figure):
        return got
    vals, ids, name = got
    v = vals[measure]
    label = f"{MEASURES[measure]} of U.S. exports, {_industry_text(name)}, {year} (BEA TiVA via NCSES)"
    return ctx.figure(
        v,
        "USD",
        label,
        params={**params, "industry": name},
        start=start,
        source_ids=ids,
        computation=f"{MEASURES[measure]} = {v / 1e6:,.0f} US$ million",
        notes=list(TIVA_NOTES),
    )


# -- the trade balance via FRED (BOPGSTB) -----------------------------------------------------------------
@indicator("trade_balance_monthly", "USD", "trade")
def trade_balance_monthly(ctx: Context, year: int, month: int) -> Figure:
    """U.S. goods-and-services balance in one month, US dollars (FRED BOPGSTB, seasonally adjusted).

    Negative: a deficit. A month beyond the loaded series is missing, with its last month named.
    """
    start = len(ctx.queries)
    params = {"year": year, "month": month}
    ym = (year, month)
    label = f"{BOP_LABEL}, {month_label(ym)}"
    df = series_frame(ctx, BOP_SERIES)
    got = lookup(df, BOP_SERIES, ym, "goods-and-services balance")
    if isinstance(got, str):
        return ctx.missing("USD", label, params, got, start, notes=list(BOP_NOTES))
    v, src = got
    return ctx.figure(
        v * 1e6,
        "USD",
        label,
        params=params,
        start=start,
        source_ids=[src],
        computation=f"BOPGSTB {month_label(ym)} = {v:,.0f} US$ million",
        notes=list(BOP_NOTES),
    )


@indicator("trade_balance_fred", "USD", "trade")
def trade_balance_fred(ctx: Context, year: int) -> Figure:
    """U.S. goods-and-services balance in a calendar year: the sum of FRED BOPGSTB's 12 seasonally adjusted months."""
    start = len(ctx.queries)
    params = {"year": year}
    label = f"{BOP_LABEL}, {year}, sum of 12 months"
    df = series_frame(ctx, BOP_SERIES)
    ids: list[str] = []
    total = 0.0
    for m in range(1, 13):
        got = lookup(df, BOP_SERIES, (year, m), "goods-and-services balance")
        if isinstance(got, str):
            return ctx.missing("USD", label, params, got, start, notes=list(BOP_NOTES))
        total += got[0]
        ids.append(got[1])
    return ctx.figure(
        total * 1e6,
        "USD",
        label,
        params=params,
        start=start,
        source_ids=ids,
        computation=f"sum of BOPGSTB January-December {year} = {total:,.0f} US$ million",
        notes=list(BOP_NOTES),
    )
