"""Downloads with retries, checksums and conditional requests (respx: no network).

The mocked server serves the REAL bytes of a shared file (the CBP sbo encounters CSV).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import pytest
import respx

from usmca.errors import FetchError
from usmca.sources.fetch import fetch

URL = "https://www.cbp.gov/sites/default/files/2025-09/sbo-encounters-fy22-fy25-aug.csv"
MANIFEST_SHA256 = "644a70518bea08884f29483c4aa6aee5fcceadc85a0bd8f09043fa6d356fedc4"


@pytest.fixture(autouse=True)
def online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("USMCA_OFFLINE", raising=False)


@pytest.fixture(scope="module")
def body(shared_data: Path) -> bytes:
    return (shared_data / "cbp_encounters" / "sbo-encounters-fy22-fy25-aug.csv").read_bytes()


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_success_records_sha256_in_the_sidecar(body: bytes, tmp_path: Path) -> None:
    dest = tmp_path / "raw" / "cbp.southwest" / "sbo.csv"
    sleeps = Sleeps()
    with respx.mock() as mock:
        mock.get(URL).mock(
            return_value=httpx.Response(200, content=body, headers={"ETag": '"v1"', "Content-Type": "text/csv"})
        )
        snap = fetch(URL, dest, sleep=sleeps)
    assert dest.read_bytes() == body
    assert snap.sha256 == hashlib.sha256(body).hexdigest() == MANIFEST_SHA256
    assert snap.bytes == len(body)
    meta = json.loads(snap.meta_path().read_text())
    assert meta["sha256"] == MANIFEST_SHA256
    assert meta["url"] == URL
    assert meta["etag"] == '"v1"'
    assert meta["bytes"] == len(body)
    assert not sleeps
    assert not list(dest.parent.glob("*.part"))


def test_429_honours_retry_after(body: bytes, tmp_path: Path) -> None:
    sleeps = Sleeps()
    with respx.mock() as mock:
        route = mock.get(URL).mock(
            side_effect=[
                httpx.Response(429, headers={"Retry-After": "7"}),
                httpx.Response(200, content=body),
            ]
        )
        snap = fetch(URL, tmp_path / "f.csv", sleep=sleeps)
    assert route.call_count == 2
    assert sleeps == [7.0]
    assert snap.sha256 == MANIFEST_SHA256


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retried(body: bytes, tmp_path: Path, status: int) -> None:
    sleeps = Sleeps()
    with respx.mock() as mock:
        route = mock.get(URL).mock(
            side_effect=[httpx.Response(status), httpx.Response(status), httpx.Response(200, content=body)]
        )
        snap = fetch(URL, tmp_path / "f.csv", sleep=sleeps, backoff=0.5)
    assert route.call_count == 3
    assert len(sleeps) == 2
    assert 0.5 <= sleeps[0] < sleeps[1] <= 1.1 * 1.0 + 1e-9  # exponential backoff with jitter
    assert snap.sha256 == MANIFEST_SHA256


def test_timeout_then_success(body: bytes, tmp_path: Path) -> None:
    sleeps = Sleeps()
    with respx.mock() as mock:
        route = mock.get(URL).mock(side_effect=[httpx.ReadTimeout("read timed out"), httpx.Response(200, content=body)])
        snap = fetch(URL, tmp_path / "f.csv", sleep=sleeps)
    assert route.call_count == 2
    assert len(sleeps) == 1
    assert snap.sha256 == MANIFEST_SHA256


def test_truncated_body_is_retried_then_fails_clearly(body: bytes, tmp_path: Path) -> None:
    half = body[: len(body) // 2]
    sleeps = Sleeps()
    dest = tmp_path / "f.csv"
    with respx.mock() as mock:
        route = mock.get(URL).mock(
            return_value=httpx.Response(200, content=half, headers={"Content-Length": str(len(body))})
        )
        with pytest.raises(FetchError) as e:
            fetch(URL, dest, sleep=sleeps, retries=2)
    assert route.call_count == 3
    assert len(sleeps) == 2
    msg = str(e.value)
    assert URL in msg and "3 attempts" in msg
    assert f"truncated body ({len(half)} of {len(body)} bytes)" in msg
    assert not dest.exists()
    assert not list(tmp_path.glob("*.part"))


def test_truncated_then_whole(body: bytes, tmp_path: Path) -> None:
    with respx.mock() as mock:
        mock.get(URL).mock(
            side_effect=[
                httpx.Response(200, content=body[:1000], headers={"Content-Length": str(len(body))}),
                httpx.Response(200, content=body),
            ]
        )
        snap = fetch(URL, tmp_path / "f.csv", sleep=Sleeps())
    assert snap.sha256 == MANIFEST_SHA256


def test_checksum_mismatch(body: bytes, tmp_path: Path) -> None:
    dest = tmp_path / "f.csv"
    with respx.mock() as mock:
        route = mock.get(URL).mock(return_value=httpx.Response(200, content=body))
        with pytest.raises(FetchError, match="checksum mismatch"):
            fetch(URL, dest, expected_sha256="0" * 64, sleep=Sleeps())
    assert route.call_count == 1
    assert not dest.exists()
    with respx.mock() as mock:  # the right checksum passes
        mock.get(URL).mock(return_value=httpx.Response(200, content=body))
        assert fetch(URL, dest, expected_sha256=MANIFEST_SHA256).sha256 == MANIFEST_SHA256


def test_304_reuses_the_cached_snapshot(body: bytes, tmp_path: Path) -> None:
    dest = tmp_path / "f.csv"
    with respx.mock() as mock:
        mock.get(URL).mock(
            return_value=httpx.Response(
                200, content=body, headers={"ETag": '"abc"', "Last-Modified": "Wed, 15 Oct 2025 12:00:00 GMT"}
            )
        )
        first = fetch(URL, dest)
    with respx.mock() as mock:
        route = mock.get(URL).mock(return_value=httpx.Response(304))
        again = fetch(URL, dest, sleep=Sleeps())
    request = route.calls.last.request
    assert request.headers["If-None-Match"] == '"abc"'
    assert request.headers["If-Modified-Since"] == "Wed, 15 Oct 2025 12:00:00 GMT"
    assert again.from_cache
    assert again.sha256 == first.sha256 == MANIFEST_SHA256
    assert again.path == dest
    assert dest.read_bytes() == body


def test_404_fails_at_once(tmp_path: Path) -> None:
    sleeps = Sleeps()
    with respx.mock() as mock:
        route = mock.get(URL).mock(return_value=httpx.Response(404))
        with pytest.raises(FetchError, match="HTTP 404"):
            fetch(URL, tmp_path / "f.csv", sleep=sleeps)
    assert route.call_count == 1
    assert sleeps == []


def test_offline_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USMCA_OFFLINE", "1")
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(URL).mock(return_value=httpx.Response(200))
        with pytest.raises(FetchError, match="USMCA_OFFLINE"):
            fetch(URL, tmp_path / "f.csv")
    assert route.call_count == 0


def test_sidecar_names_agency_licence_and_citation(tmp_path: Path) -> None:
    """The sidecar of a download records who published it and on what terms (from the source registry)."""
    from usmca.sources import load_all

    reg = load_all()
    url = "https://www.cbp.gov/x/sbo-encounters-fy22-fy25-aug.csv"
    body = b"Fiscal Year,Encounter Count\n2025,1\n"
    dest = tmp_path / "raw" / "cbp.southwest" / "sbo.csv"
    with respx.mock() as mock:
        mock.get(url).mock(return_value=httpx.Response(200, content=body, headers={"ETag": '"a"'}))
        fetch(url, dest, sleep=lambda s: None)
    meta = json.loads(dest.with_name("sbo.csv.meta.json").read_text())
    info = reg["cbp.southwest"]
    assert meta["source_id"] == "cbp.southwest"
    assert meta["agency"] == info.agency == "U.S. Customs and Border Protection"
    assert meta["licence"] == info.licence and "public domain" in meta["licence"].lower()
    assert meta["citation"] == info.citation and "Southwest Land Border Encounters" in meta["citation"]

    # A sidecar written before these fields existed is completed on the next (304) pull.
    old = {k: v for k, v in meta.items() if k not in ("source_id", "agency", "licence", "citation")}
    dest.with_name("sbo.csv.meta.json").write_text(json.dumps(old))
    with respx.mock() as mock:
        route = mock.get(url).mock(return_value=httpx.Response(304))
        snap = fetch(url, dest, sleep=lambda s: None)
    assert route.calls[0].request.headers["If-None-Match"] == '"a"'
    assert snap.from_cache and snap.licence == info.licence
    assert json.loads(dest.with_name("sbo.csv.meta.json").read_text())["citation"] == info.citation

    # An explicit source wins over the folder name; an unknown folder records no provenance.
    other = tmp_path / "elsewhere" / "f.csv"
    with respx.mock() as mock:
        mock.get(url).mock(return_value=httpx.Response(200, content=body))
        fetch(url, other, sleep=lambda s: None, source=reg["worldbank.wdi"])
        fetch(url, tmp_path / "unknown" / "g.csv", sleep=lambda s: None)
    assert json.loads(other.with_name("f.csv.meta.json").read_text())["licence"].startswith("Creative Commons")
    assert json.loads((tmp_path / "unknown" / "g.csv.meta.json").read_text())["licence"] is None
