"""The service behind the API and the pages: the read-only reader (one cursor per request), the
checker and the indicators with their caches, and the strict-JSON helpers.

No web framework here: the routers (`usmca.api.routes`, `usmca.api.pages`) call it, `usmca.api.app`
assembles them.

DuckDB connections are not safe to share across threads: each request works on its own cursor
of the one read-only connection (`Service.reader_for_request`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from usmca.api.limits import GuardedCursor, Limits, current_token
from usmca.claims.check import check_claims, check_text, decode_document, load_claims_yaml
from usmca.claims.model import CheckReport
from usmca.indicators.base import Context, compute, load_all
from usmca.indicators.params import MAX_QUERY_VALUE, coerce_params
from usmca.store.reader import Reader


# ------------------------------------------------------------------------------ JSON helpers
def clean(x: Any) -> Any:
    """Make a value strict JSON: NaN/inf -> null, numpy scalars -> Python, dates -> ISO text."""
    if x is None or isinstance(x, bool | str | int):
        return x
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {str(k): clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple | set):
        return [clean(v) for v in x]
    if isinstance(x, datetime | date):
        return None if x != x else x.isoformat()  # pandas' NaT is a datetime unequal to itself
    if isinstance(x, Decimal):
        return clean(float(x))
    item = getattr(x, "item", None)  # numpy / pandas scalars
    if callable(item):
        try:
            return clean(item())
        except (TypeError, ValueError):
            pass
    tolist = getattr(x, "tolist", None)  # numpy arrays
    if callable(tolist):
        return clean(tolist())
    try:
        import pandas as pd

        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    return str(x)


def to_json(x: Any) -> bytes:
    """Strict JSON bytes, as FastAPI's JSONResponse writes them."""
    return json.dumps(clean(x), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


_REPORT_EXCLUDE: Any = {"claims": {"__all__": {"series"}}}


def report_json(report: CheckReport) -> dict[str, Any]:
    """Exactly what `usmca check --format json` prints (the chart series left out), as a dict."""
    return clean(report.model_dump(mode="json", exclude=_REPORT_EXCLUDE))


def report_json_bytes(report: CheckReport, extra: dict[str, Any] | None = None) -> bytes:
    """The same document as strict JSON bytes, written by pydantic's serializer in one pass (NaN and
    infinities as null, like `clean`); `extra` keys are appended at the end of the object."""
    body = report.model_dump_json(exclude=_REPORT_EXCLUDE).encode()
    if extra:
        tail = to_json(extra)  # '{...}': its members go after the report's own
        body = body[:-1] + b"," + tail[1:] if len(tail) > 2 else body
    return body


class UnknownIndicator(LookupError):
    """No indicator of that name (404)."""


class _LRU:
    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        return None

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


# ------------------------------------------------------------------------------- the service
class Service:
    """The read-only reader, opened once, with per-request cursors and result caches.

    The reader's tables are copied into memory when it is opened, so results cannot change while
    the service runs: caching them is safe.
    """

    def __init__(self, reader: Reader, max_claims: int = Limits.max_claims) -> None:
        self.reader = reader
        self.max_claims = max_claims
        self._lock = threading.Lock()
        self.check_cache = _LRU(128)
        self.json_cache = _LRU(4096)
        self.page_cache = _LRU(16)
        self.registry = load_all()

    @contextmanager
    def reader_for_request(self) -> Iterator[Reader]:
        """A reader on its own cursor; in the check pool, one that stops at its next query once the
        check is abandoned (and whose running query is interrupted)."""
        token = current_token()
        if token is not None:
            token.check()
        with self._lock:
            cur = self.reader.con.cursor()
        if token is None:
            con: Any = cur
        else:
            con = GuardedCursor(cur, token)
            token.add_cursor(cur)
        try:
            yield dataclasses.replace(self.reader, con=con)
        finally:
            if token is not None:
                token.remove_cursor(cur)
            cur.close()

    @staticmethod
    def check_key(
        *,
        text: str | None = None,
        yaml_text: str | None = None,
        as_of: date | None = None,
        document: str | None = None,
    ) -> tuple[Any, str, bytes, str]:
        """(cache key, kind, raw bytes, document name) of a check request."""
        kind = "yaml" if yaml_text is not None else "text"
        raw = yaml_text if yaml_text is not None else (text or "")
        name = document or ("claims.yaml" if kind == "yaml" else "-")
        # lone surrogates survive encoding here, then fail decoding: an InputError
        data = raw.encode("utf-8", "surrogatepass")
        return (kind, hashlib.sha256(data).hexdigest(), as_of, name), kind, data, name

    def check(self, **kw: Any) -> CheckReport:
        """Check a text or YAML claims; InputError for bad input (empty, binary, bad YAML...).

        Keywords: text or yaml_text, as_of, document. At most `max_claims` claims (see `check_limited`).
        """
        return self.check_limited(**kw)[0]

    def check_limited(self, **kw: Any) -> tuple[CheckReport, int]:
        """(report, claims found): the report keeps the first `max_claims` claims (`claims_note` says
        so when some were left out). YAML claims past the cap are not checked at all; in a text they
        are found and checked (the time budget bounds that) but not reported."""
        key, kind, data, name = self.check_key(**kw)
        hit = self.check_cache.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        as_of = kw.get("as_of")
        decoded = decode_document(data, name)
        cap = self.max_claims
        with self.reader_for_request() as reader:
            if kind == "yaml":
                claims = load_claims_yaml(decoded, name)
                found = len(claims)
                report = check_claims(claims[:cap], reader, document=name, as_of=as_of)
            else:
                report = check_text(decoded, reader, document=name, as_of=as_of)
                found = len(report.claims)
                report.claims = report.claims[:cap]
        token = current_token()
        if token is not None:
            token.check()  # abandoned: a query may have been interrupted, so the report is not cached
        self.check_cache.put(key, (report, found))
        return report, found

    def claims_note(self, found: int) -> str | None:
        """The note of a report whose claims were cut to `max_claims` (None when none was left out)."""
        cap = self.max_claims
        if found <= cap:
            return None
        return (
            f"{found} claims found; only the first {cap} are reported (this service reports at most {cap} "
            "claims per document: use `usmca check` for all of them)"
        )

    def check_json(self, **kw: Any) -> bytes:
        """The JSON body of /api/check (cached as bytes: a repeated text costs a dictionary look-up).

        When claims were left out (`max_claims`), it has two more keys: `claims_found` and `note`.
        """
        key = self.check_key(**kw)[0]
        body = self.json_cache.get(("check", key))
        if body is None:
            report, found = self.check_limited(**kw)
            note = self.claims_note(found)
            body = report_json_bytes(report, {"claims_found": found, "note": note} if note is not None else None)
            self.json_cache.put(("check", key), body)
        return body  # type: ignore[no-any-return]

    def indicator_key(self, name: str, raw: dict[str, list[str]]) -> tuple[Any, dict[str, Any]]:
        """(cache key, typed parameters); UnknownIndicator or IndicatorError when they are wrong."""
        if name not in self.registry:
            import difflib

            close = difflib.get_close_matches(name, list(self.registry), n=1)
            raise UnknownIndicator(f"unknown indicator {name!r}" + (f" (did you mean {close[0]}?)" if close else ""))
        params = coerce_params(self.registry[name].func, raw)
        return ("indicator", name, json.dumps(params, sort_keys=True, default=str)), params

    def indicator(self, name: str, raw: dict[str, list[str]]) -> bytes:
        """The JSON body of /api/indicators/{name}: Figure.to_dict() plus the indicator's name."""
        key, params = self.indicator_key(name, raw)
        body = self.json_cache.get(key)
        if body is None:
            with self.reader_for_request() as reader:
                fig = compute(Context(reader), name, **params)
            body = to_json({"indicator": name, **fig.to_dict()})
            self.json_cache.put(key, body)
        return body  # type: ignore[no-any-return]

    def sources(self) -> list[dict[str, Any]]:
        """The sources table: `vintage` an ISO date, the timestamps ISO date-times, missing ones null."""
        with self.reader_for_request() as reader:
            df = reader.df("SELECT * FROM sources ORDER BY dataset, vintage, source_id")
        rows = df.to_dict(orient="records")
        for r in rows:
            v = r.get("vintage")
            if isinstance(v, datetime) and v == v:  # a date (pandas makes it a Timestamp); NaT stays, for clean
                r["vintage"] = v.date()
        return [clean(r) for r in rows]


def open_store_reader(store_path: str | Path | None) -> Reader:
    """The store (USMCA_STORE or the default, unless a path is given), opened read-only."""
    from usmca.config import resolve_store_path
    from usmca.store import Store, open_reader

    return open_reader(Store(resolve_store_path(str(store_path) if store_path is not None else None)))


__all__ = [
    "MAX_QUERY_VALUE",
    "Service",
    "UnknownIndicator",
    "clean",
    "coerce_params",
    "open_store_reader",
    "report_json",
    "report_json_bytes",
    "to_json",
]
