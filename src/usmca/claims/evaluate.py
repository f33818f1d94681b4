"""Judge a claim against computed figures: verdicts with their reasons and evidence.

Never guess: a figure that cannot be computed from loaded data gives `unverifiable`.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from typing import Any

from usmca.claims.lexicon import load as load_lexicon
from usmca.claims.model import Amount, Claim, ClaimResult, EvidenceOut, ReadingOut, Verdict
from usmca.formats import in_words
from usmca.indicators.base import Context, Figure, IndicatorError, compute

# Words that make a figure approximate ("nearly 90%"): such a claim gets HEDGE_TOLERANCE.
APPROX_HEDGES = frozenset(h for h, c in (load_lexicon("hedges").get("before") or {}).items() if c == "about")
HEDGE_TOLERANCE = 0.10  # "approximately": within 10% of the claimed value, when the claim is hedged
PLAIN_TOLERANCE = 0.02  # a claim without a hedge word gets only this much slack beyond its rounding
LETTER_CAP = 0.02  # a round number ("$300 billion", "$4,000") allows at most 2% for its rounding
DIGIT_CAP = 0.05  # a number written to its last digit ("$15 billion", "2.3") allows at most 5%


def letter_tolerance(value: float, precision: float | None, round_number: bool = True) -> float:
    """Relative tolerance implied by how the claimed number is written (its rounding).

    Half the last written digit; capped at 2% for round numbers (trailing zeros: a round number
    is no licence to be 10% off) and at 5% otherwise; never below 0.1%.
    """
    if value == 0:
        return 0.0
    if precision is None:
        precision = _implied_precision(value)
    return min(max(precision / 2 / abs(value), 0.001), LETTER_CAP if round_number else DIGIT_CAP)


def _implied_precision(value: float) -> float:
    v = abs(value)
    if v == 0:
        return 1.0
    s = f"{v:.6g}"
    if "e" in s:
        mant, exp = s.split("e")
        digits = mant.replace(".", "").rstrip("0")
        return float(10 ** (int(exp) - (len(digits) - 1)))
    if "." in s:
        return float(10 ** -(len(s.split(".")[1])))
    stripped = s.rstrip("0")
    return float(10 ** (len(s) - len(stripped)))


def judge(
    comparator: str,
    claimed: float | None,
    computed: float | None,
    *,
    hedge: str | None = None,
    tolerance: float | None = None,
    precision: float | None = None,
    bracket: list[Any] | None = None,
    round_number: bool = True,
) -> tuple[Verdict, str, float | None]:
    """Return (verdict, reason, difference_pct) for one comparison."""
    if tolerance is not None:
        tol = tolerance
    elif comparator == "about" or hedge in APPROX_HEDGES:  # "about", "nearly", "roughly": 10%
        tol = HEDGE_TOLERANCE
    else:  # a plain figure or a comparison ("more than", "over"): 2% beyond the number's rounding
        tol = PLAIN_TOLERANCE
    if bracket is not None and claimed is not None:
        lo, hi = bracket
        # The total on the text's date lies between the totals published just before (lo) and just
        # after (hi) it: "over X" holds for sure when lo > X, fails for sure when hi < X.
        if comparator in ("over", "at_least", "under", "at_most"):
            above = comparator in ("over", "at_least")
            sure = lo is not None and (lo > claimed if above else lo >= claimed)
            never = hi is not None and (hi <= claimed if above else hi < claimed)
            if above and sure or not above and never:
                return (
                    "supported",
                    (
                        "the published total before the text's date is already above the claim"
                        if above
                        else "even the published total after the text's date is below the claim"
                    ),
                    _diff(claimed, computed),
                )
            if above and never or not above and sure:
                edge = hi if above else lo
                close = edge is not None and abs(edge - claimed) / abs(claimed) <= tol
                return (
                    "approximately" if close else "contradicted",
                    "the published totals around the text's date are " + ("below" if above else "above") + " the claim",
                    _diff(claimed, computed),
                )
            return (
                "approximately",
                "the claim lies between the published totals that bracket the text's "
                "date; no exact figure for that date is published",
                _diff(claimed, computed),
            )
        letter_b = letter_tolerance(claimed, precision, round_number)
        if computed is not None and abs(computed - claimed) <= letter_b * abs(claimed):
            return "supported", "matches a published total", _diff(claimed, computed)
        if (lo is None or claimed >= lo) and (hi is None or claimed <= hi):
            return (
                "approximately",
                "consistent with the published totals that bracket the text's date; "
                "no exact figure for that date is published",
                _diff(claimed, computed),
            )
        near = [b for b in (lo, hi) if b is not None]
        if near and min(abs(claimed - b) / abs(claimed) for b in near) <= tol:
            return "approximately", "just outside the published totals around the text's date", _diff(claimed, computed)
        return "contradicted", "outside the published running totals around the text's date", _diff(claimed, computed)
    if computed is None or (isinstance(computed, float) and math.isnan(computed)):
        return "unverifiable", "no figure could be computed", None
    if comparator in ("largest", "lowest"):
        ok = round(computed) == 1
        what = "the largest" if comparator == "largest" else "the lowest"
        return (
            "supported" if ok else "contradicted",
            f"is {what}" if ok else f"ranks {int(computed)}, not {what}",
            None,
        )
    if comparator == "true":
        ok = computed >= 1 - 1e-9
        return ("supported" if ok else "contradicted", "holds" if ok else "does not hold", None)
    if claimed is None:
        return "unverifiable", f"no figure is claimed to compare with ours ({in_words(computed)})", None
    c = computed
    v = claimed
    if comparator == "pct_lower":
        c = -computed
    letter = letter_tolerance(v, precision, round_number)
    d = _diff(v, c)
    # relative to the smaller of the two, so "about 14 million" for 12.67 million (10.5% off the truth) is not "about"
    rel = abs(c - v) / min(abs(v), abs(c)) if v and c else abs(c - v) / abs(v) if v else abs(c - v)
    if comparator in ("over", "at_least"):
        ok = c > v if comparator == "over" else c >= v * (1 - 1e-12)
        if ok:
            return "supported", f"{in_words(c)} is {'above' if comparator == 'over' else 'at least'} {in_words(v)}", d
        if rel <= tol:
            return "approximately", f"{in_words(c)} is close to but not above {in_words(v)}", d
        return "contradicted", f"{in_words(c)} is below {in_words(v)} by more than the {tol:.0%} allowed", d
    if comparator in ("under", "at_most"):
        ok = c < v if comparator == "under" else c <= v * (1 + 1e-12)
        if ok:
            return "supported", f"{in_words(c)} is below {in_words(v)}", d
        if rel <= tol:
            return "approximately", f"{in_words(c)} is close to but not below {in_words(v)}", d
        return "contradicted", f"{in_words(c)} is above {in_words(v)} by more than the {tol:.0%} allowed", d
    # eq / about / times / pct_lower / pct_higher
    if hedge in ("nearly", "almost", "close to", "just under", "just below", "just shy of") and v * (
        1 - tol
    ) <= c <= v * (1 + letter):
        return "supported", f"{in_words(c)} is just under {in_words(v)}", d
    if hedge in ("just over", "more than", "over") and v * (1 - letter) <= c <= v * (1 + tol):
        return "supported", f"{in_words(c)} is just over {in_words(v)}", d
    if rel <= letter:
        return "supported", f"{in_words(c)} rounds to {in_words(v)}", d
    # A hedged figure ("about") allows 10% in all; a plain one 2% beyond its own rounding.
    band = tol if (comparator == "about" or hedge in APPROX_HEDGES or tolerance is not None) else letter + tol
    if rel <= band:
        return "approximately", f"{in_words(c)} is within {band:.0%} of {in_words(v)} but not equal to it", d
    return "contradicted", f"{in_words(c)} differs from {in_words(v)} by {d:+.1f}%", d


POINT_METRICS = {
    "trade_growth",
    "wdi_growth",
    "product_share",
    "product_growth",
    "partner_share",
    "partners_share",
    "top_partners_share",
    "gdp_share",
    "encounters_change",
    "seizures_change",
    "import_content_share",
    "employment_change_pct",
    "trade_share_of_gdp",
    "encounters_share",
    "seizures_share",
}  # percentages judged in percentage points


def judge_points(
    comparator: str, claimed: float, computed: float, *, hedge: str | None, precision: float | None, round_number: bool
) -> tuple[Verdict, str, float | None]:
    """A percentage (growth, share) judged in percentage points, not relative to itself.

    "Grew 3%" covers 2.5-3.5 (half the last digit; at most 1 point for a round "10%"); a plain
    figure is approximately right within 1 point more, a hedged one within max(1, 10% of it).
    """
    prec = precision if precision is not None else _implied_precision(claimed)
    letter = max(prec / 2, 0.05)
    if round_number:
        letter = min(letter, 1.0)
    extra = max(1.0, 0.1 * abs(claimed)) if (comparator == "about" or hedge in APPROX_HEDGES) else 1.0
    gap = computed - claimed
    d = _diff(claimed, computed)
    shown = f"{computed:.2f}% against {claimed:g}%"
    if comparator in ("over", "at_least", "under", "at_most"):
        above = comparator in ("over", "at_least")
        if (gap > 0) == above and gap != 0:
            return "supported", f"{shown}: {'above' if above else 'below'} it", d
        if abs(gap) <= extra:
            return "approximately", f"{shown}: close to it but not {'above' if above else 'below'}", d
        return "contradicted", f"{shown}: {abs(gap):.1f} points {'below' if above else 'above'}", d
    if abs(gap) <= letter + 1e-9:
        return "supported", f"{shown}: rounds to it", d
    if abs(gap) <= letter + extra:
        return "approximately", f"{shown}: {abs(gap):.1f} points off", d
    return "contradicted", f"{shown}: {abs(gap):.1f} points off", d


def _diff(claimed: float | None, computed: float | None) -> float | None:
    if claimed is None or computed is None or claimed == 0:
        return None
    return round((computed - claimed) / abs(claimed) * 100, 2)


def _evidence(fig: Figure) -> list[EvidenceOut]:
    return [EvidenceOut(**e.to_dict()) for e in fig.evidence]


def _compute(ctx: Context, metric: str, params: dict[str, Any]) -> Figure:
    clean = {k: v for k, v in params.items() if not k.startswith("_")}
    try:
        return compute(ctx, metric, **clean)
    except IndicatorError as e:
        return Figure(None, "", metric, clean, missing=str(e))
    except Exception as e:  # never turn a failure into a verdict
        return Figure(None, "", metric, clean, missing=f"could not compute ({type(e).__name__}: {e})")


def interval_unit(seconds: float) -> str:
    return {1.0: "seconds", 60.0: "minutes", 3600.0: "hours", 86400.0: "days", 604800.0: "weeks"}.get(
        seconds, f"{seconds:g} s"
    )


def _per(fig: Figure, params: dict[str, Any] | Any) -> Figure:
    """A total read as the rate the words state: "33 pounds a day in fiscal 2025" is the year's total over its days."""
    scale = params.get("_scale") if isinstance(params, dict) else None
    if not scale or fig.value is None:
        return fig
    n, unit = scale
    return dataclasses.replace(
        fig,
        value=fig.value / n,
        unit=f"{fig.unit} {unit}",
        computation=f"{fig.computation}; / {n:g} = {fig.value / n:,.2f} {unit}",
    )


def evaluate(claim: Claim, ctx: Context) -> ClaimResult:
    fig = _per(_compute(ctx, claim.metric, claim.params), claim.params)
    precision = claim.params.get("_precision") if isinstance(claim.params, dict) else None
    verdict, reason, diff = _judge_fig(claim.comparator, claim.value, fig, claim, precision)
    interval = claim.params.get("_interval") if isinstance(claim.params, dict) else None
    if interval and fig.value and verdict in ("approximately", "contradicted"):
        # "one every five minutes": the interval the figure gives, in the words' unit, rounds to the stated one
        n, unit_s, events, period_s = interval
        actual = events * period_s / (fig.value * unit_s)
        if abs(actual - n) <= 0.5:  # the words round the interval to a whole number of units
            verdict = "supported"
            reason = f"the data give one every {actual:.2f} {interval_unit(unit_s)}, which rounds to the stated {n:g}"
    others = []
    for r in claim.readings:
        f2 = _per(_compute(ctx, r.metric, r.params), claim.params)
        v2, why2, d2 = _judge_fig(
            r.comparator or claim.comparator, r.value if r.value is not None else claim.value, f2, claim, precision
        )
        others.append(
            ReadingOut(
                name=r.name,
                description=r.description or f2.label,
                metric=r.metric,
                params=r.params,
                computed=Amount(value=f2.value, unit=f2.unit) if f2.value is not None else None,
                verdict=v2,
                difference_pct=d2,
            )
        )
    notes = list(fig.notes)
    if isinstance(claim.params, dict) and claim.params.get("_rate"):
        notes.insert(0, f"the claim states a rate: {claim.params['_rate']}")
    if others and any(o.verdict != verdict for o in others):
        notes.append("readings disagree: " + "; ".join(f"{o.name}: {o.verdict}" for o in others))
    undecided = isinstance(claim.params, dict) and claim.params.get("_undecided")
    if undecided and verdict in ("contradicted", "unverifiable"):
        # The words allow several measures (goods or goods and services, calendar or fiscal year) and do not
        # choose: a claim that holds under one of them is not called wrong.
        fits = [o for o in others if o.verdict in ("supported", "approximately")]
        if fits and claim.comparator in ("largest", "lowest") or (fits and claim.unit == "rank"):
            reason = (
                f"the readings the words allow disagree ({fig.label}: {verdict}; "
                + "; ".join(f"{o.name}: {o.verdict}" for o in others)
                + "): the text does not say which it means"
            )
            verdict = "unverifiable"
        elif fits:
            best = fits[0]
            reason = (
                f"holds under another reading the words allow ({best.name}: {best.verdict}); {fig.label}: {verdict}"
            )
            verdict = "approximately" if verdict == "contradicted" else best.verdict
    if verdict == "unverifiable" and fig.missing:
        reason = fig.missing
    elif claim.comparator == "lowest" and fig.parts.get("since"):
        y, m = (int(x) for x in str(fig.parts["since"]).split("-")[:2])
        first = date(y, m, 1).strftime("%B %Y")
        n = fig.parts.get("months_compared", "all")
        reason += f" of {n} months since {first}, the first month in the loaded data"
    elif claim.value is None and fig.value is not None and claim.comparator not in ("largest", "lowest", "true"):
        reason = f"the claim names no figure to compare; ours is {fig.value:,.3g} {fig.unit} ({fig.label})"
    elif fig.parts.get("cited"):
        reason += f" (per {fig.parts['cited']}, {fig.parts.get('data_year')})"
    elif fig.parts.get("data_year") is not None:
        reason += f" (data year {fig.parts['data_year']}, the latest available)"
    return ClaimResult(
        id=claim.id,
        sentence=claim.sentence,
        text=claim.text,
        span=claim.span,
        topic=claim.topic,
        metric=claim.metric,
        params={k: v for k, v in claim.params.items() if not k.startswith("_")},
        comparator=claim.comparator,
        hedge=claim.hedge,
        claimed=Amount(value=claim.value, unit=claim.unit),
        computed=Amount(value=fig.value, unit=fig.unit) if fig.value is not None else None,
        difference_pct=diff,
        verdict=verdict,
        reason=reason,
        reading=fig.label,
        other_readings=others,
        evidence=_evidence(fig),
        computation=fig.computation,
        queries=fig.queries,
        notes=notes,
        missing=fig.missing,
        series=fig.series,
        compared=compared(claim, fig, ctx.as_of),
    )


def compared(claim: Claim, fig: Figure, as_of: date | None = None) -> dict[str, Any] | None:
    """What the claimed value was compared with, as data for words on a card (no verdict logic here).

    - "bracket": the published running totals just before and after the text's date
      (`before`/`after`: {"date", "value"} or None, `as_of` the text's date, `unit`);
    - "lower_bound": a statement that gives only "more than `value`";
    - "points": a percentage judged in percentage points (`claimed`, `computed`, `gap` in points);
    - "value": the claimed value against the computed one (`claimed`, `computed`, `unit`).
    None when there was nothing to compare (no figure claimed or computed).
    """
    parts = fig.parts or {}
    if fig.missing is not None:
        return None
    bracket = parts.get("bracket")
    if isinstance(bracket, list | tuple) and len(bracket) == 2:
        dates = parts.get("bracket_dates") or [None, None]

        def side(i: int) -> dict[str, Any] | None:
            v = bracket[i]
            d = dates[i] if i < len(dates) else None
            if v is None or d is None:
                return None
            return {"date": str(d)[:10], "value": float(v)}

        return {
            "kind": "bracket",
            "before": side(0),
            "after": side(1),
            "as_of": as_of.isoformat() if as_of is not None else None,
            "unit": fig.unit,
            "claimed": claim.value,
        }
    if fig.value is None or claim.value is None:
        return None
    if parts.get("lower_bound"):
        return {"kind": "lower_bound", "value": fig.value, "unit": fig.unit, "claimed": claim.value}
    if (
        claim.metric in POINT_METRICS
        and fig.unit == "percent"
        and claim.comparator in ("eq", "about", "over", "at_least", "under", "at_most")
    ):
        return {
            "kind": "points",
            "claimed": claim.value,
            "computed": fig.value,
            "gap": fig.value - claim.value,
            "unit": "percent",
        }
    return {"kind": "value", "claimed": claim.value, "computed": fig.value, "unit": fig.unit}


def _judge_fig(
    comparator: str, claimed: float | None, fig: Figure, claim: Claim, precision: float | None
) -> tuple[Verdict, str, float | None]:
    bracket = fig.parts.get("bracket") if fig.parts else None
    if fig.missing is not None:
        return "unverifiable", fig.missing, None
    round_number = bool(claim.params.get("_round", True)) if isinstance(claim.params, dict) else True
    if fig.parts.get("lower_bound") and claimed is not None and fig.value is not None:
        # the statement says "over X": the true figure is at least X
        bound = fig.value
        if comparator in ("under", "at_most"):
            if claimed < bound:
                return "contradicted", f"the statement gives more than {in_words(bound)}", _diff(claimed, bound)
            return "unverifiable", f"the statement gives only a lower bound ({in_words(bound)})", None
        if comparator in ("over", "at_least") and claimed <= bound * (1 + 1e-9):
            return (
                "supported",
                f"the statement gives more than {in_words(bound)}; the claim is within that",
                _diff(claimed, bound),
            )
        if claimed <= bound * (1 + 1e-9):  # "about $50 billion" against "over $83 billion"
            return judge(
                comparator,
                claimed,
                bound,
                hedge=claim.hedge,
                tolerance=claim.tolerance,
                precision=precision,
                round_number=round_number,
            )
        return (
            "unverifiable",
            f"the statement gives only 'more than {in_words(bound)}', so a higher figure can be "
            "neither confirmed nor refuted",
            _diff(claimed, bound),
        )
    if isinstance(claim.params, dict) and claim.params.get("_sign") and fig.value is not None:
        # a direction without a number ("fell", "widened"): the sign of the change decides, exactly
        up = fig.value > 0
        want_up = comparator in ("over", "at_least")
        moved = "rose" if up else ("fell" if fig.value < 0 else "did not change")
        return (
            "supported" if up == want_up and fig.value != 0 else "contradicted",
            f"the figure {moved} ({fig.value:+.1f}{'%' if fig.unit == 'percent' else ''})",
            None,
        )
    round_number = bool(claim.params.get("_round", True)) if isinstance(claim.params, dict) else True
    if (
        claim.metric in POINT_METRICS
        and claimed is not None
        and fig.value is not None
        and fig.unit == "percent"
        and comparator in ("eq", "about", "over", "at_least", "under", "at_most")
    ):
        return judge_points(
            comparator, claimed, fig.value, hedge=claim.hedge, precision=precision, round_number=round_number
        )
    if bracket is not None:
        return judge(
            comparator,
            claimed,
            fig.value,
            hedge=claim.hedge,
            tolerance=claim.tolerance,
            precision=precision,
            bracket=bracket,
            round_number=round_number,
        )
    return judge(
        comparator,
        claimed,
        fig.value,
        hedge=claim.hedge,
        tolerance=claim.tolerance,
        precision=precision,
        round_number=round_number,
    )
