"""ASGI middleware of the service: the body size limit and the security headers (CSP and co.)."""

from __future__ import annotations

from typing import Any

from usmca.api.limits import plain_reply

MAX_BODY_BYTES = 1024 * 1024  # 1 MB
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


__all__ = ["CSP", "DOCS_CSP", "DOCS_PATHS", "MAX_BODY_BYTES", "BodyLimitMiddleware", "SecurityHeadersMiddleware"]
