"""Check a document (text, Markdown, HTML) or a YAML file of claims against the store."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import ValidationError

from usmca.claims.discourse import earliest_writing_date
from usmca.claims.document import (  # reading documents lives in document.py; these names stay importable here
    MAX_BYTES,
    InputError,
    copyright_years,
    decode_document,
    decode_text,
    is_yaml_name,
    mask_spans,
    parse_as_of,
    read_input,
)
from usmca.claims.evaluate import evaluate
from usmca.claims.model import CheckReport, Claim, ClaimResult
from usmca.claims.periods import find_periods
from usmca.claims.reader import read
from usmca.claims.sentences import split_sentences
from usmca.indicators.base import Context, IndicatorError, load_all
from usmca.store.reader import Reader


def prepare() -> None:
    """Build what every check needs before the first one comes (a server calls it at start): the
    grammars (read from the pattern cache when it has them), the frames and the indicator families.
    It reads no data."""
    from usmca.claims import lexicon, periods
    from usmca.claims.frames import load_frames

    periods._grammar()
    lexicon.cue_index()
    load_frames()
    load_all()


def infer_as_of(text: str) -> tuple[date | None, str | None]:
    """The earliest date the text could have been written: after the latest period it cites (the years
    of copyright notices, "(c) 2025 X", are not periods the text cites: they are ignored)."""
    text = mask_spans(text, copyright_years(text))
    found: date | None = None
    phrase: str | None = None
    for s in split_sentences(text):
        d, ph = earliest_writing_date(find_periods(s.text), s.text)
        if d is not None and (found is None or d > found):
            found, phrase = d, ph
    if found is None:
        return None, None
    return found, f"inferred from {phrase!r}"


def latest_full_year(reader: Reader, as_of: date | None) -> int | None:
    key = ("latest_full_year",)  # the reader's data never change while it is open
    if key not in reader._memo:
        reader._memo[key] = reader.one(  # type: ignore[assignment]
            "SELECT max(year) FROM trade WHERE month IS NULL AND value_usd IS NOT NULL AND flow = 'exports' "
            "AND basis = 'census' AND product = 'goods' AND partner_kind = 'country'"
        )
    y: Any = reader._memo[key]
    if y is None:
        return None
    y = int(y)
    if as_of is not None:
        y = min(y, as_of.year - 1)
    return y


def _evaluate(claim: Claim, ctx: Context) -> ClaimResult:
    """Judge one claim in its own query-log segment: its result lists only the queries run for it."""
    with ctx.scope():
        return evaluate(claim, ctx)


def _prev_month(d: date) -> tuple[int, int]:
    return (d.year - 1, 12) if d.month == 1 else (d.year, d.month - 1)


def check_text(
    text: str, reader: Reader, *, document: str = "-", as_of: date | None = None, vintage: date | None = None
) -> CheckReport:
    source = "--as-of" if as_of else None
    if as_of is None:
        as_of, source = infer_as_of(text)
    year = latest_full_year(reader, as_of)
    ex = read(text, today=as_of, default_year=year, reference_month=_prev_month(as_of) if as_of else None)
    ctx = Context(reader, as_of=as_of, vintage=vintage)
    results = [_evaluate(c, ctx) for c in ex.claims]
    if ex.truncated:
        from usmca.claims.model import NotChecked
        from usmca.claims.reader import MAX_CLAIMS

        ex.not_checked.append(
            NotChecked(
                sentence="",
                span=(0, 0),
                figures=[],
                reason=(
                    f"the document has more than {MAX_CLAIMS} claims: only the first {len(ex.claims)} "
                    "were read and judged"
                ),
            )
        )
    return CheckReport(
        document=document,
        as_of=as_of.isoformat() if as_of else None,
        as_of_source=source,
        data=reader.datasets,
        claims=results,
        not_checked=ex.not_checked,
    )


def check_claims(
    claims: list[Claim], reader: Reader, *, document: str = "-", as_of: date | None = None, vintage: date | None = None
) -> CheckReport:
    ctx = Context(reader, as_of=as_of, vintage=vintage)
    results: list[ClaimResult] = [_evaluate(c, ctx) for c in claims]
    return CheckReport(
        document=document,
        as_of=as_of.isoformat() if as_of else None,
        as_of_source="--as-of" if as_of else None,
        data=reader.datasets,
        claims=results,
    )


def load_claims_yaml(data: str, name: str = "claims.yaml") -> list[Claim]:
    """Parse a YAML list of claims (or {claims: [...]}) with line-numbered, specific errors."""
    return load_claims_document(data, name)[0]


def load_claims_document(data: str, name: str = "claims.yaml") -> tuple[list[Claim], date | None]:
    """(claims, as_of) of a YAML claims file: a list of claims, or a mapping with `claims` and an optional
    `as_of` date (a date like 2025-07-01; 0 or any other non-date is an InputError). Limits: see
    `usmca.claims.yaml_claims.load_yaml_safely`."""
    from usmca.claims.yaml_claims import load_yaml_safely, strip_lines

    doc = load_yaml_safely(data, name)
    as_of = None
    if isinstance(doc, dict) and "as_of" in doc:
        try:
            as_of = parse_as_of(doc["as_of"])
        except ValueError as e:
            at = re.search(r"^as_of[ \t]*:", data, re.M)
            line = data.count("\n", 0, at.start()) + 1 if at else doc.get("__line__")
            raise InputError(f"{name}, line {line}: {e}") from e
    items = doc.get("claims") if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not items:
        raise InputError(f"{name}: expected a list of claims (or a mapping with a 'claims' list)")
    registry = load_all()
    out = []
    for i, raw in enumerate(items):
        if not isinstance(raw, dict):
            raise InputError(f"{name}: claim {i + 1} is not a mapping")
        line = raw.get("__line__")
        item = strip_lines(raw)
        item.setdefault("id", f"y{i + 1}")
        try:
            claim = Claim(**item)
        except ValidationError as e:
            err = e.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            raise InputError(f"{name}, line {line}: claim {item.get('id')}: {loc}: {err['msg']}") from e
        if claim.metric not in registry:
            import difflib

            close = difflib.get_close_matches(claim.metric, registry, n=1)
            raise InputError(
                f"{name}, line {line}: unknown metric {claim.metric!r}"
                + (f" (did you mean {close[0]}?)" if close else "")
                + f"; known metrics: {', '.join(sorted(registry))}"
            )
        known = registry[claim.metric].params
        for key in claim.params:
            if key not in known and not key.startswith("_"):
                import difflib

                close = difflib.get_close_matches(key, known, n=1)
                raise InputError(
                    f"{name}, line {line}: claim {claim.id}: metric {claim.metric} takes no "
                    f"parameter {key!r}"
                    + (f" (did you mean {close[0]}?)" if close else "")
                    + f"; it takes {', '.join(known)}"
                )
        _check_params(claim, name, line)
        claim.line = line
        out.append(claim)
    return out, as_of


def _check_params(claim: Claim, name: str, line: int | None) -> None:
    from usmca.indicators.trade import iso3  # countries, WLD and the groups published as one partner (EU)

    for key in ("partner", "country"):
        if key in claim.params:
            try:
                iso3(str(claim.params[key]))
            except IndicatorError as e:
                raise InputError(f"{name}, line {line}: claim {claim.id}: {e}") from e
    for key in ("partners", "numerator", "denominator", "members"):
        for p in claim.params.get(key) or []:
            try:
                iso3(str(p))
            except IndicatorError as e:
                raise InputError(f"{name}, line {line}: claim {claim.id}: {e}") from e
    y = claim.params.get("year")
    if y is not None and not (isinstance(y, int) and 1900 <= y <= 2100):
        raise InputError(
            f"{name}, line {line}: claim {claim.id}: year {y!r} is not a year from 1900 to 2100 (expected e.g. 2024)"
        )


def is_yaml_claims(name: str, data: bytes) -> bool:
    return is_yaml_name(name)


def check_path(
    path: str,
    reader: Reader,
    *,
    as_of: date | None = None,
    vintage: date | None = None,
    stdin_data: bytes | None = None,
) -> CheckReport:
    name, data = read_input(path, stdin_data)
    if is_yaml_claims(name, data):
        claims, yaml_as_of = load_claims_document(decode_text(data, name), name)
        return check_claims(claims, reader, document=name, as_of=as_of or yaml_as_of, vintage=vintage)
    text = decode_document(data, name)
    return check_text(text, reader, document=name, as_of=as_of, vintage=vintage)


__all__ = [
    "CheckReport",
    "InputError",
    "IndicatorError",
    "check_claims",
    "check_path",
    "check_text",
    "decode_document",
    "infer_as_of",
    "load_claims_document",
    "load_claims_yaml",
    "MAX_BYTES",
    "prepare",
    "read_input",
]
