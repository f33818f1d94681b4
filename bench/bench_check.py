"""Benchmark: seconds to check the op-ed, cold (a new `usmca check` process) and warm (in process).

Goals on a 2-core machine: warm <= 1 s, cold <= 3 s. Runs against the bundled snapshot unless
--store is given. Baseline for the cold figure: `python -c "import usmca"` in the same run (the
interpreter start that every CLI call pays).

    python bench/bench_check.py [--text ../shared/seed/usmca-oped.txt] [--store PATH] [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--text", default=str(ROOT / ".." / "shared" / "seed" / "usmca-oped.txt"))
    ap.add_argument("--store", default=str(ROOT / ".bench-empty-store"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    text = Path(args.text).read_text(encoding="utf-8")
    exe = [sys.executable, "-m", "usmca.cli"]

    cold = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run(
            [*exe, "check", args.text, "--format", "json", "--store", args.store], check=True, capture_output=True
        )
        cold.append(time.perf_counter() - t0)
    base = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import usmca"], check=True, capture_output=True)
        base.append(time.perf_counter() - t0)

    from usmca.claims.check import check_text
    from usmca.store import Store, open_reader

    t0 = time.perf_counter()
    reader = open_reader(Store(args.store))
    open_s = time.perf_counter() - t0
    check_text(text, reader)  # first in-process call pays imports and caches
    warm = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        rep = check_text(text, reader)
        warm.append(time.perf_counter() - t0)
    result = {
        "claims": len(rep.claims),
        "cold_s": round(statistics.median(cold), 3),
        "interpreter_baseline_s": round(statistics.median(base), 3),
        "warm_s": round(statistics.median(warm), 3),
        "open_reader_s": round(open_s, 3),
        "goals": {"warm_s": 1.0, "cold_s": 3.0},
        "goals_met": statistics.median(warm) <= 1.0 and statistics.median(cold) <= 3.0,
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
