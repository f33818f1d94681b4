"""The claim language: a metric, its parameters, a comparator and a claimed value; and verdicts.

A claim can be written by hand in YAML (`usmca check claims.yaml`) or found in free text.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Comparator = Literal[
    "eq",  # the figure is the claimed value (to its rounding)
    "about",  # about / around / roughly / nearly / almost
    "over",  # over / more than / above / exceeds
    "under",  # under / less than / below / just
    "at_least",
    "at_most",
    "times",  # value is a ratio: "2.3 times"
    "pct_lower",  # "90% lower than"
    "pct_higher",
    "largest",  # rank 1 (biggest, most important, top)
    "lowest",  # the lowest on record / in N years
    "true",  # a boolean comparison computed by the metric (e.g. A more than B): 1 = holds
]

Verdict = Literal["supported", "approximately", "contradicted", "unverifiable"]

VERDICTS: tuple[Verdict, ...] = ("supported", "approximately", "contradicted", "unverifiable")


class Reading(BaseModel):
    """One way to read an ambiguous claim: a metric with parameters and how to compare."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    metric: str
    params: dict[str, Any] = Field(default_factory=dict)
    comparator: Comparator | None = None  # defaults to the claim's comparator
    value: float | None = None  # defaults to the claim's value


class Claim(BaseModel):
    """A checkable statement: metric + params + comparator + claimed value with unit + tolerance."""

    model_config = ConfigDict(extra="forbid")

    id: str = ""
    metric: str
    params: dict[str, Any] = Field(default_factory=dict)
    comparator: Comparator = "about"
    value: float | None = None
    unit: str = ""
    tolerance: float | None = None  # relative; default depends on the hedge
    hedge: str | None = None
    readings: list[Reading] = Field(default_factory=list)  # other reasonable readings
    text: str = ""
    sentence: str = ""
    span: tuple[int, int] | None = None
    line: int | None = None  # line in a YAML file
    topic: str = ""


class Amount(BaseModel):
    value: float | None
    unit: str


class EvidenceOut(BaseModel):
    source_id: str
    agency: str | None = None
    title: str | None = None
    file: str | None = None
    sha256: str | None = None
    vintage: str | None = None
    url: str | None = None
    kind: str | None = None  # statistics | model | official statement | constant
    origin: str | None = None  # store | snapshot | package
    label: str | None = None  # "official statement" etc.


class ReadingOut(BaseModel):
    name: str
    description: str = ""
    metric: str
    params: dict[str, Any]
    computed: Amount | None
    verdict: Verdict
    difference_pct: float | None = None


class ClaimResult(BaseModel):
    id: str
    sentence: str
    text: str
    span: tuple[int, int] | None
    topic: str = ""
    metric: str
    params: dict[str, Any]
    comparator: str
    hedge: str | None = None
    claimed: Amount
    computed: Amount | None
    difference_pct: float | None
    verdict: Verdict
    reason: str  # one line: why this verdict
    reading: str
    other_readings: list[ReadingOut] = Field(default_factory=list)
    evidence: list[EvidenceOut] = Field(default_factory=list)
    computation: str = ""
    queries: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    missing: str | None = None
    series: dict[str, Any] | None = None  # data for a chart (see report)
    # What the claimed value was compared with, for words on a card (see claims.evaluate.compared):
    # {"kind": "bracket" | "points" | "lower_bound" | "value", ...}; None when nothing was compared.
    compared: dict[str, Any] | None = None


class NotChecked(BaseModel):
    sentence: str
    span: tuple[int, int]
    figures: list[str]
    reason: str


class CheckReport(BaseModel):
    document: str
    as_of: str | None
    as_of_source: str | None = None  # "--as-of" | inferred from "June 2025" | data
    data: dict[str, str] = Field(default_factory=dict)  # dataset -> store | snapshot
    claims: list[ClaimResult]
    not_checked: list[NotChecked] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {v: 0 for v in VERDICTS}
        for c in self.claims:
            out[c.verdict] += 1
        return out
