"""The neutral layer between sources and store: fact-table schemas, their checks, and the
data classes a parser returns.

`sources` (parsers) and `store` (DuckDB catalog) both import this module and never each other;
`usmca.pipeline` joins them (detect -> parse -> load).

Every fact row carries `source_id` (a row of the `sources` table) and `dataset`.
`*_current` tables hold, for each natural key, the rows of the newest vintage only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from usmca.errors import DataFormatError

# Bump a source's `parser_version` when its parser changes what it produces: the next
# `usmca data load` then re-parses files it had already loaded (so does a new package version).
PARSER_VERSION = "1"

# Licences that several sources share (`SourceInfo.licence`).
US_PUBLIC_DOMAIN = "Public domain: a work of the U.S. federal government (17 U.S.C. 105)"
US_PUBLIC_DOMAIN_VIA_FRED = US_PUBLIC_DOMAIN + "; redistributed by FRED under the FRED terms of use"
WORLD_BANK_LICENCE = "Creative Commons Attribution 4.0 (CC BY 4.0), World Bank terms of use for datasets"
WIOD_LICENCE = "Free to use with attribution to the WIOD project (see the release page)"


# -- what a parser returns --------------------------------------------------------------------------
@dataclass(frozen=True)
class Download:
    """One file of a source that `usmca data pull` fetches."""

    url: str
    file_name: str
    sha256: str | None = None  # when known, a mismatch is an error


@dataclass(frozen=True)
class SourceInfo:
    id: str  # dataset id, e.g. "census.country"
    agency: str
    title: str
    url: str  # landing page or the file's official URL
    table: str  # fact table it fills
    detect: Callable[[Path], bool]
    parse: Callable[[Path], ParsedFile]
    downloads: tuple[Download, ...] = ()
    parser_version: str = PARSER_VERSION
    kind: str = "statistics"  # statistics | model | official statement
    licence: str = ""  # terms under which the agency publishes the data
    citation: str = ""  # how to cite the data (the agency's own wording where it gives one)


@dataclass
class ParsedFile:
    """The tidy result of parsing one file, ready for an atomic load."""

    info: SourceInfo
    path: Path
    sha256: str
    bytes: int
    vintage: date
    tables: dict[str, pd.DataFrame]
    notes: list[str] = field(default_factory=list)
    release: str | None = None  # e.g. "January 2026 release"
    io: Any = None  # an input-output table (usmca.models.mrio.MRIOTable), stored as dense arrays
    io_files: dict[str, Path] | None = None  # the same, already written (by a worker): part -> file
    io_digests: dict[str, tuple[str, int]] | None = None  # part -> (sha256, bytes), hashed as written
    io_year: int | None = None
    io_cells: int = 0

    @property
    def source_id(self) -> str:
        return f"{self.info.id}@{self.sha256[:12]}"

    @property
    def rows(self) -> int:
        n = sum(len(t) for t in self.tables.values())
        if self.io is not None:
            import numpy as np

            n += int(np.count_nonzero(self.io.Z)) + int(np.count_nonzero(self.io.Y))
        return n + self.io_cells


# -- fact tables --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str
    sql: str  # DuckDB type
    nullable: bool = True
    allowed: frozenset[str] | None = None
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural key within one file (duplicates are an error)
    # Vintage resolution: for each combination of these columns, the rows of the newest
    # source win (e.g. CBP files that overlap: the later vintage wins for a month).
    current_by: tuple[str, ...]
    doc: str = ""
    indexes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def frame_columns(self) -> list[str]:
        """The columns of a parsed frame: the table's, then `_row` (the line in the source file)."""
        return [*self.column_names, "_row"]

    def ddl(self, name: str | None = None) -> str:
        cols = ", ".join(f'"{c.name}" {c.sql}' for c in self.columns)
        return (
            f'CREATE TABLE IF NOT EXISTS "{name or self.name}" '
            f"(source_id VARCHAR NOT NULL, dataset VARCHAR NOT NULL, {cols})"
        )


def _c(name: str, sql: str, nullable: bool = True, **kw: object) -> Column:
    return Column(name, sql, nullable, **kw)  # type: ignore[arg-type]


FLOWS = frozenset({"exports", "imports"})
MAX_TRADE_USD = 1e13
MONTH = {"min": 1, "max": 12}

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "trade",
            (
                _c("reporter", "VARCHAR", False),
                _c("partner", "VARCHAR", False),  # ISO3, WLD, or a group id (G:0003)
                _c("partner_code", "VARCHAR"),  # the agency's own code or label
                _c("partner_name", "VARCHAR", False),
                _c("partner_kind", "VARCHAR", False, allowed=frozenset({"country", "group", "world"})),
                _c("flow", "VARCHAR", False, allowed=FLOWS),
                _c("basis", "VARCHAR", False, allowed=frozenset({"census", "bop"})),
                _c("product", "VARCHAR", False),  # goods | services | goods_services | HS2:85
                _c("adjustment", "VARCHAR", False, allowed=frozenset({"nsa", "sa"})),
                _c("year", "INTEGER", False, min=1900, max=2100),
                _c("month", "INTEGER", True, **MONTH),  # NULL: annual total
                # NULL when not published; never negative; no partner-year reaches $10 trillion
                # (US exports to the world were $2.1 trillion in 2024): a value in thousands is caught
                _c("value_usd", "DOUBLE", True, min=0, max=MAX_TRADE_USD),
                _c("status", "VARCHAR", False, allowed=frozenset({"published", "not_published", "revised"})),
            ),
            key=("partner", "partner_code", "flow", "basis", "product", "adjustment", "year", "month"),
            current_by=("partner", "flow", "basis", "product", "adjustment", "year", "month"),
            doc="Goods and services trade of the United States by partner, product and period (US dollars).",
        ),
        Table(
            "population",
            (
                _c("iso3", "VARCHAR", False),
                _c("name", "VARCHAR", False),
                _c("kind", "VARCHAR", False, allowed=frozenset({"country", "aggregate"})),
                _c("indicator", "VARCHAR", False),
                _c("year", "INTEGER", False, min=1900, max=2100),
                _c("value", "DOUBLE", True, min=0),
            ),
            key=("iso3", "indicator", "year"),
            current_by=("iso3", "indicator", "year"),
            doc="World Bank WDI series by country and year (population: persons; GDP: current US$).",
        ),
        Table(
            "economies",
            (
                _c("iso3", "VARCHAR", False),
                _c("name", "VARCHAR", False),
                _c("region", "VARCHAR", False),  # World Bank region, e.g. 'Latin America & Caribbean'
                _c("income_group", "VARCHAR"),  # World Bank income group, e.g. 'Upper middle income'
            ),
            key=("iso3",),
            current_by=("iso3",),
            doc="World Bank country classification (WDI country metadata): region and income group of each economy.",
        ),
        Table(
            "encounters",
            (
                _c("fiscal_year", "INTEGER", False, min=1990, max=2100),
                _c("year", "INTEGER", False, min=1990, max=2100),
                _c("month", "INTEGER", False, **MONTH),
                _c("component", "VARCHAR", False),  # ALL | USBP | OFO
                _c("region", "VARCHAR", False),  # southwest | northern | coastal | other
                _c("area", "VARCHAR"),  # state or Border Patrol sector
                _c("demographic", "VARCHAR"),
                _c("citizenship", "VARCHAR"),
                _c("authority", "VARCHAR"),
                _c("encounter_type", "VARCHAR"),
                _c("count", "DOUBLE", False, min=0),
            ),
            key=(
                "fiscal_year",
                "month",
                "component",
                "region",
                "area",
                "demographic",
                "citizenship",
                "authority",
                "encounter_type",
            ),
            current_by=("dataset", "year", "month"),
            doc="CBP / DHS encounters by month (events, not unique persons).",
        ),
        Table(
            "seizures",
            (
                _c("fiscal_year", "INTEGER", False, min=1990, max=2100),
                _c("year", "INTEGER", False, min=1990, max=2100),
                _c("month", "INTEGER", False, **MONTH),
                _c("component", "VARCHAR", False),  # OFO | USBP | AMO
                _c("region", "VARCHAR"),
                _c("land_filter", "VARCHAR"),
                _c("area", "VARCHAR"),  # area of responsibility or AMO branch
                _c("drug", "VARCHAR", False),
                _c("events", "DOUBLE", True, min=0),
                _c("quantity_lb", "DOUBLE", True, min=0),
            ),
            key=("fiscal_year", "month", "component", "region", "land_filter", "area", "drug"),
            current_by=("dataset", "year", "month"),
            doc="CBP drug seizures by month, component and drug (pounds).",
        ),
        Table(
            "statements",
            (
                _c("statement_id", "VARCHAR", False),
                _c("agency", "VARCHAR", False),
                _c("country", "VARCHAR", False),
                _c("title", "VARCHAR", False),
                _c("date", "DATE", False),
                _c("url", "VARCHAR"),
                _c("measure", "VARCHAR", False),
                _c("period_start", "DATE"),
                _c("period_end", "DATE"),
                _c("value", "DOUBLE", False),
                _c("unit", "VARCHAR", False),
                _c("cumulative", "BOOLEAN", False),
                _c("note", "VARCHAR"),
            ),
            key=("statement_id",),
            current_by=("statement_id",),
            doc="Figures published only in official statements or press releases.",
        ),
        Table(
            "national_io",
            (
                _c("country", "VARCHAR", False),
                _c("year", "INTEGER", False, min=1990, max=2100),
                _c("row_code", "VARCHAR", False),
                _c("origin", "VARCHAR", False),  # Domestic | Imports | TOT
                _c("col_code", "VARCHAR", False),
                _c("value", "DOUBLE", True),
            ),
            key=("country", "year", "row_code", "origin", "col_code"),
            current_by=("country", "year"),
            doc="WIOD national input-output tables (US$ million), long form.",
        ),
        Table(
            "series",
            (
                _c("series_id", "VARCHAR", False),  # FRED id: MANEMP, PAYEMS, CES3133600101, BOPGSTB
                _c("title", "VARCHAR", False),
                _c("units", "VARCHAR", False),  # thousands of persons | millions of US dollars | ...
                _c("year", "INTEGER", False, min=1900, max=2100),
                _c("month", "INTEGER", False, **MONTH),  # first month of the period
                _c("value", "DOUBLE", False),  # a balance may be negative
                _c("frequency", "VARCHAR", False, allowed=frozenset({"monthly", "quarterly", "annual", "irregular"})),
                _c("seasonal_adjustment", "VARCHAR", False, allowed=frozenset({"sa", "nsa", "unknown"})),
            ),
            key=("series_id", "year", "month"),
            current_by=("series_id", "year", "month"),
            doc="Agency time series as FRED redistributes them (BLS CES employment, Census/BEA trade balance).",
        ),
        Table(
            "value_added_exports",
            (
                _c("country", "VARCHAR", False),  # the exporter (USA)
                _c("industry", "VARCHAR", False),  # "all" or the exporting industry's name
                _c("naics", "VARCHAR"),  # NAICS code(s) as published ("3344", "334, excluding semiconductors")
                _c("year", "INTEGER", False, min=1990, max=2100),
                _c("measure", "VARCHAR", False, allowed=frozenset({"gross_exports", "domestic_va", "imported_va"})),
                _c("value_usd", "DOUBLE", True, min=0, max=MAX_TRADE_USD),
            ),
            key=("country", "industry", "year", "measure"),
            current_by=("country", "industry", "year", "measure"),
            doc="Gross exports split into domestic and imported value added (BEA TiVA via NSF NCSES), US dollars.",
        ),
    ]
}


@dataclass(frozen=True)
class PartitionedTable(Table):
    """A fact table kept as Hive-partitioned Parquet files beside the catalog (not inside it).

    `partition_by` columns name the folders (`flow=exports/year=2024/month=01`) and are not stored
    inside the files; within a file rows are sorted by `sort_by`, so that a filter on those columns
    skips whole row groups (DuckDB keeps each row group's min and max).
    """

    partition_by: tuple[str, ...] = ()
    sort_by: tuple[str, ...] = ()

    @property
    def file_columns(self) -> list[str]:
        """The columns inside each Parquet file: provenance, then the table's less the partition columns."""
        return ["source_id", "dataset", *[c for c in self.column_names if c not in self.partition_by]]


COMMODITY_LEVELS = frozenset({"HS2", "HS4", "HS6", "HS10", "TOTAL"})

# Detail-level tables, stored as Parquet under `<store>/detail/<name>/` (see usmca.store.detail).
DETAIL_TABLES: dict[str, PartitionedTable] = {
    t.name: t
    for t in [
        PartitionedTable(
            "trade_detail",
            (
                _c("flow", "VARCHAR", False, allowed=FLOWS),
                _c("year", "INTEGER", False, min=1900, max=2100),
                _c("month", "INTEGER", False, **MONTH),
                # Schedule B (exports) or HTS (imports) code: 2, 4, 6 or 10 digits; TOTAL: all commodities
                _c("commodity", "VARCHAR", False),
                _c("commodity_level", "VARCHAR", False, allowed=COMMODITY_LEVELS),
                _c("classification", "VARCHAR", False, allowed=frozenset({"schedule_b", "hts"})),
                _c("partner", "VARCHAR", False),  # ISO3, WLD, or a group id (G:0003), as in `trade`
                _c("partner_code", "VARCHAR"),  # Census Schedule C code (CTY_CODE)
                _c("partner_kind", "VARCHAR", False, allowed=frozenset({"country", "group", "world"})),
                _c("district", "VARCHAR"),  # customs district code (DISTRICT); NULL: all districts
                _c("district_name", "VARCHAR"),
                # exports: total value, f.a.s. (ALL_VAL_MO); imports: general imports, customs value (GEN_VAL_MO)
                _c("value_usd", "DOUBLE", False, min=0, max=MAX_TRADE_USD),
                _c("consumption_value_usd", "DOUBLE", True, min=0, max=MAX_TRADE_USD),  # imports: CON_VAL_MO
                _c("quantity_1", "DOUBLE", True, min=0),  # QTY_1_MO / GEN_QY1_MO, in unit_1
                _c("unit_1", "VARCHAR"),  # UNIT_QY1, e.g. KG, NO, DOZ; NULL when none applies
                _c("quantity_2", "DOUBLE", True, min=0),  # QTY_2_MO / GEN_QY2_MO
                _c("unit_2", "VARCHAR"),
            ),
            key=("flow", "year", "month", "commodity_level", "commodity", "partner", "partner_code", "district"),
            current_by=("flow", "year", "month", "commodity_level", "commodity", "partner", "district"),
            doc="U.S. exports and imports by HS6/HS10 commodity, partner, customs district and month (US dollars).",
            partition_by=("flow", "year", "month"),
            sort_by=("commodity_level", "commodity", "partner", "district"),
        ),
    ]
}


def table_spec(name: str) -> Table:
    """The schema of a fact table, in the catalog (`TABLES`) or stored as Parquet (`DETAIL_TABLES`)."""
    if name in TABLES:
        return TABLES[name]
    return DETAIL_TABLES[name]


def validate_frame(
    table: str,
    df: pd.DataFrame,
    file: str,
    *,
    key: tuple[str, ...] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    relation: str | None = None,
) -> None:
    """Check columns, nulls, allowed values, ranges and duplicate keys of a parsed table.

    A `_row` column, when present, gives the 1-based line of each row in the source file and is
    used in error messages. The checks run as SQL (over `relation` in `con` when given, else over
    the frame); only when a rule is broken does the slower pandas pass find the exact row.
    """
    spec = table_spec(table)
    missing = [c for c in spec.column_names if c not in df.columns]
    if missing:
        raise DataFormatError(file, f"parsed table {table!r} lacks columns {missing}")
    own = con is None
    c = con or duckdb.connect(":memory:")
    try:
        if relation is None:
            c.register("_frame", df)
            relation = "_frame"
        broken = _violates(spec, c, relation, key)
    except duckdb.Error:
        broken = True
    finally:
        if own:
            c.close()
    if broken:
        _validate_pandas(spec, df, file, key)


def _violates(spec: Table, con: duckdb.DuckDBPyConnection, rel: str, key: tuple[str, ...] | None) -> bool:
    conds = []
    for col in spec.columns:
        q = f'"{col.name}"'
        if not col.nullable:
            conds.append(f"{q} IS NULL")
        if col.allowed is not None:
            vals = ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(col.allowed))
            conds.append(f"({q} IS NOT NULL AND CAST({q} AS VARCHAR) NOT IN ({vals}))")
        if col.sql in ("DOUBLE", "INTEGER"):
            num = f"TRY_CAST({q} AS DOUBLE)"
            conds.append(f"({q} IS NOT NULL AND {num} IS NULL)")
            if col.min is not None:
                conds.append(f"{num} < {col.min}")
            if col.max is not None:
                conds.append(f"{num} > {col.max}")
    if conds and con.execute(f"SELECT 1 FROM {rel} WHERE {' OR '.join(conds)} LIMIT 1").fetchone():
        return True
    k = ", ".join(f'"{c}"' for c in (key or spec.key))
    return con.execute(f"SELECT 1 FROM {rel} GROUP BY {k} HAVING count(*) > 1 LIMIT 1").fetchone() is not None


def _validate_pandas(spec: Table, df: pd.DataFrame, file: str, key: tuple[str, ...] | None) -> None:
    rows = df["_row"] if "_row" in df.columns else pd.Series(range(1, len(df) + 1), index=df.index)
    for col in spec.columns:
        s = df[col.name]
        if not col.nullable:
            bad = s.isna()
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise DataFormatError(
                    file, "empty cell", row=int(rows.iloc[i]), column=col.name, expected="a value", found=None
                )
        if col.allowed is not None:
            bad = ~s.isin(col.allowed) & s.notna()
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise DataFormatError(
                    file,
                    "unexpected value",
                    row=int(rows.iloc[i]),
                    column=col.name,
                    expected=f"one of {sorted(col.allowed)}",
                    found=s.iloc[i],
                )
        if col.sql in ("DOUBLE", "INTEGER"):
            num = pd.to_numeric(s, errors="coerce")
            bad = num.isna() & s.notna()
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise DataFormatError(
                    file, "not a number", row=int(rows.iloc[i]), column=col.name, expected="a number", found=s.iloc[i]
                )
            if col.min is not None and (num < col.min).any():
                i = int((num < col.min).to_numpy().argmax())
                raise DataFormatError(
                    file,
                    "value out of range",
                    row=int(rows.iloc[i]),
                    column=col.name,
                    expected=f">= {col.min}",
                    found=s.iloc[i],
                )
            if col.max is not None and (num > col.max).any():
                i = int((num > col.max).to_numpy().argmax())
                raise DataFormatError(
                    file,
                    "value out of range",
                    row=int(rows.iloc[i]),
                    column=col.name,
                    expected=f"<= {col.max}",
                    found=s.iloc[i],
                )
    k = list(key or spec.key)
    dup = df.duplicated(subset=k, keep="first").to_numpy()
    if dup.any():
        pos = int(dup.argmax())
        keys = df[k].astype(str)
        joined = keys.apply(lambda r: "\x1f".join(r), axis=1).to_numpy()
        first = int((joined == joined[pos]).argmax())
        desc = ", ".join(f"{c}={df.iloc[pos][c]}" for c in k)
        raise DataFormatError(
            file,
            f"duplicated row for {desc} (first seen at row {int(rows.iloc[first])})",
            row=int(rows.iloc[pos]),
            expected="one row per key",
            found="a second row",
        )


# -- plausibility: rules across rows and against the file's own vintage ---------------------------
WORLD_SUM_MARGIN = 0.10  # country rows may exceed the world row by this much (1987 reaches 7%)
WORLD_ONE_MARGIN = 0.01  # no single partner may exceed the world


def check_plausible(
    table: str, df: pd.DataFrame, file: str, vintage: date | None, *, today: date | None = None
) -> None:
    """Refuse a file whose rows cannot be right, naming the first such row (DataFormatError).

    - no year after the file's vintage year or the current year (fiscal years: one later);
    - trade: no partner above the world total of the same flow, product and period in the same
      file, and the country rows together not more than 10% above it.
    """
    spec = table_spec(table)
    today = today or date.today()
    rows = df["_row"] if "_row" in df.columns else pd.Series(range(1, len(df) + 1), index=df.index)
    for col in ("year", "fiscal_year"):
        if col not in spec.column_names or col not in df.columns:
            continue
        extra = 1 if col == "fiscal_year" else 0
        limit = today.year + extra if vintage is None else min(vintage.year, today.year) + extra
        num = pd.to_numeric(df[col], errors="coerce")
        bad = (num > limit).to_numpy()
        if bad.any():
            i = int(bad.argmax())
            why = f"the file's vintage is {vintage.isoformat()}" if vintage is not None else "the current year"
            raise DataFormatError(
                file,
                f"{col.replace('_', ' ')} after {why}; the file is refused",
                row=int(rows.iloc[i]),
                column=col,
                expected=f"<= {limit}",
                found=df[col].iloc[i],
            )
    if table == "trade":
        _check_world_totals(df, file, rows)


def _check_world_totals(df: pd.DataFrame, file: str, rows: pd.Series) -> None:
    period = ["flow", "basis", "product", "adjustment", "year", "month"]
    if "partner_kind" not in df.columns or not (df["partner_kind"] == "world").any():
        return
    # one integer per period (the groups of the columns as text, so 2024 and "2024" are one period)
    key = pd.Series(
        df[period].astype(str).groupby(period, sort=False, dropna=False).ngroup().to_numpy(), index=df.index
    )
    value = pd.to_numeric(df["value_usd"], errors="coerce")
    world_mask = (df["partner_kind"] == "world").to_numpy()
    world = pd.Series(value[world_mask].to_numpy(), index=key[world_mask].to_numpy())
    world = world[~world.index.duplicated(keep="first")]
    world_row = pd.Series(rows[world_mask].to_numpy(), index=key[world_mask].to_numpy())
    world_row = world_row[~world_row.index.duplicated(keep="first")]
    country = (df["partner_kind"] == "country").to_numpy()
    ref = key[country].map(world)
    v = value[country]
    over = (ref > 0) & (v > ref * (1 + WORLD_ONE_MARGIN))
    if over.any():
        pos = int(over.to_numpy().argmax())
        i = int(pd.Index(df.index).get_loc(over.index[pos]))
        raise DataFormatError(
            file,
            f"partner {df['partner'].iloc[i]} above the world total of the same period in this file "
            f"(a value in thousands instead of millions?); the file is refused",
            row=int(rows.iloc[i]),
            column="value_usd",
            expected=f"at most the world total {float(ref.iloc[pos]):,.0f}",
            found=float(v.iloc[pos]),
        )
    sums = v.groupby(key[country].to_numpy()).sum()
    ref_sum = world.reindex(sums.index)
    high = sums[(ref_sum > 0) & (sums > ref_sum * (1 + WORLD_SUM_MARGIN))]
    if len(high):
        k = high.index[0]
        raise DataFormatError(
            file,
            "country rows add up to more than the world total of the same period; the file is refused",
            row=int(world_row[k]),
            column="value_usd",
            expected=f"a sum within {WORLD_SUM_MARGIN:.0%} of the world total {float(world[k]):,.0f}",
            found=float(high.iloc[0]),
        )


# Columns of the catalog's `sources` table (one row per loaded file), in order.
SOURCE_COLUMNS = [
    "source_id",
    "dataset",
    "agency",
    "title",
    "url",
    "file_name",
    "sha256",
    "bytes",
    "retrieved_at",
    "vintage",
    "release",
    "parser_version",
    "fact_table",
    "rows",
    "loaded_at",
    "origin",
    "kind",
    "notes",
]
