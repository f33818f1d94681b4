"""One factorisation per table serves every reading; the paths without an explicit inverse agree
with plain numpy on the real WIOD 2011 table and on synthetic tables (named so)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import scipy.linalg

import usmca.models.io as io
from usmca.models import MRIOTable, backends, compare_sources_in_exports
from usmca.models.io import LeontiefLU
from usmca.models.va_readings import value_added_readings


class Counter:
    """Counts the n x n factorisations and inverses of a Leontief matrix made while active."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.calls: list[str] = []


@pytest.fixture
def factorisations(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int], Counter]]:
    """Wraps usmca's one factorisation point and numpy/scipy's solvers: any n x n factorisation of
    any route (``_factorise``, ``lu_factor``, ``numpy.linalg.solve``/``inv``, ``scipy.linalg.inv``)
    is counted."""
    counters: list[Counter] = []

    def big(a: Any) -> bool:
        return any(np.shape(a) == (c.n, c.n) for c in counters)

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def counted(a: Any, *args: Any, **kwargs: Any) -> Any:
            if big(a):
                for c in counters:
                    c.calls.append(name)
            return fn(a, *args, **kwargs)

        return counted

    monkeypatch.setattr(io, "_factorise", wrap("getrf", io._factorise))
    monkeypatch.setattr(np.linalg, "solve", wrap("numpy.linalg.solve", np.linalg.solve))
    monkeypatch.setattr(np.linalg, "inv", wrap("numpy.linalg.inv", np.linalg.inv))
    monkeypatch.setattr(scipy.linalg, "inv", wrap("scipy.linalg.inv", scipy.linalg.inv))
    monkeypatch.setattr(scipy.linalg, "lu_factor", wrap("scipy.linalg.lu_factor", scipy.linalg.lu_factor))
    import usmca.models.mrio.borin_mancini as bm
    import usmca.models.mrio.readings as rd

    monkeypatch.setattr(bm, "lu_factor", wrap("lu_factor", bm.lu_factor))
    monkeypatch.setattr(rd, "lu_factor", wrap("lu_factor", rd.lu_factor))

    def make(n: int) -> Counter:
        c = Counter(n)
        counters.append(c)
        return c

    yield make


def every_reading(t: MRIOTable) -> None:
    C = t.countries
    t.vbe_matrix()
    t.vbe_matrix(by="sector")
    t.va_origin_of_exports(C[0], C[1])
    t.foreign_value_added_in_exports(C[0], C[2])
    t.domestic_content_of_imports(C[0], C[1])
    t.decompose_bilateral(C[1], C[2])
    t.decompose_exports(C[2], by_source=True)
    t.decompose_all_exporters()
    t.decompose_all_exporters(by_source=True)
    compare_sources_in_exports(t, C[0], (C[1], C[2]))
    value_added_readings(t)
    t.vbe_matrix()


def test_one_factorisation_per_table_across_readings_and_years(
    make_table: Callable[..., MRIOTable], factorisations: Callable[[int], Counter]
) -> None:
    years = {}
    for year, seed in ((2010, 4), (2011, 5)):
        t = make_table(regions=5, sectors=4, seed=seed)
        t.year = year
        years[year] = t
    count = factorisations(20)
    for _ in range(2):  # a session that comes back to both years
        for t in years.values():
            every_reading(t)
    assert count.calls == ["getrf", "getrf"]  # one per table (year), none by any other route


def test_one_factorisation_with_a_split_country(
    make_table: Callable[..., MRIOTable], factorisations: Callable[[int], Counter]
) -> None:
    base = make_table(regions=5, sectors=4, seed=6)
    fd = [("R1", f"{c}_b") if r == "R3" else (r, c) for r, c in base.fd_labels]
    t = MRIOTable(
        base.regions, base.sectors, base.Z, base.Y, fd, base.va, base.x, year=2011,
        country_of={"R3": "R1"},  # R1 and R3 are one country, with rows that are not contiguous
    )  # fmt: skip
    assert len(t.countries) == 4
    count = factorisations(20)
    every_reading(t)
    assert count.calls == ["getrf"]


def test_asking_for_the_inverse_reuses_the_factorisation(
    small_table: MRIOTable, factorisations: Callable[[int], Counter]
) -> None:
    count = factorisations(small_table.n)
    small_table.vbe_matrix()
    L = small_table.L
    small_table.decompose_all_exporters()
    assert count.calls == ["getrf"]
    np.testing.assert_allclose(L, scipy.linalg.inv(np.eye(small_table.n) - small_table.A), rtol=1e-12, atol=1e-15)


def pivoting_matrix(n: int, seed: int = 3) -> np.ndarray:
    """A productive A whose (I - A)ᵀ makes LAPACK interchange rows (a sale larger than 1 - a_jj)."""
    rng = np.random.default_rng(seed)
    A = rng.random((n, n)) * (0.2 / n)
    for j in range(0, n - 1, 3):
        A[j, j] = 0.6
        A[j, j + 1] = 0.7
    assert A.sum(axis=0).max() < 1
    return A


@pytest.mark.parametrize("pivots", [False, True])
def test_diagonal_blocks_equal_the_blocks_of_the_inverse(pivots: bool) -> None:
    n = 40
    A = pivoting_matrix(n) if pivots else np.random.default_rng(2).random((n, n)) * (0.9 / n)
    lu = LeontiefLU(A)
    assert bool((lu._piv != np.arange(n)).any()) is pivots
    L = np.linalg.inv(np.eye(n) - A)
    groups = [np.arange(0, 4), np.array([7, 9, 11]), np.array([5, 30, 31]), np.arange(n - 3, n), np.arange(n)]
    for rows, block in zip(groups, lu.diagonal_blocks(groups), strict=True):
        np.testing.assert_allclose(block, L[np.ix_(rows, rows)], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(lu.solve(np.ones(n)), L.sum(axis=1), rtol=1e-12)  # the factors are intact


def numpy_reference(t: MRIOTable) -> tuple[np.ndarray, np.ndarray]:
    """Plain numpy from the parts: A, E and the value-added origin by np.linalg.solve; B by inv."""
    x = t.x
    A = t.Z / np.where(x > 0, x, 1.0)[None, :] * (x > 0)[None, :]
    M = np.eye(t.n) - A
    v = np.where(x > 0, t.va / np.where(x > 0, x, 1.0), 1.0)
    C = t.countries
    rc = np.array([C.index(t.country(r)) for r in t.regions]).repeat(len(t.sectors))
    fd_c = np.array([C.index(r) for r, _ in t.fd_labels])
    G = len(C)
    E = np.zeros((t.n, G))
    for g in range(G):
        E[:, g] = t.Z[:, rc == g].sum(axis=1) + t.Y[:, fd_c == g].sum(axis=1)
    E[np.arange(t.n), rc] = 0.0
    Emat = np.zeros((t.n, G))
    Emat[np.arange(t.n), rc] = E.sum(axis=1)
    vbe = v[:, None] * np.linalg.solve(M, Emat)
    return np.stack([vbe[rc == g].sum(axis=0) for g in range(G)]), np.linalg.inv(M)


def fresh(t: MRIOTable) -> MRIOTable:
    """A new table from the same parts: nothing cached (the fixture's table holds its inverse)."""
    return MRIOTable(t.regions, t.sectors, t.Z, t.Y, t.fd_labels, t.va, t.x, year=t.year, country_of=t.country_of)


def check_against_numpy(t: MRIOTable) -> None:
    vbe_ref, B = numpy_reference(t)
    new = fresh(t)
    vbe = new.vbe_matrix().to_numpy()
    assert np.abs(vbe - vbe_ref).max() <= 1e-12 * np.abs(vbe_ref).max()
    bm = new.decompose_all_exporters()
    assert "L" not in new._cache  # no explicit inverse on the way
    with_inverse = fresh(t)
    with_inverse._cache["L"] = B  # the decomposition from numpy's explicit inverse
    ref = with_inverse.decompose_all_exporters()
    assert np.abs(bm.to_numpy() - ref.to_numpy()).max() <= 1e-12 * np.abs(ref.to_numpy()).max()
    parts = (bm["DVA"] + bm["DDC"] + bm["FVA"] + bm["FDC"]).to_numpy()
    assert np.abs(parts - bm["EXGR"].to_numpy()).max() <= 1e-12 * bm["EXGR"].abs().max()
    mult = value_added_readings(fresh(t)).query("reading == 'output_multiplier'")["value"].to_numpy()
    np.testing.assert_allclose(mult, B.sum(axis=0), rtol=1e-11)


def test_wiod_2011_without_inverse_agrees_with_plain_numpy(wiod_2011: MRIOTable) -> None:
    check_against_numpy(wiod_2011)


def test_synthetic_without_inverse_agrees_with_plain_numpy(make_table: Callable[..., MRIOTable]) -> None:
    check_against_numpy(make_table(regions=12, sectors=9, seed=8))


def test_validation_in_one_pass_still_names_the_cell(small_table: MRIOTable) -> None:
    t = small_table
    Z = t.Z.copy()
    Z[3, 9] = np.inf
    with pytest.raises(io.IOModelError, match=r"Z: 1 NaN or inf value\(s\), in rows \('R0', 's3'\)"):
        MRIOTable(t.regions, t.sectors, Z, t.Y, t.fd_labels, t.va, t.x, year=2000)
    Z[3, 9] = -np.inf
    Z[4, 9] = np.inf  # the column sums to NaN
    with pytest.raises(io.IOModelError, match=r"Z: 2 NaN or inf value\(s\)"):
        MRIOTable(t.regions, t.sectors, Z, t.Y, t.fd_labels, t.va, t.x, year=2000)
    va = t.va.copy()
    va[2] = np.nan
    with pytest.raises(io.IOModelError, match=r"va: NaN or inf at \('R0', 's2'\)"):
        MRIOTable(t.regions, t.sectors, t.Z, t.Y, t.fd_labels, va, t.x, year=2000)


@pytest.mark.skipif(not backends.torch_available(), reason="torch is not installed")
def test_torch_table_factorises_once_and_agrees_with_numpy(
    make_table: Callable[..., MRIOTable], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = make_table(regions=6, sectors=5, seed=9)
    t = MRIOTable(
        base.regions, base.sectors, base.Z, base.Y, base.fd_labels, base.va, base.x, year=2011, backend="torch"
    )
    Z0 = base.Z.copy()
    made = []
    orig = backends.TorchLU.__init__

    def counting(self: Any, M: Any) -> None:
        made.append(M.shape)
        orig(self, M)

    monkeypatch.setattr(backends.TorchLU, "__init__", counting)
    got_vbe = t.vbe_matrix().to_numpy()
    got_bm = t.decompose_all_exporters().to_numpy()
    got_cmp = compare_sources_in_exports(t, "R0", ("R1", "R2")).to_frame()["ratio"].to_numpy(float)
    assert made == [(30, 30)]
    np.testing.assert_array_equal(base.Z, Z0)  # the device copy, not the host array, was factorised
    np.testing.assert_allclose(got_vbe, base.vbe_matrix().to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(got_bm, base.decompose_all_exporters().to_numpy(), rtol=1e-10, atol=1e-9)
    ref_cmp = compare_sources_in_exports(base, "R0", ("R1", "R2")).to_frame()["ratio"].to_numpy(float)
    np.testing.assert_allclose(got_cmp, ref_cmp, rtol=1e-10)


def test_factorisation_from_flows_equals_the_one_from_A(small_table: MRIOTable) -> None:
    t = small_table
    inv_x = np.where(t.x > 0, 1.0 / np.where(t.x > 0, t.x, 1.0), 0.0)
    a, b = LeontiefLU(t.A), LeontiefLU.from_flows(t.Z, inv_x)
    np.testing.assert_array_equal(a.factors, b.factors)
    fresh_table = fresh(t)
    fresh_table.vbe_matrix()
    assert "A" not in fresh_table._cache  # the value-added origin never formed A


@pytest.mark.parametrize("threads", [1, 2])
def test_diagonal_blocks_of_a_table_larger_than_one_triangle_leaf(
    monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """Both triangular inversions against numpy's inverse: one LAPACK trtri when BLAS has one thread,
    else the recursive halving (leaves of io.TRIANGLE_LEAF)."""
    monkeypatch.setattr(io, "TRIANGLE_LEAF", 7)  # several levels of halving on a small matrix
    monkeypatch.setattr(io, "blas_threads", lambda: threads)
    n = 61
    A = pivoting_matrix(n, seed=5)
    lu = LeontiefLU(A)
    L = np.linalg.inv(np.eye(n) - A)
    groups = [np.arange(i, min(i + 10, n)) for i in range(0, n, 10)]
    for rows, block in zip(groups, lu.diagonal_blocks(groups), strict=True):
        np.testing.assert_allclose(block, L[np.ix_(rows, rows)], rtol=1e-12, atol=1e-14)
