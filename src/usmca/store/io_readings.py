"""The value-added readings of each input-output table, computed once when the table is loaded.

A world input-output table is a few million cells; what a claim about it needs is a handful of
numbers per exporter and source (value added by origin, Borin-Mancini FVA, import content ...),
about 20,000 rows per WIOD year (see :mod:`usmca.models.va_readings`).  They are computed when
the table is parsed (in the load's worker process), kept in the catalog table ``io_readings``
and in the snapshot's ``io_readings.parquet``, so that checking a text never imports SciPy or
reads an IO table.  A store loaded before this table existed falls back to computing them from
the IO table (``usmca.indicators.value_added``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

#: Datasets whose readings are precomputed (the ones the value-added indicators read).
DATASETS = ("wiod.wiot",)
#: Name of the staged readings file beside an IO table's Parquet parts (not an IO part itself).
PART = "_readings"

DDL = """
CREATE TABLE IF NOT EXISTS io_readings (
    source_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    pos INTEGER NOT NULL,       -- row order (table order of exporters, sources, sectors)
    exporter VARCHAR NOT NULL,  -- country (region for output_multiplier)
    source VARCHAR NOT NULL,    -- source country (sector for output_multiplier)
    reading VARCHAR NOT NULL,
    value DOUBLE,
    unit VARCHAR
)
"""
COLUMNS = ("source_id", "dataset", "year", "pos", "exporter", "source", "reading", "value", "unit")


def frame(table: Any) -> Any:
    """The readings of one MRIOTable as a frame with a `pos` column (imports the IO models)."""
    from usmca.models.va_readings import value_added_readings

    df = value_added_readings(table)
    df.insert(0, "pos", range(len(df)))
    return df


def stage(table: Any, dataset: str, folder: Path) -> Path | None:
    """Write the readings of a table of a precomputed dataset to `folder`; None for other datasets."""
    if dataset not in DATASETS:
        return None
    path = folder / f"{PART}.parquet"
    folder.mkdir(parents=True, exist_ok=True)
    frame(table).to_parquet(path, index=False, compression="zstd")
    return path


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def record(con: duckdb.DuckDBPyConnection, source_id: str, dataset: str, year: int, path: Path) -> None:
    """Insert a staged readings file into the catalog (inside the load's transaction) and delete it."""
    ensure(con)
    con.execute("DELETE FROM io_readings WHERE source_id = ?", [source_id])
    cols = ", ".join(COLUMNS[3:])
    con.execute(
        f"INSERT INTO io_readings SELECT ?, ?, ?, {cols} FROM read_parquet(?)",
        [source_id, dataset, year, str(path)],
    )
    path.unlink(missing_ok=True)


def drop(con: duckdb.DuckDBPyConnection, source_id: str) -> None:
    ensure(con)
    con.execute("DELETE FROM io_readings WHERE source_id = ?", [source_id])
