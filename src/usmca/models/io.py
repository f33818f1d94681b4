"""Input-output arithmetic: the textbook Leontief quantities as pure array functions.

Every function takes and returns plain :mod:`numpy` arrays; labels appear only in error
messages (pass ``labels=`` to get sector names instead of positions).  Notation follows
Miller & Blair, *Input-Output Analysis: Foundations and Extensions*, 2nd ed. (2009), ch. 2:

========  ===========================================================
``Z``     n x n inter-industry flows (row = selling, column = buying)
``Y``     n x k final demand (any number of final-demand columns)
``x``     n gross output, ``x = Z 1 + Y 1``
``A``     technical coefficients, ``A = Z x̂⁻¹``
``L``     Leontief inverse, ``L = (I − A)⁻¹`` (a.k.a. ``B`` in the GVC literature)
``v``     value-added coefficients, ``v = va ⊘ x``
========  ===========================================================

The Leontief inverse is computed from an LU factorisation (LAPACK ``getrf``, in place on the
buffer that holds ``I − A``) followed by ``getrs`` on the identity, which ran faster than
``getri`` with OpenBLAS (see :meth:`LeontiefLU.inverse` and ``bench/bench_io_floor.py``).
When only ``L y`` (a few right-hand sides) is needed,
:func:`leontief_solve` / :class:`LeontiefLU` never form ``L`` at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import blas, lapack

from usmca.models.errors import IOModelError
from usmca.models.threads import blas_threads, limit_blas_threads, threads_for

__all__ = [
    "IOModelError",
    "LeontiefLU",
    "calc_A",
    "calc_L",
    "calc_v",
    "calc_x",
    "check_productive",
    "employment_multipliers",
    "leontief_solve",
    "output_multipliers",
    "value_added_multipliers",
]

FloatArray = NDArray[np.float64]

#: How many offending labels an error message lists before it says "and N more".
_MAX_LISTED = 8


# --------------------------------------------------------------------------- helpers


def _fmt_labels(idx: Sequence[int] | NDArray[Any], labels: Sequence[Any] | None) -> str:
    idx = [int(i) for i in idx]
    names = [repr(labels[i]) if labels is not None else f"#{i}" for i in idx[:_MAX_LISTED]]
    more = len(idx) - _MAX_LISTED
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _as_float_array(a: ArrayLike, name: str, ndim: int | tuple[int, ...]) -> FloatArray:
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise IOModelError(f"{name}: cannot be converted to a float array ({exc})") from exc
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    if arr.ndim not in ndims:
        want = " or ".join(f"{d}-D" for d in ndims)
        raise IOModelError(f"{name}: expected a {want} array, got shape {arr.shape}")
    return arr


def _check_finite(arr: NDArray[Any], name: str, labels: Sequence[Any] | None = None) -> None:
    """Raise IOModelError naming the first rows of ``arr`` that hold NaN or inf."""
    if arr.size == 0:
        return
    finite = np.isfinite(arr)
    if finite.all():
        return
    bad = ~finite
    if arr.ndim == 1:
        rows = np.flatnonzero(bad)
        raise IOModelError(f"{name}: NaN or inf at {_fmt_labels(rows, labels)}")
    rows = np.flatnonzero(bad.any(axis=1))
    r0 = int(rows[0])
    c0 = int(np.flatnonzero(bad[r0])[0])
    raise IOModelError(
        f"{name}: {int(bad.sum())} NaN or inf value(s), in rows {_fmt_labels(rows, labels)}"
        f" (first at row {r0}, column {c0})"
    )


def _check_square(M: NDArray[Any], name: str) -> None:
    if M.ndim != 2 or M.shape[0] != M.shape[1]:
        raise IOModelError(f"{name}: must be a square matrix, got shape {M.shape}")


def _check_labels(n: int, labels: Sequence[Any] | None, name: str) -> None:
    if labels is not None and len(labels) != n:
        raise IOModelError(f"{name}: {len(labels)} labels given for {n} rows/columns (label/shape mismatch)")


def _check_output(x: FloatArray, labels: Sequence[Any] | None, name: str = "x") -> None:
    _check_finite(x, name, labels)
    neg = np.flatnonzero(x < 0)
    if neg.size:
        raise IOModelError(f"{name}: negative gross output for {_fmt_labels(neg, labels)}")


def _reciprocal_or_zero(x: FloatArray) -> FloatArray:
    out = np.zeros_like(x)
    np.divide(1.0, x, out=out, where=x != 0)
    return out


# --------------------------------------------------------------------------- accounts


def calc_x(Z: ArrayLike, Y: ArrayLike) -> FloatArray:
    """Gross output from the row identity.

    .. math:: x = Z\\,\\mathbf{1} + Y\\,\\mathbf{1}

    ``Y`` may be a vector (one final-demand column) or an n x k matrix.
    """
    Zf = _as_float_array(Z, "Z", 2)
    _check_square(Zf, "Z")
    Yf = _as_float_array(Y, "Y", (1, 2))
    if Yf.shape[0] != Zf.shape[0]:
        raise IOModelError(f"Y: has {Yf.shape[0]} rows but Z has {Zf.shape[0]}")
    y = Yf if Yf.ndim == 1 else Yf.sum(axis=1)
    return np.asarray(Zf.sum(axis=1) + y, dtype=np.float64)


def calc_A(Z: ArrayLike, x: ArrayLike, *, labels: Sequence[Any] | None = None, check: bool = True) -> FloatArray:
    """Technical (input) coefficients.

    .. math:: A = Z\\,\\hat{x}^{-1}, \\qquad a_{ij} = z_{ij} / x_j

    Columns of sectors with zero output get zero coefficients (``1/0`` is taken as 0, the
    pymrio convention).  Raises :class:`IOModelError` for a non-square ``Z``, a length
    mismatch, NaN/inf or negative output (``check=False`` skips the value checks, for
    data validated before).
    """
    Zf = _as_float_array(Z, "Z", 2)
    _check_square(Zf, "Z")
    xf = _as_float_array(x, "x", 1)
    n = Zf.shape[0]
    if xf.shape[0] != n:
        raise IOModelError(f"x: has {xf.shape[0]} entries but Z is {n} x {n}")
    _check_labels(n, labels, "labels")
    if check:
        _check_finite(Zf, "Z", labels)
        _check_output(xf, labels)
    return np.asarray(Zf * _reciprocal_or_zero(xf)[None, :], dtype=np.float64)


def calc_v(va: ArrayLike, x: ArrayLike, *, labels: Sequence[Any] | None = None) -> FloatArray:
    """Value-added coefficients (value added per unit of gross output).

    .. math:: v = \\hat{x}^{-1}\\, va, \\qquad v_j = va_j / x_j

    Zero output gives a zero coefficient.  When ``va = x − Z'1`` (value added as the
    balancing item) this equals ``v' = 1'(I − A)`` for every sector with output.
    """
    vaf = _as_float_array(va, "va", 1)
    xf = _as_float_array(x, "x", 1)
    if vaf.shape != xf.shape:
        raise IOModelError(f"va: has {vaf.shape[0]} entries but x has {xf.shape[0]}")
    _check_labels(xf.shape[0], labels, "labels")
    _check_finite(vaf, "va", labels)
    _check_output(xf, labels)
    out = np.zeros_like(vaf)
    np.divide(vaf, xf, out=out, where=xf != 0)
    return out


def check_productive(A: ArrayLike, *, labels: Sequence[Any] | None = None, finite: bool = True) -> None:
    """Check the Hawkins-Simon-type sufficient condition used before inverting ``I − A``.

    Every column sum of ``A`` must be ``< 1``: a sector that uses one unit or more of
    intermediate inputs per unit of output creates no value added and makes the economy
    non-productive (``(I − A)⁻¹`` is then singular or has negative entries).  Raises
    :class:`IOModelError` naming the offending sectors (``finite=True`` also rejects
    NaN/inf).
    """
    Af = _as_float_array(A, "A", 2)
    _check_square(Af, "A")
    _check_labels(Af.shape[0], labels, "labels")
    if finite:
        _check_finite(Af, "A", labels)
    check_column_sums(Af.sum(axis=0), labels=labels)


def check_column_sums(colsum: FloatArray, *, labels: Sequence[Any] | None = None) -> None:
    """:func:`check_productive` from the column sums of ``A`` (``Z'1 ⊘ x``, known without forming ``A``)."""
    bad = np.flatnonzero(~(colsum < 1.0))  # NaN fails too
    if bad.size:
        worst = float(colsum[bad].max())
        raise IOModelError(
            "A: column sums >= 1 (non-productive economy: inputs per unit of output >= 1, "
            f"max {worst:.6g}) for sectors {_fmt_labels(bad, labels)}"
        )


# --------------------------------------------------------------------------- Leontief


def _i_minus_a(Af: FloatArray) -> FloatArray:
    """New C-contiguous buffer holding ``I − A``."""
    M = np.negative(Af, order="C")
    M.flat[:: M.shape[0] + 1] += 1.0
    return M


def _factorise(M: FloatArray) -> tuple[FloatArray, NDArray[np.int32], int]:
    """``getrf`` of ``Mᵀ`` in place on ``M``'s C-ordered buffer (its transpose is Fortran-ordered).

    The one place where an n x n Leontief matrix is factorised (the tests count its calls).
    """
    with limit_blas_threads(threads_for(M.shape[0])):
        lu, piv, info = lapack.dgetrf(M.T, overwrite_a=True)
    return lu, piv, int(info)


#: Size below which a triangle is inverted by one single-threaded ``trtri`` (see :func:`_invert_triangle`).
TRIANGLE_LEAF = 256


def _invert_triangle(X: FloatArray, lo: int, hi: int, *, lower: bool) -> None:
    """Invert, in place in the Fortran-ordered buffer ``X`` of LU factors, the upper triangle
    (``lower=False``) or the unit lower triangle of ``X[lo:hi, lo:hi]``; the other triangle is untouched.

    Recursive halving: ``[[P, Q], [0, R]]⁻¹ = [[P⁻¹, −P⁻¹ Q R⁻¹], [0, R⁻¹]]`` (and its lower
    mirror), the off-diagonal block by two ``trmm`` (BLAS-3; ⅓ n³ flops in all, as ``trtri``).
    OpenBLAS's threaded ``trtri`` synchronises its threads at every small step and ran 4-13 times
    slower than single-threaded on the busy 2-core machine (n = 1,435); here only the large
    ``trmm`` run threaded and the leaves are single-threaded ``trtri``.
    """
    if lo == 0 and hi == X.shape[0] and blas_threads() == 1:
        # one thread anyway: LAPACK's blocked trtri in place, with no copies of sub-blocks
        out, info = lapack.dtrtri(X, lower=int(lower), unitdiag=int(lower), overwrite_c=1)
        if info != 0:  # pragma: no cover - getrf succeeded, so U has no zero on its diagonal
            raise IOModelError(f"I - A: LAPACK trtri failed with info={info}")
        if out is not X:  # pragma: no cover - X is Fortran-ordered, so LAPACK worked in place
            X[...] = out
        return
    if hi - lo <= TRIANGLE_LEAF:
        sub = np.asfortranarray(X[lo:hi, lo:hi])
        with limit_blas_threads(1):
            sub, info = lapack.dtrtri(sub, lower=int(lower), unitdiag=int(lower), overwrite_c=1)
        if info != 0:  # pragma: no cover - getrf succeeded, so U has no zero on its diagonal
            raise IOModelError(f"I - A: LAPACK trtri failed with info={info}")
        X[lo:hi, lo:hi] = sub
        return
    mid = lo + (hi - lo) // 2
    _invert_triangle(X, lo, mid, lower=lower)
    _invert_triangle(X, mid, hi, lower=lower)
    p = np.asfortranarray(X[lo:mid, lo:mid])
    r = np.asfortranarray(X[mid:hi, mid:hi])
    if lower:  # [[P, 0], [Q, R]]^-1 has -R^-1 Q P^-1 below the diagonal
        q = np.asfortranarray(X[mid:hi, lo:mid])
        q = blas.dtrmm(-1.0, r, q, side=0, lower=1, diag=1, overwrite_b=1)
        X[mid:hi, lo:mid] = blas.dtrmm(1.0, p, q, side=1, lower=1, diag=1, overwrite_b=1)
    else:
        q = np.asfortranarray(X[lo:mid, mid:hi])
        q = blas.dtrmm(-1.0, p, q, side=0, lower=0, diag=0, overwrite_b=1)
        X[lo:mid, mid:hi] = blas.dtrmm(1.0, r, q, side=1, lower=0, diag=0, overwrite_b=1)


def _row_permutation(piv: NDArray[Any]) -> NDArray[np.intp]:
    """``q`` with ``(P X)[r] = X[q[r]]`` for the ``P`` of ``getrf``'s row interchanges ``piv`` (0-based)."""
    n = piv.size
    perm = np.arange(n)
    moved = np.flatnonzero(piv != np.arange(n))
    for i in moved.tolist():  # sequential swaps, as LAPACK applies them (usually none: I - A is dominant)
        j = int(piv[i])
        perm[i], perm[j] = perm[j], perm[i]
    q = np.empty(n, dtype=np.intp)
    q[perm] = np.arange(n)
    return q


class LeontiefLU:
    """LU factorisation of the Leontief matrix ``I − A`` (the "Leontief operator").

    ``LeontiefLU(A).solve(y)`` returns ``x = (I − A)⁻¹ y`` and
    ``LeontiefLU(A).solve_transposed(w)`` returns ``(I − A)⁻ᵀ w`` (i.e. ``(w' L)'``)
    without forming ``L``: one ``getrf`` (⅔ n³ flops) plus ``2 n² k`` flops for ``k``
    right-hand sides.  :meth:`inverse` turns the factors into ``L`` (``getrs`` on the identity).

    Implementation: the factorisation runs in place on a single buffer.  ``I − A`` is
    built in C order, whose transpose is Fortran-contiguous, so LAPACK factorises
    ``(I − A)ᵀ = P L U`` without a copy; solves with ``(I − A)`` use ``trans=1``.
    """

    def __init__(
        self,
        A: ArrayLike,
        *,
        labels: Sequence[Any] | None = None,
        check: bool = True,
    ) -> None:
        Af = _as_float_array(A, "A", 2)
        _check_square(Af, "A")
        self.n = Af.shape[0]
        _check_labels(self.n, labels, "labels")
        if check:
            check_productive(Af, labels=labels)
        self._setup(_i_minus_a(Af), labels)

    @classmethod
    def from_flows(cls, Z: ArrayLike, inv_x: ArrayLike, *, labels: Sequence[Any] | None = None) -> LeontiefLU:
        """The factorisation of ``I − Z diag(inv_x)`` (``= I − A`` for ``inv_x = 1 ⊘ x``) without forming
        ``A``: one pass over ``Z`` writes ``I − A`` into the buffer that is then factorised in place
        (no checks: for flows validated before, as :class:`MRIOTable` does)."""
        Zf = _as_float_array(Z, "Z", 2)
        _check_square(Zf, "Z")
        r = _as_float_array(inv_x, "inv_x", 1)
        if r.shape[0] != Zf.shape[0]:
            raise IOModelError(f"inv_x: has {r.shape[0]} entries but Z is {Zf.shape[0]} x {Zf.shape[0]}")
        _check_labels(Zf.shape[0], labels, "labels")
        M = np.multiply(Zf, np.negative(r)[None, :], order="C")
        M.flat[:: M.shape[0] + 1] += 1.0
        self = cls.__new__(cls)
        self.n = M.shape[0]
        self._setup(M, labels)
        return self

    def _setup(self, M: FloatArray, labels: Sequence[Any] | None) -> None:
        """Factorise the C-ordered buffer ``M = I − A`` in place."""
        self._labels = labels
        lu, piv, info = _factorise(M)
        if info > 0:
            raise IOModelError(
                f"I - A: singular (zero pivot at {_fmt_labels([info - 1], labels)}); "
                "the Leontief inverse does not exist"
            )
        if info < 0:  # pragma: no cover - LAPACK argument error
            raise IOModelError(f"I - A: LAPACK getrf failed with info={info}")
        self._lu: FloatArray | None = lu  # Fortran-ordered factors of (I - A)^T
        self._piv = piv

    @property
    def factors(self) -> FloatArray:
        if self._lu is None:
            raise IOModelError("LeontiefLU: factors were consumed by inverse(keep=False)")
        return self._lu

    def _rhs(self, y: ArrayLike, name: str) -> tuple[FloatArray, bool]:
        yf = _as_float_array(y, name, (1, 2))
        if yf.shape[0] != self.n:
            raise IOModelError(f"{name}: has {yf.shape[0]} rows but A is {self.n} x {self.n}")
        _check_finite(yf, name, self._labels)
        vec = yf.ndim == 1
        return (yf[:, None] if vec else yf), vec

    def _getrs(self, y: ArrayLike, trans: int, name: str) -> FloatArray:
        b, vec = self._rhs(y, name)
        with limit_blas_threads(threads_for(self.n)):
            out, info = lapack.dgetrs(self.factors, self._piv, np.asfortranarray(b), trans=trans)
        if info != 0:  # pragma: no cover - LAPACK argument error
            raise IOModelError(f"I - A: LAPACK getrs failed with info={info}")
        out = np.ascontiguousarray(out)
        return out[:, 0] if vec else out

    def solve(self, y: ArrayLike) -> FloatArray:
        """``x = (I − A)⁻¹ y = L y`` for a vector or an n x k matrix ``y``."""
        return self._getrs(y, 1, "y")

    def solve_transposed(self, w: ArrayLike) -> FloatArray:
        """``(I − A)⁻ᵀ w``, so that ``solve_transposed(v)' = v' L`` (row multipliers)."""
        return self._getrs(w, 0, "w")

    def inverse(self, *, keep: bool = True) -> FloatArray:
        """The Leontief inverse ``L = (I − A)⁻¹`` (C-contiguous), by ``getrs`` on the identity.

        ``getrs`` with n right-hand sides (two BLAS-3 triangular solves) ran 3-6 times faster than
        ``getri`` on the same factors with OpenBLAS (n = 1,435: 0.2-0.3 s against 0.8-1.6 s on
        2 cores), for the same result to rounding.  With ``keep=False`` the factors are dropped
        afterwards and the object can no longer solve.
        """
        n = self.n
        eye = np.zeros((n, n), order="F")
        eye.flat[:: n + 1] = 1.0
        with limit_blas_threads(threads_for(n)):
            # the factors are of (I - A)^T: solving (I - A)^T Y = I gives Y = L^T in Fortran order
            out, info = lapack.dgetrs(self.factors, self._piv, eye, trans=0, overwrite_b=True)
        if info != 0:  # pragma: no cover - LAPACK argument error
            raise IOModelError(f"I - A: LAPACK getrs failed with info={info}")
        if not keep:
            self._lu = None
        return np.asarray(out.T, dtype=np.float64)

    def diagonal_blocks(self, groups: Sequence[NDArray[np.intp]]) -> list[FloatArray]:
        """The blocks ``L[I, I]`` of the Leontief inverse for index sets ``I``, without forming ``L``.

        The factors are of ``(I − A)ᵀ = P F U`` (``F`` unit lower), so ``L = P F⁻ᵀ U⁻ᵀ``.  Both
        triangular inverses (``trtri``, ⅓ n³ flops each, on one copy of the factors) and, per block
        of size m starting at row ``a``, a product of m x (n − a) by (n − a) x m give every diagonal
        block: ⅔ n³ + about n² m flops in all, against 2 n³ for ``L`` from the factors.  Used by the
        all-exporter Borin-Mancini decomposition, which needs only the blocks ``B_ss`` of ``B``.
        """
        n = self.n
        X = np.array(self.factors, order="F", copy=True)
        with limit_blas_threads(threads_for(n)):
            _invert_triangle(X, 0, n, lower=False)
            _invert_triangle(X, 0, n, lower=True)
        # X now holds U^-1 on and above the diagonal and F^-1 strictly below (unit diagonal implied)
        q = _row_permutation(self._piv)
        # one product of m x n by n x m per block: as much work as an LU of size (m² n)^(1/3), and
        # threads are worth waking only for that (none for WIOD's 35 sectors, a few for 200)
        m = max((len(rows) for rows in groups), default=1)
        with limit_blas_threads(threads_for(round((m * m * n) ** (1 / 3)))):
            out = [self._block(X, q, rows) for rows in groups]
        del X
        return out

    @staticmethod
    def _block(X: FloatArray, q: NDArray[np.intp], rows: NDArray[np.intp]) -> FloatArray:
        """One block of :meth:`diagonal_blocks` from the inverted factors ``X`` and the permutation ``q``."""
        n = X.shape[0]
        rows = np.asarray(rows, dtype=np.intp)
        a = int(rows.min())
        k = np.arange(a, n)
        # L[rows, rows] = X'[q[rows], rows] with X' = F^-T U^-T; only k >= a contribute
        u = X[rows, a:]  # (U^-1)[rows, k], zero below the diagonal
        u[k[None, :] < rows[:, None]] = 0.0
        qr = q[rows]
        f = X[a:, qr]  # (F^-1)[k, q[rows]]: strictly lower part, 1 on the diagonal, 0 above
        f[k[:, None] <= qr[None, :]] = 0.0
        on_diag = np.flatnonzero(qr >= a)
        f[qr[on_diag] - a, on_diag] = 1.0
        return np.ascontiguousarray((u @ f).T)


def calc_L(
    A: ArrayLike,
    *,
    labels: Sequence[Any] | None = None,
    check: bool = True,
) -> FloatArray:
    """Leontief inverse (total requirements matrix).

    .. math:: L = (I - A)^{-1} = I + A + A^2 + \\dots

    ``l_ij`` is the output of sector ``i`` needed, directly and indirectly, per unit of
    final demand for the product of sector ``j``.  Computed by LU factorisation
    (``getrf``) and triangular solves on the identity (``getrs``).

    ``check=True`` first validates ``A`` (square, finite, every column sum < 1) and raises
    :class:`IOModelError` naming the offending sectors.  Other backends (PyTorch):
    :func:`usmca.models.backends.calc_L`, the one dispatcher.
    """
    Af = _as_float_array(A, "A", 2)
    _check_square(Af, "A")
    _check_labels(Af.shape[0], labels, "labels")
    return LeontiefLU(Af, labels=labels, check=check).inverse(keep=False)


def leontief_solve(
    A: ArrayLike | LeontiefLU,
    y: ArrayLike,
    *,
    labels: Sequence[Any] | None = None,
    check: bool = True,
) -> FloatArray:
    """Output required by final demand ``y``, without forming ``L``.

    .. math:: x = (I - A)^{-1} y \\quad\\text{(solve } (I - A)\\,x = y\\text{ by LU)}

    ``A`` may be a coefficient matrix or an existing :class:`LeontiefLU` (reuse the
    factorisation for several calls).  ``y`` may be a vector or an n x k matrix.
    """
    if isinstance(A, LeontiefLU):
        return A.solve(y)
    return LeontiefLU(A, labels=labels, check=check).solve(y)


# --------------------------------------------------------------------------- multipliers


def output_multipliers(L: ArrayLike) -> FloatArray:
    """Simple output multipliers (column sums of the Leontief inverse).

    .. math:: m(o)_j = \\sum_i l_{ij}, \\qquad m(o)' = \\mathbf{1}' L

    Total output in all sectors generated per unit of final demand for sector ``j``.
    """
    Lf = _as_float_array(L, "L", 2)
    _check_square(Lf, "L")
    return np.asarray(Lf.sum(axis=0), dtype=np.float64)


def value_added_multipliers(v: ArrayLike, L: ArrayLike) -> FloatArray:
    """Value-added multipliers (total value added per unit of final demand).

    .. math:: m(va)' = v' L, \\qquad m(va)_j = \\sum_i v_i\\, l_{ij}

    With ``v' = 1'(I − A)`` (value added as balancing item) every entry equals 1:
    each dollar of final demand is fully resolved into value added somewhere in the world.
    This is pymrio's ``factor_inputs.M`` for a value-added extension.
    """
    vf = _as_float_array(v, "v", 1)
    Lf = _as_float_array(L, "L", 2)
    _check_square(Lf, "L")
    if vf.shape[0] != Lf.shape[0]:
        raise IOModelError(f"v: has {vf.shape[0]} entries but L is {Lf.shape[0]} x {Lf.shape[0]}")
    return np.asarray(vf @ Lf, dtype=np.float64)


def employment_multipliers(emp: ArrayLike, x: ArrayLike, L: ArrayLike) -> FloatArray:
    """Employment multipliers (jobs per unit of final demand), Type I.

    .. math:: e = \\hat{x}^{-1} emp, \\qquad m(e)' = e' L

    ``emp`` is employment by sector (persons, hours, ...) and may also be a k x n matrix
    of several stressors, in which case a k x n matrix ``E L`` is returned (pymrio's
    ``M = S L``).  Sectors with zero output get a zero coefficient.
    """
    ef = _as_float_array(emp, "emp", (1, 2))
    xf = _as_float_array(x, "x", 1)
    Lf = _as_float_array(L, "L", 2)
    _check_square(Lf, "L")
    n = Lf.shape[0]
    if xf.shape[0] != n or ef.shape[-1] != n:
        raise IOModelError(f"emp/x: lengths {ef.shape[-1]} and {xf.shape[0]} do not match L ({n} x {n})")
    _check_finite(ef, "emp")
    _check_output(xf, None)
    coef = ef * _reciprocal_or_zero(xf)
    return np.asarray(coef @ Lf, dtype=np.float64)
