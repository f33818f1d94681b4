"""Every page in headless Chromium at 1400 px and 390 px: a screenshot under out/ for review, no
overlapping chart labels (their boxes as laid out by the browser), no script or CSP error, and
axe-core (from its npm package, run in the page) with no serious or critical violation.
Also /docs with the network blocked: Swagger UI renders from the app's own files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from usmca.claims.check import check_text
from usmca.report.html import render_html
from usmca.store import Store, open_reader

pytestmark = pytest.mark.browser

OUT = Path(__file__).resolve().parents[2] / "out"
WIDTHS = (1400, 390)
PAGES = ("dashboard", "report", "trade", "border", "sources", "docs")

OVERLAPS = """() => {
  const bad = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const boxes = [...svg.querySelectorAll('text.xl')].map(t => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 1; i < boxes.length; i++) {
      const [pa, a] = boxes[i - 1], [pb, b] = boxes[i];
      if (b.left < a.right && a.left < b.right && b.top < a.bottom && a.top < b.bottom) bad.push(pa + ' / ' + pb);
    }
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory, web_store: Path, seed_text: str) -> Path:
    """The op-ed's HTML report (usmca report), as a file."""
    reader = open_reader(Store(web_store))
    try:
        rep = check_text(seed_text, reader, document="usmca-oped.txt")
    finally:
        reader.close()
    p = tmp_path_factory.mktemp("report") / "report.html"
    p.write_text(render_html(rep), encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def pages(server: tuple[str, Any], browser: Any, report_file: Path, seed_text: str) -> Iterator[Any]:
    base, _ = server

    def open_page(name: str, width: int) -> tuple[Any, list[str]]:
        page = browser.new_page(viewport={"width": width, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        if name == "report":
            page.goto(report_file.as_uri())
        elif name == "dashboard":
            page.goto(f"{base}/")
            page.fill("#text", seed_text)
            page.click("#check-button")
            page.wait_for_selector("article.card", timeout=60_000)
        elif name == "docs":
            page.goto(f"{base}/docs")
            page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
        else:
            page.goto(f"{base}/{name}")
        return page, errors

    yield open_page


def _axe(page: Any, source: str) -> list[dict[str, Any]]:
    page.evaluate(source)  # CDP evaluation: not subject to the page's CSP, nothing is added to the page
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_at_width(pages: Any, axe_source: str, name: str, width: int) -> None:
    page, errors = pages(name, width)
    try:
        OUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUT / f"e2e-{name}-{width}.png"), full_page=True)
        if name not in ("docs", "sources"):
            assert page.locator("svg.chart").count() >= 1, name
        # nothing wider than the window: wide tables scroll inside their own box, sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, name
        overlaps = page.evaluate(OVERLAPS)
        assert not overlaps, f"x-axis labels overlap on {name} at {width}px: {overlaps}"
        serious = _axe(page, axe_source)
        summary = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]} for v in serious
        ]
        assert not serious, json.dumps(summary, indent=1)
        assert not errors, errors
    finally:
        page.close()


def test_report_card_screenshot_for_review(pages: Any) -> None:
    """One card of the report, at reading width: out/e2e-report-card.png (the README's picture)."""
    page, _ = pages("report", 900)
    try:
        card = page.locator("article.card.v-contradicted").first
        assert card.is_visible()
        OUT.mkdir(exist_ok=True)
        card.screenshot(path=str(OUT / "e2e-report-card.png"))
    finally:
        page.close()


def test_docs_render_offline_with_a_strict_csp(server: tuple[str, Any], browser: Any) -> None:
    """Every request to anything but the app is aborted: Swagger UI still renders from the app's files."""
    base, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    blocked: list[str] = []
    served: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(base):
            served.append(r.request.url)
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(f"{base}/docs")
    assert response is not None and response.status == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe" not in csp
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "usmca" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/check" in p for p in paths) and any("/api/sources" in p for p in paths)
    # the stylesheet applied: Swagger UI's own layout, not unstyled markup
    assert page.locator(".swagger-ui .wrapper").first.evaluate("e => getComputedStyle(e).maxWidth") != "none"
    assert not blocked, blocked
    assert any(u.endswith("/openapi.json") for u in served)
    assert not errors, errors  # a CSP violation would be a console error
    page.close()
