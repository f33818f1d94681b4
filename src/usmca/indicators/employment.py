"""Employment levels and changes: BLS Current Employment Statistics as FRED redistributes them.

Series (table `series`, dataset `fred.bls`): MANEMP (all employees, manufacturing), PAYEMS (total
nonfarm), CES3133600101 (motor vehicles and parts); thousands of persons, seasonally adjusted,
monthly; values here are persons (x 1000). National employment counts jobs in the United States:
it does not measure jobs created or supported by trade, and has no country detail. The latest
months are preliminary and BLS revises them; the newest loaded vintage answers.
"""

from __future__ import annotations

import pandas as pd

from usmca.indicators.base import Context, Figure, IndicatorError, indicator
from usmca.months import PeriodError, month_label, parse_month

NOT_TRADE = "national employment (BLS CES via FRED) does not measure jobs created or supported by trade"
SERIES_NAMES = {
    "MANEMP": "manufacturing employment",
    "PAYEMS": "total nonfarm employment",
    "CES3133600101": "motor vehicles and parts employment",
}
PRELIMINARY_MONTHS = 2  # BLS revises the two latest months with each release


def _sid(series: str) -> str:
    sid = str(series).strip().upper()
    if not sid or not sid.replace("_", "").isalnum():
        raise IndicatorError(f"not a FRED series id: {series!r}")
    return sid


def month_arg(text: str, name: str) -> tuple[int, int]:
    try:
        return parse_month(text, name)
    except PeriodError as e:
        raise IndicatorError(str(e)) from e


def series_frame(ctx: Context, series_id: str) -> pd.DataFrame:
    """One loaded FRED series: year, month, value, source_id, title, units, seasonal_adjustment (current vintage)."""
    return ctx.query(
        f"SELECT year, month, value, source_id, title, units, seasonal_adjustment FROM {ctx.rel('series')} "
        "WHERE series_id = ? ORDER BY year, month",
        [series_id],
    )


def _name(series_id: str, df: pd.DataFrame) -> str:
    if series_id in SERIES_NAMES:
        return SERIES_NAMES[series_id]
    return str(df["title"].iloc[0]) if not df.empty else series_id


def lookup(df: pd.DataFrame, series_id: str, ym: tuple[int, int], what: str) -> tuple[float, str] | str:
    """(value as stored, source id) of one month, or why there is none (naming the loaded span)."""
    if df.empty:
        return f"no FRED series {series_id} ({what}) is loaded: load its FRED extract {series_id}.csv"
    row = df[(df["year"] == ym[0]) & (df["month"] == ym[1])]
    if row.empty:
        first = (int(df["year"].iloc[0]), int(df["month"].iloc[0]))
        last = (int(df["year"].iloc[-1]), int(df["month"].iloc[-1]))
        if ym > last:
            return f"no {what} ({series_id}) for {month_label(ym)}: the loaded series ends in {month_label(last)}"
        if ym < first:
            return f"no {what} ({series_id}) for {month_label(ym)}: the loaded series starts in {month_label(first)}"
        return f"no {what} ({series_id}) for {month_label(ym)} in the loaded series"
    return float(row["value"].iloc[0]), str(row["source_id"].iloc[0])


def _notes(df: pd.DataFrame, months: list[tuple[int, int]]) -> list[str]:
    notes = [NOT_TRADE, "seasonally adjusted; FRED publishes thousands of persons, shown here as persons"]
    last = (int(df["year"].iloc[-1]), int(df["month"].iloc[-1]))
    recent = [m for m in months if (last[0] * 12 + last[1]) - (m[0] * 12 + m[1]) < PRELIMINARY_MONTHS]
    if recent:
        notes.append(f"{month_label(recent[0])} is among the latest months, which BLS marks preliminary and revises")
    return notes


@indicator("employment", "persons", "jobs")
def employment(ctx: Context, year: int, month: int, series: str = "MANEMP") -> Figure:
    """Employment in one month (BLS CES via FRED), persons: the series value x 1000.

    `series`: MANEMP (manufacturing, default), PAYEMS (total nonfarm) or CES3133600101 (motor
    vehicles and parts). A month beyond the loaded data is missing, with the last month named.
    """
    start = len(ctx.queries)
    sid = _sid(series)
    params = {"year": year, "month": month, "series": sid}
    df = series_frame(ctx, sid)
    ym = (year, month)
    label = f"{_name(sid, df)}, {month_label(ym)} (BLS CES via FRED {sid}, seasonally adjusted)"
    if not df.empty:
        label = f"{df['title'].iloc[0]}, {month_label(ym)} (BLS CES via FRED {sid}, seasonally adjusted)"
    got = lookup(df, sid, ym, _name(sid, df))
    if isinstance(got, str):
        return ctx.missing("persons", label, params, got, start, notes=[NOT_TRADE])
    v, src = got
    persons = v * 1000
    return ctx.figure(
        persons,
        "persons",
        label,
        params=params,
        start=start,
        source_ids=[src],
        computation=f"{sid} {month_label(ym)} = {v:,.1f} thousand = {persons:,.0f} persons",
        notes=_notes(df, [ym]),
        series=_chart(df, sid, ym[0] - 5, {"claimed_month": f"{year}-{month:02d}"}),
    )


def _chart(df: pd.DataFrame, sid: str, from_year: int, marks: dict[str, object]) -> dict[str, object]:
    part = df[df["year"] >= from_year]
    return {
        "kind": "line",
        "title": f"{sid} (thousands, seasonally adjusted)",
        "labels": [f"{int(y)}-{int(m):02d}" for y, m in zip(part["year"], part["month"], strict=True)],
        "values": [float(v) for v in part["value"]],
        "marks": marks,
        "unit": "thousands of persons",
    }


def _change(
    ctx: Context, sid: str, start_month: str, end_month: str
) -> tuple[float, float, list[str], pd.DataFrame] | str:
    a, b = month_arg(start_month, "start_month"), month_arg(end_month, "end_month")
    df = series_frame(ctx, sid)
    what = _name(sid, df)
    got_a, got_b = lookup(df, sid, a, what), lookup(df, sid, b, what)
    if isinstance(got_a, str):
        return got_a
    if isinstance(got_b, str):
        return got_b
    return got_a[0], got_b[0], [got_a[1], got_b[1]], df


@indicator("employment_change", "persons", "jobs")
def employment_change(ctx: Context, start_month: str, end_month: str, series: str = "MANEMP") -> Figure:
    """Change in employment from `start_month` to `end_month` (YYYY-MM), persons: (end - start) x 1000.

    Negative means jobs lost. "Lost 93,000 jobs in 2025" is January to December 2025; "over the twelve
    months ending in December 2025" is December 2024 to December 2025 (the claim reader chooses).
    """
    start = len(ctx.queries)
    sid = _sid(series)
    params = {"start_month": start_month, "end_month": end_month, "series": sid}
    a, b = month_arg(start_month, "start_month"), month_arg(end_month, "end_month")
    label = f"change in {SERIES_NAMES.get(sid, sid)} from {month_label(a)} to {month_label(b)} (BLS CES via FRED {sid})"
    got = _change(ctx, sid, start_month, end_month)
    if isinstance(got, str):
        return ctx.missing("persons", label, params, got, start, notes=[NOT_TRADE])
    va, vb, ids, df = got
    diff = (vb - va) * 1000
    return ctx.figure(
        diff,
        "persons",
        label,
        params=params,
        start=start,
        source_ids=ids,
        parts={"start": va * 1000, "end": vb * 1000},
        computation=(
            f"{sid} {month_label(b)} {vb:,.1f} - {month_label(a)} {va:,.1f} = "
            f"{vb - va:+,.1f} thousand = {diff:+,.0f} persons"
        ),
        notes=_notes(df, [a, b]),
        series=_chart(df, sid, a[0] - 3, {"start": f"{a[0]}-{a[1]:02d}", "end": f"{b[0]}-{b[1]:02d}"}),
    )


@indicator("employment_change_pct", "percent", "jobs")
def employment_change_pct(ctx: Context, start_month: str, end_month: str, series: str = "MANEMP") -> Figure:
    """Percent change in employment from `start_month` to `end_month` (YYYY-MM): (end / start - 1) x 100."""
    start = len(ctx.queries)
    sid = _sid(series)
    params = {"start_month": start_month, "end_month": end_month, "series": sid}
    a, b = month_arg(start_month, "start_month"), month_arg(end_month, "end_month")
    label = (
        f"percent change in {SERIES_NAMES.get(sid, sid)} from {month_label(a)} to {month_label(b)} "
        f"(BLS CES via FRED {sid})"
    )
    got = _change(ctx, sid, start_month, end_month)
    if isinstance(got, str):
        return ctx.missing("percent", label, params, got, start, notes=[NOT_TRADE])
    va, vb, ids, df = got
    if not va:
        return ctx.missing("percent", label, params, f"{sid} is zero in {month_label(a)}", start, notes=[NOT_TRADE])
    pct = (vb / va - 1) * 100
    return ctx.figure(
        pct,
        "percent",
        label,
        params=params,
        start=start,
        source_ids=ids,
        parts={"start": va * 1000, "end": vb * 1000},
        computation=f"{sid} {month_label(b)} {vb:,.1f} / {month_label(a)} {va:,.1f} - 1 = {pct:+.2f}%",
        notes=_notes(df, [a, b]),
    )


@indicator("employment_share", "percent", "jobs")
def employment_share(ctx: Context, month: str, series: str = "MANEMP", of: str = "PAYEMS") -> Figure:
    """One employment series as a percent of another in a month (YYYY-MM), e.g. manufacturing in total nonfarm."""
    start = len(ctx.queries)
    sid, oid = _sid(series), _sid(of)
    ym = month_arg(month, "month")
    params = {"month": month, "series": sid, "of": oid}
    label = f"{SERIES_NAMES.get(sid, sid)} as a share of {SERIES_NAMES.get(oid, oid)}, {month_label(ym)}"
    df_a, df_b = series_frame(ctx, sid), series_frame(ctx, oid)
    got_a, got_b = lookup(df_a, sid, ym, _name(sid, df_a)), lookup(df_b, oid, ym, _name(oid, df_b))
    for got in (got_a, got_b):
        if isinstance(got, str):
            return ctx.missing("percent", label, params, got, start, notes=[NOT_TRADE])
    assert not isinstance(got_a, str) and not isinstance(got_b, str)
    pct = got_a[0] / got_b[0] * 100
    return ctx.figure(
        pct,
        "percent",
        label,
        params=params,
        start=start,
        source_ids=[got_a[1], got_b[1]],
        computation=f"{sid} {got_a[0]:,.1f} / {oid} {got_b[0]:,.1f} = {pct:.2f}%",
        notes=_notes(df_a, [ym]),
    )
