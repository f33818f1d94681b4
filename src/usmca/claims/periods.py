"""The period grammar of the claim reader: every span of time a sentence names, with its role.

`find_periods(text, today=...)` scans the text once, left to right, with one combined pattern; at
each position the first rule below that matches (and passes its checks) wins, so periods never
overlap and the longer reading ("between 2022 and 2023") beats its parts ("2022", "2023"). Every
quantifier is bounded or unambiguous, so the scan is linear in the text. Words come from
lexicon/periods.yaml. The rules, in priority order:

copyright  "(c) 2025", "© 2020-2025", "Copyright 2025": kind "copyright", role "copyright" (callers drop it)
ytd        "FY2023 to date", "2025 so far", "so far in 2025", "year-to-date 2025": kind "ytd"
amounts    "from $10 billion in 2023 to $12 billion in 2024": one range whose ends are the two years
n months   "the 12 months through June 2025", "12 months ending in June 2025": range of n months to the end
between    "between 2022 and 2023", "between June 2024 and June 2025": range (never split at "and")
from-to    "from 2023 to 2024", "from January to June 2025", "from fiscal 2021 to fiscal 2023": range
X-Y        "2019-2024", "2019–24", "FY2020-FY2023", "FY2020-23", "January-April 2026", "2021 through 2024"
since      "since 2010", "since February", "since February 5, 2025", "since the start of 2025",
           "since mid-2024", "since last year", "ever since 2010": kind "since", start = end = the anchor
lists      "fiscal years 2021 and 2022" (two fiscal years), "June and July 2025" (two months)
first n    "the first four months of 2026" (range), "first six months of 2025" (half), "first three" (quarter)
fiscal     "fiscal 2022", "fiscal year 2022", "fiscal year (FY) 2022", "FY2022", "FY 2022", "FY22", "FY'22",
           "the 2022 fiscal year": Oct 2021 .. Sep 2022, fiscal=True
quarter    "the first quarter of 2025", "Q1 2025", "Q1'25", "1Q25", "2025 Q1", "Q1 FY2025" (fiscal), "final quarter"
half       "the second half of 2024", "H1 2025", "1H25", "2024 H2", "the first half of fiscal 2025" (fiscal)
day        "February 5, 2025", "5 February 2025", "Feb. 5", "5th of February", "2025-02-05", "2/5/2025"
month      "June 2025", "June, 2025", "June of 2025", "Jun. 2025", "June '25"
year       "2024", "2024's", "(2024)": 1900-2100 standing alone; not "2,024", "$2024", "2024 kg", "2024 trucks"
           (unless "in 2024 trucks"), "H.R. 2024", "Section 2024", "2025 Ford", "2025 model year"
bare month "in June", "until March", "mid-June": a capitalised full month name after a period word; its
           year is the latest one not after `today` (relative="month without year"; year 0 without today)
relative   "a year earlier", "the previous year", "the same period last year" (shift the nearest explicit
           period of the text back a year, else last year from `today`); "a month earlier", "the previous
           quarter", "the previous fiscal year" likewise; "last year", "this year", "next year", "last
           month", "this month", "last quarter", "the past year", "year to date", "so far this year",
           "last fiscal year", "fiscal year to date" from `today`. Unresolvable: start = end = (0, 0).
span       "in 30 years", "in three decades", "in more than a decade", "in nearly 55 years", "a 55-year low",
           "the past five years", "the last decade": kind "span_years" with `years` and `hedge`
record     "on record", "in history", "ever", "all-time", "record high", "since records began": kind "record"

Roles (from the words just before a period): "from", "up from", "than (in)", "compared with/to", "versus",
"relative to", "against", and "from/than/after <amount> in" make a base; "through", "until", "till", "by",
"before", "up to" make an end ("until"); "since" makes a start; everything else is a "point" (with cue
"future" after "will", "expected to", "forecast" ... in its sentence: a projection).
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from usmca import patterns
from usmca.months import FIRST_YEAR, LAST_YEAR, MONTH_NAMES, Month, fiscal_year_of, from_index, month_index

UNRESOLVED: Month = (0, 0)
MAX_RANGE_YEARS = 60


@dataclass(frozen=True)
class Period:
    """One period named in a text. Months are (year, month); year 0 means not resolved."""

    kind: str  # year month day fiscal_year quarter half ytd range since span_years record copyright
    start: Month  # first month covered (for "since": the anchor month)
    end: Month  # last month covered (for "since": = start)
    span: tuple[int, int]  # character offsets in the text given
    text: str  # the words matched
    fiscal: bool = False  # a U.S. fiscal year (Oct N-1 .. Sep N) is meant
    role: str = "point"  # point | since | base | until | record | copyright
    ends: tuple[Period, Period] | None = None  # kind "range": the two ends
    years: int | None = None  # kind "span_years": the length in years
    day: int | None = None  # kind "day": the day of the month
    relative: str | None = None  # the relative phrase resolved ("last year", "month without year", ...)
    hedge: str | None = None  # "more than", "nearly" for span_years
    cue: str | None = None  # the word that set the role ("since", "from", "than", "through", "by", ...)
    anchor: str | None = None  # what a relative period was resolved against: "today" | "text" | None
    inner: Period | None = field(default=None, compare=False)  # kind "since": the period named after "since"

    @property
    def resolved(self) -> bool:
        return self.start[0] != 0 and self.end[0] != 0


# ------------------------------------------------------------------------------------------------ lexicon
@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """lexicon/periods.yaml, parsed once."""
    text = resources.files("usmca.claims.lexicon").joinpath("periods.yaml").read_text(encoding="utf-8")
    data = patterns.load_yaml(text)  # parsed once per machine: the data are cached like the grammars
    assert isinstance(data, dict)
    return data


def _phrases(words: Iterable[object]) -> str:
    """Words -> one alternation, longest first; a space matches any white space."""
    parts = patterns.longest_first(str(w) for w in words)
    return "(?:" + "|".join(r"\s+".join(re.escape(x) for x in p.split()) for p in parts) + ")"


def _word_list(words: Iterable[object]) -> str:
    """Like _phrases, but a phrase that starts or ends with a letter matches whole words only."""
    alts = []
    for p in patterns.longest_first(str(w) for w in words):
        body = r"\s*".join(re.escape(x) for x in p.split())
        left = r"\b" if re.match(r"\w", p) else ""
        right = r"\b" if re.search(r"\w$", p) else ""
        alts.append(left + body + right)
    return "(?:" + "|".join(alts) + ")"


def _month_number(name: str) -> int:
    return int(lexicon()["months"][name.lower().rstrip(".")])


def _number(word: str) -> int | None:
    """'55', 'five', 'fifty-five', 'a dozen' -> int."""
    w = " ".join(word.lower().replace("-", " ").split())
    if w.isdigit():
        return int(w)
    lex = lexicon()
    if w in lex["numbers"]:
        return int(lex["numbers"][w])
    parts = w.split()
    if len(parts) == 2 and parts[0] in lex["decades"] and parts[1] in lex["numbers"]:
        unit = int(lex["numbers"][parts[1]])
        return int(lex["decades"][parts[0]]) + unit if unit < 10 else None
    if w in lex["decades"]:
        return int(lex["decades"][w])
    return None


def _yy(two: str) -> int:
    """Two-digit year: 00-69 -> 2000s, 70-99 -> 1900s."""
    n = int(two)
    return 2000 + n if n < 70 else 1900 + n


# ------------------------------------------------------------------------------------------------ grammar
Y4 = r"(?:19\d\d|20\d\d|2100)(?!\d)(?![.,]\d)"
YY = r"\d\d(?!\d)"
LB = r"(?<![\w$€£#])(?<!\d[.,])(?<!\d[-–—/])"
DASH = r"\s?[-–—]\s?"


class _LazyRules:
    """The rules compiled one by one, on first use: most texts never need the refused-rule fallback, and
    compiling all of them up front was a third of a cold check."""

    def __init__(self, sources: list[str]) -> None:
        self._sources = sources
        self._compiled: dict[int, re.Pattern[str]] = {}

    def __len__(self) -> int:
        return len(self._sources)

    def __getitem__(self, i: int) -> re.Pattern[str]:
        rx = self._compiled.get(i)
        if rx is None:
            rx = self._compiled[i] = patterns.compile(self._sources[i], re.I)
        return rx


@dataclass
class _Grammar:
    big: re.Pattern[str]
    names: list[str]  # the rules of `big`, in order
    order: dict[str, int]
    local: dict[str, tuple[str, ...]]  # rule -> the names of its own groups
    each: _LazyRules  # each rule alone, to try the next ones where one is refused (compiled when first needed)
    end_named: re.Pattern[str]
    not_before: re.Pattern[str]
    after_units: re.Pattern[str]
    after_nouns: re.Pattern[str]
    preps_before: re.Pattern[str]
    makes_after: re.Pattern[str]
    bare_cue: re.Pattern[str]


def _atoms() -> list[tuple[str, str]]:
    """The single periods (named groups local to each atom), in priority order."""
    lex = lexicon()
    mon = r"(?:" + "|".join(sorted(lex["months"], key=len, reverse=True)) + r")\b\.?"
    full = r"(?:" + "|".join(sorted(lex["full_months"], key=len, reverse=True)) + r")\b"
    ordw = _phrases(lex["ordinals"])
    lastw = _phrases(lex["last_ordinals"])
    halfw = r"(?:first|second|1st|2nd|latter|" + "|".join(lex["last_ordinals"]) + ")"
    fis_pfx = r"(?:fiscal[\s-]+(?:years?[\s-]+)?(?:\(FY\)\s?)?|FY[\s-]?['’]?)"
    yslot = rf"(?P<fis>{fis_pfx})?(?:(?P<y>{Y4})|(?P<yy>{YY}))"
    code_year = (
        rf"(?:[\s-]?(?:of\s+)?(?P<fis>FY[\s-]?|fiscal\s+)?(?P<y>{Y4})"
        rf"|\s?['’](?P<yy>{YY})|[\s-]?(?P<fis2>FY)[\s-]?['’]?(?P<yy2>{YY}))"
    )
    day_suffix = r"(?:st|nd|rd|th)?"
    return [
        ("fy_word", rf"fiscal[\s-]+(?:years?[\s-]+)?(?:\(FY\)\s?)?(?P<y>{Y4})"),
        ("fy_abbr", rf"FY[\s-]?['’]?(?:(?P<y>{Y4})|(?P<yy>{YY}))"),
        ("fy_after", rf"(?P<y>{Y4})\s+fiscal[\s-]+year\b"),
        ("q_word", rf"(?:the\s+)?(?P<q>{ordw}|{lastw})\s+(?P<fq>fiscal\s+)?quarter\s+(?:of\s+)?(?:the\s+)?{yslot}"),
        ("q_code", rf"Q(?P<q>[1-4]){code_year}"),
        ("q_num", rf"(?P<q>[1-4])Q[\s-]?['’]?(?:(?P<y>{Y4})|(?P<yy>{YY}))"),
        ("q_year", rf"(?P<y>{Y4})[\s-]?Q(?P<q>[1-4])(?!\d)"),
        ("h_word", rf"(?:the\s+)?(?P<h>{halfw})\s+half\s+(?:of\s+)?(?:the\s+)?{yslot}"),
        ("h_code", rf"H(?P<h>[12]){code_year}"),
        ("h_num", rf"(?P<h>[12])H[\s-]?['’]?(?:(?P<y>{Y4})|(?P<yy>{YY}))"),
        ("h_year", rf"(?P<y>{Y4})[\s-]?H(?P<h>[12])(?!\d)"),
        (
            "day_mdy",
            rf"(?P<m>{mon})\s?(?P<d>\d{{1,2}}){day_suffix}(?:{DASH}\d{{1,2}}{day_suffix})?"
            rf"(?:,\s?|\s+)(?P<y>{Y4})",
        ),
        ("day_iso", rf"(?P<y>{Y4})-(?P<mn>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
        ("day_us", rf"(?P<mn>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>{Y4})"),
        ("day_dmy", rf"(?P<d>\d{{1,2}}){day_suffix}\s+(?:of\s+)?(?P<m>{mon})(?:,?\s+(?:of\s+)?(?P<y>{Y4}))?"),
        (
            "day_md",
            rf"(?P<m>{mon})\s?(?P<d>\d{{1,2}}){day_suffix}"
            r"(?![\d%]|[.,]\d|\s*(?:percent|per\s+cent|million|billion|trillion|thousand)\b)",
        ),
        ("month_year", rf"(?P<m>{mon})(?:,\s?|\s+)(?:of\s+)?(?:(?P<y>{Y4})|['’](?P<yy>{YY}))"),
        ("year", rf"(?P<y>{Y4})(?![\w])"),
        ("month_bare", rf"(?P<m>{full})"),
        ("month_short", rf"(?P<m>{mon})"),  # "Jan." as a range end only ("Jan.-Apr. 2026")
    ]


def _named(rx: str, prefix: str) -> str:
    return re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{prefix}__{m.group(1)}>", rx)


def _strip(rx: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", rx)


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    lex = lexicon()
    atoms = _atoms()
    end_atoms = [(n, rx) for n, rx in atoms]
    end = "(?:" + "|".join(_strip(rx) for _, rx in end_atoms) + ")"
    end_b = "(?:" + end[3:-1] + "|" + YY + ")"
    fy_end = "(?:" + "|".join(_strip(rx) for n, rx in atoms if n in ("fy_word", "fy_abbr")) + ")"
    numw = (
        r"(?:"
        + _phrases(lex["decades"])
        + r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b)?|"
        + _phrases(lex["numbers"])
        + r")\b"
    )
    num = rf"(?:\d{{1,3}}\b|{numw})"
    hedge = _phrases(lex["span_hedges"])
    unit = _phrases(lex["span_units"])
    extremes = _phrases(lex["span_extremes"])
    span_phr = _phrases(lex["span_phrases"])
    gap = r"(?:[^;:!?.\n]|\.(?=\d)){1,60}?"
    to = r"(?:to|through|thru|until|till|into)"
    rules: list[tuple[str, str]] = [
        ("copyright", rf"(?:\(c\)|©|\bcopyright\b)\s?(?:©\s?|\(c\)\s?)?(?P<y>{Y4})(?:{DASH}(?P<y2>{Y4}))?"),
        ("ytd_after", rf"(?P<x>{fy_end}|{Y4})\s+(?:so\s+far|thus\s+far|to\s+date|year[\s-]to[\s-]date|YTD)\b"),
        (
            "ytd_before",
            r"(?:(?:so|thus)\s+far\s+(?:in|this)|year[\s-]to[\s-]date(?:\s+in)?|YTD(?:\s+in)?)"
            rf"\s+(?P<x>{fy_end}|{Y4})",
        ),
        ("amounts", rf"\bfrom\s+{gap}\s+(?:in|during)\s+(?P<a>{end})\s?,?\s+to\s+{gap}\s+(?:in|during)\s+(?P<b>{end})"),
        (
            "n_months",
            rf"(?:the\s+)?(?P<n>{num})\s+months\s+"
            r"(?:through|thru|to|ending(?:\s+in)?|ended(?:\s+in)?|that\s+ended(?:\s+in)?|up\s+to)"
            rf"\s+(?P<x>{end})",
        ),
        ("between", rf"\bbetween\s+(?P<a>{end})\s+and\s+(?P<b>{end_b})"),
        ("from_to", rf"\bfrom\s+(?P<a>{end})\s+{to}\s+(?P<b>{end_b})"),
        ("dash", rf"(?P<a>{end})(?:{DASH}|\s+(?:to|through|thru)\s+)(?P<b>{end_b})"),
        (
            "since",
            r"\b(?:ever\s+)?since\s+(?:at\s+least\s+)?"
            r"(?P<event>(?:[\w.'’-]+\s+){1,6}?(?:began|started|was\s+launched|launched|took\s+effect|came\s+into"
            r"\s+force|entered\s+into\s+force|was\s+signed|was\s+imposed|were\s+imposed)\s+(?:in|on)\s+)?"
            r"(?:(?P<edge>(?:the\s+)?(?:start|beginning|end|middle|close)\s+of)\s+(?:the\s+)?"
            r"|(?P<part>early|mid|late)[\s-]+|(?P<mid>mid)-?)?(?:the\s+year\s+)?"
            rf"(?:(?P<x>{end})"
            r"|(?P<rel>last\s+year|this\s+year|the\s+(?:current\s+)?year|last\s+month|this\s+month))",
        ),
        (
            "fy_list",
            rf"(?:fiscal[\s-]+(?:years?[\s-]+)?|FY[\s-]?)(?P<y1>{Y4})"
            rf"(?P<rest>(?:\s?,\s?(?:FY[\s-]?)?{Y4}){{0,5}}\s?,?\s+(?:and|or|&)\s+"
            rf"(?:FY[\s-]?|fiscal\s+(?:years?\s+)?)?{Y4})",
        ),
        (
            "month_list",
            rf"(?P<m1>{lex_mon()}\.?)\s+(?:and|or|&)\s+(?P<m2>{lex_mon()}\.?)"
            rf"(?:,\s?|\s+)(?:of\s+)?(?P<y>{Y4})",
        ),
        (
            "first_n",
            rf"(?:the\s+)?(?P<which>first|last|final)\s+(?P<n>{num})\s+months\s+(?:of\s+)?(?:the\s+)?"
            rf"(?P<fis>fiscal[\s-]+(?:year\s+)?|FY[\s-]?)?(?:(?P<y>{Y4})|(?P<yy>{YY}))",
        ),
        *[(f"s_{n}", rx) for n, rx in atoms if n != "month_short"],
        (
            "rel_same",
            r"(?:the\s+)?same\s+(?:period|month|months|quarter|time|week)\s+(?:of\s+|in\s+)?"
            r"(?:a\s+year\s+(?:earlier|before|ago|prior)|the\s+(?:previous|prior|preceding)\s+year"
            r"|last\s+year|the\s+year\s+before)\b",
        ),
        ("rel_prev_fy", r"(?:the\s+)?(?:previous|prior|preceding)\s+fiscal[\s-]+year\b"),
        ("rel_year_ago", r"\b(?:a|one)\s+year\s+(?:earlier|before|ago|prior)\b|\bthe\s+year\s+(?:before|earlier)\b"),
        ("rel_prev_year", r"\bthe\s+(?:previous|prior|preceding)\s+year\b"),
        (
            "rel_month_ago",
            r"\b(?:a|one)\s+month\s+(?:earlier|before|ago|prior)\b"
            r"|\bthe\s+(?:previous|prior|preceding)\s+month\b|\bthe\s+month\s+before\b",
        ),
        (
            "rel_prev_quarter",
            r"\b(?:a|one)\s+quarter\s+(?:earlier|before|ago)\b"
            r"|\bthe\s+(?:previous|prior|preceding)\s+quarter\b",
        ),
        (
            "rel_fytd",
            r"\b(?:(?:so|thus)\s+far|to\s+date)\s+(?:in\s+)?(?:this|the\s+current)\s+fiscal\s+year\b"
            r"|\b(?:this|the\s+current)\s+fiscal\s+year(?:\s+(?:so\s+far|to\s+date))?\b"
            r"|\bfiscal[\s-]+year[\s-]+to[\s-]+date\b|\bfiscal\s+YTD\b|\bFYTD\b",
        ),
        ("rel_last_fy", r"\b(?:last|the\s+last|the\s+most\s+recent)\s+fiscal[\s-]+year\b"),
        (
            "rel_ytd",
            r"\b(?:so|thus)\s+far\s+(?:this|in\s+the\s+current)\s+year\b"
            r"|\bthis\s+year\s+(?:so\s+far|to\s+date)\b|\b(?:the\s+)?year[\s-]+to[\s-]+date\b|\bYTD\b",
        ),
        ("rel_past_year", r"\bthe\s+(?:past|last|previous)\s+(?:year|12\s+months|twelve\s+months)\b"),
        ("rel_this_year", r"\bthis\s+year\b|\bthe\s+current\s+year\b"),
        ("rel_last_year", r"\blast\s+year\b"),
        ("rel_next_year", r"\bnext\s+year\b"),
        ("rel_last_month", r"\blast\s+month\b|\bthe\s+past\s+month\b"),
        ("rel_this_month", r"\bthis\s+month\b"),
        ("rel_last_quarter", r"\blast\s+quarter\b"),
        ("span_in", rf"\bin\s+(?:(?P<h>{hedge})\s+)?(?:(?P<p>{span_phr})|(?P<n>{num})\s+(?P<u>{unit})\b)"),
        ("span_adj", rf"(?:\b(?:a|an|the)\s+)?(?P<n>{num})[\s-]+(?P<u>year|decade|century)[\s-]+(?P<x>{extremes})\b"),
        (
            "span_past",
            rf"\bthe\s+(?:past|last|previous|preceding)\s+(?:(?P<h>{hedge})\s+)?"
            rf"(?:(?P<n>{num})\s+)?(?P<u>{unit})\b",
        ),
        (
            "record",
            r"\bon\s+record\b|\bin\s+(?:recorded\s+|modern\s+)?history\b|\ball[\s-]time\b"
            r"|\bsince\s+records\s+began\b|\bsince\s+record[\s-]keeping\s+began\b"
            r"|\brecord[\s-](?:highs?|lows?|levels?)\b"
            r"|\bever\b(?![\s-]+(?:since|more|growing|increasing|larger|greater|closer|bigger|faster|so"
            r"|present|changing|higher|lower|deeper|wider|tighter|stronger|weaker|rising|falling)\b)",
        ),
    ]
    big = LB + r"(?=[\w(©])(?:" + "|".join(f"(?P<{n}>{_named(rx, n)})" for n, rx in rules) + ")"
    end_named = (
        "(?:"
        + "|".join(f"(?P<e_{n}>{_named(rx, 'e_' + n)})" for n, rx in end_atoms)
        + f"|(?P<e_yy>(?P<e_yy__yy>{YY})))"
    )
    not_before = _word_list(lex["not_year_before"]) + r"\s*$|(?<![.\w])S\.\s*$"
    units = r"^\s*(?:%|" + _word_list(w for w in lex["units_after_year"] if w != "%") + ")"
    nouns = r"^\s+" + _word_list(lex["count_nouns_after_year"])
    preps = r"\b" + _word_list(lex["year_prepositions"]) + r"[\s-]+$"
    makes = r"^\s+(?:" + "|".join(re.escape(w) for w in lex["vehicle_makes"]) + r")\b|^\s+model\s+year\b"
    cue = (
        r"\b(?:in|since|until|till|through|thru|from|to|by|during|of|last|this|next|early|late|mid|between|and|or"
        r"|before|after|on|as\s+of)[\s-]+$"
    )
    return _Grammar(
        big=patterns.compile(big, re.I),
        names=[n for n, _ in rules],
        order={n: i for i, (n, _) in enumerate(rules)},
        local={
            **{n: tuple(re.findall(r"\(\?P<(\w+)>", rx)) for n, rx in rules},
            **{"e_" + n: tuple(re.findall(r"\(\?P<(\w+)>", rx)) for n, rx in end_atoms},
            "e_yy": ("yy",),
        },
        each=_LazyRules([LB + f"(?P<{n}>{_named(rx, n)})" for n, rx in rules]),
        end_named=patterns.compile(end_named, re.I),
        not_before=patterns.compile(not_before, re.I),
        after_units=patterns.compile(units, re.I),
        after_nouns=patterns.compile(nouns, re.I),
        preps_before=patterns.compile(preps, re.I),
        makes_after=patterns.compile(makes),
        bare_cue=patterns.compile(cue, re.I),
    )


def lex_mon() -> str:
    return r"(?:" + "|".join(sorted(lexicon()["months"], key=len, reverse=True)) + r")\b"


ROLE_BASE = patterns.compile(
    r"\b(?P<cue>up\s+from|down\s+from|from|than|compared\s+(?:with|to)|versus|vs\.?|relative\s+to|against)\s+"
    r"(?:(?:the\s+)?(?:same\s+)?(?:period|month|quarter|levels?|figures?|total|pace)\s+(?:of|in)\s+)?"
    r"(?:(?:in|during|for|of)\s+)?(?:the\s+)?$",
    re.I,
)
ROLE_BASE_AMOUNT = patterns.compile(
    r"\b(?P<cue>from|than|after|compared\s+(?:with|to)|versus|vs\.?)\s+"
    r"(?:(?:about|nearly|roughly|around|some|just|only|almost|over|more\s+than|less\s+than)\s+)?"
    r"(?:US|C|MX)?[$€£]?\s?\d[\d,.]*(?:\s?%|\s+[A-Za-z][\w-]*){0,3}\s+(?:in|during|for)\s+$",
    re.I,
)
FUTURE_BEFORE = patterns.compile(
    r"\b(?:will|would|shall|(?:is|are)\s+(?:expected|projected|forecast|set|likely)\s+to|expected\s+to|projected\s+to"
    r"|forecasts?|projections?|aims?\s+to|plans?\s+to|targets?)\b",
    re.I,
)
OVER_BEFORE = patterns.compile(r"\b(over|on)\s+$", re.I)
ROLE_UNTIL = patterns.compile(r"\b(?P<cue>through|thru|until|till|by|before|up\s+to)\s+(?:the\s+end\s+of\s+)?$", re.I)


def _role(text: str, start: int) -> tuple[str, str | None]:
    """The role the words just before `start` give a period, and the cue word."""
    lo = max(0, start - 70)
    window = text[lo:start]
    cut = window.rfind(";")
    if cut >= 0:
        window = window[cut + 1 :]
    for rx, role in ((ROLE_BASE, "base"), (ROLE_BASE_AMOUNT, "base"), (ROLE_UNTIL, "until")):
        m = rx.search(window)
        if m:
            return role, " ".join(m.group("cue").lower().split())
    sentence = re.split(r"[.!?]\s", window)[-1]
    if FUTURE_BEFORE.search(sentence):
        return "point", "future"  # "will reach $500 billion in 2030": a projection, no evidence of the date
    return "point", None


# ------------------------------------------------------------------------------------------------ months
def _add(m: Month, k: int) -> Month:
    return from_index(month_index(m) + k)


def _ok_year(y: int) -> bool:
    return FIRST_YEAR <= y <= LAST_YEAR


def _today_month(today: date) -> Month:
    return today.year, today.month


def resolve_month_without_year(month: int, today: date | None) -> Month | None:
    """The latest `month` not after today's month (today 2025-07-01: June -> 2025-06, today 2025-03-01:
    June -> 2024-06); None without `today`."""
    if today is None or not 1 <= month <= 12:
        return None
    return (today.year, month) if month <= today.month else (today.year - 1, month)


# ------------------------------------------------------------------------------------------------ atoms
@dataclass
class _Info:
    """One parsed single period before its year is known for certain."""

    kind: str
    fiscal: bool = False
    year: int | None = None
    two_digit: int | None = None  # the two digits of a bare "24" (a range's second end)
    month: int = 0
    day: int | None = None
    index: int = 0  # quarter or half number; for "first n months": n
    last: bool = False  # "the last three months of"


def _sub(m: re.Match[str], prefix: str) -> dict[str, str | None]:
    """The groups of one rule (named prefix__group) of a match, by their local names."""
    return {k: m.group(f"{prefix}__{k}") for k in _grammar().local[prefix]}


def _info(name: str, g: dict[str, str | None]) -> _Info | None:
    """A single period's parts from an atom's groups; None when they cannot be a period."""
    lex = lexicon()
    year: int | None = None
    if g.get("y"):
        year = int(str(g["y"]))
    else:
        for k in ("yy", "yy2"):
            if g.get(k):
                year = _yy(str(g[k]))
    fis = any(g.get(k) for k in ("fis", "fis2", "fq"))
    if name == "yy":
        return _Info("yy", two_digit=int(str(g["yy"])))
    if name.startswith("fy_"):
        return _Info("fiscal_year", True, year)
    if name.startswith("q_") or name.startswith("h_"):
        raw = str(g.get("q") or g.get("h")).lower()
        top = 4 if name.startswith("q_") else 2
        if raw.isdigit():
            idx = int(raw)
        elif raw in lex["ordinals"]:
            idx = int(lex["ordinals"][raw])
        elif raw in lex["last_ordinals"] or raw == "latter":
            idx = top
        else:
            return None
        if not 1 <= idx <= top:
            return None
        if name in ("q_word", "h_word") and g.get("yy") and not g.get("fis"):
            return None  # "the first quarter of 25" is not written
        return _Info("quarter" if top == 4 else "half", fis, year, index=idx)
    if name == "first_n":
        n = _number(str(g["n"]))
        if n is None or not 1 <= n <= 12 or (g.get("yy") and not g.get("fis")):
            return None
        return _Info("first_n", fis, year, index=n, last=str(g["which"]).lower() != "first")
    if name.startswith("day_"):
        mo = int(str(g["mn"])) if g.get("mn") else _month_number(str(g["m"]))
        d = int(str(g["d"]))
        if not 1 <= d <= (calendar.monthrange(year, mo)[1] if year else (29 if mo == 2 else 31)):
            return None
        return _Info("day", False, year, month=mo, day=d)
    if name == "month_year":
        return _Info("month", False, year, month=_month_number(str(g["m"])))
    if name in ("month_bare", "month_short"):
        return _Info("month", False, None, month=_month_number(str(g["m"])))
    if name == "year":
        return _Info("year", False, year)
    return None


def _bounds(info: _Info, year: int) -> tuple[str, Month, Month]:
    """(kind, start, end) of an info in a given year."""
    first = (year - 1, 10) if info.fiscal else (year, 1)
    if info.kind == "year":
        return "year", (year, 1), (year, 12)
    if info.kind == "fiscal_year":
        return "fiscal_year", (year - 1, 10), (year, 9)
    if info.kind in ("month", "day"):
        return info.kind, (year, info.month), (year, info.month)
    if info.kind in ("quarter", "half"):
        size = 3 if info.kind == "quarter" else 6
        s = _add(first, size * (info.index - 1))
        return info.kind, s, _add(s, size - 1)
    if info.kind == "first_n":
        n = info.index
        s = _add(first, 12 - n) if info.last else first
        e = _add(s, n - 1)
        aligned = (month_index(s) - month_index(first)) % n == 0
        whole = {3: "quarter", 6: "half", 12: "fiscal_year" if info.fiscal else "year"}
        kind = whole.get(n, "range") if aligned else "range"
        return kind, s, e
    raise ValueError(info.kind)


def _make(info: _Info, year: int, span: tuple[int, int], text: str, **kw: Any) -> Period:
    kind, s, e = _bounds(info, year)
    ends = None
    if kind == "range":
        ends = (Period("month", s, s, span, text), Period("month", e, e, span, text))
    return Period(kind, s, e, span, text, fiscal=info.fiscal, ends=ends, day=info.day, **kw)


def _unresolved(info: _Info, span: tuple[int, int], text: str, **kw: Any) -> Period:
    kind = info.kind if info.kind in ("month", "day") else "month"
    m: Month = (0, info.month)
    return Period(kind, m, m, span, text, day=info.day, relative="month without year", **kw)


def _single(info: _Info, span: tuple[int, int], text: str, today: date | None, **kw: Any) -> Period | None:
    """A single period, its missing year resolved from `today` (or left 0)."""
    if info.year is not None:
        if not _ok_year(info.year) or (info.kind in ("fiscal_year",) and not _ok_year(info.year - 1)):
            return None
        return _make(info, info.year, span, text, **kw)
    if info.kind not in ("month", "day"):
        return None
    r = resolve_month_without_year(info.month, today)
    if r is None:
        return _unresolved(info, span, text, **kw)
    return _make(info, r[0], span, text, relative="month without year", anchor="today", **kw)


# ------------------------------------------------------------------------------------------------ reader
@lru_cache(maxsize=512)
def _matches_in(text: str) -> dict[int, re.Match[str] | None]:
    """The grammar's matches in a recently read text, by start position (filled as the text is read).

    A match depends only on the text and the position (never on `today`), and a check reads each
    sentence twice: once for the date the text was written, once for its claims. Keeping the last
    texts' matches halves the work of the biggest pattern.
    """
    return {}


class _Reader:
    def __init__(self, text: str, today: date | None) -> None:
        self.text = text
        self.today = today
        self.g = _grammar()
        self._found = _matches_in(text)

    def _search(self, pos: int) -> re.Match[str] | None:
        if pos in self._found:
            return self._found[pos]
        m = self._found[pos] = self.g.big.search(self.text, pos)
        return m

    # -- checks ---------------------------------------------------------------------------------
    def _capitalised(self, a: int) -> bool:
        return self.text[a : a + 1].isupper()

    def _end_atom(self, a: int, b: int) -> tuple[str, _Info] | None:
        m = self.g.end_named.fullmatch(self.text, a, b)
        if m is None or m.lastgroup is None:
            return None
        name = m.lastgroup[2:]
        info = _info(name, _sub(m, m.lastgroup))
        if info is None:
            return None
        if info.year is None and info.kind in ("month", "day") and not self._capitalised(a):
            return None  # "may", "march" as words
        return name, info

    def _year_checks(self, a: int, b: int) -> bool:
        """A match that starts or ends with a four-digit number: is that number a year here?"""
        t = self.text
        if t[a : a + 1].isdigit() and self.g.not_before.search(t[max(0, a - 25) : a]):
            return False
        if t[b - 1 : b].isdigit():
            after = t[b : b + 30]
            if self.g.after_units.match(after) or self.g.makes_after.match(after):
                return False
            if (
                t[a : a + 1].isdigit()
                and self.g.after_nouns.match(after)
                and not self.g.preps_before.search(t[max(0, a - 25) : a])
            ):
                return False  # "2,024 trucks", "2024 encounters" alone; but "July 2025 encounters" is a month
        return True

    # -- ranges ---------------------------------------------------------------------------------
    def _range(self, a_span: tuple[int, int], b_span: tuple[int, int]) -> tuple[Period, Period] | None:
        ea, eb = self._end_atom(*a_span), self._end_atom(*b_span)
        if ea is None or eb is None:
            return None
        ia, ib = ea[1], eb[1]
        if ia.kind == "yy":
            return None
        ta, tb = self.text[a_span[0] : a_span[1]], self.text[b_span[0] : b_span[1]]
        if ib.kind == "yy":
            if ia.year is None or ia.kind not in ("year", "fiscal_year"):
                return None
            y = ia.year // 100 * 100 + (ib.two_digit or 0)
            ib = _Info(ia.kind, ia.fiscal, y + 100 if y <= ia.year else y)
        if ia.fiscal and ib.kind == "year":
            ib = _Info("fiscal_year", True, ib.year)
        if ib.fiscal and ia.kind == "year":
            ia = _Info("fiscal_year", True, ia.year)
        rel: dict[str, Any] = {}
        if ia.year is None and ib.year is None:
            if ia.kind not in ("month", "day") or ib.kind not in ("month", "day"):
                return None
            r = resolve_month_without_year(ib.month, self.today)
            if r is None:
                pa = _unresolved(ia, a_span, ta)
                pb = _unresolved(ib, b_span, tb)
                return pa, pb
            ib = replace(ib, year=r[0])
            rel = {"relative": "month without year", "anchor": "today"}
        if ib.year is None:
            if ib.kind not in ("month", "day") or ia.year is None:
                return None
            pa0 = _make(ia, ia.year, a_span, ta)
            yb = pa0.end[0]
            if _bounds(ib, yb)[1] < pa0.start:
                yb += 1
            ib = replace(ib, year=yb)
        if ia.year is None:
            if ia.kind not in ("month", "day") or ib.year is None:
                return None
            pb0 = _make(ib, ib.year, b_span, tb)
            ya = pb0.start[0]
            if _bounds(ia, ya)[1] > pb0.start:
                ya -= 1
            ia = replace(ia, year=ya)
        assert ia.year is not None and ib.year is not None
        if not (_ok_year(ia.year - 1) and _ok_year(ib.year)):
            return None
        pa = _make(ia, ia.year, a_span, ta, **rel)
        pb = _make(ib, ib.year, b_span, tb, **rel)
        if pa.start > pb.start or (pa.start == pb.start and pa.end >= pb.end) or pa.end > pb.end and pa.kind != "year":
            return None
        if month_index(pb.end) - month_index(pa.start) > 12 * MAX_RANGE_YEARS:
            return None
        return pa, pb

    def _range_period(self, m: re.Match[str], name: str, span: tuple[int, int]) -> Period | None:
        ends = self._range(m.span(f"{name}__a"), m.span(f"{name}__b"))
        if ends is None:
            return None
        pa, pb = ends
        role, cue = self._role_at(span[0])
        return Period(
            "range",
            pa.start,
            pb.end,
            span,
            self.text[span[0] : span[1]],
            fiscal=pa.fiscal and pb.fiscal,
            role=role,
            cue=cue,
            ends=ends,
            relative=pa.relative or pb.relative,
            anchor=pa.anchor or pb.anchor,
        )

    def _role_at(self, start: int) -> tuple[str, str | None]:
        return _role(self.text, start)

    # -- the scan -------------------------------------------------------------------------------
    def read(self) -> list[Period]:
        out: list[Period] = []
        pending: list[tuple[str, tuple[int, int]]] = []
        pos = 0
        n = len(self.text)
        while pos < n:
            m = self._search(pos)
            if m is None:
                break
            name = m.lastgroup or ""
            got = self._handle(name, m, pending)
            if got is None:  # refused: the later rules may still read something at this position
                at = m.start()
                for j in range(self.g.order[name] + 1, len(self.g.names)):
                    mj = self.g.each[j].match(self.text, at)
                    if mj is not None:
                        got = self._handle(self.g.names[j], mj, pending)
                        if got is not None:
                            m = mj
                            break
            if got is None:
                pos = m.start() + 1
                continue
            out.extend(got)
            pos = max(m.end(), m.start() + 1)
        out = self._resolve_pending(out, pending)
        out.sort(key=lambda p: p.span[0])
        return out

    def _handle(self, name: str, m: re.Match[str], pending: list[tuple[str, tuple[int, int]]]) -> list[Period] | None:
        t, today = self.text, self.today
        span = m.span(name)
        words = t[span[0] : span[1]]
        g = _sub(m, name)
        if name == "copyright":
            y1 = int(str(g["y"]))
            y2 = int(str(g["y2"])) if g.get("y2") else y1
            return [Period("copyright", (y1, 1), (max(y1, y2), 12), span, words, role="copyright")]
        if name in ("ytd_after", "ytd_before"):
            x = m.span(f"{name}__x")
            ex = self._end_atom(*x)
            if ex is None or ex[1].kind not in ("year", "fiscal_year") or ex[1].year is None:
                return None
            base = _make(ex[1], ex[1].year, x, t[x[0] : x[1]])
            return [self._ytd(base.start, base.end, base.fiscal, span, words)]
        if name in ("amounts", "between", "from_to", "dash"):
            if name == "dash" and not self._year_checks(*span):
                return None
            p = self._range_period(m, name, span)
            return [p] if p else None
        if name == "n_months":
            k = _number(str(g["n"]))
            x = m.span(f"{name}__x")
            ex = self._end_atom(*x)
            if k is None or not 1 <= k <= 120 or ex is None or ex[1].kind == "yy":
                return None
            inner = _single(ex[1], x, t[x[0] : x[1]], today)
            if inner is None or not inner.resolved:
                return None
            s = _add(inner.end, 1 - k)
            role, cue = self._role_at(span[0])
            first = Period("month", s, s, span, words)
            return [
                Period(
                    "range",
                    s,
                    inner.end,
                    span,
                    words,
                    ends=(first, inner),
                    role=role,
                    cue=cue,
                    relative=inner.relative,
                    anchor=inner.anchor,
                )
            ]
        if name == "since":
            return self._since(m, g, span, words)
        if name == "fy_list":
            out = []
            y1 = int(str(g["y1"]))
            a1 = m.span(f"{name}__y1")
            out.append(_make(_Info("fiscal_year", True, y1), y1, (span[0], a1[1]), t[span[0] : a1[1]]))
            r0 = m.start(f"{name}__rest")
            for ym in re.finditer(rf"(?:FY[\s-]?|fiscal\s+(?:years?\s+)?)?({Y4})", t[r0 : span[1]], re.I):
                y = int(ym.group(1))
                out.append(_make(_Info("fiscal_year", True, y), y, (r0 + ym.start(), r0 + ym.end()), ym.group(0)))
            if not all(_ok_year(p.start[0]) for p in out):
                return None
            role, cue = self._role_at(span[0])
            return [replace(p, role=role, cue=cue) for p in out]
        if name == "month_list":
            y = int(str(g["y"]))
            m1, m2 = _month_number(str(g["m1"])), _month_number(str(g["m2"]))
            a1, a2 = m.span(f"{name}__m1"), (m.start(f"{name}__m2"), span[1])
            if not self._capitalised(a1[0]):
                return None
            role, cue = self._role_at(span[0])
            y1 = y if m1 <= m2 else y - 1
            return [
                Period("month", (y1, m1), (y1, m1), a1, t[a1[0] : a1[1]], role=role, cue=cue),
                Period("month", (y, m2), (y, m2), a2, t[a2[0] : a2[1]], role=role, cue=cue),
            ]
        if name == "first_n" or name.startswith("s_"):
            atom = "first_n" if name == "first_n" else name[2:]
            info = _info(atom, g)
            if info is None or not self._year_checks(*span):
                return None
            if info.year is None:
                if not self._capitalised(span[0]):
                    return None
                if atom == "month_bare" and not self.g.bare_cue.search(t[max(0, span[0] - 20) : span[0]]):
                    return None
            role, cue = self._role_at(span[0])
            p = _single(info, span, words, today, role=role, cue=cue)
            return [p] if p else None
        if name.startswith("rel_"):
            return self._relative(name[4:], span, words, pending)
        if name.startswith("span_"):
            return self._span(name, g, span, words, pending)
        if name == "record":
            return [Period("record", UNRESOLVED, UNRESOLVED, span, words, role="record")]
        return None

    def _ytd(self, s: Month, e: Month, fiscal: bool, span: tuple[int, int], words: str, **kw: Any) -> Period:
        if self.today is not None:
            prev = _add(_today_month(self.today), -1)
            if s <= _today_month(self.today):
                e = min(e, max(s, prev))
        role, cue = self._role_at(span[0])
        return Period("ytd", s, e, span, words, fiscal=fiscal, role=role, cue=cue, **kw)

    def _since(
        self, m: re.Match[str], g: dict[str, str | None], span: tuple[int, int], words: str
    ) -> list[Period] | None:
        t, today = self.text, self.today
        edge = (g.get("edge") or "").lower()
        part = (g.get("part") or g.get("mid") or "").lower()
        if g.get("x"):
            x = m.span("since__x")
            ex = self._end_atom(*x)
            if ex is None or ex[1].kind == "yy" or not self._year_checks(*x):
                return None
            inner = _single(ex[1], x, t[x[0] : x[1]], today)
            if inner is None:
                return None
        else:
            rel = " ".join(str(g.get("rel")).lower().split())
            if today is None:
                return [Period("since", UNRESOLVED, UNRESOLVED, span, words, role="since", cue="since", relative=rel)]
            y = today.year
            if rel == "last year":
                inner = Period("year", (y - 1, 1), (y - 1, 12), span, words)
            elif rel in ("last month", "this month"):
                mm = _add(_today_month(today), -1 if rel == "last month" else 0)
                inner = Period("month", mm, mm, span, words)
            else:
                inner = Period("ytd", (y, 1), _today_month(today), span, words)
            inner = replace(inner, relative=rel, anchor="today")
        a = inner.start
        if not inner.resolved:
            a = inner.start
        elif edge.startswith(("the end", "end", "the close", "close")):
            a = inner.end
        elif (part == "mid" or "middle" in edge) and inner.kind in ("year", "fiscal_year"):
            a = _add(inner.start, 5)
        elif part == "late" and inner.kind in ("year", "fiscal_year"):
            a = _add(inner.start, 8)
        return [
            Period(
                "since",
                a,
                a,
                span,
                words,
                fiscal=inner.fiscal,
                role="since",
                cue="since",
                relative=inner.relative,
                anchor=inner.anchor,
                day=inner.day,
                inner=inner,
            )
        ]

    def _relative(
        self, key: str, span: tuple[int, int], words: str, pending: list[tuple[str, tuple[int, int]]]
    ) -> list[Period]:
        if key in ("same", "prev_fy", "year_ago", "prev_year", "month_ago", "prev_quarter"):
            pending.append((key, span))
            return []  # resolved once every explicit period of the text is known
        role, cue = self._role_at(span[0])
        label = {
            "fytd": "fiscal year to date",
            "last_fy": "last fiscal year",
            "ytd": "year to date",
            "past_year": "the past year",
            "this_year": "this year",
            "last_year": "last year",
            "next_year": "next year",
            "last_month": "last month",
            "this_month": "this month",
            "last_quarter": "last quarter",
        }[key]
        kw: dict[str, Any] = {"role": role, "cue": cue, "relative": label}
        today = self.today
        if today is None:
            kind = {
                "fytd": "ytd",
                "last_fy": "fiscal_year",
                "ytd": "ytd",
                "past_year": "span_years",
                "this_year": "ytd",
                "last_year": "year",
                "next_year": "year",
                "last_month": "month",
                "this_month": "month",
                "last_quarter": "quarter",
            }[key]
            return [
                Period(
                    kind,
                    UNRESOLVED,
                    UNRESOLVED,
                    span,
                    words,
                    fiscal=key in ("fytd", "last_fy"),
                    years=1 if key == "past_year" else None,
                    **kw,
                )
            ]
        kw["anchor"] = "today"
        now = _today_month(today)
        y = today.year
        fy = fiscal_year_of(now)
        if key in ("ytd", "this_year"):
            return [self._ytd((y, 1), (y, 12), False, span, words, relative=label, anchor="today")]
        if key == "fytd":
            return [self._ytd((fy - 1, 10), (fy, 9), True, span, words, relative=label, anchor="today")]
        if key == "last_fy":
            return [Period("fiscal_year", (fy - 2, 10), (fy - 1, 9), span, words, fiscal=True, **kw)]
        if key in ("last_year", "next_year"):
            yy = y - 1 if key == "last_year" else y + 1
            return [Period("year", (yy, 1), (yy, 12), span, words, **kw)]
        if key == "past_year":
            e = _add(now, -1)
            return [Period("span_years", _add(e, -11), e, span, words, years=1, **kw)]
        if key in ("last_month", "this_month"):
            mm = _add(now, -1 if key == "last_month" else 0)
            return [Period("month", mm, mm, span, words, **kw)]
        q0 = (y, (today.month - 1) // 3 * 3 + 1)
        s = _add(q0, -3)
        return [Period("quarter", s, _add(s, 2), span, words, **kw)]

    def _span(
        self,
        name: str,
        g: dict[str, str | None],
        span: tuple[int, int],
        words: str,
        pending: list[tuple[str, tuple[int, int]]],
    ) -> list[Period] | None:
        lex = lexicon()
        if g.get("p"):
            years = int(lex["span_phrases"][" ".join(str(g["p"]).lower().split())])
        else:
            k = _number(str(g["n"])) if g.get("n") else 1
            u = str(g["u"]).lower()
            if k is None or k < 1:
                return None
            years = k * int(lex["span_units"][u])
        if years > 500:
            return None
        hedge = " ".join(str(g["h"]).lower().split()) if g.get("h") else None
        pending.append((f"span:{years}:{hedge or ''}", span))
        return []

    # -- relative periods -----------------------------------------------------------------------
    @staticmethod
    def _anchors(periods: list[Period]) -> list[Period]:
        """The explicit periods a relative one may be counted from, in order of position."""
        return [
            p
            for p in periods
            if p.kind in ("year", "month", "day", "fiscal_year", "quarter", "half", "ytd", "range")
            and p.role in ("point", "until")
            and p.relative is None
            and p.resolved
        ]

    @staticmethod
    def _anchor_for(anchors: list[Period], starts: list[int], at: int) -> Period | None:
        """The nearest anchor before `at`, else the nearest after it."""
        i = bisect.bisect_left(starts, at)
        if i > 0 and anchors[i - 1].span[1] <= at:
            return anchors[i - 1]
        return anchors[i] if i < len(anchors) else None

    def _resolve_pending(self, out: list[Period], pending: list[tuple[str, tuple[int, int]]]) -> list[Period]:
        out.sort(key=lambda p: p.span[0])
        anchors = self._anchors(out)
        starts = [p.span[0] for p in anchors]
        today = self.today
        now = _today_month(today) if today else None
        for key, span in pending:
            words = self.text[span[0] : span[1]]
            anchor = self._anchor_for(anchors, starts, span[0])
            if key.startswith("span:"):
                _, ys, h = key.split(":")
                years = int(ys)
                kw: dict[str, Any] = {"role": "point", "years": years, "hedge": h or None}
                if anchor is not None:
                    e = anchor.end
                    out.append(Period("span_years", _add(e, 1 - 12 * years), e, span, words, anchor="text", **kw))
                elif now is not None:
                    e = _add(now, -1)
                    out.append(Period("span_years", _add(e, 1 - 12 * years), e, span, words, anchor="today", **kw))
                else:
                    out.append(Period("span_years", UNRESOLVED, UNRESOLVED, span, words, **kw))
                continue
            role, cue = self._role_at(span[0])
            over = OVER_BEFORE.search(self.text[max(0, span[0] - 12) : span[0]])
            if role == "point" and over:  # "up 3% over the previous year", "down 2% on a year earlier"
                role, cue = "base", over.group(1).lower()
            label = {
                "same": "a year earlier",
                "year_ago": "a year earlier",
                "prev_year": "the previous year",
                "prev_fy": "the previous fiscal year",
                "month_ago": "a month earlier",
                "prev_quarter": "the previous quarter",
            }[key]
            shift = {"month_ago": -1, "prev_quarter": -3}.get(key, -12)
            kw = {"role": role, "cue": cue, "relative": label}
            if anchor is not None and key == "prev_fy" and not anchor.fiscal:
                fy = fiscal_year_of(anchor.end) - 1
                out.append(Period("fiscal_year", (fy - 1, 10), (fy, 9), span, words, fiscal=True, anchor="text", **kw))
            elif anchor is not None and not (key == "prev_quarter" and anchor.kind not in ("quarter", "month", "day")):
                out.append(_shifted(anchor, shift, span, words, **kw))
            elif now is not None:
                if key == "prev_fy":
                    fy = fiscal_year_of(now) - 1
                    out.append(
                        Period("fiscal_year", (fy - 1, 10), (fy, 9), span, words, fiscal=True, anchor="today", **kw)
                    )
                elif key == "month_ago":
                    mm = _add(now, -1)
                    out.append(Period("month", mm, mm, span, words, anchor="today", **kw))
                elif key == "prev_quarter":
                    s = _add((now[0], (now[1] - 1) // 3 * 3 + 1), -3)
                    out.append(Period("quarter", s, _add(s, 2), span, words, anchor="today", **kw))
                else:
                    y = now[0] - 1
                    out.append(Period("year", (y, 1), (y, 12), span, words, anchor="today", **kw))
            else:
                kind = {"prev_fy": "fiscal_year", "month_ago": "month", "prev_quarter": "quarter"}.get(key, "year")
                out.append(Period(kind, UNRESOLVED, UNRESOLVED, span, words, fiscal=key == "prev_fy", **kw))
        return out


def _shifted(p: Period, months: int, span: tuple[int, int], words: str, **kw: Any) -> Period:
    ends = None
    if p.ends is not None:
        ends = (
            replace(p.ends[0], start=_add(p.ends[0].start, months), end=_add(p.ends[0].end, months)),
            replace(p.ends[1], start=_add(p.ends[1].start, months), end=_add(p.ends[1].end, months)),
        )
    return Period(
        p.kind,
        _add(p.start, months),
        _add(p.end, months),
        span,
        words,
        fiscal=p.fiscal,
        ends=ends,
        day=p.day,
        anchor="text",
        **kw,
    )


def find_periods(text: str, *, today: date | None = None) -> list[Period]:
    """Every period named in `text` (a sentence or clause), in order of position, none overlapping.

    `today` resolves the periods that need it ("last year", "in June", "year to date"); without it
    they keep `relative` set and start = end = (0, 0) ((0, month) for a month without a year), which
    callers skip. Copyright years come back as kind "copyright" (role "copyright") for callers to drop.
    """
    if not text:
        return []
    return _Reader(text, today).read()


# ------------------------------------------------------------------------------------------------ uses
def latest_period_end(periods: Iterable[Period]) -> Month | None:
    """The latest month the text shows to be over: the text was written after it.

    A point period counts with its end; a start ("since February 2025"), a year to date ("FY2023 to
    date") or a day ("February 5, 2025") shows only that it had begun, so it counts with the month
    before its start. Bases ("up from 2022"), records, spans of years, copyright footers, unresolved and
    relative periods (resolved from `today` or from another period: no news) are ignored, and so are
    ends other than "through" ("until March", "by 2030" may be targets) and periods after a word of the
    future ("will reach $500 billion in 2030": cue "future").
    """
    best: Month | None = None
    for p in periods:
        if p.kind in ("record", "span_years", "copyright") or p.role in ("base", "record", "copyright"):
            continue
        if p.relative is not None or not p.resolved:
            continue
        if p.role == "until" and p.cue not in ("through", "thru"):
            continue
        if p.cue == "future":
            continue
        m = _add(p.start, -1) if p.kind in ("since", "ytd", "day") or p.role == "since" else p.end
        if best is None or m > best:
            best = m
    return best


def describe(p: Period) -> str:
    """A short label: 'FY2022', 'June 2025', '2022 to 2023', 'Q1 2025', 'since 2010', 'more than 10 years'."""
    if p.kind == "range" and p.ends is not None:
        a, b = p.ends
        return f"{describe(a)} to {describe(b)}"
    if p.kind == "since":
        return "since " + (describe(p.inner) if p.inner is not None else _month_text(p.start))
    if p.kind == "record":
        return "on record"
    if p.kind == "copyright":
        return f"© {p.start[0]}"
    if p.kind == "span_years":
        n = p.years or 0
        return f"{p.hedge + ' ' if p.hedge else ''}{n} year{'s' if n != 1 else ''}"
    if not p.resolved:
        if p.start[1]:
            return f"{MONTH_NAMES[p.start[1] - 1]} (year unknown)"
        return p.relative or p.text
    y, mo = p.start
    fy = fiscal_year_of(p.end)
    if p.kind == "year":
        return str(y)
    if p.kind == "fiscal_year":
        return f"FY{p.end[0]}"
    if p.kind == "month":
        return _month_text(p.start)
    if p.kind == "day":
        return f"{MONTH_NAMES[mo - 1]} {p.day}, {y}"
    if p.kind in ("quarter", "half"):
        size = 3 if p.kind == "quarter" else 6
        first = (fy - 1, 10) if p.fiscal else (y, 1)
        n = (month_index(p.start) - month_index(first)) // size + 1
        tag = "Q" if p.kind == "quarter" else "H"
        return f"{tag}{n} FY{fy}" if p.fiscal else f"{tag}{n} {y}"
    if p.kind == "ytd":
        return f"FY{fy} to date" if p.fiscal else f"{y} to date"
    return f"{_month_text(p.start)} to {_month_text(p.end)}"


def _month_text(m: Month) -> str:
    if m[0] == 0:
        return f"{MONTH_NAMES[m[1] - 1]} (year unknown)" if m[1] else "(unresolved)"
    return f"{MONTH_NAMES[m[1] - 1]} {m[0]}"


__all__ = ["Month", "Period", "describe", "find_periods", "latest_period_end", "lexicon", "resolve_month_without_year"]
