"""U.S. employment (BLS Current Employment Statistics via FRED): levels, changes and shares of payrolls.

Which series: motor vehicles and parts (CES3133600101) when the words say "auto", "automotive",
"automakers" or "motor vehicle"; manufacturing (MANEMP) for "manufacturing", "manufacturers",
"factory"; total nonfarm payrolls (PAYEMS) for "total", "nonfarm", "payrolls", "employers", "the
economy added" (a sector named first wins: "manufacturing payrolls" is manufacturing). No series
named: the figure is not checked.

Which months a change spans (BLS counts jobs in a month, so a change is one month's level minus
another's):
- "between January and December 2025", "from February to April 2020": the first named month to the
  last (January 2025 -> December 2025);
- "over the twelve months ending in December 2025", "the 12 months through June 2025": the month
  before the window to its last month (December 2024 -> December 2025);
- "lost 93,000 jobs in 2025" (a year alone): January to December of that year, the months the year
  names; December of the year before to December is offered as another reading;
- "between 2023 and 2024", "from 2023 to 2024" (years): December to December.
A level needs a month ("12.58 million in December 2025"); a level for a whole year (an annual
average) is not computed. Figures tied to trade ("jobs supported by exports") are left to the
jobs_linkage frame: national employment does not measure them.
"""

from __future__ import annotations

import re
from typing import Any

from usmca import patterns
from usmca.claims.discourse import Discourse
from usmca.claims.frames import FLIP, Builder, Example, around, frame
from usmca.claims.model import Reading
from usmca.claims.numbers import Quantity
from usmca.claims.periods import Period
from usmca.claims.tokens import Clause, SentenceView

AUTO = patterns.compile(r"\b(?:auto(?:s|mobile|motive)?|automakers?|car ?makers?|motor[- ]vehicles?)\b", re.I)
MFG = patterns.compile(r"\b(?:manufactur\w*|factor(?:y|ies))\b", re.I)
TOTAL = patterns.compile(
    r"\b(?:total|nonfarm|non-farm|payrolls?|employers|overall|(?:the|u\.s\.|american|america['’]s) "
    r"(?:\w+ )?economy)\b",
    re.I,
)
UP = patterns.compile(
    r"\b(?:added|adds|adding|gained|gains|grew|grown|rose|risen|increased|created|creating|climbed|"
    r"jumped|expanded|up)\b",
    re.I,
)
DOWN = patterns.compile(
    r"\b(?:lost|loses|losing|shed|sheds|shedding|cut|cuts|cutting|eliminated|declined|fell|fallen|"
    r"dropped|decreased|shrank|slashed|down)\b",
    re.I,
)
LINKED = patterns.compile(
    r"\b(?:depend\w*|support\w*|tied to|linked to|rel(?:y|ies|ied) on|sustain\w*|because of trade|"
    r"thanks to (?:trade|exports)|due to (?:trade|exports)|owe\w* to)\b",
    re.I,
)
WINDOW = patterns.compile(r"\bmonths?\b|\byear (?:ending|ended|through|to)\b", re.I)
NOT_TRADE = "national employment (BLS CES via FRED) does not measure jobs created or supported by trade"
CREATED = patterns.compile(r"\b(?:creat\w*|generat\w*|jobs? (?:in|from|for|making))\b", re.I)


def series_of(text: str) -> str | None:
    """The CES series the words name (see the module docstring), or None."""
    if AUTO.search(text):
        return "CES3133600101"
    if MFG.search(text):
        return "MANEMP"
    if TOTAL.search(text):
        return "PAYEMS"
    return None


def _key(m: tuple[int, int]) -> str:
    return f"{m[0]}-{m[1]:02d}"


def _before(m: tuple[int, int], n: int = 1) -> tuple[int, int]:
    i = m[0] * 12 + m[1] - 1 - n
    return i // 12, i % 12 + 1


def _year_of_bare_range(view: SentenceView, p: Period) -> int | None:
    """'between January and December of last year': a range without its own year takes the year after it."""
    if re.search(r"\d{4}", p.text):
        return None
    after = [
        x
        for x in view.periods
        if x.kind == "year"
        and x.start[0]
        and 0 <= x.span[0] - p.span[1] <= 4
        and re.fullmatch(r"\s*(?:of\s*)?", view.text[p.span[1] : x.span[0]])
    ]
    return after[0].start[0] if after else None


def change_months(
    view: SentenceView,
    d: Discourse,
    q: Quantity | None,
    clause: Clause,
) -> tuple[tuple[int, int], tuple[int, int], list[tuple[tuple[int, int], str]]] | str:
    """(start month, end month, other readings) of a change, or why it cannot be told."""
    rng = [p for p in view.periods if p.kind == "range" and p.ends and p.role in ("point", "base")]
    if rng:
        p = rng[0]
        a, z = p.ends  # type: ignore[misc]
        if not (a.start[0] and z.end[0]):
            return "a change whose months the sentence does not give"
        year = _year_of_bare_range(view, p)
        if a.kind == "year" and z.kind == "year":
            return (a.end, z.end, [])  # years: December to December
        if WINDOW.search(p.text) and p.text.lower().lstrip().startswith(("the", "over", "past", "last", "in")):
            return (_before(p.start), p.end, [])  # "the twelve months ending in December 2025"
        if a.kind not in ("month", "day") or z.kind not in ("month", "day"):
            return "a change between periods that are not months"
        start, end = a.start, z.end
        if year is not None:
            start, end = (year, start[1]), (year, end[1])
        return (start, end, [])
    r = d.period_for(view, q, clause, "employment", kinds=("year", "month"))
    p0 = r.period
    if p0 is None or not p0.start[0]:
        return "a change in employment whose months the sentence does not give"
    if p0.kind == "year":
        y = p0.start[0]
        return ((y, 1), (y, 12), [((y - 1, 12), "December to December")])
    return "a change over one month needs the month it is counted from"


def _readings(metric: str, params: dict[str, Any], others: list[tuple[tuple[int, int], str]]) -> list[Reading]:
    return [
        Reading(
            name=name,
            description=f"from {_key(m)} instead of {params['start_month']}",
            metric=metric,
            params={**params, "start_month": _key(m)},
        )
        for m, name in others
    ]


def _direction(text: str, lo: int, at: int) -> str | None:
    """The change word nearest before `at` (or right after it, "declined by"), within the clause."""
    best: tuple[int, str] | None = None
    for rx, kind in ((UP, "up"), (DOWN, "down")):
        for m in rx.finditer(text, lo, at):
            if best is None or m.start() > best[0]:
                best = (m.start(), kind)
    return best[1] if best else None


@frame(
    "employment",
    "employment",
    ("employment",),
    priority=38,
    examples=(
        Example(
            "Manufacturing employment stood at about 12.58 million in December 2025.",
            "employment",
            {"series": "MANEMP", "year": 2025, "month": 12},
            "about",
            12.58e6,
        ),
        Example(
            "Manufacturers shed 93,000 jobs between January and December 2025.",
            "employment_change",
            {"series": "MANEMP", "start_month": "2025-01", "end_month": "2025-12"},
            "eq",
            -93000,
        ),
        Example(
            "Over the twelve months ending in December 2025, manufacturing employment declined by 113,000.",
            "employment_change",
            {"series": "MANEMP", "start_month": "2024-12", "end_month": "2025-12"},
            "eq",
            -113000,
        ),
        Example(
            "Manufacturing lost 93,000 jobs in 2025.",
            "employment_change",
            {"series": "MANEMP", "start_month": "2025-01", "end_month": "2025-12"},
            "eq",
            -93000,
            note="a year alone: January to December; December to December is another reading",
        ),
        Example(
            "Total nonfarm payrolls reached about 158.4 million in December 2025.",
            "employment",
            {"series": "PAYEMS", "year": 2025, "month": 12},
            "about",
            158.4e6,
        ),
        Example(
            "Auto and parts makers cut about 50,000 jobs between January and December 2025.",
            "employment_change",
            {"series": "CES3133600101", "start_month": "2025-01", "end_month": "2025-12"},
            "about",
            -50000,
        ),
        Example(
            "Manufacturing employment fell 0.7% in 2025.",
            "employment_change_pct",
            {"series": "MANEMP", "start_month": "2025-01", "end_month": "2025-12"},
            "eq",
            -0.7,
        ),
    ),
)
def read_employment(view: SentenceView, d: Discourse, b: Builder) -> None:
    """U.S. employment levels, changes and percent changes (BLS CES via FRED)."""
    s = view.text
    if LINKED.search(s) or (view.has("measure", "trade") and CREATED.search(s)):
        # jobs said to depend on trade: national employment does not measure them (jobs_linkage may add a claim)
        for q in view.quantities:
            if q.unit == "count":
                b.skip(q, NOT_TRADE)
        return
    figures = [q for q in view.quantities if b.free(q) and q.unit in ("count", "percent", "fraction")]
    months_q = [q for q in view.quantities if b.free(q) and q.unit == "months"]
    read_any = False
    for q in figures:
        clause = view.clause_of(q.start)
        words = s[clause.start : clause.end]
        sid = series_of(words) or series_of(s)
        if view.partners(clause.start, clause.end):
            b.skip(q, "employment in other countries is not in any loaded source (BLS CES is U.S. only)")
            continue
        if sid is None:
            b.skip(
                q, "an employment figure whose sector (manufacturing, autos, total nonfarm) the sentence does not name"
            )
            continue
        read_any = True
        if q.unit == "fraction" or (q.unit == "percent" and view.has("share", None, clause.start, clause.end)):
            _share(view, d, b, clause, q, sid)
            continue
        kind = _direction(s, clause.start, q.start) or _direction(s, q.end, min(clause.end, q.end + 12))
        if kind is None and q.unit == "percent":
            b.skip(q, "a percentage about employment that is not a change")
            continue
        if kind is None:
            _level(view, d, b, clause, q, sid)
            continue
        got = change_months(view, d, q, clause)
        if isinstance(got, str):
            b.skip(q, got)
            continue
        a, z, others = got
        down = kind == "down"
        value = -q.value if down else q.value
        comparator = FLIP.get(q.comparator, q.comparator) if down else q.comparator
        metric = "employment_change_pct" if q.unit == "percent" else "employment_change"
        params = {"series": sid, "start_month": _key(a), "end_month": _key(z)}
        lo = min([clause.start] + [p.span[0] for p in view.periods if p.kind == "range" and p.span[0] < q.start])
        b.add(
            metric,
            params,
            comparator,
            value,
            "percent" if q.unit == "percent" else "persons",
            q,
            around(view, q.start, q.end, lo=lo),
            "jobs",
            _readings(metric, params, others),
            also=months_q,
        )
    if not figures and not read_any:
        _direction_only(view, d, b)
    b.done = read_any


def _level(view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity, sid: str) -> None:
    r = d.period_for(view, q, clause, "employment", kinds=("month", "year"))
    p = r.period
    if p is None or not p.start[0]:
        b.skip(q, "an employment level whose month the sentence does not give")
        return
    if p.kind != "month":
        b.skip(q, "an employment level for a whole year (an annual average) is not computed; BLS counts jobs by month")
        return
    b.add(
        "employment",
        {"series": sid, "year": p.start[0], "month": p.start[1]},
        q.comparator,
        q.value,
        "persons",
        q,
        around(view, q.start, q.end),
        "jobs",
    )


def _share(view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity, sid: str) -> None:
    if sid == "PAYEMS" or not TOTAL.search(view.text[clause.start : clause.end]):
        b.skip(q, "a share of employment whose two series the sentence does not name")
        return
    r = d.period_for(view, q, clause, "employment", kinds=("month",))
    if r.period is None or not r.period.start[0]:
        b.skip(q, "a share of employment whose month the sentence does not give")
        return
    value = q.value * 100 if q.unit == "fraction" else q.value
    comparator = "about" if q.unit == "fraction" and q.comparator == "eq" else q.comparator
    b.add(
        "employment_share",
        {"series": sid, "of": "PAYEMS", "month": _key(r.period.start)},
        comparator,
        value,
        "percent",
        q,
        around(view, q.start, q.end),
        "jobs",
    )


def _direction_only(view: SentenceView, d: Discourse, b: Builder) -> None:
    """ "Manufacturing employment rose between January and December 2025": the sign of the change."""
    s = view.text
    sid = series_of(s)
    found = [x for x in (UP.search(s), DOWN.search(s)) if x is not None]
    if sid is None or not found or view.partners():
        return
    m = min(found, key=lambda x: x.start())
    kind = "up" if UP.fullmatch(m.group(0)) else "down"
    clause = view.clause_of(m.start())
    got = change_months(view, d, None, clause)
    if isinstance(got, str):
        return
    a, z, _ = got
    params = {"series": sid, "start_month": _key(a), "end_month": _key(z), "_sign": True}
    b.add(
        "employment_change",
        params,
        "under" if kind == "down" else "over",
        0.0,
        "persons",
        None,
        around(view, m.start(), m.end()),
        "jobs",
    )
