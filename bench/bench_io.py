"""Benchmark the input-output engine against pymrio and a bare LAPACK solve.

Synthetic tables of real sizes (named "synthetic"; block structure with heavy domestic
blocks, column sums of A about 0.4-0.7):

* n = 3,645: OECD ICIO extended, 81 regions x 45 industries
* n = 9,800: EXIOBASE-like, 49 regions x 200 products

For each size, in one fresh process on the same table:

``ours_s``
    ``MRIOTable(...)`` + ``vbe_matrix(by="sector")``: value-added origin (source
    country-sector) of every exporter's gross exports.  Uses the LU factorisation of
    ``I − A`` and G right-hand sides; never forms ``L``.
``ours_full_L_s``
    The same, but forming the full Leontief inverse first (``getrf`` + ``getri``).
``decompose_all_s``
    From scratch: ``L`` + Borin-Mancini decomposition of every bilateral flow.
``bare_solve_s``
    ``numpy.linalg.solve(I − A, I)`` (``I − A`` and ``I`` prepared outside the timer).
``pymrio_s``
    ``pymrio.IOSystem(Z, Y, factor_inputs=VA).calc_all()`` (DataFrames built outside).
``peak_rss_mb``
    Peak resident memory of the process after our stages (table data included);
    ``peak_rss_n2`` = (peak − RSS before the table was made) / (8 n²).

Goals: ours <= 1.2 x bare; pymrio / ours >= 3; decompose_all <= 10 x bare; peak <= 6 n².

Usage::

    python bench/bench_io.py                     # n = 3645 and 9800
    python bench/bench_io.py --sizes 1000 3645   # plain n (shape chosen) or RxN, e.g. 40x25
    python bench/bench_io.py --sizes 9800 --skip-pymrio --json
    python bench/bench_io.py --sizes 3645 --backend torch --check-backend
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

KNOWN_SHAPES = {3645: (81, 45), 9800: (49, 200), 1435: (41, 35), 1000: (40, 25)}
FD_CATEGORIES = 6


def shape_for(token: str) -> tuple[int, int]:
    if "x" in token:
        r, s = token.lower().split("x")
        return int(r), int(s)
    n = int(token)
    if n in KNOWN_SHAPES:
        return KNOWN_SHAPES[n]
    best = max(d for d in range(1, int(math.isqrt(n)) + 1) if n % d == 0)
    return n // best, best


def rss_mb() -> float:
    """Current resident set size (MB), from /proc."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def synthetic_arrays(R: int, N: int, seed: int = 0) -> dict[str, Any]:
    """Z (n x n), Y (n x R*k), x, va of a synthetic MRIO table, with at most ~1 n² temp."""
    n = R * N
    rng = np.random.default_rng(seed)
    Z = rng.random((n, n))
    Z *= 0.05
    for r in range(R):  # domestic blocks carry most intermediate trade
        Z[r * N : (r + 1) * N, r * N : (r + 1) * N] *= 40.0
    rows = Z.sum(axis=1)
    y = rows * rng.uniform(0.5, 1.5, n)
    Y = rng.random((n, R * FD_CATEGORIES))
    Y *= (y / Y.sum(axis=1))[:, None]
    x = rows + Y.sum(axis=1)
    va = x - Z.sum(axis=0)
    regions = [f"R{i:03d}" for i in range(R)]
    cats = [f"F{j}" for j in range(FD_CATEGORIES)]
    return {
        "regions": regions,
        "sectors": [f"S{j:03d}" for j in range(N)],
        "Z": Z,
        "Y": Y,
        "fd_labels": [(r, c) for r in regions for c in cats],
        "va": va,
        "x": x,
    }


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def time_bare_solve(arr: dict[str, Any], repeat: int) -> float:
    """Best time of numpy.linalg.solve(I - A, I) (I - A and I prepared untimed)."""
    x = arr["x"]
    n = x.size
    M = np.eye(n) - arr["Z"] / np.where(x > 0, x, 1.0)[None, :]
    eye = np.eye(n)
    best, _ = timed(lambda: np.linalg.solve(M, eye), repeat)
    return best


def time_pymrio(arr: dict[str, Any], repeat: int) -> float:
    """Best time of pymrio calc_all() on the same arrays (DataFrames built untimed)."""
    import pandas as pd
    import pymrio

    idx = pd.MultiIndex.from_product([arr["regions"], arr["sectors"]], names=["region", "sector"])
    fd = pd.MultiIndex.from_tuples(arr["fd_labels"], names=["region", "category"])

    def build() -> Any:
        return pymrio.IOSystem(
            Z=pd.DataFrame(arr["Z"], index=idx, columns=idx),
            Y=pd.DataFrame(arr["Y"], index=idx, columns=fd),
            factor_inputs={
                "name": "factor_inputs",
                "F": pd.DataFrame(arr["va"][None, :], index=["VA"], columns=idx),
            },
        )

    best = math.inf
    for _ in range(repeat):
        io = build()
        t0 = time.perf_counter()
        io.calc_all()
        best = min(best, time.perf_counter() - t0)
        del io
    return best


def run_case(R: int, N: int, args: argparse.Namespace) -> dict[str, Any]:
    from usmca.models import MRIOTable

    n = R * N
    warm = synthetic_arrays(4, 5)  # first-call costs (imports, LAPACK loading) untimed
    MRIOTable(**warm, year=2020, backend=args.backend).decompose_all_exporters()
    base_rss = rss_mb()
    arr = synthetic_arrays(R, N)

    def make() -> MRIOTable:
        return MRIOTable(**arr, year=2020, backend=args.backend, source={"dataset": "synthetic"})

    case: dict[str, Any] = {"n": n, "regions": R, "sectors": N, "backend": args.backend}

    def ours() -> Any:
        t = make()
        return t.vbe_matrix(by="sector")

    case["ours_s"], vbe_lu = timed(ours, args.repeat)
    case["peak_rss_mb"] = round(peak_rss_mb(), 1)
    case["peak_rss_n2"] = round((case["peak_rss_mb"] - base_rss) / (8 * n * n / 2**20), 2)

    def ours_full() -> Any:
        t = make()
        t.L  # noqa: B018
        return t.vbe_matrix(by="sector")

    case["ours_full_L_s"], vbe_full = timed(ours_full, args.repeat)
    case["vbe_lu_vs_full_max_rel"] = float(
        np.abs(vbe_lu.to_numpy() - vbe_full.to_numpy()).max() / np.abs(vbe_full.to_numpy()).max()
    )

    def decompose() -> Any:
        return make().decompose_all_exporters()

    case["decompose_all_s"], dec = timed(decompose, args.repeat)
    resid = (dec[["DVA", "DDC", "FVA", "FDC"]].sum(axis=1) - dec["EXGR"]).abs().max()
    case["decompose_max_rel_residual"] = float(resid / dec["EXGR"].abs().max())
    case["peak_rss_decompose_mb"] = round(peak_rss_mb(), 1)
    case["peak_rss_decompose_n2"] = round((case["peak_rss_decompose_mb"] - base_rss) / (8 * n * n / 2**20), 2)
    del vbe_lu, vbe_full, dec

    if args.check_backend and args.backend != "numpy":
        t_np = MRIOTable(**arr, year=2020)
        t_bk = make()
        diff = np.abs(t_bk.L - t_np.L).max() / np.abs(t_np.L).max()
        v_np = t_np.vbe_matrix().to_numpy()
        t_bk.clear_cache()
        v_bk = t_bk.vbe_matrix().to_numpy()
        case["backend_L_max_rel_diff"] = float(diff)
        case["backend_vbe_max_rel_diff"] = float(np.abs(v_bk - v_np).max() / np.abs(v_np).max())
        del t_np, t_bk

    case["bare_solve_s"] = time_bare_solve(arr, args.repeat)

    case["pymrio_s"] = None
    try:
        if not args.skip_pymrio:
            case["pymrio_s"] = time_pymrio(arr, args.repeat)
    except Exception as exc:  # pymrio missing or broken on this pandas: report, go on
        case["pymrio_error"] = f"{type(exc).__name__}: {exc}"[:300]
    for k in ("ours_s", "ours_full_L_s", "decompose_all_s", "bare_solve_s", "pymrio_s"):
        if case.get(k) is not None:
            case[k] = round(case[k], 3)
    case["ratio_ours_to_bare"] = round(case["ours_s"] / case["bare_solve_s"], 3)
    case["ratio_full_L_to_bare"] = round(case["ours_full_L_s"] / case["bare_solve_s"], 3)
    case["ratio_decompose_to_bare"] = round(case["decompose_all_s"] / case["bare_solve_s"], 3)
    if case["pymrio_s"] is not None:
        case["speedup_vs_pymrio"] = round(case["pymrio_s"] / case["ours_s"], 2)
        case["speedup_full_L_vs_pymrio"] = round(case["pymrio_s"] / case["ours_full_L_s"], 2)
    return case


def print_case(c: dict[str, Any]) -> None:
    def ok(flag: bool) -> str:
        return "ok" if flag else "MISSED"

    print(f"n={c['n']} ({c['regions']} x {c['sectors']}), backend={c['backend']}")
    print(f"  ours (LU + VBE all exporters) {c['ours_s']:9.3f} s")
    print(f"  ours with full L              {c['ours_full_L_s']:9.3f} s")
    print(f"  decompose all exporters (BM)  {c['decompose_all_s']:9.3f} s")
    print(f"  bare numpy.linalg.solve(I-A,I){c['bare_solve_s']:9.3f} s")
    if c["pymrio_s"] is not None:
        print(f"  pymrio calc_all               {c['pymrio_s']:9.3f} s")
    print(
        f"  ours / bare        = {c['ratio_ours_to_bare']:.2f}  (goal <= 1.2: "
        f"{ok(c['ratio_ours_to_bare'] <= 1.2)}; with full L {c['ratio_full_L_to_bare']:.2f})"
    )
    if c["pymrio_s"] is not None:
        print(
            f"  pymrio / ours      = {c['speedup_vs_pymrio']:.2f}  (goal >= 3: "
            f"{ok(c['speedup_vs_pymrio'] >= 3)}; with full L "
            f"{c['speedup_full_L_vs_pymrio']:.2f})"
        )
    print(
        f"  decompose / bare   = {c['ratio_decompose_to_bare']:.2f}  (goal <= 10: "
        f"{ok(c['ratio_decompose_to_bare'] <= 10)})"
    )
    print(
        f"  peak RSS           = {c['peak_rss_mb']:.0f} MB = {c['peak_rss_n2']:.2f} x 8n^2 "
        f"above start (goal <= 6: {ok(c['peak_rss_n2'] <= 6)}); after decompose "
        f"{c['peak_rss_decompose_n2']:.2f} x 8n^2"
    )
    print(
        f"  BM residual max rel {c['decompose_max_rel_residual']:.1e}; VBE LU vs full L "
        f"{c['vbe_lu_vs_full_max_rel']:.1e}"
    )
    if "backend_L_max_rel_diff" in c:
        print(
            f"  {c['backend']} vs numpy: L {c['backend_L_max_rel_diff']:.1e}, VBE {c['backend_vbe_max_rel_diff']:.1e}"
        )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", nargs="+", default=["3645", "9800"], help="n (shape chosen) or RxN, e.g. 81x45")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--skip-pymrio", action="store_true")
    p.add_argument("--repeat", type=int, default=1, help="best of k runs per stage")
    p.add_argument("--backend", default="numpy", choices=["numpy", "torch"])
    p.add_argument("--check-backend", action="store_true", help="compare the backend's L and VBE with numpy")
    p.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one case, print JSON
    args = p.parse_args(argv)
    if args.one:
        R, N = shape_for(args.one)
        print(json.dumps(run_case(R, N, args)))
        return 0
    cases = []
    for token in args.sizes:
        cmd = [sys.executable, __file__, "--one", token, "--repeat", str(args.repeat), "--backend", args.backend]
        if args.skip_pymrio:
            cmd.append("--skip-pymrio")
        if args.check_backend:
            cmd.append("--check-backend")
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            sys.stderr.write(out.stderr)
            return out.returncode
        case = json.loads(out.stdout.strip().splitlines()[-1])
        cases.append(case)
        if not args.json:
            print_case(case)
    env = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    if args.json:
        print(json.dumps({"cases": cases, "cpu_count": os.cpu_count(), "env": env}))
    else:
        print(f"cpu_count={os.cpu_count()} env={env} numpy={np.__version__}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
