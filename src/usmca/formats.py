"""Every number format of usmca in one place: amounts with units, figures in words, exact values,
compact chart numbers and axis labels.

Pure functions over floats and unit names (no data, no rendering library), used by the claim
verdicts, the terminal, the HTML report and the CLI.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def amount(v: float | None, u: str) -> str:
    """A figure with its unit, for tables and cards: $334.0 bn, 15.5%, rank 2, 8,725 encounters."""
    if v is None:
        return "—"
    if u == "USD":
        if abs(v) >= 1e9:
            return f"${v / 1e9:,.1f} bn"
        return f"${v:,.0f}"
    if u == "USD per person":
        return f"${v:,.0f} per person"
    if u in ("ratio",):
        return f"{v:,.2f}x"
    if u == "percent":
        return f"{v:,.1f}%"
    if u == "rank":
        return f"rank {v:.0f}"
    if u in ("doses", "encounters", "persons", "encounters per month"):
        return f"{v:,.0f} {u}"
    if u in ("kg", "lb"):
        return f"{v:,.1f} {u}"
    if u == "share":
        return f"{v:.0%}"
    return f"{v:,.4g} {u}".strip()


def in_words(x: float) -> str:
    """A figure for a sentence: 1.85 trillion, 334.0 billion, 8,725, 5.12."""
    a = abs(x)
    if a >= 1e12:
        return f"{x / 1e12:,.2f} trillion"
    if a >= 1e9:
        return f"{x / 1e9:,.1f} billion"
    if a >= 1e6:
        return f"{x / 1e6:,.1f} million"
    if a >= 100:
        return f"{x:,.0f}"
    return f"{x:,.3g}"


def exact(v: float, unit: str) -> str:
    """A figure as `usmca indicators` prints it: whole dollars, with billions beside a large amount."""
    if unit == "USD":
        shown = f"${v:,.0f}"
        return shown + (f"  (${v / 1e9:,.1f} billion)" if abs(v) >= 1e9 else "")
    if unit in ("percent", "ratio", "share") or abs(v) < 100:
        return f"{v:,.4g} {unit}"
    return f"{v:,.0f} {unit}"


def short_number(v: float | None, unit: str = "") -> str:
    """Compact number for axes and chart labels: $334.0 bn, 25.1k, 89%."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "—"
    a = abs(v)
    if unit.startswith("USD"):
        if a >= 1e12:
            return f"${v / 1e12:,.2f} tn"
        if a >= 1e9:
            return f"${v / 1e9:,.1f} bn"
        if a >= 1e6:
            return f"${v / 1e6:,.1f} M"
        return f"${v:,.0f}"
    if unit == "percent":
        return f"{v:,.1f}%"
    if unit == "share":
        return f"{v:.0%}"
    if unit == "ratio":
        return f"{v:,.2f}x"
    if a >= 1e9:
        return f"{v / 1e9:,.1f}bn"
    if a >= 1e6:
        return f"{v / 1e6:,.1f}M"
    if a >= 1e4:
        return f"{v / 1e3:,.0f}k"
    if a >= 1e3:
        return f"{v / 1e3:,.1f}k"
    if a == int(a):
        return f"{v:,.0f}"
    return f"{v:,.3g}"


_SCALES_USD = ((1e12, "${} tn"), (1e9, "${} bn"), (1e6, "${} M"), (1e3, "${}k"), (1.0, "${}"))
_SCALES_COUNT = ((1e9, "{}bn"), (1e6, "{}M"), (1e3, "{}k"), (1.0, "{}"))


def axis_labels(ticks: Sequence[float], unit: str = "") -> list[str]:
    """Tick labels in analysts' style: one scale for the whole axis and no needless decimals
    ($0, $100 bn, $400 bn; 0, 25k, 50k; 5%, 10%; 0.5x, 1x)."""
    if not ticks:
        return []
    big = max(abs(t) for t in ticks)
    if unit == "percent":
        scale, pattern = 1.0, "{}%"
    elif unit == "share":
        scale, pattern = 0.01, "{}%"
    elif unit == "ratio":
        scale, pattern = 1.0, "{}x"
    else:
        table = _SCALES_USD if unit.startswith("USD") else _SCALES_COUNT
        scale, pattern = next(((f, pt) for f, pt in table if big >= f), table[-1])
        if big < 1000 and not unit.startswith("USD"):
            scale, pattern = 1.0, "{}"
    for decimals in range(0, 4):
        exact = all(abs(round(t / scale, decimals) - t / scale) < 1e-9 * max(1.0, abs(t / scale)) for t in ticks)
        if exact:
            break
    out = []
    for t in ticks:
        x = t / scale
        if round(x, decimals) == 0:
            out.append("0%" if unit in ("percent", "share") else ("$0" if unit.startswith("USD") else "0"))
            continue
        label = pattern.format(f"{abs(x):,.{decimals}f}")
        out.append(("−" if x < 0 else "") + label)
    return out
