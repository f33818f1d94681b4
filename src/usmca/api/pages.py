"""Server-rendered pages: the claim checker, trade partners, the border, the sources.

Inline CSS and JS only (no CDN); the charts are the inline SVG of `usmca.report.html`; every
string from a user or the data is escaped by Jinja's autoescape. The checker form runs in the
app's check pool (time budget, concurrency cap: `usmca.api.limits`), like `/api/check`.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from usmca.api.limits import CheckBusy, CheckPool, CheckTimeout
from usmca.api.service import Service
from usmca.claims.check import InputError
from usmca.errors import UsmcaError
from usmca.indicators.base import Context, IndicatorError
from usmca.report.html import LINE_COLORS, env, render_cards, short_number, svg_line, with_span

PARTNERS = [("MEX", "Mexico"), ("CAN", "Canada"), ("CHN", "China")]
FIRST_YEAR = 1985
FAVICON = (  # a standalone SVG file needs its namespace (the string is not fetched)
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<rect width="16" height="16" rx="3" fill="#102a43"/>'
    '<path d="M4 8.5l2.5 2.5L12 5" stroke="#fff" stroke-width="2" fill="none"/></svg>'
)


def _page(template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    return HTMLResponse(env().get_template(template).render(**ctx), status_code=status)


def _bn(v: Any) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "—"
    return f"{float(v) / 1e9:,.1f}"


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _source_note(service: Service, ids: set[str]) -> str:
    """ "Source: agency, file (vintage ...); ..." with the files in order of vintage."""
    if not ids:
        return ""
    with service.reader_for_request() as reader:
        found = []
        for sid in ids:
            s = reader.source(sid)
            vintage = str(s.get("vintage") or "")[:10]
            found.append((vintage, str(s.get("agency") or sid), str(s.get("file_name") or ""), sid))
    parts = [f"{agency}, {file} (vintage {vintage})" for vintage, agency, file, _ in sorted(found)]
    return "Source: " + "; ".join(dict.fromkeys(parts))


# ------------------------------------------------------------------------------------ trade
def trade_blocks(service: Service) -> list[dict[str, Any]]:
    codes = [c for c, _ in PARTNERS]
    with service.reader_for_request() as reader:
        df = reader.df(
            "SELECT year, partner, flow, sum(value_usd) AS v, list(DISTINCT source_id) AS ids "
            "FROM trade WHERE partner IN (?, ?, ?) AND month IS NULL AND basis = 'census' "
            "AND product = 'goods' AND adjustment = 'nsa' AND year >= ? GROUP BY ALL ORDER BY year",
            [*codes, FIRST_YEAR],
        )
        ytd = reader.df(
            "SELECT year, partner, flow, sum(value_usd) AS v, max(month) AS last_month FROM trade "
            "WHERE partner IN (?, ?, ?) AND month IS NOT NULL AND value_usd IS NOT NULL "
            "AND basis = 'census' AND product = 'goods' AND adjustment = 'nsa' AND year >= ? "
            "GROUP BY ALL",
            [*codes, FIRST_YEAR],
        )
    if df.empty:
        return [
            {
                "heading": "U.S. trade in goods",
                "empty": "No Census trade data is loaded (load country.xlsx).",
            }
        ]
    val: dict[tuple[int, str, str], float | None] = {}
    ids: set[str] = set()
    for r in df.to_dict(orient="records"):
        val[(int(r["year"]), str(r["partner"]), str(r["flow"]))] = _num(r["v"])
        ids.update(str(i) for i in (r["ids"] if r["ids"] is not None else []))
    # the years with a published annual total (a year in progress has rows but no total yet)
    years = sorted({y for (y, _, _), v in val.items() if v is not None})
    if not years:
        return [{"heading": "U.S. trade in goods", "empty": "No annual Census trade total is loaded."}]
    blocks: list[dict[str, Any]] = []
    for flow, word in (("exports", "U.S. exports to"), ("imports", "U.S. imports from")):
        lines = [
            (name, [val.get((y, code, flow)) for y in years], LINE_COLORS[i]) for i, (code, name) in enumerate(PARTNERS)
        ]
        blocks.append(
            {
                "heading": f"{word} Mexico, Canada and China",
                "chart": Markup(
                    svg_line(
                        [str(y) for y in years],
                        lines,
                        unit="USD",
                        title=f"{word} partner, goods, Census basis, {years[0]}–{years[-1]} (US$)",
                        height=340,
                        width=920,
                    )
                ),
            }
        )
    notes = []
    for r in ytd.to_dict(orient="records"):
        y, p, f, v = int(r["year"]), str(r["partner"]), str(r["flow"]), _num(r["v"])
        if val.get((y, p, f), 0.0) is None and v is not None:
            notes.append((y, p, f, v, int(r["last_month"])))
    note = ""
    if notes:
        y = max(n[0] for n in notes)
        lm = max(n[4] for n in notes if n[0] == y)
        shown = ", ".join(f"{dict(PARTNERS)[p]} {f} {_bn(v)}" for yy, p, f, v, _ in sorted(notes) if yy == y)
        note = (
            f"{y} is not complete (no annual total published): year to date through month {lm}, US$ billion: {shown}."
        )
    columns = ["Year"] + [f"{name} {f}" for _, name in PARTNERS for f in ("exports", "imports")]
    rows = [
        [str(y)] + [_bn(val.get((y, c, f))) for c, _ in PARTNERS for f in ("exports", "imports")]
        for y in reversed(years)
    ]
    blocks.append(
        {
            "heading": "By year (US$ billion)",
            "note": " ".join(x for x in (note, _source_note(service, ids)) if x),
            "columns": columns,
            "rows": rows,
        }
    )
    return blocks


# ----------------------------------------------------------------------------------- border
def border_blocks(service: Service) -> list[dict[str, Any]]:
    from usmca.indicators.border import monthly_series

    blocks: list[dict[str, Any]] = []
    with service.reader_for_request() as reader:
        try:
            enc = monthly_series(Context(reader), "nationwide", "all")
        except (IndicatorError, UsmcaError):
            enc = None
        n_seiz = reader.one("SELECT count(*) FROM seizures")
        seiz = (
            reader.df(
                "SELECT year, month, sum(quantity_lb) AS lb, list(DISTINCT source_id) AS ids "
                "FROM seizures WHERE lower(drug) = 'fentanyl' GROUP BY year, month "
                "ORDER BY year, month"
            )
            if n_seiz
            else None
        )
    if enc is None or enc.empty:
        blocks.append(
            {
                "heading": "Monthly nationwide encounters (CBP)",
                "empty": "No CBP nationwide encounter data is loaded.",
            }
        )
    else:
        labels = [f"{int(y)}-{int(m):02d}" for y, m in zip(enc["year"], enc["month"], strict=False)]
        values = [_num(v) for v in enc["value"]]
        ids = {str(i) for lst in enc["source_ids"] for i in lst}
        blocks.append(
            {
                "heading": "Monthly nationwide encounters (CBP)",
                "note": "Encounters are events, not unique persons: USBP apprehensions, "
                "OFO inadmissibles and Title 42 expulsions. " + _source_note(service, ids),
                "chart": Markup(
                    svg_line(
                        labels,
                        [("nationwide encounters", values, LINE_COLORS[0])],
                        title=with_span("Monthly nationwide CBP encounters", labels, values),
                        unit="encounters",
                        height=340,
                        width=920,
                    )
                ),
                "columns": ["Month", "Encounters"],
                "rows": [
                    [lab, f"{v:,.0f}" if v is not None else "—"]
                    for lab, v in reversed(list(zip(labels, values, strict=False)))
                ],
            }
        )
    if seiz is not None and not seiz.empty:
        labels = [f"{int(y)}-{int(m):02d}" for y, m in zip(seiz["year"], seiz["month"], strict=False)]
        values = [_num(v) for v in seiz["lb"]]
        ids = {str(i) for lst in seiz["ids"] for i in lst}
        blocks.append(
            {
                "heading": "Fentanyl seized by CBP, by month (pounds)",
                "note": "OFO, USBP and AMO seizures. " + _source_note(service, ids),
                "chart": Markup(
                    svg_line(
                        labels,
                        [("fentanyl, lb", values, LINE_COLORS[1])],
                        title=with_span("Monthly CBP fentanyl seizures (lb)", labels, values),
                        unit="lb",
                        height=320,
                        width=920,
                    )
                ),
                "columns": ["Month", "Fentanyl (lb)", "(kg)"],
                "rows": [
                    [
                        lab,
                        f"{v:,.0f}" if v is not None else "—",
                        f"{v * 0.45359237:,.0f}" if v is not None else "—",
                    ]
                    for lab, v in reversed(list(zip(labels, values, strict=False)))
                ],
            }
        )
    return blocks


# ---------------------------------------------------------------------------------- sources
def sha_cell(sha: str) -> Markup:
    """The full sha256 in a <code>, with a button that copies it (static/app.js; no external script)."""
    if not sha:
        return Markup("")
    return Markup(
        '<code class="sha">{0}</code> <button type="button" class="copy" data-copy="{0}" '
        'title="Copy the sha256" aria-label="Copy the sha256">copy</button>'
    ).format(sha)


def sources_blocks(service: Service) -> list[dict[str, Any]]:
    """The sources table, by agency then vintage (then dataset and file)."""
    rows = []
    ordered = sorted(
        service.sources(),
        key=lambda s: (
            str(s.get("agency") or ""),
            str(s.get("vintage") or ""),
            str(s.get("dataset") or ""),
            str(s.get("file_name") or ""),
        ),
    )
    for s in ordered:
        kind = s.get("kind")
        label = (
            "official statement"
            if kind == "official statement"
            else ("research model" if kind == "model" else "official statistics")
        )
        rows.append(
            [
                s.get("dataset") or "",
                s.get("agency") or "",
                s.get("title") or "",
                s.get("file_name") or "",
                str(s.get("vintage") or "")[:10],
                f"{int(s['rows']):,}" if isinstance(s.get("rows"), int | float) else "",
                sha_cell(str(s.get("sha256") or "")),
                s.get("origin") or "",
                label,
            ]
        )
    return [
        {
            "heading": None,
            "full": True,  # the whole table on the page, no inner scroll box
            "columns": [
                "dataset",
                "agency",
                "title",
                "file",
                "vintage",
                "rows",
                "sha256",
                "origin",
                "kind",
            ],
            "rows": rows,
            "empty": "No data is loaded.",
            "note": "origin: file or pull = loaded into this store; snapshot = the compact "
            "snapshot bundled with usmca. The full table is at /api/sources.",
        }
    ]


# ------------------------------------------------------------------------------------ pages
def _form_fields(body: bytes) -> tuple[str, str]:
    """(text, as_of) of a posted form; ValueError for too many fields."""
    form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=10)
    return (form.get("text") or [""])[0], (form.get("as_of") or [""])[0].strip()


def checker_error(body: bytes, status: int, error: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    """The checker page with the posted text kept in the form and an error (429, 503...)."""
    try:
        text, as_of = _form_fields(body)
    except ValueError:
        text, as_of = "", ""
    page = _page(
        "checker.html.j2",
        status=status,
        title="Claim checker",
        active="/",
        text=text,
        as_of=as_of,
        body=None,
        error=error,
    )
    page.headers.update(headers or {})
    return page


def checker_response(service: Service, body: bytes) -> HTMLResponse:
    """The claim checker page for a posted form (text, as_of): the cards, or the error (422)."""
    ctx: dict[str, Any] = {"title": "Claim checker", "active": "/", "text": "", "as_of": "", "body": None}
    try:
        text, as_of_text = _form_fields(body)
    except ValueError:
        return _page("checker.html.j2", status=422, error="too many form fields", **ctx)
    ctx.update(text=text, as_of=as_of_text)
    as_of: date | None = None
    try:
        if as_of_text:
            try:
                as_of = date.fromisoformat(as_of_text)
            except ValueError:
                as_of = None
            if as_of is None or not 1900 <= as_of.year <= 2100:
                raise InputError(f"date of the text: expected a date like 2025-07-01, found {as_of_text!r}")
        report, found = service.check_limited(text=text, as_of=as_of, document="pasted text")
    except (InputError, UsmcaError, IndicatorError) as e:
        return _page("checker.html.j2", status=422, error=str(e), **ctx)
    ctx["body"] = render_cards(report)
    ctx["note"] = service.claims_note(found)
    return _page("checker.html.j2", **ctx)


def pages_router(service: Service, pool: CheckPool) -> APIRouter:
    """The HTML pages over one service; the checker form runs in `pool`, like /api/check."""
    app = APIRouter()

    def cached(key: str, build: Any, template: str, **ctx: Any) -> HTMLResponse:
        html = service.page_cache.get(key)
        if html is None:
            html = env().get_template(template).render(blocks=build(service), **ctx)
            service.page_cache.put(key, html)
        return HTMLResponse(html)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(FAVICON, media_type="image/svg+xml", headers={"cache-control": "public, max-age=86400"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def checker_page() -> HTMLResponse:
        return _page("checker.html.j2", title="Claim checker", active="/", text="", as_of="", body=None)

    @app.get("/check", include_in_schema=False)
    def check_get() -> RedirectResponse:
        return RedirectResponse("/", status_code=303)

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_page(request: Request) -> HTMLResponse:
        body = await request.body()
        # checking and rendering take CPU: in the check pool, within the time budget
        try:
            return await pool.run(checker_response, service, body)
        except CheckBusy as e:
            return checker_error(body, 429, str(e), {"retry-after": str(e.retry_after)})
        except CheckTimeout as e:
            return checker_error(body, 503, str(e))

    @app.get("/trade", response_class=HTMLResponse, include_in_schema=False)
    def trade_page() -> HTMLResponse:
        return cached(
            "trade",
            trade_blocks,
            "table_page.html.j2",
            title="Trade partners",
            active="/trade",
            intro="U.S. trade in goods with Mexico, Canada and China, Census basis, by year since "
            f"{FIRST_YEAR}: exports (what the partner bought) and imports.",
        )

    @app.get("/border", response_class=HTMLResponse, include_in_schema=False)
    def border_page() -> HTMLResponse:
        return cached(
            "border",
            border_blocks,
            "table_page.html.j2",
            title="Border",
            active="/border",
            intro="Monthly encounters at all U.S. borders (CBP) and, where loaded, fentanyl seizures.",
        )

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page() -> HTMLResponse:
        return cached(
            "sources",
            sources_blocks,
            "table_page.html.j2",
            title="Sources",
            active="/sources",
            wide=True,
            intro="Every file behind the figures: agency, file, vintage and checksum.",
        )

    return app


__all__ = [
    "pages_router",
    "border_blocks",
    "checker_response",
    "sha_cell",
    "short_number",
    "sources_blocks",
    "trade_blocks",
]
