"""Benchmark: opening a reader on a store that holds 10 million extra trade rows (synthetic).

A store is built from two small official files (FT-900 exhibit 1 and a CBP encounters file from
../shared/data) and N synthetic trade rows (dataset "synthetic", written straight into the
catalog's `trade` and `trade_current` in one write session, so the load's materialisation of the
union with the snapshot runs as for any load). Each open runs in a fresh process, which reports
its wall time for `open_reader` and its peak RSS (VmHWM) before and after the open.

Same-output baseline, in the same run: the reader's previous open, which copied the union of the
store and snapshot into memory and ranked it (`usmca.store.merged.usable` forced to False), on the
same store; `--baseline-rows` limits the store it runs on when memory is short.

    python bench/bench_reader.py [--rows 10000000] [--runs 5] [--json bench/results/reader.json]

Goals (issue 14): open <= 0.2 s and <= 300 MB RSS with 10 million extra rows.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
FILES = ["census_ft900_exhibits/exh1.xlsx", "cbp_encounters/sbo-encounters-fy22-fy25-aug.csv"]

CHILD = r"""
import json, sys, time
from pathlib import Path
def hwm():  # peak resident set of this process (MB); reset at exec, unlike ru_maxrss
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
from usmca.store import Store, merged, open_reader
if sys.argv[2] == "baseline":
    merged.usable = lambda con, snap: False
rss1 = hwm()
t0 = time.perf_counter()
r = open_reader(Store(Path(sys.argv[1])))
dt = time.perf_counter() - t0
n = r.one("SELECT count(*) FROM trade")
rss2 = hwm()
print(json.dumps({"open_s": dt, "rss_mb": rss2, "rss_before_open_mb": rss1, "trade_rows": n}))
"""


def build(root: Path, rows: int) -> float:
    from usmca.pipeline import load_paths
    from usmca.store import Store

    store = Store(root)
    load_paths(store, [DATA / f for f in FILES if (DATA / f).exists()], workers=1)
    cols = (
        "source_id, dataset, reporter, partner, partner_name, partner_kind, flow, basis, product, adjustment, "
        "year, month, value_usd, status"
    )
    gen = (
        f"SELECT 'synthetic@0', 'synthetic', 'USA', 'S' || (i % 5000)::VARCHAR, 'synthetic', 'country', "
        f"CASE WHEN i % 2 = 0 THEN 'exports' ELSE 'imports' END, 'census', 'HS6:' || (i % 9973)::VARCHAR, "
        f"'nsa', 1900 + ((i // 12) % 200)::INTEGER, 1 + (i % 12)::INTEGER, (i % 100000)::DOUBLE, 'published' "
        f"FROM range({rows}) t(i)"
    )
    t0 = time.perf_counter()
    with store.writing() as s:
        s.con.execute(
            "INSERT INTO sources BY NAME SELECT * REPLACE ('synthetic@0' AS source_id, "
            "'synthetic' AS dataset, 'synthetic rows (benchmark)' AS title, 'trade' AS fact_table) FROM sources LIMIT 1"
        )
        s.con.execute(f"INSERT INTO trade ({cols}) {gen}")
        s.con.execute(f"INSERT INTO trade_current ({cols}) {gen}")
        s.changed = True
    return time.perf_counter() - t0


def opens(root: Path, mode: str, runs: int) -> list[dict[str, float]]:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    out = []
    for _ in range(runs):
        p = subprocess.run(
            [sys.executable, "-c", CHILD, str(root), mode], capture_output=True, text=True, env=env, check=True
        )
        out.append(json.loads(p.stdout.strip().splitlines()[-1]))
    return out


def summary(runs: list[dict[str, float]]) -> dict[str, float]:
    t = [r["open_s"] for r in runs]
    m = [r["rss_mb"] for r in runs]
    return {
        "min_s": round(min(t), 4),
        "median_s": round(statistics.median(t), 4),
        "rss_mb_max": round(max(m), 1),
        "rss_mb_median": round(statistics.median(m), 1),
        "rss_before_open_mb": round(statistics.median(r["rss_before_open_mb"] for r in runs), 1),
        "trade_rows": int(runs[0]["trade_rows"]),
        "runs": len(runs),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--baseline-rows", type=int, default=None, help="store size for the baseline (default --rows)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline-runs", type=int, default=3)
    ap.add_argument("--json", default=None, help="write the result here (e.g. bench/results/reader.json)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-reader-"))
    try:
        build_s = build(tmp / "store", args.rows)
        fast = summary(opens(tmp / "store", "views", args.runs))
        base_rows = args.baseline_rows or args.rows
        if base_rows != args.rows:
            build(tmp / "base", base_rows)
            base_root = tmp / "base"
        else:
            base_root = tmp / "store"
        base = summary(opens(base_root, "baseline", args.baseline_runs))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result = {
        "benchmark": "reader",
        "measured": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{__import__('os').cpu_count()} CPU cores",
        "extra_trade_rows": args.rows,
        "write_session_s": round(build_s, 2),
        "open": fast,
        "baseline": {"what": "previous open: union copied into memory and ranked", "rows": base_rows, **base},
        "ratio_open_median": round(base["median_s"] / fast["median_s"], 1),
        "goals": {"open_s": 0.2, "rss_mb": 300},
        "goals_met": fast["median_s"] <= 0.2 and fast["rss_mb_max"] <= 300,
    }
    text = json.dumps(result, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
