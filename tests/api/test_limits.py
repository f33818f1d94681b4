"""Limits of the web service: time budget, concurrency cap, claims cap, Host allow-list, keep-alive."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from usmca.api import create_app
from usmca.api.limits import (
    DEFAULT_HOSTS,
    CheckBusy,
    CheckPool,
    CheckTimeout,
    HostAllowListMiddleware,
    Limits,
    current_token,
    host_name,
)
from usmca.claims.model import CheckReport


def _empty_report() -> CheckReport:
    return CheckReport(document="-", as_of=None, claims=[])


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Released at the end of each test, so that no fake slow check outlives it."""
    ev = threading.Event()
    yield ev
    ev.set()


def _wait_for(cond: Any, seconds: float = 5.0) -> None:
    end = time.monotonic() + seconds
    while not cond():
        assert time.monotonic() < end, "timed out waiting"
        time.sleep(0.01)


# ------------------------------------------------------------------------------ concurrency
def test_fourth_concurrent_check_is_429_while_cheap_pages_answer(api_reader: Any, gate: threading.Event) -> None:
    app = create_app(reader=api_reader, limits=Limits(max_checks=3, check_timeout=20, max_queued=0))
    service, pool = app.state.service, app.state.check_pool

    def slow(**kw: Any) -> tuple[CheckReport, int]:
        gate.wait(15)
        return _empty_report(), 0

    service.check_limited = slow
    with TestClient(app) as c, ThreadPoolExecutor(3) as ex:
        running = [ex.submit(c.post, "/api/check", json={"text": f"slow text {i}"}) for i in range(3)]
        _wait_for(lambda: pool.in_flight == 3)
        t0 = time.monotonic()
        r = c.post("/api/check", json={"text": "one too many"})
        assert r.status_code == 429, r.text
        assert "3 checks" in r.json()["detail"]
        assert int(r.headers["retry-after"]) >= 1
        form = c.post("/check", data={"text": "one too many", "as_of": ""})
        assert form.status_code == 429 and "retry-after" in form.headers
        assert "one too many" in form.text  # the text stays in the form
        for path in ("/api/sources", "/api/indicators", "/", "/sources"):
            t1 = time.monotonic()
            assert c.get(path).status_code == 200
            assert time.monotonic() - t1 < 1.0, path
        assert time.monotonic() - t0 < 3.0
        assert all(not f.done() for f in running), "the slow checks are still running"
        gate.set()
        assert [f.result(timeout=10).status_code for f in running] == [200, 200, 200]
        _wait_for(lambda: pool.in_flight == 0)
        assert c.post("/api/check", json={"text": "now there is room"}).status_code == 200


def test_a_cache_hit_needs_no_slot(api_reader: Any, gate: threading.Event) -> None:
    app = create_app(reader=api_reader, limits=Limits(max_checks=1, check_timeout=20, max_queued=0))
    c = TestClient(app)
    text = "Mexico purchased $335 billion of American goods in 2024."
    assert c.post("/api/check", json={"text": text}).status_code == 200  # now cached
    app.state.service.check_limited = lambda **kw: (gate.wait(15), (_empty_report(), 0))[1]
    with ThreadPoolExecutor(1) as ex:
        busy = ex.submit(c.post, "/api/check", json={"text": "something new"})
        _wait_for(lambda: app.state.check_pool.in_flight == 1)
        assert c.post("/api/check", json={"text": "another new one"}).status_code == 429
        assert c.post("/api/check", json={"text": text}).status_code == 200
        gate.set()
        assert busy.result(timeout=10).status_code == 200


# ------------------------------------------------------------------------------ time budget
def test_slow_check_is_503_within_the_budget_and_is_cancelled(api_reader: Any, gate: threading.Event) -> None:
    app = create_app(reader=api_reader, limits=Limits(max_checks=2, check_timeout=0.5))
    service, pool = app.state.service, app.state.check_pool
    stopped = threading.Event()

    def slow(**kw: Any) -> tuple[CheckReport, int]:
        token = current_token()
        assert token is not None
        while not token.cancelled and not gate.is_set():
            time.sleep(0.01)
        stopped.set()
        return _empty_report(), 0

    service.check_limited = slow
    c = TestClient(app)
    t0 = time.monotonic()
    r = c.post("/api/check", json={"text": "a very slow text"})
    took = time.monotonic() - t0
    assert r.status_code == 503, r.text
    assert 0.5 <= took < 1.5
    assert r.json()["timeout_s"] == 0.5 and "0.5 s" in r.json()["detail"]
    assert stopped.wait(2), "the abandoned check was told to stop"
    _wait_for(lambda: pool.in_flight == 0, 2)
    # the form page has the same budget, and answers with the page
    t0 = time.monotonic()
    r = c.post("/check", data={"text": "a very slow text", "as_of": ""})
    assert r.status_code == 503 and time.monotonic() - t0 < 1.5
    assert "0.5 s" in r.text and "a very slow text" in r.text


def test_abandoned_check_stops_at_its_next_query(api_reader: Any, gate: threading.Event) -> None:
    """A check running real queries is stopped by its guarded cursor, and nothing is cached."""
    app = create_app(reader=api_reader, limits=Limits(max_checks=1, check_timeout=0.3))
    service, pool = app.state.service, app.state.check_pool
    queries: list[int] = []
    outcome: list[str] = []

    def busy_loop(**kw: Any) -> tuple[CheckReport, int]:
        try:
            with service.reader_for_request() as reader:
                while not gate.is_set():
                    queries.append(int(reader.one("SELECT count(*) FROM sources")))
                    time.sleep(0.01)
        except BaseException as e:
            outcome.append(type(e).__name__)
            raise
        return _empty_report(), 0

    service.check_limited = busy_loop
    c = TestClient(app)
    assert c.post("/api/check", json={"text": "loops on queries"}).status_code == 503
    _wait_for(lambda: pool.in_flight == 0, 2)
    assert outcome == ["CheckCancelled"]
    assert queries and all(q > 0 for q in queries)
    assert service.json_cache.get(("check", service.check_key(text="loops on queries")[0])) is None


def test_pool_runs_work_and_passes_errors() -> None:
    import asyncio

    pool = CheckPool(max_checks=2, timeout=5)
    try:
        assert asyncio.run(pool.run(lambda a, b: a + b, 2, b=3)) == 5
        with pytest.raises(ZeroDivisionError):
            asyncio.run(pool.run(lambda: 1 / 0))
        assert pool.in_flight == 0
    finally:
        pool.shutdown()


def test_checks_beyond_the_cap_wait_in_line_first_come_first_served() -> None:
    """With one slot and room for two in line, three checks all run, in the order they came; a fourth
    finds the line full and is refused at once."""
    import asyncio

    pool = CheckPool(max_checks=1, timeout=5, max_queued=2)
    order: list[int] = []
    gate = threading.Event()

    def job(i: int) -> int:
        if i == 0:
            gate.wait(5)
        order.append(i)
        return i

    async def main() -> tuple[list[int], BaseException | None]:
        first = asyncio.ensure_future(pool.run(job, 0))
        await asyncio.sleep(0.05)
        waiting = [asyncio.ensure_future(pool.run(job, i)) for i in (1, 2)]
        await asyncio.sleep(0.05)
        assert pool.in_flight == 1 and pool.queued == 2
        refused: BaseException | None = None
        try:
            await pool.run(job, 3)
        except CheckBusy as e:
            refused = e
        gate.set()
        return list(await asyncio.gather(first, *waiting)), refused

    try:
        results, refused = asyncio.run(main())
        assert results == [0, 1, 2] and order == [0, 1, 2]
        assert isinstance(refused, CheckBusy)
        assert pool.in_flight == 0 and pool.queued == 0
    finally:
        pool.shutdown()


def test_a_wait_in_line_is_bounded_by_the_time_budget() -> None:
    """A check that waits past the budget is refused (429), and its place is not lost to the others."""
    import asyncio

    pool = CheckPool(max_checks=1, timeout=0.3, max_queued=4)
    gate = threading.Event()

    async def main() -> None:
        blocker = asyncio.ensure_future(pool.run(lambda: gate.wait(3)))
        await asyncio.sleep(0.05)
        t0 = time.monotonic()
        with pytest.raises(CheckBusy):
            await pool.run(lambda: "never")
        assert time.monotonic() - t0 < 1.0
        assert pool.queued == 0
        gate.set()
        with contextlib.suppress(CheckTimeout):
            await blocker
        for _ in range(100):  # the blocker's thread ends; its slot is free again
            if pool.in_flight == 0:
                break
            await asyncio.sleep(0.02)
        assert await pool.run(lambda: "ran") == "ran"

    try:
        asyncio.run(main())
    finally:
        pool.shutdown()


# ------------------------------------------------------------------------------ claims cap
def test_claims_per_document_are_capped_with_a_note(api_reader: Any, seed_text: str) -> None:
    full = TestClient(create_app(reader=api_reader)).post("/api/check", json={"text": seed_text}).json()
    assert len(full["claims"]) > 2 and "note" not in full and "claims_found" not in full
    c = TestClient(create_app(reader=api_reader, limits=Limits(max_claims=2)))
    doc = c.post("/api/check", json={"text": seed_text}).json()
    assert [x["id"] for x in doc["claims"]] == [x["id"] for x in full["claims"][:2]]
    assert doc["claims_found"] == len(full["claims"])
    assert f"{len(full['claims'])} claims found" in doc["note"] and "first 2" in doc["note"]
    y = "".join(
        f"- metric: trade_value\n  params: {{partner: MX, year: {y}}}\n  value: 3.0e11\n" for y in (2022, 2023, 2024)
    )
    doc = c.post("/api/check", json={"yaml": y}).json()
    assert len(doc["claims"]) == 2 and doc["claims_found"] == 3
    page = c.post("/check", data={"text": seed_text, "as_of": ""})
    assert page.status_code == 200 and page.text.count('<article class="card') == 2
    assert "first 2" in page.text


# ----------------------------------------------------------------------------- Host header
@pytest.mark.parametrize(
    "value, name",
    [
        ("localhost", "localhost"),
        ("LOCALHOST:8000", "localhost"),
        ("localhost.:8000", "localhost"),
        ("127.0.0.1:8000", "127.0.0.1"),
        ("[::1]:8000", "::1"),
        ("[::1]", "::1"),
        ("::1", "::1"),
        ("evil.example:80", "evil.example"),
    ],
)
def test_host_name(value: str, name: str) -> None:
    assert host_name(value) == name


def test_other_hosts_get_400(api_reader: Any) -> None:
    app = create_app(reader=api_reader)
    for base in ("http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000", "http://testserver"):
        assert TestClient(app, base_url=base).get("/api/indicators").status_code == 200, base
    for base in ("http://evil.example", "http://localhost.evil.example:8000", "http://127.0.0.2"):
        r = TestClient(app, base_url=base).get("/api/sources")
        assert r.status_code == 400, base
        assert "Host" in r.json()["detail"]
        assert TestClient(app, base_url=base).post("/api/check", json={"text": "x"}).status_code == 400
    ok = create_app(reader=api_reader, limits=Limits(allowed_hosts=(*DEFAULT_HOSTS, "usmca.example")))
    assert TestClient(ok, base_url="http://usmca.example:8080").get("/api/sources").status_code == 200
    assert TestClient(ok, base_url="http://evil.example").get("/api/sources").status_code == 400


def test_missing_host_is_400() -> None:
    import asyncio

    called: list[Any] = []
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        called.append(scope)

    async def send(m: dict[str, Any]) -> None:
        sent.append(m)

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    mw = HostAllowListMiddleware(app, DEFAULT_HOSTS)
    asyncio.run(mw({"type": "http", "path": "/", "headers": []}, receive, send))
    assert not called and sent[0]["status"] == 400
    asyncio.run(mw({"type": "http", "path": "/", "headers": [(b"host", b"localhost:1")]}, receive, send))
    assert len(called) == 1
    asyncio.run(HostAllowListMiddleware(app, ["*"])({"type": "http", "headers": []}, receive, send))
    assert len(called) == 2


def test_limits_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Limits.from_settings() == Limits()  # the defaults of the settings are those of Limits
    monkeypatch.setenv("USMCA_ALLOWED_HOSTS", "Usmca.Example, factcheck.example ,")
    monkeypatch.setenv("USMCA_CHECK_TIMEOUT", "2.5")
    monkeypatch.setenv("USMCA_MAX_CHECKS", "7")
    monkeypatch.setenv("USMCA_MAX_CLAIMS", "not a number")  # logged, the default used
    lim = Limits.from_settings()
    assert lim.allowed_hosts == (*DEFAULT_HOSTS, "usmca.example", "factcheck.example")
    assert lim.check_timeout == 2.5 and lim.max_checks == 7 and lim.max_claims == 200
    monkeypatch.setenv("USMCA_MAX_CHECKS", "0")  # below the minimum: the default
    assert Limits.from_settings().max_checks == 2


def test_allowed_hosts_setting_reaches_the_app(api_reader: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USMCA_ALLOWED_HOSTS", "usmca.example")
    c = TestClient(create_app(reader=api_reader), base_url="http://usmca.example")
    assert c.get("/api/sources").status_code == 200


def test_cors_origins_setting(api_reader: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USMCA_CORS_ORIGINS", "https://ok.example, https://also.example")
    c = TestClient(create_app(reader=api_reader))
    r = c.get("/api/indicators", headers={"Origin": "https://also.example"})
    assert r.headers["access-control-allow-origin"] == "https://also.example"
    r = c.get("/api/indicators", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


# ------------------------------------------------------------------------------ keep-alive
def test_keep_alive_closes_idle_connections(api_reader: Any) -> None:
    """A real uvicorn on loopback with the keep-alive setting closes a connection left idle."""
    import socket

    import uvicorn

    app = create_app(reader=api_reader)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, timeout_keep_alive=1, log_level="error"))
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    try:
        _wait_for(lambda: server.started, 10)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            conn.sendall(b"GET /api/indicators HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            data = b""
            t0 = time.monotonic()
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            assert data.startswith(b"HTTP/1.1 200")
            assert 0.8 < time.monotonic() - t0 < 4, "closed by the server after about 1 s idle"
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            conn.sendall(b"GET /api/sources HTTP/1.1\r\nHost: evil.example\r\n\r\n")
            assert conn.recv(65536).startswith(b"HTTP/1.1 400")
    finally:
        server.should_exit = True
        th.join(10)
