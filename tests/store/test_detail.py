"""Detail-level trade kept as Hive-partitioned Parquet (usmca.store.detail): validation, atomic
partition writes, vintages, the reader's view, cleanup and verification.

The responses are SYNTHETIC (named so): laid out as the Census International Trade API answers
`get=CTY_CODE,CTY_NAME,ALL_VAL_MO,E_COMMODITY,QTY_1_MO,UNIT_QY1,DISTRICT,DIST_NAME&COMM_LVL=HS6`,
with made-up values.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from usmca.errors import DataFormatError, StoreError
from usmca.sources import census_api
from usmca.store import Store, detail, merged, open_reader
from usmca.store.integrity import sha256_file
from usmca.tables import ParsedFile

HEADER = ["CTY_CODE", "CTY_NAME", "ALL_VAL_MO", "E_COMMODITY", "QTY_1_MO", "UNIT_QY1", "DISTRICT", "DIST_NAME", "time"]
HEADER_LVL = [*HEADER, "COMM_LVL"]

SYNTHETIC_JAN_FEB = [
    HEADER_LVL,
    ["2010", "MEXICO", "1000", "870323", "5", "NO", "23", "LAREDO, TX", "2024-01", "HS6"],
    ["2010", "MEXICO", "2000", "870323", "7", "NO", "24", "EL PASO, TX", "2024-01", "HS6"],
    ["1220", "CANADA", "3000", "870323", "9", "NO", "38", "DETROIT, MI", "2024-01", "HS6"],
    ["2010", "MEXICO", "4000", "870324", "0", "-", "23", "LAREDO, TX", "2024-02", "HS6"],
]


def write(tmp: Path, name: str, payload: list[list[str]]) -> Path:
    p = tmp / name
    p.write_text(json.dumps(payload))
    return p


def parse(tmp: Path, name: str, payload: list[list[str]], vintage: date | None = None) -> ParsedFile:
    pf = census_api.parse(write(tmp, name, payload))
    return dataclasses.replace(pf, vintage=vintage) if vintage else pf


def parquet_files(store: Store) -> list[Path]:
    return sorted((store.root / "detail").rglob("*.parquet"))


def detail_rows(store: Store) -> list[tuple]:
    r = open_reader(store, use_snapshot=False)
    try:
        return r.con.execute(
            "SELECT source_id, flow, year, month, commodity, partner, district, value_usd, quantity_1, unit_1 "
            "FROM trade_detail ORDER BY ALL"
        ).fetchall()
    finally:
        r.close()


def test_detail_rows_go_to_partitions_and_the_reader_sees_them(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    pf = parse(tmp_path, "census-api-exports-hs6-2024-dall.json", SYNTHETIC_JAN_FEB)
    assert set(pf.tables) == {"trade_detail"}  # no HS6 row reaches `trade`
    assert store.load(pf).status == "loaded"
    files = parquet_files(store)
    rel = sorted(p.relative_to(store.root).parent.as_posix() for p in files)
    assert rel == [
        "detail/trade_detail/flow=exports/year=2024/month=1",
        "detail/trade_detail/flow=exports/year=2024/month=2",
    ]
    sid = pf.source_id
    assert detail_rows(store) == [
        (sid, "exports", 2024, 1, "870323", "CAN", "38", 3000.0, 9.0, "NO"),
        (sid, "exports", 2024, 1, "870323", "MEX", "23", 1000.0, 5.0, "NO"),
        (sid, "exports", 2024, 1, "870323", "MEX", "24", 2000.0, 7.0, "NO"),
        (sid, "exports", 2024, 2, "870324", "MEX", "23", 4000.0, None, None),  # unit '-': no quantity
    ]
    r = open_reader(store)
    try:
        kinds = dict(r.con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall())
        assert kinds["trade_detail"] == "VIEW"
        recorded = r.df("SELECT parquet_path, rows, bytes, sha256, source_id FROM detail_files ORDER BY 1")
        src = r.source(sid)
    finally:
        r.close()
    assert recorded["rows"].tolist() == [3, 1]
    for path, size, digest in zip(recorded["parquet_path"], recorded["bytes"], recorded["sha256"], strict=True):
        f = store.root / path
        assert f.stat().st_size == size and sha256_file(f) == digest
    assert set(recorded["source_id"]) == {sid}
    assert src["sha256"] == pf.sha256 and src["fact_table"] == "trade_detail"
    # inside a file: sorted by code, partner, district; the partition columns live in the path only
    import duckdb

    con = duckdb.connect()
    first = con.execute(f"SELECT * FROM read_parquet('{files[0]}', hive_partitioning = false)").df()
    assert "flow" not in first.columns and "year" not in first.columns
    assert first[["commodity", "partner", "district"]].values.tolist() == sorted(
        first[["commodity", "partner", "district"]].values.tolist()
    )


def test_a_bad_row_names_file_row_column_and_leaves_the_store_unchanged(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.load(parse(tmp_path, "census-api-exports-hs6-2024-dall.json", SYNTHETIC_JAN_FEB))
    before_rows, before_files = detail_rows(store), parquet_files(store)
    before_sources = store.sources()["source_id"].tolist()
    bad = [
        HEADER_LVL,
        ["2010", "MEXICO", "10", "870323", "1", "NO", "23", "LAREDO, TX", "2024-03", "HS6"],
        ["2010", "MEXICO", "2e14", "870323", "1", "NO", "24", "EL PASO, TX", "2024-04", "HS6"],  # $200 trillion
    ]
    pf = parse(tmp_path, "census-api-exports-hs6-2024-bad.json", bad)
    with pytest.raises(DataFormatError) as e:
        store.load(pf)
    err = e.value
    assert err.row == 3 and err.column == "value_usd"
    assert "census-api-exports-hs6-2024-bad.json" in str(err)
    assert err.expected == "<= 10000000000000.0" and float(str(err.found)) == 2e14
    assert detail_rows(store) == before_rows
    assert parquet_files(store) == before_files  # March's partition was not written
    assert store.sources()["source_id"].tolist() == before_sources


def test_a_failure_after_the_partitions_were_written_removes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "store")
    store.load(parse(tmp_path, "census-api-exports-hs6-2024-dall.json", SYNTHETIC_JAN_FEB))
    before_rows, before_files = detail_rows(store), parquet_files(store)
    march = [HEADER_LVL, ["2010", "MEXICO", "10", "870323", "1", "NO", "23", "LAREDO, TX", "2024-03", "HS6"]]
    pf = parse(tmp_path, "census-api-exports-hs6-2024-03.json", march)
    written: list[Path] = []
    real = detail.write_file

    def spy(*a, **k):  # type: ignore[no-untyped-def]
        out = real(*a, **k)
        written.append(out[0])
        return out

    def fail(con, snap=None):  # type: ignore[no-untyped-def]
        assert written and all(p.exists() for p in written)  # the partition file was in place
        raise RuntimeError("disk went away")

    monkeypatch.setattr(detail, "write_file", spy)
    monkeypatch.setattr(merged, "materialise", fail)
    with pytest.raises(RuntimeError):
        store.load(pf)
    monkeypatch.undo()
    assert written and not any(p.exists() for p in written)
    assert parquet_files(store) == before_files
    assert detail_rows(store) == before_rows


def test_newer_vintage_keeps_the_overlapping_keys_older_does_not(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    base = parse(tmp_path, "census-api-exports-hs6-2024-dall.json", SYNTHETIC_JAN_FEB, vintage=date(2024, 4, 1))
    store.load(base)
    revised = [HEADER_LVL, ["2010", "MEXICO", "1500", "870323", "5", "NO", "23", "LAREDO, TX", "2024-01", "HS6"]]
    newer = parse(tmp_path, "census-api-exports-hs6-2024-01-2010-d23.json", revised, vintage=date(2025, 6, 1))
    store.load(newer)
    rows = {(r[3], r[5], r[6]): (r[0], r[7]) for r in detail_rows(store)}
    assert rows[(1, "MEX", "23")] == (newer.source_id, 1500.0)  # the revision won
    assert rows[(1, "MEX", "24")] == (base.source_id, 2000.0)  # other keys of the older file stay
    assert len(rows) == 4
    # an older vintage of the same cell loses to what is stored
    stale = [HEADER_LVL, ["2010", "MEXICO", "900", "870323", "5", "NO", "23", "LAREDO, TX", "2024-01", "HS6"]]
    older = parse(tmp_path, "census-api-exports-hs6-2024-01-old.json", stale, vintage=date(2024, 3, 1))
    store.load(older)
    rows = {(r[3], r[5], r[6]): (r[0], r[7]) for r in detail_rows(store)}
    assert rows[(1, "MEX", "23")] == (newer.source_id, 1500.0)
    # no file lists a key twice, and every file on disk is in the catalog
    r = open_reader(store, use_snapshot=False)
    try:
        dup = r.one(
            "SELECT count(*) FROM (SELECT flow, year, month, commodity, partner, district FROM trade_detail "
            "GROUP BY ALL HAVING count(*) > 1)"
        )
        listed = {store.root / p for p in r.df("SELECT parquet_path FROM detail_files")["parquet_path"]}
    finally:
        r.close()
    assert dup == 0
    assert set(parquet_files(store)) == listed
    # removing the revision removes its file (detail keeps the current revision only)
    store.remove(newer.source_id)
    assert (1, "MEX", "23") not in {(r[3], r[5], r[6]) for r in detail_rows(store)}
    assert set(parquet_files(store)) == {
        store.root / p for p in open_reader(store).df("SELECT parquet_path FROM detail_files")["parquet_path"]
    }


def test_a_file_no_catalog_row_names_is_never_read_and_is_removed(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.load(parse(tmp_path, "census-api-exports-hs6-2024-dall.json", SYNTHETIC_JAN_FEB))
    good = parquet_files(store)[0]
    orphan = good.with_name("part-killed-load.parquet")  # what a load killed before its commit leaves
    orphan.write_bytes(good.read_bytes())
    assert len(detail_rows(store)) == 4  # not 7: the reader reads the catalogued files only
    store.load(
        parse(
            tmp_path,
            "census-api-exports-hs6-2024-other.json",
            [HEADER_LVL, SYNTHETIC_JAN_FEB[1][:8] + ["2024-05", "HS6"]],
        )
    )
    assert not orphan.exists()


def test_a_damaged_detail_file_is_an_error_naming_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.load(parse(tmp_path, "census-api-exports-hs6-2024-dall.json", SYNTHETIC_JAN_FEB))
    f = parquet_files(store)[0]
    data = bytearray(f.read_bytes())
    data[10] ^= 0xFF  # same size, other bytes
    f.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=f.name):
        store.verify(full=True)
    f.write_bytes(bytes(data[:-3]))  # shorter: caught when a reader opens
    with pytest.raises(StoreError, match="damaged"):
        open_reader(store)


def test_aggregate_rows_stay_in_trade_and_national_rows_have_no_district(tmp_path: Path) -> None:
    payload = [
        HEADER_LVL,
        ["2010", "MEXICO", "100", "87", "0", "-", "-", "", "2024-01", "HS2"],  # national, HS2: trade
        ["2010", "MEXICO", "60", "870323", "0", "-", "-", "", "2024-01", "HS6"],  # national, HS6: detail
        ["2010", "MEXICO", "40", "87", "0", "-", "23", "LAREDO, TX", "2024-01", "HS2"],  # by district: detail
    ]
    pf = parse(tmp_path, "census-api-exports-mixed-2024-01.json", payload)
    assert pf.tables["trade"]["product"].tolist() == ["HS2:87"]
    det = pf.tables["trade_detail"]
    assert det["commodity_level"].tolist() == ["HS6", "HS2"]
    assert det["district"].isna().tolist() == [True, False]
    store = Store(tmp_path / "store")
    store.load(pf)
    r = open_reader(store, use_snapshot=False)
    try:
        flags = r.con.execute("SELECT sum(rows_all_districts), sum(rows_not_country) FROM detail_files").fetchone()
        assert r.one("SELECT value_usd FROM trade WHERE product = 'HS2:87'") == 100.0
    finally:
        r.close()
    assert flags == (1, 0)
    assert isinstance(det, pd.DataFrame)
