"""Self-contained HTML report of a check: one card per claim, charts as inline SVG.

Everything the page needs (CSS, the few lines of JS, the charts) is inlined: the file renders
offline and loads nothing from anywhere. Every string that comes from the checked text or the
data is escaped (Jinja autoescape for the templates, `html.escape` in the SVG builders).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from usmca import __version__
from usmca.claims.model import VERDICTS, Amount, CheckReport, ClaimResult, EvidenceOut
from usmca.formats import axis_labels, short_number
from usmca.months import MONTH_ABBR, MONTH_NAMES
from usmca.report.render import claimed_text, fmt_amount

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

VERDICT_LABELS = {
    "supported": "supported",
    "approximately": "approximately right",
    "contradicted": "contradicted",
    "unverifiable": "unverifiable",
}

# chart colours
BASE = "#7b8fa8"
HIGHLIGHT = "#d9480f"
CLAIMED = "#111827"
AVERAGE = "#6b21a8"
LINE_COLORS = ["#2563eb", "#d9480f", "#059669", "#9333ea", "#ca8a04", "#db2777"]

_env: Environment | None = None


def env() -> Environment:
    """The Jinja environment (autoescape on for every template)."""
    global _env
    if _env is None:
        e = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        e.globals["inline_css"] = Markup(static_text("report.css"))
        e.globals["inline_js"] = Markup(static_text("app.js"))
        e.globals["version"] = __version__
        e.globals["verdicts"] = VERDICTS
        e.globals["verdict_labels"] = VERDICT_LABELS
        _env = e
    return _env


def static_text(name: str) -> str:
    """A file of static/ to inline in a <style> or <script> element (ours: no "</" inside)."""
    return (STATIC / name).read_text(encoding="utf-8")


def esc(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


# ------------------------------------------------------------------------------------ numbers
# (short_number and axis_labels live in usmca.formats, with every other number format)


# ---------------------------------------------------------------------------------- periods
MONTHS, MONTHS_LONG = MONTH_ABBR, MONTH_NAMES  # the one month table is usmca.months


def _label_kind(labels: Sequence[str]) -> str:
    """'year' (2024), 'month' (2024-06), 'day' (2025-04-04) or 'other'."""
    if not labels:
        return "other"
    if all(len(s) == 4 and s.isdigit() for s in labels):
        return "year"
    if all(len(s) == 7 and s[4] == "-" and s[:4].isdigit() and s[5:].isdigit() for s in labels):
        return "month"
    if all(len(s) == 10 and s[4] == "-" and s[7] == "-" and s[:4].isdigit() for s in labels):
        return "day"
    return "other"


def _month(s: str) -> str:
    return f"{MONTHS[int(s[5:7]) - 1]} {s[:4]}"


def _day(s: str, year: bool = True) -> str:
    text = f"{int(s[8:10])} {MONTHS[int(s[5:7]) - 1]}"
    return f"{text} {s[:4]}" if year else text


def long_date(s: str, with_year: bool = True) -> str:
    """2025-04-04 -> '4 April 2025' (or '4 April')."""
    try:
        text = f"{int(s[8:10])} {MONTHS_LONG[int(s[5:7]) - 1]}"
    except (ValueError, IndexError):
        return s
    return f"{text} {s[:4]}" if with_year else text


def data_span(labels: Sequence[Any], values: Sequence[Any] | None = None) -> str:
    """The real span of a series, from its first to its last label with a value: '1985–2024',
    'Oct 2019–Jun 2025', '16 Feb–2 Oct 2025'; '' when the labels are not periods."""
    labs = [str(x) for x in labels]
    if values is not None:
        labs = [lab for lab, v in zip(labs, values, strict=False) if _num(v) is not None]
    kind = _label_kind(labs)
    if not labs or kind == "other":
        return ""
    first, last = labs[0], labs[-1]
    if first == last:
        return {"year": first, "month": _month(first), "day": _day(first)}[kind]
    if kind == "year":
        return f"{first}–{last}"
    if kind == "month":
        return f"{_month(first)}–{_month(last)}"
    if first[:4] == last[:4]:
        return f"{_day(first, year=False)}–{_day(last)}"
    return f"{_day(first)}–{_day(last)}"


def with_span(title: str, labels: Sequence[Any], values: Sequence[Any] | None = None) -> str:
    """The title with the data's real span appended, unless the title already names a year."""
    span = data_span(labels, values)
    if not span or any(ch.isdigit() for ch in title):
        return title
    return f"{title}, {span}"


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About n round tick values covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    start = math.floor(lo / step) * step
    ticks: list[float] = []
    t = start
    while len(ticks) < 2 or (ticks[-1] < hi - 1e-9 * step and len(ticks) < 20):
        ticks.append(round(t, 10))
        t += step
    return ticks


def _finite(values: Iterable[Any]) -> list[float]:
    out = []
    for v in values:
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
            out.append(float(v))
    return out


def _num(v: Any) -> float | None:
    if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
        return float(v)
    return None


# ------------------------------------------------------------------------------------- charts
def _fit(text: str, width: float, char_px: float) -> str:
    """Shorten a label to about `width` pixels (the full text stays in the SVG's <title>)."""
    n = max(int(width / char_px), 4)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _svg_open(width: int, height: int, title: str, extra_class: str = "") -> str:
    cls = f"chart {extra_class}".strip()
    return (
        f'<svg class="{cls}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{esc(title)}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{esc(title)}</title>"
    )


def _mark_text(label: str, value: float, unit: str) -> str:
    """The text of the claimed-value line: 'claimed $335.0 bn', or the claim's own words when they
    already carry the figure ('nearly 258.0 kg')."""
    if any(ch.isdigit() for ch in label):
        return label
    return f"{label} {short_number(value, unit)}"


def svg_bar(
    labels: Sequence[Any],
    values: Sequence[Any],
    *,
    title: str = "",
    unit: str = "",
    highlight: Iterable[Any] = (),
    claimed: float | None = None,
    claimed_label: str = "claimed",
    width: int = 640,
) -> str:
    """Horizontal bars; highlighted labels in another colour; the claimed value as a line."""
    hl = {str(h) for h in highlight}
    rows = [(str(lab), _num(v)) for lab, v in zip(labels, values, strict=False)]
    row_h, top, left, right = 20, 28, 150, 90
    height = top + row_h * max(len(rows), 1) + 26
    nums = _finite([v for _, v in rows] + ([claimed] if claimed is not None else []))
    vmax = max([*nums, 0.0]) or 1.0
    vmin = min([*nums, 0.0])
    ticks = nice_ticks(vmin, vmax, 5)
    lo, hi = min(ticks[0], vmin), max(ticks[-1], vmax)
    span = (hi - lo) or 1.0
    plot_w = width - left - right

    def x(v: float) -> float:
        return left + (v - lo) / span * plot_w

    out = [_svg_open(width, height, title)]
    out.append(f'<text class="ct" x="4" y="16">{esc(_fit(title, width - 8, 7.4))}</text>')
    base_y = top + row_h * len(rows)
    for t, text in zip(ticks, axis_labels(ticks, unit), strict=True):
        tx = x(t)
        out.append(f'<line class="grid" x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{base_y}"/>')
        out.append(f'<text class="tick" x="{tx:.1f}" y="{base_y + 14}" text-anchor="middle">{esc(text)}</text>')
    for i, (lab, v) in enumerate(rows):
        y = top + i * row_h
        is_hl = lab in hl
        shown = lab if len(lab) <= 22 else lab[:21] + "…"
        out.append(
            f'<text class="lab{" hl" if is_hl else ""}" x="{left - 6}" y="{y + 14}" '
            f'text-anchor="end">{esc(shown)}</text>'
        )
        if v is None:
            out.append(f'<text class="val" x="{left + 4}" y="{y + 14}">not published</text>')
            continue
        x0, x1 = x(min(0.0, v)), x(max(0.0, v))
        fill = HIGHLIGHT if is_hl else BASE
        out.append(
            f'<rect class="bar{" hl" if is_hl else ""}" x="{x0:.1f}" y="{y + 3}" '
            f'width="{max(x1 - x0, 1):.1f}" height="{row_h - 6}" fill="{fill}">'
            f"<title>{esc(lab)}: {esc(short_number(v, unit))}</title></rect>"
        )
        out.append(f'<text class="val" x="{x1 + 4:.1f}" y="{y + 14}">{esc(short_number(v, unit))}</text>')
    if claimed is not None and _num(claimed) is not None:
        cx = x(claimed)
        out.append(
            f'<line class="claimed" x1="{cx:.1f}" y1="{top - 6}" x2="{cx:.1f}" y2="{base_y + 2}" '
            f'stroke="{CLAIMED}" stroke-dasharray="5 3" stroke-width="2"/>'
        )
        anchor = "end" if cx > width - right - 40 else "start"
        dx = -4 if anchor == "end" else 4
        out.append(
            f'<text class="mark-label" x="{cx + dx:.1f}" y="{top - 8}" text-anchor="{anchor}">'
            f"{esc(_mark_text(claimed_label, claimed, unit))}</text>"
        )
    out.append("</svg>")
    return "".join(out)


CHAR_PX = 7.0  # width of one character of an 11 px tick label, a little over the widest digit
MIN_GAP = 10.0  # pixels between two x-axis labels


def label_anchor(tx: float, text: str, width: float) -> tuple[str, float, float]:
    """(text-anchor, left, right) of an x-axis label at tx: centred, or kept inside the chart."""
    w = CHAR_PX * len(text)
    if tx + w / 2 > width - 2:
        return "end", tx - w, tx
    if tx - w / 2 < 2:
        return "start", tx, tx + w
    return "middle", tx - w / 2, tx + w / 2


def _x_candidates(labels: Sequence[str]) -> tuple[list[tuple[int, str]], int]:
    kind = _label_kind(labels)
    if kind == "month" and len({s[:4] for s in labels}) >= 3:
        jan = [(i, s[:4]) for i, s in enumerate(labels) if s.endswith("-01")]
        if len(jan) >= 2:
            return jan, 12  # January of each year, 12 points apart
    if kind == "month":
        return [(i, _month(s)) for i, s in enumerate(labels)], 1
    if kind == "day":
        one_year = len({s[:4] for s in labels}) == 1
        return [(i, _day(s, year=not one_year)) for i, s in enumerate(labels)], 1
    return [(i, s) for i, s in enumerate(labels)], 1


def _x_labels(
    labels: Sequence[str], x: Callable[[int], float] | None = None, width: float = 640.0, plot_w: float = 580.0
) -> list[tuple[int, str]]:
    """Which x positions get a label, and its text, so that no two labels overlap.

    Years for monthly data over three calendar years or more (January of each shown year), else
    'Jun 2025'; '4 Apr' for days within one year; every k-th label otherwise, k chosen from the
    widest label and the space between two points; then any label whose box would touch its
    neighbour's (the end labels are kept inside the chart) is dropped. The last point keeps its
    label when it can (the end of the data is what a reader looks for).
    """
    n = len(labels)
    if n == 0:
        return []
    if x is None:
        left = width - plot_w - 16

        def x(i: int) -> float:
            return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    candidates, unit_gap = _x_candidates(labels)
    spacing = plot_w / (n - 1) if n > 1 else plot_w
    widest = max(len(t) for _, t in candidates) * CHAR_PX
    step = 1
    while step < len(candidates) and spacing * unit_gap * step < widest + MIN_GAP:
        step += 1
    picked = candidates[::step]
    if picked[-1] != candidates[-1]:
        picked.append(candidates[-1])
    boxes = [(i, t, *label_anchor(x(i), t, width)[1:]) for i, t in picked]
    kept: list[tuple[int, str, float, float]] = []
    for box in boxes:
        if kept and box[2] < kept[-1][3] + MIN_GAP:
            if box is boxes[-1] and len(kept) > 1:
                kept.pop()  # keep the last point's label rather than its neighbour's
                if box[2] < kept[-1][3] + MIN_GAP:
                    continue
            else:
                continue
        kept.append(box)
    return [(i, t) for i, t, _, _ in kept]


def svg_line(
    labels: Sequence[Any],
    lines: Sequence[tuple[str, Sequence[Any], str]],
    *,
    title: str = "",
    unit: str = "",
    marks: dict[str, Any] | None = None,
    claimed: float | None = None,
    claimed_label: str = "claimed",
    width: int = 640,
    height: int = 260,
) -> str:
    """Line chart of one or more series over the same labels, with optional marks.

    marks: claimed_month (a label to mark with a vertical line and a dot), average and
    average_label (a horizontal line), points (labels whose values get a dot and their value:
    the published figures a claim was compared with).
    """
    marks = marks or {}
    labs = [str(s) for s in labels]
    n = len(labs)
    legend_h = 18 if len(lines) > 1 else 0
    avg = _num(marks.get("average"))
    extra = [v for v in (avg, _num(claimed)) if v is not None]
    nums = _finite([v for _, vals, _ in lines for v in vals] + extra)
    vmax = max([*nums, 0.0]) or 1.0
    vmin = min([*nums, 0.0])
    ticks = nice_ticks(vmin, vmax * 1.05, 5)
    lo, hi = ticks[0], max(ticks[-1], vmax)
    span = (hi - lo) or 1.0
    tick_text = axis_labels(ticks, unit)
    widest = max(len(t) for t in tick_text)
    top, bottom, left, right = 30 + legend_h, 34, max(44, 7 * widest + 12), 16
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - (v - lo) / span * plot_h

    out = [_svg_open(width, height, title)]
    out.append(f'<text class="ct" x="4" y="16">{esc(_fit(title, width - 8, 7.4))}</text>')
    if legend_h:
        lx = left
        for name, _, color in lines:
            out.append(
                f'<rect x="{lx}" y="{24}" width="12" height="4" fill="{esc(color)}"/>'
                f'<text class="tick" x="{lx + 16}" y="{30}">{esc(name)}</text>'
            )
            lx += 24 + 7 * len(name)
    for t, text in zip(ticks, tick_text, strict=True):
        ty = y(t)
        out.append(f'<line class="grid" x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}"/>')
        out.append(f'<text class="tick" x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{esc(text)}</text>')
    for i, lab in _x_labels(labs, x, width, plot_w):
        tx = x(i)
        anchor = label_anchor(tx, lab, width)[0]
        out.append(
            f'<text class="tick xl" x="{tx:.1f}" y="{height - bottom + 16}" text-anchor="{anchor}">{esc(lab)}</text>'
        )
        out.append(f'<line class="grid" x1="{x(i):.1f}" y1="{top + plot_h}" x2="{x(i):.1f}" y2="{top + plot_h + 4}"/>')
    for name, vals, color in lines:
        segs: list[list[str]] = [[]]
        for i, v in enumerate(vals[:n]):
            fv = _num(v)
            if fv is None:
                segs.append([])
                continue
            segs[-1].append(f"{x(i):.1f},{y(fv):.1f}")
        for seg in segs:
            if len(seg) > 1:
                out.append(
                    f'<polyline class="line" fill="none" stroke="{esc(color)}" stroke-width="2" '
                    f'points="{" ".join(seg)}"><title>{esc(name)}</title></polyline>'
                )
            elif len(seg) == 1:
                px, py = seg[0].split(",")
                out.append(f'<circle cx="{px}" cy="{py}" r="2" fill="{esc(color)}"/>')
    if avg is not None:
        ay = y(avg)
        label = str(marks.get("average_label") or "average")
        out.append(
            f'<line class="average" x1="{left}" y1="{ay:.1f}" x2="{width - right}" y2="{ay:.1f}" '
            f'stroke="{AVERAGE}" stroke-dasharray="6 4" stroke-width="1.5"/>'
        )
        out.append(
            f'<text class="mark-label avg" x="{left + 4}" y="{ay - 4:.1f}">'
            f"{esc(label)}: {esc(short_number(avg, unit))}</text>"
        )
    cv = _num(claimed)
    if cv is not None:
        cy = y(cv)
        out.append(
            f'<line class="claimed" x1="{left}" y1="{cy:.1f}" x2="{width - right}" y2="{cy:.1f}" '
            f'stroke="{CLAIMED}" stroke-dasharray="5 3" stroke-width="1.5"/>'
        )
        out.append(
            f'<text class="mark-label" x="{width - right - 4}" y="{cy - 4:.1f}" text-anchor="end">'
            f"{esc(_mark_text(claimed_label, cv, unit))}</text>"
        )
    month = marks.get("claimed_month")
    if month is not None and str(month) in labs:
        i = labs.index(str(month))
        mx = x(i)
        out.append(
            f'<line class="month" x1="{mx:.1f}" y1="{top}" x2="{mx:.1f}" y2="{top + plot_h}" '
            f'stroke="{HIGHLIGHT}" stroke-dasharray="3 3" stroke-width="1.5"/>'
        )
        v = _num(lines[0][1][i]) if lines and i < len(lines[0][1]) else None
        if v is not None:
            out.append(
                f'<circle class="month-dot" cx="{mx:.1f}" cy="{y(v):.1f}" r="4.5" '
                f'fill="{HIGHLIGHT}">'
                f"<title>{esc(month)}: {esc(short_number(v, unit))}</title></circle>"
            )
        anchor = "end" if mx > left + plot_w * 0.7 else "start"
        dx = -6 if anchor == "end" else 6
        text = f"{month}: {short_number(v, unit)}" if v is not None else str(month)
        out.append(
            f'<text class="mark-label hl" x="{mx + dx:.1f}" y="{top + 12}" text-anchor="{anchor}">{esc(text)}</text>'
        )
    for k, point in enumerate(marks.get("points") or []):
        # published values the claim was compared with (e.g. the totals that bracket a date)
        if str(point) not in labs or not lines:
            continue
        i = labs.index(str(point))
        v = _num(lines[0][1][i]) if i < len(lines[0][1]) else None
        if v is None:
            continue
        qx, qy = x(i), y(v)
        text = short_number(v, unit) + (f" {unit}" if unit in ("kg", "lb") else "")
        anchor = "end" if qx > left + plot_w * 0.6 else "start"
        dx = -7 if anchor == "end" else 7
        dy = -8 if k % 2 == 0 else 16
        out.append(
            f'<circle class="point" cx="{qx:.1f}" cy="{qy:.1f}" r="4.5" fill="{HIGHLIGHT}">'
            f"<title>{esc(point)}: {esc(text)}</title></circle>"
            f'<text class="mark-label hl" x="{qx + dx:.1f}" y="{qy + dy:.1f}" text-anchor="{anchor}">{esc(text)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def svg_pair(
    claimed: float,
    computed: float,
    unit: str,
    *,
    title: str = "claimed vs computed",
    claimed_label: str = "claimed",
    width: int = 640,
) -> str:
    """Two bars: the claimed value and the computed one."""
    return svg_bar(
        [claimed_label, "computed"],
        [claimed, computed],
        title=title,
        unit=unit,
        highlight=["computed"],
        width=width,
    )


def _comparable(c: ClaimResult, unit: str) -> bool:
    return (
        c.claimed.value is not None
        and c.claimed.unit == unit
        and c.comparator not in ("largest", "lowest", "true", "times", "pct_lower", "pct_higher")
    )


NO_PAIR_CHART = ("largest", "lowest", "true")  # a rank or a yes/no: two bars would say nothing


def claim_chart(c: ClaimResult) -> Markup:
    """The chart of one claim: its evidence series, else claimed vs computed, else a note."""
    s = c.series
    if s and isinstance(s.get("labels"), list) and isinstance(s.get("values"), list) and s.get("values"):
        unit = str(s.get("unit") or "")
        claimed = c.claimed.value if _comparable(c, unit) else None
        if s.get("kind") == "bar":
            title = str(s.get("title") or c.reading)
            return Markup(
                svg_bar(
                    s["labels"],
                    s["values"],
                    title=title,
                    unit=unit,
                    highlight=s.get("highlight") or [],
                    claimed=claimed,
                    claimed_label=claimed_text(c) if claimed is not None else "claimed",
                )
            )
        title = with_span(str(s.get("title") or c.reading), s["labels"], s["values"])
        raw_marks = s.get("marks")
        marks: dict[str, Any] = dict(raw_marks) if isinstance(raw_marks, dict) else {}
        cmp = c.compared or {}
        if cmp.get("kind") == "bracket":
            marks["points"] = [side["date"] for side in (cmp.get("before"), cmp.get("after")) if side]
        return Markup(
            svg_line(
                s["labels"],
                [(title, s["values"], LINE_COLORS[0])],
                title=title,
                unit=unit,
                marks=marks,
                claimed=claimed,
                claimed_label=claimed_text(c) if claimed is not None else "claimed",
            )
        )
    if (
        c.computed is not None
        and c.computed.value is not None
        and c.claimed.value is not None
        and c.comparator not in NO_PAIR_CHART
    ):
        unit = c.computed.unit or c.claimed.unit
        return Markup(
            svg_pair(
                c.claimed.value,
                c.computed.value,
                unit,
                title=f"claimed vs computed ({unit})" if unit else "claimed vs computed",
                claimed_label="claimed",
            )
        )
    if c.computed is not None and c.computed.value is not None:
        return Markup('<p class="nochart">no chart: the figure is a rank or a yes/no, shown above</p>')
    return Markup('<p class="nochart">no chart: value not computable</p>')


# -------------------------------------------------------------------------------------- cards
def sentence_parts(sentence: str, text: str) -> tuple[str, str, str]:
    """Split the sentence around the claim's text (before, claim, after) for <mark>."""
    if text:
        i = sentence.find(text)
        if i < 0:
            i = sentence.lower().find(text.lower())
        if i >= 0:
            return sentence[:i], sentence[i : i + len(text)], sentence[i + len(text) :]
    if not sentence:
        return "", text, ""
    return sentence + " ", text, ""


def word_amount(v: float | None, unit: str) -> str:
    """An amount for a sentence: '163 kg', '$335.0 bn', '5.3%', '25,185 encounters'."""
    if v is None:
        return "—"
    if unit in ("kg", "lb") and abs(v - round(v)) < 1e-9:
        return f"{v:,.0f} {unit}"
    return fmt_amount(Amount(value=v, unit=unit))


def _with_year(d: str, ref: str | None) -> str:
    return long_date(d, with_year=not (ref and ref[:4] == d[:4]))


def comparison_words(c: ClaimResult, as_of: str | None = None) -> str:
    """One sentence that says what the claimed value was compared with (from `c.compared`)."""
    cmp = c.compared or {}
    kind = cmp.get("kind")
    unit = str(cmp.get("unit") or c.claimed.unit or "")
    claimed = _num(cmp.get("claimed"))
    said = claimed_text(c) if c.claimed.value is not None else ""
    if kind == "bracket":
        before, after = cmp.get("before"), cmp.get("after")
        day = cmp.get("as_of") or as_of
        when = f" ({long_date(day)})" if day else ""
        if before and after:
            lo, hi = float(before["value"]), float(after["value"])
            words = (
                f"Compared with the published totals of {_with_year(before['date'], day)} "
                f"({word_amount(lo, unit)}) and {_with_year(after['date'], day)} ({word_amount(hi, unit)}), "
                f"which bracket the text's date{when}; no total is published for that day."
            )
            if claimed is not None:
                if lo <= claimed <= hi:
                    words += f" The claimed {word_amount(claimed, unit)} lies between them."
                elif claimed < lo:
                    words += f" The claimed {word_amount(claimed, unit)} is below both."
                else:
                    words += f" The claimed {word_amount(claimed, unit)} is above both."
            return words
        side = before or after
        if side:
            which = "latest published total before" if before else "first published total after"
            return (
                f"Compared with the {which} the text's date{when}: {long_date(side['date'])} "
                f"({word_amount(float(side['value']), unit)}); none is published on the other side."
            )
        return ""
    if kind == "points":
        gap = float(cmp["gap"])
        return (
            f"Claimed {word_amount(claimed, 'percent')}, computed {word_amount(_num(cmp.get('computed')), 'percent')} "
            f"({abs(gap):.1f} points {'higher' if gap > 0 else 'lower'})."
            if round(gap, 1) != 0
            else f"Claimed {word_amount(claimed, 'percent')}, computed "
            f"{word_amount(_num(cmp.get('computed')), 'percent')} (the same to one decimal)."
        )
    if kind == "lower_bound":
        return (
            f"Compared with an official statement that gives only a lower bound: more than "
            f"{word_amount(_num(cmp.get('value')), unit)}; the claim says {said}."
        )
    if kind == "value" and c.comparator not in NO_PAIR_CHART:
        comp = _num(cmp.get("computed"))
        if claimed is None or comp is None:
            return ""
        text = f"Claimed {said}, computed {word_amount(comp, unit)}"
        d = c.difference_pct
        if d is not None and math.isfinite(d) and abs(d) >= 0.05:
            text += f" ({abs(d):.1f}% {'higher' if d > 0 else 'lower'} than claimed)"
        elif d is not None:
            text += " (the same)"
        return text + "."
    return ""


def _difference(c: ClaimResult) -> tuple[str, str]:
    """(label, value) of the third figure on a card: the range of a bracket, points, or percent."""
    cmp = c.compared or {}
    if cmp.get("kind") == "bracket" and cmp.get("before") and cmp.get("after"):
        unit = str(cmp.get("unit") or "")
        lo, hi = float(cmp["before"]["value"]), float(cmp["after"]["value"])
        return "published range", f"{word_amount(lo, unit)} – {word_amount(hi, unit)}"
    if cmp.get("kind") == "points":
        return "difference", f"{float(cmp['gap']):+.1f} points"
    if c.difference_pct is None or not math.isfinite(c.difference_pct):
        return "", ""
    return "difference", f"{c.difference_pct:+.1f}%"


def card(c: ClaimResult, as_of: str | None = None) -> dict[str, Any]:
    before, marked, after = sentence_parts(c.sentence, c.text)
    diff_label, diff = _difference(c)
    return {
        "id": c.id,
        "verdict": c.verdict,
        "verdict_label": VERDICT_LABELS.get(c.verdict, c.verdict),
        "before": before,
        "marked": marked,
        "after": after,
        "topic": c.topic,
        "metric": c.metric,
        "claimed": claimed_text(c),
        "computed": fmt_amount(c.computed),
        "difference": diff,
        "difference_label": diff_label,
        "compared": comparison_words(c, as_of),
        "reason": c.reason,
        "reading": c.reading,
        "others": [
            {
                "name": o.name,
                "description": o.description,
                "computed": fmt_amount(o.computed),
                "verdict": o.verdict,
            }
            for o in c.other_readings
        ],
        "notes": c.notes,
        "computation": c.computation,
        "queries": c.queries,
        "evidence": [_source_row(e) for e in c.evidence],
        "chart": claim_chart(c),
    }


def _source_row(e: EvidenceOut) -> dict[str, Any]:
    return {
        "id": e.source_id,
        "agency": e.agency or "",
        "title": e.title or "",
        "file": e.file or "",
        "vintage": e.vintage or "",
        "sha": (e.sha256 or "")[:12],
        "sha256": e.sha256 or "",
        "dataset": e.source_id.split("@")[0],
        "url": e.url or "",
        "label": e.label or ("official statement" if e.kind == "official statement" else "official statistics"),
    }


def report_sources(report: CheckReport) -> list[dict[str, Any]]:
    """The sources behind the claims, once each, in order of first use."""
    seen: dict[str, dict[str, Any]] = {}
    for c in report.claims:
        for e in c.evidence:
            if e.source_id not in seen:
                row = _source_row(e)
                row["claims"] = [c.id]
                seen[e.source_id] = row
            elif c.id not in seen[e.source_id]["claims"]:
                seen[e.source_id]["claims"].append(c.id)
    return list(seen.values())


def dataset_names(report: CheckReport) -> list[dict[str, str]]:
    """The datasets of the report in words: agency and table title (from the sources' own
    metadata, else the evidence), where the data came from, and the dataset id (for details)."""
    from usmca.sources import load_all

    registry = load_all()
    used = {e.source_id.split("@")[0] for c in report.claims for e in c.evidence}
    from_evidence = {
        e.source_id.split("@")[0]: (e.agency or "", e.title or "") for c in report.claims for e in c.evidence
    }
    rows = []
    for ds, origin in sorted(report.data.items()):
        info = registry.get(ds)
        agency, title = (info.agency, info.title) if info is not None else from_evidence.get(ds, ("", ""))
        rows.append(
            {
                "id": ds,
                "agency": agency or ds,
                "title": title,
                "origin": {"snapshot": "bundled snapshot", "store": "your store"}.get(origin, origin),
                "used": "yes" if ds in used else "",
            }
        )
    rows.sort(key=lambda r: (r["used"] != "yes", r["agency"], r["title"]))
    return rows


def report_context(report: CheckReport, *, printing: bool = False) -> dict[str, Any]:
    datasets = dataset_names(report)
    return {
        "report": report,
        "cards": [card(c, report.as_of) for c in report.claims],
        "counts": report.counts(),
        "not_checked": report.not_checked,
        "sources": report_sources(report),
        "data": report.data,
        "datasets_used": [d for d in datasets if d["used"]],
        "datasets_other": [d for d in datasets if not d["used"]],
        "printing": printing,
    }


def render_cards(report: CheckReport, *, printing: bool = False) -> Markup:
    """The summary, the cards and the sources as an HTML fragment (for the web checker).

    printing: the folded parts ("How this was computed") are open, for paper.
    """
    return Markup(env().get_template("_report_body.html.j2").render(**report_context(report, printing=printing)))


def render_html(report: CheckReport, *, printing: bool = False) -> str:
    """One self-contained HTML page: inline CSS and SVG, no external resource."""
    return (
        env()
        .get_template("report.html.j2")
        .render(
            body=render_cards(report, printing=printing), title=f"Claim check: {report.document}", printing=printing
        )
    )


def write_html(report: CheckReport, path: str | Path, *, printing: bool = False) -> Path:
    p = Path(path)
    p.write_text(render_html(report, printing=printing), encoding="utf-8")
    return p


def iso(v: Any) -> str:
    if isinstance(v, datetime | date):
        return v.isoformat()[:10]
    return "" if v is None else str(v)


__all__ = [
    "Amount",
    "card",
    "axis_labels",
    "claim_chart",
    "comparison_words",
    "data_span",
    "dataset_names",
    "env",
    "nice_ticks",
    "render_cards",
    "render_html",
    "report_sources",
    "sentence_parts",
    "short_number",
    "svg_bar",
    "svg_line",
    "svg_pair",
    "write_html",
]
