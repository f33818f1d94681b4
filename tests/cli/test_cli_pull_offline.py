"""`usmca data pull` without a network: one attempt per host, then a hint; USMCA_OFFLINE refuses at once.

respx stands in for the network: `httpx.ConnectError` is what httpx raises on a DNS failure or a
refused connection. The one host that answers serves the REAL bytes of a shared CBP file.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from usmca.cli import app
from usmca.errors import FetchError
from usmca.sources import load_all
from usmca.sources.fetch import HostUnreachable, fetch

runner = CliRunner()
SBO_URL = "https://www.cbp.gov/sites/default/files/2025-09/sbo-encounters-fy22-fy25-aug.csv"
HOSTS = ("www.census.gov", "www.cbp.gov", "api.worldbank.org", "fred.stlouisfed.org")


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture(autouse=True)
def online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("USMCA_OFFLINE", raising=False)
    monkeypatch.delenv("USMCA_HTTP_RETRIES", raising=False)  # the default: 4 retries for what can be retried


def flat(text: str) -> str:
    return " ".join(text.split())


# -------------------------------------------------------------------------------------- fetch()
@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("[Errno -3] Temporary failure in name resolution"),
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.ConnectTimeout("timed out"),
    ],
)
def test_unreachable_host_is_tried_once(tmp_path: Path, error: Exception) -> None:
    sleeps = Sleeps()
    with respx.mock() as mock:
        route = mock.get(SBO_URL).mock(side_effect=error)
        with pytest.raises(HostUnreachable) as e:
            fetch(SBO_URL, tmp_path / "f.csv", sleep=sleeps, retries=4)
    assert route.call_count == 1
    assert sleeps == []
    assert e.value.host == "www.cbp.gov"
    assert isinstance(e.value, FetchError)  # callers that catch FetchError still do
    assert SBO_URL in str(e.value) and "not retried" in str(e.value)
    assert not (tmp_path / "f.csv").exists() and not list(tmp_path.glob("*.part"))


def test_a_dropped_connection_is_still_retried(tmp_path: Path, shared_data: Path) -> None:
    """The server was reached (then the connection broke): that is worth another try."""
    body = (shared_data / "cbp_encounters" / "sbo-encounters-fy22-fy25-aug.csv").read_bytes()
    sleeps = Sleeps()
    with respx.mock() as mock:
        route = mock.get(SBO_URL).mock(
            side_effect=[httpx.RemoteProtocolError("peer closed connection"), httpx.Response(200, content=body)]
        )
        snap = fetch(SBO_URL, tmp_path / "f.csv", sleep=sleeps)
    assert route.call_count == 2 and len(sleeps) == 1
    assert snap.bytes == len(body)


def test_retries_spent_name_the_last_error(tmp_path: Path) -> None:
    sleeps = Sleeps()
    with respx.mock() as mock:
        route = mock.get(SBO_URL).mock(side_effect=httpx.ReadTimeout("read timed out"))
        with pytest.raises(FetchError, match=r"failed after 3 attempts \(last error: ReadTimeout: read timed out\)"):
            fetch(SBO_URL, tmp_path / "f.csv", sleep=sleeps, retries=2)
    assert route.call_count == 3 and len(sleeps) == 2


# ------------------------------------------------------------------------------------ data pull
def test_pull_with_no_network_tries_each_host_once_then_hints(tmp_path: Path) -> None:
    downloads = [d for info in load_all().values() for d in info.downloads]
    assert len(downloads) > len(HOSTS)  # several files share a host
    with respx.mock() as mock:
        routes = {
            h: mock.get(url__startswith=f"https://{h}/").mock(
                side_effect=httpx.ConnectError("[Errno -2] Name or service not known")
            )
            for h in HOSTS
        }
        t0 = time.perf_counter()
        res = runner.invoke(app, ["data", "pull", "--store", str(tmp_path / "s")], env={"COLUMNS": "80"})
        elapsed = time.perf_counter() - t0
    assert res.exit_code == 1, res.output
    assert {h: r.call_count for h, r in routes.items()} == {h: 1 for h in HOSTS}
    assert elapsed < 3.0, f"pull took {elapsed:.1f} s with no network"
    errors = flat(res.stderr)
    assert "USMCA_OFFLINE=1" in errors and "usmca data load" in errors
    assert "tried once each" in errors
    for h in HOSTS:
        assert f"cannot reach {h}" in errors
    # the error lines carry each URL whole (not folded): it can be copied
    assert any(d.url in res.stderr for d in downloads)
    out = flat(res.stdout)
    assert out.count("unreachable") == len(downloads)  # 3 failed, the others skipped without a request
    assert out.count("skipped:") == len(downloads) - len(HOSTS)


def test_pull_loads_what_it_can_when_one_host_is_down(tmp_path: Path, shared_data: Path) -> None:
    body = (shared_data / "cbp_encounters" / "sbo-encounters-fy22-fy25-aug.csv").read_bytes()
    store = str(tmp_path / "s")
    with respx.mock() as mock:
        census = mock.get(url__startswith="https://www.census.gov/").mock(side_effect=httpx.ConnectError("refused"))
        cbp = mock.get(SBO_URL).mock(return_value=httpx.Response(200, content=body))
        res = runner.invoke(app, ["data", "pull", "census.ft900", "cbp.southwest", "--store", store])
    assert res.exit_code == 1
    assert census.call_count == 1  # exh1.xlsx tried once; exh12.xlsx (same host) skipped
    assert cbp.call_count == 1
    out = flat(res.stdout)
    assert "skipped: www.census.gov unreachable" in out and "loaded" in out
    res = runner.invoke(app, ["data", "status", "--format", "json", "--store", store])
    pulled = {s["dataset"] for s in json.loads(res.stdout)["sources"] if s["origin"] == "pull"}
    assert pulled == {"cbp.southwest"}


def test_offline_setting_refuses_before_any_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USMCA_OFFLINE", "1")
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(url__regex=r".*").mock(return_value=httpx.Response(200))
        t0 = time.perf_counter()
        res = runner.invoke(app, ["data", "pull", "--store", str(tmp_path / "s")])
        elapsed = time.perf_counter() - t0
    assert res.exit_code == 2
    assert route.call_count == 0
    assert elapsed < 1.0
    msg = flat(res.stderr)
    assert msg.startswith("error: USMCA_OFFLINE=1")
    assert "nothing was pulled" in msg and "usmca data load" in msg
    assert not (tmp_path / "s").exists()  # no store created either
    assert "Traceback" not in res.output
