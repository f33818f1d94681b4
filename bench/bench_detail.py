"""Benchmark: detail-level trade (`trade_detail`) at 100 million rows, queried in place (synthetic data).

A named-synthetic partition set (dataset `synthetic.detail`) is generated with DuckDB (`range()` and
hashing) and written by the store's own writer (`usmca.store.detail.write_file`: one sorted zstd
Parquet file per `flow=/year=/month=` partition, row groups of 122,880 rows) into a store whose
catalog lists the files. Each partition holds distinct (HS6 code, partner, district) cells: 5,000
HS6 codes x 200 partners (MEX, CAN, CHN and 197 synthetic ones) x 45 districts, so no key repeats.

Measured, min / median of `--runs` runs:
  * opening a reader on that store, each in a fresh process (time and peak RSS), and on an empty
    store (the same open without detail data: constant time means the two are close);
  * three indicator queries through the real indicator code (caches cleared before each run):
    one partner and one HS6 code for a year (`detail_trade`), one month across every code, partner
    and district (`detail_trade`), and one district's share by district for a code and a year
    (`detail_district_share`);
  * baseline, same run: a bare DuckDB query of the same Parquet files (a glob, hive partitioning)
    giving the same number (checked equal).

    python bench/bench_detail.py [--rows 100000000] [--years 3] [--runs 5] [--data DIR]
                                 [--json bench/results/detail.json]

`--data DIR` keeps the generated store in DIR (reused when it already holds `--rows` rows); without
it a temporary folder is used and removed. Goals (issue 14): an indicator query <= 1 s with 100
million rows (2 cores); reader open <= 0.2 s and <= 300 MB RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SOURCE_ID = "synthetic.detail@0"
DATASET = "synthetic.detail"
CODES, PARTNERS, DISTRICTS = 5000, 200, 45
CELLS = CODES * PARTNERS * DISTRICTS  # 45,000,000 distinct cells per partition
STRIDE = 1_000_003  # prime, coprime with CELLS: i -> (i * STRIDE + offset) % CELLS is one-to-one
FIRST_YEAR = 2022

CHILD = r"""
import json, sys, time
from pathlib import Path
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
from usmca.store import Store, open_reader
rss1 = hwm()
t0 = time.perf_counter()
r = open_reader(Store(Path(sys.argv[1])))
dt = time.perf_counter() - t0
files = r.one("SELECT count(*) FROM detail_files")
rss2 = hwm()
print(json.dumps({"open_s": dt, "rss_mb": rss2, "rss_before_open_mb": rss1, "detail_files": files}))
"""


def code_sql(i: str) -> str:
    return f"lpad((100000 + ({i} // {PARTNERS * DISTRICTS}) * 173)::VARCHAR, 6, '0')"


def partner_sql(i: str) -> str:
    k = f"(({i} // {DISTRICTS}) % {PARTNERS})"
    return f"CASE {k} WHEN 0 THEN 'MEX' WHEN 1 THEN 'CAN' WHEN 2 THEN 'CHN' ELSE 'P' || lpad({k}::VARCHAR, 3, '0') END"


def district_sql(i: str) -> str:
    return f"lpad((1 + {i} % {DISTRICTS})::VARCHAR, 2, '0')"


def partition_sql(n: int, p: int) -> str:
    """The file columns of one partition's synthetic rows (p: the partition's number, an offset)."""
    c = f"((i * {STRIDE} + {p * 7919}) % {CELLS})"
    return (
        f"SELECT {code_sql(c)} AS commodity, 'HS6' AS commodity_level, "
        "CASE WHEN flow = 'exports' THEN 'schedule_b' ELSE 'hts' END AS classification, "
        f"{partner_sql(c)} AS partner, NULL::VARCHAR AS partner_code, 'country' AS partner_kind, "
        f"{district_sql(c)} AS district, 'synthetic district ' || {district_sql(c)} AS district_name, "
        f"round(exp((hash(i, {p}) % 10000) / 10000.0 * 16))::DOUBLE AS value_usd, "
        "NULL::DOUBLE AS consumption_value_usd, "
        f"round(exp((hash(i, {p}) % 10000) / 10000.0 * 16) / 7)::DOUBLE AS quantity_1, 'KG' AS unit_1, "
        "NULL::DOUBLE AS quantity_2, NULL::VARCHAR AS unit_2 "
        f"FROM range({n}) t(i), (SELECT ? AS flow)"
    )


def stored_rows(store_root: Path) -> int:
    import duckdb

    db = store_root / "usmca.duckdb"
    if not db.exists():
        return 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT coalesce(sum(rows), 0) FROM detail_files WHERE dataset = ?", [DATASET]).fetchone()
        return int(row[0]) if row else 0
    except duckdb.Error:
        return 0
    finally:
        con.close()


def build(store_root: Path, rows: int, years: int) -> float:
    """Generate and catalog the partition set; seconds taken."""
    from usmca import __version__
    from usmca.store import Store
    from usmca.store import detail as det
    from usmca.tables import DETAIL_TABLES, SOURCE_COLUMNS

    spec = DETAIL_TABLES["trade_detail"]
    shutil.rmtree(store_root, ignore_errors=True)
    store = Store(store_root)
    parts = [
        (f, y, m) for f in ("exports", "imports") for y in range(FIRST_YEAR, FIRST_YEAR + years) for m in range(1, 13)
    ]
    per = -(-rows // len(parts))
    t0 = time.perf_counter()
    with store.writing() as s:
        now = datetime.now(UTC).replace(tzinfo=None)
        row: dict[str, Any] = {
            "source_id": SOURCE_ID,
            "dataset": DATASET,
            "agency": "synthetic (benchmark)",
            "title": "synthetic detail-level trade rows (benchmark, not official data)",
            "url": None,
            "file_name": "bench_detail.py",
            "sha256": "0" * 64,
            "bytes": 0,
            "retrieved_at": None,
            "vintage": date(2025, 1, 1),
            "release": None,
            "parser_version": "1",
            "fact_table": "trade_detail",
            "rows": rows,
            "loaded_at": now,
            "origin": "synthetic",
            "kind": "statistics",
            "notes": "generated by bench/bench_detail.py",
            "package_version": __version__,
        }
        s.con.execute(
            f"INSERT INTO sources ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
        )
        assert set(SOURCE_COLUMNS) <= set(row)
        left = rows
        for p, (f, y, m) in enumerate(parts):
            n = min(per, left)
            if n <= 0:
                break
            left -= n
            select = (
                f"SELECT '{SOURCE_ID}' AS source_id, '{DATASET}' AS dataset, * "
                f"FROM ({partition_sql(n, p).replace('?', repr(f))})"
            )
            part = det.partition_path(spec, {"flow": f, "year": y, "month": m})
            written = det.write_file(s.con, spec, select, store.root, part, SOURCE_ID)
            s.created_files.append(written[0])
            det.record(s.con, spec, store.root, SOURCE_ID, DATASET, part, written)
            print(f"  {part}: {written[1]:,} rows, {written[2] / 1e6:.1f} MB", file=sys.stderr, flush=True)
        s.changed = True
    return time.perf_counter() - t0


def opens(root: Path, runs: int) -> list[dict[str, float]]:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    out = []
    for _ in range(runs):
        p = subprocess.run(
            [sys.executable, "-c", CHILD, str(root)], capture_output=True, text=True, env=env, check=True
        )
        out.append(json.loads(p.stdout.strip().splitlines()[-1]))
    return out


def open_summary(runs: list[dict[str, float]]) -> dict[str, float]:
    t = [r["open_s"] for r in runs]
    return {
        "min_s": round(min(t), 4),
        "median_s": round(statistics.median(t), 4),
        "rss_mb_max": round(max(r["rss_mb"] for r in runs), 1),
        "rss_before_open_mb": round(statistics.median(r["rss_before_open_mb"] for r in runs), 1),
        "detail_files": int(runs[0]["detail_files"]),
        "runs": len(runs),
    }


def timed(fn: Any, runs: int) -> tuple[dict[str, float], Any]:
    t, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        t.append(time.perf_counter() - t0)
    return {"min_s": round(min(t), 4), "median_s": round(statistics.median(t), 4), "first_s": round(t[0], 4)}, out


def queries(store_root: Path, runs: int) -> list[dict[str, Any]]:
    import duckdb

    from usmca.indicators.base import FIGURES, Context, compute
    from usmca.store import Store, open_reader

    reader = open_reader(Store(store_root))
    glob = str(store_root / "detail" / "trade_detail" / "**" / "*.parquet")
    bare = duckdb.connect(":memory:")
    src = f"read_parquet('{glob}', hive_partitioning = true)"
    year = FIRST_YEAR + 1
    # an HS6 code exported to Mexico through district 23 in that year (any code is, at 100 million rows)
    hit = bare.execute(
        f"SELECT commodity FROM {src} WHERE flow = 'exports' AND year = {year} AND partner = 'MEX' "
        "AND district = '23' ORDER BY commodity LIMIT 1"
    ).fetchone()
    assert hit is not None, "no synthetic row for MEX and district 23: generate more rows"
    code = str(hit[0])
    cases = [
        (
            "one partner and one HS6 code, a year",
            "detail_trade",
            {"flow": "exports", "code": code, "partner": "MEX", "year": year},
            f"SELECT sum(value_usd) FROM {src} WHERE flow = 'exports' AND year = {year} "
            f"AND commodity = '{code}' AND partner = 'MEX'",
        ),
        (
            "one month, every code, partner and district",
            "detail_trade",
            {"flow": "imports", "year": year, "month": 6},
            f"SELECT sum(value_usd) FROM {src} WHERE flow = 'imports' AND year = {year} AND month = 6",
        ),
        (
            "by district: one district's share for an HS6 code, a year",
            "detail_district_share",
            {"flow": "exports", "code": code, "district": "23", "year": year},
            f"SELECT 100 * sum(value_usd) FILTER (WHERE district = '23') / sum(value_usd) FROM {src} "
            f"WHERE flow = 'exports' AND year = {year} AND commodity = '{code}'",
        ),
    ]
    out = []
    for what, name, params, sql in cases:

        def run_indicator(name: str = name, params: dict[str, Any] = params) -> float | None:
            FIGURES.clear()
            reader._memo.clear()
            fig = compute(Context(reader), name, **params)
            assert fig.ok, fig.missing
            return fig.value

        def run_bare(sql: str = sql) -> float:
            row = bare.execute(sql).fetchone()
            assert row is not None
            return float(row[0])

        ours, value = timed(run_indicator, runs)
        base, base_value = timed(run_bare, runs)
        assert value is not None and abs(value - base_value) <= 1e-9 * max(1.0, abs(base_value)), (value, base_value)
        out.append(
            {
                "query": what,
                "indicator": name,
                "params": params,
                "value": value,
                "usmca": ours,
                "baseline": base,
                "ratio_median": round(ours["median_s"] / base["median_s"], 2),
            }
        )
    reader.close()
    bare.close()
    return out


def layout(store_root: Path) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(str(store_root / "usmca.duckdb"), read_only=True)
    try:
        row = con.execute(
            "SELECT count(*), sum(rows), sum(bytes), count(DISTINCT partition) FROM detail_files"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    files, rows, size, parts = (int(x) for x in row)
    one = next((store_root / "detail" / "trade_detail").rglob("*.parquet"))
    rg = duckdb.connect().execute(f"SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{one}')").fetchone()
    return {
        "rows": rows,
        "files": files,
        "partitions": parts,
        "bytes": size,
        "partitioned_by": ["flow", "year", "month"],
        "sorted_by": ["commodity_level", "commodity", "partner", "district"],
        "row_group_rows": 122_880,
        "row_groups_per_file": int(rg[0]) if rg else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000_000)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--data", default=None, help="folder for the generated store (kept, reused when complete)")
    ap.add_argument("--json", default=None, help="write the result here (e.g. bench/results/detail.json)")
    args = ap.parse_args()
    tmp = None if args.data else Path(tempfile.mkdtemp(prefix="bench-detail-"))
    base = Path(args.data) if args.data else tmp
    assert base is not None
    store_root = base / "store"
    empty_root = base / "empty"
    try:
        build_s = None
        if stored_rows(store_root) != args.rows:
            print(f"generating {args.rows:,} synthetic rows in {store_root}", file=sys.stderr)
            build_s = round(build(store_root, args.rows, args.years), 1)
        from usmca.store import Store

        with Store(empty_root).writing() as s:
            s.changed = True  # an empty catalog, merged with the snapshot like any store
        load_before = round(os.getloadavg()[0], 2)  # other work on the machine shows in the timings
        lay = layout(store_root)
        opened = open_summary(opens(store_root, args.runs))
        opened_empty = open_summary(opens(empty_root, args.runs))
        qs = queries(store_root, args.runs)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    worst = max(q["usmca"]["median_s"] for q in qs)
    result = {
        "benchmark": "detail",
        "measured": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} CPU cores",
        "load_average_1m": {"before": load_before, "after": round(os.getloadavg()[0], 2)},
        "data": "synthetic (named: dataset synthetic.detail), not official figures",
        "layout": lay,
        "generate_s": build_s,
        "open": opened,
        "open_without_detail": opened_empty,
        "queries": qs,
        "goals": {"query_s": 1.0, "open_s": 0.2, "rss_mb": 300},
        "goals_met": worst <= 1.0 and opened["median_s"] <= 0.2 and opened["rss_mb_max"] <= 300,
    }
    text = json.dumps(result, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
