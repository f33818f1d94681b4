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
from pathlib import Path
from typing import Any

import duckdb

from usmca import __version__
from usmca.errors import StoreError
from usmca.store.catalog import SOURCE_COLUMNS, Store
from usmca.store.reader import snapshot_dir
from usmca.store.schema import TABLES

LIMIT_BYTES = 5 * 1024 * 1024

# What each table keeps in the snapshot (None: every column as loaded).
AGGREGATE: dict[str, str | None] = {
    "trade": None,
    "population": None,
    "statements": None,
    "encounters": "fiscal_year, year, month, component, region",
    "seizures": "fiscal_year, year, month, component, region, drug",
}


def _select(table: str) -> str:
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
    return (f'SELECT source_id, dataset, {", ".join(cols)} FROM st."{table}_current" '
            f"GROUP BY source_id, dataset, {group}")


def build_snapshot(store: Store, out_dir: Path | None = None) -> dict[str, Any]:
    """Write the snapshot atomically (a temporary folder renamed into place)."""
    if not store.exists():
        raise StoreError(f"no store at {store.root}: load data first (usmca data load ...)")
    target = Path(out_dir) if out_dir else snapshot_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=target.parent))
    con = duckdb.connect(":memory:")
    files = []
    try:
        con.execute(f"ATTACH '{store.db_path}' AS st (READ_ONLY)")
        used: set[str] = set()
        for table in AGGREGATE:
            path = tmp / f"{table}.parquet"
            sql = _select(table)
            con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)")
            n = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]  # type: ignore[index]
            used.update(r[0] for r in con.execute(f"SELECT DISTINCT source_id FROM read_parquet('{path}')").fetchall())
            files.append({"file": path.name, "rows": int(n), "bytes": path.stat().st_size})
        io_rows = con.execute(
            "SELECT source_id, dataset, year, part, parquet_path FROM st.io_tables WHERE (dataset, year) IN "
            "(SELECT dataset, max(year) FROM st.io_tables GROUP BY dataset) ORDER BY source_id, part").fetchall()
        if io_rows:
            rel = []
            for sid, ds, year, part, path in io_rows:
                sub = tmp / "io" / sid.replace("@", "_")
                sub.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, sub / Path(path).name)
                rel.append((sid, ds, year, part, f"io/{sub.name}/{Path(path).name}"))
                used.add(sid)
            con.execute("CREATE TEMP TABLE _io (source_id VARCHAR, dataset VARCHAR, year INTEGER, part VARCHAR, "
                        "parquet_path VARCHAR)")
            con.executemany("INSERT INTO _io VALUES (?, ?, ?, ?, ?)", rel)
            ipath = tmp / "io_tables.parquet"
            con.execute(f"COPY _io TO '{ipath}' (FORMAT parquet)")
            io_bytes = sum(f.stat().st_size for f in (tmp / "io").rglob("*.parquet"))
            files.append({"file": "io/ (input-output, latest year)", "rows": len(rel), "bytes": io_bytes})
        ids = ", ".join("'" + s.replace("'", "''") + "'" for s in sorted(used)) or "''"
        cols = ", ".join(c if c != "origin" else "'snapshot' AS origin" for c in SOURCE_COLUMNS)
        spath = tmp / "sources.parquet"
        con.execute(f"COPY (SELECT {cols} FROM st.sources WHERE source_id IN ({ids}) ORDER BY dataset, vintage) "
                    f"TO '{spath}' (FORMAT parquet)")
        files.append({"file": spath.name, "rows": len(used), "bytes": spath.stat().st_size})
        total = sum(int(f["bytes"]) for f in files)  # type: ignore[call-overload]
        if total > LIMIT_BYTES:
            raise StoreError(f"snapshot would be {total:,} bytes, over the {LIMIT_BYTES:,}-byte limit")
        manifest = {"built_at": datetime.now(UTC).isoformat(timespec="seconds"), "usmca": __version__,
                    "from_store": str(store.root), "files": files, "bytes": total}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        con.close()
    if target.exists():
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, target)
    return {"dir": str(target), "files": files, "bytes": total}
