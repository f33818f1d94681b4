"""The web service: JSON API, pages, and the safe defaults (size limit, escaping, CORS, loopback)."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from usmca.api import create_app
from usmca.api.app import MAX_BODY_BYTES, BodyLimitMiddleware, report_json
from usmca.claims.check import check_text
from usmca.claims.model import VERDICTS
from usmca.store import Store, open_reader


@pytest.fixture(scope="session")
def reader(web_store: Path) -> Any:
    r = open_reader(Store(web_store))
    yield r
    r.close()


@pytest.fixture(scope="session")
def client(reader: Any) -> TestClient:
    return TestClient(create_app(reader=reader))


# ------------------------------------------------------------------------------------ check
def test_check_oped(client: TestClient, seed_text: str) -> None:
    r = client.post("/api/check", json={"text": seed_text})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["claims"], "the op-ed has checkable claims"
    assert {c["verdict"] for c in doc["claims"]} <= set(VERDICTS)
    assert all("series" not in c for c in doc["claims"])
    assert doc["as_of"] and doc["as_of_source"]
    # trade with Mexico in 2024 is found and computed from the loaded Census file
    assert any(c["metric"] == "trade_value" and c["computed"] for c in doc["claims"])


def test_check_json_is_the_cli_json(client: TestClient, seed_text: str, web_store: Path) -> None:
    from typer.testing import CliRunner

    from usmca.cli import app

    res = CliRunner().invoke(
        app, ["check", "-", "--format", "json", "--store", str(web_store)], input=seed_text.encode()
    )
    assert res.exit_code == 0, res.output
    api = client.post("/api/check", json={"text": seed_text}).json()
    assert api == json.loads(res.stdout)


def test_check_as_of_and_same_as_library(client: TestClient, reader: Any) -> None:
    from datetime import date

    text = "Mexico purchased $335 billion of American goods in 2024."
    r = client.post("/api/check", json={"text": text, "as_of": "2025-07-01"})
    assert r.status_code == 200
    assert r.json()["as_of"] == "2025-07-01"
    assert r.json()["as_of_source"] == "--as-of"
    assert r.json() == report_json(check_text(text, reader, document="-", as_of=date(2025, 7, 1)))


def test_check_yaml(client: TestClient) -> None:
    y = "- metric: trade_value\n  params: {partner: MX, year: 2024}\n  comparator: about\n  value: 3.35e11\n"
    r = client.post("/api/check", json={"yaml": y})
    assert r.status_code == 200, r.text
    c = r.json()["claims"][0]
    assert c["metric"] == "trade_value"
    assert c["verdict"] in ("supported", "approximately")


@pytest.mark.parametrize(
    "body, message",
    [
        ({"text": ""}, "empty"),
        ({"text": "   \n "}, "empty"),
        ({"text": "abc\x00def"}, "binary"),
        ({"text": "\ud800 lone surrogate"}, "UTF-8"),
        ({"yaml": "- metric: no_such_metric\n"}, "unknown metric"),
        ({"yaml": "a: [unclosed"}, "YAML"),
        ({"yaml": "- metric: trade_value\n  params: {partner: Narnia, year: 2024}\n"}, "Narnia"),
    ],
)
def test_check_bad_input_is_422_with_the_message(client: TestClient, body: dict[str, Any], message: str) -> None:
    r = client.post("/api/check", content=json.dumps(body), headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert message in r.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": "a", "yaml": "b"},
        {"text": 3},
        {"text": "x", "as_of": "July"},
        {"text": "x", "as_of": "0001-01-01"},
        {"text": "x", "other": 1},
    ],
)
def test_check_bad_request_shape_is_422(client: TestClient, body: dict[str, Any]) -> None:
    assert client.post("/api/check", json=body).status_code == 422
    assert (
        client.post("/api/check", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    )


# ------------------------------------------------------------------------------- indicators
def test_indicators_list(client: TestClient) -> None:
    r = client.get("/api/indicators")
    assert r.status_code == 200
    items = {i["name"]: i for i in r.json()}
    tv = items["trade_value"]
    assert tv["unit"] == "USD" and tv["topic"] == "trade" and tv["doc"]
    assert tv["params"]["partner"]["required"] is True
    assert tv["params"]["flow"]["default"] == "exports"


def test_indicator_value(client: TestClient) -> None:
    r = client.get("/api/indicators/trade_value", params={"partner": "MX", "year": 2024})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["unit"] == "USD" and 3.0e11 < d["value"] < 3.7e11
    assert d["label"] and d["computation"] and d["queries"]
    assert d["evidence"][0]["agency"].startswith("U.S. Census Bureau")
    assert d["evidence"][0]["sha256"]


def test_indicator_list_params_are_comma_separated(client: TestClient) -> None:
    both = client.get("/api/indicators/partners_sum?partners=MX,CA&year=2024").json()["value"]
    mx = client.get("/api/indicators/trade_value?partner=MX&year=2024").json()["value"]
    ca = client.get("/api/indicators/trade_value?partner=CA&year=2024").json()["value"]
    assert both == pytest.approx(mx + ca)


def test_indicator_not_computable_is_200_with_missing(client: TestClient) -> None:
    r = client.get("/api/indicators/trade_value?partner=MX&year=1950")
    assert r.status_code == 200
    assert r.json()["value"] is None and r.json()["missing"]


def test_unknown_indicator_is_404(client: TestClient) -> None:
    r = client.get("/api/indicators/trade_valu")
    assert r.status_code == 404
    assert "trade_value" in r.json()["detail"]  # the suggestion


@pytest.mark.parametrize(
    "query",
    [
        "partner=MX&year=abc",
        "partner=MX",  # year missing
        "partner=Narnia&year=2024",
        "partner=MX&year=2024&colour=blue",
        "partner=MX&year=2024&month=13x",
        "partner=MX&year=99999999999999999999",
        "partner=MX&year=2024&year=2023",
        "partner=MX&year=2024&flow=" + "x" * 2000,
    ],
)
def test_bad_indicator_params_are_422(client: TestClient, query: str) -> None:
    r = client.get(f"/api/indicators/trade_value?{query}")
    assert r.status_code == 422, r.text
    assert r.json()["detail"]


def test_bad_params_never_500_for_any_indicator(client: TestClient) -> None:
    names = [i["name"] for i in client.get("/api/indicators").json()]
    for name in names:
        for q in (
            "",
            "year=-1",
            "month=2025-13",
            "partners=,,,",
            "kilograms=nan",
            "fiscal=maybe",
            "since=garbage&month=x",
            "start_month=2025-01&end_month=2024-01",
        ):
            r = client.get(f"/api/indicators/{name}?{q}")
            assert r.status_code < 500, (name, q, r.text)


def test_concurrent_requests_use_their_own_cursor(client: TestClient) -> None:
    years = list(range(2000, 2024))
    expected = {
        y: client.get(f"/api/indicators/trade_value?partner=CN&year={y}&flow=imports").json()["value"] for y in years
    }

    def fetch(y: int) -> tuple[int, float]:
        # a different parameter spelling so that the cache does not answer
        return y, client.get(f"/api/indicators/trade_value?partner=CHN&year={y}&flow=imports").json()["value"]

    with ThreadPoolExecutor(8) as ex:
        got = dict(ex.map(fetch, years * 2))
    assert got == expected


# ---------------------------------------------------------------------------------- sources
def test_sources(client: TestClient) -> None:
    r = client.get("/api/sources")
    assert r.status_code == 200
    rows = r.json()
    assert any(s["dataset"] == "census.country" and len(s["sha256"]) == 64 for s in rows)
    assert all({"source_id", "agency", "file_name", "vintage", "sha256"} <= set(s) for s in rows)


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/check", "/api/indicators", "/api/indicators/{name}", "/api/sources"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


# ------------------------------------------------------------------------------------ pages
def test_pages_render(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200 and "<textarea" in home.text and 'action="/check"' in home.text
    trade = client.get("/trade")
    assert trade.status_code == 200 and "<svg" in trade.text
    assert "Mexico" in trade.text and "Canada" in trade.text and "China" in trade.text and ">1985<" in trade.text
    border = client.get("/border")
    assert border.status_code == 200 and "<svg" in border.text and "2025-06" in border.text
    sources = client.get("/sources")
    assert sources.status_code == 200 and "country.xlsx" in sources.text
    for page in (home, trade, border, sources):
        assert "http://" not in page.text and "https://" not in page.text.replace(
            "https://www.census.gov", ""
        )  # no external resource; URLs of sources are text only
        assert "<script src" not in page.text and "<link" not in page.text
        assert "default-src 'none'" in page.headers["content-security-policy"]


def test_checker_form_renders_cards(client: TestClient, seed_text: str) -> None:
    r = client.post("/check", data={"text": seed_text, "as_of": ""})
    assert r.status_code == 200
    n = len(client.post("/api/check", json={"text": seed_text}).json()["claims"])
    assert r.text.count('<article class="card') == n
    assert r.text.count('class="badge v-') == n


def test_checker_form_bad_input(client: TestClient) -> None:
    r = client.post("/check", data={"text": "", "as_of": ""})
    assert r.status_code == 422 and "empty" in r.text
    r = client.post("/check", data={"text": "Mexico bought $335 billion in 2024.", "as_of": "soon"})
    assert r.status_code == 422 and "expected a date" in r.text
    r = client.post("/check", data={"text": "Mexico bought $335 billion in 2024.", "as_of": "0001-01-01"})
    assert r.status_code == 422 and "expected a date" in r.text
    r = client.post(
        "/check",
        content="&".join(f"f{i}=x" for i in range(50)),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 422 and "too many form fields" in r.text
    r = client.post("/check", content=b"text=%FF%FE%00", headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 422


# ---------------------------------------------------------------------------------- safety
XSS = "<script>alert(1)</script>"


def test_user_text_is_escaped_in_pages(client: TestClient) -> None:
    text = f"{XSS} Mexico purchased $335 billion of American goods in 2024 {XSS}. <img src=x onerror=alert(2)>"
    r = client.post("/check", data={"text": text, "as_of": "2025-07-01"})
    assert r.status_code == 200
    assert XSS not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert '<article class="card' in r.text  # the claim was still found and rendered
    r = client.post("/check", data={"text": XSS, "as_of": XSS})
    assert XSS not in r.text
    r = client.post("/api/check", json={"text": text, "document": XSS})
    assert r.headers["content-type"].startswith("application/json")


def test_body_over_1mb_is_413(client: TestClient) -> None:
    big = b'{"text": "' + b"a" * MAX_BODY_BYTES + b'"}'
    r = client.post("/api/check", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    r = client.post("/check", data={"text": "a" * (MAX_BODY_BYTES + 10)})
    assert r.status_code == 413

    def chunks() -> Any:  # no Content-Length: the bytes received are counted
        for _ in range(3):
            yield b"a" * (MAX_BODY_BYTES // 2)

    r = client.post("/api/check", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_body_limit_counts_bytes_not_the_header() -> None:
    called = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        called.append(await receive())

    sent: list[dict[str, Any]] = []
    msgs = [
        {"type": "http.request", "body": b"x" * 600_000, "more_body": True},
        {"type": "http.request", "body": b"x" * 600_000, "more_body": False},
    ]

    async def receive() -> Any:
        return msgs.pop(0)

    async def send(m: dict[str, Any]) -> None:
        sent.append(m)

    scope = {"type": "http", "method": "POST", "path": "/api/check", "headers": [(b"content-length", b"10")]}
    asyncio.run(BodyLimitMiddleware(app, MAX_BODY_BYTES)(scope, receive, send))
    assert not called
    assert sent[0]["status"] == 413

    ok = [{"type": "http.request", "body": b"{}", "more_body": False}]

    async def receive_ok() -> Any:
        return ok.pop(0)

    asyncio.run(BodyLimitMiddleware(app, MAX_BODY_BYTES)(dict(scope, headers=[]), receive_ok, send))
    assert called and called[0]["body"] == b"{}"


def test_cors_off_by_default(client: TestClient) -> None:
    r = client.get("/api/indicators", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in {k.lower() for k in r.headers}
    r = client.options(
        "/api/check", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in {k.lower() for k in r.headers}


def test_cors_when_configured(reader: Any) -> None:
    c = TestClient(create_app(reader=reader, cors_origins=["https://ok.example"]))
    r = c.get("/api/indicators", headers={"Origin": "https://ok.example"})
    assert r.headers["access-control-allow-origin"] == "https://ok.example"
    r = c.get("/api/indicators", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in {k.lower() for k in r.headers}


def test_store_is_opened_read_only(web_store: Path) -> None:
    import duckdb

    app = create_app(store_path=web_store)
    r = app.state.service.reader
    with pytest.raises(duckdb.Error):
        r.con.execute("CREATE TABLE st.hack AS SELECT 1")
    r.close()


def test_serve_binds_loopback_by_default(monkeypatch: pytest.MonkeyPatch, web_store: Path) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from usmca.cli import app

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: seen.update(kw, app=application))
    res = CliRunner().invoke(app, ["serve", "--store", str(web_store)])
    assert res.exit_code == 0, res.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000
    seen["app"].state.service.reader.close()


def test_check_bytes_are_the_report_document(reader: Any, seed_text: str) -> None:
    """The API's JSON bytes (pydantic's serializer) parse to the very document `report_json` builds,
    with the extra keys of a capped report at the end; NaN values come out as null."""
    import json
    import math
    from datetime import date

    from usmca.api.service import report_json_bytes

    report = check_text(seed_text, reader, document="-", as_of=date(2025, 7, 1))
    assert json.loads(report_json_bytes(report)) == report_json(report)
    capped = json.loads(report_json_bytes(report, {"claims_found": 99, "note": "99 claims found"}))
    assert list(capped)[-2:] == ["claims_found", "note"]
    assert capped == {**report_json(report), "claims_found": 99, "note": "99 claims found"}
    report.claims[0].difference_pct = math.nan
    raw = report_json_bytes(report)
    assert b"NaN" not in raw  # strict JSON
    doc = json.loads(raw)
    assert doc["claims"][0]["difference_pct"] is None
    assert doc == report_json(report)
