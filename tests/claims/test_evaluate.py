"""Verdict rules: rounding of the claimed number, hedges, comparisons, running totals; never a guess."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from usmca.claims.evaluate import HEDGE_TOLERANCE, PLAIN_TOLERANCE, evaluate, judge, letter_tolerance
from usmca.claims.model import Claim, Reading
from usmca.indicators.base import Context
from usmca.store import Store, open_reader
from usmca.store.reader import Reader

MEX_EXPORTS_2024 = 334_041_359_045.0  # Census country.xlsx, 2024, $334,041.4 million


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    r = open_reader(Store(tmp_path_factory.mktemp("evaluate") / "no-store"))
    yield r
    r.close()


# ------------------------------------------------------------------------------------ tolerances
def test_tolerance_constants() -> None:
    assert HEDGE_TOLERANCE == 0.10
    assert PLAIN_TOLERANCE == 0.02


@pytest.mark.parametrize(
    "value,precision,expected",
    [
        (335e9, 1e9, 0.5 / 335),  # "$335 billion": anything that rounds to 335
        (2.3, 0.1, 0.02),  # "2.3": rounding allows 2.2%, capped at 2%
        (2.5, 0.1, 0.05 / 2.5),
        (4000.0, 1000.0, 0.02),  # "$4,000": half a thousand is 12.5%, capped at 2%
        (25185.0, 1.0, 0.001),  # never below 0.1%
        (335e9, None, 0.5 / 335),  # YAML claims: precision implied by the digits
    ],
)
def test_letter_tolerance(value: float, precision: float | None, expected: float) -> None:
    assert letter_tolerance(value, precision) == pytest.approx(expected)


def _v(comparator: str, claimed: float, computed: float | None, **kw: object) -> str:
    return judge(comparator, claimed, computed, **kw)[0]  # type: ignore[arg-type]


def test_unhedged_figure_rounding_and_two_percent() -> None:
    # "$334 billion" for 334.04: rounds to the claim
    assert _v("eq", 334e9, MEX_EXPORTS_2024, precision=1e9) == "supported"
    # "$335 billion": off the letter by 0.3%, within the 2% an unhedged figure gets
    verdict, reason, diff = judge("eq", 335e9, MEX_EXPORTS_2024, precision=1e9)
    assert verdict == "approximately"
    assert "2%" in reason
    assert diff == pytest.approx(-0.29, abs=0.01)
    # "$345 billion": 3.2% off, more than 2% for a claim with no hedge word
    assert _v("eq", 345e9, MEX_EXPORTS_2024, precision=1e9) == "contradicted"


def test_hedged_figure_gets_ten_percent() -> None:
    assert _v("about", 345e9, MEX_EXPORTS_2024, hedge="about", precision=1e9) == "approximately"
    assert _v("about", 380e9, MEX_EXPORTS_2024, hedge="about", precision=1e9) == "contradicted"
    # "roughly $250 billion" is 34% off
    assert _v("about", 250e9, MEX_EXPORTS_2024, hedge="roughly", precision=1e9) == "contradicted"


def test_nearly_accepts_a_little_less_but_not_more() -> None:
    assert _v("pct_lower", 90.0, -88.96, hedge="nearly", precision=10.0) == "supported"
    assert _v("about", 258.0, 240.0, hedge="nearly", precision=1.0) == "supported"
    assert _v("about", 258.0, 270.0, hedge="nearly", precision=1.0) == "approximately"


def test_over_and_under() -> None:
    assert _v("over", 4000.0, 4100.0, hedge="over", precision=1000.0) == "supported"
    verdict, reason, _ = judge("over", 4000.0, 3969.8, hedge="over", precision=1000.0)
    assert (verdict, reason) == ("approximately", "3,970 is close to but not above 4,000")
    assert _v("over", 4000.0, 3000.0, hedge="over", precision=1000.0) == "contradicted"
    # a comparison with no hedge word (e.g. from YAML) gets only 2%
    assert _v("over", 1.0, 0.955) == "contradicted"
    assert _v("over", 1.0, 0.99) == "approximately"
    assert _v("under", 500_000.0, 691_906.0, hedge="below") == "contradicted"
    assert _v("under", 500_000.0, 400_000.0, hedge="below") == "supported"


def test_ratio_and_percent() -> None:
    assert _v("times", 2.3, 2.327, precision=0.1) == "supported"
    assert _v("times", 3.3, 2.327, precision=0.1) == "contradicted"
    assert _v("pct_lower", 50.0, -88.96, hedge="roughly", precision=10.0) == "contradicted"


def test_ranks_and_booleans() -> None:
    assert judge("largest", 1.0, 1.0)[0] == "supported"
    verdict, reason, _ = judge("largest", 1.0, 2.0)
    assert (verdict, reason) == ("contradicted", "ranks 2, not the largest")
    assert judge("lowest", 1.0, 1.0)[0] == "supported"
    assert judge("true", 1.0, 1.0)[0] == "supported"
    assert judge("true", 1.0, 0.0)[0] == "contradicted"
    assert judge("eq", 2.0, 2.0)[0] == "supported"  # "second-largest"
    assert judge("eq", 2.0, 3.0)[0] == "contradicted"


def test_negative_values_deficits() -> None:
    # a deficit of $171.8 billion is a balance of -171.8 billion
    assert _v("eq", -171.8e9, -171_809_239_538.0, precision=1e8) == "supported"
    assert _v("eq", 171.8e9, -171_809_239_538.0, precision=1e8) == "contradicted"


def test_running_total_brackets() -> None:
    bracket = [163.0, 310.89]  # published 4 April and 16 July 2025
    assert judge("about", 163.0, 163.0, hedge=None, precision=1.0, bracket=bracket)[0] == "supported"
    verdict, reason, _ = judge("about", 258.0, 163.0, hedge="nearly", precision=1.0, bracket=bracket)
    assert verdict == "approximately"
    assert "no exact figure" in reason
    assert judge("about", 600.0, 163.0, hedge="nearly", precision=1.0, bracket=bracket)[0] == "contradicted"
    assert judge("about", 100.0, 163.0, hedge="nearly", precision=1.0, bracket=bracket)[0] == "contradicted"


def test_nothing_computed_is_unverifiable() -> None:
    assert judge("eq", 5.0, None)[0] == "unverifiable"
    assert judge("eq", 5.0, float("nan"))[0] == "unverifiable"
    assert judge("eq", None, 5.0)[0] == "unverifiable"  # type: ignore[arg-type]


# --------------------------------------------------------------------------------- with the data
def test_evaluate_trade_value_with_evidence(reader: Reader) -> None:
    claim = Claim(
        id="t",
        metric="trade_value",
        params={"partner": "MEX", "year": 2024, "flow": "exports", "_precision": 1e9},
        comparator="eq",
        value=335e9,
        unit="USD",
    )
    r = evaluate(claim, Context(reader))
    assert r.verdict == "approximately"
    assert r.computed is not None and r.computed.value == pytest.approx(MEX_EXPORTS_2024, rel=1e-9)
    assert "_precision" not in r.params
    assert r.evidence and r.evidence[0].file == "country.xlsx"
    assert r.evidence[0].agency and "Census" in r.evidence[0].agency
    assert r.queries


def test_readings_are_judged_and_disagreement_noted(reader: Reader) -> None:
    claim = Claim(
        id="t",
        metric="per_capita_trade",
        params={"partners": ["MEX", "CAN"], "year": 2024},
        comparator="over",
        value=4000.0,
        hedge="over",
        unit="USD per person",
        readings=[
            Reading(name="Mexico alone", metric="per_capita_trade", params={"partners": ["MEX"], "year": 2024}),
            Reading(name="Canada alone", metric="per_capita_trade", params={"partners": ["CAN"], "year": 2024}),
        ],
    )
    r = evaluate(claim, Context(reader))
    assert r.verdict == "approximately"
    assert r.computed is not None and r.computed.value == pytest.approx(3970, abs=5)
    assert [(o.name, o.verdict) for o in r.other_readings] == [
        ("Mexico alone", "contradicted"),
        ("Canada alone", "supported"),
    ]
    assert any(n.startswith("readings disagree") for n in r.notes)


@pytest.mark.parametrize(
    "metric,params",
    [
        ("no_such_metric", {}),
        ("trade_value", {"partner": "Atlantis", "year": 2024}),
        ("trade_value", {"partner": "MEX", "year": 1975}),  # before the Census series starts (1985)
        ("trade_value", {"partner": "MEX", "year": 2030}),
        ("trade_value", {"partner": "MEX"}),  # a required parameter missing
        ("small_business_exports", {"partners": ["MEX"], "year": 2024}),
    ],
)
def test_what_cannot_be_computed_is_unverifiable_with_a_reason(
    reader: Reader, metric: str, params: dict[str, object]
) -> None:
    r = evaluate(Claim(id="x", metric=metric, params=params, comparator="eq", value=1e9, unit="USD"), Context(reader))
    assert r.verdict == "unverifiable"
    assert r.computed is None
    assert r.missing
    assert r.reason == r.missing


def test_unverifiable_small_business_names_the_census_profile(reader: Reader) -> None:
    r = evaluate(
        Claim(
            id="x",
            metric="small_business_exports",
            params={"partners": ["MEX"], "year": 2024},
            comparator="over",
            value=110e9,
            unit="USD",
        ),
        Context(reader),
    )
    assert "Profile of U.S. Importing and Exporting Companies" in r.reason


def test_snapshot_path_is_reported(reader: Reader, tmp_path: Path) -> None:
    assert reader.datasets.get("census.country") == "snapshot"


def test_running_total_comparisons() -> None:
    bracket = [163.0, 310.89]  # the total on the text's date lies between these
    assert judge("over", 150.0, 163.0, hedge="more than", bracket=bracket)[0] == "supported"
    assert judge("over", 200.0, 163.0, hedge="more than", bracket=bracket)[0] == "approximately"
    assert judge("over", 453.6, 163.0, hedge="over", bracket=bracket)[0] == "contradicted"
    assert judge("under", 400.0, 163.0, hedge="less than", bracket=bracket)[0] == "supported"
    assert judge("under", 100.0, 163.0, hedge="less than", bracket=bracket)[0] == "contradicted"
