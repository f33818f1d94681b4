"""World Bank WDI bulk CSVs and the API client (MANIFEST section 6)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import pandas as pd
import pytest
import respx

from usmca.errors import DataFormatError
from usmca.sources import worldbank
from usmca.sources.base import ParsedFile

POP = "API_SP.POP.TOTL_DS2_en_csv_v2_246068.csv"
GDP = "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_273193.csv"


@pytest.fixture(scope="module")
def pop(shared_data: Path) -> ParsedFile:
    return worldbank.parse(shared_data / "world_bank_wdi" / POP)


@pytest.fixture(scope="module")
def gdp(shared_data: Path) -> ParsedFile:
    return worldbank.parse(shared_data / "world_bank_wdi" / GDP)


def value(df: pd.DataFrame, iso3: str, year: int) -> float:
    rows = df[(df["iso3"] == iso3) & (df["year"] == year)]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


@pytest.mark.parametrize(
    ("iso3", "y2023", "y2024"),
    [
        ("USA", 336_806_231, 340_110_988),
        ("MEX", 129_739_759, 130_861_007),
        ("CAN", 40_083_484, 41_288_599),
        ("CHN", 1_410_710_000, 1_408_975_000),
    ],
)
def test_checked_population(pop: ParsedFile, iso3: str, y2023: int, y2024: int) -> None:
    df = pop.tables["population"]
    assert value(df, iso3, 2023) == y2023
    assert value(df, iso3, 2024) == y2024


def test_checked_gdp(gdp: ParsedFile) -> None:
    df = gdp.tables["population"]
    assert set(df["indicator"]) == {"NY.GDP.MKTP.CD"}
    assert value(df, "USA", 2024) == pytest.approx(29.18e12, rel=5e-4)
    assert value(df, "MEX", 2024) == pytest.approx(1.853e12, rel=5e-4)
    # GDP's own country metadata is not in the folder: the population file's is used.
    assert any("Metadata_Country_API_SP.POP.TOTL" in n for n in gdp.notes)


def test_vintage_and_kinds(pop: ParsedFile) -> None:
    assert pop.vintage == date(2025, 10, 7)  # "Last Updated Date","2025-10-07"
    df = pop.tables["population"]
    assert set(df["indicator"]) == {"SP.POP.TOTL"}
    kinds = df.drop_duplicates("iso3").set_index("iso3")["kind"]
    assert kinds["WLD"] == "aggregate"
    assert kinds["EUU"] == "aggregate"
    assert kinds["HIC"] == "aggregate"
    assert kinds["MEX"] == "country"
    assert kinds["XKX"] == "country"  # Kosovo has a region
    assert (df["year"].min(), df["year"].max()) == (1960, 2024)
    assert df["value"].notna().all()  # empty cells are not stored


def test_detect(shared_data: Path) -> None:
    folder = shared_data / "world_bank_wdi"
    assert worldbank.detect(folder / POP)
    assert worldbank.detect(folder / GDP)
    for meta in folder.glob("Metadata_*.csv"):
        assert not worldbank.detect(meta)


def test_missing_metadata_is_an_error(shared_data: Path, tmp_path: Path) -> None:
    lone = tmp_path / POP
    lone.write_bytes((shared_data / "world_bank_wdi" / POP).read_bytes())
    with pytest.raises(DataFormatError, match="Metadata_Country"):
        worldbank.parse(lone)


# -- API ------------------------------------------------------------------------------------------
def recorded_api_pages(shared_data: Path) -> list[list]:
    """A World Bank API v2 response, built from the REAL values of the bulk CSV (MEX and CAN,
    SP.POP.TOTL, 2020-2024; the same values the API serves for this vintage), split in two pages
    to exercise pagination. Layout as documented for /v2/country/{codes}/indicator/{id}."""
    raw = pd.read_csv(shared_data / "world_bank_wdi" / POP, skiprows=4)
    rows = []
    for iso3, iso2 in (("MEX", "MX"), ("CAN", "CA")):
        rec = raw[raw["Country Code"] == iso3].iloc[0]
        for year in range(2024, 2019, -1):
            rows.append(
                {
                    "indicator": {"id": "SP.POP.TOTL", "value": "Population, total"},
                    "country": {"id": iso2, "value": rec["Country Name"]},
                    "countryiso3code": iso3,
                    "date": str(year),
                    "value": int(rec[str(year)]),
                    "unit": "",
                    "obs_status": "",
                    "decimal": 0,
                }
            )
    rows.append(
        {  # a year without data: value null
            "indicator": {"id": "SP.POP.TOTL", "value": "Population, total"},
            "country": {"id": "MX", "value": "Mexico"},
            "countryiso3code": "MEX",
            "date": "2025",
            "value": None,
            "unit": "",
            "obs_status": "",
            "decimal": 0,
        }
    )
    meta = {"pages": 2, "per_page": 6, "total": len(rows), "sourceid": "2", "lastupdated": "2025-10-07"}
    return [[{**meta, "page": 1}, rows[:6]], [{**meta, "page": 2}, rows[6:]]]


def test_fetch_indicator_api_paginates(shared_data: Path, tmp_path: Path) -> None:
    pages = recorded_api_pages(shared_data)
    url = "https://api.worldbank.org/v2/country/MEX;CAN/indicator/SP.POP.TOTL"
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(url).mock(
            side_effect=lambda req: httpx.Response(200, json=pages[int(req.url.params["page"]) - 1])
        )
        df = worldbank.fetch_indicator_api("SP.POP.TOTL", ["MEX", "CAN"], cache_dir=tmp_path, sleep=lambda s: None)
    assert route.call_count == 2
    for call in route.calls:
        assert call.request.url.params["format"] == "json"
        assert call.request.url.params["per_page"] == "20000"
    assert list(df.columns) == ["iso3", "name", "kind", "indicator", "year", "value"]
    assert len(df) == 10  # the null 2025 value is dropped
    mex = df[(df["iso3"] == "MEX") & (df["year"] == 2024)]
    assert float(mex["value"].iloc[0]) == 130_861_007
    assert set(df["kind"]) == {"country"}
    # Same rows as the bulk CSV.
    bulk = worldbank.parse(shared_data / "world_bank_wdi" / POP).tables["population"]
    merged = df.merge(bulk, on=["iso3", "year", "indicator"], suffixes=("_api", "_csv"))
    assert len(merged) == 10
    assert (merged["value_api"] == merged["value_csv"]).all()


def test_fetch_indicator_api_retries_server_errors(shared_data: Path, tmp_path: Path) -> None:
    page = recorded_api_pages(shared_data)[0]
    page[0]["pages"] = 1
    url = "https://api.worldbank.org/v2/country/MEX/indicator/SP.POP.TOTL"
    sleeps: list[float] = []
    with respx.mock() as mock:
        mock.get(url).mock(side_effect=[httpx.Response(503), httpx.Response(200, json=page)])
        df = worldbank.fetch_indicator_api("SP.POP.TOTL", ["MEX"], cache_dir=tmp_path, sleep=sleeps.append)
    assert len(sleeps) == 1
    assert len(df) == 6  # the first page: 5 rows of Mexico, 1 of Canada


def test_api_error_message_is_a_data_format_error() -> None:
    payload = [
        {"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}
    ]
    with pytest.raises(DataFormatError, match="Invalid value"):
        worldbank.parse_api_json(payload)


def test_api_non_numeric_value() -> None:
    row = {
        "indicator": {"id": "SP.POP.TOTL"},
        "country": {"id": "MX", "value": "Mexico"},
        "countryiso3code": "MEX",
        "date": "2024",
        "value": "lots",
    }
    with pytest.raises(DataFormatError) as e:
        worldbank.parse_api_json([{"pages": 1}, [row]])
    assert e.value.row == 1 and e.value.column == "value"


def test_api_aggregates_flagged() -> None:
    row = {
        "indicator": {"id": "SP.POP.TOTL"},
        "country": {"id": "1W", "value": "World"},
        "countryiso3code": "WLD",
        "date": "2024",
        "value": 8.1e9,
    }
    df = worldbank.parse_api_json([{"pages": 1}, [row]])
    assert df["kind"].tolist() == ["aggregate"]
    assert json.dumps(df.drop(columns="_row").to_dict("records"))  # plain values
