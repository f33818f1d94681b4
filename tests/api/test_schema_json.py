"""The request schema says what /api/check accepts; no NaN, NaT or Infinity in any JSON answer."""

from __future__ import annotations

import json
import math
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from usmca.api import create_app
from usmca.api.app import clean, to_json


@pytest.fixture(scope="module")
def client(api_reader: Any) -> TestClient:
    return TestClient(create_app(reader=api_reader))


@pytest.fixture(scope="module")
def check_schema(client: TestClient) -> Any:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/check"]["post"]["requestBody"]
    assert body["required"] is True
    ref = body["content"]["application/json"]["schema"]["$ref"]
    schema = {**spec["components"]["schemas"][ref.rsplit("/", 1)[1]], "components": spec["components"]}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_schema_says_text_or_yaml_is_required(check_schema: Any) -> None:
    s = check_schema.schema
    assert {"required": ["text"]} in s["oneOf"] and {"required": ["yaml"]} in s["oneOf"]
    assert s["additionalProperties"] is False
    assert not check_schema.is_valid({})
    assert not check_schema.is_valid({"as_of": "2025-07-01"})
    assert check_schema.is_valid({"text": "x"})


# every body: (fits the schema?) must equal (accepted, i.e. not refused for its shape)
BODIES: list[Any] = [
    {},
    {"as_of": "2025-07-01"},
    {"document": "d"},
    {"text": None},
    {"yaml": None},
    {"text": None, "yaml": "b"},
    {"text": "a", "yaml": "b"},
    {"text": 3},
    {"text": ["x"]},
    {"text": "x", "other": 1},
    {"text": "x", "as_of": "July"},
    {"text": "x", "as_of": "0001-01-01"},
    {"text": "x", "as_of": "2101-01-01"},
    {"text": "x", "as_of": "2025-02-30"},
    {"text": "x", "as_of": 20250701},
    {"text": "x", "as_of": "2025-07-01T00:00:00"},
    {"text": "x", "document": "d" * 201},
    [],
    "text",
    {"text": "Mexico purchased $335 billion of American goods in 2024."},
    {"text": "Mexico purchased $335 billion of American goods in 2024.", "as_of": "2025-07-01", "document": None},
    {"text": "Mexico purchased $335 billion of American goods in 2024.", "as_of": None},
    {"yaml": "- metric: trade_value\n  params: {partner: MX, year: 2024}\n  value: 3.35e11\n", "document": "c"},
    {"text": "x", "as_of": "1900-01-01"},
    {"text": "x", "as_of": "2100-12-31"},
]


@pytest.mark.parametrize("body", BODIES, ids=[json.dumps(b)[:60] for b in BODIES])
def test_schema_matches_what_is_accepted(client: TestClient, check_schema: Any, body: Any) -> None:
    r = client.post("/api/check", json=body)
    fits = check_schema.is_valid(body)
    shape_refused = r.status_code == 422 and isinstance(r.json()["detail"], list)  # FastAPI's field errors
    assert fits == (not shape_refused), (r.status_code, r.text)
    assert r.status_code in (200, 422)


def _strict(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in JSON")

    return json.loads(text, parse_constant=refuse)


def _walk(x: Any, path: str = "") -> None:
    if isinstance(x, dict):
        for k, v in x.items():
            _walk(v, f"{path}.{k}")
    elif isinstance(x, list):
        for i, v in enumerate(x):
            _walk(v, f"{path}[{i}]")
    elif isinstance(x, float):
        assert math.isfinite(x), path
    elif isinstance(x, str):
        assert x not in ("NaT", "NaN", "nan", "Infinity", "-Infinity", "None"), (path, x)


def test_sources_json_has_no_nat_and_iso_dates(client: TestClient) -> None:
    from datetime import date, datetime

    rows = _strict(client.get("/api/sources").text)
    assert rows
    _walk(rows)
    assert any(r["retrieved_at"] is None for r in rows), "the web store has sources never retrieved (NaT)"
    for r in rows:
        assert date.fromisoformat(r["vintage"]).isoformat() == r["vintage"], r["vintage"]  # YYYY-MM-DD
        for col in ("retrieved_at", "loaded_at"):
            if r.get(col) is not None:
                datetime.fromisoformat(r[col])


def test_indicators_json_is_strict(client: TestClient) -> None:
    described = _strict(client.get("/api/indicators").text)
    _walk(described)
    for q in ("trade_value?partner=MX&year=2024", "trade_value?partner=MX&year=1950"):
        _walk(_strict(client.get(f"/api/indicators/{q}").text))


def test_clean_turns_missing_values_into_null() -> None:
    import numpy as np
    import pandas as pd

    out = clean(
        {
            "nat": pd.NaT,
            "np_nat": np.datetime64("NaT"),
            "nan": float("nan"),
            "np_nan": np.float64("nan"),
            "inf": float("inf"),
            "ts": pd.Timestamp("2025-04-01"),
            "na": pd.NA,
        }
    )
    assert out == {
        "nat": None,
        "np_nat": None,
        "nan": None,
        "np_nan": None,
        "inf": None,
        "ts": "2025-04-01T00:00:00",
        "na": None,
    }
    assert b"NaT" not in to_json([pd.NaT])
