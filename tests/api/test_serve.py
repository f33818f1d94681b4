"""`usmca serve` passes the idle-connection timeout (USMCA_KEEP_ALIVE) to uvicorn, with one worker or several."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from usmca.api.limits import keep_alive_seconds


def test_serve_passes_keep_alive(monkeypatch: pytest.MonkeyPatch, web_store: Path) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from usmca.cli import app

    assert keep_alive_seconds() == 5
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: seen.update(kw, app=application))
    monkeypatch.setenv("USMCA_KEEP_ALIVE", "7")
    res = CliRunner().invoke(app, ["serve", "--store", str(web_store)])
    assert res.exit_code == 0, res.output
    assert seen["timeout_keep_alive"] == 7
    seen["app"].state.service.reader.close()
    seen.clear()
    from usmca.api import workers

    if workers.balanced_workers_supported():  # usmca's supervisor, a socket per worker (test_workers.py)
        run = lambda self: seen.update(self.options, workers=self.workers) or 0  # noqa: E731
        monkeypatch.setattr(workers.Supervisor, "run", run)
    res = CliRunner().invoke(app, ["serve", "--store", str(web_store), "--workers", "2"])
    assert res.exit_code == 0, res.output
    assert seen["timeout_keep_alive"] == 7 and seen["workers"] == 2


def test_the_service_runs_on_the_c_http_parser_and_event_loop(web_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """httptools and uvloop are dependencies: uvicorn picks them ("auto"), 3.5x the pure-Python throughput."""
    import sys

    import uvicorn

    monkeypatch.setenv("USMCA_STORE", str(web_store))
    config = uvicorn.Config("usmca.api.app:app_from_env", factory=True)
    config.load()  # builds the app (it opens the store read-only)
    assert config.http_protocol_class.__name__ == "HttpToolsProtocol"
    if sys.platform != "win32":
        factory = config.get_loop_factory()
        assert factory is not None and factory.__module__.startswith("uvloop")
