"""Reading trade and border prose: sentences, amounts with scales and hedges, places, periods.

Our own small grammar for the domain: deterministic, fast, and explicit about what it read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from usmca.countries import DEMONYMS

# ---------------------------------------------------------------------------------- sentences
ABBREV = re.compile(r"(?:\b(?:U\.S|U\.K|U\.N|Mr|Mrs|Ms|Dr|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|vs|"
                    r"e\.g|i\.e|etc|Inc|Corp|Co|approx|Fig|Gov|Sen|Rep|Gen|Jr|Sr|Ltd)\.)$")


# Words that follow "U.S." inside a sentence ("the U.S. Border Patrol"), not after its end.
US_NOUNS = ["Border", "Census", "Customs", "Department", "Government", "Treasury", "Trade", "Congress",
            "Senate", "House", "International", "Bureau", "Goods", "Exports", "Imports", "Small", "Commerce",
            "Secretary", "President", "Embassy", "Chamber", "Representative", "Immigration", "Coast",
            "Drug", "Agency", "Economy", "Market", "Companies", "Firms", "Manufacturers", "Workers"]


@dataclass
class Sentence:
    start: int
    end: int
    text: str


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of lines; a line break inside a sentence (the line ends without punctuation and the next
    starts in lower case or with a figure, as in hard-wrapped text) does not end it."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        a, b = m.span()
        if spans:
            pa, pb = spans[-1]
            gap = text[pb:a]
            prev = text[pa:pb].rstrip()
            if gap.count("\n") == 1 and prev and prev[-1] not in ".!?:;\"”’)|" and (
                    re.match(r"[ \t]*[a-z0-9$(%]", text[a:b]) or re.search(
                        r"\b(?:of|to|the|a|an|and|or|in|for|with|by|from|than|as|at|on|per|were|was|is|are)$",
                        prev, re.I)):
                spans[-1] = (pa, b)
                continue
        spans.append((a, b))
    return spans


def split_sentences(text: str) -> list[Sentence]:
    """Split prose into sentences, keeping offsets; a line break ends a sentence (headlines, lists)
    unless the sentence plainly goes on (see _paragraphs)."""
    out: list[Sentence] = []
    for base, end in _paragraphs(text):
        p = text[base:end]
        start = 0
        for m in re.finditer(r"[.!?][\"'”’)]*\s+(?=[\"“A-Z0-9$])", p):
            cut = m.start() + 1
            if ABBREV.search(p[:cut]) and not re.search(r"U\.S\.$", p[:cut]):
                continue
            if re.search(r"U\.S\.$", p[:cut]) and re.match(r"\s+[a-z(]", p[cut:]):
                continue
            if re.search(r"U\.S\.$", p[:cut]) and (re.match(r"\s+[A-Z][a-z]", p[cut:]) is None or re.match(
                    r"\s+(?:" + "|".join(US_NOUNS) + r")\b", p[cut:])):
                continue
            seg = p[start:m.end()].rstrip()
            if seg.strip():
                s0 = start + (len(p[start:]) - len(p[start:].lstrip()))
                out.append(Sentence(base + s0, base + start + len(seg), p[s0:start + len(seg)]))
            start = m.end()
        seg = p[start:].rstrip()
        if seg.strip():
            s0 = start + (len(p[start:]) - len(p[start:].lstrip()))
            out.append(Sentence(base + s0, base + start + len(seg), p[s0:start + len(seg)]))
    return out


# ---------------------------------------------------------------------------------- amounts
SCALES = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6,
          "m": 1e6, "thousand": 1e3, "k": 1e3}
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50,
         "hundred": 100, "a dozen": 12, "half": 0.5}
HEDGES = [
    ("more than double", "over"), ("more than triple", "over"), ("more than twice", "over"),
    ("just under", "about"), ("just below", "about"), ("just shy of", "about"), ("just over", "about"),
    ("nearly", "about"), ("almost", "about"), ("close to", "about"), ("about", "about"), ("around", "about"),
    ("roughly", "about"), ("approximately", "about"), ("some", "about"), ("an estimated", "about"),
    ("more than", "over"), ("over", "over"), ("above", "over"), ("exceeding", "over"), ("upwards of", "over"),
    ("in excess of", "over"), ("exceeded", "over"), ("exceeds", "over"), ("exceed", "over"), ("topped", "over"),
    ("tops", "over"), ("surpassed", "over"), ("at least", "at_least"), ("no less than", "at_least"),
    ("less than", "under"), ("under", "under"), ("below", "under"), ("fewer than", "under"),
    ("at most", "at_most"), ("up to", "at_most"), ("just", "eq"), ("only", "eq"), ("a mere", "eq"),
]
HEDGE_RE = "|".join(re.escape(h) for h, _ in sorted(HEDGES, key=lambda x: -len(x[0])))
NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@dataclass
class Quantity:
    value: float
    unit: str  # USD | percent | times | kg | lb | count | years
    start: int
    end: int
    raw: str
    hedge: str | None = None
    comparator: str = "about"
    precision: float | None = None
    noun: str = ""  # word after the amount: doses, jobs, encounters, ...


def _num(s: str) -> tuple[float, float]:
    s = s.replace(",", "")
    v = float(s)
    if "." in s:
        return v, 10 ** -len(s.split(".")[1])
    stripped = s.rstrip("0")
    return v, float(10 ** (len(s) - len(stripped))) if stripped else 1.0


def find_quantities(s: str) -> list[Quantity]:
    """Amounts in a sentence with their units, scales, precision and hedges."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(q: Quantity) -> None:
        if any(not (q.end <= a or q.start >= b) for a, b in taken):
            return
        taken.append((q.start, q.end))
        found.append(q)

    scale = r"(?:\s*(trillion|billion|million|thousand|tn|bn|mn|[bmk])\b)?"
    # "$" alone or "US$" is U.S. dollars; "C$", "MX$", "A$" ... or "$5 billion Canadian" are other
    # currencies: read (so the figure is listed as not checked) but never compared with U.S. dollars.
    for m in re.finditer(r"(?<![A-Za-z])((?:US|U\.S\.)|[A-Z]{1,3}|Mex)?\$\s?(" + NUM + r")" + scale
                         + r"(?:\s+(?:(Canadian|Mexican|Australian|Hong Kong|Singapore|New Zealand)\s+)?"
                           r"(?:dollars|USD|pesos))?", s):
        v, prec = _num(m.group(2))
        mult = SCALES.get((m.group(3) or "").lower(), 1.0)
        foreign = (m.group(1) not in (None, "US", "U.S.")) or m.group(4) is not None \
            or re.match(r"\s*(?:\(?(?:CAD|MXN|AUD|Canadian|Mexican)\b|pesos\b)", s[m.end():]) is not None
        add(Quantity(v * mult, "other currency" if foreign else "USD", m.start(), m.end(), m.group(0),
                     precision=prec * mult))
    for m in re.finditer(r"\b(" + NUM + r")\s*(trillion|billion|million)\s+(?:U\.S\.\s+)?dollars\b", s):
        v, prec = _num(m.group(1))
        mult = SCALES[m.group(2).lower()]
        add(Quantity(v * mult, "USD", m.start(), m.end(), m.group(0), precision=prec * mult))
    for m in re.finditer(r"\b(" + NUM + r")\s?(%|percent\b|per cent\b)", s):
        v, prec = _num(m.group(1))
        add(Quantity(v, "percent", m.start(), m.end(), m.group(0), precision=prec))
    words = "|".join(w for w in WORDS if w != "half")
    for m in re.finditer(r"\b(" + NUM + r"|" + words + r")(\s+and\s+a\s+half|\s*½)?[\s-]+(?:times|fold)\b", s, re.I):
        g = m.group(1).lower()
        v, prec = (float(WORDS[g]), 1.0) if g in WORDS else _num(g)
        if m.group(2):  # "two and a half times" = 2.5
            v, prec = v + 0.5, 0.5
        add(Quantity(v, "times", m.start(), m.end(), m.group(0), precision=prec))
    for m in re.finditer(r"\b(double|twice|triple|thrice|quadruple)\b", s, re.I):
        v = {"double": 2, "twice": 2, "triple": 3, "thrice": 3, "quadruple": 4}[m.group(1).lower()]
        add(Quantity(float(v), "times", m.start(), m.end(), m.group(0), precision=1.0))
    for m in re.finditer(r"\b(" + NUM + r")" + scale
                         + r"\s*(kilograms?|kilos?|kg|pounds?|lbs?|tons?|tonnes?|metric tons?)\b", s, re.I):
        v, prec = _num(m.group(1))
        mult = SCALES.get((m.group(2) or "").lower(), 1.0)
        u = m.group(3).lower()
        unit = "kg" if u.startswith(("kilo", "kg")) else ("lb" if u.startswith(("pound", "lb")) else "t")
        add(Quantity(v * mult, unit, m.start(), m.end(), m.group(0), precision=prec * mult))
    for m in re.finditer(r"\b(?:a|one|a single)\s+(kilogram|kilo|pound)\b", s, re.I):  # "a single kilogram"
        unit = "kg" if m.group(1).lower().startswith("kilo") else "lb"
        add(Quantity(1.0, unit, m.start(), m.end(), m.group(0), precision=1.0))
    for m in re.finditer(r"\b(" + NUM + r")\s*(?:-|\s)?(years?|months?)\b", s, re.I):
        v, prec = _num(m.group(1))
        add(Quantity(v, m.group(2).lower().rstrip("s") + "s", m.start(), m.end(), m.group(0), precision=prec))
    for m in re.finditer(r"\b(" + NUM + r")(?:\s*(trillion|billion|million|thousand))?\b"
                         r"(?:\s+([a-z][a-z-]+(?:\s+[a-z]+)?))?", s, re.I):
        if m.group(2) is None and re.fullmatch(r"(19|20)\d\d", m.group(1)):
            continue  # a year
        if m.group(2) is None and "," not in m.group(1) and float(m.group(1).replace(",", "")) < 1000 and \
                not re.match(r"\s*(?:lethal|doses|jobs|people|encounters|migrants|apprehensions|trucks)", s[m.end(1):]):
            continue
        v, prec = _num(m.group(1))
        mult = SCALES.get((m.group(2) or "").lower(), 1.0)
        noun = (m.group(3) or "").lower()
        end = m.end(2) if m.group(2) else m.end(1)
        add(Quantity(v * mult, "count", m.start(), end, s[m.start():end], precision=prec * mult, noun=noun))
    for q in found:
        before = s[:q.start].rstrip().lower()
        hm = re.search(r"(?:^|\W)(" + HEDGE_RE + r")\s*$", before)
        if hm:
            q.hedge = hm.group(1)
            q.comparator = dict(HEDGES)[q.hedge]
            q.start = q.start - (len(before) - before.rfind(q.hedge)) - (len(s[:q.start]) - len(s[:q.start].rstrip()))
            q.start = max(0, s.lower().rfind(q.hedge, 0, q.end))
        if q.hedge is None:
            # an unhedged figure is a claim to its letter ("eq"); "double"/"twice" are loose by nature
            q.comparator = "about" if q.raw.lower() in ("double", "twice", "triple", "thrice", "quadruple") else "eq"
    found.sort(key=lambda q: q.start)
    return found


# ---------------------------------------------------------------------------------- places
COUNTRY_NAMES = {
    "united states": "USA", "u.s.": "USA", "america": "USA", "usa": "USA",
    "mexico": "MEX", "canada": "CAN", "china": "CHN", "japan": "JPN", "south korea": "KOR", "korea": "KOR",
    "india": "IND", "switzerland": "CHE", "the netherlands": "NLD", "netherlands": "NLD", "germany": "DEU",
    "united kingdom": "GBR", "britain": "GBR", "the u.k.": "GBR", "france": "FRA", "brazil": "BRA",
    "vietnam": "VNM", "taiwan": "TWN", "italy": "ITA", "singapore": "SGP", "ireland": "IRL", "belgium": "BEL",
    "australia": "AUS", "spain": "ESP", "israel": "ISR", "malaysia": "MYS", "thailand": "THA",
    "colombia": "COL", "chile": "CHL", "guatemala": "GTM", "honduras": "HND", "hong kong": "HKG",
    "saudi arabia": "SAU", "united arab emirates": "ARE", "philippines": "PHL", "indonesia": "IDN",
}
PLACE_RE = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(list(COUNTRY_NAMES) + list(DEMONYMS), key=len, reverse=True))
    + r")(?![\w])", re.I)


@dataclass
class Place:
    iso3: str
    start: int
    end: int
    raw: str
    demonym: bool


def find_places(s: str) -> list[Place]:
    out = []
    for m in PLACE_RE.finditer(s):
        raw = m.group(1)
        key = raw.lower()
        if key == "u.s." and re.match(r"\.?\s*(?:goods|exports|imports|small)", s[m.end():]) is not None:
            pass
        if key in ("american", "americans") and re.search(r"\b(?:of|for)\s+$", s[:m.start()]):
            pass
        if key in ("mexico", "mexican", "mexicans") and re.search(r"\b(?:New|Gulf of)\s+$", s[:m.start()]):
            continue  # the U.S. state of New Mexico, the Gulf of Mexico
        iso = COUNTRY_NAMES.get(key) or DEMONYMS.get(key)
        if iso:
            out.append(Place(iso, m.start(), m.end(), raw, key in DEMONYMS))
    return out


# ---------------------------------------------------------------------------------- periods
MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december"]
MONTH_RE = (r"(january|february|march|april|may|june|july|august|september|october|november|december|"
            r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?")


def month_number(name: str) -> int:
    n = name.lower().rstrip(".")
    for i, m in enumerate(MONTH_NAMES):
        if m.startswith(n[:3]):
            return i + 1
    raise ValueError(name)


@dataclass
class Period:
    kind: str  # year | month | range_years | range_months | since | fiscal_year
    start: tuple[int, int]
    end: tuple[int, int]
    span: tuple[int, int]
    raw: str
    fiscal: bool = False


def find_periods(s: str) -> list[Period]:
    out: list[Period] = []
    taken: list[tuple[int, int]] = []

    def add(p: Period) -> None:
        if any(not (p.span[1] <= a or p.span[0] >= b) for a, b in taken):
            return
        taken.append(p.span)
        out.append(p)

    for m in re.finditer(r"\bbetween\s+" + MONTH_RE + r"\s+(\d{4})\s+and\s+" + MONTH_RE + r"\s+(\d{4})", s, re.I):
        add(Period("range_months", (int(m.group(2)), month_number(m.group(1))),
                   (int(m.group(4)), month_number(m.group(3))), m.span(), m.group(0)))
    for m in re.finditer(r"\b(?:from\s+)?" + MONTH_RE + r"\s+(\d{4})\s*(?:to|through|until|-|–)\s*" + MONTH_RE
                         + r"\s+(\d{4})", s, re.I):
        add(Period("range_months", (int(m.group(2)), month_number(m.group(1))),
                   (int(m.group(4)), month_number(m.group(3))), m.span(), m.group(0)))
    for m in re.finditer(r"\bsince\s+(?:(?:early|late|mid-?)\s*)?" + MONTH_RE + r"\s+(?:\d{1,2},\s+)?(\d{4})"
                         r"|\bsince\s+(?:[\w.-]+\s+){1,5}?(?:began|started|was launched|launched|took effect)\s+"
                         r"(?:in|on)\s+(?:(?:early|late|mid-?)\s*)?" + MONTH_RE.replace("(", "(?P<m2>", 1)
                         + r"\s+(?:\d{1,2},\s+)?(?P<y2>\d{4})", s, re.I):
        if m.group("m2"):
            add(Period("since", (int(m.group("y2")), month_number(m.group("m2"))), (9999, 12), m.span(), m.group(0)))
            continue
        add(Period("since", (int(m.group(2)), month_number(m.group(1))), (9999, 12), m.span(), m.group(0)))
    for m in re.finditer(r"\b(?:fiscal\s+(?:years?\s+)?|FY\s?)(\d{4})(?:\s*(?:-|–|to|through)\s*(?:FY\s?)?(\d{4}))?",
                         s, re.I):
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) else a
        add(Period("range_years" if b != a else "fiscal_year", (a - 1, 10), (b, 9), m.span(), m.group(0), fiscal=True))
    for m in re.finditer(r"\b((?:19|20)\d\d)\s*(?:-|–|—|to|through)\s*((?:19|20)?\d\d)\b", s):
        a = int(m.group(1))
        b = int(m.group(2)) if len(m.group(2)) == 4 else int(m.group(1)[:2] + m.group(2))
        if b > a:
            add(Period("range_years", (a, 1), (b, 12), m.span(), m.group(0)))
    for m in re.finditer(r"\b" + MONTH_RE + r"\s+(?:\d{1,2},\s+)?((?:19|20)\d\d)\b", s, re.I):
        mo = month_number(m.group(1))
        y = int(m.group(2))
        add(Period("month", (y, mo), (y, mo), m.span(), m.group(0)))
    for m in re.finditer(r"\b((?:19|20)\d\d)\b", s):
        y = int(m.group(1))
        add(Period("year", (y, 1), (y, 12), m.span(), m.group(0)))
    out.sort(key=lambda p: p.span[0])
    return out


def latest_period_end(periods: list[Period]) -> tuple[int, int] | None:
    ends = [p.end for p in periods if p.kind != "since"] + [p.start for p in periods if p.kind == "since"]
    return max(ends) if ends else None


@dataclass
class Clause:
    start: int  # offsets within the sentence
    end: int
    text: str
    quantities: list[Quantity] = field(default_factory=list)


def split_clauses(s: str) -> list[Clause]:
    """Split a sentence where a new comparison or subject starts (", while", "; ", ", and more")."""
    cuts = [0]
    for m in re.finditer(r",\s+(?=while\b|whereas\b|but\b|and\s+(?:more|less|fewer)\b|more than\b|enough\b|nearly\b)"
                         r"|;\s+|\s+[–—]\s+(?=(?:and\s+)?(?:more|less|fewer|nearly|enough|while|but)\b)"
                         r"|\s+and\s+(?=[A-Z][a-z]+\s+(?:components|parts|imports|exports)\b)", s):
        cuts.append(m.start())
    cuts.append(len(s))
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        seg = s[a:b]
        lead = len(seg) - len(seg.lstrip(" ,;–—"))
        out.append(Clause(a + lead, b, s[a + lead:b]))
    return [c for c in out if c.text.strip()]


def to_date(ym: tuple[int, int]) -> date:
    return date(ym[0], ym[1], 1)
