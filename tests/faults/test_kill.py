"""SIGKILL at many points of a load and of a snapshot: the store and the snapshot are never left damaged.

Each case copies a small real store, starts `usmca data load` (or `data snapshot`) in a subprocess, kills
it with SIGKILL after a different delay, then checks that the store opens, answers, and either holds the
new file or does not (never half of it), and that the next load finishes. Bounded: 20 + 20 kills.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from usmca.store import Store, open_reader
from usmca.store.reader import check_snapshot

NEW_FILE = "cbp_drug_seizures/nationwide-drugs-fy19-fy22.csv"
KILLS = 20


def _usmca(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "usmca.cli", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _timed(*args: str) -> float:
    t0 = time.perf_counter()
    p = _usmca(*args)
    assert p.wait(timeout=120) == 0
    return time.perf_counter() - t0


def _sources(root: Path) -> set[str]:
    r = open_reader(Store(root), use_snapshot=False)
    try:
        return set(r.df("SELECT source_id FROM sources")["source_id"])
    finally:
        r.close()


@pytest.mark.slow
def test_sigkill_during_a_load_never_leaves_a_damaged_store(
    base_store: Path, shared_data: Path, tmp_path: Path
) -> None:
    before = _sources(base_store)
    probe = tmp_path / "probe"
    shutil.copytree(base_store, probe)
    full = _timed("data", "load", str(shared_data / NEW_FILE), "--store", str(probe))
    after = _sources(probe)
    assert after > before
    rng = random.Random(11)
    for i in range(KILLS):
        root = tmp_path / f"kill-{i}"
        shutil.copytree(base_store, root)
        p = _usmca("data", "load", str(shared_data / NEW_FILE), "--store", str(root))
        time.sleep(rng.uniform(0.0, full))
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=30)
        got = _sources(root)  # opens without an error
        assert got in (before, after), (i, got ^ after)
        # the next load finishes (leftovers of the killed one are cleaned) and the store is whole
        assert _usmca("data", "load", str(shared_data / NEW_FILE), "--store", str(root)).wait(timeout=120) == 0
        assert _sources(root) == after
        shutil.rmtree(root)


@pytest.mark.slow
def test_sigkill_during_a_snapshot_never_leaves_a_damaged_snapshot(base_store: Path, tmp_path: Path) -> None:
    good = tmp_path / "snapshot"
    full = _timed("data", "snapshot", "--store", str(base_store), "--out", str(good), "--allow-shrink")
    check_snapshot(good, full=True)
    rng = random.Random(12)
    for i in range(KILLS):
        out = tmp_path / f"snap-{i}"
        shutil.copytree(good, out)
        p = _usmca("data", "snapshot", "--store", str(base_store), "--out", str(out), "--allow-shrink")
        time.sleep(rng.uniform(0.0, full))
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=30)
        check_snapshot(out, full=True)  # the previous snapshot or the new one, whole: never a mix
        shutil.rmtree(out)
