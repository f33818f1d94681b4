"""Device check (GPU): usmca's torch float64 backend against a bare torch solve of the same right-hand sides.

Prepared for a GPU machine (issue 14, point 5); not run in CI. One script, one JSON on stdout:

``backend_solve``
    ``usmca.models.backends.solve(A, E, backend="torch")``: the value-added-origin solve of every
    exporter's gross exports (E: n x G, each exporter's exports on its own rows), as
    ``MRIOTable(backend="torch")._solve`` runs it (copy in, ``I - A`` on the device, solve, copy out).
``bare_solve``
    ``torch.linalg.solve(M, E)`` with ``M = I - A`` and ``E`` already on the device (the floor),
    synchronised before the clock stops; ``bare_solve_with_copies`` adds the same host<->device
    copies the backend makes.
``agreement``
    max relative difference of the backend's result against numpy/LAPACK (float64; goal 1e-9).

Goal: backend_solve median <= 1.5 x bare_solve_with_copies (and reported against bare_solve).

    python bench/device_io.py [--n 3645] [--runs 5] [--wiod]      # prints JSON; --wiod adds WIOD 2011

Sizes: a synthetic n = 3,645 table (81 x 45, as bench_io.synthetic_arrays) and, with --wiod, WIOD 2011
from ../shared/data.  Needs torch with CUDA (falls back to the CPU, and says so, without one).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def case(name: str, A: np.ndarray, E: np.ndarray, runs: int) -> dict[str, Any]:
    import torch

    from usmca.models import backends, io

    dev = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    ref = io.leontief_solve(A, E, check=False)

    def backend() -> np.ndarray:
        return backends.solve(A, E, check=False, backend="torch")

    Mt = torch.from_numpy(np.eye(A.shape[0]) - A).to(dev)
    Et = torch.from_numpy(np.ascontiguousarray(E)).to(dev)

    def bare() -> Any:
        out = torch.linalg.solve(Mt, Et)
        sync()
        return out

    def bare_copies() -> np.ndarray:
        M = torch.from_numpy(np.ascontiguousarray(A)).to(dev)
        M.neg_()
        M.diagonal().add_(1.0)
        y = torch.from_numpy(np.ascontiguousarray(E)).to(dev)
        out: np.ndarray = torch.linalg.solve(M, y).cpu().numpy()
        return out

    for fn in (backend, bare, bare_copies):  # warm up (CUDA context, kernels)
        fn()
    times: dict[str, list[float]] = {"backend_solve": [], "bare_solve": [], "bare_solve_with_copies": []}
    got = None
    for _ in range(runs):  # interleaved
        for key, fn in (("backend_solve", backend), ("bare_solve", bare), ("bare_solve_with_copies", bare_copies)):
            sync()
            t0 = time.perf_counter()
            res = fn()
            sync()
            times[key].append(time.perf_counter() - t0)
            if key == "backend_solve":
                got = res
    assert got is not None
    rel = float(np.abs(got - ref).max() / np.abs(ref).max())
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "table": name,
        "n": int(A.shape[0]),
        "rhs": int(E.shape[1]),
        "device": str(dev) + (f" ({torch.cuda.get_device_name()})" if dev.type == "cuda" else ""),
        **{k: {"min_s": round(min(v), 5), "median_s": round(med[k], 5)} for k, v in times.items()},
        "ratio_vs_bare": round(med["backend_solve"] / med["bare_solve"], 3),
        "ratio_vs_bare_with_copies": round(med["backend_solve"] / med["bare_solve_with_copies"], 3),
        "max_rel_diff_vs_lapack": rel,
        "agrees_1e-9": rel <= 1e-9,
    }


def inputs(table: Any) -> tuple[np.ndarray, np.ndarray]:
    E = table._exports_total()
    rc = table._row_country()
    out = np.zeros((table.n, len(table.countries)))
    out[np.arange(table.n), rc] = E.sum(axis=1)
    return np.ascontiguousarray(table.A), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=3645, choices=[1000, 1435, 3645, 9800])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--wiod", action="store_true")
    args = ap.parse_args()
    from bench_io import KNOWN_SHAPES, synthetic_arrays

    from usmca.models import MRIOTable

    R, N = KNOWN_SHAPES[args.n]
    t = MRIOTable(**synthetic_arrays(R, N), year=2020, source={"dataset": "synthetic"})
    cases = [case(f"synthetic {R}x{N}", *inputs(t), args.runs)]
    if args.wiod:
        from usmca.sources.wiod import read_wiot

        w = read_wiot(ROOT / ".." / "shared" / "data" / "wiod_2013_release" / "wiot_2011.RData")
        cases.append(case("WIOD 2011", *inputs(w), args.runs))
    print(
        json.dumps(
            {
                "benchmark": "device_io",
                "runs": args.runs,
                "cases": cases,
                "goal": {"ratio_vs_bare_with_copies": 1.5, "max_rel_diff": 1e-9},
                "goals_met": all(c["ratio_vs_bare_with_copies"] <= 1.5 and c["agrees_1e-9"] for c in cases),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
