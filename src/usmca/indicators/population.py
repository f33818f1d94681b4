"""Population (World Bank WDI) and per-capita trade."""

from __future__ import annotations

from usmca.countries import name_of
from usmca.indicators.base import Context, Figure, indicator
from usmca.indicators.trade import as_list, iso3, partners_sum


@indicator("population", "persons", "population")
def population(ctx: Context, country: str, year: int) -> Figure:
    """Population of a country (World Bank SP.POP.TOTL, mid-year estimate)."""
    start = len(ctx.queries)
    code = iso3(country)
    params = {"country": code, "year": year}
    df = ctx.query(f"SELECT value, source_id FROM {ctx.rel('population')} "
                   "WHERE iso3 = ? AND year = ? AND indicator = 'SP.POP.TOTL'", [code, year])
    label = f"population of {name_of(code)}, {year}"
    if df.empty or df["value"].isna().all():
        return ctx.missing("persons", label, params,
                           f"no World Bank population (SP.POP.TOTL) for {name_of(code)} in {year}", start)
    v = float(df["value"].iloc[0])
    return ctx.figure(v, "persons", label, params=params, start=start, source_ids=df["source_id"],
                      computation=f"WDI SP.POP.TOTL {code} {year} = {v:,.0f}")


@indicator("per_capita_trade", "USD per person", "trade")
def per_capita_trade(ctx: Context, partners: list[str], year: int, flow: str = "exports",
                     basis: str = "census", product: str = "goods", population_year: int | None = None) -> Figure:
    """U.S. trade with a group of partners divided by their combined population (US$ per person).

    For exports this is what each resident of the partner group buys from the U.S. per year.
    """
    start = len(ctx.queries)
    codes = as_list(partners)
    py = population_year or year
    params = {"partners": codes, "year": year, "flow": flow, "basis": basis, "product": product}
    t = partners_sum(ctx, codes, year, flow, None, basis, product)
    pops = [population(ctx, c, py) for c in codes]
    label = f"U.S. {flow} per resident of {' + '.join(name_of(c) for c in codes)}, {year}"
    bad = [p for p in [t, *pops] if not p.ok]
    if bad:
        return ctx.missing("USD per person", label, params, bad[0].missing or "", start)
    total_pop = sum(p.value or 0 for p in pops)
    assert t.value is not None
    v = t.value / total_pop
    ev = t.evidence + [e for p in pops for e in p.evidence]
    seen: set[str] = set()
    ev = [e for e in ev if not (e.source_id in seen or seen.add(e.source_id))]  # type: ignore[func-returns-value]
    return Figure(v, "USD per person", label, params,
                  f"{t.value / 1e9:,.1f}bn / {total_pop / 1e6:,.1f}m people = {v:,.0f} USD per person",
                  ctx.queries[start:], ev, parts={"trade": t.value, "population": total_pop})
