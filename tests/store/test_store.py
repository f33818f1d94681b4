"""Atomic loads: no-op reloads, vintages, and a store that survives a failure or a killed process.

The files are the real CBP Southwest border encounters CSV and an older vintage of it built
from it in tmp_path (the last month dropped and one month revised), plus the real AMO seizures.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import store_fingerprint
from usmca.sources import cbp_encounters, cbp_seizures
from usmca.sources.base import ParsedFile, parsed
from usmca.store import Store, open_reader

SBO = "sbo-encounters-fy22-fy25-aug.csv"
REVISED = ("2025 (FYTD)", "JUL")  # the month the older vintage reports differently
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def newer(shared_data: Path) -> ParsedFile:
    return cbp_encounters.parse_southwest(shared_data / "cbp_encounters" / SBO)


@pytest.fixture(scope="module")
def older(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> ParsedFile:
    """The same release a month earlier: through July 2025, with July 2025 counted lower."""
    raw = pd.read_csv(shared_data / "cbp_encounters" / SBO, dtype=str, keep_default_na=False)
    raw = raw[~((raw["Fiscal Year"] == "2025 (FYTD)") & (raw["Month (abbv)"] == "AUG"))].copy()
    jul = (raw["Fiscal Year"] == REVISED[0]) & (raw["Month (abbv)"] == REVISED[1])
    first = raw.index[jul][0]
    raw.loc[first, "Encounter Count"] = str(int(raw.loc[first, "Encounter Count"]) + 100)
    path = tmp_path_factory.mktemp("older") / "sbo-encounters-fy22-fy25-jul.csv"
    raw.to_csv(path, index=False)
    return cbp_encounters.parse_southwest(path)


@pytest.fixture(scope="module")
def amo(shared_data: Path) -> ParsedFile:
    return cbp_seizures.parse_amo(shared_data / "cbp_drug_seizures" / "amo-drug-seizures-fy23-fy26-dec.csv")


def month_total(store: Store, year: int, month: int, table: str = "encounters_current") -> list:
    con = duckdb.connect(str(store.db_path), read_only=True)
    try:
        return con.execute(
            f"SELECT s.file_name, sum(t.count) FROM {table} t JOIN sources s USING (source_id) "
            "WHERE t.year = ? AND t.month = ? GROUP BY 1 ORDER BY 1",
            [year, month],
        ).fetchall()
    finally:
        con.close()


def contents(store: Store) -> list[tuple]:
    """Fingerprint plus a checksum of every fact row that matters here."""
    con = duckdb.connect(str(store.db_path), read_only=True)
    try:
        sums = [
            con.execute(f"SELECT count(*), sum(count), min(source_id) FROM {t}").fetchone()
            for t in ("encounters", "encounters_current")
        ] + [
            con.execute(f"SELECT count(*), sum(quantity_lb) FROM {t}").fetchone()
            for t in ("seizures", "seizures_current")
        ]
    finally:
        con.close()
    return store_fingerprint(store) + [tuple(s) for s in sums if s is not None]


def test_vintages(older: ParsedFile, newer: ParsedFile) -> None:
    assert older.vintage == date(2025, 8, 1)
    assert newer.vintage == date(2025, 9, 1)


def test_reloading_the_same_file_is_a_no_op(store: Store, newer: ParsedFile) -> None:
    first = store.load(newer)
    assert first.status == "loaded" and first.rows == len(newer.tables["encounters"])
    before = contents(store)
    again = store.load(newer)
    assert again.status == "unchanged"
    assert again.rows == 0
    assert again.source_id == first.source_id
    assert contents(store) == before


@pytest.mark.parametrize("order", ["older_first", "newer_first"])
def test_newer_vintage_wins_per_month(store: Store, older: ParsedFile, newer: ParsedFile, order: str) -> None:
    for p in [older, newer] if order == "older_first" else [newer, older]:
        assert store.load(p).status == "loaded"
    # July 2025 is in both files with different counts: the newer file wins.
    real_jul = sum(newer.tables["encounters"].query("year == 2025 and month == 7")["count"])
    assert month_total(store, 2025, 7) == [(SBO, real_jul)]
    # The older vintage stays in the raw table.
    raw = dict(month_total(store, 2025, 7, table="encounters"))
    assert raw == {SBO: real_jul, "sbo-encounters-fy22-fy25-jul.csv": real_jul + 100}
    # August 2025 is only in the newer file; every current month comes from the newer file.
    assert month_total(store, 2025, 8)[0][0] == SBO
    con = duckdb.connect(str(store.db_path), read_only=True)
    try:
        files = con.execute(
            "SELECT DISTINCT s.file_name FROM encounters_current JOIN sources s USING (source_id)"
        ).fetchall()
    finally:
        con.close()
    assert files == [(SBO,)]
    # The reader sees the same; as of the older vintage, the older counts.
    reader = open_reader(store, use_snapshot=False)
    try:
        assert reader.one("SELECT sum(count) FROM encounters WHERE year = 2025 AND month = 7") == real_jul
        rel = reader.relation("encounters", date(2025, 8, 15))
        assert reader.one(f"SELECT sum(count) FROM {rel} WHERE year = 2025 AND month = 7") == (real_jul + 100)
    finally:
        reader.close()


def test_same_file_name_and_vintage_replaces(store: Store, older: ParsedFile, tmp_path: Path) -> None:
    assert store.load(older).status == "loaded"
    # A corrected copy of the same release: same name, same vintage, other bytes.
    fixed = tmp_path / older.path.name
    raw = pd.read_csv(older.path, dtype=str, keep_default_na=False)
    raw.loc[0, "Encounter Count"] = str(int(raw.loc[0, "Encounter Count"]) + 1)
    raw.to_csv(fixed, index=False)
    result = store.load(cbp_encounters.parse_southwest(fixed))
    assert result.status == "replaced"
    con = duckdb.connect(str(store.db_path), read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM sources").fetchone()
        rows = con.execute("SELECT count(*) FROM encounters").fetchone()
    finally:
        con.close()
    assert n == (1,)
    assert rows == (len(older.tables["encounters"]),)


def test_failure_in_the_middle_of_a_load_leaves_the_store_as_before(
    store: Store, older: ParsedFile, newer: ParsedFile, amo: ParsedFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.load(older).status == "loaded"
    before = contents(store)
    original = Store._insert
    calls: list[str] = []

    def insert_then_fail(con, table, *args, **kwargs):  # type: ignore[no-untyped-def]
        if calls:
            raise RuntimeError("disk full (simulated)")
        calls.append(table)
        original(con, table, *args, **kwargs)

    monkeypatch.setattr(Store, "_insert", staticmethod(insert_then_fail))
    # A parsed file with two tables: the first is inserted, the second fails.
    two = parsed(
        newer.info,
        newer.path,
        newer.vintage,
        {"encounters": newer.tables["encounters"], "seizures": amo.tables["seizures"]},
    )
    with pytest.raises(RuntimeError, match="simulated"):
        store.load(two)
    assert calls == ["encounters"]
    assert contents(store) == before
    # And the store still loads the file once the failure is gone.
    monkeypatch.undo()
    assert store.load(newer).status == "loaded"
    assert month_total(store, 2025, 8)[0][0] == SBO


def test_failure_after_the_only_table(
    store: Store, older: ParsedFile, newer: ParsedFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.load(older).status == "loaded"
    before = contents(store)
    original = Store._insert

    def insert_then_fail(con, table, *args, **kwargs):  # type: ignore[no-untyped-def]
        original(con, table, *args, **kwargs)
        raise KeyboardInterrupt  # even an interrupt rolls back

    monkeypatch.setattr(Store, "_insert", staticmethod(insert_then_fail))
    with pytest.raises(KeyboardInterrupt):
        store.load(newer)
    assert contents(store) == before


LOADER = """
import sys
from pathlib import Path
from usmca.sources import cbp_encounters
from usmca.store import Store
Store(sys.argv[1]).load(cbp_encounters.parse_southwest(Path(sys.argv[2])))
print("committed")
"""


def test_killed_process_leaves_the_previous_contents(
    store: Store, older: ParsedFile, newer: ParsedFile, tmp_path: Path
) -> None:
    assert store.load(older).status == "loaded"
    before = contents(store)
    flag = tmp_path / "paused"
    env = {
        **os.environ,
        "USMCA_TEST_PAUSE_BEFORE_COMMIT": str(flag),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(store.root), str(newer.path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"the loader exited before pausing: {out!r} {err!r}")
            if time.monotonic() > deadline:
                pytest.fail("the loader never reached the pause before COMMIT")
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # The store opens and holds exactly what it held before the killed load.
    assert contents(store) == before
    reader = open_reader(store, use_snapshot=False)
    try:
        assert reader.one("SELECT count(*) FROM sources") == 1
    finally:
        reader.close()
    # It is writable again: the same load now completes.
    assert store.load(newer).status == "loaded"
    assert month_total(store, 2025, 8)[0][0] == SBO


def test_a_refused_file_in_a_multi_file_load_writes_nothing(store: Store, shared_data: Path, tmp_path: Path) -> None:
    """One transaction for the run: the files before a refused file are kept, the refused file (a
    changed copy of a loaded one) neither replaces it nor adds a row."""
    from usmca.errors import DataFormatError
    from usmca.pipeline import load_paths

    sbo = shared_data / "cbp_encounters" / SBO
    load_paths(store, [sbo], workers=1)
    before = month_total(store, 2025, 8)
    lines = sbo.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("2022,", "2099,", 1)  # a fiscal year after the file's vintage
    bad = tmp_path / "bad" / SBO
    bad.parent.mkdir()
    bad.write_text("".join(lines), encoding="utf-8")
    amo = shared_data / "cbp_drug_seizures" / "amo-drug-seizures-fy23-fy26-dec.csv"
    with pytest.raises(DataFormatError, match=r"row 2, column .year.: year after the file.s vintage") as err:
        load_paths(store, [amo, bad], workers=1)
    assert SBO in str(err.value)
    assert month_total(store, 2025, 8) == before  # the loaded copy is still the current one
    assert sorted(store.sources()["dataset"]) == ["cbp.amo_drugs", "cbp.southwest"]
    assert [r.status for r in load_paths(store, [sbo, amo], workers=1)] == ["unchanged", "unchanged"]
