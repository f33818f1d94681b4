"""Opening a reader: the store's union with the snapshot is materialised at write time, so an open
defines views (no copy, no ranking) and shows exactly the rows the in-memory union showed."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from usmca.pipeline import load_paths
from usmca.store import Store, merged, open_reader
from usmca.tables import TABLES

FILES = [
    "census_ft900_exhibits/exh1.xlsx",  # trade rows whose keys meet the snapshot's Census rows
    "cbp_encounters/sbo-encounters-fy22-fy25-aug.csv",
]


@pytest.fixture(scope="module")
def loaded(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("open") / "store")
    paths = [shared_data / f for f in FILES if (shared_data / f).exists()]
    if not paths:
        pytest.skip("no files to load")
    load_paths(store, paths, workers=1)
    return store


def _rows(reader, table: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    cols = ", ".join(["source_id", "dataset", *[f'"{c}"' for c in TABLES[table].column_names]])
    return sorted(reader.con.execute(f'SELECT {cols} FROM "{table}"').fetchall(), key=repr)


def test_merged_views_show_what_the_in_memory_union_showed(loaded: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = open_reader(loaded)
    kinds = dict(
        fast.con.execute(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog = current_database()"
        ).fetchall()
    )
    assert all(kinds[t] == "VIEW" for t in TABLES) and kinds["sources"] == "VIEW"
    monkeypatch.setattr(merged, "usable", lambda con, snap: False)
    slow = open_reader(loaded)
    assert (
        dict(
            slow.con.execute(
                "SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog = current_database()"
            ).fetchall()
        )["trade"]
        == "BASE TABLE"
    )
    for t in TABLES:
        assert _rows(fast, t) == _rows(slow, t), t
    assert fast.datasets == slow.datasets
    assert sorted(fast.df("SELECT * FROM sources")["source_id"]) == sorted(
        slow.df("SELECT * FROM sources")["source_id"]
    )


def test_a_newer_store_row_hides_the_snapshot_row_and_back(loaded: Store) -> None:
    r = open_reader(loaded)
    st_trade = r.one("SELECT count(*) FROM st.trade_current")
    snap_kept = r.one("SELECT count(*) FROM st._snap_trade")
    assert r.one("SELECT count(*) FROM trade") == st_trade + snap_kept - r.one(
        "SELECT count(*) FROM st.trade_current WHERE hash(partner, flow, basis, product, adjustment, year, month) "
        "IN (SELECT k FROM st._hidden_trade)"
    )
    # every key is shown once per winning source: no key has rows from two sources
    dup = r.one(
        "SELECT count(*) FROM (SELECT partner, flow, basis, product, adjustment, year, month "
        "FROM trade GROUP BY ALL HAVING count(DISTINCT source_id) > 1)"
    )
    assert dup == 0


def test_another_snapshot_falls_back_to_ranking(loaded: Store, tmp_path: Path) -> None:
    import shutil

    from usmca.store.reader import snapshot_dir

    snap = tmp_path / "snap"
    shutil.copytree(snapshot_dir(), snap)
    m = snap / "manifest.json"
    m.write_text(m.read_text().replace('"usmca"', '"usmca" ', 1))  # same data, another manifest
    r = open_reader(loaded, snapshot=snap)
    kinds = dict(
        r.con.execute(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog = current_database()"
        ).fetchall()
    )
    assert kinds["sources"] == "BASE TABLE"  # not merged with this snapshot: ranked at open
    assert r.one("SELECT count(*) FROM trade") == open_reader(loaded).one("SELECT count(*) FROM trade")


def test_open_does_not_grow_with_the_store(loaded: Store, tmp_path: Path) -> None:
    """10x more store rows (synthetic) leave the open time flat (bench/bench_reader.py: 10 million)."""
    import shutil

    big = Store(tmp_path / "big")
    shutil.copytree(loaded.root, big.root)

    def open_s(store: Store) -> float:
        best = 1e9
        for _ in range(3):
            t0 = time.perf_counter()
            open_reader(store).close()
            best = min(best, time.perf_counter() - t0)
        return best

    with big.writing() as s:
        s.con.execute(
            "INSERT INTO trade_current (source_id, dataset, reporter, partner, partner_name, partner_kind, flow, "
            "basis, product, adjustment, year, month, value_usd, status) SELECT 'synthetic@0', 'synthetic', 'USA', "
            "'S' || (i % 5000)::VARCHAR, 'synthetic', 'country', 'exports', 'synthetic', 'goods', 'nsa', "
            "1900 + (i // 60000)::INTEGER % 100, 1 + (i % 12)::INTEGER, i::DOUBLE, 'published' FROM range(600000) t(i)"
        )
        s.changed = True
    assert open_reader(big).one("SELECT count(*) FROM trade WHERE basis = 'synthetic'") == 600_000
    assert open_s(big) < 3 * open_s(loaded) + 0.05
    assert isinstance(open_reader(big).con, duckdb.DuckDBPyConnection)


def test_newer_snapshot_rows_hide_store_rows(loaded: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Store rows of an older vintage (synthetic) whose keys a snapshot dataset also has: the snapshot wins."""
    import shutil

    from usmca.store.catalog import SOURCE_COLUMNS
    from usmca.store.reader import snapshot_dir

    store = Store(tmp_path / "store")
    shutil.copytree(loaded.root, store.root)
    cols = ", ".join(["source_id", "dataset", *[f'"{c}"' for c in TABLES["trade"].column_names]])
    with store.writing() as s:
        s.con.execute(
            f"INSERT INTO sources ({', '.join(SOURCE_COLUMNS)}) SELECT * EXCLUDE (package_version) "
            "REPLACE ('synthetic@1' AS source_id, "
            "'synthetic' AS dataset, DATE '1990-01-01' AS vintage) FROM sources LIMIT 1"
        )
        s.con.execute(
            f"INSERT INTO trade_current ({cols}) SELECT * REPLACE ('synthetic@1' AS source_id, 'synthetic' AS dataset, "
            f"-1.0 AS value_usd) FROM read_parquet('{snapshot_dir() / 'trade.parquet'}') "
            "WHERE dataset = 'census.country' AND year = 2024"
        )
        s.changed = True
    fast = open_reader(store)
    assert fast.one("SELECT count(*) FROM st._hidden_trade") > 0
    assert fast.one("SELECT count(*) FROM trade WHERE value_usd = -1") == 0  # the older rows are hidden
    assert (
        fast.one(
            "SELECT table_type FROM information_schema.tables "
            "WHERE table_name = 'trade' AND table_catalog = current_database()"
        )
        == "VIEW"
    )
    monkeypatch.setattr(merged, "usable", lambda con, snap: False)
    slow = open_reader(store)
    for t in TABLES:
        assert _rows(fast, t) == _rows(slow, t), t


def _copy(loaded: Store, tmp_path: Path) -> Store:
    import shutil

    shutil.copytree(loaded.root, tmp_path / "store")
    return Store(tmp_path / "store")


def _meta_key(store: Store) -> str:
    con = duckdb.connect(str(store.db_path), read_only=True)
    try:
        return str(con.execute(f"SELECT snapshot_key FROM {merged.META}").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def _new_snapshot(monkeypatch: pytest.MonkeyPatch) -> str:
    """As after a package upgrade: the bundled snapshot is not the one the store was merged with."""
    real = merged.snapshot_key
    monkeypatch.setattr(merged, "snapshot_key", lambda snap: f"newer {real(snap)}")
    return merged.snapshot_key(merged.snapshot_dir())  # type: ignore[no-any-return]


def test_a_store_merged_for_another_snapshot_is_merged_again_at_open(
    loaded: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _copy(loaded, tmp_path)
    want = {t: _rows(open_reader(loaded), t) for t in ("trade", "encounters")}
    key = _new_snapshot(monkeypatch)
    assert _meta_key(store) != key
    r = open_reader(store)  # merges again, then defines views
    kinds = dict(
        r.con.execute(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog = current_database()"
        ).fetchall()
    )
    assert all(kinds[t] == "VIEW" for t in TABLES)
    assert _meta_key(store) == key
    for t, rows in want.items():
        assert _rows(r, t) == rows


def test_a_stale_store_that_is_being_loaded_is_read_as_it_is(
    loaded: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the store's write lock: the reader does not wait, it unites in memory."""
    import fcntl

    from usmca.store.catalog import LOCK_NAME

    store = _copy(loaded, tmp_path)
    want = {t: _rows(open_reader(loaded), t) for t in ("trade", "encounters")}
    before = _meta_key(store)
    _new_snapshot(monkeypatch)
    with open(store.root / LOCK_NAME, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        r = open_reader(store)
        for t, rows in want.items():
            assert _rows(r, t) == rows
    assert _meta_key(store) == before  # nothing was written
