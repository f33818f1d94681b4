"""The JSON API: /api/check, /api/indicators, /api/indicators/{name}, /api/sources (an APIRouter)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from usmca.api.limits import CheckBusy, CheckPool, CheckTimeout
from usmca.api.models import CheckRequest
from usmca.api.service import Service, UnknownIndicator, clean
from usmca.claims.check import InputError
from usmca.errors import UsmcaError
from usmca.indicators.base import IndicatorError

log = logging.getLogger("usmca.api")


def busy_response(e: CheckBusy) -> JSONResponse:
    return JSONResponse({"detail": str(e)}, status_code=429, headers={"retry-after": str(e.retry_after)})


def timeout_response(e: CheckTimeout) -> JSONResponse:
    return JSONResponse({"detail": str(e), "timeout_s": e.seconds}, status_code=503)


def api_router(service: Service, pool: CheckPool) -> APIRouter:
    """The routes of the JSON API over one service; checks run in `pool` (time budget, cap)."""
    router = APIRouter()

    @router.post(
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

    @router.get("/api/indicators", tags=["indicators"], summary="List the named indicators")
    def api_indicators() -> JSONResponse:
        """Each indicator: name, unit, topic, doc and parameters (type, default, required)."""
        return JSONResponse(clean([i.describe() for i in service.registry.values()]))

    @router.get(
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

    @router.get("/api/sources", tags=["sources"], summary="The provenance of the loaded data")
    def api_sources() -> JSONResponse:
        """Every source file: dataset, agency, title, URL, file, sha256, vintage, rows, origin."""
        return JSONResponse(service.sources())

    return router


__all__ = ["api_router", "busy_response", "timeout_response"]
