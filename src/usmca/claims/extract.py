"""Find checkable claims in free text: our own grammar of trade and border statements.

Each sentence is read for amounts (with hedges), places, periods and what is measured; a small
set of frames turns them into claims (metric + parameters + comparator + value). Sentences with
figures that no frame covers are returned as "not checked", with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from usmca.claims.model import Claim, NotChecked, Reading
from usmca.claims.text import (
    Clause,
    Period,
    Place,
    Quantity,
    Sentence,
    find_periods,
    find_places,
    find_quantities,
    split_clauses,
    split_sentences,
)

TRADE_VERB = re.compile(
    r"\b(bought|buy|buys|buying|purchase[sd]?|purchasing|spend|spends|spent|exports?|exported|imports?|imported|"
    r"sold|sells?|sales|consumer|market|buyer|customer|trading partner|trade[sd]?|shipped|shipments)\b", re.I)
ENCOUNTER = re.compile(r"\b(encounters?|crossings?|apprehensions?|apprehended|border patrol)\b", re.I)
FENTANYL = re.compile(r"\bfentanyl\b", re.I)
SEIZE = re.compile(r"\b(seiz\w*|confiscat\w*|intercept\w*)\b", re.I)
SMALL_BIZ = re.compile(r"\b(small[- ]business(?:es)?|small and medium|SMEs?|small firms?|small companies)\b", re.I)
PER_CAPITA = re.compile(
    r"\b(per capita|per person|per resident|per head|per inhabitant|"
    r"(?:each|every|the average|per) (?:resident|person|citizen|inhabitant|consumer|mexican|canadian|chinese|"
    r"japanese|german|korean|south korean|indian|brazilian|british|french))\b", re.I)
PARTS = re.compile(r"\b(parts|components|content|value added|inputs)\b", re.I)
JOBS = re.compile(r"\bjobs?\b", re.I)
LARGEST = re.compile(
    r"\b(biggest|largest|most important|top|number one|no\. 1|leading|main|chief)\s+(?:\w+\s+){0,3}?"
    r"(buyer|market|customer|consumer|trading partner|export market|partner|destination)\b", re.I)
LOWEST = re.compile(r"\b(lowest|fewest|smallest)\b", re.I)
NEXT_N = re.compile(r"\bnext\s+(\d+|ten|five|three|twenty)\s+(?:(?:largest|biggest|trading|export|trade)\s+)*(?:partners|countries|markets|buyers|destinations|customers)\b", re.I)
NUMWORD = {"ten": 10, "five": 5, "three": 3, "twenty": 20}

# Other readings of "A's parts count N times more than B's in X's exports" (see indicators/io_ind.py).
IO_READINGS = {
    "import_content_usd": "intermediates imported from each source and embodied in the exports",
    "direct_imported_inputs_usd": "imported inputs bought directly by the exporting sectors",
    "intermediate_imports_usd": "all intermediate imports from each source",
    "own_content_in_imports_share": "the exporter's own content in its imports from each source",
}


@dataclass
class DocState:
    year: int | None = None  # last year cited
    subject: list[str] = field(default_factory=list)  # last trade subject
    month: tuple[int, int] | None = None  # last month cited
    kg: float | None = None  # last fentanyl quantity
    reference_month: tuple[int, int] | None = None


@dataclass
class Extraction:
    claims: list[Claim]
    not_checked: list[NotChecked]


US_RE = r"(?:the u_s_|u_s_|united states|america\b)"


def _flow_signal(text: str) -> str | None:
    """Which U.S. flow a clause speaks of, or None when it gives no sign."""
    t = mask(text).lower()
    if re.search(r"\b(deficit|surplus|trade balance)\b", t):
        return "balance"
    if re.search(r"\b(?:imports?|imported|bought|buys?|purchases?|purchased)\s+(?:[\w$.]+\s+){0,6}?(?<!up )(?<!down )from\s+(?!"
                 + US_RE + r")", t):
        return "imports"
    if re.search(r"(?:" + US_RE + r"|\bamericans?)\s+(?:(?:consumers|companies|firms|buyers|households|shoppers|"
                 r"importers)\s+)?(?:goods\s+)?(?:imports|imported|bought|buy|buys|purchased|spent|spend)\b", t):
        return "imports"
    if re.search(r"\b(?:exports?|shipments|sales)\s+(?:of\s+\w+\s+)?to\s+(?:the\s+)?(?:u_s_|united states|america)", t):
        return "imports"
    if re.search(r"\b(?:sold|sells?|shipped|ships|exported)\b[^;]*?\bto\s+(?:the\s+)?(?:u_s_|united states|america\b|"
                 r"american (?:consumers|buyers|companies|firms))", t):
        return "imports"
    if re.search(r"\btrade (?:with|between)\b|\btrading partner\b|\btotal trade\b|\btwo-way\b", t):
        return "total"
    if re.search(r"\b(?:exports?|exported|sold|sells?|sales|shipped|shipments|bought|buys?|buying|purchas\w*|"
                 r"spends?|spent|customer|buyer|consumer|market)\b", t):
        return "exports"
    return None


def _flow(text: str) -> str:
    """Which U.S. flow a clause speaks of: exports (what partners buy from the U.S.) by default."""
    return _flow_signal(text) or "exports"


NEGATED = re.compile(r"\b(?:not|unlike|rather than|instead of|than|versus|vs\.?|compared (?:with|to)|other than|"
                     r"excluding|except|apart from|besides|behind|ahead of)\s+(?:even\s+)?(?:the\s+)?$", re.I)


def _negated(s: str, pos: int) -> bool:
    """A place that the sentence sets apart ("not China", "unlike Canada", "than Japan")."""
    return NEGATED.search(s[max(0, pos - 30):pos]) is not None


def _others(places: list[Place]) -> list[Place]:
    return [p for p in places if p.iso3 != "USA"]


def _uniq(codes: list[str]) -> list[str]:
    out: list[str] = []
    for c in codes:
        if c not in out:
            out.append(c)
    return out


def _subject(clause_text: str, places: list[Place], before: int) -> list[str]:
    """Partners named before position `before` in the clause (the grammatical subject, roughly)."""
    return _uniq([p.iso3 for p in _others(places) if p.start < before])


def _than(text: str, places: list[Place]) -> list[str]:
    m = re.search(r"\bthan\b", text)
    if not m:
        return []
    return _uniq([p.iso3 for p in _others(places) if p.start > m.end()])


class _Builder:
    def __init__(self, sent: Sentence, doc_offset: int, n: int) -> None:
        self.sent = sent
        self.claims: list[Claim] = []
        self.n = n
        self.used: set[int] = set()

    def add(self, metric: str, params: dict[str, Any], comparator: str, value: float | None, unit: str,
            q: Quantity | None, clause: Clause, topic: str, readings: list[Reading] | None = None,
            text_span: tuple[int, int] | None = None) -> None:
        a, b = text_span or (clause.start, clause.end)
        raw = self.sent.text[a:b]
        lead = len(raw) - len(raw.lstrip(" ,;:"))
        a += lead
        text = raw[lead:].rstrip(" ,.;:")
        b = a + len(text)
        if q is not None:
            self.used.add(q.start)
            params = {**params, "_precision": q.precision}
        self.claims.append(Claim(
            id=f"c{self.n + len(self.claims) + 1}", metric=metric, params=params, comparator=comparator,  # type: ignore[arg-type]
            value=value, unit=unit, hedge=q.hedge if q else None, readings=readings or [],
            text=text, sentence=self.sent.text, span=(self.sent.start + a, self.sent.start + b), topic=topic,
        ))


BOUNDARY = re.compile(r"[,;:]|\.(?=\s|$)|\s(?:and|while|whereas|but|which)\s")


def _around(s: str, a: int, b: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The claim's own words: the phrase around [a, b) up to the nearest clause boundaries."""
    hi = len(s) if hi is None else hi
    m = mask(s)
    left = lo
    for x in BOUNDARY.finditer(m, lo, a):
        left = x.end()
    right = BOUNDARY.search(m, b, hi)
    return left, (right.start() if right else hi)


def _partner_for(s: str, cl: Clause, places: list[Place], pos: int, fallback: list[str]) -> list[str]:
    """Who the clause is about: partners named before `pos`, else after "to/from/with", else fallback."""
    inside = [p for p in _others(places) if cl.start <= p.start < cl.end]
    before = _uniq([p.iso3 for p in inside if p.start < pos])
    if before:
        return before
    after = _uniq([p.iso3 for p in inside if p.start > pos and re.search(
        r"\b(?:to|from|with|in|by)\s+(?:the\s+)?$", s[max(cl.start, p.start - 12):p.start])])
    if after:
        return after
    return fallback


def _qspan(clause: Clause, q: Quantity, sent_text: str, prev_end: int) -> tuple[int, int]:
    """The claim's own words: from the clause start (or the previous claim) to the end of the phrase."""
    start = max(clause.start, prev_end)
    end = q.end
    m = re.search(r"[,;:]|\.(?=\s|$)", mask(sent_text)[q.end:clause.end])
    end = q.end + m.start() if m else clause.end
    return start, end


def extract(text: str, *, default_year: int | None = None,
            reference_month: tuple[int, int] | None = None) -> Extraction:
    """Claims and not-checked sentences of a text.

    `default_year`: the year of trade claims that cite none (the latest full year of data).
    `reference_month`: the month that "lowest in N years" refers to when the sentence names none
    (the month before the text's date).
    """
    claims: list[Claim] = []
    not_checked: list[NotChecked] = []
    st = DocState(reference_month=reference_month)
    for sent in split_sentences(text):
        b = _Builder(sent, 0, len(claims))
        _read_sentence(sent, b, st, default_year)
        claims.extend(b.claims)
        qs = find_quantities(sent.text)
        left = [q for q in qs if q.start not in b.used and q.unit not in ("years", "months")]
        if left and not b.claims:
            not_checked.append(NotChecked(
                sentence=sent.text, span=(sent.start, sent.end), figures=[q.raw for q in left],
                reason=_why_not(sent.text)))
        elif not b.claims and re.search(r"\b\d", sent.text) and find_periods(sent.text) == [] and \
                re.search(r"\d", re.sub(r"\b(19|20)\d\d\b", "", sent.text)):
            not_checked.append(NotChecked(sentence=sent.text, span=(sent.start, sent.end),
                                          figures=re.findall(r"\d[\d,.]*", sent.text), reason=_why_not(sent.text)))
    return Extraction(claims, not_checked)


def _why_not(s: str) -> str:
    if re.search(r"\binvest", s, re.I):
        return "company investment figures are not in official statistics"
    if re.search(r"\b(tariff|price|wage|gdp)\b", s, re.I):
        return "no indicator covers this measure yet"
    return "no indicator covers the figures in this sentence"


def _read_sentence(sent: Sentence, b: _Builder, st: DocState, default_year: int | None) -> None:
    s = sent.text
    periods = find_periods(s)
    places = find_places(s)
    years = [p.start[0] for p in periods if p.kind == "year"]
    months = [p for p in periods if p.kind == "month"]
    if years:
        st.year = years[0]
    if months:
        st.month = months[0].start
    year = years[0] if years else (st.year or default_year)
    clauses = split_clauses(s)
    low = s.lower()

    # -- border: encounters ------------------------------------------------------------------
    if ENCOUNTER.search(s) or re.search(r"illegal crossings|border crossings", low):
        _encounters(sent, b, st, clauses, periods, places)
        return
    # -- fentanyl and doses --------------------------------------------------------------------
    if FENTANYL.search(s) and (SEIZE.search(s) or re.search(r"\b(kilograms?|kg|pounds?|lbs?)\b", low)):
        _fentanyl(sent, b, st, clauses, periods, places)
        return
    # -- value added: parts / components in exports ---------------------------------------------
    if PARTS.search(s) and re.search(r"\bexports?\b|\bmade in\b|\bgoods\b", low):
        _parts(sent, b, clauses, places)
        return
    # -- jobs ----------------------------------------------------------------------------------
    if JOBS.search(s) and re.search(r"\b(creates?|supports?|generates?|every|another|\d)\b", low) and \
            not TRADE_VERB.search(re.sub(r"\bjobs?\b", "", low)) or (JOBS.search(s) and re.search(r"\bevery new\b.*\bjob\b", low)):
        b.add("jobs_linkage", {"claim": "jobs in one country linked to jobs in the other"}, "eq", None, "jobs",
              None, clauses[0], "jobs", text_span=_jobs_span(s))
        return
    # -- trade ---------------------------------------------------------------------------------
    if TRADE_VERB.search(s) or LARGEST.search(s) or SMALL_BIZ.search(s) or PER_CAPITA.search(s):
        _trade(sent, b, st, clauses, places, year, default_year)


NAMES_WITH_AND = re.compile(r"Customs and Border Protection|Air and Marine|Alcohol, Tobacco|Immigration and Customs")


def mask(s: str) -> str:
    """Hide abbreviation periods (U.S.) and the "and" inside agency names from boundary searches."""
    s = re.sub(r"\b(U)\.(S)\.", r"\1_\2_", s)
    return NAMES_WITH_AND.sub(lambda m: re.sub(r"[ ,]", "_", m.group(0)), s)


def _jobs_span(s: str) -> tuple[int, int]:
    m = re.search(r"\bevery\b[^:;,.]*\bjobs?\b[^:;,]*", mask(s), re.I) or \
        re.search(r"[^:;.]*\bjobs?\b[^:;.]*", mask(s), re.I)
    return (m.start(), m.end()) if m else (0, len(s))


def _trade(sent: Sentence, b: _Builder, st: DocState, clauses: list[Clause], places: list[Place],
           year: int | None, default_year: int | None) -> None:
    s = sent.text
    sme = bool(SMALL_BIZ.search(s))
    per_capita = bool(PER_CAPITA.search(s))
    if year is None:
        return
    all_qs = find_quantities(s)
    first_subject: list[str] = []
    for ci, cl in enumerate(clauses):
        flow = _flow(cl.text if ci else s)
        qs = [q for q in all_qs if cl.start <= q.start < cl.end]
        first_q = min([q.start for q in qs], default=cl.end)
        fallback = first_subject or ([] if any(p.iso3 != "USA" for p in places) else st.subject)
        subj = _partner_for(s, cl, places, first_q, fallback)
        if ci == 0:
            first_subject = subj
        for q in qs:
            span = _around(s, q.start, q.end, cl.start, cl.end)
            if q is qs[0] and ci == 0 and span[0] - cl.start < 60:
                span = (cl.start, span[1])
            if q.unit == "USD":
                who = _partner_for(s, cl, places, q.start, subj)
                if sme:
                    b.add("small_business_exports", {"partners": who, "year": year},
                          q.comparator, q.value, "USD", q, cl, "trade", text_span=span)
                elif per_capita:
                    if not who:
                        continue
                    readings = [Reading(name=f"{p} alone", description=f"per resident of {p} alone",
                                        metric="per_capita_trade",
                                        params={"partners": [p], "year": year, "flow": flow}) for p in who] \
                        if len(who) > 1 else []
                    b.add("per_capita_trade", {"partners": who, "year": year, "flow": flow}, q.comparator,
                          q.value, "USD per person", q, cl, "trade", readings, text_span=span)
                elif len(who) == 1:
                    b.add("trade_value", {"partner": who[0], "year": year, "flow": flow},
                          q.comparator, q.value, "USD", q, cl, "trade", text_span=span,
                          readings=[Reading(name="balance of payments basis",
                                            description="BEA goods trade, balance-of-payments basis",
                                            metric="trade_value",
                                            params={"partner": who[0], "year": year, "flow": flow, "basis": "bop"})])
                elif len(who) > 1:
                    b.add("partners_sum", {"partners": who, "year": year, "flow": flow}, q.comparator,
                          q.value, "USD", q, cl, "trade", text_span=span)
            elif q.unit == "times":
                than = _uniq([p.iso3 for p in _others(places) if p.start > q.start and p.start < cl.end]) or \
                    _uniq([p.iso3 for p in _others(places) if p.start > q.start])
                num = _uniq([p.iso3 for p in _others(places) if cl.start <= p.start < q.start]) or first_subject
                if not than or not num or set(than) & set(num):
                    continue
                if sme:
                    b.add("small_business_exports", {"partners": num + than, "year": year}, q.comparator,
                          q.value, "ratio", q, cl, "trade", text_span=span)
                    continue
                comp = "times" if q.comparator == "about" else q.comparator
                readings = []
                if re.search(r"times\s+(more|greater|larger|higher)\s+than", s[q.start:q.end + 25], re.I):
                    readings.append(Reading(
                        name=f"{q.value + 1:g} times as much", metric="trade_ratio",
                        description=f"'{q.value:g} times more' read as {q.value:g} times more on top of the other's value",
                        params={"numerator": num, "denominator": than, "year": year, "flow": flow},
                        value=q.value + 1))
                b.add("trade_ratio", {"numerator": num, "denominator": than, "year": year, "flow": flow},
                      comp, q.value, "ratio", q, cl, "trade", readings, text_span=span)
        lead_cmp = re.match(r"(?:and\s+|but\s+)?(?:more|less|fewer|bigger|larger)\b", cl.text, re.I)
        _trade_comparisons(s, b, cl, places, qs, first_subject if (lead_cmp and ci) else (subj or first_subject),
                           year, flow, sme)
    if first_subject:
        st.subject = first_subject


def _trade_comparisons(s: str, b: _Builder, cl: Clause, places: list[Place], qs: list[Quantity],
                       group: list[str], year: int, flow: str, sme: bool) -> None:
    """Comparisons without a number: the next N partners, lists combined, the largest buyer."""
    cplaces = [p for p in _others(places) if cl.start <= p.start < cl.end]
    nm = NEXT_N.search(cl.text)
    if nm and re.search(r"\bmore\b.*\bthan\b|\bexceed|\boutpace|\boutbuy", cl.text, re.I):
        grp = _uniq([p.iso3 for p in cplaces if p.start < cl.start + nm.start()]) or group
        n = int(nm.group(1)) if nm.group(1).isdigit() else NUMWORD[nm.group(1).lower()]
        if grp:
            params: dict[str, Any] = {"partners": grp, "year": year}
            if not sme:
                params.update({"n": n, "flow": flow})
            end = cl.start + nm.end()
            cm = re.search(r"^\s*(?:combined|together|put together)\b", s[end:cl.end])
            if cm:
                end += cm.end()
            b.add("small_business_exports" if sme else "group_vs_next_partners", params, "over", 1.0, "ratio",
                  None, cl, "trade", text_span=(cl.start, end))
            inc = re.search(r"\b(?:including|such as|among them)\b", s[cl.start + nm.end():cl.end], re.I)
            if inc and not sme:
                a0 = cl.start + nm.end() + inc.start()
                members = _uniq([p.iso3 for p in cplaces if p.start > a0])
                if members:
                    b.add("next_partners_include", {"partners": grp, "members": members, "year": year, "n": n,
                                                    "flow": flow}, "true", 1.0, "share", None, cl, "trade",
                          text_span=(a0, cl.end))
    elif re.search(r"\bmore than\b.*\b(?:combined|together)\b", cl.text, re.I) and \
            not [q for q in qs if q.unit in ("USD", "times")]:
        m = re.search(r"\bthan\b", s[cl.start:cl.end])
        than = _uniq([p.iso3 for p in cplaces if m and p.start > cl.start + m.end()])
        if than and group and not set(than) & set(group):
            if sme:
                b.add("small_business_exports", {"partners": group + than, "year": year}, "over", 1.0, "ratio",
                      None, cl, "trade")
            else:
                b.add("trade_ratio", {"numerator": group, "denominator": than, "year": year, "flow": flow},
                      "over", 1.0, "ratio", None, cl, "trade")
    lm = LARGEST.search(cl.text)
    if lm or re.search(r"\bmore than any other (?:market|country|partner|buyer)\b", cl.text, re.I):
        pos = cl.start + (lm.start() if lm else 0)
        near = [p for p in cplaces if p.start < pos]
        who = [near[-1].iso3] if near else (group[:1] if len(group) == 1 else [])
        if not who:
            after = [p for p in cplaces if p.start > pos]
            who = [after[0].iso3] if after else []
        if not who:
            return
        f = "total" if lm and "trading partner" in lm.group(0).lower() else "exports"
        span = _around(s, pos, cl.start + (lm.end() if lm else len(cl.text)), cl.start, cl.end)
        if near:
            span = (min(span[0], near[-1].start), span[1])
        if sme:
            b.add("small_business_exports", {"partners": who, "year": year}, "largest", 1.0, "rank", None, cl,
                  "trade", text_span=span)
        else:
            b.add("partner_rank", {"partner": who[0], "year": year, "flow": f}, "largest", 1.0, "rank", None, cl,
                  "trade", text_span=span,
                  readings=[Reading(name="goods and services, balance of payments", metric="partner_rank",
                                    params={"partner": who[0], "year": year, "flow": f, "basis": "bop",
                                            "product": "goods_services"})])


def _encounters(sent: Sentence, b: _Builder, st: DocState, clauses: list[Clause], periods: list[Period],
                places: list[Place]) -> None:
    s = sent.text
    low = s.lower()
    scope = "southwest" if re.search(r"southwest|southern border|u\.s\.-mexico border", low) else (
        "northern" if re.search(r"northern border|u\.s\.-canada border", low) else "nationwide")
    component = "usbp" if re.search(r"border patrol|usbp|apprehension", low) and not re.search(
        r"customs and border protection|cbp", low) else "all"
    month = next((p for p in periods if p.kind == "month"), None)
    rng = next((p for p in periods if p.kind in ("range_years", "range_months")), None)
    if re.search(r"mexic\w+ (authorities|government|officials)\b.*\bmore\b.*\bthan\b.*\b(border patrol|u\.s\.)", low) \
            and rng is not None:
        b.add("mexico_vs_usbp_monthly", {"start_month": f"{rng.start[0]}-{rng.start[1]:02d}",
                                          "end_month": f"{rng.end[0]}-{rng.end[1]:02d}"},
              "true", 1.0, "comparison", None, clauses[0], "border")
        return
    for cl in clauses:
        qs = [q for q in find_quantities(s) if cl.start <= q.start < cl.end]
        ctext = cl.text.lower()
        ym = month.start if month else st.month
        lw = LOWEST.search(cl.text)
        yrs = next((q for q in qs if q.unit == "years"), None)
        if lw and yrs is not None:
            ref = ym or st.month or st.reference_month
            if ref is None:
                continue
            b.add("encounters_lowest_in_years",
                  {"month": f"{ref[0]}-{ref[1]:02d}", "years": int(yrs.value), "scope": "southwest",
                   "component": "usbp"}, "lowest", 1.0, "rank", yrs, cl, "border",
                  text_span=_around(s, cl.start + lw.start(), yrs.end, cl.start, cl.end))
            continue
        if lw and ym is not None:
            b.add("encounters_low_rank", {"month": f"{ym[0]}-{ym[1]:02d}", "scope": scope, "component": component},
                  "lowest", 1.0, "rank", None, cl, "border",
                  text_span=_around(s, cl.start + lw.start(), cl.start + lw.end(), cl.start, cl.end))
        for q in qs:
            if q.unit == "percent" and ym is not None and rng is not None and re.search(r"\b(lower|higher|below|above|less|more)\b", ctext):
                lower = bool(re.search(r"\b(lower|below|less|fewer|down)\b", ctext))
                a, z = rng.start, rng.end
                if rng.kind == "range_years" and not rng.fiscal:
                    fiscal = Reading(name="fiscal years", description=f"average over fiscal years {a[0]}–{z[0]} "
                                     f"(October {a[0] - 1} to September {z[0]})",
                                     metric="encounters_change_vs_average",
                                     params={"month": f"{ym[0]}-{ym[1]:02d}", "start_month": f"{a[0] - 1}-10",
                                             "end_month": f"{z[0]}-09", "scope": scope, "component": component})
                    readings = [fiscal]
                else:
                    readings = []
                b.add("encounters_change_vs_average",
                      {"month": f"{ym[0]}-{ym[1]:02d}", "start_month": f"{a[0]}-{a[1]:02d}",
                       "end_month": f"{z[0]}-{z[1]:02d}", "scope": scope, "component": component},
                      "pct_lower" if lower else "pct_higher", q.value, "percent", q, cl, "border", readings,
                      text_span=_around(s, q.start, q.end, cl.start, cl.end))
            elif q.unit == "count" and (month or periods):
                p = month or periods[0]
                params: dict[str, Any] = {"year": p.start[0], "scope": scope, "component": component}
                if p.kind == "month":
                    params["month"] = p.start[1]
                if p.fiscal:
                    params["fiscal"] = True
                b.add("encounters", params, q.comparator, q.value, "encounters", q, cl, "border",
                      text_span=_around(s, q.start, q.end, cl.start, cl.end))


def _phrase_span(s: str, cl: Clause, pos: int) -> tuple[int, int]:
    """From the clause start to the first comma after `pos` (a position within the clause)."""
    m = re.search(r"[,;]|\.(?=\s|$)", mask(s)[cl.start + pos:cl.end])
    return cl.start, (cl.start + pos + m.start()) if m else cl.end


def _fentanyl(sent: Sentence, b: _Builder, st: DocState, clauses: list[Clause], periods: list[Period],
              places: list[Place]) -> None:
    s = sent.text
    low = s.lower()
    mexican = bool(re.search(r"\bmexic", low)) and not re.search(r"\b(cbp|customs and border protection|u\.s\. authorities)\b", low)
    since = next((p for p in periods if p.kind == "since"), None)
    for cl in clauses:
        for q in find_quantities(s):
            if not (cl.start <= q.start < cl.end):
                continue
            if q.unit in ("kg", "lb", "t"):
                kg = q.value * {"kg": 1.0, "lb": 0.45359237, "t": 1000.0}[q.unit]
                st.kg = kg
                if mexican:
                    b.add("statement_running_total",
                          {"measure": "fentanyl_seized_kg",
                           "since": f"{since.start[0]}-{since.start[1]:02d}" if since else None},
                          q.comparator if q.comparator != "eq" else "about", kg, "kg", q, cl, "fentanyl")
                else:
                    p = next((p for p in periods if p.kind in ("year", "month", "fiscal_year")), None)
                    if p is None:
                        continue
                    lb = kg / 0.45359237
                    params: dict[str, Any] = {"drug": "Fentanyl", "year": p.start[0] if not p.fiscal else p.end[0]}
                    if p.kind == "month":
                        params["month"] = p.start[1]
                    if p.fiscal:
                        params["fiscal"] = True
                    b.add("seizures", params, q.comparator, lb, "lb", q, cl, "fentanyl")
            elif q.unit == "count" and "dose" in q.noun and st.kg:
                b.add("lethal_doses", {"kilograms": st.kg}, q.comparator, q.value, "doses", q, cl, "fentanyl")


def _parts(sent: Sentence, b: _Builder, clauses: list[Clause], places: list[Place]) -> None:
    s = sent.text
    for cl in clauses:
        cplaces = [p for p in places if cl.start <= p.start < cl.end]
        for q in find_quantities(s):
            if not (cl.start <= q.start < cl.end) or q.unit != "times":
                continue
            m = re.search(r"\bin\s+(u\.s\.|american|mexican|canadian|chinese)\s+exports\b", cl.text, re.I)
            exporter = {"u.s.": "USA", "american": "USA", "mexican": "MEX", "canadian": "CAN",
                        "chinese": "CHN"}[m.group(1).lower()] if m else "USA"
            srcs = _uniq([p.iso3 for p in cplaces if p.iso3 != exporter and not (m and m.start() <= p.start - cl.start < m.end())])
            if len(srcs) >= 2:
                base = {"exporter": exporter, "source": srcs[0], "other": srcs[1]}
                readings = [Reading(name=name, description=desc, metric="va_source_ratio",
                                    params={**base, "reading": name})
                            for name, desc in IO_READINGS.items()]
                b.add("va_source_ratio", {**base, "reading": "fva_usd"},
                      "times" if q.comparator == "about" else q.comparator, q.value, "ratio", q, cl, "value added",
                      readings)
