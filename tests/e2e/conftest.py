"""Fixtures of the browser tests: the service on a loopback port, Debian's chromium, axe-core.

Uses Debian's chromium at /usr/bin/chromium (install: .ci/install-browser.sh). Without it the
tests are skipped, unless the environment variable CI is set: then they fail. axe-core comes from
its npm package (node_modules/axe-core, installed by the same script, which the axe fixture runs
when the file is missing).
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import build_web_store
from usmca.store import Store, open_reader

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


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js from the npm package axe-core (installed by .ci/install-browser.sh when missing)."""
    _need_browser()
    if not AXE.exists():
        res = subprocess.run(
            ["bash", str(ROOT / ".ci" / "install-browser.sh")], capture_output=True, text=True, timeout=300
        )
        if not AXE.exists():
            pytest.fail(f"axe-core could not be installed (.ci/install-browser.sh): {res.stderr[-500:]}")
    return AXE.read_text(encoding="utf-8")
