"""Read-only view of the facts: the loaded store first, the bundled snapshot for the rest.

`open_reader()` returns an in-memory DuckDB connection in which each fact table name
(`trade`, `population`, ...) holds the current rows (newest vintage per key), drawn from the
user's store and, for datasets the store does not hold, from the snapshot shipped in the package.
Detail-level tables (`trade_detail`) are views over the store's Parquet partitions, read in place;
`detail_files` lists those files (empty when none is loaded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from usmca.errors import StoreError
from usmca.store import detail, integrity, io_arrays, merged
from usmca.store.catalog import Store, current_sql, resolve_io_path
from usmca.store.merged import snapshot_dir
from usmca.tables import SOURCE_COLUMNS, TABLES


def _q(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


@dataclass
class Reader:
    con: duckdb.DuckDBPyConnection
    store: Store | None
    uses_snapshot: bool
    datasets: dict[str, str] = field(default_factory=dict)  # dataset -> "store" | "snapshot"
    _io_cache: dict[Any, Any] = field(default_factory=dict)
    _memo: dict[Any, Any] = field(default_factory=dict)  # query results (DataFrames), IO years
    _sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    # What the reader reads, by file identity (path, size, mtime): figures cached under it
    # (usmca.indicators.base.FIGURES) are shared by readers of the same, unchanged data.
    state: tuple[Any, ...] | None = None

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        try:
            return self.con.execute(sql, params or []).df()
        except duckdb.IOException as e:
            raise self._damage(e) from e

    def one(self, sql: str, params: list[Any] | None = None) -> Any:
        try:
            row = self.con.execute(sql, params or []).fetchone()
        except duckdb.IOException as e:
            raise self._damage(e) from e
        return row[0] if row else None

    def _damage(self, e: Exception) -> StoreError:
        """A read that failed on a damaged file (DuckDB checks each block's checksum)."""
        where = self.store.db_path if self.store is not None else "the bundled snapshot"
        return StoreError(f"store file {where} could not be read (damaged?): {e}")

    def relation(self, table: str, vintage: date | None = None) -> str:
        """SQL for a FROM clause: current rows, or the rows current as of a vintage date."""
        if vintage is None:
            return f'"{table}"'
        if self.store is None:
            raise ValueError("--vintage needs a loaded store (the snapshot holds current rows only)")
        v = vintage.isoformat()
        return f"({current_sql(table, f'st.{table}', f'(SELECT * FROM st.sources WHERE vintage <= DATE {v!r})')})"

    def source(self, source_id: str) -> dict[str, Any]:
        if not self._sources:
            for r in self.df("SELECT * FROM sources").to_dict("records"):
                self._sources[str(r["source_id"])] = {str(k): (None if pd.isna(v) else v) for k, v in r.items()}
        return self._sources.get(source_id, {"id": source_id})

    def io_years(self, dataset: str = "wiod.wiot") -> list[int]:
        key = ("io_years", dataset)  # the reader's data never change while it is open
        if key not in self._memo:
            self._memo[key] = [
                int(r[0])
                for r in self.con.execute(
                    "SELECT DISTINCT year FROM io_tables WHERE dataset = ? ORDER BY year", [dataset]
                ).fetchall()
            ]
        return list(self._memo[key])

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
            rows = self.con.execute(
                "SELECT source_id, part, parquet_path, bytes, sha256 FROM io_tables WHERE dataset = ? AND year = ?",
                [dataset, y],
            ).fetchall()
            sid = rows[0][0]
            if any(io_arrays.is_array_part(path) for _, _, path, _, _ in rows):
                # dense arrays (this version's store): checked, then mapped read-only
                parts = {part: (Path(path), size, digest) for _, part, path, size, digest in rows}
                table = io_arrays.read_arrays(parts, source={"source_id": sid})
            else:  # long Parquet: the bundled snapshot, and stores written before dense arrays
                from usmca.models.mrio import MRIOTable

                frames = {
                    part: integrity.read_parquet_verified(Path(path), size=size, sha256=digest)
                    for _, part, path, size, digest in rows
                }
                table = MRIOTable.from_frames(frames, source={"source_id": sid})
            self._io_cache[key] = (table, sid)
        return self._io_cache[key]

    def close(self) -> None:
        self.con.close()


def snapshot_files(snap: Path) -> dict[str, dict[str, Any]]:
    """The snapshot's recorded files (name -> rows, bytes, sha256) from its manifest."""
    import json

    m = snap / "manifest.json"
    if not m.exists():
        return {}
    try:
        data = json.loads(m.read_text())
        files = [*data.get("files", []), *data.get("io_files", [])]
    except (OSError, ValueError) as e:
        raise StoreError(f"snapshot file {m} is damaged: {e}") from e
    return {str(f["file"]): f for f in files if isinstance(f, dict) and "file" in f}


def check_snapshot(snap: Path, *, full: bool = False) -> list[Path]:
    """Size, footer and (recorded, when `full` or small) sha256 of the snapshot's Parquet files."""
    checked = []
    recorded = snapshot_files(snap)
    for name, rec in recorded.items():
        if not name.endswith(".parquet"):
            continue
        p = snap / name
        # The fact files are a few MB at most: hashing them at each open costs milliseconds.
        integrity.check_parquet(p, size=rec.get("bytes"), sha256=rec.get("sha256"), full=True)
        checked.append(p)
    for name, rec in recorded.items():  # io/<source>/<part>.parquet, when the manifest lists them
        if name.startswith("io/") and name.endswith(".parquet"):
            integrity.check_parquet(snap / name, size=rec.get("bytes"), sha256=rec.get("sha256"), full=full)
            checked.append(snap / name)
    return checked


def _has_checksums(con: duckdb.DuckDBPyConnection) -> bool:
    """Stores written before checksums were recorded have no sha256/bytes columns in io_tables."""
    n = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE database_name = 'st' AND table_name = 'io_tables' "
        "AND column_name IN ('sha256', 'bytes')"
    ).fetchone()
    return bool(n and n[0] == 2)


def open_reader(store: Store | None, *, use_snapshot: bool = True, snapshot: Path | None = None) -> Reader:
    """A read-only view; StoreError (naming the file) when a file of the store or snapshot is damaged.

    The store's catalog is attached read-only, so readers never wait for a load: they see the
    state committed when they opened.
    """
    try:
        return _open_reader(store, use_snapshot=use_snapshot, snapshot=snapshot)
    except duckdb.Error as e:
        where = store.db_path if store is not None and store.exists() else "the bundled snapshot"
        raise StoreError(f"cannot read {where} (damaged?): {e}") from e


def _open_reader(store: Store | None, *, use_snapshot: bool, snapshot: Path | None) -> Reader:
    con = duckdb.connect(":memory:")
    have_store = store is not None and store.exists()
    snap = snapshot if snapshot is not None else snapshot_dir()
    have_snap = use_snapshot and (snap / "sources.parquet").exists()
    if have_snap:
        check_snapshot(snap)
    if have_store:
        assert store is not None
        integrity.check_catalog(store.db_path)
        try:
            con.execute(f"ATTACH {_q(store.db_path)} AS st (READ_ONLY)")
        except duckdb.Error as e:
            raise StoreError(f"cannot open store {store.db_path} for reading: {e}") from e
    if have_store and have_snap and snapshot is None and not merged.usable(con, snap):
        # The bundled snapshot changed since the store was last written (a new version of the
        # package): merge them again once, so that this and every later open is a view, not a union
        # rebuilt in memory. A store being loaded, or one that cannot be written, is read as it is.
        assert store is not None
        con.execute("DETACH st")
        store.refresh_merge()
        con.execute(f"ATTACH {_q(store.db_path)} AS st (READ_ONLY)")
    if have_store and have_snap and merged.usable(con, snap):
        # merged when the store was written: views, nothing copied or ranked here
        merged.views(con)
    else:
        _union_in_memory(con, have_store, have_snap, snap)
    datasets = {
        d: o
        for d, o in con.execute(
            "SELECT dataset, CASE WHEN origin = 'snapshot' THEN 'snapshot' ELSE 'store' END FROM sources"
        ).fetchall()
    }
    _io_tables(con, store if have_store else None, snap if have_snap else None)
    _io_readings(con, have_store, snap if have_snap else None)
    # detail-level facts (`trade_detail`): a view over the store's partition files; the snapshot has none
    detail.views(con, store.root if have_store and store is not None else None, have_store)
    return Reader(
        con=con,
        store=store if have_store else None,
        uses_snapshot=have_snap,
        datasets=datasets,
        state=_state(store.db_path if have_store and store is not None else None, snap if have_snap else None),
    )


def _union_in_memory(con: duckdb.DuckDBPyConnection, have_store: bool, have_snap: bool, snap: Path) -> None:
    """The reader's tables for a store not merged with this snapshot (written by an older version, or
    a custom snapshot): the union ranked in memory when both hold rows of a table."""
    parts = []
    if have_store:
        parts.append(f"SELECT {', '.join(SOURCE_COLUMNS)} FROM st.sources")
    if have_snap:
        filt = " WHERE dataset NOT IN (SELECT dataset FROM st.sources)" if have_store else ""
        parts.append(f"SELECT {', '.join(SOURCE_COLUMNS)} FROM read_parquet({_q(snap / 'sources.parquet')}){filt}")
    if parts:
        con.execute("CREATE TABLE sources AS " + " UNION ALL BY NAME ".join(parts))
    else:
        con.execute("CREATE TABLE sources AS SELECT * FROM (SELECT NULL::VARCHAR AS source_id) WHERE false")
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


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """INSERT the rows in one statement: DuckDB's executemany runs one statement per row (about 1 ms
    each), which made opening a store of 17 WIOD years pay for every part of every year."""
    width = len(rows[0])
    one = "(" + ", ".join("?" * width) + ")"
    for at in range(0, len(rows), 500):  # bounded statements, whatever the number of parts
        chunk = rows[at : at + 500]
        con.execute(f"INSERT INTO {table} VALUES " + ", ".join([one] * len(chunk)), [v for r in chunk for v in r])


def _io_tables(con: duckdb.DuckDBPyConnection, store: Store | None, snap: Path | None) -> None:
    """`io_tables`: the IO tables' files (store paths resolved), the store's first."""
    have_store = store is not None
    io_parts = []
    if store is not None:
        rows = (
            con.execute(
                "SELECT source_id, dataset, year, part, parquet_path, "
                "TRY_CAST(sha256 AS VARCHAR), TRY_CAST(bytes AS BIGINT) FROM st.io_tables"
            ).fetchall()
            if _has_checksums(con)
            else [
                (*r, None, None)
                for r in con.execute("SELECT source_id, dataset, year, part, parquet_path FROM st.io_tables").fetchall()
            ]
        )
        con.execute(
            "CREATE TEMP TABLE _st_io (source_id VARCHAR, dataset VARCHAR, year INTEGER, part VARCHAR, "
            "parquet_path VARCHAR, sha256 VARCHAR, bytes BIGINT)"
        )
        resolved = [(sid, ds, y, part, str(resolve_io_path(store.root, p)), h, n) for sid, ds, y, part, p, h, n in rows]
        if resolved:
            _insert(con, "_st_io", resolved)
        for *_, p, _h, n in resolved:
            io_arrays.check_stored(Path(p), size=n)
        io_parts.append("SELECT source_id, dataset, year, part, parquet_path, sha256, bytes FROM _st_io")
    snap_io = snap / "io_tables.parquet" if snap is not None else None
    if snap is not None and snap_io is not None and snap_io.exists():
        filt = " WHERE dataset NOT IN (SELECT dataset FROM st.sources)" if have_store else ""
        recorded = snapshot_files(snap)
        con.execute("CREATE TEMP TABLE _snap_io (parquet_path VARCHAR, sha256 VARCHAR, bytes BIGINT)")
        snap_rows = [(k, v.get("sha256"), v.get("bytes")) for k, v in recorded.items() if k.startswith("io/")]
        if snap_rows:
            _insert(con, "_snap_io", snap_rows)
        io_parts.append(
            f"SELECT i.source_id, i.dataset, i.year, i.part, {_q(snap)} || '/' || i.parquet_path "
            f"AS parquet_path, r.sha256, r.bytes FROM read_parquet({_q(snap_io)}) i "
            f"LEFT JOIN _snap_io r USING (parquet_path){filt}"
        )
    if io_parts:
        con.execute("CREATE TABLE io_tables AS " + " UNION ALL ".join(io_parts))
    else:
        con.execute(
            "CREATE TABLE io_tables (source_id VARCHAR, dataset VARCHAR, year INTEGER, part VARCHAR, "
            "parquet_path VARCHAR, sha256 VARCHAR, bytes BIGINT)"
        )


def _io_readings(con: duckdb.DuckDBPyConnection, have_store: bool, snap: Path | None) -> None:
    """`io_readings`: the precomputed value-added readings, the store's first, the snapshot's for the rest."""
    from usmca.store.io_readings import COLUMNS, DDL

    cols = ", ".join(COLUMNS)
    parts = []
    if have_store:
        n = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'st' AND table_name = 'io_readings'"
        ).fetchone()
        if n and n[0]:
            parts.append(f"SELECT {cols} FROM st.io_readings")
    f = snap / "io_readings.parquet" if snap is not None else None
    if f is not None and f.exists():
        filt = " WHERE dataset NOT IN (SELECT dataset FROM st.sources)" if have_store else ""
        parts.append(f"SELECT {cols} FROM read_parquet({_q(f)}){filt}")
    if parts:
        con.execute("CREATE VIEW io_readings AS " + " UNION ALL ".join(parts))
    else:
        con.execute(DDL.replace("IF NOT EXISTS ", ""))


def _stat(path: Path) -> tuple[str, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), st.st_size, st.st_mtime_ns)


def _state(db: Path | None, snap: Path | None) -> tuple[Any, ...]:
    """Identity of the data a reader sees: the catalog (and its write-ahead log) and the snapshot's
    manifest, each by path, size and modification time."""
    out: list[Any] = []
    if db is not None:
        out += [_stat(db), _stat(db.with_name(db.name + ".wal"))]
    if snap is not None:
        out += [_stat(snap / "manifest.json"), _stat(snap / "sources.parquet")]
    return tuple(out)
