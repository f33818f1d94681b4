"""Value added in trade from input-output tables (WIOD): whose parts are inside whose exports.

These figures come from a research database (WIOD 2013 release, latest year 2011), not from an
agency's statistics; the data year is part of every label.
"""

from __future__ import annotations

from typing import Any

import numpy as np

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


def _table(ctx: Context, year: int | None) -> tuple[Any, str, int]:
    found = ctx.reader.io_table(year)
    if found is None:
        years = ctx.reader.io_years()
        raise LookupError(
            "no world input-output table is loaded (WIOD 2013 release: usmca data load <folder of wiot_YYYY.RData>)"
            if not years
            else f"no WIOD table for {year}; loaded years: {years[0]}-{years[-1]}"
        )
    table, sid = found
    return table, sid, int(table.year)


def _comparison(ctx: Context, year: int | None, exporter: str, sources: tuple[str, ...]) -> tuple[Any, str, int]:
    from usmca.models.mrio import compare_sources_in_exports

    table, sid, y = _table(ctx, year)
    key = ("cmp", y, exporter, sources)
    cache: dict[Any, Any] = ctx.reader._io_cache
    if key not in cache:
        cache[key] = compare_sources_in_exports(table, exporter, sources)
    return cache[key], sid, y


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
        cmp, sid, y = _comparison(ctx, year, exp, (a, b))
    except LookupError as e:
        return ctx.missing("ratio", label, params, str(e))
    r = cmp.reading(reading)
    vals = r.values
    label = f"{label}, WIOD {y}"
    parts: dict[str, Any] = {
        "values": vals,
        "unit": r.unit,
        "data_year": y,
        "all_readings": {x.name: x.ratio for x in cmp.readings},
    }
    shown = ", ".join(f"{name_of(k)} {v:,.4g}" for k, v in vals.items())
    return ctx.figure(
        float(r.ratio) if r.ratio is not None else None,
        "ratio",
        label,
        params=params,
        source_ids=[sid],
        parts=parts,
        computation=f"{READINGS[reading]}: {shown}; ratio = {r.ratio:.3f} (WIOD {y}, latest year)",
        notes=[f"input-output data end in {y}: the figure describes {y}, not today"],
        series={
            "kind": "bar",
            "title": f"{READINGS[reading]} ({y})",
            "labels": [name_of(k) for k in vals],
            "values": [float(v) for v in vals.values()],
            "highlight": [name_of(a)],
            "unit": r.unit,
        },
    )


def _content_share(
    ctx: Context, label: str, params: dict[str, Any], year: int | None, measure: Any, base_name: str
) -> Figure:
    """A ContentMeasure of the WIOD table (value over a base) as a percentage, with its evidence."""
    try:
        table, sid, y = _table(ctx, year)
    except LookupError as e:
        return ctx.missing("percent", label, params, str(e))
    m = measure(table)
    pct = m.share * 100
    return ctx.figure(
        pct,
        "percent",
        f"{label}, WIOD {y}",
        params=params,
        source_ids=[sid],
        parts={"value_usd_million": m.value, base_name: m.base},
        computation=f"{m.value:,.0f} / {m.base:,.0f} US$ million = {pct:.2f}% (WIOD {y})",
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
        lambda t: t.foreign_value_added_in_exports(exp, src),
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
        lambda t: t.domestic_content_of_imports(imp, par),
        "imports_usd_million",
    )


@indicator("output_multiplier", "ratio", "value added")
def output_multiplier(ctx: Context, country: str, sector: str, year: int | None = None) -> Figure:
    """Total output in all countries and sectors per dollar of final demand for a country-sector."""
    c = iso3(country)
    params = {"country": c, "sector": sector, "year": year}
    label = f"output multiplier of {name_of(c)} {sector}"
    try:
        table, sid, y = _table(ctx, year)
    except LookupError as e:
        return ctx.missing("ratio", label, params, str(e))
    labels = table.labels
    if (c, sector) not in labels:
        raise IndicatorError(f"no sector {sector!r} for {c} in the WIOD table (sectors: {table.sectors[:5]}...)")
    j = labels.index((c, sector))
    from usmca.models.io import output_multipliers

    mult = float(np.asarray(output_multipliers(table.L))[j])
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
