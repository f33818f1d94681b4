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
    M = torch.from_numpy(np.ascontiguousarray(A, dtype=np.float64)).to(dev)
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
    torch = _torch()
    dev = _device(torch)
    M = torch.from_numpy(np.ascontiguousarray(A, dtype=np.float64)).to(dev)
    M.neg_()
    M.diagonal().add_(1.0)
    yt = torch.from_numpy(np.ascontiguousarray(y, dtype=np.float64)).to(dev)
    vec = yt.ndim == 1
    if vec:
        yt = yt[:, None]
    out: NDArray[np.float64] = torch.linalg.solve(M, yt).cpu().numpy()
    return out[:, 0] if vec else out


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
