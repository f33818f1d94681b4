"""Optional compute backends for the dense Leontief algebra.

``"numpy"`` (default) uses LAPACK through SciPy; see :mod:`usmca.models.io`.

``"torch"`` uses PyTorch in float64, on CUDA when a GPU is visible, else on the CPU.
PyTorch is imported lazily, only when this backend is asked for, and is not a dependency
of the package: :func:`torch_available` says whether it can be used.  Results are
returned as NumPy arrays and agree with the NumPy backend to about 1e-13 relative on
well-conditioned tables (tested to 1e-10 in ``tests/models/test_io_math.py`` when torch
is installed).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

import usmca.models.io as _io
from usmca.models.errors import IOModelError
from usmca.models.threads import limit_blas_threads, threads_for

__all__ = [
    "BACKENDS",
    "TorchLU",
    "calc_L",
    "leontief_inverse",
    "leontief_solve",
    "limit_blas_threads",
    "matmul",
    "solve",
    "threads_for",
    "torch_available",
]

BACKENDS = ("numpy", "torch")


def torch_available() -> bool:
    """True when ``import torch`` would succeed (does not import it)."""
    return importlib.util.find_spec("torch") is not None


def _torch() -> Any:
    if not torch_available():
        raise IOModelError("backend 'torch' was asked for but PyTorch is not installed; use backend='numpy'")
    import torch

    return torch


def _device(torch: Any) -> Any:
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def _check(backend: str) -> None:
    if backend not in BACKENDS:
        raise IOModelError(f"unknown backend {backend!r}; expected one of {BACKENDS}")


def calc_L(
    A: ArrayLike,
    *,
    labels: Sequence[Any] | None = None,
    check: bool = True,
    backend: str = "numpy",
) -> NDArray[np.float64]:
    """Leontief inverse ``(I − A)⁻¹`` on a backend: the checks of :func:`usmca.models.io.calc_L`, then
    LAPACK (``"numpy"``) or PyTorch float64 (``"torch"``)."""
    _check(backend)
    if backend == "numpy":
        return _io.calc_L(A, labels=labels, check=check)
    Af = _io._as_float_array(A, "A", 2)
    _io._check_square(Af, "A")
    _io._check_labels(Af.shape[0], labels, "labels")
    if check:
        _io.check_productive(Af, labels=labels)
    return leontief_inverse(Af, backend=backend)


def solve(
    A: ArrayLike | _io.LeontiefLU,
    y: ArrayLike,
    *,
    labels: Sequence[Any] | None = None,
    check: bool = True,
    backend: str = "numpy",
) -> NDArray[np.float64]:
    """``x = (I − A)⁻¹ y`` on a backend, without forming ``L`` (see :func:`usmca.models.io.leontief_solve`)."""
    _check(backend)
    if backend == "numpy" or isinstance(A, _io.LeontiefLU):
        return _io.leontief_solve(A, y, labels=labels, check=check)
    Af = _io._as_float_array(A, "A", 2)
    _io._check_square(Af, "A")
    if check:
        _io.check_productive(Af, labels=labels)
    yf = _io._as_float_array(y, "y", (1, 2))
    if yf.shape[0] != Af.shape[0]:
        raise IOModelError(f"y: has {yf.shape[0]} rows but A is {Af.shape[0]} x {Af.shape[0]}")
    return leontief_solve(Af, yf, backend=backend)


def leontief_inverse(A: NDArray[np.float64], *, backend: str = "torch") -> NDArray[np.float64]:
    """``L = (I − A)⁻¹`` on the given backend (float64)."""
    _check(backend)
    if backend == "numpy":
        return _io.calc_L(A, check=False)
    torch = _torch()
    dev = _device(torch)
    # copy=True: on the CPU .to() would return a view of A, and the next line would negate A itself
    M = torch.from_numpy(np.ascontiguousarray(A, dtype=np.float64)).to(dev, copy=True)
    M.neg_()
    M.diagonal().add_(1.0)
    L = torch.linalg.inv(M)
    del M
    out: NDArray[np.float64] = L.cpu().numpy()
    return out


def leontief_solve(A: NDArray[np.float64], y: NDArray[np.float64], *, backend: str = "torch") -> NDArray[np.float64]:
    """``x = (I − A)⁻¹ y`` on the given backend (float64), without forming ``L``."""
    _check(backend)
    if backend == "numpy":
        return _io.leontief_solve(A, y, check=False)
    return TorchLU.from_parts(A, None).solve(y)


class TorchLU:
    """LU factorisation of ``I − A`` in float64 on a torch device (CUDA when visible), kept there.

    The counterpart of :class:`usmca.models.io.LeontiefLU` for ``MRIOTable(backend="torch")``:
    the same methods (:meth:`solve`, :meth:`solve_transposed`, :meth:`inverse`,
    :meth:`diagonal_blocks`), NumPy arrays in and out.  Built by :meth:`from_parts` from ``Z`` and
    ``1 ⊘ x``: one host-to-device copy of ``Z``, then ``A``, ``I − A`` and the factorisation on the
    device (``A`` is never formed on the host).  Each solve copies only its right-hand sides in
    and the result out.
    """

    def __init__(self, M: Any) -> None:
        """Factorise the device tensor ``M = I − A`` (consumed)."""
        torch = _torch()
        self._torch = torch
        self.device = M.device
        self.n = int(M.shape[0])
        self._lu, self._piv, info = torch.linalg.lu_factor_ex(M)
        del M
        bad = int(info.item())
        if bad > 0:
            raise IOModelError(f"I - A: singular (zero pivot at #{bad - 1}); the Leontief inverse does not exist")

    @classmethod
    def from_parts(cls, Z: NDArray[np.float64], inv_x: NDArray[np.float64] | None) -> TorchLU:
        """From ``Z`` and ``1 ⊘ x`` (``A = Z diag(inv_x)`` on the device), or from ``A`` itself
        when ``inv_x`` is None.  The host arrays are not modified."""
        torch = _torch()
        dev = _device(torch)
        M = torch.from_numpy(np.ascontiguousarray(Z, dtype=np.float64)).to(dev, copy=True)
        if inv_x is None:
            M.neg_()
        else:
            M.mul_(torch.from_numpy(np.negative(inv_x)).to(dev)[None, :])  # -A, column j scaled by 1/x_j
        M.diagonal().add_(1.0)
        return cls(M)

    def _to(self, y: Any) -> tuple[Any, bool]:
        yf = np.ascontiguousarray(y, dtype=np.float64)
        if yf.shape[0] != self.n:
            raise IOModelError(f"y: has {yf.shape[0]} rows but A is {self.n} x {self.n}")
        t = self._torch.from_numpy(yf).to(self.device)
        return (t[:, None], True) if t.ndim == 1 else (t, False)

    def _lu_solve(self, y: Any, adjoint: bool) -> NDArray[np.float64]:
        b, vec = self._to(y)
        out: NDArray[np.float64] = self._torch.linalg.lu_solve(self._lu, self._piv, b, adjoint=adjoint).cpu().numpy()
        return out[:, 0] if vec else out

    def solve(self, y: Any) -> NDArray[np.float64]:
        """``(I − A)⁻¹ y`` for a vector or an n x k matrix."""
        return self._lu_solve(y, False)

    def solve_transposed(self, w: Any) -> NDArray[np.float64]:
        """``(I − A)⁻ᵀ w``."""
        return self._lu_solve(w, True)

    def _inverse_on_device(self) -> Any:
        eye = self._torch.eye(self.n, dtype=self._torch.float64, device=self.device)
        return self._torch.linalg.lu_solve(self._lu, self._piv, eye)

    def inverse(self, *, keep: bool = True) -> NDArray[np.float64]:
        """``L = (I − A)⁻¹`` copied to the host (``keep`` is accepted for :class:`LeontiefLU`'s signature)."""
        out: NDArray[np.float64] = self._inverse_on_device().cpu().numpy()
        return out

    def diagonal_blocks(self, groups: Sequence[NDArray[np.intp]]) -> list[NDArray[np.float64]]:
        """``L[I, I]`` for each index set ``I``: ``L`` is formed on the device, only the blocks come back."""
        L = self._inverse_on_device()
        out = []
        for rows in groups:
            idx = self._torch.from_numpy(np.asarray(rows, dtype=np.int64)).to(self.device)
            out.append(L.index_select(0, idx).index_select(1, idx).cpu().numpy())
        del L
        return out


def matmul(a: NDArray[np.float64], b: NDArray[np.float64], *, backend: str = "numpy") -> NDArray[np.float64]:
    """``a @ b`` on the given backend (float64)."""
    _check(backend)
    if backend == "numpy":
        return np.asarray(a @ b, dtype=np.float64)
    torch = _torch()
    dev = _device(torch)
    ta = torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64)).to(dev)
    tb = torch.from_numpy(np.ascontiguousarray(b, dtype=np.float64)).to(dev)
    out: NDArray[np.float64] = (ta @ tb).cpu().numpy()
    return out
