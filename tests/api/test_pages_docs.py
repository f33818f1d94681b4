"""The Sources and Border pages, and the API docs served offline with a strict CSP."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from usmca.api import create_app


@pytest.fixture(scope="module")
def client(api_reader: Any) -> TestClient:
    return TestClient(create_app(reader=api_reader))


class _Table(HTMLParser):
    """The rows of the first <table class="data"> (cell text), and the attributes of every tag."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_sources_page_full_table_sorted_with_copyable_sha(client: TestClient) -> None:
    r = client.get("/sources")
    assert r.status_code == 200
    t = _Table()
    t.feed(r.text)
    api = client.get("/api/sources").json()
    assert len(t.rows) == len(api)  # every source, in one table
    agency_vintage = [(row[1], row[4]) for row in t.rows]
    assert agency_vintage == sorted(agency_vintage)
    assert len({a for a, _ in agency_vintage}) > 1
    # the full sha256 in a <code>, with a copy button carrying it
    shas = {s["sha256"] for s in api if s["sha256"]}
    codes = re.findall(r'<code class="sha">([0-9a-f]+)</code>', r.text)
    assert set(codes) == shas and all(len(c) == 64 for c in codes)
    buttons = [a for tag, a in t.tags if tag == "button" and "copy" in (a.get("class") or "")]
    assert {b["data-copy"] for b in buttons} == shas
    assert all(b.get("type") == "button" for b in buttons)
    # the copy works without any external script: the handler is in the page's inline script
    assert "<script src" not in r.text and "navigator.clipboard" in r.text and 'execCommand("copy")' in r.text
    # a full-width table, not a small scroll box
    assert '<main class="report wide">' in r.text
    assert '<div class="tablewrap full" tabindex="0" role="region"' in r.text
    assert re.search(r"\.tablewrap\.full \{[^}]*max-height: none", r.text)
    assert re.search(r"main\.report\.wide \{[^}]*max-width: none", r.text)


def test_border_page_lists_files_by_vintage(client: TestClient) -> None:
    r = client.get("/border")
    assert r.status_code == 200
    notes = re.findall(r"Source: ([^<]*)", r.text)
    assert notes
    for note in notes:
        vintages = re.findall(r"\(vintage (\d{4}-\d{2}-\d{2})\)", note)
        assert vintages == sorted(vintages)
    encounters = re.findall(r"\(vintage (\d{4}-\d{2}-\d{2})\)", notes[0])
    assert len(encounters) >= 2, "the web store has two CBP encounter files"
    assert '<div class="tablewrap" tabindex="0" role="region"' in r.text  # a scroll box, keyboard-scrollable


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self.inline_script = False
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
            self._in_script = True
        elif tag == "link":
            self.links.append(a)
        elif tag == "style" or any(k == "style" or k.startswith("on") for k in a):
            self.inline_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script = True


def test_docs_work_offline_with_a_strict_csp(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp and "default-src 'none'" in csp
    assert "unsafe" not in csp and "http" not in csp
    page = _Assets()
    page.feed(r.text)
    assert not page.inline_script, "no inline script or style: the CSP would block it"
    assert len(page.scripts) >= 2
    urls = [s["src"] for s in page.scripts] + [lk["href"] for lk in page.links]
    assert all(u and u.startswith("/") and not u.startswith("//") for u in urls), urls
    for u in urls:
        assert u is not None
        got = client.get(u)
        assert got.status_code == 200, u
        assert len(got.content) > 10
    bundle = client.get(next(u for u in urls if u and u.endswith("swagger-ui-bundle.js")))
    assert "SwaggerUIBundle" in bundle.text and bundle.headers["content-type"].startswith("text/javascript")
    init = client.get(next(u for u in urls if u and u.endswith("docs-init.js")))
    assert "/openapi.json" in init.text and "validatorUrl: null" in init.text
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs/assets/../app.py").status_code == 404
    assert client.get("/docs/assets/index.html").status_code == 404  # only the files listed are served
    assert client.get("/redoc").status_code == 404  # ReDoc would load from a CDN: not served
