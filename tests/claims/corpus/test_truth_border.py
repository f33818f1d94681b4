"""The border half of the development corpus keeps honest labels: every item's label follows from the files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.claims.corpus.check_truth import derive_label, load_items, problems
from tests.claims.corpus.truth import compute


def _mine() -> list[dict[str, Any]]:
    return [it for it in load_items() if it["_file"].startswith("border")]


def test_border_items_have_no_problems(shared_data: Path) -> None:
    items = _mine()
    assert len(items) >= 150
    bad = [p for it in items for p in problems(it)]
    assert bad == []


def test_border_ids_are_unique_and_prefixed() -> None:
    ids = [it["id"] for it in load_items()]
    mine = [it["id"] for it in _mine()]
    assert all(i.startswith("bd-") for i in mine)
    assert [i for i, n in Counter(ids).items() if n > 1 and i.startswith("bd-")] == []


def test_border_labels_are_balanced() -> None:
    labels = Counter(it["label"] for it in _mine())
    checkable = labels["true"] + labels["false"]
    assert labels["uncheckable"] >= 25
    assert 0.4 <= labels["true"] / checkable <= 0.6


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"fn": "cbp_encounters_month", "args": {"month": "2025-06"}}, 25_185),
        ({"fn": "cbp_encounters_fy", "args": {"fy": 2023}}, 3_201_144),
        ({"fn": "cbp_encounters_fy", "args": {"fy": 2022, "region": "southwest"}}, 2_378_944),
        ({"fn": "cbp_seizures", "args": {"drug": "Fentanyl", "fy": 2026, "through": "2026-04"}}, 6_725.6),
        ({"fn": "cbp_seizures", "args": {"drug": "Fentanyl", "fy": 2024, "component": "usbp"}}, 2_988.9),
        ({"fn": "fred_employment_change", "args": {"series": "MANEMP", "start": "2025-01", "end": "2025-12"}}, -93_000),
        ({"fn": "ohss_usbp_month", "args": {"month": "2024-11"}}, 47_540),
    ],
)
def test_truth_functions_reproduce_the_manifest(shared_data: Path, spec: dict[str, Any], expected: float) -> None:
    """Figures the data manifest checked by hand, so a broken reader cannot relabel the corpus unnoticed."""
    assert compute(spec) == pytest.approx(expected, abs=0.06)


def test_derived_label_rules_used_by_the_corpus() -> None:
    # "fell by almost half" with a 45% fall, and a published "over" floor met by the same floor
    assert derive_label("points", 50.0, 45.05, "under") == "true"
    assert derive_label("level", 49_000.0, 49_000.0 * 1.000001, "over") == "true"
