"""End to end in headless Chromium: paste the op-ed into the claim checker, check, see the cards.

The fixtures (the service, the browser) are in conftest.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

OUT = Path(__file__).resolve().parents[2] / "out"

pytestmark = pytest.mark.browser


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
