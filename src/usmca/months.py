"""Calendar months and fiscal years: names, parsing and bounded ranges, shared by every layer.

A month is a ``(year, month)`` pair with ``1 <= month <= 12``. U.S. fiscal year N runs from
October of N-1 to September of N. Every range here is built by arithmetic on month indices, so its
length is known before it is built and can be refused when it is absurd.
"""

from __future__ import annotations

from usmca.errors import UsmcaError

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBR = tuple(m[:3] for m in MONTH_NAMES)
# Lower-case names, three-letter abbreviations and "Sept." -> month number.
MONTH_NUMBER: dict[str, int] = {
    **{m.lower(): i for i, m in enumerate(MONTH_NAMES, 1)},
    **{m.lower(): i for i, m in enumerate(MONTH_ABBR, 1)},
    "sept": 9,
}

FIRST_YEAR = 1900  # no loaded series starts earlier; a year outside this span is a typing error
LAST_YEAR = 2100
MAX_MONTHS = 12 * (LAST_YEAR - FIRST_YEAR + 1)

Month = tuple[int, int]


class PeriodError(UsmcaError, ValueError):
    """A month, year or range that cannot exist (month 13, year 20250, an end before its start)."""


def check_year(year: object, name: str = "year") -> int:
    """A whole-number year between FIRST_YEAR and LAST_YEAR, else PeriodError naming what was found."""
    if isinstance(year, bool) or not isinstance(year, int):
        if isinstance(year, str) and year.strip().lstrip("-").isdigit():
            year = int(year)
        else:
            raise PeriodError(f"{name}: expected a year such as 2024, found {year!r}")
    assert isinstance(year, int)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"{name}: expected a year from {FIRST_YEAR} to {LAST_YEAR}, found {year}")
    return year


def check_month_number(month: object, name: str = "month") -> int:
    """A month number 1-12, else PeriodError (0, 13 and -1 are refused, never wrapped)."""
    if isinstance(month, bool) or not isinstance(month, int):
        if isinstance(month, str) and month.strip().lstrip("-").isdigit():
            month = int(month)
        else:
            raise PeriodError(f"{name}: expected a month number 1-12, found {month!r}")
    assert isinstance(month, int)
    if not 1 <= month <= 12:
        raise PeriodError(f"{name}: expected a month number 1-12, found {month}")
    return month


def parse_month(text: object, name: str = "month") -> Month:
    """'2025-06' (or '2025-6', '2025-06-01') -> (2025, 6); PeriodError for anything else."""
    s = str(text).strip()
    parts = s.split("-")
    if len(parts) < 2 or not parts[0].isdigit() or not parts[1].isdigit():
        raise PeriodError(f"{name}: expected a month as YYYY-MM, found {text!r}")
    return check_year(int(parts[0]), name), check_month_number(int(parts[1]), name)


def month_index(m: Month) -> int:
    """Months since January of year 0: consecutive months differ by one."""
    return m[0] * 12 + (m[1] - 1)


def from_index(i: int) -> Month:
    return i // 12, i % 12 + 1


def months_between(a: Month, b: Month, *, limit: int = MAX_MONTHS) -> list[Month]:
    """Every month from a to b inclusive (empty when b is before a).

    Both ends are validated first, and the length is computed before the list is built, so no input
    can make this run unbounded.
    """
    a = (check_year(a[0]), check_month_number(a[1]))
    b = (check_year(b[0]), check_month_number(b[1]))
    n = month_index(b) - month_index(a) + 1
    if n > limit:
        raise PeriodError(f"a range of {n} months ({month_label(a)} to {month_label(b)}) is over the limit of {limit}")
    return [from_index(i) for i in range(month_index(a), month_index(a) + max(n, 0))]


def fiscal_year_months(fy: int) -> list[Month]:
    """The twelve months of U.S. fiscal year fy: October fy-1 to September fy."""
    fy = check_year(fy, "fiscal year")
    return months_between((fy - 1, 10), (fy, 9))


def fiscal_year_of(m: Month) -> int:
    return m[0] + 1 if m[1] >= 10 else m[0]


def month_label(m: Month) -> str:
    """(2025, 6) -> 'June 2025'."""
    return f"{MONTH_NAMES[check_month_number(m[1]) - 1]} {m[0]}"


def month_key(m: Month) -> str:
    """(2025, 6) -> '2025-06'."""
    return f"{m[0]}-{m[1]:02d}"


def days_in_month(m: Month) -> int:
    import calendar

    return calendar.monthrange(m[0], check_month_number(m[1]))[1]
