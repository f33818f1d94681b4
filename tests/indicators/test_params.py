"""Every indicator parameter is validated before any work: months 1-12, real years, bounded ranges.

The month-13 bug (an endless month loop behind one request) is pinned here at every face: the
indicator call, the registry, the HTTP API and a YAML claim.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from usmca.indicators.base import Context, IndicatorError, compute, load_all
from usmca.indicators.border import encounters
from usmca.months import PeriodError, fiscal_year_months, months_between, parse_month
from usmca.store import Store, open_reader
from usmca.store.reader import Reader


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    r = open_reader(Store(tmp_path_factory.mktemp("params") / "no-store"))  # the bundled snapshot
    yield r
    r.close()


@pytest.mark.parametrize("month", [13, 0, -1, 100, 2**31])
def test_impossible_month_is_refused_not_looped_or_wrapped(reader: Reader, month: int) -> None:
    t0 = time.perf_counter()
    with pytest.raises(PeriodError, match="month number 1-12"):
        encounters(Context(reader), 2024, month)
    with pytest.raises(IndicatorError, match="month number 1-12"):
        compute(Context(reader), "encounters", year=2024, month=month)
    assert time.perf_counter() - t0 < 1.0


def test_valid_month_still_answers(reader: Reader) -> None:
    fig = encounters(Context(reader), 2024, 12)
    assert fig.ok and fig.value is not None and fig.value > 0
    assert fig.params["month"] == 12


def test_month_ranges_are_built_by_arithmetic() -> None:
    assert months_between((2024, 11), (2025, 2)) == [(2024, 11), (2024, 12), (2025, 1), (2025, 2)]
    assert months_between((2025, 2), (2024, 11)) == []
    assert fiscal_year_months(2025)[0] == (2024, 10) and fiscal_year_months(2025)[-1] == (2025, 9)
    assert len(fiscal_year_months(2025)) == 12
    with pytest.raises(PeriodError):
        months_between((2024, 13), (2025, 1))
    with pytest.raises(PeriodError):
        parse_month("2025-00")
    with pytest.raises(PeriodError):
        parse_month("June 2025")


@pytest.mark.parametrize(
    "params",
    [
        {"start_month": "2024-13", "end_month": "2025-01"},
        {"start_month": "2025-01", "end_month": "2024-01"},
        {"start_month": "0001-01", "end_month": "9999-12"},
    ],
)
def test_bad_month_ranges_are_refused(reader: Reader, params: dict[str, Any]) -> None:
    with pytest.raises(IndicatorError):
        compute(Context(reader), "encounters_monthly_average", **params)


def test_yaml_claim_with_month_zero_is_unverifiable_with_the_reason(reader: Reader, tmp_path: Path) -> None:
    from usmca.claims.check import check_path

    p = tmp_path / "claims.yaml"
    p.write_text(
        "claims:\n  - id: m0\n    metric: encounters\n    params: {year: 2025, month: 0}\n"
        "    comparator: eq\n    value: 30000\n    unit: encounters\n",
        encoding="utf-8",
    )
    report = check_path(str(p), reader)
    (c,) = report.claims
    assert c.verdict == "unverifiable"
    assert "month number 1-12" in c.reason


def test_api_month_13_is_a_quick_422(reader: Reader) -> None:
    from fastapi.testclient import TestClient

    from usmca.api import create_app

    client = TestClient(create_app(reader=reader))
    t0 = time.perf_counter()
    r = client.get("/api/indicators/encounters?year=2024&month=13")
    assert r.status_code == 422, r.text
    assert "month" in r.json()["detail"]
    assert time.perf_counter() - t0 < 2.0


# Any value of any parameter of any indicator: a figure or a clear error, quickly.
VALUES = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**40),
    st.sampled_from(["2025-13", "2025-00", "0-1", "-1", "9999-12", "2024-06", "MX", "", "nan", "1e9"]),
    st.none(),
    st.booleans(),
)


@pytest.fixture(scope="module")
def warm_reader(reader: Reader) -> Reader:
    """The first value-added reading loads the input-output table once per process: not per request."""
    compute(Context(reader), "va_source_ratio", exporter="USA", source="MEX", other="CHN")
    return reader


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_parameter_value_returns_quickly(warm_reader: Reader, data: st.DataObject) -> None:
    reg = load_all()
    name = data.draw(st.sampled_from(sorted(reg)))
    ind = reg[name]
    params: dict[str, Any] = {}
    for pname, spec in ind.params.items():
        if spec["required"] or data.draw(st.booleans()):
            params[pname] = data.draw(VALUES)
    t0 = time.perf_counter()
    try:
        compute(Context(warm_reader), name, **params)
    except IndicatorError:
        pass
    except (TypeError, AttributeError, KeyError) as e:  # a wrong type reaching the metric's code
        pytest.fail(f"{name}({params}) raised {type(e).__name__}: {e}")
    except Exception:  # noqa: BLE001 - other refusals are fine; what matters here is the time bound
        pass
    assert time.perf_counter() - t0 < 2.0, (name, params)  # well under 1 s on a quiet machine
