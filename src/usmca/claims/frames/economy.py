"""People and economies: population, trade per person, GDP (World Bank WDI).

Per person: "Canadians bought $8,500 of U.S. goods each" divides U.S. exports to Canada by Canada's
population; "Americans bought $X of Mexican goods per person" divides U.S. imports from Mexico by the
U.S. population. The buyer's population is the divisor.
"""

from __future__ import annotations

import re
from typing import Any

from usmca import patterns
from usmca.claims.discourse import Discourse
from usmca.claims.frames import Builder, Example, around, frame, uniq
from usmca.claims.frames._roles import GROUPS, flow_for, negated, partners_for
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


# -- ranks of economies (World Bank regions and income groups) -------------------------------------
_ORD = (
    r"(?P<ord>\d{1,3}(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth)"
)
_ORD_WORDS = {
    w: i + 2
    for i, w in enumerate(
        [
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ]
    )
}
ECONOMY_RANK = (
    # "the second-largest economy", "the 12th-largest national economy", "Latin America's largest economy"
    patterns.compile(
        rf"(?:\b{_ORD}[\s-]+)?\b(?:largest|biggest)[\s-]+(?:[A-Za-z][\w’'-]*\s+){{0,3}}?"
        r"(?:economy|economies|economic power)\b",
        re.I,
    ),
    # "Mexico's economy is the second largest in Latin America"
    patterns.compile(
        r"\beconomy\b[^.;]{0,30}?\b(?:is|was|remains|remained|ranks as|ranked as|became|has become)\s+"
        rf"(?:now\s+|still\s+)?(?:the\s+)?(?:world['’]s\s+)?(?:{_ORD}[\s-]+)?(?:largest|biggest)\b",
        re.I,
    ),
    # "the second-largest population in Latin America"
    patterns.compile(rf"(?:\b{_ORD}[\s-]+)?\b(?:largest|biggest)[\s-]+(?P<pop>population)\b", re.I),
    # "the most populous country in Latin America"
    patterns.compile(
        rf"(?:\b{_ORD}[\s-]+)?\b(?P<pop>most[\s-]+populous)\s+(?:country|countries|nation|nations|economy)\b",
        re.I,
    ),
)
# Where the rank is taken: (pattern, World Bank group or None, reason when None).
_SCOPES: tuple[tuple[re.Pattern[str], str | None, str], ...] = tuple(
    (patterns.compile(p, re.I), g, why)
    for p, g, why in (
        (r"\b(?:the\s+)?european union\b|\bthe eu\b|\beu\b", None, "a rank within the European Union is not read"),
        (r"\blatin america(?:n)?(?:\s+and\s+the\s+caribbean)?\b", "Latin America & Caribbean", ""),
        (r"\b(?:the\s+)?americas\b|\bwestern hemisphere\b|\bthe hemisphere\b", "Americas", ""),
        (r"\bsub-saharan\s+africa(?:n)?\b", "Sub-Saharan Africa", ""),
        (r"\bsouth\s+asia(?:n)?\b", "South Asia", ""),
        (r"\beast\s+asia(?:n)?(?:\s+and\s+(?:the\s+)?pacific)?\b", "East Asia & Pacific", ""),
        (r"\bmiddle\s+east\s+and\s+north\s+africa\b", "Middle East & North Africa", ""),
        (r"\beurope(?:an)?\b", "Europe & Central Asia", ""),
        (
            r"\bnorth\s+america(?:n)?\b",
            None,
            "the World Bank's North America region (United States, Canada, Bermuda) leaves out Mexico: "
            "a rank within North America is not read",
        ),
        (
            r"\b(?:south|central)\s+america(?:n)?\b|\bcaribbean\b|\basia(?:n)?\b|\bafrica(?:n)?\b|\bmiddle\s+east(?:ern)?\b",
            None,
            "that region is not one of the World Bank's regions the loaded classification has",
        ),
        (
            r"\bemerging\b|\bdeveloping\b|\bg-?7\b|\bg-?20\b|\boecd\b|\bbrics\b|\badvanced\b|\bindustriali[sz]ed\b",
            None,
            "that group of countries is not a World Bank region or income group",
        ),
        (r"\bhigh[\s-]+income\b", "High income", ""),
        (r"\bupper[\s-]+middle[\s-]+income\b", "Upper middle income", ""),
        (r"\blower[\s-]+middle[\s-]+income\b", "Lower middle income", ""),
        (r"\blow[\s-]+income\b", "Low income", ""),
        (r"\bthe region\b|\bits region\b|\bthe country['’]s region\b", "region", ""),
        (r"\bworld(?:['’]s)?\b|\bglobal(?:ly)?\b|\bon earth\b|\bon the planet\b", "world", ""),
    )
)


def _scope(text: str) -> tuple[str | None, str]:
    """(group, reason) named in a stretch of text; (None, "") when it names none."""
    found = [(m.start(), g, why) for pat, g, why in _SCOPES for m in [pat.search(text)] if m]
    if not found:
        return None, ""
    found.sort()
    groups = {g for _, g, _ in found}
    if len(groups) > 1 and "world" in groups and len(groups - {"world"}) == 1:
        groups.discard("world")  # "Latin America's largest economy and the world's 12th": nearest wins below
        found = [f for f in found if f[1] != "world"]
    _, g, why = found[0]
    return g, why


@frame(
    "economy_rank",
    "economy",
    ("gdp", "population"),
    priority=45,
    examples=(
        Example(
            "Mexico is the second-largest economy in Latin America.",
            "economy_rank",
            {"country": "MEX", "measure": "gdp", "within": "Latin America & Caribbean"},
            "eq",
            2.0,
        ),
        Example(
            "In 2023 Mexico was the world's 12th-largest economy.",
            "economy_rank",
            {"country": "MEX", "year": 2023, "measure": "gdp", "within": "world"},
            "eq",
            12.0,
        ),
        Example(
            "Brazil is the most populous country in Latin America.",
            "economy_rank",
            {"country": "BRA", "measure": "population", "within": "Latin America & Caribbean"},
            "largest",
            1.0,
        ),
        Example(
            "Mexico is among the largest upper-middle-income economies.",
            None,
            note="'among the largest' is no rank",
        ),
        Example(
            "Canada is the second-largest economy in North America.",
            None,
            note="the World Bank's North America region leaves out Mexico: not read",
        ),
    ),
)
def read_economy_rank(view: SentenceView, d: Discourse, b: Builder) -> None:
    """The rank of an economy by GDP or population, in the world or within a World Bank region or income group."""
    s = view.text
    for m in (m for pat in ECONOMY_RANK for m in pat.finditer(s)):
        clause = view.clause_of(m.start())
        pre = s[clause.start : m.start()]
        if re.search(r"\b(?:one|some|two|three|several)\s+of\s+(?:the\s+)?$|\bamong\s+(?:the\s+)?$", pre, re.I):
            continue
        measure = "population" if "pop" in m.re.groupindex else "gdp"
        if measure == "population" and re.search(
            r"\b(?:immigrant|migrant|foreign-born|hispanic|latino)s?\b[\s\w]*$", s[clause.start : m.start()], re.I
        ):
            continue  # "the largest immigrant population": not a country's population
        ordinal = m.group("ord")
        if ordinal is None:
            om = re.search(rf"\b{_ORD}[\s-]*$", pre, re.I)
            ordinal = om.group("ord") if om else None
        rank = 1
        if ordinal:
            low = ordinal.lower()
            rank = _ORD_WORDS[low] if low in _ORD_WORDS else int(re.match(r"\d+", low).group())  # type: ignore[union-attr]
        qs = [q for q in view.quantities if q.unit == "ordinal" and clause.start <= q.start < m.end() + 2]
        if re.search(r"\bper\s+(?:capita|person|head)\b|\bricher|\brichest\b", s[clause.start : clause.end], re.I):
            for q in qs:
                b.skip(q, "a rank by income per person (PPP or nominal?) is not read")
            continue
        after = re.search(
            r"\b(?:after|behind|other than|except|besides|outside of)\s+",
            s[m.end() : min(clause.end, m.end() + 40)],
            re.I,
        )
        if after and not ordinal:  # "the largest economy (in Latin America) after China": one place down per country
            named = [p for p in view.places if m.end() + after.end() <= p.start < min(clause.end, m.end() + 80)]
            rank += len(uniq([p.iso3 for p in named])) if named else 0
            if not named:
                continue
        who = uniq(
            [
                p.iso3
                for p in view.places
                if clause.start <= p.start < m.end() and p.iso3 not in GROUPS and not negated(view, p)
            ]
        )
        if len(who) > 1 and "USA" in who:  # "U.S." as an adjective ("the largest U.S. buyer")
            who = [w for w in who if w != "USA"]
        if not who:  # "Mexico, the largest U.S. buyer, is the world's 12th-largest economy": the sentence's subject
            before = [p for p in view.places if p.start < m.start() and p.iso3 not in GROUPS and not negated(view, p)]
            names = uniq([p.iso3 for p in before])
            if len(names) > 1 and "USA" in names:  # "U.S." as an adjective ("the largest U.S. buyer")
                names = [n for n in names if n != "USA"]
            who = names if len(names) == 1 else []
        if not who and re.match(r"\W*(?:it|its)\b", pre, re.I):
            who = (d.last_subject.get("economy") or d.last_subject.get("trade") or [])[:1]
        if len(who) != 1:
            for q in qs:
                b.skip(q, "a rank of an economy whose country the sentence does not name")
            continue
        subj = [p for p in view.places if p.iso3 == who[0] and p.start < m.start()]
        lo = subj[-1].end if subj and subj[-1].start >= clause.start else clause.start
        window = re.sub(r",\s*(?:which|who|whose|that)\b[^,]*,", lambda x: " " * len(x.group(0)), s[lo : m.end() + 70])
        group, why = _scope(window[: min(clause.end, m.end() + 70) - lo])
        lead = re.match(r"\s*(?:among|within|in|of)\s+([^,]{3,60}),", s, re.I)
        if group is None and not why and lead and lead.end() <= m.start():  # "Among high-income countries, X is ..."
            group, why = _scope(lead.group(1))
        if why:
            for q in qs:
                b.skip(q, why)
            continue
        year = _year(view, d, qs[0] if qs else None, clause, "economy")
        if year is None:
            for q in qs:
                b.skip(q, "a rank of an economy whose year the sentence does not give")
            continue
        params: dict[str, Any] = {"country": who[0], "year": year, "measure": measure, "within": group or "world"}
        readings: list[Reading] = []
        if group is None:
            # No region named: the world, unless the writer meant the country's own World Bank region.
            readings = [
                Reading(
                    name="within its World Bank region", metric="economy_rank", params={**params, "within": "region"}
                )
            ]
        comparator, value = ("eq", float(rank)) if rank != 1 else ("largest", 1.0)
        claim = b.add(
            "economy_rank",
            params,
            comparator,
            value,
            "rank",
            None,
            around(view, max(clause.start, m.start() - 40), m.end(), hi=clause.end),
            "economy",
            readings,
            also=qs,
        )
        if readings:
            claim.params["_undecided"] = True
