"""BEA Trade in Value Added via NSF NCSES table SKTI-4 (MANIFEST section 14).

The real file is read from ../shared/data; tests/sources/mock/ncses.tiva/ holds a synthetic table
(invented values in the same layout) so that the parser is also tested without ../shared.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from usmca.cli import _expand
from usmca.errors import DataFormatError
from usmca.sources import detect_source, ncses_tiva
from usmca.sources.base import is_companion

MOCK = Path(__file__).parent / "mock" / "ncses.tiva"
DATA = "ncses_bea_tiva/ncses_10760_data.csv"


def cell(df: pd.DataFrame, industry: str, year: int, measure: str) -> float:
    row = df[(df["industry"] == industry) & (df["year"] == year) & (df["measure"] == measure)]
    assert len(row) == 1
    return float(row["value_usd"].iloc[0])


@pytest.fixture(scope="module")
def real(shared_data: Path) -> pd.DataFrame:
    return ncses_tiva.parse(shared_data / DATA).tables["value_added_exports"]


def test_checked_values(real: pd.DataFrame) -> None:
    for year, gross, dom, imp, share in (
        (2007, 1_509_591, 1_288_047, 221_556, 14.7),
        (2021, 2_179_415, 1_938_219, 241_213, 11.1),
    ):
        assert cell(real, "all", year, "gross_exports") == gross * 1e6
        assert cell(real, "all", year, "domestic_va") == dom * 1e6
        assert cell(real, "all", year, "imported_va") == imp * 1e6
        assert round(imp / gross * 100, 1) == share


def test_layout_of_the_real_table(real: pd.DataFrame) -> None:
    assert len(real) == 3 * 9 * 15  # three blocks x (all + 8 KTI industries) x 2007-2021
    assert set(real["measure"]) == {"gross_exports", "domestic_va", "imported_va"}
    assert (int(real["year"].min()), int(real["year"].max())) == (2007, 2021)
    assert set(real["country"]) == {"USA"}
    assert real["industry"].nunique() == 9
    aero = real[real["industry"] == "Aerospace product and parts manufacturing"]
    assert set(aero["naics"]) == {"3364"}
    assert cell(real, "Aerospace product and parts manufacturing", 2021, "imported_va") == 10_222e6


def test_metadata(shared_data: Path) -> None:
    path = shared_data / DATA
    assert detect_source(path).id == "ncses.tiva"
    p = ncses_tiva.parse(path)
    assert "NCSES" in p.info.agency and "BEA" in p.info.agency
    assert "preliminary" in p.info.title
    assert any(n.startswith("preliminary") for n in p.notes)
    assert p.vintage == date(2023, 4, 8)  # "accessed 8 April 2023", read from the README beside it


def test_readme_is_a_companion_skipped_by_load(shared_data: Path) -> None:
    readme = shared_data / "ncses_bea_tiva" / "ncses_10760_README.md"
    assert is_companion(readme)
    assert _expand([shared_data / "ncses_bea_tiva"]) == [shared_data / DATA]


# -- synthetic mock -----------------------------------------------------------------------------------------
def test_mock_parses_without_shared() -> None:
    path = MOCK / "synthetic_10760_data.csv"
    assert ncses_tiva.detect(path)
    p = ncses_tiva.parse(path)
    df = p.tables["value_added_exports"]
    assert cell(df, "all", 2021, "domestic_va") == 1020e6  # the "r" (revised) flag is dropped
    assert cell(df, "Synthetic widgets manufacturing", 2020, "imported_va") == 25e6
    widgets = df[(df["industry"] == "Synthetic widgets manufacturing") & (df["year"] == 2021)]
    assert widgets["value_usd"].isna().all()  # D: suppressed
    assert set(widgets["naics"]) == {"9999, excluding gadgets"}
    assert p.vintage == date(2024, 3, 1)  # the mock README's access date
    assert any("flag" in n for n in p.notes)
    assert is_companion(MOCK / "synthetic_10760_README.md")


def test_vintage_without_the_readme(tmp_path: Path) -> None:
    path = tmp_path / "ncses_10760_data.csv"
    path.write_bytes((MOCK / "synthetic_10760_data.csv").read_bytes())
    p = ncses_tiva.parse(path)
    assert p.vintage == ncses_tiva.DEFAULT_VINTAGE
    assert any("README not beside the file" in n for n in p.notes)


def _edit(tmp_path: Path, old: str, new: str) -> Path:
    text = (MOCK / "synthetic_10760_data.csv").read_text()
    assert old in text
    path = tmp_path / "ncses_10760_data.csv"
    path.write_text(text.replace(old, new, 1))
    return path


def test_bad_number_names_row_and_column(tmp_path: Path) -> None:
    path = _edit(tmp_path, "Total,100,180", "Total,100,1x0")
    with pytest.raises(DataFormatError) as e:
        ncses_tiva.parse(path)
    assert (e.value.row, e.value.column) == (9, "field_2021")
    assert "not a number" in str(e.value)


def test_unknown_block_heading(tmp_path: Path) -> None:
    path = _edit(tmp_path, "Imported value-added content of gross exports", "Something else")
    with pytest.raises(DataFormatError) as e:
        ncses_tiva.parse(path)
    assert (e.value.row, e.value.column) == (8, "field_2020")


def test_blocks_must_add_up(tmp_path: Path) -> None:
    path = _edit(tmp_path, "Total,100,180", "Total,100,280")  # 1020 + 280 != 1200
    with pytest.raises(DataFormatError) as e:
        ncses_tiva.parse(path)
    assert (e.value.row, e.value.column) == (9, "field_2021")
    assert "does not add up" in str(e.value)


def test_another_table_is_not_detected(tmp_path: Path) -> None:
    path = _edit(tmp_path, "10760,r001", "10761,r001")
    assert not ncses_tiva.detect(path)
