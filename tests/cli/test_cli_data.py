"""The `usmca` command: data load/status/pull, trade and encounters questions, help and version."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from usmca import __version__
from usmca.cli import app
from usmca.config import SETTINGS

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    res = runner.invoke(
        app,
        [
            "data",
            "load",
            str(shared_data / "census_trade_by_country"),
            str(shared_data / "cbp_encounters"),
            str(shared_data / "world_bank_wdi"),
            "--store",
            str(store),
            "--skip-unknown",
        ],
    )
    assert res.exit_code == 0, res.output
    return store


def test_version_and_help() -> None:
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and __version__ in res.output
    for cmd in (
        ["--help"],
        ["data", "--help"],
        ["data", "load", "--help"],
        ["data", "pull", "--help"],
        ["data", "status", "--help"],
        ["data", "snapshot", "--help"],
        ["trade", "--help"],
        ["encounters", "--help"],
        ["check", "--help"],
        ["indicators", "--help"],
    ):
        r = runner.invoke(app, cmd)
        assert r.exit_code == 0, (cmd, r.output)
        assert "Usage" in r.output


def test_trade_json_reproduces_census_totals(loaded_store: Path) -> None:
    expected = {
        ("MX", "exports"): 334_041.4,
        ("CA", "exports"): 349_359.9,
        ("CN", "exports"): 143_545.7,
        ("Mexico", "imports"): 505_850.6,
    }
    for (partner, flow), millions in expected.items():
        res = runner.invoke(
            app,
            [
                "trade",
                "--partner",
                partner,
                "--flow",
                flow,
                "--year",
                "2024",
                "--format",
                "json",
                "--store",
                str(loaded_store),
            ],
        )
        assert res.exit_code == 0, res.output
        doc = json.loads(res.output)
        assert doc["unit"] == "USD"
        assert round(doc["value"] / 1e6, 1) == millions
        assert doc["source"]["file"] == "country.xlsx"
        assert re.fullmatch(r"[0-9a-f]{64}", doc["source"]["sha256"])
        assert doc["period"] == "2024" and doc["flow"] == flow


def test_trade_explain_shows_query_and_vintage(loaded_store: Path) -> None:
    res = runner.invoke(app, ["trade", "--partner", "MEX", "--year", "2024", "--explain", "--store", str(loaded_store)])
    assert res.exit_code == 0
    assert "SELECT" in res.output and "vintage 2025-04-01" in res.output


def test_trade_month_and_balance(loaded_store: Path) -> None:
    res = runner.invoke(
        app,
        [
            "trade",
            "--partner",
            "MX",
            "--flow",
            "balance",
            "--year",
            "2024",
            "--format",
            "json",
            "--store",
            str(loaded_store),
        ],
    )
    doc = json.loads(res.output)
    assert round(doc["value"] / 1e6, 1) == round(334_041.4 - 505_850.6, 1)
    res = runner.invoke(
        app,
        [
            "trade",
            "--partner",
            "MX",
            "--year",
            "2025",
            "--month",
            "6",
            "--format",
            "json",
            "--store",
            str(loaded_store),
        ],
    )
    # country.xlsx of April 2025 holds 2025 only through February: June is not published.
    assert res.exit_code == 1
    assert json.loads(res.output)["value"] is None


def test_unknown_partner_suggests(loaded_store: Path) -> None:
    res = runner.invoke(app, ["trade", "--partner", "Mexco", "--year", "2024", "--store", str(loaded_store)])
    assert res.exit_code == 2
    assert "did you mean Mexico" in res.output


def test_encounters_june_2025(loaded_store: Path) -> None:
    res = runner.invoke(
        app, ["encounters", "--year", "2025", "--month", "6", "--format", "json", "--store", str(loaded_store)]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["value"] == 25_185
    res = runner.invoke(
        app, ["encounters", "--year", "2023", "--fiscal", "--format", "json", "--store", str(loaded_store)]
    )
    assert json.loads(res.output)["value"] == 3_201_144


def test_status_json_lists_provenance(loaded_store: Path) -> None:
    res = runner.invoke(app, ["data", "status", "--format", "json", "--store", str(loaded_store)])
    doc = json.loads(res.output)
    mine = [s for s in doc["sources"] if s["origin"] == "file"]
    assert {s["dataset"] for s in mine} >= {"census.country", "cbp.nationwide", "worldbank.wdi"}
    country = next(s for s in mine if s["file_name"] == "country.xlsx")
    assert country["sha256"].startswith("b06b33b69a79")
    assert country["rows"] > 200_000


def test_load_is_idempotent(loaded_store: Path, shared_data: Path) -> None:
    res = runner.invoke(
        app,
        ["data", "load", str(shared_data / "census_trade_by_country" / "country.xlsx"), "--store", str(loaded_store)],
    )
    assert res.exit_code == 0 and "unchanged" in res.output


def test_load_unknown_file_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "notes.csv"
    f.write_text("a,b\n1,2\n")
    res = runner.invoke(app, ["data", "load", str(f), "--store", str(tmp_path / "s")])
    assert res.exit_code == 2
    assert "no source recognises" in res.output


def test_pull_downloads_and_loads_with_fake_transport(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`data pull` fetches the agency's URL (served here by respx with the real file) and loads it."""
    body = (shared_data / "census_trade_by_country" / "country.xlsx").read_bytes()
    monkeypatch.setenv("USMCA_HTTP_RETRIES", "0")
    with respx.mock(assert_all_called=True) as mock:
        mock.get("https://www.census.gov/foreign-trade/balance/country.xlsx").mock(
            return_value=httpx.Response(200, content=body, headers={"Content-Length": str(len(body))})
        )
        res = runner.invoke(app, ["data", "pull", "census.country", "--store", str(tmp_path / "s")])
    assert res.exit_code == 0, res.output
    raw = tmp_path / "s" / "raw" / "census.country" / "country.xlsx"
    assert raw.read_bytes() == body
    meta = json.loads(raw.with_name("country.xlsx.meta.json").read_text())
    assert meta["sha256"] == "b06b33b69a7920e2dc21ba5cdf4879f883b468d433f4588920016649c11cf01b"
    res = runner.invoke(
        app, ["trade", "--partner", "CN", "--year", "2024", "--format", "json", "--store", str(tmp_path / "s")]
    )
    assert round(json.loads(res.output)["value"] / 1e6, 1) == 143_545.7


def test_pull_unknown_source(tmp_path: Path) -> None:
    res = runner.invoke(app, ["data", "pull", "nope", "--store", str(tmp_path / "s")])
    assert res.exit_code == 2 and "unknown source" in res.output


def test_readme_documents_every_command_and_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    for cmd in (
        "usmca check",
        "usmca trade",
        "usmca encounters",
        "usmca indicators",
        "usmca data load",
        "usmca data pull",
        "usmca data status",
        "usmca data snapshot",
        "usmca report",
        "usmca serve",
    ):
        assert cmd in readme, f"README does not document {cmd!r}"
    for s in SETTINGS.values():
        assert s.env in readme, f"README does not document setting {s.env}"


def test_snapshot_answers_offline(tmp_path: Path) -> None:
    """A fresh install (no store) answers from the bundled snapshot, citing the agency's file."""
    res = runner.invoke(
        app, ["trade", "--partner", "MX", "--year", "2024", "--format", "json", "--store", str(tmp_path / "empty")]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert round(doc["value"] / 1e6, 1) == 334_041.4
    assert doc["sources"][0]["origin"] == "snapshot"
    assert doc["source"]["file"] == "country.xlsx"


def test_ranked_partners_sum_matches_group_comparison(tmp_path: Path) -> None:
    """Ranks 3-12 are the 'next 10' after Canada and Mexico: both indicators must agree."""
    store = str(tmp_path / "empty")  # the bundled snapshot
    r1 = runner.invoke(
        app,
        [
            "indicators",
            "ranked_partners_sum",
            "-p",
            "first_rank=3",
            "-p",
            "last_rank=12",
            "-p",
            "year=2024",
            "--format",
            "json",
            "--store",
            store,
        ],
    )
    r2 = runner.invoke(
        app,
        [
            "indicators",
            "group_vs_next_partners",
            "-p",
            "partners=CA,MX",
            "-p",
            "year=2024",
            "--format",
            "json",
            "--store",
            store,
        ],
    )
    r3 = runner.invoke(
        app,
        ["indicators", "partners_sum", "-p", "partners=CA,MX", "-p", "year=2024", "--format", "json", "--store", store],
    )
    nxt, ratio, group = (json.loads(r.output)["value"] for r in (r1, r2, r3))
    assert abs(group / nxt - ratio) < 1e-12
    assert round(group / 1e6, 1) == round(334_041.4 + 349_359.9, 1)


def test_readme_quick_start_example_runs(tmp_path: Path) -> None:
    """The README's main job: check the example text against the bundled snapshot."""
    res = runner.invoke(
        app,
        [
            "check",
            str(ROOT / "examples" / "north-american-trade.txt"),
            "--format",
            "json",
            "--store",
            str(tmp_path / "empty"),
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    verdicts = {c["metric"]: c["verdict"] for c in doc["claims"]}
    # Canada, not Mexico, was the largest buyer in 2024; Mexico+Canada < the next ten.
    assert verdicts["partner_rank"] == "supported"
    assert verdicts["group_vs_next_partners"] == "contradicted"
    # "$50 billion" of small-business exports to Canada: USTR published "over $83 billion" for 2022
    assert verdicts["cited_figure"] == "contradicted"
    assert len(doc["claims"]) >= 12


def test_example_yaml_claims(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["check", str(ROOT / "examples" / "claims.yaml"), "--format", "json", "--store", str(tmp_path / "empty")]
    )
    assert res.exit_code == 0, res.output
    by_id = {c["id"]: c for c in json.loads(res.output)["claims"]}
    assert by_id["mexico-top-market"]["verdict"] == "contradicted"
    assert by_id["mexico-vs-china"]["verdict"] == "supported"
    assert by_id["june-2025-encounters"]["computed"]["value"] == 25_185
