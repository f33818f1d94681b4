"""Helpers over the `statements` table (figures published only in official statements).

Pure functions over a `Reader`. Records come from `usmca.sources.statements` (dataset
`official.statements`); evidence from them ranks below statistical releases.

* `running_total_around(reader, measure, as_of)`: the published running totals just before
  (on or before `as_of`) and just after a date. A running total is rarely published for the
  exact day a text refers to: the two records bracket it.
* `period_totals(reader, measure)`: the non-cumulative figures (totals for a stated period).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from usmca.store.reader import Reader


@dataclass(frozen=True)
class StatementRow:
    """One statement record as stored, with the source it was loaded from."""

    statement_id: str
    agency: str
    country: str
    title: str
    date: dt.date
    url: str | None
    measure: str
    period_start: dt.date | None
    period_end: dt.date | None
    value: float
    unit: str
    cumulative: bool
    note: str | None
    source_id: str

    @property
    def as_of(self) -> dt.date:
        """The day the figure counts up to: the period's end, else the statement date."""
        return self.period_end or self.date


def _d(v: Any) -> date | None:
    if v is None or (not isinstance(v, date) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, date):
        return v
    return pd.Timestamp(str(v)).date()


def _row(r: dict[str, Any]) -> StatementRow:
    def s(k: str) -> str | None:
        v = r.get(k)
        return None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)

    d = _d(r["date"])
    assert d is not None
    return StatementRow(
        statement_id=str(r["statement_id"]),
        agency=str(r["agency"]),
        country=str(r["country"]),
        title=str(r["title"]),
        date=d,
        url=s("url"),
        measure=str(r["measure"]),
        period_start=_d(r.get("period_start")),
        period_end=_d(r.get("period_end")),
        value=float(r["value"]),
        unit=str(r["unit"]),
        cumulative=bool(r["cumulative"]),
        note=s("note"),
        source_id=str(r["source_id"]),
    )


def _rows(
    reader: Reader, measure: str, cumulative: bool, vintage: date | None, agency: str | None, country: str | None
) -> list[StatementRow]:
    # The statements are a small table (cited official figures): read whole once per reader and
    # vintage, then filtered here, instead of one query for each measure a text names.
    key = ("statements", vintage)
    if key not in reader._memo:
        rel = reader.relation("statements", vintage)
        reader._memo[key] = reader.df(f"SELECT * FROM {rel} ORDER BY coalesce(period_end, date), date, statement_id")
    df = reader._memo[key]
    # == leaves out missing values, as SQL's = does
    keep = (df["measure"] == measure) & (df["cumulative"] == cumulative)
    if agency:
        keep &= df["agency"] == agency
    if country:
        keep &= df["country"] == country.upper()
    return [_row({str(k): v for k, v in r.items()}) for r in df[keep].to_dict("records")]


def statement_records(
    reader: Reader, measure: str, *, cumulative: bool | None = None, vintage: date | None = None
) -> list[StatementRow]:
    """Every record of a measure (both kinds unless `cumulative` is given), oldest first."""
    kinds = [cumulative] if cumulative is not None else [True, False]
    out = [r for c in kinds for r in _rows(reader, measure, c, vintage, None, None)]
    return sorted(out, key=lambda r: (r.as_of, r.date, r.statement_id))


def running_total_around(
    reader: Reader,
    measure: str,
    as_of: date,
    *,
    vintage: date | None = None,
    agency: str | None = None,
    country: str | None = None,
) -> tuple[StatementRow | None, StatementRow | None]:
    """The running totals published just before and just after `as_of`.

    `before`: the latest cumulative record whose count runs up to a day on or before `as_of`
    (period_end, else the statement date); `after`: the earliest one after `as_of`. Either is
    None when no record lies on that side. A running total only grows, so the true value on
    `as_of` lies between `before.value` and `after.value`.
    """
    rows = _rows(reader, measure, True, vintage, agency, country)
    before = [r for r in rows if r.as_of <= as_of]
    after = [r for r in rows if r.as_of > as_of]
    return (before[-1] if before else None, after[0] if after else None)


def period_totals(
    reader: Reader, measure: str, *, vintage: date | None = None, agency: str | None = None, country: str | None = None
) -> pd.DataFrame:
    """Non-cumulative figures of a measure: one row per stated period, oldest period first.

    Columns: statement_id, agency, country, period_start, period_end, months (length of the
    period in calendar months, when both ends are first/last days of months), value, unit,
    date, title, url, note, source_id.
    """
    rows = _rows(reader, measure, False, vintage, agency, country)
    cols = [
        "statement_id",
        "agency",
        "country",
        "period_start",
        "period_end",
        "months",
        "value",
        "unit",
        "date",
        "title",
        "url",
        "note",
        "source_id",
    ]
    if not rows:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(
        [
            {
                **{k: getattr(r, k) for k in cols if k != "months"},
                "months": _months(r.period_start, r.period_end),
            }
            for r in rows
        ],
        columns=cols,
    )
    return df.sort_values(["period_start", "period_end"], na_position="last").reset_index(drop=True)


def _months(start: date | None, end: date | None) -> int | None:
    if start is None or end is None or start.day != 1:
        return None
    nxt = pd.Timestamp(end) + pd.Timedelta(days=1)
    if nxt.day != 1:
        return None
    return (nxt.year - start.year) * 12 + nxt.month - start.month


__all__ = ["StatementRow", "period_totals", "running_total_around", "statement_records"]
