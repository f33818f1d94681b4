"""Border encounters (CBP, DHS OHSS) and drug seizures (CBP), by month and period.

Encounters are events, not unique persons. Fiscal year N runs October N-1 to September N.
Scopes: nationwide, southwest, northern. Components: all (USBP + OFO), usbp, ofo.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from usmca.indicators.base import Context, Figure, IndicatorError, indicator
from usmca.months import (
    PeriodError,
    days_in_month,
    fiscal_year_months,
    month_key,
    month_label,
    months_between,
    parse_month,
)

SCOPES = ("nationwide", "southwest", "northern")
COMPONENTS = ("all", "usbp", "ofo")


def month_arg(text: str | int) -> tuple[int, int]:
    """A metric's month parameter ("2025-06") as (year, month); a bad month is an IndicatorError."""
    try:
        return parse_month(text)
    except PeriodError as e:
        raise IndicatorError(str(e)) from e


def month_name(y: int, m: int) -> str:
    return month_label((y, m))


def monthly_series(ctx: Context, scope: str = "nationwide", component: str = "all") -> pd.DataFrame:
    """Monthly encounters: year, month, value, source_ids, dataset; one row per month.

    all components: CBP nationwide state files (cbp.nationwide, from October 2019).
    usbp/ofo southwest: CBP southwest file by component (cbp.southwest, from October 2021),
    earlier months (usbp only) from DHS OHSS (dhs.usbp, from October 1999, rounded to 10).
    usbp nationwide/northern: DHS OHSS (dhs.usbp) only.
    """
    if scope not in SCOPES:
        raise IndicatorError(f"unknown scope {scope!r}: use one of {SCOPES}")
    if component not in COMPONENTS:
        raise IndicatorError(f"unknown component {component!r}: use one of {COMPONENTS}")
    region = "" if scope == "nationwide" else f"AND region = '{scope}'"
    rel = ctx.rel("encounters")
    if component == "all":
        sql = (
            f"SELECT year, month, sum(count) AS value, list(DISTINCT source_id) AS source_ids, "
            f"'cbp.nationwide' AS dataset FROM {rel} WHERE dataset = 'cbp.nationwide' {region} "
            "GROUP BY year, month"
        )
    else:
        comp = component.upper()
        parts = []
        if scope == "southwest":
            parts.append(
                f"SELECT year, month, sum(count) AS value, list(DISTINCT source_id) AS source_ids, "
                f"'cbp.southwest' AS dataset, 1 AS pref FROM {rel} WHERE dataset = 'cbp.southwest' "
                f"AND component = '{comp}' GROUP BY year, month"
            )
        if comp == "USBP":
            parts.append(
                f"SELECT year, month, sum(count) AS value, list(DISTINCT source_id) AS source_ids, "
                f"'dhs.usbp' AS dataset, 2 AS pref FROM {rel} WHERE dataset = 'dhs.usbp' {region} "
                "GROUP BY year, month"
            )
        if not parts:
            return pd.DataFrame(columns=["year", "month", "value", "source_ids", "dataset"])
        sql = (
            "SELECT year, month, value, source_ids, dataset FROM ("
            + " UNION ALL ".join(parts)
            + ") QUALIFY row_number() OVER (PARTITION BY year, month ORDER BY pref) = 1"
        )
    return ctx.query(sql + " ORDER BY year, month")


def _keep(df: pd.DataFrame, mask: list[bool]) -> pd.DataFrame:
    """Rows where mask is true; keeps the columns of an empty frame."""
    if df.empty:
        return df
    return df[pd.Series(mask, index=df.index, dtype=bool)]


def _ids(df: pd.DataFrame) -> list[str]:
    return [s for ids in df["source_ids"] for s in ids]


def _series_chart(df: pd.DataFrame, title: str, marks: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "line",
        "title": title,
        "labels": [f"{y}-{m:02d}" for y, m in zip(df["year"], df["month"], strict=False)],
        "values": [float(v) for v in df["value"]],
        "marks": marks,
        "unit": "encounters",
    }


def _label(scope: str, component: str) -> str:
    comp = {"all": "CBP encounters", "usbp": "Border Patrol encounters", "ofo": "OFO encounters"}[component]
    return f"{scope} {comp}"


def months_arg(a: tuple[int, int], b: tuple[int, int]) -> list[tuple[int, int]]:
    """The months from `a` to `b` inclusive (bounded; a reversed or too long span is an IndicatorError)."""
    try:
        return months_between(a, b)
    except PeriodError as e:
        raise IndicatorError(str(e)) from e


@indicator("encounters", "encounters", "border")
def encounters(
    ctx: Context,
    year: int,
    month: int | None = None,
    scope: str = "nationwide",
    component: str = "all",
    fiscal: bool = False,
) -> Figure:
    """Encounters in a month, a calendar year, or (fiscal=True) a fiscal year."""
    start = len(ctx.queries)
    params = {"year": year, "month": month, "scope": scope, "component": component, "fiscal": fiscal}
    df = monthly_series(ctx, scope, component)
    if month is not None:
        want = [(year, month)]
        period = month_name(year, month)
    elif fiscal:
        want = months_arg((year - 1, 10), (year, 9))
        period = f"FY{year}"
    else:
        want = months_arg((year, 1), (year, 12))
        period = str(year)
    label = f"{_label(scope, component)}, {period}"
    have = {(int(y), int(m)) for y, m in zip(df["year"], df["month"], strict=False)}
    lacking = [w for w in want if w not in have]
    if lacking:
        return ctx.missing(
            "encounters",
            label,
            params,
            f"no {_label(scope, component)} data for {', '.join(month_name(*w) for w in lacking[:3])}"
            + (" and more" if len(lacking) > 3 else ""),
            start,
        )
    sel = _keep(df, [(int(y), int(m)) in set(want) for y, m in zip(df["year"], df["month"], strict=False)])
    v = float(sel["value"].sum())
    return ctx.figure(
        v,
        "encounters",
        label,
        params=params,
        start=start,
        source_ids=_ids(sel),
        computation=f"sum of encounter counts over {len(want)} month(s) = {v:,.0f}",
        series=_series_chart(
            df[df["year"] >= year - 5],
            f"Monthly {_label(scope, component)}",
            {"claimed_month": f"{year}-{month:02d}" if month else None},
        ),
    )


def _period_months(period: str) -> tuple[list[tuple[int, int]], str]:
    """'2025-06' (a month), 'FY2024' (a fiscal year) or '2024' (a calendar year) -> (months, label)."""
    p = str(period).strip()
    if p.upper().startswith("FY"):
        try:
            fy = int(p[2:])
        except ValueError:
            raise IndicatorError(f"expected a fiscal year as FY2024, found {period!r}") from None
        return fiscal_year_months(fy), f"FY{fy}"
    if "-" in p:
        m = month_arg(p)
        return [m], month_name(*m)
    if p.isdigit():
        y = int(p)
        return months_arg((y, 1), (y, 12)), str(y)
    raise IndicatorError(f"expected a period as YYYY-MM, FYYYYY or YYYY, found {period!r}")


def _sum_months(ctx: Context, df: pd.DataFrame, want: list[tuple[int, int]], what: str) -> tuple[float, pd.DataFrame]:
    have = {(int(y), int(m)) for y, m in zip(df["year"], df["month"], strict=False)}
    lacking = [w for w in want if w not in have]
    if lacking:
        raise _Lacking(
            f"no {what} data for {', '.join(month_name(*w) for w in lacking[:3])}"
            + (" and more" if len(lacking) > 3 else "")
        )
    sel = _keep(df, [(int(y), int(m)) in set(want) for y, m in zip(df["year"], df["month"], strict=False)])
    return float(sel["value"].sum()), sel


class _Lacking(Exception):
    pass


@indicator("encounters_change", "percent", "border")
def encounters_change(
    ctx: Context, period: str, base: str, scope: str = "nationwide", component: str = "all", as_ratio: bool = False
) -> Figure:
    """Percent change in encounters from `base` to `period` (each YYYY-MM, FYYYYY or YYYY).

    Month over month, year over year (the same month a year earlier), fiscal year over fiscal year:
    (period total / base total - 1) x 100. Negative means fewer. as_ratio=True gives period / base
    ("tripled", "three times the FY2020 level").
    """
    start = len(ctx.queries)
    params = {"period": period, "base": base, "scope": scope, "component": component, "as_ratio": as_ratio}
    a_months, a_label = _period_months(base)
    b_months, b_label = _period_months(period)
    df = monthly_series(ctx, scope, component)
    label = f"change in {_label(scope, component)} from {a_label} to {b_label}"
    try:
        a, sel_a = _sum_months(ctx, df, a_months, _label(scope, component))
        b, sel_b = _sum_months(ctx, df, b_months, _label(scope, component))
    except _Lacking as e:
        return ctx.missing("percent", label, params, str(e), start)
    if not a:
        return ctx.missing("percent", label, params, f"no encounters in {a_label} to compare with", start)
    pct = (b / a - 1) * 100
    if as_ratio:
        return ctx.figure(
            b / a,
            "ratio",
            label,
            params=params,
            start=start,
            source_ids=_ids(sel_a) + _ids(sel_b),
            parts={"base": a, "period": b},
            computation=f"{b_label} {b:,.0f} / {a_label} {a:,.0f} = {b / a:.2f}",
        )
    return ctx.figure(
        pct,
        "percent",
        label,
        params=params,
        start=start,
        source_ids=_ids(sel_a) + _ids(sel_b),
        parts={"base": a, "period": b},
        computation=f"{b_label} {b:,.0f} / {a_label} {a:,.0f} - 1 = {pct:+.1f}%",
        series=_series_chart(
            df[df["year"] >= b_months[0][0] - 3],
            f"Monthly {_label(scope, component)}",
            {"claimed_month": month_key(b_months[-1])},
        ),
    )


@indicator("encounters_share", "percent", "border")
def encounters_share(ctx: Context, period: str, component: str, scope: str = "southwest") -> Figure:
    """A component's share (%) of encounters in a period: Border Patrol or OFO over both (CBP southwest file)."""
    start = len(ctx.queries)
    params = {"period": period, "component": component, "scope": scope}
    months, label_p = _period_months(period)
    label = f"{_label(scope, component)} as a share of all {scope} CBP encounters, {label_p}"
    try:
        part, sel = _sum_months(ctx, monthly_series(ctx, scope, component), months, _label(scope, component))
        other = "ofo" if component == "usbp" else "usbp"
        rest, sel2 = _sum_months(ctx, monthly_series(ctx, scope, other), months, _label(scope, other))
    except _Lacking as e:
        return ctx.missing("percent", label, params, str(e), start)
    if not part + rest:
        return ctx.missing("percent", label, params, f"no encounters in {label_p}", start)
    pct = part / (part + rest) * 100
    return ctx.figure(
        pct,
        "percent",
        label,
        params=params,
        start=start,
        source_ids=_ids(sel) + _ids(sel2),
        parts={"component": part, "all": part + rest},
        computation=f"{part:,.0f} / ({part:,.0f} + {rest:,.0f}) = {pct:.1f}%",
    )


@indicator("encounters_daily_average", "encounters per day", "border")
def encounters_daily_average(
    ctx: Context, year: int, month: int, scope: str = "nationwide", component: str = "all"
) -> Figure:
    """Average encounters per day in a month: the month's total / the days in the month."""
    start = len(ctx.queries)
    one = encounters(ctx, year, month, scope, component)
    params = {"year": year, "month": month, "scope": scope, "component": component}
    days = days_in_month((year, month))
    label = f"{_label(scope, component)} per day, {month_name(year, month)}"
    if not one.ok or one.value is None:
        return ctx.missing("encounters per day", label, params, one.missing or "", start)
    v = one.value / days
    return Figure(
        v,
        "encounters per day",
        label,
        params,
        f"{one.value:,.0f} encounters / {days} days = {v:,.0f} a day",
        ctx.queries[start:],
        one.evidence,
        parts={"month_total": one.value, "days": days},
        series=one.series,
    )


@indicator("encounters_monthly_average", "encounters per month", "border")
def encounters_monthly_average(
    ctx: Context, start_month: str, end_month: str, scope: str = "nationwide", component: str = "all"
) -> Figure:
    """Average monthly encounters over a range of months (YYYY-MM to YYYY-MM, inclusive)."""
    start = len(ctx.queries)
    a, b = month_arg(start_month), month_arg(end_month)
    params = {"start_month": start_month, "end_month": end_month, "scope": scope, "component": component}
    df = monthly_series(ctx, scope, component)
    want = months_arg(a, b)
    label = f"average monthly {_label(scope, component)}, {month_name(*a)} to {month_name(*b)}"
    sel = _keep(df, [(int(y), int(m)) in set(want) for y, m in zip(df["year"], df["month"], strict=False)])
    if len(sel) < len(want):
        have = {(int(y), int(m)) for y, m in zip(sel["year"], sel["month"], strict=False)}
        lacking = [w for w in want if w not in have]
        return ctx.missing(
            "encounters per month",
            label,
            params,
            f"no {_label(scope, component)} data for {len(lacking)} of {len(want)} months "
            f"(first: {month_name(*lacking[0])})",
            start,
        )
    v = float(sel["value"].mean())
    return ctx.figure(
        v,
        "encounters per month",
        label,
        params=params,
        start=start,
        source_ids=_ids(sel),
        computation=f"{sel['value'].sum():,.0f} encounters / {len(want)} months = {v:,.0f}",
    )


@indicator("encounters_change_vs_average", "percent", "border")
def encounters_change_vs_average(
    ctx: Context, month: str, start_month: str, end_month: str, scope: str = "nationwide", component: str = "all"
) -> Figure:
    """Percent difference of one month's encounters from the monthly average of a period.

    Negative means lower: -88.8 is "88.8% lower than the average".
    """
    start = len(ctx.queries)
    y, m = month_arg(month)
    one = encounters(ctx, y, m, scope, component)
    avg = encounters_monthly_average(ctx, start_month, end_month, scope, component)
    params = {
        "month": month,
        "start_month": start_month,
        "end_month": end_month,
        "scope": scope,
        "component": component,
    }
    label = f"{one.label} compared with the {avg.label}"
    if not (one.ok and avg.ok):
        return ctx.missing("percent", label, params, one.missing or avg.missing or "", start)
    assert one.value is not None and avg.value
    pct = (one.value / avg.value - 1) * 100
    series = one.series
    if series:
        series["marks"] = {
            "claimed_month": month,
            "average": avg.value,
            "average_label": f"average {start_month} to {end_month}",
        }
    return Figure(
        pct,
        "percent",
        label,
        params,
        f"({one.value:,.0f} / {avg.value:,.0f} - 1) x 100 = {pct:.1f}%",
        ctx.queries[start:],
        one.evidence + [e for e in avg.evidence if e.source_id not in {x.source_id for x in one.evidence}],
        parts={"month_value": one.value, "average": avg.value},
        series=series,
    )


@indicator("encounters_low_rank", "rank", "border")
def encounters_low_rank(
    ctx: Context,
    month: str,
    scope: str = "nationwide",
    component: str = "all",
    since: str | None = None,
    highest: bool = False,
) -> Figure:
    """Rank of a month from the lowest (1 = lowest) among all months on record up to that month.

    "On record" means since the first month in the loaded data (or `since`, YYYY-MM). With
    highest=True the rank is counted from the highest ("the most since ...").
    """
    start = len(ctx.queries)
    y, m = month_arg(month)
    params = {"month": month, "scope": scope, "component": component, "since": since}
    df = monthly_series(ctx, scope, component)
    upto = _keep(df, [(int(a), int(b)) <= (y, m) for a, b in zip(df["year"], df["month"], strict=False)])
    if since:
        upto = _keep(
            upto, [(int(a), int(b)) >= month_arg(since) for a, b in zip(upto["year"], upto["month"], strict=False)]
        )
    label = f"rank from lowest of {month_name(y, m)} among monthly {_label(scope, component)}"
    target = upto[(upto["year"] == y) & (upto["month"] == m)] if not upto.empty else upto
    if target.empty:
        return ctx.missing("rank", label, params, f"no {_label(scope, component)} data for {month_name(y, m)}", start)
    v = float(target["value"].iloc[0])
    rank = int((upto["value"] > v).sum()) + 1 if highest else int((upto["value"] < v).sum()) + 1
    first = upto.iloc[0]
    lowest = upto.nsmallest(3, "value")
    return ctx.figure(
        float(rank),
        "rank",
        label + f" since {month_name(int(first['year']), int(first['month']))}",
        params=params,
        start=start,
        source_ids=_ids(upto),
        parts={"months_compared": len(upto), "since": f"{int(first['year'])}-{int(first['month']):02d}", "value": v},
        computation=(
            f"{month_name(y, m)}: {v:,.0f}; {len(upto)} months compared since "
            f"{month_name(int(first['year']), int(first['month']))}; lowest: "
            + ", ".join(
                f"{month_name(int(a), int(b))} {c:,.0f}"
                for a, b, c in zip(lowest["year"], lowest["month"], lowest["value"], strict=False)
            )
        ),
        series=_series_chart(upto, f"Monthly {_label(scope, component)}", {"claimed_month": month}),
    )


@indicator("encounters_lowest_in_years", "rank", "border")
def encounters_lowest_in_years(
    ctx: Context, month: str, years: int, scope: str = "southwest", component: str = "usbp"
) -> Figure:
    """Whether a month is the lowest in the past `years` years (rank from lowest over that window).

    Needs monthly data going back `years` years; otherwise the figure is missing and says how far
    back the loaded data go.
    """
    start = len(ctx.queries)
    y, m = month_arg(month)
    params = {"month": month, "years": years, "scope": scope, "component": component}
    df = monthly_series(ctx, scope, component)
    need = (y - years, m)
    label = f"rank from lowest of {month_name(y, m)} among monthly {_label(scope, component)} in the past {years} years"
    if df.empty:
        return ctx.missing("rank", label, params, f"no {_label(scope, component)} data loaded", start)
    first = (int(df.iloc[0]["year"]), int(df.iloc[0]["month"]))
    rank = encounters_low_rank(ctx, month, scope, component)
    if first > need:
        return ctx.missing(
            "rank",
            label,
            params,
            f"{_label(scope, component)} before {month_name(*first)} are not loaded (DHS OHSS monthly series "
            f"starts in FY2000); a {years}-year comparison needs data from {month_name(*need)}",
            start,
            source_ids=[e.source_id for e in rank.evidence],
            notes=[
                f"since {month_name(*first)} ({(y - first[0])} years), {month_name(y, m)} ranks "
                f"{int(rank.value or 0)} from the lowest"
            ]
            if rank.ok
            else [],
            parts={"rank_since_first": rank.value, "first_month": f"{first[0]}-{first[1]:02d}"},
            series=rank.series,
        )
    return rank


@indicator("seizures", "lb", "border")
def seizures(
    ctx: Context,
    drug: str,
    year: int,
    month: int | None = None,
    fiscal: bool = False,
    component: str | None = None,
    include_amo: bool = False,
    region: str | None = None,
    to_date: bool = False,
    through: str | None = None,
) -> Figure:
    """CBP drug seizures in pounds for a drug in a month, calendar or fiscal year.

    By default the figure CBP headlines as "nationwide drug seizures": Office of Field Operations
    plus Border Patrol (dataset cbp.drugs). `include_amo=True` adds Air and Marine Operations,
    which CBP publishes separately. `region`: southwest, northern or coastal_interior.
    `to_date=True` (with fiscal=True): the fiscal year so far, through the latest month loaded, or
    through `through` (YYYY-MM), which the loaded data must reach.
    """
    start = len(ctx.queries)
    params = {
        "drug": drug,
        "year": year,
        "month": month,
        "fiscal": fiscal,
        "component": component,
        "include_amo": include_amo,
        "region": region,
        "to_date": to_date,
        "through": through,
    }
    if month:
        cond, args = "year = ? AND month = ?", [year, month]
        period = month_name(year, month)
    elif fiscal:
        cond, args = "fiscal_year = ?", [year]
        period = f"FY{year}"
    else:
        cond, args = "year = ?", [year]
        period = str(year)
    comp = "" if include_amo else "AND dataset = 'cbp.drugs'"
    sql_args: list[object] = [drug, *args]
    if component:
        comp = "AND component = ?"
        sql_args.append(component.upper())
    if region:
        comp += " AND region = ?"
        sql_args.append(region)
    df = ctx.query(
        f"SELECT sum(quantity_lb) AS lb, count(DISTINCT month) AS months, list(DISTINCT source_id) AS ids, "
        f"max(year * 100 + month) AS last FROM {ctx.rel('seizures')} WHERE lower(drug) = lower(?) AND {cond} {comp}",
        sql_args,
    )
    who = (component.upper() if component else ("OFO, USBP and AMO" if include_amo else "OFO and USBP")) + (
        f", {region.replace('_', ' ')}" if region else ""
    )
    lb = df["lb"].iloc[0] if not df.empty else None
    need = 1 if month else 12
    if to_date and fiscal and lb is not None and not pd.isna(lb):
        last = int(df["last"].iloc[0])
        if through:
            ty, tm = month_arg(through)
            if (ty, tm) > (last // 100, last % 100):
                return ctx.missing(
                    "lb",
                    f"CBP {drug.lower()} seizures, FY{year} through {month_name(ty, tm)}",
                    params,
                    f"the loaded CBP seizure data end in {month_name(last // 100, last % 100)}, "
                    f"before {month_name(ty, tm)}",
                    start,
                )
            df = ctx.query(
                f"SELECT sum(quantity_lb) AS lb, count(DISTINCT month) AS months, list(DISTINCT source_id) AS ids, "
                f"max(year * 100 + month) AS last FROM {ctx.rel('seizures')} WHERE lower(drug) = lower(?) AND {cond} "
                f"{comp} AND year * 100 + month <= ?",
                [*sql_args, ty * 100 + tm],
            )
            lb = df["lb"].iloc[0]
            last = int(df["last"].iloc[0])
        need = int(df["months"].iloc[0])
        period = f"FY{year} through {month_name(last // 100, last % 100)}"
    label = f"CBP {drug.lower()} seizures ({who}), {period}"
    if lb is None or pd.isna(lb) or int(df["months"].iloc[0]) < need:
        return ctx.missing(
            "lb", label, params, f"CBP seizure data for {drug} in {period} are not (fully) loaded", start
        )
    return ctx.figure(
        float(lb),
        "lb",
        label,
        params=params,
        start=start,
        source_ids=list(df["ids"].iloc[0]),
        computation=f"sum of Sum Qty (lbs) = {float(lb):,.1f} lb ({float(lb) * 0.45359237:,.1f} kg)",
    )


@indicator("seizures_change", "percent", "border")
def seizures_change(
    ctx: Context,
    drug: str,
    year: int,
    base_year: int,
    fiscal: bool = True,
    component: str | None = None,
    region: str | None = None,
    as_ratio: bool = False,
) -> Figure:
    """Percent change in CBP seizures of a drug from `base_year` to `year` (fiscal years by default).

    as_ratio=True gives the ratio year / base_year ("nearly doubled").
    """
    start = len(ctx.queries)
    a = seizures(ctx, drug, base_year, None, fiscal, component, False, region)
    b = seizures(ctx, drug, year, None, fiscal, component, False, region)
    params = {
        "drug": drug,
        "year": year,
        "base_year": base_year,
        "fiscal": fiscal,
        "component": component,
        "region": region,
        "as_ratio": as_ratio,
    }
    label = f"change in {a.label} to {'FY' if fiscal else ''}{year}"
    if not (a.ok and b.ok) or not a.value:
        return ctx.missing("percent", label, params, a.missing or b.missing or "no seizures in the base year", start)
    assert b.value is not None
    pct = (b.value / a.value - 1) * 100
    if as_ratio:
        return Figure(
            b.value / a.value,
            "ratio",
            label,
            params,
            f"{b.value:,.1f} lb / {a.value:,.1f} lb = {b.value / a.value:.2f}",
            ctx.queries[start:],
            a.evidence + b.evidence,
            parts={"base": a.value, "period": b.value},
        )
    return Figure(
        pct,
        "percent",
        label,
        params,
        f"{b.value:,.1f} lb / {a.value:,.1f} lb - 1 = {pct:+.1f}%",
        ctx.queries[start:],
        a.evidence + [e for e in b.evidence if e.source_id not in {x.source_id for x in a.evidence}],
        parts={"base": a.value, "period": b.value},
    )


@indicator("seizures_share", "percent", "border")
def seizures_share(
    ctx: Context, drug: str, year: int, fiscal: bool = True, region: str | None = None, component: str | None = None
) -> Figure:
    """The share (%) of a region's or a component's seizures in CBP's nationwide (OFO + USBP) total of a drug."""
    start = len(ctx.queries)
    part = seizures(ctx, drug, year, None, fiscal, component, False, region)
    whole = seizures(ctx, drug, year, None, fiscal)
    params = {"drug": drug, "year": year, "fiscal": fiscal, "region": region, "component": component}
    label = f"share of {part.label} in the nationwide total"
    if not (part.ok and whole.ok) or not whole.value:
        return ctx.missing("percent", label, params, part.missing or whole.missing or "", start)
    assert part.value is not None
    pct = part.value / whole.value * 100
    return Figure(
        pct,
        "percent",
        label,
        params,
        f"{part.value:,.1f} lb / {whole.value:,.1f} lb = {pct:.1f}%",
        ctx.queries[start:],
        whole.evidence,
        parts={"part": part.value, "whole": whole.value},
    )
