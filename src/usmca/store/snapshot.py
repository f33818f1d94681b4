"""The compact snapshot of aggregate official figures shipped inside the package.

Built by `usmca data snapshot` from a loaded store: the current rows of each fact table, with
encounters and seizures summed over their finest dimensions (state, citizenship, ...), and the
`sources` rows they cite (agency, title, URL, file, sha256, vintage), marked origin=snapshot.
A fresh install answers offline from it; a loaded store takes precedence, dataset by dataset.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from usmca import __version__
from usmca.errors import StoreError
from usmca.store import io_readings
from usmca.store.catalog import SOURCE_COLUMNS, Store, resolve_io_path
from usmca.store.integrity import sha256_file
from usmca.store.reader import snapshot_dir
from usmca.tables import TABLES

LIMIT_BYTES = 5 * 1024 * 1024

# What each table keeps in the snapshot (None: every column as loaded).
AGGREGATE: dict[str, str | None] = {
    "trade": None,
    "population": None,
    "economies": None,
    "statements": None,
    "encounters": "fiscal_year, year, month, component, region",
    "seizures": "fiscal_year, year, month, component, region, drug",
    "series": None,
    "value_added_exports": None,
}


# Row order of a snapshot table: the columns checks filter on first, so that a query reads only the
# row groups that can hold its rows (Parquet keeps each row group's min and max per column).
CLUSTER: dict[str, str] = {
    "trade": "basis, product, adjustment, month IS NULL DESC, year, flow, partner, month",
}
ROW_GROUP_ROWS = 16_384


def _select(table: str) -> str:
    sql = _select_rows(table)
    order = CLUSTER.get(table)
    return f"SELECT * FROM ({sql}) ORDER BY {order}" if order else sql


def _select_rows(table: str) -> str:
    spec = TABLES[table]
    group = AGGREGATE[table]
    if group is None:
        return f'SELECT * FROM st."{table}_current"'
    keys = {k.strip() for k in group.split(",")}
    cols = []
    for c in spec.column_names:
        if c in keys:
            cols.append(f'"{c}"')
        elif c == "count":
            cols.append('sum("count") AS "count"')
        elif c in ("events", "quantity_lb"):
            cols.append(f'sum("{c}") AS "{c}"')
        else:
            cols.append(f'NULL::VARCHAR AS "{c}"')
    return (
        f'SELECT source_id, dataset, {", ".join(cols)} FROM st."{table}_current" GROUP BY source_id, dataset, {group}'
    )


READINGS_FILE = "io_readings.parquet"


def write_readings(
    con: duckdb.DuckDBPyConnection | None,
    io_rows: list[tuple[Any, ...]],
    part_path: Any,
    out: Path,
) -> int:
    """Write the value-added readings of the IO tables in `io_rows` (source_id, dataset, year, part,
    path) to `out`: copied from the store's `io_readings` (attached as `st` on `con`) when it has
    them, else computed from the table's parts (`part_path(path)` gives each part's file)."""
    import pandas as pd

    from usmca.store import integrity

    tables: dict[tuple[str, str, int], dict[str, Path]] = {}
    for sid, ds, year, part, path in io_rows:
        if ds in io_readings.DATASETS:
            tables.setdefault((sid, ds, int(year)), {})[part] = Path(part_path(path))
    has_table = con is not None and bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'st' AND table_name = 'io_readings'"
        ).fetchone()[0]  # type: ignore[index]
    )
    frames = []
    for (sid, ds, year), parts in sorted(tables.items()):
        df = None
        if has_table and con is not None:
            df = con.execute(
                f"SELECT {', '.join(io_readings.COLUMNS)} FROM st.io_readings WHERE source_id = ? ORDER BY pos", [sid]
            ).df()
        if df is None or df.empty:
            from usmca.models.mrio import MRIOTable

            table = MRIOTable.from_frames(
                {k: integrity.read_parquet_verified(p, size=None, sha256=None) for k, p in parts.items()}
            )
            df = io_readings.frame(table)
            df.insert(0, "year", year)
            df.insert(0, "dataset", ds)
            df.insert(0, "source_id", sid)
        frames.append(df[list(io_readings.COLUMNS)])
    if not frames:
        return 0
    data = pd.concat(frames, ignore_index=True)
    data["year"] = data["year"].astype("int32")
    data["pos"] = data["pos"].astype("int32")
    data.to_parquet(out, index=False, compression="zstd")
    return len(data)


def add_readings_to_snapshot(snap: Path | None = None) -> dict[str, Any]:
    """Compute `io_readings.parquet` of a built snapshot from its own IO tables and record it in the
    manifest (for snapshots built before the readings were precomputed)."""
    target = Path(snap) if snap else snapshot_dir()
    m = target / "manifest.json"
    manifest = json.loads(m.read_text())
    con = duckdb.connect(":memory:")
    try:
        rows = con.execute(
            "SELECT source_id, dataset, year, part, parquet_path FROM read_parquet(?)",
            [str(target / "io_tables.parquet")],
        ).fetchall()
    finally:
        con.close()
    out = target / READINGS_FILE
    n = write_readings(None, rows, lambda p: target / p, out)
    files = [f for f in manifest["files"] if f.get("file") != READINGS_FILE]
    if n:
        files.insert(
            len(files) - 1,
            {"file": READINGS_FILE, "rows": n, "bytes": out.stat().st_size, "sha256": sha256_file(out)},
        )
    manifest["files"] = files
    manifest["bytes"] = sum(int(f["bytes"]) for f in files)
    m.write_text(json.dumps(manifest, indent=2))
    return manifest


def _io_parts_for_snapshot(
    store: Store, io_rows: list[tuple[Any, ...]], out: Path
) -> list[tuple[str, str, int, Path, dict[str, Path]]]:
    """The latest IO table of each dataset as files of the snapshot, in its compact long Parquet
    (a store's dense arrays are 20 times larger): (source_id, dataset, year, folder, part -> file)."""
    from usmca.store.catalog import write_parts
    from usmca.store.io_arrays import is_array_part, read_arrays

    by_source: dict[str, list[tuple[Any, ...]]] = {}
    for row in io_rows:
        by_source.setdefault(str(row[0]), []).append(row)
    done = []
    for sid, rows in by_source.items():
        ds, year = str(rows[0][1]), int(rows[0][2])
        sub = out / sid.replace("@", "_")
        sub.mkdir(parents=True, exist_ok=True)
        if any(is_array_part(r[4]) for r in rows):
            table = read_arrays({r[3]: (resolve_io_path(store.root, r[4]), r[5], r[6]) for r in rows})
            parts = write_parts(table, sub)
        else:  # a store written before dense arrays: its Parquet parts are copied as they are
            parts = {}
            for r in rows:
                src = resolve_io_path(store.root, r[4])
                shutil.copyfile(src, sub / src.name)
                parts[str(r[3])] = sub / src.name
        done.append((sid, ds, year, sub, dict(sorted(parts.items()))))
    return done


def shipped_statements() -> list[Path]:
    """The statement files bundled with the package (`usmca/data/statements/*.yaml`)."""
    folder = Path(str(resources.files("usmca") / "data" / "statements"))
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _catalog_with_statements(store: Store, work: Path) -> Path:
    """The store's catalog, plus the bundled statement files it lacks (loaded into a copy)."""
    missing = [p for p in shipped_statements() if p.name not in set(store.sources()["file_name"])]
    if not missing:
        return store.db_path
    copy = Store(work)
    shutil.copyfile(store.db_path, copy.db_path)
    from usmca.sources.statements import parse as parse_statement

    with copy.writing() as session:
        for p in missing:
            copy.load_in(session, parse_statement(p))
    return copy.db_path


def _previous_rows(target: Path) -> dict[str, int]:
    m = target / "manifest.json"
    if not m.exists():
        return {}
    try:
        files = json.loads(m.read_text()).get("files", [])
    except (OSError, ValueError):
        return {}
    return {str(f["file"]): int(f["rows"]) for f in files if str(f.get("file", "")).endswith(".parquet")}


def build_snapshot(store: Store, out_dir: Path | None = None, *, allow_shrink: bool = False) -> dict[str, Any]:
    """Write the snapshot atomically (a temporary folder renamed into place).

    It always holds the bundled official statements (loaded into a copy of the catalog when the
    store lacks them). A table with fewer rows than in the snapshot it replaces is refused unless
    `allow_shrink`. Each file's size and sha256 go into `manifest.json`.
    """
    if not store.exists():
        raise StoreError(f"no store at {store.root}: load data first (usmca data load ...)")
    target = Path(out_dir) if out_dir else snapshot_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = _previous_rows(target)
    tmp = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=target.parent))
    work = Path(tempfile.mkdtemp(prefix=".snapshot-work-", dir=target.parent))
    con = duckdb.connect(":memory:")
    files: list[dict[str, Any]] = []
    io_files: list[dict[str, Any]] = []
    try:
        catalog = _catalog_with_statements(store, work)
        con.execute(f"ATTACH '{catalog}' AS st (READ_ONLY)")
        used: set[str] = set()
        for table in AGGREGATE:
            path = tmp / f"{table}.parquet"
            sql = _select(table)
            con.execute(
                f"COPY ({sql}) TO '{path}' "
                f"(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19, ROW_GROUP_SIZE {ROW_GROUP_ROWS})"
            )
            n = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]  # type: ignore[index]
            used.update(r[0] for r in con.execute(f"SELECT DISTINCT source_id FROM read_parquet('{path}')").fetchall())
            files.append({"file": path.name, "rows": int(n), "bytes": path.stat().st_size, "sha256": sha256_file(path)})
            if not allow_shrink and int(n) < previous.get(path.name, 0):
                raise StoreError(
                    f"snapshot table {table} would shrink from {previous[path.name]:,} to {int(n):,} rows; "
                    "load the missing data or pass --allow-shrink"
                )
        io_rows = con.execute(
            "SELECT source_id, dataset, year, part, parquet_path, bytes, sha256 FROM st.io_tables "
            "WHERE (dataset, year) IN (SELECT dataset, max(year) FROM st.io_tables GROUP BY dataset) "
            "ORDER BY source_id, part"
        ).fetchall()
        if io_rows:
            rel = []
            for sid, ds, year, sub, parts in _io_parts_for_snapshot(store, io_rows, tmp / "io"):
                for part, src in parts.items():
                    name = f"io/{sub.name}/{src.name}"
                    rel.append((sid, ds, year, part, name))
                    io_files.append({"file": name, "bytes": src.stat().st_size, "sha256": sha256_file(src)})
                used.add(sid)
            con.execute(
                "CREATE TEMP TABLE _io (source_id VARCHAR, dataset VARCHAR, year INTEGER, part VARCHAR, "
                "parquet_path VARCHAR)"
            )
            con.executemany("INSERT INTO _io VALUES (?, ?, ?, ?, ?)", rel)
            ipath = tmp / "io_tables.parquet"
            con.execute(f"COPY _io TO '{ipath}' (FORMAT parquet)")
            io_bytes = sum(f.stat().st_size for f in (tmp / "io").rglob("*.parquet"))
            files.append({"file": "io/ (input-output, latest year)", "rows": len(rel), "bytes": io_bytes})
            rpath = tmp / READINGS_FILE
            n_readings = write_readings(con, rel, lambda p: tmp / p, rpath)
            if n_readings:
                files.append(
                    {
                        "file": rpath.name,
                        "rows": n_readings,
                        "bytes": rpath.stat().st_size,
                        "sha256": sha256_file(rpath),
                    }
                )
        ids = ", ".join("'" + s.replace("'", "''") + "'" for s in sorted(used)) or "''"
        cols = ", ".join(c if c != "origin" else "'snapshot' AS origin" for c in SOURCE_COLUMNS)
        spath = tmp / "sources.parquet"
        con.execute(
            f"COPY (SELECT {cols} FROM st.sources WHERE source_id IN ({ids}) ORDER BY dataset, vintage) "
            f"TO '{spath}' (FORMAT parquet)"
        )
        files.append(
            {"file": spath.name, "rows": len(used), "bytes": spath.stat().st_size, "sha256": sha256_file(spath)}
        )
        total = sum(int(f["bytes"]) for f in files)  # type: ignore[call-overload]
        if total > LIMIT_BYTES:
            raise StoreError(f"snapshot would be {total:,} bytes, over the {LIMIT_BYTES:,}-byte limit")
        manifest = {
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "usmca": __version__,
            "from_store": str(store.root),
            "files": files,
            "io_files": io_files,
            "bytes": total,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        con.close()
        shutil.rmtree(work, ignore_errors=True)
    if target.exists():
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, target)
    return {"dir": str(target), "files": files, "bytes": total}
