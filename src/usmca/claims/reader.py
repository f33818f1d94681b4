"""The claim reader: every quantitative statement of a text, as claims or as figures not checked.

Sentences are read in order (sentences.py); each is cut into typed spans (tokens.py), and the frames
(frames/) whose measure words it contains are offered its figures, highest priority first. Every
figure ends in a claim or in `not_checked` with a specific reason: none is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from usmca import patterns
from usmca.claims.discourse import Discourse
from usmca.claims.frames import Builder, load_frames
from usmca.claims.model import Claim, NotChecked
from usmca.claims.numbers import Quantity
from usmca.claims.sentences import split_sentences
from usmca.claims.tokens import SentenceView, analyse

MAX_CLAIMS = 5000  # a document with more claims than this is cut, with a note (bounded work per request)


@dataclass
class Extraction:
    claims: list[Claim]
    not_checked: list[NotChecked]
    truncated: bool = False


def why_not(view: SentenceView, q: Quantity) -> str:
    """A specific reason for a figure no frame took."""
    cl = view.clause_of(q.start)
    cues = view.cues_of("unsupported", None, cl.start, cl.end) or view.cues_of("unsupported")
    if cues:
        return cues[0].value
    measures = {c.value for c in view.cues_of("measure")}
    if q.unit == "other currency":
        return "figures in other currencies are not converted"
    if q.unit == "ordinal":
        return "a rank whose measure the sentence does not name"
    if not measures:
        return "no loaded source covers what this figure measures"
    if "employment" in measures:
        return "employment figures are not loaded (BLS via FRED is not in the bundled data yet)"
    if "gdp" in measures:
        return "a GDP figure the reader could not tie to a country and year"
    if "value_added" in measures:
        return "a value-added figure that is not a ratio between two sources"
    return "no claim kind covers this figure in this sentence"


CONTINUES = patterns.compile(
    r"^\W*(?:that|this|it|those|these|of (?:those|these|them|it|that)|the (?:figure|total|number|"
    r"count|haul|amount|tally)|nearly all of (?:it|them)|most of (?:it|them)|about half of (?:it|them))\b",
    re.I,
)


# "a migrant every two minutes": a rate whose only number is written in words inside the interval
INTERVAL_IN_WORDS = patterns.compile(r"\bevery\s+[a-z-]+\s+(?:seconds|minutes|hours)\b", re.I)


def implied_measures(view: SentenceView, d: Discourse) -> set[str]:
    """The measures a sentence speaks of: its own measure words, else the scope or component words of border
    operations ("the southwest total"), else the previous sentence's when it points back ("That was ...")."""
    measures = {c.value for c in view.cues_of("measure")}
    if any(
        q.unit == "count" and q.noun.split()[:1] in (["people"], ["residents"], ["inhabitants"])
        for q in view.quantities
    ):
        measures.add("population")
    if measures - {"trade"} or (measures and not CONTINUES.match(view.text)):
        return measures
    if CONTINUES.match(view.text) and d.last_topic:
        return measures | {d.last_topic}
    if (
        not measures
        and (view.cues_of("scope") or view.cues_of("component"))
        and (view.quantities or view.cues_of("superlative", "lowest") or INTERVAL_IN_WORDS.search(view.text))
    ):
        return {"encounters"}
    if not measures and any(
        q.unit == "count" and q.noun.split()[:1] in (["people"], ["residents"], ["inhabitants"])
        for q in view.quantities
    ):
        return {"population"}
    return measures


def read(
    text: str,
    *,
    today: date | None = None,
    default_year: int | None = None,
    reference_month: tuple[int, int] | None = None,
) -> Extraction:
    """Claims and figures not checked in `text`.

    `today`: the text's date (for "last year", "in June"); `default_year`: the year of trade claims
    that cite none (the latest full year of data before the text's date); `reference_month`: the
    month "the lowest in N years" refers to when the sentence names none.
    """
    frames = load_frames()
    d = Discourse(today=today, default_year=default_year, reference_month=reference_month)
    claims: list[Claim] = []
    not_checked: list[NotChecked] = []
    truncated = False
    for i, sent in enumerate(split_sentences(text)):
        view = analyse(sent.text, sent.start, i, today=today)
        if (
            not view.quantities
            and not view.cues_of("superlative")
            and not view.cues_of("measure")
            and not INTERVAL_IN_WORDS.search(view.text)
        ):
            continue
        b = Builder(view, len(claims))
        measures = implied_measures(view, d)
        for f in frames:
            if b.done:
                break
            if "" in f.measures or measures & set(f.measures):
                f.read(view, d, b)
        b.claims.sort(key=lambda c: c.span or (0, 0))  # in the order of the text, whichever frame read them
        for k, c in enumerate(b.claims):
            c.id = f"c{len(claims) + k + 1}"
        if len(claims) + len(b.claims) > MAX_CLAIMS:
            truncated = True
            break
        claims.extend(b.claims)
        left: dict[str, list[Quantity]] = {}
        for q in view.quantities:
            if q.start in b.used:
                continue
            reason = b.reasons.get(q.start) or why_not(view, q)
            left.setdefault(reason, []).append(q)
        for reason, qs in left.items():
            not_checked.append(
                NotChecked(sentence=sent.text, span=(sent.start, sent.end), figures=[q.raw for q in qs], reason=reason)
            )
    return Extraction(claims, not_checked, truncated)
