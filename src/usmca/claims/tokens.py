"""Typed spans of one sentence: figures, periods, places and cue words, and its clauses.

A `SentenceView` is everything the frames look at: `quantities` (numbers.py: amounts, percents,
counts, multiples, fractions, ordinals), `periods` (periods.py), `places` (countries named in the
prose), `cues` (words from lexicon/cues.yaml: measures, flows, directions, ranks ...) and
`clauses`. Every list is built in one pass over the sentence, so reading is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from usmca import patterns
from usmca.claims.lexicon import scan_cues
from usmca.claims.numbers import Quantity, find_quantities
from usmca.claims.periods import Period, find_periods
from usmca.countries import DEMONYMS, TEXT_GROUPS, TEXT_NAMES


@dataclass(frozen=True)
class Place:
    iso3: str
    start: int
    end: int
    raw: str
    demonym: bool = False
    possessive: bool = False  # "Mexico's", "Canada’s"


@dataclass(frozen=True)
class Cue:
    cls: str
    value: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _place_re() -> re.Pattern[str]:
    names = sorted(list(TEXT_NAMES) + list(DEMONYMS) + list(TEXT_GROUPS), key=len, reverse=True)
    return patterns.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in names) + r")(?![\w])(['’]s?)?", re.I)


def find_places(s: str) -> list[Place]:
    """Countries (and a few groups) named in a sentence, with demonyms ("Mexican") and possessives."""
    out = []
    for m in _place_re().finditer(s):
        raw = m.group(1)
        key = raw.lower()
        if key in ("mexico", "mexican", "mexicans") and re.search(r"\b(?:New|Gulf of)\s+$", s[: m.start()]):
            continue  # the U.S. state of New Mexico, the Gulf of Mexico
        if key == "eu" and raw != "EU":
            continue
        if key in ("america",) and re.search(r"\b(?:Latin|Central|South|North)\s+$", s[: m.start()]):
            continue
        iso = TEXT_NAMES.get(key) or DEMONYMS.get(key) or TEXT_GROUPS.get(key)
        if iso:
            out.append(Place(iso, m.start(), m.end(1), raw, key in DEMONYMS, bool(m.group(2))))
    return out


def find_cues(s: str) -> list[Cue]:
    out = [Cue(cls, value, a, b, t) for cls, value, a, b, t in scan_cues(s)]
    out.sort(key=lambda c: (c.start, -c.end))
    return out


CLAUSE_CUT = patterns.compile(
    r";\s+|:\s+(?=\S)"
    r"|,\s+(?=(?:while|whereas|but|although|though|yet|and\s+(?:more|less|fewer|nearly|enough)|more than|enough|"
    r"nearly|even as)\b)"
    r"|\s+[–—]\s+(?=(?:and\s+)?(?:more|less|fewer|nearly|enough|while|but)\b)"
    r"|,\s+and\s+(?=\S)"
    r"|\s+and\s+(?=[A-Z][a-z]+\s+(?:components|parts|imports|exports)\b)"
)


def _only_a_figure(s: str, a: int, b: int, quantities: list[Quantity]) -> bool:
    """The text between a and b is one figure and nothing else (a lead figure before a colon)."""
    seg = s[a:b].strip(" ,;:–—")
    if not seg:
        return False
    lo = a + s[a:b].index(seg)
    return any(q.start <= lo and q.end >= lo + len(seg) for q in quantities)


def split_clauses(s: str, quantities: list[Quantity], protected: list[tuple[int, int]]) -> list[Clause]:
    """Clauses where a new comparison or subject starts.

    ", and" splits only when both sides carry a figure of their own ("exports rose 4%, and imports
    fell 2%"); no cut falls inside a period ("between 2022 and 2023") or a figure.
    """
    cuts = [0]
    for m in CLAUSE_CUT.finditer(s):
        a = m.start()
        if any(lo <= a < hi for lo, hi in protected):
            continue
        if m.group(0).startswith(":") and _only_a_figure(s, cuts[-1], a, quantities):
            continue  # "$171.8 billion: that was the deficit with Mexico": the words after the colon say what it is
        if m.group(0).lstrip(",").strip().startswith("and") and m.group(0).startswith(","):
            left = [q for q in quantities if cuts[-1] <= q.start < a]
            right_end = len(s)
            nxt = CLAUSE_CUT.search(s, m.end())
            if nxt:
                right_end = nxt.start()
            right = [q for q in quantities if m.end() <= q.start < right_end]
            if not (left and right):
                continue
        cuts.append(a)
    cuts.append(len(s))
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        seg = s[a:b]
        lead = len(seg) - len(seg.lstrip(" ,;:–—"))
        if seg[lead:].lower().startswith("and "):
            lead += 4
        if s[a + lead : b].strip():
            out.append(Clause(a + lead, b, s[a + lead : b]))
    return out or [Clause(0, len(s), s)]


@dataclass
class SentenceView:
    """One sentence with its typed spans (offsets are within the sentence; `start` is in the document)."""

    text: str
    start: int
    index: int
    lead_end: int = 0  # end of a leading subordinate clause ("As prices eased, ..."): its words set the scene only
    quantities: list[Quantity] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)

    # -- queries used by the frames -------------------------------------------------------------
    def cues_of(self, cls: str, value: str | None = None, lo: int = 0, hi: int | None = None) -> list[Cue]:
        hi = len(self.text) if hi is None else hi
        return [c for c in self.cues if c.cls == cls and (value is None or c.value == value) and lo <= c.start < hi]

    def has(self, cls: str, value: str | None = None, lo: int = 0, hi: int | None = None) -> bool:
        return bool(self.cues_of(cls, value, lo, hi))

    def near_cues(self, cls: str, pos: int, lo: int, hi: int, reach: int | None = None) -> list[Cue]:
        """Cues of a class that bear on the figure at `pos`: in its clause, not in a leading subordinate clause
        the figure is outside of, and (with `reach`) within that many characters of it."""
        out = []
        for c in self.cues_of(cls, None, lo, hi):
            if c.end <= self.lead_end <= pos:
                continue
            if reach is not None and min(abs(c.start - pos), abs(c.end - pos)) > reach:
                continue
            out.append(c)
        return out

    def clause_of(self, pos: int) -> Clause:
        for c in self.clauses:
            if c.start <= pos < c.end:
                return c
        return self.clauses[-1]

    def partners(self, lo: int = 0, hi: int | None = None) -> list[Place]:
        """Places other than the U.S. between lo and hi."""
        hi = len(self.text) if hi is None else hi
        return [p for p in self.places if p.iso3 != "USA" and lo <= p.start < hi]

    def us_named(self, lo: int = 0, hi: int | None = None) -> bool:
        hi = len(self.text) if hi is None else hi
        return any(p.iso3 == "USA" and lo <= p.start < hi for p in self.places)

    def periods_in(self, lo: int = 0, hi: int | None = None) -> list[Period]:
        hi = len(self.text) if hi is None else hi
        return [p for p in self.periods if lo <= p.span[0] < hi]


RANK_AFTER = patterns.compile(
    r"^[\s-]*(?:most\s+)?(?:largest|biggest|top|leading|largest|greatest|highest|lowest|"
    r"place|among|in\b|as\b|on\b|overall|spot|position|ranked|trading|export|import|buyer|"
    r"market|customer|supplier|source|partner)",
    re.I,
)


def _loose_ordinal(text: str, q: Quantity) -> bool:
    """ "America-first", "puts workers first", "the first time": an ordinal that ranks nothing."""
    if q.unit != "ordinal" or q.raw.lower() not in ("first", "1st"):
        return False
    return RANK_AFTER.match(text[q.end :]) is None or re.match(r"^\s+time\b", text[q.end :], re.I) is not None


BASE_CUE = patterns.compile(
    r"\b(?:than|from|since|compared (?:with|to)|versus|vs\.?|against|over|after|before|relative to|"
    r"up from|down from)\s+(?:(?:in|the|that of|those of|its|their|a)\s+){0,2}(?:\w+\s+)?$",
    re.I,
)


def _fit_periods(text: str, periods: list[Period], quantities: list[Quantity]) -> list[Period]:
    """Periods as the frames need them: a range never swallows figures, and a base is a base only when
    its cue word stands right before it ("in fiscal 2025" after "more than 170,000 pounds" is no base)."""
    from dataclasses import replace

    out: list[Period] = []
    for p in periods:
        # a duration inside the range is part of it ("the 12 months through April 2026"), not a figure
        inside = [
            q for q in quantities if p.span[0] <= q.start < p.span[1] and q.unit not in ("years", "months", "days")
        ]
        if inside:
            if p.kind == "range" and p.ends:
                a, b = p.ends
                out.append(replace(a, role="base") if a.role == "point" else a)
                out.append(b)
            continue
        if p.role == "base" and not BASE_CUE.search(text[max(0, p.span[0] - 40) : p.span[0]]):
            p = replace(p, role="point")
        out.append(p)
    return out


def _merge_fractions(text: str, qs: list[Quantity]) -> list[Quantity]:
    """ "a third of a trillion dollars" is one amount; "half a trillion dollars" is dollars, not a count."""
    from dataclasses import replace

    out: list[Quantity] = []
    i = 0
    while i < len(qs):
        q = qs[i]
        nxt = qs[i + 1] if i + 1 < len(qs) else None
        if (
            q.unit == "fraction"
            and nxt is not None
            and re.fullmatch(r"\s+of\s+", text[q.end : nxt.start])
            and nxt.unit in ("USD", "count")
            and nxt.value >= 1e3
            and re.match(r"an?\s", nxt.raw.lower())
        ):
            v = q.value * nxt.value
            out.append(
                replace(
                    nxt,
                    value=v,
                    start=q.start,
                    raw=text[q.start : nxt.end],
                    hedge=q.hedge,
                    comparator=q.comparator,
                    precision=v * 0.1,
                    words=True,
                )
            )
            i += 2
            continue
        if (
            q.unit == "count"
            and re.match(r"\s+(?:u\.s\.\s+)?dollars\b", text[q.end : q.end + 20], re.I)
            and q.value >= 1e3
        ):
            m = re.match(r"\s+(?:u\.s\.\s+)?dollars\b", text[q.end :], re.I)
            assert m is not None
            q = replace(q, unit="USD", end=q.end + m.end(), raw=text[q.start : q.end + m.end()], noun="")
        out.append(q)
        i += 1
    return out


SINGLE_UNIT = patterns.compile(r"\b(?:a|one|a single)\s+(kilogram|kilo|pound|gram)\b", re.I)


def _single_units(text: str, qs: list[Quantity]) -> list[Quantity]:
    """ "a single kilogram of fentanyl": one unit of weight, which the number grammar leaves unread."""
    extra = []
    for m in SINGLE_UNIT.finditer(text):
        if any(q.start <= m.start() < q.end for q in qs):
            continue
        unit = {"kilogram": "kg", "kilo": "kg", "pound": "lb", "gram": "kg"}[m.group(1).lower()]
        v = 0.001 if m.group(1).lower() == "gram" else 1.0
        extra.append(Quantity(v, unit, m.start(), m.end(), m.group(0), precision=v, noun=m.group(1), words=True))
    return sorted(qs + extra, key=lambda q: q.start)


# A sentence without any of these words has no period: the period grammar is not run on it.
PERIOD_HINT = patterns.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|fiscal|fy|years?|months?|quarter|"
    r"half|since|record|history|ever|all-time|decades?|weeks?|today|spring|summer|autumn|fall|"
    r"winter|h[12]|q[1-4]|last|previous|prior|earlier|ago|so far|to date|annual|century)",
    re.I,
)


def analyse(text: str, start: int = 0, index: int = 0, *, today: date | None = None) -> SentenceView:
    found = find_periods(text, today=today) if PERIOD_HINT.search(text) else []
    raw = [p for p in found if p.kind not in ("copyright",) and p.role != "copyright"]
    all_q = _single_units(text, _merge_fractions(text, find_quantities(text)))
    periods = _fit_periods(text, raw, all_q)
    taken = [p.span for p in periods]
    quantities = [q for q in all_q if not any(a <= q.start < b for a, b in taken) and not _loose_ordinal(text, q)]
    protected = taken + [(q.start, q.end) for q in quantities]
    cues = find_cues(text)
    products = [c for c in cues if c.cls in ("product_chapter", "sub_product")]
    # "vehicles and parts" is a product, not value added; "battery and car plants" is no product trade
    cues = [
        c
        for c in cues
        if not (
            c.cls == "measure"
            and c.value == "value_added"
            and any(p.start <= c.start and c.end <= p.end for p in products)
        )
    ]
    shares = [c for c in cues if c.cls == "share"]
    cues = [
        c for c in cues if not (c.cls == "direction" and any(x.start <= c.start and c.end <= x.end for x in shares))
    ]
    lead = LEAD.match(text)
    places = find_places(text)
    # a cue inside a place's name is the name ("States'" in "the United States' largest partner")
    cues = [c for c in cues if not (c.cls == "unsupported" and any(p.start <= c.start < p.end + 2 for p in places))]
    return SentenceView(
        text=text,
        start=start,
        index=index,
        lead_end=lead.end() if lead else 0,
        quantities=quantities,
        periods=periods,
        places=places,
        cues=cues,
        clauses=split_clauses(text, quantities, protected),
    )


LEAD = patterns.compile(
    r"^\W*(?:as|after|while|with|despite|driven by|because|though|although|amid|even as|since|once|"
    r"when|thanks to|led by|reflecting|on the back of)\b[^,;:]{0,120}?,\s",
    re.I,
)
