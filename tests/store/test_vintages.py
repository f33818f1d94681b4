"""Vintages across datasets: the FT-900 revision of 2024 supersedes country.xlsx's first print.

country.xlsx (census.country, vintage 2025-04-01) holds the 2024 world exports as first
published (2,065,131 $M); FT-900 Exhibit 12 of the January 2026 release (census.ft900,
vintage 2026-03-10) holds the revised figure (2,061,691 $M). Both describe the same key
(partner WLD, exports, census basis, goods, NSA, 2024, annual): the newer vintage is current,
and the older one stays queryable as of its own vintage.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from usmca.sources import census_ft900, census_trade, wiod_niot
from usmca.store import Store
from usmca.store.reader import Reader, open_reader

WORLD_2024 = """SELECT value_usd, status, dataset FROM {rel}
    WHERE partner = 'WLD' AND flow = 'exports' AND basis = 'census' AND product = 'goods'
      AND adjustment = 'nsa' AND year = 2024 AND month IS NULL"""


@pytest.fixture(scope="module")
def both(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Reader:
    store = Store(tmp_path_factory.mktemp("vintages") / "store")
    store.load(census_trade.parse(shared_data / "census_trade_by_country" / "country.xlsx"))
    store.load(census_ft900.parse(shared_data / "census_ft900_exhibits" / "exh12.xlsx"))
    store.load(census_ft900.parse(shared_data / "census_ft900_exhibits" / "exh1.xlsx"))
    return open_reader(store, use_snapshot=False)


def test_current_is_the_revised_ft900_value(both: Reader) -> None:
    df = both.df(WORLD_2024.format(rel=both.relation("trade")))
    assert len(df) == 1
    assert df["value_usd"].iloc[0] == 2_061_691e6
    assert df["dataset"].iloc[0] == "census.ft900"


def test_pre_revision_value_as_of_its_vintage(both: Reader) -> None:
    df = both.df(WORLD_2024.format(rel=both.relation("trade", vintage=date(2025, 4, 1))))
    assert len(df) == 1
    assert round(df["value_usd"].iloc[0] / 1e6) == 2_065_131
    assert df["dataset"].iloc[0] == "census.country"
    # One day before the older vintage, neither file existed.
    df = both.df(WORLD_2024.format(rel=both.relation("trade", vintage=date(2025, 3, 31))))
    assert df.empty


def test_months_resolve_too(both: Reader) -> None:
    sql = """SELECT value_usd, dataset FROM {rel} WHERE partner = 'WLD' AND flow = 'exports'
             AND basis = 'census' AND product = 'goods' AND adjustment = 'nsa'
             AND year = 2025 AND month = 3"""
    now = both.df(sql.format(rel=both.relation("trade")))
    assert list(now["dataset"]) == ["census.ft900"] and now["value_usd"].iloc[0] == 191_411e6
    then = both.df(sql.format(rel=both.relation("trade", vintage=date(2025, 4, 1))))
    # March 2025 was not yet published in the April 2025 country.xlsx.
    assert list(then["dataset"]) == ["census.country"] and then["value_usd"].isna().all()


def test_other_keys_are_untouched(both: Reader) -> None:
    # Partners other than the world come only from country.xlsx: still current.
    v = both.one("""SELECT value_usd FROM trade WHERE partner = 'MEX' AND flow = 'exports'
                    AND product = 'goods' AND year = 2024 AND month IS NULL""")
    assert round(v / 1e6, 1) == 334_041.4
    # The SA world goods row of country.xlsx (census basis) has no FT-900 counterpart
    # (Exhibit 1 is BOP basis): it stays current.
    n = both.one("""SELECT count(*) FROM trade WHERE partner = 'WLD' AND adjustment = 'sa'
                    AND basis = 'census' AND dataset = 'census.country'""")
    assert n > 0


def _small_wiod(src: Path, dst: Path, year: int = 2014) -> Path:
    """The header and one year of a WIOD national table, as a small workbook."""
    raw = pd.read_excel(src, sheet_name="National IO-tables", header=None, engine="calamine")
    dst.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(dst, engine="openpyxl") as w:
        pd.concat([raw.iloc[:2], raw[raw[0] == year]]).to_excel(
            w, sheet_name="National IO-tables", header=False, index=False
        )
    return dst


def test_parts_of_one_dataset_share_a_vintage(shared_data: Path, tmp_path: Path) -> None:
    """Files of one dataset with one vintage are parts (exhibits, countries), not versions."""
    store = Store(tmp_path / "store")
    folder = shared_data / "wiod_2016_niot"
    names = {iso: f"{iso}_NIOT_nov16.xlsx" for iso in ("MEX", "CAN")}
    files = {iso: _small_wiod(folder / n, tmp_path / n) for iso, n in names.items()}
    parsed = {iso: wiod_niot.parse(f) for iso, f in files.items()}
    assert parsed["MEX"].vintage == parsed["CAN"].vintage
    for p in parsed.values():
        assert store.load(p).status == "loaded"
    r = open_reader(store, use_snapshot=False)
    assert set(r.df("SELECT DISTINCT country FROM national_io")["country"]) == {"MEX", "CAN"}
    r.close()
    # The same file name with other content and the same vintage replaces its predecessor.
    other = _small_wiod(folder / "MEX_NIOT_nov16.xlsx", tmp_path / "v2" / "MEX_NIOT_nov16.xlsx", year=2013)
    again = wiod_niot.parse(other)
    again.vintage = parsed["MEX"].vintage
    assert store.load(again).status == "replaced"
    r = open_reader(store, use_snapshot=False)
    got = r.df("SELECT country, min(year) AS y, count(DISTINCT source_id) AS n FROM national_io GROUP BY 1 ORDER BY 1")
    assert got.to_dict("list") == {"country": ["CAN", "MEX"], "y": [2014, 2013], "n": [1, 1]}
    r.close()
