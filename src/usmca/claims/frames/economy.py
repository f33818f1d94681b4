"""People and economies: population, trade per person, GDP (World Bank WDI).

Per person: "Canadians bought $8,500 of U.S. goods each" divides U.S. exports to Canada by Canada's
population; "Americans bought $X of Mexican goods per person" divides U.S. imports from Mexico by the
U.S. population. The buyer's population is the divisor.
"""

from __future__ import annotations

import re
from typing import Any

from usmca.claims.discourse import Discourse
from usmca.claims.frames import Builder, Example, around, frame, uniq
from usmca.claims.frames._roles import flow_for, negated, partners_for
from usmca.claims.model import Reading
from usmca.claims.numbers import Quantity
from usmca.claims.tokens import Clause, SentenceView


def _growth(view: SentenceView, d: Discourse, b: Builder, clause: Clause, q: Quantity, measure: str) -> bool:
    """ "Mexico's GDP doubled between 2010 and 2024", "the population grew about 15% between 2010 and 2024"."""
    dirs = view.cues_of("direction", None, clause.start, clause.end)
    rng = [p for p in view.periods if p.kind == "range" and p.ends]
    years = sorted({p.start[0] for p in view.periods if p.kind == "year" and p.start[0]})
    by = re.search(
        r"\bby\s+(?:about\s+|nearly\s+|almost\s+|more than\s+|over\s+|some\s+|roughly\s+)?$",
        view.text[max(0, q.start - 25) : q.start],
        re.I,
    )
    if dirs and by and q.unit in ("count", "USD") and dirs[0].end <= q.start:
        # "grew by more than 1 million people in 2023": the change over the year (or between two named years)
        eco = [p.iso3 for p in view.places if clause.start <= p.start < clause.end]
        if len(set(eco)) != 1 or not (rng or years):
            b.skip(q, "a change whose country or years the sentence does not give")
            return True
        y0, y1 = (
            (rng[0].start[0], rng[0].end[0])
            if rng
            else ((years[0], years[1]) if len(years) == 2 else (years[0] - 1, years[0]))
        )
        down = any(c.value == "down" for c in dirs)
        b.add(
            "wdi_growth",
            {"country": eco[0], "year_from": y0, "year_to": y1, "measure": measure, "absolute": True},
            q.comparator if not down else {"over": "under", "under": "over"}.get(q.comparator, q.comparator),
            -q.value if down else q.value,
            q.unit,
            q,
            around(view, q.start, q.end),
            "economy",
        )
        return True
    if not (dirs or q.verb) or q.unit not in ("percent", "times", "fraction"):
        return False
    if rng:
        y0, y1 = rng[0].start[0], rng[0].end[0]
    elif len(years) == 2:
        y0, y1 = years
    else:
        return False
    eco = [p.iso3 for p in view.places if clause.start <= p.start < clause.end]
    if len(set(eco)) != 1:
        return False
    down = any(c.value == "down" for c in dirs)
    if q.unit == "times":
        b.add(
            "wdi_growth",
            {"country": eco[0], "year_from": y0, "year_to": y1, "measure": measure, "as_ratio": True},
            "about" if q.comparator == "eq" else q.comparator,
            q.value,
            "ratio",
            q,
            around(view, q.start, q.end),
            "economy",
        )
        return True
    pct = q.value * 100 if q.unit == "fraction" else q.value
    b.add(
        "wdi_growth",
        {"country": eco[0], "year_from": y0, "year_to": y1, "measure": measure},
        q.comparator,
        -pct if down else pct,
        "percent",
        q,
        around(view, q.start, q.end),
        "economy",
    )
    return True


def _year(view: SentenceView, d: Discourse, q: Quantity | None, clause: Clause, measure: str) -> int | None:
    r = d.period_for(view, q, clause, measure, kinds=("year",))
    if r.period is not None:
        return r.period.start[0] if not r.period.fiscal else None
    return d.default_year if r.rule == "text date" else None


@frame(
    "population",
    "economy",
    ("population",),
    priority=40,
    examples=(
        Example(
            "Mexico's population was about 131 million in 2024.",
            "population",
            {"country": "MEX", "year": 2024},
            "about",
            131e6,
        ),
        Example("Canada, home to 41 million people in 2024, ...", "population", {"country": "CAN"}, "eq", 41e6),
    ),
)
def read_population(view: SentenceView, d: Discourse, b: Builder) -> None:
    """Population of a country in a year."""
    if view.has("per_capita") or any(q.unit == "USD" for q in view.quantities):
        return
    who = uniq([p.iso3 for p in view.places if not p.demonym or p.iso3 != "USA"])
    for q in view.quantities:
        if b.free(q) and _growth(view, d, b, view.clause_of(q.start), q, "population"):
            continue
        if q.unit != "count" or q.value < 1e5 or not b.free(q):
            continue
        clause = view.clause_of(q.start)
        year = _year(view, d, q, clause, "population")
        if len(who) != 1 or year is None:
            b.skip(q, "a population figure whose country or year the sentence does not give")
            continue
        b.add(
            "population",
            {"country": who[0], "year": year},
            q.comparator,
            q.value,
            "persons",
            q,
            around(view, q.start, q.end),
            "population",
        )


@frame(
    "per_capita",
    "trade",
    ("trade",),
    priority=45,
    examples=(
        Example(
            "Canadians bought about $8,500 of U.S. goods per person in 2024.",
            "per_capita_trade",
            {"partners": ["CAN"], "flow": "exports", "year": 2024},
            "about",
            8500,
        ),
        Example(
            "U.S. purchases from China came to about $1,300 for every American in 2024.",
            "per_capita_trade",
            {"partners": ["CHN"], "flow": "imports", "year": 2024, "population_of": "USA"},
            "about",
            1300,
        ),
    ),
)
def read_per_capita(view: SentenceView, d: Discourse, b: Builder) -> None:
    """Trade per person: the amount divided by the population the words name ("per Canadian", "for every American")."""
    if not (view.has("per_capita") or any(q.per == "each" for q in view.quantities)) or view.has(
        "measure", "small_business"
    ):
        return
    for clause in view.clauses:
        for q in [x for x in view.quantities if clause.start <= x.start < clause.end and x.unit == "USD" and b.free(x)]:
            pcs = view.cues_of("per_capita", None, clause.start, clause.end) or view.cues_of("per_capita")
            if not pcs and q.per != "each":
                continue
            if not pcs:
                from usmca.claims.tokens import Cue

                pcs = [Cue("per_capita", "per_person", q.end, q.end, "each")]
            year = _year(view, d, q, clause, "trade")
            who, _ = partners_for(view, clause, q, [])
            from usmca.claims.frames._roles import GOODS_AFTER

            # "Mexicans and Canadians spend": people; "American goods": the goods, not the buyers
            demonyms = [
                p
                for p in view.places
                if p.demonym
                and clause.start <= p.start < clause.end
                and not negated(view, p)
                and not GOODS_AFTER.match(view.text[p.end :])
            ]
            flow, _why = flow_for(view, clause, q.start, who)
            if year is None or flow not in ("exports", "imports"):
                b.skip(q, "an amount per person whose year or flow the sentence does not give")
                continue
            # whose population: the people named in the per-person words ("per Canadian", "for every American")
            pc = min(pcs, key=lambda c: abs(c.start - q.end))
            in_pc = [p for p in view.places if pc.start <= p.start < pc.end]
            pop = in_pc[0].iso3 if in_pc else None
            buyers = uniq([p.iso3 for p in demonyms if p.iso3 != "USA"])
            partners = [p for p in who if p != "USA"] or buyers
            if pop == "USA" or (pop is None and any(p.iso3 == "USA" for p in demonyms) and flow == "imports"):
                if len(partners) != 1:
                    b.skip(q, "an amount per American whose partner the sentence does not give")
                    continue
                b.add(
                    "per_capita_trade",
                    {"partners": partners, "year": year, "flow": flow, "population_of": "USA"},
                    q.comparator,
                    q.value,
                    "USD per person",
                    q,
                    around(view, q.start, q.end),
                    "trade",
                )
                continue
            if pop is not None and partners and pop not in partners:
                b.skip(q, "an amount per resident of a country that is not the trade partner")
                continue
            if not partners and pop:
                partners = [pop]
            if not partners:
                b.skip(q, "an amount per person whose country the sentence does not give")
                continue
            readings = (
                [
                    Reading(
                        name=f"{p} alone",
                        description=f"per resident of {p} alone",
                        metric="per_capita_trade",
                        params={"partners": [p], "year": year, "flow": flow},
                    )
                    for p in partners
                ]
                if len(partners) > 1
                else []
            )
            b.add(
                "per_capita_trade",
                {"partners": partners, "year": year, "flow": flow},
                q.comparator,
                q.value,
                "USD per person",
                q,
                around(view, q.start, q.end),
                "trade",
                readings,
            )


def _gdp_params(view: SentenceView, d: Discourse, q: Quantity, clause: Clause) -> dict[str, Any] | None:
    who = uniq([p.iso3 for p in view.places if clause.start <= p.start < clause.end])
    year = _year(view, d, q, clause, "gdp")
    if len(who) > 1:  # "China's GDP was $21.5 trillion, still short of America's": the possessive before GDP
        owner = [p for p in view.places if p.possessive and p.start < q.start and clause.start <= p.start]
        who = [owner[-1].iso3] if owner else who
    if len(who) != 1 or year is None:
        return None
    return {"country": who[0], "year": year}


def _economies(view: SentenceView, clause: Clause) -> list[str]:
    return uniq([p.iso3 for p in view.places if clause.start <= p.start < clause.end])


@frame(
    "gdp",
    "economy",
    ("gdp",),
    priority=42,
    examples=(
        Example(
            "Mexico's GDP was about $1.85 trillion in 2024.", "gdp", {"country": "MEX", "year": 2024}, "about", 1.85e12
        ),
    ),
)
def read_gdp(view: SentenceView, d: Discourse, b: Builder) -> None:
    """GDP (current US$), GDP per person, and one economy as a share of another."""
    if view.has("measure", "trade") and not re.search(r"\bgdp\b|gross domestic product|\beconomy\b", view.text, re.I):
        return
    for q in [x for x in view.quantities if b.free(x)]:
        clause = view.clause_of(q.start)
        if _growth(view, d, b, clause, q, "gdp"):
            continue
        if q.unit == "times" or (
            q.unit == "percent"
            and re.match(r"\s*(?:bigger|larger|smaller|greater)\s+than\b", view.text[q.end : q.end + 30], re.I)
        ):
            # "13 times the size of Canada's", "10% bigger than Germany's"
            eco = _economies(view, clause)
            year = _year(view, d, q, clause, "gdp")
            if len(eco) != 2 or year is None:
                b.skip(q, "a comparison of economies whose two countries or year the sentence does not give")
                continue
            smaller = re.match(r"\s*smaller", view.text[q.end : q.end + 20], re.I) is not None
            ratio = q.value if q.unit == "times" else (1 - q.value / 100 if smaller else 1 + q.value / 100)
            per_person = view.has("per_capita", None, clause.start, clause.end)
            claim = b.add(
                "gdp_ratio",
                {"country": eco[0], "of": eco[1], "year": year, "per_person": per_person},
                "about" if q.comparator == "eq" else q.comparator,
                ratio,
                "ratio",
                q,
                around(view, q.start, q.end),
                "economy",
            )
            if q.unit == "percent":
                claim.params["_precision"] = (q.precision or 1) / 100
            continue
        if q.unit == "USD":
            params = _gdp_params(view, d, q, clause)
            if params is None:
                b.skip(q, "a GDP figure whose country or year the sentence does not give")
                continue
            per_person = view.has("per_capita", None, clause.start, clause.end)
            b.add(
                "gdp_per_capita" if per_person else "gdp",
                params,
                q.comparator,
                q.value,
                "USD per person" if per_person else "USD",
                q,
                around(view, q.start, q.end),
                "economy",
            )
        elif q.unit in ("percent", "fraction") and re.search(
            r"\b(?:size|of|level)\b", view.text[q.end : clause.end], re.I
        ):
            places = uniq([p.iso3 for p in view.places if clause.start <= p.start < clause.end])
            year = _year(view, d, q, clause, "gdp")
            value = q.value * 100 if q.unit == "fraction" else q.value
            span = around(view, q.start, q.end)
            if view.cues_of("trade_verb", None, clause.start, q.start) and re.search(
                r"\bgdp\b|gross domestic|economy", view.text[q.end : clause.end], re.I
            ):
                # "Mexico's sales to the U.S. were a quarter of Mexico's GDP": trade as a share of GDP
                flow, _ = flow_for(view, clause, q.start, places)
                partners = [p for p in places if p != "USA"]
                if year is None or flow not in ("exports", "imports") or len(partners) != 1:
                    b.skip(q, "trade as a share of GDP whose partner, flow or year the sentence does not give")
                    continue
                b.add(
                    "trade_share_of_gdp",
                    {"partner": partners[0], "year": year, "flow": flow},
                    q.comparator,
                    value,
                    "percent",
                    q,
                    span,
                    "economy",
                )
                continue
            if len(places) != 2 or year is None:
                b.skip(q, "a share of GDP whose two countries or year the sentence does not give")
                continue
            per_person = view.has("per_capita", None, clause.start, clause.end) or bool(
                re.search(
                    r"\bper (?:person|capita|head)|\bincome\b|\baverage\b", view.text[clause.start : clause.end], re.I
                )
            )
            b.add(
                "gdp_share",
                {"country": places[0], "of": places[1], "year": year, "per_person": bool(per_person)},
                q.comparator,
                value,
                "percent",
                q,
                span,
                "economy",
            )
