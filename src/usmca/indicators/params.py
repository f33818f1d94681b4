"""One parameter model for every indicator, applied on every call (CLI, API, YAML claims, text claims).

Parameters are validated by name, so a new indicator that takes ``year`` or ``month`` gets the same
rules without writing them again: years within 1900-2100, months 1-12 (never wrapped: 0, 13 and -1
are refused), months written as YYYY-MM, ranges that end after they start and span at most the
whole calendar the store can hold, counts (``n``, ``years``, ranks) that are positive and small.
A value the data do not cover is not an error here: the indicator answers "no data for ...".
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

from usmca.months import FIRST_YEAR, LAST_YEAR, PeriodError, check_month_number, check_year, month_index, parse_month

YEAR_PARAMS = frozenset({"year", "year_from", "year_to", "population_year", "fiscal_year", "start_year", "end_year"})
MONTH_TEXT_PARAMS = frozenset({"start_month", "end_month"})
COUNT_PARAMS = {"n": 250, "years": LAST_YEAR - FIRST_YEAR, "first_rank": 250, "last_rank": 250}


class ParameterError(PeriodError):
    """An indicator parameter outside its valid range; the message names the parameter and value."""


MAX_QUERY_VALUE = 1000  # characters of one text parameter of an indicator


def coerce_params(func: Callable[..., Any], raw: dict[str, list[str]]) -> dict[str, Any]:
    """Query text -> parameters typed by the indicator's annotations (else ParameterError)."""
    sig = inspect.signature(func)
    allowed = {p.name: p for p in list(sig.parameters.values())[1:]}
    out: dict[str, Any] = {}
    for key, values in raw.items():
        if key not in allowed:
            raise ParameterError(f"indicator takes no parameter {key!r}; it takes {list(allowed)}")
        if len(values) != 1:
            raise ParameterError(
                f"parameter {key!r} given {len(values)} times; give it once (lists are comma-separated: partners=MX,CA)"
            )
        v = values[0]
        if len(v) > MAX_QUERY_VALUE:
            raise ParameterError(f"parameter {key!r} is over {MAX_QUERY_VALUE} characters")
        ann = str(allowed[key].annotation).replace("typing.", "").replace(" ", "")
        optional = "None" in ann or "Optional" in ann
        base = ann.replace("|None", "").replace("None|", "")
        if optional and v.lower() in ("", "none", "null"):
            out[key] = None
        elif base.startswith("list"):
            items = [x.strip() for x in v.split(",") if x.strip()]
            if not items:
                raise ParameterError(f"parameter {key!r}: expected a comma-separated list, found {v!r}")
            out[key] = items
        elif base == "int":
            try:
                n = int(v)
            except ValueError:
                raise ParameterError(f"parameter {key!r}: expected a whole number, found {v!r}") from None
            if abs(n) > 2**31 - 1:
                raise ParameterError(f"parameter {key!r}: {v} is out of range")
            out[key] = n
        elif base == "float":
            try:
                f = float(v)
            except ValueError:
                raise ParameterError(f"parameter {key!r}: expected a number, found {v!r}") from None
            if not math.isfinite(f):
                raise ParameterError(f"parameter {key!r}: expected a finite number, found {v!r}")
            out[key] = f
        elif base == "bool":
            b = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(v.lower())
            if b is None:
                raise ParameterError(f"parameter {key!r}: expected true or false, found {v!r}")
            out[key] = b
        else:
            if "\x00" in v:
                raise ParameterError(f"parameter {key!r}: contains a NUL character")
            out[key] = v
    return out


def _annotation(func: Callable[..., Any], name: str) -> str:
    try:
        p = inspect.signature(func).parameters[name]
    except (KeyError, ValueError, TypeError):
        return ""
    return str(p.annotation).replace("typing.", "").replace(" ", "")


def _check_type(key: str, ann: str, v: Any) -> None:
    """The value has the kind its annotation names (a string where text is expected, and so on)."""
    base = ann.replace("|None", "").replace("None|", "")
    ok = True
    if base == "str":
        ok = isinstance(v, str)
    elif base == "int":
        ok = isinstance(v, int) and not isinstance(v, bool)
    elif base == "float":
        ok = isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(float(v))
    elif base == "bool":
        ok = isinstance(v, bool)
    elif base.startswith("list"):
        ok = isinstance(v, list | tuple) and all(isinstance(x, str) for x in v)
    if not ok:
        want = {"str": "text", "int": "a whole number", "float": "a finite number", "bool": "true or false"}
        expected = want.get(base, "a list of names" if base.startswith("list") else base)
        raise ParameterError(f"{key}: expected {expected}, found {v!r}")


def check_params(func: Callable[..., Any], params: dict[str, Any]) -> None:
    """Raise ParameterError when a parameter has the wrong kind, or cannot name a real period or a sane count."""
    for key, v in params.items():
        ann = _annotation(func, key)
        if v is None:
            if ann and "None" not in ann and "Any" not in ann:
                raise ParameterError(f"{key}: a value is required, found none")
            continue
        _check_type(key, ann, v)
        try:
            if key in YEAR_PARAMS:
                check_year(v, key)
            elif key == "month":
                # Indicators take a month number (with a year) or a whole month as text (YYYY-MM).
                if "str" in _annotation(func, key) and not isinstance(v, int):
                    parse_month(v, key)
                else:
                    check_month_number(v, key)
            elif key in MONTH_TEXT_PARAMS or (key == "since" and isinstance(v, str)):
                parse_month(v, key)
            elif key in COUNT_PARAMS and (
                isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= COUNT_PARAMS[key]
            ):
                raise ParameterError(f"{key}: expected a whole number from 1 to {COUNT_PARAMS[key]}, found {v!r}")
        except ParameterError:
            raise
        except PeriodError as e:
            raise ParameterError(str(e)) from None
    a, b = params.get("start_month"), params.get("end_month")
    if a is not None and b is not None and month_index(parse_month(b)) < month_index(parse_month(a)):
        raise ParameterError(f"end_month {b} is before start_month {a}")
    fy, ty = params.get("year_from"), params.get("year_to")
    if isinstance(fy, int) and isinstance(ty, int) and ty < fy:
        raise ParameterError(f"year_to {ty} is before year_from {fy}")
