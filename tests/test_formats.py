"""The one home of number formats (usmca.formats): what readers see for each unit."""

from __future__ import annotations

import pytest

from usmca.formats import amount, axis_labels, exact, in_words, short_number


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (334.04e9, "USD", "$334.0 bn"),
        (3970.4, "USD per person", "$3,970 per person"),
        (15.48, "percent", "15.5%"),
        (2.0, "rank", "rank 2"),
        (8725.0, "encounters", "8,725 encounters"),
        (6725.62, "lb", "6,725.6 lb"),
        (None, "USD", "—"),
    ],
)
def test_amount(value: float | None, unit: str, shown: str) -> None:
    assert amount(value, unit) == shown


def test_in_words_and_exact() -> None:
    assert in_words(1.8527e12) == "1.85 trillion"
    assert in_words(334.04e9) == "334.0 billion"
    assert in_words(8725) == "8,725"
    assert exact(334041359045.0, "USD") == "$334,041,359,045  ($334.0 billion)"
    assert exact(2.0, "rank") == "2 rank"


def test_chart_numbers() -> None:
    assert short_number(25185, "encounters") == "25k"
    assert axis_labels([0, 100e9, 200e9, 400e9], "USD") == ["$0", "$100 bn", "$200 bn", "$400 bn"]
