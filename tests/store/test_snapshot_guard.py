"""`data snapshot` keeps the bundled statements, refuses to shrink, and records checksums (tmp dirs only)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from usmca.cli import app
from usmca.errors import StoreError
from usmca.pipeline import load_paths
from usmca.sources import statements
from usmca.store import Store
from usmca.store.integrity import sha256_file
from usmca.store.snapshot import build_snapshot, shipped_statements

EXH = "census_ft900_exhibits"


def query(sql: str) -> list[tuple]:
    con = duckdb.connect(":memory:")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def rows(path: Path) -> int:
    return int(query(f"SELECT count(*) FROM read_parquet('{path}')")[0][0])


def test_snapshot_includes_the_shipped_statements(store: Store, shared_data: Path, tmp_path: Path) -> None:
    load_paths(store, [shared_data / EXH / "exh1.xlsx"], workers=1)
    assert "official.statements" not in set(store.sources()["dataset"])
    expected = sum(len(statements.parse(p).tables["statements"]) for p in shipped_statements())
    assert expected >= 12
    info = build_snapshot(store, tmp_path / "snap")
    assert rows(tmp_path / "snap" / "statements.parquet") == expected
    datasets = {r[0] for r in query(f"SELECT dataset FROM read_parquet('{tmp_path / 'snap' / 'sources.parquet'}')")}
    assert datasets == {"census.ft900", "official.statements"}
    # The store itself was not changed by adding them to the snapshot.
    assert "official.statements" not in set(store.sources()["dataset"])
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())
    for f in manifest["files"]:
        if f["file"].endswith(".parquet"):
            assert f["sha256"] == sha256_file(tmp_path / "snap" / f["file"])
    assert info["dir"] == str(tmp_path / "snap")


def test_snapshot_refuses_to_shrink(shared_data: Path, tmp_path: Path) -> None:
    big, small = Store(tmp_path / "big"), Store(tmp_path / "small")
    load_paths(big, [shared_data / EXH / "exh1.xlsx", shared_data / EXH / "exh12.xlsx"], workers=1)
    load_paths(small, [shared_data / EXH / "exh1.xlsx"], workers=1)
    snap = tmp_path / "snap"
    build_snapshot(big, snap)
    before = rows(snap / "trade.parquet")
    with pytest.raises(StoreError, match=r"trade would shrink from [\d,]+ to [\d,]+ rows.*--allow-shrink"):
        build_snapshot(small, snap)
    assert rows(snap / "trade.parquet") == before  # the old snapshot is intact
    res = CliRunner().invoke(app, ["data", "snapshot", "--store", str(small.root), "--out", str(snap)])
    assert res.exit_code == 2 and "--allow-shrink" in res.output
    res = CliRunner().invoke(
        app, ["data", "snapshot", "--store", str(small.root), "--out", str(snap), "--allow-shrink"]
    )
    assert res.exit_code == 0, res.output
    assert rows(snap / "trade.parquet") < before
