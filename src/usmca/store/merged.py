"""The store merged with the bundled snapshot, materialised when the store is written.

A reader shows, for each fact table, the store's current rows and, for datasets the store does not
hold, the snapshot's rows, the newest vintage winning where their keys overlap.  Ranking that union
at every open cost time and memory in proportion to the store (15.8 s and 3.4 GB with 10 million
trade rows).  Instead, each write session of the store ends with :func:`materialise`, which keeps
in the catalog only what the union adds to the store's `<table>_current`:

* ``_snap_<table>``: the snapshot rows that are current in the union (datasets the store lacks);
* ``_hidden_<table>``: the key hashes of store rows that a newer snapshot row replaces (usually none);
* ``_snap_sources``: the snapshot's `sources` rows for those datasets;
* ``_merged_meta``: the sha256 of the snapshot manifest they were built from.

:func:`views` then defines the reader's tables as plain views over these (constant time, no copy).
When the package's snapshot is not the one the store was merged with (an upgrade, a custom
snapshot), the reader falls back to ranking in memory (``usmca.store.reader``).
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import duckdb

from usmca.tables import SOURCE_COLUMNS, TABLES

META = "_merged_meta"


def snapshot_key(snap: Path) -> str | None:
    """sha256 of the snapshot's manifest (which lists every file's sha256), or None without one."""
    m = snap / "manifest.json"
    try:
        return hashlib.sha256(m.read_bytes()).hexdigest()
    except OSError:
        return None


def snapshot_dir() -> Path:
    """The snapshot bundled with the package (`usmca/data/snapshot`)."""
    return Path(str(resources.files("usmca") / "data" / "snapshot"))


def _q(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _key(table: str, alias: str = "") -> str:
    return "hash(" + ", ".join(f'{alias}"{c}"' for c in TABLES[table].current_by) + ")"


def materialise(con: duckdb.DuckDBPyConnection, snap: Path | None = None) -> None:
    """(Re)build the merge tables in a writable catalog connection (inside a store write session)."""
    snap = snap if snap is not None else snapshot_dir()
    key = snapshot_key(snap) if (snap / "sources.parquet").exists() else None
    scols = ", ".join(SOURCE_COLUMNS)
    if key is None:
        con.execute(f"CREATE OR REPLACE TABLE _snap_sources AS SELECT {scols} FROM sources WHERE false")
    else:
        con.execute(
            f"CREATE OR REPLACE TABLE _snap_sources AS SELECT {scols} "
            f"FROM read_parquet({_q(snap / 'sources.parquet')}) WHERE dataset NOT IN (SELECT dataset FROM sources)"
        )
    ranks = (
        "(SELECT source_id, vintage, loaded_at FROM sources UNION ALL "
        "SELECT source_id, vintage, loaded_at FROM _snap_sources)"
    )
    for name, spec in TABLES.items():
        cols = ", ".join(["source_id", "dataset", *[f'"{c}"' for c in spec.column_names]])
        f = snap / f"{name}.parquet"
        con.execute(f"DROP TABLE IF EXISTS _snap_{name}")
        con.execute(spec.ddl(f"_snap_{name}"))
        con.execute(f"CREATE OR REPLACE TABLE _hidden_{name} (k UBIGINT)")
        if key is None or not f.exists():
            continue
        con.execute(
            f"CREATE TEMP TABLE _in AS SELECT {cols}, {_key(name)} AS _k FROM read_parquet({_q(f)}) "
            "WHERE dataset NOT IN (SELECT dataset FROM sources)"
        )
        try:
            # rank only where keys meet: the snapshot rows and the store rows with one of their keys
            part = ", ".join(f'u."{c}"' for c in spec.current_by)
            con.execute(
                f"CREATE TEMP TABLE _won AS SELECT u.* FROM ("
                f"SELECT {cols}, _k, 1 AS _snap FROM _in UNION ALL "
                f'SELECT {cols}, {_key(name)} AS _k, 0 AS _snap FROM "{name}_current" '
                f"WHERE {_key(name)} IN (SELECT _k FROM _in)) u JOIN {ranks} s USING (source_id) "
                f"QUALIFY dense_rank() OVER (PARTITION BY {part} "
                "ORDER BY s.vintage DESC, s.loaded_at DESC, s.source_id DESC) = 1"
            )
            con.execute(f"INSERT INTO _snap_{name} SELECT {cols} FROM _won WHERE _snap = 1")
            con.execute(
                f"INSERT INTO _hidden_{name} SELECT DISTINCT _k FROM _won WHERE _snap = 1 "
                f'AND _k IN (SELECT {_key(name)} FROM "{name}_current")'
            )
        finally:
            con.execute("DROP TABLE IF EXISTS _won")
            con.execute("DROP TABLE IF EXISTS _in")
    con.execute(f"CREATE OR REPLACE TABLE {META} (snapshot_key VARCHAR)")
    con.execute(f"INSERT INTO {META} VALUES (?)", [key])


def usable(con: duckdb.DuckDBPyConnection, snap: Path | None) -> bool:
    """True when the attached store `st` was merged with this snapshot (None: the reader uses none)."""
    n = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'st' AND table_name = ?", [META]
    ).fetchone()
    if not n or not n[0]:
        return False
    row = con.execute(f"SELECT snapshot_key FROM st.{META}").fetchone()
    want = snapshot_key(snap) if snap is not None and (snap / "sources.parquet").exists() else None
    return row is not None and row[0] == want


def views(con: duckdb.DuckDBPyConnection) -> None:
    """The reader's `sources` and fact tables as views over the store and its merge tables."""
    scols = ", ".join(SOURCE_COLUMNS)
    con.execute(f"CREATE VIEW sources AS SELECT {scols} FROM st.sources UNION ALL SELECT {scols} FROM st._snap_sources")
    counts = " UNION ALL ".join(
        f"SELECT '{name}', (SELECT count(*) FROM st._hidden_{name}), (SELECT count(*) FROM st._snap_{name})"
        for name in TABLES
    )
    sizes = {str(n): (int(h), int(k)) for n, h, k in con.execute(counts).fetchall()}  # one round trip
    for name, spec in TABLES.items():
        cols = ", ".join(["source_id", "dataset", *[f'"{c}"' for c in spec.column_names]])
        hidden, kept = sizes[name]
        base = f'SELECT {cols} FROM st."{name}_current"'
        if hidden:
            base += f" WHERE {_key(name)} NOT IN (SELECT k FROM st._hidden_{name})"
        sql = base + (f" UNION ALL SELECT {cols} FROM st._snap_{name}" if kept else "")
        con.execute(f'CREATE VIEW "{name}" AS {sql}')
