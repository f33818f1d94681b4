"""Claim frames: one module per family of claims, each frame declaring what it reads and its examples.

A frame is a reader for one kind of statement ("U.S. exports to Mexico were $334 billion in 2024",
"encounters fell 90% below the 2021-2024 average"). It declares the measure words that select it
(lexicon/cues.yaml `measure`), a priority, how it builds claims from a sentence's typed spans, and
examples that are run as tests and printed as the table of claim kinds in docs/claims.md.
Frames are found by `load_frames()`, which imports every module in this package.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from usmca.claims.discourse import Discourse
from usmca.claims.model import Claim, Reading
from usmca.claims.numbers import Quantity
from usmca.claims.tokens import SentenceView


@dataclass(frozen=True)
class Example:
    """A sentence and the claim a frame must read from it (metric None: nothing to check)."""

    text: str
    metric: str | None
    params: dict[str, Any] = field(default_factory=dict)
    comparator: str | None = None
    value: float | None = None
    as_of: str | None = None
    note: str = ""


ReadFn = Callable[[SentenceView, Discourse, "Builder"], None]


@dataclass
class Frame:
    name: str
    family: str
    doc: str
    measures: tuple[str, ...]  # measure cues that select the frame ("" in the tuple: always tried)
    read: ReadFn
    examples: tuple[Example, ...] = ()
    priority: int = 50  # lower runs first; a figure a frame takes is not offered to later frames


FRAMES: dict[str, Frame] = {}


def frame(
    name: str, family: str, measures: tuple[str, ...], examples: tuple[Example, ...] = (), priority: int = 50
) -> Callable[[ReadFn], ReadFn]:
    """Register a frame; its docstring is its description in docs/claims.md."""

    def wrap(fn: ReadFn) -> ReadFn:
        FRAMES[name] = Frame(
            name,
            family,
            (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else name,
            measures,
            fn,
            examples,
            priority,
        )
        return fn

    return wrap


def load_frames() -> list[Frame]:
    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")
    return sorted(FRAMES.values(), key=lambda f: (f.priority, f.name))


class Builder:
    """Collects the claims read from one sentence and the figures they took."""

    def __init__(self, view: SentenceView, first_id: int) -> None:
        self.view = view
        self.claims: list[Claim] = []
        self.first_id = first_id
        self.used: set[int] = set()  # start offsets of quantities taken by a claim
        self.reasons: dict[int, str] = {}  # quantity start -> why it is not checked
        self.done = False  # a frame may declare the sentence fully read

    def free(self, q: Quantity) -> bool:
        return q.start not in self.used and q.start not in self.reasons

    def skip(self, q: Quantity, reason: str) -> None:
        """This figure is not checked, for this specific reason (only the first reason given is kept)."""
        if q.start not in self.used:
            self.reasons.setdefault(q.start, reason)

    def add(
        self,
        metric: str,
        params: dict[str, Any],
        comparator: str,
        value: float | None,
        unit: str,
        q: Quantity | None,
        span: tuple[int, int],
        topic: str,
        readings: list[Reading] | None = None,
        *,
        also: list[Quantity] | None = None,
    ) -> Claim:
        s = self.view.text
        a, b = span
        for x in also or []:  # the words a claim takes ("the five largest markets") are part of its text
            a, b = min(a, x.start), max(b, x.end)
        raw = s[a:b]
        lead = len(raw) - len(raw.lstrip(" ,;:"))
        a += lead
        text = raw[lead:].rstrip(" ,.;:")
        b = a + len(text)
        if q is not None:
            self.used.add(q.start)
            self.reasons.pop(q.start, None)
            num = re.search(r"\d[\d,]*(?:\.\d+)?", q.raw)
            round_number = bool(num and "." not in num.group(0) and num.group(0).endswith("0")) or q.words
            params = {**params, "_precision": q.precision, "_round": round_number}
        for x in also or []:
            self.used.add(x.start)
            self.reasons.pop(x.start, None)
        claim = Claim(
            id=f"c{self.first_id + len(self.claims) + 1}",
            metric=metric,
            params=params,
            comparator=comparator,  # type: ignore[arg-type]
            value=value,
            unit=unit,
            hedge=q.hedge if q else None,
            readings=readings or [],
            text=text,
            sentence=s,
            span=(self.view.start + a, self.view.start + b),
            topic=topic,
        )
        self.claims.append(claim)
        return claim


# ------------------------------------------------------------------------------- shared helpers
def around(view: SentenceView, a: int, b: int, lo: int | None = None, hi: int | None = None) -> tuple[int, int]:
    """The claim's own words: from the clause start to the end of the phrase holding [a, b)."""
    cl = view.clause_of(a)
    if lo is None:
        prev = [q.end for q in view.quantities if cl.start <= q.end <= a]
        lo = max(prev) if prev else cl.start  # a second figure's words start after the first figure
        if prev or a - cl.start >= 60:  # a far or second figure: its words start at the last boundary before it
            cuts = [m.end() for m in BOUNDARY.finditer(mask(view.text), lo) if m.end() <= a]
            lo = cuts[-1] if cuts else lo
    hi = cl.end if hi is None else hi
    inside = [p.span for p in view.periods] + [(q.start, q.end) for q in view.quantities]
    for m in BOUNDARY.finditer(mask(view.text), b, hi):
        if not any(x <= m.start() < y for x, y in inside):
            return lo, m.start()
    return lo, hi


BOUNDARY = re.compile(r"[,;:]|\.(?=\s|$)|\s(?:and|while|whereas|but|which)\s(?=\D*(?:\$|\d))|\s[–—]\s")


def mask(s: str) -> str:
    """Hide abbreviation periods (U.S.) and the "and" inside agency names from boundary searches."""
    s = re.sub(r"\b(U)\.(S)\.", r"\1_\2_", s)
    return re.sub(
        r"Customs and Border Protection|Air and Marine|Alcohol, Tobacco|Immigration and Customs",
        lambda m: re.sub(r"[ ,]", "_", m.group(0)),
        s,
    )


def uniq(codes: list[str]) -> list[str]:
    out: list[str] = []
    for c in codes:
        if c not in out:
            out.append(c)
    return out


def as_percent(q: Quantity, *, loose: bool = False) -> Quantity:
    """A fraction read as a percent ("a quarter" -> 25%) at the same place, so its claim or reason is the fraction's.

    loose: a plain fraction ("by a fifth") is a round figure, compared as "about".
    """
    return Quantity(
        q.value * 100,
        "percent",
        q.start,
        q.end,
        q.raw,
        q.hedge,
        "about" if loose and q.comparator == "eq" else q.comparator,
        (q.precision or 0.05) * 100,
        q.noun,
        q.words,
    )


FLIP = {"over": "under", "under": "over", "at_least": "at_most", "at_most": "at_least"}
