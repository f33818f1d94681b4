"""Earliest writing date of a text, from the periods it cites (check.infer_as_of on the period grammar)."""

from __future__ import annotations

from datetime import date

import pytest

from usmca.claims.check import infer_as_of
from usmca.claims.discourse import earliest_writing_date
from usmca.claims.periods import find_periods


class _Got:
    def __init__(self, d: date, phrase: str) -> None:
        self.date, self.phrase = d, phrase


def infer_earliest_date(text: str, today: date | None = None) -> _Got | None:
    d, phrase = earliest_writing_date(find_periods(text, today=today), text, today)
    return _Got(d, phrase) if d is not None and phrase is not None and (today is None or d <= today) else None


TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    "text,expected,phrase",
    [
        ("Shipments to Mexico set a record in June 2025.", date(2025, 7, 1), "June 2025"),
        ("In 2024 the United States sold more to Canada than to China.", date(2025, 1, 1), "2024"),
        (
            "Since February 2025, Mexican forces have seized hundreds of kilos of fentanyl.",
            date(2025, 2, 1),
            "February 2025",
        ),
        ("Crossings are well below the 2021–2024 average.", date(2025, 1, 1), "2021–2024"),
        ("Apprehensions in fiscal year 2025 were the fewest in decades.", date(2025, 10, 1), "fiscal year 2025"),
        ("FY2025 encounters fell sharply.", date(2025, 10, 1), "FY2025"),
        ("Between January and April 2025 the count fell.", date(2025, 5, 1), "January and April 2025"),
        ("The tariffs took effect on March 4, 2025.", date(2025, 3, 4), "March 4, 2025"),
        ("Exports in the first quarter of 2025 grew.", date(2025, 4, 1), "first quarter of 2025"),
        ("The H1 2025 figures are in.", date(2025, 7, 1), "H1 2025"),
        ("As of May 2025 the total stood at 163 kg.", date(2025, 5, 1), "May 2025"),
        ("The 2025 total so far is modest.", date(2025, 1, 1), "2025"),
    ],
)
def test_examples(text: str, expected: date, phrase: str) -> None:
    got = infer_earliest_date(text, today=TODAY)
    assert got is not None
    assert got.date == expected
    assert phrase.lower() in got.phrase.lower()  # the phrase it came from (with its own words, "since", "the")


def test_latest_period_wins() -> None:
    text = (
        "Trade grew in 2023 and again in 2024; by June 2025 the monthly figures showed a dip, "
        "and FY2024 seizures were higher."
    )
    got = infer_earliest_date(text, today=TODAY)
    assert got is not None and got.date == date(2025, 7, 1) and got.phrase == "June 2025"
    kinds = {p.kind for p in find_periods(text, today=TODAY)}
    assert {"year", "month", "fiscal_year"} <= kinds


@pytest.mark.parametrize(
    "text",
    [
        "No period is cited here at all.",
        "The plan is to double trade by 2030.",  # a target, not data
        "Trade will grow in 2028.",  # after today: a projection
        "Imports reached $2024 million.",  # an amount, not a year
        "about 2,024,000 tons",
    ],
)
def test_no_date(text: str) -> None:
    assert infer_earliest_date(text, today=TODAY) is None


def test_period_in_progress_gives_its_start() -> None:
    got = infer_earliest_date("Seizures in 2026 are up.", today=TODAY)
    assert got is not None and got.date == date(2026, 1, 1)
    got = infer_earliest_date("FY2026 encounters", today=TODAY)
    assert got is not None and got.date == date(2025, 10, 1)


def test_fiscal_year_is_not_also_a_calendar_year() -> None:
    assert [p.kind for p in find_periods("In FY2025 the count fell.", today=TODAY)] == ["fiscal_year"]
    got = infer_earliest_date("In FY2025 the count fell.", today=TODAY)
    assert got is not None and got.date == date(2025, 10, 1)


def test_the_check_dates_a_text_from_its_latest_period() -> None:
    assert infer_as_of("CBP counted 25,185 encounters in June 2025.")[0] == date(2025, 7, 1)
    assert infer_as_of("Exports will reach $500 billion in 2030.")[0] is None
