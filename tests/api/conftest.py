"""Fixtures of the API tests: one read-only reader of the web store, shared by the session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from usmca.store import Store, open_reader


@pytest.fixture(scope="session")
def api_reader(web_store: Path) -> Iterator[Any]:
    r = open_reader(Store(web_store))
    yield r
    r.close()
