"""A small real store (CBP encounters, FT-900 exhibits, one WIOD year) built once and copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from usmca.pipeline import load_paths
from usmca.store import Store

FILES = [
    "cbp_encounters/sbo-encounters-fy22-fy25-aug.csv",
    "census_ft900_exhibits/exh1.xlsx",
    "wiod_2013_release/wiot_1995.RData",
]


@pytest.fixture(scope="session")
def base_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults") / "store"
    load_paths(Store(root), [shared_data / f for f in FILES], workers=1)
    return root


@pytest.fixture
def fresh(base_store: Path, tmp_path: Path) -> Store:
    """A private copy of the base store (each test may damage its own)."""
    root = tmp_path / "store"
    shutil.copytree(base_store, root)
    return Store(root)


def flip_byte(path: Path, offset: int | None = None) -> None:
    """Invert one byte (the middle one unless told), keeping the size."""
    data = bytearray(path.read_bytes())
    i = len(data) // 2 if offset is None else offset % len(data)
    data[i] ^= 0xFF
    path.write_bytes(bytes(data))
