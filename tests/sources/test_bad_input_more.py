"""Bad input for the DataWeb, FT-900, WIOD and statements parsers.

Each bad file must raise DataFormatError naming the file (and, where the layout has them, the
row, column, what was expected and what was found), and leave a store that already holds good
files exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import store_fingerprint
from usmca.errors import DataFormatError
from usmca.sources import census_ft900, statements, usitc_dataweb, wiod_niot
from usmca.store import Store

DATAWEB = "usitc_dataweb_exports_by_hs2/DataWeb-Query-Export__FAS_Value.csv"
HTML = b"<!DOCTYPE html>\n<html><head><title>Error</title></head><body>Service unavailable</body></html>\n"


@pytest.fixture(scope="module")
def good_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store holding one good file of each of the four sources."""
    store = Store(tmp_path_factory.mktemp("bad-input") / "store")
    store.load(usitc_dataweb.parse(shared_data / DATAWEB))
    store.load(census_ft900.parse(shared_data / "census_ft900_exhibits" / "exh12.xlsx"))
    store.load(wiod_niot.parse(shared_data / "wiod_2016_niot" / "MEX_NIOT_nov16.xlsx"))
    for p in statements.load_bundled():
        store.load(p)
    return store


def _fails(
    store: Store,
    parse: Callable[[Path], object],
    path: Path,
    *,
    row: bool = True,
    column: bool = True,
    expected: bool = True,
    found: bool = True,
) -> DataFormatError:
    """Parse and load a bad file: DataFormatError with the details, store unchanged."""
    before = store_fingerprint(store)
    with pytest.raises(DataFormatError) as info:
        store.load(parse(path))  # type: ignore[arg-type]
    err = info.value
    assert Path(err.file).name == path.name and path.name in str(err)
    if row:
        assert err.row is not None, str(err)
    if column:
        assert err.column is not None, str(err)
    if expected:
        assert err.expected is not None, str(err)
    if found:
        assert err.found is not None, str(err)
    assert store_fingerprint(store) == before
    return err


# ---------------------------------------------------------------------------------- DataWeb


@pytest.fixture(scope="module")
def dataweb_lines(shared_data: Path) -> list[str]:
    return (shared_data / DATAWEB).read_text(encoding="utf-8").splitlines(keepends=True)


def _dw(tmp_path: Path, lines: list[str]) -> Path:
    p = tmp_path / "DataWeb-Query-Export__FAS_Value.csv"
    p.write_text("".join(lines), encoding="utf-8")
    return p


def test_dataweb_empty(good_store: Store, tmp_path: Path) -> None:
    p = _dw(tmp_path, [])
    _fails(good_store, usitc_dataweb.parse, p, row=False, column=False)


def test_dataweb_html(good_store: Store, tmp_path: Path) -> None:
    p = tmp_path / "DataWeb-Query-Export__FAS_Value.csv"
    p.write_bytes(HTML)
    err = _fails(good_store, usitc_dataweb.parse, p, column=False)
    assert "HTML" in str(err)


def test_dataweb_truncated_without_total(good_store: Store, tmp_path: Path, dataweb_lines: list[str]) -> None:
    err = _fails(good_store, usitc_dataweb.parse, _dw(tmp_path, dataweb_lines[:5000]), column=False)
    assert "Total" in str(err) and err.row == 5001


def test_dataweb_rows_missing_before_total(good_store: Store, tmp_path: Path, dataweb_lines: list[str]) -> None:
    lines = dataweb_lines[:5000] + dataweb_lines[-1:]
    err = _fails(good_store, usitc_dataweb.parse, _dw(tmp_path, lines))
    assert err.row == 2 and err.expected == "17773" and err.found == 4997


def test_dataweb_value_edited(good_store: Store, tmp_path: Path, dataweb_lines: list[str]) -> None:
    lines = list(dataweb_lines)
    assert lines[3].startswith("FAS Value,01,LIVE ANIMALS,Afghanistan,4483.00")
    lines[3] = lines[3].replace("4483.00", "5483.00")
    err = _fails(good_store, usitc_dataweb.parse, _dw(tmp_path, lines))
    assert err.column == "2020" and "Total row" in str(err)


def test_dataweb_renamed_column(good_store: Store, tmp_path: Path, dataweb_lines: list[str]) -> None:
    lines = list(dataweb_lines)
    lines[2] = lines[2].replace("Country", "Partner")
    err = _fails(good_store, usitc_dataweb.parse, _dw(tmp_path, lines))
    assert err.row == 3 and err.column == "Country" and err.found == "Partner"


def test_dataweb_non_numeric(good_store: Store, tmp_path: Path, dataweb_lines: list[str]) -> None:
    lines = list(dataweb_lines)
    lines[4] = lines[4].replace("1225298.00", "n/a")
    err = _fails(good_store, usitc_dataweb.parse, _dw(tmp_path, lines))
    assert (err.row, err.column, err.found) == (5, "2021", "n/a")


def test_dataweb_duplicated_year(good_store: Store, tmp_path: Path, dataweb_lines: list[str]) -> None:
    lines = list(dataweb_lines)
    lines[2] = lines[2].replace("2025", "2024")
    err = _fails(good_store, usitc_dataweb.parse, _dw(tmp_path, lines))
    assert "duplicated period" in str(err) and err.column == "2024"


def test_dataweb_duplicated_row(good_store: Store, tmp_path: Path, dataweb_lines: list[str]) -> None:
    lines = list(dataweb_lines)
    lines.insert(4, lines[3])
    lines[1] = lines[1].replace("17773", "17774")
    err = _fails(good_store, usitc_dataweb.parse, _dw(tmp_path, lines))
    assert "duplicated row" in str(err) and err.row == 5 and "row 4" in str(err)


def test_dataweb_unknown_country(good_store: Store, tmp_path: Path, dataweb_lines: list[str]) -> None:
    lines = list(dataweb_lines)
    lines[3] = lines[3].replace("Afghanistan", "Atlantis")
    err = _fails(good_store, usitc_dataweb.parse, _dw(tmp_path, lines))
    assert (err.row, err.column, err.found) == (4, "Country", "Atlantis")


# ---------------------------------------------------------------------------------- FT-900


def _ft900(shared_data: Path, tmp_path: Path, edit: Callable[[Worksheet], None]) -> Path:
    wb = openpyxl.load_workbook(shared_data / "census_ft900_exhibits" / "exh12.xlsx")
    edit(wb.active)
    p = tmp_path / "exh12.xlsx"
    wb.save(p)
    return p


def test_ft900_empty_html_truncated(good_store: Store, shared_data: Path, tmp_path: Path) -> None:
    p = tmp_path / "exh12.xlsx"
    p.write_bytes(b"")
    _fails(good_store, census_ft900.parse, p, row=False, column=False)
    p.write_bytes(HTML)
    _fails(good_store, census_ft900.parse, p, column=False)
    data = (shared_data / "census_ft900_exhibits" / "exh12.xlsx").read_bytes()
    p.write_bytes(data[: len(data) // 2])
    err = _fails(good_store, census_ft900.parse, p, row=False, column=False, found=False)
    assert "xlsx" in str(err)


def test_ft900_renamed_column(good_store: Store, shared_data: Path, tmp_path: Path) -> None:
    def edit(ws: Worksheet) -> None:
        assert ws["F6"].value == "Total Census Basis"
        ws["F6"] = "Total, Census"

    err = _fails(good_store, census_ft900.parse, _ft900(shared_data, tmp_path, edit))
    assert (err.row, err.column, err.found) == (6, "F", "Total, Census")


def test_ft900_non_numeric(good_store: Store, shared_data: Path, tmp_path: Path) -> None:
    def edit(ws: Worksheet) -> None:
        assert ws["A10"].value == "January"
        ws["D10"] = "n.a."

    err = _fails(good_store, census_ft900.parse, _ft900(shared_data, tmp_path, edit))
    assert err.row == 10 and err.column is not None and err.column.startswith("D")
    assert err.found == "n.a."


def test_ft900_duplicated_period(good_store: Store, shared_data: Path, tmp_path: Path) -> None:
    def edit(ws: Worksheet) -> None:
        assert ws["A11"].value == "February"
        ws["A11"] = "January"

    err = _fails(good_store, census_ft900.parse, _ft900(shared_data, tmp_path, edit))
    assert "duplicated period 2024-01" in str(err) and err.row == 11 and "row 10" in str(err)


def test_ft900_shifted_balance(good_store: Store, shared_data: Path, tmp_path: Path) -> None:
    def edit(ws: Worksheet) -> None:
        ws["D8"] = 2079777 + 5000  # exports no longer match the balance

    err = _fails(good_store, census_ft900.parse, _ft900(shared_data, tmp_path, edit))
    assert err.row == 8 and "balance" in str(err)


# ---------------------------------------------------------------------------------- WIOD


@pytest.fixture(scope="module")
def wiod_2014(shared_data: Path) -> pd.DataFrame:
    """Header rows and the 2014 block of the Mexican table, as raw cells."""
    raw = pd.read_excel(
        shared_data / "wiod_2016_niot" / "MEX_NIOT_nov16.xlsx",
        sheet_name="National IO-tables",
        header=None,
        engine="calamine",
    )
    return pd.concat([raw.iloc[:2], raw[raw[0] == 2014]], ignore_index=True)


def _wiod(tmp_path: Path, frame: pd.DataFrame) -> Path:
    p = tmp_path / "MEX_NIOT_nov16.xlsx"
    with pd.ExcelWriter(p, engine="openpyxl") as w:
        frame.to_excel(w, sheet_name="National IO-tables", header=False, index=False)
    return p


def test_wiod_small_good_file_parses(wiod_2014: pd.DataFrame, tmp_path: Path) -> None:
    p = wiod_niot.parse(_wiod(tmp_path, wiod_2014))
    assert len(p.tables["national_io"]) == 120 * 63
    assert set(p.tables["national_io"]["country"]) == {"MEX"}


def test_wiod_empty_html_truncated(good_store: Store, shared_data: Path, tmp_path: Path) -> None:
    p = tmp_path / "MEX_NIOT_nov16.xlsx"
    p.write_bytes(b"")
    _fails(good_store, wiod_niot.parse, p, row=False, column=False)
    p.write_bytes(HTML)
    _fails(good_store, wiod_niot.parse, p, column=False)
    data = (shared_data / "wiod_2016_niot" / "MEX_NIOT_nov16.xlsx").read_bytes()
    p.write_bytes(data[:200_000])
    _fails(good_store, wiod_niot.parse, p, row=False, column=False, found=False)


def test_wiod_truncated_table(good_store: Store, wiod_2014: pd.DataFrame, tmp_path: Path) -> None:
    err = _fails(good_store, wiod_niot.parse, _wiod(tmp_path, wiod_2014.iloc[:100]))
    assert "2014 has 98 rows" in str(err)


def test_wiod_renamed_column(good_store: Store, wiod_2014: pd.DataFrame, tmp_path: Path) -> None:
    frame = wiod_2014.copy()
    col = list(frame.iloc[0]).index("GFCF")
    frame.iat[0, col] = "GFKF"
    err = _fails(good_store, wiod_niot.parse, _wiod(tmp_path, frame))
    assert (err.row, err.expected, err.found) == (1, "GFCF", "GFKF")


def test_wiod_non_numeric(good_store: Store, wiod_2014: pd.DataFrame, tmp_path: Path) -> None:
    frame = wiod_2014.copy()
    frame.iat[5, 10] = "x"
    err = _fails(good_store, wiod_niot.parse, _wiod(tmp_path, frame))
    assert err.row == 6 and err.found == "x" and err.column is not None
    assert err.column.startswith("K")


def test_wiod_duplicated_row(good_store: Store, wiod_2014: pd.DataFrame, tmp_path: Path) -> None:
    frame = pd.concat([wiod_2014.iloc[:3], wiod_2014.iloc[2:3], wiod_2014.iloc[3:]], ignore_index=True)
    err = _fails(good_store, wiod_niot.parse, _wiod(tmp_path, frame))
    assert "duplicated row 2014 Domestic A01" in str(err) and err.row == 4


def test_wiod_country_mismatch(good_store: Store, wiod_2014: pd.DataFrame, tmp_path: Path) -> None:
    p = tmp_path / "MEX_NIOT_nov16.xlsx"
    with pd.ExcelWriter(p, engine="openpyxl") as w:
        pd.DataFrame([["Country", "Canada"]]).to_excel(w, sheet_name="Notes", header=False, index=False)
        wiod_2014.to_excel(w, sheet_name="National IO-tables", header=False, index=False)
    err = _fails(good_store, wiod_niot.parse, p, row=False)
    assert "CAN" in str(err)


# ---------------------------------------------------------------------------------- statements


RECORD = """\
official_statements:
  - id: bad-one
    agency: Test Agency
    country: MEX
    title: A test statement
    date: 2025-05-01
    measure: widgets_seized_kg
    period_start: 2025-01-01
    period_end: 2025-04-30
    value: 12.5
    unit: kg
    cumulative: true
"""


def _yaml(tmp_path: Path, text: str | bytes) -> Path:
    p = tmp_path / "statements.yaml"
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def test_statements_empty_html_truncated(good_store: Store, tmp_path: Path) -> None:
    _fails(good_store, statements.parse, _yaml(tmp_path, b""), row=False, column=False)
    _fails(good_store, statements.parse, _yaml(tmp_path, HTML), column=False)
    truncated = RECORD[: RECORD.index("    value:")]
    err = _fails(good_store, statements.parse, _yaml(tmp_path, truncated), found=False)
    assert err.column == "value" and "missing" in str(err)


@pytest.mark.parametrize("field", ["agency", "date", "value"])
def test_statements_missing_field(good_store: Store, tmp_path: Path, field: str) -> None:
    text = "".join(line for line in RECORD.splitlines(keepends=True) if not line.strip().startswith(f"{field}:"))
    err = _fails(good_store, statements.parse, _yaml(tmp_path, text), found=False)
    assert (err.row, err.column) == (2, field) and "bad-one" in str(err)


def test_statements_non_numeric_and_renamed(good_store: Store, tmp_path: Path) -> None:
    err = _fails(good_store, statements.parse, _yaml(tmp_path, RECORD.replace("12.5", "many")))
    assert (err.row, err.column, err.found) == (2, "value", "many")
    err = _fails(good_store, statements.parse, _yaml(tmp_path, RECORD.replace("unit: kg", "units: kg")), found=False)
    assert err.row == 2 and err.column in ("unit", "units")


def test_statements_duplicated_id(good_store: Store, tmp_path: Path) -> None:
    text = RECORD + RECORD.split("\n", 1)[1]
    err = _fails(good_store, statements.parse, _yaml(tmp_path, text))
    assert err.row == 13 and "duplicated id" in str(err)
