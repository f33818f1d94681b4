"""FRED series: BLS CES employment and the Census/BEA trade balance (MANIFEST sections 12 and 13).

Real files are read from ../shared/data; the files under tests/sources/mock/fred/ are synthetic
(invented values in FRED's `date,value` layout) so that the parser is also tested without ../shared.
The API client is tested with respx (no network): its recorded responses are synthetic too.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import pandas as pd
import pytest
import respx

from usmca.errors import DataFormatError, FetchError
from usmca.sources import detect_source, fred
from usmca.sources.base import is_companion
from usmca.store import Store, open_reader

MOCK = Path(__file__).parent / "mock" / "fred"
EMPLOYMENT = "fred_bls_employment"


def value(df: pd.DataFrame, y: int, m: int) -> float:
    row = df[(df["year"] == y) & (df["month"] == m)]
    assert len(row) == 1
    return float(row["value"].iloc[0])


# -- the real files ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "checked"),
    [
        ("MANEMP", {(2019, 1): 12790, (2024, 12): 12693, (2025, 1): 12673, (2025, 12): 12580, (2026, 7): 12611}),
        ("PAYEMS", {(2019, 1): 150059, (2024, 12): 158316, (2025, 1): 158268, (2025, 12): 158432, (2026, 7): 158858}),
        (
            "CES3133600101",
            {(2019, 1): 1012.5, (2024, 12): 987.8, (2025, 1): 975.5, (2025, 12): 951.0, (2026, 7): 964.5},
        ),
    ],
)
def test_checked_employment_values(shared_data: Path, name: str, checked: dict[tuple[int, int], float]) -> None:
    path = shared_data / EMPLOYMENT / f"{name}.csv"
    assert detect_source(path).id == "fred.bls"
    p = fred.parse(path)
    df = p.tables["series"]
    for (y, m), v in checked.items():
        assert value(df, y, m) == v
    assert set(df["series_id"]) == {name}
    assert set(df["frequency"]) == {"monthly"}
    assert set(df["seasonal_adjustment"]) == {"sa"}
    assert set(df["units"]) == {"thousands of persons"}
    assert p.info.url == f"https://fred.stlouisfed.org/series/{name}"
    assert "Bureau of Labor Statistics" in p.info.agency and "FRED" in p.info.agency
    assert p.vintage == date(2026, 8, 1)  # latest month July 2026: BLS publishes it early in August
    assert any("does not measure jobs created or supported by trade" in n for n in p.notes)


def test_manemp_coverage_and_the_2025_fall(shared_data: Path) -> None:
    df = fred.parse(shared_data / EMPLOYMENT / "MANEMP.csv").tables["series"]
    assert (int(df["year"].iloc[0]), int(df["month"].iloc[0])) == (1970, 1)
    assert (int(df["year"].iloc[-1]), int(df["month"].iloc[-1])) == (2026, 7)
    assert len(df) == 679
    assert value(df, 2025, 12) - value(df, 2025, 1) == -93  # thousand: the manifest's 93,000 fall


def test_bopgstb_is_its_own_dataset(shared_data: Path) -> None:
    path = shared_data / "fred_bea_trade_balance" / "BOPGSTB.csv"
    info = detect_source(path)
    assert info.id == "fred.bopgstb"
    p = fred.parse(path)
    df = p.tables["series"]
    assert "Census" in p.info.agency and "Economic Analysis" in p.info.agency
    assert set(df["units"]) == {"millions of US dollars"}
    sums = df.groupby("year")["value"].sum()
    assert sums[2023] == -749_593
    assert sums[2024] == -885_471
    assert sums[2025] == -931_960
    assert sums[2026] == -371_228  # January-June
    assert value(df, 2026, 1) == -54_185
    assert value(df, 2026, 5) == -77_647
    assert p.vintage == date(2026, 8, 1)  # June 2026 + two months


def test_real_files_load_into_the_store(shared_data: Path, store: Store) -> None:
    for name in ("MANEMP", "PAYEMS"):
        store.load(fred.parse(shared_data / EMPLOYMENT / f"{name}.csv"))
    store.load(fred.parse(shared_data / "fred_bea_trade_balance" / "BOPGSTB.csv"))
    r = open_reader(store, use_snapshot=False)
    got = r.df("SELECT series_id, count(*) AS n FROM series GROUP BY 1 ORDER BY 1")
    assert dict(zip(got["series_id"], got["n"], strict=True)) == {"BOPGSTB": 414, "MANEMP": 679, "PAYEMS": 679}
    src = r.df("SELECT dataset, url FROM sources ORDER BY url")
    assert list(src["url"]) == [f"https://fred.stlouisfed.org/series/{s}" for s in ("BOPGSTB", "MANEMP", "PAYEMS")]
    assert list(src["dataset"]) == ["fred.bopgstb", "fred.bls", "fred.bls"]


# -- the synthetic mock files (no ../shared needed) ---------------------------------------------------------
def test_mock_parses_without_shared() -> None:
    p = fred.parse(MOCK / "synthetic_older" / "MANEMP.csv")
    df = p.tables["series"]
    # "." (no value) is not stored; rows keep their line in the file
    assert list(zip(df["year"], df["month"], df["value"], df["_row"], strict=True)) == [
        (2024, 10, 1000.0, 2),
        (2024, 11, 1010.5, 3),
        (2025, 1, 990.0, 5),
    ]
    assert p.vintage == date(2025, 2, 1)
    assert p.info.id == "fred.bls"


def test_generic_series_from_the_file_name() -> None:
    path = MOCK / "SYNTHETIC01.csv"
    info = detect_source(path)
    assert info.id == "fred.series"
    p = fred.parse(path)
    df = p.tables["series"]
    assert set(df["series_id"]) == {"SYNTHETIC01"}
    assert set(df["frequency"]) == {"quarterly"}
    assert set(df["seasonal_adjustment"]) == {"unknown"}
    assert list(df["value"]) == [-1.5, 2.25, 3.0]
    assert p.info.url == "https://fred.stlouisfed.org/series/SYNTHETIC01"


def test_newest_vintage_wins_per_month(store: Store) -> None:
    store.load(fred.parse(MOCK / "synthetic_newer" / "MANEMP.csv"))  # vintage 2025-03-01
    store.load(fred.parse(MOCK / "synthetic_older" / "MANEMP.csv"))  # vintage 2025-02-01, loaded later
    r = open_reader(store, use_snapshot=False)
    cur = r.df("SELECT year, month, value FROM series WHERE series_id = 'MANEMP' ORDER BY year, month")
    got = {(int(y), int(m)): float(v) for y, m, v in zip(cur["year"], cur["month"], cur["value"], strict=True)}
    # Jan 2025 revised from 990 to 995 by the newer file; Oct/Nov 2024 only in the older one
    assert got == {(2024, 10): 1000.0, (2024, 11): 1010.5, (2024, 12): 1005.0, (2025, 1): 995.0, (2025, 2): 997.5}


def test_sidecar_retrieval_date_is_the_vintage(tmp_path: Path) -> None:
    path = tmp_path / "MANEMP.csv"
    path.write_bytes((MOCK / "synthetic_newer" / "MANEMP.csv").read_bytes())
    (tmp_path / "MANEMP.csv.meta.json").write_text(json.dumps({"retrieved_at": "2025-03-07T12:00:00+00:00"}))
    assert fred.parse(path).vintage == date(2025, 3, 7)


def test_detection_needs_the_header_and_an_id_name(tmp_path: Path) -> None:
    other = tmp_path / "MANEMP.csv"
    other.write_text("DATE,MANEMP\n2025-01-01,1\n")
    assert fred.series_id_of(other) is None
    lower = tmp_path / "manemp-export.csv"
    lower.write_text("date,value\n2025-01-01,1\n")
    assert fred.series_id_of(lower) is None
    assert fred.series_id_of(MOCK / "synthetic_newer" / "MANEMP.csv") == "MANEMP"


# -- bad rows --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "row", "column", "what"),
    [
        ("date,value\n2025-01-01,12.5\n2025-02-01,abc\n", 3, "value", "not a number"),
        ("date,value\n2025-01-01,12.5\n02/01/2025,12.6\n", 3, "date", "not a date"),
        ("date,value\n2025-01-01,12.5\n2025-13-01,12.6\n", 3, "date", "not a date"),
        ("date,value\n2025-01-15,12.5\n", 2, "date", "not the first day"),
        ("date,value\n2025-01-01,12.5\n2025-01-01,12.6\n", 3, "date", "listed twice"),
    ],
)
def test_bad_rows_name_file_row_and_column(tmp_path: Path, body: str, row: int, column: str, what: str) -> None:
    path = tmp_path / "MANEMP.csv"
    path.write_text(body)
    with pytest.raises(DataFormatError) as e:
        fred.parse(path)
    assert e.value.row == row
    assert e.value.column == column
    assert what in str(e.value)
    assert "MANEMP.csv" in str(e.value)


def test_truncated_and_empty_files(tmp_path: Path) -> None:
    path = tmp_path / "PAYEMS.csv"
    path.write_text("date,value\n2025-01-01,158268\n2025-02-01,1582")  # no final line break
    with pytest.raises(DataFormatError, match="truncated"):
        fred.parse(path)
    path.write_text("date,value\n2025-01-01,.\n")
    with pytest.raises(DataFormatError, match="no observations"):
        fred.parse(path)


# -- the FRED API (respx) ------------------------------------------------------------------------------------
SYNTHETIC_RESPONSE = {
    "realtime_start": "2025-03-07",
    "realtime_end": "2025-03-07",
    "units": "lin",
    "file_type": "json",
    "count": 3,
    "observations": [
        {"realtime_start": "2025-03-07", "realtime_end": "2025-03-07", "date": "2024-12-01", "value": "1005.0"},
        {"realtime_start": "2025-03-07", "realtime_end": "2025-03-07", "date": "2025-01-01", "value": "995.0"},
        {"realtime_start": "2025-03-07", "realtime_end": "2025-03-07", "date": "2025-02-01", "value": "."},
    ],
}


def test_api_pull_sends_series_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRED_API_KEY", "k123")
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(fred.API_URL).mock(return_value=httpx.Response(200, json=SYNTHETIC_RESPONSE))
        df = fred.fetch_series_api("manemp", cache_dir=tmp_path, sleep=lambda s: None)
    params = route.calls.last.request.url.params
    assert params["series_id"] == "MANEMP"
    assert params["file_type"] == "json"
    assert params["api_key"] == "k123"
    assert list(df["value"]) == [1005.0, 995.0]  # "." is no value
    assert set(df["title"]) == {"All employees, manufacturing"}
    saved = tmp_path / "fred-api-MANEMP.json"
    assert saved.exists()
    # the saved response is a loadable file of the same dataset, its vintage FRED's realtime_end
    assert detect_source(saved).id == "fred.bls"
    p = fred.parse(saved)
    assert p.vintage == date(2025, 3, 7)
    assert len(p.tables["series"]) == 2


def test_api_key_is_optional(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    with respx.mock() as mock:
        route = mock.get(fred.API_URL).mock(return_value=httpx.Response(200, json=SYNTHETIC_RESPONSE))
        fred.fetch_series_api("PAYEMS", cache_dir=tmp_path, sleep=lambda s: None)
    assert "api_key" not in route.calls.last.request.url.params


def test_api_retries_then_succeeds(tmp_path: Path) -> None:
    sleeps: list[float] = []
    with respx.mock() as mock:
        mock.get(fred.API_URL).mock(
            side_effect=[
                httpx.Response(429, headers={"Retry-After": "2"}),
                httpx.Response(200, json=SYNTHETIC_RESPONSE),
            ]
        )
        df = fred.fetch_series_api("BOPGSTB", key="", cache_dir=tmp_path, sleep=sleeps.append)
    assert sleeps == [2.0]
    assert set(df["units"]) == {"millions of US dollars"}


def test_api_errors(tmp_path: Path) -> None:
    with respx.mock() as mock:
        mock.get(fred.API_URL).mock(return_value=httpx.Response(400, json={"error_code": 400, "error_message": "Bad"}))
        with pytest.raises(FetchError, match="HTTP 400"):
            fred.fetch_series_api("MANEMP", key="", cache_dir=tmp_path, sleep=lambda s: None, retries=0)
    with pytest.raises(DataFormatError, match="FRED API error 400"):
        fred.parse_api_json({"error_code": 400, "error_message": "Bad Request"}, "MANEMP")
    bad = {"observations": [{"date": "2025-01-01", "value": "x"}]}
    with pytest.raises(DataFormatError) as e:
        fred.parse_api_json(bad, "MANEMP")
    assert e.value.row == 1 and e.value.column == "value"
    with pytest.raises(ValueError):
        fred.fetch_series_api("not an id!", cache_dir=tmp_path)


def test_companion_rule_does_not_skip_fred_files() -> None:
    assert not is_companion(MOCK / "synthetic_newer" / "MANEMP.csv")


def test_cli_load_of_several_files_in_worker_processes(tmp_path: Path) -> None:
    """`usmca data load` parses in worker processes: the parsed files (and their SourceInfo) must pickle."""
    import pickle

    from typer.testing import CliRunner

    from usmca.cli import app

    p = fred.parse(MOCK / "synthetic_newer" / "MANEMP.csv")
    assert pickle.loads(pickle.dumps(p)).info.url == "https://fred.stlouisfed.org/series/MANEMP"
    folder = tmp_path / "data"
    folder.mkdir()
    for src in (
        MOCK / "synthetic_newer" / "MANEMP.csv",
        MOCK / "SYNTHETIC01.csv",
        MOCK.parent / "ncses.tiva" / "synthetic_10760_data.csv",
        MOCK.parent / "ncses.tiva" / "synthetic_10760_README.md",
    ):
        (folder / src.name).write_bytes(src.read_bytes())
    res = CliRunner().invoke(app, ["data", "load", str(folder), "--store", str(tmp_path / "s")])
    assert res.exit_code == 0, res.output
    r = open_reader(Store(tmp_path / "s"), use_snapshot=False)
    assert sorted(r.df("SELECT dataset FROM sources")["dataset"]) == ["fred.bls", "fred.series", "ncses.tiva"]
