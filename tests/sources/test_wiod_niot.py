"""WIOD 2016 national IO tables: long form, checked 2014 totals, import content of exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from usmca.indicators.queries.national_io import (
    NationalIOMissing,
    domestic_va_share_of_output,
    import_content_of_exports,
    io_totals,
)
from usmca.sources import wiod_niot
from usmca.sources.base import ParsedFile
from usmca.store import Store
from usmca.store.reader import Reader, open_reader

COUNTRIES = ("USA", "MEX", "CAN", "CHN")
CHECKED_2014 = {  # imported intermediates, imported final use, exports, VA, GO ($ million)
    "USA": (1_390_078, 1_017_590, 1_927_091, 17_348_070, 30_971_023),
    "MEX": (256_563, 104_889, 368_185, 1_227_752, 2_130_489),
    "CAN": (336_598, 208_031, 563_511, 1_675_521, 3_252_175),
    "CHN": (1_374_500, 468_337, 2_425_464, 10_283_983, 31_745_102),
}


def _file(shared_data: Path, iso: str) -> Path:
    return shared_data / "wiod_2016_niot" / f"{iso}_NIOT_nov16.xlsx"


@pytest.fixture(scope="session")
def wiod_usa(shared_data: Path) -> ParsedFile:
    return wiod_niot.parse(_file(shared_data, "USA"))


@pytest.fixture(scope="session")
def wiod_reader(shared_data: Path, wiod_usa: ParsedFile, tmp_path_factory: pytest.TempPathFactory) -> Reader:
    store = Store(tmp_path_factory.mktemp("wiod") / "store")
    store.load(wiod_usa)
    for iso in COUNTRIES[1:]:
        store.load(wiod_niot.parse(_file(shared_data, iso)))
    return open_reader(store, use_snapshot=False)


def test_long_form(wiod_usa: ParsedFile) -> None:
    t = wiod_usa.tables["national_io"]
    assert wiod_usa.info.id == "wiod.niot" and wiod_usa.info.kind == "model"
    assert len(t) == 15 * 120 * 63  # years x rows x value columns
    assert set(t["country"]) == {"USA"}
    assert set(t["origin"]) == {"Domestic", "Imports", "TOT"}
    assert set(t["year"]) == set(range(2000, 2015))
    assert set(t.loc[t["origin"] == "TOT", "row_code"]) == set(wiod_niot.TOT_ROWS)
    assert t["col_code"].nunique() == 63
    assert t["_row"].min() == 3  # row 1 codes, row 2 names


def test_vintage_and_detect(shared_data: Path, wiod_usa: ParsedFile) -> None:
    assert wiod_usa.vintage == date(2016, 11, 16)
    assert any("US$ million" in n for n in wiod_usa.notes)
    assert wiod_niot.detect(_file(shared_data, "MEX"))
    assert not wiod_niot.detect(shared_data / "census_ft900_exhibits" / "exh1.xlsx")


@pytest.mark.parametrize("iso", COUNTRIES)
def test_checked_totals_2014(wiod_reader: Reader, iso: str) -> None:
    row = io_totals(wiod_reader, iso, 2014).iloc[0]
    got = tuple(
        round(row[k])
        for k in ("imported_intermediates", "imported_final_use", "exports", "value_added", "gross_output")
    )
    assert got == pytest.approx(CHECKED_2014[iso], abs=1)
    assert row["source_id"].startswith("wiod.niot@")


def test_all_four_countries_loaded(wiod_reader: Reader) -> None:
    got = wiod_reader.df("SELECT country, count(*) AS n FROM national_io GROUP BY 1 ORDER BY 1")
    assert dict(zip(got["country"], got["n"], strict=True)) == {c: 113_400 for c in COUNTRIES}


def _vs_direct(reader: Reader, iso: str, year: int) -> float:
    """Vertical specialisation computed here with a dense inverse, as an independent check."""
    df = reader.df(
        "SELECT row_code, origin, col_code, value FROM national_io WHERE country = ? AND year = ?", [iso, year]
    )
    ind = list(wiod_niot.INDUSTRIES)

    def block(origin: str, rows: list[str], cols: list[str]) -> np.ndarray:
        p = df[df["origin"] == origin].pivot(index="row_code", columns="col_code", values="value")
        return p.reindex(index=rows, columns=cols).fillna(0).to_numpy()

    x = block("TOT", ["GO"], ind)[0]
    inv = np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)
    a_d = block("Domestic", ind, ind) * inv
    a_m = block("Imports", ind, ind) * inv
    e = block("Domestic", ind, ["EXP"])[:, 0]
    vs = a_m.sum(axis=0) @ np.linalg.inv(np.eye(len(ind)) - a_d) @ e
    return float(vs / e.sum())


@pytest.mark.parametrize(
    "iso,low,high", [("USA", 0.08, 0.20), ("MEX", 0.25, 0.45), ("CAN", 0.15, 0.35), ("CHN", 0.10, 0.25)]
)
def test_import_content_of_exports(wiod_reader: Reader, iso: str, low: float, high: float) -> None:
    row = import_content_of_exports(wiod_reader, iso, 2014).iloc[0]
    assert low < row["share"] < high
    assert row["share"] == pytest.approx(_vs_direct(wiod_reader, iso, 2014), rel=1e-9)
    assert row["direct_share"] < row["share"]  # the domestic chain adds indirect imports
    assert row["exports"] == pytest.approx(CHECKED_2014[iso][2], abs=1)


def test_import_content_by_industry_adds_up(wiod_reader: Reader) -> None:
    total = import_content_of_exports(wiod_reader, "MEX", 2014).iloc[0]
    by = import_content_of_exports(wiod_reader, "MEX", 2014, by_industry=True)
    assert len(by) == 56
    assert by["import_content"].sum() == pytest.approx(total["import_content"], rel=1e-9)
    c26 = by.set_index("industry").loc["C26"]
    assert c26["share"] > total["share"]  # electronics assembly uses more imported inputs


def test_domestic_va_share(wiod_reader: Reader) -> None:
    row = domestic_va_share_of_output(wiod_reader, "USA", 2014).iloc[0]
    assert row["share"] == pytest.approx(17_348_070 / 30_971_023, abs=1e-6)
    cars = domestic_va_share_of_output(wiod_reader, "MEX", 2014, "C29").iloc[0]
    assert 0 < cars["share"] < row["share"]
    assert cars["industry_name"] == "Motor vehicles"
    with pytest.raises(ValueError, match="unknown WIOD industry"):
        domestic_va_share_of_output(wiod_reader, "USA", 2014, "Z99")


def test_missing_country_year(wiod_reader: Reader) -> None:
    with pytest.raises(NationalIOMissing, match="2015"):
        io_totals(wiod_reader, "USA", 2015)
