"""Population and GDP (World Bank WDI), GDP per person, economies compared, and per-capita trade."""

from __future__ import annotations

from usmca.countries import name_of
from usmca.indicators.base import Context, Figure, combine, indicator
from usmca.indicators.trade import as_list, iso3, partners_sum
from usmca.indicators.wb_groups import group_filter, not_member_reason


@indicator("population", "persons", "population")
def population(ctx: Context, country: str, year: int) -> Figure:
    """Population of a country (World Bank SP.POP.TOTL, mid-year estimate)."""
    start = len(ctx.queries)
    code = iso3(country)
    params = {"country": code, "year": year}
    df = ctx.query(
        f"SELECT value, source_id FROM {ctx.rel('population')} "
        "WHERE iso3 = ? AND year = ? AND indicator = 'SP.POP.TOTL'",
        [code, year],
    )
    label = f"population of {name_of(code)}, {year}"
    if df.empty or df["value"].isna().all():
        return ctx.missing(
            "persons", label, params, f"no World Bank population (SP.POP.TOTL) for {name_of(code)} in {year}", start
        )
    v = float(df["value"].iloc[0])
    return ctx.figure(
        v,
        "persons",
        label,
        params=params,
        start=start,
        source_ids=df["source_id"],
        computation=f"WDI SP.POP.TOTL {code} {year} = {v:,.0f}",
    )


def _wdi(ctx: Context, code: str, year: int, series: str) -> tuple[float | None, list[str], int | None]:
    """(value, source ids, latest year loaded) of one WDI series for one country."""
    df = ctx.query(
        f"SELECT year, value, source_id FROM {ctx.rel('population')} "
        "WHERE iso3 = ? AND indicator = ? AND value IS NOT NULL",
        [code, series],
    )
    latest = int(df["year"].max()) if not df.empty else None
    row = df[df["year"] == year]
    return (float(row["value"].iloc[0]) if not row.empty else None), list(row["source_id"]), latest


@indicator("gdp", "USD", "economy")
def gdp(ctx: Context, country: str, year: int) -> Figure:
    """GDP of a country in current US dollars (World Bank NY.GDP.MKTP.CD).

    A year beyond the loaded data is missing with the latest year named, never a neighbouring year.
    """
    start = len(ctx.queries)
    code = iso3(country)
    params = {"country": code, "year": year}
    v, ids, latest = _wdi(ctx, code, year, "NY.GDP.MKTP.CD")
    label = f"GDP of {name_of(code)}, {year}, current US$"
    if v is None:
        tail = f" (the loaded WDI data end in {latest})" if latest and year > latest else ""
        return ctx.missing(
            "USD", label, params, f"no World Bank GDP (NY.GDP.MKTP.CD) for {name_of(code)} in {year}{tail}", start
        )
    return ctx.figure(
        v,
        "USD",
        label,
        params=params,
        start=start,
        source_ids=ids,
        computation=f"WDI NY.GDP.MKTP.CD {code} {year} = {v:,.0f} USD",
    )


@indicator("gdp_per_capita", "USD per person", "economy")
def gdp_per_capita(ctx: Context, country: str, year: int) -> Figure:
    """GDP per person: GDP (current US$) / population (World Bank WDI), US dollars per person."""
    start = len(ctx.queries)
    g, p = gdp(ctx, country, year), population(ctx, country, year)
    params = {"country": iso3(country), "year": year}
    label = f"GDP per person of {name_of(iso3(country))}, {year}"
    if not (g.ok and p.ok) or not p.value:
        return ctx.missing("USD per person", label, params, g.missing or p.missing or "", start)
    assert g.value is not None
    v = g.value / p.value
    return Figure(
        v,
        "USD per person",
        label,
        params,
        f"{g.value / 1e9:,.1f}bn / {p.value / 1e6:,.2f}m people = {v:,.0f} USD",
        ctx.queries[start:],
        g.evidence + p.evidence,
        parts={"gdp": g.value, "population": p.value},
    )


@indicator("gdp_share", "percent", "economy")
def gdp_share(ctx: Context, country: str, of: str, year: int, per_person: bool = False) -> Figure:
    """One economy as a percent of another: GDP of `country` / GDP of `of` x 100 (current US$).

    per_person=True compares GDP per person ("the average Mexican's income is a sixth of the U.S. level").
    """
    start = len(ctx.queries)
    f = gdp_per_capita if per_person else gdp
    a, b = f(ctx, country, year), f(ctx, of, year)
    params = {"country": iso3(country), "of": iso3(of), "year": year, "per_person": per_person}
    what = "GDP per person" if per_person else "GDP"
    label = f"{what} of {name_of(iso3(country))} as a share of {name_of(iso3(of))}'s, {year}"
    if not (a.ok and b.ok) or not b.value:
        return ctx.missing("percent", label, params, a.missing or b.missing or "", start)
    assert a.value is not None
    v = a.value / b.value * 100
    return Figure(
        v,
        "percent",
        label,
        params,
        f"{a.value / 1e9:,.1f}bn / {b.value / 1e9:,.1f}bn = {v:.2f}%",
        ctx.queries[start:],
        a.evidence + b.evidence,
        parts={"country": a.value, "of": b.value},
    )


@indicator("per_capita_trade", "USD per person", "trade")
def per_capita_trade(
    ctx: Context,
    partners: list[str],
    year: int,
    flow: str = "exports",
    basis: str = "census",
    product: str = "goods",
    population_year: int | None = None,
    population_of: str | None = None,
) -> Figure:
    """U.S. trade with a group of partners divided by a population (US$ per person).

    By default the partners' combined population: for exports, what each resident of the partner
    group buys from the U.S. per year. `population_of="USA"`: per American ("Americans bought $X of
    Mexican goods per person" divides U.S. imports from Mexico by the U.S. population).
    """
    start = len(ctx.queries)
    codes = as_list(partners)
    py = population_year or year
    params = {
        "partners": codes,
        "year": year,
        "flow": flow,
        "basis": basis,
        "product": product,
        "population_of": population_of,
    }
    t = partners_sum(ctx, codes, year, flow, None, basis, product)
    pops = [population(ctx, c, py) for c in ([iso3(population_of)] if population_of else codes)]
    whose = name_of(iso3(population_of)) if population_of else " + ".join(name_of(c) for c in codes)
    label = f"U.S. {flow} {'with' if population_of else 'per resident of'} " + (
        f"{' + '.join(name_of(c) for c in codes)} per resident of {whose}, {year}"
        if population_of
        else f"{whose}, {year}"
    )
    bad = [p for p in [t, *pops] if not p.ok]
    if bad:
        return ctx.missing("USD per person", label, params, bad[0].missing or "", start)
    total_pop = sum(p.value or 0 for p in pops)
    assert t.value is not None
    v = t.value / total_pop
    ev = t.evidence + [e for p in pops for e in p.evidence]
    seen: set[str] = set()
    ev = [e for e in ev if not (e.source_id in seen or seen.add(e.source_id))]  # type: ignore[func-returns-value]
    return Figure(
        v,
        "USD per person",
        label,
        params,
        f"{t.value / 1e9:,.1f}bn / {total_pop / 1e6:,.1f}m people = {v:,.0f} USD per person",
        ctx.queries[start:],
        ev,
        parts={"trade": t.value, "population": total_pop},
    )


@indicator("trade_share_of_gdp", "percent", "economy")
def trade_share_of_gdp(ctx: Context, partner: str, year: int, flow: str = "imports", country: str = "") -> Figure:
    """U.S. trade with a partner as a percent of a country's GDP (default: the partner's own GDP).

    "Mexico's goods sales to the U.S. equal a quarter of its GDP": U.S. imports from Mexico / Mexico's GDP.
    """
    start = len(ctx.queries)
    code = iso3(partner)
    who = iso3(country) if country else code
    t = partners_sum(ctx, [code], year, flow)
    g = gdp(ctx, who, year)
    params = {"partner": code, "year": year, "flow": flow, "country": who}
    label = f"U.S. {flow} with {name_of(code)} as a share of {name_of(who)}'s GDP, {year}"
    if not (t.ok and g.ok) or not g.value:
        return ctx.missing("percent", label, params, t.missing or g.missing or "", start)
    assert t.value is not None
    v = t.value / g.value * 100
    return Figure(
        v,
        "percent",
        label,
        params,
        f"{t.value / 1e9:,.1f}bn / {g.value / 1e9:,.1f}bn = {v:.2f}%",
        ctx.queries[start:],
        t.evidence + g.evidence,
        parts={"trade": t.value, "gdp": g.value},
    )


@indicator("gdp_ratio", "ratio", "economy")
def gdp_ratio(ctx: Context, country: str, of: str, year: int, per_person: bool = False) -> Figure:
    """One economy's GDP (or GDP per person) divided by another's: "13 times the size of Canada's"."""
    start = len(ctx.queries)
    f = gdp_per_capita if per_person else gdp
    a, b = f(ctx, country, year), f(ctx, of, year)
    params = {"country": iso3(country), "of": iso3(of), "year": year, "per_person": per_person}
    label = f"{'GDP per person' if per_person else 'GDP'} of {name_of(iso3(country))} / {name_of(iso3(of))}, {year}"
    if not (a.ok and b.ok) or not b.value:
        return ctx.missing("ratio", label, params, a.missing or b.missing or "", start)
    assert a.value is not None
    r = a.value / b.value
    return Figure(
        r,
        "ratio",
        label,
        params,
        f"{a.value / 1e9:,.1f}bn / {b.value / 1e9:,.1f}bn = {r:.3f}",
        ctx.queries[start:],
        a.evidence + b.evidence,
        parts={"country": a.value, "of": b.value},
    )


@indicator("wdi_growth", "percent", "economy")
def wdi_growth(
    ctx: Context,
    country: str,
    year_from: int,
    year_to: int,
    measure: str = "gdp",
    as_ratio: bool = False,
    absolute: bool = False,
) -> Figure:
    """Change in a country's GDP (current US$) or population between two years: percent, the ratio, or
    (absolute=True) the difference ("grew by more than 1 million people in 2023")."""
    start = len(ctx.queries)
    f = {"gdp": gdp, "population": population}.get(measure)
    params = {
        "country": iso3(country),
        "year_from": year_from,
        "year_to": year_to,
        "measure": measure,
        "as_ratio": as_ratio,
        "absolute": absolute,
    }
    label = f"change in {measure} of {name_of(iso3(country))} from {year_from} to {year_to}"
    if f is None:
        return ctx.missing("percent", label, params, f"no World Bank measure {measure!r}: use gdp or population", start)
    a, b = f(ctx, country, year_from), f(ctx, country, year_to)
    if not (a.ok and b.ok) or not a.value:
        return ctx.missing("ratio" if as_ratio else "percent", label, params, a.missing or b.missing or "", start)
    assert b.value is not None
    if absolute:
        diff = b.value - a.value
        return Figure(
            diff,
            a.unit,
            label,
            params,
            f"{b.value:,.0f} - {a.value:,.0f} = {diff:+,.0f}",
            ctx.since(start),
            a.evidence + b.evidence,
            parts={"from": a.value, "to": b.value},
        )
    op = "ratio" if as_ratio else "pct"
    unit = "ratio" if as_ratio else "percent"
    return combine(ctx, b, a, op, unit, label, params, start, parts={"from": a.value, "to": b.value})


_RANK_SERIES = {"gdp": "NY.GDP.MKTP.CD", "population": "SP.POP.TOTL"}


@indicator("economy_rank", "rank", "economy")
def economy_rank(ctx: Context, country: str, year: int, measure: str = "gdp", within: str = "world") -> Figure:
    """Rank (1 = largest) of an economy by GDP (current US$), population or GDP per person, among all
    World Bank economies or within a World Bank region or income group (`within`: "world", a region
    such as "Latin America & Caribbean", an income group such as "Upper middle income", "Americas",
    or "region": the country's own region).

    Economies are those the WDI country metadata lists with a region (aggregates excluded); only
    economies with a figure for the year are ranked. The classification is the loaded file's.
    """
    start = len(ctx.queries)
    code = iso3(country)
    params = {"country": code, "year": year, "measure": measure, "within": within}
    scope = "the world" if within == "world" else f"the World Bank group '{within}'"
    label = f"rank of {name_of(code)} by {measure.replace('_', ' ')} in {scope}, {year}"
    if measure not in (*_RANK_SERIES, "gdp_per_capita"):
        return ctx.missing("rank", label, params, f"no World Bank measure {measure!r} to rank on", start)
    g = group_filter(ctx, within, code, name_of(code))
    if g.error:
        return ctx.missing("rank", label, params, g.error, start)
    scope = g.scope
    label = f"rank of {name_of(code)} by {measure.replace('_', ' ')} in {scope}, {year}"
    where, args = (f"AND {g.where}", list(g.args)) if g.where else ("", [])
    if measure == "gdp_per_capita":
        value_sql = (
            "max(CASE WHEN p.indicator = 'NY.GDP.MKTP.CD' THEN p.value END) / "
            "nullif(max(CASE WHEN p.indicator = 'SP.POP.TOTL' THEN p.value END), 0)"
        )
        series = ["NY.GDP.MKTP.CD", "SP.POP.TOTL"]
    else:
        value_sql, series = "max(p.value)", [_RANK_SERIES[measure]]
    df = ctx.query(
        f"""SELECT p.iso3, any_value(e.name) AS name, {value_sql} AS value, list(DISTINCT p.source_id) AS source_ids
            FROM {ctx.rel("population")} p JOIN {ctx.rel("economies")} e ON e.iso3 = p.iso3
            WHERE p.year = ? AND p.indicator IN ({", ".join("?" for _ in series)}) AND p.value IS NOT NULL {where}
            GROUP BY p.iso3 HAVING value IS NOT NULL ORDER BY value DESC""",
        [year, *series, *args],
    )
    if df.empty or code not in set(df["iso3"]):
        why = (
            f"no World Bank {measure.replace('_', ' ')} for {name_of(code)} in {year}"
            if not df.empty
            else f"no World Bank {measure.replace('_', ' ')} figures for {year} in {scope}"
        )
        if not df.empty:
            why = not_member_reason(ctx, g, code, name_of(code)) or why
        return ctx.missing("rank", label, params, why, start)
    df = df.reset_index(drop=True)
    rank = int(df.index[df["iso3"] == code][0]) + 1
    top = df.head(max(rank, 3))
    fmt = (lambda v: f"{v / 1e9:,.0f}bn") if measure == "gdp" else (lambda v: f"{v:,.0f}")
    ids: list[str] = []
    for x in df.head(rank + 1)["source_ids"]:
        ids.extend(list(x))
    return ctx.figure(
        float(rank),
        "rank",
        label,
        params=params,
        start=start,
        source_ids=ids,
        parts={str(n): float(v) for n, v in zip(top["name"], top["value"], strict=True)},
        computation=f"{len(df)} World Bank economies in {scope} with data for {year}, ordered by "
        f"{measure.replace('_', ' ')}: "
        + ", ".join(
            f"{i + 1}. {n} {fmt(float(v))}" for i, (n, v) in enumerate(zip(top["name"], top["value"], strict=True))
        ),
    )
