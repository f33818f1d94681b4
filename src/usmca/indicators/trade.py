"""U.S. trade by partner: values, ranks, sums over partners, ratios, growth.

Values are US dollars. Flows: exports (what the partner buys from the U.S.), imports,
total (exports + imports), balance (exports - imports). Basis: census (goods, country.xlsx)
or bop (balance of payments, BEA). Product: goods, services, goods_services, or HS2:NN.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from usmca.countries import NAMES, UnknownCountryError, name_of, resolve_partner
from usmca.indicators.base import Context, Figure, IndicatorError, combine, indicator

FLOWS = ("exports", "imports", "total", "balance", "deficit")


# Groups of countries the agencies publish as one partner: our code -> (Census code, BEA code).
TRADE_GROUPS: dict[str, tuple[str, str]] = {
    "EU": ("G:0003", "G:EU"),  # Census exhibit 'European Union' (EU-27 from 2020), BEA 'European Union'
    "CAFTA-DR": ("G:0017", "G:CAFTA-DR"),
}
_GROUP_ALIASES = {"EU": "EU", "E.U.": "EU", "EUROPEAN UNION": "EU", "CAFTA-DR": "CAFTA-DR", "CAFTA": "CAFTA-DR"}


def is_group(code: str) -> bool:
    return code in TRADE_GROUPS


def _canonical_partner_sql() -> str:
    """SQL for the partner column with the agencies' group codes folded into ours ('G:0003' -> 'EU')."""
    whens = " ".join(
        f"WHEN partner IN ('{census}', '{bea}') THEN '{code}'" for code, (census, bea) in TRADE_GROUPS.items()
    )
    return f"CASE {whens} ELSE partner END"


def iso3(partner: str) -> str:
    p = partner.strip()
    if p.upper() in ("WLD", "WORLD"):
        return "WLD"
    if p.upper() in _GROUP_ALIASES:
        return _GROUP_ALIASES[p.upper()]
    try:
        return resolve_partner(p).iso3
    except UnknownCountryError as e:
        raise IndicatorError(str(e)) from e


def as_list(partners: Any) -> list[str]:
    if isinstance(partners, str):
        partners = [p for p in partners.replace(";", ",").split(",") if p.strip()]
    return [iso3(p) for p in partners]


def _flow_sql(flow: str) -> tuple[str, str]:
    """SQL filter and value expression for a flow."""
    if flow not in FLOWS:
        raise IndicatorError(f"unknown flow {flow!r}: use one of {FLOWS}")
    if flow in ("exports", "imports"):
        return f"flow = '{flow}'", "value_usd"
    if flow == "total":
        return "flow IN ('exports','imports')", "value_usd"
    if flow == "deficit":  # the U.S. deficit with a partner: imports - exports (negative for a surplus)
        return "flow IN ('exports','imports')", "CASE WHEN flow='imports' THEN value_usd ELSE -value_usd END"
    return "flow IN ('exports','imports')", "CASE WHEN flow='exports' THEN value_usd ELSE -value_usd END"


def _period_label(year: int, month: int | None) -> str:
    return f"{year}-{month:02d}" if month else str(year)


def partner_values(
    ctx: Context,
    flow: str,
    year: int,
    month: int | None = None,
    basis: str = "census",
    product: str = "goods",
    kind: str = "country",
) -> pd.DataFrame:
    """One row per partner: partner, value (US$), source_ids, status."""
    where, expr = _flow_sql(flow)
    month_sql = "month = ?" if month else "month IS NULL"
    params: list[Any] = [year, basis, product] + ([month] if month else [])
    kind_sql = "AND partner_kind = 'country'" if kind == "country" else ""
    df = ctx.query(
        f"""SELECT {_canonical_partner_sql() if kind != "country" else "partner"} AS partner,
               any_value(partner_name) AS name, sum({expr}) AS value,
               list(DISTINCT source_id) AS source_ids, bool_or(status = 'not_published') AS unpublished
            FROM {ctx.rel("trade")}
            WHERE {where} AND year = ? AND basis = ? AND product = ? AND adjustment = 'nsa'
              AND {month_sql} {kind_sql}
            GROUP BY 1 ORDER BY value DESC NULLS LAST""",
        params,
    )
    return df


def _sources(df: pd.DataFrame) -> list[str]:
    out: list[str] = []
    for ids in df["source_ids"]:
        out.extend(list(ids))
    return out


@indicator("trade_value", "USD", "trade")
def trade_value(
    ctx: Context,
    partner: str,
    year: int,
    flow: str = "exports",
    month: int | None = None,
    basis: str = "census",
    product: str = "goods",
) -> Figure:
    """U.S. trade with one partner (or WLD) in a year or month, US dollars.

    exports = what the partner bought from the U.S.; imports = what the U.S. bought from it.
    """
    start = len(ctx.queries)
    code = iso3(partner)
    params = {"partner": code, "year": year, "flow": flow, "month": month, "basis": basis, "product": product}
    df = partner_values(ctx, flow, year, month, basis, product, kind="any")
    row = df[df["partner"] == code]
    prep = "with" if flow in ("total", "balance", "deficit") else ("to" if flow == "exports" else "from")
    label = f"U.S. {flow} {prep} {name_of(code)}, {product}, {basis} basis, {_period_label(year, month)}"
    if row.empty or pd.isna(row.iloc[0]["value"]):
        why = "not yet published" if (not row.empty and row.iloc[0]["unpublished"]) else "no data"
        return ctx.missing(
            "USD",
            label,
            params,
            f"{why}: {basis}-basis {product} trade with "
            f"{name_of(code)} for {_period_label(year, month)} is not in the loaded data",
            start,
            _sources(row) if not row.empty else (),
        )
    v = float(row.iloc[0]["value"])
    return ctx.figure(
        v,
        "USD",
        label,
        params=params,
        start=start,
        source_ids=_sources(row),
        computation=f"sum of {flow} rows for partner {code}, {_period_label(year, month)} = {v:,.0f} USD",
    )


@indicator("partner_rank", "rank", "trade")
def partner_rank(
    ctx: Context,
    partner: str,
    year: int,
    flow: str = "exports",
    month: int | None = None,
    basis: str = "census",
    product: str = "goods",
    within: str = "world",
) -> Figure:
    """Rank of a partner among all countries (1 = largest) by U.S. trade in a period; `within` ranks it
    among the countries of one World Bank region or income group ("Latin America & Caribbean")."""
    from usmca.indicators.wb_groups import group_filter, members, not_member_reason

    start = len(ctx.queries)
    code = iso3(partner)
    params = {"partner": code, "year": year, "flow": flow, "month": month, "basis": basis, "product": product}
    if within != "world":
        params["within"] = within
    g = group_filter(ctx, within, code, name_of(code))
    among = "partners" if within == "world" else f"partners in {g.scope}"
    label = f"rank of {name_of(code)} among U.S. {flow} {among}, {_period_label(year, month)}"
    if g.error:
        return ctx.missing("rank", label, params, g.error, start)
    if is_group(code):
        return ctx.missing(
            "rank",
            label,
            params,
            f"{name_of(code)} is a group of countries; partner ranks are among single countries",
            start,
        )
    df = partner_values(ctx, flow, year, month, basis, product).dropna(subset=["value"])
    if g.where:
        why = not_member_reason(ctx, g, code, name_of(code))
        if why:
            return ctx.missing("rank", label, params, why, start)
        df = df[df["partner"].isin(members(ctx, g))]
    if code not in set(df["partner"]):
        return ctx.missing("rank", label, params, f"no {basis}-basis {flow} data for {name_of(code)} in {year}", start)
    df = df.reset_index(drop=True)
    rank = int(df.index[df["partner"] == code][0]) + 1
    top = df.head(max(rank, 3))
    parts = {name_of(p): float(v) for p, v in zip(top["partner"], top["value"], strict=False)}
    return ctx.figure(
        float(rank),
        "rank",
        label,
        params=params,
        start=start,
        source_ids=_sources(df.head(rank + 1)),
        parts=parts,
        computation="partners ordered by value: "
        + ", ".join(f"{i + 1}. {k} {v / 1e9:,.1f}bn" for i, (k, v) in enumerate(parts.items())),
        series=_bar_series(df, [code], flow, year),
    )


def _bar_series(df: pd.DataFrame, highlight: list[str], flow: str, year: int, n: int = 15) -> dict[str, Any]:
    countries = df[(df["partner"] != "WLD") & ~df["partner"].astype(str).str.startswith(("G:", "C:"))]
    top = countries.dropna(subset=["value"]).head(n)
    # our short names where we have one, else the agency's own name (no name lookup for a chart label)
    labels = {code: NAMES.get(code) or str(agency) for code, agency in zip(top["partner"], top["name"], strict=True)}
    return {
        "kind": "bar",
        "title": f"U.S. {flow} by partner, {year}",
        "labels": list(labels.values()),
        "values": [float(v) for v in top["value"]],
        "highlight": [labels.get(p) or name_of(p) for p in highlight],
        "unit": "USD",
    }


@indicator("partners_sum", "USD", "trade")
def partners_sum(
    ctx: Context,
    partners: list[str],
    year: int,
    flow: str = "exports",
    month: int | None = None,
    basis: str = "census",
    product: str = "goods",
) -> Figure:
    """Sum of U.S. trade over a set of partners."""
    start = len(ctx.queries)
    codes = as_list(partners)
    params = {"partners": codes, "year": year, "flow": flow, "month": month, "basis": basis, "product": product}
    df = partner_values(ctx, flow, year, month, basis, product, kind="any")
    sel = df[df["partner"].isin(codes)]
    names = ", ".join(name_of(c) for c in codes)
    label = f"U.S. {flow}, sum over {names}, {_period_label(year, month)}"
    lacking = [c for c in codes if c not in set(sel.dropna(subset=["value"])["partner"])]
    if lacking:
        who = ", ".join(name_of(c) for c in lacking)
        return ctx.missing("USD", label, params, f"no {basis}-basis data for {who} in {year}", start)
    v = float(sel["value"].sum())
    parts = {name_of(p): float(x) for p, x in zip(sel["partner"], sel["value"], strict=False)}
    return ctx.figure(
        v,
        "USD",
        label,
        params=params,
        start=start,
        source_ids=_sources(sel),
        parts=parts,
        computation=" + ".join(f"{k} {x / 1e9:,.1f}bn" for k, x in parts.items()) + f" = {v / 1e9:,.1f}bn",
        series=_bar_series(df, codes, flow, year),
    )


def _next_partners(df: pd.DataFrame, codes: list[str], n: int) -> pd.DataFrame:
    return df[~df["partner"].isin(codes)].dropna(subset=["value"]).head(n)


@indicator("group_vs_next_partners", "ratio", "trade")
def group_vs_next_partners(
    ctx: Context,
    partners: list[str],
    year: int,
    n: int = 10,
    flow: str = "exports",
    basis: str = "census",
    product: str = "goods",
) -> Figure:
    """Ratio of U.S. trade with a group of partners to the next `n` largest partners combined.

    "The next n partners" are the n largest countries other than the group. A ratio above 1 means
    the group trades more than those n partners together.
    """
    start = len(ctx.queries)
    codes = as_list(partners)
    params = {"partners": codes, "year": year, "n": n, "flow": flow, "basis": basis, "product": product}
    df = partner_values(ctx, flow, year, None, basis, product)
    group = df[df["partner"].isin(codes)]
    nxt = _next_partners(df, codes, n)
    label = f"U.S. {flow} to {' + '.join(name_of(c) for c in codes)} vs the next {n} partners combined, {year}"
    if len(group.dropna(subset=["value"])) < len(codes) or len(nxt) < n:
        return ctx.missing("ratio", label, params, f"not enough {basis}-basis partner data for {year}", start)
    g, s = float(group["value"].sum()), float(nxt["value"].sum())
    next_names = [NAMES.get(p) or str(agency) for p, agency in zip(nxt["partner"], nxt["name"], strict=True)]
    parts: dict[str, Any] = {"group": g, "next": s, "next_partners": next_names}
    return ctx.figure(
        g / s,
        "ratio",
        label,
        params=params,
        start=start,
        source_ids=_sources(group) + _sources(nxt),
        parts=parts,
        computation=(f"group {g / 1e9:,.1f}bn / next {n} ({', '.join(next_names)}) {s / 1e9:,.1f}bn = {g / s:.3f}"),
        series=_bar_series(df, codes, flow, year, n=len(codes) + n),
    )


@indicator("ranked_partners_sum", "USD", "trade")
def ranked_partners_sum(
    ctx: Context,
    first_rank: int,
    last_rank: int,
    year: int,
    flow: str = "exports",
    basis: str = "census",
    product: str = "goods",
) -> Figure:
    """Sum of U.S. trade with the partners ranked `first_rank` to `last_rank` (1 = largest).

    Ranks 3 to 12 are "the next 10 partners" after the two largest.
    """
    start = len(ctx.queries)
    params = {
        "first_rank": first_rank,
        "last_rank": last_rank,
        "year": year,
        "flow": flow,
        "basis": basis,
        "product": product,
    }
    if not 1 <= first_rank <= last_rank:
        raise IndicatorError(f"ranks must satisfy 1 <= first_rank <= last_rank, found {first_rank} to {last_rank}")
    df = partner_values(ctx, flow, year, None, basis, product).dropna(subset=["value"]).reset_index(drop=True)
    label = f"U.S. {flow} to the partners ranked {first_rank} to {last_rank}, {year}"
    if len(df) < last_rank:
        return ctx.missing("USD", label, params, f"only {len(df)} partners with {basis}-basis data in {year}", start)
    sel = df.iloc[first_rank - 1 : last_rank]
    v = float(sel["value"].sum())
    names = [name_of(p) for p in sel["partner"]]
    return ctx.figure(
        v,
        "USD",
        label,
        params=params,
        start=start,
        source_ids=_sources(sel),
        parts={"partners": names},
        computation=f"ranks {first_rank}-{last_rank}: {', '.join(names)} = {v / 1e9:,.1f}bn",
        series=_bar_series(df, list(sel["partner"]), flow, year, n=last_rank + 2),
    )


@indicator("next_partners_include", "share", "trade")
def next_partners_include(
    ctx: Context,
    partners: list[str],
    members: list[str],
    year: int,
    n: int = 10,
    flow: str = "exports",
    basis: str = "census",
    product: str = "goods",
) -> Figure:
    """Share of the named `members` that are among the next `n` partners after the group (1 = all)."""
    start = len(ctx.queries)
    codes, mem = as_list(partners), as_list(members)
    params = {"partners": codes, "members": mem, "year": year, "n": n, "flow": flow, "basis": basis}
    df = partner_values(ctx, flow, year, None, basis, product)
    nxt = _next_partners(df, codes, n)
    inside = [m for m in mem if m in set(nxt["partner"])]
    label = f"named partners among the next {n} U.S. {flow} partners, {year}"
    if nxt.empty:
        return ctx.missing("share", label, params, f"no partner data for {year}", start)
    return ctx.figure(
        len(inside) / len(mem),
        "share",
        label,
        params=params,
        start=start,
        source_ids=_sources(nxt),
        parts={"in": [name_of(m) for m in inside], "out": [name_of(m) for m in mem if m not in inside]},
        computation="next {}: {}; ".format(
            n, ", ".join(NAMES.get(p) or str(a) for p, a in zip(nxt["partner"], nxt["name"], strict=True))
        )
        + f"named and inside: {', '.join(name_of(m) for m in inside) or 'none'}",
    )


@indicator("trade_ratio", "ratio", "trade")
def trade_ratio(
    ctx: Context,
    numerator: list[str],
    denominator: list[str],
    year: int,
    flow: str = "exports",
    month: int | None = None,
    basis: str = "census",
    product: str = "goods",
) -> Figure:
    """Ratio of U.S. trade with one set of partners to trade with another ("2.3 times China")."""
    start = len(ctx.queries)
    a = partners_sum(ctx, numerator, year, flow, month, basis, product)
    b = partners_sum(ctx, denominator, year, flow, month, basis, product)
    params = {
        "numerator": as_list(numerator),
        "denominator": as_list(denominator),
        "year": year,
        "flow": flow,
        "month": month,
        "basis": basis,
        "product": product,
    }
    label = f"ratio of {a.label} to {b.label}"
    if not (a.ok and b.ok) or not b.value:
        return ctx.missing("ratio", label, params, a.missing or b.missing or "denominator is zero", start)
    assert a.value is not None and b.value is not None
    r = a.value / b.value
    return Figure(
        r,
        "ratio",
        label,
        params,
        f"{a.value / 1e9:,.1f}bn / {b.value / 1e9:,.1f}bn = {r:.3f}",
        ctx.queries[start:],
        a.evidence + [e for e in b.evidence if e.source_id not in {x.source_id for x in a.evidence}],
        parts={"numerator": a.value, "denominator": b.value},
        series=a.series,
    )


@indicator("trade_difference", "USD", "trade")
def trade_difference(
    ctx: Context,
    partner: str,
    other: str,
    year: int,
    flow: str = "exports",
    month: int | None = None,
    basis: str = "census",
    product: str = "goods",
) -> Figure:
    """How much more U.S. trade one partner has than another (US dollars; negative when less)."""
    start = len(ctx.queries)
    a = trade_value(ctx, partner, year, flow, month, basis, product)
    b = trade_value(ctx, other, year, flow, month, basis, product)
    params = {
        "partner": iso3(partner),
        "other": iso3(other),
        "year": year,
        "flow": flow,
        "month": month,
        "basis": basis,
        "product": product,
    }
    label = f"{a.label} minus {name_of(iso3(other))}"
    if not (a.ok and b.ok):
        return ctx.missing("USD", label, params, a.missing or b.missing or "", start)
    assert a.value is not None and b.value is not None
    d = a.value - b.value
    return Figure(
        d,
        "USD",
        label,
        params,
        f"{a.value / 1e9:,.1f}bn - {b.value / 1e9:,.1f}bn = {d / 1e9:,.1f}bn",
        ctx.queries[start:],
        a.evidence + [e for e in b.evidence if e.source_id not in {x.source_id for x in a.evidence}],
        parts={"partner": a.value, "other": b.value},
        series=a.series,
    )


@indicator("partner_share", "percent", "trade")
def partner_share(
    ctx: Context,
    partner: str,
    year: int,
    flow: str = "exports",
    basis: str = "census",
    product: str = "goods",
    month: int | None = None,
) -> Figure:
    """A partner's share (%) of U.S. trade with all countries in a year or a month (shares of one release)."""
    start = len(ctx.queries)
    code = iso3(partner)
    params = {"partner": code, "year": year, "flow": flow, "basis": basis, "product": product, "month": month}
    df = partner_values(ctx, flow, year, month, basis, product).dropna(subset=["value"])
    label = f"{name_of(code)} share of U.S. {flow}, {_period_label(year, month)}"
    if is_group(code):  # the group's own published total, over the sum of single countries
        every = partner_values(ctx, flow, year, month, basis, product, kind="any").dropna(subset=["value"])
        row = every[every["partner"] == code]
    else:
        row = df[df["partner"] == code]
    if row.empty or df.empty:
        return ctx.missing(
            "percent", label, params, f"no {basis}-basis {flow} data for {name_of(code)} in {year}", start
        )
    v, total = float(row["value"].iloc[0]), float(df["value"].sum())
    pct = v / total * 100
    return ctx.figure(
        pct,
        "percent",
        label,
        params=params,
        start=start,
        source_ids=_sources(row),
        parts={"partner": v, "all_countries": total},
        computation=f"{v / 1e9:,.1f}bn / {total / 1e9:,.1f}bn (sum over all countries) = {pct:.2f}%",
        series=_bar_series(df, [code], flow, year),
    )


@indicator("trade_growth", "percent", "trade")
def trade_growth(
    ctx: Context,
    partner: str,
    year_from: int,
    year_to: int,
    flow: str = "exports",
    basis: str = "census",
    product: str = "goods",
    as_ratio: bool = False,
    month: int | None = None,
) -> Figure:
    """Percent change of U.S. trade with a partner between two years (as_ratio: the ratio to_value / from_value).

    "Grew 4% from 2022 to 2023" is the percent change; "doubled since 2010" is the ratio (about 2).
    With `month`, the same month of the two years ("5.5% higher in January than a year before").
    """
    start = len(ctx.queries)
    a = trade_value(ctx, partner, year_from, flow, month, basis, product)
    b = trade_value(ctx, partner, year_to, flow, month, basis, product)
    params = {
        "partner": iso3(partner),
        "year_from": year_from,
        "year_to": year_to,
        "flow": flow,
        "basis": basis,
        "product": product,
        "as_ratio": as_ratio,
        "month": month,
    }
    unit = "ratio" if as_ratio else "percent"
    label = f"{'ratio' if as_ratio else 'growth'} of {a.label} to {year_to}"
    op = "ratio" if as_ratio else "pct"
    return combine(ctx, b, a, op, unit, label, params, start, parts={"from": a.value, "to": b.value})


@indicator("trade_change", "USD", "trade")
def trade_change(
    ctx: Context,
    partner: str,
    year_from: int,
    year_to: int,
    flow: str = "exports",
    basis: str = "census",
    product: str = "goods",
) -> Figure:
    """Change in U.S. trade with a partner between two years, US dollars (value in year_to - value in year_from).

    flow "deficit" is imports - exports: "the deficit widened by $20 billion" is a change of +20 billion.
    """
    start = len(ctx.queries)
    a = trade_value(ctx, partner, year_from, flow, None, basis, product)
    b = trade_value(ctx, partner, year_to, flow, None, basis, product)
    params = {
        "partner": iso3(partner),
        "year_from": year_from,
        "year_to": year_to,
        "flow": flow,
        "basis": basis,
        "product": product,
    }
    label = f"change in U.S. {flow} with {name_of(iso3(partner))} from {year_from} to {year_to}"
    return combine(ctx, b, a, "diff", "USD", label, params, start, parts={"from": a.value, "to": b.value})


@indicator("partners_share", "percent", "trade")
def partners_share(
    ctx: Context, partners: list[str], year: int, flow: str = "exports", basis: str = "census", product: str = "goods"
) -> Figure:
    """The combined share (%) of several partners in U.S. trade with all countries ("together 30% of exports")."""
    start = len(ctx.queries)
    codes = as_list(partners)
    params = {"partners": codes, "year": year, "flow": flow, "basis": basis, "product": product}
    df = partner_values(ctx, flow, year, None, basis, product).dropna(subset=["value"])
    sel = df[df["partner"].isin(codes)]
    label = f"{' + '.join(name_of(c) for c in codes)} share of U.S. {flow}, {year}"
    if len(sel) < len(codes) or df.empty:
        return ctx.missing("percent", label, params, f"no {basis}-basis {flow} data for all of them in {year}", start)
    v, total = float(sel["value"].sum()), float(df["value"].sum())
    pct = v / total * 100
    return ctx.figure(
        pct,
        "percent",
        label,
        params=params,
        start=start,
        source_ids=_sources(sel),
        parts={"partners": v, "all_countries": total},
        computation=f"{v / 1e9:,.1f}bn / {total / 1e9:,.1f}bn (sum over all countries) = {pct:.2f}%",
        series=_bar_series(df, codes, flow, year),
    )


@indicator("top_partners_share", "percent", "trade")
def top_partners_share(
    ctx: Context, n: int, year: int, flow: str = "exports", basis: str = "census", product: str = "goods"
) -> Figure:
    """The share (%) of the `n` largest partners in U.S. trade with all countries."""
    start = len(ctx.queries)
    params = {"n": n, "year": year, "flow": flow, "basis": basis, "product": product}
    df = partner_values(ctx, flow, year, None, basis, product).dropna(subset=["value"])
    label = f"share of the top {n} partners in U.S. {flow}, {year}"
    if len(df) < n:
        return ctx.missing("percent", label, params, f"only {len(df)} partners with data in {year}", start)
    top = df.head(n)
    v, total = float(top["value"].sum()), float(df["value"].sum())
    pct = v / total * 100
    return ctx.figure(
        pct,
        "percent",
        label,
        params=params,
        start=start,
        source_ids=_sources(top),
        parts={"partners": [name_of(p) for p in top["partner"]]},
        computation=f"top {n} ({', '.join(name_of(p) for p in top['partner'])}) "
        f"{v / 1e9:,.1f}bn / {total / 1e9:,.1f}bn = {pct:.2f}%",
    )


@indicator("partner_year_record", "rank", "trade")
def partner_year_record(
    ctx: Context, partner: str, year: int, flow: str = "total", basis: str = "census", product: str = "goods"
) -> Figure:
    """Rank (1 = largest) of one partner's trade in one year among every partner-year in the loaded data.

    "The strongest trade relationship in history" holds when the partner's latest year is rank 1.
    """
    start = len(ctx.queries)
    code = iso3(partner)
    params = {"partner": code, "year": year, "flow": flow, "basis": basis, "product": product}
    where, expr = _flow_sql(flow)
    df = ctx.query(
        f"""SELECT partner, year, sum({expr}) AS value, list(DISTINCT source_id) AS source_ids
            FROM {ctx.rel("trade")} WHERE {where} AND basis = ? AND product = ? AND adjustment = 'nsa'
              AND month IS NULL AND partner_kind = 'country'
            GROUP BY partner, year ORDER BY value DESC NULLS LAST""",
        [basis, product],
    )
    df = df.dropna(subset=["value"]).reset_index(drop=True)
    label = f"rank of U.S. {flow} trade with {name_of(code)} in {year} among all partner-years"
    hit = df[(df["partner"] == code) & (df["year"] == year)]
    if hit.empty:
        return ctx.missing("rank", label, params, f"no {basis}-basis {flow} data for {name_of(code)} in {year}", start)
    rank = int(hit.index[0]) + 1
    top = df.head(3)
    first, last = int(df["year"].min()), int(df["year"].max())
    return ctx.figure(
        float(rank),
        "rank",
        label + f" ({first}-{last})",
        params=params,
        start=start,
        source_ids=_sources(df.head(rank)),
        parts={"since": f"{first}-01", "years": f"{first}-{last}"},
        computation=f"{len(df)} partner-years {first}-{last}; largest: "
        + ", ".join(
            f"{name_of(p)} {y} {v / 1e9:,.1f}bn"
            for p, y, v in zip(top["partner"], top["year"], top["value"], strict=False)
        ),
    )


@indicator("trade_monthly_average", "USD per month", "trade")
def trade_monthly_average(
    ctx: Context, partner: str, year: int, flow: str = "exports", basis: str = "census", product: str = "goods"
) -> Figure:
    """Average monthly U.S. trade with a partner in a year: the year's total / 12 (US dollars a month)."""
    start = len(ctx.queries)
    t = trade_value(ctx, partner, year, flow, None, basis, product)
    params = {"partner": iso3(partner), "year": year, "flow": flow, "basis": basis, "product": product}
    label = f"average monthly {t.label}"
    if not t.ok or t.value is None:
        return ctx.missing("USD per month", label, params, t.missing or "", start)
    v = t.value / 12
    return Figure(
        v,
        "USD per month",
        label,
        params,
        f"{t.value / 1e9:,.1f}bn / 12 months = {v / 1e9:,.2f}bn a month",
        ctx.queries[start:],
        t.evidence,
        parts={"year_total": t.value},
    )


@indicator("trade_months", "USD", "trade")
def trade_months(ctx: Context, partner: str, start_month: str, end_month: str, flow: str = "exports") -> Figure:
    """U.S. goods trade with a partner summed over a span of months (YYYY-MM to YYYY-MM, Census basis).

    "From January through June 2024", "in fiscal year 2024" (October 2023 to September 2024), "over
    2020 through 2024": every month must be published; otherwise the figure is missing.
    """
    from usmca.months import month_label, months_between, parse_month

    start = len(ctx.queries)
    code = iso3(partner)
    a, b = parse_month(start_month), parse_month(end_month)
    want = months_between(a, b)
    params = {"partner": code, "start_month": start_month, "end_month": end_month, "flow": flow}
    where, expr = _flow_sql(flow)
    df = ctx.query(
        f"""SELECT year, month, sum({expr}) AS value, list(DISTINCT source_id) AS source_ids,
               bool_or(status = 'not_published') AS unpublished
            FROM {ctx.rel("trade")} WHERE {where} AND partner = ? AND basis = 'census' AND product = 'goods'
              AND adjustment = 'nsa' AND month IS NOT NULL AND year * 100 + month BETWEEN ? AND ?
            GROUP BY year, month""",
        [code, a[0] * 100 + a[1], b[0] * 100 + b[1]],
    )
    label = f"U.S. {flow} with {name_of(code)}, {month_label(a)} to {month_label(b)}"
    have = {
        (int(y), int(m))
        for y, m, v, u in zip(df["year"], df["month"], df["value"], df["unpublished"], strict=False)
        if not pd.isna(v) and not u
    }
    lacking = [m for m in want if m not in have]
    if lacking:
        return ctx.missing(
            "USD",
            label,
            params,
            f"monthly {flow} with {name_of(code)} not published or not loaded for "
            f"{month_label(lacking[0])}" + (f" and {len(lacking) - 1} more months" if len(lacking) > 1 else ""),
            start,
        )
    v = float(df["value"].sum())
    return ctx.figure(
        v,
        "USD",
        label,
        params=params,
        start=start,
        source_ids=_sources(df),
        computation=f"sum of {len(want)} monthly {flow} values = {v / 1e9:,.1f}bn",
    )


@indicator("trade_flow_ratio", "ratio", "trade")
def trade_flow_ratio(
    ctx: Context,
    partner: str,
    year: int,
    flow: str = "imports",
    other_flow: str = "exports",
    basis: str = "census",
    product: str = "goods",
) -> Figure:
    """Ratio of two flows with one partner: "imports from Vietnam were 10 times exports to Vietnam"."""
    start = len(ctx.queries)
    a = trade_value(ctx, partner, year, flow, None, basis, product)
    b = trade_value(ctx, partner, year, other_flow, None, basis, product)
    params = {
        "partner": iso3(partner),
        "year": year,
        "flow": flow,
        "other_flow": other_flow,
        "basis": basis,
        "product": product,
    }
    label = f"U.S. {flow} / {other_flow} with {name_of(iso3(partner))}, {year}"
    return combine(ctx, a, b, "ratio", "ratio", label, params, start, parts={flow: a.value, other_flow: b.value})
