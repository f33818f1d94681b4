"""Disk full while writing: a StoreError that says so, and the store exactly as it was."""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import store_fingerprint
from usmca.errors import StoreError
from usmca.pipeline import load_paths
from usmca.store import Store
from usmca.store.catalog import NEW_DB

WIOT = "wiod_2013_release/wiot_1996.RData"
SBO = "cbp_encounters/sbo-encounters-fy22-fy25-aug.csv"


def enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def leftovers(store: Store) -> list[Path]:
    return [p for p in [store.root / NEW_DB, store.staging_dir] if p.exists()]


def test_disk_full_writing_an_io_table(fresh: Store, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = store_fingerprint(fresh)
    folders = sorted(p.name for p in fresh.io_dir.iterdir())
    monkeypatch.setattr(np.lib.format, "write_array", enospc)
    full = r"no space left on device while writing .*wiod\.wiot.*; the store is unchanged"
    with pytest.raises(StoreError, match=full):
        load_paths(fresh, [shared_data / WIOT], workers=1)
    assert store_fingerprint(fresh) == before
    assert sorted(p.name for p in fresh.io_dir.iterdir()) == folders
    assert leftovers(fresh) == []


def test_disk_full_writing_facts(fresh: Store, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh.remove("cbp.southwest")
    before = store_fingerprint(fresh)
    monkeypatch.setattr(Store, "_insert", staticmethod(enospc))
    with pytest.raises(StoreError, match=r"no space left on device while writing .*; the store is unchanged"):
        load_paths(fresh, [shared_data / SBO], workers=1)
    assert store_fingerprint(fresh) == before
    assert leftovers(fresh) == []
    monkeypatch.undo()
    assert load_paths(fresh, [shared_data / SBO], workers=1)[0].status == "loaded"


def test_disk_full_copying_the_catalog(fresh: Store, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    before = store_fingerprint(fresh)
    monkeypatch.setattr(shutil, "copyfile", enospc)
    with pytest.raises(StoreError, match=r"no space left on device while writing .*usmca\.duckdb\.loading"):
        load_paths(fresh, [shared_data / WIOT], workers=1)
    monkeypatch.undo()
    assert store_fingerprint(fresh) == before
    assert leftovers(fresh) == []
