"""Property-based tests of the API against its own OpenAPI schema: no input gives a 5xx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from tests.conftest import build_web_store
from usmca.api import create_app
from usmca.store import Store, open_reader


@pytest.fixture(scope="session")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Any:
    reader = open_reader(Store(build_web_store(tmp_path_factory.getbasetemp(), shared_data)))
    yield create_app(reader=reader)
    reader.close()


@pytest.fixture(scope="session")
def api_schema(fuzz_app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


OPERATIONS = [
    ("POST", "/api/check"),
    ("GET", "/api/indicators"),
    ("GET", "/api/indicators/{name}"),
    ("GET", "/api/sources"),
]


def test_every_api_operation_is_fuzzed(api_schema: Any) -> None:
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


# `schemathesis.pytest.from_fixture(...).parametrize()` breaks on pytest 9 (it sets
# `node._nodeid`), so each operation's strategy is driven by Hypothesis directly.
POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
# negative cases only where the schema has an input that can be wrong (the JSON body; any text
# is a valid indicator name in the path, and a wrong one is a 404)
CASES = [(m, p, POSITIVE) for m, p in OPERATIONS] + [("POST", "/api/check", NEGATIVE)]


@pytest.mark.parametrize("method, path, mode", CASES, ids=[f"{m} {p} {g.value}" for m, p, g in CASES])
def test_no_server_error(api_schema: Any, method: str, path: str, mode: Any) -> None:
    strategy = api_schema[path][method].as_strategy(generation_mode=mode)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=strategy)
    def run(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    run()


# The schema cannot list each indicator's parameters (they go in the query string), so fuzz
# them here: any indicator, any of its parameters, any text.
_text = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(
        [
            "MX",
            "CA,MX",
            "2025-06",
            "2021-01",
            "none",
            "true",
            "nan",
            "inf",
            "-1",
            "1e308",
            "WLD",
            "G:0003",
            ",",
            "HS2:85",
            "goods_services",
            "bop",
            "usbp",
            "southwest",
        ]
    ),
)


@pytest.fixture(scope="session")
def fuzz_client(fuzz_app: Any) -> TestClient:
    return TestClient(fuzz_app)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_indicator_params_never_500(fuzz_client: TestClient, data: st.DataObject) -> None:
    described = fuzz_client.get("/api/indicators").json()
    ind = data.draw(st.sampled_from(described), label="indicator")
    names = [*ind["params"], "bogus"]
    keys = data.draw(st.lists(st.sampled_from(names), max_size=4, unique=True), label="keys")
    params = {k: data.draw(_text, label=k) for k in keys}
    r = fuzz_client.get(f"/api/indicators/{ind['name']}", params=params)
    assert r.status_code < 500, (ind["name"], params, r.text)
    assert r.status_code in (200, 422), (ind["name"], params, r.text)
