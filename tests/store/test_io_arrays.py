"""Input-output tables stored as dense arrays with label vectors (usmca.store.io_arrays)."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.faults.conftest import flip_byte
from usmca.errors import StoreError
from usmca.pipeline import load_paths
from usmca.sources.wiod import FINAL_DEMAND_CATEGORIES
from usmca.store import Store, open_reader
from usmca.store import catalog as catalog_module
from usmca.store.catalog import write_parts
from usmca.store.integrity import sha256_file
from usmca.store.snapshot import build_snapshot

WIOT = "wiod_2013_release/wiot_1995.RData"


@pytest.fixture(scope="module")
def loaded(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("io_arrays") / "store"
    load_paths(Store(root), [shared_data / WIOT], workers=1)
    return root


@pytest.fixture
def store(loaded: Path, tmp_path: Path) -> Store:
    root = tmp_path / "store"
    shutil.copytree(loaded, root)
    return Store(root)


def read_year(store: Store, year: int = 1995, **kw: Any) -> Any:
    reader = open_reader(store, use_snapshot=False, **kw)
    try:
        found = reader.io_table(year)
        assert found is not None
        return found[0]
    finally:
        reader.close()


def rdata_wiot(path: Path) -> dict[str, Any]:
    """The R list as the `rdata` library reads it, without usmca's reader."""
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        converted = rdata.conversion.convert(rdata.parser.parse_file(path))
    return dict(converted["wiot_1995"])


def test_round_trip_equals_the_rdata_file(store: Store, shared_data: Path) -> None:
    table = read_year(store)
    r = rdata_wiot(shared_data / WIOT)
    countries = [str(c) for c in np.asarray(r["countries"]).ravel()]
    industries = [str(c) for c in np.asarray(r["industries"]).ravel()]
    Z = np.asarray(getattr(r["inter"], "values", r["inter"]), dtype=float)
    Y = np.asarray(getattr(r["final"], "values", r["final"]), dtype=float)
    x = np.asarray(getattr(r["output"], "values", r["output"]), dtype=float)
    assert table.regions == countries and table.sectors == industries and table.year == 1995
    assert table.fd_labels == [(c, k) for c in countries for k in FINAL_DEMAND_CATEGORIES]
    assert np.array_equal(table.Z, Z) and np.array_equal(table.Y, Y) and np.array_equal(table.x, x)
    assert np.array_equal(table.va, x - Z.sum(axis=0))


def test_parts_are_npy_files_mapped_read_only(store: Store) -> None:
    folder = next(store.io_dir.iterdir())
    assert sorted(p.name for p in folder.iterdir()) == ["Y.npy", "Z.npy", "labels.json", "va.npy", "x.npy"]
    labels = json.loads((folder / "labels.json").read_text())
    assert labels["arrays"]["Z"] == {"dtype": "<f8", "shape": [1435, 1435]}
    assert len(labels["regions"]) == 41 and len(labels["fd_labels"]) == 205
    table = read_year(store)
    assert not table.Z.flags.writeable  # np.load(mmap_mode="r"), not a copy
    assert isinstance(table.Z.base, np.memmap) or isinstance(table.Z, np.memmap)


def test_recorded_checksums_match_the_files(store: Store) -> None:
    import duckdb

    con = duckdb.connect(str(store.db_path), read_only=True)
    try:
        rows = con.execute("SELECT parquet_path, sha256, bytes FROM io_tables").fetchall()
    finally:
        con.close()
    assert len(rows) == 5
    for path, digest, size in rows:
        p = store.root / path
        assert sha256_file(p) == digest and p.stat().st_size == size


def test_a_damaged_npy_is_found_by_its_checksum(store: Store) -> None:
    z = next(store.io_dir.rglob("Z.npy"))
    flip_byte(z)  # size and header intact
    with pytest.raises(StoreError, match=r"Z\.npy is damaged: its sha256 differs"):
        read_year(store)


def test_damaged_labels_are_found_by_their_checksum(store: Store) -> None:
    labels = next(store.io_dir.rglob("labels.json"))
    text = labels.read_text()
    labels.write_text(text.replace('"AUS"', '"AUT"', 1))  # same size, other labels
    with pytest.raises(StoreError, match=r"labels\.json is damaged: its sha256 differs"):
        read_year(store)


def test_a_store_with_parquet_parts_still_reads(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stores written before dense arrays hold long Parquet parts: they read as before."""

    def old_layout(table: Any, folder: Path) -> dict[str, tuple[Path, str, int]]:
        return {k: (p, sha256_file(p), p.stat().st_size) for k, p in write_parts(table, folder).items()}

    monkeypatch.setattr(catalog_module, "write_io", old_layout)
    old = Store(tmp_path / "old")
    load_paths(old, [shared_data / WIOT], workers=1)
    assert sorted(p.suffix for p in old.io_dir.rglob("*") if p.is_file()) == [".parquet"] * 7
    monkeypatch.undo()
    ref = read_year(Store(tmp_path / "old"))
    assert ref.Z.flags.writeable  # rebuilt from frames, not mapped
    assert np.array_equal(ref.Z, read_year(Store(old.root)).Z)


def test_snapshot_keeps_compact_parquet(store: Store, tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    build_snapshot(store, snap)
    names = sorted(p.name for p in (snap / "io").rglob("*") if p.is_file())
    assert names == sorted(f"{k}.parquet" for k in ("Y", "Z", "accounts", "fd", "meta", "regions", "sectors"))
    assert sum(p.stat().st_size for p in (snap / "io").rglob("*.parquet")) < 2_000_000
    reader = open_reader(None, snapshot=snap)
    try:
        found = reader.io_table(1995)
        assert found is not None
        assert np.array_equal(found[0].Z, read_year(store).Z)
    finally:
        reader.close()
