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

import ctypes
import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BACKENDS",
    "leontief_inverse",
    "leontief_solve",
    "limit_blas_threads",
    "matmul",
    "threads_for",
    "torch_available",
]

BACKENDS = ("numpy", "torch")


def torch_available() -> bool:
    """True when ``import torch`` would succeed (does not import it)."""
    return importlib.util.find_spec("torch") is not None


def _torch() -> Any:
    from usmca.models.io import IOModelError

    if not torch_available():
        raise IOModelError("backend 'torch' was asked for but PyTorch is not installed; use backend='numpy'")
    import torch

    return torch


def _device(torch: Any) -> Any:
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def _check(backend: str) -> None:
    from usmca.models.io import IOModelError

    if backend not in BACKENDS:
        raise IOModelError(f"unknown backend {backend!r}; expected one of {BACKENDS}")


def leontief_inverse(A: NDArray[np.float64], *, backend: str = "torch") -> NDArray[np.float64]:
    """``L = (I − A)⁻¹`` on the given backend (float64)."""
    _check(backend)
    if backend == "numpy":
        from usmca.models.io import calc_L

        return calc_L(A, check=False)
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
        from usmca.models.io import leontief_solve as np_solve

        return np_solve(A, y, check=False)
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


# ---------------------------------------------------------------------------- BLAS threads

_OPENBLAS_SUFFIXES = ("", "64_")
_OPENBLAS_PREFIXES = ("openblas", "scipy_openblas")


_HANDLES: list[tuple[Any, Any]] | None = None

#: Rows of work per BLAS thread below which extra threads are not used
#: (see :func:`threads_for`).
ROWS_PER_THREAD = 200


def _openblas_handles() -> list[tuple[Any, Any]]:
    """(get, set) thread-count functions of every OpenBLAS loaded in this process.

    Looked up once (NumPy's and SciPy's OpenBLAS are both loaded by the time
    :mod:`usmca.models.io` is imported).
    """
    global _HANDLES
    if _HANDLES is not None:
        return _HANDLES
    paths: set[str] = set()
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 6 and "openblas" in parts[-1].lower():
                    paths.add(parts[-1])
    except OSError:  # not Linux: leave threading alone
        paths = set()
    out = []
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for pre in _OPENBLAS_PREFIXES:
            for suf in _OPENBLAS_SUFFIXES:
                get = getattr(lib, f"{pre}_get_num_threads{suf}", None)
                put = getattr(lib, f"{pre}_set_num_threads{suf}", None)
                if get is not None and put is not None:
                    out.append((get, put))
    _HANDLES = out
    return out


def threads_for(n: int) -> int:
    """BLAS threads worth using for an n x n factorisation: ``max(1, n // 200)``.

    On a 16-core machine a 1000 x 1000 LU inside the table workflow ran 10 times slower
    with 16 OpenBLAS threads than with 4 (0.11 s against 0.012 s): too little work per
    thread to pay for waking and synchronising the pool.  Large tables are unaffected.
    """
    return max(1, n // ROWS_PER_THREAD)


@contextmanager
def limit_blas_threads(n: int = 1) -> Iterator[None]:
    """Run a block with at most ``n`` OpenBLAS threads (restored afterwards).

    Never raises the thread count.  Many small LAPACK calls (the N x N per-exporter work
    of the Borin-Mancini loop) are much slower multi-threaded than single-threaded: each
    call wakes and synchronises the whole thread pool, which on a busy machine costs
    milliseconds per call.  Only affects OpenBLAS builds (NumPy and SciPy wheels); a
    no-op elsewhere.  Process-wide while active (like threadpoolctl).
    """
    saved = []
    for get, put in _openblas_handles():
        try:
            old = int(get())
            if n < old:
                put(int(n))
                saved.append((put, old))
        except Exception:  # pragma: no cover - foreign ABI
            continue
    try:
        yield
    finally:
        for put, old in saved:
            put(old)
