"""Benchmark: load everything in ../shared/data into a fresh store.

Baseline, in the same run: a plain pandas read (read_excel with calamine / read_csv) of the same
files, which parses but neither validates, tidies, checksums nor stores anything.
Goal: the full load in under 10 s on a 2-core machine.

    python bench/bench_load.py [--data ../shared/data] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from usmca.pipeline import load_paths
from usmca.store import Store

ROOT = Path(__file__).resolve().parents[1]


def files_of(data: Path) -> list[Path]:
    from usmca.sources.base import IGNORED_FILES

    return sorted(
        f
        for f in data.rglob("*")
        if f.is_file() and f.suffix.lower() in (".xlsx", ".csv", ".rdata") and f.name not in IGNORED_FILES
    )


def plain_pandas(files: list[Path]) -> float:
    t0 = time.perf_counter()
    for f in files:
        if f.suffix.lower() == ".xlsx":
            pd.read_excel(f, sheet_name=None, engine="calamine")
        elif f.suffix.lower() == ".csv":
            try:
                pd.read_csv(f, low_memory=False)
            except pd.errors.ParserError:
                pd.read_csv(f, skiprows=4, low_memory=False)
    return time.perf_counter() - t0


def usmca_load(files: list[Path]) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store")
        t0 = time.perf_counter()
        results = load_paths(store, files, skip_unknown=True)
        return time.perf_counter() - t0, sum(r.rows for r in results), len(results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=str(ROOT / ".." / "shared" / "data"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    data = Path(args.data)
    if not data.is_dir():
        sys.exit(f"no data folder at {data}")
    files = files_of(data)
    ours, rows, loaded = usmca_load(files)
    base = plain_pandas([f for f in files if f.suffix.lower() != ".rdata"])
    result = {
        "files": len(files),
        "files_loaded": loaded,
        "rows": rows,
        "usmca_s": round(ours, 2),
        "rows_per_s": round(rows / ours),
        "pandas_read_s": round(base, 2),
        "ratio_vs_pandas": round(ours / base, 2),
        "goal_s": 10.0,
        "goal_met": ours < 10.0,
    }
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>16}: {v}")


if __name__ == "__main__":
    main()
