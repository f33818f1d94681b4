"""Infer the earliest date a text can have been written from the periods it cites.

A text that reports "exports in June 2025" cannot have been written before the June figures
existed: July 2025 at the earliest. `infer_earliest_date(text)` finds every period the text
cites and returns the latest such lower bound, with the phrase it came from:

=====================================  =======================================
phrase                                 earliest writing date
=====================================  =======================================
"June 2025", "junio de 2025"           2025-07-01 (the month is over)
"since February 2025", "as of May 2025" 2025-02-01, 2025-05-01 (the month began)
"March 3, 2025", "3 de marzo de 2025"  2025-03-03
"January-April 2025"                   2025-05-01
"Q1 2025", "first half of 2025"        2025-04-01, 2025-07-01
"in 2024", "the 2021-2024 average"     2025-01-01
"since 2021", "2025 so far"            2021-01-01, 2025-01-01
"fiscal year 2025", "FY2025", "FY25"   2025-10-01 (U.S. federal FY ends 30 Sep)
=====================================  =======================================

Years after "by", "until" or "before" are targets, not data, and are ignored. A period that
is not over on `today` gives its first day instead (the text speaks of it while it runs); a
period that starts after `today` is a projection and is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {}
for _i, _names in enumerate([
    ("january", "jan", "enero", "ene"), ("february", "feb", "febrero"),
    ("march", "mar", "marzo"), ("april", "apr", "abril", "abr"), ("may", "mayo"),
    ("june", "jun", "junio"), ("july", "jul", "julio"), ("august", "aug", "agosto", "ago"),
    ("september", "sept", "sep", "septiembre", "setiembre"), ("october", "oct", "octubre"),
    ("november", "nov", "noviembre"), ("december", "dec", "diciembre", "dic"),
], start=1):
    for _n in _names:
        MONTHS[_n] = _i

_MON = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"((?:19|20)\d{2})"
_DASH = r"(?:-|–|—|to|through|thru|until|and|a|al)"
_OF = r"(?:,?\s+(?:of\s+|de\s+|del\s+)?)"
_START = re.compile(
    r"(?:since|from|starting(?:\s+in)?|beginning(?:\s+in)?|as\s+of|desde|a\s+partir\s+de)"
    r"(?:\s+(?:early|mid|late|the\s+start\s+of))?\s*$", re.IGNORECASE)
_TARGET = re.compile(r"(?:\bby|\buntil|\btill|\bbefore|\bhasta)\s*$", re.IGNORECASE)
_SO_FAR = re.compile(r"^\s*(?:[a-z]+\s+){0,2}(?:so\s+far|to\s+date|year[-\s]to[-\s]date|ytd|"
                     r"thus\s+far|en\s+lo\s+que\s+va)", re.IGNORECASE)
_AMOUNT_AFTER = re.compile(r"^\s*(?:%|(?:percent|per\s+cent|million|billion|trillion|kg|tons?)\b)",
                           re.IGNORECASE)


# Single periods that "since ..." / "... so far" turn into a period that has only begun.
OPEN_RULES = frozenset({"month", "quarter", "half", "year", "fiscal_year"})


@dataclass(frozen=True)
class InferredDate:
    """The earliest date a text can have been written, and the phrase that implies it."""

    date: date
    phrase: str
    rule: str  # which pattern: fiscal_year, day, month_range, month, quarter, half, years, year
    start: int = 0  # character span of the phrase in the text
    end: int = 0


def _month_start(y: int, m: int, add: int = 0) -> date:
    k = y * 12 + (m - 1) + add
    return date(k // 12, k % 12 + 1, 1)


def _mon(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _full_year(two_or_four: str, first: int | None = None) -> int:
    if len(two_or_four) == 4:
        return int(two_or_four)
    century = (first // 100 * 100) if first else 2000
    return century + int(two_or_four)


def date_hints(text: str, today: date | None = None) -> list[InferredDate]:
    """Every period the text cites, each with the earliest writing date it implies."""
    today = today or date.today()
    work = text
    out: list[InferredDate] = []

    def add(m: re.Match[str], rule: str, begin: date, after: date) -> None:
        nonlocal work
        before = text[max(0, m.start() - 30): m.start()]
        following = text[m.end(): m.end() + 30]
        work = work[: m.start()] + " " * (m.end() - m.start()) + work[m.end():]
        if rule in ("year", "years") and _TARGET.search(before):
            return  # "by 2030": a target
        if rule == "year" and _AMOUNT_AFTER.match(following):
            return
        open_ended = rule in OPEN_RULES and (_START.search(before) or _SO_FAR.match(following))
        when = begin if open_ended else after  # begun, not necessarily ended / over
        if when > today:
            if begin > today:
                return  # a projection
            when = begin
        out.append(InferredDate(when, text[m.start(): m.end()].strip(), rule, m.start(), m.end()))

    flags = re.IGNORECASE
    # Fiscal years (U.S. federal: FY N runs 1 Oct N-1 .. 30 Sep N).
    for m in re.finditer(r"\b(?:FY|fiscal\s+years?|fiscal|año\s+fiscal)\s*'?(\d{4}|\d{2})\b",
                         work, flags):
        y = _full_year(m.group(1))
        add(m, "fiscal_year", date(y - 1, 10, 1), date(y, 10, 1))
    # Full dates.
    for pat, order in (
        (rf"\b({_MON})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", "mdy"),
        (rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+|de\s+)?({_MON}){_OF}{_YEAR}\b", "dmy"),
        (r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b", "ymd"),
    ):
        for m in re.finditer(pat, work, flags):
            try:
                if order == "mdy":
                    d = date(int(m.group(3)), _mon(m.group(1)), int(m.group(2)))
                elif order == "dmy":
                    d = date(int(m.group(3)), _mon(m.group(2)), int(m.group(1)))
                else:
                    d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except (ValueError, KeyError):
                continue
            add(m, "day", d, d)
    # Month ranges within one year: "January-April 2025", "between January and July 2025".
    for m in re.finditer(rf"\b({_MON})\s*{_DASH}\s*({_MON}){_OF}{_YEAR}\b", work, flags):
        y, m1, m2 = int(m.group(3)), _mon(m.group(1)), _mon(m.group(2))
        add(m, "month_range", date(y, m1, 1), _month_start(y, m2, 1))
    # Month and year.
    for m in re.finditer(rf"\b({_MON}){_OF}{_YEAR}\b", work, flags):
        y, mo = int(m.group(2)), _mon(m.group(1))
        add(m, "month", date(y, mo, 1), _month_start(y, mo, 1))
    # Quarters and halves.
    quarter_words = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2,
                     "3rd": 3, "4th": 4}
    for pat, kind in (
        (r"\bQ([1-4])\s*'?\s*((?:19|20)\d{2})\b", "qy"),
        (r"\b((?:19|20)\d{2})\s*-?\s*Q([1-4])\b", "yq"),
        (r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?((?:19|20)\d{2})\b",
         "wq"),
    ):
        for m in re.finditer(pat, work, flags):
            if kind == "yq":
                y, q = int(m.group(1)), int(m.group(2))
            else:
                y = int(m.group(2))
                q = int(m.group(1)) if kind == "qy" else quarter_words[m.group(1).lower()]
            add(m, "quarter", date(y, 3 * q - 2, 1), _month_start(y, 3 * q, 1))
    for m in re.finditer(r"\b(?:(first|second)\s+half\s+(?:of\s+)?|H([12])\s*)((?:19|20)\d{2})\b",
                         work, flags):
        h = 1 if (m.group(1) or "").lower() == "first" or m.group(2) == "1" else 2
        y = int(m.group(3))
        add(m, "half", date(y, 6 * h - 5, 1), _month_start(y, 6 * h, 1))
    # Year ranges: "2021-2024", "2021–24", "from 2021 to 2024", "between 2021 and 2024".
    for m in re.finditer(rf"(?<![\d$.,]){_YEAR}(?:\s*{_DASH}\s*((?:19|20)\d{{2}})|"
                         r"\s*[-–—/]\s*(\d{2}))(?![\d,%])", work, flags):
        y1 = int(m.group(1))
        y2 = _full_year(m.group(2) or m.group(3), y1)
        if not y1 < y2 <= y1 + 60:
            continue
        add(m, "years", date(y2, 1, 1), date(y2 + 1, 1, 1))
    # Single years.
    for m in re.finditer(rf"(?<![\d$.,£€]){_YEAR}(?!\d|[.,]\d)", work):
        y = int(m.group(1))
        add(m, "year", date(y, 1, 1), date(y + 1, 1, 1))
    return sorted(out, key=lambda h: h.start)


def infer_earliest_date(text: str, today: date | None = None) -> InferredDate | None:
    """The earliest date the text can have been written (the latest bound any cited period
    gives), with the phrase it came from; None when the text cites no period."""
    hints = date_hints(text, today)
    if not hints:
        return None
    return max(hints, key=lambda h: (h.date, -h.start))


__all__ = ["InferredDate", "date_hints", "infer_earliest_date"]
