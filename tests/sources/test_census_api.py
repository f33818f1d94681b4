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
