"""Shared fixtures: the real official files in ../shared/data and throwaway stores."""

from __future__ import annotations

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
        out: list[tuple] = [tuple(r) for r in con.execute("SELECT source_id, sha256, rows FROM sources ORDER BY 1").fetchall()]
        for t in tables:
            out.append((t, con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]))
        return out
    finally:
        con.close()
