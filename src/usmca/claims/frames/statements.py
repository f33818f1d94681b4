"""Claims that only an official statement or a missing source could settle: small-business exports,
jobs linked across borders, company investment.

They are read as claims so that they are shown with their reason (which source is missing, or which
official statement gives the figure), never silently dropped and never judged against a different
measure.
"""

from __future__ import annotations

import re

from usmca import patterns
from usmca.claims.discourse import Discourse
from usmca.claims.frames import Builder, Example, around, frame, mask, uniq
from usmca.claims.frames._roles import negated
from usmca.claims.tokens import SentenceView


@frame(
    "small_business",
    "statements",
    ("small_business",),
    priority=35,
    examples=(
        Example(
            "Small firms exported more than $110 billion of goods to Mexico in 2022.",
            "cited_figure",
            {"measure": "sme_goods_exports_usd", "country": "MEX", "year": 2022},
            "over",
            110e9,
        ),
        Example(
            "Small firms exported more than $20 billion of goods to Japan in 2022.",
            "small_business_exports",
            {"partners": ["JPN"], "year": 2022},
            "over",
            20e9,
        ),
    ),
)
def read_small_business(view: SentenceView, d: Discourse, b: Builder) -> None:
    """Exports by small and medium-sized firms (Census exporter profiles, or a cited USTR statement)."""
    s = view.text
    for clause in view.clauses:
        lo, hi = clause.start, clause.end
        r = d.period_for(view, None, clause, "trade", pos=lo, kinds=("year",))
        year = r.period.start[0] if r.period is not None else d.default_year
        # a cited figure is for the year its statement gives: only a year this sentence names can differ from it
        named_year = r.period.start[0] if r.period is not None and r.rule in ("clause", "sentence") else None
        qs = [q for q in view.quantities if lo <= q.start < hi and b.free(q)]
        first = uniq([p.iso3 for p in view.partners(lo, hi) if not negated(view, p)])
        for q in qs:
            if q.unit == "USD":
                after = [
                    p
                    for p in view.partners(q.end, hi)
                    if re.match(r"\s*(?:[\w.$-]+\s+){0,6}?(?:to|in)\s+$", s[q.end : p.start])
                ]
                who = uniq([p.iso3 for p in after]) or first or d.last_subject.get("trade", [])
                if who[:1] and who[0] in ("MEX", "CAN"):  # USTR published these (2022)
                    b.add(
                        "cited_figure",
                        {"measure": "sme_goods_exports_usd", "country": who[0], "year": named_year},
                        q.comparator,
                        q.value,
                        "USD",
                        q,
                        around(view, q.start, q.end),
                        "trade",
                    )
                    continue
                b.add(
                    "small_business_exports",
                    {"partners": who[:1], "year": year},
                    q.comparator,
                    q.value,
                    "USD",
                    q,
                    around(view, q.start, q.end),
                    "trade",
                )
            elif q.unit == "times":
                b.add(
                    "small_business_exports",
                    {"partners": first, "year": year},
                    q.comparator,
                    q.value,
                    "ratio",
                    q,
                    around(view, q.start, q.end),
                    "trade",
                )
            elif q.unit == "count":
                after = [p for p in view.partners(q.end, hi)]
                who = uniq([p.iso3 for p in after]) or first
                if who[:1] and who[0] in ("MEX", "CAN"):
                    b.add(
                        "cited_figure",
                        {"measure": "sme_exporters_count", "country": who[0], "year": named_year},
                        q.comparator,
                        q.value,
                        "firms",
                        q,
                        around(view, q.start, q.end),
                        "trade",
                    )
                else:
                    b.skip(q, "counts of exporting firms are published only by USTR for Mexico and Canada in 2022")
        if not qs and re.search(r"\bmore than\b.*\b(?:combined|together)\b", s[lo:hi], re.I):
            m = re.search(r"\bthan\b", s[lo:hi])
            than = uniq([p.iso3 for p in view.partners(lo + m.end(), hi)]) if m else []
            grp = d.last_subject.get("trade", []) or first
            if than and grp and not set(than) & set(grp):
                b.add(
                    "small_business_exports",
                    {"partners": grp + than, "year": year},
                    "over",
                    1.0,
                    "ratio",
                    None,
                    (lo, hi),
                    "trade",
                )
        sup = [
            c
            for c in view.cues_of("superlative", "largest", lo, hi)
            if not qs or c.end <= qs[0].start and view.cues_of("rank_role", None, c.end, c.end + 40)
        ]
        if sup:
            who = [p.iso3 for p in view.partners(lo, sup[0].start) if not negated(view, p)]
            if who:
                b.add(
                    "small_business_exports",
                    {"partners": who[-1:], "year": year},
                    "largest",
                    1.0,
                    "rank",
                    None,
                    around(view, who and view.partners(lo, sup[0].start)[-1].start or lo, sup[0].end),
                    "trade",
                )
    subj = uniq([p.iso3 for p in view.partners() if not negated(view, p)])
    if subj:
        d.last_subject["trade"] = subj[:1]
    b.done = True


_JOBS = patterns.compile(r"\bjobs?\b", re.I)
_CREATES = patterns.compile(r"\b(?:creates?|supports?|generates?)\b", re.I)


def _linkage_clause(s: str) -> re.Match[str] | None:
    """The first clause (between : ; .) that names jobs and a verb that creates them, whole.

    One pass over the clauses: a single pattern of the form "[^:;.]*verb[^:;.]*jobs" is tried at
    every position of a clause, which is quadratic in its length.
    """
    for c in re.finditer(r"[^:;.]+", s):
        if _JOBS.search(c.group(0)) and _CREATES.search(c.group(0)):
            return c
    return None


@frame(
    "jobs_linkage",
    "statements",
    ("employment",),
    priority=70,
    examples=(
        Example(
            "Every new factory job in Mexico creates another one in the United States.", "jobs_linkage", {}, "eq", None
        ),
    ),
)
def read_jobs(view: SentenceView, d: Discourse, b: Builder) -> None:
    """Jobs in one country said to create jobs in another: national employment does not measure this."""
    s = mask(view.text)
    if not _JOBS.search(s):  # what every reading below needs; most sentences stop here
        return
    if view.has("measure", "trade") and not re.search(r"\bevery\b[^.;]*\bjobs?\b|\bcreates?\b[^.;]*\bjobs?\b", s, re.I):
        return
    m = re.search(r"\bevery\b[^:;,.]*\bjobs?\b[^:;,]*", s, re.I) or _linkage_clause(s)
    if not m or not re.search(r"\b(?:creates?|supports?|generates?|every|another|depend)\b", m.group(0), re.I):
        return
    b.add(
        "jobs_linkage",
        {"claim": "jobs in one country linked to jobs in the other"},
        "eq",
        None,
        "jobs",
        None,
        (m.start(), m.end()),
        "jobs",
    )
    for q in view.quantities:
        b.skip(q, "national employment does not measure jobs created or supported by trade")
