"""The check path over the reader: per-claim query logs, cached figures, precomputed IO readings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from usmca.claims.check import check_text
from usmca.indicators.base import FIGURES, Context, compute
from usmca.pipeline import load_paths
from usmca.store import Store, open_reader

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def snap_reader(tmp_path: Path):  # type: ignore[no-untyped-def]
    r = open_reader(Store(tmp_path / "none"))
    yield r
    r.close()


def _json_size(text: str, reader) -> int:  # type: ignore[no-untyped-def]
    return len(check_text(text, reader).model_dump_json())


def test_report_grows_linearly_with_the_text(seed_text: str, snap_reader) -> None:  # type: ignore[no-untyped-def]
    one = _json_size(seed_text, snap_reader)
    twenty = _json_size("\n\n".join([seed_text] * 20), snap_reader)
    # each claim lists only its own queries: 20 copies cost 20 reports (the old log made it ~200)
    assert twenty <= 22 * one


def test_each_claim_lists_only_its_own_queries(seed_text: str, snap_reader) -> None:  # type: ignore[no-untyped-def]
    FIGURES.clear()
    rep = check_text("\n\n".join([seed_text] * 3), snap_reader)
    n = len(rep.claims) // 3
    first, third = rep.claims[:n], rep.claims[2 * n : 3 * n]
    for a, b in zip(first, third, strict=True):
        assert a.verdict == b.verdict and a.computed == b.computed
        assert a.queries == b.queries  # served from the figure cache, with the queries it ran
    va = [c for c in rep.claims if c.metric in ("va_source_ratio", "foreign_value_added_in_exports")]
    assert va and all(len(c.queries) <= 3 for c in va)
    assert all("io_readings" in q for c in va for q in c.queries)


def test_figures_are_cached_and_copied(snap_reader) -> None:  # type: ignore[no-untyped-def]
    FIGURES.clear()
    p = {"partner": "MEX", "flow": "exports", "year": 2024}
    a = compute(Context(snap_reader), "trade_value", **p)
    misses = FIGURES.misses
    ctx = Context(snap_reader)
    b = compute(ctx, "trade_value", **p)
    assert FIGURES.misses == misses and FIGURES.hits >= 1
    assert a.value == b.value and a.queries == b.queries and a.queries
    assert ctx.queries == b.queries  # replayed into the log of the new context
    b.notes.append("changed by the caller")
    assert "changed by the caller" not in compute(Context(snap_reader), "trade_value", **p).notes


def test_cache_is_keyed_by_the_data_read(tmp_path: Path, snap_reader) -> None:  # type: ignore[no-untyped-def]
    snap = tmp_path / "snap"
    import shutil

    from usmca.store.reader import snapshot_dir

    shutil.copytree(snapshot_dir(), snap)
    other = open_reader(Store(tmp_path / "none"), snapshot=snap)
    assert other.state != snap_reader.state
    before = other.state
    os.utime(snap / "manifest.json", ns=(1, 1))  # the snapshot was rebuilt: a new state
    assert open_reader(Store(tmp_path / "none"), snapshot=snap).state != before


def test_check_never_imports_scipy_or_an_io_table(seed_text: str, tmp_path: Path) -> None:
    code = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from usmca.claims.check import check_text\n"
        "from usmca.store import Store, open_reader\n"
        f"r = open_reader(Store(Path({str(tmp_path / 'none')!r})))\n"
        f"rep = check_text(Path({str(ROOT / '..' / 'shared' / 'seed' / 'usmca-oped.txt')!r}).read_text(), r)\n"
        "print(json.dumps({'metrics': [c.metric for c in rep.claims], 'io': len(r._io_cache),\n"
        "  'mods': [m for m in sys.modules if m.split('.')[0] == 'scipy' or m.startswith('usmca.models')]}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert "va_source_ratio" in got["metrics"]  # the op-ed has a value-added claim ...
    assert got["mods"] == [] and got["io"] == 0  # ... answered without SciPy or an IO table


def test_store_without_readings_falls_back_to_the_table(shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    load_paths(store, [shared_data / "wiod_2013_release" / "wiot_2005.RData"], workers=1)
    r = open_reader(store, use_snapshot=False)
    p = {"exporter": "USA", "source": "MEX", "other": "CHN", "year": 2005}
    pre = compute(Context(r), "va_source_ratio", **p)
    n = r.one("SELECT count(*) FROM io_readings WHERE year = 2005")
    assert n > 10_000
    r.close()
    # the snapshot built from this store ships the readings (small), checked like its other files
    from usmca.store.snapshot import READINGS_FILE, build_snapshot

    info = build_snapshot(store, tmp_path / "snap")
    shipped = {f["file"]: f for f in info["files"]}
    assert shipped[READINGS_FILE]["rows"] == n and shipped[READINGS_FILE]["sha256"]
    snap_reader = open_reader(Store(tmp_path / "none"), snapshot=tmp_path / "snap")
    from_snap = compute(Context(snap_reader), "va_source_ratio", **p)
    assert from_snap.value == pre.value and not snap_reader._io_cache
    snap_reader.close()
    with store.writing() as session:  # as written before the readings were precomputed
        session.con.execute("DROP TABLE io_readings")
        session.changed = True
    FIGURES.clear()
    r = open_reader(store, use_snapshot=False)
    post = compute(Context(r), "va_source_ratio", **p)
    assert r._io_cache  # computed from the IO table
    assert post.value == pytest.approx(pre.value, rel=1e-9)
    assert post.parts["all_readings"] == pytest.approx(pre.parts["all_readings"], rel=1e-9)
    r.close()
