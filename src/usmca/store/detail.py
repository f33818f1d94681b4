"""Detail-level facts kept as Hive-partitioned Parquet beside the catalog, queried in place by DuckDB.

Layout (one folder per partition, one or more files per loaded source):

    <store>/detail/trade_detail/flow=exports/year=2024/month=3/part-<source>-<id>.parquet

The catalog's `detail_files` table lists every file with its source, partition, rows, bytes and
sha256; the reader's `trade_detail` view reads exactly those files (`read_parquet([...],
hive_partitioning = true)`), never a glob, so a file written by a load that did not commit is never
seen (and is removed by the next write session). Within a file rows are sorted by the table's
`sort_by` (commodity level, commodity, partner, district) and written in row groups of
`ROW_GROUP_ROWS`: a query for one code reads one or two row groups per partition.

Vintages: the folders hold the current revision only (unlike `trade`, which keeps every vintage).
When a load brings rows whose key is already stored for the same partition, the newer source (by
vintage, then load time) keeps them: the older file is rewritten without them, or the incoming
rows are dropped. Removing a source removes its files.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from usmca.errors import StoreError
from usmca.store import integrity
from usmca.store.integrity import disk_errors
from usmca.tables import DETAIL_TABLES, PartitionedTable

DETAIL_DIR = "detail"
STAGING = ".staging"
ROW_GROUP_ROWS = 122_880  # DuckDB's default row group: ~1.2 MB of zstd Parquet for trade_detail

FILES_DDL = """
CREATE TABLE IF NOT EXISTS detail_files (
    table_name VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    partition VARCHAR NOT NULL,        -- flow=exports/year=2024/month=3
    parquet_path VARCHAR NOT NULL,     -- relative to the store folder
    rows BIGINT NOT NULL,
    bytes BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows_all_districts BIGINT NOT NULL, -- rows with no district (national totals)
    rows_not_country BIGINT NOT NULL    -- rows for world or group partners
)
"""

COLUMNS = [
    "table_name",
    "source_id",
    "dataset",
    "partition",
    "parquet_path",
    "rows",
    "bytes",
    "sha256",
    "rows_all_districts",
    "rows_not_country",
]

HIVE_TYPES = {"flow": "VARCHAR", "year": "INTEGER", "month": "INTEGER"}


def _q(text: str | Path) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(FILES_DDL)


def folder(root: Path, table: str) -> Path:
    return root / DETAIL_DIR / table


def partition_path(spec: PartitionedTable, values: dict[str, Any]) -> str:
    """`flow=exports/year=2024/month=3` (the layout DuckDB's `COPY ... PARTITION_BY` writes)."""
    return "/".join(f"{c}={values[c]}" for c in spec.partition_by)


def hive_types(spec: PartitionedTable) -> str:
    sql = {c.name: c.sql for c in spec.columns}
    return "{" + ", ".join(f"'{c}': '{sql[c]}'" for c in spec.partition_by) + "}"


def read_sql(spec: PartitionedTable, files: list[str]) -> str:
    """A SELECT of the table's columns (provenance first) over these Parquet files, partitions from the paths."""
    cols = ", ".join(["source_id", "dataset", *[f'"{c}"' for c in spec.column_names]])
    listed = "[" + ", ".join(_q(f) for f in files) + "]"
    return (
        f"SELECT {cols} FROM read_parquet({listed}, hive_partitioning = true, "
        f"hive_types = {hive_types(spec)}, hive_types_autocast = false)"
    )


@dataclass
class Written:
    """What a load did to the detail folders (for the caller's session bookkeeping)."""

    created: list[Path]
    obsolete: list[Path]
    rows: int


def _typed(spec: PartitionedTable, relation: str) -> str:
    cols = ", ".join(f'CAST("{c.name}" AS {c.sql}) AS "{c.name}"' for c in spec.columns)
    return f"SELECT {cols} FROM {relation}"


def _key(spec: PartitionedTable, alias: str = "") -> str:
    inner = [c for c in spec.current_by if c not in spec.partition_by]
    return "hash(" + ", ".join(f'{alias}"{c}"' for c in inner) + ")"


def write_file(
    con: duckdb.DuckDBPyConnection, spec: PartitionedTable, select: str, root: Path, part: str, source_id: str
) -> tuple[Path, int, int, str, int, int]:
    """Write the rows of `select` (file columns) sorted, staged, then moved into the partition folder.

    Returns (final path, rows, bytes, sha256, rows with no district, rows not for a country).
    """
    stage = folder(root, spec.name).parent / STAGING / f"{os.getpid()}"
    name = f"part-{source_id.replace('@', '_')}-{uuid.uuid4().hex[:8]}.parquet"
    staged = stage / name
    order = ", ".join(f'"{c}"' for c in spec.sort_by)
    with disk_errors(staged):
        stage.mkdir(parents=True, exist_ok=True)
        try:
            con.execute(
                f"COPY (SELECT * FROM ({select}) ORDER BY {order}) TO {_q(staged)} "
                f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_ROWS})"
            )
        except duckdb.Error as e:
            if integrity.is_disk_full(e):
                raise integrity.disk_full_error(staged) from e
            raise StoreError(f"cannot write {staged}: {e}; the store is unchanged") from e
        row = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE district IS NULL), "
            f"count(*) FILTER (WHERE partner_kind <> 'country') FROM read_parquet({_q(staged)})"
        ).fetchone()
        assert row is not None
        rows, national, aggregate = int(row[0]), int(row[1]), int(row[2])
        digest, size = integrity.sha256_file(staged), staged.stat().st_size
        final = folder(root, spec.name) / part / name
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, final)
    return final, rows, size, digest, national, aggregate


def record(
    con: duckdb.DuckDBPyConnection,
    spec: PartitionedTable,
    root: Path,
    source_id: str,
    dataset: str,
    part: str,
    written: tuple[Path, int, int, str, int, int],
) -> None:
    final, rows, size, digest, national, aggregate = written
    con.execute(
        f"INSERT INTO detail_files ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})",
        [
            spec.name,
            source_id,
            dataset,
            part,
            final.relative_to(root).as_posix(),
            rows,
            size,
            digest,
            national,
            aggregate,
        ],
    )


def write(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    table: str,
    relation: str,
    source_id: str,
    dataset: str,
    vintage: Any,
    loaded_at: datetime,
) -> Written:
    """Put the validated rows of `relation` (in `con`, the write session's catalog) into partition files.

    Inside the session's transaction: the files are written and moved into place, and recorded in
    `detail_files`; the caller removes `created` if the session fails and `obsolete` once it commits.
    """
    spec = DETAIL_TABLES[table]
    ensure(con)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _din AS {_typed(spec, relation)}")
    created: list[Path] = []
    obsolete: list[Path] = []
    total = 0
    try:
        pcols = ", ".join(f'"{c}"' for c in spec.partition_by)
        parts = con.execute(f"SELECT DISTINCT {pcols} FROM _din ORDER BY {pcols}").fetchall()
        fcols = ", ".join(f'"{c}"' for c in spec.file_columns if c not in ("source_id", "dataset"))
        for values in parts:
            vals = dict(zip(spec.partition_by, values, strict=True))
            part = partition_path(spec, vals)
            where = " AND ".join(f'"{c}" = ?' for c in spec.partition_by)
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _dpart AS SELECT *, {_key(spec)} AS _k FROM _din WHERE {where}",
                list(values),
            )
            lost = _resolve(con, spec, root, part, source_id, vintage, loaded_at, created, obsolete)
            keep = "WHERE _k NOT IN (SELECT _k FROM _dlost)" if lost else ""
            select = f"SELECT ? AS source_id, ? AS dataset, {fcols} FROM _dpart {keep}"
            select = select.replace("?", _q(source_id), 1).replace("?", _q(dataset), 1)
            n = con.execute(f"SELECT count(*) FROM _dpart {keep}").fetchone()
            if not n or not n[0]:
                continue
            written = write_file(con, spec, select, root, part, source_id)
            created.append(written[0])
            record(con, spec, root, source_id, dataset, part, written)
            total += written[1]
    except BaseException:
        for p in created:
            p.unlink(missing_ok=True)
        raise
    finally:
        for t in ("_din", "_dpart", "_dlost"):
            con.execute(f"DROP TABLE IF EXISTS {t}")
    return Written(created, obsolete, total)


def _resolve(
    con: duckdb.DuckDBPyConnection,
    spec: PartitionedTable,
    root: Path,
    part: str,
    source_id: str,
    vintage: Any,
    loaded_at: datetime,
    created: list[Path],
    obsolete: list[Path],
) -> bool:
    """Keys of `_dpart` already stored in this partition: the newer source keeps them.

    Older files are rewritten without the keys (new file staged, old one obsolete); keys whose stored
    source is newer are put in `_dlost` (the incoming rows are dropped). True when `_dlost` has rows.
    """
    con.execute("CREATE OR REPLACE TEMP TABLE _dlost (_k UBIGINT)")
    existing = con.execute(
        "SELECT f.parquet_path, f.source_id, f.dataset, s.vintage, s.loaded_at FROM detail_files f "
        "JOIN sources s USING (source_id) WHERE f.table_name = ? AND f.partition = ? ORDER BY f.parquet_path",
        [spec.name, part],
    ).fetchall()
    lost = False
    mine = (vintage, loaded_at, source_id)
    for path, sid, ds, v, at, *_ in existing:
        full = root / path
        src = f"read_parquet({_q(full)})"
        hit = con.execute(f"SELECT count(*) FROM {src} WHERE {_key(spec)} IN (SELECT _k FROM _dpart)").fetchone()
        if not hit or not hit[0]:
            continue
        if (v, at, sid) > mine:  # the stored rows are newer: they stay, the incoming ones go
            con.execute(
                f"INSERT INTO _dlost SELECT DISTINCT {_key(spec)} FROM {src} "
                f"WHERE {_key(spec)} IN (SELECT _k FROM _dpart)"
            )
            lost = True
            continue
        # the incoming rows are newer: the stored file is rewritten without their keys
        con.execute("DELETE FROM detail_files WHERE parquet_path = ?", [path])
        obsolete.append(full)
        rest = f"SELECT * FROM {src} WHERE {_key(spec)} NOT IN (SELECT _k FROM _dpart)"
        n = con.execute(f"SELECT count(*) FROM ({rest})").fetchone()
        if n and n[0]:
            written = write_file(con, spec, rest, root, part, sid)
            created.append(written[0])
            record(con, spec, root, sid, ds, part, written)
    return lost


def drop(con: duckdb.DuckDBPyConnection, root: Path, source_id: str) -> list[Path]:
    """Forget a source's files in the catalog; the files to delete once the session commits."""
    ensure(con)
    rows = con.execute("SELECT parquet_path FROM detail_files WHERE source_id = ?", [source_id]).fetchall()
    con.execute("DELETE FROM detail_files WHERE source_id = ?", [source_id])
    return [root / p for (p,) in rows]


def referenced(con: duckdb.DuckDBPyConnection, root: Path) -> set[Path] | None:
    """The files the catalog lists (None when it has no `detail_files` table: an older store)."""
    n = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'detail_files'").fetchone()
    if not n or not n[0]:
        return None
    return {root / p for (p,) in con.execute("SELECT parquet_path FROM detail_files").fetchall()}


def cleanup(root: Path, used: set[Path] | None) -> None:
    """Remove what a killed load left: staged files and Parquet files no catalog row names."""
    base = root / DETAIL_DIR
    if not base.is_dir():
        return
    import shutil

    shutil.rmtree(base / STAGING, ignore_errors=True)
    used = used or set()
    for p in base.rglob("*.parquet"):
        if p not in used:
            p.unlink(missing_ok=True)


# -- reading ---------------------------------------------------------------------------------------
def _has_files_table(con: duckdb.DuckDBPyConnection) -> bool:
    n = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'st' AND table_name = 'detail_files'"
    ).fetchone()
    return bool(n and n[0])


def views(con: duckdb.DuckDBPyConnection, root: Path | None, has_store: bool) -> None:
    """The reader's `detail_files` table and, for each detail table, a view over its files (or an
    empty table when none is loaded). Each file's size is checked (a stat); the rows are not read."""
    con.execute(FILES_DDL.replace("IF NOT EXISTS ", ""))
    if root is not None and has_store and _has_files_table(con):
        cols = ", ".join(COLUMNS)
        con.execute(f"INSERT INTO detail_files SELECT {cols} FROM st.detail_files ORDER BY parquet_path")
    listed = con.execute("SELECT table_name, parquet_path, bytes FROM detail_files ORDER BY parquet_path").fetchall()
    for name, spec in DETAIL_TABLES.items():
        mine = [(p, n) for t, p, n in listed if t == name]
        if not mine or root is None:
            con.execute(spec.ddl())
            continue
        paths = []
        for rel, size in mine:
            p = root / str(rel)
            integrity.check_size(p, int(size))
            paths.append(str(p))
        con.execute(f'CREATE VIEW "{name}" AS {read_sql(spec, paths)}')


def verify(con: duckdb.DuckDBPyConnection, root: Path, *, full: bool) -> list[Path]:
    """Check every detail file against its recorded size (and sha256 when `full`)."""
    n = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'detail_files'").fetchone()
    if not n or not n[0]:
        return []
    out = []
    for path, size, digest in con.execute("SELECT parquet_path, bytes, sha256 FROM detail_files ORDER BY 1").fetchall():
        p = root / path
        integrity.check_parquet(p, size=size, sha256=digest, full=full)
        out.append(p)
    return out
