"""The trade and economy corpus items (tr-*) keep labels that follow from the agencies' files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.claims.corpus.check_truth import load_items, problems
from tests.claims.corpus.truth import compute


def _mine() -> list[dict]:
    return [it for it in load_items() if str(it.get("id", "")).startswith("tr-")]


def test_trade_items_have_no_problems(shared_data: Path) -> None:
    items = _mine()
    assert len(items) >= 170
    bad = [p for it in items for p in problems(it)]
    ids = Counter(it["id"] for it in items)
    bad += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    assert bad == []


def test_trade_items_are_balanced(shared_data: Path) -> None:
    labels = Counter(it["label"] for it in _mine())
    checkable = labels["true"] + labels["false"]
    assert labels["uncheckable"] >= 10
    assert 0.4 <= labels["true"] / checkable <= 0.6


def test_truth_functions_match_published_totals(shared_data: Path) -> None:
    # the manifest's checked values for 2024 ($ million), read independently of the items
    assert compute(
        {"fn": "census_goods", "args": {"partner": "MEX", "flow": "exports", "year": 2024}}
    ) == pytest.approx(334_041.4e6)
    assert compute(
        {"fn": "census_goods", "args": {"partner": "WLD", "flow": "imports", "year": 2024}}
    ) == pytest.approx(3_267_461e6, rel=1e-6)
    deficit = compute({"fn": "census_goods", "args": {"partner": "MEX", "flow": "deficit", "year": 2024}})
    assert deficit == pytest.approx((505_850.6 - 334_041.4) * 1e6)
    assert compute({"fn": "bea_trade", "args": {"partner": "MEX", "flow": "exports", "year": 2024}}) == 383_336e6
    assert compute({"fn": "hs2_exports", "args": {"partner": "MEX", "chapter": "85", "year": 2024}}) == pytest.approx(
        55_639.1e6, rel=1e-5
    )
    assert compute({"fn": "wdi", "args": {"indicator": "pop", "country": "MEX", "year": 2024}}) == 130_861_007
    assert compute({"fn": "census_rank", "args": {"partner": "CAN", "flow": "exports", "year": 2024}}) == 1
    assert compute({"fn": "census_became_top", "args": {"partner": "MEX", "flow": "imports", "year": 2023}}) == 1


def test_partial_2025_months_are_refused(shared_data: Path) -> None:
    # country.xlsx has 2025 only for January-February; later months are zeros, not data
    with pytest.raises(ValueError):
        compute({"fn": "census_goods", "args": {"partner": "MEX", "flow": "exports", "year": 2025, "month": 3}})
