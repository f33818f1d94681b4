"""USITC DataWeb exports by HS chapter and partner: parse, load, and the checked totals."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from usmca.indicators.queries.products import (
    chapter_code,
    exports_by_chapter,
    partner_share_of_chapter,
    top_chapters,
)
from usmca.sources import usitc_dataweb
from usmca.sources.base import ParsedFile
from usmca.store import Store
from usmca.store.reader import Reader, open_reader

DATA = "usitc_dataweb_exports_by_hs2/DataWeb-Query-Export__FAS_Value.csv"
PARAMS = "usitc_dataweb_exports_by_hs2/DataWeb-Query-Export__Query_Parameters.csv"


@pytest.fixture(scope="session")
def dataweb_file(shared_data: Path) -> Path:
    return shared_data / DATA


@pytest.fixture(scope="session")
def dataweb(dataweb_file: Path) -> ParsedFile:
    return usitc_dataweb.parse(dataweb_file)


@pytest.fixture(scope="session")
def dataweb_reader(dataweb: ParsedFile, tmp_path_factory: pytest.TempPathFactory) -> Reader:
    store = Store(tmp_path_factory.mktemp("dataweb") / "store")
    store.load(dataweb)
    return open_reader(store, use_snapshot=False)


def test_layout(dataweb: ParsedFile) -> None:
    t = dataweb.tables["trade"]
    assert dataweb.info.id == "usitc.dataweb"
    assert len(t) == 17773 * 6  # rows x years 2020..2025
    assert set(t["flow"]) == {"exports"}
    assert set(t["basis"]) == {"census"} and set(t["adjustment"]) == {"nsa"}
    assert t["month"].isna().all()
    assert t["product"].str.fullmatch(r"HS2:\d\d").all()
    assert t["product"].nunique() == 97 and "HS2:77" not in set(t["product"])
    assert "HS2:01" in set(t["product"])  # zero-padded, read as text
    assert t["_row"].min() == 4  # line 4 is the first data line
    assert not (t["partner_code"].str.startswith("Total")).any()


def test_partner_labels(dataweb: ParsedFile) -> None:
    t = dataweb.tables["trade"].drop_duplicates("partner_code").set_index("partner_code")
    assert t.loc["South Korea", "partner"] == "KOR"
    assert t.loc["Czechia (Czech Republic)", "partner"] == "CZE"
    assert t.loc["Myanmar (Burma)", "partner"] == "MMR"
    assert t.loc["Mexico", "partner_name"] == "Mexico"
    assert len(t) == 234
    assert (t["partner_kind"] == "country").all()


def test_unpublished_year_and_vintage(dataweb: ParsedFile) -> None:
    t = dataweb.tables["trade"]
    y25 = t[t["year"] == 2025]
    assert (y25["status"] == "not_published").all() and y25["value_usd"].isna().all()
    assert (t.loc[t["year"] < 2025, "status"] == "published").all()
    assert dataweb.vintage == date(2025, 8, 7)
    assert "August 7, 2025" in (dataweb.release or "")


def test_vintage_fallback_without_parameters(dataweb_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / dataweb_file.name
    shutil.copy(dataweb_file, copy)
    p = usitc_dataweb.parse(copy)
    assert p.vintage == date(2025, 2, 1)  # December 2024 is published early February 2025
    assert any("vintage inferred" in n for n in p.notes)


def test_detect_and_ignored(shared_data: Path) -> None:
    assert usitc_dataweb.detect(shared_data / DATA)
    assert not usitc_dataweb.detect(shared_data / PARAMS)
    assert usitc_dataweb.is_ignored(shared_data / PARAMS)
    assert not usitc_dataweb.is_ignored(shared_data / DATA)
    assert usitc_dataweb.read_download_date(shared_data / PARAMS) == date(2025, 8, 7)


WORLD = {2020: 1_429_995.4, 2022: 2_072_648.0, 2023: 2_020_479.2, 2024: 2_061_690.8}
CHECKED_2024 = {
    "MEX": 334_031.9,
    "CAN": 349_908.2,
    "CHN": 143_226.7,
    "JPN": 78_978.4,
    "KOR": 65_586.3,
    "DEU": 75_724.0,
    "NLD": 88_222.7,
    "IND": 41_537.0,
    "CHE": 25_042.8,
}
MEXICO = {2020: 212_512.8, 2022: 327_016.1, 2023: 323_637.2, 2024: 334_031.9}


def _millions(df: pd.DataFrame) -> float:
    return round(float(df["value_usd"].sum()) / 1e6, 1)


@pytest.mark.parametrize("year,expected", sorted(WORLD.items()))
def test_world_is_sum_of_partners(dataweb_reader: Reader, year: int, expected: float) -> None:
    assert _millions(exports_by_chapter(dataweb_reader, "WLD", year)) == expected


@pytest.mark.parametrize("partner,expected", sorted(CHECKED_2024.items()))
def test_partner_totals_2024(dataweb_reader: Reader, partner: str, expected: float) -> None:
    df = exports_by_chapter(dataweb_reader, partner, 2024)
    assert _millions(df) == expected
    assert df["source_id"].str.startswith("usitc.dataweb@").all()


@pytest.mark.parametrize("year,expected", sorted(MEXICO.items()))
def test_mexico_by_year(dataweb_reader: Reader, year: int, expected: float) -> None:
    assert _millions(exports_by_chapter(dataweb_reader, "MEX", year)) == expected


def test_top_mexico_chapters_2024(dataweb_reader: Reader) -> None:
    top = top_chapters(dataweb_reader, "MEX", 2024, n=5)
    assert list(top["chapter"]) == ["85", "84", "27", "87", "39"]
    assert [round(v / 1e6, 1) for v in top["value_usd"]] == [55_639.1, 52_285.1, 41_153.1, 28_931.1, 21_739.8]
    assert list(top["rank"]) == [1, 2, 3, 4, 5]
    assert top["title"].iloc[0] == "Electrical machinery and equipment"
    assert top["share"].iloc[0] == pytest.approx(55_639.1 / 334_031.9, abs=1e-4)


def test_partner_share_of_chapter(dataweb_reader: Reader) -> None:
    row = partner_share_of_chapter(dataweb_reader, "MEX", 85, 2024).iloc[0]
    world85 = exports_by_chapter(dataweb_reader, "WLD", 2024).set_index("chapter").loc["85"]
    assert row["chapter"] == "85"
    assert round(row["value_usd"] / 1e6, 1) == 55_639.1
    assert row["world_value_usd"] == pytest.approx(world85["value_usd"])
    assert row["share"] == pytest.approx(row["value_usd"] / world85["value_usd"])
    assert 0 < row["share"] < 1
    assert row["source_id"].startswith("usitc.dataweb@")


def test_unpublished_year_in_helpers(dataweb_reader: Reader) -> None:
    df = exports_by_chapter(dataweb_reader, "MEX", 2025)
    assert len(df) > 0 and df["value_usd"].isna().all()
    assert set(df["status"]) == {"not_published"}
    assert exports_by_chapter(dataweb_reader, "MEX", 2019).empty


def test_chapter_code() -> None:
    assert chapter_code(5) == "05" and chapter_code("HS2:85") == "85" and chapter_code("87") == "87"
    with pytest.raises(ValueError):
        chapter_code("abc")
