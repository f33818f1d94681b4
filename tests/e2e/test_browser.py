"""End to end in headless Chromium: paste the op-ed into the claim checker, check, see the cards.

Uses Debian's chromium at /usr/bin/chromium (install: .ci/install-browser.sh). Without it the
test is skipped, unless the environment variable CI is set: then it fails.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import build_web_store
from usmca.store import Store, open_reader

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "out"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_FILES = [
    "census_trade_by_country/country.xlsx",
    "cbp_encounters/nationwide-encounters-fy20-fy23-state.csv",
    "cbp_encounters/nationwide-encounters-fy23-fy26-nov-state.csv",
    "world_bank_wdi/API_SP.POP.TOTL_DS2_en_csv_v2_246068.csv",
]


def _need_browser() -> None:
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is not installed (run .ci/install-browser.sh)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the Python package playwright is not installed"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {missing}")
        pytest.skip(missing)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[tuple[str, Any]]:
    """The service on a free loopback port, uvicorn in a thread."""
    _need_browser()
    import uvicorn

    from usmca.api import create_app

    reader = open_reader(Store(build_web_store(tmp_path_factory.getbasetemp(), shared_data)))
    app = create_app(reader=reader)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not th.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        srv.should_exit = True
        th.join(timeout=10)
        reader.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def test_claim_checker_in_a_browser(server: tuple[str, Any], browser: Any, seed_text: str) -> None:
    base, _ = server
    import httpx

    expected = httpx.post(f"{base}/api/check", json={"text": seed_text}, timeout=60).json()["claims"]
    assert expected

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(f"{base}/")
    assert page.title().startswith("Claim checker")
    page.fill("#text", seed_text)
    page.click("#check-button")
    page.wait_for_selector("article.card", timeout=60_000)

    cards = page.locator("article.card")
    badges = page.locator("article.card > header > .badge")
    assert cards.count() == len(expected)
    assert badges.count() == len(expected)
    for i, claim in enumerate(expected):
        badge = badges.nth(i)
        assert badge.is_visible()
        assert badge.get_attribute("data-verdict") == claim["verdict"]
        # the badge is coloured: its background is not transparent
        bg = badge.evaluate("e => getComputedStyle(e).backgroundColor")
        assert bg not in ("rgba(0, 0, 0, 0)", "transparent"), bg
    assert page.locator("article.card svg.chart").count() >= 1
    assert page.locator("article.card mark").count() == len(expected)
    assert page.input_value("#text").strip() == seed_text.strip()  # the text stays in the box

    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / "e2e-checker.png"), full_page=True)

    assert all(u.startswith(base) for u in requests), [u for u in requests if not u.startswith(base)]
    assert not errors, errors  # no script error, no blocked resource (CSP)
    page.close()


def test_pages_in_a_browser(server: tuple[str, Any], browser: Any) -> None:
    base, _ = server
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path, text in (("/trade", "Trade partners"), ("/border", "Border"), ("/sources", "Sources")):
        page.goto(f"{base}{path}")
        assert page.locator("h1").first.inner_text() == text
        if path != "/sources":
            assert page.locator("svg.chart").count() >= 1
        assert page.locator("table").count() >= 1
    assert not errors, errors
    page.close()
