"""Detail-level trade (`trade_detail`: HS6/HS10 x partner x customs district x month): SQL helpers.

The rows are read in place from the store's Parquet partitions (`flow=/year=/month=`), so every
query names the flow and the months it needs (whole partitions are skipped) and the commodity
as an equality or a range (row groups whose min/max exclude it are skipped).

Adding up without counting twice: a response may hold national rows (no district) beside rows by
district, and world or group rows beside country rows. For each commodity, partner and month the
national row is used when there is one, else the sum over districts; for all partners, the world
row when there is one, else the sum over countries (groups are never added to countries). When
the files of the selected partitions hold no national and no world rows (`detail_files` counts
them per file), the plain sum is the same and is what runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from usmca.indicators.params import ParameterError
from usmca.months import Month, month_index, parse_month

LEVEL_DIGITS = {"HS2": 2, "HS4": 4, "HS6": 6, "HS10": 10}


@dataclass(frozen=True)
class Selection:
    """What to add up: WHERE clause (with its parameters) and the rules that apply."""

    where: str
    args: list[Any]
    level: str
    code: str | None
    first: Month
    last: Month

    @property
    def period(self) -> str:
        a, b = self.first, self.last
        if a == b:
            return f"{a[0]}-{a[1]:02d}"
        if a == (a[0], 1) and b == (a[0], 12):
            return str(a[0])
        return f"{a[0]}-{a[1]:02d} to {b[0]}-{b[1]:02d}"


def months(year: int | None, month: int | None, start_month: str | None, end_month: str | None) -> tuple[Month, Month]:
    """The first and last month asked for: a year, a month of a year, or start_month..end_month."""
    if start_month is not None or end_month is not None:
        if year is not None or month is not None:
            raise ParameterError("give either year (and month) or start_month and end_month, not both")
        a = parse_month(start_month if start_month is not None else end_month, "start_month")
        b = parse_month(end_month, "end_month") if end_month is not None else a
        if month_index(b) < month_index(a):
            raise ParameterError(f"end_month {end_month} is before start_month {start_month}")
        return a, b
    if year is None:
        raise ParameterError("year: a year (or start_month and end_month) is required")
    if month is not None:
        return (year, month), (year, month)
    return (year, 1), (year, 12)


def level_and_code(code: str | None, level: str | None) -> tuple[str, str | None]:
    """The stored level to add up and the code (or code prefix) to select: `8703` at HS6 adds up 8703xx."""
    if code is not None:
        code = code.strip().replace(".", "")
        if not re.fullmatch(r"\d{2}|\d{4}|\d{6}|\d{10}", code):
            raise ParameterError(f"code: expected an HS code of 2, 4, 6 or 10 digits, found {code!r}")
    lvl = (level or ("HS10" if code is not None and len(code) == 10 else "HS6")).upper().replace(" ", "")
    if lvl not in LEVEL_DIGITS:
        raise ParameterError(f"level: expected one of {sorted(LEVEL_DIGITS)}, found {level!r}")
    if code is not None and len(code) > LEVEL_DIGITS[lvl]:
        raise ParameterError(f"code {code} has more digits than level {lvl}")
    return lvl, code


def district_code(district: str | None) -> str | None:
    if district is None:
        return None
    d = district.strip()
    if not re.fullmatch(r"\d{1,2}", d):
        raise ParameterError(f"district: expected a customs district code such as 23 (Laredo, TX), found {district!r}")
    return d.zfill(2)


def select(
    flow: str,
    level: str,
    code: str | None,
    first: Month,
    last: Month,
    partner: str | None = None,
    district: str | None = None,
) -> Selection:
    where = ["flow = ?"]
    args: list[Any] = [flow]
    if first[0] == last[0]:
        where.append("year = ? AND month BETWEEN ? AND ?")
        args += [first[0], first[1], last[1]]
    else:
        where.append("year BETWEEN ? AND ? AND year * 100 + month BETWEEN ? AND ?")
        args += [first[0], last[0], first[0] * 100 + first[1], last[0] * 100 + last[1]]
    where.append("commodity_level = ?")
    args.append(level)
    if code is not None and len(code) == LEVEL_DIGITS[level]:
        where.append("commodity = ?")
        args.append(code)
    elif code is not None:  # a prefix: a range, which row-group statistics can skip
        where.append("commodity >= ? AND commodity < ?")
        args += [code, code + "~"]
    if partner is not None:
        where.append("partner = ?")
        args.append(partner)
    if district is not None:
        where.append("district = ?")
        args.append(district)
    return Selection(" AND ".join(where), args, level, code, first, last)


@dataclass(frozen=True)
class Stored:
    """What the catalogued files of the selected partitions hold (from `detail_files`, not the rows)."""

    files: int
    national: bool  # some rows have no district (national figures)
    world: bool  # some rows are for the world or a group
    sources: tuple[str, ...]


def partitions(flow: str, first: Month, last: Month) -> list[str]:
    """The partition folders (`flow=exports/year=2024/month=3`) a selection reads."""
    out = []
    for i in range(month_index(first), month_index(last) + 1):
        y, m = divmod(i, 12)
        out.append(f"flow={flow}/year={y}/month={m + 1}")
    return out


def stored(reader: Any, flow: str, first: Month, last: Month) -> Stored:
    """Which adding-up rules can matter, and which sources can have rows, in these partitions."""
    parts = partitions(flow, first, last)
    marks = ", ".join("?" for _ in parts)
    row = reader.con.execute(
        "SELECT count(*), coalesce(sum(rows_all_districts), 0) > 0, coalesce(sum(rows_not_country), 0) > 0, "
        "list(DISTINCT source_id ORDER BY source_id) FROM detail_files "
        f"WHERE table_name = 'trade_detail' AND partition IN ({marks})",
        parts,
    ).fetchone()
    if not row or not row[0]:
        return Stored(0, False, False, ())
    return Stored(int(row[0]), bool(row[1]), bool(row[2]), tuple(row[3] or ()))


def total_sql(
    rel: str,
    sel: Selection,
    *,
    partner: str | None,
    district: str | None,
    national: bool,
    world: bool,
    by: str,
    one_source: str | None = None,
) -> tuple[str, list[Any]]:
    """SQL giving, per `by` ('month' or 'district'), the value in US dollars and the source ids.

    by='month': one row per (year, month); by='district': one row per district (district rows only).
    `one_source`: the only source whose files the selection can read (its id is then not collected
    row by row, which costs more than the sum on a whole month).
    """
    args = list(sel.args)
    where = sel.where
    per_district = by == "district"
    ids = "list(DISTINCT source_id)" if one_source is None else "[" + "'" + one_source.replace("'", "''") + "']"
    # without world or group rows (`world` False) every row is a country's: nothing to filter
    if per_district:
        where += " AND district IS NOT NULL"
    keys = "year, month" if not per_district else "district"
    out_keys = "year, month" if not per_district else "district, any_value(district_name) AS district_name"
    simple = per_district or district is not None or not national
    if simple and (partner is not None or not world):
        sql = (
            f"SELECT {out_keys}, sum(value_usd) AS value_usd, {ids} AS source_ids "
            f"FROM {rel} WHERE {where} GROUP BY {keys} ORDER BY {keys}"
        )
        return sql, args
    # national row over the sum of districts; world row over the sum of countries (per cell)
    cell_keys = "year, month, commodity, partner, partner_kind" + (", district, district_name" if per_district else "")
    if simple:
        cells = (
            f"SELECT {cell_keys}, sum(value_usd) AS v, list(DISTINCT source_id) AS ids "
            f"FROM {rel} WHERE {where} GROUP BY ALL"
        )
    else:
        cells = (
            f"SELECT {cell_keys}, CASE WHEN count(*) FILTER (WHERE district IS NULL) > 0 "
            "THEN sum(value_usd) FILTER (WHERE district IS NULL) ELSE sum(value_usd) END AS v, "
            "CASE WHEN count(*) FILTER (WHERE district IS NULL) > 0 "
            "THEN list(DISTINCT source_id) FILTER (WHERE district IS NULL) ELSE list(DISTINCT source_id) END AS ids "
            f"FROM {rel} WHERE {where} GROUP BY ALL"
        )
    if partner is None and world:
        group = "year, month, commodity" + (", district, district_name" if per_district else "")
        cells = (
            f"SELECT {group}, CASE WHEN count(*) FILTER (WHERE partner = 'WLD') > 0 "
            "THEN sum(v) FILTER (WHERE partner = 'WLD') ELSE sum(v) FILTER (WHERE partner_kind = 'country') END AS v, "
            "CASE WHEN count(*) FILTER (WHERE partner = 'WLD') > 0 "
            "THEN flatten(list(ids) FILTER (WHERE partner = 'WLD')) "
            "ELSE flatten(list(ids) FILTER (WHERE partner_kind = 'country')) END AS ids "
            f"FROM ({cells}) c GROUP BY {group}"
        )
    sql = (
        f"SELECT {out_keys}, sum(v) AS value_usd, list_distinct(flatten(list(ids))) AS source_ids "
        f"FROM ({cells}) x GROUP BY {keys} ORDER BY {keys}"
    )
    return sql, args
