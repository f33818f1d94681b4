"""Drug seizures: CBP's statistics by fiscal year, month, component and region; changes between years;
Mexico's published running totals; and lethal doses in an amount.

A sentence about a drug and an amount by weight is read here even when it mentions the Border
Patrol (it is about drugs, not people). CBP's headline is OFO plus Border Patrol; Air and Marine
Operations is published separately and listed as another reading.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from usmca import patterns
from usmca.claims.discourse import Discourse
from usmca.claims.frames import FLIP, Builder, Example, Rate, around, as_percent, frame, rate_of
from usmca.claims.model import Reading
from usmca.claims.numbers import Quantity
from usmca.claims.tokens import Clause, SentenceView

LB_PER_KG = 1 / 0.45359237
TO_KG = {"kg": 1.0, "lb": 0.45359237, "t": 1000.0}
US_AGENCY = patterns.compile(
    r"\b(?:cbp|customs and border protection|u\.s\. (?:authorities|agents|officers|officials|"
    r"customs)|border patrol|ports? of entry|office of field operations|air and marine|officers|agents)\b",
    re.I,
)
CUMULATIVE = patterns.compile(
    r"\b(?:have|has)\s+(?:\w+\s+)?(?:seized|confiscated|intercepted|taken|secured)\b|"
    r"\b(?:in total|a total of|so far|to date|in all|cumulative|running total)\b",
    re.I,
)
DRUGS = {
    "fentanyl": "Fentanyl",
    "methamphetamine": "Methamphetamine",
    "meth": "Methamphetamine",
    "cocaine": "Cocaine",
    "heroin": "Heroin",
    "marijuana": "Marijuana",
    "ketamine": "Ketamine",
    "ecstasy": "Ecstasy",
}


def _drug(view: SentenceView, q: Quantity) -> str | None:
    cues = view.cues_of("measure", "drug")
    if not cues:
        return None
    after = [c for c in cues if c.start >= q.end and c.start - q.end <= 30]
    pick = after[0] if after else min(cues, key=lambda c: abs(c.start - q.start))
    return DRUGS.get(pick.text.lower())


@frame(
    "seizures",
    "seizures",
    ("drug", "seizures", "doses"),
    priority=20,
    examples=(
        Example(
            "CBP seized 21,889 pounds of fentanyl in fiscal 2024.",
            "seizures",
            {"drug": "Fentanyl", "year": 2024, "fiscal": True},
            "eq",
            21889,
        ),
        Example(
            "Border Patrol agents seized about 1,700 pounds of fentanyl in fiscal year 2025.",
            "seizures",
            {"drug": "Fentanyl", "year": 2025, "fiscal": True, "component": "usbp"},
            "about",
            1700,
        ),
        Example(
            "Fentanyl seizures fell by almost half from fiscal 2024 to fiscal 2025.",
            "seizures_change",
            {"drug": "Fentanyl", "year": 2025, "base_year": 2024},
            "about",
            -50.0,
        ),
        Example(
            "Since February 2025 Mexican authorities have seized nearly 258 kilograms of fentanyl.",
            "statement_running_total",
            {"measure": "fentanyl_seized_kg", "since": "2025-02"},
            "about",
            258,
        ),
    ),
)
def read_seizures(view: SentenceView, d: Discourse, b: Builder) -> None:
    """Drug seizures by weight, their changes, running totals, and lethal doses."""
    s = view.text
    weights = [q for q in view.quantities if q.unit in ("kg", "lb", "t") and b.free(q)]
    doses = [q for q in view.quantities if q.unit == "count" and "doses" in (q.noun or "") and b.free(q)]
    has_drug = view.has("measure", "drug") or (d.last_topic in ("drug", "seizures") and bool(weights))
    if has_drug:
        d.last_topic = "drug"
    if not has_drug and not doses:
        return
    us = US_AGENCY.search(s) is not None
    mexican = bool(re.search(r"\bmexic", s, re.I)) and not us
    other = [
        p
        for p in view.places
        if p.iso3 not in ("USA", "MEX")
        and not us
        and re.match(
            r"\s*(?:['’]s\s+\w+\s+)?(?:authorities\s+|police\s+|officials\s+|forces\s+)?(?:have\s+|has\s+)?"
            r"(?:seized|confiscated|intercepted|seizures)",
            s[p.end : p.end + 50],
            re.I,
        )
    ]
    if other:
        for q in weights:
            b.skip(q, "drug seizures by other countries are not in any loaded source")
        b.done = True
        return
    since = next((p for p in view.periods if p.kind == "since" or p.role == "since"), None)
    running = since is not None or (
        CUMULATIVE.search(s) is not None and not any(p.role == "point" for p in view.periods)
    )
    for q in weights:
        clause = view.clause_of(q.start)
        why = view.near_cues("unsupported", q.start, clause.start, clause.end)
        if why:
            b.skip(q, why[0].value)
            continue
        kg = q.value * TO_KG[q.unit]
        d.last_amount["fentanyl_kg"] = kg
        d.last_amount_sentence["fentanyl_kg"] = view.index
        drug = _drug(view, q) or (d.last_amount_drug if d.last_topic in ("drug", "seizures") else None)
        if drug is None:
            b.skip(q, "a weight with no drug named")
            continue
        d.last_amount_drug = drug
        if mexican and running:
            if drug != "Fentanyl":
                b.skip(q, "Mexico's published running totals are for fentanyl only")
                continue
            sy = since.start[0] if since else 0
            if since is not None and not sy:  # "since February 5" with no year: the year of the sentence's other period
                others = [x for x in view.periods if x is not since and x.start[0]]
                sy = others[0].start[0] if others else 0
            since_key = f"{sy}-{since.start[1]:02d}" if since and sy else None
            b.add(
                "statement_running_total",
                {"measure": "fentanyl_seized_kg", "since": since_key},
                q.comparator if q.comparator != "eq" else "about",
                kg,
                "kg",
                q,
                around(view, q.start, q.end),
                "fentanyl",
            )
            continue
        if mexican:
            b.skip(q, "Mexico publishes running totals since February 2025 only, not totals for a year or month")
            continue
        _cbp(view, d, b, clause, q, drug, q.value * TO_KG[q.unit] * LB_PER_KG)
    for q in [x for x in view.quantities if x.unit == "percent" and b.free(x)]:
        share_like = view.cues_of("share") or (
            re.match(r"\s+of\b", s[q.end :])
            and (view.has("scope") or view.cues_of("component", "usbp") or view.cues_of("component", "ofo"))
        )
        if has_drug and share_like and not view.has("direction"):
            _share(view, d, b, view.clause_of(q.start), q)
        elif has_drug and (view.has("measure", "seizures") or view.has("direction")):
            _change(view, d, b, view.clause_of(q.start), q)
    for q in [x for x in view.quantities if x.unit == "times" and b.free(x)]:
        if has_drug:
            _change(view, d, b, view.clause_of(q.start), q)
    for q in [x for x in view.quantities if x.unit == "fraction" and b.free(x)]:
        if has_drug and view.has("direction"):
            pct = as_percent(q, loose=True)
            _change(view, d, b, view.clause_of(q.start), pct)
            if pct.start in b.used:
                b.used.add(q.start)
    for q in doses:
        dose_kg = d.last_amount.get("fentanyl_kg")
        same = d.last_amount_sentence.get("fentanyl_kg") == view.index
        prev = d.last_amount_sentence.get("fentanyl_kg") == view.index - 1 and re.match(
            r"\W*(?:that|this|it|enough|such|the (?:haul|amount|seizures?))\b", s, re.I
        )
        if dose_kg and (same or prev):
            b.add(
                "lethal_doses",
                {"kilograms": dose_kg},
                q.comparator,
                q.value,
                "doses",
                q,
                around(view, q.start, q.end),
                "fentanyl",
            )
            if same:
                for w in weights:
                    b.used.add(w.start)
                    b.reasons.pop(w.start, None)
        else:
            b.skip(q, "lethal doses of an amount the text does not give")
    if has_drug:
        d.remember(view, "seizures")
    b.done = bool(weights or doses)


def _component(view: SentenceView) -> str | None:
    comps = {c.value for c in view.cues_of("component")}
    if "amo" in comps:
        return "amo"
    if "ofo" in comps and "usbp" not in comps:
        return "ofo"
    if "usbp" in comps and "ofo" not in comps and "cbp" not in comps:
        return "usbp"
    return None


def _cbp(view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity, drug: str, lb: float) -> None:
    r = d.period_for(view, q, clause, "seizures", kinds=("month", "day", "year", "fiscal_year", "ytd"))
    p = r.period
    since = next((x for x in view.periods if (x.kind == "since" or x.role == "since") and x.start[0]), None)
    rng = next((x for x in view.periods if x.kind == "range" and x.start[0] and x.fiscal), None)
    params: dict[str, Any] = {"drug": drug}
    if p is None and since is not None and since.start[1] == 10:  # "since October": the fiscal year so far
        p = None
        params.update({"year": since.start[0] + 1, "fiscal": True, "to_date": True})
        _cbp_add(view, b, q, lb, params)
        return
    if p is None and rng is not None and rng.start[1] == 10:  # "the first seven months of fiscal 2026"
        params.update(
            {"year": rng.start[0] + 1, "fiscal": True, "to_date": True, "through": f"{rng.end[0]}-{rng.end[1]:02d}"}
        )
        _cbp_add(view, b, q, lb, params)
        return
    if p is None or p.start[0] == 0:
        b.skip(
            q,
            "no month or fiscal year is given for this amount"
            if r.rule != "none"
            else "the sentence cites several periods and does not tie this amount to one",
        )
        return
    if p.kind in ("month", "day"):
        params.update({"year": p.start[0], "month": p.start[1]})
    elif p.kind == "ytd":
        fy = p.start[0] + 1 if p.fiscal and p.start[1] >= 10 else p.start[0]
        params.update({"year": fy, "fiscal": True, "to_date": True})
        _through(view, params, fy)
    elif p.fiscal:
        params.update({"year": p.end[0], "fiscal": True})
        if _through(view, params, p.end[0]):
            params["to_date"] = True  # "through April ... in fiscal year 2026"
    else:
        params.update({"year": p.start[0]})
    _cbp_add(view, b, q, lb, params)


def _through(view: SentenceView, params: dict[str, Any], fy: int) -> bool:
    """ "Through April" in fiscal year `fy`: April of the calendar year that month falls in within that fiscal year."""
    until = [x for x in view.periods if x.role == "until" and x.kind in ("month", "day") and x.start[1]]
    if not until:
        return False
    m = until[0].start[1]
    params["through"] = f"{fy - 1 if m >= 10 else fy}-{m:02d}"
    return True


def _cbp_add(view: SentenceView, b: Builder, q: Quantity, lb: float, params: dict[str, Any]) -> None:
    comp = _component(view)
    readings: list[Reading] = []
    if comp == "amo":
        params["include_amo"] = True
        readings.append(
            Reading(
                name="OFO and USBP only",
                description="CBP's nationwide figure without AMO",
                metric="seizures",
                params={**params, "include_amo": False},
            )
        )
    elif comp:
        params["component"] = comp
    else:
        readings.append(
            Reading(
                name="with Air and Marine Operations",
                description="CBP publishes AMO seizures separately from the nationwide (OFO and Border Patrol) figures",
                metric="seizures",
                params={**params, "include_amo": True},
            )
        )
    if view.has("scope", "southwest"):
        params["region"] = "southwest"
    elif view.has("scope", "northern"):
        params["region"] = "northern"
    stated = rate_of(view, q)
    if stated is not None and stated.unit != "year":
        _as_rate(view, b, q, lb, stated, params, readings)
        return
    b.add("seizures", params, q.comparator, lb, "lb", q, around(view, q.start, q.end), "fentanyl", readings)


def _as_rate(
    view: SentenceView,
    b: Builder,
    q: Quantity,
    lb: float,
    stated: Rate,
    params: dict[str, Any],
    readings: list[Reading],
) -> None:
    """ "33 pounds a day in fiscal 2025": the rate times the days of the period, judged against the period's total."""
    if params.get("to_date") or not math.isfinite(stated.seconds):
        b.skip(q, f"a rate ({stated.text}) over part of a year is not read")
        return
    y = int(params["year"])
    if "month" in params:
        m = int(params["month"])
        first, last = dt.date(y, m, 1), dt.date(y + (m == 12), m % 12 + 1, 1)
    elif params.get("fiscal"):
        first, last = dt.date(y - 1, 10, 1), dt.date(y, 10, 1)
    else:
        first, last = dt.date(y, 1, 1), dt.date(y + 1, 1, 1)
    days = (last - first).days
    periods = days * 86400 / stated.seconds  # how many of the words' time units the period holds
    claim = b.add(
        "seizures",
        params,
        q.comparator,
        lb,
        f"lb per {stated.unit}",
        q,
        around(view, q.start, q.end),
        "fentanyl",
        readings,
        rate_ok=True,
    )
    claim.params["_rate"] = f"{stated.text}: the total over {days} days, per {stated.unit}"
    claim.params["_scale"] = (periods, f"per {stated.unit}")


def _share(view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity) -> None:
    r = d.period_for(view, q, clause, "seizures", kinds=("year", "fiscal_year"))
    p = r.period
    region = "southwest" if view.has("scope", "southwest") else ("northern" if view.has("scope", "northern") else None)
    comp = _component(view)
    if p is None or (region is None and comp not in ("ofo", "usbp")):
        b.skip(q, "a share of seizures whose year, region or component the sentence does not give")
        return
    params: dict[str, Any] = {
        "drug": _drug(view, q) or "Fentanyl",
        "year": p.end[0] if p.fiscal else p.start[0],
        "fiscal": p.fiscal,
    }
    if region:
        params["region"] = region
    if comp in ("ofo", "usbp"):
        params["component"] = comp
    b.add("seizures_share", params, q.comparator, q.value, "percent", q, around(view, q.start, q.end), "fentanyl")


def _change(view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity) -> None:
    words = view.text[clause.start : clause.end]
    down = re.search(
        r"\b(?:fell|dropped|declined|decreased|down|plunged|plummeted|lower|less|cut|shrank|slid|fall|"
        r"drop|decline)\b",
        words,
        re.I,
    )
    up = re.search(r"\b(?:rose|increased|jumped|climbed|up|higher|more|surged|grew|rise|increase)\b", words, re.I)
    if not (up or down) and q.unit != "times":
        b.skip(q, "a percentage about seizures that is not a change")
        return
    fys = [p for p in view.periods if p.kind in ("fiscal_year", "year") and p.start[0]]
    rng = [p for p in view.periods if p.kind == "range" and p.ends]
    if rng:
        a, z = rng[0].ends  # type: ignore[misc]
        y0, y1, fiscal = (a.end[0], z.end[0], True) if a.fiscal else (a.start[0], z.start[0], False)
    elif len(fys) >= 2:
        pts = sorted(fys, key=lambda p: p.end)
        fiscal = pts[0].fiscal
        y0 = pts[0].end[0] if fiscal else pts[0].start[0]
        y1 = pts[-1].end[0] if fiscal else pts[-1].start[0]
    elif len(fys) == 1 and re.search(
        r"\b(?:prior|previous|preceding) (?:fiscal )?year|a year (?:earlier|before)|"
        r"year[- ]over[- ]year|from (?:the )?(?:year|fiscal year) before",
        words,
        re.I,
    ):
        fiscal = fys[0].fiscal
        y1 = fys[0].end[0] if fiscal else fys[0].start[0]
        y0 = y1 - 1
    else:
        b.skip(q, "a change in seizures whose two years the sentence does not give")
        return
    drug = _drug(view, q) or "Fentanyl"
    if q.unit == "times":
        params_r: dict[str, Any] = {"drug": drug, "year": y1, "base_year": y0, "fiscal": fiscal, "as_ratio": True}
        b.add(
            "seizures_change",
            params_r,
            "about" if q.comparator == "eq" else q.comparator,
            q.value,
            "ratio",
            q,
            around(view, q.start, q.end),
            "fentanyl",
        )
        return
    value = -q.value if down and not up else q.value
    comparator = FLIP.get(q.comparator, q.comparator) if down and not up else q.comparator
    params: dict[str, Any] = {"drug": drug, "year": y1, "base_year": y0, "fiscal": fiscal}
    comp = _component(view)
    if comp in ("ofo", "usbp"):
        params["component"] = comp
    b.add("seizures_change", params, comparator, value, "percent", q, around(view, q.start, q.end), "fentanyl")
