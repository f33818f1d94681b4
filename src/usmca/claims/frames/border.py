"""Border encounters (CBP, DHS OHSS): totals, monthly and daily averages, changes and records.

Scope (nationwide, southwest, northern) and component (Border Patrol, Office of Field Operations,
all of CBP) are read from the sentence: "apprehensions" and "Border Patrol" are the Border Patrol's;
"encounters" are all of CBP's unless a component is named. Where the words do not name a scope, the
nationwide figure is the claim and the southwest border is listed as another reading.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from usmca import patterns
from usmca.claims.discourse import Discourse
from usmca.claims.frames import (
    FLIP,
    UNIT_SECONDS,
    Builder,
    Example,
    Rate,
    around,
    as_percent,
    frame,
    rate_of,
    small_number,
)
from usmca.claims.model import Reading
from usmca.claims.numbers import Quantity
from usmca.claims.periods import Period
from usmca.claims.tokens import Clause, SentenceView
from usmca.months import month_key

ENCOUNTER_NOUNS = {
    "encounters",
    "encounter",
    "apprehensions",
    "apprehension",
    "crossings",
    "crossing",
    "arrests",
    "migrants",
    "people",
    "persons",
    "individuals",
    "times",
    "expulsions",
    "inadmissibles",
    "illegal",
    "unlawful",
    "irregular",
    "border",
    "migrant",
    "southwest",
    "nationwide",
    "total",
    "monthly",
    "in",
    "at",
    "on",
    "during",
    "for",
    "last",
    "this",
    "from",
    "to",
    "and",
    "or",
    "the",
    "a",
    "an",
    "per",
    "along",
    "across",
    "between",
    "were",
    "was",
    "are",
    "is",
    "recorded",
    "by",
    "since",
    "through",
    "over",
    "compared",
    "down",
    "up",
    "each",
    "that",
    "as",
    "while",
    "with",
    "when",
    "after",
    "before",
    "than",
    "which",
    "reported",
    "nationally",
    "more",
    "fewer",
    "",
}
ENCOUNTER_NOUNS |= {"took", "occurred", "happened", "came", "crossed", "involved"}  # "2,378,944 took place ..."
LOWER = patterns.compile(
    r"\b(?:lower|below|less|fewer|down|fell|fall|falls|dropped|declined|plunged|plummeted|decreased|"
    r"decline|drop|cut|shrank|slid|sank|tumbled)\b",
    re.I,
)
HIGHER = patterns.compile(
    r"\b(?:higher|above|more|up|rose|rise|rises|increased|jumped|climbed|surged|increase|grew)\b", re.I
)


def scope_component(view: SentenceView, pos: int | None = None) -> tuple[str | None, str, bool]:
    """(scope or None when the words name none, component, component named explicitly).

    With several scopes named ("the northern border ..., next to the southwest"), the one nearest
    before the figure at `pos` (else the first) decides.
    """
    cues = view.cues_of("scope")
    if pos is not None and len({c.value for c in cues}) > 1:
        before = [c for c in cues if c.start <= pos]
        cues = [before[-1]] if before else cues[:1]
    scopes = {c.value for c in cues[:1]} if cues else set()
    scope = (
        "southwest"
        if "southwest" in scopes
        else ("northern" if "northern" in scopes else ("nationwide" if "nationwide" in scopes else None))
    )
    ccues = view.near_cues("component", pos if pos is not None else 0, 0, len(view.text))
    comps = {c.value for c in ccues}
    joined = re.search(
        r"\b(?:agents|border patrol)\s+(?:and|&)\s+(?:cbp\s+)?officers\b|\bofficers\s+(?:and|&)\s+agents\b",
        view.text,
        re.I,
    )
    if joined:
        return scope, "all", True  # "agents and officers": both components, all of CBP
    if pos is not None and {"ofo", "usbp"} <= comps:  # both named: the one nearest before the figure
        before = [c for c in ccues if c.value in ("ofo", "usbp") and c.start <= pos]
        if before:
            comps = {before[-1].value}
    if "ofo" in comps and "usbp" not in comps:
        return scope, "ofo", True
    if "usbp" in comps and "cbp" not in comps:
        return scope, "usbp", True
    if (
        "usbp" in comps
        and "cbp" in comps
        and (
            re.search(r"\bborder patrol\b[^.;]*\b(?:apprehen|encounter|arrest)", view.text, re.I)
            or re.search(r"\bapprehen", view.text, re.I)
        )
    ):
        return scope, "usbp", True  # apprehensions are the Border Patrol's even when CBP reports them
    return scope, "all", False


def _readings(metric: str, params: dict[str, Any], scope_named: bool) -> list[Reading]:
    if scope_named or params.get("scope") != "nationwide":
        return []
    return [
        Reading(
            name="southwest border",
            description="the southwest land border only",
            metric=metric,
            params={**params, "scope": "southwest"},
        )
    ]


def _count_is_encounters(q: Quantity) -> bool:
    words = q.noun.lower().split()
    return not words or words[0] in ENCOUNTER_NOUNS


def _fy_or_year(p: Period) -> dict[str, Any]:
    if p.fiscal:
        return {"year": p.end[0], "fiscal": True}
    return {"year": p.start[0]}


def _period_key(p: Period) -> str | None:
    if p.kind in ("month", "day") and p.start[0]:
        return month_key(p.start)
    if p.kind == "fiscal_year" or (p.fiscal and p.kind == "year"):
        return f"FY{p.end[0]}"
    if p.kind == "year":
        return str(p.start[0])
    return None


@frame(
    "encounters",
    "border",
    ("encounters",),
    priority=30,
    examples=(
        Example(
            "CBP recorded 25,185 encounters nationwide in June 2025.",
            "encounters",
            {"year": 2025, "month": 6, "scope": "nationwide"},
            "eq",
            25185,
        ),
        Example(
            "Border Patrol apprehensions on the southwest border were about 8,700 in May 2025.",
            "encounters",
            {"year": 2025, "month": 5, "scope": "southwest", "component": "usbp"},
            "about",
            8700,
        ),
        Example(
            "Encounters at the southwest border averaged about 198,000 a month in fiscal 2022.",
            "encounters_monthly_average",
            {"start_month": "2021-10", "end_month": "2022-09", "scope": "southwest"},
            "about",
            198000,
        ),
        Example(
            "Nationwide encounters in June 2025 were 88% below June 2024.",
            "encounters_change",
            {"period": "2025-06", "base": "2024-06"},
            "eq",
            -88.0,
        ),
        Example(
            "June 2025 saw the fewest nationwide encounters since the series began.",
            "encounters_low_rank",
            {"month": "2025-06", "scope": "nationwide"},
            "lowest",
            1.0,
        ),
        Example(
            "Agents made about 950 apprehensions a day in May 2025 along the southwest border.",
            "encounters_daily_average",
            {"year": 2025, "month": 5, "scope": "southwest", "component": "usbp"},
            "about",
            950,
        ),
    ),
)
def read_encounters(view: SentenceView, d: Discourse, b: Builder) -> None:
    """Encounters and apprehensions: totals, averages, changes and records."""
    if view.has("measure", "drug") or view.has("measure", "seizures"):
        return  # a seizure sentence that mentions the Border Patrol is about drugs, not people
    s = view.text
    first = next((q.start for q in view.quantities), None)
    scope, component, named = scope_component(view, first)
    scope_named = scope is not None
    scope = scope or "nationwide"
    if re.search(
        r"\bmexic\w+ (?:authorities|government|officials)\b.*\bmore\b.*\bthan\b.*\b(?:border patrol|u\.s\.)", s, re.I
    ):
        rng = next((p for p in view.periods if p.kind == "range" and p.ends), None)
        if rng is not None:
            b.add(
                "mexico_vs_usbp_monthly",
                {"start_month": month_key(rng.start), "end_month": month_key(rng.end)},
                "true",
                1.0,
                "comparison",
                None,
                (0, len(s)),
                "border",
            )
            d.remember(view, "encounters")
            return
    base = {"scope": scope, "component": component}
    for clause in view.clauses:
        lo, hi = clause.start, clause.end
        why = view.cues_of("unsupported", None, lo, hi)
        qs = [q for q in view.quantities if lo <= q.start < hi and b.free(q)]
        if why:
            for q in qs:
                b.skip(q, why[0].value)
            continue
        _records(view, d, b, clause, base, scope_named)
        for q in qs:
            if (
                q.unit == "percent"
                and view.cues_of("share", None, lo, hi)
                and base["component"] != "all"
                and (
                    not view.has("direction", None, lo, hi)
                    or re.search(
                        r"\b(?:to|at)\s+(?:about\s+|nearly\s+|"
                        r"almost\s+|roughly\s+)?$",
                        s[lo : q.start],
                    )
                )
            ):
                _share(view, d, b, clause, q, base)
            elif q.unit == "percent":
                _change(view, d, b, clause, q, base, scope_named)
            elif q.unit == "count" and _count_is_encounters(q):
                _level(view, d, b, clause, q, base, scope_named)
            elif q.unit == "fraction" and view.has("direction", None, lo, hi):
                _change(view, d, b, clause, as_percent(q, loose=True), base, scope_named)
                if q.start in b.used or as_percent(q, loose=True).start in b.used:
                    b.used.add(q.start)
            elif q.unit == "times":
                _change(view, d, b, clause, q, base, scope_named)
        if not any(q.unit == "count" for q in qs):
            every = _EVERY_WORDS.search(s, lo, hi)
            count = small_number(every.group("n")) if every else None
            if every and count:  # "a migrant every two minutes"
                n = every.start("n")
                q = Quantity(float(count), "count", n, every.end("n"), every.group("n"))
                _level(view, d, b, clause, q, base, scope_named)
                continue
        if not qs and view.has("direction", None, lo, hi) and not view.cues_of("superlative", None, lo, hi):
            _direction_only(view, d, b, clause, base, scope_named)
    d.remember(view, "encounters")


# "an arrest every two minutes": the interval's number written as a word, with no figure before it
_EVERY_WORDS = patterns.compile(
    r"\b(?:a|an|one|someone|somebody)\s+(?:[\w-]+\s+){0,3}?(?:every|each)\s+(?P<n>[a-z-]+)\s+"
    r"(?:seconds|minutes|hours)\b",
    re.I,
)


def _direction_only(
    view: SentenceView, d: Discourse, b: Builder, clause: Clause, base: dict[str, Any], scope_named: bool
) -> None:
    """ "Encounters declined from 2023 to 2024": the sign of the change between two named periods."""
    rng = [p for p in view.periods if p.kind == "range" and p.ends]
    pts = [p for p in view.periods if p.kind in ("month", "fiscal_year", "year") and p.start[0]]
    if rng:
        a, z = rng[0].ends  # type: ignore[misc]
    elif len(pts) == 2:
        a, z = sorted(pts, key=lambda p: p.end)
    else:
        return
    ka, kz = _period_key(a), _period_key(z)
    if ka is None or kz is None or ka == kz:
        return
    cue = view.cues_of("direction", None, clause.start, clause.end)[0]
    down = cue.value in ("down", "narrow")
    params = {"period": kz, "base": ka, **base, "_sign": True}
    b.add(
        "encounters_change",
        params,
        "under" if down else "over",
        0.0,
        "percent",
        None,
        around(view, cue.start, cue.end),
        "border",
        _readings("encounters_change", params, scope_named),
    )


def _share(view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity, base: dict[str, Any]) -> None:
    r = d.period_for(view, q, clause, "encounters", kinds=("month", "year", "fiscal_year"))
    key = _period_key(r.period) if r.period is not None else None
    if key is None:
        b.skip(q, "a share of encounters whose period the sentence does not give")
        return
    b.add(
        "encounters_share",
        {"period": key, "component": base["component"], "scope": "southwest"},
        q.comparator,
        q.value,
        "percent",
        q,
        around(view, q.start, q.end),
        "border",
    )


def _as_rate(
    view: SentenceView,
    b: Builder,
    q: Quantity,
    p: Period,
    stated: Rate,
    base: dict[str, Any],
    span: tuple[int, int],
    scope_named: bool,
) -> None:
    """ "One every five minutes", "an arrest every 14 seconds", "400 an hour": the rate times the period's length.

    In a month the claim is the daily average; over a year or a fiscal year, the total the rate implies.
    """
    if not math.isfinite(stated.per_second) or stated.per_second <= 0:
        b.skip(q, f"a rate without a number ({stated.text}) is not checked")
        return
    if p.kind in ("month", "day"):
        per_day = stated.per_second * 86400
        params = {"year": p.start[0], "month": p.start[1], **base}
        claim = b.add(
            "encounters_daily_average",
            params,
            "about",
            per_day,
            "encounters per day",
            q,
            span,
            "border",
            _readings("encounters_daily_average", params, scope_named),
            rate_ok=True,
        )
        claim.params["_rate"] = f"{stated.text} is about {per_day:,.0f} a day"
        period_s = 86400.0
    elif p.kind in ("year", "fiscal_year") and p.start[0]:
        first = dt.date(p.start[0], p.start[1], 1)
        last = dt.date(p.end[0] + (p.end[1] == 12), p.end[1] % 12 + 1, 1)
        seconds = (last - first).days * 86400
        total = stated.per_second * seconds
        params = {"year": p.end[0] if p.fiscal else p.start[0], **base}
        if p.fiscal:
            params["fiscal"] = True
        claim = b.add("encounters", params, "about", total, "encounters", q, span, "border", rate_ok=True)
        claim.params["_rate"] = f"{stated.text} over {(last - first).days} days is about {total:,.0f}"
        period_s = float(seconds)
    else:
        b.skip(q, f"a rate ({stated.text}) is read for a month, a year or a fiscal year only")
        return
    claim.params["_precision"] = None
    claim.params["_round"] = True
    if stated.interval:
        claim.params["_interval"] = (stated.interval, UNIT_SECONDS[stated.unit], stated.events, period_s)


def _level(
    view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity, base: dict[str, Any], scope_named: bool
) -> None:
    s = view.text
    if not q.noun and re.match(
        r"\s+(?!(?:January|February|March|April|May|June|July|August|September|October|"
        r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b)[A-Z][a-z]",
        s[q.end : q.end + 20],
    ):
        b.skip(q, "a count of something other than encounters (the word after it names it)")
        return
    span = around(view, q.start, q.end)
    after = s[q.end : min(clause.end, q.end + 40)]
    rate = [
        c
        for c in view.cues_of("rate", None, q.end, min(clause.end, q.end + 40))
        if not re.search(r"[,;:]", s[q.end : c.start])
    ]
    per_day = q.per in ("a day", "per day", "each day", "daily") or any(c.value == "per_day" for c in rate)
    per_month = q.per in ("a month", "per month", "each month", "monthly") or any(c.value == "per_month" for c in rate)
    averaged = view.has("rate", "average", clause.start, clause.end)
    stated = rate_of(view, q)
    r = d.period_for(
        view, q, clause, "encounters", kinds=("month", "day", "year", "fiscal_year", "range", "half", "quarter", "ytd")
    )
    p = r.period
    if p is None:
        rng = [x for x in view.periods if x.kind == "range"]
        p = rng[0] if len(rng) == 1 else None
    if p is None or p.start[0] == 0:
        b.skip(
            q,
            "no month or year is given for this figure"
            if r.rule != "none"
            else "the sentence cites several periods and does not tie this figure to one",
        )
        return
    if (
        stated is not None
        and stated.unit in ("second", "minute", "hour", "week")
        or (stated is not None and stated.unit == "day" and not per_day)
    ):
        _as_rate(view, b, q, p, stated, base, span, scope_named)
        return
    if per_day:
        if p.kind not in ("month", "day"):
            b.skip(q, "a daily average is read for a month only")
            return
        params = {"year": p.start[0], "month": p.start[1], **base}
        b.add(
            "encounters_daily_average",
            params,
            q.comparator,
            q.value,
            "encounters per day",
            q,
            span,
            "border",
            _readings("encounters_daily_average", params, scope_named),
        )
        return
    if per_month or (averaged and p.kind in ("fiscal_year", "year", "range", "half", "quarter")):
        if p.kind == "month":
            b.skip(q, "a monthly average over one month")
            return
        params = {"start_month": month_key(p.start), "end_month": month_key(p.end), **base}
        readings = _readings("encounters_monthly_average", params, scope_named)
        if p.kind == "range" and not p.fiscal and p.start[1] == 1 and p.end[1] == 12:
            readings.append(
                Reading(
                    name="fiscal years",
                    description=f"fiscal years {p.start[0]}-{p.end[0]}",
                    metric="encounters_monthly_average",
                    params={**params, "start_month": f"{p.start[0] - 1}-10", "end_month": f"{p.end[0]}-09"},
                )
            )
        b.add(
            "encounters_monthly_average",
            params,
            q.comparator,
            q.value,
            "encounters per month",
            q,
            span,
            "border",
            readings,
        )
        return
    if p.kind in ("range", "half", "quarter"):
        b.skip(q, "a total over a range of months or years is not read yet")
        return
    if p.kind == "ytd":
        b.skip(q, "year-to-date encounter totals are not read yet")
        return
    params = {**_fy_or_year(p), **base}
    if p.kind in ("month", "day"):
        params = {"year": p.start[0], "month": p.start[1], **base}
    readings = _readings("encounters", params, scope_named)
    if p.kind == "year" and not p.fiscal and "month" not in params and re.search(r"\bfiscal\b", after, re.I) is None:
        readings.append(
            Reading(
                name="fiscal year",
                description=f"fiscal year {p.start[0]} (October to September)",
                metric="encounters",
                params={**params, "fiscal": True},
            )
        )
    claim = b.add("encounters", params, q.comparator, q.value, "encounters", q, span, "border", readings)
    if p.kind == "year" and not p.fiscal:
        claim.params["_undecided"] = True  # "in 2022": calendar or fiscal year


def _change(
    view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity, base: dict[str, Any], scope_named: bool
) -> None:
    s = view.text
    lo, hi = clause.start, clause.end
    words = s[lo:hi]
    dirs = {c.value for c in view.cues_of("direction", None, lo, hi)}
    lower = bool(dirs & {"down", "narrow"}) or LOWER.search(words) is not None
    if q.unit != "times" and not lower and not (dirs & {"up", "widen"}) and HIGHER.search(words) is None:
        b.skip(q, "a percentage about encounters that is not a change")
        return
    span = around(view, q.start, q.end)
    points = [p for p in view.periods if p.role == "point" and p.kind in ("month", "fiscal_year", "year", "day")]
    bases = [
        p for p in view.periods if p.role in ("base", "since") and p.kind in ("month", "fiscal_year", "year", "day")
    ]
    rng = [p for p in view.periods if p.kind == "range" and p.ends]
    avg = re.search(r"\baverage\b", words, re.I)
    target = points[0] if points else None
    if target is None and rng and not avg:
        target = rng[0].ends[1]  # type: ignore[index]  # "from FY2023 to FY2024": the change to the end
        bases = bases or [rng[0].ends[0]]  # type: ignore[index]
        rng = []
    if target is None:
        until = [p for p in view.periods if p.role == "until" and p.kind in ("month", "fiscal_year", "year", "day")]
        target = until[0] if until else None
    if target is None and d.last_period.get("encounters") is not None:
        target = d.last_period["encounters"]
    if target is None or target.start[0] == 0:
        b.skip(q, "a change whose month or year the sentence does not give")
        return
    value = -q.value if lower else q.value
    comparator = FLIP.get(q.comparator, q.comparator) if lower else q.comparator
    if avg and rng and target.kind in ("month", "day"):
        a, z = rng[0].start, rng[0].end
        params = {"month": month_key(target.start), "start_month": month_key(a), "end_month": month_key(z), **base}
        readings = []
        if not rng[0].fiscal:
            readings.append(
                Reading(
                    name="fiscal years",
                    description=f"average over fiscal years {a[0]}-{z[0]} (October {a[0] - 1} to September {z[0]})",
                    metric="encounters_change_vs_average",
                    params={**params, "start_month": f"{a[0] - 1}-10", "end_month": f"{z[0]}-09"},
                )
            )
        b.add(
            "encounters_change_vs_average",
            params,
            "pct_lower" if lower else "pct_higher",
            q.value,
            "percent",
            q,
            span,
            "border",
            readings,
        )
        return
    base_p = bases[0] if bases else (rng[0].ends[0] if rng and rng[0].ends else None)
    if base_p is None and len(points) > 1:
        base_p = points[1] if points[0] is target else points[0]
    if (
        base_p is None
        and re.search(
            r"\b(?:from|than|since|compared (?:with|to))\s+(?:the\s+)?(?:previous|prior|"
            r"last)\s+month\b|\bmonth[- ]over[- ]month\b",
            words,
            re.I,
        )
        and target.kind == "month"
    ):
        y, m = target.start
        base_key: str | None = month_key((y - 1, 12) if m == 1 else (y, m - 1))
    elif base_p is None and re.search(
        r"\b(?:a year (?:earlier|before|ago)|year[- ]over[- ]year|from the same month|"
        r"the same month (?:a|last) year)\b",
        words,
        re.I,
    ):
        base_key = (
            month_key((target.start[0] - 1, target.start[1]))
            if target.kind == "month"
            else (f"FY{target.end[0] - 1}" if target.fiscal else str(target.start[0] - 1))
        )
    else:
        base_key = _period_key(base_p) if base_p is not None else None
    period_key = _period_key(rng[0].ends[1]) if (rng and rng[0].ends and not points) else _period_key(target)
    if base_key is None or period_key is None or base_key == period_key:
        b.skip(q, "a change whose base period the sentence does not give")
        return
    params = {"period": period_key, "base": base_key, **base}
    if q.unit == "times":  # "tripled", "three times the FY2020 level"
        params["as_ratio"] = True
        b.add(
            "encounters_change",
            params,
            "about" if q.comparator == "eq" else q.comparator,
            q.value,
            "ratio",
            q,
            span,
            "border",
            _readings("encounters_change", params, scope_named),
        )
        return
    b.add(
        "encounters_change",
        params,
        "about" if q.comparator == "eq" and q.words else comparator,
        value,
        "percent",
        q,
        span,
        "border",
        _readings("encounters_change", params, scope_named),
    )


def _records(
    view: SentenceView, d: Discourse, b: Builder, clause: Clause, base: dict[str, Any], scope_named: bool
) -> None:
    s = view.text
    lo, hi = clause.start, clause.end
    low = view.cues_of("superlative", "lowest", lo, hi)
    high = [
        c
        for c in view.cues_of("superlative", "largest", lo, hi)
        if c.text.lower() in ("highest", "largest", "biggest", "greatest")
    ]
    sup = (
        low[0]
        if low
        else (high[0] if high and re.search(r"\b(?:monthly|month|total|level|encounters)\b", s[lo:hi], re.I) else None)
    )
    if sup is None:
        return
    points = [p for p in view.periods if p.role == "point" and p.kind in ("month", "day")]
    target = (
        points[0].start
        if points and points[0].start[0]
        else (
            d.last_period["encounters"].start
            if d.last_period.get("encounters") is not None and d.last_period["encounters"].kind == "month"
            else None
        )
    )
    span_years = [p for p in view.periods_in(lo, hi) if p.kind == "span_years"]
    dec = re.search(
        r"\bin\s+(?:(?:several|many|two|three|four|five)\s+)?(decades|a decade|a generation|generations)\b",
        s[sup.end : hi],
        re.I,
    )
    if not span_years and dec:  # "the fewest in decades": at least 20 years (a decade: 10)
        from usmca.claims.periods import Period as _D

        n = 10 if dec.group(1).lower() == "a decade" else 20
        span_years = [
            _D("span_years", (0, 0), (0, 0), (sup.end + dec.start(), sup.end + dec.end()), dec.group(0), years=n)
        ]
    yq = [q for q in view.quantities if lo <= q.start < hi and q.unit == "years" and q.start > sup.start]
    if not span_years and yq:  # "the lowest in 55 years" read as a figure of years
        from usmca.claims.periods import Period as _P

        span_years = [_P("span_years", (0, 0), (0, 0), (yq[0].start, yq[0].end), yq[0].raw, years=int(yq[0].value))]
        b.used.add(yq[0].start)
    since = [p for p in view.periods_in(lo, hi) if p.role == "since" or p.kind == "since"]
    highest = sup.value == "largest"
    if span_years:
        ref = target or d.reference_month
        if ref is None:
            return
        params = {
            "month": month_key(ref),
            "years": int(span_years[0].years or 0),
            "scope": base["scope"] if base["scope"] != "nationwide" else "southwest",
            "component": "usbp" if base["component"] == "all" else base["component"],
        }
        if int(params["years"]) <= 0 or highest:
            return
        b.add(
            "encounters_lowest_in_years",
            params,
            "lowest",
            1.0,
            "rank",
            None,
            around(view, sup.start, span_years[0].span[1]),
            "border",
        )
        return
    if target is None:
        return
    params = {"month": month_key(target), **base}
    if since and since[0].start[0]:
        names_month = re.search(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", since[0].text, re.I)
        y, m = since[0].start if names_month else (since[0].start[0], 12)
        # "the lowest since March 2017": lower than every month after March 2017 (that month itself was lower)
        params["since"] = month_key((y + 1, 1) if m == 12 else (y, m + 1))
    if highest:
        params["highest"] = True
    b.add(
        "encounters_low_rank",
        params,
        "lowest",
        1.0,
        "rank",
        None,
        around(view, sup.start, sup.end),
        "border",
        _readings("encounters_low_rank", params, scope_named),
    )
