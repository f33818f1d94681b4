"""API docs that work offline: Swagger UI 5 (it reads OpenAPI 3.1) from the files that the
`fastapi-offline` package ships (only its files are used, not its app class).

`/docs` is a page whose stylesheet and scripts are all files served by this app under
`/docs/assets/` (Swagger UI's own files, and `docs-init.js` from usmca's static folder, which starts
it on `/openapi.json`); nothing is inline and nothing comes from a CDN, so the page keeps a CSP of
`script-src 'self'; style-src 'self'` (`DOCS_CSP` in usmca.api.middleware).
"""

from __future__ import annotations

import functools
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, Response

from usmca.report.html import STATIC, env

ASSETS = "/docs/assets"
# name -> media type: the only files served (no path from the request reaches the file system)
SWAGGER_FILES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}
OWN_FILES = {"docs-init.js": "text/javascript; charset=utf-8", "docs.css": "text/css; charset=utf-8"}


def swagger_ui_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


@functools.lru_cache(maxsize=8)
def asset(name: str) -> bytes:
    """The bytes of one served file (KeyError for any other name)."""
    if name in SWAGGER_FILES:
        return (swagger_ui_dir() / name).read_bytes()
    if name in OWN_FILES:
        return (STATIC / name).read_bytes()
    raise KeyError(name)


def docs_html() -> str:
    return env().get_template("docs.html.j2").render(assets=ASSETS)


def docs_router() -> APIRouter:
    """/docs and the files it loads (/docs/assets/...), all served by the app."""
    app = APIRouter()

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page() -> HTMLResponse:
        return HTMLResponse(docs_html())

    @app.get(ASSETS + "/{name}", include_in_schema=False)
    def docs_asset(name: str) -> Response:
        media = SWAGGER_FILES.get(name) or OWN_FILES.get(name)
        if media is None:
            raise HTTPException(404, "no such file")
        return Response(asset(name), media_type=media, headers={"cache-control": "public, max-age=86400"})

    return app


__all__ = ["ASSETS", "docs_router", "asset", "docs_html"]
