"""BLAS thread limits for the Leontief algebra, through threadpoolctl.

threadpoolctl finds every BLAS loaded in the process (NumPy's and SciPy's OpenBLAS, MKL, BLIS)
and sets their thread counts; we only decide how many threads a problem is worth.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

#: Rows of work per BLAS thread below which extra threads are not used
#: (see :func:`threads_for`).
ROWS_PER_THREAD = 200


@lru_cache(maxsize=1)
def _controller() -> Any:
    """One controller for the process: the loaded BLAS libraries are looked up once."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def threads_for(n: int) -> int:
    """BLAS threads worth using for an n x n factorisation: ``max(1, n // 200)``.

    On a 16-core machine a 1000 x 1000 LU inside the table workflow ran 10 times slower
    with 16 OpenBLAS threads than with 4 (0.11 s against 0.012 s): too little work per
    thread to pay for waking and synchronising the pool.  Large tables are unaffected.
    """
    return max(1, n // ROWS_PER_THREAD)


@contextmanager
def limit_blas_threads(n: int = 1) -> Iterator[None]:
    """Run a block with at most ``n`` BLAS threads (restored afterwards); never raises the count.

    Many small LAPACK calls (the N x N per-exporter work of the Borin-Mancini loop) are much
    slower multi-threaded than single-threaded: each call wakes and synchronises the whole
    thread pool. Process-wide while active.
    """
    blas = _controller().select(user_api="blas")
    # NumPy and SciPy each load their own OpenBLAS; limit both unless both are already within n
    current = max((int(lib.num_threads) for lib in blas.lib_controllers), default=n)
    if n >= current:
        yield
        return
    with blas.limit(limits=int(n)):
        yield


def blas_threads() -> int:
    """The number of threads the loaded BLAS libraries would use now (the largest, if several)."""
    blas = _controller().select(user_api="blas")
    return max((int(lib.num_threads) for lib in blas.lib_controllers), default=1)
