"""FT-900 exhibits 1 and 12: national totals, revised rows, unpublished months, vintage."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from usmca.sources import census_ft900
from usmca.sources.base import ParsedFile
from usmca.store import Store
from usmca.store.reader import Reader, open_reader

FOLDER = "census_ft900_exhibits"


@pytest.fixture(scope="session")
def exh1(shared_data: Path) -> ParsedFile:
    return census_ft900.parse(shared_data / FOLDER / "exh1.xlsx")


@pytest.fixture(scope="session")
def exh12(shared_data: Path) -> ParsedFile:
    return census_ft900.parse(shared_data / FOLDER / "exh12.xlsx")


@pytest.fixture(scope="session")
def ft900_reader(exh1: ParsedFile, exh12: ParsedFile, tmp_path_factory: pytest.TempPathFactory) -> Reader:
    store = Store(tmp_path_factory.mktemp("ft900") / "store")
    store.load(exh1)
    store.load(exh12)
    return open_reader(store, use_snapshot=False)


def _m(t: pd.DataFrame, *, flow: str, basis: str, product: str, year: int, month: int | None = None) -> float:
    sel = t[(t["flow"] == flow) & (t["basis"] == basis) & (t["product"] == product) & (t["year"] == year)]
    sel = sel[sel["month"].isna()] if month is None else sel[sel["month"] == month]
    assert len(sel) == 1, sel
    return float(sel["value_usd"].iloc[0]) / 1e6


def test_exhibit1_goods_and_services(exh1: ParsedFile) -> None:
    t = exh1.tables["trade"]
    assert set(t["adjustment"]) == {"sa"} and set(t["basis"]) == {"bop"}
    assert set(t["product"]) == {"goods", "services", "goods_services"}
    assert _m(t, flow="exports", basis="bop", product="goods_services", year=2024) == 3_232_524
    assert _m(t, flow="exports", basis="bop", product="goods_services", year=2025) == 3_429_920
    assert _m(t, flow="imports", basis="bop", product="goods_services", year=2024) == 4_136_057
    assert _m(t, flow="imports", basis="bop", product="goods_services", year=2025) == 4_341_609
    jan26 = _m(t, flow="exports", basis="bop", product="goods_services", year=2026, month=1)
    assert jan26 == 302_149


def test_exhibit12_goods_census_and_bop(exh12: ParsedFile) -> None:
    t = exh12.tables["trade"]
    assert set(t["adjustment"]) == {"nsa"} and set(t["product"]) == {"goods"}
    assert _m(t, flow="exports", basis="census", product="goods", year=2024) == 2_061_691
    assert _m(t, flow="exports", basis="census", product="goods", year=2025) == 2_185_183
    assert _m(t, flow="imports", basis="census", product="goods", year=2024) == 3_266_410
    assert _m(t, flow="imports", basis="census", product="goods", year=2025) == 3_415_695
    assert _m(t, flow="exports", basis="census", product="goods", year=2026, month=1) == 186_386
    assert _m(t, flow="imports", basis="census", product="goods", year=2026, month=1) == 260_537
    x = _m(t, flow="exports", basis="bop", product="goods", year=2024)
    m = _m(t, flow="imports", basis="bop", product="goods", year=2024)
    assert x - m == -1_215_403  # the goods balance, BOP basis, as published


def test_months_add_up_to_year_nsa(exh12: ParsedFile) -> None:
    t = exh12.tables["trade"]
    sel = t[(t["flow"] == "exports") & (t["basis"] == "census") & (t["year"] == 2024)]
    months = sel[sel["month"].notna()]
    assert len(months) == 12
    assert abs(months["value_usd"].sum() / 1e6 - 2_061_691) <= 6  # rounding of 12 months


def test_keys_and_units(exh12: ParsedFile) -> None:
    t = exh12.tables["trade"]
    assert set(t["partner"]) == {"WLD"} and set(t["partner_kind"]) == {"world"}
    assert set(t["reporter"]) == {"USA"}
    assert t["partner_code"].isna().all()
    # US dollars, not millions
    assert t["value_usd"].max() > 1e12


def test_revised_and_unpublished(exh1: ParsedFile, exh12: ParsedFile) -> None:
    t1 = exh1.tables["trade"]
    assert (t1.loc[t1["year"] == 2025, "status"] == "revised").all()
    assert (t1.loc[t1["year"] == 2024, "status"] == "published").all()
    t12 = exh12.tables["trade"]
    y25 = t12[t12["year"] == 2025].set_index("month", drop=False)
    assert (y25.loc[y25["month"] == 7, "status"] == "revised").all()
    assert (y25.loc[y25["month"] == 6, "status"] == "published").all()
    later = t12[(t12["year"] == 2026) & (t12["month"] > 1)]
    assert len(later) == 11 * 4
    assert (later["status"] == "not_published").all() and later["value_usd"].isna().all()
    # No annual row for the year in progress; year-to-date rows are not stored.
    assert t12[(t12["year"] == 2026) & t12["month"].isna()].empty
    assert len(t12[(t12["year"] == 2024)]) == 13 * 4


def test_vintage_and_release(exh1: ParsedFile, exh12: ParsedFile) -> None:
    for p in (exh1, exh12):
        assert p.info.id == "census.ft900"
        assert p.vintage == date(2026, 3, 10)
        assert p.release == "January 2026 release"


def test_vintage_fallback_without_core_properties(shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / FOLDER / "exh12.xlsx"
    dst = tmp_path / "exh12.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "docProps/core.xml":
                zout.writestr(item, zin.read(item.filename))
    assert census_ft900.workbook_created(dst) is None
    p = census_ft900.parse(dst)
    assert p.vintage == date(2026, 3, 1)  # January data come out early in March
    assert any("vintage inferred" in n for n in p.notes)


def test_detect(shared_data: Path) -> None:
    assert census_ft900.detect(shared_data / FOLDER / "exh1.xlsx")
    assert census_ft900.detect(shared_data / FOLDER / "exh12.xlsx")
    assert not census_ft900.detect(shared_data / "census_trade_by_country" / "country.xlsx")


def test_both_exhibits_in_one_store(ft900_reader: Reader) -> None:
    r = ft900_reader
    n = r.one("SELECT count(DISTINCT source_id) FROM trade WHERE dataset = 'census.ft900'")
    assert n == 2  # same dataset and vintage, different files: both kept
    v = r.one("""SELECT value_usd FROM trade WHERE partner = 'WLD' AND flow = 'exports'
                 AND basis = 'census' AND product = 'goods' AND adjustment = 'nsa'
                 AND year = 2024 AND month IS NULL""")
    assert v == 2_061_691e6
    v = r.one("""SELECT value_usd FROM trade WHERE flow = 'imports' AND product = 'goods_services'
                 AND adjustment = 'sa' AND year = 2025 AND month IS NULL""")
    assert v == 4_341_609e6
