"""Value added in trade (WIOD): whose parts are in whose exports, and how much more.

"A's parts count N times more than B's in X's exports" is a ratio of value added from A and B in
X's gross exports, with four other readings of "parts"; "goods made in A are full of B's parts" names
no figure and is shown with ours, unjudged.
"""

from __future__ import annotations

import re

from usmca import patterns
from usmca.claims.discourse import Discourse
from usmca.claims.frames import Builder, Example, around, frame, mask, uniq
from usmca.claims.model import Reading
from usmca.claims.tokens import SentenceView

IO_READINGS = {
    "import_content_usd": "intermediates imported from each source and embodied in the exports",
    "direct_imported_inputs_usd": "imported inputs bought directly by the exporting sectors",
    "intermediate_imports_usd": "all intermediate imports from each source",
    "own_content_in_imports_share": "the exporter's own content in its imports from each source",
}
FULL_OF = patterns.compile(
    r"\b(?:made in|exports? (?:of|from))\s+(?P<maker>[A-Z][a-z]+)\b[^,;.]*?\b(?:full of|packed with|loaded with|"
    r"rich in)\s+(?P<who>[A-Z][\w.]*)\s+(?:parts|components|content|inputs)\b"
)
EXPORTER = {"u.s.": "USA", "american": "USA", "mexican": "MEX", "canadian": "CAN", "chinese": "CHN"}


@frame(
    "value_added",
    "value added",
    ("value_added",),
    priority=25,
    examples=(
        Example(
            "Mexican parts count for ten times more than Chinese parts in U.S. exports.",
            "va_source_ratio",
            {"exporter": "USA", "source": "MEX", "other": "CHN"},
            "times",
            10,
        ),
    ),
)
def read_value_added(view: SentenceView, d: Discourse, b: Builder) -> None:
    """Value added from one country in another's exports (WIOD)."""
    s = view.text
    if not re.search(r"\bexports?\b|\bmade in\b|\bgoods\b|\bimports?\b", s, re.I):
        return
    for clause in view.clauses:
        lo, hi = clause.start, clause.end
        places = [p for p in view.places if lo <= p.start < hi]
        fm = FULL_OF.search(mask(s[lo:hi]).replace("U_S_", "U.S."))
        multiples = [q for q in view.quantities if lo <= q.start < hi and q.unit in ("times", "percent") and b.free(q)]
        inside = [q for q in multiples if lo + fm.start() <= q.start < lo + fm.end()] if fm else []
        if fm and not inside:
            maker = next((p.iso3 for p in places if p.raw == fm.group("maker")), None)
            who = next((p.iso3 for p in places if p.raw == fm.group("who")), None)
            if maker and who and maker != who:
                b.add(
                    "foreign_value_added_in_exports",
                    {"exporter": maker, "source": who},
                    "eq",
                    None,
                    "percent",
                    None,
                    (lo + fm.start(), lo + fm.end()),
                    "value added",
                )
        for q in [x for x in multiples if x.unit == "percent"]:
            # "U.S.-produced content made up 16% of U.S. manufactured imports from Mexico in 2011" (ITA, 2017)
            m = re.search(
                r"\bimports?\s+(?:of\s+\w+\s+)?from\s+(?:the\s+)?(Mexico|Canada)\b", s[q.end : hi], re.I
            ) or re.search(r"\bimports?\s+(?:of\s+\w+\s+)?from\s+(?:the\s+)?(Mexico|Canada)\b", s[lo:hi], re.I)
            if not (
                m
                and re.search(
                    r"\b(?:u\.s\.|american)[- ](?:produced|made|origin)?\s*(?:content|value|inputs|parts)",
                    s[lo:hi],
                    re.I,
                )
            ):
                continue
            r = d.period_for(view, q, clause, "value_added", kinds=("year",))
            year = r.period.start[0] if r.period is not None else None
            b.add(
                "cited_figure",
                {
                    "measure": "us_content_share_of_manufactured_imports",
                    "country": "MEX" if m.group(1).lower() == "mexico" else "CAN",
                    "year": year,
                },
                q.comparator,
                q.value,
                "percent",
                q,
                around(view, q.start, q.end),
                "value added",
            )
        for q in [x for x in multiples if x.unit == "times"]:
            m = re.search(r"\bin\s+(u\.s\.|american|mexican|canadian|chinese)\s+exports\b", s[lo:hi], re.I)
            exporter = EXPORTER[m.group(1).lower()] if m else "USA"
            srcs = uniq(
                [p.iso3 for p in places if p.iso3 != exporter and not (m and m.start() <= p.start - lo < m.end())]
            )
            if len(srcs) < 2:
                b.skip(q, "a value-added ratio whose two sources the sentence does not name")
                continue
            base = {"exporter": exporter, "source": srcs[0], "other": srcs[1]}
            readings = [
                Reading(name=name, description=desc, metric="va_source_ratio", params={**base, "reading": name})
                for name, desc in IO_READINGS.items()
            ]
            b.add(
                "va_source_ratio",
                {**base, "reading": "fva_usd"},
                "times" if q.comparator in ("about", "eq") else q.comparator,
                q.value,
                "ratio",
                q,
                (lo, hi),
                "value added",
                readings,
            )
