"""The period grammar (usmca.claims.periods): what each rule reads, its role, and what it refuses."""

from __future__ import annotations

import importlib.resources
import time
from datetime import date

import pytest

from usmca.claims.periods import (
    Period,
    describe,
    find_periods,
    latest_period_end,
    lexicon,
    resolve_month_without_year,
)

TODAY = date(2025, 7, 1)


def real(text: str, today: date | None = TODAY) -> list[Period]:
    """The periods of a text, copyright footers left out (as callers do)."""
    return [p for p in find_periods(text, today=today) if p.kind != "copyright"]


def one(text: str, today: date | None = TODAY) -> Period:
    ps = real(text, today)
    assert len(ps) == 1, [(p.kind, p.text) for p in ps]
    return ps[0]


def sig(p: Period) -> tuple[str, tuple[int, int], tuple[int, int]]:
    return p.kind, p.start, p.end


# ------------------------------------------------------------------------------------------ years
@pytest.mark.parametrize(
    "text, word",
    [
        ("Mexico overtook China as the top U.S. trading partner in 2024.", "2024"),
        ("2024's surplus with Canada was smaller.", "2024"),
        ("The deficit (2024) widened.", "2024"),
        ("Crossings fell in 1999 at El Paso.", "1999"),
        ("By the numbers for 2100 nothing is known.", "2100"),
        ("In 2024 trucks carried most of the freight.", "2024"),  # a period word before the count noun
        ("the U.S. 2024 trade deficit", "2024"),  # "S." of U.S. is not a Senate bill
    ],
)
def test_a_year_standing_alone(text: str, word: str) -> None:
    p = one(text)
    y = int(word)
    assert sig(p) == ("year", (y, 1), (y, 12))
    assert p.text == word and text[p.span[0] : p.span[1]] == word
    assert p.role == "point" and not p.fiscal


@pytest.mark.parametrize(
    "text",
    [
        "Some 2,024 trucks crossed at Laredo.",
        "The part sells for $2024 apiece.",
        "Agents seized 2024 kg of methamphetamine.",
        "A share of 2024 percent is not possible.",
        "Inspectors counted 2024 trucks on Monday.",
        "The number 20245 is a zip code.",
        "A ratio of 2024.5 was reported.",
        "Section 232 tariffs cover steel.",
        "H.R. 2024 would change the rules of origin.",
        "See Section 2024 of the code.",
        "The bill S. 2024 failed.",
        "Dealers sold the 2025 Ford at a loss.",
        "It is a 2025 model year pickup.",
        "Pages 1899 and 2101 are out of range.",
        "Call 555-2024 for the port office.",
    ],
)
def test_numbers_that_are_not_years(text: str) -> None:
    assert real(text) == []


# ------------------------------------------------------------------------------------------ months and days
@pytest.mark.parametrize(
    "text, words",
    [
        ("Exports rose in June 2025.", "June 2025"),
        ("Imports peaked in June of 2025.", "June of 2025"),
        ("Trade hit a high in Jun. 2025.", "Jun. 2025"),
        ("The report covers June, 2025.", "June, 2025"),
        ("Tariffs began in June '25.", "June '25"),
    ],
)
def test_month_and_year(text: str, words: str) -> None:
    p = one(text)
    assert sig(p) == ("month", (2025, 6), (2025, 6))
    assert p.text == words
    assert p.relative is None


@pytest.mark.parametrize(
    "today, expected",
    [(date(2025, 7, 1), (2025, 6)), (date(2025, 3, 1), (2024, 6)), (date(2025, 6, 30), (2025, 6))],
)
def test_month_without_a_year_takes_the_latest_one_not_after_today(today: date, expected: tuple[int, int]) -> None:
    p = one("Exports fell in June.", today)
    assert sig(p) == ("month", expected, expected)
    assert p.relative == "month without year" and p.anchor == "today"


def test_month_without_a_year_and_no_today_is_left_unresolved() -> None:
    p = one("Exports fell in June.", None)
    assert (p.start, p.end) == ((0, 6), (0, 6))
    assert p.relative == "month without year" and not p.resolved


@pytest.mark.parametrize(
    "text",
    [
        "Exports may fall further.",  # the verb
        "Workers march to the plant.",
        "June exports rose.",  # no period word before a bare month
        "Jun was busy.",  # abbreviations need a year or a day
    ],
)
def test_month_words_that_are_not_months(text: str) -> None:
    assert real(text) == []


def test_resolve_month_without_year() -> None:
    assert resolve_month_without_year(6, date(2025, 7, 1)) == (2025, 6)
    assert resolve_month_without_year(6, date(2025, 3, 1)) == (2024, 6)
    assert resolve_month_without_year(7, date(2025, 7, 31)) == (2025, 7)
    assert resolve_month_without_year(6, None) is None
    assert resolve_month_without_year(13, date(2025, 7, 1)) is None


@pytest.mark.parametrize(
    "text, words, day, month",
    [
        ("The order was signed on February 5, 2025.", "February 5, 2025", 5, (2025, 2)),
        ("The order was signed on 5 February 2025.", "5 February 2025", 5, (2025, 2)),
        ("Duties rose on Feb. 4th, 2025.", "Feb. 4th, 2025", 4, (2025, 2)),
        ("Data released 2025-03-12 show a gain.", "2025-03-12", 12, (2025, 3)),
        ("Data released 3/12/2025 show a gain.", "3/12/2025", 12, (2025, 3)),
    ],
)
def test_days(text: str, words: str, day: int, month: tuple[int, int]) -> None:
    p = one(text)
    assert sig(p) == ("day", month, month) and p.day == day and p.text == words


def test_day_without_a_year_is_resolved_like_a_month() -> None:
    p = one("Tariffs took effect Feb. 5 at midnight.")
    assert sig(p) == ("day", (2025, 2), (2025, 2)) and p.day == 5 and p.relative == "month without year"
    assert one("Tariffs took effect Feb. 5 at midnight.", None).start == (0, 2)


def test_impossible_days_are_not_days() -> None:
    kinds = [p.kind for p in real("On February 30, 2025 nothing happened.")]
    assert "day" not in kinds and "year" in kinds


def test_two_months_sharing_a_year() -> None:
    ps = real("Shipments slowed in June and July 2025.")
    assert [sig(p) for p in ps] == [("month", (2025, 6), (2025, 6)), ("month", (2025, 7), (2025, 7))]


# ------------------------------------------------------------------------------------------ fiscal years
@pytest.mark.parametrize(
    "text, words",
    [
        ("Encounters peaked in fiscal 2022.", "fiscal 2022"),
        ("Encounters peaked in fiscal year 2022.", "fiscal year 2022"),
        ("Encounters peaked in fiscal year (FY) 2022.", "fiscal year (FY) 2022"),
        ("Encounters peaked in FY2022.", "FY2022"),
        ("Encounters peaked in FY 2022.", "FY 2022"),
        ("Encounters peaked in FY22.", "FY22"),
        ("Encounters peaked in FY'22.", "FY'22"),
        ("Encounters peaked in the 2022 fiscal year.", "2022 fiscal year"),
    ],
)
def test_fiscal_years(text: str, words: str) -> None:
    p = one(text)
    assert sig(p) == ("fiscal_year", (2021, 10), (2022, 9))
    assert p.fiscal and p.text == words
    assert describe(p) == "FY2022"


def test_fiscal_years_listed_with_and_are_two_fiscal_years() -> None:
    ps = real("Seizures grew in fiscal years 2021 and 2022.")
    assert [sig(p) for p in ps] == [
        ("fiscal_year", (2020, 10), (2021, 9)),
        ("fiscal_year", (2021, 10), (2022, 9)),
    ]
    assert all(p.fiscal for p in ps)


@pytest.mark.parametrize("text", ["FY2020-FY2023", "FY2020-23", "fiscal 2020-2023", "fiscal years 2020 through 2023"])
def test_fiscal_ranges(text: str) -> None:
    p = one(f"Totals for {text} were revised.")
    assert sig(p) == ("range", (2019, 10), (2023, 9)) and p.fiscal
    assert p.ends is not None and [e.kind for e in p.ends] == ["fiscal_year", "fiscal_year"]
    assert describe(p) == "FY2020 to FY2023"


def test_fiscal_year_to_date() -> None:
    p = one("Apprehensions in FY2023 to date are lower.")
    assert p.kind == "ytd" and p.fiscal and p.start == (2022, 10)
    q = one("Apprehensions fiscal year to date are lower.")
    assert q.kind == "ytd" and q.fiscal and q.start == (2024, 10) and q.end == (2025, 6)
    assert q.relative == "fiscal year to date"


# ------------------------------------------------------------------------------------------ quarters and halves
@pytest.mark.parametrize(
    "text, kind, start, end",
    [
        ("GDP grew in the first quarter of 2025.", "quarter", (2025, 1), (2025, 3)),
        ("GDP grew in the fourth quarter 2024.", "quarter", (2024, 10), (2024, 12)),
        ("GDP grew in Q1 2025.", "quarter", (2025, 1), (2025, 3)),
        ("GDP grew in Q3'24.", "quarter", (2024, 7), (2024, 9)),
        ("GDP grew in 1Q25.", "quarter", (2025, 1), (2025, 3)),
        ("GDP grew in 2025 Q2.", "quarter", (2025, 4), (2025, 6)),
        ("Sales rose in the final quarter of 2024.", "quarter", (2024, 10), (2024, 12)),
        ("Sales rose in the second half of 2024.", "half", (2024, 7), (2024, 12)),
        ("Sales rose in H1 2025.", "half", (2025, 1), (2025, 6)),
        ("Sales rose in 2H24.", "half", (2024, 7), (2024, 12)),
        ("Sales rose in the first six months of 2025.", "half", (2025, 1), (2025, 6)),
        ("Sales rose in the first three months of 2025.", "quarter", (2025, 1), (2025, 3)),
        ("Sales rose in the first four months of 2026.", "range", (2026, 1), (2026, 4)),
        ("Sales rose in the last two months of 2024.", "range", (2024, 11), (2024, 12)),
    ],
)
def test_quarters_and_halves(text: str, kind: str, start: tuple[int, int], end: tuple[int, int]) -> None:
    p = one(text)
    assert sig(p) == (kind, start, end)


def test_fiscal_quarters_and_halves() -> None:
    q = one("Receipts in Q1 FY2025 rose.")
    assert sig(q) == ("quarter", (2024, 10), (2024, 12)) and q.fiscal and describe(q) == "Q1 FY2025"
    h = one("Receipts in the first half of fiscal 2025 rose.")
    assert sig(h) == ("half", (2024, 10), (2025, 3)) and h.fiscal and describe(h) == "H1 FY2025"


def test_first_n_months_range_has_both_ends() -> None:
    p = one("Exports in the first four months of 2026 rose.")
    assert p.ends is not None and (p.ends[0].start, p.ends[1].end) == ((2026, 1), (2026, 4))


# ------------------------------------------------------------------------------------------ ranges
@pytest.mark.parametrize(
    "text, words, start, end",
    [
        ("Trade grew 4% between 2022 and 2023.", "between 2022 and 2023", (2022, 1), (2023, 12)),
        ("Trade grew from 2023 to 2024.", "from 2023 to 2024", (2023, 1), (2024, 12)),
        ("Trade grew from 2021 through 2024.", "from 2021 through 2024", (2021, 1), (2024, 12)),
        ("Trade grew 2019-2024.", "2019-2024", (2019, 1), (2024, 12)),
        ("Trade grew 2019–24.", "2019–24", (2019, 1), (2024, 12)),
        ("Trade grew 1998-2003.", "1998-2003", (1998, 1), (2003, 12)),
        ("Trade grew from January to June 2025.", "from January to June 2025", (2025, 1), (2025, 6)),
        ("Trade grew from November to February 2025.", "from November to February 2025", (2024, 11), (2025, 2)),
        ("Trade grew between June 2024 and June 2025.", "between June 2024 and June 2025", (2024, 6), (2025, 6)),
        ("Trade grew January through April 2026.", "January through April 2026", (2026, 1), (2026, 4)),
        ("Trade grew January-April 2026.", "January-April 2026", (2026, 1), (2026, 4)),
        ("Trade grew Jan.–Apr. 2026.", "Jan.–Apr. 2026", (2026, 1), (2026, 4)),
        ("Trade grew over 2021-2024.", "2021-2024", (2021, 1), (2024, 12)),
        ("Trade was above the 2021–2024 average.", "2021–2024", (2021, 1), (2024, 12)),
        ("Trade grew from fiscal 2021 to fiscal 2023.", "from fiscal 2021 to fiscal 2023", (2020, 10), (2023, 9)),
        ("Trade grew in the 12 months through June 2025.", "the 12 months through June 2025", (2024, 7), (2025, 6)),
        ("Trade grew in 2025 through May.", "2025 through May", (2025, 1), (2025, 5)),
    ],
)
def test_ranges_bind_both_ends(text: str, words: str, start: tuple[int, int], end: tuple[int, int]) -> None:
    p = one(text)
    assert sig(p) == ("range", start, end)
    assert p.text == words and p.role == "point"
    assert p.ends is not None
    a, b = p.ends
    assert a.start == start and b.end == end


def test_range_ends_carry_their_own_spans() -> None:
    text = "Exports grew between June 2024 and June 2025."
    p = one(text)
    assert p.ends is not None
    assert [text[e.span[0] : e.span[1]] for e in p.ends] == ["June 2024", "June 2025"]
    assert [e.kind for e in p.ends] == ["month", "month"]


def test_range_from_amount_in_year_to_amount_in_year() -> None:
    text = "Exports rose from $10 billion in 2023 to $12 billion in 2024."
    p = one(text)
    assert sig(p) == ("range", (2023, 1), (2024, 12))
    assert p.ends is not None and [e.text for e in p.ends] == ["2023", "2024"]


@pytest.mark.parametrize("text", ["in 2024-2019", "in 2024-06", "in 1950-2024"])
def test_backwards_or_huge_spans_are_not_ranges(text: str) -> None:
    assert all(p.kind != "range" for p in real(text))


def test_years_joined_by_and_without_between_are_two_points() -> None:
    ps = real("Trade grew in 2021 and 2022.")
    assert [sig(p) for p in ps] == [("year", (2021, 1), (2021, 12)), ("year", (2022, 1), (2022, 12))]


# ------------------------------------------------------------------------------------------ roles
@pytest.mark.parametrize(
    "text, start",
    [
        ("Prices have doubled since 2010.", (2010, 1)),
        ("Prices have doubled since February.", (2025, 2)),
        ("Prices have doubled since February 5, 2025.", (2025, 2)),
        ("Prices have doubled since the start of 2025.", (2025, 1)),
        ("Prices have doubled since fiscal 2020.", (2019, 10)),
        ("Prices have doubled since Q2 2024.", (2024, 4)),
        ("Prices have doubled since the end of 2024.", (2024, 12)),
        ("Prices have doubled ever since 2010.", (2010, 1)),
        ("Prices have doubled since last year.", (2024, 1)),
    ],
)
def test_since_is_a_start(text: str, start: tuple[int, int]) -> None:
    p = one(text)
    assert p.kind == "since" and p.role == "since" and p.cue == "since"
    assert p.start == p.end == start
    assert p.text.lower().startswith(("since", "ever since"))


def test_since_an_event_began_in_a_month() -> None:
    p = one("Seizures have risen since the new border operation began in February 2025.")
    assert p.kind == "since" and p.start == (2025, 2) and p.text.startswith("since the new")
    assert one("since they took effect on March 4, 2025").start == (2025, 3)


def test_from_the_average_is_a_base() -> None:
    ps = real("In June 2025 crossings fell 89 percent from the 2021-2024 monthly average.")
    assert [(p.kind, p.role) for p in ps] == [("month", "point"), ("range", "base")]


def test_the_lowest_since_is_never_a_point_claim() -> None:
    p = one("Crossings were the lowest since 2010.")
    assert p.kind == "since" and p.role == "since" and p.inner is not None and p.inner.kind == "year"


@pytest.mark.parametrize(
    "text, cue",
    [
        ("Exports were up 5%, up from 2022.", "up from"),
        ("Exports were higher compared with 2023.", "compared with"),
        ("Exports were higher than in 2023.", "than"),
        ("Exports were higher versus 2023.", "versus"),
        ("Exports rose to $12 billion from $10 billion in 2023.", "from"),
        ("Encounters reached 2.4 million after 1.7 million in fiscal 2021.", "after"),
    ],
)
def test_comparison_bases(text: str, cue: str) -> None:
    p = one(text)
    assert p.role == "base" and p.cue == cue


def test_point_and_base_in_one_sentence() -> None:
    ps = real("In 2024 exports to Canada rose to $12 billion from $10 billion in 2023.")
    assert [(p.start[0], p.role) for p in ps] == [(2024, "point"), (2023, "base")]


@pytest.mark.parametrize(
    "text, cue",
    [("Data run through 2024.", "through"), ("The pause lasts until March 2025.", "until"), ("Cut it by 2030.", "by")],
)
def test_ends(text: str, cue: str) -> None:
    p = one(text)
    assert p.role == "until" and p.cue == cue


@pytest.mark.parametrize(
    "text, words",
    [
        ("The highest on record.", "on record"),
        ("The biggest gap in history.", "in history"),
        ("The most ever.", "ever"),
        ("An all-time high.", "all-time"),
        ("The highest since records began.", "since records began"),
    ],
)
def test_records(text: str, words: str) -> None:
    p = one(text)
    assert p.kind == "record" and p.role == "record" and p.text == words


def test_ever_in_other_phrases_is_not_a_record() -> None:
    assert real("Tariffs climbed ever higher.") == []
    assert real("Ever since 2019 the gap grew.")[0].kind == "since"


@pytest.mark.parametrize(
    "text, years, hedge",
    [
        ("The lowest in 30 years.", 30, None),
        ("A 30-year low for the peso.", 30, None),
        ("A three-decade low for the peso.", 30, None),
        ("The weakest in three decades.", 30, None),
        ("The weakest in more than a decade.", 10, "more than"),
        ("Growth over the past five years.", 5, None),
        ("The lowest level in nearly 55 years.", 55, "nearly"),
        ("The lowest level in fifty-five years.", 55, None),
        ("The lowest in half a century.", 50, None),
        ("Trade over the last decade.", 10, None),
    ],
)
def test_spans_of_years(text: str, years: int, hedge: str | None) -> None:
    p = one(text)
    assert p.kind == "span_years" and p.years == years and p.hedge == hedge


def test_a_span_counts_back_from_the_period_it_qualifies() -> None:
    ps = real("In 2024 crossings were the lowest in 30 years.")
    span = [p for p in ps if p.kind == "span_years"][0]
    assert (span.start, span.end, span.anchor) == ((1995, 1), (2024, 12), "text")
    alone = one("The lowest in 30 years.", None)
    assert alone.start == (0, 0) and alone.years == 30


# ------------------------------------------------------------------------------------------ relative
@pytest.mark.parametrize(
    "text, kind, start, end, relative",
    [
        ("Exports rose last year.", "year", (2024, 1), (2024, 12), "last year"),
        ("Exports rose this year.", "ytd", (2025, 1), (2025, 6), "this year"),
        ("Exports rose last month.", "month", (2025, 6), (2025, 6), "last month"),
        ("Exports rose over the past year.", "span_years", (2024, 7), (2025, 6), "the past year"),
        ("Exports year to date rose.", "ytd", (2025, 1), (2025, 6), "year to date"),
        ("Exports so far this year rose.", "ytd", (2025, 1), (2025, 6), "year to date"),
        ("Exports last fiscal year rose.", "fiscal_year", (2023, 10), (2024, 9), "last fiscal year"),
        ("Exports rose last quarter.", "quarter", (2025, 4), (2025, 6), "last quarter"),
    ],
)
def test_relative_to_today(text: str, kind: str, start: tuple[int, int], end: tuple[int, int], relative: str) -> None:
    p = one(text)
    assert sig(p) == (kind, start, end) and p.relative == relative and p.anchor == "today"


def test_relative_without_today_is_unresolved() -> None:
    for text in ("Exports rose last year.", "Exports year to date rose.", "Exports rose last month."):
        p = one(text, None)
        assert p.start == p.end == (0, 0) and p.relative is not None and not p.resolved


def test_a_year_earlier_shifts_the_period_of_the_text() -> None:
    ps = real("Exports in June 2025 rose 5% from a year earlier.")
    assert [sig(p) for p in ps] == [("month", (2025, 6), (2025, 6)), ("month", (2024, 6), (2024, 6))]
    assert ps[1].role == "base" and ps[1].relative == "a year earlier" and ps[1].anchor == "text"


def test_the_previous_year_after_a_fiscal_year() -> None:
    ps = real("Seizures in fiscal 2023 beat the previous year.")
    assert sig(ps[1]) == ("fiscal_year", (2021, 10), (2022, 9)) and ps[1].fiscal


def test_the_same_period_last_year_follows_the_text_not_today() -> None:
    ps = real("In the first quarter of 2024 sales fell compared with the same period last year.")
    assert sig(ps[1]) == ("quarter", (2023, 1), (2023, 3)) and ps[1].role == "base"


def test_over_the_previous_year_is_a_base() -> None:
    ps = real("In 2024 trade rose 3% over the previous year.")
    assert ps[1].start == (2023, 1) and ps[1].role == "base" and ps[1].cue == "over"


def test_previous_year_with_nothing_else_uses_today_then_nothing() -> None:
    p = one("Trade rose from the previous year.")
    assert p.start == (2024, 1) and p.anchor == "today"
    q = one("Trade rose from the previous year.", None)
    assert q.start == (0, 0) and q.relative == "the previous year"


# ------------------------------------------------------------------------------------------ not periods
@pytest.mark.parametrize("text", ["(c) 2025 Example News", "© 2025 Example News", "Copyright 2025 Example News"])
def test_copyright_footers_are_marked(text: str) -> None:
    ps = find_periods(text, today=TODAY)
    assert [(p.kind, p.role) for p in ps] == [("copyright", "copyright")]
    assert latest_period_end(ps) is None


# ------------------------------------------------------------------------------------------ whole texts
def test_periods_are_in_order_and_never_overlap() -> None:
    text = (
        "In fiscal 2024, apprehensions fell from 2.0 million in fiscal 2023, the lowest since 2020; "
        "between June 2024 and June 2025 trade grew, and in Q1 2025 it hit a record high, "
        "up 4% from a year earlier. © 2025 Example."
    )
    ps = find_periods(text, today=TODAY)
    assert len(ps) >= 7
    for a, b in zip(ps, ps[1:], strict=False):
        assert a.span[1] <= b.span[0]
    for p in ps:
        assert text[p.span[0] : p.span[1]] == p.text


@pytest.mark.parametrize(
    "unit",
    ["2019-", "from ", "from $1 in ", "between 2019 and ", " ", "June ", "since the start of ", "the past ", "Q1 "],
)
def test_reading_is_linear_in_the_text(unit: str) -> None:
    text = unit * (20000 // len(unit))
    t = time.perf_counter()
    find_periods(text, today=TODAY)
    assert time.perf_counter() - t < 5.0


# ------------------------------------------------------------------------------------------ uses
def test_latest_period_end_reads_points_and_starts() -> None:
    assert latest_period_end(real("Exports in June 2025 beat 2024.")) == (2025, 6)
    assert latest_period_end(real("The highest since February 2025.")) == (2025, 1)
    assert latest_period_end(real("Tariffs took effect on March 4, 2025.")) == (2025, 2)
    assert latest_period_end(real("Receipts in FY2025 to date.")) == (2024, 9)
    assert latest_period_end(real("Data run through 2024.")) == (2024, 12)


def test_projections_are_points_marked_future() -> None:
    p = one("Exports to Mexico will reach $500 billion in 2030.")
    assert (p.kind, p.role, p.cue) == ("year", "point", "future")
    assert latest_period_end([p]) is None
    assert one("Exports will rise. In 2024 they fell.").cue is None  # the future word is in another sentence


def test_latest_period_end_ignores_bases_targets_records_and_relatives() -> None:
    assert latest_period_end(real("Exports rose from 2026.")) is None
    assert latest_period_end(real("Cut emissions by 2030.")) is None
    assert latest_period_end(real("The most ever, in 30 years.")) is None
    assert latest_period_end(real("Exports rose last year.")) is None
    assert latest_period_end(real("Exports fell in June.", None)) is None
    assert latest_period_end([]) is None
    assert latest_period_end(find_periods("In 2023 it fell. © 2025 Example.")) == (2023, 12)


@pytest.mark.parametrize(
    "text, label",
    [
        ("in FY2022", "FY2022"),
        ("in June 2025", "June 2025"),
        ("between 2022 and 2023", "2022 to 2023"),
        ("in Q1 2025", "Q1 2025"),
        ("in H2 2024", "H2 2024"),
        ("on February 5, 2025", "February 5, 2025"),
        ("in 2024", "2024"),
        ("since 2010", "since 2010"),
        ("in more than a decade", "more than 10 years"),
        ("on record", "on record"),
        ("2025 so far", "2025 to date"),
    ],
)
def test_describe(text: str, label: str) -> None:
    assert describe(one(text)) == label


def test_describe_unresolved_month() -> None:
    assert describe(one("in June", None)) == "June (year unknown)"


def test_lexicon_ships_with_the_package() -> None:
    folder = importlib.resources.files("usmca.claims.lexicon")
    assert folder.joinpath("periods.yaml").is_file()
    lex = lexicon()
    assert lex["months"]["sept"] == 9 and lex["numbers"]["twenty"] == 20 and lex["decades"]["fifty"] == 50
    assert lexicon() is lex  # loaded once
