"""U.S. content of U.S. exports: BEA Trade in Value Added (via NSF NCSES), 2007-2021, preliminary.

"About 11% of the value of U.S. exports was imported content in 2021" is the imported value added
as a share of U.S. gross exports; "domestic value added made up 89% of U.S. exports" its domestic
share; "$241 billion of imported value added" the amount. An industry named in the words (aerospace,
pharmaceuticals, semiconductors, software ...) selects that exporting industry, else all industries.
For 2007-2014 the WIOD import content of U.S. exports is offered as another reading. Sentences about
another country's exports or about U.S. content in imports (partner detail, which BEA TiVA does not
have) are left to the WIOD frames.
"""

from __future__ import annotations

import re

from usmca import patterns
from usmca.claims.discourse import Discourse
from usmca.claims.frames import Builder, Example, around, frame
from usmca.claims.model import Reading
from usmca.claims.numbers import Quantity
from usmca.claims.tokens import SentenceView

IMPORTED = patterns.compile(
    r"\b(?:import(?:ed)?|foreign)\s+(?:content|value[- ]added|inputs?|share|components|parts)\b", re.I
)
DOMESTIC = patterns.compile(r"\b(?:domestic|u\.s\.|american|home[- ]grown)\s+(?:content|value[- ]added)\b", re.I)
EXPORTS = patterns.compile(r"\bexports?\b", re.I)
INDUSTRIES = {
    r"aerospace|aircraft": "3364",
    r"pharmaceutical\w*|medicines?|drugmakers?": "3254",
    r"semiconductors?|chips?|electronic components": "3344",
    r"software": "5112",
    r"computers?(?: and electronic)?": "334, excluding semiconductors",
    r"motor vehicles?|autos?|transportation equipment": "336, excluding aerospace",
    r"information services|it services": "5415, 518, and 519",
    r"scientific r&d|research and development": "5417",
}
WIOD_YEARS = range(2000, 2015)


def _industry(text: str) -> str:
    for rx, code in INDUSTRIES.items():
        if re.search(rf"\b(?:{rx})\b", text, re.I):
            return code
    return "all"


@frame(
    "tiva",
    "value added",
    ("value_added", "trade"),
    priority=24,
    examples=(
        Example(
            "About 11% of the value of U.S. exports was imported content in 2021.",
            "import_content_share",
            {"year": 2021, "industry": "all"},
            "about",
            11,
        ),
        Example(
            "Domestic value added made up roughly 89% of U.S. exports in 2021.",
            "domestic_content_share",
            {"year": 2021, "industry": "all"},
            "about",
            89,
        ),
        Example(
            "In 2007, imported content was about 14.7% of U.S. gross exports.",
            "import_content_share",
            {"year": 2007, "industry": "all"},
            "about",
            14.7,
        ),
        Example(
            "U.S. gross exports carried about $241 billion of imported value added in 2011.",
            "export_value_added",
            {"year": 2011, "measure": "imported_va", "industry": "all"},
            "about",
            241e9,
        ),
    ),
)
def read_tiva(view: SentenceView, d: Discourse, b: Builder) -> None:
    """Imported and domestic value added in U.S. gross exports, as shares and amounts (BEA TiVA via NCSES)."""
    s = view.text
    if not EXPORTS.search(s) or view.partners():
        return
    imp, dom = IMPORTED.search(s), DOMESTIC.search(s)
    if not (imp or dom):
        return
    for q in [x for x in view.quantities if b.free(x) and x.unit in ("percent", "fraction", "USD")]:
        clause = view.clause_of(q.start)
        which = _which(s, q, imp, dom)
        r = d.period_for(view, q, clause, "value_added", kinds=("year",))
        if r.period is None or not r.period.start[0]:
            b.skip(q, "a value-added share of U.S. exports whose year the sentence does not give")
            continue
        year = r.period.start[0]
        industry = _industry(s[clause.start : clause.end])
        span = around(view, q.start, q.end)
        if q.unit == "USD":
            b.add(
                "export_value_added",
                {"year": year, "measure": which, "industry": industry},
                q.comparator,
                q.value,
                "USD",
                q,
                span,
                "value added",
            )
            continue
        value = q.value * 100 if q.unit == "fraction" else q.value
        metric = "import_content_share" if which == "imported_va" else "domestic_content_share"
        readings = []
        if which == "imported_va" and industry == "all" and year in WIOD_YEARS:
            readings.append(
                Reading(
                    name="WIOD import content",
                    metric="import_content_of_exports",
                    description="imported inputs embodied in U.S. exports, WIOD national tables",
                    params={"country": "USA", "year": year},
                )
            )
        b.add(
            metric,
            {"year": year, "industry": industry},
            q.comparator,
            value,
            "percent",
            q,
            span,
            "value added",
            readings,
        )


def _which(s: str, q: Quantity, imp: re.Match[str] | None, dom: re.Match[str] | None) -> str:
    """imported_va or domestic_va: the phrase nearest to the figure when the sentence has both."""
    if imp and dom:
        return "imported_va" if abs(imp.start() - q.start) <= abs(dom.start() - q.start) else "domestic_va"
    return "imported_va" if imp else "domestic_va"
