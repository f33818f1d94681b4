"""Fixtures for the input-output engine tests: real WIOD 2011 and small synthetic tables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from usmca.models import MRIOTable

REPO = Path(__file__).resolve().parents[2]
DATA = (REPO / ".." / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data beside the checkout (skips the test when it is not there)."""
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside the checkout")
    return DATA


@pytest.fixture(scope="session")
def wiod_2011(shared_data: Path) -> MRIOTable:
    from usmca.sources.wiod import read_wiot

    path = shared_data / "wiod_2013_release" / "wiot_2011.RData"
    if not path.exists():
        pytest.skip(f"{path} is missing")
    table = read_wiot(path)
    table.L  # noqa: B018 - compute the Leontief inverse once for the session
    return table


def synthetic_table(
    regions: int = 5,
    sectors: int = 4,
    categories: int = 2,
    seed: int = 1,
    *,
    balanced: bool = True,
) -> MRIOTable:
    """Random dense MRIO table (named "synthetic"): x = Z1 + Y1 and va = x − Z'1."""
    rng = np.random.default_rng(seed)
    n = regions * sectors
    Z = rng.random((n, n)) * 10
    Y = rng.random((n, regions * categories)) * 40
    x = Z.sum(1) + Y.sum(1)
    va = x - Z.sum(0)
    if not balanced:
        va = va * rng.uniform(0.8, 1.2, n)
    regs = [f"R{i}" for i in range(regions)]
    cats = [f"F{j}" for j in range(categories)]
    return MRIOTable(
        regions=regs,
        sectors=[f"s{j}" for j in range(sectors)],
        Z=Z,
        Y=Y,
        fd_labels=[(r, c) for r in regs for c in cats],
        va=va,
        x=x,
        year=2000,
        source={"dataset": "synthetic", "seed": seed},
    )


@pytest.fixture
def small_table() -> MRIOTable:
    return synthetic_table()


@pytest.fixture
def make_table() -> Callable[..., MRIOTable]:
    """The synthetic_table factory, for tests that need other sizes or seeds."""
    return synthetic_table
