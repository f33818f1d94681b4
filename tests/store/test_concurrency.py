"""Readers during a load see the last committed state; leftovers of crashes are cleaned; workers die with us."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from usmca import pipeline
from usmca.errors import StoreError
from usmca.pipeline import load_paths
from usmca.store import Store, open_reader
from usmca.store.catalog import NEW_DB

SBO = "cbp_encounters/sbo-encounters-fy22-fy25-aug.csv"
AMO = "cbp_drug_seizures/amo-drug-seizures-fy23-fy26-dec.csv"
AMO_OLD = "cbp_drug_seizures/amo-drug-seizures-fy19-fy22.csv"
ROOT = Path(__file__).resolve().parents[2]


def counts(store: Store) -> tuple[int, int]:
    reader = open_reader(store, use_snapshot=False)
    try:
        return reader.one("SELECT count(*) FROM sources"), reader.one("SELECT count(*) FROM seizures")
    finally:
        reader.close()


def test_reader_during_a_slow_load_sees_the_old_state(
    store: Store, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_paths(store, [shared_data / SBO], workers=1)
    old = counts(store)
    parsing, release = threading.Event(), threading.Event()
    real = pipeline.parse_path

    def slow(path: Path, staging: Path | None = None) -> Any:
        parsing.set()
        assert release.wait(30)
        return real(path, staging)

    monkeypatch.setattr(pipeline, "parse_path", slow)
    errors: list[BaseException] = []

    def load() -> None:
        try:
            load_paths(store, [shared_data / AMO], workers=1)
        except BaseException as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    t = threading.Thread(target=load)
    t.start()
    try:
        assert parsing.wait(30)
        assert counts(store) == old  # no lock error, the committed state
        with pytest.raises(StoreError, match="another process is loading"):
            load_paths(Store(store.root), [shared_data / AMO_OLD], workers=1)
        # A file the store already holds unchanged needs no write lock: it is skipped at once.
        assert [r.status for r in load_paths(Store(store.root), [shared_data / SBO], workers=1)] == ["unchanged"]
    finally:
        release.set()
        t.join(60)
    assert not errors
    new = counts(store)
    assert new[0] == old[0] + 1 and new[1] > old[1] == 0


def test_leftovers_of_a_crash_are_cleaned(store: Store, shared_data: Path) -> None:
    load_paths(store, [shared_data / SBO], workers=1)
    junk = [
        store.staging_dir / "wiod.wiot_x-123" / "Z.npy",
        store.io_dir / "orphan_abc" / "Z.npy",
        store.parquet_dir / ".staging" / "wiod.wiot_y-123" / "Z.parquet",  # left by an older version
        store.parquet_dir / "orphan_def" / "Z.parquet",
    ]
    for j in junk:
        j.parent.mkdir(parents=True)
        j.write_bytes(b"partial")
    (store.root / NEW_DB).write_bytes(b"half a catalog")
    load_paths(store, [shared_data / AMO], workers=1)
    assert not (store.root / NEW_DB).exists()
    assert not store.staging_dir.exists()
    assert not (store.io_dir / "orphan_abc").exists()
    assert not (store.parquet_dir / "orphan_def").exists() and not (store.parquet_dir / ".staging").exists()
    assert counts(store)[0] == 2


def test_staging_is_removed_after_a_parallel_load(store: Store, shared_data: Path) -> None:
    load_paths(
        store,
        [shared_data / "wiod_2013_release/wiot_1995.RData", shared_data / "wiod_2013_release/wiot_1996.RData"],
        workers=2,
    )
    assert not store.staging_dir.exists()
    assert len([d for d in store.io_dir.iterdir()]) == 2


LOADER = """
import os, sys, time
from pathlib import Path
from usmca import pipeline
from usmca.store import Store

def slow(path, staging=None):
    Path(sys.argv[2], str(os.getpid())).touch()
    time.sleep(60)

pipeline.parse_path = slow
pipeline.load_paths(Store(sys.argv[1]), [Path(p) for p in sys.argv[3:]], workers=2)
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_their_parent(store: Store, shared_data: Path, tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(store.root), str(pids), str(shared_data / SBO), str(shared_data / AMO)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2:
            if proc.poll() is not None:
                pytest.fail(f"the loader exited: {proc.stderr.read() if proc.stderr else ''!r}")
            if time.monotonic() > deadline:
                pytest.fail("the workers never started")
            time.sleep(0.05)
            workers = [int(p.name) for p in pids.iterdir()]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        time.sleep(2)
        assert [w for w in workers if alive(w)] == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)
    assert not store.exists()  # nothing was committed
    load_paths(store, [shared_data / SBO], workers=1)  # and the next load cleans up and works
    assert not (store.root / NEW_DB).exists()
