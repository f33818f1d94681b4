"""Read-only view of the facts: the loaded store first, the bundled snapshot for the rest.

`open_reader()` returns an in-memory DuckDB connection in which each fact table name
(`trade`, `population`, ...) holds the current rows (newest vintage per key), drawn from the
user's store and, for datasets the store does not hold, from the snapshot shipped in the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from usmca.store.catalog import SOURCE_COLUMNS, Store, current_sql
from usmca.store.schema import TABLES


def snapshot_dir() -> Path:
    return Path(str(resources.files("usmca") / "data" / "snapshot"))


def _q(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


@dataclass
class Reader:
    con: duckdb.DuckDBPyConnection
    store: Store | None
    uses_snapshot: bool
    datasets: dict[str, str] = field(default_factory=dict)  # dataset -> "store" | "snapshot"
    _io_cache: dict[Any, Any] = field(default_factory=dict)
    _memo: dict[Any, pd.DataFrame] = field(default_factory=dict)
    _sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def one(self, sql: str, params: list[Any] | None = None) -> Any:
        row = self.con.execute(sql, params or []).fetchone()
        return row[0] if row else None

    def relation(self, table: str, vintage: date | None = None) -> str:
        """SQL for a FROM clause: current rows, or the rows current as of a vintage date."""
        if vintage is None:
            return f'"{table}"'
        if self.store is None:
            raise ValueError("--vintage needs a loaded store (the snapshot holds current rows only)")
        v = vintage.isoformat()
        return (
            f"({current_sql(table, f'st.{table}', f'(SELECT * FROM st.sources WHERE vintage <= DATE {v!r})')})"
        )

    def source(self, source_id: str) -> dict[str, Any]:
        if not self._sources:
            for r in self.df("SELECT * FROM sources").to_dict("records"):
                self._sources[str(r["source_id"])] = {str(k): (None if pd.isna(v) else v) for k, v in r.items()}
        return self._sources.get(source_id, {"id": source_id})

    def io_years(self, dataset: str = "wiod.wiot") -> list[int]:
        return [int(r[0]) for r in self.con.execute(
            "SELECT DISTINCT year FROM io_tables WHERE dataset = ? ORDER BY year", [dataset]).fetchall()]

    def io_table(self, year: int | None = None, dataset: str = "wiod.wiot") -> tuple[Any, str] | None:
        """The input-output table of a year (default: the latest) and its source id, or None."""
        years = self.io_years(dataset)
        if not years:
            return None
        y = years[-1] if year is None else year
        if y not in years:
            return None
        key = (dataset, y)
        if key not in self._io_cache:
            from usmca.models.mrio import MRIOTable

            rows = self.con.execute("SELECT source_id, part, parquet_path FROM io_tables "
                                    "WHERE dataset = ? AND year = ?", [dataset, y]).fetchall()
            sid = rows[0][0]
            frames = {part: pd.read_parquet(path) for _, part, path in rows}
            table = MRIOTable.from_frames(frames, source={"source_id": sid})
            self._io_cache[key] = (table, sid)
        return self._io_cache[key]

    def close(self) -> None:
        self.con.close()


def open_reader(store: Store | None, *, use_snapshot: bool = True) -> Reader:
    con = duckdb.connect(":memory:")
    have_store = store is not None and store.exists()
    snap = snapshot_dir()
    have_snap = use_snapshot and (snap / "sources.parquet").exists()
    if have_store:
        assert store is not None
        try:
            con.execute(f"ATTACH {_q(store.db_path)} AS st (READ_ONLY)")
        except duckdb.Error as e:
            from usmca.errors import StoreError

            raise StoreError(f"cannot open store {store.db_path} for reading: {e}") from e
    parts = []
    if have_store:
        parts.append(f"SELECT {', '.join(SOURCE_COLUMNS)} FROM st.sources")
    if have_snap:
        filt = " WHERE dataset NOT IN (SELECT dataset FROM st.sources)" if have_store else ""
        parts.append(
            f"SELECT {', '.join(SOURCE_COLUMNS)} FROM read_parquet({_q(snap / 'sources.parquet')}){filt}"
        )
    if parts:
        con.execute("CREATE TABLE sources AS " + " UNION ALL BY NAME ".join(parts))
    else:
        con.execute("CREATE TABLE sources AS SELECT * FROM (SELECT NULL::VARCHAR AS source_id) WHERE false")
    datasets = {
        d: o for d, o in con.execute(
            "SELECT dataset, CASE WHEN origin = 'snapshot' THEN 'snapshot' ELSE 'store' END FROM sources"
        ).fetchall()
    }
    for name, spec in TABLES.items():
        cols = ", ".join(["source_id", "dataset", *[f'"{c}"' for c in spec.column_names]])
        u = []
        if have_store:
            u.append(f"SELECT {cols} FROM st.{name}_current")
        f = snap / f"{name}.parquet"
        if have_snap and f.exists():
            filt = " WHERE dataset NOT IN (SELECT dataset FROM st.sources)" if have_store else ""
            u.append(f"SELECT {cols} FROM read_parquet({_q(f)}){filt}")
        if len(u) == 1:
            # One origin: its rows are already the current ones; a view reads them lazily.
            con.execute(f'CREATE VIEW "{name}" AS {u[0]}')
        elif u:
            union = "(" + " UNION ALL ".join(u) + ")"
            con.execute(f'CREATE TABLE "{name}" AS {current_sql(name, union, "sources")}')
        else:
            con.execute(spec.ddl())
    io_parts = []
    if have_store:
        io_parts.append("SELECT source_id, dataset, year, part, parquet_path FROM st.io_tables")
    snap_io = snap / "io_tables.parquet"
    if have_snap and snap_io.exists():
        filt = " WHERE dataset NOT IN (SELECT dataset FROM st.sources)" if have_store else ""
        io_parts.append(f"SELECT source_id, dataset, year, part, {_q(snap)} || '/' || parquet_path AS parquet_path "
                        f"FROM read_parquet({_q(snap_io)}){filt}")
    if io_parts:
        con.execute("CREATE TABLE io_tables AS " + " UNION ALL ".join(io_parts))
    else:
        con.execute("CREATE TABLE io_tables (source_id VARCHAR, dataset VARCHAR, year INTEGER, part VARCHAR, "
                    "parquet_path VARCHAR)")
    return Reader(con=con, store=store if have_store else None, uses_snapshot=have_snap,
                  datasets=datasets)
