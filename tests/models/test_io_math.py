"""Leontief arithmetic: textbook values, identities and validation errors."""

from __future__ import annotations

import numpy as np
import pytest

from usmca.models import (
    IOModelError,
    LeontiefLU,
    backends,
    calc_A,
    calc_L,
    calc_v,
    calc_x,
    check_productive,
    employment_multipliers,
    leontief_solve,
    output_multipliers,
    value_added_multipliers,
)

# Miller & Blair (2009), Input-Output Analysis, 2nd ed., section 2.3: two-sector example.
MB_Z = np.array([[150.0, 500.0], [200.0, 100.0]])
MB_X = np.array([1000.0, 2000.0])
MB_F = np.array([350.0, 1700.0])  # final demand that closes the rows
# L = (I - A)^-1 = 1/0.7575 [[0.95, 0.25], [0.2, 0.85]] = [[380, 100], [80, 340]] / 303
MB_L = np.array([[380.0, 100.0], [80.0, 340.0]]) / 303.0


def test_miller_blair_coefficients() -> None:
    A = calc_A(MB_Z, MB_X)
    np.testing.assert_allclose(A, [[0.15, 0.25], [0.20, 0.05]], rtol=0, atol=1e-15)


def test_miller_blair_leontief_inverse() -> None:
    L = calc_L(calc_A(MB_Z, MB_X))
    np.testing.assert_allclose(L, MB_L, rtol=1e-14)
    # the textbook prints L rounded to three decimals
    np.testing.assert_array_equal(np.round(L, 3), [[1.254, 0.330], [0.264, 1.122]])


def test_miller_blair_output_and_new_demand() -> None:
    A = calc_A(MB_Z, MB_X)
    np.testing.assert_allclose(calc_x(MB_Z, MB_F), MB_X)
    np.testing.assert_allclose(leontief_solve(A, MB_F), MB_X, rtol=1e-14)
    # the book's second experiment: f = (600, 1500) -> x = (1247.52, 1841.58)
    x_new = leontief_solve(A, [600.0, 1500.0])
    np.testing.assert_allclose(x_new, [378000 / 303, 558000 / 303], rtol=1e-14)
    np.testing.assert_array_equal(np.round(x_new, 2), [1247.52, 1841.58])


def test_miller_blair_multipliers() -> None:
    L = calc_L(calc_A(MB_Z, MB_X))
    np.testing.assert_allclose(output_multipliers(L), [460 / 303, 440 / 303], rtol=1e-14)
    va = MB_X - MB_Z.sum(axis=0)  # [650, 1400]
    v = calc_v(va, MB_X)
    np.testing.assert_allclose(v, [0.65, 0.70], rtol=1e-15)
    # value added as the balancing item: every dollar of final demand is all value added
    np.testing.assert_allclose(value_added_multipliers(v, L), [1.0, 1.0], rtol=1e-14)
    emp = np.array([10.0, 40.0])  # jobs; coefficients 0.01 and 0.02 per $
    np.testing.assert_allclose(employment_multipliers(emp, MB_X, L), [5.4 / 303, 7.8 / 303], rtol=1e-13)


def test_leontief_lu_solves_both_ways_and_inverts() -> None:
    rng = np.random.default_rng(7)
    n = 120
    A = rng.random((n, n))
    A /= A.sum(axis=0) * 1.25
    ref = np.linalg.inv(np.eye(n) - A)
    lu = LeontiefLU(A)
    y = rng.random((n, 3))
    np.testing.assert_allclose(lu.solve(y), ref @ y, rtol=1e-12)
    w = rng.random(n)
    np.testing.assert_allclose(lu.solve_transposed(w), w @ ref, rtol=1e-12)
    L = lu.inverse(keep=True)
    np.testing.assert_allclose(L, ref, rtol=1e-12, atol=1e-15)
    assert L.flags.c_contiguous
    np.testing.assert_allclose(lu.solve(y[:, 0]), ref @ y[:, 0], rtol=1e-12)  # still usable
    lu.inverse(keep=False)
    with pytest.raises(IOModelError, match="consumed"):
        lu.solve(y)
    np.testing.assert_allclose(calc_L(A), ref, rtol=1e-12, atol=1e-15)


def test_zero_output_gives_zero_coefficients() -> None:
    Z = np.array([[1.0, 0.0, 2.0], [3.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    x = np.array([10.0, 0.0, 20.0])
    A = calc_A(Z, x)
    np.testing.assert_array_equal(A[:, 1], 0.0)
    np.testing.assert_allclose(A[:, 0], [0.1, 0.3, 0.0])
    np.testing.assert_array_equal(calc_v([5.0, 0.0, 17.0], x), [0.5, 0.0, 0.85])
    # the zero-output sector's column of L is the unit vector
    np.testing.assert_allclose(calc_L(A)[:, 1], [0.0, 1.0, 0.0], atol=1e-15)


# ------------------------------------------------------------------ validation errors


def test_non_square_Z_is_rejected() -> None:
    with pytest.raises(IOModelError, match=r"Z: must be a square matrix, got shape \(2, 3\)"):
        calc_A(np.ones((2, 3)), np.ones(3))
    with pytest.raises(IOModelError, match=r"A: must be a square matrix"):
        calc_L(np.zeros((3, 2)))


def test_label_and_shape_mismatch_is_rejected() -> None:
    with pytest.raises(IOModelError, match="x: has 3 entries but Z is 2 x 2"):
        calc_A(MB_Z, [1.0, 2.0, 3.0])
    with pytest.raises(IOModelError, match="3 labels given for 2 rows/columns"):
        calc_A(MB_Z, MB_X, labels=["a", "b", "c"])
    with pytest.raises(IOModelError, match="y: has 3 rows but A is 2 x 2"):
        leontief_solve(calc_A(MB_Z, MB_X), [1.0, 2.0, 3.0])


def test_negative_output_names_the_sector() -> None:
    with pytest.raises(IOModelError, match=r"x: negative gross output for 'steel'"):
        calc_A(MB_Z, [1000.0, -5.0], labels=["farm", "steel"])


def test_nan_and_inf_name_the_row() -> None:
    Z = MB_Z.copy()
    Z[1, 0] = np.nan
    with pytest.raises(IOModelError, match=r"Z: 1 NaN or inf value\(s\), in rows \('MEX', 'c2'\)"):
        calc_A(Z, MB_X, labels=[("MEX", "c1"), ("MEX", "c2")])
    A = calc_A(MB_Z, MB_X)
    with pytest.raises(IOModelError, match=r"y: NaN or inf at #0"):
        leontief_solve(A, [np.inf, 1.0])
    with pytest.raises(IOModelError, match="va: NaN or inf"):
        calc_v([np.nan, 1.0], MB_X)


def test_non_productive_economy_names_only_offending_sectors() -> None:
    A = np.array([[0.5, 0.2, 0.1], [0.3, 0.1, 0.6], [0.3, 0.1, 0.3]])  # col sums 1.1, .4, 1.0
    labels = [("USA", "c1"), ("USA", "c2"), ("MEX", "c15")]
    with pytest.raises(IOModelError) as info:
        calc_L(A, labels=labels)
    msg = str(info.value)
    assert "non-productive" in msg
    assert "('USA', 'c1')" in msg and "('MEX', 'c15')" in msg
    assert "('USA', 'c2')" not in msg
    with pytest.raises(IOModelError, match="non-productive"):
        check_productive(A)
    check_productive(A * 0.5)  # fine


def test_singular_leontief_matrix_without_check() -> None:
    A = np.array([[1.0, 0.0], [0.0, 0.5]])
    with pytest.raises(IOModelError, match="singular"):
        calc_L(A, check=False, labels=["a", "b"])


def test_unknown_backend() -> None:
    with pytest.raises(IOModelError, match="unknown backend 'cupy'"):
        calc_L(np.zeros((2, 2)), backend="cupy")


@pytest.mark.skipif(backends.torch_available(), reason="torch is installed")
def test_torch_backend_says_it_is_missing() -> None:
    with pytest.raises(IOModelError, match="PyTorch is not installed"):
        calc_L(calc_A(MB_Z, MB_X), backend="torch")


@pytest.mark.skipif(not backends.torch_available(), reason="torch is not installed")
def test_torch_backend_matches_numpy() -> None:
    rng = np.random.default_rng(3)
    n = 400
    A = rng.random((n, n))
    A /= A.sum(axis=0) * 1.3
    L_np = calc_L(A)
    L_t = calc_L(A, backend="torch")
    np.testing.assert_allclose(L_t, L_np, rtol=1e-10, atol=1e-12)
    y = rng.random((n, 4))
    np.testing.assert_allclose(leontief_solve(A, y, backend="torch"), L_np @ y, rtol=1e-10)
