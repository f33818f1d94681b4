"""Parity with pymrio (the reference Python MRIO library): L and multipliers to 1e-10."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from usmca.models import (
    MRIOTable,
    calc_A,
    calc_L,
    employment_multipliers,
    output_multipliers,
    value_added_multipliers,
)

pymrio = pytest.importorskip("pymrio")

RTOL = 1e-10


def assert_close(ours: np.ndarray, theirs: np.ndarray) -> None:
    """Equal to 1e-10 relative (entries far below the matrix scale compared absolutely)."""
    theirs = np.asarray(theirs, dtype=float)
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=RTOL * 1e-3 * np.abs(theirs).max())


@pytest.fixture(scope="module")
def test_system() -> Any:
    io = pymrio.load_test()
    io.calc_all()
    return io


def test_pymrio_test_system_L_and_multipliers(test_system: Any) -> None:
    io = test_system
    table = MRIOTable.from_pymrio(io, year=2011)
    assert table.regions == list(io.get_regions())
    assert table.sectors == list(io.get_sectors())
    assert_close(table.A, io.A.to_numpy())
    assert_close(table.L, io.L.to_numpy())
    assert_close(output_multipliers(table.L), io.L.to_numpy().sum(axis=0))
    # value added: pymrio's factor_inputs.M = S L with S = F / x
    va_mult = value_added_multipliers(table.v, table.L)
    assert_close(va_mult, io.factor_inputs.M.to_numpy().ravel())
    # emissions as a stand-in for any satellite account ("employment" multipliers)
    em = employment_multipliers(io.emissions.F.to_numpy(), table.x, table.L)
    assert_close(em, io.emissions.M.to_numpy())
    # and the bare functions on pymrio's own arrays
    assert_close(calc_L(calc_A(io.Z.to_numpy(), io.x.to_numpy().ravel())), io.L.to_numpy())


def test_pymrio_gross_trade_matches(test_system: Any) -> None:
    io = test_system
    table = MRIOTable.from_pymrio(io, year=2011)
    # pymrio counts every flow to another region, i.e. our gross exports
    gt = pymrio.calc_gross_trade(io.Z, io.Y)
    ours = table.gross_exports()
    theirs = gt.bilat_flows.reindex(index=ours.index, columns=ours.columns).to_numpy()
    assert_close(ours.to_numpy(), theirs)


def test_pymrio_wiod_2011_parity(wiod_2011: MRIOTable) -> None:
    t = wiod_2011
    idx = t.index
    fd_idx = pd.MultiIndex.from_tuples(t.fd_labels, names=["region", "category"])
    io = pymrio.IOSystem(
        Z=pd.DataFrame(t.Z, index=idx, columns=idx),
        Y=pd.DataFrame(t.Y, index=idx, columns=fd_idx),
        x=pd.DataFrame(t.x, index=idx, columns=["indout"]),
        factor_inputs={
            "name": "factor_inputs",
            "F": pd.DataFrame(t.va[None, :], index=["VA"], columns=idx),
        },
    )
    io.calc_all()
    assert_close(t.A, io.A.to_numpy())
    assert_close(t.L, io.L.to_numpy())
    assert_close(output_multipliers(t.L), io.L.to_numpy().sum(axis=0))
    assert_close(value_added_multipliers(t.v, t.L)[t.x > 0], io.factor_inputs.M.to_numpy().ravel()[t.x > 0])
