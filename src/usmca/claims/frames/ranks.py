"""Ranks and comparisons among partners: the largest buyer, the second-largest partner, ranked third,
overtook, more than any other, more than the next ten combined, more than China.

The rank is read on the measure the words name: a buyer, customer or export market ranks U.S. exports;
a supplier or source of imports ranks imports; a trading partner ranks total trade; a deficit ranks
U.S. deficits. "One of the largest" is no rank claim.
"""

from __future__ import annotations

import re
from typing import Any

from usmca import patterns
from usmca.claims.discourse import Discourse
from usmca.claims.frames import Builder, Example, around, frame, mask, uniq
from usmca.claims.frames._roles import EXCEEDED, negated
from usmca.claims.model import Reading
from usmca.claims.tokens import Clause, Cue, SentenceView

ONE_OF = patterns.compile(
    r"\b(?:(?:one|some|two|three|several|among)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+|our\s+|"
    r"\w+(?:['’]s?)?\s+)?|an?\s+)$",
    re.I,
)
ORDINAL_WORDS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "6th": 6,
    "7th": 7,
    "8th": 8,
    "9th": 9,
    "10th": 10,
}
ORDINAL_BEFORE = patterns.compile(
    r"\b(second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|2nd|3rd|4th|5th|6th|7th|"
    r"8th|9th|10th)[\s-]*(?:most\s+)?$",
    re.I,
)
NEXT_N = patterns.compile(
    r"\b(?:next\s+(\d+|ten|five|three|twenty|four|six|seven|eight|nine)\s+|(\d+|ten|five|three|twenty)"
    r"\s+next(?:[- ](?:largest|biggest))?\s+)(?:(?:largest|biggest|trading|export|trade)\s+)*"
    r"(?:partners|countries|markets|buyers|destinations|customers|nations)\b",
    re.I,
)
NUMWORD = {"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twenty": 20}
NO_ONE_MORE = patterns.compile(
    r"\bno (?:other )?(?:country|nation|partner|market|buyer|customer)\b[^.;]*?\b(?:buys?|bought|"
    r"purchases?|purchased|imports?|imported|takes?|spends?)\s+more\b[^.;]*?\bthan\b",
    re.I,
)
ANY_OTHER = patterns.compile(
    r"\bmore\b(?:\s+[\w.]+){0,6}?\s+than\s+(?:to\s+|from\s+)?any other\s+"
    r"(?:market|country|nation|partner|buyer|customer|destination|supplier)\b",
    re.I,
)
_UPTO_THAN = r"(?:(?!\bthan\b)[^;,])*?\bthan\b"
COMPARE = patterns.compile(
    r"\b(?:bought|buys?|buying|purchased?|purchases|imported|imports?|spent|spends?|exported|exports?|sold|sells?|"
    r"shipped)\s+(?:[\w.’'$-]+\s+){0,5}?(?:more|less|fewer)\b"
    + _UPTO_THAN
    + r"|\b(?:more|less|fewer)\s+(?:[\w.’']+\s+){0,3}?(?:goods|products|merchandise|exports|imports)\b"
    + _UPTO_THAN
    + r"|\b(?:bigger|larger|greater|smaller)\s+(?:\w+\s+)?(?:buyer|market|customer|importer|consumer|destination|"
    r"trading partner|supplier)\b" + _UPTO_THAN,
    re.I,
)
RECORD = patterns.compile(
    r"\b(?:strongest|largest|biggest|deepest)\s+(?:\w+\s+){0,2}?(?:trade|trading|commercial)\s+"
    r"(?:relationship|partnership|ties)\b[^.;]*?\b(?:in history|ever|on record|of all time)\b",
    re.I,
)


REGION_WORDS = patterns.compile(
    r"\b(?:european|asian|african|latin american|south american|central american|caribbean|middle eastern|"
    r"arab|nordic|pacific|western|eastern|northern|southern|developing|emerging|advanced|non-\w+|g-?7|g-?20|oecd|"
    r"asean|eu|european union|nafta|usmca|free[- ]trade|fta|opec|"
    r"mexican|canadian|chinese|japanese|german|korean|indian|brazilian|british|french|vietnamese|taiwanese|swiss|"
    r"dutch|irish|italian|spanish)\b",
    re.I,
)
REGION_AFTER = patterns.compile(
    r"^\s*(?:in|among|within|of|across)\s+(?:the\s+)?(?:europe|asia|africa|latin america|south america|central america|"
    r"the americas|the region|the hemisphere|the caribbean|the middle east|the eu|the european union|asean|oceania|"
    r"emerging markets|developing countries|the developing world)\b",
    re.I,
)


def _regional(view: SentenceView, sup: Cue, role_start: int, role_end: int) -> bool:
    """ "the largest European buyer", "the biggest trading partner in Asia": a rank within a region, not among all."""
    between = view.text[sup.end : role_start]
    after = re.split(r"[,;:()]|\.(?=\s|$)", mask(view.text)[role_end : role_end + 70])[0]
    # "the largest buyer in Asia", "... buyer of U.S. goods in Latin America": the region may follow the object
    tail = re.match(
        r"^(?:\s+(?:of|for)\s+(?:u[._]s[._]|american|us)\s+(?:goods|products|exports|merchandise|farm goods))?",
        after,
        re.I,
    )
    rest = after[tail.end() :] if tail else after
    return REGION_WORDS.search(between) is not None or REGION_AFTER.match(rest) is not None


def _role_flow(view: SentenceView, sup: Cue, clause: Clause) -> tuple[str | None, int]:
    """The measure a superlative ranks on: the role noun right after it ("largest export market")."""
    roles = [c for c in view.cues_of("rank_role", None, sup.end, min(clause.end, sup.end + 60))]
    roles = [
        c
        for c in roles
        if re.fullmatch(r"[\s\w.'’-]*", view.text[sup.end : c.start]) and len(view.text[sup.end : c.start].split()) <= 4
    ]
    if not roles:
        return None, 0
    best = max(roles, key=lambda c: (c.start == roles[0].start, c.end - c.start))
    flow = best.value
    if flow == "total":
        words = view.text[sup.end : best.end].lower()
        if re.search(r"\bexport", words):
            flow = "exports"
        elif re.search(r"\bimport", words):
            flow = "imports"
    if _regional(view, sup, best.start, best.end):
        return f"regional:{flow}", best.end
    return flow, best.end


def _rank_period(view: SentenceView, d: Discourse, clause: Clause, pos: int) -> dict[str, Any] | None:
    r = d.period_for(view, None, clause, "trade", pos=pos, kinds=("year", "month"))
    if r.period is None:
        if r.rule == "none" or d.default_year is None:
            return None
        return {"year": d.default_year}
    p = r.period
    if p.fiscal or p.start[0] == 0:
        return None
    return {"year": p.start[0], "month": p.start[1]} if p.kind == "month" else {"year": p.start[0]}


@frame(
    "rank",
    "ranks",
    ("trade",),
    priority=55,
    examples=(
        Example(
            "Mexico was the largest buyer of U.S. goods in 2024.",
            "partner_rank",
            {"partner": "MEX", "flow": "exports", "year": 2024},
            "largest",
            1.0,
        ),
        Example(
            "Canada ranked as the second-largest U.S. trading partner in 2024.",
            "partner_rank",
            {"partner": "CAN", "flow": "total", "year": 2024},
            "eq",
            2.0,
        ),
        Example(
            "Among buyers of American goods, Japan ranked fourth in 2024.",
            "partner_rank",
            {"partner": "JPN", "flow": "exports"},
            "eq",
            4.0,
        ),
        Example(
            "In 2023 Mexico overtook China as the largest source of U.S. imports.",
            "partner_rank",
            {"partner": "MEX", "flow": "imports", "year": 2023},
            "largest",
            1.0,
        ),
        Example(
            "The U.S. ran its second-largest goods deficit with Mexico in 2024.",
            "partner_rank",
            {"partner": "MEX", "flow": "deficit", "year": 2024},
            "eq",
            2.0,
        ),
        Example(
            "Mexico and Canada buy more U.S. goods than the next ten partners combined.",
            "group_vs_next_partners",
            {"partners": ["MEX", "CAN"], "n": 10},
            "over",
            1.0,
        ),
        Example(
            "Mexico is the largest buyer of U.S. goods in Latin America.",
            "partner_rank",
            {"partner": "MEX", "flow": "exports", "within": "Latin America & Caribbean"},
            "largest",
            1.0,
        ),
        Example("Japan is the biggest U.S. trading partner in Asia.", None, note="Asia is no World Bank region"),
        Example("Mexico is one of the largest markets for U.S. goods.", None, note="'one of the largest' is no rank"),
    ),
)
def read_ranks(view: SentenceView, d: Discourse, b: Builder) -> None:
    """Ranks of a partner among all U.S. partners, and comparisons between partners without a figure."""
    s = view.text
    for clause in view.clauses:
        lo, hi = clause.start, clause.end
        unsupported = view.cues_of("unsupported", None, lo, hi)
        if unsupported and (
            re.search(r"\bstates?\b", s[lo:hi], re.I) or any("state-level" in c.value for c in unsupported)
        ):
            # "the largest market for 36 U.S. states", "Texas's largest trading partner": a claim about states
            for q in [x for x in view.quantities if lo <= x.start < hi]:
                b.skip(q, "state-level trade and border figures are not in any loaded source")
            continue
        if re.search(r"\bfor\s+(?:\d+|[a-z]+)\s+(?:u\.s\.\s+|american\s+)?states\b", s[lo:hi], re.I):
            continue
        if _next_n(view, d, b, clause) or _compare(view, d, b, clause):
            continue
        _largest(view, d, b, clause)
    if RECORD.search(s):
        m = RECORD.search(s)
        assert m is not None
        who = uniq([p.iso3 for p in view.partners(0, m.start()) if not negated(view, p)])
        if len(who) == 1 and d.default_year:
            b.add(
                "partner_year_record",
                {"partner": who[0], "year": d.default_year, "flow": "total"},
                "largest",
                1.0,
                "rank",
                None,
                (m.start(), m.end()),
                "trade",
            )


def _largest(view: SentenceView, d: Discourse, b: Builder, clause: Clause) -> None:
    s = view.text
    lo, hi = clause.start, clause.end
    from usmca.claims.frames.trade import product_of

    chapters, pwhy, _ = product_of(view, lo, hi)
    if chapters or pwhy:
        return  # "Mexico bought more U.S. corn than any other country": a rank in one product
    nobody = NO_ONE_MORE.search(s, lo, hi)
    if nobody:
        after = [p for p in view.partners(nobody.end(), hi)]
        per = _rank_period(view, d, clause, nobody.start())
        if after and per and "month" not in per:
            b.add(
                "partner_rank",
                {"partner": after[0].iso3, "flow": "exports", **per},
                "largest",
                1.0,
                "rank",
                None,
                (nobody.start(), after[0].end),
                "trade",
            )
        return
    within = "world"
    sups = [c for c in view.cues_of("superlative", "largest", lo, hi)]
    ordinal_q = [q for q in view.quantities if q.unit == "ordinal" and lo <= q.start < hi and b.free(q)]
    ranked = view.cues_of("rank_verb", "ranked", lo, hi)
    if (
        not ranked
        and ordinal_q
        and re.match(r"[\s-]+(?:place|spot|position)\b", s[ordinal_q[0].end : ordinal_q[0].end + 12])
    ):
        from usmca.claims.tokens import Cue

        ranked = [Cue("rank_verb", "ranked", ordinal_q[0].start, ordinal_q[0].start, "")]  # "slipped to second place"
    if not sups and not (ranked and ordinal_q) and not ANY_OTHER.search(s, lo, hi):
        return
    if sups:
        sup = sups[0]
        pos = sup.start
        flow, role_end = _role_flow(view, sup, clause)
        if flow and flow.startswith("regional:"):
            from usmca.claims.frames.economy import _scope

            group, why = _scope(s[sup.start : min(hi, role_end + 40)])
            if group is None or why or flow == "regional:balance":
                for q in [x for x in view.quantities if lo <= x.start < hi and x.unit == "ordinal"]:
                    b.skip(q, why or "a rank within that group of countries is not read")
                return
            within, flow = group, flow.split(":", 1)[1]
        if flow is None:
            # "the goods deficit with Mexico was the second-largest": the measure named before the rank
            before = [c for c in view.cues_of("rank_role", None, lo, sup.start) if c.value in ("balance", "imports")]
            bal = view.cues_of("trade_noun", "balance", lo, sup.start)
            if bal or before:
                flow, role_end = ("balance" if bal else before[-1].value), sup.end
            else:
                return  # "the largest share", "top officials": no rank of a partner
        pre = s[lo:pos]
        if ONE_OF.search(pre):
            return
        om = ORDINAL_BEFORE.search(pre)
        rank = ORDINAL_WORDS[om.group(1).lower()] if om else 1
        oq = [q for q in ordinal_q if (q.end <= pos and pos - q.end <= 3) or q.start <= pos < q.end]
        if om is None and oq:
            rank = int(oq[0].value)
        span_start = min(pos, lo + om.start()) if om else pos
    elif ANY_OTHER.search(s, lo, hi):
        m = ANY_OTHER.search(s, lo, hi)
        assert m is not None
        than = s.lower().find(" than ", m.start())
        pos, role_end, rank, span_start, flow = than, m.end(), 1, m.start(), "exports"
        if re.search(
            r"\b(?:supplier|source|imported|imports|bought from|purchased from)\b", s[lo:hi], re.I
        ) and re.search(r"\b(?:u\.s\.|united states|america|americans?)\b", s[lo : m.start()], re.I):
            flow = "imports"
        oq = []
    else:
        q0 = ordinal_q[0]
        pos, rank, span_start = q0.start, int(q0.value), ranked[0].start
        role = view.cues_of("rank_role", None, q0.end, hi) or view.cues_of("rank_role", None, lo, q0.start)
        if not role:
            return
        flow, role_end = role[0].value, role[0].end
        oq = [q0]
    near = [p for p in view.partners(lo, pos) if not negated(view, p)]
    if not near and lo > 0 and re.match(r"\W*(?:it|they|this|that)\b", s[lo:pos], re.I):
        near = [p for p in view.partners(0, lo) if not negated(view, p)][-1:]  # "India ...: it was the fifth-largest"
    ov = view.cues_of("rank_verb", "overtook", lo, pos)
    if ov:
        passive = re.search(
            r"\b(?:was|were|has been|had been|is being|been)\s+$", s[max(0, ov[0].start - 15) : ov[0].start]
        )
        near = [p for p in view.partners(lo, pos) if (p.start > ov[0].end if passive else p.start < ov[0].start)]
    who = [near[-1].iso3] if near else []
    if not who:
        after = [p for p in view.partners(role_end, hi) if not negated(view, p)]
        if after and re.match(
            r"\s*(?:is|was|has been|remains|remained|:|,|with|of|to|for)?\s*(?:the\s+)?$", s[role_end : after[0].start]
        ):
            who = [after[0].iso3]
        elif not near and d.last_subject.get("trade") and view.has("anaphora", None, lo, pos):
            who = d.last_subject["trade"][:1]
    if not who or flow is None:
        return
    if flow == "balance":
        from usmca.claims.frames.trade import balance_flow

        flow, _ = balance_flow(view, clause, pos)
    per = _rank_period(view, d, clause, pos)
    if per is None:
        return
    params: dict[str, Any] = {"partner": who[0], "flow": flow, **per}
    if within != "world":
        params["within"] = within
    comparator, value = ("eq", float(rank)) if rank != 1 else ("largest", 1.0)
    span = around(view, min(span_start, near[-1].start if near else span_start), role_end, hi=hi)
    readings = []
    if "month" not in per and flow != "deficit":
        readings = [
            Reading(
                name="goods and services, balance of payments",
                metric="partner_rank",
                params={**params, "basis": "bop", "product": "goods_services"},
            )
        ]
    claim = b.add("partner_rank", params, comparator, value, "rank", None, span, "trade", readings, also=oq)
    if not re.search(r"\bgoods\b|\bmerchandise\b", s, re.I) and readings:
        claim.params["_undecided"] = True


def _next_n(view: SentenceView, d: Discourse, b: Builder, clause: Clause) -> bool:
    s = view.text
    lo, hi = clause.start, clause.end
    nm = NEXT_N.search(s, lo, hi)
    if not nm or not re.search(r"\bmore\b.*\bthan\b|\bexceed|\boutpace|\boutbuy", s[lo:hi], re.I):
        return False
    grp = uniq([p.iso3 for p in view.partners(lo, nm.start()) if not negated(view, p)]) or d.last_subject.get(
        "trade", []
    )
    word = nm.group(1) or nm.group(2)
    n = int(word) if word.isdigit() else NUMWORD[word.lower()]
    per = _rank_period(view, d, clause, nm.start())
    for q in view.quantities:
        if nm.start() <= q.start < nm.end():
            b.used.add(q.start)  # "the next 10 partners": the 10 is part of the comparison
    if not grp or per is None or "month" in per:
        return True
    small = view.has("measure", "small_business")
    end = nm.end()
    cm = re.match(r"\s*(?:combined|together|put together)\b", s[end:hi])
    if cm:
        end += cm.end()
    if small:
        b.add(
            "small_business_exports",
            {"partners": grp, "year": per["year"]},
            "over",
            1.0,
            "ratio",
            None,
            (lo, end),
            "trade",
        )
        return True
    b.add(
        "group_vs_next_partners",
        {"partners": grp, "n": n, "flow": "exports", **per},
        "over",
        1.0,
        "ratio",
        None,
        (lo, end),
        "trade",
    )
    inc = re.search(r"\b(?:including|such as|among them|like)\b", s[nm.end() : hi], re.I)
    if inc:
        a0 = nm.end() + inc.start()
        members = uniq([p.iso3 for p in view.partners(a0, hi)])
        if members:
            b.add(
                "next_partners_include",
                {"partners": grp, "members": members, "n": n, "flow": "exports", **per},
                "true",
                1.0,
                "share",
                None,
                (a0, hi),
                "trade",
            )
    return True


def _compare(view: SentenceView, d: Discourse, b: Builder, clause: Clause) -> bool:
    """ "A bought more U.S. goods than B" (no figure): a ratio above 1; "... – more than B, C and D combined"."""
    s = view.text
    lo, hi = clause.start, clause.end
    if [q for q in view.quantities if lo <= q.start < hi and q.unit in ("USD", "times", "percent", "other currency")]:
        return False
    comb = re.match(
        r"\s*(?:and\s+)?(more|less|fewer)\s+than\s+(?P<rest>.*?\b(?:combined|together|put together))", s[lo:hi], re.I
    )
    if comb and lo > 0 and not view.has("measure", "small_business"):
        than = uniq([p.iso3 for p in view.partners(lo + comb.start("rest"), hi)])
        first = [p for p in view.partners(0, lo) if not negated(view, p)]
        num = uniq([p.iso3 for p in first])[:1]
        per = _rank_period(view, d, clause, lo)
        if num and than and not set(num) & set(than) and per is not None:
            from usmca.claims.frames._roles import flow_for

            flow, _ = flow_for(view, view.clauses[0], view.clauses[0].start, num)
            b.add(
                "trade_ratio",
                {"numerator": num, "denominator": than, "flow": flow or "exports", **per},
                "under" if comb.group(1).lower() != "more" else "over",
                1.0,
                "ratio",
                None,
                (lo, lo + comb.end()),
                "trade",
            )
            return True
    ex = EXCEEDED.search(s, lo, hi)
    if ex and not view.cues_of("superlative", None, lo, hi):
        # "exports to the Netherlands exceeded those to Germany", "Germany overtook Japan as a source of imports"
        num = uniq([p.iso3 for p in view.partners(lo, ex.start()) if not negated(view, p)])
        den = uniq([p.iso3 for p in view.partners(ex.end(), hi)])[:1]
        per = _rank_period(view, d, clause, ex.start())
        if len(num) == 1 and den and num != den and per is not None:
            from usmca.claims.frames._roles import flow_for

            words = s[lo:hi].lower()
            flow = (
                "imports"
                if re.search(r"\b(?:imports?|source|supplier|from)\b", words)
                else ("exports" if re.search(r"\b(?:exports?|market|buyer|customer|to)\b", words) else None)
            )
            f2, _ = flow_for(view, clause, ex.start(), num)
            flow = flow or f2
            if flow in ("exports", "imports", "total"):
                b.add(
                    "trade_ratio",
                    {"numerator": num, "denominator": den, "flow": flow, **per},
                    "over",
                    1.0,
                    "ratio",
                    None,
                    (lo, hi),
                    "trade",
                )
                return True
    cm = COMPARE.search(mask(s), lo, hi)
    if (
        not cm
        or re.search(r"\bany other\b", s[cm.end() : hi], re.I)
        or re.match(
            r"\s*(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,3}(?:partners|customers|countries|markets|buyers|"
            r"destinations|nations)\b",
            s[cm.end() : hi],
            re.I,
        )
    ):
        return False
    a0, t0 = cm.start(), cm.end()
    stop = re.search(r"\b(?:including|among them|such as|like|led by)\b", s[t0:hi], re.I)
    named_end = t0 + stop.start() if stop else hi
    num = uniq([p.iso3 for p in view.partners(lo, a0) if not negated(view, p)]) or uniq(
        [p.iso3 for p in view.partners(a0, t0) if not negated(view, p)]
    )
    if not [p for p in view.partners(lo, a0)] and [p for p in view.partners(a0, t0)]:
        num = uniq([p.iso3 for p in view.partners(a0, t0)])  # "Americans bought more from Mexico than from China"
    den = uniq([p.iso3 for p in view.partners(t0, named_end)])
    if not num or not den or set(num) & set(den):
        return False
    per = _rank_period(view, d, clause, a0)
    if per is None:
        return True
    less = re.search(r"\b(?:less|fewer|smaller)\b", cm.group(0), re.I) is not None
    flow = (
        "imports"
        if re.search(r"\b(?:from|supplier|imported|imports)\b", s[lo:hi], re.I)
        and re.search(r"\b(?:u\.s\.|united states|america|americans?)\b", s[lo:a0], re.I)
        else "exports"
    )
    if view.has("measure", "small_business"):
        b.add(
            "small_business_exports",
            {"partners": num + den, "year": per["year"]},
            "under" if less else "over",
            1.0,
            "ratio",
            None,
            (lo, hi),
            "trade",
        )
        return True
    b.add(
        "trade_ratio",
        {"numerator": num, "denominator": den, "flow": flow, **per},
        "under" if less else "over",
        1.0,
        "ratio",
        None,
        (lo, hi),
        "trade",
    )
    return True
