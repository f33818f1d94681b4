"""The web service: a JSON API over the checker and the indicators, and a few server-rendered pages.

Safe by default: `usmca serve` binds 127.0.0.1; request bodies over 1 MB are refused (413), both by
their Content-Length and by the bytes actually received; requests for a Host not in the allow-list
are refused (400, DNS rebinding); checks run in their own bounded pool with a time budget (429 when
full, 503 past the budget; see `usmca.api.limits`); the store is opened once, read-only; nothing is
ever fetched from a URL a user supplies; every user string in a page is escaped (Jinja autoescape);
CORS is off unless origins are configured. The settings are in `usmca.config.SETTINGS`.

DuckDB connections are not safe to share across threads: each request works on its own cursor
of the one read-only connection (`Service.reader_for_request`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import logging
import math
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from usmca import __version__
from usmca.api.limits import (
    CheckBusy,
    CheckPool,
    CheckTimeout,
    GuardedCursor,
    HostAllowListMiddleware,
    Limits,
    current_token,
    plain_reply,
)
from usmca.claims.check import (
    InputError,
    check_claims,
    check_text,
    decode_document,
    load_claims_yaml,
)
from usmca.claims.model import CheckReport
from usmca.config import SETTINGS, setting_list
from usmca.errors import UsmcaError
from usmca.indicators.base import Context, IndicatorError, compute, load_all
from usmca.store.reader import Reader

log = logging.getLogger("usmca.api")

MAX_BODY_BYTES = 1024 * 1024  # 1 MB
MAX_QUERY_VALUE = 1000  # characters of one query parameter of an indicator
DOCS_PATHS = ("/docs", "/openapi.json")
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# Swagger UI: its script, stylesheet and start-up script are files served by the app, nothing inline
DOCS_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


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


def report_json(report: CheckReport) -> dict[str, Any]:
    """Exactly what `usmca check --format json` prints (the chart series left out)."""
    return clean(report.model_dump(mode="json", exclude={"claims": {"__all__": {"series"}}}))


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


# ---------------------------------------------------------------------------- request models
AS_OF_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$"


def _request_schema(schema: dict[str, Any]) -> None:
    """The schema says what is accepted: exactly one of `text` or `yaml` (a string, not null); `as_of` a
    YYYY-MM-DD date between 1900 and 2100, or null."""
    props = schema["properties"]
    for name in ("text", "yaml"):
        props[name] = {
            "type": "string",
            "title": props[name].get("title", name),
            "description": props[name]["description"],
        }
    props["as_of"]["anyOf"] = [{"type": "string", "format": "date", "pattern": AS_OF_PATTERN}, {"type": "null"}]
    schema["oneOf"] = [{"required": ["text"]}, {"required": ["yaml"]}]
    schema["examples"] = [{"text": "Mexico purchased $335 billion of American goods in 2024.", "as_of": "2025-07-01"}]


class CheckRequest(BaseModel):
    """A text to check (`text`) or a YAML list of claims (`yaml`): exactly one of them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=cast(Any, _request_schema),
    )

    # typed `str` with a default of None: an explicit null is refused, as the schema says
    text: str = Field(None, description="Plain text, Markdown or HTML to find claims in.")  # type: ignore[assignment]
    yaml: str = Field(None, description="A YAML list of claims (as for `usmca check claims.yaml`).")  # type: ignore[assignment]
    as_of: date | None = Field(None, description="Date of the text, YYYY-MM-DD (default: inferred from the text).")
    document: str | None = Field(None, max_length=200, description="A name for the document in the report.")

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of_text(cls, v: Any) -> Any:
        if v is not None and not (isinstance(v, date) or (isinstance(v, str) and re.fullmatch(AS_OF_PATTERN, v))):
            raise ValueError("as_of must be a date written YYYY-MM-DD, between 1900 and 2100")
        return v

    @field_validator("as_of")
    @classmethod
    def _year_range(cls, v: date | None) -> date | None:
        if v is not None and not (1900 <= v.year <= 2100):
            raise ValueError("as_of must be a date between 1900 and 2100")
        return v

    @model_validator(mode="after")
    def _one_input(self) -> CheckRequest:
        if (self.text is None) == (self.yaml is None):
            raise ValueError("give exactly one of 'text' or 'yaml'")
        return self


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
            doc = report_json(report)
            note = self.claims_note(found)
            if note is not None:
                doc["claims_found"] = found
                doc["note"] = note
            body = to_json(doc)
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


def coerce_params(func: Callable[..., Any], raw: dict[str, list[str]]) -> dict[str, Any]:
    """Query text -> parameters typed by the indicator's annotations (else IndicatorError)."""
    sig = inspect.signature(func)
    allowed = {p.name: p for p in list(sig.parameters.values())[1:]}
    out: dict[str, Any] = {}
    for key, values in raw.items():
        if key not in allowed:
            raise IndicatorError(f"indicator takes no parameter {key!r}; it takes {list(allowed)}")
        if len(values) != 1:
            raise IndicatorError(
                f"parameter {key!r} given {len(values)} times; give it once (lists are comma-separated: partners=MX,CA)"
            )
        v = values[0]
        if len(v) > MAX_QUERY_VALUE:
            raise IndicatorError(f"parameter {key!r} is over {MAX_QUERY_VALUE} characters")
        ann = str(allowed[key].annotation).replace("typing.", "").replace(" ", "")
        optional = "None" in ann or "Optional" in ann
        base = ann.replace("|None", "").replace("None|", "")
        if optional and v.lower() in ("", "none", "null"):
            out[key] = None
        elif base.startswith("list"):
            items = [x.strip() for x in v.split(",") if x.strip()]
            if not items:
                raise IndicatorError(f"parameter {key!r}: expected a comma-separated list, found {v!r}")
            out[key] = items
        elif base == "int":
            try:
                n = int(v)
            except ValueError:
                raise IndicatorError(f"parameter {key!r}: expected a whole number, found {v!r}") from None
            if abs(n) > 2**31 - 1:
                raise IndicatorError(f"parameter {key!r}: {v} is out of range")
            out[key] = n
        elif base == "float":
            try:
                f = float(v)
            except ValueError:
                raise IndicatorError(f"parameter {key!r}: expected a number, found {v!r}") from None
            if not math.isfinite(f):
                raise IndicatorError(f"parameter {key!r}: expected a finite number, found {v!r}")
            out[key] = f
        elif base == "bool":
            b = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(v.lower())
            if b is None:
                raise IndicatorError(f"parameter {key!r}: expected true or false, found {v!r}")
            out[key] = b
        else:
            if "\x00" in v:
                raise IndicatorError(f"parameter {key!r}: contains a NUL character")
            out[key] = v
    return out


# ------------------------------------------------------------------------------- middleware
_plain_reply = plain_reply


class BodyLimitMiddleware:
    """Refuse request bodies over `max_bytes` with 413: by Content-Length, and by the bytes read.

    The body is read (up to the limit) before the app runs, then replayed to it.
    """

    def __init__(self, app: Any, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit_text = f"request body is over the {self.max_bytes // (1024 * 1024)} MB limit"
        for k, v in scope.get("headers") or []:
            if k.lower() == b"content-length":
                try:
                    n = int(v)
                except ValueError:
                    await _plain_reply(send, 400, "bad Content-Length header")
                    return
                if n > self.max_bytes:
                    await _plain_reply(send, 413, limit_text)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            chunk = msg.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _plain_reply(send, 413, limit_text)
                return
            chunks.append(chunk)
            if not msg.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Any:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeadersMiddleware:
    """nosniff, no referrer, no framing, and a strict CSP (for the API docs: scripts and styles from the app only)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = str(scope.get("path", "")).startswith(DOCS_PATHS)

        async def send_with_headers(msg: Any) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers") or [])
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                headers.append((b"content-security-policy", (DOCS_CSP if docs else CSP).encode()))
                msg = {**msg, "headers": headers}
            await send(msg)

        await self.app(scope, receive, send_with_headers)


# ------------------------------------------------------------------------------------- app
def _open_reader(store_path: str | Path | None) -> Reader:
    from usmca.config import resolve_store_path
    from usmca.store import Store, open_reader

    return open_reader(Store(resolve_store_path(str(store_path) if store_path is not None else None)))


def busy_response(e: CheckBusy) -> JSONResponse:
    return JSONResponse({"detail": str(e)}, status_code=429, headers={"retry-after": str(e.retry_after)})


def timeout_response(e: CheckTimeout) -> JSONResponse:
    return JSONResponse({"detail": str(e), "timeout_s": e.seconds}, status_code=503)


def create_app(
    store_path: str | Path | None = None,
    reader: Reader | None = None,
    cors_origins: list[str] | None = None,
    limits: Limits | None = None,
) -> FastAPI:
    """The FastAPI app. Opens the store (read-only) once, unless a reader is given.

    `cors_origins` and `limits` default to the settings (USMCA_CORS_ORIGINS, USMCA_CHECK_TIMEOUT,
    USMCA_MAX_CHECKS, USMCA_MAX_CLAIMS, USMCA_ALLOWED_HOSTS: see usmca.config).
    """
    limits = limits if limits is not None else Limits.from_settings()
    if cors_origins is None:
        cors_origins = setting_list("cors_origins")
    service = Service(reader if reader is not None else _open_reader(store_path), max_claims=limits.max_claims)
    pool = CheckPool(limits.max_checks, limits.check_timeout)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.shutdown()

    from usmca.api.docs import add_docs

    app = FastAPI(
        title="usmca",
        version=__version__,
        description="Check claims about U.S.-Mexico-Canada trade and border statistics against "
        "official data; compute the named indicators; list the provenance of the data.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.check_pool = pool
    app.state.limits = limits

    @app.exception_handler(InputError)
    def _input_error(request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.post(
        "/api/check",
        tags=["check"],
        summary="Check the claims in a text or a YAML list of claims",
        responses={
            422: {"description": "Bad input (empty, binary, malformed YAML, unknown metric)"},
            413: {"description": "Request body over 1 MB"},
            429: {"description": "Too many checks running at once (see the Retry-After header)"},
            503: {"description": "The check took longer than the time budget and was stopped"},
        },
    )
    async def api_check(req: CheckRequest) -> Response:
        """The JSON of `usmca check --format json`: the verdict of every claim with its evidence.

        At most `USMCA_MAX_CLAIMS` claims are reported; when there were more, the answer also has
        `claims_found` and a `note`.
        """
        kw: dict[str, Any] = {"text": req.text, "yaml_text": req.yaml, "as_of": req.as_of, "document": req.document}
        body = service.json_cache.get(("check", service.check_key(**kw)[0]))  # no thread hop on a hit
        if body is None:
            try:
                body = await pool.run(service.check_json, **kw)
            except (InputError, UsmcaError, IndicatorError) as e:
                raise HTTPException(422, str(e)) from e
            except CheckBusy as e:
                return busy_response(e)
            except CheckTimeout as e:
                return timeout_response(e)
        return Response(body, media_type="application/json")

    @app.get("/api/indicators", tags=["indicators"], summary="List the named indicators")
    def api_indicators() -> JSONResponse:
        """Each indicator: name, unit, topic, doc and parameters (type, default, required)."""
        return JSONResponse(clean([i.describe() for i in service.registry.values()]))

    @app.get(
        "/api/indicators/{name}",
        tags=["indicators"],
        summary="Compute one indicator",
        responses={
            404: {"description": "Unknown indicator"},
            422: {"description": "Bad parameters"},
        },
    )
    async def api_indicator(name: str, request: Request) -> Response:
        """Compute an indicator; its parameters go in the query string (lists comma-separated:
        `/api/indicators/partners_sum?partners=MX,CA&year=2024`).

        Returns value, unit, label, params, computation, queries, evidence, notes, parts and
        `missing` (why the value could not be computed from the loaded data, value null).
        """
        raw: dict[str, list[str]] = {}
        for k, v in request.query_params.multi_items():
            raw.setdefault(k, []).append(v)
        try:
            key, _ = service.indicator_key(name, raw)
            body = service.json_cache.get(key)  # no thread hop on a hit
            if body is None:
                body = await run_in_threadpool(service.indicator, name, raw)
        except UnknownIndicator as e:
            raise HTTPException(404, str(e)) from e
        except (IndicatorError, UsmcaError, ValueError, TypeError, OverflowError) as e:
            raise HTTPException(422, f"{name}: {e}") from e
        except Exception as e:  # noqa: BLE001  bad parameters must never give a 500
            log.exception("indicator %s failed", name)
            raise HTTPException(
                422, f"{name}: could not compute with these parameters ({type(e).__name__}: {e})"
            ) from e
        return Response(body, media_type="application/json")

    @app.get("/api/sources", tags=["sources"], summary="The provenance of the loaded data")
    def api_sources() -> JSONResponse:
        """Every source file: dataset, agency, title, URL, file, sha256, vintage, rows, origin."""
        return JSONResponse(service.sources())

    from usmca.api.pages import add_pages

    add_pages(app, service)
    add_docs(app)

    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
            allow_credentials=False,
        )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(HostAllowListMiddleware, allowed_hosts=limits.allowed_hosts)  # outermost: first
    return app


CORS_ENV = SETTINGS["cors_origins"].env  # the environment variable `usmca serve --workers N` sets for its workers


def app_from_env() -> FastAPI:
    """App factory for uvicorn workers (`usmca serve --workers N`): the store, the CORS origins and the
    limits from the settings (USMCA_STORE, USMCA_CORS_ORIGINS, ...: usmca.config.SETTINGS)."""
    return create_app()


__all__ = [
    "MAX_BODY_BYTES",
    "BodyLimitMiddleware",
    "Limits",
    "CheckRequest",
    "Service",
    "clean",
    "coerce_params",
    "app_from_env",
    "create_app",
    "report_json",
]
