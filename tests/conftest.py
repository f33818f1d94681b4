"""Shared fixtures: the real official files in ../shared/data and throwaway stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from usmca.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
DATA = SHARED / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside the checkout")
    return DATA


@pytest.fixture(scope="session")
def seed_text() -> str:
    p = SHARED / "seed" / "usmca-oped.txt"
    if not p.exists():
        pytest.skip("../shared/seed/usmca-oped.txt is missing")
    return p.read_text(encoding="utf-8")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


def store_fingerprint(store: Store) -> list[tuple]:
    """Everything a load could change: sources and row counts of every table."""
    import duckdb

    if not store.exists():
        return []
    con = duckdb.connect(str(store.db_path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        rows = con.execute("SELECT source_id, sha256, rows FROM sources ORDER BY 1").fetchall()
        out: list[tuple] = [tuple(r) for r in rows]
        for t in tables:
            out.append((t, con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]))
        return out
    finally:
        con.close()


# A store of a few real files for the web tests (API, report, schemathesis, browser): built once
# per session and shared by the xdist workers (their base temp folders share a parent).
WEB_FILES = [
    "census_trade_by_country/country.xlsx",
    "cbp_encounters/nationwide-encounters-fy20-fy23-state.csv",
    "cbp_encounters/nationwide-encounters-fy23-fy26-nov-state.csv",
    "world_bank_wdi/API_SP.POP.TOTL_DS2_en_csv_v2_246068.csv",
]


def build_web_store(base: Path, data: Path) -> Path:
    import fcntl

    from usmca.sources import detect_source

    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = shared / "web-store"
    with open(shared / "web-store.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "done").exists():
            store = Store(root)
            for rel in WEB_FILES:
                p = data / rel
                if p.exists():
                    store.load(detect_source(p).parse(p))
            (root / "done").touch()
    return root


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    return build_web_store(tmp_path_factory.getbasetemp(), shared_data)
