"""Indicators over the additional evidence: trade by HS chapter, national totals (FT-900),
and national input-output tables (WIOD 2016 release)."""

from __future__ import annotations

from usmca.countries import name_of
from usmca.indicators.base import Context, Figure, indicator
from usmca.indicators.trade import iso3


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
