"""The document context: which period, partner and measure a figure is about when its clause does not say.

Rules, in order, for a figure's period (each tested in tests/claims/test_discourse.py):
1. its own clause: a period right after the figure ("25,185 in June 2025", "... pounds in fiscal 2021"),
   else the nearest one before it, back to the previous figure;
2. its sentence: the one period the rest of the sentence cites, when there is exactly one;
3. the previous sentences about the same measure (the last period they cited);
4. the text's date: the latest full year of data before it (trade), or unresolved (border), in which
   case the figure is listed as not checked, never judged against a neighbouring period.
Ranges ("between 2022 and 2023", "from 2023 to 2024") are one period with both ends; "since 2010",
"the lowest since 2010", "up from 2022" are starts and bases, never the period a level is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from usmca import patterns
from usmca.claims.numbers import Quantity
from usmca.claims.periods import Period
from usmca.claims.tokens import Clause, SentenceView

POINT_KINDS = ("year", "month", "day", "fiscal_year", "quarter", "half", "ytd")
AFTER_LINK = patterns.compile(
    r"^[\s,]*(?:(?:in|during|for|of|over|across|through(?:out)?|by)\s+)?(?:the\s+)?"
    r"(?:(?:calendar|fiscal)\s+)?(?:(?:year|month)\s+(?:of\s+)?)?$",
    re.I,
)


BASE_BEFORE = patterns.compile(
    r"\b(?:from|than|compared (?:with|to)|versus|vs\.?|up from|down from|after|before)\b[^;]*$", re.I
)


@dataclass
class Resolved:
    period: Period | None
    rule: str  # "clause" | "sentence" | "previous sentence" | "text date" | "none"


@dataclass
class Discourse:
    today: date | None = None  # the text's date (given or inferred)
    default_year: int | None = None  # latest full year of data not after the text's date
    reference_month: tuple[int, int] | None = None  # the month before the text's date
    last_period: dict[str, Period] = field(default_factory=dict)  # measure -> last point period cited
    last_subject: dict[str, list[str]] = field(default_factory=dict)  # measure -> partners last named
    last_topic: str = ""  # the previous sentence's measure ("That was 90% below ..." continues it)
    last_amount: dict[str, float] = field(default_factory=dict)  # measure -> last amount (fentanyl kg for doses)
    last_amount_sentence: dict[str, int] = field(default_factory=dict)
    last_amount_drug: str | None = None
    last_flow: str | None = None  # the last trade flow read ("That works out to $42 billion a month" continues it)

    def point_periods(self, view: SentenceView, lo: int = 0, hi: int | None = None) -> list[Period]:
        return [p for p in view.periods_in(lo, hi) if p.role == "point" and p.kind in POINT_KINDS + ("range",)]

    def period_for(
        self,
        view: SentenceView,
        q: Quantity | None,
        clause: Clause,
        measure: str,
        *,
        pos: int | None = None,
        kinds: tuple[str, ...] = POINT_KINDS,
    ) -> Resolved:
        """The period a figure (or, with q None, the words at `pos`) is about, by the rules above."""
        at = q.start if q is not None else (pos if pos is not None else clause.start)
        end = q.end if q is not None else at
        others = [x for x in view.quantities if x is not q]
        nxt = min([x.start for x in others if x.start > at] + [clause.end])
        prv = max([x.end for x in others if x.end <= at] + [clause.start])
        cands = [p for p in view.periods if p.role == "point" and p.kind in kinds]
        # rule 1: own clause — right after the figure ("$323 billion in 2023", even after "from"), then
        # back to the previous figure
        for p in view.periods:
            if (
                p.role in ("point", "base")
                and p.kind in kinds
                and end <= p.span[0] < nxt
                and p.span[0] - end <= 60
                and AFTER_LINK.match(view.text[end : p.span[0]])
            ):
                return Resolved(p, "clause")
        later = [  # later in the figure's own phrase: no comma and no other figure between
            p
            for p in view.periods
            if p.role == "point"
            and p.kind in kinds
            and end <= p.span[0] < nxt
            and p.span[0] - end <= 100
            and not re.search(r"[,;:()]", view.text[end : p.span[0]])
        ]
        if len({(p.start, p.end) for p in later}) > 1:
            # "in January and February 2025 combined": the months together, when the words say so
            a, z = min(later, key=lambda p: p.start), max(later, key=lambda p: p.end)
            if "range" in kinds and re.search(
                r"\b(?:combined|together|in total|altogether|put together)\b",
                view.text[z.span[1] : z.span[1] + 25],
                re.I,
            ):
                from dataclasses import replace

                return Resolved(replace(a, kind="range", end=z.end, span=(a.span[0], z.span[1]), ends=(a, z)), "clause")
            return Resolved(None, "none")
        if later:
            return Resolved(later[0], "clause")
        blocking = [
            p
            for p in view.periods
            if p.role == "point"
            and p.kind not in kinds
            and p.kind != "span_years"
            and clause.start <= p.span[0] < clause.end
        ]
        if blocking:  # "from January through June 2024": a period this measure cannot be read for
            return Resolved(None, "unsupported period")
        before = [p for p in cands if prv <= p.span[0] < at]
        if before:
            return Resolved(before[-1], "clause")
        # a period right after another figure is that figure's ("... to $171.8 billion, from $152.5 billion in 2023")
        owned = {
            id(p)
            for p in view.periods
            for x in others
            if x.end <= p.span[0] and p.span[0] - x.end <= 60 and AFTER_LINK.match(view.text[x.end : p.span[0]])
        }
        cands = [p for p in cands if id(p) not in owned]
        inside = [p for p in cands if clause.start <= p.span[0] < clause.end]
        if len({(p.start, p.end) for p in inside}) == 1:
            return Resolved(inside[0], "clause")
        # rule 2: the sentence's one period
        distinct = {(p.start, p.end, p.fiscal) for p in cands}
        if len(distinct) == 1:
            return Resolved(cands[0], "sentence")
        if len(distinct) > 1:
            return Resolved(None, "none")  # several periods, none tied to this figure: do not guess
        if any(p.role == "point" and p.kind not in kinds and p.kind != "span_years" for p in view.periods):
            return Resolved(None, "unsupported period")
        # rule 3: previous sentences about the same measure, only when this sentence names no period of its own
        # (periods of other figures do not count)
        if any(p.start[0] and id(p) not in owned for p in view.periods):
            return Resolved(None, "none")  # it names one ("since February 2025") that is not this figure's
        prev = self.last_period.get(measure)
        if prev is not None and prev.kind in kinds:
            return Resolved(prev, "previous sentence")
        return Resolved(None, "text date")

    def remember(self, view: SentenceView, measure: str, partners: list[str] | None = None) -> None:
        # the sentence's own period: not a base ("from $152.5 billion in 2023", "than in 2023")
        pts = [
            p
            for p in view.periods
            if p.role == "point"
            and p.kind in POINT_KINDS
            and not BASE_BEFORE.search(view.text[max(0, p.span[0] - 45) : p.span[0]])
        ]
        if pts:
            self.last_period[measure] = pts[0]
        if partners:
            self.last_subject[measure] = partners
        self.last_topic = measure


def earliest_writing_date(
    periods: list[Period], text: str = "", today: date | None = None
) -> tuple[date | None, str | None]:
    """The earliest date a text can have been written, from the periods it cites, with the phrase used.

    A month reported is over (June 2025 -> 1 July 2025); a day has come; a year, fiscal year, quarter
    or range has ended; "since February 2025" and "so far this year" have begun. Targets ("by 2030",
    "until March"), copyright notices and relative phrases ("last year") say nothing about the date.
    """
    best: tuple[date, str] | None = None
    future = (
        re.search(
            r"\b(?:will|would|plans?|aims?|goal|target|expects?|expected|projected|forecasts?|by then|"
            r"to (?:double|triple|reach|hit))\b",
            text,
            re.I,
        )
        is not None
    )
    for p in periods:
        past_end = p.role == "until" and (p.cue or "").lower() in ("by", "through", "thru") and not future
        if (
            (p.role in ("until", "copyright", "record") and not past_end)
            or p.relative
            or not p.start[0]
            or p.kind == "span_years"
        ):
            continue
        if p.cue == "future":
            continue  # "will reach $500 billion in 2030": a projection
        before = text[max(0, p.span[0] - 12) : p.span[0]].lower() if text else ""
        after = text[p.span[1] : p.span[1] + 30].lower() if text else ""
        started = re.search(r"\bas of\s*$", before) or re.search(
            r"^\W*(?:\w+\s+){0,2}(?:so far|to date|year[- ]to[- ]date)", after
        )
        if p.kind == "day" and p.day:
            d = date(p.start[0], p.start[1], min(p.day, 28))
        elif p.kind in ("since", "ytd") or p.role == "since" or started:
            d = date(p.start[0], p.start[1], 1)
        else:
            y, m = p.end
            if not y:
                continue
            d = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
        if today is not None and d > today:
            first = date(p.start[0], p.start[1], 1)
            if first > today:
                continue  # starts after the text's date: a projection
            d = first  # a period still running when the text was written: it had begun
        if d.year > 2100:
            continue
        if best is None or d > best[0]:
            best = (d, p.text)
    return (best[0], best[1]) if best else (None, None)
