"""A damaged, moved or copied store: a clear StoreError naming the file, never a wrong number."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.faults.conftest import flip_byte
from usmca.cli import app
from usmca.errors import StoreError
from usmca.pipeline import load_paths
from usmca.store import Store, open_reader
from usmca.store.snapshot import build_snapshot


def io_files(store: Store) -> list[Path]:
    return sorted(store.io_dir.rglob("*.npy"))


def z_total(store: Store) -> float:
    reader = open_reader(store, use_snapshot=False)
    try:
        found = reader.io_table(1995)
        assert found is not None
        return float(np.asarray(found[0].Z).sum())
    finally:
        reader.close()


def test_paths_are_relative_to_the_store(fresh: Store) -> None:
    import duckdb

    con = duckdb.connect(str(fresh.db_path), read_only=True)
    try:
        paths = [r[0] for r in con.execute("SELECT parquet_path FROM io_tables").fetchall()]
        recorded = con.execute("SELECT count(*) FROM io_tables WHERE length(sha256) = 64 AND bytes > 0").fetchone()
    finally:
        con.close()
    assert paths and all(p.startswith("io/") and not os.path.isabs(p) for p in paths)
    assert recorded == (len(paths),)
    assert (fresh.root / "store.json").exists()


def test_flipped_byte_inside_an_io_table_is_an_error_not_a_number(fresh: Store) -> None:
    clean = z_total(fresh)
    assert clean > 0
    z = next(p for p in io_files(fresh) if p.name == "Z.npy")
    flip_byte(z)  # size and footer intact: only the sha256 can tell
    with pytest.raises(StoreError, match=r"Z\.npy.*damaged"):
        z_total(fresh)
    with pytest.raises(StoreError, match=r"Z\.npy.*sha256"):
        fresh.verify()


def test_damaged_header_is_found_on_open(fresh: Store) -> None:
    path = io_files(fresh)[0]
    flip_byte(path, offset=0)  # the .npy magic
    with pytest.raises(StoreError, match=rf"{path.name}.*damaged.*header"):
        open_reader(fresh, use_snapshot=False)


def test_truncated_io_table_is_found_on_open(fresh: Store) -> None:
    path = io_files(fresh)[0]
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(StoreError, match=rf"{path.name}.*bytes where"):
        open_reader(fresh, use_snapshot=False)


def test_missing_io_table_is_named(fresh: Store) -> None:
    path = io_files(fresh)[0]
    path.unlink()
    with pytest.raises(StoreError, match=rf"{path.name} is missing"):
        open_reader(fresh, use_snapshot=False)


@pytest.mark.parametrize("where", [0.25, 0.5, 0.75])
def test_flipped_byte_in_the_catalog(fresh: Store, where: float, shared_data: Path) -> None:
    size = fresh.db_path.stat().st_size
    flip_byte(fresh.db_path, offset=int(size * where))
    with pytest.raises(StoreError, match=r"usmca\.duckdb"):
        open_reader(fresh, use_snapshot=False)
    with pytest.raises(StoreError, match=r"usmca\.duckdb"):
        fresh.verify()
    # A load refuses to build on a damaged catalog (it would copy the damage).
    with pytest.raises(StoreError, match=r"usmca\.duckdb"):
        fresh.remove("cbp.southwest")
    # ... and a reload of files the catalog says it holds does not trust it either.
    with pytest.raises(StoreError, match=r"usmca\.duckdb"):
        load_paths(fresh, [shared_data / "cbp_encounters" / "sbo-encounters-fy22-fy25-aug.csv"], workers=1)


def test_cli_reports_damage_without_a_traceback(fresh: Store) -> None:
    flip_byte(fresh.db_path)
    res = CliRunner().invoke(app, ["data", "status", "--store", str(fresh.root)])
    assert res.exit_code == 2
    assert "usmca.duckdb" in res.output and "damaged" in res.output
    assert "Traceback" not in res.output and not isinstance(res.exception, StoreError)


def test_cli_verify(fresh: Store) -> None:
    ok = CliRunner().invoke(app, ["data", "status", "--store", str(fresh.root), "--verify"])
    assert ok.exit_code == 0, ok.output
    assert "verified:" in ok.output
    z = next(p for p in io_files(fresh) if p.name == "Z.npy")
    flip_byte(z)
    bad = CliRunner().invoke(app, ["data", "status", "--store", str(fresh.root), "--verify"])
    assert bad.exit_code == 2
    assert "Z.npy" in bad.output and "sha256" in bad.output


def test_flipped_byte_in_a_snapshot_fact_file(fresh: Store, tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    build_snapshot(fresh, snap)
    reader = open_reader(None, snapshot=snap)
    try:
        clean = reader.one("SELECT sum(value_usd) FROM trade")
    finally:
        reader.close()
    assert clean and clean > 0
    flip_byte(snap / "trade.parquet")
    with pytest.raises(StoreError, match=r"trade\.parquet.*sha256"):
        open_reader(None, snapshot=snap)


def test_copied_store_reads_its_own_files(fresh: Store, tmp_path: Path) -> None:
    clean = z_total(fresh)
    copy = Store(tmp_path / "elsewhere" / "copy")
    shutil.copytree(fresh.root, copy.root)
    shutil.rmtree(fresh.root)
    assert z_total(copy) == clean
    copy.verify()


def test_relative_store_from_another_directory(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    rel = Store("rel-store")
    load_paths(rel, [shared_data / "wiod_2013_release" / "wiot_1995.RData"], workers=1)
    clean = z_total(rel)
    monkeypatch.chdir(tmp_path / "b")
    assert z_total(Store(tmp_path / "a" / "rel-store")) == clean
    assert z_total(Store("../a/rel-store")) == clean
    res = CliRunner().invoke(app, ["data", "status", "--store", "../a/rel-store", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert "wiod.wiot" in res.output
