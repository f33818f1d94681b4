"""Benchmark: the input-output engine against same-output numpy baselines (issue 14, point 5).

Tables: WIOD 2011 (n = 1,435, the real file from ../shared/data), a synthetic n = 3,645 table
(81 regions x 45 sectors) and, for the memory goal, a synthetic EXIOBASE-size n = 9,800 table
(49 x 200); synthetic tables are named "synthetic" (see bench_io.synthetic_arrays).

Both sides start from the same arrays, the parts a session gets from the store (Z, Y, va, x and
the labels), and produce the same result array; each run builds everything again (a fresh
table: nothing cached).  Runs are interleaved (baseline, usmca, baseline, usmca ...) in this
process; min and median of --runs runs.

``va_origin``
    usmca: ``MRIOTable(**parts).vbe_matrix().to_numpy()``: the table (validation included), then
    the value-added origin (source country) of every exporter's gross exports.  Baseline, same
    output from the same parts, in plain numpy: ``A = Z diag(1/x)``, ``v = va / x``, the gross
    exports E (n x G, each exporter's exports on its own rows), ``numpy.linalg.solve(I - A, E)``,
    times v, summed by source country.  Only the label-derived 0/1 aggregation matrices are
    built outside its timer (usmca builds its own inside).
``bm_all_pairs``
    usmca: ``MRIOTable(**parts).decompose_all_exporters()``, the Borin-Mancini decomposition of
    every exporter pair.  Baseline: ``A = Z diag(1/x)`` and one explicit inverse
    ``numpy.linalg.inv(I - A)``.  The decomposition is also checked against the same decomposition
    run from that explicit inverse (``max_rel_diff_vs_explicit_inverse``).
``session_reuse``
    On one fresh table: a first reading (``vbe_matrix``), then readings of other kinds
    (``decompose_all_exporters``, ``compare_sources_in_exports``) and ``vbe_matrix`` again; the
    last one's time over the first's shows the saving, and ``factorisations`` counts the n x n
    factorisations the whole session made (goal: 1).
``peak`` (--peak-sizes, default 9800)
    In a fresh process: the peak of numpy's allocations (tracemalloc) while
    ``MRIOTable(**parts).vbe_matrix()`` runs, over 8 n² bytes (the parts themselves not counted),
    and the peak-RSS growth over the same span; goal <= 4.  The VA-origin timing against the
    baseline is measured there too (--peak-runs runs).

Goals: va_origin <= 1.05 x the numpy solve; bm_all_pairs <= 1.1 x the explicit inverse
(medians); peak <= 4 n² x 8 bytes.

    python bench/bench_io_floor.py [--runs 5] [--sizes wiod 3645] [--peak-sizes 9800] [--peak-runs 3] \
        [--json bench/results/io_floor.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

WIOD = ROOT / ".." / "shared" / "data" / "wiod_2013_release" / "wiot_2011.RData"


def stats(ts: list[float]) -> dict[str, float]:
    return {"min_s": round(min(ts), 4), "median_s": round(statistics.median(ts), 4)}


def parts(token: str) -> tuple[str, dict[str, Any]]:
    """The arrays a table is built from (as the store's reader hands them over), and a name."""
    if token == "wiod":
        from usmca.sources.wiod import read_wiot

        base = read_wiot(WIOD)
        arr = {
            "regions": base.regions,
            "sectors": base.sectors,
            "Z": base.Z,
            "Y": base.Y,
            "fd_labels": base.fd_labels,
            "va": base.va,
            "x": base.x,
            "country_of": base.country_of,
            "year": base.year,
        }
        return "WIOD 2011", arr
    from bench_io import KNOWN_SHAPES, synthetic_arrays

    R, N = KNOWN_SHAPES[int(token)]
    return f"synthetic {R}x{N}", {**synthetic_arrays(R, N), "year": 2020}


class Baseline:
    """Plain numpy from the same parts; only the 0/1 aggregation matrices (labels) are prepared."""

    def __init__(self, arr: dict[str, Any]) -> None:
        regions, sectors = arr["regions"], arr["sectors"]
        country_of = arr.get("country_of", {})
        countries = list(dict.fromkeys(country_of.get(r, r) for r in regions))
        cpos = {c: i for i, c in enumerate(countries)}
        R, N, G = len(regions), len(sectors), len(countries)
        self.R, self.N, self.G, self.n = R, N, G, R * N
        self.rc = np.repeat([cpos[country_of.get(r, r)] for r in regions], N)
        self.region_to_country = np.zeros((R, G))
        self.region_to_country[np.arange(R), [cpos[country_of.get(r, r)] for r in regions]] = 1.0
        self.fd_to_country = np.zeros((len(arr["fd_labels"]), G))
        self.fd_to_country[np.arange(len(arr["fd_labels"])), [cpos[r] for r, _ in arr["fd_labels"]]] = 1.0
        self.S = np.zeros((self.n, G))
        self.S[np.arange(self.n), self.rc] = 1.0
        self.arr = arr

    def coefficients(self) -> np.ndarray:
        Z, x = self.arr["Z"], self.arr["x"]
        inv_x = np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)
        return np.asarray(Z * inv_x[None, :])

    def i_minus_a(self) -> np.ndarray:
        M = self.coefficients()
        np.negative(M, out=M)
        M.flat[:: self.n + 1] += 1.0
        return M

    def value_added_coefficients(self) -> np.ndarray:
        x, va = self.arr["x"], self.arr["va"]
        v = np.divide(va, x, out=np.zeros_like(x), where=x != 0)
        v[x == 0] = 1.0  # as usmca: 1 minus the (zero) column sum of A, so that v'L = 1'
        return v

    def export_matrix(self) -> np.ndarray:
        """n x G: each exporter's total gross exports (Z and Y to other countries) on its own rows."""
        Z, Y = self.arr["Z"], self.arr["Y"]
        n, rows = self.n, np.arange(self.n)
        E = Z.reshape(n, self.R, self.N).sum(axis=2) @ self.region_to_country + Y @ self.fd_to_country
        E[rows, self.rc] = 0.0
        Emat = np.zeros((n, self.G))
        Emat[rows, self.rc] = E.sum(axis=1)
        return Emat

    def va_origin(self) -> np.ndarray:
        M = self.i_minus_a()
        v = self.value_added_coefficients()
        return np.asarray(self.S.T @ (v[:, None] * np.linalg.solve(M, self.export_matrix())))

    def inverse(self) -> np.ndarray:
        return np.asarray(np.linalg.inv(self.i_minus_a()))


def interleaved(fns: dict[str, Callable[[], Any]], runs: int) -> tuple[dict[str, list[float]], dict[str, Any]]:
    times: dict[str, list[float]] = {k: [] for k in fns}
    last: dict[str, Any] = {}
    for _ in range(runs):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            last[k] = fn()
            times[k].append(time.perf_counter() - t0)
    return times, last


class CountFactorisations:
    """Counts the n x n factorisations made while active (``usmca.models.io._factorise``)."""

    def __enter__(self) -> CountFactorisations:
        import usmca.models.io as io

        self.io, self.orig, self.calls = io, io._factorise, 0

        def counting(M: Any) -> Any:
            self.calls += 1
            return self.orig(M)

        io._factorise = counting
        return self

    def __exit__(self, *exc: object) -> None:
        self.io._factorise = self.orig


def ratio(ours: list[float], base: list[float]) -> dict[str, float]:
    return {
        "ratio_median": round(statistics.median(ours) / statistics.median(base), 3),
        "ratio_min": round(min(ours) / min(base), 3),
    }


def run(token: str, runs: int) -> dict[str, Any]:
    from usmca.models import MRIOTable, compare_sources_in_exports

    name, arr = parts(token)
    base = Baseline(arr)

    def make() -> MRIOTable:
        return MRIOTable(**arr, source={"dataset": name})

    fns = {
        "base_va": base.va_origin,
        "ours_va": lambda: make().vbe_matrix().to_numpy(),
        "base_inv": base.inverse,
        "ours_bm": lambda: make().decompose_all_exporters(),
    }
    for fn in fns.values():  # warm-up (imports, first LAPACK calls), untimed
        fn()
    times, last = interleaved(fns, runs)
    ref, got = last["base_va"], last["ours_va"]
    bm = last["ours_bm"]
    exgr = bm["EXGR"].to_numpy()
    parts_sum = (bm["DVA"] + bm["DDC"] + bm["FVA"] + bm["FDC"]).to_numpy()
    with_inverse = make()
    with_inverse._cache["L"] = last["base_inv"]  # the same decomposition, from the explicit inverse
    bm_ref = with_inverse.decompose_all_exporters().to_numpy()
    bm_diff = float(np.abs(bm.to_numpy() - bm_ref).max() / np.abs(bm_ref).max())

    first: list[float] = []
    again: list[float] = []
    counts = []
    exporter, sources = ("USA", ("MEX", "CHN")) if token == "wiod" else (arr["regions"][0], tuple(arr["regions"][1:3]))
    for _ in range(runs):
        with CountFactorisations() as c:
            t = make()
            t0 = time.perf_counter()
            t.vbe_matrix()
            first.append(time.perf_counter() - t0)
            t.decompose_all_exporters()
            compare_sources_in_exports(t, exporter, sources)
            t0 = time.perf_counter()
            t.vbe_matrix()
            again.append(time.perf_counter() - t0)
        counts.append(c.calls)
    return {
        "table": name,
        "n": base.n,
        "countries": base.G,
        "va_origin": {
            "usmca": stats(times["ours_va"]),
            "numpy_solve": stats(times["base_va"]),
            **ratio(times["ours_va"], times["base_va"]),
            "max_rel_diff": float(np.abs(got - ref).max() / np.abs(ref).max()),
        },
        "bm_all_pairs": {
            "usmca": stats(times["ours_bm"]),
            "explicit_inverse": stats(times["base_inv"]),
            **ratio(times["ours_bm"], times["base_inv"]),
            "pairs": len(bm),
            "max_identity_residual": float(np.abs(exgr - parts_sum).max() / np.abs(exgr).max()),
            "max_rel_diff_vs_explicit_inverse": bm_diff,
        },
        "session_reuse": {
            "second_reading": stats(again),
            "first_reading": stats(first),
            "ratio_median": round(statistics.median(again) / statistics.median(first), 3),
            "readings": ["vbe_matrix", "decompose_all_exporters", "compare_sources_in_exports", "vbe_matrix"],
            "factorisations": max(counts),
        },
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def peak_case(token: str, runs: int) -> dict[str, Any]:
    """Run in a fresh process (``--one-peak``): the memory of the VA-origin reading, then its timing."""
    from usmca.models import MRIOTable

    name, arr = parts(token)
    n = len(arr["regions"]) * len(arr["sectors"])
    n2 = 8.0 * n * n
    rss0 = peak_rss_mb()
    tracemalloc.start()
    t0 = time.perf_counter()
    got = MRIOTable(**arr, source={"dataset": name}).vbe_matrix().to_numpy()
    first = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = (peak_rss_mb() - rss0) * 2**20
    base = Baseline(arr)
    times, last = interleaved(
        {"base_va": base.va_origin, "ours_va": lambda: MRIOTable(**arr).vbe_matrix().to_numpy()}, runs
    )
    ref = last["base_va"]
    return {
        "table": name,
        "n": n,
        "reading": "vbe_matrix (value-added origin of every exporter's gross exports)",
        "peak_traced_n2": round(peak / n2, 2),
        "peak_rss_growth_n2": round(rss_growth / n2, 2),
        "goal_n2": 4,
        "first_run_s": round(first, 3),
        "runs": runs,
        "va_origin": {
            "usmca": stats(times["ours_va"]),
            "numpy_solve": stats(times["base_va"]),
            **ratio(times["ours_va"], times["base_va"]),
            "max_rel_diff": float(np.abs(got - ref).max() / np.abs(ref).max()),
        },
    }


def blas_libraries() -> list[str]:
    """The BLAS libraries loaded (NumPy's and SciPy's OpenBLAS), with the threads each used."""
    from threadpoolctl import threadpool_info

    return [
        f"{i.get('prefix')} {i.get('version')}: {i.get('num_threads')} threads"
        for i in threadpool_info()
        if i.get("user_api") == "blas"
    ]


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", nargs="+", default=["wiod", "3645"])
    ap.add_argument("--peak-sizes", nargs="*", default=["9800"])
    ap.add_argument("--peak-runs", type=int, default=3)
    ap.add_argument("--json", default=None)
    ap.add_argument(
        "--threads", type=int, default=None, help="BLAS threads for both sides (default: the libraries' own)"
    )
    ap.add_argument("--one-peak", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.threads:
        import scipy.linalg  # noqa: F401 - load SciPy's own OpenBLAS first, so that the limit reaches it
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)  # process-wide, for usmca and the baselines alike
    if args.one_peak:
        print(json.dumps(peak_case(args.one_peak, args.peak_runs)))
        return
    load_before = load_average()
    cases = [run(tok, args.runs) for tok in args.sizes]
    peaks = []
    for tok in args.peak_sizes:
        cmd = [sys.executable, __file__, "--one-peak", tok, "--peak-runs", str(args.peak_runs)]
        cmd += ["--threads", str(args.threads)] if args.threads else []
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        peaks.append(json.loads(out.stdout.strip().splitlines()[-1]))
    goals = {"va_origin_ratio": 1.05, "bm_all_pairs_ratio": 1.1, "peak_n2": 4}
    result = {
        "benchmark": "io_floor",
        "measured": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} CPU cores",
        "load_average": {"before": load_before, "after": load_average()},
        "runs": args.runs,
        "blas_threads": args.threads or "library default",
        "blas": blas_libraries(),
        "cases": cases,
        "peak": peaks,
        "goals": goals,
        "goals_met": all(
            c["va_origin"]["ratio_median"] <= goals["va_origin_ratio"]
            and c["bm_all_pairs"]["ratio_median"] <= goals["bm_all_pairs_ratio"]
            and c["session_reuse"]["factorisations"] == 1
            for c in cases
        )
        and all(p["peak_traced_n2"] <= goals["peak_n2"] for p in peaks),
    }
    text = json.dumps(result, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
