"""Benchmark: load everything in ../shared/data into a fresh store, against a plain read of the same files.

Baseline, in the same process and the same run: a plain read of every file the load reads:
`pandas.read_excel(engine="calamine", sheet_name=None)` for the workbooks, `pandas.read_csv` for
the CSV files and the `rdata` library (parse + convert) for the WIOD `.RData` files. It parses but
neither validates, tidies, checksums, stores nor keeps provenance. Each run times the plain read,
a full load into a fresh store and a reload of the unchanged files into that store, in turn (so
the three see the same machine load); min and median over the runs.

Goals (issue #14): full load <= 3 x the plain read (medians); reloading unchanged files <= 2 s.

    python bench/bench_load.py [--data ../shared/data] [--runs 3] [--json bench/results/load.json]
    python scripts/gen_bench_docs.py      # docs/benchmarks.md from the JSON
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from usmca.pipeline import load_paths
from usmca.store import Store

ROOT = Path(__file__).resolve().parents[1]
GOAL_RATIO = 3.0
GOAL_RELOAD_S = 2.0


def files_of(data: Path) -> list[Path]:
    from usmca.sources.base import IGNORED_FILES

    return sorted(
        f
        for f in data.rglob("*")
        if f.is_file() and f.suffix.lower() in (".xlsx", ".csv", ".rdata") and f.name not in IGNORED_FILES
    )


def plain_read(files: list[Path]) -> float:
    """Read every file with the plain library reader (no checks, no tidying, nothing stored)."""
    import rdata

    t0 = time.perf_counter()
    for f in files:
        suffix = f.suffix.lower()
        if suffix == ".xlsx":
            pd.read_excel(f, sheet_name=None, engine="calamine")
        elif suffix == ".csv":
            try:
                pd.read_csv(f, low_memory=False)
            except pd.errors.ParserError:  # the World Bank files have four lines before the header
                pd.read_csv(f, skiprows=4, low_memory=False)
        elif suffix == ".rdata":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Missing constructor for R class ..."
                rdata.conversion.convert(rdata.parser.parse_file(f))
    return time.perf_counter() - t0


def full_load(files: list[Path], root: Path) -> tuple[float, int, int]:
    store = Store(root)
    t0 = time.perf_counter()
    results = load_paths(store, files, skip_unknown=True)
    return time.perf_counter() - t0, sum(r.rows for r in results), len(results)


def reload(files: list[Path], root: Path) -> float:
    t0 = time.perf_counter()
    results = load_paths(Store(root), files, skip_unknown=True)
    seconds = time.perf_counter() - t0
    assert all(r.status == "unchanged" for r in results), "a reload of unchanged files re-read some"
    return seconds


def summary(xs: list[float]) -> dict[str, Any]:
    runs = [round(x, 3) for x in xs]
    return {"min_s": round(min(xs), 3), "median_s": round(statistics.median(xs), 3), "runs_s": runs}


def store_bytes(root: Path) -> dict[str, int]:
    io = sum(p.stat().st_size for p in (root / "io").rglob("*") if p.is_file()) if (root / "io").is_dir() else 0
    return {"catalog_bytes": (root / "usmca.duckdb").stat().st_size, "io_bytes": io}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT / ".." / "shared" / "data"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", metavar="PATH", help="write the results here (e.g. bench/results/load.json)")
    args = ap.parse_args()
    data = Path(args.data)
    if not data.is_dir():
        sys.exit(f"no data folder at {data}")
    files = files_of(data)
    counts = {s: sum(f.suffix.lower() == s for f in files) for s in (".xlsx", ".csv", ".rdata")}
    load_avg = os.getloadavg()[0]
    plain, full, again = [], [], []
    rows = loaded = 0
    sizes: dict[str, int] = {}
    for i in range(args.runs):
        plain.append(plain_read(files))
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "store"
            seconds, rows, loaded = full_load(files, root)
            full.append(seconds)
            again.append(reload(files, root))
            sizes = store_bytes(root)
        print(f"run {i + 1}: plain read {plain[-1]:.2f} s, full load {full[-1]:.2f} s, reload {again[-1]:.2f} s")
    p, f, r = summary(plain), summary(full), summary(again)
    result = {
        "benchmark": "load",
        "measured": date.today().isoformat(),
        "machine": f"{os.cpu_count()} CPU cores",
        "load_average_at_start": round(load_avg, 2),
        "python": platform.python_version(),
        "runs": args.runs,
        "files": len(files),
        "files_by_kind": {"xlsx": counts[".xlsx"], "csv": counts[".csv"], "rdata": counts[".rdata"]},
        "files_loaded": loaded,
        "rows": rows,
        **sizes,
        "plain_read": {"what": "pandas read_excel (calamine) / read_csv, rdata parse + convert", **p},
        "full_load": f,
        "reload_unchanged": r,
        "ratio_median": round(f["median_s"] / p["median_s"], 2),
        "ratio_min": round(f["min_s"] / p["min_s"], 2),
        "goals": {"ratio": GOAL_RATIO, "reload_s": GOAL_RELOAD_S},
    }
    result["goals_met"] = result["ratio_median"] <= GOAL_RATIO and r["median_s"] <= GOAL_RELOAD_S
    text = json.dumps(result, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
