"""Claim frames: one module per family of claims, each frame declaring what it reads and its examples.

A frame is a reader for one kind of statement ("U.S. exports to Mexico were $334 billion in 2024",
"encounters fell 90% below the 2021-2024 average"). It declares the measure words that select it
(lexicon/cues.yaml `measure`), a priority, how it builds claims from a sentence's typed spans, and
examples that are run as tests and printed as the table of claim kinds in docs/claims.md.
Frames are found by `load_frames()`, which imports every module in this package.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from usmca import patterns
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


@functools.cache
def _import_frames() -> None:
    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")


def load_frames() -> list[Frame]:
    """Every frame, in priority order (the package's modules are imported once per process)."""
    _import_frames()
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
        rate_ok: bool = False,
    ) -> Claim:
        s = self.view.text
        if q is not None and not rate_ok:
            r = rate_of(self.view, q)
            if r is not None and r.unit != "year" and r.unit not in RATE_METRICS.get(metric, ()):
                # "60 pounds a day", "one every five minutes" read as a total would be judged against the wrong
                # figure: the figure is left unchecked (a detached claim is returned to the frame).
                self.skip(q, f"a rate per {r.unit} ({r.text}) is not read for this measure")
                return Claim(id="c0", metric=metric, params=dict(params), comparator="eq", value=value, unit=unit)
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


# ------------------------------------------------------------------------------- rates
# Metrics that are themselves rates, and the time unit of their rate.
RATE_METRICS: dict[str, tuple[str, ...]] = {
    "encounters_daily_average": ("day",),
    "encounters_monthly_average": ("month",),
    "trade_monthly_average": ("month",),
}
UNIT_SECONDS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0, "week": 604800.0, "month": 2629800.0}
_PER = {
    "day": ("a day", "per day", "each day", "daily", "every day", "a day on average"),
    "hour": ("an hour", "per hour", "each hour", "hourly", "every hour"),
    "minute": ("a minute", "per minute", "each minute", "every minute"),
    "second": ("a second", "per second", "each second", "every second"),
    "week": ("a week", "per week", "each week", "weekly", "every week"),
    "month": ("a month", "per month", "each month", "monthly", "every month"),
    "year": ("a year", "per year", "each year", "annually", "every year", "per annum", "a year on average"),
}


def small_number(word: str) -> int | None:
    """A count written as a word ("a", "two", "fifteen", "forty-five") or in digits; None if it is neither."""
    w = word.strip().lower()
    if w in ("a", "an"):
        return 1
    if w.isdigit():
        return int(w)
    from text_to_num import text2num

    try:
        return int(text2num(w, "en"))
    except ValueError:
        return None


_UNIT = r"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|months?)"
_EVERY_AFTER = patterns.compile(
    rf"^(?:\s+[\w-]+){{0,3}}?\s+(?:every|each)\s+(?:(?P<n>\d+(?:\.\d+)?|[a-z-]+)\s+)?{_UNIT}\b", re.I
)
_PER_AFTER = patterns.compile(
    r"^(?:\s+(?!a\b|per\b|each\b|in\b|on\b|during\b)[\w-]+){1,3}?\s+(?:a|an|per|each)\s+"
    r"(?P<unit>second|minute|hour|day|week|month)\b(?!\s+(?:earlier|before|later|ago))",
    re.I,
)
_EVERY_BEFORE = patterns.compile(r"\b(?:every|each)\s+$", re.I)
_ONE_BEFORE = patterns.compile(r"\b(?P<one>a|an|one|someone|somebody)\s+(?:[\w-]+\s+){0,3}?(?:every|each)\s+$", re.I)


@dataclass(frozen=True)
class Rate:
    """A figure stated as a rate: `events` per `seconds` (the time `unit` the words use)."""

    unit: str
    events: float
    seconds: float
    text: str
    interval: float | None = None  # N of "every N minutes" (None for "280 a day")

    @property
    def per_second(self) -> float:
        return self.events / self.seconds


def rate_of(view: SentenceView, q: Quantity) -> Rate | None:
    """The rate a figure states ("280 a day", "one every five minutes", "an arrest every 14 seconds"), if any."""
    s = view.text
    per = (q.per or "").lower().strip()
    for unit, words in _PER.items():
        if per in words:
            return Rate(unit, q.value, UNIT_SECONDS.get(unit, 31557600.0), f"{q.raw}")
    pm = _PER_AFTER.match(s[q.end : q.end + 50])
    if pm and not re.search(r"[,;:]", pm.group(0)):  # "33 pounds of fentanyl a day"
        unit = pm.group("unit").lower()
        return Rate(unit, q.value, UNIT_SECONDS[unit], s[q.start : q.end + pm.end()])
    m = _EVERY_AFTER.match(s[q.end : q.end + 60])
    if m and not re.search(r"[,;:]", m.group(0)):
        unit = m.group("unit").lower().rstrip("s")
        n_text = (m.group("n") or "1").lower()
        n = float(n_text) if re.fullmatch(r"\d+(?:\.\d+)?", n_text) else small_number(n_text)
        if n is None:
            return Rate(unit, q.value, float("nan"), s[q.start : q.end + m.end()])
        return Rate(unit, q.value, n * UNIT_SECONDS[unit], s[q.start : q.end + m.end()], n)
    um = re.match(rf"\s+{_UNIT}\b", s[q.end : q.end + 12], re.I)
    if um and _EVERY_BEFORE.search(s[max(0, q.start - 8) : q.start]):
        unit = um.group("unit").lower().rstrip("s")
        one = _ONE_BEFORE.search(s[max(0, q.start - 60) : q.start])
        return Rate(
            unit, 1.0 if one else float("nan"), q.value * UNIT_SECONDS[unit], s[q.start : q.end + um.end()], q.value
        )
    return None


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


BOUNDARY = patterns.compile(r"[,;:]|\.(?=\s|$)|\s(?:and|while|whereas|but|which)\s(?=\D*(?:\$|\d))|\s[–—]\s")


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
