"""Plausibility at load (sign, range, vintage, world totals), reloads of changed files, `data remove`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import store_fingerprint
from usmca.cli import app
from usmca.errors import DataFormatError, StoreError
from usmca.sources import cbp_encounters, census_ft900
from usmca.sources.base import ParsedFile, parsed
from usmca.store import Store
from usmca.tables import check_plausible

SBO = "cbp_encounters/sbo-encounters-fy22-fy25-aug.csv"


@pytest.fixture(scope="module")
def sbo(shared_data: Path) -> ParsedFile:
    return cbp_encounters.parse_southwest(shared_data / SBO)


@pytest.fixture(scope="module")
def exh1(shared_data: Path) -> ParsedFile:
    return census_ft900.parse(shared_data / "census_ft900_exhibits" / "exh1.xlsx")


def with_table(p: ParsedFile, table: str, df: pd.DataFrame) -> ParsedFile:
    return parsed(p.info, p.path, p.vintage, {table: df})


def trade_frame(world: float, countries: list[float]) -> pd.DataFrame:
    base = {
        "reporter": "USA",
        "partner_code": None,
        "flow": "exports",
        "basis": "census",
        "product": "goods",
        "adjustment": "nsa",
        "year": 2024,
        "month": None,
        "status": "published",
    }
    rows = [{**base, "partner": "WLD", "partner_name": "World", "partner_kind": "world", "value_usd": world}]
    for i, v in enumerate(countries):
        rows.append({**base, "partner": f"C{i}", "partner_name": f"C{i}", "partner_kind": "country", "value_usd": v})
    df = pd.DataFrame(rows)
    df["_row"] = range(10, 10 + len(df))
    return df


def test_fiscal_year_2099_refuses_the_file(store: Store, sbo: ParsedFile) -> None:
    df = sbo.tables["encounters"].copy()
    df.loc[df.index[5], "fiscal_year"] = 2099
    before = store_fingerprint(store)
    with pytest.raises(DataFormatError) as e:
        store.load(with_table(sbo, "encounters", df))
    assert e.value.column == "fiscal_year" and e.value.found == 2099
    assert e.value.row == int(df["_row"].iloc[5])
    assert store_fingerprint(store) == before


def test_year_after_the_vintage(sbo: ParsedFile) -> None:
    df = sbo.tables["encounters"]
    check_plausible("encounters", df, "f.csv", sbo.vintage)  # the real file passes
    with pytest.raises(DataFormatError, match="year after the file's vintage") as e:
        check_plausible("encounters", df, "f.csv", date(2023, 1, 1))
    assert e.value.column in ("year", "fiscal_year")


def test_negative_exports_are_refused(store: Store, exh1: ParsedFile) -> None:
    df = exh1.tables["trade"].copy()
    df.loc[df.index[3], "value_usd"] = -5e9
    with pytest.raises(DataFormatError) as e:
        store.load(with_table(exh1, "trade", df))
    assert e.value.column == "value_usd" and e.value.expected == ">= 0"
    assert not store.exists() or store.sources().empty


def test_ten_trillion_is_refused(store: Store, exh1: ParsedFile) -> None:
    df = exh1.tables["trade"].copy()
    df.loc[df.index[0], "value_usd"] = df["value_usd"].max() * 1000  # millions read as thousands
    with pytest.raises(DataFormatError, match="out of range"):
        store.load(with_table(exh1, "trade", df))


def test_partner_above_the_world_total() -> None:
    check_plausible("trade", trade_frame(100e9, [40e9, 30e9, 25e9]), "t.xlsx", date(2025, 4, 1))
    with pytest.raises(DataFormatError, match="above the world total") as e:
        check_plausible("trade", trade_frame(100e9, [40e9, 30e9 * 1000, 25e9]), "t.xlsx", date(2025, 4, 1))
    assert e.value.row == 12 and e.value.column == "value_usd"


def test_countries_adding_up_to_more_than_the_world() -> None:
    check_plausible("trade", trade_frame(100e9, [60e9, 45e9]), "t.xlsx", date(2025, 4, 1))  # within 10%
    with pytest.raises(DataFormatError, match="add up to more than the world") as e:
        check_plausible("trade", trade_frame(100e9, [60e9, 55e9]), "t.xlsx", date(2025, 4, 1))
    assert e.value.row == 10  # the world row


def current_files(store: Store) -> list[str]:
    con = duckdb.connect(str(store.db_path), read_only=True)
    try:
        return [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT s.file_name || ':' || s.sha256[:8] FROM "
                "encounters_current JOIN sources s USING (source_id)"
            ).fetchall()
        ]
    finally:
        con.close()


def test_reloading_the_genuine_file_removes_an_edited_copy(store: Store, sbo: ParsedFile, tmp_path: Path) -> None:
    genuine = store.load(sbo)
    # An edited copy under the same name that also changes the vintage (the last month dropped).
    raw = pd.read_csv(sbo.path, dtype=str, keep_default_na=False)
    raw = raw[~((raw["Fiscal Year"] == "2025 (FYTD)") & (raw["Month (abbv)"] == "AUG"))]
    raw.loc[raw.index[0], "Encounter Count"] = str(int(raw.loc[raw.index[0], "Encounter Count"]) + 7)
    edited_path = tmp_path / sbo.path.name
    raw.to_csv(edited_path, index=False)
    edited = cbp_encounters.parse_southwest(edited_path)
    assert edited.vintage != sbo.vintage
    assert store.load(edited).status == "loaded"
    again = store.load(sbo)
    assert again.status == "replaced" and again.source_id == genuine.source_id
    assert list(store.sources()["source_id"]) == [genuine.source_id]
    assert current_files(store) == [f"{sbo.path.name}:{sbo.sha256[:8]}"]
    assert store.load(sbo).status == "unchanged"


def test_remove_a_source(store: Store, sbo: ParsedFile, exh1: ParsedFile) -> None:
    store.load(sbo)
    store.load(exh1)
    assert store.remove(sbo.source_id) == [sbo.source_id]
    assert list(store.sources()["dataset"]) == ["census.ft900"]
    assert current_files(store) == []
    with pytest.raises(StoreError, match="no source"):
        store.remove(sbo.source_id)


def test_cli_data_remove(store: Store, exh1: ParsedFile) -> None:
    store.load(exh1)
    res = CliRunner().invoke(app, ["data", "remove", "census.ft900", "--store", str(store.root)])
    assert res.exit_code == 0, res.output
    assert exh1.source_id in res.output
    assert store.sources().empty
    con = duckdb.connect(str(store.db_path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM trade_current").fetchone() == (0,)
    finally:
        con.close()
    res = CliRunner().invoke(app, ["data", "remove", "nothing@0", "--store", str(store.root)])
    assert res.exit_code == 2 and "no source" in res.output
