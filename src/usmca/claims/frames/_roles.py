"""Who and which way: the partner a trade figure is about, and the U.S. flow its words describe.

Shared by the trade frames. The rules read the typed spans of one clause:
- partner: a place tied to the figure by a preposition after it ("$334 billion to Mexico", "of Mexican
  goods"), a place in brackets before it ("Mexico ($334 billion)"), else the places named before it in
  the clause when they form one list ("Canada and Mexico bought ..."); places the sentence sets apart
  ("not China", "than Japan", "unlike Canada", the object of "overtook") are never the partner;
- flow: a balance word (deficit, surplus, gap) makes a balance; otherwise the trade verb or noun nearest
  the figure and who does it: the U.S. exporting or a partner buying is U.S. exports; the U.S. buying or
  a partner selling, shipping or exporting (to the U.S.) is U.S. imports; "two-way", "total trade",
  "trade with" is total trade. No sign, no flow: the figure is not checked rather than guessed.
"""

from __future__ import annotations

import re

from usmca import patterns
from usmca.claims.frames import uniq
from usmca.claims.numbers import Quantity
from usmca.claims.tokens import Clause, Cue, Place, SentenceView

NEGATED = patterns.compile(
    r"\b(?:not|unlike|rather than|instead of|than|versus|vs\.?|compared (?:with|to)|other than|"
    r"excluding|except|apart from|besides|behind|ahead of|after|over|beat|beating|outpacing|"
    r"overtaking|overtook|surpassed|surpassing|passed|displacing|displaced|replacing|replaced|"
    r"edged out|eclipsed|outpaced|outstripped)\s+(?:even\s+)?(?:the\s+)?(?:that of\s+)?$",
    re.I,
)
PREP_BEFORE = patterns.compile(r"\b(?:to|from|with|for|by|into)\s+(?:the\s+|each\s+|every\s+|the average\s+)?$", re.I)
GOODS_AFTER = patterns.compile(
    r"\s*(?:-made\s+)?(?:goods|products|imports|exports|merchandise|vehicles|cars|steel|produce|"
    r"items|shipments|output|wares)\b",
    re.I,
)
JOINER = patterns.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|&\s+|or\s+|plus\s+)(?:the\s+)?$", re.I)
US_WORDS = patterns.compile(r"(?:\bthe\s+)?(?:\bu\.s\.|\bunited states\b|\bamerica\b|\bamericans?\b|\bus\b)", re.I)


EXCEEDED = patterns.compile(
    r"\b(?:exceeded|exceeds|topped|tops|surpassed|surpasses|outpaced|outstripped|overtook|overtakes|"
    r"passed|eclipsed)\s+(?:those|that|the (?:value|amount|total)s?)?\s*(?:to|from|with|of)?\s*"
    r"(?:the\s+)?(?=[A-Z])",
    re.I,
)


GROUPS = frozenset({"EU", "USMCA", "LAC", "ASIA", "WLD"})
# Groups that Census and BEA publish as one partner (their totals are in the trade table).
PUBLISHED_GROUPS = frozenset({"EU"})


def negated(view: SentenceView, p: Place) -> bool:
    return NEGATED.search(view.text[max(0, p.start - 40) : p.start]) is not None


def _group_from(view: SentenceView, places: list[Place], i: int) -> list[Place]:
    group = [places[i]]
    for r in places[i + 1 :]:
        if JOINER.match(view.text[group[-1].end : r.start]):
            group.append(r)
        else:
            break
    return group


def partners_for(view: SentenceView, clause: Clause, q: Quantity | None, fallback: list[str]) -> tuple[list[str], str]:
    """(partners, how) for a figure; partners [] when the clause does not say (how says why)."""
    s = view.text
    cand = [p for p in view.partners(clause.start, clause.end) if not negated(view, p)]
    groups = [p for p in cand if p.iso3 in GROUPS]
    cand = [p for p in cand if p.iso3 not in GROUPS]
    if groups and not cand:
        published = uniq([g.iso3 for g in groups if g.iso3 in PUBLISHED_GROUPS])
        if len(published) == 1 and len(uniq([g.iso3 for g in groups])) == 1:
            return published, "a group the agencies publish as one partner"
        return [], "trade with a group of countries other than the EU (Latin America, Asia) is not read yet"
    if q is None:
        return (uniq([p.iso3 for p in cand][:1]) or fallback, "first named")
    others = [x for x in view.quantities if x is not q]
    nxt = min([x.start for x in others if x.start > q.start] + [clause.end])
    prv = max([x.end for x in others if x.end <= q.start] + [clause.start])
    paren = [p for p in cand if p.end <= q.start and re.fullmatch(r"\s*\(\s*", s[p.end : q.start])]
    if paren:
        return [paren[-1].iso3], "bracketed"
    after = [p for p in cand if q.end <= p.start < nxt and p.start - q.end <= 70]
    for i, p in enumerate(after):
        gap = s[q.end : p.start]
        bound = PREP_BEFORE.search(gap) is not None and not re.search(r"[;:()]", gap) and len(gap.split()) <= 7
        if not bound and p.demonym and re.search(r"\b(?:of|in|on|worth of)\s+$", gap) and GOODS_AFTER.match(s[p.end :]):
            bound = True
        if bound:
            return uniq([g.iso3 for g in _group_from(view, after, i)]), "after the figure"
    if (
        after
        and re.fullmatch(r"\s*(?:that|which)?\s*", s[q.end : after[0].start])
        and re.match(
            r"\s+(?:alone\s+)?(?:bought|buys|purchased|purchases|imported|imports|spent|spends|did|does|sold|shipped)\b",
            s[after[0].end :],
        )
    ):
        return [after[0].iso3], "after the figure"
    before = [p for p in cand if prv <= p.start < q.start]
    if before:
        runs: list[list[Place]] = []
        i = 0
        while i < len(before):
            g = _group_from(view, before, i)
            runs.append(g)
            i += len(g)
        if len(runs) == 1 or len({tuple(uniq([p.iso3 for p in g])) for g in runs}) == 1:
            return uniq([p.iso3 for p in runs[0]]), "before the figure"
        return [], "the clause names several partners and does not tie this figure to one"
    if fallback:
        return fallback, "earlier in the sentence"
    only = uniq([p.iso3 for p in cand if p.iso3 not in ("EU", "USMCA", "LAC", "ASIA", "WLD")])
    if len(only) == 1 and len(uniq([p.iso3 for p in cand])) == 1:
        return only, "the one partner the clause names"  # "$55.6 billion ... (HS 85) was exported to Mexico"
    return [], "no partner named"


def _nearest(cues: list[Cue], pos: int) -> Cue | None:
    if not cues:
        return None
    before = [c for c in cues if c.end <= pos]
    if before:
        return before[-1]
    return min(cues, key=lambda c: abs(c.start - pos))


def flow_for(view: SentenceView, clause: Clause, pos: int, partner_iso: list[str]) -> tuple[str | None, str]:
    """(flow, why) for a figure at `pos`: exports | imports | total | balance, or None with the reason."""
    s = view.text
    lo, hi = clause.start, clause.end
    # each figure's own phrase decides first:
    # "exported $349 billion ... and imported $413 billion, a deficit of $63 billion"
    prv = max([q.end for q in view.quantities if q.end <= pos] + [lo])
    nxt = min([q.start for q in view.quantities if q.start > pos] + [hi])
    bal = [
        c
        for c in view.cues_of("trade_noun", "balance", prv, nxt)
        if c.end <= pos or not re.search(r"[,;:()]|\s[–—]\s", s[pos : c.start])
    ]
    own_verbs = view.cues_of("trade_verb", None, prv, nxt)
    others_usd = [q for q in view.quantities if lo <= q.start < hi and q.start != pos and q.unit == "USD"]
    if not bal and not others_usd:
        bal = view.cues_of("trade_noun", "balance", lo, hi)
    elif not bal and not own_verbs:
        # no flow words in the figure's own phrase: the clause's before it ("the deficit ... increased to $171.8
        # billion, from $152.5 billion in 2023": both are the deficit)
        bal = [c for c in view.cues_of("trade_noun", "balance", lo, hi) if c.start < pos]
    if bal and not re.search(
        r"\b(?:budget|fiscal|federal|current[- ]account)\s+$", s[max(0, bal[0].start - 20) : bal[0].start], re.I
    ):
        return "balance", "a balance word"
    verbs = view.cues_of("trade_verb", None, prv, nxt) or view.cues_of("trade_verb", None, lo, hi)
    total = view.cues_of("trade_noun", "total", lo, hi)
    v = _nearest(verbs, pos)
    if v is None:
        if total:
            return "total", "two-way trade"
        return None, "the sentence does not say whether it means U.S. exports, imports or both"
    if (
        total
        and (v.text.lower() in ("trade", "traded") or abs(total[0].start - pos) < abs(v.start - pos))
        and not re.search(r"\b(?:exports?|imports?)\b", s[lo:hi], re.I)
    ):
        return "total", "two-way trade"
    kind = v.value  # export | import (as the verb's subject does it)
    pre = s[max(lo, v.start - 45) : v.start]
    post = s[v.end : min(hi, v.end + 80)]
    us_actor = bool(
        re.search(
            r"(?:\bu\.s\.|\bunited states|\bamerica|\bamericans?|\bus)(?:['’]s?)?\s+"
            r"(?:(?:goods|merchandise|total|overall|annual|consumers|companies|firms|buyers|households|"
            r"shoppers|importers|exporters|producers|manufacturers|farmers|businesses)\s+){0,2}"
            r"(?:(?:have|has|had|also|alone)\s+)?$",
            pre,
            re.I,
        )
    )
    partner_actor = (
        bool(
            re.search(
                r"(?:[A-Z][a-z]+(?:['’]s?)?|[A-Z]\w+ (?:companies|firms|consumers?|buyers?|producers|"
                r"factories|manufacturers|exporters|importers|shoppers?|households?|residents?))\s+"
                r"(?:goods\s+|total\s+|overall\s+)?(?:(?:have|has|had|also|alone|only|still)\s+)?$",
                pre,
            )
        )
        and not us_actor
    )
    if partner_actor:
        near = [p for p in view.places if p.end <= v.start and v.start - p.end <= 45]
        partner_actor = bool(near) and near[-1].iso3 != "USA"
        if near and near[-1].iso3 == "USA":
            us_actor = True
    if (
        not us_actor
        and not partner_actor
        and re.search(r"\b(?:it|they)\s+(?:(?:also|only|then)\s+)?$", pre, re.I)
        and [p for p in view.places if p.iso3 != "USA" and p.end <= v.start]
    ):
        partner_actor = True  # "China sold us four times what it bought from us": "it" is China
    to_us = re.search(
        r"^\s*(?:[\w$.,%-]+\s+){0,8}?(?:to|into)\s+(?:the\s+)?(?:u\.s\.|united states|america\b|us\b|"
        r"americans\b|american (?:consumers|buyers|markets?|shoppers|households|companies|firms))",
        post,
        re.I,
    )
    from_us = re.search(
        r"^\s*(?:[\w$.,%-]+\s+){0,8}?from\s+(?:the\s+)?(?:u\.s\.|united states|america\b|us\b|"
        r"american (?:producers|firms|companies|exporters))",
        post,
        re.I,
    )
    us_goods = re.search(
        r"\b(?:u\.s\.|american|us)(?:-made|-produced|-grown)?\s+(?:goods|products|exports|merchandise|"
        r"made|produce|items|wares|services|farm goods|energy)\b|\bu\.s\. ?(?:-made|-produced)|"
        r"\bmade in (?:the )?(?:u\.s\.|usa|america)",
        s[lo:hi],
        re.I,
    )
    if kind == "export":
        if to_us or (partner_actor and not re.search(r"\bto\s+(?!the\s+u\.s)(?:the\s+)?[A-Z]", post)):
            return "imports", "a partner sells to the U.S."
        if partner_actor:
            return None, "trade between two other countries is not in any loaded source"
        return "exports", "the U.S. sells"
    # an import-type word: buying
    if from_us or (partner_actor and not us_actor) or (us_goods and not us_actor):
        if (
            partner_actor
            and re.search(r"^\s*(?:[\w$.,%-]+\s+){0,8}?from\s+(?!the\s+u\.s)(?:the\s+)?[A-Z]", post)
            and not from_us
        ):
            return None, "trade between two other countries is not in any loaded source"
        return "exports", "a partner buys from the U.S."
    if v.text.lower() in (
        "customer",
        "customers",
        "buyer",
        "buyers",
        "consumer",
        "consumers",
        "took",
        "takes",
        "absorbed",
    ):
        return "exports", "a partner buys from the U.S."
    return "imports", "the U.S. buys"


def reads_goods_and_services(view: SentenceView, lo: int, hi: int) -> dict[str, str]:
    """Goods (Census, the default), services or goods and services (balance of payments)."""
    if view.has("trade_noun", "goods_services", lo, hi) or view.has("trade_noun", "goods_services"):
        return {"product": "goods_services", "basis": "bop"}
    t = view.text[lo:hi].lower()
    if re.search(r"\bservices\b", t) and not re.search(r"\bgoods\b", t):
        return {"product": "services", "basis": "bop"}
    return {}


def says_goods(view: SentenceView) -> bool:
    return re.search(r"\b(?:goods|merchandise|products|made)\b", view.text, re.I) is not None
