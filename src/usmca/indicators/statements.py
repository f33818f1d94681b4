"""Figures from official statements (e.g. Mexico's fentanyl seizures), and arithmetic with cited constants.

Evidence from statements is labelled "official statement": it ranks below statistical releases.
"""

from __future__ import annotations

import datetime as dt
import re

from usmca.indicators.base import Context, Evidence, Figure, indicator
from usmca.indicators.border import month_arg, month_name, monthly_series, months_arg
from usmca.indicators.queries.statements import StatementRow, period_totals, running_total_around, statement_records

# Constants cited by agencies, used in unit arithmetic.
CONSTANTS = {
    "fentanyl_lethal_dose_mg": {
        "value": 2.0,
        "unit": "mg",
        "agency": "U.S. Drug Enforcement Administration",
        "title": "Facts about fentanyl: two milligrams is considered a potentially lethal dose",
        "url": "https://www.dea.gov/resources/facts-about-fentanyl",
    },
}


def _records(ctx: Context, measure: str) -> list[StatementRow]:
    """Cumulative records of a measure, oldest first (usmca.indicators.queries.statements reads them)."""
    ctx.queries.append(f"statement_records(reader, {measure!r}, cumulative=True) over {ctx.rel('statements')}")
    return statement_records(ctx.reader, measure, cumulative=True, vintage=ctx.vintage)


@indicator("statement_running_total", "as published", "statements")
def statement_running_total(ctx: Context, measure: str, since: str | None = None) -> Figure:
    """A running total published in official statements, as of the text's date.

    The value is the latest total published on or before the as-of date; `parts` gives the
    published totals just before and after it (the bracket), since an exact figure for an
    arbitrary date is usually not published.
    """
    start = len(ctx.queries)
    params = {"measure": measure, "since": since}
    rows = _records(ctx, measure)
    label = f"published running total of {measure.replace('_', ' ')}"
    if not rows:
        return ctx.missing(
            "", label, params, f"no official statement with a running total of {measure} is loaded", start
        )
    ids = [r.source_id for r in rows]
    unit = rows[0].unit
    base = next((r.period_start for r in rows if r.period_start is not None), None)
    if since and base is not None:
        y, m = (int(x) for x in since.split("-")[:2])
        if (y, m) != (base.year, base.month):
            return ctx.missing(
                unit,
                label,
                params,
                f"the published running totals count from {base.isoformat()}, not from {since}: "
                "no published total starts where the claim does",
                start,
                source_ids=ids,
            )
    as_of = ctx.as_of
    series = _statement_series(rows, unit)
    if as_of is None:
        first, last = rows[0], rows[-1]
        unknown = ctx.figure(
            None,
            unit,
            label + " (date of the text unknown)",
            params=params,
            start=start,
            source_ids=ids,
            parts={
                "bracket": [first.value, last.value],
                "bracket_dates": [str(first.date), str(last.date)],
                "published": [[str(r.date), r.value] for r in rows],
            },
            computation="text date unknown: the claim is compared with the range of published totals",
            series=series,
        )
        return _named(unknown, rows)
    b, a = running_total_around(ctx.reader, measure, as_of, vintage=ctx.vintage)
    fig = _running_figure(ctx, measure, unit, label, params, start, ids, series, as_of, b, a)
    return _named(fig, rows)


def _named(fig: Figure, rows: list[StatementRow]) -> Figure:
    """Evidence names the agency that published the records (not the statements registry) and its page."""
    agencies = sorted({r.agency for r in rows})
    urls = sorted({r.url for r in rows if r.url})
    for e in fig.evidence:
        e.agency = "; ".join(agencies)
        if len(urls) == 1:
            e.url = urls[0]
    return fig


def _running_figure(
    ctx: Context,
    measure: str,
    unit: str,
    label: str,
    params: dict[str, str | None],
    start: int,
    ids: list[str],
    series: dict[str, object] | None,
    as_of: dt.date,
    b: StatementRow | None,
    a: StatementRow | None,
) -> Figure:
    lo = b.value if b is not None else 0.0
    hi = a.value if a is not None else None
    notes = []
    if b is not None and b.date != as_of:
        notes.append(
            f"no total is published for {as_of.isoformat()}: the nearest published totals are "
            f"{lo:,.2f} {unit} on {b.date.isoformat()}"
            + (f" and {hi:,.2f} {unit} on {a.date.isoformat()}" if a is not None else "")
        )
    return ctx.figure(
        lo if b is not None else None,
        unit,
        label + f" as of {as_of.isoformat()}",
        params=params,
        start=start,
        source_ids=ids,
        parts={
            "bracket": [lo, hi],
            "bracket_dates": [str(b.date) if b is not None else None, str(a.date) if a is not None else None],
        },
        computation=(
            f"latest published total on or before {as_of.isoformat()}: "
            + (f"{lo:,.2f} {unit} ({b.date.isoformat()})" if b is not None else "none")
        ),
        notes=notes,
        series=series,
    )


def _statement_series(rows: list[StatementRow], unit: str) -> dict[str, object]:
    return {
        "kind": "line",
        "title": "Published running totals",
        "labels": [str(r.date) for r in rows],
        "values": [r.value for r in rows],
        "unit": unit,
        "marks": {},
    }


@indicator("lethal_doses", "doses", "statements")
def lethal_doses(ctx: Context, kilograms: float, lethal_dose_mg: float | None = None) -> Figure:
    """Number of potentially lethal doses in a quantity of fentanyl (DEA: 2 mg is a lethal dose)."""
    c = CONSTANTS["fentanyl_lethal_dose_mg"]
    mg = float(lethal_dose_mg or c["value"])  # type: ignore[arg-type]
    doses = kilograms * 1e6 / mg
    ev = Evidence(
        source_id="constant:fentanyl_lethal_dose_mg",
        agency=str(c["agency"]),
        title=str(c["title"]),
        url=str(c["url"]),
        kind="constant",
        origin="package",
        label="cited constant",
    )
    return Figure(
        doses,
        "doses",
        f"lethal doses in {kilograms:,.2f} kg of fentanyl at {mg:g} mg per dose",
        {"kilograms": kilograms, "lethal_dose_mg": mg},
        f"{kilograms:,.2f} kg x 1,000,000 mg/kg / {mg:g} mg = {doses:,.0f} doses",
        [],
        [ev],
    )


@indicator("mexico_vs_usbp_monthly", "comparison", "statements")
def mexico_vs_usbp_monthly(ctx: Context, start_month: str, end_month: str) -> Figure:
    """Whether Mexico recorded more migrant encounters than the U.S. Border Patrol in each month.

    Mexico (UPM, Segob) publishes totals for periods, not every month; a month can be compared only
    where a Mexican monthly figure exists. Period averages are reported as context.
    """
    start = len(ctx.queries)
    a, b = month_arg(start_month), month_arg(end_month)
    params = {"start_month": start_month, "end_month": end_month}
    months = months_arg(a, b)
    ctx.queries.append(f"period_totals(reader, 'migrant_events_irregular') over {ctx.rel('statements')}")
    mx = period_totals(ctx.reader, "migrant_events_irregular", vintage=ctx.vintage)
    us = monthly_series(ctx, "southwest", "usbp")
    usd = {(int(y), int(m)): float(v) for y, m, v in zip(us["year"], us["month"], us["value"], strict=False)}
    comparisons = []
    for _, r in mx.iterrows():
        ps, pe = r["period_start"], r["period_end"]
        span = months_arg((ps.year, ps.month), (pe.year, pe.month))
        overlap = [x for x in span if x in months]
        if not overlap:
            continue
        us_vals = [usd[x] for x in span if x in usd]
        comparisons.append(
            {
                "mexico_period": f"{ps.isoformat()} to {pe.isoformat()}",
                "mexico_monthly_average": float(r["value"]) / len(span),
                "usbp_monthly_average": (sum(us_vals) / len(us_vals)) if len(us_vals) == len(span) else None,
                "months_in_claim": [f"{y}-{m:02d}" for y, m in overlap],
            }
        )
    label = f"Mexican vs U.S. Border Patrol monthly encounters, {month_name(*a)} to {month_name(*b)}"
    compared_ok = [c for c in comparisons if c["usbp_monthly_average"] is not None]
    notes = [
        (
            f"{c['mexico_period']}: Mexico {c['mexico_monthly_average']:,.0f} per month on average vs "
            + (
                f"Border Patrol (southwest) {c['usbp_monthly_average']:,.0f}"
                if c["usbp_monthly_average"] is not None
                else "Border Patrol: months missing"
            )
        )
        for c in comparisons
    ]
    return ctx.missing(
        "comparison",
        label,
        params,
        "Mexico's monthly figures (UPM, Segob monthly bulletins) are not loaded: only period totals are, "
        f"so none of the {len(months)} months can be compared one by one",
        start,
        source_ids=list(mx["source_id"]) + [s for ids in us["source_ids"] for s in ids][:3],
        notes=notes,
        parts={
            "period_comparisons": comparisons,
            "compared_on_average": len(compared_ok),
            "months": [f"{y}-{m:02d}" for y, m in months],
        },
    )


@indicator("cited_figure", "as published", "statements")
def cited_figure(ctx: Context, measure: str, country: str, year: int | None = None) -> Figure:
    """A figure an agency published in an official statement (not a data file), for a partner and year.

    With no year, the latest year any statement gives. "Over $110 billion" is published as a lower
    bound: the figure says so (parts.lower_bound) and a claim above the bound cannot be confirmed.
    """
    from usmca.indicators.trade import iso3

    start = len(ctx.queries)
    code = iso3(country)
    params = {"measure": measure, "country": code, "year": year}
    ctx.queries.append(f"statement_records(reader, {measure!r}, cumulative=False) over {ctx.rel('statements')}")
    rows = [
        r for r in statement_records(ctx.reader, measure, cumulative=False, vintage=ctx.vintage) if r.country == code
    ]
    label = f"{measure.replace('_', ' ')} for {code} (official statement)"
    if not rows:
        return ctx.missing(
            "", label, params, f"no official statement gives {measure.replace('_', ' ')} for {code}", start
        )
    years = sorted({r.as_of.year for r in rows})
    pick = [r for r in rows if r.as_of.year == (year or years[-1])]
    if not pick:
        return ctx.missing(
            rows[0].unit,
            label,
            params,
            f"the official statements give this figure for {', '.join(map(str, years))} only, not {year}",
            start,
            source_ids=[r.source_id for r in rows],
        )
    r = pick[-1]
    who = r.agency.split("(")[-1].rstrip(")") if "(" in r.agency else r.agency
    note = f"per {who}, {r.as_of.year}" + (" (the text names no year: the statement's)" if year is None else "")
    lower = bool(r.note and re.search(r"\b(?:over|more than|at least|lower bound)\b", r.note, re.I))
    fig = ctx.figure(
        r.value,
        r.unit,
        f"{label}: {r.title}",
        params=params,
        start=start,
        source_ids=[r.source_id],
        computation=f"published figure: {r.value:,.0f} {r.unit}" + (" (a lower bound)" if lower else ""),
        notes=[note],
        parts={"lower_bound": lower, "cited": who, "data_year": r.as_of.year},
    )
    for e in fig.evidence:  # the record's own agency, title and page, not the registry's
        e.url = r.url or e.url
        e.agency = r.agency
        e.title = r.title
    return fig
