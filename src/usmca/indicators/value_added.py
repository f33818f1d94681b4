"""Value added in trade from input-output tables (WIOD): whose parts are inside whose exports.

These figures come from a research database (WIOD 2013 release, latest year 2011), not from an
agency's statistics; the data year is part of every label.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from usmca.countries import name_of
from usmca.indicators.base import Context, Figure, IndicatorError, indicator
from usmca.indicators.trade import iso3

READINGS = {
    "fva_usd": "value added from the source embodied in the exporter's gross exports (TiVA / Hummels-Ishii-Yi)",
    "fva_bm_usd": "the same, counted where it first leaves its origin (Borin-Mancini)",
    "import_content_usd": "intermediates imported from the source and embodied in the exporter's exports",
    "direct_imported_inputs_usd": "imported inputs bought directly by exporting sectors",
    "intermediate_imports_usd": "all intermediate imports of the exporter from the source",
    "own_content_in_imports_share": "the exporter's own value added as a share of its imports from the source",
}


DATASET = "wiod.wiot"
#: The readings of a "source A vs source B" comparison, in order (see usmca.models.va_readings).
PAIR_READINGS = (
    "fva_usd",
    "fva_share",
    "fva_bm_usd",
    "import_content_usd",
    "import_content_share",
    "direct_imported_inputs_usd",
    "intermediate_imports_usd",
    "own_content_in_imports_share",
    "fva_per_import_dollar",
)


def _year(ctx: Context, year: int | None) -> int:
    """The table year asked for (default: the latest loaded); LookupError naming what is loaded."""
    years = ctx.reader.io_years(DATASET)
    if not years:
        raise LookupError(
            "no world input-output table is loaded (WIOD 2013 release: usmca data load <folder of wiot_YYYY.RData>)"
        )
    y = years[-1] if year is None else year
    if y not in years:
        raise LookupError(f"no WIOD table for {year}; loaded years: {years[0]}-{years[-1]}")
    return int(y)


def _computed(ctx: Context, y: int) -> pd.DataFrame:
    """Readings computed from the IO table itself: for stores loaded before they were precomputed."""
    key = ("readings", DATASET, y)
    cache: dict[Any, Any] = ctx.reader._io_cache
    if key not in cache:
        from usmca.store.io_readings import frame

        found = ctx.reader.io_table(y, DATASET)
        if found is None:
            raise LookupError(f"no WIOD table for {y}")
        table, sid = found
        df = frame(table)
        df["source_id"] = sid
        cache[key] = df
    out: pd.DataFrame = cache[key]
    return out


def _readings(ctx: Context, y: int, where: str, params: list[Any]) -> pd.DataFrame:
    """Rows (pos, exporter, source, reading, value, unit, source_id) of the year's readings."""
    df = ctx.query(
        "SELECT pos, exporter, source, reading, value, unit, source_id FROM io_readings "
        f"WHERE dataset = ? AND year = ? AND {where} ORDER BY pos",
        [DATASET, y, *params],
    )
    if df.empty and not ctx.reader.one("SELECT count(*) FROM io_readings WHERE dataset = ? AND year = ?", [DATASET, y]):
        all_rows = _computed(ctx, y)
        con = duckdb.connect(":memory:")
        try:
            con.register("io_readings", all_rows.assign(dataset=DATASET, year=y))
            df = con.execute(
                "SELECT pos, exporter, source, reading, value, unit, source_id FROM io_readings "
                f"WHERE dataset = ? AND year = ? AND {where} ORDER BY pos",
                [DATASET, y, *params],
            ).df()
        finally:
            con.close()
    return df


def _pairs(ctx: Context, y: int, exporter: str, sources: tuple[str, ...]) -> tuple[dict[tuple[str, str], Any], str]:
    """{(source, reading): (value, unit)} of an exporter, and the source id; IndicatorError for a
    country the table lacks."""
    if exporter in sources:
        raise IndicatorError(f"the exporter {exporter!r} cannot also be a source")
    marks = ", ".join("?" for _ in sources)
    df = _readings(ctx, y, f"exporter = ? AND source IN (?, {marks})", [exporter, exporter, *sources])
    got = {
        (str(src), str(name)): (float(value), str(unit))
        for src, name, value, unit in zip(df["source"], df["reading"], df["value"], df["unit"], strict=True)
    }
    for c in (exporter, *sources):
        if not any(k[0] == c for k in got):
            raise IndicatorError(f"no country {c!r} in the WIOD {y} table")
    return got, str(df["source_id"].iloc[0])


def _ratio(vals: dict[str, float], sources: tuple[str, ...]) -> float | None:
    if len(sources) < 2:
        return None
    den = vals[sources[1]]
    return vals[sources[0]] / den if den else float("nan")


@indicator("va_source_ratio", "ratio", "value added")
def va_source_ratio(
    ctx: Context, exporter: str, source: str, other: str, year: int | None = None, reading: str = "fva_usd"
) -> Figure:
    """How many times more one source's inputs count in an exporter's exports than another's.

    Readings: fva_usd (default; value added by origin, OECD TiVA style), fva_bm_usd,
    import_content_usd, direct_imported_inputs_usd, intermediate_imports_usd,
    own_content_in_imports_share (the exporter's own content in its imports from each source).
    """
    exp, a, b = iso3(exporter), iso3(source), iso3(other)
    params = {"exporter": exp, "source": a, "other": b, "year": year, "reading": reading}
    if reading not in READINGS:
        raise IndicatorError(f"unknown reading {reading!r}: use one of {sorted(READINGS)}")
    label = f"{name_of(a)} vs {name_of(b)} inputs in {name_of(exp)} exports ({reading})"
    try:
        y = _year(ctx, year)
    except LookupError as e:
        return ctx.missing("ratio", label, params, str(e))
    srcs = (a, b)
    got, sid = _pairs(ctx, y, exp, srcs)
    ratios = {}
    for name in PAIR_READINGS:
        v = {t: got[(t, name)][0] for t in srcs}
        ratios[name] = _ratio(v, srcs)
    vals = {t: got[(t, reading)][0] for t in srcs}
    ratio = ratios[reading]
    unit = got[(a, reading)][1]
    label = f"{label}, WIOD {y}"
    parts: dict[str, Any] = {
        "values": vals,
        "unit": unit,
        "data_year": y,
        "all_readings": ratios,
    }
    shown = ", ".join(f"{name_of(k)} {v:,.4g}" for k, v in vals.items())
    return ctx.figure(
        float(ratio) if ratio is not None else None,
        "ratio",
        label,
        params=params,
        source_ids=[sid],
        parts=parts,
        computation=f"{READINGS[reading]}: {shown}; ratio = {ratio:.3f} (WIOD {y}, latest year)",
        notes=[f"input-output data end in {y}: the figure describes {y}, not today"],
        series={
            "kind": "bar",
            "title": f"{READINGS[reading]} ({y})",
            "labels": [name_of(k) for k in vals],
            "values": [float(v) for v in vals.values()],
            "highlight": [name_of(a)],
            "unit": unit,
        },
    )


def _content_share(
    ctx: Context,
    label: str,
    params: dict[str, Any],
    year: int | None,
    pair: tuple[str, str],
    readings: tuple[str, str],
    base_name: str,
) -> Figure:
    """A value over a base (two readings of one exporter-source pair) as a percentage, with its evidence."""
    try:
        y = _year(ctx, year)
    except LookupError as e:
        return ctx.missing("percent", label, params, str(e))
    exp, src = pair
    if src == exp:
        raise IndicatorError(f"{name_of(src)} is the exporter itself: no foreign source to measure")
    got, sid = _pairs(ctx, y, exp, (src,))
    value = got[(src, readings[0])][0] if readings[0] != "gross_exports" else got[(exp, readings[0])][0]
    base = got[(src, readings[1])][0] if readings[1] != "gross_exports" else got[(exp, readings[1])][0]
    share = value / base if base else float("nan")
    pct = share * 100
    return ctx.figure(
        pct,
        "percent",
        f"{label}, WIOD {y}",
        params=params,
        source_ids=[sid],
        parts={"value_usd_million": value, base_name: base},
        computation=f"{value:,.0f} / {base:,.0f} US$ million = {pct:.2f}% (WIOD {y})",
    )


@indicator("foreign_value_added_in_exports", "percent", "value added")
def foreign_value_added_in_exports(ctx: Context, exporter: str, source: str, year: int | None = None) -> Figure:
    """Share (%) of an exporter's gross exports that is value added from one source country."""
    exp, src = iso3(exporter), iso3(source)
    return _content_share(
        ctx,
        f"{name_of(src)} value added in {name_of(exp)} gross exports",
        {"exporter": exp, "source": src, "year": year},
        year,
        (exp, src),
        ("fva_usd", "gross_exports"),
        "gross_exports_usd_million",
    )


@indicator("domestic_content_of_imports", "percent", "value added")
def domestic_content_of_imports(ctx: Context, importer: str, partner: str, year: int | None = None) -> Figure:
    """Share (%) of an importer's gross imports from a partner that is the importer's own value added.

    E.g. the U.S. content of U.S. imports from Mexico ("American parts in Mexican goods").
    """
    imp, par = iso3(importer), iso3(partner)
    return _content_share(
        ctx,
        f"{name_of(imp)} content of {name_of(imp)} imports from {name_of(par)}",
        {"importer": imp, "partner": par, "year": year},
        year,
        (imp, par),
        ("own_content_in_imports_usd", "imports_usd"),
        "imports_usd_million",
    )


@indicator("output_multiplier", "ratio", "value added")
def output_multiplier(ctx: Context, country: str, sector: str, year: int | None = None) -> Figure:
    """Total output in all countries and sectors per dollar of final demand for a country-sector."""
    c = iso3(country)
    params = {"country": c, "sector": sector, "year": year}
    label = f"output multiplier of {name_of(c)} {sector}"
    try:
        y = _year(ctx, year)
    except LookupError as e:
        return ctx.missing("ratio", label, params, str(e))
    df = _readings(ctx, y, "reading = 'output_multiplier' AND exporter = ? AND source = ?", [c, sector])
    if df.empty:
        first = _readings(
            ctx,
            y,
            "reading = 'output_multiplier' AND pos < (SELECT min(pos) + 5 FROM io_readings "
            "WHERE reading = 'output_multiplier')",
            [],
        )
        raise IndicatorError(
            f"no sector {sector!r} for {c} in the WIOD table (sectors: {[str(x) for x in first['source']]}...)"
        )
    mult = float(df["value"].iloc[0])
    sid = str(df["source_id"].iloc[0])
    return ctx.figure(
        mult,
        "ratio",
        f"{label}, WIOD {y}",
        params=params,
        source_ids=[sid],
        computation=f"column sum of the Leontief inverse for {c}/{sector} = {mult:.4f}",
    )


@indicator("employment_multiplier", "jobs per US$ million", "value added")
def employment_multiplier(ctx: Context, country: str, sector: str, year: int | None = None) -> Figure:
    """Jobs in all countries per US$ million of final demand for a country-sector (needs employment)."""
    return ctx.missing(
        "jobs per US$ million",
        f"employment multiplier of {country} {sector}",
        {"country": country, "sector": sector, "year": year},
        "needs employment by country and sector (WIOD Socio-Economic Accounts), which is not loaded",
    )
