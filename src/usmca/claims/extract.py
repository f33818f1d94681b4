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
    MONTH_RE,
    Clause,
    Period,
    Place,
    Quantity,
    Sentence,
    find_periods,
    find_places,
    find_quantities,
    month_number,
    split_clauses,
    split_sentences,
)

TRADE_VERB = re.compile(
    r"\b(bought|buy|buys|buying|purchase[sd]?|purchasing|spend|spends|spent|exports?|exported|imports?|imported|"
    r"sold|sells?|sales|consumer|market|buyer|customer|trading partner|trade[sd]?|shipped|shipments|deficits?|"
    r"surplus(?:es)?)\b", re.I)
ENCOUNTER = re.compile(r"\b(encounters?|encountered|crossings?|apprehensions?|apprehended|border patrol)\b", re.I)
FENTANYL = re.compile(r"\bfentanyl\b", re.I)
SEIZE = re.compile(r"\b(seiz\w*|confiscat\w*|intercept\w*)\b", re.I)
SMALL_BIZ = re.compile(r"\b(small(?:\s+\w+)?[- ](?:business(?:es)?|firms?|companies|exporters|enterprises)|"
                       r"small[- ]and[- ]medium|SMEs?|mid-?sized (?:firms|companies))\b", re.I)
PER_CAPITA = re.compile(
    r"\b(per capita|per person|per resident|per head|per inhabitant|"
    r"(?:each|every|the average|per) (?:resident|person|citizen|inhabitant|consumer|mexican|canadian|chinese|"
    r"japanese|german|korean|south korean|indian|brazilian|british|french)|"
    r"(?<=\d)\s+(?:each|apiece|a head))\b", re.I)
PARTS = re.compile(r"\b(parts|components|content|value added|inputs)\b", re.I)
JOBS = re.compile(r"\bjobs?\b", re.I)
LARGEST = re.compile(
    r"\b(biggest|largest|most important|top|number one|no\. 1|leading|main|chief)\s+(?:\w+\s+){0,3}?"
    r"(buyer|market|customer|consumer|trading partner|export market|partner|destination|supplier|"
    r"source(?=\s+of\s+(?:U\.S\.\s+|American\s+)?(?:imports|goods|products)))\b", re.I)
LOWEST = re.compile(r"\b(lowest|fewest|smallest)\b", re.I)
NEXT_N = re.compile(r"\b(?:next\s+(\d+|ten|five|three|twenty)\s+|(\d+|ten|five|three|twenty)\s+next(?:[- ]"
                    r"(?:largest|biggest))?\s+)(?:(?:largest|biggest|trading|export|trade)\s+)*"
                    r"(?:partners|countries|markets|buyers|destinations|customers)\b", re.I)
NUMWORD = {"ten": 10, "five": 5, "three": 3, "twenty": 20}
# Trade in one product ("exports of corn to Mexico") is not trade in all goods: such clauses are not
# compared with the all-goods totals (they are listed as not checked).
PRODUCT = re.compile(
    r"\b(?:corn|wheat|soy\w*|pork|beef|dairy|poultry|chicken|agricultur\w*|farm goods|farm products|crops?|grains?|"
    r"food|energy|oil|petroleum|natural gas|gasoline|fuels?|diesel|steel|aluminum|cars?|autos?|automotive|"
    r"vehicles?|auto parts|electronics|machinery|chemicals|plastics|pharmaceuticals?|aircraft|semiconductors?|"
    r"computers?|textiles|apparel|avocados?|tomatoes|beer|tequila|lumber|coal|cotton|meat)\b", re.I)

# Products a text may name, mapped to the HS chapters of USITC DataWeb's exports by chapter. Only
# names that match whole chapters are here: "semiconductors" or "computers" sit inside chapters and
# stay unchecked. Agriculture is approximated by chapters 01-24 (the reading says so).
PRODUCT_CHAPTERS: list[tuple[re.Pattern[str], str, list[str]]] = [
    (re.compile(r"\b(?:motor vehicles|vehicles and (?:auto )?parts|vehicles|automotive products|"
                r"autos and (?:auto )?parts)\b", re.I),
     "vehicles and parts (HS 87)", ["87"]),
    (re.compile(r"\b(?:electronics|electrical machinery|electrical equipment)\b", re.I),
     "electrical machinery and electronics (HS 85)", ["85"]),
    (re.compile(r"\bmachinery\b", re.I), "machinery and mechanical appliances (HS 84)", ["84"]),
    (re.compile(r"\b(?:energy products|mineral fuels|fuels|petroleum products|energy)\b", re.I),
     "mineral fuels and oils (HS 27)", ["27"]),
    (re.compile(r"\bplastics?\b", re.I), "plastics (HS 39)", ["39"]),
    (re.compile(r"\bpharmaceuticals?\b", re.I), "pharmaceutical products (HS 30)", ["30"]),
    (re.compile(r"\baircraft\b", re.I), "aircraft and parts (HS 88)", ["88"]),
    (re.compile(r"\b(?:grains|cereals)\b", re.I), "cereals (HS 10)", ["10"]),
    (re.compile(r"\bmeat\b", re.I), "meat (HS 02)", ["02"]),
    (re.compile(r"\b(?:agricultur\w*|farm goods|farm products|food and farm)\b", re.I),
     "agricultural and food products (HS 01-24, approximate)", [f"{i:02d}" for i in range(1, 25)]),
    (re.compile(r"\baluminum\b", re.I), "aluminum (HS 76)", ["76"]),
]
# Words for goods inside a chapter (corn, pork, cars, crude oil, semiconductors ...): a claim about
# them cannot be checked against a whole chapter, so their clauses stay unchecked.
SUB_CHAPTER = re.compile(
    r"\b(?:corn|wheat|rice|soy\w*|pork|beef|poultry|chicken|dairy|cars?|trucks?|auto parts|crude|oil|gasoline|"
    r"diesel|natural gas|coal|semiconductors?|chips?|computers?|avocados?|tomatoes|beer|tequila|steel)\b", re.I)


def product_chapters(text: str) -> tuple[str, list[str]] | None:
    """The one product group a clause names (the most specific name wins), or None."""
    rest = text
    found = []
    for pat, label, chs in PRODUCT_CHAPTERS:
        if pat.search(rest):
            found.append((label, chs))
            rest = pat.sub(" ", rest)  # "electrical machinery" is not also "machinery"
    if SUB_CHAPTER.search(rest):
        return None
    return found[0] if len(found) == 1 else None


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
    topic: str = ""  # the previous sentence's topic: "That was 90% below ..." continues it
    n: int = 0  # sentences read so far
    kg_n: int = -1  # the sentence that gave `kg`


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
    if re.search(r"\b(?:imports?|imported|bought|buys?|purchases?|purchased)\s+(?:[\w$.]+\s+){0,6}?"
                 r"(?<!up )(?<!down )from\s+(?!(?:the\s+)?(?:" + US_RE + r"|americans?\b))", t):
        return "imports"
    if re.search(r"(?:" + US_RE + r"|\bamericans?)\s+(?:(?:consumers|companies|firms|buyers|households|shoppers|"
                 r"importers)\s+)?(?:goods\s+)?(?:imports|imported|bought|buy|buys|purchased|spent|spend)\b", t):
        return "imports"
    if re.search(r"\b(?:exports?|shipments|sales)\s+(?:of\s+\w+\s+)?to\s+(?:the\s+)?(?:u_s_|united states|america)", t):
        return "imports"
    if re.search(r"\b(?:sold|sells?|shipped|ships|exported)\b[^;]*?\bto\s+(?:the\s+)?(?:u_s_|united states|america\b|"
                 r"americans\b|american (?:consumers|buyers|companies|firms))", t):
        return "imports"
    if re.search(r"\b(?:sold|sells?)\s+(?:the\s+)?(?:u_s_|united states|america\b|americans?\b)", t):
        return "imports"  # "China sold the United States $439 billion"
    if re.search(r"\btrade (?:with|between)\b|\btrading partner\b|\btotal trade\b|\btwo-way\b", t):
        return "total"
    if re.search(r"\b(?:exports?|exported|sold|sells?|sales|shipped|shipments|bought|buys?|buying|purchas\w*|"
                 r"spends?|spent|customer|buyer|consumer|market)\b", t):
        return "exports"
    return None


def _bare_flow(text: str) -> str | None:
    """"imported $412.7 billion" with the U.S. as the sentence's subject: the verb alone decides."""
    t = mask(text).lower()
    if re.search(r"\b(?:from|to)\s+(?:the\s+)?(?:u_s_|united states|america)", t):
        return None
    if re.search(r"\bimport(?:ed|s)?\b", t):
        return "imports"
    if re.search(r"\bexport(?:ed|s)?\b", t):
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
            num = re.search(r"\d[\d,]*(?:\.\d+)?", q.raw)
            round_number = bool(num and "." not in num.group(0) and num.group(0).endswith("0"))
            params = {**params, "_precision": q.precision, "_round": round_number}
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
    inside = [p for p in _others(places) if cl.start <= p.start < cl.end and not _negated(s, p.start)]
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
        if left:  # figures no claim took up are listed, even beside claims from the same sentence
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
    if re.search(r"\b(tariffs?|prices?|wages?|salar(?:y|ies)|earn\w*|gdp)\b", s, re.I):
        return "no indicator covers this measure yet"
    if PRODUCT.search(s):
        return "trade in a single product is not compared with all-goods totals"
    if re.search(r"\b(?:C|CA|MX|Mex|A)\$|\bpesos\b|\bCanadian dollars\b", s):
        return "amounts in other currencies are not converted"
    return "no indicator covers the figures in this sentence"


def _read_sentence(sent: Sentence, b: _Builder, st: DocState, default_year: int | None) -> None:
    s = sent.text
    periods = find_periods(s)
    places = find_places(s)
    years = [p.start[0] for p in periods if p.kind == "year"]
    months = [p for p in periods if p.kind == "month"]
    # the year a later sentence without one refers to: not a base ("from 2023") or a start ("since 2010")
    ref_years = [p.start[0] for p in periods if p.kind == "year" and not re.search(
        r"\b(?:since|from|until|till|by|before|after|than|compared (?:with|to)|versus|vs\.?)\s+"
        r"(?:the\s+)?(?:end of\s+)?$", s[:p.span[0]], re.I)]
    if ref_years:
        st.year = ref_years[0]
    if months:
        st.month = months[0].start
    year = years[0] if years else (st.year or default_year)
    if not years and re.search(r"\b(?:now|today|currently|at present|these days|last year)\b", s, re.I):
        year = default_year  # the latest full year, not a year cited earlier in the text
    clauses = split_clauses(s)
    low = s.lower()
    topic, st.topic = st.topic, ""
    st.n += 1

    # -- border: encounters ------------------------------------------------------------------
    continues = topic == "border" and re.match(r"\W*(?:that|this|it|the (?:figure|total|number|count))\b", s, re.I) \
        and re.search(r"%|\bpercent\b|\blowest\b|\bfewest\b", s, re.I)
    if ENCOUNTER.search(s) or re.search(r"illegal crossings|border crossings", low) or continues:
        _encounters(sent, b, st, clauses, periods, places)
        st.topic = "border"
        return
    # -- fentanyl and doses --------------------------------------------------------------------
    doses_next = topic == "fentanyl" and re.match(r"\W*(?:that|this|it|enough|such)\b", s, re.I) and "dose" in low
    if FENTANYL.search(s) and (SEIZE.search(s) or re.search(r"\b(kilograms?|kilos?|kg|pounds?|lbs?|doses?)\b", low)) \
            or doses_next:
        _fentanyl(sent, b, st, clauses, periods, places)
        st.topic = "fentanyl"
        return
    # -- value added: parts / components in exports ---------------------------------------------
    if PARTS.search(s) and re.search(r"\bexports?\b|\bmade in\b|\bgoods\b", low):
        _parts(sent, b, clauses, places)
        return
    # -- jobs ----------------------------------------------------------------------------------
    if JOBS.search(s) and re.search(r"\b(creates?|supports?|generates?|every|another|\d)\b", low) and \
            not TRADE_VERB.search(re.sub(r"\bjobs?\b", "", low)) or (
                JOBS.search(s) and re.search(r"\bevery new\b.*\bjob\b", low)):
        b.add("jobs_linkage", {"claim": "jobs in one country linked to jobs in the other"}, "eq", None, "jobs",
              None, clauses[0], "jobs", text_span=_jobs_span(s))
        return
    # -- population ----------------------------------------------------------------------------
    if POPULATION.search(s) and not PER_CAPITA.search(s) and not any(q.unit == "USD" for q in find_quantities(s)):
        _population(sent, b, places, year)
        return
    # -- trade ---------------------------------------------------------------------------------
    if TRADE_VERB.search(s) or LARGEST.search(s) or SMALL_BIZ.search(s) or PER_CAPITA.search(s):
        month = None
        if not years and months and len({p.start for p in months}) == 1 and not re.search(
                r"\b(?:since|from|until|by|before|after)\s+$", s[:months[0].span[0]], re.I):
            year, month = months[0].start  # "In January 2025, exports to Mexico ...": a month's trade
        _trade(sent, b, st, clauses, places, year, default_year, month)


NAMES_WITH_AND = re.compile(r"Customs and Border Protection|Air and Marine|Alcohol, Tobacco|Immigration and Customs")


def mask(s: str) -> str:
    """Hide abbreviation periods (U.S.) and the "and" inside agency names from boundary searches."""
    s = re.sub(r"\b(U)\.(S)\.", r"\1_\2_", s)
    return NAMES_WITH_AND.sub(lambda m: re.sub(r"[ ,]", "_", m.group(0)), s)


POPULATION = re.compile(r"\b(?:population|inhabitants|residents|people live|home to|(?:million|billion) people)\b",
                        re.I)


def _population(sent: Sentence, b: _Builder, places: list[Place], year: int | None) -> None:
    """"Mexico's population is about 131 million" / "home to 41 million people" (World Bank)."""
    s = sent.text
    who = _uniq([p.iso3 for p in places])
    if len(who) != 1 or year is None:
        return
    for q in find_quantities(s):
        if q.unit == "count" and q.value >= 1e5:
            cl = Clause(0, len(s), s)
            b.add("population", {"country": who[0], "year": year}, q.comparator, q.value, "persons", q, cl,
                  "population", text_span=_around(s, q.start, q.end, 0, len(s)))


def _jobs_span(s: str) -> tuple[int, int]:
    m = re.search(r"\bevery\b[^:;,.]*\bjobs?\b[^:;,]*", mask(s), re.I) or \
        re.search(r"[^:;.]*\bjobs?\b[^:;.]*", mask(s), re.I)
    return (m.start(), m.end()) if m else (0, len(s))


PREP_BEFORE = re.compile(r"\b(?:to|from|with|for|by)\s+(?:the\s+|each\s+|every\s+|the average\s+)?$", re.I)
GOODS_AFTER = re.compile(r"\s+(?:goods|products|imports|exports|merchandise|vehicles|cars|steel|produce|items)\b", re.I)
JOINER = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|&\s+|or\s+)(?:the\s+)?$", re.I)
ANAPHOR = re.compile(r"\b(?:it|its|they|their|them|the country|the nation|the two countries|both countries|"
                     r"these countries|those countries|the pair|the two)\b", re.I)
PER_UNIT = re.compile(r"^\s*(?:(?:an?|per|each|every)\s+(?:hour|day|week|month|minute|second|ton|tonne|barrel|gallon|"
                      r"unit|vehicle|car|truck|head|kilo|kilogram|pound|liter|litre|container|shipment|worker|"
                      r"employee)\b|(?:daily|weekly|monthly|hourly)\b)", re.I)
# Amounts per day or per month ("$1 billion of goods every day") are rates, not a year's trade.
RATE = re.compile(r"\b(?:(?:a|per|each|every)\s+(?:day|week|month|hour|minute|second)|daily|weekly|hourly)\b", re.I)
US_STATES = re.compile(
    r"\b(?:Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    r"Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|"
    r"Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|"
    r"Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|"
    r"Virginia|Washington State|West Virginia|Wisconsin|Wyoming)\b")
# Trade between two other countries ("Mexico's exports to Guatemala") is not U.S. trade.
_NOT_US = r"(?!the\s+u_s_|u_s_|the\s+united states|united states|america\b|americans?\b)"
THIRD_COUNTRY = re.compile(
    r"(?:\b(?:mexico|canada|china|japan|germany)['’]s|\b(?:mexican|canadian|chinese|japanese|german))\s+"
    r"(?:\w+\s+)?(?:exports|imports|sales|shipments|purchases)\s+(?:of\s+\w+\s+)?(?:to|from)\s+" + _NOT_US
    + r"|\b(?:mexico|canada|china|japan|germany)\s+(?:imports|imported|exports|exported|buys|bought|sells|sold|"
      r"purchases|purchased|ships|shipped)\s+(?:[\w$.]+\s+){0,6}?(?:to|from)\s+" + _NOT_US, re.I)
# Cues that an amount with no partner is U.S. trade with the whole world.
WORLD = re.compile(r"\b(?:all (?:countries|partners|destinations)|the (?:rest of the )?world|worldwide|globally|"
                   r"overall|in total|total u_s_|u_s_ (?:goods |merchandise )?(?:exports|imports) (?:rose|fell|grew|"
                   r"totaled|totalled|reached|hit|were|was|climbed|declined|increased|decreased|came to)|"
                   r"(?:the )?(?:u_s_|united states|america) (?:exported|imported) (?:a total of )?\$)", re.I)
ANNUAL_SIZE = 1e6  # a year's trade with a country is never a few dollars: smaller amounts are prices or wages


def _who(s: str, cl: Clause, places: list[Place], q: Quantity, qs: list[Quantity],
         fallback: list[str]) -> list[str]:
    """The partner(s) an amount is about.

    In order: partners tied to the amount by a preposition after it ("$334 billion to Mexico",
    "$506 billion of Mexican goods"); a partner right after it that does the buying ("the $144
    billion China bought"); partners between the previous amount and this one ("Canada bought
    $349 billion ... and Mexico bought $334 billion"); else the clause's subject. Places the
    sentence sets apart ("not China", "unlike Canada") are never the partner.
    """
    cand = [p for p in _others(places) if cl.start <= p.start < cl.end and not _negated(s, p.start)]
    nxt = min([x.start for x in qs if x.start > q.start] + [cl.end])
    prv = max([x.end for x in qs if x.end <= q.start] + [cl.start])
    paren = [p for p in cand if p.end <= q.start and re.fullmatch(r"\s*\(\s*", s[p.end:q.start])]
    if paren:  # "Mexico ($334 billion)"
        return [paren[-1].iso3]
    after = [p for p in cand if q.end <= p.start < nxt and p.start - q.end <= 60]
    for i, p in enumerate(after):
        gap = s[q.end:p.start]
        bound = PREP_BEFORE.search(gap) is not None and not re.search(r"[;:()]", gap) and len(gap.split()) <= 6
        if not bound and p.demonym and re.search(r"\b(?:of|in|on)\s+$", gap) and GOODS_AFTER.match(s[p.end:]):
            bound = True
        if bound:
            group = [p]
            for r in after[i + 1:]:
                if JOINER.match(s[group[-1].end:r.start]):
                    group.append(r)
                else:
                    break
            return _uniq([g.iso3 for g in group])
    if after and re.fullmatch(r"\s*(?:that|which)?\s*", s[q.end:after[0].start]) and re.match(
            r"\s+(?:alone\s+)?(?:bought|buys|purchased|purchases|imported|imports|spent|spends|did|does)\b",
            s[after[0].end:]):
        return [after[0].iso3]
    before = _uniq([p.iso3 for p in cand if prv <= p.start < q.start])
    if before:
        return before
    return fallback


def _world_total(s: str) -> bool:
    """An amount with no partner is U.S. trade with the world only when the sentence says so ("all
    countries", "U.S. exports totaled") and names no other partner we do not know ("to Peru", "the
    European Union bought")."""
    m = mask(s)
    if not WORLD.search(m):
        return False
    if re.search(r"\b(?:to|from|with|by)\s+(?:the\s+)?(?!U_S_|United States|America)[A-Z]", m):
        return False
    return not re.search(r"^\W*(?:the\s+)?(?!U_S_|United|America|In\b|Last\b|This\b|Total\b|Overall\b)[A-Z][\w ]*?"
                         r"\s+(?:bought|buys|purchased|imported|took|received)\b", m)


def _year_for(s: str, periods: list[Period], q: Quantity, qs: list[Quantity], cl: Clause,
              default: int) -> int:
    """The year an amount is about: "in 2023" right after it, else the last year before it (back
    to the previous amount), else the sentence's year."""
    nxt = min([x.start for x in qs if x.start > q.start] + [cl.end])
    prv = max([x.end for x in qs if x.end <= q.start] + [cl.start])
    years = [p for p in periods if p.kind == "year"]
    for p in years:
        a = p.span[0]
        if q.end <= a < nxt and a - q.end <= 40 and re.search(r"\b(?:in|during|for|of)\s+$", s[q.end:a]):
            return p.start[0]
    before = [p for p in years if prv <= p.span[0] < q.start]
    return before[-1].start[0] if before else default


def _product(text: str) -> dict[str, str]:
    """Goods (Census basis, the default), services or goods and services (balance of payments)."""
    t = text.lower()
    if re.search(r"\bgoods and services\b", t):
        return {"product": "goods_services", "basis": "bop"}
    if re.search(r"\bservices\b", t) and not re.search(r"\bgoods\b", t):
        return {"product": "services", "basis": "bop"}
    return {}


def _balance_sign(text: str) -> int:
    """-1 when a balance is stated as a U.S. deficit (or the partner's surplus with the U.S.)."""
    t = mask(text).lower()
    sign = -1 if re.search(r"\bdeficits?\b", t) and not re.search(r"\bsurplus", t) else 1
    if re.search(r"\bwith\s+(?:the\s+)?" + US_RE, t):
        sign = -sign  # the partner's balance with the U.S.
    return sign


FLIP = {"over": "under", "under": "over", "at_least": "at_most", "at_most": "at_least"}
# "$15 billion more (U.S. goods) than": an amount that is a difference between two partners
DIFFERENCE = re.compile(r"\s+(?:[\w.$'’-]+\s+){0,4}?(more|less|fewer)\b(?:\s+[\w.$'’-]+){0,5}?\s+than\b", re.I)


def _product_exports(s: str, b: _Builder, cl: Clause, places: list[Place], all_qs: list[Quantity], year: int,
                     periods: list[Period]) -> None:
    """U.S. exports of one product group to one partner ("$28.9 billion of vehicles to Mexico").

    DataWeb publishes exports by HS chapter; imports by product, or a product that is not a whole
    chapter, stay unchecked.
    """
    found = product_chapters(cl.text)
    flow = _flow_signal(cl.text) or _flow_signal(s) or "exports"
    if found is None or flow != "exports" or US_STATES.search(cl.text) or THIRD_COUNTRY.search(mask(cl.text)):
        return
    label, chapters = found
    qs = [q for q in all_qs if cl.start <= q.start < cl.end and q.unit == "USD" and q.value >= ANNUAL_SIZE]
    for q in qs:
        if PER_UNIT.match(s[q.end:]) or RATE.search(s[q.end:cl.end]):
            continue
        who = _who(s, cl, places, q, qs, _partner_for(s, cl, places, q.start, []))
        if len(who) != 1:
            continue
        qyear = _year_for(s, periods, q, qs, cl, year)
        b.add("product_exports", {"partner": who[0], "chapters": chapters, "product": label, "year": qyear},
              q.comparator, q.value, "USD", q, cl, "trade", text_span=_around(s, q.start, q.end, cl.start, cl.end))


def _trade(sent: Sentence, b: _Builder, st: DocState, clauses: list[Clause], places: list[Place],
           year: int | None, default_year: int | None, month: int | None = None) -> None:
    s = sent.text
    sme = bool(SMALL_BIZ.search(s))
    per_capita = bool(PER_CAPITA.search(s))
    if year is None:
        return
    periods = find_periods(s)
    all_qs = find_quantities(s)
    first_subject: list[str] = []
    has_partner = any(p.iso3 != "USA" for p in places)
    for ci, cl in enumerate(clauses):
        if PRODUCT.search(cl.text) and not sme and not per_capita:
            _product_exports(s, b, cl, places, all_qs, year, periods)
            continue
        if PRODUCT.search(cl.text) or re.search(r"\b(?:budget|fiscal|federal|current[- ]account)\s+(?:deficit|surplus)",
                                                 cl.text, re.I) or US_STATES.search(cl.text) or \
                THIRD_COUNTRY.search(mask(cl.text)):
            continue  # one product, a budget, one U.S. state, trade between two other countries
        flow = _flow_signal(cl.text) or _flow_signal(s) or "exports"
        qs = [q for q in all_qs if cl.start <= q.start < cl.end]
        first_q = min([q.start for q in qs], default=cl.end)
        # a sentence naming no partner continues the previous one only when it points back ("it")
        fallback = first_subject or ([] if has_partner or not ANAPHOR.search(s) else st.subject)
        subj = _partner_for(s, cl, places, first_q, fallback)
        if ci == 0:
            first_subject = subj
        for q in qs:
            span = _around(s, q.start, q.end, cl.start, cl.end)
            if q is qs[0] and ci == 0 and span[0] - cl.start < 60:
                span = (cl.start, span[1])
            if PER_UNIT.match(s[q.end:]) or (q.unit == "USD" and RATE.search(s[q.end:cl.end])):
                continue  # "$4.50 an hour", "$1 billion every day": a price, a wage or a rate, not a year's trade
            qyear = _year_for(s, periods, q, qs, cl, year)
            mon: dict[str, Any] = {"month": month} if month and qyear == year else {}
            if q.unit == "USD":
                dm = DIFFERENCE.match(s[q.end:cl.end])
                if dm and not (sme or per_capita):
                    # "Canada bought $15 billion more U.S. goods than Mexico": a difference, not a total
                    tail = q.end + dm.end()
                    a_side = _uniq([p.iso3 for p in _others(places) if cl.start <= p.start < q.start])
                    b_side = _uniq([p.iso3 for p in _others(places) if tail <= p.start < cl.end])
                    if len(a_side) == 1 and b_side and b_side[0] != a_side[0]:
                        sign = -1.0 if dm.group(1).lower() in ("less", "fewer") else 1.0
                        b.add("trade_difference", {"partner": a_side[0], "other": b_side[0], "year": qyear,
                                                   "flow": _flow_signal(cl.text) or flow, **mon},
                              q.comparator, sign * q.value, "USD", q, cl, "trade",
                              text_span=_around(s, q.start, cl.end, cl.start, cl.end))
                    continue
                who = _who(s, cl, places, q, qs, subj)
                if mon and (sme or per_capita):
                    continue  # published by year only
                if sme:
                    b.add("small_business_exports", {"partners": who, "year": qyear},
                          q.comparator, q.value, "USD", q, cl, "trade", text_span=span)
                elif per_capita:
                    if not who:
                        continue
                    readings = [Reading(name=f"{p} alone", description=f"per resident of {p} alone",
                                        metric="per_capita_trade",
                                        params={"partners": [p], "year": qyear, "flow": flow}) for p in who] \
                        if len(who) > 1 else []
                    b.add("per_capita_trade", {"partners": who, "year": qyear, "flow": flow}, q.comparator,
                          q.value, "USD per person", q, cl, "trade", readings, text_span=span)
                else:
                    if q.value < ANNUAL_SIZE:
                        continue
                    if not who and not has_partner and flow in ("exports", "imports") and _world_total(s):
                        who = ["WLD"]  # "U.S. exports totaled $2.1 trillion": trade with the world
                    if not who:
                        continue
                    prod = _product(cl.text) or _product(s)
                    value, comparator = q.value, q.comparator
                    # several amounts in one clause ("a $172 billion deficit ..., and imports hit $506
                    # billion"): each amount's own phrase says which flow it is, when it says one
                    local = s[span[0]:span[1]]
                    qflow = _flow_signal(local) or _bare_flow(local) or flow
                    if qflow == "balance" and _balance_sign(s[span[0]:span[1]] if re.search(
                            r"deficit|surplus", s[span[0]:span[1]], re.I) else (cl.text if re.search(
                            r"deficit|surplus", cl.text, re.I) else s)) < 0:
                        value, comparator = -q.value, FLIP.get(q.comparator, q.comparator)
                    params: dict[str, Any] = {"year": qyear, "flow": qflow, **mon, **prod}
                    usd = [x for x in qs if x.unit == "USD"]
                    listed = _uniq([p.iso3 for p in _others(places) if cl.start <= p.start < usd[0].start
                                    and not _negated(s, p.start)])
                    if re.search(r"\brespectively\b", cl.text, re.I) and len(listed) == len(usd) > 1:
                        who = [listed[usd.index(q)]]  # "Mexico and China bought $334 and $144 billion respectively"
                    each = len(who) > 1 and re.search(r"\beach\b|(?i:\bboth)\s+(?:[A-Z]|the\b)", cl.text)
                    for partner in (who if each or len(who) == 1 else []):  # "Canada and Mexico each bought ..."
                        readings = [] if prod or mon else [Reading(
                            name="balance of payments basis", description="BEA goods trade, balance-of-payments basis",
                            metric="trade_value", params={"partner": partner, **params, "basis": "bop"})]
                        b.add("trade_value", {"partner": partner, **params}, comparator, value, "USD", q, cl, "trade",
                              text_span=span, readings=readings)
                    if len(who) > 1 and not each:
                        b.add("partners_sum", {"partners": who, **params}, comparator, value, "USD", q, cl,
                              "trade", text_span=span)
            elif q.unit == "percent" and not (sme or per_capita or mon):
                _trade_percent(s, b, cl, places, q, qs, subj, qyear, periods, flow, default_year)
            elif q.unit == "times":
                cand = [p for p in _others(places) if not _negated(s, p.start) or p.start > q.start]
                than = _uniq([p.iso3 for p in cand if p.start > q.start and p.start < cl.end]) or \
                    _uniq([p.iso3 for p in cand if p.start > q.start])
                num = _uniq([p.iso3 for p in cand if cl.start <= p.start < q.start]) or first_subject
                if not than or not num or set(than) & set(num):
                    continue
                if sme:
                    b.add("small_business_exports", {"partners": num + than, "year": qyear}, q.comparator,
                          q.value, "ratio", q, cl, "trade", text_span=span)
                    continue
                comp = "times" if q.comparator in ("about", "eq") else q.comparator
                readings = []
                if re.search(r"times\s+(?:more|greater|larger|higher|bigger)\b(?:\s+[\w.$’']+){0,5}?\s+than\b",
                             s[q.start:q.end + 60], re.I):
                    readings.append(Reading(
                        name=f"{q.value + 1:g} times as much", metric="trade_ratio",
                        description=f"'{q.value:g} times more' read as {q.value:g} times more on top of the "
                                    "other's value",
                        params={"numerator": num, "denominator": than, "year": qyear, "flow": flow, **mon},
                        value=q.value + 1))
                b.add("trade_ratio", {"numerator": num, "denominator": than, "year": qyear, "flow": flow, **mon},
                      comp, q.value, "ratio", q, cl, "trade", readings, text_span=span)
        lead_cmp = re.match(r"(?:and\s+|but\s+)?(?:more|less|fewer|bigger|larger)\b", cl.text, re.I)
        _trade_comparisons(s, b, cl, places, qs, first_subject if (lead_cmp and ci) else (subj or first_subject),
                           year, flow, sme, month)
    if first_subject:
        st.subject = first_subject


GROWTH_UP = re.compile(r"\b(?:rose|grew|increased|climbed|jumped|gained|expanded|up|rising|growing|growth of|"
                       r"increase of)\b", re.I)
GROWTH_DOWN = re.compile(r"\b(?:fell|declined|dropped|decreased|shrank|slipped|slid|down|falling|decline of|"
                         r"drop of)\b", re.I)
SHARE_OF = re.compile(r"^\s*(?:of|share of)\s+(?:all\s+|total\s+)?(?:the\s+)?(?:u_s_|american|united states['’]?s?)?"
                      r"\s*(?:goods\s+|merchandise\s+)?(exports|imports|trade|sales abroad)\b", re.I)


def _trade_percent(s: str, b: _Builder, cl: Clause, places: list[Place], q: Quantity, qs: list[Quantity],
                   subj: list[str], year: int, periods: list[Period], flow: str,
                   default_year: int | None = None) -> None:
    """A percentage about trade with one partner: a share of U.S. trade, or growth over a year."""
    who = _who(s, cl, places, q, qs, subj)
    if len(who) != 1 or who[0] == "WLD":
        return
    span = _around(s, q.start, q.end, cl.start, cl.end)
    sm = SHARE_OF.match(mask(s[q.end:cl.end]))
    if sm:  # "Mexico took 16% of U.S. exports"
        f = {"exports": "exports", "sales abroad": "exports", "imports": "imports"}.get(sm.group(1).lower(), "total")
        b.add("partner_share", {"partner": who[0], "year": year, "flow": f}, q.comparator, q.value, "percent", q, cl,
              "trade", text_span=(span[0], max(span[1], q.end + sm.end())))
        return
    before = s[max(cl.start, q.start - 40):q.start]
    down = GROWTH_DOWN.search(before)
    up = GROWTH_UP.search(before)
    if not (up or down):
        return
    rng = next((p for p in periods if p.kind == "range_years" and not p.fiscal), None)
    since = next((p for p in periods if p.kind == "year" and re.search(
        r"\b(?:from|since|over|compared (?:with|to)|than)\s+(?:in\s+)?$", s[:p.span[0]])), None)
    if rng is not None:  # "rose 50% from 2020 to 2024"
        year_from, year = rng.start[0], rng.end[0]
    elif since is not None:  # "up 3.5% from 2023": the base year; the claim is about a later year
        year_from = since.start[0]
        if year <= year_from:
            year = max(default_year or year_from + 1, year_from + 1)
    else:
        year_from = year - 1
    value, comparator = q.value, q.comparator
    if down and not up:
        value, comparator = -q.value, FLIP.get(q.comparator, q.comparator)
    b.add("trade_growth", {"partner": who[0], "year_from": year_from, "year_to": year, "flow": flow}, comparator,
          value, "percent", q, cl, "trade", text_span=span)


def _trade_comparisons(s: str, b: _Builder, cl: Clause, places: list[Place], qs: list[Quantity],
                       group: list[str], year: int, flow: str, sme: bool, month: int | None = None) -> None:
    """Comparisons without a number: the next N partners, lists combined, the largest buyer."""
    cplaces = [p for p in _others(places) if cl.start <= p.start < cl.end]
    mon: dict[str, Any] = {"month": month} if month else {}
    nm = NEXT_N.search(cl.text)
    if nm and month:
        pass  # "the next ten partners" is computed for years only: not checked
    elif nm and re.search(r"\bmore\b.*\bthan\b|\bexceed|\boutpace|\boutbuy", cl.text, re.I):
        grp = _uniq([p.iso3 for p in cplaces if p.start < cl.start + nm.start()]) or group
        num_word = nm.group(1) or nm.group(2)
        n = int(num_word) if num_word.isdigit() else NUMWORD[num_word.lower()]
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
                b.add("trade_ratio", {"numerator": group, "denominator": than, "year": year, "flow": flow, **mon},
                      "over", 1.0, "ratio", None, cl, "trade")
    else:
        cm = COMPARE.search(cl.text)
        if cm and ([q for q in qs if q.unit in ("USD", "times", "percent", "other currency")] or re.search(
                r"\bany other\b", cl.text[cm.end():], re.I) or re.match(
                r"\s*(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,3}(?:partners|customers|countries|markets|buyers|"
                r"destinations|nations)\b", cl.text[cm.end():], re.I)):
            cm = None  # an amount, "any other", or a group the sentence does not name ("than the next ten partners")
        if cm:
            a0, t0 = cl.start + cm.start(), cl.start + cm.end()
            stop = re.search(r"\b(?:including|among them|such as|like|led by)\b", s[t0:cl.end], re.I)
            named_end = t0 + stop.start() if stop else cl.end
            num = _uniq([p.iso3 for p in cplaces if p.start < a0 and not _negated(s, p.start)]) or \
                _uniq([p.iso3 for p in cplaces if a0 <= p.start < t0 and not _negated(s, p.start)])
            den = _uniq([p.iso3 for p in cplaces if t0 <= p.start < named_end])
            less = re.search(r"\b(?:less|fewer|smaller)\b", cm.group(0), re.I) is not None
            if num and den and not set(num) & set(den):
                if sme:
                    b.add("small_business_exports", {"partners": num + den, "year": year}, "under" if less else "over",
                          1.0, "ratio", None, cl, "trade")
                else:
                    b.add("trade_ratio", {"numerator": num, "denominator": den, "year": year, "flow": flow, **mon},
                          "under" if less else "over", 1.0, "ratio", None, cl, "trade")
    _largest(s, b, cl, cplaces, group, year, flow, sme, month)


# "A bought more (U.S. goods) than B", "A is a bigger market than B": a ratio above (or below) 1.
_UPTO_THAN = r"(?:(?!\bthan\b)[^;,])*?\bthan\b"
COMPARE = re.compile(
    r"\b(?:bought|buys?|buying|purchased?|purchases|imported|imports?|spent|spends?|exported|exports?|sold|sells?|"
    r"shipped)\s+(?:[\w.’'$-]+\s+){0,5}?(?:more|less|fewer)\b" + _UPTO_THAN
    + r"|\b(?:more|less|fewer)\s+(?:[\w.’']+\s+){0,3}?(?:goods|products|merchandise|exports|imports)\b" + _UPTO_THAN
    + r"|\b(?:bigger|larger|greater|smaller)\s+(?:\w+\s+)?(?:buyer|market|customer|importer|consumer|destination|"
      r"trading partner|supplier)\b" + _UPTO_THAN, re.I)
NO_ONE_MORE = re.compile(r"\bno (?:other )?(?:country|nation|partner|market|buyer|customer)\b[^.;]*?\b(?:buys?|bought|"
                         r"purchases?|purchased|imports?|imported|takes?|spends?)\s+more\b[^.;]*?\bthan\b", re.I)
ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
ORDINAL_BEFORE = re.compile(r"\b(second|third|fourth|fifth|2nd|3rd|4th|5th)[\s-]*$", re.I)
ONE_OF = re.compile(r"\b(?:(?:one|some|two|three|several|among)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+|our\s+|"
                    r"\w+(?:['’]s?)?\s+)?|an?\s+)$", re.I)
OVERTOOK = re.compile(r"\b(?:(?:was|were|has been|had been|is being)\s+"
                      r"(?P<passive>overtaken|surpassed|replaced|displaced|"
                      r"eclipsed|dethroned|unseated|passed)\s+by|overtook|overtakes|overtaking|surpassed|surpasses|"
                      r"passed|displaced|replaced|replaces|edged out|eclipsed|dethroned|unseated|beat)\b", re.I)


def _largest(s: str, b: _Builder, cl: Clause, cplaces: list[Place], group: list[str], year: int, flow: str,
             sme: bool, month: int | None = None) -> None:
    """"X is the largest buyer / top market / biggest trading partner" (or the second-largest)."""
    nobody = NO_ONE_MORE.search(cl.text)
    if nobody:  # "no country buys more from the U.S. than Mexico": Mexico is the largest
        after = [p for p in cplaces if p.start >= cl.start + nobody.end() and p.iso3 != "USA"]
        if after and not sme and not month:
            b.add("partner_rank", {"partner": after[0].iso3, "year": year, "flow": flow}, "largest", 1.0, "rank",
                  None, cl, "trade", text_span=(cl.start + nobody.start(), after[0].end))
        return
    if re.search(r"\bfor\s+(?:\d+|[a-z]+)\s+(?:u\.s\.\s+|american\s+)?states\b", cl.text, re.I):
        return  # "the largest market for 36 U.S. states": a claim about states, not national totals
    lm = LARGEST.search(cl.text)
    if not (lm or re.search(r"\bmore\b(?:\s+[\w.]+){0,6}?\s+than\s+(?:to\s+|from\s+)?any other\s+"
                            r"(?:market|country|nation|partner|buyer|customer|destination)\b", cl.text, re.I)):
        return
    pos = cl.start + (lm.start() if lm else 0)
    pre = s[cl.start:pos]
    if lm and ONE_OF.search(pre):
        return  # "one of the largest buyers": not a claim about rank
    om = ORDINAL_BEFORE.search(pre) if lm else None
    rank = ORDINALS[om.group(1).lower()] if om else 1
    near = [p for p in cplaces if p.start < pos and not _negated(s, p.start)]
    ov = OVERTOOK.search(pre)
    if ov:  # "Mexico overtook Canada as the largest": the one that overtook; passive: the one after "by"
        a, z = cl.start + ov.start(), cl.start + ov.end()
        near = [p for p in near if (p.start > z if ov.group("passive") else p.start < a)]
    who = [near[-1].iso3] if near else (group[:1] if len(group) == 1 else [])
    if not who:
        after = [p for p in cplaces if p.start > pos and not _negated(s, p.start)]
        who = [after[0].iso3] if after else []
    if not who:
        return
    noun = lm.group(2).lower() if lm else ""
    f = "total" if noun == "trading partner" else ("imports" if noun in ("supplier", "source") or flow == "imports"
                                                    else "exports")
    span = _around(s, pos, cl.start + (lm.end() if lm else len(cl.text)), cl.start, cl.end)
    if om:
        span = (min(span[0], cl.start + om.start()), span[1])
    if near:
        span = (min(span[0], near[-1].start), span[1])
    comparator, value = ("eq", float(rank)) if rank != 1 else ("largest", 1.0)
    if sme:
        if not month:
            b.add("small_business_exports", {"partners": who, "year": year}, comparator, value, "rank", None, cl,
                  "trade", text_span=span)
    elif month:
        b.add("partner_rank", {"partner": who[0], "year": year, "flow": f, "month": month}, comparator, value,
              "rank", None, cl, "trade", text_span=span)
    else:
        b.add("partner_rank", {"partner": who[0], "year": year, "flow": f}, comparator, value, "rank", None, cl,
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
    # apprehensions / arrests are the Border Patrol's (CBP publishes them too); "encounters" are all of CBP's
    component = "usbp" if re.search(r"\bapprehen\w*|\barrests?\b", low) or (re.search(
        r"border patrol|usbp", low) and not re.search(r"customs and border protection|\bcbp\b", low)) else "all"
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
            base = rng
            if base is None and ym is not None:  # "89% lower than in June 2024": one month as the base
                base = next((p for p in periods if p.kind == "month" and p.start != ym and re.search(
                    r"\b(?:than|from|compared (?:with|to)|since|over)\s+(?:in\s+|the\s+)?$", s[:p.span[0]])), None)
            if q.unit == "percent" and ym is not None and base is not None and re.search(
                    r"\b(lower|higher|below|above|less|more|fell|dropped|declined|plunged|plummeted|decreased|down|"
                    r"rose|increased|jumped|climbed|up)\b", ctext):
                lower = bool(re.search(r"\b(lower|below|less|fewer|down|fell|dropped|declined|plunged|plummeted|"
                                       r"decreased)\b", ctext))
                a, z = base.start, base.end
                rng_kind, rng_fiscal = base.kind, base.fiscal
                if rng_kind == "range_years" and not rng_fiscal:
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
            elif q.unit == "count" and rng is not None and re.search(r"\baverag", ctext) and re.match(
                    r"\s*(?:[\w-]+\s+){0,2}?(?:a|per|each|every)\s+month\b|\s*(?:[\w-]+\s+){0,2}?monthly\b",
                    s[q.end:]):
                # "averaged 225,000 a month in fiscal years 2021 through 2024"
                a, z = rng.start, rng.end
                b.add("encounters_monthly_average",
                      {"start_month": f"{a[0]}-{a[1]:02d}", "end_month": f"{z[0]}-{z[1]:02d}", "scope": scope,
                       "component": component}, q.comparator, q.value, "encounters per month", q, cl, "border",
                      text_span=_around(s, q.start, q.end, cl.start, cl.end))
            elif q.unit == "count" and _encounter_noun(q.noun):
                p = _period_for(s, periods, q)
                if p is None:
                    continue
                # fiscal year N runs October N-1 to September N: its number is the year it ends
                params: dict[str, Any] = {"year": p.end[0] if p.fiscal else p.start[0], "scope": scope,
                                          "component": component}
                if p.kind == "month":
                    params["month"] = p.start[1]
                if p.fiscal:
                    params["fiscal"] = True
                b.add("encounters", params, q.comparator, q.value, "encounters", q, cl, "border",
                      text_span=_around(s, q.start, q.end, cl.start, cl.end))


ENCOUNTER_NOUNS = {"encounters", "encounter", "apprehensions", "apprehension", "crossings", "crossing", "arrests",
                   "migrants", "people", "persons", "individuals", "times"}
ENCOUNTER_ADJ = {"illegal", "unlawful", "irregular", "unauthorized", "migrant", "border", "southwest", "southern",
                 "northern", "monthly", "total", "nationwide", "more", "fewer"}
NOUN_FREE = {"in", "at", "on", "during", "for", "nationwide", "last", "this", "from", "to", "and", "or", "the", "a",
             "an", "per", "along", "across", "between", "were", "was", "are", "is", "recorded", "according", "by",
             "since", "through", "over", "under", "compared", "down", "up", "each", "that", "as", "while", "with",
             "when", "after", "before", "than", "which", "reported"}


def _encounter_noun(noun: str) -> bool:
    """Whether the words after a count make it a count of encounters ("25,185 encounters", "25,185 in
    June"), not of something else ("2,000 agents")."""
    words = noun.lower().split()
    if not words or words[0] in ENCOUNTER_NOUNS or words[0] in NOUN_FREE:
        return True
    return words[0] in ENCOUNTER_ADJ and len(words) > 1 and words[1] in ENCOUNTER_NOUNS


def _period_for(s: str, periods: list[Period], q: Quantity) -> Period | None:
    """The month, year or fiscal year a count is about: the one right after it ("170,000 in May
    2024"), else the nearest before it, else the first in the sentence."""
    usable = [p for p in periods if p.kind in ("month", "year", "fiscal_year")]
    for p in usable:
        if q.end <= p.span[0] and p.span[0] - q.end <= 40 and re.search(
                r"\b(?:in|during|for|of)\s+(?:(?:the\s+)?(?:calendar\s+)?(?:year\s+|month\s+of\s+)?)?$",
                s[q.end:p.span[0]]):
            return p
    before = [p for p in usable if p.span[1] <= q.start]
    if before:
        return before[-1]
    months = [p for p in usable if p.kind == "month"]
    return months[0] if months else (usable[0] if usable else None)


def _phrase_span(s: str, cl: Clause, pos: int) -> tuple[int, int]:
    """From the clause start to the first comma after `pos` (a position within the clause)."""
    m = re.search(r"[,;]|\.(?=\s|$)", mask(s)[cl.start + pos:cl.end])
    return cl.start, (cl.start + pos + m.start()) if m else cl.end


US_AGENCY = re.compile(r"\b(?:cbp|customs and border protection|u\.s\. (?:authorities|agents|officers|officials|"
                       r"customs)|border patrol|ports? of entry|office of field operations|air and marine)\b", re.I)
CUMULATIVE = re.compile(r"\b(?:have|has)\s+(?:\w+\s+)?(?:seized|confiscated|intercepted|taken|secured)\b|"
                        r"\b(?:in total|a total of|so far|to date|in all|cumulative|running total)\b", re.I)


def _fentanyl(sent: Sentence, b: _Builder, st: DocState, clauses: list[Clause], periods: list[Period],
              places: list[Place]) -> None:
    """Seizures: Mexico's published running totals ("since February 2025, Mexico has seized ..."),
    CBP's statistics ("CBP seized ... pounds in fiscal year 2024"), and lethal doses in an amount."""
    s = sent.text
    low = s.lower()
    us = US_AGENCY.search(s) is not None
    mexican = bool(re.search(r"\bmexic", low)) and not us
    since = next((p for p in periods if p.kind == "since"), None)
    if since is None:  # "since February 5" with no year: the year of the sentence's other period
        m = re.search(r"\bsince\s+(?:early\s+|late\s+|mid-?\s*)?" + MONTH_RE + r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?\b"
                      r"(?!,?\s*\d{4})", s, re.I)
        ref = next((p for p in periods if p.kind in ("month", "year")), None)
        if m and ref is not None:
            ym = (ref.start[0], month_number(m.group(1)))
            since = Period("since", ym, (9999, 12), m.span(), m.group(0))
    # Mexico publishes running totals since 5 February 2025, not totals for a year or a month
    running = since is not None or (CUMULATIVE.search(s) is not None
                                    and not any(p.kind != "since" for p in periods))
    kg_start = -1
    for cl in clauses:
        for q in find_quantities(s):
            if not (cl.start <= q.start < cl.end):
                continue
            if q.unit in ("kg", "lb", "t"):
                kg = q.value * {"kg": 1.0, "lb": 0.45359237, "t": 1000.0}[q.unit]
                st.kg, st.kg_n, kg_start = kg, st.n, q.start
                if mexican and running:
                    b.add("statement_running_total",
                          {"measure": "fentanyl_seized_kg",
                           "since": f"{since.start[0]}-{since.start[1]:02d}" if since else None},
                          q.comparator if q.comparator != "eq" else "about", kg, "kg", q, cl, "fentanyl")
                elif us:
                    p = next((p for p in periods if p.kind in ("year", "month", "fiscal_year")), None)
                    if p is None:
                        continue
                    lb = kg / 0.45359237
                    params: dict[str, Any] = {"drug": "Fentanyl", "year": p.start[0] if not p.fiscal else p.end[0]}
                    if p.kind == "month":
                        params["month"] = p.start[1]
                    if p.fiscal:
                        params["fiscal"] = True
                    amo = bool(re.search(r"\bair and marine\b|\bAMO\b", s))
                    other = Reading(name="with Air and Marine Operations" if not amo else "OFO and USBP only",
                                    description="CBP publishes AMO seizures separately from the nationwide "
                                                "(OFO and Border Patrol) figures",
                                    metric="seizures", params={**params, "include_amo": not amo})
                    b.add("seizures", {**params, "include_amo": amo}, q.comparator, lb, "lb", q, cl, "fentanyl",
                          [other])
            elif q.unit == "count" and re.match(r"\s*(?:[\w-]+\s+){0,2}doses\b", s[q.end:], re.I) and st.kg and (
                    st.kg_n == st.n or (st.kg_n == st.n - 1 and re.match(
                        r"\W*(?:that|this|it|enough|such|the (?:haul|amount|seizures?))\b", s, re.I))):
                b.add("lethal_doses", {"kilograms": st.kg}, q.comparator, q.value, "doses", q, cl, "fentanyl")
                if st.kg_n == st.n:
                    b.used.add(kg_start)  # the amount the doses are counted in


FULL_OF = re.compile(
    r"\b(?:made in|exports? (?:of|from))\s+(?P<maker>[A-Z][a-z]+)\b[^,;.]*?\b(?:full of|packed with|loaded with|"
    r"rich in)\s+(?P<who>[A-Z][\w.]*)\s+(?:parts|components|content|inputs)\b")


def _parts(sent: Sentence, b: _Builder, clauses: list[Clause], places: list[Place]) -> None:
    s = sent.text
    for cl in clauses:
        cplaces = [p for p in places if cl.start <= p.start < cl.end]
        fm = FULL_OF.search(mask(cl.text).replace("U_S_", "U.S."))
        if fm and not [q for q in find_quantities(cl.text) if q.unit in ("times", "percent")]:
            maker = next((p.iso3 for p in cplaces if p.raw == fm.group("maker")), None)
            who = next((p.iso3 for p in cplaces if p.raw == fm.group("who")), None)
            if maker and who and maker != who:
                # "full of" names no figure: the claim is shown with our figure but not judged.
                b.add("foreign_value_added_in_exports", {"exporter": maker, "source": who}, "eq", None, "percent",
                      None, cl, "value added", text_span=(cl.start + fm.start(), cl.start + fm.end()))
        for q in find_quantities(s):
            if not (cl.start <= q.start < cl.end) or q.unit != "times":
                continue
            m = re.search(r"\bin\s+(u\.s\.|american|mexican|canadian|chinese)\s+exports\b", cl.text, re.I)
            exporter = {"u.s.": "USA", "american": "USA", "mexican": "MEX", "canadian": "CAN",
                        "chinese": "CHN"}[m.group(1).lower()] if m else "USA"
            srcs = _uniq([p.iso3 for p in cplaces
                          if p.iso3 != exporter and not (m and m.start() <= p.start - cl.start < m.end())])
            if len(srcs) >= 2:
                base = {"exporter": exporter, "source": srcs[0], "other": srcs[1]}
                readings = [Reading(name=name, description=desc, metric="va_source_ratio",
                                    params={**base, "reading": name})
                            for name, desc in IO_READINGS.items()]
                b.add("va_source_ratio", {**base, "reading": "fva_usd"},
                      "times" if q.comparator in ("about", "eq") else q.comparator, q.value, "ratio", q, cl,
                      "value added", readings)
