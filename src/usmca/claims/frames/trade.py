"""Trade between the U.S. and its partners: values, balances, changes, growth, shares, ratios, per person.

Each figure of a trade clause is read on its own: its partner and flow (frames/_roles.py), its period
(discourse.py), and what kind of number it is (an amount, a percent, a multiple or a fraction) decide
the claim. A figure whose partner, flow or period the words do not give is listed as not checked, with
the reason.
"""

from __future__ import annotations

import re
from typing import Any

from usmca import patterns
from usmca.claims.discourse import Discourse
from usmca.claims.frames import FLIP, Builder, Example, around, as_percent, frame, small_number, uniq
from usmca.claims.frames._roles import EXCEEDED, GROUPS, flow_for, partners_for, reads_goods_and_services, says_goods
from usmca.claims.model import Reading
from usmca.claims.numbers import Quantity
from usmca.claims.periods import Period
from usmca.claims.tokens import Clause, Cue, SentenceView

ANNUAL_SIZE = 1e6  # a year's trade with a country is never a few dollars: smaller amounts are prices or wages
RATE_AFTER = patterns.compile(
    r"^\s*(?:(?:a|an|per|each|every)\s+(?:hour|day|week|month|minute|second|ton|tonne|barrel|gallon|"
    r"unit|vehicle|car|truck|kilo|kilogram|pound|liter|litre|container|shipment|worker|employee)\b|"
    r"(?:daily|weekly|monthly|hourly)\b)",
    re.I,
)
DIFFERENCE = patterns.compile(r"^\s+(?:[\w.$'’-]+\s+){0,4}?(more|less|fewer)\b(?:\s+[\w.$'’-]+){0,5}?\s+than\b", re.I)
CHANGE_BY = patterns.compile(
    r"\b(?:by|of)\s+(?:about\s+|nearly\s+|almost\s+|roughly\s+|more than\s+|over\s+|some\s+|"
    r"just over\s+|just under\s+|around\s+)?$",
    re.I,
)
SHARE_AFTER = patterns.compile(
    r"^\s*(?:dollars?\s+|every\s+dollars?\s+)?(?:of|share of)\s+(?:all\s+|total\s+|overall\s+)?(?:the\s+)?"
    r"(?:u\.s\.|american|united states['’]?s?|"
    r"america['’]s|the nation['’]s|the country['’]s)?\s*(?:total\s+)?(?:goods\s+|merchandise\s+)?"
    r"(exports|imports|trade|sales abroad|purchases|shipments)\b",
    re.I,
)
SHARE_OF_ALL = patterns.compile(
    r"^\s*of\s+(?:everything|all(?:\s+that)?|what)\s+(?:the\s+)?(?:america|u\.s\.|united states|"
    r"the country|the nation)\s+(exported|imported|sold|bought|shipped)",
    re.I,
)
SHARE_FLOW = {
    "exports": "exports",
    "sales abroad": "exports",
    "shipments": "exports",
    "imports": "imports",
    "purchases": "imports",
    "trade": "total",
}
TOP_N_AFTER = patterns.compile(
    r"\b(?:the\s+)?(\w+)\s+(?:largest|biggest|leading|top)\s+(?:trading\s+|export\s+|import\s+)?"
    r"(?:partners|markets|countries|destinations|suppliers|buyers|sources)\b",
    re.I,
)
TOP_N = patterns.compile(
    r"\b(?:the\s+)?(?:top|largest|biggest|leading)\s+(\w+)\s+(?:trading\s+|export\s+|import\s+)?"
    r"(?:partners|markets|countries|destinations|suppliers|buyers)\b",
    re.I,
)
THAN_PARTNER = patterns.compile(
    r"^\s*(?:(?:higher|greater|larger|bigger|more|above|lower|less|smaller|below|fewer)\b)"
    r"(?:\s+[\w.$’'-]+){0,6}?\s+than\b",
    re.I,
)


def _year_of(p: Period) -> int:
    return p.end[0] if p.fiscal else p.start[0]


def _trade_period(
    view: SentenceView, d: Discourse, q: Quantity | None, clause: Clause, pos: int | None = None
) -> tuple[dict[str, Any] | None, str]:
    """{year[, month]} a trade figure is about, or (None, reason)."""
    r = d.period_for(
        view,
        q,
        clause,
        "trade",
        pos=pos,
        kinds=("year", "month", "fiscal_year", "quarter", "half", "ytd", "day", "range"),
    )
    p = r.period
    if p is None:
        if r.rule == "none":
            return None, "the sentence cites several periods and does not tie this figure to one"
        if r.rule == "unsupported period":
            return None, "trade over a span of months or years is not summed yet; figures are checked by year or month"
        if d.default_year is None:
            return None, "no year is given and the text's date is unknown"
        return {"year": d.default_year}, "the latest full year of data before the text's date"
    if p.start[0] == 0 and p.kind == "year" and p.relative and d.default_year:
        return {"year": d.default_year}, "the latest full year of data (the text's date is unknown)"
    if p.start[0] == 0 or p.end[0] == 0:
        return None, "a month without a year, and the text's date is unknown"
    if p.fiscal or p.kind in ("quarter", "half", "ytd", "range"):
        # a fiscal year, a quarter, "January through June", "2020 through 2024": the sum of the months
        return {"start_month": f"{p.start[0]}-{p.start[1]:02d}", "end_month": f"{p.end[0]}-{p.end[1]:02d}"}, r.rule
    if p.kind in ("month", "day"):
        return {"year": p.start[0], "month": p.start[1]}, r.rule
    return {"year": p.start[0]}, r.rule


def product_of(view: SentenceView, lo: int, hi: int) -> tuple[list[str] | None, str | None, str]:
    """(HS chapters, reason not checked, words) for the product a clause names; (None, None, "") for all goods.

    A phrase naming a whole chapter ("electrical machinery", "HS 27") gives its chapters; goods inside a
    chapter ("corn", "cars") make the figure uncheckable; shorter phrases inside a longer one do not count.
    """
    pos = next((q.start for q in view.quantities if lo <= q.start < hi), lo)
    qend = next((q.end for q in view.quantities if lo <= q.start < hi), lo)
    t = view.text

    def apart(c: Cue) -> bool:
        """A product word the figure's phrase does not reach: across a comma, or naming no goods ("car plants")."""
        a, z = (c.end, pos) if c.end <= pos else (qend, c.start)
        if re.search(r"[,;:—]|\s[–-]\s", t[a:z]) and c.start > pos:
            return True
        return (
            re.match(
                r"\s*(?:plants?|factor(?:y|ies)|makers?|manufacturers?|companies|industry|sector|workers|"
                r"dealers|prices?|costs?|producers|firms|jobs)\b",
                t[c.end : c.end + 20],
                re.I,
            )
            is not None
        )

    chs = [c for c in view.near_cues("product_chapter", pos, lo, hi, reach=70) if not apart(c)]
    chs = [
        c
        for c in chs
        if not any(
            o is not c and o.start <= c.start and c.end <= o.end and (o.end - o.start) > (c.end - c.start) for o in chs
        )
    ]
    subs = [
        c
        for c in view.near_cues("sub_product", pos, lo, hi, reach=60)
        if not any(o.start <= c.start and c.end <= o.end for o in chs) and not apart(c)
    ]
    if subs:
        return None, subs[0].value, subs[0].text
    values = {c.value for c in chs}
    if len(values) > 1:
        return None, "a figure for several product groups at once", chs[0].text
    if values:
        v = values.pop()
        if "-" in v:
            a, b = (int(x) for x in v.split("-"))
            return [f"{i:02d}" for i in range(a, b + 1)], None, f"{chs[0].text} (HS {v}, approximate)"
        return v.split(","), None, chs[0].text
    return None, None, ""


def _trade_year(
    view: SentenceView, d: Discourse, q: Quantity | None, clause: Clause
) -> tuple[dict[str, Any] | None, str]:
    """Like _trade_period, for measures read by year or month only (shares, ratios, differences, products)."""
    per, why = _trade_period(view, d, q, clause)
    if per is not None and "year" not in per:
        return None, "this kind of figure is read for a year or a month, not a span of months"
    return per, why


def _unsupported(view: SentenceView, clause: Clause, pos: int | None = None) -> str | None:
    p = clause.start if pos is None else pos
    cues = view.near_cues("unsupported", p, clause.start, clause.end)
    cues = [c for c in cues if "wages and prices" not in c.value or min(abs(c.start - p), abs(c.end - p)) <= 40]
    return cues[0].value if cues else None


def balance_flow(view: SentenceView, clause: Clause, pos: int | None = None) -> tuple[str, int]:
    """("deficit", 1) for a U.S. deficit (or a partner's surplus with the U.S.), ("balance", 1) for a U.S. surplus.

    With several balance words in the clause, the one nearest the figure at `pos` decides.
    """
    t = view.text[clause.start : clause.end].lower()
    words = view.cues_of("trade_noun", "balance", clause.start, clause.end)
    if pos is not None and len({w.text.lower() for w in words}) > 1:
        near = min(words, key=lambda w: abs(w.start - pos))
        t = view.text[max(clause.start, near.start - 30) : min(clause.end, near.end + 40)].lower()
    deficit = bool(re.search(r"\b(?:deficits?|gap|imbalance|shortfall)\b", t)) and not re.search(r"\bsurplus", t)
    surplus = bool(re.search(r"\bsurplus", t)) and not deficit
    with_us = re.search(r"\b(?:with|against|to)\s+(?:the\s+)?(?:u\.s\.|united states|america)", t) is not None
    if surplus:
        return ("deficit", 1) if with_us else ("balance", 1)
    return ("balance", 1) if with_us else ("deficit", 1)


def _readings(partner: str, params: dict[str, Any], view: SentenceView, metric: str = "trade_value") -> list[Reading]:
    if params.get("basis") == "bop" or "month" in params:
        return []
    out = [
        Reading(
            name="balance of payments basis",
            description="BEA goods trade, balance-of-payments basis",
            metric=metric,
            params={**params, "partner": partner, "basis": "bop"},
        )
    ]
    if not says_goods(view):
        out.append(
            Reading(
                name="goods and services",
                description="BEA goods and services, balance-of-payments basis",
                metric=metric,
                params={**params, "partner": partner, "basis": "bop", "product": "goods_services"},
            )
        )
    return out


def _direction(view: SentenceView, clause: Clause, q: Quantity) -> str | None:
    """up | down | widen | narrow for a change figure: the direction word nearest before it (or right after it)."""
    shares = view.cues_of("share", None, clause.start, clause.end)
    cues = [
        c
        for c in view.cues_of("direction", None, clause.start, clause.end)
        if not any(x.start <= c.start and c.end <= x.end for x in shares)
    ]
    before = [c for c in cues if c.end <= q.start and q.start - c.end <= 60]
    if before and re.search(
        r"\b(?:to|at)\s+(?:a\s+(?:record\s+)?|an?\s+(?:all-time\s+)?|the\s+)?(?:about\s+|nearly\s+|"
        r"almost\s+|roughly\s+|around\s+|some\s+|over\s+|more than\s+|just\s+\w+\s+)?$",
        view.text[before[-1].end : q.start],
        re.I,
    ):
        return None  # "rose to 15.5%", "fell to $60 billion": the level reached, not the change
    after = [c for c in cues if c.start >= q.end and c.start - q.end <= 25]
    pick = before[-1] if before else (after[0] if after else None)
    if pick is None:
        return None
    same = [c.value for c in cues if c.start == pick.start]
    if "narrow" in same or "widen" in same:
        return "narrow" if "narrow" in same else "widen"
    return pick.value


def _change_span(view: SentenceView, d: Discourse) -> dict[str, Any] | None:
    """{year_from, year_to[, month]} for a change: a range's two ends; a base period and a point period;
    one point period and the year before it; a month against the same month a year earlier."""
    rng = [p for p in view.periods if p.kind == "range" and p.ends and not p.fiscal]
    if rng:
        a, z = rng[0].ends  # type: ignore[misc]
        if a.kind == "month" and z.kind == "month" and a.start[1] == z.start[1] and a.start[0] and z.start[0]:
            return {"year_from": a.start[0], "year_to": z.start[0], "month": a.start[1]}
        if a.kind in ("year", "range") and z.kind in ("year", "range"):
            return {"year_from": a.start[0], "year_to": z.end[0]}
        return None
    base = [p for p in view.periods if p.role in ("base", "since") and not p.fiscal and p.start[0]]
    points = [
        p for p in view.periods if p.role == "point" and not p.fiscal and p.start[0] and p.kind in ("year", "month")
    ]
    if base and points and points[0].kind == "month" and base[0].kind in ("month", "year"):
        a, z = base[0], points[0]
        if a.kind == "month" and a.start[1] == z.start[1]:
            return {"year_from": a.start[0], "year_to": z.start[0], "month": a.start[1]}
        if a.kind == "year" and a.start[0] == z.start[0] - 1 and a.relative:  # "in January ... than a year before"
            return {"year_from": a.start[0], "year_to": z.start[0], "month": z.start[1]}
        return None
    if base and base[0].kind in ("year", "since"):
        y0 = base[0].start[0]
        later = [p.start[0] for p in points if p.kind == "year" and p.start[0] > y0]
        y1 = later[0] if later else (d.default_year if d.default_year and d.default_year > y0 else None)
        return {"year_from": y0, "year_to": y1} if y1 else None
    years = [p for p in points if p.kind == "year"]
    if years and len({p.start for p in years}) == 1 and not base:
        return {"year_from": years[0].start[0] - 1, "year_to": years[0].start[0]}
    if len({p.start for p in years}) == 2 and not base:  # "rebounded in 2024 after a weak 2023"
        ys = sorted({p.start[0] for p in years})
        return {"year_from": ys[0], "year_to": ys[1]}
    return None


def _change_years(view: SentenceView, d: Discourse, clause: Clause, q: Quantity) -> tuple[int, int] | None:
    """(year_from, year_to) for a change: a range; a base year and a point year; a point year and the one before."""
    rng = [p for p in view.periods if p.kind == "range" and p.ends and not p.fiscal]
    if rng:
        a, b = rng[0].ends  # type: ignore[misc]
        return a.start[0], b.end[0]
    base = [p for p in view.periods if p.role in ("base", "since") and p.kind in ("year", "since") and not p.fiscal]
    points = [p for p in view.periods if p.role == "point" and p.kind == "year" and not p.fiscal]
    if base:
        y0 = base[0].start[0]
        later = [p.start[0] for p in points if p.start[0] > y0]
        y1 = later[0] if later else (d.default_year if d.default_year and d.default_year > y0 else None)
        return (y0, y1) if y1 else None
    if points and len({p.start for p in points}) == 1:
        return points[0].start[0] - 1, points[0].start[0]
    if not view.periods and d.default_year:
        return None
    return None


@frame(
    "trade",
    "trade",
    ("trade",),
    priority=60,
    examples=(
        Example(
            "U.S. goods exports to Mexico reached $334 billion in 2024.",
            "trade_value",
            {"partner": "MEX", "flow": "exports", "year": 2024},
            "eq",
            334e9,
        ),
        Example(
            "Japan imported $79.7 billion of U.S. goods in 2024.",
            "trade_value",
            {"partner": "JPN", "flow": "exports", "year": 2024},
            "eq",
            79.7e9,
        ),
        Example(
            "In 2024 the United States bought $506 billion of goods from Mexico.",
            "trade_value",
            {"partner": "MEX", "flow": "imports", "year": 2024},
            "eq",
            506e9,
        ),
        Example(
            "Mexico shipped about $500 billion of goods to the United States in 2024.",
            "trade_value",
            {"partner": "MEX", "flow": "imports"},
            "about",
            500e9,
        ),
        Example(
            "The goods trade gap with Japan narrowed to about $68 billion in 2024.",
            "trade_value",
            {"partner": "JPN", "flow": "deficit", "year": 2024},
            "about",
            68e9,
        ),
        Example(
            "Two-way goods trade with Canada came to $762 billion in 2024.",
            "trade_value",
            {"partner": "CAN", "flow": "total", "year": 2024},
            "eq",
            762e9,
        ),
        Example(
            "The deficit with Mexico widened by $20 billion from 2023 to 2024.",
            "trade_change",
            {"partner": "MEX", "flow": "deficit", "year_from": 2023, "year_to": 2024},
            "eq",
            20e9,
        ),
        Example(
            "Exports to Canada grew 4% between 2022 and 2023.",
            "trade_growth",
            {"partner": "CAN", "year_from": 2022, "year_to": 2023, "flow": "exports"},
            "eq",
            4.0,
        ),
        Example(
            "Mexico took about 16% of U.S. exports in 2024.",
            "partner_share",
            {"partner": "MEX", "flow": "exports", "year": 2024},
            "about",
            16.0,
        ),
        Example(
            "Canada and Mexico together took about 33% of U.S. exports in 2024.",
            "partners_share",
            {"partners": ["CAN", "MEX"], "flow": "exports"},
            "about",
            33.0,
        ),
        Example(
            "In 2024 Mexico bought 2.3 times as much from the U.S. as China did.",
            "trade_ratio",
            {"numerator": ["MEX"], "denominator": ["CHN"], "year": 2024},
            "times",
            2.3,
        ),
        Example(
            "Canada bought $15 billion more U.S. goods than Mexico in 2024.",
            "trade_difference",
            {"partner": "CAN", "other": "MEX", "year": 2024},
            "eq",
            15e9,
        ),
        Example(
            "Electrical machinery made up about a sixth of U.S. goods exports to Mexico in 2024.",
            "product_share",
            {"partner": "MEX", "chapters": ["85"], "year": 2024},
            "about",
            100 / 6,
        ),
        Example(
            "U.S. exports of mineral fuels (HS 27) to Mexico fell about 30% from 2022 to 2024.",
            "product_growth",
            {"partner": "MEX", "chapters": ["27"], "year_from": 2022, "year_to": 2024},
            "about",
            -30.0,
        ),
        Example(
            "Texas exported $130 billion of goods to Mexico in 2024.",
            None,
            note="state-level trade is not in any loaded source",
        ),
        Example(
            "Mexico's exports to China reached $12 billion in 2024.", None, note="trade between two other countries"
        ),
    ),
)
def read_trade(view: SentenceView, d: Discourse, b: Builder) -> None:
    """Trade values, balances, changes, growth rates, shares and ratios by partner."""
    from usmca.claims.frames._roles import negated

    c0 = view.clauses[0]
    first_subject: list[str] = (
        uniq([p.iso3 for p in view.partners(c0.start, c0.end) if not negated(view, p)])[:1]
        if len(view.clauses) > 1
        else []
    )
    anaphoric = view.has("anaphora") and not view.partners()
    for ci, clause in enumerate(view.clauses):
        qs = [q for q in view.quantities if clause.start <= q.start < clause.end and b.free(q)]
        if not qs:
            _direction_only(view, d, b, clause, first_subject or (d.last_subject.get("trade", []) if anaphoric else []))
            continue
        if not view.has("measure", "trade", clause.start, clause.end) and not view.has("measure", "trade"):
            continue
        why = _unsupported(view, clause, qs[0].start)
        if why:
            for q in qs:
                b.skip(q, why)
            continue
        fallback = first_subject or (d.last_subject.get("trade", []) if anaphoric else [])
        for q in qs:
            if q.unit == "other currency":
                b.skip(q, "figures in other currencies are not converted")
            elif q.unit == "USD":
                _amount(view, d, b, clause, q, qs, fallback)
            elif q.unit == "percent":
                _percent(view, d, b, clause, q, fallback)
            elif q.unit in ("times", "fraction"):
                _multiple(view, d, b, clause, q, fallback)
            if ci == 0 and not first_subject:
                first_subject = partners_for(view, clause, q, [])[0]
    flows = [c.params.get("flow") for c in b.claims if c.metric in ("trade_value", "trade_growth", "trade_months")]
    if flows and flows[-1]:
        d.last_flow = str(flows[-1])
    else:
        words = view.text.lower()
        d.last_flow = (
            "imports"
            if re.search(r"\bimports?\b", words)
            else ("exports" if re.search(r"\bexports?\b", words) else d.last_flow)
        )
    subj = uniq([p.iso3 for p in view.partners()])
    if subj:
        d.remember(view, "trade", subj[:1] if len(subj) > 1 else subj)
    elif view.periods:
        d.remember(view, "trade")


def _amount(
    view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity, qs: list[Quantity], fallback: list[str]
) -> None:
    s = view.text
    if (
        view.has("per_capita", None, clause.start, clause.end)
        or view.has("measure", "small_business")
        or view.has("measure", "value_added", clause.start, clause.end)
        or q.per == "each"
    ):
        return  # read by the per-person, small-business and value-added frames
    rate = [
        c
        for c in view.cues_of("rate", None, q.end, clause.end)
        if c.value in ("per_day", "per_month", "per_hour")
        and not re.search(r"[,;:]", s[q.end : c.start])
        and not re.match(
            r"\s+(?:release|report|data|figures|survey|statistics|bulletin|update)", s[c.end : c.end + 15], re.I
        )
    ]
    per_unit = (q.per or "").lower()
    monthly = per_unit in ("a month", "per month", "each month", "every month", "monthly") or any(
        c.value == "per_month" for c in rate
    )
    average = view.has("rate", "average", clause.start, clause.end) or re.search(
        r"\bworks? out to|\bon average\b|\baverag", s, re.I
    )
    if monthly and average:  # "averaged about $35 billion a month in 2024", "works out to $42 billion every month"
        who, _ = partners_for(view, clause, q, fallback)
        flow, _ = flow_for(view, clause, q.start, who)
        if flow is None:
            flow, _ = flow_for(view, Clause(0, len(s), s), q.start, who)
        if flow is None and re.match(r"\W*(?:that|this|it)\b", s, re.I):
            flow = d.last_flow  # "Imports from Mexico hit a record. That works out to $42 billion a month."
        per, _ = _trade_year(view, d, q, clause)
        if len(who) == 1 and flow and per and "month" not in per:
            if flow == "balance":
                flow, _ = balance_flow(view, clause, q.start)
            b.add(
                "trade_monthly_average",
                {"partner": who[0], "year": per["year"], "flow": flow},
                q.comparator,
                q.value,
                "USD per month",
                q,
                around(view, q.start, q.end),
                "trade",
            )
            return
    if rate or monthly or per_unit in ("a day", "per day", "each day", "every day", "daily"):
        b.skip(q, "an amount per day or month is a rate, not a year's trade")
        return
    if RATE_AFTER.match(s[q.end :]) or (q.per and q.per not in ("each", "a year", "per year", "annually")):
        b.skip(q, "an amount per day, month or unit is a price or a rate, not a year's trade")
        return
    if q.value < ANNUAL_SIZE:
        b.skip(q, "an amount this small is a price or a wage, not a year's trade with a country")
        return
    span = around(view, q.start, q.end)

    ex = EXCEEDED.search(s, clause.start, q.start)
    if ex and re.search(
        r"\bby\s+(?:about\s+|nearly\s+|almost\s+|more than\s+|some\s+|roughly\s+|over\s+)?$",
        s[max(clause.start, q.start - 20) : q.start],
    ):
        # "exports to Mexico exceeded those to China by $250 billion": a difference between two partners
        a_side = uniq([p.iso3 for p in view.partners(clause.start, ex.start())])
        b_side = uniq([p.iso3 for p in view.partners(ex.end(), q.start)])
        per, why = _trade_year(view, d, q, clause)
        flow, fwhy = flow_for(view, clause, q.start, a_side)
        if (
            len(a_side) == 1
            and len(b_side) == 1
            and a_side != b_side
            and per
            and flow in ("exports", "imports", "total")
        ):
            b.add(
                "trade_difference",
                {"partner": a_side[0], "other": b_side[0], "flow": flow, **per},
                q.comparator,
                q.value,
                "USD",
                q,
                around(view, q.start, q.end, lo=clause.start),
                "trade",
            )
        else:
            b.skip(q, "a difference between partners whose sides the sentence does not make clear")
        return
    # "$15 billion more than Mexico": a difference between two partners
    dm = DIFFERENCE.match(s[q.end : clause.end])
    if dm:
        tail = q.end + dm.end()
        a_side = uniq([p.iso3 for p in view.partners(clause.start, q.start)])
        b_side = uniq([p.iso3 for p in view.partners(tail, clause.end)])
        per, why = _trade_year(view, d, q, clause)
        flow, fwhy = flow_for(view, clause, q.start, a_side)
        if len(a_side) == 1 and b_side and b_side[0] != a_side[0] and per and flow in ("exports", "imports", "total"):
            sign = -1.0 if dm.group(1).lower() in ("less", "fewer") else 1.0
            b.add(
                "trade_difference",
                {"partner": a_side[0], "other": b_side[0], "flow": flow, **per},
                q.comparator,
                sign * q.value,
                "USD",
                q,
                around(view, q.start, tail),
                "trade",
            )
        else:
            b.skip(q, "a difference between partners whose sides the sentence does not make clear")
        return
    who, how = partners_for(view, clause, q, fallback)
    usd = [x for x in qs if x.unit == "USD"]
    listed = uniq([p.iso3 for p in view.partners(clause.start, usd[0].start) if p.iso3 not in ("USA",)])
    respectively = re.search(r"\brespectively\b", s[clause.start : clause.end], re.I) and len(usd) == len(listed) > 1
    if respectively:  # "to Mexico and Canada were $334 billion and $349 billion, respectively"
        who = [listed[usd.index(q)]]
    flow, fwhy = flow_for(view, clause, q.start, who)
    if flow is None and len(view.clauses) > 1 and "other countries" not in fwhy:
        flow, fwhy = flow_for(view, Clause(0, len(s), s), q.start, who)  # "...; in 2024 it was $15 billion"
    if flow is None:
        b.skip(q, fwhy)
        return
    chapters, pwhy, pwords = product_of(view, clause.start, clause.end)
    if pwhy:
        b.skip(q, pwhy)
        return
    if chapters:
        per, why = _trade_year(view, d, q, clause)
        if flow != "exports" or len(who) != 1 or per is None or "month" in per:
            b.skip(
                q,
                "trade in one product group is checked for U.S. exports to one partner in a year "
                "(USITC DataWeb), not for this figure",
            )
            return
        b.add(
            "product_exports",
            {"partner": who[0], "chapters": chapters, "product": pwords.lower(), "year": per["year"]},
            q.comparator,
            q.value,
            "USD",
            q,
            span,
            "trade",
        )
        return
    direction = _direction(view, clause, q)
    by_change = CHANGE_BY.search(s[max(clause.start, q.start - 20) : q.start]) is not None or re.match(
        r"^\s*(?:increase|rise|jump|drop|decline|fall|reduction|improvement|widening|narrowing)\b", s[q.end :], re.I
    )
    if not who:
        if flow in ("exports", "imports", "total", "balance") and _world_cue(view, clause):
            who = ["WLD"]
        else:
            b.skip(q, how if how != "no partner named" else "the sentence names no partner for this figure")
            return
    if flow == "balance":
        flow, _ = balance_flow(view, clause, q.start)
    prod = reads_goods_and_services(view, clause.start, clause.end)
    if direction and by_change:
        years = _change_years(view, d, clause, q)
        if years is None or len(who) != 1:
            b.skip(q, "a change whose start and end years the sentence does not give")
            return
        sign = -1.0 if direction in ("down", "narrow") else 1.0
        comparator = q.comparator if sign > 0 else FLIP.get(q.comparator, q.comparator)
        b.add(
            "trade_change",
            {"partner": who[0], "year_from": years[0], "year_to": years[1], "flow": flow, **prod},
            comparator,
            sign * q.value,
            "USD",
            q,
            span,
            "trade",
        )
        return
    per, why = _trade_period(view, d, q, clause)
    if per is None:
        b.skip(q, why)
        return
    params: dict[str, Any] = {**per, "flow": flow, **prod}
    if "start_month" in per:
        if len(who) != 1 or prod or who[0] == "WLD":
            b.skip(q, "trade over a span of months is summed for one partner's goods trade only")
            return
        b.add("trade_months", {"partner": who[0], **per, "flow": flow}, q.comparator, q.value, "USD", q, span, "trade")
        return
    if len(who) == 1:
        readings = _readings(who[0], params, view)
        if readings and not says_goods(view):
            params["_undecided"] = True  # "trade" without "goods": goods (Census) or goods and services (BEA)
        b.add("trade_value", {"partner": who[0], **params}, q.comparator, q.value, "USD", q, span, "trade", readings)
        return
    if re.search(r"\beach\b|\bboth\b", s[clause.start : clause.end], re.I):  # "Canada and Mexico each bought ..."
        for partner in who:
            b.add("trade_value", {"partner": partner, **params}, q.comparator, q.value, "USD", q, span, "trade")
        return
    b.add("partners_sum", {"partners": who, **params}, q.comparator, q.value, "USD", q, span, "trade")


def _flow_ratio(view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity, fallback: list[str]) -> bool:
    """ "Imports from Vietnam were 10 times exports to Vietnam", "China sold us four times what it bought from us"."""
    s = view.text
    partners = uniq([p.iso3 for p in view.partners(clause.start, clause.end)]) or fallback
    if len(partners) != 1:
        return False
    left, right = (
        Clause(clause.start, q.start, s[clause.start : q.start]),
        Clause(q.end, clause.end, s[q.end : clause.end]),
    )
    fa, _ = flow_for(view, left, q.start, partners)
    fb, _ = flow_for(view, right, clause.end, partners)
    if fa not in ("exports", "imports") or fb not in ("exports", "imports") or fa == fb:
        return False
    per, why = _trade_year(view, d, q, clause)
    if per is None or "month" in per:
        b.skip(q, why)
        return True
    b.add(
        "trade_flow_ratio",
        {"partner": partners[0], "year": per["year"], "flow": fa, "other_flow": fb},
        "about" if q.comparator == "eq" else q.comparator,
        q.value,
        "ratio",
        q,
        around(view, q.start, q.end),
        "trade",
    )
    return True


def _direction_only(view: SentenceView, d: Discourse, b: Builder, clause: Clause, fallback: list[str]) -> None:
    """ "U.S. imports from China fell in 2023", "the deficit with Mexico widened in 2024": the sign of the change."""
    if not view.has("measure", "trade", clause.start, clause.end) or view.cues_of(
        "superlative", None, clause.start, clause.end
    ):
        return
    dirs = [
        c
        for c in view.cues_of("direction", None, clause.start, clause.end)
        if c.text.lower()
        not in (
            "up",
            "higher",
            "lower",
            "down",
            "cut",
            "lost",
            "growth",
            "increase",
            "decrease",
            "decline",
            "drop",
            "rise",
            "fall",
            "gain",
            "gains",
        )
    ]
    if not dirs or _unsupported(view, clause, dirs[0].start) or any(c for c in view.cues_of("rank_verb")):
        return
    if any(q.unit == "ordinal" and clause.start <= q.start < clause.end for q in view.quantities):
        return  # "slipped to second place": a rank, not a change in trade
    if re.search(
        r"\b(?:faster|slower|more (?:quickly|slowly)|less (?:quickly|slowly))\b|\bthan\b",
        view.text[clause.start : clause.end],
        re.I,
    ):
        return  # "grew faster than Canada's": a comparison of two changes, not read yet
    chapters, pwhy, _ = product_of(view, clause.start, clause.end)
    if chapters or pwhy:
        return
    who, _ = partners_for(view, clause, None, fallback)
    who = [w for w in who if w not in ("EU", "USMCA", "LAC", "ASIA", "WLD")]
    flow, _ = flow_for(view, clause, dirs[0].start, who)
    span_ = _change_span(view, d)
    if len(who) != 1 or flow is None or span_ is None:
        return
    if flow == "balance":
        flow, _ = balance_flow(view, clause, dirs[0].start)
    same = {c.value for c in view.cues_of("direction") if c.start == dirs[0].start}
    kind = (
        "narrow"
        if "narrow" in same and flow in ("deficit", "balance")
        else ("widen" if "widen" in same and flow in ("deficit", "balance") else dirs[0].value)
    )
    down = kind in ("down", "narrow")
    b.add(
        "trade_growth",
        {"partner": who[0], **span_, "flow": flow, "_sign": True},
        "under" if down else "over",
        0.0,
        "percent",
        None,
        around(view, dirs[0].start, dirs[0].end),
        "trade",
    )


WORLD = patterns.compile(
    r"\b(?:all (?:countries|partners|destinations|trading partners)|the (?:rest of the )?world|worldwide|"
    r"globally|overall|in total|total (?:u\.s\.|american) |(?:u\.s\.|american|america['’]s|the nation['’]s) "
    r"(?:total |overall |annual )?(?:goods |merchandise )?(?:exports|imports)\b|the (?:united states|u\.s\.) "
    r"(?:exported|imported)\b)",
    re.I,
)


def _world_cue(view: SentenceView, clause: Clause) -> bool:
    """An amount with no partner is U.S. trade with the world only when the words say so."""
    if view.partners():
        return False
    t = view.text
    if re.search(r"\b(?:to|from|with|by)\s+(?:the\s+)?(?!U\.S\.|United States|America)[A-Z][a-z]", t):
        return False  # a partner we do not know ("to Peru Inc.", "with the European Union")
    return WORLD.search(t) is not None


def _percent(view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity, fallback: list[str]) -> None:
    s = view.text
    if (
        view.has("per_capita", None, clause.start, clause.end)
        or view.has("measure", "small_business")
        or view.has("measure", "value_added", clause.start, clause.end)
        or view.has("measure", "gdp")
    ):
        return
    chapters, pwhy, pwords = product_of(view, clause.start, clause.end)
    if pwhy:
        b.skip(q, pwhy)
        return
    if chapters:
        _product_percent(view, d, b, clause, q, chapters, pwords, fallback)
        return
    span = around(view, q.start, q.end)
    own = re.match(
        r"\s*of\s+(?:all\s+of\s+|all\s+)?(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z]\w*)?)['’]s?\s+(?:total\s+|own\s+)?"
        r"(?:goods\s+)?(?:exports|imports|trade|sales|shipments|output|production|gdp)\b",
        s[q.end : clause.end],
    )
    if own and own.group(1).lower() not in ("u.s", "u.s.", "america", "the united states", "united states", "the u.s."):
        # "three-quarters of Mexico's exports go to the U.S.": a share of the partner's own trade
        b.skip(q, "a share of a partner's own trade (its exports to all countries) is not in any loaded source")
        return
    sm = SHARE_AFTER.match(s[q.end : clause.end])
    if sm and re.match(r"\s+(?:to|from|with)\s+(?:the\s+)?[A-Z]", s[q.end + sm.end() : q.end + sm.end() + 30]):
        # "70% of U.S. imports from Mexico enter duty-free": a part of the trade with one partner
        b.skip(q, "a share of the trade with one partner (by product, tariff treatment or firm) is not read yet")
        return
    sa = SHARE_OF_ALL.match(s[q.end : clause.end])
    share_cue = view.cues_of("share", None, clause.start, clause.end)
    if sa and not sm:
        share_cue = share_cue or [sa]  # type: ignore[list-item]
    together = view.has("together", None, clause.start, clause.end)
    direction = _direction(view, clause, q)
    # "its share rose to 15.5% in 2024 from 13.9% in 2019": both figures are shares (of their own years)
    level_share = (
        bool(share_cue)
        and re.search(
            r"\b(?:from|to|at)\s+(?:about\s+|nearly\s+|roughly\s+|almost\s+|just\s+(?:over|under)\s+)?$",
            s[max(clause.start, q.start - 25) : q.start],
            re.I,
        )
        is not None
    )
    if sm or (share_cue and (not direction or level_share)):
        flow = (
            SHARE_FLOW.get(sm.group(1).lower(), "total")
            if sm
            else (("exports" if sa.group(1).lower() in ("exported", "sold", "shipped") else "imports") if sa else None)
        )
        if flow is None:
            words = s[clause.start : clause.end].lower()
            if re.search(r"\bwent to|bound for|destined for\b", words) or re.search(r"\bexports?\b", words):
                flow = "exports"
            elif re.search(r"\bcame from|originated\b", words) or re.search(r"\bimports?\b", words):
                flow = "imports"
            elif re.search(r"\btrade\b", words):
                flow = "total"
        per, why = _trade_year(view, d, q, clause)
        if flow is None or per is None:
            b.skip(q, why if per is None else "a share whose flow (exports, imports, trade) the sentence does not say")
            return
        tm = TOP_N.search(s[clause.start : clause.end]) or TOP_N_AFTER.search(s[clause.start : clause.end])
        if tm and not view.partners(clause.start, clause.end):
            n = small_number(tm.group(1))
            if n:
                in_top = [x for x in view.quantities if clause.start + tm.start() <= x.start < clause.start + tm.end()]
                b.add(
                    "top_partners_share",
                    {"n": n, "year": per["year"], "flow": flow},
                    q.comparator,
                    q.value,
                    "percent",
                    q,
                    span,
                    "trade",
                    also=in_top,
                )
                return
        who, how = partners_for(view, clause, q, fallback)
        if not who:
            who = uniq([p.iso3 for p in view.partners(clause.start, clause.end) if p.iso3 not in GROUPS])
        if not who:
            b.skip(q, how if "group" in how else "a share that names no partner")
            return
        if "month" in per and (len(who) > 1 or together or tm):
            b.skip(q, "combined shares are read for a year, not a month")
            return
        if len(who) > 1:
            b.add(
                "partners_share",
                {"partners": who, "year": per["year"], "flow": flow},
                q.comparator,
                q.value,
                "percent",
                q,
                span,
                "trade",
            )
            return
        b.add(
            "partner_share",
            {
                "partner": who[0],
                "year": per["year"],
                "flow": flow,
                **({"month": per["month"]} if "month" in per else {}),
            },
            q.comparator,
            q.value,
            "percent",
            q,
            span,
            "trade",
        )
        return
    than = THAN_PARTNER.match(s[q.end : clause.end])
    if than and not view.partners(q.end + than.end(), clause.end) and _change_span(view, d):
        than = None  # "5.5% higher than a year before": growth, not a comparison with a partner
        direction = "down" if re.match(r"\s*(?:lower|less|smaller|below|fewer)", s[q.end :], re.I) else "up"
    if than:
        num = uniq([p.iso3 for p in view.partners(clause.start, q.start)]) or fallback
        den = uniq([p.iso3 for p in view.partners(q.end + than.end(), clause.end)])
        per, why = _trade_year(view, d, q, clause)
        flow, fwhy = flow_for(view, clause, q.start, num)
        lower = re.match(r"\s*(?:lower|less|smaller|below|fewer)", s[q.end :], re.I) is not None
        if num and den and not set(num) & set(den) and per and flow and "month" not in per:
            ratio = 1 - q.value / 100 if lower else 1 + q.value / 100
            b.add(
                "trade_ratio",
                {"numerator": num, "denominator": den, "year": per["year"], "flow": flow},
                "about" if q.comparator == "eq" else (FLIP.get(q.comparator, q.comparator) if lower else q.comparator),
                ratio,
                "ratio",
                q,
                span,
                "trade",
            )
            b.claims[-1].params["_precision"] = (q.precision or 1) / 100
        else:
            b.skip(q, "a comparison whose two sides the sentence does not make clear")
        return
    if direction in ("up", "down", "widen", "narrow"):
        who, how = partners_for(view, clause, q, fallback)
        flow, fwhy = flow_for(view, clause, q.start, who)
        if not who and flow and _world_cue(view, clause):
            who = ["WLD"]
        span_ = _change_span(view, d)
        if len(who) != 1 or flow is None or span_ is None:
            b.skip(q, "a growth rate whose partner, flow or years the sentence does not give")
            return
        if flow == "balance":
            flow, _ = balance_flow(view, clause, q.start)
        down = direction in ("down", "narrow")
        value, comparator = (-q.value, FLIP.get(q.comparator, q.comparator)) if down else (q.value, q.comparator)
        b.add(
            "trade_growth", {"partner": who[0], **span_, "flow": flow}, comparator, value, "percent", q, span, "trade"
        )
        return
    b.skip(q, "a percentage that is neither a share of U.S. trade nor a growth rate")


def _product_percent(
    view: SentenceView,
    d: Discourse,
    b: Builder,
    clause: Clause,
    q: Quantity,
    chapters: list[str],
    words: str,
    fallback: list[str],
) -> None:
    """A product group's share of U.S. exports to a partner, or its growth (USITC DataWeb, exports only)."""
    s = view.text
    who, _ = partners_for(view, clause, q, fallback)
    if not who:
        who = uniq([p.iso3 for p in view.partners(clause.start, clause.end) if p.iso3 not in GROUPS])
    flow, _ = flow_for(view, clause, q.start, who)
    if len(who) != 1 or flow != "exports":
        b.skip(q, "shares and growth of one product group are read for U.S. exports to one partner (DataWeb)")
        return
    span = around(view, q.start, q.end)
    direction = _direction(view, clause, q)
    share = SHARE_AFTER.match(s[q.end : clause.end]) or view.cues_of("share", None, clause.start, clause.end)
    if direction in ("up", "down"):
        years = _change_span(view, d)
        if years is None or "month" in years:
            b.skip(q, "a growth rate whose years the sentence does not give")
            return
        down = direction == "down"
        b.add(
            "product_growth",
            {"partner": who[0], "chapters": chapters, "product": words.lower(), **years},
            FLIP.get(q.comparator, q.comparator) if down else q.comparator,
            -q.value if down else q.value,
            "percent",
            q,
            span,
            "trade",
        )
        return
    if share:
        per, why = _trade_year(view, d, q, clause)
        if per is None or "month" in per:
            b.skip(q, why if per is None else "product shares are read by year")
            return
        b.add(
            "product_share",
            {"partner": who[0], "chapters": chapters, "product": words.lower(), "year": per["year"]},
            q.comparator,
            q.value,
            "percent",
            q,
            span,
            "trade",
        )
        return
    b.skip(q, "a percentage about one product group that is neither a share nor a growth rate")


def _multiple(view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity, fallback: list[str]) -> None:
    s = view.text
    if view.has("measure", "small_business") or view.has("measure", "value_added", clause.start, clause.end):
        return
    chapters, pwhy, _ = product_of(view, clause.start, clause.end)
    if chapters and q.unit == "fraction" and not view.has("measure", "gdp"):
        pct = as_percent(q)
        _percent(view, d, b, clause, pct, fallback)  # "made up about a sixth of ... exports to Mexico"
        return
    if chapters or pwhy or view.has("measure", "gdp"):
        if not view.has("measure", "gdp"):
            b.skip(q, pwhy or "multiples of one product group are not read yet")
        return
    span = around(view, q.start, q.end)
    if q.unit == "fraction" and (
        SHARE_AFTER.match(s[q.end : clause.end])
        or SHARE_OF_ALL.match(s[q.end : clause.end])
        or view.cues_of("share", None, clause.start, clause.end)
    ):
        pct = as_percent(q)
        _percent(view, d, b, clause, pct, fallback)  # same start: its claim or reason is the fraction's
        return
    direction = _direction(view, clause, q)
    if q.verb or (direction and q.unit == "fraction"):
        who, how = partners_for(view, clause, q, fallback)
        flow, fwhy = flow_for(view, clause, q.start, who)
        years = _change_years(view, d, clause, q)
        if len(who) != 1 or flow is None or years is None:
            b.skip(q, "a change whose partner, flow or years the sentence does not give")
            return
        if flow == "balance":
            flow, _ = balance_flow(view, clause, q.start)
        if q.unit == "times" or q.verb == "halved":
            ratio = q.value if q.unit == "times" else 0.5
            b.add(
                "trade_growth",
                {"partner": who[0], "year_from": years[0], "year_to": years[1], "flow": flow, "as_ratio": True},
                "about" if q.comparator == "eq" else q.comparator,
                ratio,
                "ratio",
                q,
                span,
                "trade",
            )
        else:
            down = direction in ("down", "narrow")
            change_pct = q.value * 100 * (-1 if down else 1)
            comparator = q.comparator if not down else FLIP.get(q.comparator, q.comparator)
            b.add(
                "trade_growth",
                {"partner": who[0], "year_from": years[0], "year_to": years[1], "flow": flow},
                "about" if comparator == "eq" else comparator,
                change_pct,
                "percent",
                q,
                span,
                "trade",
            )
        return
    if q.unit == "times" and _flow_ratio(view, d, b, clause, q, fallback):
        return
    if q.unit == "times":
        cand = [p for p in view.partners()]
        den = uniq([p.iso3 for p in cand if q.end <= p.start < clause.end]) or uniq(
            [p.iso3 for p in cand if p.start > q.end]
        )
        past = (
            _change_span(view, d)
            if re.search(r"\bsince\b|\b(?:from|between)\b[^.;]*\b(?:to|and)\b", s[clause.start : clause.end], re.I)
            else None
        )
        year_ps = [p for p in view.periods if p.kind == "year" and p.start[0]]
        if (
            not den
            and len(year_ps) == 1
            and d.default_year
            and year_ps[0].start[0] < d.default_year - 1
            and re.search(
                r"\b(?:what|where)\s+(?:it|they)\s+(?:was|were)|\bsince\b|\blevel\b|\bthan\b|\bfrom\b",
                s[clause.start : clause.end],
                re.I,
            )
        ):
            past = {"year_from": year_ps[0].start[0], "year_to": d.default_year}  # "ten times what they were in 1994"
        if not den and past and "month" not in past:  # "ten times what they were in 1994", "grown twentyfold since"
            who, how = partners_for(view, clause, q, fallback)
            flow, fwhy = flow_for(view, clause, q.start, who)
            if len(who) == 1 and flow:
                if flow == "balance":
                    flow, _ = balance_flow(view, clause, q.start)
                b.add(
                    "trade_growth",
                    {"partner": who[0], **past, "flow": flow, "as_ratio": True},
                    "about" if q.comparator == "eq" else q.comparator,
                    q.value,
                    "ratio",
                    q,
                    span,
                    "trade",
                )
                return
        num = uniq([p.iso3 for p in cand if clause.start <= p.start < q.start]) or fallback
        per, why = _trade_year(view, d, q, clause)
        flow, fwhy = flow_for(view, clause, q.start, num)
        if not num or not den or set(num) & set(den) or per is None or flow is None:
            b.skip(
                q,
                why
                if per is None
                else (fwhy if flow is None else "a ratio whose two sides the sentence does not make clear"),
            )
            return
        comp = "times" if q.comparator in ("about", "eq") else q.comparator
        readings = []
        if re.search(
            r"times\s+(?:more|greater|larger|higher|bigger)\b(?:\s+[\w.$’']+){0,5}?\s+than\b",
            s[q.start : q.end + 60],
            re.I,
        ):
            readings.append(
                Reading(
                    name=f"{q.value + 1:g} times as much",
                    metric="trade_ratio",
                    description=f"'{q.value:g} times more' read as {q.value:g} times more on top of the other's value",
                    params={"numerator": num, "denominator": den, "flow": flow, **per},
                    value=q.value + 1,
                )
            )
        b.add(
            "trade_ratio",
            {"numerator": num, "denominator": den, "flow": flow, **per},
            comp,
            q.value,
            "ratio",
            q,
            span,
            "trade",
            readings,
        )
        return
    b.skip(q, "a fraction that is neither a share of U.S. trade nor a change")
