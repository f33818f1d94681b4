"""Device check (GPU): usmca's torch float64 backend against a bare torch solve of the same right-hand sides.

Prepared for a GPU machine (issue 14, point 5). One script, one JSON (stdout, and --json PATH, which
``scripts/gen_bench_docs.py`` renders into docs/benchmarks.md from bench/results/device_io.json).

Per table, timed in this process, interleaved, min and median of --runs runs after a warm-up:

``usmca``
    ``MRIOTable(**parts, backend="torch").vbe_matrix().to_numpy()`` on a fresh table: validation and
    the gross exports on the host (one pass over Z each), Z copied to the device once, A, I - A, the
    LU factorisation and the solve of every exporter's gross exports (n x G right-hand sides) there,
    the n x G result copied back, weighted by v and summed by source country.
``bare_from_parts``
    Plain torch from the same parts, same output: the same export matrix (numpy), Z to the device,
    ``I - A`` there, ``torch.linalg.solve(I - A, E)``, weighted and summed, copied back.
``bare_on_device``
    ``torch.linalg.solve(M, E)`` with ``M = I - A`` and ``E`` already on the device, synchronised:
    the floor, with no transfer and no host work at all.
``second_reading``
    ``vbe_matrix`` again on a table that has already factorised: only the device solve and copies.
``agreement``
    max relative difference of usmca's torch result against numpy/LAPACK (float64; goal 1e-9).

Goal: usmca median <= 1.5 x bare_from_parts (the same inputs, the same output); the ratios to the
on-device floor are reported beside it.

    python bench/device_io.py [--sizes 3645 wiod] [--runs 5] [--json bench/results/device_io.json]

Needs torch; on a machine without CUDA it runs on the CPU and says so (``"device": "cpu"``), which is
a check that the script works, not a device measurement. Without torch it writes nothing and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def case(token: str, runs: int) -> dict[str, Any]:
    import torch
    from bench_io_floor import Baseline, parts

    from usmca.models import MRIOTable

    dev = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")

    def sync() -> None:
        if dev.type == "cuda":
            torch.cuda.synchronize()

    name, arr = parts(token)
    base = Baseline(arr)
    ref = base.va_origin()  # numpy / LAPACK, float64
    St = torch.from_numpy(base.S).to(dev)

    def usmca() -> np.ndarray:
        return MRIOTable(**arr, backend="torch").vbe_matrix().to_numpy()

    def bare_from_parts() -> np.ndarray:
        Emat = base.export_matrix()
        v = base.value_added_coefficients()
        x = arr["x"]
        inv_x = np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)
        M = torch.from_numpy(arr["Z"]).to(dev, copy=True)
        M.mul_(torch.from_numpy(-inv_x).to(dev)[None, :])
        M.diagonal().add_(1.0)
        X = torch.linalg.solve(M, torch.from_numpy(Emat).to(dev))
        out: np.ndarray = (St.T @ (torch.from_numpy(v).to(dev)[:, None] * X)).cpu().numpy()
        return out

    Mt = torch.from_numpy(base.i_minus_a()).to(dev)
    Et = torch.from_numpy(base.export_matrix()).to(dev)

    def bare_on_device() -> Any:
        out = torch.linalg.solve(Mt, Et)
        sync()
        return out

    warm = MRIOTable(**arr, backend="torch")
    warm.vbe_matrix()

    def second_reading() -> np.ndarray:
        return warm.vbe_matrix().to_numpy()

    fns: dict[str, Callable[[], Any]] = {
        "usmca": usmca,
        "bare_from_parts": bare_from_parts,
        "bare_on_device": bare_on_device,
        "second_reading": second_reading,
    }
    for fn in fns.values():  # warm-up: CUDA context, kernels, first allocations
        fn()
    times: dict[str, list[float]] = {k: [] for k in fns}
    got: dict[str, Any] = {}
    for _ in range(runs):
        for key, fn in fns.items():
            sync()
            t0 = time.perf_counter()
            got[key] = fn()
            sync()
            times[key].append(time.perf_counter() - t0)
    scale = float(np.abs(ref).max())
    rel = {k: float(np.abs(got[k] - ref).max() / scale) for k in ("usmca", "bare_from_parts", "second_reading")}
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "table": name,
        "n": base.n,
        "rhs": base.G,
        "device": str(dev) + (f" ({torch.cuda.get_device_name()})" if dev.type == "cuda" else ""),
        **{k: {"min_s": round(min(v), 5), "median_s": round(med[k], 5)} for k, v in times.items()},
        "ratio_vs_bare_from_parts": round(med["usmca"] / med["bare_from_parts"], 3),
        "ratio_vs_bare_on_device": round(med["usmca"] / med["bare_on_device"], 3),
        "second_reading_vs_bare_on_device": round(med["second_reading"] / med["bare_on_device"], 3),
        "max_rel_diff_vs_lapack": rel,
        "agrees_1e-9": all(r <= 1e-9 for r in rel.values()),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", default=["3645", "wiod"], help="wiod, or n of a synthetic table")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", default=None, help="also write the JSON here")
    args = ap.parse_args()
    from usmca.models.backends import torch_available

    if not torch_available():
        print(json.dumps({"benchmark": "device_io", "skipped": "torch is not installed"}))
        return 0
    import torch

    cases = [case(tok, args.runs) for tok in args.sizes]
    gpu = torch.cuda.is_available()
    result = {
        "benchmark": "device_io",
        "measured": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": (torch.cuda.get_device_name() if gpu else "no GPU: torch on the CPU")
        + f", {os.cpu_count()} CPU cores",
        "gpu": gpu,
        "torch": torch.__version__,
        "runs": args.runs,
        "cases": cases,
        "goals": {"ratio_vs_bare_from_parts": 1.5, "max_rel_diff": 1e-9},
        "goals_met": all(c["ratio_vs_bare_from_parts"] <= 1.5 and c["agrees_1e-9"] for c in cases),
    }
    text = json.dumps(result, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
