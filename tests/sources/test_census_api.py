"""Census International Trade API client, tested with respx (no network).

The recorded response is BUILT FROM REAL VALUES: U.S. exports to Mexico by HS chapter, 2024, in
US dollars, from the USITC DataWeb export of Census data in
shared/data/usitc_dataweb_exports_by_hs2/DataWeb-Query-Export__FAS_Value.csv (MANIFEST section 8),
laid out as the API answers `get=CTY_CODE,CTY_NAME,ALL_VAL_YR,E_COMMODITY&time=2024-12&
COMM_LVL=HS2&CTY_CODE=2010` (the header first, predicate variables appended).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pandas as pd
import pytest
import respx

from usmca.errors import DataFormatError
from usmca.sources import census_api
from usmca.store import Store, open_reader

EXPORTS = "https://api.census.gov/data/timeseries/intltrade/exports/hs"


def dataweb_mexico_2024(shared_data: Path) -> pd.DataFrame:
    path = shared_data / "usitc_dataweb_exports_by_hs2" / "DataWeb-Query-Export__FAS_Value.csv"
    raw = pd.read_csv(path, skiprows=2, dtype={"HTS Number": str})
    raw = raw[raw["Country"] == "Mexico"]  # drops the trailing "Total:" row too
    out = raw[["HTS Number", "2024"]].rename(columns={"HTS Number": "hs", "2024": "usd"})
    out["usd"] = pd.to_numeric(out["usd"])
    return out


def recorded_exports_mexico_2024_from_dataweb(shared_data: Path) -> list[list[str]]:
    rows = dataweb_mexico_2024(shared_data)
    header = ["CTY_CODE", "CTY_NAME", "ALL_VAL_YR", "E_COMMODITY", "time", "COMM_LVL", "CTY_CODE"]
    body = [
        ["2010", "MEXICO", f"{v:.0f}", hs, "2024-12", "HS2", "2010"]
        for hs, v in zip(rows["hs"], rows["usd"], strict=True)
        if v != 0
    ]
    return [header, *body]


@pytest.fixture(scope="module")
def payload(shared_data: Path) -> list[list[str]]:
    return recorded_exports_mexico_2024_from_dataweb(shared_data)


def test_fetch_hs_annual_exports_to_mexico(payload: list[list[str]], tmp_path: Path) -> None:
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(EXPORTS).mock(return_value=httpx.Response(200, json=payload))
        df = census_api.fetch_hs("exports", 2024, partner_code="2010", key="", cache_dir=tmp_path, sleep=lambda s: None)
    params = route.calls.last.request.url.params
    assert params["get"] == "CTY_CODE,CTY_NAME,ALL_VAL_YR,E_COMMODITY"
    assert params["time"] == "2024-12"
    assert params["COMM_LVL"] == "HS2"
    assert params["CTY_CODE"] == "2010"
    assert "key" not in params
    assert set(df["partner"]) == {"MEX"}
    assert set(df["flow"]) == {"exports"}
    assert set(df["basis"]) == {"census"}
    assert df["month"].isna().all()  # annual: the December year-to-date value
    assert len(df) == len(payload) - 1
    # Top chapters (MANIFEST section 8, $ million): 85 electrical machinery 55,639.1; 84 machinery
    # 52,285.1; 27 mineral fuels 41,153.1.
    by = df.set_index("product")["value_usd"]
    assert by["HS2:85"] == pytest.approx(55_639.1e6, abs=0.05e6)
    assert by["HS2:84"] == pytest.approx(52_285.1e6, abs=0.05e6)
    assert by["HS2:27"] == pytest.approx(41_153.1e6, abs=0.05e6)
    # The chapters add up to the checked Mexico total, 334,031.9 $ million (US dollars stored).
    assert df["value_usd"].sum() == pytest.approx(334_031.9e6, abs=0.05e6)
    # The response was saved by fetch() with its sidecar.
    saved = tmp_path / "census-api-exports-hs2-2024-2010.json"
    assert saved.exists() and saved.with_name(saved.name + ".meta.json").exists()


def test_api_key_from_the_environment(
    payload: list[list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CENSUS_API_KEY", "abc123")
    with respx.mock() as mock:
        route = mock.get(EXPORTS).mock(return_value=httpx.Response(200, json=payload))
        census_api.fetch_hs("exports", 2024, partner_code="2010", cache_dir=tmp_path)
    assert route.calls.last.request.url.params["key"] == "abc123"


def test_fetch_hs_retries_429_then_succeeds(payload: list[list[str]], tmp_path: Path) -> None:
    sleeps: list[float] = []
    with respx.mock() as mock:
        mock.get(EXPORTS).mock(
            side_effect=[
                httpx.Response(429, headers={"Retry-After": "3"}),
                httpx.Response(500),
                httpx.Response(200, json=payload),
            ]
        )
        df = census_api.fetch_hs("exports", 2024, partner_code="2010", key="", cache_dir=tmp_path, sleep=sleeps.append)
    assert sleeps[0] == 3.0
    assert len(sleeps) == 2
    assert len(df) == len(payload) - 1


def test_no_content_is_an_empty_frame(tmp_path: Path) -> None:
    with respx.mock() as mock:
        mock.get(EXPORTS).mock(return_value=httpx.Response(204))
        df = census_api.fetch_hs("exports", 2024, month=3, partner_code="2010", key="", cache_dir=tmp_path)
    assert df.empty
    assert "value_usd" in df.columns


def test_saved_response_loads_into_the_store(payload: list[list[str]], tmp_path: Path) -> None:
    path = tmp_path / "census-api-exports-hs2-2024-2010.json"
    path.write_text(json.dumps(payload))
    assert census_api.detect(path)
    p = census_api.parse(path)
    assert p.info.id == "census.api"
    assert p.vintage.isoformat() == "2025-02-01"  # no sidecar: December published in February
    store = Store(tmp_path / "store")
    assert store.load(p).status == "loaded"
    reader = open_reader(store, use_snapshot=False)
    try:
        total = reader.one(
            "SELECT sum(value_usd) FROM trade WHERE dataset = 'census.api' "
            "AND partner = 'MEX' AND year = 2024 AND month IS NULL"
        )
    finally:
        reader.close()
    assert total == pytest.approx(334_031.9e6, abs=0.05e6)


def test_monthly_values_and_year_to_date() -> None:
    # Year-to-date values before December are not calendar-year totals and are skipped.
    header = ["CTY_CODE", "CTY_NAME", "ALL_VAL_MO", "ALL_VAL_YR", "E_COMMODITY", "time"]
    df = census_api.parse_api_json([header, ["2010", "MEXICO", "5", "50", "85", "2024-11"]])
    assert df["month"].tolist() == [11]
    df = census_api.parse_api_json([header, ["2010", "MEXICO", "5", "60", "85", "2024-12"]])
    assert sorted(df["month"].fillna(0).astype(int)) == [0, 12]


def test_partners_groups_and_flows() -> None:
    header = ["CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "I_COMMODITY", "time"]
    df = census_api.parse_api_json(
        [
            header,
            ["-", "TOTAL FOR ALL COUNTRIES", "1", "85", "2024-01"],
            ["0003", "EUROPEAN UNION", "1", "85", "2024-01"],
            ["1XXX", "NORTH AMERICA", "1", "85", "2024-01"],
            ["5800", "KOREA, SOUTH", "1", "85", "2024-01"],
        ]
    )
    assert set(df["flow"]) == {"imports"}
    assert df["partner"].tolist() == ["WLD", "G:0003", "G:1XXX", "KOR"]
    assert df["partner_kind"].tolist() == ["world", "group", "group", "country"]


def test_unknown_country_code_names_row_and_column(payload: list[list[str]]) -> None:
    bad = [payload[0], ["9999", "ATLANTIS", "1", "85", "2024-12", "HS2", "9999"]]
    with pytest.raises(DataFormatError) as e:
        census_api.parse_api_json(bad, source="census-api-x.json")
    assert e.value.row == 2 and e.value.column == "CTY_CODE"
    assert "census-api-x.json" in str(e.value)


def test_bad_flow() -> None:
    with pytest.raises(ValueError):
        census_api.fetch_hs("reexports", 2024)


# -- detail-level responses (HS6/HS10, by customs district): `trade_detail` -------------------------
# SYNTHETIC values (named so), laid out as the API answers
# get=CTY_CODE,CTY_NAME,ALL_VAL_MO,E_COMMODITY,QTY_1_MO,UNIT_QY1,QTY_2_MO,UNIT_QY2,DISTRICT,DIST_NAME
# &time=from 2024-01 to 2024-12&COMM_LVL=HS6&CTY_CODE=2010 (predicates appended).
DETAIL_HEADER = [
    "CTY_CODE",
    "CTY_NAME",
    "ALL_VAL_MO",
    "E_COMMODITY",
    "QTY_1_MO",
    "UNIT_QY1",
    "QTY_2_MO",
    "UNIT_QY2",
    "DISTRICT",
    "DIST_NAME",
    "time",
    "COMM_LVL",
    "CTY_CODE",
]
SYNTHETIC_DETAIL = [
    DETAIL_HEADER,
    ["2010", "MEXICO", "1250000", "870323", "40", "NO", "0", "-", "23", "LAREDO, TX", "2024-01", "HS6", "2010"],
    ["2010", "MEXICO", "750000", "870323", "25", "NO", "0", "-", "24", "EL PASO, TX", "2024-01", "HS6", "2010"],
    ["2010", "MEXICO", "990000", "852859", "310", "NO", "2100", "KG", "23", "LAREDO, TX", "2024-02", "HS6", "2010"],
]


def test_fetch_detail_asks_for_districts_and_quantities(tmp_path: Path) -> None:
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(EXPORTS).mock(return_value=httpx.Response(200, json=SYNTHETIC_DETAIL))
        df = census_api.fetch_detail(
            "exports", 2024, partner_code="2010", district="*", key="", cache_dir=tmp_path, sleep=lambda s: None
        )
    params = route.calls.last.request.url.params
    assert params["get"] == (
        "CTY_CODE,CTY_NAME,ALL_VAL_MO,E_COMMODITY,QTY_1_MO,UNIT_QY1,QTY_2_MO,UNIT_QY2,DISTRICT,DIST_NAME"
    )
    assert params["time"] == "from 2024-01 to 2024-12"
    assert params["COMM_LVL"] == "HS6" and params["CTY_CODE"] == "2010"
    assert "DISTRICT" not in params  # every district: a variable, not a predicate
    assert df[["commodity", "district", "month", "value_usd"]].values.tolist() == [
        ["870323", "23", 1, 1250000.0],
        ["870323", "24", 1, 750000.0],
        ["852859", "23", 2, 990000.0],
    ]
    assert set(df["partner"]) == {"MEX"} and set(df["classification"]) == {"schedule_b"}
    assert df["quantity_1"].tolist() == [40.0, 25.0, 310.0] and df["unit_1"].tolist() == ["NO", "NO", "NO"]
    assert df["quantity_2"].isna().tolist() == [True, True, False]  # UNIT_QY2 '-': no second quantity
    assert df["district_name"].tolist()[0] == "LAREDO, TX"
    assert (tmp_path / "census-api-exports-hs6-2024-2010-dall.json").exists()


def test_fetch_detail_imports_one_district_and_code(tmp_path: Path) -> None:
    imports = "https://api.census.gov/data/timeseries/intltrade/imports/hs"
    header = [
        "CTY_CODE",
        "CTY_NAME",
        "GEN_VAL_MO",
        "I_COMMODITY",
        "CON_VAL_MO",
        "GEN_QY1_MO",
        "UNIT_QY1",
        "GEN_QY2_MO",
        "UNIT_QY2",
        "DISTRICT",
        "DIST_NAME",
        "time",
        "COMM_LVL",
        "DISTRICT",
        "I_COMMODITY",
    ]
    body = ["2010", "MEXICO", "5000", "8703230190", "4800", "2", "NO", "0", "-", "23", "LAREDO, TX", "2024-03"]
    with respx.mock() as mock:
        route = mock.get(imports).mock(
            return_value=httpx.Response(200, json=[header, [*body, "HS10", "23", "8703230190"]])
        )
        df = census_api.fetch_detail(
            "imports", 2024, 3, level="HS10", district="23", commodity="870323*", key="", cache_dir=tmp_path
        )
    params = route.calls.last.request.url.params
    assert params["DISTRICT"] == "23" and params["I_COMMODITY"] == "870323*" and params["time"] == "2024-03"
    r = df.iloc[0]
    assert (r["commodity_level"], r["classification"], r["value_usd"], r["consumption_value_usd"]) == (
        "HS10",
        "hts",
        5000.0,
        4800.0,
    )


def test_detail_levels_are_refused_by_fetch_hs_and_aggregates_by_fetch_detail() -> None:
    with pytest.raises(ValueError, match="fetch_detail"):
        census_api.fetch_hs("exports", 2024, level="HS6")
    with pytest.raises(ValueError, match="HS6 or HS10"):
        census_api.fetch_detail("exports", 2024, level="HS2")
    with pytest.raises(ValueError, match="district"):
        census_api.fetch_detail("exports", 2024, district="Laredo")


def test_the_real_aggregate_response_still_goes_to_trade_only(payload: list[list[str]]) -> None:
    tables = census_api.parse_api_tables(payload)
    assert tables["trade_detail"].empty
    assert tables["trade"]["value_usd"].sum() == pytest.approx(334_031.9e6, abs=0.05e6)


def test_a_detail_code_of_the_wrong_length_names_row_and_column() -> None:
    bad = [
        DETAIL_HEADER,
        ["2010", "MEXICO", "1", "87032", "0", "-", "0", "-", "23", "LAREDO, TX", "2024-01", "HS6", "2010"],
    ]
    with pytest.raises(DataFormatError) as e:
        census_api.parse_api_tables(bad, source="census-api-x.json")
    assert e.value.row == 2 and e.value.column == "E_COMMODITY" and "6-digit" in str(e.value)
    bad = [DETAIL_HEADER, ["2010", "MEXICO", "1", "870323", "0", "-", "0", "-", "LRD", "", "2024-01", "HS6", "2010"]]
    with pytest.raises(DataFormatError) as e:
        census_api.parse_api_tables(bad, source="census-api-x.json")
    assert e.value.column == "DISTRICT" and e.value.found == "LRD"
    dup = [DETAIL_HEADER, SYNTHETIC_DETAIL[1], SYNTHETIC_DETAIL[1]]
    with pytest.raises(DataFormatError, match="first at row 2") as e:
        census_api.parse_api_tables(dup, source="census-api-x.json")
    assert e.value.row == 3


def test_a_saved_detail_response_loads_into_partitions(tmp_path: Path) -> None:
    path = tmp_path / "census-api-exports-hs6-2024-2010-dall.json"
    path.write_text(json.dumps(SYNTHETIC_DETAIL))
    assert census_api.detect(path)
    p = census_api.parse(path)
    assert set(p.tables) == {"trade_detail"}
    assert p.vintage.isoformat() == "2024-04-01"  # latest month February, published early April
    store = Store(tmp_path / "store")
    assert store.load(p).status == "loaded"
    assert store.load(p).status == "unchanged"
    reader = open_reader(store, use_snapshot=False)
    try:
        got = reader.one("SELECT sum(value_usd) FROM trade_detail WHERE partner = 'MEX' AND district = '23'")
        n = reader.one("SELECT count(*) FROM detail_files")
    finally:
        reader.close()
    assert got == 1250000.0 + 990000.0 and n == 2
