"""BLAS thread limits for the Leontief algebra (OpenBLAS, found through /proc/self/maps)."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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
