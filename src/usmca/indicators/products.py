"""Indicators over the additional evidence: trade by HS chapter, national totals (FT-900),
national input-output tables (WIOD 2016 release), and detail-level trade by HS6/HS10 code,
partner and customs district (`trade_detail`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from usmca.countries import name_of
from usmca.indicators.base import Context, Figure, indicator
from usmca.indicators.trade import iso3

if TYPE_CHECKING:
    import pandas as pd


def _pretend_query(ctx: Context, text: str) -> None:
    ctx.queries.append(text)


@indicator("exports_by_chapter", "USD", "trade")
def exports_by_chapter(ctx: Context, partner: str, chapter: str, year: int) -> Figure:
    """U.S. exports to a partner in one HS chapter (USITC DataWeb, Census data), US dollars."""
    from usmca.indicators.queries.products import chapter_code
    from usmca.indicators.queries.products import exports_by_chapter as by_chapter

    start = len(ctx.queries)
    code, ch = iso3(partner), chapter_code(chapter)
    params = {"partner": code, "chapter": ch, "year": year}
    _pretend_query(ctx, f"exports_by_chapter(reader, {code!r}, {year}) via trade rows product 'HS2:{ch}'")
    df = by_chapter(ctx.reader, code, year, vintage=ctx.vintage)
    row = df[df["chapter"] == ch] if not df.empty else df
    label = f"U.S. exports to {name_of(code)}, HS chapter {ch}, {year}"
    if row.empty or row["value_usd"].isna().all():
        return ctx.missing(
            "USD", label, params, f"no DataWeb exports for chapter {ch} to {name_of(code)} in {year}", start
        )
    v = float(row["value_usd"].iloc[0])
    title = str(row["title"].iloc[0]) if "title" in row else ""
    return ctx.figure(
        v,
        "USD",
        f"{label} ({title})",
        params=params,
        start=start,
        source_ids=row["source_id"],
        computation=f"DataWeb FAS value, chapter {ch} ({title}) = {v:,.0f} USD",
    )


@indicator("product_exports", "USD", "trade")
def product_exports(ctx: Context, partner: str, chapters: list[str], year: int, product: str = "") -> Figure:
    """U.S. exports to a partner of a product group: the sum of its HS chapters (USITC DataWeb)."""
    from usmca.indicators.queries.products import chapter_code
    from usmca.indicators.queries.products import exports_by_chapter as by_chapter

    start = len(ctx.queries)
    code = iso3(partner)
    chs = [chapter_code(c) for c in ([chapters] if isinstance(chapters, str) else chapters)]
    params = {"partner": code, "chapters": chs, "year": year, "product": product}
    _pretend_query(ctx, f"exports_by_chapter(reader, {code!r}, {year}) summed over chapters {chs}")
    df = by_chapter(ctx.reader, code, year, vintage=ctx.vintage)
    sel = df[df["chapter"].isin(chs)] if not df.empty else df
    what = product or "HS " + ", ".join(chs)
    label = f"U.S. exports of {what} to {name_of(code)}, {year}"
    if sel.empty or sel["value_usd"].isna().all():
        return ctx.missing("USD", label, params, f"no DataWeb exports of {what} to {name_of(code)} in {year}", start)
    v = float(sel["value_usd"].sum())
    return ctx.figure(
        v,
        "USD",
        label,
        params=params,
        start=start,
        source_ids=sel["source_id"],
        computation=f"DataWeb FAS value, chapters {', '.join(chs)} = {v:,.0f} USD",
    )


@indicator("top_chapter_rank", "rank", "trade")
def top_chapter_rank(ctx: Context, partner: str, chapter: str, year: int) -> Figure:
    """Rank (1 = largest) of an HS chapter among U.S. exports to a partner."""
    from usmca.indicators.queries.products import chapter_code, top_chapters

    start = len(ctx.queries)
    code, ch = iso3(partner), chapter_code(chapter)
    params = {"partner": code, "chapter": ch, "year": year}
    _pretend_query(ctx, f"top_chapters(reader, {code!r}, {year}, n=97)")
    df = top_chapters(ctx.reader, code, year, n=97, vintage=ctx.vintage)
    label = f"rank of HS chapter {ch} in U.S. exports to {name_of(code)}, {year}"
    row = df[df["chapter"] == ch] if not df.empty else df
    if row.empty:
        return ctx.missing("rank", label, params, f"no DataWeb exports to {name_of(code)} in {year}", start)
    top = df.head(5)
    return ctx.figure(
        float(row["rank"].iloc[0]),
        "rank",
        label,
        params=params,
        start=start,
        source_ids=row["source_id"],
        computation="top chapters: "
        + ", ".join(f"{c} {float(v) / 1e9:,.1f}bn" for c, v in zip(top["chapter"], top["value_usd"], strict=False)),
        series={
            "kind": "bar",
            "title": f"U.S. exports to {name_of(code)} by HS chapter, {year}",
            "labels": [f"HS {c}" for c in top["chapter"]],
            "values": [float(v) for v in top["value_usd"]],
            "highlight": [f"HS {ch}"],
            "unit": "USD",
        },
    )


@indicator("partner_share_of_chapter", "percent", "trade")
def partner_share_of_chapter(ctx: Context, partner: str, chapter: str, year: int) -> Figure:
    """A partner's share (%) of all U.S. exports in one HS chapter."""
    from usmca.indicators.queries.products import chapter_code
    from usmca.indicators.queries.products import partner_share_of_chapter as share

    start = len(ctx.queries)
    code, ch = iso3(partner), chapter_code(chapter)
    params = {"partner": code, "chapter": ch, "year": year}
    _pretend_query(ctx, f"partner_share_of_chapter(reader, {code!r}, {ch!r}, {year})")
    df = share(ctx.reader, code, ch, year, vintage=ctx.vintage)
    label = f"{name_of(code)} share of U.S. exports in HS chapter {ch}, {year}"
    if df.empty or df["share"].isna().all():
        return ctx.missing("percent", label, params, f"no DataWeb exports in chapter {ch} for {year}", start)
    r = df.iloc[0]
    return ctx.figure(
        float(r["share"]) * 100,
        "percent",
        label,
        params=params,
        start=start,
        source_ids=df["source_id"],
        computation=f"{r['value_usd']:,.0f} / {r['world_value_usd']:,.0f} USD = {r['share']:.2%}",
    )


@indicator("national_trade", "USD", "trade")
def national_trade(
    ctx: Context,
    year: int,
    flow: str = "exports",
    month: int | None = None,
    basis: str = "census",
    product: str = "goods",
) -> Figure:
    """U.S. total exports or imports (all partners) in a year or month: FT-900 national totals.

    Prefers not seasonally adjusted figures; for goods and services (exhibit 1) only seasonally
    adjusted ones are published.
    """
    start = len(ctx.queries)
    params = {"year": year, "flow": flow, "month": month, "basis": basis, "product": product}
    month_sql = "month = ?" if month else "month IS NULL"
    args: list[object] = [flow, year, basis, product] + ([month] if month else [])
    df = ctx.query(
        f"SELECT adjustment, value_usd, source_id, status FROM {ctx.rel('trade')} "
        f"WHERE partner = 'WLD' AND partner_kind = 'world' AND flow = ? AND year = ? AND basis = ? "
        f"AND product = ? AND {month_sql} AND value_usd IS NOT NULL "
        "ORDER BY CASE adjustment WHEN 'nsa' THEN 0 ELSE 1 END",
        args,
    )
    period = f"{year}-{month:02d}" if month else str(year)
    label = f"U.S. {flow} of {product.replace('_', ' and ')}, {basis} basis, {period}"
    if df.empty:
        return ctx.missing("USD", label, params, f"no national {basis}-basis {product} {flow} for {period}", start)
    r = df.iloc[0]
    adj = "seasonally adjusted" if r["adjustment"] == "sa" else "not seasonally adjusted"
    return ctx.figure(
        float(r["value_usd"]),
        "USD",
        f"{label} ({adj})",
        params=params,
        start=start,
        source_ids=[r["source_id"]],
        computation=f"national total ({adj}, {r['status']}) = {float(r['value_usd']):,.0f} USD",
    )


@indicator("import_content_of_exports", "percent", "value added")
def import_content_of_exports(ctx: Context, country: str, year: int) -> Figure:
    """Import content (%) of a country's exports: imported inputs embodied in them (WIOD national tables)."""
    from usmca.indicators.queries.national_io import import_content_of_exports as ice

    start = len(ctx.queries)
    code = iso3(country)
    params = {"country": code, "year": year}
    _pretend_query(ctx, f"import_content_of_exports(reader, {code!r}, {year}) over national_io")
    label = f"import content of {name_of(code)} exports, WIOD national tables, {year}"
    try:
        df = ice(ctx.reader, code, year, vintage=ctx.vintage)
    except (LookupError, ValueError) as e:
        return ctx.missing("percent", label, params, str(e), start)
    if df.empty:
        return ctx.missing("percent", label, params, f"no WIOD national table for {name_of(code)} in {year}", start)
    r = df.iloc[0]
    return ctx.figure(
        float(r["share"]) * 100,
        "percent",
        label,
        params=params,
        start=start,
        source_ids=[r["source_id"]],
        computation=(
            f"u' A_M (I - A_D)^-1 e / u'e = {r['import_content']:,.0f} / {r['exports']:,.0f} "
            f"US$ million = {r['share']:.2%} (first round only: {r['direct_share']:.2%})"
        ),
    )


def _all_chapters(ctx: Context, code: str, year: int) -> tuple[float | None, list[str]]:
    from usmca.indicators.queries.products import exports_by_chapter as by_chapter

    df = by_chapter(ctx.reader, code, year, vintage=ctx.vintage)
    if df.empty or df["value_usd"].isna().all():
        return None, []
    return float(df["value_usd"].sum()), list(df["source_id"])


@indicator("product_share", "percent", "trade")
def product_share(ctx: Context, partner: str, chapters: list[str], year: int, product: str = "") -> Figure:
    """A product group's share (%) of U.S. exports to a partner: its HS chapters / all chapters (USITC DataWeb).

    "Electrical machinery made up about a sixth of U.S. goods exports to Mexico": both sides from one file.
    """
    start = len(ctx.queries)
    part = product_exports(ctx, partner, chapters, year, product)
    code = iso3(partner)
    params = {"partner": code, "chapters": part.params.get("chapters", chapters), "year": year, "product": product}
    label = f"share of {part.label} in all U.S. exports to {name_of(code)}"
    total, ids = _all_chapters(ctx, code, year)
    if not part.ok or part.value is None or not total:
        return ctx.missing(
            "percent", label, params, part.missing or f"no DataWeb exports to {name_of(code)} in {year}", start
        )
    pct = part.value / total * 100
    return ctx.figure(
        pct,
        "percent",
        label,
        params=params,
        start=start,
        source_ids=ids,
        computation=f"{part.value / 1e9:,.1f}bn / {total / 1e9:,.1f}bn (all chapters) = {pct:.2f}%",
    )


@indicator("product_growth", "percent", "trade")
def product_growth(
    ctx: Context,
    partner: str,
    chapters: list[str],
    year_from: int,
    year_to: int,
    product: str = "",
    as_ratio: bool = False,
) -> Figure:
    """Percent change (or ratio) of U.S. exports of a product group to a partner between two years (DataWeb)."""
    from usmca.indicators.base import combine

    start = len(ctx.queries)
    a = product_exports(ctx, partner, chapters, year_from, product)
    b = product_exports(ctx, partner, chapters, year_to, product)
    params = {
        "partner": iso3(partner),
        "chapters": a.params.get("chapters", chapters),
        "year_from": year_from,
        "year_to": year_to,
        "product": product,
        "as_ratio": as_ratio,
    }
    label = f"change in {a.label} to {year_to}"
    return combine(
        ctx,
        b,
        a,
        "ratio" if as_ratio else "pct",
        "ratio" if as_ratio else "percent",
        label,
        params,
        start,
        parts={"from": a.value, "to": b.value},
    )


# -- detail-level trade: HS6/HS10 x partner x customs district x month (`trade_detail`) -------------
NO_DETAIL = (
    "no detail-level trade data loaded (HS6/HS10 by partner and customs district: the store's "
    "`trade_detail` partitions, filled by Census International Trade API responses, see docs/detail-trade.md); "
    "the bundled snapshot holds none"
)


def _detail_setup(
    ctx: Context,
    flow: str,
    code: str | None,
    level: str | None,
    partner: str | None,
    district: str | None,
    year: int | None,
    month: int | None,
    start_month: str | None,
    end_month: str | None,
) -> tuple[dict[str, Any], Any, str | None, str | None]:
    from usmca.indicators.params import ParameterError
    from usmca.indicators.queries import detail as q

    if flow not in ("exports", "imports"):
        raise ParameterError(f"flow: expected exports or imports, found {flow!r}")
    first, last = q.months(year, month, start_month, end_month)
    lvl, c = q.level_and_code(code, level)
    who = iso3(partner) if partner is not None else None
    d = q.district_code(district)
    sel = q.select(flow, lvl, c, first, last, partner=who, district=d)
    params = {
        "flow": flow,
        "code": c,
        "level": lvl,
        "partner": who,
        "district": d,
        "first_month": f"{first[0]}-{first[1]:02d}",
        "last_month": f"{last[0]}-{last[1]:02d}",
    }
    return params, sel, who, d


def _detail_label(flow: str, sel: Any, who: str | None, d: str | None) -> str:
    what = f"{sel.level} {sel.code}"
    if sel.code is not None and len(sel.code) < {"HS2": 2, "HS4": 4, "HS6": 6, "HS10": 10}[sel.level]:
        what = f"HS {sel.code} (sum of its {sel.level} codes)"
    elif sel.code is None:
        what = f"all {sel.level} codes"
    to = "to" if flow == "exports" else "from"
    where = name_of(who) if who is not None else "all partners"
    at = f", customs district {d}" if d is not None else ""
    return f"U.S. {flow} of {what} {to} {where}{at}, {sel.period}"


def _no_detail(ctx: Context) -> str | None:
    if ctx.vintage is not None:
        return "detail-level trade keeps the current revision only: it cannot be read as of a vintage date"
    n = ctx.reader.one("SELECT count(*) FROM detail_files WHERE table_name = 'trade_detail'")
    return NO_DETAIL if not n else None


def _detail_rows(
    ctx: Context,
    unit: str,
    label: str,
    params: dict[str, Any],
    start: int,
    flow: str,
    sel: Any,
    who: str | None,
    district: str | None,
    by: str,
) -> pd.DataFrame | Figure:
    """The summed detail rows of a selection (by month or by district), or the missing figure that says
    why there are none to sum (no detail data at all, none for the period)."""
    from usmca.indicators.queries import detail as q

    why = _no_detail(ctx)
    if why is not None:
        return ctx.missing(unit, label, params, why, start)
    held = q.stored(ctx.reader, flow, sel.first, sel.last)
    if not held.files:
        return ctx.missing(unit, label, params, f"no detail-level {flow} loaded for {sel.period}", start)
    sql, args = q.total_sql(
        ctx.rel("trade_detail"),
        sel,
        partner=who,
        district=district,
        national=held.national,
        world=held.world,
        by=by,
        one_source=held.sources[0] if len(held.sources) == 1 else None,
    )
    return ctx.query(sql, args)


@indicator("detail_trade", "USD", "trade")
def detail_trade(
    ctx: Context,
    flow: str = "exports",
    code: str | None = None,
    partner: str | None = None,
    district: str | None = None,
    year: int | None = None,
    month: int | None = None,
    start_month: str | None = None,
    end_month: str | None = None,
    level: str | None = None,
) -> Figure:
    """U.S. exports or imports of an HS6/HS10 code (or the sum of the codes under a prefix) with a
    partner (default: all) through a customs district (default: all) over a year, a month or a
    range of months (Census detail-level trade, `trade_detail`), US dollars."""

    start = len(ctx.queries)
    params, sel, who, d = _detail_setup(ctx, flow, code, level, partner, district, year, month, start_month, end_month)
    label = _detail_label(flow, sel, who, d)
    got = _detail_rows(ctx, "USD", label, params, start, flow, sel, who, d, "month")
    if isinstance(got, Figure):
        return got
    df = got
    if df.empty:
        return ctx.missing("USD", label, params, f"no detail-level trade rows for {label}", start)
    total = float(df["value_usd"].sum())
    ids = sorted({s for lst in df["source_ids"] for s in lst})
    by_month = {
        f"{int(y)}-{int(m):02d}": float(v) for y, m, v in zip(df["year"], df["month"], df["value_usd"], strict=True)
    }
    return ctx.figure(
        total,
        "USD",
        label,
        params=params,
        start=start,
        source_ids=ids,
        computation=f"sum of {len(df)} month(s) of trade_detail rows = {total:,.0f} USD",
        parts={"by_month": by_month},
        series={
            "kind": "line",
            "title": label,
            "labels": list(by_month),
            "values": list(by_month.values()),
            "unit": "USD",
        },
    )


@indicator("detail_district_share", "percent", "trade")
def detail_district_share(
    ctx: Context,
    district: str,
    flow: str = "exports",
    code: str | None = None,
    partner: str | None = None,
    year: int | None = None,
    month: int | None = None,
    start_month: str | None = None,
    end_month: str | None = None,
    level: str | None = None,
) -> Figure:
    """A customs district's share (%) of U.S. exports or imports of an HS6/HS10 code (or prefix) with a
    partner (default: all), over the rows by district (Census detail-level trade, `trade_detail`)."""
    from usmca.indicators.queries import detail as q

    start = len(ctx.queries)
    params, sel, who, d = _detail_setup(ctx, flow, code, level, partner, district, year, month, start_month, end_month)
    params["district"] = d
    # all districts: the same selection without the district filter
    sel_all = q.select(flow, sel.level, sel.code, sel.first, sel.last, partner=who)
    label = f"customs district {d} share of " + _detail_label(flow, sel_all, who, None)
    got = _detail_rows(ctx, "percent", label, params, start, flow, sel_all, who, None, "district")
    if isinstance(got, Figure):
        return got
    df = got
    if df.empty or not float(df["value_usd"].sum()):
        return ctx.missing("percent", label, params, f"no detail-level trade rows by district for {label}", start)
    total = float(df["value_usd"].sum())
    mine = df[df["district"] == d]
    if mine.empty:
        return ctx.missing("percent", label, params, f"no rows for customs district {d} in {label}", start)
    v = float(mine["value_usd"].iloc[0])
    name = mine["district_name"].iloc[0]
    ranked = df.sort_values("value_usd", ascending=False)
    top = ranked.head(10)
    ids = sorted({s for lst in df["source_ids"] for s in lst})
    return ctx.figure(
        v / total * 100,
        "percent",
        label + (f" ({name})" if isinstance(name, str) and name else ""),
        params=params,
        start=start,
        source_ids=ids,
        computation=f"{v:,.0f} / {total:,.0f} USD (all {len(df)} districts) = {v / total:.2%}",
        parts={
            "district_value": v,
            "all_districts": total,
            "rank": int((ranked["district"].tolist()).index(d)) + 1,
            "districts": {str(k): float(x) for k, x in zip(top["district"], top["value_usd"], strict=True)},
        },
        series={
            "kind": "bar",
            "title": f"by customs district: {_detail_label(flow, sel_all, who, None)}",
            "labels": [str(x) for x in top["district"]],
            "values": [float(x) for x in top["value_usd"]],
            "highlight": [d],
            "unit": "USD",
        },
    )
