"""Result types of the value-added measures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class ContentMeasure:
    """One value-added-content number with its base (``share = value / base``)."""

    name: str
    description: str
    value: float
    base: float
    unit: str = "USD million"

    @property
    def share(self) -> float:
        return self.value / self.base if self.base else float("nan")


@dataclass(frozen=True)
class Reading:
    """One way of reading a claim: a named measure evaluated for several sources."""

    name: str
    description: str
    unit: str
    values: dict[str, float]
    ratio: float | None  # values[first source] / values[second source]


@dataclass(frozen=True)
class SourceComparison:
    """Several readings of a "source A vs source B in exporter's exports" claim."""

    exporter: str
    sources: tuple[str, ...]
    year: int
    readings: list[Reading]

    def reading(self, name: str) -> Reading:
        for r in self.readings:
            if r.name == name:
                return r
        raise KeyError(f"no reading named {name!r}; have {[r.name for r in self.readings]}")

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for r in self.readings:
            row: dict[str, Any] = {"reading": r.name, "unit": r.unit}
            row.update({f"value_{k}": v for k, v in r.values.items()})
            row["ratio"] = r.ratio
            row["description"] = r.description
            rows.append(row)
        return pd.DataFrame(rows).set_index("reading")


def as_float(value: Any) -> float:
    """``float()`` of a pandas scalar (typed ``Any`` for mypy)."""
    return float(value)
