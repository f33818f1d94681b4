"""`usmca data pull` against fake agencies (respx) that serve responses built from the real files."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pandas as pd
import pytest
import respx
from typer.testing import CliRunner

from usmca.cli import app

runner = CliRunner()
POP = "API_SP.POP.TOTL_DS2_en_csv_v2_246068.csv"
WB_URL = "https://api.worldbank.org/v2/country/all/indicator/SP.POP.TOTL"


def recorded_wb_all(shared_data: Path) -> list:
    """The API's one-page answer for all countries, built from the REAL values of the bulk CSV
    (same vintage: lastupdated 2025-10-07), in the documented v2 layout."""
    raw = pd.read_csv(shared_data / "world_bank_wdi" / POP, skiprows=4)
    rows = []
    for rec in raw.itertuples(index=False):
        for year in (2023, 2024):
            v = raw.loc[raw["Country Code"] == rec[1], str(year)].iloc[0]
            rows.append(
                {
                    "indicator": {"id": "SP.POP.TOTL", "value": "Population, total"},
                    "country": {"id": rec[1][:2], "value": rec[0]},
                    "countryiso3code": rec[1],
                    "date": str(year),
                    "value": None if pd.isna(v) else int(v),
                    "unit": "",
                    "obs_status": "",
                    "decimal": 0,
                }
            )
    meta = {"page": 1, "pages": 1, "per_page": 20000, "total": len(rows), "sourceid": "2", "lastupdated": "2025-10-07"}
    return [meta, rows]


def test_pull_world_bank_api_then_answer(tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    payload = json.dumps(recorded_wb_all(shared_data)).encode()
    store = str(tmp_path / "s")
    monkeypatch.setenv("USMCA_HTTP_RETRIES", "0")
    with respx.mock(assert_all_called=True) as mock:
        mock.get(url__startswith=WB_URL).mock(return_value=httpx.Response(200, content=payload))
        res = runner.invoke(app, ["data", "pull", "worldbank.api", "--store", store])
    assert res.exit_code == 0, res.output
    assert "loaded" in res.output
    res = runner.invoke(
        app, ["indicators", "population", "-p", "country=MX", "-p", "year=2024", "--format", "json", "--store", store]
    )
    doc = json.loads(res.output)
    assert doc["value"] == 130_861_007
    assert doc["source"]["vintage"] == "2025-10-07"
    assert doc["sources"][0]["origin"] == "pull"


def test_pull_goes_on_when_one_agency_fails(tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Census answers 503 every time: that source is reported failed (exit 1), the World Bank still loads."""
    payload = json.dumps(recorded_wb_all(shared_data)).encode()
    store = str(tmp_path / "s")
    monkeypatch.setenv("USMCA_HTTP_RETRIES", "0")
    with respx.mock() as mock:
        mock.get("https://www.census.gov/foreign-trade/balance/country.xlsx").mock(return_value=httpx.Response(503))
        mock.get(url__startswith=WB_URL).mock(return_value=httpx.Response(200, content=payload))
        res = runner.invoke(app, ["data", "pull", "census.country", "worldbank.api", "--store", store])
    assert res.exit_code == 1
    out = " ".join(res.output.split())
    assert "failed" in out and "HTTP 503" in out
    res = runner.invoke(app, ["data", "status", "--format", "json", "--store", store])
    datasets = {s["dataset"] for s in json.loads(res.output)["sources"] if s["origin"] == "pull"}
    assert datasets == {"worldbank.api"}


def test_pull_source_without_download_is_explained(tmp_path: Path) -> None:
    res = runner.invoke(app, ["data", "pull", "dhs.usbp", "--store", str(tmp_path / "s")])
    assert res.exit_code == 2
    assert "no download address" in " ".join(res.output.split())
