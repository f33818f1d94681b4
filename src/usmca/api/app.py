"""The web service, assembled: a JSON API over the checker and the indicators, and a few
server-rendered pages. This module only builds the app from its parts:

- `usmca.api.service`: the read-only reader, the checker and the indicators, their caches, strict JSON;
- `usmca.api.models`: the request bodies; `usmca.api.routes`: the JSON API (a router);
- `usmca.api.pages`: the HTML pages (a router); `usmca.api.docs`: /docs, served offline (a router);
- `usmca.api.middleware` and `usmca.api.limits`: body limit, security headers, Host allow-list,
  the check pool with its time budget.

Safe by default: `usmca serve` binds 127.0.0.1; request bodies over 1 MB are refused (413), both by
their Content-Length and by the bytes actually received; requests for a Host not in the allow-list
are refused (400, DNS rebinding); checks run in their own bounded pool with a time budget (429 when
full, 503 past the budget); the store is opened once, read-only; nothing is ever fetched from a URL
a user supplies; every user string in a page is escaped (Jinja autoescape); CORS is off unless
origins are configured. The settings are in `usmca.config.SETTINGS`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from usmca import __version__
from usmca.api.docs import docs_router
from usmca.api.limits import CheckPool, HostAllowListMiddleware, Limits
from usmca.api.middleware import (
    CSP,
    DOCS_CSP,
    MAX_BODY_BYTES,
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
)
from usmca.api.models import CheckRequest
from usmca.api.pages import pages_router
from usmca.api.routes import api_router
from usmca.api.service import (
    MAX_QUERY_VALUE,
    Service,
    UnknownIndicator,
    clean,
    coerce_params,
    open_store_reader,
    report_json,
    to_json,
)
from usmca.claims.check import InputError
from usmca.config import SETTINGS, setting_list
from usmca.store.reader import Reader


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
    service = Service(reader if reader is not None else open_store_reader(store_path), max_claims=limits.max_claims)
    pool = CheckPool(limits.max_checks, limits.check_timeout, limits.max_queued)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        import asyncio
        import gc

        from usmca.claims.check import prepare

        await asyncio.to_thread(prepare)  # each worker builds its grammars before its first request
        # What start-up built (modules, grammars, the reader) lives as long as the process: moved out of
        # the collector's reach, so that a full collection during a request does not walk it again.
        gc.freeze()
        yield
        pool.shutdown()

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

    app.include_router(api_router(service, pool))
    app.include_router(pages_router(service, pool))
    app.include_router(docs_router())

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


__all__ = [  # the names that lived here before the split, kept importable from usmca.api.app
    "CSP",
    "DOCS_CSP",
    "MAX_BODY_BYTES",
    "MAX_QUERY_VALUE",
    "BodyLimitMiddleware",
    "CheckRequest",
    "Limits",
    "SecurityHeadersMiddleware",
    "Service",
    "UnknownIndicator",
    "app_from_env",
    "clean",
    "coerce_params",
    "create_app",
    "report_json",
    "to_json",
]
