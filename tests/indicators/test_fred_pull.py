"""`usmca data pull fred.bls`: FRED's own download layout (`observation_date,<ID>`), served by respx from the
real files in ../shared/data/fred_bls_employment, loads and answers the employment indicator."""

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
SERIES = ("MANEMP", "PAYEMS", "CES3133600101")


def fredgraph(shared_data: Path, sid: str) -> bytes:
    """The real series, in the header FRED's graph download uses."""
    text = (shared_data / "fred_bls_employment" / f"{sid}.csv").read_text(encoding="utf-8")
    return text.replace("date,value", f"observation_date,{sid}", 1).encode()


def test_pull_fred_then_answer(tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USMCA_HTTP_RETRIES", "0")
    store = str(tmp_path / "s")
    with respx.mock(assert_all_called=True) as mock:
        for sid in SERIES:
            mock.get("https://fred.stlouisfed.org/graph/fredgraph.csv", params={"id": sid}).mock(
                return_value=httpx.Response(200, content=fredgraph(shared_data, sid))
            )
        res = runner.invoke(app, ["data", "pull", "fred.bls", "--store", store])
    assert res.exit_code == 0, res.output
    assert res.output.count("loaded") >= 3, res.output
    truth = pd.read_csv(shared_data / "fred_bls_employment" / "MANEMP.csv")
    want = float(truth.loc[truth["date"] == "2025-06-01", "value"].iloc[0])
    res = runner.invoke(
        app,
        ["indicators", "employment", "-p", "series=MANEMP", "-p", "year=2025", "-p", "month=6"]
        + ["--format", "json", "--store", store],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["value"] == pytest.approx(want * 1000)  # FRED gives thousands of persons
    assert doc["sources"][0]["origin"] == "pull"


def test_a_fredgraph_file_with_the_wrong_series_header_is_refused(tmp_path: Path, shared_data: Path) -> None:
    from usmca.errors import DataFormatError
    from usmca.sources.fred import parse

    bad = tmp_path / "MANEMP.csv"
    bad.write_bytes(fredgraph(shared_data, "PAYEMS"))  # PAYEMS's header in a file named MANEMP
    with pytest.raises(DataFormatError):
        parse(bad)
